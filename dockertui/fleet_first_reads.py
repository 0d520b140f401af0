"""A fleet's lists read before its followers connect: each engine's shown as soon as it is in.

As ``first_lists.py`` does for one engine: the lists come over plain HTTP
(backend/first_read.py) while the SDK loads; each member's follower snapshot
then replaces them. A read that lands after its follower connected is dropped.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from textual.message import Message

from dockertui.backend.first_read import start_first_read
from dockertui.fleet import stamped

if TYPE_CHECKING:
    from dockertui.backend import EngineSnapshot
    from dockertui.fleet import Fleet


class FleetListsRead(Message):
    """One member's first read ended (``snapshot`` None if it failed)."""

    def __init__(self, host: str, generation: int, snapshot: EngineSnapshot | None) -> None:
        super().__init__()
        self.host = host
        self.generation = generation
        self.snapshot = snapshot


class FleetFirstReads:
    """Started with the app; each read is shown when it is in, or when the dashboard is."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._waiting: list[FleetListsRead] = []  # in before the dashboard was mounted

    def start(self, fleet: Fleet) -> None:
        for member in fleet.members:
            read = start_first_read(member.target)
            if read is not None:
                read.add_done_callback(
                    lambda done, host=member.name, generation=member.generation: self._posted(host, generation, done)
                )

    def _posted(self, host: str, generation: int, done: Future[EngineSnapshot | None]) -> None:
        self._app.post_message(FleetListsRead(host, generation, done.result()))

    def arrived(self, message: FleetListsRead) -> None:
        if self._app.dashboard.is_mounted:
            self._show(message)
        else:
            self._waiting.append(message)

    def dashboard_mounted(self) -> None:
        waiting, self._waiting = self._waiting, []
        for message in waiting:
            self._show(message)

    def _show(self, message: FleetListsRead) -> None:
        fleet = self._app.fleet
        member = fleet.member(message.host) if fleet is not None else None
        if member is None or member.generation != message.generation or message.snapshot is None:
            return
        if member.state != "connecting":
            return  # its follower's snapshot is in: newer than this
        member.engine = f"{message.snapshot.engine.product} {message.snapshot.engine.version}"
        self._app.dashboard.apply_snapshot(stamped(message.snapshot, member.name), member.target.url, host=member.name)
