"""App-level messages: facts about the engine, named in the past tense.

The engine follower runs in a worker thread; it reports through
``MessageListener``, which only posts messages (thread-safe). Widgets are
touched only by the handlers of these messages, on the UI thread.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Generic, TypeVar

from textual.message import Message
from textual.message_pump import MessagePump

from dockertui.backend import ContainerInfo, EngineEvent, EngineSnapshot, ImageInfo
from dockertui.backend.models import NetworkInfo, RunSpec, StatsSample, VolumeInfo
from dockertui.backend.swarm_models import SwarmSnapshot
from dockertui.typeahead import Hold

T = TypeVar("T")


class EngineMessage(Message):
    """A report from the engine follower; ``generation`` says which connection sent it.

    After a switch to another engine, reports still queued from the old
    connection carry an old generation and are dropped.
    """

    generation = 0
    # Which engine of a fleet sent it (fleet.py); "" with one engine.
    host = ""


class EngineConnected(EngineMessage):
    """A (re)connect succeeded; ``snapshot`` is the whole current state."""

    def __init__(self, snapshot: EngineSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class FirstSnapshotRead(Message):
    """The read of the lists before the follower connects has ended (backend/first_read.py)."""


class EngineLost(EngineMessage):
    """The engine cannot be reached; the follower retries in ``retry_in`` s."""

    def __init__(self, reason: str, retry_in: float) -> None:
        super().__init__()
        self.reason = reason
        self.retry_in = retry_in


class Gathered(Generic[T]):
    """Reports a worker makes faster than the UI takes them, gathered while one message is on its way.

    Only the first ``put`` since the UI last took posts a message; the UI
    ``take``s all that gathered meanwhile when it handles it. A burst (the
    thousand events of a bulk remove) is then a few messages, not a thousand
    queued ahead of the user's keys.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[T] | None = None

    def put(self, item: T) -> bool:
        """Add ``item``; True when no message is on its way, so the caller posts one."""
        with self._lock:
            if self._items is not None:
                self._items.append(item)
                return False
            self._items = [item]
            return True

    def take(self) -> list[T]:
        with self._lock:
            items, self._items = self._items or [], None
        return items


class ContainersChanged(EngineMessage):
    """Containers re-read after events, by id; None for those that are gone.

    Handlers read ``changes`` first, even to ignore them: reading takes them
    from the follower, which posts no other until they are taken.
    """

    def __init__(self, gathered: Gathered[dict[str, ContainerInfo | None]]) -> None:
        super().__init__()
        self._gathered = gathered

    @cached_property
    def changes(self) -> dict[str, ContainerInfo | None]:
        merged: dict[str, ContainerInfo | None] = {}
        for changes in self._gathered.take():
            merged.update(changes)  # each is the container's latest state
        return merged


class ImageChanged(EngineMessage):
    """One image was re-read after an event; None when it is gone."""

    def __init__(self, reference: str, image: ImageInfo | None) -> None:
        super().__init__()
        self.reference = reference
        self.image = image


class VolumesChanged(EngineMessage):
    """The whole volume list, re-read after a volume event."""

    def __init__(self, volumes: list[VolumeInfo]) -> None:
        super().__init__()
        self.volumes = volumes


class NetworksChanged(EngineMessage):
    """The whole network list, re-read after a network event."""

    def __init__(self, networks: list[NetworkInfo]) -> None:
        super().__init__()
        self.networks = networks


class SwarmChanged(EngineMessage):
    """The whole swarm, re-read after a swarm event; None when the engine is not a manager."""

    def __init__(self, swarm: SwarmSnapshot | None) -> None:
        super().__init__()
        self.swarm = swarm

    def can_replace(self, message: Message) -> bool:
        # Each carries the whole swarm: a newer one makes a queued one stale.
        return isinstance(message, SwarmChanged) and message.generation == self.generation


class EngineEventsReceived(EngineMessage):
    """Events from the engine's stream, oldest first, for panes that list them.

    As ``ContainersChanged``: handlers read ``events`` first, even to ignore them.
    """

    def __init__(self, gathered: Gathered[EngineEvent]) -> None:
        super().__init__()
        self._gathered = gathered

    @cached_property
    def events(self) -> list[EngineEvent]:
        return self._gathered.take()


class MessageListener:
    """The follower's listener: turns each report into a message on ``target``."""

    def __init__(self, target: MessagePump, generation: int = 0) -> None:
        self._target = target
        self._generation = generation
        self._changes: Gathered[dict[str, ContainerInfo | None]] = Gathered()
        self._events: Gathered[EngineEvent] = Gathered()

    def _post(self, message: EngineMessage) -> None:
        message.generation = self._generation
        self._target.post_message(message)

    def engine_connected(self, snapshot: EngineSnapshot) -> None:
        self._post(EngineConnected(snapshot))

    def engine_lost(self, reason: str, retry_in: float) -> None:
        self._post(EngineLost(reason, retry_in))

    def containers_changed(self, changes: dict[str, ContainerInfo | None]) -> None:
        if self._changes.put(changes):
            self._post(ContainersChanged(self._changes))

    def image_changed(self, reference: str, info: ImageInfo | None) -> None:
        self._post(ImageChanged(reference, info))

    def event_received(self, event: EngineEvent) -> None:
        if self._events.put(event):
            self._post(EngineEventsReceived(self._events))

    def volumes_changed(self, volumes: list[VolumeInfo]) -> None:
        self._post(VolumesChanged(volumes))

    def networks_changed(self, networks: list[NetworkInfo]) -> None:
        self._post(NetworksChanged(networks))

    def swarm_changed(self, swarm: SwarmSnapshot | None) -> None:
        self._post(SwarmChanged(swarm))


class EngineCallEnded(Message):
    """An action's engine call, watched since ``EngineWatch.started`` gave it ``token``, returned."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


class ActionFinished(Message):
    """An action on one or more objects ended; ``failures`` are (name, reason) pairs."""

    def __init__(
        self,
        summary: str,
        failures: list[tuple[str, str]],
        failed_ids: list[str],
        done_ids: list[str] | None = None,
        hold: Hold | None = None,
        removed_ids: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.summary = summary
        self.failures = failures
        self.failed_ids = failed_ids
        self.done_ids = done_ids or []
        # Containers the engine answered it removed: gone, whether or not their destroy event comes.
        self.removed_ids = removed_ids or []
        # Keys that waited for a screen this action was to open (see typeahead.py).
        self.hold = hold


class InspectLoaded(Message):
    """A full inspect document was read, ready to show."""

    def __init__(self, title: str, document: dict, hold: Hold | None = None) -> None:
        super().__init__()
        self.title = title
        self.document = document
        self.hold = hold


class RunSpecLoaded(Message):
    """A container's config was read back as a RunSpec, for "run again"."""

    def __init__(self, spec: RunSpec, hold: Hold | None = None, host: str = "") -> None:
        super().__init__()
        self.spec = spec
        self.hold = hold
        self.host = host  # the fleet's engine the container is on: run again there


class StatsRead(Message):
    """Fresh resource samples, by container id; each reply re-arms the next poll."""

    def __init__(self, samples: dict[str, StatsSample]) -> None:
        super().__init__()
        self.samples = samples

