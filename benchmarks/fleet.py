"""A fleet of three engines with 200 containers each: issue 18's figures.

Starts three private dockerds (each in a network namespace of its own), puts
``--size`` containers on each (three in four running and printing a line a
second, as versus.py does), and runs ``dockertui --all -H e1=… -H e2=… -H e3=…``
in a 160x45 tmux pane, read with ``capture-pane`` every 20 ms. It measures:

- launch -> all three lists full (the Containers tab counts 3 x size), median of ``--launches``;
- idle CPU over ``--idle-seconds`` once the lists settled, all three engines' followers in it;
- ``docker run -d`` on each engine in turn -> its row on screen, p95 of ``--tries``;
- RSS once idle.

Targets (issue 18): full lists <= 1.2 s, idle CPU < 0.75 %, run -> row p95 <= 0.15 s,
RSS < 150 MB. Everything it makes is labelled ``dockertui.bench=<run>``; the
engines are its own and are stopped (and their folders removed) at the end,
also after a failure or Ctrl-C.

    python -m benchmarks.fleet [--size 200] [--launches 3] [--tries 20] [--idle-seconds 30] [--source DIR]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docker

from benchmarks._engine_run import LABEL, BackgroundCommand
from benchmarks._tmux import Tmux, TmuxApp, byte_compile, cpu_seconds, percentile, rss_mb
from benchmarks.versus import TICKER, grow_to, row_of
from tests.support.engine import FIXTURE_IMAGE, PrivateEngine, ensure_fixture_image

REPO = Path(__file__).resolve().parent.parent
ENGINES = 3


def log(message: str) -> None:
    print(f"[fleet] {message}", file=sys.stderr, flush=True)


def start_engines() -> list[PrivateEngine]:
    engines = [PrivateEngine(isolated_network=True) for _ in range(ENGINES)]

    def start(engine: PrivateEngine) -> None:
        engine.start()
        client = docker.DockerClient(base_url=engine.url, timeout=300)
        ensure_fixture_image(client)
        client.close()

    with ThreadPoolExecutor(ENGINES) as pool:
        list(pool.map(start, engines))
    return engines


def measure(engines: list[PrivateEngine], args: argparse.Namespace, run_id: str) -> dict:
    apis = [docker.APIClient(base_url=engine.url, timeout=300) for engine in engines]
    for api in apis:
        grow_to(api, run_id, 0, args.size)
    expected = ENGINES * args.size
    source = Path(args.source).resolve() if args.source else REPO
    byte_compile(source)
    command = [sys.executable, "-m", "dockertui", "--all",
               *(arg for index, engine in enumerate(engines, 1) for arg in ("-H", f"e{index}={engine.url}"))]
    env = {"PYTHONPATH": str(source), "TERM": "xterm-256color", "XDG_CONFIG_HOME": f"/tmp/dtui-fleet-{run_id}"}
    tmux = Tmux(f"dtui-fleet-{run_id}")
    figures: dict = {"full": [], "run": [], "cli": []}
    try:
        tmux.new("keeper", "sleep 86400")  # the server's own start-up is not counted
        for attempt in range(args.launches):
            started = time.perf_counter()
            app = TmuxApp(tmux, f"launch-{attempt}", command, env)
            shown = app.wait_count(expected, timeout=120)
            figures["full"].append(shown - started)
            log(f"launch {attempt + 1}: all {expected} rows in {figures['full'][-1]:.2f} s")
            if attempt < args.launches - 1:
                app.stop()
        time.sleep(3)  # settled
        before, since = cpu_seconds(app.pid), time.monotonic()
        time.sleep(args.idle_seconds)
        figures["idle"] = 100 * (cpu_seconds(app.pid) - before) / (time.monotonic() - since)
        figures["rss"] = rss_mb(app.pid)
        log(f"idle {figures['idle']:.2f} % over {args.idle_seconds:.0f} s, RSS {figures['rss']:.0f} MB")
        for attempt in range(args.tries):
            index = attempt % ENGINES
            name = f"a-{run_id}-run{attempt:02d}"
            cli_env = {**os.environ, "DOCKER_HOST": engines[index].url}
            # The screen is read while the CLI runs, as versus.py does.
            command = BackgroundCommand(cli_env, "run", "-d", "--name", name, "--label", f"{LABEL}={run_id}",
                                        FIXTURE_IMAGE, *TICKER)
            seen = app.wait(lambda screen: (row := row_of(screen, name)) is not None and f"e{index + 1}" in row,
                            timeout=30, interval=0.02)
            figures["cli"].append(command.finish() - command.started)  # the CLI alone, for context
            figures["run"].append(seen - command.started)
            log(f"run -d on e{index + 1}: row in {1000 * figures['run'][-1]:.0f} ms")
        app.stop()
    finally:
        tmux.kill_server()
        shutil.rmtree(env["XDG_CONFIG_HOME"], ignore_errors=True)
        for api in apis:
            api.close()
    return figures


def report(figures: dict, args: argparse.Namespace) -> None:
    full = figures["full"]
    print(f"\nfleet: {ENGINES} engines x {args.size} containers ({args.size * 3 // 4} running on each), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end")
    print("| figure | measured | target |\n|---|---|---|")
    print(f"| launch -> all three lists full | median {statistics.median(full):.2f} s "
          f"({', '.join(f'{v:.2f}' for v in full)}) | <= 1.2 s |")
    print(f"| idle CPU, {args.idle_seconds:.0f} s | {figures['idle']:.2f} % | < 0.75 % |")
    run = figures["run"]
    print(f"| `docker run -d` -> row, p95 of {len(run)} | {1000 * percentile(run, 95):.0f} ms "
          f"(median {1000 * statistics.median(run):.0f} ms; the CLI alone: median "
          f"{1000 * statistics.median(figures['cli']):.0f} ms) | <= 150 ms |")
    print(f"| RSS idle | {figures['rss']:.0f} MB | < 150 MB |")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=200, help="containers per engine")
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--source", help="a dockertui tree to run instead of this one")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = secrets.token_hex(2)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # like Ctrl-C: the cleanup still runs
    engines: list[PrivateEngine] = []
    status = 0
    try:
        log(f"run {run_id}: starting {ENGINES} private engines")
        engines = start_engines()
        report(measure(engines, args, run_id), args)
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        status = 130
    except (TimeoutError, RuntimeError, subprocess.CalledProcessError, docker.errors.DockerException) as error:
        log(f"failed: {error}")
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for engine in engines:  # the engines are the run's own: stopping them ends every container
            engine.stop()
            shutil.rmtree(engine.base_dir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
