"""A container's pause or exit shows before its re-read has answered.

The re-read of the container the test acts on is held back until the test
lets it go, so the report that comes while it waits can only be what the
event implied (backend/implied_state.py); the re-read then confirms it, and
an older re-read held back meanwhile never shows the container a step back.
"""

from __future__ import annotations

import threading

import pytest

from dockertui.backend import DockerBackend, EngineFollower
from tests.support.recording import RecordingListener

pytestmark = pytest.mark.integration

WAIT = 20.0
# Longer than WAIT: a report that only the re-read could bring comes too late to pass.
HOLD = 3 * WAIT


class HeldRereads:
    """Connects as the follower would, holding back re-reads of ``held`` ids while ``holding`` is set."""

    def __init__(self, target) -> None:
        self.target = target
        self.held: set[str] = set()
        self.holding = threading.Event()
        self.let_go = threading.Event()

    def connect(self) -> DockerBackend:
        backend = DockerBackend.connect(self.target)
        read = backend.get_containers

        def get_containers(container_ids):
            # Read, then wait: what comes back is as old as the read, as on a slow link.
            found = read(container_ids)
            if self.holding.is_set() and self.held & set(container_ids):
                self.let_go.wait(HOLD)
            return found

        backend.get_containers = get_containers
        return backend


@pytest.fixture
def followed(engine_target):
    rereads = HeldRereads(engine_target)
    listener = RecordingListener()
    follower = EngineFollower(rereads.connect, listener)
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    listener.wait_for(lambda r: r[0] == "connected")
    yield rereads, listener
    rereads.let_go.set()
    follower.stop()
    thread.join(timeout=5)


def container_report(listener, container_id, state, after):
    return listener.wait_for(
        lambda r: r[0] == "container" and r[1] == container_id and r[2] is not None and r[2].state == state,
        timeout=WAIT, after=after,
    )


def event_report(listener, container_id, action, after):
    """Events are reported after their re-read: once this one is, nothing of it is still held."""
    return listener.wait_for(lambda r: r[0] == "event" and r[1].actor_id == container_id and r[1].action == action,
                             timeout=WAIT, after=after)


def exit_shows_while_held(rereads, listener, container, act, last_action):
    """``act`` stops ``container``: its exit shows before any held re-read answers, and, the
    re-reads let go (each made before the exit), it never shows running again. Returns the exit shown."""
    rereads.let_go.clear()
    mark = len(listener.reports)
    act()
    exited = container_report(listener, container.id, "exited", mark)[2]
    assert not rereads.let_go.is_set()  # no re-read of it has answered
    rereads.let_go.set()
    event_report(listener, container.id, last_action, mark)
    assert_never_back(listener, container.id, mark)
    return exited


def test_a_pause_and_an_exit_show_while_their_re_reads_wait(followed, make_container):
    rereads, listener = followed
    container = make_container(command=["sleep", "300"])
    container_report(listener, container.id, "running", 0)
    rereads.held.add(container.id)
    rereads.holding.set()

    mark = len(listener.reports)
    container.pause()
    paused = container_report(listener, container.id, "paused", mark)[2]
    assert not rereads.let_go.is_set()  # no re-read of it has answered
    assert paused.status.endswith("(Paused)")
    rereads.let_go.set()
    container_report(listener, container.id, "paused", listener.reports.index(("container", container.id, paused)) + 1)
    container.unpause()
    event_report(listener, container.id, "unpause", mark)

    exited = exit_shows_while_held(rereads, listener, container, container.kill, "die")
    assert exited.status.startswith("Exited (137)")

    # A stop: kill, die, then stop, whose re-read settles what die's (made before the exit) cut short.
    mark = len(listener.reports)
    container.start()
    container_report(listener, container.id, "running", mark)
    event_report(listener, container.id, "start", mark)
    exit_shows_while_held(rereads, listener, container, lambda: container.stop(timeout=0), "stop")


def assert_never_back(listener, container_id, mark):
    """Once shown exited, the container is never reported running again."""
    states = [r[2].state for r in listener.reports[mark:] if r[0] == "container" and r[1] == container_id]
    first = states.index("exited")
    assert states[first:] == ["exited"] * (len(states) - first), states
