"""``C``: the docker CLI's contexts; Enter reconnects to the one under the cursor, or to those ticked (a fleet)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from dockertui.backend.connection import ContextInfo, EngineTarget, list_contexts
from dockertui.fleet import FleetEntry, name_entries
from dockertui.formatting import cell, clean, safe_text
from dockertui.widgets.cursor_keys import RowTable
from dockertui.widgets.theme_roles import ERROR_TEXT, OK, ThemeRoles
from dockertui.worker_errors import ReportsWorkerErrors

CONNECTED_MARK = "●"


TICK = "✓"


def is_connected_to(info: ContextInfo, targets: list[EngineTarget]) -> bool:
    """Whether ``info`` is an engine the app is on now."""
    return any(target.context is not None and info.name == target.context for target in targets)


class ContextsScreen(ThemeRoles, ReportsWorkerErrors, ModalScreen[list[FleetEntry] | None]):
    """Lists every context, marks those in use, and switches on Enter; space ticks several for a fleet."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="contexts-close"),
        Binding("enter", "switch", "Connect", id="contexts-switch",
                tooltip="Reconnect to the contexts ticked (several: a fleet), else to the one under the cursor"),
        Binding("space", "tick", "Tick", id="contexts-tick", tooltip="Tick a context: Enter then follows every one ticked"),
        Binding("r", "reload", "Reload", id="contexts-reload", tooltip="Read the contexts again"),
    ]

    class Loaded(Message):
        """The contexts were read from the docker CLI's config."""

        def __init__(self, contexts: list[ContextInfo]) -> None:
            super().__init__()
            self.contexts = contexts

    def __init__(self, target: EngineTarget, fleet: list[EngineTarget] | None = None) -> None:
        """``fleet``: the engines followed now, when several."""
        super().__init__(id="contexts")
        self._target = target
        self._followed = fleet or [target]
        self._contexts: dict[str, ContextInfo] = {}
        self.ticked: list[str] = [t.context for t in fleet or [] if t.context]

    def compose(self) -> ComposeResult:
        with Vertical(id="contexts-box"):
            yield Static(Text("Docker contexts", style="bold"), id="contexts-title")
            yield Static(id="contexts-current")
            yield RowTable(id="contexts-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                Text(f"Enter connects · space ticks several (a fleet) · {CONNECTED_MARK} in use · * docker CLI's current"
                     " · r reload · Esc closes", style="dim"),
                id="contexts-keys",
            )

    def on_mount(self) -> None:
        if len(self._followed) > 1:
            current = Text.assemble(("Following  ", "bold"), safe_text(", ".join(t.display for t in self._followed)))
        else:
            current = Text.assemble(("Connected to  ", "bold"), safe_text(self._target.display),
                                    (f"  (from {self._target.source})", "dim"))
        self.query_one("#contexts-current", Static).update(current)
        table = self.query_one(DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column("", key="tick", width=1)
        table.add_column("Name", key="name", width=18)
        table.add_column("Description", key="description", width=26)
        table.add_column("Docker endpoint", key="endpoint", width=40)
        table.focus()
        self._load_contexts()

    @work(thread=True, exclusive=True, group="contexts", exit_on_error=False)
    def _load_contexts(self) -> None:
        self.post_message(self.Loaded(list_contexts()))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self._contexts = {info.name: info for info in message.contexts}
        cursor = 0
        for index, info in enumerate(message.contexts):
            connected = is_connected_to(info, self._followed)
            if connected:
                cursor = index
            name = info.name + (" *" if info.is_cli_current else "")
            endpoint = cell(info.url) if info.error is None else cell(info.error, style=self.role_style(ERROR_TEXT))
            table.add_row(
                Text(CONNECTED_MARK if connected else "", style=self.role_style(OK) + Style(bold=True)),
                Text(TICK if info.name in self.ticked else "", style="bold"),
                cell(name, style="bold" if connected else ""),
                cell(info.description, style="dim"),
                endpoint,
                key=info.name,
            )
        table.move_cursor(row=cursor)

    def action_reload(self) -> None:
        self._load_contexts()

    def _cursor_context(self) -> ContextInfo | None:
        table = self.query_one(DataTable)
        if not self._contexts or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self._contexts.get(key or "")

    def _usable(self, info: ContextInfo) -> bool:
        if info.target is None:
            self.notify(clean(info.error or "unusable context"), title=clean(f"Context {info.name}"), severity="error", markup=False)
        return info.target is not None

    def action_tick(self) -> None:
        info = self._cursor_context()
        if info is None or not self._usable(info):
            return
        if info.name in self.ticked:
            self.ticked.remove(info.name)
        else:
            self.ticked.append(info.name)
        self.query_one(DataTable).update_cell(info.name, "tick", Text(TICK if info.name in self.ticked else "", style="bold"))

    def action_switch(self) -> None:
        chosen = [self._contexts[name] for name in self.ticked if name in self._contexts]
        if not chosen:
            info = self._cursor_context()
            if info is None or not self._usable(info):
                return
            chosen = [info]
        # The app switches once this screen is gone (its callback).
        self.dismiss(name_entries((info.name, info.target) for info in chosen if info.target is not None))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_switch()

    def action_dismiss(self) -> None:
        self.dismiss(None)
