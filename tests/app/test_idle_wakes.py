"""An idle dashboard sleeps: its timers wake when something is due, not every second.

Three one-second intervals (relative times, stats, the engine watch) were
nearly all of an idle app's CPU. Each now sleeps until it has work, and
whatever gives it work wakes it.
"""

from __future__ import annotations

import math

import pytest

from dockertui.app import DockerTUI
from dockertui.widgets.aging_rows import TIMES_TICK_SECONDS
from dockertui.widgets.stats_pane import StatsPane
from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until

pytestmark = pytest.mark.integration


async def test_idle_timers_sleep_and_wake_when_given_work(engine_target, make_container):
    container = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await select_row(pilot, table, container.id)
        clock = dashboard.times_clock

        def on_the_times_grid() -> bool:
            # Young rows are due on the 10 s clock (aging_rows.py), old ones later or never.
            return clock.wakes_at == math.inf or clock.wakes_at % TIMES_TICK_SECONDS == 0

        # Nothing in flight, nothing to sample, and times only at their due moments.
        await wait_until(pilot, lambda: app.engine_watch.sleeping and dashboard.stats_sleeping and on_the_times_grid(),
                         what=lambda: (app.engine_watch.sleeping, dashboard.stats_sleeping, clock.wakes_at))

        # The Stats tab wakes the poll: figures come for the selected container.
        await pilot.press("right_square_bracket", "right_square_bracket")
        pane = dashboard.query_one(StatsPane)
        await wait_until(pilot, lambda: len(pane.history.get(container.id, ())) >= 2, timeout=20,
                         what="two samples in the Stats tab")
        assert not dashboard.stats_sleeping
        # Back on Details, it sleeps again; the stats columns wake it too.
        await pilot.press("left_square_bracket", "left_square_bracket")
        await wait_until(pilot, lambda: dashboard.stats_sleeping, what="the stats poll to sleep again")
        table.focus()
        await pilot.press("c")
        await wait_until(pilot, lambda: table.stats.get(container.id) is not None, timeout=20,
                         what="the CPU column's figure")

        # A request wakes the engine watch; it sleeps again once answered.
        await pilot.press("p")  # pause
        await wait_until(pilot, lambda: table.items[container.id].state == "paused", what="the pause")
        await wait_until(pilot, lambda: app.engine_watch.sleeping, what="the watch to sleep once the calls ended")
        await pilot.press("p")
        await wait_until(pilot, lambda: table.items[container.id].state == "running", what="the unpause")
