"""The Swarm screen's Details tab: the selected service or node, all of it."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from datetime import datetime

from rich.text import Text
from textual.containers import VerticalScroll

from dockertui.backend.swarm_models import NodeInfo, ServiceInfo, TaskInfo
from dockertui.formatting import safe_text, utc_now
from dockertui.widgets.details_pane import detail_block, detail_field, label_lines, moment
from dockertui.widgets.hanging_text import HangingText
from dockertui.widgets.node_table import AVAILABILITY_ROLES, STATUS_ROLES
from dockertui.widgets.service_table import UPDATE_ROLES, replicas_role
from dockertui.widgets.theme_roles import RoleStyle, ThemeRoles, no_roles


def service_details(
    service: ServiceInfo, tasks: Sequence[TaskInfo], now: datetime, roles: RoleStyle = no_roles
) -> Text:
    """The service's spec and state, every engine string made safe."""
    text = Text(end="")
    text.append_text(safe_text(service.name, style="bold reverse"))
    text.append("\n\n")
    text.append_text(detail_field("ID", service.id))
    text.append_text(detail_field("Mode", service.mode))
    replicas = safe_text(service.replicas, style=roles(replicas_role(service)))
    text.append_text(detail_field("Replicas", Text.assemble(replicas, (" running/desired", "dim"))))
    text.append_text(detail_field("Image", service.image))
    text.append_text(detail_field("Command", shlex.join(service.command) or "(the image's default)"))
    text.append_text(detail_field("Created", moment(service.created, now)))
    text.append_text(detail_field("Updated", moment(service.updated, now)))
    if service.update_state:
        state = safe_text(service.update_state.replace("_", " "), style=roles(UPDATE_ROLES.get(service.update_state, "")))
        if service.update_message:
            state.append_text(safe_text(f"  {service.update_message}", style="dim"))
        text.append_text(detail_field("Update", state))
    text.append_text(detail_field("Rollback", "possible (b)" if service.can_rollback else "no previous spec"))
    text.append("\n")
    text.append_text(detail_block("Ports", [safe_text(str(port)) for port in service.ports]))
    running = [task for task in tasks if task.desired_state == "running"]
    text.append_text(detail_block("Tasks", [
        Text.assemble(safe_text(task.name), "  ", safe_text(task.state), ("  on ", "dim"), safe_text(task.node_hostname))
        for task in running
    ]))
    text.append_text(detail_block("Labels", label_lines(service.labels)))
    return text


def node_details(node: NodeInfo, roles: RoleStyle = no_roles) -> Text:
    """The node's role, availability and status, every engine string made safe."""
    text = Text(end="")
    text.append_text(safe_text(node.hostname + ("  (this engine)" if node.is_self else ""), style="bold reverse"))
    text.append("\n\n")
    text.append_text(detail_field("ID", node.id))
    text.append_text(detail_field("Role", node.role))
    text.append_text(detail_field("Available", safe_text(node.availability, style=roles(AVAILABILITY_ROLES.get(node.availability, "")))))
    text.append_text(detail_field("Status", safe_text(node.status, style=roles(STATUS_ROLES.get(node.status, "")))))
    if node.manager_status:
        text.append_text(detail_field("Manager", node.manager_status))
    text.append_text(detail_field("Address", node.address))
    text.append_text(detail_field("Engine", node.engine_version))
    text.append("\n")
    text.append_text(detail_block("Labels", label_lines(node.labels)))
    return text


class SwarmDetails(ThemeRoles, VerticalScroll):
    """Shows one service or node; a hint when nothing is selected."""

    def __init__(self, *, now: Callable[[], datetime] = utc_now, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self._body = HangingText(Text("Nothing selected", style="dim"), id="swarm-details-body")
        self._shown: tuple[ServiceInfo | NodeInfo | None, Sequence[TaskInfo]] = (None, ())

    def compose(self):
        yield self._body

    def show(self, item: ServiceInfo | NodeInfo | None, tasks: Sequence[TaskInfo] = ()) -> None:
        self._shown = (item, tasks)
        if isinstance(item, ServiceInfo):
            self._body.update(service_details(item, tasks, self._now(), self.role_style))
        elif isinstance(item, NodeInfo):
            self._body.update(node_details(item, self.role_style))
        else:
            self._body.update(Text("Nothing selected", style="dim"))

    def restyle(self) -> None:
        self.show(*self._shown)
