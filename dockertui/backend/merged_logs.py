"""Several containers' logs as one stream, in time order, each line named by its container.

``docker compose logs -f`` for any set of containers: a Compose project, or
the containers marked in a list. Each container has its own log stream; one
reader thread per container feeds a queue, and what waits in it is merged
by timestamp.

Nothing written while the streams open is lost or shown twice: the follow
streams (from the end, ``tail=0``) open first, then each container's backlog
is read to its end; a followed line not newer than its container's last
backlog line was in the backlog already, and is dropped.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dockertui.backend.errors import EngineError
from dockertui.backend.logs import LogLine, stamp_key, stamp_seconds
from dockertui.backend.models import ContainerInfo
from dockertui.backend.streams import ClosableStream, EngineStreamBroken

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# Backlogs are read this many at a time; each is one request to the engine.
PARALLEL_READS = 8
# Batches waiting per stream before its reader waits: the engine holds the rest.
QUEUED_BATCHES = 64
# After its stream ended, a member looks whether it runs again this long after (a restart), in seconds.
RESTART_LOOKS = (0.2, 1.0, 3.0)
# A followed line waits this long at most for the other members' lines of the same moment (seconds).
HOLD_SECONDS = 0.15
# A backlog is handed on in pieces of this many lines, so the first ones show at once.
BACKLOG_BATCH = 2_000


@dataclass(frozen=True, slots=True)
class LogSource:
    """One container of a merged log: its id, and the name its lines are prefixed with.

    ``backend``: the engine it is on, when not the stream's own (a fleet's
    marks on several engines).
    """

    container_id: str
    name: str
    backend: DockerBackend | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class ContainerGroup:
    """Containers whose logs are followed as one; ``title`` says which ("project web", "3 marked")."""

    members: tuple[ContainerInfo, ...]
    title: str = ""

    @property
    def id(self) -> str:
        """The members' ids: one group is the same group while its members are."""
        return "+".join(sorted(member.id for member in self.members))

    @property
    def host(self) -> str:
        """The engine its members are on (a fleet's merged log reads one engine)."""
        return self.members[0].host if self.members else ""

    @property
    def name(self) -> str:
        shown = ", ".join(member.name for member in self.members[:3])
        more = f" and {len(self.members) - 3} more" if len(self.members) > 3 else ""
        return f"{self.title}: {shown}{more}" if self.title else shown + more

    @property
    def state(self) -> str:
        """"running" while any member runs (its output may come), else the first member's."""
        if any(member.state == "running" for member in self.members):
            return "running"
        return self.members[0].state if self.members else "exited"

    @property
    def sources(self) -> list[LogSource]:
        return [LogSource(member.id, member.name) for member in self.members]


class _Ended:
    """A reader's last word in the queue: its stream ended, maybe with an error."""

    __slots__ = ("source", "error")

    def __init__(self, source: LogSource, error: str | None) -> None:
        self.source = source
        self.error = error


def by_time(lines: list[LogLine]) -> list[LogLine]:
    """Lines in timestamp order (stable: lines of one second keep their order); unstamped ones first."""
    return sorted(lines, key=lambda line: stamp_key(line.timestamp) if line.timestamp else ("", 0))


def _named(lines: list[LogLine], name: str) -> list[LogLine]:
    return [LogLine(line.stream, line.timestamp, line.text, name) for line in lines]


