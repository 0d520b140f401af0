"""The Events list: the engine's live event stream, newest at the bottom.

Fed by the same stream that keeps the other lists live; never a second
subscription. Bounded, and filterable by type and by text.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import datetime, timezone
from sys import intern

from textual.widgets import DataTable

from dockertui.backend.models import EngineEvent
from dockertui.formatting import cell
from dockertui.widgets.cursor_keys import CURSOR_BINDINGS

EVENT_TYPES = ("all", "container", "image", "volume", "network", "daemon", "plugin", "service", "node", "secret", "config")
KEY_ATTRIBUTES = ("exitCode", "signal", "image", "container", "driver", "type")


def kept_event(event: EngineEvent) -> EngineEvent:
    """The event as the table keeps it: only the attributes it shows or filters on (a container's
    labels can be many times the rest), and the words every event repeats shared, not copied."""
    attributes = tuple(
        (intern(key), value if key == "name" else intern(value))
        for key, value in event.attributes if key == "name" or key in KEY_ATTRIBUTES
    )
    return replace(event, type=intern(event.type), action=intern(event.action), attributes=attributes,
                   host=intern(event.host))


def event_time(event: EngineEvent) -> str:
    if not event.time_nano:
        return ""
    moment = datetime.fromtimestamp(event.time_nano / 1e9, timezone.utc).astimezone()
    return moment.strftime("%H:%M:%S.%f")[:-3]


def event_details(event: EngineEvent) -> str:
    attributes = dict(event.attributes)
    return " ".join(f"{key}={attributes[key]}" for key in KEY_ATTRIBUTES if key in attributes)


class EventTable(DataTable):
    """At most ``max_events`` events; ``type_filter`` and ``text_filter`` narrow what shows.

    Rows are made only while the table is on screen: in Textual any widget's
    change of size, hidden or not, makes the whole screen lay out again, and
    events come in bursts (a ``docker run`` is four of them) just when the
    Containers pane is painting the same change. Hidden, events are only
    kept; shown again, the rows are made from what was kept, and the cursor
    goes back to the event it was on (or follows the newest, if it did).
    """

    # Moved through with the lists' keys (j, k, g, G).
    BINDINGS = CURSOR_BINDINGS

    def __init__(self, max_events: int = 1000, *, host_width: int = 0, id: str | None = None) -> None:
        """``host_width``: a fleet's Host column (0: one engine, none)."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.show_hosts = host_width > 0
        self.events: deque[EngineEvent] = deque(maxlen=max_events)
        # Each kept event's row key, given on arrival so a rebuilt row keeps it.
        self._event_keys: deque[int] = deque(maxlen=max_events)
        self.type_filter = "all"
        self.text_filter = ""
        self._next_key = 0
        self._shown_keys: deque[int] = deque()
        self._on_screen = False
        self._behind = False  # events kept while hidden, not yet rows
        for key, label, width in (
            *((("host", "Host", host_width),) if host_width else ()),
            ("time", "Time", 12),
            ("type", "Type", 9),
            ("action", "Action", 18),
            ("name", "Name", 24),
            ("id", "ID", 12),
            ("details", "Details", 40),
        ):
            self.add_column(label, key=key, width=width)

    def matches(self, event: EngineEvent) -> bool:
        if self.type_filter != "all" and event.type != self.type_filter:
            return False
        if not self.text_filter:
            return True
        haystack = " ".join(
            (event.host, event.type, event.action, event.name, event.actor_id, event_details(event))
        ).casefold()
        return self.text_filter.casefold() in haystack

    def add_event(self, event: EngineEvent) -> None:
        event = kept_event(event)
        key = self._next_key
        self._next_key += 1
        self.events.append(event)
        self._event_keys.append(key)
        if not self._on_screen:
            self._behind = True
            return
        at_end = self.cursor_row >= self.row_count - 1
        oldest_kept, dropped = self._event_keys[0], 0
        while self._shown_keys and self._shown_keys[0] < oldest_kept:
            self.remove_row(str(self._shown_keys.popleft()))
            dropped += 1
        if dropped and not at_end:
            # Rows went from the top: the cursor moves up with its event.
            self.move_cursor(row=max(0, self.cursor_row - dropped), scroll=False)
        if self.matches(event):
            self._add_row(event, key)
            if at_end:
                self.move_cursor(row=self.row_count - 1)

    def _add_row(self, event: EngineEvent, key: int) -> None:
        self.add_row(
            *((cell(event.host, style="bold"),) if self.show_hosts else ()),
            cell(event_time(event)),
            cell(event.type),
            cell(event.action),
            cell(event.name),
            cell(event.actor_id.removeprefix("sha256:")[:12]),
            cell(event_details(event)),
            key=str(key),
        )
        self._shown_keys.append(key)

    def clear_events(self) -> None:
        self.events.clear()
        self._event_keys.clear()
        self.clear()
        self._shown_keys.clear()
        self._behind = False

    def on_show(self) -> None:
        self._on_screen = True
        if self._behind:
            self._reshow()

    def on_hide(self) -> None:
        self._on_screen = False

    def set_filters(self, type_filter: str | None = None, text_filter: str | None = None) -> None:
        """Change a filter and re-show the kept events that match."""
        if type_filter is not None:
            self.type_filter = type_filter
        if text_filter is not None:
            self.text_filter = text_filter
        self._reshow()

    def _reshow(self) -> None:
        """Rows for the kept events that match (one batch), the cursor where it was.

        A cursor on the last row follows the newest event. Otherwise it stays on
        its event, or, if that one is gone or filtered out, the next one after it.
        """
        self._behind = False
        at_end = self.row_count == 0 or self.cursor_row >= self.row_count - 1
        place = None if at_end else self._shown_keys[self.cursor_row]
        self.clear()
        self._shown_keys.clear()
        with self.app.batch_update():
            for event, key in zip(self.events, self._event_keys):
                if self.matches(event):
                    self._add_row(event, key)
        if not self.row_count:
            return
        row = self.row_count - 1
        if place is not None:
            row = next((index for index, key in enumerate(self._shown_keys) if key >= place), row)
        self.move_cursor(row=row)
