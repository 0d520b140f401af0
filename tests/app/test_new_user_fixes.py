"""What a new user found in combined logs, the Files tab, commit/export and custom commands; each
test failed before its fix. Against the real engine."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from dockertui.app import DockerTUI
from dockertui.backend.merged_logs import ContainerGroup
from dockertui.config import parse_config
from dockertui.widgets.files_pane import FilesPane
from tests.support.pilot import dashboard_up, mark_rows, paste_line, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


async def test_a_custom_command_named_like_markup_is_shown_as_written_and_a_taken_key_is_said(
    engine_target, make_container
):
    config = parse_config('[[custom_commands]]\nname = "Bad [/oops] [red]name"\nkey = "d"\ncommand = "true"\n')
    container = make_container()
    app = DockerTUI(engine_target, config=config)
    async with dashboard_up(app, size=SIZE) as pilot:
        await select_row(pilot, app.dashboard.containers, container.id)
        warned = [n.message for n in app._notifications if "custom commands" in n.message]
        assert warned and "'Bad [/oops] [red]name': d is also" in warned[0] and "which comes first" in warned[0]
        await pilot.press("ctrl+p")
        paste_line(app, "Bad", enter=False)
        palette = app.screen
        await wait_until(pilot, lambda: any("Bad [/oops] [red]name" in str(option.prompt)
                                            for option in palette.query_one("CommandList").options),
                         what="the name, as written, in the palette")
        assert app.is_running


async def test_tab_in_a_log_prompt_keeps_the_typing_there(engine_target, make_container):
    container = make_container(command=["sh", "-c", "echo one; sleep 300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await select_row(pilot, app.dashboard.containers, container.id)
        await pilot.press("L")
        pane = app.dashboard.logs
        await wait_until(pilot, lambda: len(pane.view.lines()) == 1, what="the line")
        pane.view.focus()
        await pilot.press("slash", "tab")
        paste_line(app, "ta", enter=False)
        prompt = pane.query_one("#logs-prompt", Input)
        await wait_until(pilot, lambda: prompt.value == "ta", what="the text in the prompt")
        assert prompt.has_focus and not pane.view.show_timestamps
        assert not app.dashboard.containers.show_all, "no key reached the list"
        # A click elsewhere closes the prompt, as Esc does.
        await pilot.click(app.dashboard.containers)
        await wait_until(pilot, lambda: prompt.has_class("hidden"), what="the prompt gone")


async def test_a_copy_prompt_stays_with_tab_and_goes_when_another_container_is_shown(engine_target, make_container):
    first = make_container()
    second = make_container()
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.dashboard.containers
        await select_row(pilot, table, first.id)
        await pilot.press("f")
        pane = app.dashboard.query_one(FilesPane)
        await wait_until(pilot, lambda: pane.path is not None and not pane.busy, what="the listing")
        pane.table.focus()
        await pilot.press("i", "tab")
        paste_line(app, "/tmp/x", enter=False)
        prompt = pane.query_one("#files-prompt", Input)
        await wait_until(pilot, lambda: prompt.value == "/tmp/x" and prompt.has_focus, what="the path in the prompt")
        await select_row(pilot, table, second.id)
        await wait_until(pilot, lambda: prompt.has_class("hidden"), what="the question about the other container gone")


async def test_commit_and_export_take_the_cursor_row_not_the_marks(engine_target, make_container):
    marked = [make_container(), make_container()]
    cursor = make_container()
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.dashboard.containers
        await mark_rows(pilot, table, *(c.id for c in marked))
        await select_row(pilot, table, cursor.id)
        await pilot.press("M")
        await wait_until(pilot, lambda: app.screen is not app.dashboard, what="the commit dialog")
        assert cursor.name in str(app.screen.query_one(".image-title").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.dashboard)
        await pilot.press("E")
        await wait_until(pilot, lambda: app.screen is not app.dashboard, what="the export dialog")
        assert cursor.name in str(app.screen.query_one(".image-title").render())


async def test_a_merged_log_says_running_again_only_when_a_member_is(engine_target, make_container, docker_client):
    containers = [make_container(command=["sh", "-c", "echo up; sleep 300"], stop_signal="SIGKILL") for _ in range(2)]
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.dashboard.containers
        await mark_rows(pilot, table, *(c.id for c in containers))
        await pilot.press("L")
        pane = app.dashboard.logs
        await wait_until(pilot, lambda: isinstance(pane.container, ContainerGroup) and len(pane.view.lines()) == 2)
        name = containers[0].name

        def texts() -> list[str]:
            return [line.text for line in pane.view.lines() if line.source == name]

        # Stopped while the other goes on (the list calls it running a moment longer): no "running again".
        docker_client.api.stop(containers[0].id, timeout=0)
        await wait_until(pilot, lambda: table.items[containers[0].id].state == "exited")
        await wait_until(pilot, lambda: all(not w.is_running for w in app.workers if w.group == "logs-save"))
        assert texts() == ["up"], texts()
        docker_client.api.start(containers[0].id)
        await wait_until(pilot, lambda: texts() == ["up", "— running again —", "up"], timeout=20,
                         what=lambda: texts())
