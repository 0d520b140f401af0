"""Start, stop, restart, pause, kill, rename, remove: from the keyboard, on the real engine."""

from __future__ import annotations

import dataclasses

import pytest

from dockertui.app import DockerTUI
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.inspect import InspectScreen
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.remove_containers import RemoveContainersScreen
from tests.support.lost_events import lose_destroy_events
from tests.support.pilot import (
    connected_app,
    dashboard_up,
    mark_rows,
    screen_with,
    select_row,
    wait_until,
)

pytestmark = pytest.mark.integration

SIZE = (120, 36)


def state(docker_client, container) -> str:
    return docker_client.api.inspect_container(container.id)["State"]["Status"]


def exists(docker_client, container) -> bool:
    return any(c["Id"] == container.id for c in docker_client.api.containers(all=True, filters={"id": container.id}))


# PID 1 ignores SIGTERM unless it traps it; this one takes a second to stop,
# long enough to see "stopping…", short of the 10 s a plain sleep would take.
STOPPABLE = ["sh", "-c", "trap 'sleep 1; exit 0' TERM; sleep 300 & wait"]


async def test_stop_start_restart_pause_kill(engine_target, make_container, docker_client):
    container = make_container(command=STOPPABLE)
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await select_row(pilot, table, container.id)

        await pilot.press("s")
        # The row says "stopping…" until the engine's event arrives.
        assert table.get_cell(container.id, "state").plain == "stopping…"
        await wait_until(pilot, lambda: table.get_cell(container.id, "state").plain == "exited", timeout=20)
        assert state(docker_client, container) == "exited"

        await pilot.press("u")
        await wait_until(pilot, lambda: table.get_cell(container.id, "state").plain == "running")

        await pilot.press("p")
        await wait_until(pilot, lambda: table.get_cell(container.id, "state").plain == "paused")
        await pilot.press("p")
        await wait_until(pilot, lambda: table.get_cell(container.id, "state").plain == "running")

        started = docker_client.api.inspect_container(container.id)["State"]["StartedAt"]
        await pilot.press("r")
        await wait_until(
            pilot, lambda: docker_client.api.inspect_container(container.id)["State"]["StartedAt"] != started, timeout=20
        )
        await wait_until(pilot, lambda: table.get_cell(container.id, "state").plain == "running")

        await pilot.press("K")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: table.get_cell(container.id, "state").plain == "exited")


async def test_errors_are_notifications_and_the_row_recovers(engine_target, make_container):
    container = make_container(command=["sleep", "300"], start=False)
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await select_row(pilot, dashboard.containers, container.id)
        await pilot.press("p")  # pausing a container that is not running
        await wait_until(pilot, lambda: any(n.severity == "error" for n in app._notifications), what="an error notification")
        message = next(n.message for n in app._notifications if n.severity == "error")
        assert container.name in message and "not running" in message
        await wait_until(pilot, lambda: dashboard.containers.get_cell(container.id, "state").plain == "created")


async def test_rename(engine_target, make_container, unique_name, docker_client):
    container = make_container(command=["sleep", "300"])
    other = make_container(command=["sleep", "300"])
    new_name = unique_name("renamed")
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await select_row(pilot, dashboard.containers, container.id)
        await pilot.press("N")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", *"bad name!", "enter")
        assert isinstance(app.screen, PromptScreen), "an invalid name keeps the prompt open"
        # A name the engine refuses (in use) comes back in the prompt, with the engine's reason.
        await pilot.press("ctrl+u", *other.name, "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, PromptScreen) and app.screen.query("#prompt-error")
            and "already in use" in str(app.screen.query_one("#prompt-error").render()),
            what="the prompt again, with the refusal",
        )
        assert app.screen.query_one("#prompt-input").value == other.name
        await pilot.press("ctrl+u", *new_name, "enter")
        await wait_until(pilot, lambda: dashboard.containers.get_cell(container.id, "name").plain == new_name)
        assert docker_client.api.inspect_container(container.id)["Name"] == f"/{new_name}"


