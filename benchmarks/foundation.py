"""Foundation figures: launch time, idle CPU, memory and event latency.

Drives ``dockertui --all`` as a real process in a tmux pseudo-terminal
(120x35) against a real engine, and prints each figure beside its target.
It is never a test: it only reports.

    python -m benchmarks.foundation [--quick] [--private-engine] [--containers 1000]
        [--running 50] [--idle-containers 200] [--idle-seconds 30] [--tries 20]
        [--latency-only] [--trace] [--source DIR]

Phases: create ``--idle-containers`` containers (the newest ones running, so
that they are on screen) and measure idle CPU; create the rest; time ``docker
ps -a``; launch three times for launch time and memory; measure event latency
with the third launch; stop it and time ``docker run -d`` alone (the floor).
Containers are labelled ``dockertui.bench=<run id>`` and removed by that label
at the end, also after a failure or Ctrl-C. tmux runs as a server of our own
(``tmux -L``). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker
import docker.errors
import requests.exceptions

from benchmarks import _tmux
from benchmarks._engine_run import LABEL, run_on_engine
from benchmarks._latency import STEPS, ScreenWatch, docker_run, finish, trace_steps
from benchmarks._tmux import (
    COUNT,
    HEIGHT,
    WIDTH,
    byte_compile,
    cpu_seconds,
    percentile,
    rss_mb,
    wait_gone,
)
from tests.support.engine import FIXTURE_IMAGE

REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def output(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()


# ------------------------------------------------------ tmux and the app


class Tmux(_tmux.Tmux):
    def start(self) -> None:
        # A placeholder session keeps the server up, so that server start-up
        # is not counted in the first launch.
        self.new("keeper", "sleep 86400")


class AppProcess:
    """One ``dockertui --all`` in a tmux session of its own."""

    launched: list[AppProcess] = []

    def __init__(self, tmux: Tmux, session: str, command: str) -> None:
        self.tmux, self.session = tmux, session
        self.t0 = time.perf_counter()  # just before `tmux new`
        # The command is exec'd, so the pane's process is the app itself.
        self.pid = tmux.new(session, command)
        AppProcess.launched.append(self)

    def wait_loaded(self, at_least: int, timeout: float = 60) -> tuple[float, int]:
        """Seconds from launch until the Containers tab counts >= at_least rows, and that count.

        The table is filled from one snapshot in one batch, so the first count
        at or above our own containers is the full table, even when other
        clients add or remove containers of their own meanwhile.
        """

        def loaded(screen: str) -> int:
            match = COUNT.search(screen)
            count = int(match.group(1)) if match else 0
            return count if count >= at_least else 0

        seen, count = self.tmux.wait_for(self.session, loaded, timeout, interval=0.01)
        return seen - self.t0, count

    def stop(self) -> None:
        """Kill the session (SIGHUP to the app) and wait until the app is gone."""
        subprocess.run([*self.tmux.base, "kill-session", "-t", self.session], capture_output=True)
        wait_gone(self.pid)  # SIGKILL after 5 s: our own app, which ignored SIGHUP


# ---------------------------------------------------------- the engine


def create_containers(api: docker.APIClient, run_id: str, indices: range, running: range = range(0)) -> None:
    """Create containers ``dtui-bench-<run>-NNNN``; those whose index is in ``running`` also start."""

    def create(index: int) -> None:
        name = f"dtui-bench-{run_id}-{index:04d}"
        container = api.create_container(FIXTURE_IMAGE, ["sleep", "3600"], name=name, labels={LABEL: run_id})
        if index in running:
            api.start(container["Id"])

    pool = ThreadPoolExecutor(4)
    try:
        for future in [pool.submit(create, index) for index in indices]:
            future.result()
    finally:
        # On Ctrl-C, drop what has not started, so that cleanup sees all that was made.
        pool.shutdown(wait=True, cancel_futures=True)


class EngineEvents:
    """Follows the engine's events in a thread: counts them, and keeps each create's time by name."""

    def __init__(self, client: docker.DockerClient, filters: dict | None = None) -> None:
        self._stream = client.api.events(decode=True, filters=filters)
        self.count = 0
        self._created: dict[str, int] = {}  # container name -> engine time (timeNano)
        self.ids: dict[str, str] = {}  # container name -> id
        self._changed = threading.Condition()
        self._closing = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for event in self._stream:
                with self._changed:
                    self.count += 1
                    if event.get("Type") == "container" and event.get("Action") == "create":
                        name = event["Actor"]["Attributes"]["name"]
                        self._created[name] = int(event["timeNano"])
                        self.ids[name] = event["Actor"]["ID"]
                    self._changed.notify_all()
        except (OSError, requests.exceptions.RequestException):
            if not self._closing:  # closing the stream ends the read with an error: expected
                raise

    def created_at(self, name: str, timeout: float = 5) -> int:
        with self._changed:
            if not self._changed.wait_for(lambda: name in self._created, timeout):
                raise TimeoutError(f"no create event for {name}")
            return self._created[name]

    def close(self) -> None:
        self._closing = True
        self._stream.close()


# -------------------------------------------------------------- phases


def measure_idle(tmux: Tmux, command: str, client: docker.DockerClient, ours: int, seconds: float) -> dict:
    app = AppProcess(tmux, "idle", command)
    events = EngineEvents(client)  # every event: other clients' activity is work for the app too
    try:
        launch, shown = app.wait_loaded(ours)
        time.sleep(2)  # let the first paint and its follow-up work finish
        events_before, cpu_before, start = events.count, cpu_seconds(app.pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(app.pid) - cpu_before, time.monotonic() - start
        count = events.count - events_before
        log(f"idle: {shown} rows (launch {launch:.2f} s); {used:.2f} s CPU in {elapsed:.1f} s; {count} engine events")
        return {"idle_cpu": 100 * used / elapsed, "idle_rss": rss_mb(app.pid), "idle_events": count}
    finally:
        events.close()
        app.stop()


def wall_time(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure_launches(
    tmux: Tmux, command: str, api: docker.APIClient, ours: int, count: int = 3, last_command: str | None = None
) -> tuple[dict, AppProcess]:
    """``count`` launches, each with its RSS; the last app (``last_command``) is left running for the latency phase."""
    launches, rss = [], []
    for attempt in range(count):
        expected = len(api.containers(all=True))  # every container on the engine, ours or not
        last = attempt == count - 1
        app = AppProcess(tmux, f"launch{attempt}", last_command if last and last_command else command)
        seconds, shown = app.wait_loaded(ours)
        time.sleep(2)
        launches.append(seconds)
        rss.append(rss_mb(app.pid))
        note = "" if shown == expected else f" (the engine had {expected} at launch: another client is at work)"
        log(f"launch {attempt + 1}: Containers ({shown}) after {seconds:.3f} s; RSS {rss[-1]:.1f} MB 2 s later{note}")
        if not last:
            app.stop()
    return {"launches": launches, "rss": rss}, app


def measure_latency(app: AppProcess, client: docker.DockerClient, run_id: str, env: dict, tries: int,
                    trace: Path | None = None) -> dict:
    watch = ScreenWatch(app.tmux.base, app.session)
    # The cost of one look at the screen: the measurement's resolution.
    captures = [wall_time(lambda: watch.wait_for(lambda screen: True, timeout=5)) for _ in range(30)]
    events = EngineEvents(client, {"label": f"{LABEL}={run_id}", "type": "container", "event": "create"})
    from_cli, from_engine = [], []
    tried: list[tuple[str, int]] = []  # (container id, engine create time)
    try:
        for attempt in range(tries):
            name = f"dtui-bench-{run_id}-lat-{attempt:02d}"
            started, cli, exited = docker_run(env, name, f"{LABEL}={run_id}", FIXTURE_IMAGE)
            # Newest rows are on top, and the Name column (22 wide) holds the whole name.
            seen, _ = watch.wait_for(lambda screen: name in screen, timeout=15, marker=name)
            ended = finish(cli, exited)
            created = events.created_at(name)
            tried.append((events.ids[name], created))
            from_cli.append((seen - started) / 1e6)
            from_engine.append((seen - created) / 1e6)
            log(f"try {attempt + 1:2d}: engine create -> screen {from_engine[-1]:6.1f} ms; `docker run -d` "
                f"started -> create event {(created - started) / 1e6:5.1f} ms, -> screen {from_cli[-1]:6.1f} ms, "
                f"-> exit {(ended - started) / 1e6:6.1f} ms")
            time.sleep(0.5)  # let the start event's re-read finish, so that tries do not overlap
            # Each try starts from the same table: otherwise the rows pile up on
            # top, and after ~30 tries the cursor's row (kept in view) scrolls
            # the newest ones off the screen.
            client.api.remove_container(name, force=True)
            watch.wait_for(lambda screen: name not in screen, timeout=15)
            time.sleep(0.5)
    finally:
        events.close()
        watch.close()
    results = {"lat_cli": from_cli, "lat_engine": from_engine, "capture_ms": 1000 * statistics.median(captures)}
    if trace is not None:
        results["lat_steps"] = trace_steps(trace, tried, from_engine)
    return results


def measure_floor(client: docker.DockerClient, run_id: str, env: dict, tries: int) -> dict:
    """``docker run -d`` with no app running: its wall time, and how soon the engine reports the create."""
    events = EngineEvents(client, {"label": f"{LABEL}={run_id}", "type": "container", "event": "create"})
    wall, to_event = [], []
    try:
        for attempt in range(tries):
            name = f"dtui-bench-{run_id}-flr-{attempt:02d}"
            started, cli, exited = docker_run(env, name, f"{LABEL}={run_id}", FIXTURE_IMAGE)
            ended = finish(cli, exited)
            wall.append((ended - started) / 1e6)
            to_event.append((events.created_at(name) - started) / 1e6)
            time.sleep(0.5)
    finally:
        events.close()
    log(f"no app running: `docker run -d` p50 {percentile(wall, 50):.0f} ms, create event after "
        f"p50 {percentile(to_event, 50):.0f} ms")
    return {"lat_cli_alone": wall, "lat_cli_event": to_event}


# -------------------------------------------------------------- report


def report(results: dict, args: argparse.Namespace, environment: list[str]) -> None:
    n, idle_n = args.containers, args.idle_containers

    def row(figure: str, key: str, show, target: str = "", ok=None) -> tuple[str, str, str, str]:
        if key not in results:
            return figure, "not measured", target, ""
        value = results[key]
        return figure, show(value), target, "" if ok is None else ("yes" if ok(value) else "NO")

    def p50_p95(values: list[float]) -> str:
        return f"p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms"

    def median_of(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} s  ({', '.join(f'{v:.2f}' for v in values)})"

    rows = [
        ("figure", "measured", "target", "ok?"),
        row(f"launch -> full table, {n} containers (median of 3)", "launches", median_of,
            "<= 1.2 s", lambda v: statistics.median(v) <= 1.2),
        row(f"idle CPU over {args.idle_seconds:g} s, {idle_n} containers", "idle_cpu",
            lambda v: f"{v:.2f} % of one core", "< 0.5 %", lambda v: v < 0.5),
        row(f"resident memory, {n} containers (max of 3)", "rss",
            lambda v: f"{max(v):.0f} MB", "< 100 MB", lambda v: max(v) < 100),
        # The wording: from starting `docker run -d` until the row is on screen.
        row(f"event latency `docker run -d` started -> screen ({args.tries} tries)", "lat_cli", p50_p95,
            "p95 < 100 ms", lambda v: percentile(v, 95) < 100),
        row("event latency engine create event -> screen (the app's part)", "lat_engine", p50_p95, "(info)"),
        row("`docker run -d` alone, no app running: start -> exit", "lat_cli_alone", p50_p95, "(floor)"),
        row("`docker run -d` alone: start -> engine create event", "lat_cli_event", p50_p95, "(floor)"),
        row("engine events during the idle window", "idle_events", str, "(info: 0 = truly idle)"),
        row(f"resident memory, {idle_n} containers", "idle_rss", lambda v: f"{v:.0f} MB", "(info)"),
        row(f"`docker ps -a`, {n} containers (median of 5)", "docker_ps",
            lambda v: f"{statistics.median(v):.2f} s", "(floor)"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["", "Environment", *(f"  {line}" for line in environment)]
    if "capture_ms" in results:
        lines.append(f"  latency: seen = tmux relays the app's write holding the row (control mode), "
                     f"confirmed by a capture; one capture takes {results['capture_ms']:.2f} ms")
    lines.append("")
    for index, cells in enumerate(rows):
        lines.append(" | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * w for w in widths))
    if "lat_steps" in results:
        lines += ["", "Event path, ms after the engine's create event (--trace; p50 / p95 / max over the tries;",
                  "gc2: ms spent in full garbage collections between the event and the sighting):"]
        for step in (*STEPS, "seen", "gc2"):
            values = [steps[step] for steps in results["lat_steps"] if step in steps]
            if values:
                lines.append(f"  {step:12} {percentile(values, 50):6.1f} / {percentile(values, 95):6.1f} / "
                             f"{max(values):6.1f}" + ("" if len(values) == len(results["lat_steps"]) else
                                                      f"  ({len(values)} of {len(results['lat_steps'])} tries)"))
    print("\n".join(lines), flush=True)


def describe(api: docker.APIClient, url: str, run_id: str, command: str, tree: Path | None = None) -> list[str]:
    version = api.version()
    if tree is not None:
        source = str(tree)
    else:
        changed = output("git", "-C", str(REPO), "status", "--porcelain", "--", "dockertui").splitlines()
        source = output("git", "-C", str(REPO), "rev-parse", "--short", "HEAD") or "?"
        if changed:
            source += f" + {len(changed)} uncommitted changes under dockertui/"
    return [
        f"run {run_id}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the start",
        f"engine {url}: Docker {version.get('Version')} (API {version.get('ApiVersion')}), "
        f"{len(api.containers(all=True))} containers of others on it",
        f"Python {platform.python_version()}, textual {importlib.metadata.version('textual')}, "
        f"dockertui {importlib.metadata.version('dockertui')} at {source}, {output('tmux', '-V')}",
        f"app: {command}  (in a {WIDTH}x{HEIGHT} tmux pane)",
    ]


def app_command(url: str, trace: Path | None = None, source: Path | None = None) -> str:
    """The app's command line; ``source``: import ``dockertui`` from that tree instead."""
    path = [f"PYTHONPATH={source or REPO}:{REPO}"] if source or trace else []
    if trace is not None:
        # The same app, with timestamps on the event path (benchmarks/_trace.py).
        return "exec env " + shlex.join([f"DOCKER_HOST={url}", f"DTUI_TRACE={trace}", *path,
                                         sys.executable, str(REPO / "benchmarks" / "_trace.py"), "--all"])
    if source is not None:
        # From the tree's own folder: `python -m` puts the working directory first on sys.path.
        return f"cd {shlex.quote(str(source))} && exec env " + shlex.join(
            [f"DOCKER_HOST={url}", *path, sys.executable, "-m", "dockertui", "--all"])
    script = shutil.which("dockertui", path=str(Path(sys.executable).parent))
    program = [script] if script else [sys.executable, "-m", "dockertui"]
    return "exec env " + shlex.join([f"DOCKER_HOST={url}", *program, "--all"])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.foundation", description=__doc__.split("\n")[0])
    parser.add_argument("--containers", type=int, default=1000)
    parser.add_argument("--running", type=int, default=50, help="how many of them run `sleep 3600`")
    parser.add_argument("--idle-containers", type=int, default=200, help="containers during the idle-CPU phase")
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--tries", type=int, default=20, help="event-latency tries")
    parser.add_argument("--quick", action="store_true", help="smoke run: 100 containers, 5 s idle, 5 tries")
    parser.add_argument("--latency-only", action="store_true",
                        help="only the event latency: create the containers, launch once, measure")
    parser.add_argument("--trace", action="store_true",
                        help="run the app through benchmarks/_trace.py and print where the latency goes")
    parser.add_argument("--source", type=Path,
                        help="run dockertui from this source tree (e.g. a `git archive` of another commit)")
    parser.add_argument("--private-engine", action="store_true",
                        help="start a dockerd of our own even if one answers, so no other client makes events")
    args = parser.parse_args(argv)
    if args.quick:
        args.containers, args.running, args.idle_containers, args.idle_seconds, args.tries = 100, 10, 50, 5, 5
    args.idle_containers = min(args.idle_containers, args.containers)
    args.running = min(args.running, args.idle_containers)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = secrets.token_hex(2)  # short, so that the latency names fit the 22-wide Name column
    results: dict = {}
    environment: list[str] = []
    trace: Path | None = None
    tmux = Tmux(f"dtui-bench-{run_id}")

    def measure(url: str, client: docker.DockerClient) -> None:
        nonlocal trace
        env = {**os.environ, "DOCKER_HOST": url}
        api = client.api
        byte_compile(args.source or REPO)
        command = app_command(url, source=args.source)
        if args.trace:
            trace = Path(tempfile.mkstemp(prefix=f"dtui-bench-{run_id}-", suffix=".trace")[1])
        environment.extend(describe(api, url, run_id, command, args.source))
        if trace is not None:
            environment.append(f"latency app traced: {app_command(url, trace, args.source)}")
        tmux.start()

        log(f"creating {args.idle_containers} containers, the newest {args.running} running")
        # Newest first on screen: the running ones (and their live stats) are in view while idle.
        running = range(args.idle_containers - args.running, args.idle_containers)
        create_containers(api, run_id, range(args.idle_containers), running)
        if not args.latency_only:
            results.update(measure_idle(tmux, command, client, args.idle_containers, args.idle_seconds))
        log(f"creating {args.containers - args.idle_containers} more")
        create_containers(api, run_id, range(args.idle_containers, args.containers))
        if not args.latency_only:
            docker_ps = ["docker", "ps", "-a"]
            results["docker_ps"] = [
                wall_time(lambda: subprocess.run(docker_ps, check=True, stdout=subprocess.DEVNULL, env=env))
                for _ in range(5)
            ]
        launch_count = 1 if args.latency_only else 3
        launches, app = measure_launches(tmux, command, api, args.containers, launch_count,
                                         app_command(url, trace, args.source) if trace is not None else None)
        if not args.latency_only:
            results.update(launches)
        results.update(measure_latency(app, client, run_id, env, args.tries, trace))
        app.stop()
        results.update(measure_floor(client, run_id, env, args.tries))

    def cleanup() -> None:
        for app in AppProcess.launched:
            app.stop()
        tmux.kill_server()
        if trace is not None:
            trace.unlink(missing_ok=True)

    status = run_on_engine(run_id, args.private_engine, log, measure, cleanup)
    load = os.getloadavg()[0]
    environment.append(f"load average {load:.2f} at the end" + (
        f"  -- busy machine: other processes compete for the {os.cpu_count()} CPUs, so figures read high"
        if load > (os.cpu_count() or 1) / 2 else ""))
    report(results, args, environment)
    return status


if __name__ == "__main__":
    sys.exit(main())
