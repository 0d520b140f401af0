"""L on a Compose project's screen: ``docker compose logs -f``, every container's lines merged."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.screens.compose_project import ComposeProjectScreen, ProjectContainerTable
from dockertui.screens.group_logs import GroupLogsScreen
from dockertui.widgets.log_pane import LogPane
from tests.compose.conftest import project_name
from tests.support.pilot import dashboard_up, screen_with, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


async def test_compose_project_logs_merge_its_containers_and_esc_goes_back(
    engine_target, make_compose_container
):
    name = project_name("logs")
    web = make_compose_container(name, "web", command=["sh", "-c", 'echo "web says hi"; sleep 300'])
    db = make_compose_container(name, "db", command=["sh", "-c", 'echo "db says hi"; sleep 300'])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await select_row(pilot, app.dashboard.containers, web.id)
        await pilot.press("P")
        await screen_with(pilot, ComposeProjectScreen, ProjectContainerTable)  # what .containers reads
        project_screen = app.screen
        await wait_until(pilot, lambda: len(project_screen.containers) == 2, what="both containers in the project")
        await pilot.press("L")
        pane = await screen_with(pilot, GroupLogsScreen, LogPane)
        await wait_until(pilot, lambda: len(pane.view.lines()) == 2, what="a line of each")
        by_source = {line.source: line.text for line in pane.view.lines()}
        assert by_source == {web.name: "web says hi", db.name: "db says hi"}
        assert name in app.screen.sub_title
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is project_screen, what="back on the project screen")
