"""Fixtures for the image tests: a backend, a registry login, unique registry names."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import docker.errors
import pytest

from dockertui.backend import DockerBackend


@pytest.fixture
def backend(engine_target) -> Iterator[DockerBackend]:
    connected = DockerBackend.connect(engine_target)
    yield connected
    connected.close()


@pytest.fixture
def pushed_name(registry, docker_client) -> Iterator[str]:
    """A unique ``127.0.0.1:<port>/dtui-test-<hex>/busybox:t1``; its local tag is removed afterwards."""
    name = f"{registry.address}/dtui-test-{uuid.uuid4().hex[:8]}/busybox:t1"
    yield name
    try:
        docker_client.api.remove_image(name)
    except docker.errors.ImageNotFound:
        # The test removed it itself.
        return
