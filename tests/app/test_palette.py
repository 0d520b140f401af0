"""The command palette offers the actions of the keys."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from dockertui.app import DockerTUI
from tests.support.pilot import connected_app, dashboard_up, wait_until

pytestmark = pytest.mark.integration


def _first_match(app) -> str | None:
    """The highlighted command's title while the palette is open."""
    if not isinstance(app.screen, CommandPalette):
        return None
    commands = app.screen.query_one(CommandList)
    if commands.highlighted is None:
        return None
    return commands.get_option_at_index(commands.highlighted).prompt.plain.split("\n")[0]


async def test_palette_lists_and_runs_pane_actions(engine_target):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Run…", "Stop", "Remove", "Inspect", "Shell", "All/Running", "Images", "Quit"} <= titles
        await pilot.press("ctrl+p")
        await pilot.press(*"Images")
        await wait_until(pilot, lambda: _first_match(app) == "Images", what="Images first among the matches")
        await pilot.press("enter")
        await wait_until(pilot, lambda: dashboard.active_pane == "images", what="the Images pane")
