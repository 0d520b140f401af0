"""Memory over a long session: does RSS come back after containers come and go?

Drives ``dockertui --all`` in a tmux pane against a real engine. It reads
the app's RSS once start-up is over (RSS steady for 3 s), then each cycle
creates ``--count`` containers (created, not started), waits until the
Containers tab counts them all, removes them, waits until the count is back,
and reads the RSS 2 s later. The figure is the growth from the start (issue
14: within 10 MB after 5 cycles of 1,000). It is never a test: it only
reports.

    python -m benchmarks.memory [--cycles 5] [--count 1000] [--private-engine]
        [--tracemalloc] [--snapshots DIR] [--heapstats DIR] [--top 15]
        [--app-env KEY=VALUE] [--source DIR]

``--tracemalloc`` runs the cycles again with the app tracing its allocations
(``DOCKERTUI_TRACEMALLOC``, see dockertui/heap_snapshots.py), takes
snapshots at the start, at cycle 1's peak, after cycle 1 and after the last,
and prints the lines whose allocations grew most between them. Tracing slows
the app and inflates its RSS, so the RSS figures come from the untraced run.

``--heapstats DIR`` runs the cycles again untraced (``DOCKERTUI_HEAPSTATS``)
and prints, at the start and at each cycle's peak and end, where the memory
is: anonymous RSS, pymalloc's arenas and the bytes in use in them, glibc's
heap and what is in use in it, and the objects the collector tracks.

Containers are named ``dtui-mem-<run>-NNNN`` and labelled
``dockertui.bench=<run>``, and removed by that label at the end, also after
a failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker

from benchmarks import _tmux
from benchmarks._engine_run import create_labelled, run_on_engine
from benchmarks._tmux import TmuxApp, byte_compile, rss_mb

REPO = Path(__file__).resolve().parent.parent
# A traced app on a loaded machine can take minutes to start: tracemalloc slows every import.
START_TIMEOUT = 600.0
SETTLE_SECONDS = 2.0  # after the count is back: the last re-reads and redraws are done


def log(message: str) -> None:
    print(f"[memory] {message}", file=sys.stderr, flush=True)


def remove(api: docker.APIClient, ids: list[str]) -> None:
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda container_id: api.remove_container(container_id, force=True), ids))


def settled_rss(pid: int, steady_seconds: float = 3.0, timeout: float = 60.0) -> float:
    """RSS (MB) once it has held within 0.2 MB for ``steady_seconds``: start-up is over.

    The list shows before the app has finished starting (docker-py loads in a
    thread after the first frame, and on a loaded machine that takes seconds),
    and what is still loading then is no growth of the session's.
    """
    interval = 0.5
    recent: list[float] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recent = [*recent, rss_mb(pid)][-int(steady_seconds / interval) - 1:]
        if len(recent) > steady_seconds / interval and max(recent) - min(recent) <= 0.2:
            break
        time.sleep(interval)
    return recent[-1]


def cycles(app: TmuxApp, api: docker.APIClient, run_id: str, args: argparse.Namespace, others: int,
           after_cycle=None, at_peak=None) -> list[float]:
    """RSS (MB) at the start, then after each cycle; ``after_cycle(n)`` runs after cycle n's reading,
    ``at_peak(n)`` while cycle n's containers are all shown."""
    app.wait_count(others, timeout=START_TIMEOUT, interval=0.1)
    time.sleep(SETTLE_SECONDS)
    early = rss_mb(app.pid)
    readings = [settled_rss(app.pid)]
    log(f"start: {readings[0]:.1f} MB with {others} containers of others ({early:.1f} MB {SETTLE_SECONDS:.0f} s "
        f"after the list showed)")
    if after_cycle is not None:
        after_cycle(0)
    for cycle in range(1, args.cycles + 1):
        names = [f"dtui-mem-{run_id}-{cycle}-{index:04d}" for index in range(args.count)]
        ids = create_labelled(api, run_id, names, ["true"])
        app.wait_count(others + args.count, interval=0.1)
        peak = rss_mb(app.pid)
        if at_peak is not None:
            at_peak(cycle)
        remove(api, ids)
        app.wait_count(others, interval=0.1)
        time.sleep(SETTLE_SECONDS)
        readings.append(rss_mb(app.pid))
        log(f"cycle {cycle}: {peak:.1f} MB with {args.count} more shown, {readings[-1]:.1f} MB after removing them")
        if after_cycle is not None:
            after_cycle(cycle)
    return readings


