"""Volumes and Networks panes: live lists, create, connect, remove."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.prompt import PromptScreen
from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


async def test_volume_create_use_and_remove(engine_target, docker_client, make_container, test_run_label, unique_name):
    name = unique_name("vol")
    app = DockerTUI(engine_target, scope_labels=test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await pilot.press("3")
        table = dashboard.volumes
        await pilot.press("n")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*name, "enter")
        await wait_until(pilot, lambda: name in table.rows, what="the new volume")
        assert docker_client.volumes.get(name).attrs["Labels"] == test_run_label

        user = make_container(command=["sleep", "300"], volumes={name: {"bind": "/data", "mode": "rw"}})
        await wait_until(pilot, lambda: table.users.get(name) == [user.name], what="the volume's user")
        assert user.name in table.get_cell(name, "users").plain

        await pilot.press("z")
        await wait_until(pilot, lambda: table.items[name].size >= 0, what="the size")

        await select_row(pilot, table, name)
        # The Details tab: the volume's facts and who uses it (it said "Nothing selected").
        body = lambda: str(dashboard.query_one("#details-body").source)  # noqa: E731
        await wait_until(pilot, lambda: name in body() and "Used by" in body() and user.name in body(),
                         what=lambda: ("the volume's details", body()))
        assert "Driver" in body() and "local" in body()
        dashboard.query_one("#details").refresh_times()  # as the clock re-words "5 seconds ago"
        assert user.name in body(), "its users stay when the times are re-worded"
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        # In use: the engine refuses, and says so.
        await wait_until(pilot, lambda: any("in use" in n.message for n in app._notifications), what="the refusal")
        user.remove(force=True)
        await wait_until(pilot, lambda: table.users.get(name) is None)
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: name not in table.rows, what="the volume to go")


async def test_network_create_connect_disconnect_remove(engine_target, docker_client, make_container, test_run_label, unique_name):
    name = unique_name("net")
    container = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target, scope_labels=test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await pilot.press("4")
        table = dashboard.networks
        await pilot.press("n", *name, "enter")
        await wait_until(pilot, lambda: any(n.name == name for n in table.items.values()), what="the network")
        network = next(n for n in table.items.values() if n.name == name)
        assert docker_client.networks.get(network.id).attrs["Labels"] == test_run_label

        await select_row(pilot, table, network.id)
        await pilot.press("C", *container.name, "enter")
        await wait_until(pilot, lambda: table.members.get(name) == [container.name], what="the attachment")
        body = lambda: str(dashboard.query_one("#details-body").source)  # noqa: E731
        await wait_until(pilot, lambda: "Attached" in body() and container.name in body() and network.id in body(),
                         what=lambda: ("the network's details", body()))

        await pilot.press("X", *container.name, "enter")
        await wait_until(pilot, lambda: not table.members.get(name), what="the detachment")

        await pilot.press("d", "y")
        await wait_until(pilot, lambda: network.id not in table.rows, what="the network to go")
