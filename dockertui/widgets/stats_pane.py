"""The Stats tab: the selected container's usage now, and its recent history."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Sparkline, Static

from dockertui.backend import ContainerInfo
from dockertui.backend.models import StatsSample
from dockertui.formatting import safe_text, size

HISTORY = 60


def format_cpu(sample: StatsSample | None) -> str:
    if sample is None or sample.cpu_percent is None:
        return "…"
    return f"{sample.cpu_percent:.1f}%"


def format_memory(sample: StatsSample | None) -> str:
    if sample is None:
        return "…"
    return size(sample.memory_used)


class StatsPane(VerticalScroll):
    """Figures and sparklines for one container; history is kept per container."""

    def __init__(self, interval: float = 1.0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.interval = interval  # seconds between two samples: the graphs' time scale
        self.container: ContainerInfo | None = None
        self.history: dict[str, deque[StatsSample]] = {}
        # Hidden, the figures wait for on_show: a hidden pane's new text still costs the screen a layout.
        self._on_screen = False
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static(id="stats-figures")
        yield Label("CPU", id="stats-cpu-label", classes="stats-label")
        yield Sparkline([], id="stats-cpu")
        yield Label("Memory", id="stats-memory-label", classes="stats-label")
        yield Sparkline([], id="stats-memory")

    def on_mount(self) -> None:
        self._show_figures()

    def show(self, container: ContainerInfo | None) -> None:
        self.container = container
        self._show_figures_if_shown()

    def on_show(self) -> None:
        self._on_screen = True
        if self._stale:
            self._show_figures()

    def on_hide(self) -> None:
        self._on_screen = False

    def add_samples(self, samples: dict[str, StatsSample]) -> None:
        """Readings by row key (the container's id, with its engine's name in a fleet)."""
        for key, sample in samples.items():
            self.history.setdefault(key, deque(maxlen=HISTORY)).append(sample)
        if self.container is not None and self.container.key in samples:
            self._show_figures_if_shown()

    def _show_figures_if_shown(self) -> None:
        if self._on_screen:
            self._show_figures()
        else:
            self._stale = True

    def forget(self, live_ids: set[str]) -> None:
        """Drop the history of containers that are gone."""
        for container_id in [cid for cid in self.history if cid not in live_ids]:
            del self.history[container_id]

    def _show_figures(self) -> None:
        self._stale = False
        figures = self.query_one("#stats-figures", Static)
        container = self.container
        if container is None:
            figures.update(Text("No container selected", style="dim"))
            self._spark([], [])
            return
        samples = list(self.history.get(container.key, ()))
        latest = samples[-1] if samples else None
        text = Text.assemble(safe_text(container.name, style="bold reverse"), "\n\n")
        if container.state != "running":
            text.append(f"not running ({container.state})\n", style="dim")
        elif latest is None:
            text.append("reading…\n", style="dim")
        else:
            rows = [
                ("CPU", format_cpu(latest)),
                ("Memory", f"{size(latest.memory_used)} / {size(latest.memory_limit)}  ({latest.memory_percent:.1f}%)"),
                ("Net I/O", f"{size(latest.net_rx)} in / {size(latest.net_tx)} out"),
                ("Block I/O", f"{size(latest.block_read)} read / {size(latest.block_write)} written"),
                ("PIDs", str(latest.pids)),
            ]
            for label, value in rows:
                text.append(f"{label:<10}", style="bold")
                text.append(f"{value}\n")
        figures.update(text)
        self._spark(
            [s.cpu_percent for s in samples if s.cpu_percent is not None],
            [s.memory_used for s in samples],
        )

    def _spark(self, cpu: list[float], memory: list[int]) -> None:
        # No samples draw nothing (a lone 0 would draw as a full bar).
        self.query_one("#stats-cpu", Sparkline).data = cpu
        self.query_one("#stats-memory", Sparkline).data = memory
        # A sparkline spans its lowest to its highest value: say what those are, and over how long.
        self.query_one("#stats-cpu-label", Label).update(
            graph_label("CPU", cpu, lambda value: f"{value:.1f}%", self.interval)
        )
        self.query_one("#stats-memory-label", Label).update(graph_label("Memory", memory, size, self.interval))


def graph_label(name: str, values: list, unit: Callable[[Any], str], interval: float) -> Text:
    """"CPU  0.2% to 12.5%, last 60 s": the scale of the graph under it."""
    text = Text(name, style="bold")
    if values:
        span = len(values) * interval
        text.append(f"  {unit(min(values))} to {unit(max(values))}, last {span:.0f} s", style="dim")
    return text
