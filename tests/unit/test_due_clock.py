"""DueClock: one timer, set for the soonest moment asked for, and re-armed by what its tick returns."""

from __future__ import annotations

import math
from time import monotonic

from textual.app import App

from dockertui.due_clock import DueClock
from tests.support.pilot import wait_until


class Timers:
    """Records the timers asked for, as a Textual owner would make them."""

    def __init__(self) -> None:
        self.made: list[tuple[float, object]] = []
        self.stopped = 0

    def set_timer(self, delay, callback):
        self.made.append((delay, callback))
        timers = self

        class Made:
            def stop(self) -> None:
                timers.stopped += 1

        return Made()


def test_a_sooner_wake_replaces_the_pending_one_and_a_later_one_is_ignored():
    timers = Timers()
    clock = DueClock(timers, tick=lambda: math.inf)
    now = monotonic()
    clock.wake_at(now + 30)
    clock.wake_at(now + 40)
    assert len(timers.made) == 1 and clock.wakes_at == now + 30
    clock.wake_at(now + 5)
    assert len(timers.made) == 2 and timers.stopped == 1 and clock.wakes_at == now + 5
    assert 4 < timers.made[-1][0] <= 5
    clock.wake_within(0)  # Textual divides by the delay: never 0
    assert timers.made[-1][0] > 0


def test_the_tick_says_when_it_runs_next_and_infinity_means_not_until_woken():
    timers = Timers()
    next_due = [monotonic() + 10]
    ticks: list[float] = []

    def tick() -> float:
        ticks.append(monotonic())
        return next_due[0]

    clock = DueClock(timers, tick)
    clock.wake_within(0)
    timers.made[-1][1]()  # the timer fires
    assert len(ticks) == 1 and clock.wakes_at == next_due[0]
    next_due[0] = math.inf
    timers.made[-1][1]()
    assert len(ticks) == 2 and clock.wakes_at == math.inf
    made = len(timers.made)
    timers.made[-1][1]()  # (a stale timer) fired again: it sets none
    assert len(timers.made) == made
    clock.wake_within(1)
    assert len(timers.made) == made + 1


def test_a_timer_replaced_after_its_tick_was_on_its_way_does_not_run_the_clock():
    """Textual delivers a tick as a message: stopping its timer then does not take it back."""
    timers = Timers()
    ticks: list[float] = []
    clock = DueClock(timers, lambda: ticks.append(monotonic()) or monotonic() + 60)
    clock.wake_within(5)
    on_its_way = timers.made[-1][1]
    clock.wake_within(1)  # sooner: replaces it
    on_its_way()  # the replaced timer's tick, already queued, runs anyway
    assert ticks == [] and len(timers.made) == 2  # ignored: no tick, no second chain
    timers.made[-1][1]()
    assert len(ticks) == 1 and len(timers.made) == 3


def test_a_wake_long_overdue_runs_the_clock_at_once_whatever_is_asked():
    timers = Timers()
    clock = DueClock(timers, lambda: math.inf)
    clock.wake_at(monotonic() - 5)  # as if its tick had been dropped or held up for seconds
    clock.wake_at(monotonic() + 3600)  # a far wake must not push the due one back
    assert timers.made[-1][0] <= 0.05


async def test_with_textual_timers_it_ticks_when_asked_and_not_between():
    class Host(App[None]):
        pass

    ticks: list[float] = []
    app = Host()
    async with app.run_test() as pilot:
        clock = DueClock(app, lambda: ticks.append(monotonic()) or math.inf)
        clock.wake_within(0.05)
        await wait_until(pilot, lambda: len(ticks) == 1, what="the first tick")
        assert clock.wakes_at == math.inf
        clock.wake_within(0.05)
        clock.wake_within(0.02)  # sooner: one tick, not two
        await wait_until(pilot, lambda: len(ticks) == 2, what="the second tick")
        assert clock.wakes_at == math.inf