async def test_remove_running_needs_force_and_marks_act_together(engine_target, make_container, docker_client):
    running = make_container(command=["sleep", "300"])
    stopped = make_container(command=["true"], start=False)
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await mark_rows(pilot, table, running.id, stopped.id)
        await pilot.press("d")
        screen = await removal_asked(pilot)
        listed = {c.id for c in screen.containers}
        assert listed == {running.id, stopped.id}
        assert screen.query_one("#confirm-yes").disabled, "running containers need force first"
        await pilot.press("f")
        await wait_until(pilot, lambda: not screen.query_one("#confirm-yes").disabled, what="force ticked")
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: running.id not in table.rows and stopped.id not in table.rows)
        assert not exists(docker_client, running) and not exists(docker_client, stopped)


async def test_a_removed_containers_row_goes_though_its_destroy_event_is_lost(
    engine_target, make_container, monkeypatch
):
    """The engine answered that it removed them: their rows go, also the one whose
    ``destroy`` event never reaches the follower (as one of 1,000 did in a bulk remove),
    and no read of it made before the removal brings it back."""
    lost = make_container(command=["true"], start=False)  # created: its destroy is all the follower hears of it
    heard = make_container(command=["true"], start=False)
    dropped = lose_destroy_events(monkeypatch, lost.id)
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await mark_rows(pilot, table, lost.id, heard.id)
        read_before = table.items[lost.id]
        await pilot.press("d")
        await removal_asked(pilot)
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: dropped and heard.id not in table.rows, what="the removal's events")
        await wait_until(pilot, lambda: lost.id not in table.rows, what="the row whose event was lost gone")
        # A re-read made before the removal ended (a running one's, after its die: "removing"),
        # reported only now: it comes too late to show.
        app.follower._listener.containers_changed({lost.id: dataclasses.replace(read_before, state="removing")})
        # Reports are applied in order: once a later container is listed, that one is in.
        later = make_container(command=["true"], start=False)
        await wait_until(pilot, lambda: later.id in table.rows, what="a later container's row")
        assert lost.id not in table.items and lost.id not in table.marked


async def test_remove_dialog_follows_the_engine_while_open(engine_target, make_container, docker_client):
    """A container started or removed elsewhere while the dialog is open: the list says so."""
    starts_meanwhile = make_container(command=["sleep", "300"], start=False)
    goes_meanwhile = make_container(command=["true"], start=False)
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await mark_rows(pilot, table, starts_meanwhile.id, goes_meanwhile.id)
        await pilot.press("d")
        screen = await removal_asked(pilot)
        assert not screen.running and not screen.query_one("#confirm-yes").disabled

        starts_meanwhile.start()
        goes_meanwhile.remove()
        await wait_until(pilot, lambda: [c.id for c in screen.running] == [starts_meanwhile.id], what="the start")
        assert screen.query_one("#confirm-yes").disabled, "now running: force first"
        assert "2 running" not in str(screen.query_one("#force").label) and "1 running" in str(screen.query_one("#force").label)
        await wait_until(pilot, lambda: goes_meanwhile.id in screen.gone, what="the removal")
        gone_line = [c.id for c in screen.containers].index(goes_meanwhile.id)
        assert "already gone" in screen.query_one("#confirm-items").line(gone_line).plain
        await pilot.press("f")
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: not exists(docker_client, starts_meanwhile))
        assert not app._notifications or all("Failed" != n.title for n in app._notifications), "the gone one is not tried"


