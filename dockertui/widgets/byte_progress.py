"""A transfer counted in bytes: a bar, and "12.0 MB of about 40.0 MB · 8.0 MB/s" under it.

For save, export and load, where the engine reports no layers (pull and
push have transfer_progress.py), and for the wait of a commit. With no
total known the bar pulses and the line gives the bytes and the rate alone.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from dockertui.formatting import safe_text, size

# The rate is told once this many seconds of bytes are in: sooner it jumps about.
RATE_AFTER = 0.5


class ByteProgress(Vertical):
    """``show`` the bytes so far whenever they are read; ``waiting`` while none can be counted."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="byte-progress")
        # What is counted, and when and where its count began: the rate is from there.
        self._first: tuple[str, float, int] | None = None
        self._waiting = False

    def compose(self) -> ComposeResult:
        # A total, so it is still at first: a bar with none pulses, as if work went on.
        yield ProgressBar(total=1, show_eta=False, id="byte-bar")
        yield Static(id="byte-summary")

    def on_mount(self) -> None:
        self.display = False  # shown once something runs

    def reset(self) -> None:
        self.display = True
        self._first = None
        self._waiting = False
        self.query_one(ProgressBar).update(total=1, progress=0)
        self.query_one("#byte-summary", Static).update("")

    def waiting(self, text: str) -> None:
        """Work under way that gives no count (the engine preparing): the bar pulses."""
        self._waiting = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#byte-summary", Static).update(safe_text(text, style="italic"))

    def show(self, what: str, done: int, total: int = 0, estimate: bool = False) -> None:
        """``what`` ("Written"), ``done`` bytes of ``total`` (0: unknown; ``estimate``: about)."""
        self._waiting = False
        now = time.monotonic()
        if self._first is None or self._first[0] != what:
            self._first = (what, now, done)
        bar = self.query_one(ProgressBar)
        if total:
            bar.update(total=max(total, done), progress=done)
        else:
            bar.update(total=None, progress=0)
        line = f"{what} {size(done)}"
        if total:
            line += f" of {'about ' if estimate else ''}{size(max(total, done))}"
        _, since, at_first = self._first
        if now - since >= RATE_AFTER and done > at_first:
            line += f" · {size(round((done - at_first) / (now - since)))}/s"
        self.query_one("#byte-summary", Static).update(safe_text(line, style="italic"))

    def stop(self) -> None:
        """Failed or cancelled: the bar stays where it got to, no longer pulsing; a wait it told of is over."""
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=0)
        if self._waiting:
            self.query_one("#byte-summary", Static).update("")
