"""Live stats against the real engine: sane numbers for a busy and an idle container."""

from __future__ import annotations

import re

import pytest

from dockertui.app import DockerTUI
from dockertui.widgets.stats_pane import StatsPane
from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until

pytestmark = pytest.mark.integration


async def test_busy_and_idle_containers(engine_target, make_container):
    busy = make_container(command=["sh", "-c", "while :; do :; done"])
    idle = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await pilot.press("c")  # the columns start off

        def cpu(container_id):
            sample = table.stats.get(container_id)
            return None if sample is None else sample.cpu_percent

        await wait_until(pilot, lambda: cpu(busy.id) is not None and cpu(idle.id) is not None, timeout=20)
        # Two cores: one busy loop is up to 100 % (docker counts each CPU as 100 %).
        assert 20.0 < cpu(busy.id) <= 205.0
        assert 0.0 <= cpu(idle.id) < 5.0
        assert 0 < table.stats[idle.id].memory_used < table.stats[idle.id].memory_limit
        assert table.get_cell(busy.id, "cpu").plain.endswith("%")

        await select_row(pilot, table, busy.id)
        await pilot.press("right_square_bracket", "right_square_bracket")
        pane = dashboard.query_one(StatsPane)
        await wait_until(pilot, lambda: len(pane.history.get(busy.id, ())) >= 3, timeout=20)
        figures = str(pane.query_one("#stats-figures").render())
        assert "CPU" in figures and "Memory" in figures and "PIDs" in figures
        # The graphs say their scale and their time span.
        cpu_scale = str(pane.query_one("#stats-cpu-label").render())
        memory_scale = str(pane.query_one("#stats-memory-label").render())
        assert re.search(r"CPU  [\d.]+% to [\d.]+%, last \d+ s", cpu_scale), cpu_scale
        assert re.search(r"Memory  .+ to .+, last \d+ s", memory_scale), memory_scale

        table.focus()
        await pilot.press("c")
        # Off, the columns go: at 80 columns they would push Status out of sight.
        assert "cpu" not in table.columns and "mem" not in table.columns
        assert table.get_cell(busy.id, "status").plain.startswith("Up")


async def test_a_stopped_container_drops_its_last_figures(engine_target, make_container, docker_client):
    """Its CPU and Memory cells empty, and the Stats tab says it is not running, not the last reading."""
    container = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await pilot.press("c")
        await wait_until(pilot, lambda: table.get_cell(container.id, "mem").plain.strip() != "", timeout=20,
                         what="a memory reading")
        await select_row(pilot, table, container.id)
        await pilot.press("right_square_bracket", "right_square_bracket")
        pane = dashboard.query_one(StatsPane)
        await wait_until(pilot, lambda: "Memory " in str(pane.query_one("#stats-figures").render()), timeout=20)

        docker_client.api.kill(container.id)
        await wait_until(pilot, lambda: table.items[container.id].state == "exited", timeout=20, what="exited")
        await wait_until(pilot, lambda: table.get_cell(container.id, "mem").plain.strip() == ""
                         and table.get_cell(container.id, "cpu").plain.strip() == "", what="empty stats cells")
        # The pane hears of the new state one message after the row (CurrentChanged), so it is waited for too.
        figures = lambda: str(pane.query_one("#stats-figures").render())  # noqa: E731
        await wait_until(pilot, lambda: "not running (exited)" in figures() and "Memory " not in figures(),
                         what=lambda: f"the Stats tab to say it is not running; it shows:\n{figures()}")
