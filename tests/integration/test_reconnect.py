"""The follower survives an engine restart: it reports the loss, reconnects and resyncs."""

from __future__ import annotations

import threading
import uuid

import docker
import pytest

from dockertui.backend import DockerBackend, EngineFollower, EngineTarget
from tests.support.engine import FIXTURE_IMAGE
from tests.support.recording import RecordingListener

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_follower_reconnects_after_the_engine_restarts(private_engine):
    target = EngineTarget(url=private_engine.url, source="tests")
    listener = RecordingListener()
    follower = EngineFollower(lambda: DockerBackend.connect(target), listener, backoff=(0.2, 0.5))
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    client = docker.DockerClient(base_url=private_engine.url)
    try:
        listener.wait_for(lambda r: r[0] == "connected")
        name = f"dtui-test-restart-{uuid.uuid4().hex[:8]}"
        container = client.containers.run(
            FIXTURE_IMAGE, ["sleep", "300"], name=name, detach=True, network_mode="none",
            labels={"dockertui.test": "reconnect"},
        )
        listener.wait_for(lambda r: r[0] == "container" and r[1] == container.id and r[2] and r[2].state == "running")

        mark = len(listener.reports)
        private_engine.stop()
        lost = listener.wait_for(lambda r: r[0] == "lost", after=mark)
        assert lost[1], "a lost connection carries a reason"

        private_engine.start()
        reconnected = listener.wait_for(lambda r: r[0] == "connected", after=mark)
        # Without live-restore, the restart stopped the container: the fresh
        # snapshot must say so, rather than keep the stale "running".
        states = {c.id: c.state for c in reconnected[1].containers}
        assert states[container.id] != "running"

        # Events flow again on the new stream.
        mark = len(listener.reports)
        client = docker.DockerClient(base_url=private_engine.url)
        client.containers.get(container.id).remove(force=True)
        listener.wait_for(lambda r: r[0] == "container" and r[1] == container.id and r[2] is None, after=mark)
    finally:
        follower.stop()
        thread.join(timeout=5)
        for leftover in client.containers.list(all=True, filters={"label": "dockertui.test=reconnect"}):
            leftover.remove(force=True)
        client.close()
    assert not thread.is_alive()


def test_unreachable_engine_is_reported_with_a_reason(tmp_path):
    target = EngineTarget(url=f"unix://{tmp_path}/nothing.sock", source="tests")
    listener = RecordingListener()
    follower = EngineFollower(lambda: DockerBackend.connect(target), listener, backoff=(0.1,))
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    try:
        lost = listener.wait_for(lambda r: r[0] == "lost")
        assert "not found" in lost[1]
    finally:
        follower.stop()
        thread.join(timeout=3)
    assert not thread.is_alive()
