"""The follower re-reads a container until its list entry agrees with the event.

No engine needed: the backend is a stand-in that answers stale first, as
Docker 20.10 does for a few milliseconds after a network connect or disconnect.
"""

from __future__ import annotations

from datetime import datetime, timezone

from dockertui.backend.live import EngineFollower
from dockertui.backend.models import ContainerInfo, EngineEvent

CONTAINER = "c" * 64
NETWORK = "n" * 64


def container(*networks: str) -> ContainerInfo:
    return ContainerInfo(
        id=CONTAINER, name="web", image="busybox", image_id="sha256:1", command="sleep 300",
        created=datetime(2026, 1, 1, tzinfo=timezone.utc), state="running", status="Up 1 second",
        networks=tuple(networks),
    )


def network_event(action: str) -> EngineEvent:
    attributes = {"container": CONTAINER, "name": "backend", "type": "bridge"}
    return EngineEvent(type="network", action=action, actor_id=NETWORK, attributes=tuple(sorted(attributes.items())), time_nano=0)


class StaleBackend:
    """get_containers answers with each of ``reads`` in turn, then the last one."""

    def __init__(self, *reads: ContainerInfo) -> None:
        self.reads = list(reads)
        self.calls = 0

    def get_containers(self, container_ids: list[str]) -> dict[str, ContainerInfo]:
        assert container_ids == [CONTAINER]
        self.calls += 1
        return {CONTAINER: self.reads[min(self.calls, len(self.reads)) - 1]}

    def list_networks(self) -> list:
        return []


class Listener:
    def __init__(self) -> None:
        self.changes: list[dict[str, ContainerInfo | None]] = []

    def containers_changed(self, changes: dict[str, ContainerInfo | None]) -> None:
        self.changes.append(changes)

    def networks_changed(self, networks: list) -> None:
        pass

    def swarm_changed(self, swarm: object) -> None:
        pass


def apply(backend: StaleBackend, action: str) -> ContainerInfo | None:
    listener = Listener()
    EngineFollower(lambda: backend, listener)._apply(backend, [network_event(action)])
    assert len(listener.changes) == 1
    return listener.changes[0][CONTAINER]


def test_a_connect_is_re_read_until_the_container_lists_the_network():
    backend = StaleBackend(container("bridge"), container("bridge", "backend"))
    assert apply(backend, "connect").networks == ("bridge", "backend")
    assert backend.calls == 2


def test_a_disconnect_is_re_read_until_the_network_is_gone():
    backend = StaleBackend(container("backend", "bridge"), container("bridge"))
    assert apply(backend, "disconnect").networks == ("bridge",)
    assert backend.calls == 2


def test_an_up_to_date_entry_is_read_once():
    backend = StaleBackend(container("bridge", "backend"))
    assert apply(backend, "connect").networks == ("bridge", "backend")
    assert backend.calls == 1
