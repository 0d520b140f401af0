"""Type-ahead: keys typed faster than the UI reacts go where the previous key led.

Textual forwards each key to the focused widget's queue and moves on to the
next key at once. A key that opens an input (``/``, ``n``, ``:``) does so only
when its binding runs, after the key has bubbled back up to the app; by then
the keys behind it were already forwarded to the list, where single letters
are actions. A filter typed quickly would stop a container.

So the app lets one key (or paste) through at a time. After a key is
forwarded, a probe message follows it down the same path. Messages between
two pumps keep their order, so when the probe is back the key's handling is
done, and so is any message its action posted along that path (a table's
``ActionRequested``, a ``FilterRequested``). Another probe is then sent from
wherever focus now is; a newly pushed screen handles it only after it has
composed and mounted. The next key is let through once a probe comes back
and neither the screen nor the focus changed while it travelled.

An action that opens its input only after a worker (run again, inspect)
calls ``hold``: keys wait until that screen is up, and are dropped, never
sent to the list, if it does not come.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING

from textual import events
from textual.dom import NoScreen
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

# While keys wait, this often the app looks for a probe lost with the screen
# that was to carry it (a dialog closed by the very key it follows)...
CHECK_SECONDS = 0.05
# ...and one not back after this long is sent again, whatever the reason.
PROBE_RESCUE_SECONDS = 0.5
# How long keys wait for a screen that a worker is to open.
HOLD_SECONDS = 5.0
# Focus left on a hidden widget is given this many probes to move on.
MAX_PROBES = 12


class TypeAheadProbe(Message, bubble=True):
    """Follows a key through the widgets; back at the app, that key is handled."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


@dataclass
class Hold:
    """Keys wait for a screen a worker is loading; ``cancelled`` once they stopped waiting."""

    what: str
    deadline: float
    cancelled: bool = False


