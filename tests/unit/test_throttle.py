"""Throttled: at once when quiet; in a burst, once per interval (or once it settles), the last call never lost."""

from __future__ import annotations

import pytest

from dockertui import throttle
from dockertui.throttle import Throttled


class FakeTimer:
    def __init__(self, clock: FakeClock, delay: float, callback) -> None:
        self.due, self.callback, self.stopped = clock.now + delay, callback, False

    def stop(self) -> None:
        self.stopped = True


class FakeClock:
    """Stands in for time.monotonic and for the owner's set_timer; ``advance`` fires what falls due."""

    def __init__(self) -> None:
        self.now = 100.0
        self.timers: list[FakeTimer] = []

    def monotonic(self) -> float:
        return self.now

    def set_timer(self, delay: float, callback) -> FakeTimer:
        timer = FakeTimer(self, delay, callback)
        self.timers.append(timer)
        return timer

    def advance(self, seconds: float) -> None:
        """Move on by ``seconds``, firing each timer that falls due at its own time."""
        until = self.now + seconds
        while due := [timer for timer in self.timers if not timer.stopped and timer.due <= until + 1e-9]:
            timer = min(due, key=lambda timer: timer.due)
            self.timers.remove(timer)
            self.now = timer.due
            timer.callback()
        self.now = until


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(throttle.time, "monotonic", fake.monotonic)
    return fake


def test_a_lone_call_runs_at_once(clock):
    runs = []
    throttled = Throttled(clock, 0.25, lambda: runs.append(clock.now))
    throttled()
    assert runs == [100.0]
    clock.advance(1)
    throttled()
    assert runs == [100.0, 101.0]


def test_a_burst_runs_once_per_interval_and_once_after_its_last_call(clock):
    runs = []
    throttled = Throttled(clock, 0.25, lambda: runs.append(round(clock.now, 2)))
    for _ in range(10):  # a call every 0.05 s for 0.5 s
        throttled()
        clock.advance(0.05)
    clock.advance(1)
    assert runs == [100.0, 100.25, 100.5]  # the first at once, then one per interval; the last call is served


def test_settle_waits_for_the_burst_to_end(clock):
    runs = []
    throttled = Throttled(clock, 0.25, lambda: runs.append(round(clock.now, 2)), settle=True)
    for _ in range(10):
        throttled()
        clock.advance(0.05)
    assert runs == [100.0]  # nothing while it is busy
    clock.advance(1)
    assert runs == [100.0, 100.7]  # once, 0.25 s after the last call (at 100.45)


def test_now_runs_at_once_and_drops_what_was_due(clock):
    runs = []
    throttled = Throttled(clock, 0.25, lambda: runs.append(round(clock.now, 2)))
    throttled()
    clock.advance(0.1)
    throttled()  # due at 100.25
    throttled.now()  # a user's own move: at once
    clock.advance(1)
    assert runs == [100.0, 100.1]


def test_settle_still_runs_at_least_every_longest(clock):
    runs = []
    throttled = Throttled(clock, 0.25, lambda: runs.append(round(clock.now, 2)), settle=True, longest=1.0)
    for _ in range(50):  # a call every 0.05 s for 2.5 s
        throttled()
        clock.advance(0.05)
    clock.advance(1)
    assert runs[0] == 100.0 and runs[-1] == 102.7  # at once, and 0.25 s after the last call (at 102.45)
    assert all(later - earlier <= 1.05 for earlier, later in zip(runs, runs[1:]))  # never more than ~1 s apart
