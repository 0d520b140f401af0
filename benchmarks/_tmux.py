"""Shared by the benchmarks: the app as a real process in tmux, and its /proc figures.

A private tmux server (``tmux -L``) per run, so the user's sessions are never
touched, and killing the server ends everything the run started in it.
"""

from __future__ import annotations

import compileall
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

WIDTH, HEIGHT = 120, 35
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Tmux:
    """One private tmux server; ``tmux("cmd", ...)`` runs a tmux command on it."""

    def __init__(self, socket_name: str) -> None:
        self.base = ["tmux", "-L", socket_name]
        self.socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp"), f"tmux-{os.getuid()}", socket_name)
        self.started = False

    def __call__(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], check=True, capture_output=True, text=True).stdout

    def new(self, session: str, command: str) -> int:
        """Start ``command`` in a new WIDTHxHEIGHT session; returns the pane's pid.

        Start the command with ``exec`` so that pid is the app itself.
        """
        self("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT), command)
        self.started = True
        return int(self("display-message", "-p", "-t", session, "#{pane_pid}").strip())

    def keys(self, session: str, *keys: str) -> None:
        self("send-keys", "-t", session, *keys)

    def capture(self, session: str, colours: bool = False) -> str:
        """The pane's text; ``colours``: with its SGR escapes (``capture-pane -e``)."""
        return self("capture-pane", "-p", *(["-e"] if colours else []), "-t", session)

    def wait_for(self, session: str, found: Callable[[str], object], timeout: float, interval: float = 0.005,
                 colours: bool = False):
        """Poll the screen until ``found(screen)`` is truthy; return (time.perf_counter(), its value).

        The time is taken when the capture that first showed it returned: late
        by at most one poll interval plus one capture.
        """
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture(session, colours)
            seen = time.perf_counter()
            value = found(screen)
            if value:
                return seen, value
            if time.monotonic() > deadline:
                raise TimeoutError(f"not on screen after {timeout}s; last screen:\n{screen}")
            time.sleep(interval)

    def kill_server(self) -> None:
        if self.started:
            subprocess.run([*self.base, "kill-server"], capture_output=True)
            self.socket.unlink(missing_ok=True)  # tmux 3.3 sometimes leaves it behind
            self.started = False


COUNT = re.compile(r"Containers \((\d+)\)")


class TmuxApp:
    """``command`` (dockertui) in session ``session`` of our tmux server, with ``env``.

    With PYTHONPATH in ``env`` (a source tree) it starts from that folder:
    ``python -m`` puts the working folder first on sys.path.
    """

    def __init__(self, tmux: Tmux, session: str, command: list[str], env: dict[str, str]) -> None:
        self.tmux, self.session = tmux, session
        cd = f"cd {shlex.quote(env['PYTHONPATH'])} && " if "PYTHONPATH" in env else ""
        self.pid = tmux.new(session, cd + "exec env " + shlex.join([f"{k}={v}" for k, v in env.items()] + command))

    def screen(self, colours: bool = False) -> str:
        return self.tmux.capture(self.session, colours)

    def wait(self, found: Callable[[str], object], timeout: float = 120, colours: bool = False,
             interval: float = 0.01) -> float:
        """Poll until ``found(screen)``; the perf_counter time of the capture that showed it."""
        return self.tmux.wait_for(self.session, found, timeout, interval, colours)[0]

    def wait_count(self, expected: int, timeout: float = 120, interval: float = 0.01) -> float:
        """Until the Containers tab counts exactly ``expected``."""

        def shown(screen: str) -> bool:
            match = COUNT.search(screen)
            return bool(match) and int(match.group(1)) == expected

        return self.wait(shown, timeout, interval=interval)

    def stop(self) -> None:
        """Kill the session (SIGHUP to the app) and wait until the app is gone."""
        subprocess.run([*self.tmux.base, "kill-session", "-t", self.session], capture_output=True)
        wait_gone(self.pid)


def installed_tool(name: str) -> str | None:
    """The program ``name`` beside the Python running the benchmark (its virtualenv, as
    ``pip install -e '.[bench]'`` puts it), else on PATH; None if neither has it."""
    return shutil.which(name, path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")


def byte_compile(tree: Path) -> None:
    """Write the .pyc files of ``tree``'s dockertui package, as installing it does.

    Without them (a fresh checkout, or PYTHONDONTWRITEBYTECODE set) every
    launch compiles the source first, which no installed app does.
    """
    compileall.compile_dir(str(tree / "dockertui"), quiet=1)


def wait_gone(pid: int, timeout: float = 5) -> None:
    """Wait for ``pid`` to exit (SIGKILL after ``timeout``); e.g. after kill_server."""
    deadline = time.monotonic() + timeout
    while process_state(pid) not in (None, "Z", "X"):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline += timeout
        time.sleep(0.05)


def process_state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of ``pid``, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of proc(5)


def thread_cpu_seconds(pid: int, tid: int | None = None) -> float:
    """utime + stime of one thread of ``pid`` (by default its main thread: the app's UI), in seconds."""
    fields = Path(f"/proc/{pid}/task/{tid or pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: p95 of 20 values is the 19th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