class TypeAhead:
    """Lets the app's keys and pastes through one at a time, each once the last one's effect is in place."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._busy = False
        self._token = 0
        # The screen and focus the last probe left with, when, and how many went out for this key.
        self._sent_with: tuple[object, object] | None = None
        self._sent_at = 0.0
        self._sent_to: DOMNode | None = None
        self._probes = 0
        self._hold: Hold | None = None
        self._current: events.Event | None = None
        self._watch: Timer | None = None
        # When the key being settled was typed: a screen it opens takes the keys typed after it.
        self.key_time: float | None = None

    # ----------------------------------------------------------- the app's side

    def admit(self, event: events.Event) -> bool:
        """Whether the app may dispatch this event now; one held back comes from ``probe_returned``."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return True
        if self._busy or self._waiting:
            self._waiting.append(event)
            if self._hold is not None and isinstance(event, events.Key) and event.key == "escape":
                self._end_hold("Esc was pressed")
            return False
        return self._take(event)

    def dispatched(self, event: events.Event) -> None:
        """``event`` has been dispatched: if it is the key being settled, follow it with a probe."""
        if event is self._current and self._hold is None:
            self._current = None
            self._send_probe()

    def probe_returned(self, probe: TypeAheadProbe) -> events.Key | events.Paste | None:
        """A probe is back; returns the next waiting event if it may now be dispatched."""
        if probe.token != self._token or not self._busy or self._hold is not None or not self._app.screen_stack:
            return None
        now = self._where()
        # The first probe only says the key itself is handled; what its action
        # posted or pushed is in place once a later probe sees nothing move.
        # Focus still on a list just hidden (a pane switch) is on its way elsewhere.
        moving = now != self._sent_with or not _shown(now[1])
        if self._probes < 2 or (moving and self._probes < MAX_PROBES):
            self._send_probe()
            return None
        self._busy = False
        self.key_time = None
        if self._watch is not None:
            self._watch.pause()
        return self._next()

    # -------------------------------------------------------- actions' side

    def hold(self, what: str) -> Hold:
        """Keys typed from now on wait for ``what``, a screen that a worker will open.

        Call ``release`` once it is pushed, or will not come. Esc, or a
        screen that takes longer than ``HOLD_SECONDS``, drops the waiting keys
        instead of giving them to the list; the ``Hold`` then says ``cancelled``.
        """
        self._hold = Hold(what, monotonic() + HOLD_SECONDS)
        self._busy = True
        self._token += 1  # a probe still out is no longer awaited
        self._watching()
        return self._hold

    @property
    def holding(self) -> bool:
        """Whether keys are waiting for a screen that is still to open."""
        return self._hold is not None

    @staticmethod
    def still_wanted(hold: Hold | None) -> bool:
        """False once the user stopped waiting for this screen (Esc, or it took too long)."""
        return hold is None or not hold.cancelled

    def extend(self, hold: Hold, what: str) -> None:
        """Keys keep waiting under ``hold``, now for ``what``, with a fresh deadline."""
        hold.what = what
        hold.deadline = monotonic() + HOLD_SECONDS

    def release(self, hold: Hold | None, opened: bool = True) -> None:
        """The held-for screen is pushed (``opened``), or will not come: keys flow again."""
        if hold is None or hold is not self._hold:
            return
        if opened:
            self._hold = None
            self._probes = 1
            self._send_probe()
        else:
            self._end_hold(f"{hold.what} did not open")

    # --------------------------------------------------------------- inner

    def _take(self, event: events.Key | events.Paste) -> bool:
        """Start settling ``event``; False if it must not be dispatched at all."""
        if not self._app.screen_stack:
            return True  # starting or closing: Textual itself deals with it
        opened_after = getattr(self._app.screen, "answers_keys_after", None)
        if opened_after is not None and event.time < opened_after:
            # Typed before this confirmation was on screen: it cannot be its answer.
            self._app.bell()
            return False
        self._busy = True
        self._current = event
        self._probes = 0
        self.key_time = event.time
        self._watching()
        return True

    def _next(self) -> events.Key | events.Paste | None:
        while self._waiting:
            event = self._waiting.popleft()
            if self._take(event):
                return event
        return None

    def _where(self) -> tuple[object, object]:
        screen = self._app.screen
        return screen, screen.focused

    def _send_probe(self) -> None:
        if not self._app.screen_stack:
            self._busy = False  # the app is closing: nothing is left to type into
            return
        self._token += 1
        self._probes += 1
        self._sent_with = self._where()
        self._sent_at = monotonic()
        screen, focused = self._sent_with
        target: DOMNode = focused if isinstance(focused, Widget) and focused.is_attached else screen
        if not target.post_message(TypeAheadProbe(self._token)):
            target = self._app
            target.post_message(TypeAheadProbe(self._token))
        self._sent_to = target

    def _watching(self) -> None:
        if self._watch is None:
            self._watch = self._app.set_interval(CHECK_SECONDS, self._check)
        else:
            self._watch.resume()

    def _check(self) -> None:
        """A probe lost with a widget removed under it is sent again; a hold expires."""
        if not self._busy or not self._app.screen_stack:
            return
        if self._hold is not None:
            if monotonic() > self._hold.deadline:
                self._end_hold(f"{self._hold.what} did not open within {HOLD_SECONDS:.0f} s")
        elif self._probe_lost() or monotonic() - self._sent_at > PROBE_RESCUE_SECONDS:
            self._send_probe()

    def _probe_lost(self) -> bool:
        """Whether the last probe went to a screen that has since closed: it will not come back."""
        target = self._sent_to
        if target is None or target is self._app:
            return False
        if not target.is_attached:
            return True
        try:
            screen = target if isinstance(target, Screen) else target.screen
        except NoScreen:
            return True
        return screen not in self._app.screen_stack

    def _end_hold(self, why: str) -> None:
        """Give up waiting for the held-for screen: drop the keys typed meanwhile."""
        dropped = len(self._waiting)
        self._waiting.clear()
        if self._hold is not None:
            self._hold.cancelled = True
            self._hold = None
        self._probes = 1
        self._send_probe()
        if dropped:
            self._app.notify(
                f"{dropped} key(s) typed meanwhile were dropped: {why}", severity="warning", timeout=5, markup=False
            )


def _shown(node: object) -> bool:
    """Whether a focused widget is displayed: neither it nor a container of it is hidden."""
    if not isinstance(node, Widget):
        return True
    return all(ancestor.display for ancestor in node.ancestors_with_self if isinstance(ancestor, Widget))
