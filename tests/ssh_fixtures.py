"""pytest plugin: an OpenSSH server in front of the test engine, for ``ssh://`` tests.

``ssh_server`` starts Debian's ``sshd`` on 127.0.0.1 (a free port) with its
own config, host key and a generated client key, all in a temp dir, and stops
it at the end of the session, even after failures. ``ssh_target`` is the
``EngineTarget`` for ``ssh://root@127.0.0.1:PORT``; it points ``HOME`` at the
server's client home for the test, so paramiko (and the ``ssh`` binary) use the
generated key and known_hosts, never the real ``~/.ssh``.
"""

from __future__ import annotations

import pytest

from tests.support.engine import reachable_engine_url
from tests.support.sshd import TestSSHServer, sshd_available


@pytest.fixture(scope="session")
def ssh_server(docker_client):
    """A running sshd whose sessions reach the test engine (skips where sshd cannot run)."""
    problem = sshd_available()
    if problem:
        pytest.skip(problem)
    server = TestSSHServer(engine_url=reachable_engine_url())
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def ssh_home(ssh_server, monkeypatch):
    """HOME is the test server's client home for this test (restored afterwards)."""
    monkeypatch.setenv("HOME", str(ssh_server.home))
    return ssh_server.home


@pytest.fixture
def ssh_target(ssh_server, ssh_home):
    """The app's view of the test engine reached over ssh://."""
    from dockertui.backend import EngineTarget

    return EngineTarget(url=ssh_server.url, source="tests")
