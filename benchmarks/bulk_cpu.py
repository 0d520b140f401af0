"""The app's CPU for a bulk remove of many containers, counted headless (issue 14 item 10).

``bulk.py`` reads the screen of the real app in tmux, and its times swing
by half from run to run with the machine. This counts, in the app itself
(``run_test``, 120x35, no terminal), what the removal costs it: the UI
thread's CPU, the whole process's (the action threads, the follower), the
frames and their CPU, screen layouts and which widgets asked for them.
Every core-second the app spends is taken from the engine, which removes
the containers on the same two cores.

    python -m benchmarks.bulk_cpu [--count 1000] [--tries 3] [--private-engine] [--source DIR]

Each try makes ``--count`` created containers (labelled, named for the
run), starts the app in a child process (``--source`` puts another tree
first on its path), filters the list to the run's containers, marks them
all, opens the remove dialog and confirms; meanwhile ``G`` and ``g``
alternate every 0.25 s, as in bulk.py. The counting runs from the confirm
until the list is empty.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks._frame_count import FrameCount

REPO = Path(__file__).resolve().parent.parent
KEY_GAP = 0.25


def measure(frames: FrameCount, prefix: str, count: int) -> dict:
    """In the child: run the app headless, remove the containers named ``prefix…``, count; returns the figures."""
    import asyncio
    import time

    from textual import events

    from dockertui.app import DockerTUI
    from dockertui.backend import resolve_target
    from dockertui.screens.dashboard import DashboardScreen

    frames.install()

    async def until(pilot, ready, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {what} after {timeout} s")
            await pilot.pause(0.02)

    async def run() -> dict:
        app = DockerTUI(resolve_target(), show_all=True)
        async with app.run_test(size=(120, 35)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen)
                        and app._connected_generation == app.generation, "connection")
            dashboard = app.screen
            table = dashboard.containers
            # Only this try's own containers: the filter narrows what ctrl+a marks.
            table.set_filter(prefix)
            await until(pilot, lambda: table.row_count == count, f"{count} rows named {prefix}…")
            await pilot.press("ctrl+a")
            await until(pilot, lambda: len(table.marked) == count, "marks")
            await pilot.press("d")
            await until(pilot, lambda: not isinstance(app.screen, DashboardScreen), "remove dialog")
            await pilot.pause(0.3)  # the dialog drawn: its own frames are not the removal's
            frames.counting = True
            began_cpu, began_process, began = time.thread_time(), time.process_time(), time.monotonic()
            await pilot.press("y")
            moves = 0
            while table.row_count and time.monotonic() - began < 300:
                # As a terminal's key arrives (pilot.press would also wait on every widget).
                key = "G" if moves % 2 == 0 else "g"
                app.post_message(events.Key(key, key))
                moves += 1
                await asyncio.sleep(KEY_GAP)
            frames.counting = False
            return {
                "seconds": time.monotonic() - began, "left": table.row_count,
                "cpu": time.thread_time() - began_cpu, "process_cpu": time.process_time() - began_process,
            }

    return {**asyncio.run(run()), **frames.figures()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--private-engine", action="store_true")
    parser.add_argument("--source", type=Path, help="run dockertui from this source tree")
    parser.add_argument("--measure", metavar="PREFIX", help=argparse.SUPPRESS)  # the child, for this try's names
    args = parser.parse_args()
    if args.measure:
        # Run as a script, whose folder Python put first on the path: its
        # modules (logs, memory, fleet…) must not stand for anyone else's.
        from _frame_count import FrameCount  # this folder's, before it leaves the path

        sys.path.remove(str(Path(__file__).resolve().parent))
        print(json.dumps(measure(FrameCount(), args.measure, args.count)))
        return 0

    from benchmarks._engine_run import create_labelled, run_on_engine

    run_id = uuid.uuid4().hex[:6]
    results: list[dict] = []

    def log(line: str) -> None:
        print(f"[bulk_cpu] {line}", file=sys.stderr, flush=True)

    def body(url: str, client) -> None:
        source = args.source or REPO
        env = {**os.environ, "DOCKER_HOST": url, "PYTHONPATH": str(source)}
        # Run as a script: its own folder, not the working directory, goes first on the path.
        for attempt in range(args.tries):
            prefix = f"dtui-bulkcpu-{run_id}-{attempt}-"  # a try that left rows must not count in the next
            create_labelled(client.api, run_id, [f"{prefix}{index:04d}" for index in range(args.count)], ["true"])
            child = [sys.executable, str(Path(__file__).resolve()), "--measure", prefix, "--count", str(args.count)]
            try:
                done = subprocess.run(child, env=env, capture_output=True, text=True, timeout=600)
            except subprocess.TimeoutExpired as error:
                raise RuntimeError(f"the measuring app hung: {error}") from error
            if done.returncode:
                raise RuntimeError(f"the measuring app failed:\n{done.stderr[:6000]}")
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            log(f"try {attempt + 1}: {results[-1]}")

    status = run_on_engine(run_id, args.private_engine, log, body)
    if results:
        report(results, args.count)
    return status


def report(results: list[dict], count: int) -> None:
    from benchmarks._frame_count import asked_per

    def each(key: str, scale: float = 1.0, unit: str = "", digits: int = 2) -> str:
        values = [r[key] * scale for r in results]
        return ", ".join(f"{v:.{digits}f}{unit}" for v in values) + f" (median {statistics.median(values):.{digits}f}{unit})"

    print(f"\nBulk remove of {count} created containers, headless, each try:")
    print(f"  confirm -> list empty: {each('seconds', unit=' s')}")
    print(f"  UI thread CPU: {each('cpu', unit=' s')}")
    print(f"  the app's CPU, all threads: {each('process_cpu', unit=' s')}")
    print(f"  frames: {each('frames', digits=0)}, their CPU: {each('frame_cpu', unit=' s')}")
    print(f"  screen layouts: {each('layouts', digits=0)}")
    print(f"  layouts asked for by (per try): {asked_per(results, len(results))}")
    if any(r["left"] for r in results):
        print("  rows left after 300 s: " + ", ".join(str(r["left"]) for r in results))


if __name__ == "__main__":
    sys.exit(main())
