"""The Ports and Events panes against the real engine."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.backend.models import PortBinding
from dockertui.widgets.event_table import EventTable
from dockertui.widgets.port_table import PortTable, port_url
from tests.support.pilot import dashboard_up, wait_until
from tests.support.ports import free_port

pytestmark = pytest.mark.integration

SIZE = (120, 36)


def port_rows(table: PortTable, container_id: str) -> list[tuple[str, ...]]:
    return sorted(
        tuple(table.get_cell(key, column).plain for column in ("port", "host_ip", "host_port"))
        for key, item in table.items.items()
        if item.container.id == container_id
    )


async def test_published_ports_appear_live(engine_target, make_container, docker_client):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Docker" in app.sub_title)
        await pilot.press("5")
        table = app.screen.query_one(PortTable)

        host_port = free_port()
        fixed = make_container(command=["sleep", "300"], ports={"80/tcp": ("127.0.0.1", host_port)})
        await wait_until(pilot, lambda: port_rows(table, fixed.id), what="the -p row")
        assert port_rows(table, fixed.id) == [("80/tcp", "127.0.0.1", str(host_port))]

        # -P: every exposed port gets a random host port.
        random = make_container(command=["sleep", "300"], ports={"8000/tcp": None}, publish_all_ports=True)
        await wait_until(pilot, lambda: port_rows(table, random.id), what="the -P rows")
        random.reload()
        host_ports = {b["HostPort"] for b in random.attrs["NetworkSettings"]["Ports"]["8000/tcp"]}
        shown = port_rows(table, random.id)
        # One row per host port: the engine's 0.0.0.0 and :: entries for it are one publication.
        assert {row[2] for row in shown} == host_ports and len(shown) == len(host_ports)
        assert all(row[1].startswith("all interfaces") for row in shown)

        random.stop(timeout=0)
        await wait_until(pilot, lambda: not port_rows(table, random.id), what="the rows to go")


def test_port_urls_point_where_the_port_is_reachable():
    everywhere = PortBinding(80, "tcp", "0.0.0.0", 8080)
    assert port_url(everywhere, "unix:///var/run/docker.sock") == "http://localhost:8080"
    assert port_url(everywhere, "ssh://me@box.example:22") == "http://box.example:8080"
    assert port_url(PortBinding(80, "tcp", "127.0.0.1", 9000), "unix:///x.sock") == "http://127.0.0.1:9000"
    assert port_url(PortBinding(80, "tcp", "::", 9000), "tcp://10.1.2.3:2376") == "http://10.1.2.3:9000"


async def test_events_pane_shows_the_lifecycle(engine_target, make_container):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Docker" in app.sub_title)
        await pilot.press("6")
        table = app.screen.query_one(EventTable)
        container = make_container(command=["sleep", "300"])
        container.remove(force=True)

        def actions() -> set[str]:
            return {e.action for e in table.events if e.actor_id == container.id}

        await wait_until(pilot, lambda: {"create", "start", "die", "destroy"} <= actions(), what="the lifecycle")
        shown = {table.get_row_at(i)[3].plain for i in range(table.row_count)}
        assert container.name in shown

        # Type filter: images only hides the container's rows.
        while table.type_filter != "image":
            await pilot.press("T")
        shown = {table.get_row_at(i)[3].plain for i in range(table.row_count)}
        assert container.name not in shown
        while table.type_filter != "all":
            await pilot.press("T")
        await pilot.press("slash", *container.name[-8:], "enter")
        names = {table.get_row_at(i)[3].plain for i in range(table.row_count)}
        assert names == {container.name}


async def test_events_while_the_pane_is_hidden_show_when_it_opens(engine_target, make_container):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Docker" in app.sub_title)
        table = app.screen.query_one(EventTable)
        await pilot.press("6")
        await wait_until(pilot, lambda: table._on_screen, what="the Events pane on screen")
        await pilot.press("1")
        await wait_until(pilot, lambda: not table._on_screen, what="the Events pane hidden")
        rows_before = table.row_count
        container = make_container(command=["sleep", "300"])
        await wait_until(pilot, lambda: any(e.actor_id == container.id and e.action == "start" for e in table.events))
        assert table.row_count == rows_before, "hidden: events are kept, not yet rows"
        await pilot.press("6")
        await wait_until(pilot, lambda: table.row_count > rows_before, what="rows for the kept events")
        shown = {table.get_row_at(i)[3].plain for i in range(table.row_count)}
        assert container.name in shown
        assert table.cursor_row == table.row_count - 1, "the newest event is selected"
