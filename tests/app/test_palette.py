"""The command palette offers the actions of the keys."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from tests.support.pilot import connected_app, wait_until

pytestmark = pytest.mark.integration


async def test_palette_lists_and_runs_pane_actions(engine_target):
    app = DockerTUI(engine_target)
    async with app.run_test(size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Run…", "Stop", "Remove", "Inspect", "Shell", "All/Running", "Images", "Quit"} <= titles
        await pilot.press("ctrl+p")
        await pilot.press(*"Images")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: dashboard.active_pane == "images", what="the Images pane")
