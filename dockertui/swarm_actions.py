"""What the Services and Nodes keys do: create, scale, update, roll back, remove, drain.

Engine calls run in thread workers and report with ``ActionFinished``; the
panes themselves change only when the engine's swarm events arrive, so what
is shown is always what the manager says.
"""

from __future__ import annotations

from rich.text import Text

from dockertui.actions_base import Actions
from dockertui.backend.swarm import (
    remove_service,
    rollback_service,
    scale_service,
    set_node_availability,
    set_node_role,
    update_service_image,
)
from dockertui.backend.swarm_models import NodeInfo, ServiceInfo
from dockertui.formatting import safe_text
from dockertui.parsing import parse_image_reference, parse_replicas
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.service_dialog import ServiceCreated, ServiceDialog

# Node action -> (what it sets, the value, words for the summary).
NODE_CHANGES = {
    "drain": ("availability", "drain", "drained"),
    "pause": ("availability", "pause", "paused"),
    "activate": ("availability", "active", "activated"),
    "promote": ("role", "manager", "promoted"),
    "demote": ("role", "worker", "demoted"),
}


class SwarmActions(Actions):
    """The flows behind the Swarm screen's panes."""

    WORKER_GROUP = "swarm-actions"

    # ----------------------------------------------------------- services

    def service(self, action: str, services: list[ServiceInfo]) -> None:
        if action == "create":
            self._create()
        elif action == "scale":
            self._scale(services[0])
        elif action == "update_image":
            self._update_image(services[0])
        elif action == "rollback":
            service = services[0]
            if not service.can_rollback:
                self.app.notify(f"{service.name} has no previous spec to roll back to", severity="warning", markup=False)
                return
            self._confirm(
                f"Roll back {service.name} to its previous spec?",
                [safe_text(f"now: {service.image}, {service.replicas_desired} replica(s)")],
                "Roll back",
                lambda: self._run(f"rolled back {service.name}", [(service.name, lambda b: rollback_service(b, service.id))]),
            )
        elif action == "remove":
            self._remove(services)

    def _create(self) -> None:
        images = [tag.reference for tag in self.app.dashboard.images.items.values()]

        def created(result: ServiceCreated | None) -> None:
            if result is not None:
                self.app.notify(f"Created service {result.spec.name or result.service_id[:12]}", markup=False)

        self.app.push_screen(ServiceDialog(images, labels=self.app.run_labels), created)

    def _scale(self, service: ServiceInfo) -> None:
        if service.mode != "replicated":
            self.app.notify(f"{service.name} is a {service.mode} service: it runs one task per node", severity="warning",
                            markup=False)
            return

        def answered(value: str | None) -> None:
            if value is None or not value.strip():
                return
            replicas = parse_replicas(value)
            self._run(f"scaled {service.name} to {replicas}",
                      [(service.name, lambda b: scale_service(b, service.id, replicas))])

        self.app.push_screen(
            PromptScreen(f"Replicas of {service.name}:", str(service.replicas_desired), validate=parse_replicas), answered
        )

    def _update_image(self, service: ServiceInfo) -> None:
        images = [tag.reference for tag in self.app.dashboard.images.items.values()]

        def answered(value: str | None) -> None:
            if value is None or not value.strip():
                return
            image = parse_image_reference(value)
            self._run(f"updating {service.name} to {image}",
                      [(service.name, lambda b: update_service_image(b, service.id, image))])

        self.app.push_screen(
            PromptScreen(f"New image for {service.name}:", service.image, validate=parse_image_reference,
                         suggestions=images),
            answered,
        )

    def _remove(self, services: list[ServiceInfo]) -> None:
        items = [
            Text.assemble(
                safe_text(s.name, style="bold"),
                (f"  {s.replicas_running} running task(s) stop", "yellow" if s.replicas_running else "dim"),
                ("  ", ""), safe_text(s.image, style="dim"),
            )
            for s in services
        ]
        self._confirm(
            f"Remove {len(services)} service(s)? Their tasks and containers go with them.",
            items,
            "Remove",
            lambda: self._run("removed services", [(s.name, lambda b, i=s.id: remove_service(b, i)) for s in services]),
        )

    # -------------------------------------------------------------- nodes

    def node(self, action: str, nodes: list[NodeInfo]) -> None:
        field, value, words = NODE_CHANGES[action]
        call = set_node_availability if field == "availability" else set_node_role
        steps = [(n.hostname, lambda b, i=n.id: call(b, i, value)) for n in nodes]
        if action in ("drain", "demote"):
            consequence = (
                "Their tasks stop and are moved to other nodes." if action == "drain"
                else "They stop being managers; the swarm needs a majority of managers up."
            )
            items = [Text.assemble(safe_text(n.hostname, style="bold"), ("  " + n.role, "dim")) for n in nodes]
            self._confirm(f"{action.capitalize()} {len(nodes)} node(s)? {consequence}", items, action.capitalize(),
                          lambda: self._run(f"{words} {len(nodes)} node(s)", steps))
            return
        self._run(f"{words} {len(nodes)} node(s)", steps)
