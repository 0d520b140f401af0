"""A process's output lines, fed from the thread that reads them, shown a batch at a time.

The Compose screen's up/down and a custom command's window both read a
process (backend ComposeRun) in a thread worker. One message per batch,
not per line: a chatty process would otherwise swamp the UI's queue. The
lines are text as the process wrote it; ``clean`` drops colours and cursor
moves, and Log shows no markup.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from textual.message import Message
from textual.widgets import Log

from dockertui.formatting import clean


class RunOutput(Log):
    """A Log whose ``feed`` may be called from another thread; keeps the last ``max_lines``."""

    class LinesWaiting(Message, bubble=False):
        """Lines wait in the buffer; one message per batch."""

    def __init__(self, max_lines: int, **kwargs) -> None:
        super().__init__(max_lines=max_lines, **kwargs)
        self._lock = threading.Lock()
        self._incoming: deque[str] = deque(maxlen=max_lines)
        self._posted = False
        self.lines_read = 0  # every line fed, kept or not

    def feed(self, lines: Iterable[str]) -> None:
        """In the reading thread: take every line until ``lines`` ends."""
        for line in lines:
            with self._lock:
                self._incoming.append(line)
                self.lines_read += 1
                post, self._posted = not self._posted, True
            if post:
                self.post_message(self.LinesWaiting())

    def on_run_output_lines_waiting(self, _: LinesWaiting) -> None:
        self.drain()

    def drain(self) -> None:
        """Write everything that arrived since the last batch, in one call (also when the process ended)."""
        with self._lock:
            lines = list(self._incoming)
            self._incoming.clear()
            self._posted = False
        if lines:
            self.write_lines([clean(line) for line in lines])
