"""The Networks list: ``docker network ls``, with subnets and attached containers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.message import Message

from dockertui.backend.models import ContainerInfo, NetworkInfo, host_key
from dockertui.formatting import Cell, cell
from dockertui.widgets.keyed_table import Column, KeyedTable


def network_members(containers: Iterable[ContainerInfo]) -> dict[str, list[str]]:
    """Network name (with its engine's in a fleet, see host_key) -> names of the containers attached to it."""
    members: dict[str, list[str]] = {}
    for container in containers:
        for network in container.networks:
            members.setdefault(host_key(container.host, network), []).append(container.name)
    return members


class NetworkTable(KeyedTable[NetworkInfo]):
    """Networks by name; ``members`` says which containers are attached."""

    COLUMNS = (
        Column("name", "Name", 24),
        Column("driver", "Driver", 8),
        Column("scope", "Scope", 6),
        Column("subnet", "Subnet", 18),
        Column("members", "Containers", 40),
    )
    SORT_COLUMN = "name"
    BINDINGS = [
        Binding("n", "request('create')", "Create", id="network-create"),
        Binding("d", "request('remove')", "Remove", id="network-remove"),
        Binding("C", "request('connect')", "Connect", id="network-connect", tooltip="attach a container"),
        Binding("X", "request('disconnect')", "Disconnect", id="network-disconnect", tooltip="detach a container"),
    ]

    class ActionRequested(Message):
        def __init__(self, action: str, networks: list[NetworkInfo]) -> None:
            super().__init__()
            self.action = action
            self.networks = networks

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.members: dict[str, list[str]] = {}

    def key_for(self, item: NetworkInfo) -> str:
        return item.key

    def row_for(self, item: NetworkInfo) -> list[Cell]:
        members = self.members.get(host_key(item.host, item.name), [])
        return [
            cell(item.name, style="dim" if item.is_predefined else ""),
            cell(item.driver),
            cell(item.scope),
            cell(", ".join(item.subnets)),
            cell(", ".join(members) if members else "(none)", style="" if members else "dim"),
        ]

    def set_members(self, members: Mapping[str, list[str]]) -> None:
        if members != self.members:
            self.members = dict(members)
            self.redraw()
            # The Details tab lists them too: the row's item is the same, its members are not.
            self.post_message(self.CurrentChanged(self, self.current))

    def action_request(self, action: str) -> None:
        targets = [] if action == "create" else self.targets()
        if action != "create" and not targets:
            self.notify("No network selected", severity="warning")
            return
        self.post_message(self.ActionRequested(action, targets))
