"""A bulk remove of many containers: the dialog, the cursor meanwhile, and the time beside `docker rm`.

Drives ``dockertui --all`` in a 120x35 tmux pane against a real engine with
``--count`` created containers (issue 14: 1,000). It is never a test: it
only reports.

    python -m benchmarks.bulk [--count 1000] [--private-engine] [--source DIR]

1. The CLI: ``docker rm`` of all of them in one command (the CLI removes 50
   at a time), timed.
2. The same number again, removed from the app: ``ctrl+a`` marks every row,
   ``d`` opens the remove dialog (timed until it lists them), ``y`` confirms.
   Timed from ``y`` until the tab says ``Containers (<others>)``.
3. Meanwhile, every 0.25 s, ``G`` or ``g`` moves the cursor to the last or
   first row, timed until the screen shows it there. The cursor's line is the
   one painted in the cursor's background colour (read with
   ``capture-pane -e``). The same probes on the idle app before the removal
   give the floor.

Containers are named ``dtui-bulk-<run>-…`` and labelled
``dockertui.bench=<run>``, and removed by that label at the end, also after a
failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker

from benchmarks import _tmux
from benchmarks._engine_run import create_labelled, run_on_engine
from benchmarks._tmux import TmuxApp, byte_compile, percentile

# The cursor row's background in the default theme (textual-dark's primary, #0178d4),
# in true colour or as tmux's 256 colours give it.
CURSOR = re.compile(r"48;(?:2;1;120;212|5;32)m")
PROBE_INTERVAL = 0.25
REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[bulk] {message}", file=sys.stderr, flush=True)


class App(TmuxApp):
    def cursor_line(self, screen: str) -> int | None:
        for number, line in enumerate(screen.splitlines()):
            if CURSOR.search(line):
                return number
        return None


def probe_cursor(app: App, top: int, bottom: int, until: threading.Event, lags: list[float]) -> None:
    """Alternate G and g until ``until`` is set; each lag is key sent -> cursor shown at that end."""
    to_bottom = True
    while not until.is_set():
        key, at_end = ("G", lambda line: line is not None and line > (top + bottom) // 2) if to_bottom else \
            ("g", lambda line: line == top)
        sent = time.perf_counter()
        app.tmux.keys(app.session, key)
        try:
            # Over once the list is empty (no cursor): that move is not counted.
            seen = app.wait(lambda screen: at_end(app.cursor_line(screen)) or until.is_set(), timeout=10,
                            colours=True, interval=0.02)
        except TimeoutError:
            seen = sent + 10
        if not until.is_set():
            lags.append(seen - sent)
        to_bottom = not to_bottom
        time.sleep(PROBE_INTERVAL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk", description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--source", type=Path, help="run dockertui from this source tree")
    parser.add_argument("--private-engine", action="store_true")
    args = parser.parse_args(argv)
    run_id = secrets.token_hex(2)
    tmux = _tmux.Tmux(f"dtui-bulk-{run_id}")
    work = Path(tempfile.mkdtemp(prefix=f"dtui-bulk-{run_id}-"))
    figures: dict = {}

    def names(wave: str) -> list[str]:
        return [f"dtui-bulk-{run_id}-{wave}-{index:04d}" for index in range(args.count)]

    def measure(url: str, client: docker.DockerClient) -> None:
        env = {**os.environ, "DOCKER_HOST": url}
        others = len(client.api.containers(all=True))

        ids = create_labelled(client.api, run_id, names("cli"), ["true"])
        started = time.perf_counter()
        subprocess.run(["docker", "rm", *ids], check=True, stdout=subprocess.DEVNULL, env=env)
        figures["cli"] = time.perf_counter() - started
        log(f"docker rm of {args.count}: {figures['cli']:.1f} s")

        create_labelled(client.api, run_id, names("app"), ["true"])
        source = args.source or REPO
        byte_compile(source)
        app = App(tmux, "bulk", [sys.executable, "-m", "dockertui", "--all"],
                  {"DOCKER_HOST": url, "XDG_CONFIG_HOME": str(work), "PYTHONPATH": str(source)})
        try:
            app.wait_count(others + args.count)
            app.tmux.keys(app.session, "g")
            app.wait(lambda screen: app.cursor_line(screen) is not None, colours=True)
            top = app.cursor_line(app.screen(colours=True))
            app.tmux.keys(app.session, "G")
            app.wait(lambda screen: (app.cursor_line(screen) or 0) > top + 5, colours=True, timeout=10)
            bottom = app.cursor_line(app.screen(colours=True))
            app.tmux.keys(app.session, "g")
            app.wait(lambda screen: app.cursor_line(screen) == top, colours=True, timeout=10)
            idle: list[float] = []
            done = threading.Event()
            prober = threading.Thread(target=probe_cursor, args=(app, top, bottom, done, idle))
            prober.start()
            time.sleep(5)
            done.set()
            prober.join()
            app.wait(lambda screen: app.cursor_line(screen) == top, colours=True)
            figures["idle_lags"] = idle

            app.tmux.keys(app.session, "C-a")
            sent = time.perf_counter()
            app.tmux.keys(app.session, "d")
            shown = app.wait(lambda screen: f"Remove {args.count} containers?" in screen and "Cancel" in screen)
            figures["dialog"] = shown - sent
            log(f"remove dialog for {args.count}: {figures['dialog']:.2f} s")
            busy: list[float] = []
            done = threading.Event()
            sent = time.perf_counter()
            app.tmux.keys(app.session, "y")
            app.wait(lambda screen: "Cancel" not in screen)
            prober = threading.Thread(target=probe_cursor, args=(app, top, bottom, done, busy))
            prober.start()
            try:
                gone = app.wait_count(others, timeout=300)
            finally:
                done.set()
                prober.join()
            figures["app"] = gone - sent
            figures["busy_lags"] = busy
            log(f"app removed {args.count} in {figures['app']:.1f} s")
        finally:
            app.stop()

    def cleanup() -> None:
        tmux.kill_server()
        shutil.rmtree(work, ignore_errors=True)

    status = run_on_engine(run_id, args.private_engine, log, measure, cleanup)
    report(figures, args.count)
    return status


def report(figures: dict, count: int) -> None:
    def lags(values: list[float]) -> str:
        if not values:
            return "no probes"
        return (f"median {1000 * statistics.median(values):.0f} ms, p95 {1000 * percentile(values, 95):.0f} ms, "
                f"max {1000 * max(values):.0f} ms over {len(values)} moves")

    print(f"\nBulk remove of {count} containers (created, not running):")
    if "dialog" in figures:
        print(f"  d -> remove dialog listing them: {figures['dialog']:.2f} s (target <= 0.3 s)")
    if "idle_lags" in figures:
        print(f"  cursor G/g -> shown, idle: {lags(figures['idle_lags'])}")
    if "busy_lags" in figures:
        print(f"  cursor G/g -> shown, during the removal: {lags(figures['busy_lags'])} (target <= 100 ms)")
    if "cli" in figures:
        print(f"  docker rm (one command): {figures['cli']:.1f} s")
    if "app" in figures and "cli" in figures:
        print(f"  dockertui, y -> list empty: {figures['app']:.1f} s = {figures['app'] / figures['cli']:.2f}x the CLI"
              " (target <= 1.2x)")


if __name__ == "__main__":
    sys.exit(main())
