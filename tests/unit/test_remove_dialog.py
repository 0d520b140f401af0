"""The remove dialog follows container changes, also those that come before it is drawn.

No engine needed: the changes are what the follower would report.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from textual.app import App

from dockertui.backend.models import ContainerInfo
from dockertui.screens.remove_containers import RemoveChoice, RemoveContainersScreen
from dockertui.widgets.line_list import LineList


def container(key: str, state: str) -> ContainerInfo:
    return ContainerInfo(
        id=key * 64, name=f"ctr-{key}", image="busybox", image_id="sha256:1", command="sleep 300",
        created=datetime(2026, 1, 1, tzinfo=timezone.utc), state=state, status=state,
    )


def lines(screen: RemoveContainersScreen) -> list[str]:
    return [screen.query_one("#confirm-items", LineList).line(i).plain for i in range(len(screen.containers))]


async def test_changes_before_the_first_paint_are_taken_and_drawn():
    stopped, doomed = container("a", "exited"), container("b", "exited")
    results: list[RemoveChoice | None] = []
    app = App()
    async with app.run_test() as pilot:
        screen = RemoveContainersScreen([stopped, doomed])
        app.push_screen(screen, results.append)
        # The same tick as the push: nothing is composed yet.
        screen.update_containers({stopped.id: replace(stopped, state="running"), doomed.id: None})
        await pilot.pause()
        assert "running" in lines(screen)[0] and "already gone" in lines(screen)[1]
        assert "1 running" in str(screen.query_one("#force").label)
        assert screen.query_one("#confirm-yes").disabled, "running now: force first"

        await pilot.press("f")
        hint = str(screen.query_one("#remove-hint").render())
        assert "will be stopped" in hint
        screen.query_one("#confirm-yes").press()
        await pilot.pause()
    assert results and results[0].force and [c.id for c in results[0].containers] == [stopped.id]


async def test_a_start_after_force_was_ticked_is_said():
    app = App()
    async with app.run_test() as pilot:
        idle = container("c", "exited")
        screen = RemoveContainersScreen([idle])
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("f")
        assert str(screen.query_one("#remove-hint").render()) == ""
        screen.update_containers({idle.id: replace(idle, state="running")})
        await pilot.pause()
        assert "the 1 running will be stopped" in str(screen.query_one("#remove-hint").render())
        assert not screen.query_one("#confirm-yes").disabled
