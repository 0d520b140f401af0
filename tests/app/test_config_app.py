"""The config file as the app uses it."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.config import load_config
from tests.support.pilot import connected_app, dashboard_up, wait_until

pytestmark = pytest.mark.integration


async def test_config_sets_pane_keymap_and_theme(engine_target, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('default_pane = "ports"\ntheme = "nord"\n[keymap]\npane-images = "9"\n')
    config, problem = load_config(path)
    app = DockerTUI(engine_target, config=config, config_path=path, config_problem=problem)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        assert dashboard.active_pane == "ports"
        assert app.theme == "nord"
        await pilot.press("9")
        await wait_until(pilot, lambda: dashboard.active_pane == "images", what="the remapped key")
        app.theme = "dracula"
        await wait_until(pilot, lambda: 'theme = "dracula"' in path.read_text(), what="the theme to be saved")


async def test_invalid_config_is_reported_and_defaults_apply(engine_target, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('log_tail = "lots"\n')
    config, problem = load_config(path)
    app = DockerTUI(engine_target, config=config, config_path=path, config_problem=problem)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        messages = [n.message for n in app._notifications]
        assert any("line 1" in m and "log_tail" in m for m in messages)
        assert dashboard.active_pane == "containers"
    assert path.read_text() == 'log_tail = "lots"\n'


async def test_keymap_ids_are_shown_in_help_and_a_wrong_one_is_reported(engine_target, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\ncontainer-stp = "ctrl+s"\ncontainer-stop = "ctrl+s"\n')
    config, problem = load_config(path)
    app = DockerTUI(engine_target, config=config, config_path=path, config_problem=problem)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        await connected_app(pilot)
        messages = [n.message for n in app._notifications]
        assert any("container-stp" in m and "container-stop" not in m for m in messages)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: app.screen.id == "help", what="the help screen")
        table = app.screen.query_one("#help-table")
        rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
        stop = next(row for row in rows if row[3] == "container-stop")
        assert stop[0] == "^s" and stop[2] == "Container list"
