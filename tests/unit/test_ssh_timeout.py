"""ssh:// engines that do not answer are reported after the connect timeout, not waited on."""

from __future__ import annotations

import select
import socket
import threading
import time

import pytest

from dockertui.backend import ssh_transport
from dockertui.backend.client import DockerBackend, EngineUnavailable
from dockertui.backend.connection import EngineTarget

pytest.importorskip("paramiko")

TIMEOUT = 1


@pytest.fixture
def short_timeout(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ssh: neither the user's keys nor config
    monkeypatch.setattr(ssh_transport, "SSH_CONNECT_TIMEOUT", TIMEOUT)


def connect(port: int) -> tuple[float, str]:
    """Connect to ssh://127.0.0.1:port, which must fail: (seconds it took, the reason given)."""
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as failure:
        DockerBackend.connect(EngineTarget(url=f"ssh://root@127.0.0.1:{port}", source="tests"))
    return time.monotonic() - started, str(failure.value)


def test_a_host_that_drops_the_connect_times_out(short_timeout):
    # A listener whose backlog is full: the kernel drops further SYNs, as a
    # firewall would, and a connect waits for minutes without a timeout.
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    queued = [socket.socket() for _ in range(3)]
    try:
        for sock in queued:
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
        # The first one's handshake completes (the backlog's one place): the rest stay unanswered.
        select.select([], queued[:1], [], 10)
        seconds, reason = connect(port)
        assert seconds < TIMEOUT + 5
        assert reason == "timed out"
    finally:
        for sock in queued:
            sock.close()
        listener.close()


def serve_once(behaviour) -> int:
    """A one-connection TCP server that sends an SSH banner, then does ``behaviour(connection)``."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        connection.sendall(b"SSH-2.0-OpenSSH_9.2 test\r\n")
        behaviour(connection)
        connection.close()
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def test_a_stalled_key_exchange_times_out(short_timeout):
    done = threading.Event()
    port = serve_once(lambda connection: done.wait(30))
    try:
        seconds, _ = connect(port)
        assert seconds < TIMEOUT + 5
    finally:
        done.set()


def test_a_server_that_hangs_up_in_the_key_exchange_is_reported(short_timeout):
    def hang_up(connection: socket.socket) -> None:
        connection.settimeout(0.5)
        try:
            while connection.recv(65536):  # read the client's key exchange, so the close is a clean EOF
                pass
        except TimeoutError:
            pass
        connection.shutdown(socket.SHUT_RDWR)

    _, reason = connect(serve_once(hang_up))
    assert reason == "the SSH server closed the connection"
