"""The follower re-reads a container until its list entry agrees with the event.

No engine needed: the backend is a stand-in that answers stale first, as
Docker 20.10 does for a few milliseconds after a network connect or disconnect.
"""

from __future__ import annotations

import dataclasses
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
    """get_containers answers with each of ``reads`` in turn, then the last one (None: no such container)."""

    def __init__(self, *reads: ContainerInfo | None) -> None:
        self.reads = list(reads)
        self.calls = 0

    def get_containers(self, container_ids: list[str]) -> dict[str, ContainerInfo]:
        assert container_ids == [CONTAINER]
        self.calls += 1
        read = self.reads[min(self.calls, len(self.reads)) - 1]
        return {} if read is None else {CONTAINER: read}

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
    # While only the networks lag, the entry is shown at once and again once they settle.
    assert len(listener.changes) == (1 if backend.calls == 1 else 2)
    return listener.changes[-1][CONTAINER]


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


def test_a_slow_swarm_read_does_not_hold_up_container_re_reads(monkeypatch):
    """The swarm is re-read in a thread of its own: events that come meanwhile are re-read at once."""
    import threading

    from dockertui.backend import live

    release, reading = threading.Event(), threading.Event()
    reads: list[dict] = []

    def slow_read(backend, expected, wait):
        reads.append(dict(expected))
        reading.set()
        assert release.wait(5)
        return "swarm"

    monkeypatch.setattr(live, "read_swarm_settled", slow_read)

    class SwarmListener(Listener):
        def __init__(self) -> None:
            super().__init__()
            self.swarms: list[object] = []
            self.done = threading.Event()

        def swarm_changed(self, swarm: object) -> None:
            self.swarms.append(swarm)
            if len(self.swarms) == 2:
                self.done.set()

    backend, listener = StaleBackend(container()), SwarmListener()
    follower = EngineFollower(lambda: backend, listener)
    follower._swarm_reader = live.SwarmRereader(backend, listener, threading.Event(), on_error=lambda: None)
    service_event = EngineEvent(type="service", action="update", actor_id="s" * 25, attributes=(), time_nano=0)
    follower._apply(backend, [service_event])
    assert reading.wait(5)
    start = EngineEvent(type="container", action="start", actor_id=CONTAINER, attributes=(), time_nano=0)
    follower._apply(backend, [start])
    assert listener.changes == [{CONTAINER: container()}], "re-read while the swarm read waits"
    follower._apply(backend, [service_event])  # queued behind the slow read, served by one more
    follower._apply(backend, [service_event])
    release.set()
    assert listener.done.wait(5)
    follower._swarm_reader.close(5)
    assert listener.swarms == ["swarm", "swarm"] and len(reads) == 2


def test_a_newer_event_for_a_lagging_container_ends_the_wait():
    """`docker rm -f`: the list still says running after `die`; the queued `destroy` settles it, so no retries."""
    from dockertui.backend import live

    backend, listener = StaleBackend(container()), Listener()
    follower = EngineFollower(lambda: backend, listener)
    follower._pending = live.PendingEvents()
    die = EngineEvent(type="container", action="die", actor_id=CONTAINER, attributes=(), time_nano=0)
    follower._pending.put(EngineEvent(type="container", action="destroy", actor_id=CONTAINER, attributes=(), time_nano=1))
    follower._apply(backend, [die])
    assert backend.calls == 1, "read once, then left to the destroy's batch"
    assert listener.changes == [{CONTAINER: container()}]


def test_a_newer_event_for_another_container_does_not_end_the_wait():
    from dockertui.backend import live

    backend, listener = StaleBackend(container(), container()), Listener()
    follower = EngineFollower(lambda: backend, listener)
    follower._pending = live.PendingEvents()
    follower._pending.put(EngineEvent(type="container", action="start", actor_id="d" * 64, attributes=(), time_nano=1))
    die = EngineEvent(type="container", action="die", actor_id=CONTAINER, attributes=(), time_nano=0)
    follower._apply(backend, [die])
    assert backend.calls == 1 + len(live.SETTLE_DELAYS), "kept waiting for its own state"


def test_a_network_event_for_the_lagging_container_does_not_end_the_wait():
    """After `die` the bridge sends `disconnect`; its re-read waits for the network, so the state must settle here."""
    from dockertui.backend import live

    backend, listener = StaleBackend(container(), container()), Listener()
    follower = EngineFollower(lambda: backend, listener)
    follower._pending = live.PendingEvents()
    follower._pending.put(network_event("disconnect"))
    die = EngineEvent(type="container", action="die", actor_id=CONTAINER, attributes=(), time_nano=0)
    follower._apply(backend, [die])
    assert backend.calls == 1 + len(live.SETTLE_DELAYS), "kept waiting for the exit to show"


def test_the_state_a_die_expects_is_still_awaited_by_the_stop_that_cut_its_wait_short():
    """`docker stop`: die (the list still says running), then stop, which expects nothing of its own."""
    from dockertui.backend import live

    exited = dataclasses.replace(container(), state="exited", status="Exited (137) now")
    backend, listener = StaleBackend(container(), container(), exited), Listener()
    follower = EngineFollower(lambda: backend, listener)
    follower._pending = live.PendingEvents()
    die = EngineEvent(type="container", action="die", actor_id=CONTAINER, attributes=(), time_nano=0)
    stop = EngineEvent(type="container", action="stop", actor_id=CONTAINER, attributes=(), time_nano=1)
    follower._pending.put(stop)
    follower._apply(backend, [die])
    assert backend.calls == 1, "cut short by the stop"
    follower._pending = live.PendingEvents()
    follower._apply(backend, [stop])
    assert listener.changes[-1][CONTAINER].state == "exited", "the stop's re-read waited for the exit"


def test_a_settled_state_is_shown_before_the_networks_catch_up():
    """`docker stop`: the list says exited at once but keeps the bridge for a while; the exit shows first."""
    exited = dataclasses.replace(container("bridge"), state="exited")
    backend, listener = StaleBackend(exited, dataclasses.replace(exited, networks=())), Listener()
    die = EngineEvent(type="container", action="die", actor_id=CONTAINER, attributes=(), time_nano=0)
    disconnect = EngineEvent(type="network", action="disconnect", actor_id=NETWORK,
                             attributes=(("container", CONTAINER), ("name", "bridge")), time_nano=1)
    EngineFollower(lambda: backend, listener)._apply(backend, [die, disconnect])
    assert [(c[CONTAINER].state, c[CONTAINER].networks) for c in listener.changes] == [
        ("exited", ("bridge",)), ("exited", ()),
    ]


def test_a_container_removed_while_its_state_lags_is_reported_gone():
    """`docker rm -f`: the list still says running after `die`, and the container is gone at the
    next read. Its old read must not be reported: with its destroy event lost, the row would stay."""
    backend, listener = StaleBackend(container(), None), Listener()
    die = EngineEvent(type="container", action="die", actor_id=CONTAINER, attributes=(), time_nano=0)
    EngineFollower(lambda: backend, listener)._apply(backend, [die])
    assert listener.changes == [{CONTAINER: None}]
