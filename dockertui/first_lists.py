"""The lists shown before the follower connects, and the keys that wait meanwhile.

backend/first_read.py reads the lists while the SDK loads; the dashboard
shows them in its first frame if they are in by then, else as soon as they
are. Until the follower's own snapshot replaces them there is no connection
for actions, so keys typed meanwhile wait for it (typeahead.py).
"""

from __future__ import annotations

from concurrent.futures import Future

from textual.app import App

from dockertui.backend import EngineSnapshot, EngineTarget
from dockertui.backend.first_read import start_first_read
from dockertui.messages import FirstSnapshotRead
from dockertui.typeahead import Hold, TypeAhead


class FirstLists:
    """One first read per app start, taken once."""

    def __init__(self, app: App, typeahead: TypeAhead) -> None:
        self._app = app
        self._typeahead = typeahead
        self._read: Future[EngineSnapshot | None] | None = None
        self._taken = False
        self._hold: Hold | None = None

    def start(self, target: EngineTarget) -> None:
        """Start reading; the app hears ``FirstSnapshotRead`` when it ends."""
        self._read = start_first_read(target)
        if self._read is not None:
            self._read.add_done_callback(lambda _: self._app.post_message(FirstSnapshotRead()))

    @property
    def coming(self) -> bool:
        """Whether this engine is read this way (not TLS or ssh://)."""
        return self._read is not None

    def take(self) -> EngineSnapshot | None:
        """The lists, once, if they were read; None before they are in, and after."""
        read = self._read
        if self._taken or read is None or not read.done() or read.result() is None:
            return None
        self._taken = True
        return read.result()

    def drop(self) -> None:
        """The follower's snapshot is in (or the engine changed): never show these."""
        self._taken = True
        self.release_keys()

    def hold_keys(self, hold: Hold) -> None:
        """Keep ``hold`` on the keys until ``release_keys``: actions need the follower."""
        self._hold = hold

    def release_keys(self) -> None:
        hold, self._hold = self._hold, None
        if hold is not None:
            self._typeahead.release(hold)
