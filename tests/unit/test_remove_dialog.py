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


def test_a_lines_width_is_known_without_making_it():
    """describe_width (the dialog's scroll width) agrees with describe, hostile and wide names too."""
    from dockertui.screens.remove_containers import describe, describe_width

    odd = [
        container("d", "running"),
        replace(container("e", "exited"), name="web\x1b[31m\tred\x07", image="img:\x1b]0;title\x07v1"),
        replace(container("f", "created"), name="数据库-容器", host="web1"),
        replace(container("g", "paused"), host="ssh://ops@db\x1b[2J", image=""),
    ]
    for each in odd:
        assert describe_width(each) == describe(each).cell_len, each.name


async def test_a_thousand_containers_make_only_the_lines_in_view():
    from dockertui.screens import remove_containers

    made = []
    screen = RemoveContainersScreen([container(f"{n:03d}", "exited") for n in range(1000)])
    line = screen._line
    screen._line = lambda index: made.append(index) or line(index)
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(screen)
        await pilot.pause()
        assert 0 < len(made) < 40, len(made)
        items = screen.query_one("#confirm-items", LineList)
        assert items.virtual_size.width == remove_containers.describe(screen.containers[0]).cell_len
        assert items.plain.count("\n") == 999 and "ctr-999" in items.plain
        # Scrolled to the end, the last lines are made and drawn there.
        items.scroll_end(animate=False)
        await pilot.pause()
        last = items.render_line(items.scrollable_content_region.height - 1).text
        assert "ctr-999" in last and 999 in made


async def test_a_confirmation_given_lines_to_make_makes_only_those_in_view():
    """Stop or kill of many marked containers asks through ConfirmScreen, with lines made as drawn."""
    from dockertui.screens.confirm import ConfirmScreen
    from dockertui.screens.remove_containers import describe, describe_width
    from dockertui.widgets.line_list import Lines

    containers = [container(f"{n:03d}", "running") for n in range(1000)]
    made = []
    lines = Lines(len(containers), lambda index: made.append(index) or describe(containers[index]),
                  max(describe_width(c) for c in containers))
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConfirmScreen("Stop 1000 container(s)?", lines, "Stop"))
        await pilot.pause()
        assert 0 < len(made) < 40, len(made)
        items = app.screen.query_one("#confirm-items", LineList)
        assert "ctr-000" in items.line(0).plain and "ctr-999" in items.plain
