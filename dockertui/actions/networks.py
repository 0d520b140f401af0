"""What the Networks keys do: create, remove (asking first), attach and detach a container.

Bulk removal goes network by network: each failure is reported, the others
still go. The list updates from the engine's events.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text

from dockertui.actions.base import Actions, Handler
from dockertui.backend.models import NetworkInfo
from dockertui.formatting import safe_text
from dockertui.screens.prompt import PromptScreen
from dockertui.widgets.theme_roles import STATE_WAITING


class NetworkActions(Actions):
    """The flows behind the Networks pane."""

    WORKER_GROUP = "resource-actions"

    def handlers(self) -> dict[str, Handler]:
        """``NetworkTable.ActionRequested``'s actions; each takes the networks marked or selected."""
        return {
            "create": lambda _: self._ask_name("New network name (bridge driver):", self.create),
            "remove": self.remove,
            "connect": partial(self._connect, "connect"),
            "disconnect": partial(self._connect, "disconnect"),
        }

    def create(self, name: str) -> None:
        self._run(f"created network {name}",
                  [(name, lambda b: b.create_network(name, "bridge", self.app.scope_labels))])

    def remove(self, networks: list[NetworkInfo]) -> None:
        fixed = [n.name for n in networks if n.is_predefined]
        if fixed:
            self.app.notify(f"{', '.join(fixed)}: predefined networks cannot be removed", severity="warning")
        removable = [n for n in networks if not n.is_predefined]
        if not removable:
            return
        members = self.app.dashboard.networks.members
        items = [
            Text.assemble(
                safe_text(n.name, style="bold"),
                ("  attached: " + ", ".join(members[n.name]), self.role_style(STATE_WAITING)) if members.get(n.name) else ("  no containers", "dim"),
            )
            for n in removable
        ]
        self._confirm(f"Remove {len(removable)} network(s)?", items, "Remove", lambda: self._run(
            "remove networks", [(n.name, lambda b, i=n.id: b.remove_network(i)) for n in removable]))

    def _connect(self, action: str, networks: list[NetworkInfo]) -> None:
        network = networks[0]
        containers = {c.name: c.id for c in self.app.dashboard.containers.items.values()}
        members = self.app.dashboard.networks.members.get(network.name, [])
        choices = members if action == "disconnect" else [n for n in containers if n not in members]

        def check(value: str) -> None:
            if value.strip() not in containers:
                raise ValueError(f"no container named {value.strip()!r}")

        def answered(name: str | None) -> None:
            if not name:
                return
            container_id = containers[name.strip()]
            method = "connect_network" if action == "connect" else "disconnect_network"
            self._run(f"{action}ed {name.strip()} {'to' if action == 'connect' else 'from'} {network.name}",
                      [(name.strip(), lambda b: getattr(b, method)(network.id, container_id))])

        verb = "Attach a container to" if action == "connect" else "Detach a container from"
        self.app.push_screen(
            PromptScreen(f"{verb} {network.name}:", "", placeholder="container name", validate=check, suggestions=choices),
            answered,
        )
