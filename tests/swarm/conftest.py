"""A Swarm manager of the tests' own: a private engine that has run ``swarm init``.

The swarm lives on a throwaway engine in its own network namespace, never on
the engine the user (or the rest of the suite) uses: joining a swarm changes
an engine for good, and a user's engine may already be in one.
"""

from __future__ import annotations

from collections.abc import Iterator

import docker
import pytest

from tests.support.swarm import SwarmEngine, private_swarm_engine


@pytest.fixture(scope="session")
def swarm_engine() -> Iterator[SwarmEngine]:
    """A one-node swarm (this engine its manager), left and stopped afterwards."""
    with private_swarm_engine() as engine:
        yield engine


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
