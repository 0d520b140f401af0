"""The real app in a pty over ssh://: the list, an exec shell, and a prompt quit."""

from __future__ import annotations

import time

import pytest

from tests.support.pty_app import PtyApp

pytestmark = pytest.mark.integration


def test_exec_session_and_quit_over_ssh(ssh_target, make_container):
    container = make_container(command=["sleep", "300"])
    app = PtyApp(["--host", ssh_target.url])  # HOME is the test server's client home (ssh_target)
    try:
        app.wait_for(container.name)
        app.wait_for("Containers (")
        assert "ssh://root@127.0.0.1" in app.text, "the header names the engine"
        app.show_only(container.name)
        start = app.mark()
        app.send("x")
        app.wait_for("ctrl-p ctrl-q detaches", since=start)
        back = app.echo_then_exit(start, "over-ssh")
        app.wait_for(container.name, since=back)
        started = time.monotonic()
        app.send("q")
        app.process.wait(timeout=10)
        assert app.process.returncode == 0
        assert time.monotonic() - started < 5, "quitting must not wait on ssh:// streams"
    finally:
        app.close()
