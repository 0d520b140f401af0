"""Shared by the benchmarks: the app as a real process in tmux, and its /proc figures.

A private tmux server (``tmux -L``) per run, so the user's sessions are never
touched, and killing the server ends everything the run started in it.
"""

from __future__ import annotations

import compileall
import math
import os
import signal
import subprocess
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

    def capture(self, session: str) -> str:
        return self("capture-pane", "-p", "-t", session)

    def wait_for(self, session: str, found: Callable[[str], object], timeout: float, interval: float = 0.005):
        """Poll the screen until ``found(screen)`` is truthy; return (time.perf_counter(), its value).

        The time is taken when the capture that first showed it returned: late
        by at most one poll interval plus one capture.
        """
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture(session)
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


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: p95 of 20 values is the 19th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
