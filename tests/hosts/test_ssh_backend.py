"""The backend over ssh:// for real: lists, events, logs, closing streams, errors."""

from __future__ import annotations

import threading
import time

import pytest

from dockertui.backend import DockerBackend, EngineFollower, EngineTarget, EngineUnavailable
from tests.support.ports import free_port

pytestmark = pytest.mark.integration

PROMPT = 3.0  # seconds a blocked reader may take to notice a close


def drain_in_thread(stream, sink: list):
    """Iterate ``stream`` in a thread, as the app's workers do; returns the thread."""

    def run() -> None:
        for item in stream:
            sink.append(item)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def wait_for(condition, timeout: float = 15, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        time.sleep(0.05)


def test_lists_and_follows_events_then_closes_promptly(ssh_target, make_container):
    container = make_container(command=["sleep", "300"])
    backend = DockerBackend.connect(ssh_target)
    try:
        assert container.id in {c.id for c in backend.list_containers()}
        events: list = []
        stream = backend.events()
        reader = drain_in_thread(stream, events)
        container.pause()
        wait_for(lambda: any(e.actor_id == container.id and e.action == "pause" for e in events), what="the pause event")
        started = time.monotonic()
        stream.close()
        reader.join(PROMPT)
        assert not reader.is_alive(), "closing an ssh:// event stream must wake its reader"
        assert time.monotonic() - started < PROMPT
        # The connection itself is still usable after one stream was closed.
        assert backend.get_container(container.id).state == "paused"
    finally:
        backend.close()


@pytest.mark.parametrize("tty", [False, True])
def test_logs_stream_and_close_promptly(ssh_target, make_container, tty):
    script = 'i=0; while [ $i -lt 200 ]; do echo "line $i"; i=$((i+1)); done; while true; do echo tick; sleep 0.2; done'
    container = make_container(command=["sh", "-c", script], tty=tty)
    backend = DockerBackend.connect(ssh_target)
    try:
        batches: list = []
        stream = backend.container_logs(container.id, tail=None)
        reader = drain_in_thread(stream, batches)
        texts = lambda: [line.text for batch in batches for line in batch]  # noqa: E731
        wait_for(lambda: "tick" in texts(), what="the live lines")
        assert texts()[:200] == [f"line {i}" for i in range(200)]
        started = time.monotonic()
        stream.close()
        reader.join(PROMPT)
        assert not reader.is_alive(), "closing an ssh:// log stream must wake its reader"
        assert time.monotonic() - started < PROMPT
    finally:
        backend.close()


class Recorder:
    """A FollowerListener that only records."""

    def __init__(self) -> None:
        self.snapshots: list = []
        self.lost: list[str] = []

    def engine_connected(self, snapshot) -> None:
        self.snapshots.append(snapshot)

    def engine_lost(self, reason: str, retry_in: float) -> None:
        self.lost.append(reason)

    def containers_changed(self, changes) -> None:
        pass

    def image_changed(self, reference, info) -> None:
        pass

    def event_received(self, event) -> None:
        pass

    def volumes_changed(self, volumes) -> None:
        pass

    def networks_changed(self, networks) -> None:
        pass

    def swarm_changed(self, swarm) -> None:
        pass


def test_follower_stops_promptly_over_ssh(ssh_target):
    recorder = Recorder()
    follower = EngineFollower(lambda: DockerBackend.connect(ssh_target), recorder)
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    wait_for(lambda: recorder.snapshots, what="the first snapshot")
    assert recorder.snapshots[0].engine.host == ssh_target.url
    transport = follower.backend.api.adapters["http+docker://ssh"].ssh_client.get_transport()
    assert transport is not None and transport.is_active()
    started = time.monotonic()
    follower.stop()
    thread.join(PROMPT)
    assert not thread.is_alive(), "stop() must free the follower's thread over ssh://"
    assert time.monotonic() - started < PROMPT
    assert recorder.lost == []
    follower.backend.close()
    wait_for(lambda: not transport.is_active(), timeout=PROMPT, what="the SSH session to end")


def test_unknown_host_key_is_reported(ssh_server, ssh_home):
    (ssh_home / ".ssh" / "known_hosts").rename(ssh_home / ".ssh" / "known_hosts.saved")
    try:
        with pytest.raises(EngineUnavailable, match="SSH host key unknown"):
            DockerBackend.connect(EngineTarget(url=ssh_server.url, source="tests"))
    finally:
        (ssh_home / ".ssh" / "known_hosts.saved").rename(ssh_home / ".ssh" / "known_hosts")


def test_authentication_failure_is_reported(ssh_server, ssh_home, tmp_path):
    import subprocess

    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    config = ssh_home / ".ssh" / "config"
    original = config.read_text()
    config.write_text(original.replace(str(ssh_server.client_key), str(stranger)))
    try:
        with pytest.raises(EngineUnavailable, match="SSH authentication failed"):
            DockerBackend.connect(EngineTarget(url=ssh_server.url, source="tests"))
    finally:
        config.write_text(original)


def test_refused_and_unknown_hosts_are_reported(ssh_home):
    with pytest.raises(EngineUnavailable, match="connection refused"):
        DockerBackend.connect(EngineTarget(url=f"ssh://root@127.0.0.1:{free_port()}", source="tests"))
    with pytest.raises(EngineUnavailable, match="cannot resolve"):
        DockerBackend.connect(EngineTarget(url="ssh://root@no-such-host.invalid", source="tests"))


def test_many_distinct_requests_leave_room_for_new_ssh_sessions(ssh_target, make_container):
    """sshd allows 10 sessions per connection (MaxSessions), and each HTTP connection is one.

    docker-py keeps a pool, and so an open session, per request URL: after a
    dozen containers inspected, a new log stream could not open a session.
    """
    containers = [make_container(command=["sleep", "300"]) for _ in range(14)]
    backend = DockerBackend.connect(ssh_target)
    try:
        events = backend.events()  # a long-lived stream holds a session throughout, as in the app
        for container in containers:
            backend.inspect_container(container.id)
        chatty = make_container(command=["sh", "-c", "while true; do echo still here; sleep 0.2; done"])
        lines: list = []
        stream = backend.container_logs(chatty.id, tail=None, since=None)
        reader = drain_in_thread(stream, lines)
        wait_for(lambda: any("still here" in line.text for batch in lines for line in batch), what="a log line")
        stream.close()
        events.close()
        reader.join(PROMPT)
    finally:
        backend.close()


def test_an_alias_from_ssh_config_is_honoured(ssh_server, ssh_home, tmp_path, make_container):
    """ssh://alias takes HostName, Port, User, IdentityFile and UserKnownHostsFile from ~/.ssh/config, as ssh does."""
    known = tmp_path / "elsewhere_known_hosts"
    (ssh_home / ".ssh" / "known_hosts").rename(known)  # only the alias's UserKnownHostsFile has the key
    config = ssh_home / ".ssh" / "config"
    original = config.read_text()
    config.write_text(
        "Host dtui-alias\n"
        "    HostName 127.0.0.1\n"
        f"    Port {ssh_server.port}\n"
        f"    User {ssh_server.user}\n"
        f"    IdentityFile {ssh_server.client_key}\n"
        f"    UserKnownHostsFile {known}\n"
    )
    container = make_container(command=["sleep", "300"])
    try:
        backend = DockerBackend.connect(EngineTarget(url="ssh://dtui-alias", source="tests"))
        try:
            assert container.id in {c.id for c in backend.list_containers()}
            assert backend.ports_url == "ssh://127.0.0.1", "published ports are on the machine HostName names"
        finally:
            backend.close()
        config.write_text(config.read_text().replace(f"Port {ssh_server.port}", f"Port {free_port()}"))
        with pytest.raises(EngineUnavailable, match=r"127\.0\.0\.1.*port \d+|port \d+.*127\.0\.0\.1"):
            DockerBackend.connect(EngineTarget(url="ssh://dtui-alias", source="tests"))
    finally:
        config.write_text(original)
        known.rename(ssh_home / ".ssh" / "known_hosts")