def snapshot(app: TmuxApp, directory: Path, number: int) -> tracemalloc.Snapshot:
    os.kill(app.pid, signal.SIGUSR1)
    path = directory / f"{number:02d}.snapshot"
    deadline = time.monotonic() + 60
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no heap snapshot at {path} after 60 s")
        time.sleep(0.1)
    return tracemalloc.Snapshot.load(str(path))


def traced_growth(tmux: _tmux.Tmux, command: list[str], env: dict[str, str], api: docker.APIClient,
                  run_id: str, args: argparse.Namespace, others: int, directory: Path) -> list[str]:
    """The lines (the app's own line, and the library's behind it) whose allocations grew most:
    from the start to cycle 1's peak (all its containers shown), to the end of cycle 1, and to the last."""
    app = TmuxApp(tmux, "traced", command, {**env, "DOCKERTUI_TRACEMALLOC": str(directory)})
    taken: dict[str, tracemalloc.Snapshot] = {}

    def after(cycle: int) -> None:
        if cycle in (0, 1, args.cycles):
            taken[str(cycle)] = snapshot(app, directory, len(taken))

    def at_peak(cycle: int) -> None:
        if cycle == 1:
            taken["peak"] = snapshot(app, directory, len(taken))

    try:
        cycles(app, api, run_id, args, others, after, at_peak)
    finally:
        app.stop()
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen importlib._bootstrap*>")]
    shots = {name: shot.filter_traces(ignore) for name, shot in taken.items()}
    total = {name: sum(stat.size for stat in shot.statistics("filename")) / 2**20 for name, shot in shots.items()}
    lines = [f"traced heap: {total['0']:.1f} MB at the start, {total['peak']:.1f} MB at cycle 1's peak, "
             f"{total['1']:.1f} MB after cycle 1, {total[str(args.cycles)]:.1f} MB after cycle {args.cycles}"]
    steps = [("the start to cycle 1's peak", "0", "peak"), ("the start to the end of cycle 1", "0", "1")]
    if args.cycles > 1:
        steps.append((f"cycle 1 to cycle {args.cycles}", "1", str(args.cycles)))
    for title, before, later in steps:
        lines.append(f"from {title}:")
        lines += grown_lines(shots[before], shots[later], args.top)
    return lines


def where(traceback: tracemalloc.Traceback) -> str:
    """The app's own line that allocated (its latest frame), and the library's line behind it."""
    frames = [frame for frame in traceback if "/dockertui/" in frame.filename] or list(traceback)
    ours, inner = frames[-1], traceback[-1]
    place = f"{ours.filename.split('site-packages/')[-1]}:{ours.lineno}"
    return place if ours is inner else f"{place} (in {inner.filename.split('site-packages/')[-1]}:{inner.lineno})"


def grown_lines(before: tracemalloc.Snapshot, later: tracemalloc.Snapshot, top: int) -> list[str]:
    sizes: dict[str, list[int]] = {}
    for stat in later.compare_to(before, "traceback"):
        entry = sizes.setdefault(where(stat.traceback), [0, 0])
        entry[0] += stat.size_diff
        entry[1] += stat.count_diff
    ranked = sorted(sizes.items(), key=lambda item: -item[1][0])[:top]
    return [f"{size / 1024:+9.1f} KiB {count:+7d} blocks  {place}" for place, (size, count) in ranked if size > 0]


def stats_figures(path: Path) -> dict[str, float]:
    """The figures (MB, and a count of objects) from one DOCKERTUI_HEAPSTATS file."""
    text = path.read_text()

    def field(pattern: str) -> float:
        match = re.search(pattern, text, re.MULTILINE)
        return float(match.group(1).replace(",", "")) if match else float("nan")

    mb = 2**20
    return {
        "anon": field(r"^Anonymous:\s+(\d+) kB") / 1024,
        "pymalloc arenas": field(r"^(\d+) arenas \* ") * field(r"arenas \* (\d+) bytes/arena") / mb,
        "pymalloc used": field(r"# bytes in allocated blocks\s+=\s+([\d,]+)") / mb,
        "malloc heap": field(r"^arena (\d+)") / mb,
        "malloc used": field(r"^uordblks (\d+)") / mb,
        "malloc mmap": field(r"^hblkhd (\d+)") / mb,
        "objects": field(r"^# gc objects (\d+)"),
    }


