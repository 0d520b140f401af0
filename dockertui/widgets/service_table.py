"""The Services list: ``docker service ls``, kept live from swarm events."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from dockertui.backend.swarm_models import ServiceInfo
from dockertui.formatting import Cell, cell, since
from dockertui.widgets.aging_rows import AgingRows
from dockertui.widgets.keyed_table import Column, KeyedTable
from dockertui.widgets.theme_roles import (
    OK,
    STATE_DONE,
    STATE_FAILED,
    STATE_STARTING,
    STATE_WAITING,
)

UPDATE_ROLES = {
    "updating": STATE_WAITING,
    "rollback_started": STATE_WAITING,
    "paused": STATE_FAILED,
    "rollback_paused": STATE_FAILED,
    "completed": OK,
    "rollback_completed": STATE_STARTING,
}


def replicas_role(service: ServiceInfo) -> str:
    """``2/3`` says waiting while short of the desired count, ok when met."""
    if service.replicas_running < service.replicas_desired:
        return STATE_WAITING
    return OK if service.replicas_desired else STATE_DONE


class ServiceTable(AgingRows, KeyedTable[ServiceInfo]):
    """Services by name; the selected one's tasks show on the right."""

    COLUMNS = (
        Column("name", "Name", 20),
        Column("mode", "Mode", 10),
        Column("replicas", "Replicas", 8),
        Column("image", "Image", 24),
        Column("ports", "Ports", 16),
        Column("updated", "Updated", 14),
        Column("update", "Update", 11),
    )
    SORT_COLUMN = "name"
    BINDINGS = [
        Binding("n", "request('create')", "Create…", id="service-create", tooltip="docker service create"),
        Binding("s", "request('scale')", "Scale…", id="service-scale", tooltip="docker service scale"),
        Binding("u", "request('update_image')", "Image…", id="service-update-image",
                tooltip="docker service update --image"),
        Binding("b", "request('rollback')", "Rollback", id="service-rollback", tooltip="docker service rollback"),
        Binding("d", "request('remove')", "Remove", id="service-remove", tooltip="docker service rm"),
        Binding("i", "request('inspect')", "Inspect", id="service-inspect", show=False),
    ]

    class ActionRequested(Message):
        """The user asked for ``action`` on these services (none for create)."""

        def __init__(self, action: str, services: list[ServiceInfo]) -> None:
            super().__init__()
            self.action = action
            self.services = services

    def key_for(self, item: ServiceInfo) -> str:
        return item.id

    def ages_of(self, item: ServiceInfo) -> list[float]:
        return [(self._now() - item.updated).total_seconds()] if item.updated.timestamp() > 0 else []

    def row_for(self, item: ServiceInfo) -> list[Cell]:
        state = item.update_state
        return [
            cell(item.name),
            cell(item.mode),
            cell(item.replicas, sort_key=(item.replicas_running, item.replicas_desired),
                 style=self.role_style(replicas_role(item))),
            cell(item.image),
            cell(", ".join(str(port) for port in item.ports)),
            cell(since(item.updated, self._now()), sort_key=item.updated.timestamp()),
            cell(state.replace("_", " "), style=self.role_style(UPDATE_ROLES.get(state, STATE_DONE))),
        ]

    def action_request(self, action: str) -> None:
        targets = [] if action == "create" else self.targets()
        if action != "create" and not targets:
            self.notify("No service selected", severity="warning")
            return
        self.post_message(self.ActionRequested(action, targets))
