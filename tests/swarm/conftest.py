"""A Swarm manager of the tests' own: a private engine that has run ``swarm init``.

The swarm lives on a throwaway engine in its own network namespace, never on
the engine the user (or the rest of the suite) uses: joining a swarm changes
an engine for good, and a user's engine may already be in one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import docker
import pytest

from tests.support.engine import PrivateEngine, ensure_fixture_image


@dataclass
class SwarmEngine:
    url: str
    client: docker.DockerClient
    node_id: str


@pytest.fixture(scope="session")
def swarm_engine() -> Iterator[SwarmEngine]:
    """A one-node swarm (this engine its manager), left and stopped afterwards."""
    if os.geteuid() != 0 or shutil.which("dockerd") is None or shutil.which("unshare") is None:
        pytest.skip("needs root, dockerd and unshare to run a private engine for the swarm")
    engine = PrivateEngine(isolated_network=True)
    engine.start()
    client = docker.DockerClient(base_url=engine.url)
    try:
        ensure_fixture_image(client)
        node_id = client.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
        yield SwarmEngine(url=engine.url, client=client, node_id=node_id)
    finally:
        try:
            client.swarm.leave(force=True)
        except docker.errors.APIError:
            pass  # not in a swarm (init failed): nothing to leave
        client.close()
        engine.stop()
        shutil.rmtree(engine.base_dir, ignore_errors=True)


@pytest.fixture
def make_service(swarm_engine: SwarmEngine, test_run_label: dict[str, str], unique_name):
    """A factory for labelled services of the fixture image, removed afterwards."""
    def make(command: list[str] | None = None, replicas: int = 1, **kwargs) -> docker.models.services.Service:
        service = swarm_engine.client.services.create(
            "dockertui-test/busybox:latest",
            command or ["sleep", "300"],
            name=unique_name("svc"),
            labels=dict(test_run_label),
            mode=docker.types.ServiceMode("replicated", replicas),
            **kwargs,
        )
        return service

    yield make
    for service in swarm_engine.client.services.list(filters={"label": [f"{k}={v}" for k, v in test_run_label.items()]}):
        service.remove()
