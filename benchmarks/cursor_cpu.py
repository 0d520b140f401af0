"""The UI thread's CPU for a cursor move down the Containers list, and the frames and layouts it costs.

A cursor move shows another container on the right: its details at once,
then (once the cursor rests) inspect's facts. Each new text of a pane that
changes height asks Textual for a layout of the whole screen, and each
layout is a full frame. This counts them, headless (``run_test``, no
terminal), so the figures are CPU, not wall time, and hold on a busy
machine far better than the screen-reading benchmarks do.

The app runs in a child process (``--source DIR`` puts another tree first on
its path), against ``--containers`` containers of which ``--running`` run;
after the list is in it presses ``j`` ``--moves`` times, ``--gap`` seconds
apart, and reports the UI thread's CPU over them (``time.thread_time``),
frames drawn and their CPU, screen layouts, and which widgets asked for
layouts.

    python -m benchmarks.cursor_cpu [--private-engine] [--source DIR] [--tries 2]
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


def measure(count: FrameCount, moves: int, gap: float, containers: int) -> dict:
    """In the child: run the app headless and count (``count``: a FrameCount); returns the figures."""
    import asyncio
    import time

    from textual import events

    from dockertui.app import DockerTUI
    from dockertui.backend import resolve_target
    from dockertui.screens.dashboard import DashboardScreen

    count.install()

    async def run() -> float:
        app = DockerTUI(resolve_target(), show_all=True)
        async with app.run_test(size=(160, 45)) as pilot:
            # Connected first: the dashboard's widgets are all mounted by then.
            while not (isinstance(app.screen, DashboardScreen) and app._connected_generation == app.generation
                       and app.screen.containers.row_count >= containers):
                await pilot.pause(0.05)
            await pilot.pause(1.0)  # the first inspect and frames after the list settle
            count.counting = True
            began = time.thread_time()
            for _ in range(moves):
                # As a terminal's key arrives: pilot.press would also wait on every widget, a
                # message to each, which is the harness's CPU, not the app's.
                app.post_message(events.Key("j", "j"))
                await asyncio.sleep(gap)
            count.counting = False
            return time.thread_time() - began

    cpu = asyncio.run(run())
    return {"cpu": cpu, **count.figures()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--containers", type=int, default=200)
    parser.add_argument("--running", type=int, default=30)
    parser.add_argument("--moves", type=int, default=40)
    # Past the details pane's settle time (0.15 s), so that inspect's facts come for each container.
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between two moves")
    parser.add_argument("--tries", type=int, default=2)
    parser.add_argument("--private-engine", action="store_true")
    parser.add_argument("--source", type=Path, help="run dockertui from this source tree")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.measure:
        # Run as a script, whose folder Python put first on the path: its
        # modules (logs, memory, fleet…) must not stand for anyone else's.
        from _frame_count import FrameCount  # this folder's, before it leaves the path

        sys.path.remove(str(Path(__file__).resolve().parent))
        print(json.dumps(measure(FrameCount(), args.moves, args.gap, args.containers)))
        return 0

    from benchmarks._engine_run import create_labelled, run_on_engine

    run_id = uuid.uuid4().hex[:6]
    results: list[dict] = []

    def log(line: str) -> None:
        print(f"[cursor] {line}", file=sys.stderr, flush=True)

    def body(url: str, client) -> None:
        others = len(client.api.containers(all=True))
        names = [f"dtui-cursor-{run_id}-{index:04d}" for index in range(args.containers)]
        loop = ["sh", "-c", "while true; do echo tick; sleep 1; done"]
        create_labelled(client.api, run_id, names[: args.running], loop, start=True)
        create_labelled(client.api, run_id, names[args.running:], ["true"])
        source = args.source or REPO
        env = {**os.environ, "DOCKER_HOST": url, "PYTHONPATH": str(source)}
        # Run as a script: its own folder, not the working directory, goes first on the path.
        child = [sys.executable, str(Path(__file__).resolve()), "--measure", "--moves", str(args.moves),
                 "--gap", str(args.gap), "--containers", str(others + args.containers)]
        for attempt in range(args.tries):
            done = subprocess.run(child, env=env, capture_output=True, text=True, timeout=300)
            if done.returncode:
                raise RuntimeError(f"the measuring app failed:\n{done.stderr[:6000]}")
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            log(f"try {attempt + 1}: {results[-1]}")

    status = run_on_engine(run_id, args.private_engine, log, body)
    if results:
        report(results, args.moves)
    return status


def report(results: list[dict], moves: int) -> None:
    from benchmarks._frame_count import asked_per

    def each(key: str, scale: float = 1.0, unit: str = "") -> str:
        values = [r[key] * scale / moves for r in results]
        return ", ".join(f"{v:.1f}{unit}" for v in values) + f" (median {statistics.median(values):.1f}{unit})"

    print(f"\n{moves} cursor moves down the Containers list, per move, each try:")
    print(f"  UI thread CPU: {each('cpu', 1000, ' ms')}")
    print(f"  frames: {each('frames')}, their CPU: {each('frame_cpu', 1000, ' ms')}")
    print(f"  screen layouts: {each('layouts')}")
    print(f"  layouts asked for by: {asked_per(results, len(results) * moves)}")


if __name__ == "__main__":
    sys.exit(main())
