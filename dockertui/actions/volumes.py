"""What the Volumes keys do: create, remove (asking first, saying what uses each), sizes.

Bulk removal goes volume by volume: each failure is reported, the others
still go. The list updates from the engine's events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from dockertui.actions.base import Actions, Handler
from dockertui.backend import EngineError
from dockertui.backend.models import VolumeInfo
from dockertui.formatting import safe_text, size
from dockertui.messages import ActionFinished, VolumesChanged
from dockertui.widgets.theme_roles import STATE_WAITING

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend


class VolumeActions(Actions):
    """The flows behind the Volumes pane."""

    WORKER_GROUP = "resource-actions"

    def handlers(self) -> dict[str, Handler]:
        """``VolumeTable.ActionRequested``'s actions; each takes the volumes marked or selected."""
        return {
            "create": lambda _: self._ask_name("New volume name:", self.create),
            "remove": self.remove,
            "sizes": lambda _: self._in_thread(self._read_sizes),
        }

    def create(self, name: str) -> None:
        self._run(f"created volume {name}", [(name, lambda b: b.create_volume(name, self.app.scope_labels))])

    def remove(self, volumes: list[VolumeInfo]) -> None:
        users = self.app.dashboard.volumes.users
        items = [
            Text.assemble(
                safe_text(v.name, style="bold"),
                (f"  {size(v.size)}" if v.size >= 0 else "", "dim"),
                ("  used by " + ", ".join(users[v.name]), self.role_style(STATE_WAITING)) if users.get(v.name) else ("  unused", "dim"),
            )
            for v in volumes
        ]
        self._confirm(f"Remove {len(volumes)} volume(s)? Their data is deleted.", items, "Remove", lambda: self._run(
            "remove volumes", [(v.name, lambda b, n=v.name: b.remove_volume(n)) for v in volumes]))

    def _read_sizes(self, backend: DockerBackend) -> None:
        try:
            volumes = backend.list_volumes(with_sizes=True)
        except EngineError as error:
            self.app.post_message(ActionFinished("volume sizes", [("disk usage", str(error))], []))
            return
        message = VolumesChanged(volumes)
        message.generation = self.app.generation
        self.app.post_message(message)
