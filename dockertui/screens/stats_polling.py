"""The dashboard's CPU and memory figures: which containers to sample, and one poll at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import TabbedContent

from dockertui.backend.stats import StatsReader
from dockertui.messages import StatsRead
from dockertui.widgets.stats_pane import StatsPane
from dockertui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dockertui.backend import ContainerInfo
    from dockertui.widgets.container_table import ContainerTable


class StatsPolling(ReportsWorkerErrors):
    """Mixed into the dashboard: polls ``docker stats`` for the Stats tab and the stats columns.

    The engine's stats stream cannot be closed, so each poll is a one-shot
    read of the containers that show, re-armed only once it has answered.
    """

    _stats_interval: float
    _stats_reader: StatsReader | None = None
    containers: ContainerTable
    selected_container: ContainerInfo | None

    def _stats_wanted(self) -> list[str]:
        """Which containers to sample: visible rows (if the columns are on) and the Stats tab's."""
        wanted = self.containers.visible_running_ids() if self.containers.show_stats else []
        if self.query_one("#object", TabbedContent).active == "stats-tab":
            selected = self.selected_container
            if selected is not None and selected.state == "running":
                wanted.append(selected.id)
        return wanted

    def _poll_stats(self) -> None:
        """One poll at a time: the next is armed only when this one is done."""
        backend = self.app.backend
        wanted = self._stats_wanted() if self.app.screen is self else []
        if backend is None or not wanted:
            self.set_timer(self._stats_interval, self._poll_stats)
            return
        if self._stats_reader is None or self._stats_reader.backend is not backend:
            if self._stats_reader is not None:
                self._stats_reader.close()
            self._stats_reader = StatsReader(backend)
        self._read_stats(self._stats_reader, wanted)

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _read_stats(self, reader: StatsReader, container_ids: list[str]) -> None:
        samples = {}
        try:
            samples = reader.read(container_ids)
        finally:
            # The reply re-arms the next poll; a screen that is gone gets no reply.
            self.post_message(StatsRead(samples))

    def on_stats_read(self, message: StatsRead) -> None:
        self.set_timer(self._stats_interval, self._poll_stats)
        self.containers.apply_stats(message.samples)
        stats = self.query_one(StatsPane)
        stats.add_samples(message.samples)
        stats.forget(set(self.containers.items))

    def action_toggle_stats(self) -> None:
        self.containers.show_stats = not self.containers.show_stats
        self.notify(f"Stats columns {'on' if self.containers.show_stats else 'off'}", timeout=2)

