"""Relative times in table rows ("Up 5 minutes", "3 hours ago") kept true, at little cost.

Only the rows on screen are re-derived, and only once one of their times is
due to read differently: each second while a time is under a minute old,
each minute after that (the engine's hours round at the half hour), then
hourly. A table that is not shown is left alone until it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from time import monotonic
from typing import Any

from dockertui.status_text import seconds_until_reworded


class AgingRows:
    """For a KeyedTable whose rows show relative times; ``ages_of`` says how old each is.

    The screen calls ``refresh_times_if_due`` every second; it costs nothing
    until a time on screen is due, or rows changed or scrolled into view.
    """

    times_due = 0.0  # monotonic time of the next re-derive; 0: at the next tick

    def ages_of(self, item: Any) -> Iterable[float]:
        """Seconds since each relative time in ``item``'s row."""
        return ()

    def visible_keys(self) -> list[str]:
        """The keys of the rows on screen (a row or two more at most)."""
        table: Any = self
        if not table.row_count or not table.display or table.region.height == 0:
            return []
        top = int(table.scroll_y)
        rows = table.ordered_rows[top : top + table.size.height]
        return [row.key.value for row in rows]

    def refresh_times_if_due(self) -> None:
        if self.times_due <= monotonic():
            self.refresh_times()

    def refresh_times(self) -> None:
        """Re-derive the rows on screen now, and note when one next reads differently."""
        table: Any = self
        wait = 3600.0
        reorder = False
        for key in self.visible_keys():
            item = table.items.get(key)
            if item is None:
                continue
            reorder |= table._put(key, table.row_for(item))
            for age in self.ages_of(item):
                wait = min(wait, seconds_until_reworded(age))
        if reorder:
            keep = table.current_key
            table._sort()
            table._restore_cursor(keep)
        self.times_due = monotonic() + wait

    def times_changed(self) -> None:
        """Rows came, changed or moved into view: look at them at the next tick."""
        self.times_due = 0.0

    def set_items(self, changes: Any) -> None:
        super().set_items(changes)  # type: ignore[misc]
        self.times_due = 0.0  # a new row's time may be seconds old

    def load(self, items: Any) -> None:
        super().load(items)  # type: ignore[misc]
        self.times_due = 0.0

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)  # type: ignore[misc]
        self.times_due = 0.0
