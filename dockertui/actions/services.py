"""What the Services keys do: create, scale, update the image, roll back, remove.

Engine calls run in thread workers and report with ``ActionFinished``; the
panes themselves change only when the engine's swarm events arrive, so what
is shown is always what the manager says.
"""

from __future__ import annotations

from rich.text import Text

from dockertui.actions.base import Actions, Handler
from dockertui.backend.swarm import (
    inspect_service,
    remove_service,
    rollback_service,
    scale_service,
    update_service_image,
)
from dockertui.backend.swarm_models import ServiceInfo
from dockertui.formatting import safe_text
from dockertui.parsing import parse_image_reference, parse_replicas
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.service_dialog import ServiceCreated, ServiceDialog
from dockertui.widgets.theme_roles import STATE_WAITING


class ServiceActions(Actions):
    """The flows behind the Swarm screen's Services pane."""

    WORKER_GROUP = "swarm-actions"

    def handlers(self) -> dict[str, Handler]:
        """``ServiceTable.ActionRequested``'s actions; each takes the services marked or selected."""
        return {
            "create": lambda _: self._create(),
            "scale": lambda services: self._scale(services[0]),
            "update_image": lambda services: self._update_image(services[0]),
            "rollback": lambda services: self._rollback(services[0]),
            "remove": self._remove,
            "inspect": lambda services: self._load_inspect(services[0]),
        }

    def _load_inspect(self, service: ServiceInfo) -> None:
        self._load_inspect_document(f"docker service inspect {service.name}", service.name,
                                    lambda backend: inspect_service(backend, service.id))

    def _rollback(self, service: ServiceInfo) -> None:
        if not service.can_rollback:
            self.app.notify(f"{service.name} has no previous spec to roll back to", severity="warning", markup=False)
            return
        self._confirm(
            f"Roll back {service.name} to its previous spec?",
            [safe_text(f"now: {service.image}, {service.replicas_desired} replica(s)")],
            "Roll back",
            lambda: self._run(f"rolled back {service.name}", [(service.name, lambda b: rollback_service(b, service.id))]),
        )

    def _create(self) -> None:
        images = self._images_here()

        def created(result: ServiceCreated | None) -> None:
            if result is not None:
                self.app.notify(f"Created service {result.spec.name or result.service_id[:12]}", markup=False)

        self.app.push_screen(ServiceDialog(images, labels=self.app.run_labels, engine=self.host), created)

    def _images_here(self) -> list[str]:
        """The image references this engine has, to suggest (a fleet's dashboard lists every engine's)."""
        return [tag.reference for tag in self.app.dashboard.images.items.values() if tag.host == self.host]

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
        images = self._images_here()

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
                (f"  {s.replicas_running} running task(s) stop", self.role_style(STATE_WAITING) if s.replicas_running else "dim"),
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
