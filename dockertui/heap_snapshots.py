"""Heap snapshots on request, so a benchmark can show what a long session keeps.

With ``DOCKERTUI_TRACEMALLOC=DIR`` in the environment, the app traces its
allocations from the start, and each SIGUSR1 writes a ``tracemalloc``
snapshot to ``DIR/NN.snapshot`` (NN counts from 00). ``benchmarks/memory.py``
compares them. Without the variable nothing is installed: tracing slows the
app and roughly doubles what it allocates.
"""

from __future__ import annotations

import gc
import itertools
import os
import signal
from pathlib import Path

ENVIRONMENT = "DOCKERTUI_TRACEMALLOC"
FRAMES = 8  # deep enough to reach the app's own line behind a library's allocation


def install_from_environment() -> None:
    directory = os.environ.get(ENVIRONMENT)
    if not directory:
        return
    import tracemalloc

    tracemalloc.start(FRAMES)
    numbers = itertools.count()

    def dump(_signum: int, _frame: object) -> None:
        gc.collect()  # what the collector would free is not kept
        path = Path(directory, f"{next(numbers):02d}.snapshot")
        # Written aside, then renamed: the benchmark waits for the name.
        tracemalloc.take_snapshot().dump(str(path.with_suffix(".partial")))
        path.with_suffix(".partial").rename(path)

    signal.signal(signal.SIGUSR1, dump)
