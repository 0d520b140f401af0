"""The dashboard's CPU and memory figures: which containers to sample, and one poll at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.timer import Timer
from textual.widgets import TabbedContent

from dockertui.backend.stats import StatsReader
from dockertui.fleet import backend_on
from dockertui.messages import StatsRead
from dockertui.widgets.stats_pane import StatsPane
from dockertui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dockertui.backend import ContainerInfo
    from dockertui.widgets.container_table import ContainerTable


class StatsPolling(ReportsWorkerErrors):
    """Mixed into the dashboard: polls ``docker stats`` for the Stats tab and the stats columns.

    The engine's stats stream cannot be closed, so each poll is a one-shot
    read of the containers that show. One interval timer looks each second;
    it is paused while a read is out, so reads never overlap. (A fresh
    set_timer every second cost Textual a signature() of its new partial:
    most of an idle second's work.) With the stats columns off and the Stats
    tab not shown it sleeps, until either wakes it (``wake_stats_polling``).
    """

    _stats_asleep = False

    _stats_interval: float
    _stats_timer: Timer
    _stats_readers: dict[str, StatsReader]  # one per engine: a fleet's rows are read from their own
    containers: ContainerTable
    selected_container: ContainerInfo | None

    def _stats_wanted(self) -> list[str]:
        """Which containers to sample, by row key: visible rows (if the columns are on) and the Stats tab's."""
        wanted = self.containers.visible_running_ids() if self.containers.show_stats else []
        if self.query_one("#object", TabbedContent).active == "stats-tab":
            selected = self.selected_container
            if selected is not None and selected.state == "running":
                wanted.append(selected.key)
        return wanted

    def start_stats_polling(self) -> None:
        self._stats_timer = self.set_interval(self._stats_interval, self._poll_stats)
        self.watch(self.containers, "show_stats", lambda _: self.wake_stats_polling(), init=False)

    def _stats_possible(self) -> bool:
        """Whether anything may be sampled: the stats columns are on, or the Stats tab is shown."""
        return self.containers.show_stats or self.query_one("#object", TabbedContent).active == "stats-tab"

    @property
    def stats_sleeping(self) -> bool:
        """Whether the poll sleeps until the columns or the Stats tab come on."""
        return self._stats_asleep

    def wake_stats_polling(self) -> None:
        """The columns or the Stats tab may have come on: poll at once, and each interval from then."""
        if self._stats_asleep and self._stats_possible():
            self._stats_asleep = False
            self._stats_timer.resume()

    def _poll_stats(self) -> None:
        """One poll at a time: the timer waits until this one is done."""
        if not self._stats_possible():
            self._stats_asleep = True
            self._stats_timer.pause()
            return
        wanted = self._stats_wanted() if self.app.screen is self else []
        rounds = []
        for host, keys in self._keys_by_host(wanted).items():
            backend = backend_on(self.app, host)
            if backend is None:
                continue
            reader = self._stats_readers.get(host)
            if reader is None or reader.backend is not backend:
                if reader is not None:
                    reader.close()
                reader = self._stats_readers[host] = StatsReader(backend)
            rounds.append((reader, keys))
        if rounds:
            self._stats_timer.pause()
            self._read_stats(rounds)

    def _keys_by_host(self, keys: list[str]) -> dict[str, dict[str, str]]:
        """Engine -> (container id -> row key)."""
        by_host: dict[str, dict[str, str]] = {}
        for key in keys:
            item = self.containers.items.get(key)
            if item is not None:
                by_host.setdefault(item.host, {})[item.id] = key
        return by_host

    def close_stats_readers(self) -> None:
        for reader in self._stats_readers.values():
            reader.close()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _read_stats(self, rounds: list[tuple[StatsReader, dict[str, str]]]) -> None:
        samples = {}
        try:
            for reader, keys in rounds:
                read = reader.read(list(keys))
                samples.update((keys[container_id], sample) for container_id, sample in read.items())
        finally:
            # The reply re-arms the next poll; a screen that is gone gets no reply.
            self.post_message(StatsRead(samples))

    def on_stats_read(self, message: StatsRead) -> None:
        # From the start: a full interval after this reply, however long the read took.
        self._stats_timer.reset()
        self.containers.apply_stats(message.samples)
        stats = self.query_one(StatsPane)
        stats.add_samples(message.samples)
        stats.forget(set(self.containers.items))

    def action_toggle_stats(self) -> None:
        self.containers.show_stats = not self.containers.show_stats
        self.notify(f"Stats columns {'on' if self.containers.show_stats else 'off'}", timeout=2)