def heap_stats(tmux: _tmux.Tmux, command: list[str], env: dict[str, str], api: docker.APIClient,
               run_id: str, args: argparse.Namespace, others: int, directory: Path) -> list[str]:
    """Where the memory is after each cycle, by allocator (DOCKERTUI_HEAPSTATS, untraced)."""
    app = TmuxApp(tmux, "stats", command, {**env, "DOCKERTUI_HEAPSTATS": str(directory)})
    rows: list[tuple[str, float, dict[str, float]]] = []

    def reading(when: str) -> None:
        os.kill(app.pid, signal.SIGUSR1)
        path = directory / f"{len(rows):02d}.stats"
        deadline = time.monotonic() + 60
        while not path.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no heap stats at {path} after 60 s")
            time.sleep(0.1)
        rows.append((when, rss_mb(app.pid), stats_figures(path)))

    try:
        cycles(app, api, run_id, args, others, lambda cycle: reading(f"{cycle}"),
               lambda cycle: reading(f"{cycle} peak"))
    finally:
        app.stop()
    names = list(rows[0][2])
    lines = ["cycle       RSS " + " ".join(f"{name:>15}" for name in names)]
    for when, rss, figures in rows:
        lines.append(f"{when:>8} {rss:6.1f} " + " ".join(f"{figures[name]:15.1f}" for name in names))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--count", type=int, default=1000, help="containers created and removed per cycle")
    parser.add_argument("--tracemalloc", action="store_true", help="also run traced, and show what grew")
    parser.add_argument("--snapshots", type=Path, help="with --tracemalloc: keep the heap snapshots in this folder")
    parser.add_argument("--heapstats", type=Path, metavar="DIR",
                        help="also run with DOCKERTUI_HEAPSTATS=DIR: where the memory is, by allocator, each cycle")
    parser.add_argument("--top", type=int, default=15, help="lines shown with --tracemalloc")
    parser.add_argument("--source", type=Path, help="run dockertui from this source tree")
    parser.add_argument("--private-engine", action="store_true")
    parser.add_argument("--app-env", action="append", default=[], metavar="KEY=VALUE",
                        help="set this in the app's environment (e.g. MALLOC_ARENA_MAX=2); may be repeated")
    args = parser.parse_args(argv)
    run_id = secrets.token_hex(2)
    tmux = _tmux.Tmux(f"dtui-memory-{run_id}")
    work = Path(tempfile.mkdtemp(prefix=f"dtui-memory-{run_id}-"))
    readings: list[float] = []
    grown: list[str] = []
    placed: list[str] = []

    def measure(url: str, client: docker.DockerClient) -> None:
        source = args.source or REPO
        byte_compile(source)
        command = [sys.executable, "-m", "dockertui", "--all"]
        # A config folder of the run's own, so the user's settings change nothing.
        env = {"DOCKER_HOST": url, "XDG_CONFIG_HOME": str(work), "PYTHONPATH": str(source),
               **dict(pair.split("=", 1) for pair in args.app_env)}
        others = len(client.api.containers(all=True))
        app = TmuxApp(tmux, "plain", command, env)
        try:
            readings.extend(cycles(app, client.api, run_id, args, others))
        finally:
            app.stop()
        if args.tracemalloc:
            kept = args.snapshots or work
            kept.mkdir(parents=True, exist_ok=True)
            grown.extend(traced_growth(tmux, command, env, client.api, run_id, args, others, kept))
        if args.heapstats:
            args.heapstats.mkdir(parents=True, exist_ok=True)
            placed.extend(heap_stats(tmux, command, env, client.api, run_id, args, others, args.heapstats))

    def cleanup() -> None:
        tmux.kill_server()
        shutil.rmtree(work, ignore_errors=True)

    status = run_on_engine(run_id, args.private_engine, log, measure, cleanup)
    if readings:
        print(f"\nRSS over {args.cycles} cycles of {args.count} containers created and removed (MB):")
        print("  " + ", ".join(f"{mb:.1f}" for mb in readings))
        growth = readings[-1] - readings[1] if len(readings) > 2 else float("nan")
        print(f"  growth from the first cycle to the last: {growth:+.1f} MB (target: within 10 MB)")
        print(f"  growth from the start: {readings[-1] - readings[0]:+.1f} MB")
    if grown:
        print("\nAllocations grown (traced run), largest first:")
        print("\n".join("  " + line for line in grown))
    if placed:
        print("\nWhere the memory is after each cycle (MB; a heap-stats run, which collects before each reading):")
        print("\n".join("  " + line for line in placed))
    return status


if __name__ == "__main__":
    sys.exit(main())
