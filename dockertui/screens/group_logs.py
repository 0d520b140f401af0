"""Several containers' logs as one, over the whole screen: ``docker compose logs -f``.

Opened with ``L`` on a Compose project's screen. The lines of every
container are merged in time order, each prefixed with its container's
name in a colour of its own; search, filter, since, timestamps and save
work as in the Logs tab. The members follow the project: a container that
``up`` makes joins, one that ``down`` removes leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from dockertui.backend import ContainerInfo
from dockertui.backend.merged_logs import ContainerGroup
from dockertui.formatting import clean
from dockertui.widgets.key_bar import KeyBar
from dockertui.widgets.log_pane import LogPane

# Which containers a screen follows, out of every container the engine has now.
Members = Callable[[Iterable[ContainerInfo]], ContainerGroup]


class GroupLogsScreen(Screen[None]):
    """One merged log of a group of containers; Esc goes back."""

    engine_host = ""  # in a fleet, the engine its containers are on

    BINDINGS = [
        Binding("escape", "back", "Back", id="group-logs-back", tooltip="back to where the log was opened"),
    ]

    def __init__(self, group: ContainerGroup, members: Members, log_tail: int = 500, log_max_lines: int = 10_000):
        super().__init__(classes="group-logs")
        self.group = group
        self._members = members
        self._log_tail = log_tail
        self._log_max_lines = log_max_lines

    def compose(self) -> ComposeResult:
        yield Header()
        yield LogPane(tail=self._log_tail, max_lines=self._log_max_lines, id="group-logs")
        yield KeyBar()

    @property
    def logs(self) -> LogPane:
        return self.query_one(LogPane)

    def on_mount(self) -> None:
        self.sub_title = clean(f"docker logs -f, merged: {self.group.name}")
        self.logs.follow(self.group if self.group.members else None)
        self.logs.view.focus()

    def update_containers(self, every_container: Iterable[ContainerInfo]) -> None:
        """The engine's containers changed: follow the group's members as they are now."""
        self.group = self._members(every_container)
        if self.is_mounted:
            self.logs.follow(self.group if self.group.members else None)

    def action_back(self) -> None:
        self.app.pop_screen()
