"""Custom commands in the running app, on the real engine: a key and the palette, in the background
(output in a window, Esc stops it) and in the terminal (the PTY test at the end)."""

from __future__ import annotations

import pytest
from textual.widgets import Log

from dockertui.app import DockerTUI
from dockertui.config import parse_config
from dockertui.screens.command_output import CommandOutputScreen
from tests.support.pilot import dashboard_up, paste_line, screen_with, select_row, wait_until
from tests.support.pty_app import PtyApp

pytestmark = pytest.mark.integration

SIZE = (120, 36)
CONFIG = """
[[custom_commands]]
name = "Hostname"
key = "f5"
command = "docker exec {{.Container.ID}} cat /etc/hostname"

[[custom_commands]]
name = "Wait for ever"
key = "f6"
command = "sh -c 'echo started {{.Container.Name}}; exec sleep 300'"

[[custom_commands]]
name = "No such program"
key = "f7"
command = "no-such-program-dockertui {{.Container.ID}}"

[[custom_commands]]
name = "Many lines"
key = "f8"
command = "seq 1 6000"

[[custom_commands]]
name = "Which image"
on = "image"
command = "printf 'ref=%s\\\\n' {{.Image.Ref}}"
"""


def output(screen: CommandOutputScreen) -> list[str]:
    return list(screen.query_one(Log).lines)


def status(screen: CommandOutputScreen) -> str:
    return str(screen.query_one("#command-output-status").render())


async def output_window(pilot, *keys: str) -> CommandOutputScreen:
    """Press ``keys`` (none: already pressed); the custom command's window, once it is open."""
    if keys:
        await pilot.press(*keys)
    await screen_with(pilot, CommandOutputScreen, "#command-output-status")
    return pilot.app.screen


async def test_a_background_command_runs_on_the_apps_engine_and_shows_its_output(
    engine_target, make_container, monkeypatch
):
    container = make_container(command=["sleep", "300"])
    # The command must talk to the engine the app shows, whatever the shell it came from says.
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    app = DockerTUI(engine_target, config=parse_config(CONFIG))
    async with dashboard_up(app, size=SIZE) as pilot:
        await select_row(pilot, app.dashboard.containers, container.id)
        screen = await output_window(pilot, "f5")
        await wait_until(pilot, lambda: not screen.running, timeout=20, what="the command to end")
        assert output(screen) == [container.id[:12]], status(screen)
        assert "finished (exit 0)" in status(screen)
        assert screen.argv == ["docker", "exec", container.id, "cat", "/etc/hostname"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.dashboard, what="Esc closes it")


async def test_esc_stops_a_running_command_and_a_missing_program_is_said(engine_target, make_container):
    container = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target, config=parse_config(CONFIG))
    async with dashboard_up(app, size=SIZE) as pilot:
        await select_row(pilot, app.dashboard.containers, container.id)
        screen = await output_window(pilot, "f6")
        await wait_until(pilot, lambda: output(screen) == [f"started {container.name}"], what="its first line")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.running and "stopped" in status(screen), what="stopped")
        assert app.screen is screen, "the first Esc stops it; the window stays to show how it ended"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.dashboard, what="the second Esc closes it")

        screen = await output_window(pilot, "f8")
        await wait_until(pilot, lambda: not screen.running, what="the command to end")
        assert output(screen)[-1] == "6000" and len(output(screen)) == 5000
        assert "the last 5,000 of 6,000 lines are kept" in status(screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.dashboard)

        screen = await output_window(pilot, "f7")
        await wait_until(pilot, lambda: "could not start" in status(screen), what="why it could not start")
        assert "No such file or directory" in status(screen)


async def test_an_image_command_from_the_palette_and_a_container_command_on_the_wrong_pane(
    engine_target, fixture_image
):
    app = DockerTUI(engine_target, config=parse_config(CONFIG))
    async with dashboard_up(app, size=SIZE) as pilot:
        await pilot.press("2")
        images = app.dashboard.images
        await wait_until(pilot, lambda: any(tag.reference == fixture_image for tag in images.items.values()),
                         what="the fixture image")
        key = next(key for key, tag in images.items.items() if tag.reference == fixture_image)
        await select_row(pilot, images, key)
        await pilot.press("f5")
        await wait_until(pilot, lambda: any("acts on a container" in n.message for n in app._notifications),
                         what="a container command on Images says what it needs")
        assert not isinstance(app.screen, CommandOutputScreen)
        await pilot.press("ctrl+p")
        paste_line(app, "Which image")
        screen = await output_window(pilot)
        await wait_until(pilot, lambda: not screen.running, what="the command to end")
        assert output(screen) == [f"ref={images.items[key].reference}"]


def test_a_terminal_command_has_the_screen_until_enter(engine_target, make_container, tmp_path):
    container = make_container(command=["sleep", "300"])
    config = tmp_path / "config.toml"
    config.write_text('[[custom_commands]]\nname = "Say"\nkey = "f9"\nmode = "terminal"\n'
                      'command = "sh -c \'echo said-{{.Container.Name}}-$((6*7))\'"\n')
    app = PtyApp(["--host", engine_target.url, "--config", str(config)])
    try:
        app.show_only(container.name)
        start = app.mark()
        app.send("\x1b[20~")  # F9, as xterm sends it
        app.wait_for(f"said-{container.name}-42", since=start)
        app.wait_for("press Enter to go back", since=start)
        back = app.mark()
        app.send("\r")
        app.wait_for("Say: exited 0", since=back)
        app.quit()
    finally:
        app.close()
