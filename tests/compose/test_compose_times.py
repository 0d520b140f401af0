"""Relative times stay true where the list was hidden (the full-screen log) and on a Compose project's screen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dockertui.app import DockerTUI
from dockertui.formatting import utc_now
from dockertui.screens.compose_project import ComposeProjectScreen, ProjectContainerTable
from tests.compose.conftest import project_name
from tests.support.pilot import dashboard_up, screen_with, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


async def test_times_read_right_after_the_full_screen_log_and_on_a_compose_project(
    engine_target, make_compose_container
):
    offset = timedelta()
    container = make_compose_container(project_name("age"), "web")
    app = DockerTUI(engine_target, now=lambda: utc_now() + offset)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.dashboard.containers
        await select_row(pilot, table, container.id)
        await pilot.press("F")
        await wait_until(pilot, lambda: not app.dashboard.query_one("#left").display, what="the log over the screen")
        offset = timedelta(minutes=7, seconds=5)
        app.dashboard._refresh_due_times()  # the screen's tick, while the list is hidden
        await pilot.press("F")
        await wait_until(pilot, lambda: table.get_cell(container.id, "status").plain == "Up 7 minutes",
                         what=lambda: table.get_cell(container.id, "status").plain)
        await pilot.press("P")
        project_table = await screen_with(pilot, ComposeProjectScreen, ProjectContainerTable)
        await wait_until(pilot, lambda: container.id in project_table.rows)
        offset = timedelta(minutes=12, seconds=5)
        await wait_until(pilot, lambda: project_table.get_cell(container.id, "status").plain == "Up 12 minutes",
                         what=lambda: project_table.get_cell(container.id, "status").plain)
