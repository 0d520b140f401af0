"""Keep a view in step with the engine, without polling.

After every (re)connect the follower reads one full snapshot; after that it
re-reads only the object an event names. It subscribes to events *before*
taking the snapshot, so nothing that happens in between is missed. The
engine answers the subscription before it takes effect (moby's getEvents
sends its headers first), so the stream starts at the engine's time before
the snapshot: the events of that gap come again, and are re-read like any.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from dockertui.backend.errors import EngineError
from dockertui.backend.implied_state import implied_change
from dockertui.backend.models import (
    ContainerInfo,
    EngineEvent,
    EngineSnapshot,
    ImageInfo,
    NetworkInfo,
    VolumeInfo,
)
from dockertui.backend.streams import ClosableStream, EngineStreamBroken
from dockertui.backend.swarm import read_swarm_settled, swarm_expectations
from dockertui.backend.swarm_models import SwarmSnapshot

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# Container actions that leave what the list shows unchanged.
_QUIET_CONTAINER_ACTIONS = frozenset(
    {"attach", "detach", "resize", "top", "archive-path", "extract-to-dir", "export", "copy", "commit"}
)
# Podman sends "build" for a built image where Docker sends "tag".
_IMAGE_ACTIONS = frozenset({"pull", "tag", "untag", "delete", "import", "load", "build"})

DEFAULT_BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)
MIN_HEALTHY_STREAM_SECONDS = 1.0
# The states a container can be in right after these events.
STATE_AFTER = {
    "create": frozenset({"created"}),
    "start": frozenset({"running", "exited", "dead"}),
    "restart": frozenset({"running", "exited", "dead"}),
    "pause": frozenset({"paused"}),
    "unpause": frozenset({"running", "exited"}),
    "die": frozenset({"exited", "restarting", "dead", "removing"}),
}
SETTLE_DELAYS = (0.02, 0.05, 0.1, 0.2)
GATHER_SECONDS = 0.01
# At most this many queued events are re-read together.
MAX_BATCH = 500
REREAD_JOIN_SECONDS = 5.0
# The events stream starts this long before the engine's clock read just before it.
CLOCK_MARGIN_SECONDS = 2
# An event shows what it implies of its container at once (implied_state.py)
# while at most this many events wait for their re-read; in a burst the
# re-reads alone report, rather than each container twice.
IMPLIED_AT_MOST = 4


class FollowerListener(Protocol):
    """What the follower reports. Called from the follower's thread."""

    def engine_connected(self, snapshot: EngineSnapshot) -> None: ...

    def engine_lost(self, reason: str, retry_in: float) -> None: ...

    def containers_changed(self, changes: dict[str, ContainerInfo | None]) -> None: ...

    def image_changed(self, reference: str, info: ImageInfo | None) -> None: ...

    def event_received(self, event: EngineEvent) -> None: ...

    def volumes_changed(self, volumes: list[VolumeInfo]) -> None: ...

    def networks_changed(self, networks: list[NetworkInfo]) -> None: ...

    def swarm_changed(self, swarm: SwarmSnapshot | None) -> None: ...


def needs_container_reread(event: EngineEvent) -> bool:
    action = event.action.split(":", 1)[0]
    return not action.startswith("exec_") and action not in _QUIET_CONTAINER_ACTIONS


class PendingEvents:
    """The events read but not yet re-read, in order; None marks the stream's end.

    A re-read that waits for a lagging container asks ``wait_for_news``: a newer
    event of that container (``destroy`` after ``die``) ends the wait at once,
    as that event's own re-read settles it. A network event naming it does
    not: its re-read waits for the network, not for the state (a ``die`` is
    followed by the bridge's ``disconnect``, which the list shows later still).
    """

    def __init__(self) -> None:
        self._items: deque[EngineEvent | None] = deque()
        self._changed = threading.Condition()
        self.put_count = 0  # events put so far: an event's number is the count after its put
        self.taken_count = 0  # events taken so far

    def __len__(self) -> int:
        return len(self._items)

    def put(self, event: EngineEvent | None) -> int:
        """Queue ``event``; returns its number."""
        with self._changed:
            self._items.append(event)
            self.put_count += 1
            self._changed.notify_all()
            return self.put_count

    def take(self, limit: int, gather: float, stopping: threading.Event) -> list[EngineEvent | None]:
        """Wait for one event; if more are queued (a burst), let it gather for ``gather`` s; take up to ``limit``."""
        with self._changed:
            self._changed.wait_for(lambda: self._items)
            burst = len(self._items) > 1
        if burst:
            stopping.wait(gather)
        with self._changed:
            taken = [self._items.popleft() for _ in range(min(limit, len(self._items)))]
            self.taken_count += len(taken)
            return taken

    def wait_for_news(self, container_ids: set[str], timeout: float) -> bool:
        """Wait up to ``timeout`` s; True as soon as a queued event names one of ``container_ids``."""

        def news() -> bool:
            return any(
                event is None or (event.type == "container" and event.actor_id in container_ids)
                for event in self._items
            )

        with self._changed:
            return self._changed.wait_for(news, timeout)


