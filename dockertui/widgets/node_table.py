"""The Nodes list: ``docker node ls``, with the keys to drain, promote and demote."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from dockertui.backend.swarm_models import NodeInfo
from dockertui.formatting import Cell, cell
from dockertui.widgets.keyed_table import Column, KeyedTable
from dockertui.widgets.theme_roles import OK, STATE_FAILED, STATE_STOPPED, STATE_WAITING

AVAILABILITY_ROLES = {"active": OK, "pause": STATE_WAITING, "drain": STATE_FAILED}
STATUS_ROLES = {"ready": OK, "down": STATE_FAILED, "disconnected": STATE_STOPPED, "unknown": STATE_WAITING}


class NodeTable(KeyedTable[NodeInfo]):
    """Nodes by hostname; this engine's own node is marked with ``*``, as in the CLI."""

    COLUMNS = (
        Column("hostname", "Hostname", 22),
        Column("role", "Role", 8),
        Column("availability", "Availability", 12),
        Column("status", "Status", 8),
        Column("manager", "Manager", 11),
        Column("engine", "Engine", 16),
        Column("address", "Address", 16),
    )
    SORT_COLUMN = "hostname"
    BINDINGS = [
        Binding("D", "request('drain')", "Drain", id="node-drain", tooltip="docker node update --availability drain"),
        Binding("p", "request('pause')", "Pause", id="node-pause", tooltip="docker node update --availability pause"),
        Binding("A", "request('activate')", "Activate", id="node-activate",
                tooltip="docker node update --availability active"),
        Binding("plus", "request('promote')", "Promote", id="node-promote", tooltip="docker node promote"),
        Binding("minus", "request('demote')", "Demote", id="node-demote", tooltip="docker node demote"),
    ]

    class ActionRequested(Message):
        """The user asked for ``action`` on these nodes."""

        def __init__(self, action: str, nodes: list[NodeInfo]) -> None:
            super().__init__()
            self.action = action
            self.nodes = nodes

    def key_for(self, item: NodeInfo) -> str:
        return item.id

    def row_for(self, item: NodeInfo) -> list[Cell]:
        hostname = f"{item.hostname} *" if item.is_self else item.hostname
        return [
            cell(hostname, sort_key=item.hostname.casefold()),
            cell(item.role, style="bold" if item.role == "manager" else ""),
            cell(item.availability, style=self.role_style(AVAILABILITY_ROLES.get(item.availability, ""))),
            cell(item.status, style=self.role_style(STATUS_ROLES.get(item.status, ""))),
            cell(item.manager_status),
            cell(item.engine_version),
            cell(item.address, style="dim"),
        ]

    def action_request(self, action: str) -> None:
        targets = self.targets()
        if not targets:
            self.notify("No node selected", severity="warning")
            return
        self.post_message(self.ActionRequested(action, targets))
