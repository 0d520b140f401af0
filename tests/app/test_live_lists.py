"""The app against the real engine: rows appear, change and go as containers do."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dockertui.app import DockerTUI
from dockertui.screens.dashboard import DashboardScreen
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.details_pane import DetailsPane
from dockertui.widgets.image_table import ImageTable
from tests.support.engine import FIXTURE_IMAGE
from tests.support.pilot import dashboard_up, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


def state_of(table: ContainerTable, container_id: str) -> str | None:
    if container_id not in table.rows:
        return None
    return table.get_cell(container_id, "state").plain


async def connected(pilot) -> ContainerTable:
    app = pilot.app
    await wait_until(pilot, lambda: "Docker" in app.sub_title, what="the engine connection")
    assert isinstance(app.screen, DashboardScreen)
    return app.screen.query_one(ContainerTable)


async def test_container_appears_changes_and_goes(engine_target, make_container):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await connected(pilot)
        container = make_container(command=["sleep", "300"])
        await wait_until(pilot, lambda: state_of(table, container.id) == "running", what="the new row")
        assert table.get_cell(container.id, "name").plain == container.name

        # Only running containers by default; `a` shows all, like docker ps -a.
        await pilot.press("a")
        container.stop(timeout=0)
        await wait_until(pilot, lambda: state_of(table, container.id) == "exited", what="the exited state")
        await pilot.press("a")
        assert container.id not in table.rows
        await pilot.press("a")
        assert state_of(table, container.id) == "exited"

        container.remove()
        await wait_until(pilot, lambda: container.id not in table.rows, what="the row to go")


async def test_cursor_stays_on_its_container(engine_target, make_container):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await connected(pilot)
        first = make_container(command=["sleep", "300"])
        second = make_container(command=["sleep", "300"])
        await wait_until(pilot, lambda: first.id in table.rows and second.id in table.rows)
        table.move_cursor(row=table.get_row_index(first.id))
        await pilot.pause()
        assert table.current_key == first.id

        # A newer container sorts above ours; the cursor must not slide onto it.
        third = make_container(command=["sleep", "300"])
        await wait_until(pilot, lambda: third.id in table.rows)
        assert table.current_key == first.id
        second.remove(force=True)
        await wait_until(pilot, lambda: second.id not in table.rows)
        assert table.current_key == first.id
        details = app.screen.query_one(DetailsPane)
        assert first.name in str(details.query_one("#details-body").render())


async def test_status_ages_between_events(engine_target, make_container):
    """The engine words "Up …" when asked; with no event, the app ages the wording itself."""
    from datetime import timedelta

    from dockertui.formatting import utc_now

    running = make_container(command=["sleep", "3000"])
    exited = make_container(command=["true"])
    exited.wait(timeout=10)
    offset = timedelta()
    app = DockerTUI(engine_target, now=lambda: utc_now() + offset, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await connected(pilot)
        await wait_until(pilot, lambda: running.id in table.rows and exited.id in table.rows)
        # The events of the second before the app connected come again at its start
        # (backend/live.py), and their re-reads read the status afresh: a container
        # made now is re-read after them, so once its row shows, they are all in.
        later = make_container(start=False)
        await wait_until(pilot, lambda: later.id in table.rows)
        table.move_cursor(row=table.get_row_index(running.id))
        assert table.get_cell(running.id, "status").plain.startswith("Up ")
        offset = timedelta(minutes=10, seconds=5)
        app.dashboard._refresh_times()
        await pilot.pause()
        # Read within a few seconds of the start, then ten minutes on.
        assert table.get_cell(running.id, "status").plain == "Up 10 minutes"
        assert table.get_cell(exited.id, "status").plain == "Exited (0) 10 minutes ago"
        details = app.screen.query_one("#details-body")
        assert "Status    Up 10 minutes" in str(details.source)
        # A re-read words it afresh: the engine's text is the truth again.
        running.pause()
        await wait_until(pilot, lambda: table.get_cell(running.id, "status").plain.endswith("(Paused)"))
        assert not table.get_cell(running.id, "status").plain.startswith("Up 10")
        running.unpause()


async def test_a_young_containers_status_keeps_up_with_the_engines_wording(engine_target, make_container, docker_client):
    """Read at "Up Less than a second", the row goes on aging as `docker ps` words it, with no event
    between: re-worded on the 10 s clock of aging_rows.py, behind the truth by little more than that."""
    from dockertui.status_text import status_age
    from dockertui.widgets.aging_rows import TIMES_TICK_SECONDS

    young = make_container(command=["sleep", "300"])
    whole, _, fraction = docker_client.api.inspect_container(young.id)["State"]["StartedAt"].rstrip("Z").partition(".")
    started = datetime.fromisoformat(f"{whole}.{fraction[:6]:0<6}+00:00")
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await connected(pilot)
        await wait_until(pilot, lambda: young.id in table.rows)
        seen: list[tuple[float, str]] = []

        def shown_age() -> float | None:
            shown = table.get_cell(young.id, "status").plain
            true_age = (datetime.now(timezone.utc) - started).total_seconds()
            seen.append((round(true_age, 1), shown))
            age = status_age(shown)
            # Behind by at most: the read's rounding down ("Less than a second" is up to 1 s) and
            # the re-word's (1 s), and the clock's step. And a second for the app's own delays:
            # the status ages from when the list took the read, and a busy event loop runs the
            # dashboard's clock (due_clock.py) late.
            behind_at_most = 2 + TIMES_TICK_SECONDS + 1
            assert age is None or true_age - behind_at_most <= age <= true_age + 1, seen[-3:]
            return age

        # Past its first re-wording with no event: it has aged by itself.
        await wait_until(pilot, lambda: (shown_age() or 0) >= 12, timeout=40,
                         what=lambda: f"the row to age as the engine does: {seen[-3:]}")


async def test_images_pane_lists_tags(engine_target, docker_client, fixture_image, test_run_label, unique_name):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected(pilot)
        await pilot.press("2")
        images = app.screen.query_one(ImageTable)
        fixture_id = docker_client.images.get(FIXTURE_IMAGE).id
        await wait_until(pilot, lambda: any(i.image.id == fixture_id for i in images.items.values()))

        # A second tag of the same image is a second row; untagging removes it.
        repository = unique_name("tag")
        docker_client.images.get(FIXTURE_IMAGE).tag(repository, "v1")
        try:
            await wait_until(
                pilot,
                lambda: any(i.reference == f"{repository}:v1" for i in images.items.values()),
                what="the new tag's row",
            )
        finally:
            docker_client.images.remove(f"{repository}:v1")
        await wait_until(pilot, lambda: all(i.reference != f"{repository}:v1" for i in images.items.values()))
        assert any(i.reference == FIXTURE_IMAGE for i in images.items.values())


async def test_hostile_text_renders_literally(engine_target, make_container):
    hostile = "[/foo] [link=http://x]y[/link] [$accent] \x1b[31mred\x1b[0m \x1b[2J"
    container = make_container(
        command=["echo", hostile],
        labels={"markup": "[/foo]", "link": "[link=http://x]y[/link]", "ansi": "\x1b[31mred"},
    )
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await connected(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: container.id in table.rows)
        table.move_cursor(row=table.get_row_index(container.id))
        details = app.screen.query_one("#details-body")
        await wait_until(pilot, lambda: container.name in str(details.render()))
        assert "\x1b" not in str(details.render())
        # The unwrapped text: a wrapped line would split what is looked for.
        shown = str(details.source)
        assert "[/foo] [link=http://x]y[/link] [$accent] red" in shown
        assert "markup=[/foo]" in shown
        assert "\x1b" not in shown
        await pilot.pause()
        assert app.is_running


async def test_quit_is_prompt_with_the_stream_open(engine_target):
    app = DockerTUI(engine_target)
    # Pilot.press waits for animations to finish; one still running when "q"
    # ends the app (the tab underline, as the first snapshot fills the tabs)
    # never does, and the press would hang.
    app.animation_level = "none"
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected(pilot)
        await pilot.press("q")
    assert app.follower.stopping
