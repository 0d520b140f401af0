"""Heap snapshots on request, so a benchmark can show what a long session keeps.

With ``DOCKERTUI_TRACEMALLOC=DIR`` in the environment, the app traces its
allocations from the start, and each SIGUSR1 writes a ``tracemalloc``
snapshot to ``DIR/NN.snapshot`` (NN counts from 00). ``benchmarks/memory.py``
compares them. Without the variable nothing is installed: tracing slows the
app and roughly doubles what it allocates.

With ``DOCKERTUI_HEAPSTATS=DIR`` instead, nothing is traced, and each SIGUSR1
writes ``DIR/NN.stats``: where the process's memory is, by allocator (see
``allocator_report``). It says whether what a session keeps is Python
objects, pymalloc arenas they pin, or the C allocator's heap.
"""

from __future__ import annotations

import gc
import itertools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

ENVIRONMENT = "DOCKERTUI_TRACEMALLOC"
STATS_ENVIRONMENT = "DOCKERTUI_HEAPSTATS"
FRAMES = 8  # deep enough to reach the app's own line behind a library's allocation


def install_from_environment() -> None:
    if os.environ.get(STATS_ENVIRONMENT):
        _install_dump(Path(os.environ[STATS_ENVIRONMENT]), ".stats", allocator_report)
        return
    directory = os.environ.get(ENVIRONMENT)
    if not directory:
        return
    import tracemalloc

    tracemalloc.start(FRAMES)
    _install_dump(Path(directory), ".snapshot", lambda path: tracemalloc.take_snapshot().dump(str(path)))


def _install_dump(directory: Path, suffix: str, write: Callable[[Path], None]) -> None:
    numbers = itertools.count()

    def dump(_signum: int, _frame: object) -> None:
        gc.collect()  # what the collector would free is not kept
        path = directory / f"{next(numbers):02d}{suffix}"
        # Written aside, then renamed: the benchmark waits for the name.
        write(path.with_suffix(".partial"))
        path.with_suffix(".partial").rename(path)

    signal.signal(signal.SIGUSR1, dump)


def allocator_report(path: Path) -> None:
    """RSS by kind (smaps_rollup), glibc's heap (mallinfo2), pymalloc's arenas and pools, and the
    objects the collector tracks by type (not those frozen at start-up, which it no longer lists)."""
    # Imported here: the app imports this module at every start, and these only on request.
    import collections
    import ctypes

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    lines: list[str] = []
    rollup = Path("/proc/self/smaps_rollup")
    if rollup.exists():
        lines += ["# smaps_rollup", *rollup.read_text().splitlines()[1:]]
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = Mallinfo2
        info = libc.mallinfo2()
        lines += ["# mallinfo2", *(f"{name} {getattr(info, name)}" for name, _ in Mallinfo2._fields_)]
    except (OSError, AttributeError):
        lines.append("# mallinfo2: not available")
    lines += ["# pymalloc", *_debugmallocstats()]
    counts = collections.Counter(type(thing).__qualname__ for thing in gc.get_objects())
    lines += ["# gc objects by type", *(f"{count} {name}" for name, count in counts.most_common(60))]
    lines.append(f"# gc objects {sum(counts.values())}, frozen {gc.get_freeze_count()}")
    path.write_text("\n".join(lines) + "\n")


def _debugmallocstats() -> list[str]:
    """``sys._debugmallocstats()``'s report: it writes to the C stderr, which is the terminal, so that goes to a file meanwhile."""
    import tempfile

    with tempfile.TemporaryFile("w+") as aside:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(aside.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        aside.seek(0)
        return aside.read().splitlines()