class EngineFollower:
    """Runs in one worker thread: connect, snapshot, follow, reconnect.

    ``stop()`` may be called from any thread; it closes the open stream so
    that ``run()`` returns promptly instead of waiting for the next event.
    """

    def __init__(
        self,
        connect: Callable[[], DockerBackend],
        listener: FollowerListener,
        backoff: Sequence[float] = DEFAULT_BACKOFF,
    ) -> None:
        self._connect = connect
        self._listener = listener
        self._backoff = tuple(backoff)
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._stream: ClosableStream[EngineEvent] | None = None
        self._swarm_reader: SwarmRereader | None = None
        self._pending: PendingEvents | None = None
        # States a re-read cut short by a newer event still expects: container id -> states.
        self._carried: dict[str, frozenset[str]] = {}
        # Each container as last reported, for what its next event implies.
        self._known: dict[str, ContainerInfo] = {}
        # Container id -> the number of the event whose implied state was last reported.
        self._implied_by: dict[str, int] = {}
        # The newest event read (its time_nano): a new stream's replay of it and older ones is left out.
        self._read_until = 0
        # Held while deciding on and making a report, by either thread: an implied
        # state must never be followed by an older re-read's.
        self._reporting = threading.Lock()
        self.backend: DockerBackend | None = None

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def retry_now(self) -> None:
        """Cut the current back-off wait short."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        with self._lock:
            stream = self._stream
        if stream is not None:
            stream.close()

    def run(self) -> None:
        """Follow the engine until ``stop()``; never raises for engine trouble.

        On the way out it closes its connection: over ``ssh://`` that ends the
        SSH session, which would otherwise outlive a switch to another engine.
        """
        try:
            self._run()
        finally:
            if self._stopping.is_set() and self.backend is not None:
                self.backend.close()

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                self._follow_once()
                # The stream ended without an error: the engine went away.
                # Try again at once, unless streams keep ending straight away.
                reason = "the engine closed the event stream"
                quick_end = time.monotonic() - started < MIN_HEALTHY_STREAM_SECONDS
                failures = failures + 1 if quick_end else 0
            except (EngineError, EngineStreamBroken) as error:
                reason = str(error) or type(error).__name__
                failures += 1
            if self._stopping.is_set():
                return
            if failures == 0:
                continue
            delay = self._backoff[min(failures - 1, len(self._backoff) - 1)]
            self._listener.engine_lost(reason, delay)
            self._wake.wait(delay)
            self._wake.clear()

    def _follow_once(self) -> None:
        backend = self._connect()
        previous, self.backend = self.backend, backend
        if previous is not None:
            previous.close()
        try:
            clock = backend.engine_clock()
            # A margin, for a clock read from a proxy in front of the engine (Docker Desktop's).
            stream = backend.events(since=None if clock is None else clock - CLOCK_MARGIN_SECONDS)
            with self._lock:
                self._stream = stream
            if self._stopping.is_set():
                stream.close()
                return
            snapshot = backend.snapshot()
            self._known = {info.id: info for info in snapshot.containers}
            self._listener.engine_connected(snapshot)
            self._report_swarm(backend, {})
            # The replay, if any, is of the seconds before the clock read: what the last
            # stream read of them is left out (an engine's clock set back can hide no more).
            self._pump(backend, stream, 0 if clock is None else min(self._read_until, (clock + 1) * 10**9))
        finally:
            with self._lock:
                self._stream = None

    def _pump(self, backend: DockerBackend, stream: ClosableStream[EngineEvent], replayed_until: int = 0) -> None:
        """Read events here; re-read the objects they name in a second thread.

        The second thread drains whatever has queued up and re-reads it in one
        request, so a burst (a thousand ``docker create``) costs a few requests
        rather than a thousand, and a quiet engine still gets one re-read per event.
        It reports the events themselves after their re-read, so that the UI
        handles both in one go and paints once (a paint for the Events pane
        alone would delay the next one by a frame or two).
        """
        events = self._pending = PendingEvents()
        self._carried.clear()  # a new stream starts from a fresh snapshot: nothing is still due
        self._swarm_reader = SwarmRereader(backend, self._listener, self._stopping, on_error=stream.close)
        rereader = threading.Thread(target=self._reread, args=(backend, events, stream), daemon=True, name="dockertui-reread")
        rereader.start()
        self._implied_by.clear()
        try:
            for event in stream:
                # The replay comes first, in time order. What the last stream read was handled
                # then, and shown again it would be taken for news (an old start reviving
                # ended logs); after the first newer event, each is new, however the clock steps.
                if 0 < event.time_nano <= replayed_until:
                    continue
                replayed_until = 0
                self._read_until = max(self._read_until, event.time_nano)
                self._queue(events, event)
        finally:
            events.put(None)
            rereader.join(timeout=REREAD_JOIN_SECONDS)
            self._swarm_reader.close(REREAD_JOIN_SECONDS)
            self._swarm_reader = None

    def _reread(self, backend: DockerBackend, events: PendingEvents, stream: ClosableStream) -> None:
        while True:
            # In a burst, one bigger batch costs the UI far less than many
            # small ones (a bulk removal sends hundreds); a lone event goes at once.
            batch = events.take(MAX_BATCH, GATHER_SECONDS, self._stopping)
            read = [event for event in batch if event is not None]
            try:
                self._apply(backend, read, first=events.taken_count - len(batch) + 1)
            except EngineError:
                # A failed re-read would leave the view stale: drop the stream,
                # which reconnects and resyncs everything.
                stream.close()
                return
            finally:
                for event in read:
                    self._listener.event_received(event)
            if None in batch:
                return

    def _read_settled(
        self,
        backend: DockerBackend,
        container_ids: list[str],
        expected: dict[str, frozenset[str]],
        attached: dict[str, dict[str, bool]] | None = None,
    ) -> tuple[dict[str, ContainerInfo], set[str]]:
        """Re-read containers, waiting briefly for the list to agree with the events.

        Also returns the ids whose state still lags: cut short by a newer
        event of theirs (whose re-read reports them), or never settled.

        The engine sends some events (pause, die, a network connect or
        disconnect) before its container list reflects them, so a re-read
        straight after the event can still show the old state or networks.
        Those few are read again after a short pause. ``attached``: container
        id -> {network name: whether it should now be attached}.
        """
        attached = attached or {}

        def state_lags(info: ContainerInfo) -> bool:
            return info.id in expected and info.state not in expected[info.id]

        def lags(info: ContainerInfo) -> bool:
            if state_lags(info):
                return True
            return any((name in info.networks) != wanted for name, wanted in attached.get(info.id, {}).items())

        found = backend.get_containers(container_ids)
        shown_early = False
        for delay in SETTLE_DELAYS:
            lagging = [cid for cid, info in found.items() if lags(info)]
            if not lagging:
                break
            if not shown_early and not any(state_lags(found[cid]) for cid in lagging):
                # Only the networks lag (the bridge's disconnect shows late, after a
                # stop): show the new state now, the networks when they settle.
                self._report_read(dict(found))
                shown_early = True
            pending = self._pending
            if pending is None:
                self._stopping.wait(delay)
            elif pending.wait_for_news(set(lagging), delay):
                # The newer event's re-read settles it, and sooner; it waits for
                # what this one expected unless it expects something of its own
                # (`stop` after `die` expects nothing, but the exit is still due).
                self._carried.update((cid, expected[cid]) for cid in lagging if cid in expected)
                return found, set(lagging)
            again = backend.get_containers(lagging)
            for gone in set(lagging) - again.keys():
                del found[gone]  # removed meanwhile: its old read must not be reported
            found.update(again)
        return found, {cid for cid, info in found.items() if state_lags(info)}

    def _apply(self, backend: DockerBackend, batch: list[EngineEvent], first: int = 0) -> None:
        """Re-read and report what ``batch`` (events numbered from ``first``) names."""
        changed: dict[str, bool] = {}  # container id -> needs a re-read
        attached: dict[str, dict[str, bool]] = {}  # container id -> {network name: attached now}
        images: dict[str, None] = {}
        kinds = {event.type for event in batch}
        for event in batch:
            if event.type == "container":
                if event.action == "destroy":
                    changed[event.actor_id] = False
                elif needs_container_reread(event):
                    changed[event.actor_id] = True
            elif event.type == "image" and event.action in _IMAGE_ACTIONS:
                images[event.actor_id] = None
            elif event.type == "network" and event.action in ("connect", "disconnect"):
                # The container's own list entry changes, but it sends no event.
                attributes = dict(event.attributes)
                container_id = attributes.get("container")
                if container_id:
                    changed[container_id] = True
                    if attributes.get("name"):
                        attached.setdefault(container_id, {})[attributes["name"]] = event.action == "connect"
        if changed:
            expected = {cid: self._carried.pop(cid) for cid in list(self._carried) if cid in changed}
            expected.update(
                (e.actor_id, STATE_AFTER[e.action]) for e in batch if e.type == "container" and e.action in STATE_AFTER
            )
            found, lagging = self._read_settled(
                backend, [cid for cid, reread in changed.items() if reread], expected, attached)
            # A lagging read would take back the state an event of this batch already
            # showed (a stop's die, then a list still saying running): left out.
            shown = {cid for cid in lagging if self._implied_by.get(cid, -1) >= first}
            self._report_read({cid: found.get(cid) for cid in changed if cid not in shown})
        for reference in images:
            self._listener.image_changed(reference, backend.get_image(reference))
        # Volumes and networks are few: re-list them whole after any of their events.
        if "volume" in kinds:
            self._listener.volumes_changed(backend.list_volumes())
        if "network" in kinds:
            self._listener.networks_changed(backend.list_networks())
        # The swarm is small too: re-read whole after service, node and task events.
        swarm_tasks = swarm_expectations(batch)
        if swarm_tasks is not None:
            if self._swarm_reader is not None:
                self._swarm_reader.request(swarm_tasks)
            else:
                self._report_swarm(backend, swarm_tasks)

    def _queue(self, events: PendingEvents, event: EngineEvent) -> None:
        """From the stream's thread: queue ``event`` for its re-read, and show what it
        says of its container now. Both under the lock, so that the re-read's report
        (which takes it too) can only come after."""
        with self._reporting:
            number = events.put(event)
            if len(events) > IMPLIED_AT_MOST:
                return  # a burst: its re-reads alone report
            info = implied_change(event, self._known.get(event.actor_id))
            if info is not None:
                self._known[event.actor_id] = info
                self._implied_by[event.actor_id] = number
                self._listener.containers_changed({event.actor_id: info})

    def _report_read(self, read: dict[str, ContainerInfo | None]) -> None:
        """Report re-read containers, but those whose newer event has shown what it implies:
        that event's own re-read reports them, and this older read would show them a step back."""
        with self._reporting:
            taken = self._pending.taken_count if self._pending is not None else 0
            current = {cid: info for cid, info in read.items() if self._implied_by.get(cid, 0) <= taken}
            for cid, info in current.items():
                if info is not None:
                    self._known[cid] = info
                else:
                    self._known.pop(cid, None)
                    self._implied_by.pop(cid, None)
            if current:
                self._listener.containers_changed(current)

    def _report_swarm(self, backend: DockerBackend, expected_tasks: dict[str, frozenset[str]]) -> None:
        """Re-read the swarm and report it (None unless the engine is a manager)."""
        self._listener.swarm_changed(read_swarm_settled(backend, expected_tasks, self._stopping.wait))


