"""The Swarm screen in a fleet, for real: each engine's swarm, shown one engine at a time.

Swarms are made only on private engines these tests start (engine b, and
engine c for two swarms), each in its own network namespace, and left
before those engines stop. The suite's engine ("local") is never one.
"""

from __future__ import annotations

from collections.abc import Iterator

import docker
import pytest
from textual.widgets import Header

from dockertui.app import DockerTUI
from dockertui.backend import EngineTarget
from dockertui.fleet import FleetEntry
from dockertui.palette import key_commands
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.inspect import InspectScreen
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.service_dialog import ServiceDialog
from dockertui.screens.swarm import SwarmScreen
from tests.fleet.test_fleet_app import fast_retry, fleet_up
from tests.support.cleanup import label_filter, remove_labelled_containers
from tests.support.pilot import dashboard_up, select_row, swarm_shown, wait_until
from tests.support.swarm import SwarmEngine, private_swarm_engine, swarm_on

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SIZE = (140, 36)


@pytest.fixture(scope="module")
def swarm_b(private_engine, engine_b_client) -> Iterator[SwarmEngine]:
    """Engine b of ``fleet_of_two``, a swarm manager for this module."""
    with swarm_on(engine_b_client) as node_id:
        yield SwarmEngine(private_engine.url, engine_b_client, node_id)


@pytest.fixture(scope="module")
def swarm_c() -> Iterator[SwarmEngine]:
    """A third engine of the module's own, the manager of a second swarm."""
    with private_swarm_engine() as engine:
        yield engine


@pytest.fixture
def make_service(fixture_image: str, test_run_label: dict[str, str], unique_name):
    """Labelled services on a given engine; every labelled service (the app's too) goes afterwards."""
    used: list[docker.DockerClient] = []

    def make(client: docker.DockerClient, command: list[str] | None = None) -> docker.models.services.Service:
        used.append(client)
        return client.services.create(
            fixture_image, command or ["sleep", "300"], name=unique_name("svc"), labels=dict(test_run_label),
        )

    yield make
    for client in {id(c): c for c in used}.values():
        for service in client.services.list(filters=label_filter(test_run_label)):
            service.remove()


def remove_services_on(client: docker.DockerClient, label: dict[str, str]) -> None:
    for service in client.services.list(filters=label_filter(label)):
        service.remove()


def service_named(screen: SwarmScreen, name: str):
    return next((s for s in screen.services.items.values() if s.name == name), None)


def header_text(screen: SwarmScreen) -> str:
    return screen.query_one(Header).format_title().plain


async def open_swarm(pilot, app: DockerTUI) -> SwarmScreen:
    """``W``, and the Swarm screen once its widgets are there."""
    await pilot.press("W")
    return await swarm_shown(pilot)


async def test_w_shows_the_managers_swarm_and_acts_on_that_engine(
    fleet_of_two, swarm_b, test_run_label, unique_name
):
    """You should see engine b's swarm ("Swarm · b"), though the cursor is on local; a service
    made, scaled, logged and removed there is made, scaled and removed on b."""
    name = unique_name("web")
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two, run_labels=tuple(test_run_label.items()))
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            await fleet_up(pilot, app)
            await wait_until(pilot, lambda: "local" in app.swarms and app.swarms.get("b") is not None,
                             what=lambda: app.swarms)
            assert app.swarms["local"] is None, "the suite's engine is no manager"
            assert app.dashboard.cursor_host() == "local"
            screen = await open_swarm(pilot, app)
            assert screen.engine_host == "b"
            assert header_text(screen).startswith("Swarm · b — ")
            assert not screen.query_one("#swarm-inactive").display
            assert screen.query_one("#swarm-engine-away").has_class("hidden")
            nodes = {node.id for node in app.swarms["b"].nodes}
            assert nodes == {swarm_b.node_id}
            # The key to the next manager is there, with its id, and in the palette.
            ids = {active.binding.id for active in screen.active_bindings.values()}
            assert "swarm-next-engine" in ids
            assert "Next engine" in [str(command.title) for command in key_commands(app, screen)]

            # Created from the service form: on b, the screen's engine.
            await pilot.press("n")
            assert isinstance(app.screen, ServiceDialog)
            dialog = app.screen
            assert "on b" in str(dialog.query_one("#run-title").render())
            dialog.query_one("#image").value = "dockertui-test/busybox:latest"
            dialog.query_one("#command").value = "sh -c 'while true; do echo tick-on-b; sleep 1; done'"
            dialog.query_one("#name").value = name
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.screen is screen, what="the dialog to close")
            await wait_until(pilot, lambda: (s := service_named(screen, name)) and s.replicas == "1/1", timeout=30,
                             what=lambda: service_named(screen, name))
            service = service_named(screen, name)
            assert service.host == "b"
            assert swarm_b.client.services.get(service.id).name == name

            # Scaled on b.
            await select_row(pilot, screen.services, service.id)
            await pilot.press("s")
            assert isinstance(app.screen, PromptScreen)
            await pilot.press("ctrl+u", "2", "enter")
            await wait_until(pilot, lambda: service_named(screen, name).replicas == "2/2", timeout=30, what="2/2")
            spec = swarm_b.client.services.get(service.id).attrs["Spec"]
            assert spec["Mode"]["Replicated"]["Replicas"] == 2

            # Its logs, read from b.
            await pilot.press("L")
            logs = screen.query_one("#service-logs")
            await wait_until(pilot, lambda: any(line.text == "tick-on-b" for line in logs.view.lines()), timeout=20,
                             what="a line from b's service")

            # Removed on b.
            await pilot.press("d")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await wait_until(pilot, lambda: service_named(screen, name) is None, timeout=20, what="the row to go")
            assert not swarm_b.client.services.list(filters={"name": name})
    finally:
        remove_services_on(swarm_b.client, test_run_label)


