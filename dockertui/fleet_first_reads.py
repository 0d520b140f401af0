"""A fleet's lists read before its followers connect: each engine's shown as soon as it is in.

As ``first_lists.py`` does for one engine: the lists come over plain HTTP
(backend/first_read.py) while the SDK loads; each member's follower snapshot
then replaces them. A read that lands after its follower connected is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from textual.message import Message

from dockertui.backend.first_read import FIRST_READ_TIMEOUT, start_first_read
from dockertui.fleet import stamped

if TYPE_CHECKING:
    from dockertui.backend import EngineSnapshot
    from dockertui.fleet import Fleet, FleetMember


FRAME_WRITTEN_SECONDS = 0.05


class FleetListsRead(Message):
    """One member's first read ended (``snapshot`` None if it failed)."""

    def __init__(self, host: str, generation: int, snapshot: EngineSnapshot | None) -> None:
        super().__init__()
        self.host = host
        self.generation = generation
        self.snapshot = snapshot


class FleetFirstReads:
    """Started with the app; each read is shown when it is in, or when the dashboard is.

    Each member's follower starts once its read is drawn (or at once, for an
    engine only the SDK reaches, or a read that failed): started sooner, the
    followers' SDK import and snapshots hold the GIL while the lists they
    would only replace are drawn, and the terminal's writer thread waits too
    (three engines of 200: the lists on screen 1.57 -> 1.27 s). A member's
    read that hangs holds back only its own follower, for at most the read's
    timeout (then it is started anyway).
    """

    def __init__(self, app: Any) -> None:
        self._app = app
        self._waiting: list[FleetListsRead] = []  # in before the dashboard was mounted
        self._fleet: Fleet | None = None
        self._reading: set[str] = set()  # members whose read is not in yet
        self._unfollowed: set[str] = set()  # members whose follower waits
        self._follow: Callable[[FleetMember], None] | None = None

    def start(self, fleet: Fleet) -> None:
        self._fleet = fleet
        for member in fleet.members:
            read = start_first_read(member.target)
            if read is not None:
                self._reading.add(member.name)
                read.add_done_callback(
                    lambda done, host=member.name, generation=member.generation: self._posted(host, generation, done)
                )

    def _posted(self, host: str, generation: int, done: Future[EngineSnapshot | None]) -> None:
        self._app.post_message(FleetListsRead(host, generation, done.result()))

    def arrived(self, message: FleetListsRead) -> None:
        self._reading.discard(message.host)
        if self._app.dashboard.is_mounted:
            self._show(message)
            self._follow_when_drawn(message.host)
        else:
            self._waiting.append(message)

    def dashboard_mounted(self, follow: Callable[[FleetMember], None]) -> None:
        """Show the reads in so far, and start ``follow`` for each member as its read is drawn."""
        waiting, self._waiting = self._waiting, []
        for message in waiting:
            self._show(message)
        self._follow = follow
        fleet = self._fleet
        self._unfollowed = {member.name for member in fleet.members} if fleet is not None else set()
        for host in self._unfollowed:  # each started later, from a callback
            if host not in self._reading:
                self._follow_when_drawn(host)
            else:  # a read makes several requests, each with this timeout: its follower waits no longer
                self._app.set_timer(FIRST_READ_TIMEOUT, lambda host=host: self._start_follower(host))

    def _follow_when_drawn(self, host: str) -> None:
        # After the frame is made and, a moment later, written.
        self._app.call_after_refresh(self._app.set_timer, FRAME_WRITTEN_SECONDS, lambda: self._start_follower(host))

    def _start_follower(self, host: str) -> None:
        fleet = self._fleet
        if host not in self._unfollowed or fleet is None or self._app.fleet is not fleet or self._follow is None:
            return  # started already, or the fleet was replaced (its followers were started with it)
        self._unfollowed.discard(host)
        member = fleet.member(host)
        if member is not None:
            self._follow(member)

    def _show(self, message: FleetListsRead) -> None:
        fleet = self._app.fleet
        member = fleet.member(message.host) if fleet is not None else None
        if member is None or member.generation != message.generation or message.snapshot is None:
            return
        if member.state != "connecting":
            return  # its follower's snapshot is in: newer than this
        member.engine = f"{message.snapshot.engine.product} {message.snapshot.engine.version}"
        self._app.dashboard.apply_snapshot(stamped(message.snapshot, member.name), member.target.url, host=member.name)
