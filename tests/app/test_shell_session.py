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
        app.show_only(container.name)
        start = app.mark()
        app.send("x")
        app.wait_for("ctrl-p ctrl-q detaches", since=start)
        back = app.echo_then_exit(start)
        app.wait_for(container.name, since=back)

        # Detaching with ctrl-p ctrl-q leaves the shell and returns too.
        again = app.mark()
        app.send("x")
        app.wait_for("# ", since=again)
        app.send(b"\x10\x11")
        app.wait_for("Session detached", since=again)

        app.send("q")
        app.process.wait(timeout=10)
        assert app.process.returncode == 0
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
