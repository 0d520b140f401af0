"""The backend against a real engine: list, re-read, events."""

from __future__ import annotations

import threading

import pytest

from dockertui.backend import DockerBackend, EngineFollower
from tests.support.engine import FIXTURE_IMAGE
from tests.support.recording import RecordingListener

pytestmark = pytest.mark.integration


@pytest.fixture
def backend(engine_target):
    backend = DockerBackend.connect(engine_target)
    yield backend
    backend.close()


def test_list_containers_reads_one_container_fully(backend, make_container, unique_name):
    name = unique_name("list")
    container = make_container(
        command=["sleep", "300"], name=name, labels={"role": "web"}, ports={"80/tcp": ("127.0.0.1", None)}
    )
    found = {c.id: c for c in backend.list_containers()}
    info = found[container.id]
    assert info.name == name
    assert info.state == "running"
    assert info.image == FIXTURE_IMAGE
    assert info.command == "sleep 300"
    assert ("role", "web") in info.labels
    published = [p for p in info.ports if p.is_published]
    assert published and published[0].container_port == 80 and published[0].host_ip == "127.0.0.1"
    assert published[0].host_port > 0


def test_get_container_follows_state_and_removal(backend, make_container):
    container = make_container(command=["sleep", "300"])
    assert backend.get_container(container.id).state == "running"
    container.stop(timeout=0)
    assert backend.get_container(container.id).state == "exited"
    container.remove()
    assert backend.get_container(container.id) is None


def test_images_list_and_get(backend, fixture_image):
    images = backend.list_images()
    fixture = next(i for i in images if FIXTURE_IMAGE in i.tags)
    assert fixture.size > 0
    assert backend.get_image(FIXTURE_IMAGE).id == fixture.id
    assert backend.get_image("dtui-test-no-such-image:never") is None


def test_engine_info(backend):
    info = backend.engine_info()
    assert info.version and info.api_version


def test_follower_reports_snapshot_then_only_changed_objects(backend, make_container, docker_client):
    listener = RecordingListener()
    follower = EngineFollower(lambda: DockerBackend.connect(backend.target), listener)
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    try:
        listener.wait_for(lambda r: r[0] == "connected")
        mark = len(listener.reports)
        container = make_container(command=["sleep", "300"])
        created = listener.wait_for(lambda r: r[0] == "container" and r[1] == container.id and r[2], after=mark)
        assert created[2].name == container.name
        container.stop(timeout=0)
        listener.wait_for(lambda r: r[0] == "container" and r[1] == container.id and r[2] and r[2].state == "exited", after=mark)
        container.remove()
        listener.wait_for(lambda r: r[0] == "container" and r[1] == container.id and r[2] is None, after=mark)
        # Events are reported just after their re-read.
        listener.wait_for(lambda r: r[0] == "event" and r[1].actor_id == container.id and r[1].action == "destroy", after=mark)
        actions = {r[1].action for r in listener.reports[mark:] if r[0] == "event" and r[1].actor_id == container.id}
        assert {"create", "start", "die", "destroy"} <= actions
    finally:
        follower.stop()
        thread.join(timeout=5)
    assert not thread.is_alive(), "stop() must free the follower's thread promptly"


def test_stop_frees_a_thread_blocked_on_the_event_stream(backend):
    listener = RecordingListener()
    follower = EngineFollower(lambda: DockerBackend.connect(backend.target), listener)
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    listener.wait_for(lambda r: r[0] == "connected")
    follower.stop()
    thread.join(timeout=3)
    assert not thread.is_alive()
