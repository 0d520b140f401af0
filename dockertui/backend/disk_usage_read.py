"""``docker system df``, waiting out another one under way.

Docker before 23 refuses a disk usage read while one is running ("a disk
usage operation is already running"); the volume sizes, the cleanup preview
and the disk usage screen each read it, and on an engine with many objects
one read takes seconds. The later read waits for the earlier one instead of
failing, for a while: the read runs in a worker thread, which an app that
quits still waits for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dockertui.backend.errors import EngineError

ALREADY_RUNNING = "a disk usage operation is already running"
WAIT_SECONDS = 10.0
RETRY_SECONDS = 0.2


def read_disk_usage(call: Callable[[str], Any], sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """``call("df")``, tried again while the engine says another is running, for up to WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return call("df")
        except EngineError as error:
            if ALREADY_RUNNING not in str(error) or time.monotonic() >= deadline:
                raise
        sleep(RETRY_SECONDS)
