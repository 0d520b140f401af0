"""The Swarm screen, driven with Pilot against a real one-node swarm."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.backend import EngineTarget
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.inspect import InspectScreen
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.service_dialog import ServiceDialog
from dockertui.screens.swarm import SwarmScreen
from tests.support.pilot import connected_app, dashboard_up, select_row, swarm_shown, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


def _service_named(screen: SwarmScreen, name: str):
    return next((s for s in screen.services.items.values() if s.name == name), None)


async def test_create_scale_logs_and_remove_a_service(swarm_engine, make_service, test_run_label, unique_name):
    name = unique_name("web")
    app = DockerTUI(EngineTarget(url=swarm_engine.url, source="tests"), run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        await wait_until(pilot, lambda: app.swarm is not None, what="the swarm read")
        await pilot.press("W")
        screen = await swarm_shown(pilot)
        assert not screen.query_one("#swarm-inactive").display

        # Create it from the run dialog's service form.
        await pilot.press("n")
        assert isinstance(app.screen, ServiceDialog)
        dialog = app.screen
        dialog.query_one("#image").value = "dockertui-test/busybox:latest"
        dialog.query_one("#command").value = "sh -c 'while true; do echo tick-$(hostname); sleep 1; done'"
        dialog.query_one("#name").value = name
        dialog.query_one("#replicas").value = "2"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, what="the dialog to close")
        await wait_until(pilot, lambda: (s := _service_named(screen, name)) and s.replicas == "2/2", timeout=30,
                         what=lambda: _service_named(screen, name))
        service = _service_named(screen, name)
        assert dict(service.labels)["dockertui.test"] == test_run_label["dockertui.test"]

        await select_row(pilot, screen.services, service.id)
        await wait_until(pilot, lambda: screen.tasks.row_count == 2, what="two tasks")

        # Scale to 3: type the number.
        await pilot.press("s")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", "3", "enter")
        await wait_until(pilot, lambda: _service_named(screen, name).replicas == "3/3", timeout=30, what="3/3")
        await wait_until(pilot, lambda: screen.tasks.row_count == 3, what="three tasks")
        task_names = {screen.tasks.get_cell(key, "name").plain for key in screen.tasks.rows_in_order()}
        assert task_names == {f"{name}.1", f"{name}.2", f"{name}.3"}
        images = {screen.tasks.get_cell(key, "image").plain for key in screen.tasks.rows_in_order()}
        assert images == {"dockertui-test/busybox:latest"}, "the Tasks tab names each task's image"

        # Logs of all tasks, each line named by its task.
        await pilot.press("L")
        logs = screen.query_one("#service-logs")
        await wait_until(pilot, lambda: {line.source for line in logs.view.lines()} >= {f"{name}.1", f"{name}.2"},
                         timeout=20, what="lines from two tasks")
        assert all(line.text.startswith("tick-") for line in logs.view.lines())

        # Inspect: the service's own document (docker service inspect).
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectScreen), what="the inspect screen")
        assert app.screen.document["Spec"]["Name"] == name
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the Swarm screen again")

        # Remove, after a confirmation that names it.
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: _service_named(screen, name) is None, timeout=20, what="the row to go")


async def test_drain_and_activate_the_node(swarm_engine, make_service):
    service = make_service(replicas=1)
    app = DockerTUI(EngineTarget(url=swarm_engine.url, source="tests"))
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        await wait_until(pilot, lambda: app.swarm is not None, what="the swarm read")
        await pilot.press("W")
        screen = await swarm_shown(pilot)
        await pilot.press("2")
        await select_row(pilot, screen.nodes, swarm_engine.node_id)
        assert screen.nodes.get_cell(swarm_engine.node_id, "hostname").plain.endswith("*")
        try:
            await pilot.press("D")
            assert isinstance(app.screen, ConfirmScreen)
            # One node: nothing can take its tasks, and the warning says so.
            assert "no other node is active" in app.screen._title
            await pilot.press("y")
            await wait_until(pilot, lambda: screen.nodes.items[swarm_engine.node_id].availability == "drain",
                             what="the node drained")
            # With its only node drained, the service has nowhere to run.
            await wait_until(
                pilot, lambda: (s := screen.services.items.get(service.id)) and s.replicas_running == 0, timeout=30,
                what="the task to stop",
            )
        finally:
            await pilot.press("A")
            await wait_until(pilot, lambda: screen.nodes.items[swarm_engine.node_id].availability == "active",
                             what="the node active again")


async def test_a_plain_engine_says_it_is_no_manager(engine_target):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        await pilot.press("W")
        screen = await swarm_shown(pilot)
        assert screen.query_one("#swarm-inactive").display
        assert screen.services.row_count == 0
        # One engine: no engine named, no key to another.
        assert screen.title is None and screen.query_one("#swarm-engine-away").has_class("hidden")
        assert "swarm-next-engine" not in {active.binding.id for active in screen.active_bindings.values()}
        await pilot.press("escape")
        assert app.screen is app.dashboard


async def test_jump_to_nodes_with_colon(engine_target):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        await pilot.press("colon", *"nodes", "enter")
        await wait_until(pilot, lambda: app.screen is app.swarm_screen, what="the swarm screen")
        await wait_until(pilot, lambda: app.swarm_screen.active_pane == "nodes", what="the nodes pane")


def test_scale_takes_the_keys_typed_right_after_it(swarm_engine, make_service):
    """``s`` and a payload of service keys in one write: all of it lands in the Replicas prompt."""
    from tests.app.test_typeahead import PAYLOAD
    from tests.support.pty_app import PtyApp

    service = make_service(replicas=1)
    service.reload()
    version = service.attrs["Version"]["Index"]
    app = PtyApp(["--host", swarm_engine.url])
    try:
        app.wait_for_screen("Containers (")
        app.send("W")
        app.wait_for_screen(service.name)
        app.send("s" + PAYLOAD)
        screen = app.wait_until(lambda screen: "Replicas of" in screen and PAYLOAD in screen, "the payload in the prompt")
        assert screen.count(PAYLOAD) == 1 and "?" not in screen, screen  # no confirmation opened
    finally:
        app.close()
    service.reload()
    assert service.attrs["Version"]["Index"] == version


async def test_jump_to_nodes_after_the_swarm_screen_was_left(engine_target):
    """Installed and left: the screen is still mounted, so the pane is shown at once."""
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        await pilot.press("W")
        await wait_until(pilot, lambda: app.screen is app.swarm_screen, what="the swarm screen")
        assert app.swarm_screen.active_pane == "services"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.dashboard, what="the dashboard again")
        await pilot.press("colon", *"nodes", "enter")
        await wait_until(pilot, lambda: app.screen is app.swarm_screen and app.swarm_screen.active_pane == "nodes",
                         what="the nodes pane")
