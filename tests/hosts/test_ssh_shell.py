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
        app.shell_round_trip(container.name, "over-ssh")
        started = time.monotonic()
        app.quit()
        assert time.monotonic() - started < 5, "quitting must not wait on ssh:// streams"
    finally:
        app.close()
