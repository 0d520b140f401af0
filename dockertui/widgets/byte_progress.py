"""A transfer counted in bytes: a bar, and "12.0 MB of about 40.0 MB · 8.0 MB/s" under it.

For save, export and load, where the engine reports no layers (pull and
push have transfer_progress.py). With no total known the bar pulses and
the line gives the bytes and the rate alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from dockertui.formatting import safe_text, size

# The rate is told once this many seconds of bytes are in: sooner it jumps about.
RATE_AFTER = 0.5


class ByteProgress(Vertical):
    """``show`` the bytes so far whenever they are read; ``waiting`` while none can be counted."""

    def __init__(self, *, id: str | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(id=id, classes="byte-progress")
        self._clock = clock
        self._first: tuple[float, int] | None = None

    def compose(self) -> ComposeResult:
        # A total, so it is still at first: a bar with none pulses, as if work went on.
        yield ProgressBar(total=1, show_eta=False, id="byte-bar")
        yield Static(id="byte-summary")

    def on_mount(self) -> None:
        self.display = False  # shown once something runs

    def reset(self) -> None:
        self.display = True
        self._first = None
        self.query_one(ProgressBar).update(total=1, progress=0)
        self.query_one("#byte-summary", Static).update("")

    def waiting(self, text: str) -> None:
        """Work under way that gives no count (the engine preparing): the bar pulses."""
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#byte-summary", Static).update(safe_text(text, style="italic"))

    def show(self, what: str, done: int, total: int = 0, estimate: bool = False) -> None:
        """``what`` ("Written"), ``done`` bytes of ``total`` (0: unknown; ``estimate``: about)."""
        now = self._clock()
        if self._first is None:
            self._first = (now, done)
        bar = self.query_one(ProgressBar)
        if total:
            bar.update(total=max(total, done), progress=done)
        else:
            bar.update(total=None, progress=0)
        line = f"{what} {size(done)}"
        if total:
            line += f" of {'about ' if estimate else ''}{size(max(total, done))}"
        since, at_first = self._first
        if now - since >= RATE_AFTER and done > at_first:
            line += f" · {size(round((done - at_first) / (now - since)))}/s"
        self.query_one("#byte-summary", Static).update(safe_text(line, style="italic"))

    def finish(self) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)

    def stop(self) -> None:
        """Failed or cancelled: the bar stays where it got to, no longer pulsing."""
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=0)
