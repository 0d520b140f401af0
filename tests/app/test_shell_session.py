"""Exec a shell from the real app in a real pseudo-terminal, and come back."""

from __future__ import annotations

import pytest

from tests.support.pty_app import PtyApp

pytestmark = pytest.mark.integration


def test_shell_session_runs_commands_and_returns_to_the_app(engine_target, make_container):
    container = make_container(command=["sleep", "300"])
    app = PtyApp(["--host", engine_target.url])
    try:
        app.wait_for(container.name)
        app.wait_for("Containers (")
        app.shell_round_trip(container.name)

        # Detaching with ctrl-p ctrl-q leaves the shell and returns too.
        again = app.mark()
        app.send("x")
        app.wait_for("# ", since=again)
        app.send(b"\x10\x11")
        app.wait_for("Session detached", since=again)

        app.quit()
    finally:
        app.close()


def test_attach_to_the_main_process_and_detach(engine_target, make_container):
    container = make_container(command=["sh"], tty=True, stdin_open=True)
    app = PtyApp(["--host", engine_target.url])
    try:
        app.wait_for(container.name)
        app.show_only(container.name)
        start = app.mark()
        app.send("A")
        app.wait_for("attach session", since=start)
        app.send("echo attached-$((2+3))\r")
        app.wait_for("attached-5", since=start)
        back = app.mark()
        app.send(b"\x10\x11")
        app.wait_for("Session detached", since=back)
        app.send("q")
        app.process.wait(timeout=10)
    finally:
        app.close()


async def test_in_the_browser_a_shell_says_why_it_cannot_run(engine_target, make_container, monkeypatch):
    """Served to a browser there is no terminal to hand over: x says so instead of failing darkly."""
    from dockertui.app import DockerTUI
    from dockertui.widgets.container_table import ContainerTable
    from tests.support.pilot import dashboard_up, select_row, wait_until

    container = make_container(command=["sleep", "300"])
    monkeypatch.setattr(DockerTUI, "is_web", property(lambda self: True))
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        table = app.screen.query_one(ContainerTable)
        await select_row(pilot, table, container.id)
        table.focus()
        await pilot.press("x")
        await wait_until(pilot, lambda: any("in the browser there is none" in n.message for n in app._notifications),
                         what=lambda: [n.message for n in app._notifications])


def test_a_one_off_command_leaves_its_output_until_enter(engine_target, make_container):
    """X with a command that is not a shell: its output stays on screen until Enter, then the app is back."""
    container = make_container(command=["sleep", "300"])
    app = PtyApp(["--host", engine_target.url])
    try:
        app.wait_for(container.name)
        start = app.mark()
        app.send(f":exec {container.name} printf 'one-off-%s\\n' 42\r")  # typed, it never reads one-off-42
        app.wait_for("one-off-42", since=start)
        app.wait_for("press Enter to go back", since=start)
        back = app.mark()
        app.send("\r")
        app.wait_for("Session ended", since=back)
    finally:
        app.close()


def test_attach_to_a_container_without_a_tty_says_why_not(engine_target, make_container):
    """Its streams are not a terminal: the app says so, and where its output is, and stays usable."""
    container = make_container(command=["sh", "-c", "while true; do echo tick; sleep 1; done"])
    app = PtyApp(["--host", engine_target.url])
    try:
        app.wait_for(container.name)
        app.show_only(container.name)
        start = app.mark()
        app.send("A")
        app.wait_for("without a TTY", since=start)
        app.quit()
    finally:
        app.close()


async def test_a_shell_in_a_stopped_container_is_refused_before_the_terminal_goes(engine_target, make_container):
    """x on an exited container: said at once, and the app keeps its screen (it used to hang there)."""
    from dockertui.app import DockerTUI
    from dockertui.widgets.container_table import ContainerTable
    from tests.support.pilot import dashboard_up, select_row, wait_until

    container = make_container(command=["true"])
    container.wait()
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        table = app.screen.query_one(ContainerTable)
        await wait_until(pilot, lambda: container.id in table.items and table.items[container.id].state == "exited",
                         what="the exited row")
        await select_row(pilot, table, container.id)
        table.focus()
        await pilot.press("x")
        await wait_until(pilot, lambda: any("is exited: start it first" in n.message for n in app._notifications),
                         what=lambda: [n.message for n in app._notifications])
