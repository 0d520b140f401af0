"""Log-following figures: lines/s shown, key latency, memory and CPU under a log flood.

Drives ``dockertui --all`` as a real process in a tmux pseudo-terminal
(120x35) against a real engine, and prints each figure beside its target.
It is never a test: it only reports.

    python -m benchmarks.logs [--seconds 60] [--presses 40] [--flood yes|awk] [--quick]

Two containers: a quiet one printing a line a second, then a flood one that
prints lines as fast as it can, so the flood is the newest row (row 0, where
the cursor starts). ``yes`` floods fastest (its own CPU use is almost nil,
which matters on a small machine); ``awk`` prints numbered, distinct lines.
Both out-run the engine's json-file logger, so the engine sets the pace.

Phases: the floor (``docker logs -f`` into a counter), then the app follows
the flood for ``--seconds`` (the Logs status line's "received" counter is
sampled every second, memory every 5 s), then j/k switch between the two
containers ``--presses`` times, timing each press until the status line
names the other container. Every container carries the label
``dockertui.bench=<run id>`` and is removed by that label at the end, also
on failure or Ctrl-C. The flood's logs are capped at 2 x 50 MB.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker
import docker.errors

from benchmarks._tmux import Tmux, cpu_seconds, percentile, process_state, rss_mb, wait_gone
from tests.support.engine import (
    FIXTURE_IMAGE,
    PrivateEngine,
    ensure_fixture_image,
    reachable_engine_url,
)

LABEL = "dockertui.bench"
LINE = "dockertui benchmark line with some typical length 0123456789"
FLOODS = {
    "yes": ["yes", LINE],
    "awk": ["awk", 'BEGIN { for (i = 0; ; i++) printf "dockertui benchmark line %09d of typical length\\n", i }'],
}
QUIET = ["sh", "-c", 'i=0; while :; do i=$((i+1)); echo "quiet line $i"; sleep 1; done']
LOG_CONFIG = {"type": "json-file", "config": {"max-size": "50m", "max-file": "2"}}
SESSION = "app"
KEY_TIMEOUT = 5.0  # seconds


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# The Logs status line: ``name · state · 10,000 lines (123,456 received)``. At
# 120 columns the Logs pane shows 45 cells and the status wraps at word
# boundaries onto a hidden second row: "received)" is never visible, and the
# number is either whole or absent. Our names are 5 characters, which leaves
# room for counts up to 99,999,999.
STATUS = re.compile(r"▏ (?P<name>\S+) · (?P<state>[^·]+?) · (?P<lines>[\d,]+) lines(?: \((?P<received>[\d,]+))?")


def read_status(screen: str) -> tuple[str, str, int | None] | None:
    """(name, state, received) or None; received is None when it is cut off."""
    match = STATUS.search(screen)
    if match is None:
        return None
    lines = int(match["lines"].replace(",", ""))
    if match["received"]:
        received: int | None = int(match["received"].replace(",", ""))
    else:  # below the view's 10,000-line bound no "received" is shown: it equals lines
        received = lines if lines < 10_000 else None
    return match["name"], match["state"].strip(), received


def measure_floor(container_id: str, seconds: float, env: dict[str, str]) -> dict:
    """What ``docker logs -f`` itself reads: lines and bytes per second."""
    # --tail 0: only what arrives while we count, not the backlog on disk.
    reader = subprocess.Popen(["docker", "logs", "-f", "--tail", "0", container_id], stdout=subprocess.PIPE, env=env)
    lines = size = 0
    start = time.monotonic()
    try:
        while (now := time.monotonic()) - start < seconds:
            chunk = reader.stdout.read1(1 << 20)
            if not chunk:
                raise RuntimeError("docker logs -f ended early")
            lines += chunk.count(b"\n")
            size += len(chunk)
    finally:
        reader.kill()
        reader.wait()
    return {"lines_per_s": lines / (now - start), "mb_per_s": size / (now - start) / 1e6}


def rate(samples: list[tuple[float, int]]) -> float:
    (t0, r0), (t1, r1) = samples[0], samples[-1]
    return (r1 - r0) / (t1 - t0)


def measure_follow(tmux: Tmux, pid: int, flood: str, seconds: float, others: dict) -> dict:
    """The app follows the flood; sample "received" every second and RSS every 5 s."""
    received: list[tuple[float, int]] = []
    memory: list[tuple[float, float]] = []
    states: set[str] = set()
    cpu0, other0, start = cpu_seconds(pid), {k: cpu_seconds(p) for k, p in others.items()}, time.perf_counter()
    for tick in range(int(seconds) + 1):
        time.sleep(max(0.0, start + tick - time.perf_counter()))
        if tick % 5 == 0:
            memory.append((time.perf_counter() - start, rss_mb(pid)))
        shown = read_status(tmux.capture(SESSION))
        if shown is not None and shown[0] == flood:
            states.add(shown[1])
            if shown[2] is not None:
                received.append((time.perf_counter(), shown[2]))
    elapsed = time.perf_counter() - start
    if len(received) < 2:
        raise RuntimeError(f"could not read the received counter (states seen: {states})")
    # Per-5 s windows show whether the rate holds or sags over the run.
    windows = [rate(received[i : i + 6]) for i in range(0, len(received) - 5, 5)]
    others_cpu = {k: 100 * (cpu_seconds(p) - other0[k]) / elapsed for k, p in others.items() if process_state(p)}
    return {
        "rate": rate(received), "windows": windows, "memory": memory, "states": states,
        "cpu": 100 * (cpu_seconds(pid) - cpu0) / elapsed, "others_cpu": others_cpu, "total": received[-1][1],
    }


def measure_keys(tmux: Tmux, pid: int, flood: str, quiet: str, presses: int) -> dict:
    """Alternate j (to the quiet row) and k (back to the flood), timing key -> status line.

    A press not shown within KEY_TIMEOUT counts as infinite and ends the phase:
    the key is still queued in the app and would land during a later press.
    """
    to_quiet, to_flood, first_lines, rates = [], [], [], []
    counted = lambda s: (x := read_status(s)) and x[2] is not None and x  # noqa: E731
    cpu0, start = cpu_seconds(pid), time.perf_counter()
    for index in range(presses):
        key, target, times = ("j", quiet, to_quiet) if index % 2 == 0 else ("k", flood, to_flood)
        if key == "j":  # on the flood: how fast are lines shown between presses?
            t0, (_, _, r0) = tmux.wait_for(SESSION, counted, timeout=10)
            time.sleep(1.0)
            t1, (_, _, r1) = tmux.wait_for(SESSION, counted, timeout=10)
            rates.append((r1 - r0) / (t1 - t0))
        pressed = time.perf_counter()
        tmux.keys(SESSION, key)
        try:
            seen, _ = tmux.wait_for(SESSION, lambda s: (x := read_status(s)) and x[0] == target, KEY_TIMEOUT)
        except TimeoutError:
            log(f"press {index + 1} ({key}): not on screen after {KEY_TIMEOUT} s; ending the key phase")
            times.append(math.inf)
            break
        times.append(1000 * (seen - pressed))
        if key == "k":  # info: until the flood's first lines are on screen again
            seen, _ = tmux.wait_for(
                SESSION, lambda s: (x := read_status(s)) and x[0] == flood and x[1] == "following", KEY_TIMEOUT
            )
            first_lines.append(1000 * (seen - pressed))
        else:
            time.sleep(0.3)
    elapsed = time.perf_counter() - start
    return {
        "to_quiet": to_quiet, "to_flood": to_flood, "first_lines": first_lines,
        "rate": statistics.mean(rates), "cpu": 100 * (cpu_seconds(pid) - cpu0) / elapsed,
    }


def disk_used_mb(path: str) -> float | None:
    return shutil.disk_usage(path).used / 1e6 if os.path.isdir(path) else None


def flood_log_mb(client: docker.DockerClient, container_id: str) -> float | None:
    """Size of the flood's json-file logs (current + rotated), if the engine's disk is local."""
    log_path = client.api.inspect_container(container_id).get("LogPath") or ""
    files = list(Path(log_path).parent.glob(Path(log_path).name + "*")) if log_path else []
    return sum(f.stat().st_size for f in files) / 1e6 if files else None


def remove_ours(client: docker.DockerClient, run_id: str) -> None:
    """Force-remove every container labelled with this run."""
    for container in client.containers.list(all=True, filters={"label": f"{LABEL}={run_id}"}):
        try:
            container.remove(force=True)
        except docker.errors.NotFound:
            pass  # already gone: the goal


def single_pid(name: str) -> int | None:
    found = subprocess.run(["pidof", name], capture_output=True, text=True).stdout.split()
    return int(found[0]) if len(found) == 1 else None


def spread(values: list[float]) -> str:
    """p50, p95 and max of latencies in ms; a lost press is infinite."""
    if not values:
        return "none"
    ms = lambda v: f"> {KEY_TIMEOUT:g} s" if math.isinf(v) else f"{v:.0f} ms"  # noqa: E731
    return f"p50 {ms(percentile(values, 50))}, p95 {ms(percentile(values, 95))}, max {ms(max(values))}"


def report(r: dict, args: argparse.Namespace, environment: list[str]) -> None:
    follow, keys, floor = r.get("follow"), r.get("keys"), r.get("floor")
    ok = lambda good: "yes" if good else "NO"  # noqa: E731
    rows = [("figure", "measured", "target", "ok?")]
    if follow:
        rows.append((f"lines/s shown while following, {args.seconds:g} s", f"{follow['rate']:,.0f}/s",
                     ">= 20,000/s", ok(follow["rate"] >= 20_000)))
    if floor:
        rows.append((f"floor: `docker logs -f` into a counter, {args.floor_seconds:g} s",
                     f"{floor['lines_per_s']:,.0f}/s ({floor['mb_per_s']:.1f} MB/s)", "(floor)", ""))
    if keys:
        both = keys["to_quiet"] + keys["to_flood"]
        missed = sum(map(math.isinf, both))
        rows.append((f"key -> status line names the other container ({len(both)} presses, {missed} lost)",
                     spread(both), "p95 < 150 ms", ok(percentile(both, 95) < 150)))
        for label, values in (("  j: flood -> quiet", keys["to_quiet"]), ("  k: quiet -> flood", keys["to_flood"]),
                              ("  k -> flood's lines on screen again", keys["first_lines"])):
            rows.append((label, spread(values), "(info)", ""))
        rows.append(("lines/s shown during the key phase (1 s dwells)", f"{keys['rate']:,.0f}/s", "(info)", ""))
    if follow:
        memory = follow["memory"]
        after10 = [mb for t, mb in memory if t >= 10] or [memory[-1][1]]
        rows.append(("app RSS at the end of following", f"{memory[-1][1]:.0f} MB", "< 150 MB", ok(memory[-1][1] < 150)))
        rows.append(("app RSS growth after the first 10 s", f"{after10[-1] - after10[0]:+.1f} MB", "flat (< 10 MB)",
                     ok(abs(after10[-1] - after10[0]) < 10)))
        rows.append(("app CPU while following", f"{follow['cpu']:.0f} % of one core", "(info)", ""))
        for name, value in follow["others_cpu"].items():
            rows.append((f"{name} CPU while following", f"{value:.0f} % of one core", "(info)", ""))
    if keys:
        rows.append(("app CPU during the key phase", f"{keys['cpu']:.0f} % of one core", "(info)", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print("\nEnvironment")
    for line in environment:
        print(f"  {line}")
    if follow:  # the series behind the table
        print("\nRSS every 5 s (MB): " + ", ".join(f"{t:.0f}s {mb:.1f}" for t, mb in follow["memory"]))
        print("lines/s per 5 s window: " + ", ".join(f"{w:,.0f}" for w in follow["windows"]))
        print(f"status states seen: {', '.join(sorted(follow['states']))}; {follow['total']:,} lines received in all")
    print()
    for index, cells in enumerate(rows):
        print(" | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        if index == 0:
            print("-+-".join("-" * w for w in widths))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.logs", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the app follows the flood")
    parser.add_argument("--floor-seconds", type=float, default=10, help="how long `docker logs -f` is counted")
    parser.add_argument("--presses", type=int, default=40, help="j/k presses in the latency phase")
    parser.add_argument("--flood", choices=sorted(FLOODS), default="yes")
    parser.add_argument("--program", help="run this instead of dockertui, e.g. to compare a patched build")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 s following, 3 s floor, 10 presses")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.floor_seconds, args.presses = 10, 3, 10
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = secrets.token_hex(2)
    flood, quiet = f"f{run_id}", f"q{run_id}"  # short, so the status line has room for the count
    # SIGTERM takes the same path as Ctrl-C, so the cleanup below still runs.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    tmux, engine, client, pid, results = Tmux(f"dtui-logs-{run_id}"), None, None, None, {}
    try:
        url = reachable_engine_url()
        if url is None:
            log("no engine answers; starting a private dockerd")
            engine = PrivateEngine().start()
            url = engine.url
        env = {**os.environ, "DOCKER_HOST": url}
        client = docker.DockerClient(base_url=url, timeout=60)
        ensure_fixture_image(client)
        info = client.info()
        root = info.get("DockerRootDir", "")
        disk_before = disk_used_mb(root)
        environment = [
            f"engine {url}: Docker {info.get('ServerVersion')}, {info.get('Containers')} containers, "
            f"log driver {info.get('LoggingDriver')}; run id {run_id}",
            f"{os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.2f}; "
            f"flood: {shlex.join(FLOODS[args.flood])}",
        ]
        labels = {LABEL: run_id}
        client.containers.run(FIXTURE_IMAGE, QUIET, name=quiet, labels=labels, detach=True)
        time.sleep(1.1)  # the list sorts by creation time; a whole second apart keeps the order certain
        flood_ctr = client.containers.run(
            FIXTURE_IMAGE, FLOODS[args.flood], name=flood, labels=labels, detach=True, log_config=LOG_CONFIG
        )
        time.sleep(2)
        log(f"floor: counting `docker logs -f {flood}` for {args.floor_seconds:g} s")
        results["floor"] = measure_floor(flood_ctr.id, args.floor_seconds, env)
        log(f"floor: {results['floor']['lines_per_s']:,.0f} lines/s")

        script = shutil.which("dockertui", path=str(Path(sys.executable).parent))
        program = [script] if script else [sys.executable, "-m", "dockertui"]
        program = shlex.split(args.program) if args.program else program
        pid = tmux.new(SESSION, "exec env " + shlex.join([f"DOCKER_HOST={url}", *program, "--all"]))
        log(f"app pid {pid} (tmux -L {tmux.base[2]}); waiting for the table")
        tmux.wait_for(SESSION, lambda s: flood in s and quiet in s, timeout=60, interval=0.1)
        tmux.keys(SESSION, "L")
        _, shown = tmux.wait_for(SESSION, read_status, timeout=10)
        for _ in range(10):  # rows made by others after ours sit above ours: walk down to the flood
            if shown[0] == flood:
                break
            tmux.keys(SESSION, "j")
            time.sleep(0.3)
            _, shown = tmux.wait_for(SESSION, read_status, timeout=10)
        else:
            raise RuntimeError(f"cannot put the cursor on {flood}")
        others = {"dockerd": d} if (d := single_pid("dockerd")) else {}  # info: the engine's share
        log(f"following for {args.seconds:g} s")
        results["follow"] = measure_follow(tmux, pid, flood, args.seconds, others)
        log(f"following: {results['follow']['rate']:,.0f} lines/s; key presses now")
        start = time.perf_counter()
        for _ in range(20):
            tmux.capture(SESSION)
        resolution = (time.perf_counter() - start) * 1000 / 20  # one capture: the resolution of each latency
        results["keys"] = measure_keys(tmux, pid, flood, quiet, args.presses)
        environment.append(f"screen polled every 5 ms; one capture-pane takes {resolution:.1f} ms (the resolution)")
        logs_mb = flood_log_mb(client, flood_ctr.id)
        environment.append(f"load average after {os.getloadavg()[0]:.2f}; flood's json-file logs at the end: "
                           + (f"{logs_mb:.0f} MB (cap 100 MB)" if logs_mb is not None else "not readable here"))
        tmux.kill_server()
        wait_gone(pid)
        pid = None
        remove_ours(client, run_id)  # before df, so the flood's logs are gone
        if disk_before is not None:
            environment.append(f"disk used under {root}: {disk_before:,.0f} MB before, "
                               f"{disk_used_mb(root):,.0f} MB after removing the flood")
        report(results, args, environment)
        return 0
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        return 130
    finally:
        tmux.kill_server()
        if pid is not None:
            wait_gone(pid)
        if client is not None:
            remove_ours(client, run_id)
        if engine is not None:
            engine.stop()


if __name__ == "__main__":
    sys.exit(main())
