"""App-level messages: facts about the engine, named in the past tense.

The engine follower runs in a worker thread; it reports through
``MessageListener``, which only posts messages (thread-safe). Widgets are
touched only by the handlers of these messages, on the UI thread.
"""

from __future__ import annotations

from textual.message import Message
from textual.message_pump import MessagePump

from dockertui.backend import ContainerInfo, EngineEvent, EngineSnapshot, ImageInfo


class EngineConnected(Message):
    """A (re)connect succeeded; ``snapshot`` is the whole current state."""

    def __init__(self, snapshot: EngineSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class EngineLost(Message):
    """The engine cannot be reached; the follower retries in ``retry_in`` s."""

    def __init__(self, reason: str, retry_in: float) -> None:
        super().__init__()
        self.reason = reason
        self.retry_in = retry_in


class ContainerChanged(Message):
    """One container was re-read after an event; None when it is gone."""

    def __init__(self, container_id: str, container: ContainerInfo | None) -> None:
        super().__init__()
        self.container_id = container_id
        self.container = container


class ImageChanged(Message):
    """One image was re-read after an event; None when it is gone."""

    def __init__(self, reference: str, image: ImageInfo | None) -> None:
        super().__init__()
        self.reference = reference
        self.image = image


class EngineEventReceived(Message):
    """Any event from the engine's stream, for panes that list them."""

    def __init__(self, event: EngineEvent) -> None:
        super().__init__()
        self.event = event


class MessageListener:
    """The follower's listener: turns each report into a message on ``target``."""

    def __init__(self, target: MessagePump) -> None:
        self._target = target

    def engine_connected(self, snapshot: EngineSnapshot) -> None:
        self._target.post_message(EngineConnected(snapshot))

    def engine_lost(self, reason: str, retry_in: float) -> None:
        self._target.post_message(EngineLost(reason, retry_in))

    def container_changed(self, container_id: str, info: ContainerInfo | None) -> None:
        self._target.post_message(ContainerChanged(container_id, info))

    def image_changed(self, reference: str, info: ImageInfo | None) -> None:
        self._target.post_message(ImageChanged(reference, info))

    def event_received(self, event: EngineEvent) -> None:
        self._target.post_message(EngineEventReceived(event))
