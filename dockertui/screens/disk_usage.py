"""``docker system df``: images, containers, local volumes and build cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from dockertui.backend import EngineError
from dockertui.backend.cleanup import DiskUsage, DiskUsageRow, LabelFilter, disk_usage
from dockertui.formatting import ERROR, cell, safe_text, size, themed
from dockertui.screens.cleanup import CleanupScreen, describe_filter
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.cursor_keys import RowTable
from dockertui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

ROW_KEYS = {"Images": "images", "Containers": "containers", "Local Volumes": "volumes", "Build Cache": "build_cache"}


def reclaimable_text(row: DiskUsageRow) -> str:
    """``1.9 MB (99%)``, as ``docker system df``; no percentage of nothing."""
    return f"{size(row.reclaimable)} ({row.percent}%)" if row.size > 0 else size(row.reclaimable)


class DiskUsageScreen(OnEngine, Screen[None]):
    """Count, active count, size and reclaimable space per kind of object."""

    DEFAULT_CSS = """
    DiskUsageScreen #disk-scope, DiskUsageScreen #disk-status, DiskUsageScreen #disk-note {
        height: auto;
        padding: 0 1;
    }
    DiskUsageScreen #disk-table {
        height: auto;
        margin: 1 0;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="disk-close"),
        Binding("r", "reload", "Recompute", id="disk-reload"),
        Binding("c", "cleanup", "Clean up…", id="disk-cleanup", tooltip="Open the cleanup screen with the same scope"),
    ]

    class Loaded(Message):
        """The engine's disk usage, read in a thread."""

        def __init__(self, usage: DiskUsage) -> None:
            super().__init__()
            self.usage = usage

    class Failed(Message):
        """The engine could not say."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, label_filter: LabelFilter | None = None) -> None:
        super().__init__()
        self.label_filter = dict(label_filter) if label_filter else None
        self.usage: DiskUsage | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(describe_filter(self.label_filter), id="disk-scope")
        yield Static(Text("computing…", style="italic"), id="disk-status")
        yield RowTable(id="disk-table", cursor_type="row")
        yield Static(id="disk-note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Disk usage on {self.engine_host}" if self.engine_host else "Disk usage"
        table = self.query_one(DataTable)
        table.add_column("Type", key="type", width=14)
        table.add_column("Total", key="total", width=7)
        table.add_column("Active", key="active", width=7)
        table.add_column("Size", key="size", width=10)
        table.add_column("Reclaimable", key="reclaimable", width=18)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        backend = self.engine_backend
        if backend is None:
            self._status(themed("Not connected to an engine", ERROR))
            return
        self._status(Text("computing…", style="italic"))
        self._load_usage(backend)

    @work(thread=True, exclusive=True, group="disk-usage", exit_on_error=False)
    def _load_usage(self, backend: DockerBackend) -> None:
        try:
            usage = disk_usage(backend, self.label_filter)
        except EngineError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Loaded(usage))

    def on_disk_usage_screen_loaded(self, message: Loaded) -> None:
        self.usage = message.usage
        table = self.query_one(DataTable)
        with self.app.batch_update():
            for row in message.usage.rows:
                key = ROW_KEYS.get(row.type, row.type)
                cells = (
                    cell(row.type, style="bold"),
                    cell(str(row.total), sort_key=row.total),
                    cell(str(row.active), sort_key=row.active),
                    cell(size(row.size), sort_key=row.size),
                    cell(reclaimable_text(row), sort_key=row.reclaimable),
                )
                if key in table.rows:
                    for column, value in zip(("type", "total", "active", "size", "reclaimable"), cells):
                        table.update_cell(key, column, value)
                else:
                    table.add_row(*cells, key=key)
        self.query_one("#disk-note", Static).update(safe_text(message.usage.note, style="dim"))
        self._status(Text("c opens the cleanup screen · r recomputes", style="dim"))

    def on_disk_usage_screen_failed(self, message: Failed) -> None:
        self._status(Content.assemble(("Could not read disk usage: ", ERROR), themed(message.reason)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self._status(Content.assemble(("Stopped by an error: ", ERROR), themed(f"{type(error).__name__}: {error}")))

    def _status(self, text: Text | Content) -> None:
        self.query_one("#disk-status", Static).update(text)

    def action_cleanup(self) -> None:
        # Back here afterwards, the figures are stale: recompute them.
        self.app.push_screen(CleanupScreen(label_filter=self.label_filter).on_engine(self.engine_host), lambda _: self.action_reload())

    def action_close(self) -> None:
        self.dismiss(None)
