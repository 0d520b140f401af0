"""Swarm managers of the tests' own: private engines that have run ``swarm init``.

A swarm lives only on a throwaway engine in its own network namespace, never
on the engine the user (or the rest of the suite) uses: joining a swarm
changes an engine for good, and a user's engine may already be in one. Each
such engine can advertise 127.0.0.1:2377, as each has a loopback of its own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import docker
import pytest

from tests.support.engine import PrivateEngine, ensure_fixture_image


@dataclass
class SwarmEngine:
    url: str
    client: docker.DockerClient
    node_id: str


@contextmanager
def swarm_on(client: docker.DockerClient) -> Iterator[str]:
    """A one-node swarm with this engine its manager (its node id), left afterwards."""
    node_id = client.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
    try:
        yield node_id
    finally:
        client.swarm.leave(force=True)


@contextmanager
def private_swarm_engine() -> Iterator[SwarmEngine]:
    """A private engine of the caller's own, the manager of a one-node swarm; left and stopped afterwards."""
    if os.geteuid() != 0 or shutil.which("dockerd") is None or shutil.which("unshare") is None:
        pytest.skip("needs root, dockerd and unshare to run a private engine for a swarm")
    engine = PrivateEngine(isolated_network=True)
    engine.start()
    client = docker.DockerClient(base_url=engine.url)
    try:
        ensure_fixture_image(client)
        with swarm_on(client) as node_id:
            yield SwarmEngine(engine.url, client, node_id)
    finally:
        client.close()
        engine.stop()
        shutil.rmtree(engine.base_dir, ignore_errors=True)
