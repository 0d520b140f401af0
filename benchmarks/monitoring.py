"""Monitoring figures: app CPU with the stats columns on and off, and bulk removal.

Drives ``dockertui --all`` as a real process in a 120x40 tmux pane against a
real engine, and prints each figure beside its target. It is never a test.

    python -m benchmarks.monitoring [--quick] [--running 50] [--remove 500] [--seconds 30]

Phase 1: ``--running`` containers run ``sleep 3600``; the app shows them with
the CPU and Memory columns on, and its CPU (utime+stime of /proc/<pid>/stat)
is measured over ``--seconds``, with the engine's (dockerd, its containerd and
our containers' shims) beside it; then ``c`` turns the columns off and the
app is measured again. Only rows on screen are polled, so the number of our
rows visible is reported.

Phase 2: 2 x ``--remove`` containers are created (never started, so
"stopped"). ``docker rm <ids>`` times the CLI over one half, with no app
running. Then the app starts again, ``/`` filters to the other half's name
prefix, ``ctrl+a`` marks them, ``d`` asks, and the time runs from the key that
presses "Remove" until the tab reads "Containers (0, filtered)".

Every container is labelled ``dockertui.bench=<run id>`` and removed by that
label at the end, also on failure or Ctrl-C. tmux runs as its own server.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker

from benchmarks._engine_run import LABEL, create_labelled, remove_ours
from benchmarks._tmux import Tmux, cpu_seconds, process_state, wait_gone
from tests.support.engine import ensure_fixture_image, reachable_engine_url

SESSION = "app"
WIDTH, HEIGHT = 120, 40
COUNT = re.compile(r"Containers \((\d+)(, filtered)?\)")


SLEEP = ["sleep", "3600"]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def engine_pids(url: str, container_ids: list[str]) -> dict[str, list[int]]:
    """dockerd serving ``url``, its containerd, and the shims of ``container_ids``."""
    socket = url.removeprefix("unix://")
    procs = {int(p.name): cmdline(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit()}
    dockerds = [pid for pid, cmd in procs.items() if cmd and Path(cmd[0]).name == "dockerd"]
    serving = [pid for pid in dockerds if any(socket in arg for arg in procs[pid])] or dockerds
    found: dict[str, list[int]] = {"dockerd": serving[:1] if len(serving) == 1 else []}
    if found["dockerd"]:
        ppid = lambda p: int(Path(f"/proc/{p}/stat").read_text().rpartition(")")[2].split()[1])  # noqa: E731
        found["containerd"] = [p for p, cmd in procs.items()
                               if cmd and Path(cmd[0]).name == "containerd" and ppid(p) == found["dockerd"][0]]
    ours = set(container_ids)
    found["shims"] = [p for p, cmd in procs.items() if cmd and "containerd-shim" in cmd[0]
                      and any(arg in ours for arg in cmd)]
    return found


def total_cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(p) for p in pids if process_state(p) not in (None, "Z", "X"))


def measure_cpu(pid: int, others: dict[str, list[int]], seconds: float) -> dict[str, float]:
    """% of one core for the app and each group of ``others`` over ``seconds``; no screen polling meanwhile."""
    before = {"app": cpu_seconds(pid), **{k: total_cpu(v) for k, v in others.items()}}
    start = time.perf_counter()
    time.sleep(seconds)
    elapsed = time.perf_counter() - start
    after = {"app": cpu_seconds(pid), **{k: total_cpu(v) for k, v in others.items()}}
    return {k: 100 * (after[k] - before[k]) / elapsed for k in before}


def start_app(tmux: Tmux, url: str, program: list[str], at_least: int) -> int:
    """The app in a WIDTHxHEIGHT pane, waited for until the Containers tab counts >= at_least."""
    pid = tmux.new(SESSION, "exec env " + shlex.join([f"DOCKER_HOST={url}", *program, "--all"]))
    tmux("resize-window", "-t", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT))
    tmux.wait_for(SESSION, lambda s: (m := COUNT.search(s)) and int(m[1]) >= at_least, timeout=60, interval=0.1)
    return pid


def stop_app(tmux: Tmux, pid: int) -> None:
    tmux("kill-session", "-t", SESSION)
    wait_gone(pid)


def phase_cpu(tmux: Tmux, pid: int, url: str, prefix: str, ids: list[str], seconds: float) -> dict:
    others = engine_pids(url, ids)
    log(f"engine processes: dockerd {others['dockerd']}, containerd {others.get('containerd')}, "
        f"{len(others['shims'])} shims of ours")
    # CPU % needs two samples per row: wait until every visible row of ours shows one.
    # Only the list's side of each line: the Details pane on the right names the selected one too.
    shown = lambda s: [left for ln in s.splitlines() if prefix in (left := ln.split("▏")[0])]  # noqa: E731
    tmux.keys(SESSION, "c")  # the stats columns start off
    _, rows = tmux.wait_for(SESSION, lambda s: (r := shown(s)) and all("%" in ln for ln in r) and r, 30, 0.2)
    time.sleep(2)
    log(f"{len(rows)} of our {len(ids)} rows visible, all with a CPU figure; stats on for {seconds:g} s")
    on = measure_cpu(pid, others, seconds)
    tmux.keys(SESSION, "c")
    tmux.wait_for(SESSION, lambda s: not any("%" in ln for ln in shown(s)), 10, 0.1)
    time.sleep(2)  # let the poll in flight finish
    log(f"stats off for {seconds:g} s")
    off = measure_cpu(pid, others, seconds)
    return {"visible": len(rows), "on": on, "off": off}


def phase_remove(tmux: Tmux, url: str, program: list[str], api: docker.APIClient,
                 run_id: str, count: int) -> dict:
    app_prefix, cli_prefix = f"dtmon-{run_id}-app-", f"dtmon-{run_id}-cli-"
    log(f"creating 2 x {count} stopped containers")
    create_labelled(api, run_id, [f"{app_prefix}{i:04d}" for i in range(count)], SLEEP)
    cli_ids = create_labelled(api, run_id, [f"{cli_prefix}{i:04d}" for i in range(count)], SLEEP)
    time.sleep(2)  # let the engine settle after the creates
    log(f"docker rm over {count} (no app running)")
    start = time.perf_counter()
    subprocess.run(["docker", "-H", url, "rm", *cli_ids], check=True, capture_output=True)
    cli = time.perf_counter() - start

    pid = start_app(tmux, url, program, count)
    log("app loaded; filtering, marking, removing")
    tmux.keys(SESSION, "/")
    time.sleep(0.5)
    tmux.keys(SESSION, "-l", app_prefix)
    tmux.keys(SESSION, "Enter")
    tmux.wait_for(SESSION, lambda s: (m := COUNT.search(s)) and m[2] and int(m[1]) == count, 30, 0.1)
    tmux.keys(SESSION, "C-a")
    time.sleep(0.5)
    asked = time.perf_counter()
    tmux.keys(SESSION, "d")
    tmux.wait_for(SESSION, lambda s: f"Remove {count} containers?" in s, 60, 0.05)
    screen_open = time.perf_counter() - asked
    tmux.keys(SESSION, "BTab")  # focus starts on Cancel; Remove is just before it
    time.sleep(0.5)
    cpu0, pressed = cpu_seconds(pid), time.perf_counter()
    tmux.keys(SESSION, "Enter")
    seen, _ = tmux.wait_for(SESSION, lambda s: (m := COUNT.search(s)) and m[2] and m[1] == "0", 300, 0.05)
    app = seen - pressed
    cpu = 100 * (cpu_seconds(pid) - cpu0) / app
    left = api.containers(all=True, filters={"label": f"{LABEL}={run_id}", "name": app_prefix})
    return {"cli": cli, "app": app, "cpu": cpu, "screen_open": screen_open, "left": len(left), "pid": pid}


def report(r: dict, args: argparse.Namespace, environment: list[str]) -> None:
    ok = lambda good: "yes" if good else "NO"  # noqa: E731
    pct = lambda v: f"{v:.1f} % of one core"  # noqa: E731
    rows = [("figure", "measured", "target", "ok?")]
    if "cpu" in r:
        c = r["cpu"]
        rows.append((f"app CPU, {args.running} running, stats columns on ({c['visible']} rows visible), "
                     f"{args.seconds:g} s", pct(c["on"]["app"]), "< 10 %", ok(c["on"]["app"] < 10)))
        rows.append(("app CPU, stats columns off", pct(c["off"]["app"]), "< 1 %", ok(c["off"]["app"] < 1)))
        for name in ("dockerd", "containerd", "shims"):
            if name in c["on"]:
                label = "our containers' shims" if name == "shims" else name
                rows.append((f"  {label} CPU, stats on / off", f"{c['on'][name]:.1f} % / {c['off'][name]:.1f} %",
                             "(info)", ""))
    if "remove" in r:
        m = r["remove"]
        rows.append((f"app: bulk removal of {args.remove} marked stopped containers", f"{m['app']:.2f} s",
                     f"< 2x CLI = {2 * m['cli']:.2f} s", ok(m["app"] < 2 * m["cli"])))
        rows.append((f"  `docker rm <{args.remove} ids>` (CLI, no app running)", f"{m['cli']:.2f} s", "(floor)", ""))
        rows.append(("  app / CLI", f"{m['app'] / m['cli']:.2f}x", "< 2x", ""))
        rows.append(("  app CPU during the removal", pct(m["cpu"]), "(info)", ""))
        rows.append(("  `d` until the confirmation screen is shown", f"{m['screen_open']:.2f} s", "(info)", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print("\nEnvironment")
    for line in environment:
        print(f"  {line}")
    print()
    for index, cells in enumerate(rows):
        print(" | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        if index == 0:
            print("-+-".join("-" * w for w in widths))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.monitoring", description=__doc__.split("\n")[0])
    parser.add_argument("--running", type=int, default=50, help="running containers in the CPU phase")
    parser.add_argument("--seconds", type=float, default=30, help="each CPU window")
    parser.add_argument("--remove", type=int, default=500, help="containers the app removes (and the CLI too)")
    parser.add_argument("--program", help="run this instead of dockertui, e.g. to compare a patched build")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 running, 10 s windows, 50 removed")
    args = parser.parse_args(argv)
    if args.quick:
        args.running, args.seconds, args.remove = 10, 10, 50
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = secrets.token_hex(2)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # so the cleanup below runs
    tmux, api, pid, results = Tmux(f"dtui-mon-{run_id}"), None, None, {}
    try:
        url = reachable_engine_url()
        if url is None:
            raise RuntimeError("no engine answers; set DOCKER_HOST")
        api = docker.APIClient(base_url=url, timeout=120)
        ensure_fixture_image(docker.DockerClient(base_url=url, timeout=120))
        info = api.info()
        environment = [
            f"engine {url}: Docker {info.get('ServerVersion')}, {info.get('Containers')} containers before; "
            f"run id {run_id}",
            f"{os.cpu_count()} CPUs, load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        ]
        script = shutil.which("dockertui", path=str(Path(sys.executable).parent))
        program = [script] if script else [sys.executable, "-m", "dockertui"]
        program = shlex.split(args.program) if args.program else program

        prefix = f"dtmon-{run_id}-run-"
        log(f"starting {args.running} containers running sleep 3600")
        ids = create_labelled(api, run_id, [f"{prefix}{i:04d}" for i in range(args.running)], SLEEP, start=True)
        pid = start_app(tmux, url, program, args.running)
        log(f"app pid {pid} (tmux -L {tmux.base[2]}, {WIDTH}x{HEIGHT}); table loaded")
        results["cpu"] = phase_cpu(tmux, pid, url, prefix, ids, args.seconds)
        stop_app(tmux, pid)
        pid = None

        results["remove"] = removal = phase_remove(tmux, url, program, api, run_id, args.remove)
        pid = removal["pid"]
        if removal["left"]:
            environment.append(f"WARNING: {removal['left']} of the app's containers still exist at the end")
        environment.append(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        report(results, args, environment)
        return 0
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        return 130
    finally:
        tmux.kill_server()
        if pid is not None:
            wait_gone(pid)
        if api is not None:
            log(f"removed {remove_ours(api, run_id)} containers labelled {LABEL}={run_id}")


if __name__ == "__main__":
    sys.exit(main())
