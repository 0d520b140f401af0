"""A bulk remove of many containers: the dialog, the cursor meanwhile, and the time beside `docker rm`.

Drives ``dockertui --all`` in a 120x35 tmux pane against a real engine with
``--count`` created containers (issue 14: 1,000). It is never a test: it
only reports.

    python -m benchmarks.bulk [--count 1000] [--private-engine] [--source DIR]

1. The CLI: ``docker rm`` of all of them in one command (the CLI removes 50
   at a time), timed.
2. The same number again, removed from the app: ``/`` filters the list to
   them, ``ctrl+a`` marks every row shown, ``d`` opens the remove dialog
   (timed until it lists them), ``y`` confirms. Timed from ``y`` until the
   tab says ``Containers (0, /…)``.
3. Meanwhile, every 0.25 s, ``G`` or ``g`` moves the cursor to the last or
   first row, timed until the screen shows it there. The cursor's line is the
   table row (below the ``Name State Status`` header) painted in the
   cursor's background colour (read with ``capture-pane -e``); the active
   tab above is painted in the same colour. The same probes on the idle app
   before the removal give the floor. A probe that cannot find the cursor
   at all stops the run with the screen it saw, rather than report a lag.

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
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker

from benchmarks import _tmux
from benchmarks._engine_run import create_labelled, run_on_engine
from benchmarks._tmux import (
    TmuxApp,
    byte_compile,
    cpu_seconds,
    installed_tool,
    percentile,
    thread_cpu_seconds,
)

# The cursor row's background in the default theme (textual-dark's primary, #0178d4),
# in true colour or as tmux's 256 colours give it. The active tab has it too.
CURSOR = re.compile(r"48;(?:2;1;120;212|5;32)m")
SGR = re.compile(r"\x1b\[[0-9;:]*m")
TABLE_HEADER = re.compile(r"^\s*Name\s+State\s+Status\b")
# A row of the list: three cells of the row's label (its mark), then its name.
# Not the blank lines under the rows, the horizontal scrollbar or the key bar.
TABLE_ROW = re.compile(r"^.{3} [^\s▏]")
# The Containers tab under a filter: "Containers (1000, /dtui-bulk-…)".
FILTERED_COUNT = re.compile(r"Containers \((\d+), /")
PROBE_INTERVAL = 0.25
PROBE_TIMEOUT = 10
REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[bulk] {message}", file=sys.stderr, flush=True)


class ProbeError(RuntimeError):
    """The probe cannot read the cursor from the screen: its figures would mean nothing."""


@dataclass(frozen=True)
class TableView:
    """Where the list's rows and its cursor are on one captured screen (line numbers of the pane).

    ``problem`` says why no cursor was read where one was looked for.
    """

    rows: list[int]
    cursor: int | None
    problem: str = ""

    def at(self, end: str) -> bool:
        """Is the cursor on the ``top`` or ``bottom`` row shown?"""
        return self.cursor is not None and self.cursor == self.rows[0 if end == "top" else -1]


def read_table(screen: str) -> TableView:
    """The rows under the Containers header, and the one of them in the cursor's colour.

    The colour on more than one line, or off the rows, reads as no cursor
    with a ``problem``: a capture can catch a frame half drawn, so it is
    only an error if no screen shows one cursor on a row (``wait_cursor``).
    """
    lines = screen.splitlines()
    plain = [SGR.sub("", line) for line in lines]
    header = next((number for number, line in enumerate(plain) if TABLE_HEADER.search(line)), None)
    if header is None:
        return TableView([], None, "no table header on screen")
    rows = []
    for number in range(header + 1, len(lines)):
        if not TABLE_ROW.match(plain[number]):
            break
        rows.append(number)
    painted = [number for number in range(header + 1, len(lines)) if CURSOR.search(lines[number])]
    if len(painted) > 1 or (painted and painted[0] not in rows):
        return TableView(rows, None, f"the cursor's colour on lines {painted}, rows on {rows[:1]}..{rows[-1:]}")
    if rows and not painted:
        return TableView(rows, None, f"rows on lines {rows[0]}..{rows[-1]}, none in the cursor's colour")
    return TableView(rows, painted[0] if painted else None)


def wait_filtered(app: TmuxApp, expected: int, timeout: float = 120) -> float:
    """Until the filtered Containers tab counts exactly ``expected``."""

    def shown(screen: str) -> bool:
        match = FILTERED_COUNT.search(screen)
        return bool(match) and int(match.group(1)) == expected

    return app.wait(shown, timeout)


def wait_cursor(app: TmuxApp, end: str, until: threading.Event | None = None) -> float:
    """Until the cursor is shown on the ``end`` ("top" or "bottom") row, or ``until`` is set.

    Raises TimeoutError after PROBE_TIMEOUT if some screen showed the cursor
    (it was slow), ProbeError if none did (the probe cannot read it).
    """
    cursor_seen = False
    last, last_screen = TableView([], None, "no screen read"), ""

    def shown(screen: str) -> bool:
        nonlocal cursor_seen, last, last_screen
        if until is not None and until.is_set():
            return True
        last, last_screen = read_table(screen), screen
        cursor_seen = cursor_seen or last.cursor is not None or not last.rows
        return last.cursor is not None and last.at(end)

    try:
        return app.wait(shown, timeout=PROBE_TIMEOUT, colours=True, interval=0.02)
    except TimeoutError:
        if not cursor_seen:
            raise ProbeError(f"cursor never read in {PROBE_TIMEOUT} s ({last.problem}); the last screen:\n"
                             + SGR.sub("", last_screen)) from None
        where = f"on line {last.cursor}" if last.cursor is not None else f"not read ({last.problem})"
        raise TimeoutError(f"cursor not on the {end} row in {PROBE_TIMEOUT} s: at last {where}, "
                           f"rows on lines {last.rows[:1]}..{last.rows[-1:]}") from None


def probe_cursor(app: TmuxApp, until: threading.Event, lags: list[float], failures: list[BaseException]) -> None:
    """Alternate G and g until ``until`` is set; each lag is key sent -> cursor shown on the last or first row.

    The ends are read from each screen, so they hold as rows go. A move not
    shown in PROBE_TIMEOUT counts as that long, and is logged with its
    screen. Errors go to ``failures``, for the main thread to raise.
    """
    to_bottom = True
    try:
        while not until.is_set():
            key, end = ("G", "bottom") if to_bottom else ("g", "top")
            sent = time.perf_counter()
            app.tmux.keys(app.session, key)
            try:
                # Over once the list is empty (no cursor): that move is not counted.
                seen = wait_cursor(app, end, until)
            except TimeoutError as error:
                log(f"{key}: {error}")
                seen = sent + PROBE_TIMEOUT
            if not until.is_set():
                lags.append(seen - sent)
            to_bottom = not to_bottom
            time.sleep(PROBE_INTERVAL)
    except BaseException as error:  # handed to the main thread, which raises it
        failures.append(error)


def run_probes(app: TmuxApp, lags: list[float], during: Callable[[], None]) -> None:
    """Probe the cursor while ``during()`` runs; raise what the probe raised."""
    done = threading.Event()
    failures: list[BaseException] = []
    prober = threading.Thread(target=probe_cursor, args=(app, done, lags, failures))
    prober.start()
    try:
        during()
    finally:
        done.set()
        prober.join()
    if failures:
        raise failures[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk", description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--source", type=Path, help="run dockertui from this source tree")
    parser.add_argument("--private-engine", action="store_true")
    parser.add_argument("--spy", type=Path, metavar="FILE",
                        help="record the app with py-spy during the removal (folded stacks, per thread) into FILE")
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
        figures["load"] = [os.getloadavg()[0]]
        started = time.perf_counter()
        subprocess.run(["docker", "rm", *ids], check=True, stdout=subprocess.DEVNULL, env=env)
        figures["cli"] = time.perf_counter() - started
        log(f"docker rm of {args.count}: {figures['cli']:.1f} s")

        create_labelled(client.api, run_id, names("app"), ["true"])
        source = args.source or REPO
        byte_compile(source)
        app = TmuxApp(tmux, "bulk", [sys.executable, "-m", "dockertui", "--all"],
                      {"DOCKER_HOST": url, "XDG_CONFIG_HOME": str(work), "PYTHONPATH": str(source)})
        try:
            app.wait_count(others + args.count)
            # Only the run's own rows: ctrl+a marks what the list shows, and an
            # engine shared with others keeps theirs.
            app.tmux.keys(app.session, "/")
            app.tmux.keys(app.session, "-l", f"dtui-bulk-{run_id}-app")
            app.tmux.keys(app.session, "Enter")
            wait_filtered(app, args.count)
            # The cursor on the first row, then the last and back: the probe can read it before it counts.
            for key, end in (("g", "top"), ("G", "bottom"), ("g", "top")):
                app.tmux.keys(app.session, key)
                wait_cursor(app, end)
            idle: list[float] = []
            run_probes(app, idle, lambda: time.sleep(5))
            figures["idle_lags"] = idle

            app.tmux.keys(app.session, "C-a")
            sent = time.perf_counter()
            app.tmux.keys(app.session, "d")
            shown = app.wait(lambda screen: f"Remove {args.count} containers?" in screen and "Cancel" in screen)
            figures["dialog"] = shown - sent
            log(f"remove dialog for {args.count}: {figures['dialog']:.2f} s")
            busy: list[float] = []
            cpu_before = cpu_seconds(app.pid), thread_cpu_seconds(app.pid)
            spy = None
            if args.spy:  # where the removal's time goes; it costs the app a little
                spy = subprocess.Popen([installed_tool("py-spy") or "py-spy", "record", "--pid", str(app.pid), "--rate", "250", "--threads",
                                        "--format", "raw", "--output", str(args.spy), "--nonblocking"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            sent = time.perf_counter()
            app.tmux.keys(app.session, "y")
            app.wait(lambda screen: "Cancel" not in screen)
            gone: list[float] = []
            run_probes(app, busy, lambda: gone.append(wait_filtered(app, 0, timeout=300)))
            figures["app"] = gone[0] - sent
            figures["cpu"] = cpu_seconds(app.pid) - cpu_before[0], thread_cpu_seconds(app.pid) - cpu_before[1]
            figures["busy_lags"] = busy
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(30)
            figures["load"].append(os.getloadavg()[0])
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
    if "load" in figures:
        print("  load average (1 min) before the CLI, after the app: " + ", ".join(f"{load:.1f}" for load in figures["load"]))
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
    if "cpu" in figures:
        print(f"  the app's CPU meanwhile: {figures['cpu'][0]:.1f} s, of which the UI thread {figures['cpu'][1]:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
