"""Keep a view in step with the engine, without polling.

After every (re)connect the follower reads one full snapshot; after that it
re-reads only the object an event names. It subscribes to events *before*
taking the snapshot, so nothing that happens in between is missed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from dockertui.backend.client import DockerBackend, EngineError
from dockertui.backend.models import ContainerInfo, EngineEvent, EngineSnapshot, ImageInfo
from dockertui.backend.streams import EngineStreamBroken, ClosableStream

# Container actions that leave what the list shows unchanged.
_QUIET_CONTAINER_ACTIONS = frozenset(
    {"attach", "detach", "resize", "top", "archive-path", "extract-to-dir", "export", "copy", "commit"}
)
_IMAGE_ACTIONS = frozenset({"pull", "tag", "untag", "delete", "import", "load"})

DEFAULT_BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)
MIN_HEALTHY_STREAM_SECONDS = 1.0


class FollowerListener(Protocol):
    """What the follower reports. Called from the follower's thread."""

    def engine_connected(self, snapshot: EngineSnapshot) -> None: ...

    def engine_lost(self, reason: str, retry_in: float) -> None: ...

    def container_changed(self, container_id: str, info: ContainerInfo | None) -> None: ...

    def image_changed(self, reference: str, info: ImageInfo | None) -> None: ...

    def event_received(self, event: EngineEvent) -> None: ...


def needs_container_reread(event: EngineEvent) -> bool:
    action = event.action.split(":", 1)[0]
    return not action.startswith("exec_") and action not in _QUIET_CONTAINER_ACTIONS


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
        """Follow the engine until ``stop()``; never raises for engine trouble."""
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
            stream = backend.events()
            with self._lock:
                self._stream = stream
            if self._stopping.is_set():
                stream.close()
                return
            self._listener.engine_connected(backend.snapshot())
            for event in stream:
                self._dispatch(backend, event)
        finally:
            with self._lock:
                self._stream = None

    def _dispatch(self, backend: DockerBackend, event: EngineEvent) -> None:
        self._listener.event_received(event)
        if event.type == "container":
            if event.action == "destroy":
                self._listener.container_changed(event.actor_id, None)
            elif needs_container_reread(event):
                self._listener.container_changed(event.actor_id, backend.get_container(event.actor_id))
        elif event.type == "image" and event.action in _IMAGE_ACTIONS:
            self._listener.image_changed(event.actor_id, backend.get_image(event.actor_id))
