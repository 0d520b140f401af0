"""Nothing is missed between the follower's subscription and its snapshot.

Docker answers an events request before the subscription takes effect
(its getEvents flushes the headers, then subscribes), so under load the
snapshot read next can be taken before the engine sends us anything: a
container removed in that gap stayed on screen for good. These tests open
the real stream late, after the snapshot and a change made meanwhile, as
the engine does when its subscription lags.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from dockertui.backend import DockerBackend, EngineFollower, EngineTarget
from tests.support.recording import RecordingListener

pytestmark = pytest.mark.integration

WAIT = 20.0


class LateStream:
    """An event stream that opens only when first read, after ``meanwhile()`` has run."""

    def __init__(self, open_stream: Callable[[], object], meanwhile: Callable[[], None]) -> None:
        self._open = open_stream
        self._meanwhile = meanwhile
        self._stream = None
        self._closed = threading.Event()

    def __iter__(self):
        self._meanwhile()
        self._stream = self._open()
        if self._closed.is_set():
            self._stream.close()
        return iter(self._stream)

    def close(self) -> None:
        self._closed.set()
        if self._stream is not None:
            self._stream.close()


class GapConnector:
    """Connects as the follower would; the next stream opens late when ``meanwhile`` is set."""

    def __init__(self, target) -> None:
        self.target = target
        self.meanwhile: Callable[[], None] | None = None
        self.clock: int | None = None  # when set, the engine clock every connect reads
        self.streams: list = []

    def connect(self) -> DockerBackend:
        backend = DockerBackend.connect(self.target)
        events, engine_clock = backend.events, backend.engine_clock

        def late_events(**kwargs):
            meanwhile, self.meanwhile = self.meanwhile, None
            stream = LateStream(lambda: events(**kwargs), meanwhile) if meanwhile else events(**kwargs)
            self.streams.append(stream)
            return stream

        backend.events = late_events
        backend.engine_clock = lambda: self.clock if self.clock is not None else engine_clock()
        return backend


@pytest.fixture
def gap(engine_target):
    connector = GapConnector(engine_target)
    listener = RecordingListener()
    follower = EngineFollower(connector.connect, listener, backoff=(0.2,))
    thread = threading.Thread(target=follower.run, daemon=True)
    yield connector, listener, thread.start
    follower.stop()
    thread.join(timeout=5)


def test_a_container_removed_before_the_subscription_takes_effect_goes(gap, make_container):
    connector, listener, start = gap
    container = make_container(command=["sleep", "300"], start=False)
    connector.meanwhile = lambda: container.remove(force=True)
    start()
    connected = listener.wait_for(lambda r: r[0] == "connected", timeout=WAIT)
    assert container.id in {c.id for c in connected[1].containers}  # the snapshot came first
    listener.wait_for(lambda r: r[0] == "container" and r[1] == container.id and r[2] is None, timeout=WAIT)


def test_events_a_new_stream_replays_are_not_reported_twice(gap, make_container):
    connector, listener, start = gap
    start()
    listener.wait_for(lambda r: r[0] == "connected", timeout=WAIT)
    container = make_container(command=["sleep", "300"], start=False)
    created = listener.wait_for(lambda r: r[0] == "event" and r[1].actor_id == container.id, timeout=WAIT)[1]

    # The link drops; the next stream starts from before the create, which it sends again.
    connector.clock = created.time_nano // 1_000_000_000
    mark = len(listener.reports)
    connector.streams[-1].close()
    listener.wait_for(lambda r: r[0] == "connected", timeout=WAIT, after=mark)
    container.start()
    listener.wait_for(lambda r: r[0] == "event" and r[1].actor_id == container.id and r[1].action == "start",
                      timeout=WAIT, after=mark)
    actions = [r[1].action for r in listener.reports if r[0] == "event" and r[1].actor_id == container.id]
    assert actions == ["create", "start"]


def test_docker_gives_its_clock_and_podman_none(engine_target, podman_engine):
    """Podman would read its whole event log for a ``since``: it is asked for none."""
    clock = DockerBackend.connect(engine_target).engine_clock()
    answered_at = time.time()
    assert clock is not None and answered_at - 60 < clock <= answered_at + 60  # the engine's clock is this host's
    podman = DockerBackend.connect(EngineTarget(url=podman_engine.url, source="tests"))
    assert podman.engine_clock() is None