async def test_remove_exited_previews_then_removes_only_those(engine_target, make_container, docker_client):
    exited = make_container(command=["true"])
    exited.wait()
    alive = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await wait_until(pilot, lambda: dashboard.containers.items.get(exited.id) and dashboard.containers.items[exited.id].state == "exited")
        await pilot.press("D")
        screen = await removal_asked(pilot)
        listed = {c.id for c in screen.containers}
        assert exited.id in listed and alive.id not in listed
        assert all(c.state == "exited" for c in screen.containers)
        # Only our own exited containers may go, so this test cancels rather
        # than remove exited containers that belong to whoever runs the suite.
        await pilot.press("escape")
        assert exists(docker_client, exited)
        await select_row(pilot, dashboard.containers, exited.id)
        await pilot.press("d")
        await removal_asked(pilot)
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: not exists(docker_client, exited))
        assert exists(docker_client, alive)


async def test_inspect_search_and_copy(engine_target, make_container):
    container = make_container(command=["sleep", "300"], labels={"markup": "[/foo] [link=http://x]y[/link]"})
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await select_row(pilot, dashboard.containers, container.id)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectScreen))
        screen = app.screen
        assert screen.document["Id"] == container.id
        await pilot.press("slash", *"markup", "enter")
        hostile = "[/foo] [link=http://x]y[/link]"
        await wait_until(pilot, lambda: screen.tree.cursor_node is not None and screen.tree.cursor_node.data == hostile)
        assert screen.tree.cursor_node.label.plain == f'markup: "{hostile}"'
        await pilot.press("c")
        assert app.clipboard == "[/foo] [link=http://x]y[/link]"
        await pilot.press("C")
        assert container.id in app.clipboard and app.clipboard.lstrip().startswith("{")
        await pilot.press("escape")
        assert not isinstance(app.screen, InspectScreen)


async def test_bulk_action_confirms_once_and_reports_each_failure(engine_target, make_container, docker_client):
    running = make_container(command=STOPPABLE)
    stopped = make_container(command=STOPPABLE, start=False)
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await mark_rows(pilot, table, running.id, stopped.id)
        await pilot.press("p")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        # Pausing a container that is not running fails; the other is still paused.
        await wait_until(pilot, lambda: state(docker_client, running) == "paused", timeout=20)
        await wait_until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any(stopped.name in m for m in errors)
        await wait_until(pilot, lambda: table.get_cell(stopped.id, "state").plain == "created")


async def removal_asked(pilot) -> RemoveContainersScreen:
    """The remove dialog, once it is the screen shown (a key opens it a message later)."""
    await screen_with(pilot, RemoveContainersScreen, "#confirm-yes")
    return pilot.app.screen


async def test_remove_exited_takes_only_what_the_filter_or_marks_show(
    engine_target, make_container, unique_name
):
    """You should see only the exited containers matching the filter, then only the marked one; ctrl+d says engine-wide."""
    stem = unique_name("web")
    ours = [make_container(command=["true"], name=f"{stem}-{i}") for i in range(3)]
    other = make_container(command=["true"])  # exited too, but not matching
    for container in [*ours, other]:
        container.wait()
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await wait_until(pilot, lambda: all(
            table.items.get(c.id) is not None and table.items[c.id].state == "exited" for c in [*ours, other]
        ), what="the exited containers")
        await pilot.press("slash", *stem, "enter")
        await pilot.press("D")
        screen = await removal_asked(pilot)
        assert {c.id for c in screen.containers} == {c.id for c in ours}
        assert str(screen.query_one("#confirm-title").render()) == f"Remove 3 exited containers matching `{stem}`?"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is dashboard, what="the dashboard back")

        await select_row(pilot, table, ours[1].id)
        await pilot.press("space", "D")
        screen = await removal_asked(pilot)
        assert [c.id for c in screen.containers] == [ours[1].id]
        assert str(screen.query_one("#confirm-title").render()) == "Remove the 1 exited container marked?"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is dashboard, what="the dashboard back")

        await pilot.press("ctrl+d")
        screen = await removal_asked(pilot)
        assert str(screen.query_one("#confirm-title").render()).endswith("on the engine?")
        assert {c.id for c in [*ours, other]} <= {c.id for c in screen.containers}
        await pilot.press("escape")  # other people's exited containers stay: the test only looks
