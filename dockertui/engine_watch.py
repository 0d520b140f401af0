"""Engine calls that wait too long are said to, can be given up on, and so is how they end.

An engine that stops answering (its process stopped, a disk stalled, an
ssh link gone quiet) leaves a call waiting up to its HTTP timeout, and the
engine may still carry an action out once it answers. So every request the
app sends is watched (the backend reports each one, from whatever thread
sends it): past ``slow_after`` seconds the header says the engine is not
answering. An action's calls are also watched by name: the user is told
which action waits, may stop waiting for it (``give_up``: its rows show
their real state again, a screen it was loading will not open), and is
told when the engine answers at last, waited for or not (its outcome
follows as the action's own report).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

SLOW_SECONDS = 10.0
GIVE_UP_KEY = "ctrl+g"


@dataclass
class Call:
    what: str  # "stop web"; "" for a request no action named
    began: float
    on_give_up: Callable[[], None] | None = None
    overdue: bool = False
    given_up: bool = False


class EngineWatch:
    """The app's engine calls in flight, and which of them are overdue.

    ``request_started``/``request_ended`` may be called from any thread; the
    rest from the UI thread.
    """

    def __init__(self, app: App, on_change: Callable[[], None]) -> None:
        self.app = app
        self.slow_after = SLOW_SECONDS
        self._on_change = on_change
        self._lock = threading.Lock()
        self._calls: dict[int, Call] = {}
        self._last = 0
        self._was_stalled = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: Timer | None = None
        # No call in flight: the timer is paused until the next call starts (an
        # idle app wakes for nothing), and that call wakes it.
        self._asleep = False

    def begin(self) -> None:
        """Look at the calls in flight every second from now on (the app is running), while there are any."""
        self._loop = asyncio.get_running_loop()
        self._timer = self.app.set_interval(1.0, self._check)

    def started(self, what: str, on_give_up: Callable[[], None] | None = None) -> int:
        """An action's call for ``what`` ("stop web") began; returns its token for ``ended``.

        ``on_give_up`` runs if the user stops waiting for it.
        """
        return self._add(Call(what, monotonic(), on_give_up))

    def request_started(self, allowance: float = 0.0) -> int:
        """A request went to the engine (any thread); returns its token for ``request_ended``.

        ``allowance``: seconds the engine may rightly spend on it (a stop's grace period).
        """
        return self._add(Call("", monotonic() + allowance))

    def request_ended(self, token: int) -> None:
        with self._lock:
            self._calls.pop(token, None)

    def _add(self, call: Call) -> int:
        with self._lock:
            self._last += 1
            self._calls[self._last] = call
            token = self._last
            wake, self._asleep = self._asleep, False
        if wake and self._loop is not None and self._timer is not None:
            try:
                self._loop.call_soon_threadsafe(self._timer.resume)  # looks at once, then each second
            except RuntimeError:
                pass  # the app's loop is closed: it has ended
        return token

    def ended(self, token: int) -> None:
        """An action's call is over, answered or failed."""
        with self._lock:
            call = self._calls.pop(token, None)
        if call is None or not call.overdue:
            return
        late = " (you had stopped waiting for it)" if call.given_up else ""
        self.app.notify(
            f"The engine answered after {monotonic() - call.began:.0f} s: {call.what}{late}.",
            title="Engine", timeout=8, markup=False,
        )
        self._check()

    @property
    def sleeping(self) -> bool:
        """Whether the watch's timer is paused: no call is in flight."""
        return self._asleep

    @property
    def stalled_for(self) -> float | None:
        """How long the oldest request past ``slow_after`` (and its allowance) has waited, or None."""
        now = monotonic()
        with self._lock:
            waits = [now - call.began for call in self._calls.values() if not call.what]
        oldest = max(waits, default=0.0)
        return oldest if oldest >= self.slow_after else None

    def give_up(self) -> None:
        """Stop waiting for the overdue actions: undo what shows them under way; their late end is still told."""
        with self._lock:
            calls = [call for call in self._calls.values() if call.overdue and call.what and not call.given_up]
            for call in calls:
                call.given_up = True
        if not calls:
            self.app.notify("No action is waiting for the engine.", timeout=4)
            return
        for call in calls:
            if call.on_give_up is not None:
                call.on_give_up()
        self.app.notify(
            "Stopped waiting for: " + "; ".join(call.what for call in calls)
            + ". The engine may still do it when it answers: the list will show it, and you will be told.",
            title="Engine", severity="warning", timeout=12, markup=False,
        )

    def forget(self) -> None:
        """Another engine: the calls to the old one no longer say anything about it."""
        with self._lock:
            self._calls.clear()
        self._check()

    def _check(self) -> None:
        now = monotonic()
        # An action is overdue once the engine has let one of its requests wait
        # too long, not merely because the action takes long (a stop's grace period).
        stalled = self.stalled_for is not None
        with self._lock:
            newly = [call for call in self._calls.values()
                     if stalled and call.what and not call.overdue and now - call.began >= self.slow_after]
            for call in newly:
                call.overdue = True
        for call in newly:
            self.app.notify(
                f"The engine has not answered for {self.slow_after:.0f} s: {call.what}. Still waiting "
                f"({GIVE_UP_KEY} stops waiting); if it does this later, you will be told.",
                title="Engine", severity="warning", timeout=15, markup=False,
            )
        if stalled or stalled != self._was_stalled:
            self._was_stalled = stalled
            self._on_change()  # the header counts the seconds
        with self._lock:
            # Paused inside the lock: a call that starts now sees the flag and resumes it after this.
            if not self._calls and not stalled and self._timer is not None:
                self._asleep = True
                self._timer.pause()
