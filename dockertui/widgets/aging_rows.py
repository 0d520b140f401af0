"""Relative times in table rows ("Up 5 minutes", "3 hours ago") kept true, at little cost.

Only the rows on screen are re-derived, each when one of its times is due to
read differently (each second in a time's first minute, each minute after
that, as the engine's hours round at the half hour, then hourly), and all of
them on one clock: at the next tick of ``TIMES_TICK_SECONDS`` after that,
which the details pane keeps too. Textual draws the box around every line
changed in a frame, and each widget under it whole, so rows re-worded each on
its own second redrew most of the screen every second (after a mass start,
or with a screen of rows each a minute from its next wording); on one clock
it is one frame in ten seconds, and no time shown is more than that behind
``docker ps``. A table that is not shown is left alone until it is.

The screen's ``DueClock`` wakes when ``times_due`` comes, and rows that come,
change, scroll into view or are shown again wake it within a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, Any

from dockertui.backend.models import ContainerInfo
from dockertui.status_text import seconds_until_reworded, status_age

if TYPE_CHECKING:
    from dockertui.due_clock import DueClock

# The clock every relative time on screen is re-worded on (monotonic seconds).
TIMES_TICK_SECONDS = 10.0
# Rows that came, changed or scrolled into view are looked at within this long:
# soon, but once for a burst of them.
LOOK_SOON_SECONDS = 1.0


def reworded_at(ages: Iterable[float], now: float) -> float:
    """When (monotonic, ``now`` being the present) times of these ``ages`` are next re-worded:
    the first tick of the clock once one of them reads differently."""
    due = now + min((seconds_until_reworded(age) for age in ages), default=3600.0)
    return math.ceil(due / TIMES_TICK_SECONDS) * TIMES_TICK_SECONDS


def container_ages(container: ContainerInfo, status: str | None, now: datetime) -> list[float]:
    """Seconds since the container was made, and since its ``status`` ("Up 5 minutes") began."""
    ages = [(now - container.created).total_seconds()]
    began = status_age(status) if status is not None else None
    return ages if began is None else [began, *ages]


class AgingRows:
    """For a KeyedTable whose rows show relative times; ``ages_of`` says how old each is.

    The screen calls ``refresh_times_if_due`` when its ``due_clock`` wakes:
    at ``times_due``, or soon after rows changed or scrolled into view.
    """

    times_due = 0.0  # monotonic time the next row is due; 0: look soon; inf: not until woken
    due_clock: DueClock | None = None  # the screen's: woken when rows need a look

    @property
    def _row_due(self) -> dict[str, float]:
        """When each row on screen is next due (monotonic); made on first use, as
        the table's own __init__ can already move the cursor."""
        return self.__dict__.setdefault("_due_by_row", {})

    def ages_of(self, item: Any) -> Iterable[float]:
        """Seconds since each relative time in ``item``'s row."""
        return ()

    def aging_cells(self, item: Any) -> Iterable[tuple[str, Any]]:
        """(column key, cell) of ``item``'s row, as ``cells_of`` makes them, for those
        whose words age; by default every cell. A re-word makes only these."""
        table: Any = self
        return zip((column.key for column in table.COLUMNS), table.cells_of(item))

    def visible_keys(self) -> list[str]:
        """The keys of the rows on screen (a row or two more at most)."""
        table: Any = self
        if not table.row_count or not table.display or table.region.height == 0:
            return []
        top = int(table.scroll_y)
        return [table.row_key_at(index) for index in range(top, min(table.row_count, top + table.size.height))]

    def refresh_times_if_due(self) -> None:
        if self.times_due <= monotonic():
            self._refresh(force=False)

    def refresh_times(self) -> None:
        """Re-derive every row on screen now."""
        self._refresh(force=True)

    def _refresh(self, force: bool) -> None:
        table: Any = self
        row_due = self._row_due
        now = monotonic()
        current = table.current_key
        visible = self.visible_keys()
        if not visible:
            # Hidden (the full-screen log) or empty: rows that come or are shown
            # again wake the clock (set_items, on_resize), and are re-worded then.
            self.times_due = math.inf
            return
        next_due = now + 3600.0
        reorder = False
        changes = {}
        for key in visible:
            due = row_due.get(key, 0.0)
            if force or due <= now:
                item = table.items.get(key)
                if item is None:
                    continue
                changed, resort = table._changed_cells(key, self.aging_cells(item))
                if changed:
                    changes[key] = changed
                reorder |= resort
                due = row_due[key] = reworded_at(self.ages_of(item), now)
            next_due = min(next_due, due)
        if changes:
            table.set_cells(changes)  # one refresh for them all
        if reorder:
            table._sort()
            table._restore_cursor(current)
        self.times_due = next_due

    def times_changed(self) -> None:
        """Rows came, changed or moved into view: look at them soon."""
        self._row_due.clear()
        self._look_soon()

    def _look_soon(self) -> None:
        self.times_due = 0.0
        if self.due_clock is not None:
            self.due_clock.wake_within(LOOK_SOON_SECONDS)

    def set_items(self, changes: Any) -> None:
        super().set_items(changes)  # type: ignore[misc]
        for key in changes:
            self._row_due.pop(key, None)  # a new row's time may be seconds old
        self._look_soon()

    def load(self, items: Any) -> None:
        super().load(items)  # type: ignore[misc]
        self.times_changed()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)  # type: ignore[misc]
        self._look_soon()  # rows that came into view have no due time yet

    def on_resize(self) -> None:
        # Shown again (its tab, the full-screen log closed) or taller: rows in view may be stale.
        self._look_soon()

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)  # type: ignore[misc]
        key = getattr(self, "current_key", None)
        self._row_due.pop(key, None)  # the row just selected reads true at once
        self._look_soon()
