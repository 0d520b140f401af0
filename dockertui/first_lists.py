"""The lists shown before the follower connects, and the keys that wait meanwhile.

backend/first_read.py reads the lists while the SDK loads; the dashboard
shows them in its first frame if they are in by then, else as soon as they
are. Until the follower's own snapshot replaces them there is no connection
for actions, so keys typed meanwhile wait for it (typeahead.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future

from textual.app import App

from dockertui.backend import EngineInfo, EngineSnapshot, EngineTarget
from dockertui.backend.first_read import start_first_read
from dockertui.messages import FirstSnapshotRead
from dockertui.typeahead import Hold, TypeAhead

# How long the dashboard's first frame waits for lists still on their way: a
# loaded engine answers in a few hundred ms, and an empty frame then costs one
# more of about 0.15 s when they come.
FIRST_FRAME_WAIT_SECONDS = 0.3


class FirstLists:
    """One first read per app start, taken once."""

    def __init__(self, app: App, typeahead: TypeAhead, name_engine: Callable[[EngineInfo], None]) -> None:
        self._app = app
        self._typeahead = typeahead
        self._name_engine = name_engine  # the header names the engine once its lists show
        self._url = ""
        self._read: Future[EngineSnapshot | None] | None = None
        self._taken = False
        self._hold: Hold | None = None

    def start(self, target: EngineTarget) -> None:
        """Start reading; the app hears ``FirstSnapshotRead`` when it ends."""
        self._url = target.url
        self._read = start_first_read(target)
        if self._read is not None:
            self._read.add_done_callback(lambda _: self._app.post_message(FirstSnapshotRead()))

    @property
    def coming(self) -> bool:
        """Whether this engine is read this way (not TLS or ssh://)."""
        return self._read is not None

    async def wait(self, timeout: float = FIRST_FRAME_WAIT_SECONDS) -> None:
        """Until the lists are in, for at most ``timeout`` (at once if none are coming)."""
        if self._read is not None and not self._read.done():
            try:
                await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._read)), timeout)
            except asyncio.TimeoutError:
                pass

    async def wait_and_take(self) -> tuple[EngineSnapshot, str] | None:
        """``take``, after ``wait``: for the dashboard's first frame."""
        await self.wait()
        return self.take()

    def take(self) -> tuple[EngineSnapshot, str] | None:
        """The lists and the engine's URL, once, if they were read; None before they are in, and after."""
        read = self._read
        if self._taken or read is None or not read.done() or read.result() is None:
            return None
        self._taken = True
        snapshot = read.result()
        self._name_engine(snapshot.engine)
        return snapshot, self._url

    def drop(self) -> None:
        """The follower's snapshot is in (or the engine changed): never show these."""
        self._taken = True
        self.release_keys()

    def hold_keys(self, hold: Hold) -> None:
        """Keep ``hold`` on the keys until ``release_keys``: actions need the follower."""
        self._typeahead.extend(hold, "the engine connection")
        self._hold = hold

    def release_keys(self, connected: bool = True) -> None:
        """Let the keys typed meanwhile through (``connected``), or drop them: the engine is not there."""
        hold, self._hold = self._hold, None
        if hold is not None:
            self._typeahead.release(hold, opened=connected)
