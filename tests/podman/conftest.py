"""The Podman tests' client: the session's Podman service (podman_engine), cleaned of what the test labelled."""

from __future__ import annotations

import docker
import pytest


@pytest.fixture
def podman_client(podman_engine):
    client = docker.DockerClient(base_url=podman_engine.url)
    yield client
    for container in client.containers.list(all=True, filters={"label": "dockertui.test=podman"}):
        container.remove(force=True)
    client.close()