async def test_two_swarms_one_shown_at_a_time(
    swarm_b, swarm_c, make_service, fixture_image, test_run_label
):
    """You should see b's swarm, then with H c's; each engine's reports reach the screen only
    while it shows that engine, and a service removed from c's screen goes from c alone."""
    fleet = [FleetEntry("b", EngineTarget(url=swarm_b.url, source="tests")),
             FleetEntry("c", EngineTarget(url=swarm_c.url, source="tests"))]
    on_b, on_c = make_service(swarm_b.client), make_service(swarm_c.client)
    app = DockerTUI(fleet[0].target, fleet=fleet)
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            await fleet_up(pilot, app)
            await wait_until(pilot, lambda: app.swarm_managers() == ["b", "c"], what=lambda: app.swarms)
            # The cursor on a row of b's (its service's task): W opens on b.
            table = app.dashboard.containers
            await wait_until(pilot, lambda: any(key.startswith("b/") for key in table.items), what="a row on b")
            await select_row(pilot, table, next(key for key in table.items if key.startswith("b/")))
            screen = await open_swarm(pilot, app)
            assert screen.engine_host == "b" and header_text(screen).startswith("Swarm · b")
            await wait_until(pilot, lambda: on_b.id in screen.services.items, what="b's service")
            assert on_c.id not in screen.services.items

            await pilot.press("H")
            await wait_until(pilot, lambda: screen.engine_host == "c" and on_c.id in screen.services.items,
                             what="c's service")
            assert header_text(screen).startswith("Swarm · c")
            assert on_b.id not in screen.services.items
            await pilot.press("2")
            await wait_until(pilot, lambda: set(screen.nodes.items) == {swarm_c.node_id}, what="c's node")
            await pilot.press("1")

            # A service made on b meanwhile is b's news: kept for b, not shown on c's screen.
            later_on_b = make_service(swarm_b.client)
            await wait_until(pilot, lambda: any(s.id == later_on_b.id for s in app.swarms["b"].services),
                             timeout=20, what="b's report of its new service")
            assert later_on_b.id not in screen.services.items

            # Inspect and remove on c: c's service, from c.
            await select_row(pilot, screen.services, on_c.id)
            await pilot.press("i")
            await wait_until(pilot, lambda: isinstance(app.screen, InspectScreen), what="the inspect screen")
            assert app.screen.document["ID"] == on_c.id
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen, what="the Swarm screen again")
            await pilot.press("d")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await wait_until(pilot, lambda: on_c.id not in screen.services.items, timeout=20, what="c's row to go")
            assert not swarm_c.client.services.list(filters={"id": on_c.id})
            assert {s.id for s in swarm_b.client.services.list(filters=label_filter(test_run_label))} == {
                on_b.id, later_on_b.id}

            # H wraps round to b, whose new service is there.
            await pilot.press("H")
            await wait_until(pilot, lambda: screen.engine_host == "b" and later_on_b.id in screen.services.items,
                             what="b again, with its new service")

            # W from a row on c opens on c.
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.dashboard, what="the dashboard")
            on_c_row = swarm_c.client.containers.run(
                fixture_image, ["sleep", "300"], labels=dict(test_run_label), network_mode="none", detach=True
            )
            key = f"c/{on_c_row.id}"
            await wait_until(pilot, lambda: key in table.rows, what="c's container row")
            await select_row(pilot, table, key)
            await open_swarm(pilot, app)
            assert screen.engine_host == "c"
    finally:
        remove_labelled_containers(swarm_c.client, test_run_label)


async def test_the_engine_shown_going_away_is_said_on_the_screen(
    fleet_of_two, private_engine, swarm_b, make_service
):
    """You should see a line naming b as reconnecting over its swarm, dimmed, until b is back with it."""
    service = make_service(swarm_b.client)
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    fast_retry(app)
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            await fleet_up(pilot, app)
            await wait_until(pilot, lambda: app.swarms.get("b") is not None, what="b's swarm read")
            screen = await open_swarm(pilot, app)
            await wait_until(pilot, lambda: service.id in screen.services.items, what="b's service")
            away = screen.query_one("#swarm-engine-away")

            # (What a stopping engine last says of its swarm varies: its rows may stay, or go first.)
            private_engine.stop()
            await wait_until(pilot, lambda: not away.has_class("hidden"), what="the engine-away line")
            assert "↻ b reconnecting" in str(away.render())
            assert "b" in screen.services.stale_hosts and screen.engine_host == "b"

            private_engine.start()
            await wait_until(pilot, lambda: away.has_class("hidden"), timeout=60, what="b back")
            await wait_until(pilot, lambda: service.id in screen.services.items, timeout=30,
                             what="b's service again")
            assert "b" not in screen.services.stale_hosts
    finally:
        if not private_engine.is_running:
            private_engine.start()  # the module's other fixtures leave b's swarm