class MergedLogStream:
    """Batches of lines from every source, each line's ``source`` its container's name.

    Open it in a thread (``open()`` makes the engine calls); iterate it there;
    ``close()`` from any thread ends the iteration. A container that stops
    is waited for and joins in again when it runs; one whose stream fails
    leaves the others going, and a line says so. Iteration ends when every
    container's stream has failed, or at ``close()``.
    """

    def __init__(self, backend: DockerBackend, sources: Sequence[LogSource], tail: int | None, since: float | None):
        self._backend = backend
        self._sources = list(sources)
        self._tail = tail
        self._since = since
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._streams: list[ClosableStream[list[LogLine]]] = []
        self._follows: dict[LogSource, ClosableStream[list[LogLine]]] = {}
        self._failed: list[LogLine] = []
        self._queue: queue.Queue[tuple[LogSource, list[LogLine]] | _Ended | None] = queue.Queue()
        self._slots = {source: threading.Semaphore(QUEUED_BATCHES) for source in self._sources}
        # Set to make a stopped member's reader look whether it runs again.
        self._wakes = {source: threading.Event() for source in self._sources}


    def _engine(self, source: LogSource) -> DockerBackend:
        return source.backend or self._backend
    def _opened(self, stream: ClosableStream[list[LogLine]]) -> ClosableStream[list[LogLine]]:
        """Keep ``stream`` to close with the rest; closed at once if the merge is closed already."""
        with self._lock:
            self._streams.append(stream)
        if self._closed.is_set():
            stream.close()
        return stream

    def open(self) -> MergedLogStream:
        """Open every container's follow stream; EngineError if none of them opens."""
        def open_follow(source: LogSource) -> None:
            try:
                # Only what comes from now on; the backlog is read on its own.
                stream = self._engine(source).container_logs(source.container_id, tail=0, since=self._since)
            except EngineError as error:
                self._failed.append(LogLine("stderr", "", f"— logs could not be read: {error} —", source.name))
                return
            self._follows[source] = self._opened(stream)

        with ThreadPoolExecutor(PARALLEL_READS, thread_name_prefix="dockertui-logs-open") as pool:
            list(pool.map(open_follow, self._sources))
        if not self._follows:
            reasons = "; ".join(line.text.strip("— ") for line in self._failed)
            raise EngineError(reasons or "no containers to follow")
        return self

    def close(self) -> None:
        """End the iteration, from any thread: every stream's socket is shut."""
        if self._closed.is_set():
            return
        self._closed.set()
        with self._lock:
            streams = list(self._streams)
        for stream in streams:
            stream.close()
        self._queue.put(None)
        for slot in self._slots.values():
            slot.release()  # a reader waiting for room sees the close
        self.nudge()  # and one waiting for its container to start again

    def __iter__(self) -> Iterator[list[LogLine]]:
        backlog, last_stamps = self._read_backlogs()
        if self._closed.is_set():
            return
        first = self._failed + by_time(backlog)
        for start in range(0, len(first), BACKLOG_BATCH):
            yield first[start : start + BACKLOG_BATCH]
        for source, stream in self._follows.items():
            threading.Thread(target=self._pump, args=(source, stream, last_stamps.get(source.name, "")),
                             name="dockertui-logs-merge", daemon=True).start()
        yield from self._live(last_stamps)

    def _read_backlogs(self) -> tuple[list[LogLine], dict[str, str]]:
        """Every followed container's last lines (or those since ``since``), named; and each one's last stamp."""
        def read(source: LogSource) -> list[LogLine]:
            try:
                stream = self._opened(self._engine(source).container_logs(
                    source.container_id, tail=self._tail, since=self._since, follow=False))
                return _named([line for batch in stream for line in batch], source.name)
            except (EngineError, EngineStreamBroken) as error:
                if self._closed.is_set():
                    return []
                return [LogLine("stderr", "", f"— earlier lines could not be read: {error} —", source.name)]

        with ThreadPoolExecutor(PARALLEL_READS, thread_name_prefix="dockertui-logs-backlog") as pool:
            backlogs = list(pool.map(read, self._follows))
        last_stamps = {}
        for source, lines in zip(self._follows, backlogs):
            stamps = [line.timestamp for line in lines if line.timestamp]
            if stamps:
                last_stamps[source.name] = stamps[-1]
        return [line for lines in backlogs for line in lines], last_stamps

    def _pump(self, source: LogSource, stream: ClosableStream[list[LogLine]], last: str) -> None:
        """One container's follow stream into the queue (in its own thread); ``last``: its newest line's stamp.

        A stream ends when its container stops. When the container runs
        again (a restart, or a start ``nudge()`` tells of), its stream opens
        again after the last line read, as ``docker compose logs -f`` goes
        on; a line says so. Only an error or ``close()`` ends this.
        """
        error: str | None = None
        slot = self._slots[source]
        try:
            while True:
                for batch in stream:
                    if last:  # reopened from the last line's whole second: drop what was read
                        seen = stamp_key(last)
                        batch = [line for line in batch if not line.timestamp or stamp_key(line.timestamp) > seen]
                        if not batch:
                            continue
                    if batch[-1].timestamp:
                        last = batch[-1].timestamp
                    slot.acquire()
                    if self._closed.is_set():
                        return
                    self._queue.put((source, _named(batch, source.name)))
                if not self._wait_until_running(source):
                    return
                self._queue.put((source, [LogLine("stdout", "", "— running again —", source.name)]))
                since = stamp_seconds(last) if last else self._since
                stream = self._opened(self._engine(source).container_logs(source.container_id, tail=None, since=since))
        except (EngineStreamBroken, EngineError) as failure:
            error = str(failure)
        self._queue.put(_Ended(source, error))

    def _wait_until_running(self, source: LogSource) -> bool:
        """After its stream ended: wait until the container runs again (True), or the merge is closed.

        A restart is looked for a few times in its first seconds; after
        that only a ``nudge()`` (the list saw a start) makes it look again.
        """
        wake = self._wakes[source]
        for delay in (*RESTART_LOOKS, None):
            wake.clear()
            if self._closed.is_set():
                return False
            if self._running(source):
                return True
            wake.wait(delay)

    def nudge(self) -> None:
        """A member may have started: each stopped one looks again (from any thread)."""
        for wake in self._wakes.values():
            wake.set()

    def _running(self, source: LogSource) -> bool:
        state = self._engine(source).inspect_container(source.container_id).get("State") or {}
        return bool(state.get("Running"))

    def _live(self, last_stamps: dict[str, str]) -> Iterator[list[LogLine]]:
        """What the readers queue, merged in time order.

        Readers deliver a little apart, so a line is held until every member
        heard from within HOLD_SECONDS has delivered one as new, or until it
        has waited HOLD_SECONDS itself: a quiet member holds nothing back for
        longer than that.
        """
        open_streams = len(self._follows)
        # Sources whose followed lines may still repeat their backlog's last ones.
        unchecked = {name: stamp_key(stamp) for name, stamp in last_stamps.items()}
        held: list[tuple[float, LogLine]] = []  # (when it came, the line)
        newest: dict[str, tuple[str, int]] = {}  # each source's newest line delivered
        heard: dict[str, float] = {}  # when each source last delivered
        while open_streams and not self._closed.is_set():
            waiting = []
            try:
                waiting.append(self._queue.get(timeout=HOLD_SECONDS if held else None))
                while True:
                    waiting.append(self._queue.get_nowait())
            except queue.Empty:
                pass
            now = time.monotonic()
            for item in waiting:
                if item is None:
                    return
                if isinstance(item, _Ended):
                    open_streams -= 1
                    if item.error:
                        held.append((now, LogLine("stderr", "", f"— stream failed: {item.error} —", item.source.name)))
                    continue
                source, batch = item
                self._slots[source].release()
                if source.name in unchecked:
                    batch = self._new_only(batch, unchecked)
                held.extend((now, line) for line in batch)
                stamps = [line.timestamp for line in batch if line.timestamp]
                if stamps:
                    newest[source.name] = stamp_key(stamps[-1])
                    heard[source.name] = now
            active = [newest[name] for name, at in heard.items() if now - at < HOLD_SECONDS]
            mark = min(active) if active else None
            ready = [line for came, line in held if now - came >= HOLD_SECONDS or not line.timestamp
                     or (mark is not None and stamp_key(line.timestamp) <= mark)]
            if ready:
                shown = {id(line) for line in ready}
                held = [(came, line) for came, line in held if id(line) not in shown]
                yield by_time(ready)
        if held:
            yield by_time([line for _, line in held])

    @staticmethod
    def _new_only(batch: list[LogLine], unchecked: dict[str, tuple[str, int]]) -> list[LogLine]:
        """Drop the lines of ``batch`` its container's backlog had; past the first newer one, stop checking."""
        name = batch[0].source if batch else ""
        last = unchecked.get(name)
        if last is None:
            return batch
        kept = [line for line in batch if not line.timestamp or stamp_key(line.timestamp) > last]
        if kept:
            del unchecked[name]
        return kept


def merged_container_logs(
    backend: DockerBackend, sources: Sequence[LogSource], tail: int | None = 500, since: float | None = None
) -> MergedLogStream:
    """Open the merged log of ``sources``: ``tail`` lines of each (None: all), or those since ``since``."""
    return MergedLogStream(backend, sources, tail, since).open()
