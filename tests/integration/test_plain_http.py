"""Container actions on plain HTTP (backend/plain_http.py) against the real engine: the same
outcomes and the same engine messages as through the SDK, and a connection the engine dropped is
replaced without the action failing."""

from __future__ import annotations

import socket

import pytest

from dockertui.backend import DockerBackend, EngineError

pytestmark = pytest.mark.integration


@pytest.fixture
def backend(engine_target):
    backend = DockerBackend.connect(engine_target)
    assert backend._plain is not None, "a unix socket engine takes container actions on plain HTTP"
    yield backend
    backend.close()


def test_actions_change_the_container_as_the_sdk_would(backend, make_container):
    container = make_container(command=["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"])
    backend.control("pause", container.id)
    assert backend.get_container(container.id).state == "paused"
    backend.control("unpause", container.id)
    backend.control("stop", container.id)
    assert backend.get_container(container.id).state == "exited"
    backend.control("start", container.id)
    assert backend.get_container(container.id).state == "running"
    backend.control("kill", container.id)
    assert backend.get_container(container.id).state == "exited"
    backend.remove_container(container.id)
    assert backend.get_container(container.id) is None


def test_the_engine_refusal_is_its_own_message(backend, make_container):
    container = make_container()
    with pytest.raises(EngineError) as refused:
        backend.remove_container(container.id)  # running, and no force
    assert refused.value.status == 409
    assert "running container" in str(refused.value) and "force" in str(refused.value)
    backend.remove_container(container.id, force=True)
    with pytest.raises(EngineError) as missing:
        backend.remove_container(container.id)
    assert missing.value.status == 404 and "No such container" in str(missing.value)


def test_a_dropped_connection_is_replaced(backend, make_container):
    first, second = make_container(start=False), make_container(start=False)
    backend.remove_container(first.id)
    # As when the engine closes a connection left idle: the next request goes on a new one.
    backend._plain._local.connection.sock.shutdown(socket.SHUT_RDWR)
    backend.remove_container(second.id)
    assert backend.get_container(second.id) is None


def test_tls_and_ssh_engines_keep_the_sdk():
    from dockertui.backend.plain_http import PlainHTTP

    assert PlainHTTP.for_url("ssh://user@host", "1.41", 30) is None
    assert PlainHTTP.for_url("tcp://127.0.0.1:2375", "1.41", 30) is not None
