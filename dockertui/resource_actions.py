"""What the Volumes and Networks keys do: create, remove (asking first), connect.

Bulk removal goes object by object: each failure is reported, the others
still go. Engine calls run in thread workers; outcomes come back as
``ActionFinished`` messages, and the lists update from the engine's events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable

from rich.text import Text

from dockertui.actions_base import Actions
from dockertui.backend import EngineError
from dockertui.backend.models import NetworkInfo, VolumeInfo
from dockertui.formatting import safe_text, size
from dockertui.messages import ActionFinished, VolumesChanged
from dockertui.parsing import check_name
from dockertui.screens.prompt import PromptScreen

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend


class ResourceActions(Actions):
    """The flows behind the Volumes and Networks panes."""

    WORKER_GROUP = "resource-actions"

    # ------------------------------------------------------------ volumes

    def volume(self, action: str, volumes: list[VolumeInfo]) -> None:
        if action == "create":
            self._prompt("New volume name:", lambda name: self._run(
                f"created volume {name}", [(name, lambda b: b.create_volume(name, self.app.scope_labels))]))
        elif action == "remove":
            users = self.app.dashboard.volumes.users
            items = [
                Text.assemble(
                    safe_text(v.name, style="bold"),
                    (f"  {size(v.size)}" if v.size >= 0 else "", "dim"),
                    ("  used by " + ", ".join(users[v.name]), "yellow") if users.get(v.name) else ("  unused", "dim"),
                )
                for v in volumes
            ]
            self._confirm(f"Remove {len(volumes)} volume(s)? Their data is deleted.", items, "Remove", lambda: self._run(
                "remove volumes", [(v.name, lambda b, n=v.name: b.remove_volume(n)) for v in volumes]))
        elif action == "sizes":
            self._in_thread(self._read_sizes)

    def _read_sizes(self, backend: DockerBackend) -> None:
        try:
            volumes = backend.list_volumes(with_sizes=True)
        except EngineError as error:
            self.app.post_message(ActionFinished("volume sizes", [("disk usage", str(error))], []))
            return
        message = VolumesChanged(volumes)
        message.generation = self.app.generation
        self.app.post_message(message)

    # ----------------------------------------------------------- networks

    def network(self, action: str, networks: list[NetworkInfo]) -> None:
        if action == "create":
            self._prompt("New network name (bridge driver):", lambda name: self._run(
                f"created network {name}", [(name, lambda b: b.create_network(name, "bridge", self.app.scope_labels))]))
        elif action == "remove":
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
                    ("  attached: " + ", ".join(members[n.name]), "yellow") if members.get(n.name) else ("  no containers", "dim"),
                )
                for n in removable
            ]
            self._confirm(f"Remove {len(removable)} network(s)?", items, "Remove", lambda: self._run(
                "remove networks", [(n.name, lambda b, i=n.id: b.remove_network(i)) for n in removable]))
        elif action in ("connect", "disconnect"):
            self._connect(action, networks[0])

    def _connect(self, action: str, network: NetworkInfo) -> None:
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

    # ------------------------------------------------------------- common

    def _prompt(self, title: str, then: Callable[[str], None]) -> None:
        def answered(value: str | None) -> None:
            if value and value.strip():
                then(value.strip())

        self.app.push_screen(PromptScreen(title, "", validate=check_name), answered)
