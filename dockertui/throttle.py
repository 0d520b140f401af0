"""Work that a burst asks for many times, done at most once per interval.

A bulk remove of 1,000 containers changes the list a few hundred times in a
few seconds. Re-titling the tabs at each change lays out the whole screen
again, and re-reading the details of each row the cursor lands on renders
the right-hand pane again, all on the UI thread that also answers the keys.
Nobody reads a count that changes fifty times a second, so such work runs
at once when it has been quiet, and otherwise once when the interval is up,
with the state of that moment: the last word is never lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from textual.timer import Timer


class TimerOwner(Protocol):
    def set_timer(self, delay: float, callback: Callable[[], object]) -> Timer: ...


class Throttled:
    """Calling it runs ``work`` now, or, if it ran less than ``every`` seconds ago, once when that is up.

    With ``settle``, a burst runs it once more only when it has been quiet for
    ``every`` seconds (but at least every ``longest`` seconds, if given): for
    what shows one object of many that come and go.
    """

    def __init__(self, owner: TimerOwner, every: float, work: Callable[[], object], settle: bool = False,
                 longest: float | None = None) -> None:
        self._owner, self._every, self._work, self._settle, self._longest = owner, every, work, settle, longest
        self._last = float("-inf")
        self._busy_since: float | None = None  # settling: when the burst began
        self._timer: Timer | None = None

    def __call__(self) -> None:
        now = time.monotonic()
        if self._settle and now - self._last < self._every:
            if self._busy_since is None:
                self._busy_since = self._last
            self._last = now  # still busy: the quiet is counted from here
            self.cancel()
            if self._longest is not None and now - self._busy_since >= self._longest:
                self.now()
            else:
                self._timer = self._owner.set_timer(self._every, self.now)
            return
        if self._timer is not None:
            return  # already due: it will see this change too
        wait = self._last + self._every - now
        if wait <= 0:
            self.now()
        else:
            self._timer = self._owner.set_timer(wait, self.now)

    def now(self) -> None:
        """Run it now (a user's own move must not wait), and drop a pending run."""
        self.cancel()
        self._last = time.monotonic()
        self._busy_since = None
        self._work()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
