"""Relative times: only rows on screen are re-worded, and only when they would read differently."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from textual.app import App, ComposeResult

from dockertui.formatting import cell, since
from dockertui.status_text import seconds_until_reworded
from dockertui.widgets import aging_rows
from dockertui.widgets.aging_rows import TIMES_TICK_SECONDS, AgingRows, reworded_at
from dockertui.widgets.keyed_table import Column, KeyedTable
from tests.support.pilot import wait_until

START = datetime(2026, 12, 6, 12, 0, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Thing:
    key: str
    created: datetime


class AgingThings(AgingRows, KeyedTable[Thing]):
    COLUMNS = (Column("name", "Name", 10), Column("created", "Created", 20))
    SORT_COLUMN = "name"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.derived: list[str] = []

    def key_for(self, item: Thing) -> str:
        return item.key

    def row_for(self, item: Thing):
        self.derived.append(item.key)
        return [cell(item.key), cell(since(item.created, self._now()))]

    def ages_of(self, item: Thing) -> list[float]:
        return [(self._now() - item.created).total_seconds()]


class ThingsApp(App[None]):
    def __init__(self, clock: list[datetime]) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield AgingThings(now=lambda: self.clock[0])


def test_the_wait_follows_the_wording_steps():
    assert seconds_until_reworded(0.25) == 0.75
    assert seconds_until_reworded(59.5) == 0.5
    assert seconds_until_reworded(61) == 59
    assert seconds_until_reworded(3 * 86400 + 30) == 30
    assert seconds_until_reworded(20 * 86400 + 60) == 3540


async def test_only_rows_on_screen_are_reworded_and_scrolling_brings_the_others_up_to_date():
    clock = [START]
    app = ThingsApp(clock)
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(AgingThings)
        # Named so that they sort in creation order; each a minute older than the next.
        table.load([Thing(f"t{n:02d}", START - timedelta(minutes=n + 2)) for n in range(30)])
        await pilot.pause()
        shown = table.visible_keys()
        assert shown[0] == "t00" and len(shown) < 12
        assert table.get_cell("t00", "created").plain == "2 minutes ago"

        clock[0] = START + timedelta(minutes=1)
        table.derived.clear()
        table.refresh_times()
        assert set(table.derived) == set(shown)
        assert table.get_cell("t00", "created").plain == "3 minutes ago"
        assert table.get_cell("t29", "created").plain == "31 minutes ago"  # off screen: not re-worded yet
        assert table.times_due > 0

        table.derived.clear()
        table.refresh_times_if_due()  # nothing is due for a minute
        assert table.derived == []

        table.scroll_end(animate=False)
        await pilot.pause()
        table.refresh_times_if_due()  # rows scrolled into view are looked at once
        assert "t29" in table.derived
        assert table.get_cell("t29", "created").plain == "32 minutes ago"


def test_the_next_wording_waits_for_the_clocks_next_tick():
    assert reworded_at([3.2], now=101.0) == 110.0  # reads differently at 101.8
    assert reworded_at([7.9], now=101.0) == 110.0
    assert reworded_at([125.0], now=101.0) == 160.0  # "2 minutes" at 156
    assert reworded_at([125.0, 30.0], now=101.0) == 110.0  # the sooner of a row's times
    assert reworded_at([], now=101.0) == 3710.0


async def test_rows_of_every_age_are_reworded_on_one_tick(monkeypatch):
    """Rows a second or a minute apart in age are due together: one frame, not one each."""
    # Early in a tick of the clock: young rows read differently within a
    # second, so less than a second before a tick some would rightly fall
    # due on it and the rest on the next (this failed one run in ten).
    monkeypatch.setattr(aging_rows, "monotonic", lambda: 1003.0)
    clock = [START]
    app = ThingsApp(clock)
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(AgingThings)
        young = [Thing(f"y{n}", START - timedelta(seconds=n * 1.3)) for n in range(4)]
        old = [Thing(f"o{n}", START - timedelta(minutes=5, seconds=n * 7)) for n in range(4)]
        table.load(young + old)
        await pilot.pause()
        table.refresh_times()
        due = {key: table._row_due[key] for key in table.visible_keys()}
        assert len(due) == 8
        assert len({due[f"y{n}"] for n in range(4)}) == 1
        assert all(value % TIMES_TICK_SECONDS == 0 for value in due.values())


async def test_the_table_wakes_its_clock_when_rows_need_a_look_and_lets_it_sleep_till_they_are_due():
    """A screen's DueClock runs when a row is due, or soon after rows came, scrolled or were shown."""
    from time import monotonic

    from dockertui.due_clock import DueClock
    from dockertui.widgets.aging_rows import LOOK_SOON_SECONDS

    clock = [START]
    app = ThingsApp(clock)
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(AgingThings)
        ticks: list[float] = []

        def tick() -> float:
            ticks.append(monotonic())
            table.refresh_times_if_due()
            return table.times_due

        table.due_clock = due = DueClock(app, tick)
        table.load([Thing(f"t{n:02d}", START - timedelta(minutes=n + 2)) for n in range(30)])
        assert due.wakes_at <= monotonic() + LOOK_SOON_SECONDS  # rows came: looked at soon
        due.wake_within(0)
        # Minutes old: nothing reads differently for most of a minute, and the clock sleeps till then
        # (once the table is laid out: its resize asks for a look of its own).
        await wait_until(pilot, lambda: ticks and due.wakes_at == table.times_due > monotonic() + 20,
                         what=lambda: (len(ticks), due.wakes_at, table.times_due, monotonic()))
        table.scroll_end(animate=False)
        await wait_until(pilot, lambda: due.wakes_at <= monotonic() + LOOK_SOON_SECONDS, what="the scroll's wake")
        table.display = False  # hidden (the full-screen log): not looked at until shown again
        await wait_until(pilot, lambda: not table.region, what="the table hidden from the screen")
        table.refresh_times_if_due()
        assert table.times_due == math.inf
        looks = len(ticks)
        table.display = True
        await wait_until(pilot, lambda: len(ticks) > looks and table.times_due != math.inf,
                         what="the table, shown again, to be looked at")
