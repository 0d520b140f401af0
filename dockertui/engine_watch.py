"""Engine calls that wait too long are said to, and so is how they end.

An engine that stops answering (its process stopped, a disk stalled, an
ssh link gone quiet) leaves an action's call waiting up to its HTTP timeout,
and the engine may still carry the action out once it answers. So each
action's calls are watched: past ``slow_after`` seconds the user is told
which action waits, and the header says the engine is not answering; when
the call ends at last, the user is told that too (its outcome follows as
the action's own report).
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING

from textual.timer import Timer

if TYPE_CHECKING:
    from textual.app import App

SLOW_SECONDS = 10.0


class EngineWatch:
    """The app's engine calls in flight, and which of them are overdue."""

    def __init__(self, app: App, on_change: Callable[[], None]) -> None:
        self.app = app
        self.slow_after = SLOW_SECONDS
        self._on_change = on_change
        self._calls: dict[int, tuple[str, float]] = {}
        self._overdue: set[int] = set()
        self._last = 0
        self._timer: Timer | None = None

    def started(self, what: str) -> int:
        """A call for ``what`` ("stop web") began; returns its token for ``ended``."""
        self._last += 1
        self._calls[self._last] = (what, monotonic())
        if self._timer is None:
            self._timer = self.app.set_interval(1.0, self._check)
        else:
            self._timer.resume()
        return self._last

    def ended(self, token: int) -> None:
        what, began = self._calls.pop(token, ("", monotonic()))
        if token in self._overdue:
            self._overdue.discard(token)
            self.app.notify(
                f"The engine answered after {monotonic() - began:.0f} s: {what}.",
                title="Engine", timeout=8, markup=False,
            )
            self._on_change()
        if not self._calls and self._timer is not None:
            self._timer.pause()

    @property
    def stalled_for(self) -> float | None:
        """How long the oldest overdue call has waited, or None when none is overdue."""
        now = monotonic()
        waits = [now - self._calls[token][1] for token in self._overdue if token in self._calls]
        return max(waits) if waits else None

    def forget(self) -> None:
        """Another engine: the calls to the old one no longer say anything about it."""
        self._calls.clear()
        self._overdue.clear()
        self._on_change()

    def _check(self) -> None:
        now = monotonic()
        for token, (what, began) in self._calls.items():
            if token not in self._overdue and now - began >= self.slow_after:
                self._overdue.add(token)
                self.app.notify(
                    f"The engine has not answered for {self.slow_after:.0f} s: {what}. Still waiting; "
                    "it may yet do this when it answers, and you will be told.",
                    title="Engine", severity="warning", timeout=15, markup=False,
                )
        if self._overdue:
            self._on_change()
