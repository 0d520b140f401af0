"""A timer that wakes only when something is due, not every second.

An idle dashboard had three one-second intervals (relative times, stats,
the engine watch): at 200 containers they were nearly all of its idle CPU,
though on most seconds none of them had anything to do. A ``DueClock``
sleeps until the moment its owner says the next thing is due, and anyone
who makes something due sooner (a new row, a scroll) wakes it earlier.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from time import monotonic

from textual.timer import Timer

from dockertui.throttle import TimerOwner

# Textual's one-shot timer divides by its delay: never ask for less.
MIN_DELAY_SECONDS = 0.02
# A wake this far overdue was held up (a busy loop) or dropped by Textual
# (its tick is skipped if the delay passed before its task began): a wake
# asked for meanwhile runs the clock at once, whatever it asks for.
OVERDUE_SECONDS = 1.0


class DueClock:
    """Runs ``tick`` at the times asked for with ``wake_at``; ``tick`` returns when (monotonic) it is due next.

    ``tick`` may return ``math.inf``: nothing is due until someone wakes the clock.
    """

    def __init__(self, owner: TimerOwner, tick: Callable[[], float]) -> None:
        self._owner, self._tick = owner, tick
        self._timer: Timer | None = None
        self._at = math.inf  # when the pending wake is (monotonic)
        self._token = 0  # the pending wake's; an older timer's tick is ignored

    @property
    def wakes_at(self) -> float:
        """When the clock runs next (monotonic), ``math.inf`` if not until woken."""
        return self._at

    def wake_at(self, when: float) -> None:
        """Make sure ``tick`` runs by ``when`` (monotonic); a wake already sooner stands."""
        now = monotonic()
        overdue = self._at < now - OVERDUE_SECONDS
        if when >= self._at and not overdue:
            return
        if self._timer is not None:
            self._timer.stop()
        self._at = min(when, now) if overdue else when
        self._token += 1
        self._timer = self._owner.set_timer(max(MIN_DELAY_SECONDS, self._at - now), partial(self._fire, self._token))

    def wake_within(self, seconds: float) -> None:
        self.wake_at(monotonic() + seconds)

    def _fire(self, token: int) -> None:
        # Textual hands a timer's tick to its owner as a message: one stopped after that still
        # comes, and must not run the clock (nor leave a second chain of timers behind).
        if token != self._token:
            return
        self._timer, self._at = None, math.inf
        self.wake_at(self._tick())
