"""A fleet for the tests: the suite's engine ("local"), a second private engine ("b"),
and, for the tests that ask, the suite's engine again over ssh:// ("ssh").

Engine b runs in a network namespace of its own, so its containers run with
``--network none``. Everything made on it carries the session's label and is
removed by it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import docker
import pytest
from docker.models.containers import Container

from dockertui.backend import EngineTarget
from dockertui.fleet import FleetEntry
from tests.support.cleanup import remove_labelled_containers


@pytest.fixture(scope="module")
def engine_b_client(private_engine) -> Iterator[docker.DockerClient]:
    client = docker.DockerClient(base_url=private_engine.url)
    yield client
    client.close()


@pytest.fixture
def make_container_b(
    engine_b_client, fixture_image: str, test_run_label: dict[str, str], unique_name
) -> Iterator[Callable[..., Container]]:
    """As ``make_container``, on engine b."""

    def make(command=("sleep", "300"), name: str | None = None, **kwargs) -> Container:
        container = engine_b_client.containers.run(
            fixture_image, list(command), name=name or unique_name("b"), labels=dict(test_run_label),
            network_mode="none", detach=True, **kwargs,
        )
        container.reload()
        return container

    yield make
    remove_labelled_containers(engine_b_client, test_run_label)


@pytest.fixture
def fleet_of_two(engine_target, private_engine) -> list[FleetEntry]:
    return [
        FleetEntry("local", engine_target),
        FleetEntry("b", EngineTarget(url=private_engine.url, source="tests")),
    ]