class SwarmRereader:
    """Re-reads the swarm in a thread of its own, so that its settle waits
    (up to 0.77 s while a task's state catches up with its container) never
    hold up the container re-reads of the events that come meanwhile.

    Requests made while a read is under way are merged and served by one
    more read. ``on_error``: called when the engine fails a read (the
    follower closes its stream, which reconnects and resyncs).
    """

    def __init__(
        self,
        backend: DockerBackend,
        listener: FollowerListener,
        stopping: threading.Event,
        on_error: Callable[[], None],
    ) -> None:
        self._backend = backend
        self._listener = listener
        self._stopping = stopping
        self._on_error = on_error
        self._pending: dict[str, frozenset[str]] | None = None
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, daemon=True, name="dockertui-swarm")
        self._thread.start()

    def request(self, expected_tasks: dict[str, frozenset[str]]) -> None:
        with self._changed:
            self._pending = {**(self._pending or {}), **expected_tasks}
            self._changed.notify()

    def close(self, timeout: float) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending is not None or self._closed)
                if self._closed:
                    return  # a new connection starts with a fresh swarm read
                expected, self._pending = self._pending or {}, None
            try:
                swarm = read_swarm_settled(self._backend, expected, self._stopping.wait)
            except EngineError:
                self._on_error()
                return
            self._listener.swarm_changed(swarm)
