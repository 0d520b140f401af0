"""The event-latency phase's tools: the screen watch, ``docker run -d`` timing, trace reading.

Used by ``foundation.py``; see benchmarks/README.md.
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from pathlib import Path


class ScreenWatch:
    """A tmux control-mode client on one session: looks at the screen when the app writes, not on a timer.

    tmux tells a control client of every write to the pane (``%output``);
    each one is answered with a ``capture-pane`` sent through the same client,
    so no process is started per look and nothing polls while the app is
    quiet. With a ``marker`` (text the app writes verbatim, such as a
    container name), a row counts as seen when tmux relays the write that
    holds it, once a capture has confirmed it is on screen; otherwise, when
    that capture arrives.
    """

    def __init__(self, tmux: list[str], session: str) -> None:
        """``tmux``: the command that reaches our tmux server (``tmux -L <name>``)."""
        self.session = session
        # ignore-size: the control client must not resize the app's window.
        self._process = subprocess.Popen(
            [*tmux, "-C", "attach-session", "-f", "ignore-size", "-t", session],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
        )
        self._lines: queue.Queue[tuple[int, bytes] | None] = queue.Queue()
        self._block: list[bytes] | None = None  # the reply being read, between %begin and %end
        self._pending = 1  # replies still to come: the attach command's own, then each capture's
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self._process.stdout:
            self._lines.put((time.time_ns(), line))
        self._lines.put(None)

    def wait_for(self, found, timeout: float, marker: str = "") -> tuple[int, str]:
        """Look at the screen now and after each write to it, until ``found(screen)``; return (time_ns, screen)."""
        deadline = time.monotonic() + timeout
        wrote, marked, screen = True, None, "(none)"
        # %output escapes only control characters and backslashes, so plain text is there as written.
        raw_marker = marker.encode()
        while True:
            if wrote and not self._pending:
                self._process.stdin.write(f"capture-pane -p -t {self.session}\n".encode())
                wrote, self._pending = False, 1
            try:
                item = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"not on screen after {timeout}s ({self._pending} captures unanswered); "
                                   f"last screen:\n{screen}") from None
            if item is None:
                raise RuntimeError("the tmux control client ended")
            stamp, line = item
            if self._block is not None:
                if line.startswith((b"%end ", b"%error ")):
                    screen, self._block = b"".join(self._block).decode(errors="replace"), None
                    self._pending -= 1
                    if found(screen):
                        return (marked or stamp), screen
                else:
                    self._block.append(line)
            elif line.startswith(b"%begin "):
                self._block = []
            elif line.startswith(b"%output "):
                wrote = True
                if marked is None and raw_marker and raw_marker in line:
                    marked = stamp

    def close(self) -> None:
        self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()


def docker_run(env: dict, name: str, label: str, image: str) -> tuple[int, subprocess.Popen, list[int]]:
    """Start ``docker run -d`` in another process; returns (start time_ns, process, [exit time_ns once it exits])."""
    command = ["docker", "run", "-d", "--label", label, "--name", name, image, "sleep", "3600"]
    started = time.time_ns()
    cli = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    exited: list[int] = []
    threading.Thread(target=lambda: (cli.wait(), exited.append(time.time_ns())), daemon=True).start()
    return started, cli, exited


def finish(cli: subprocess.Popen, exited: list[int]) -> int:
    _, errors = cli.communicate(timeout=30)
    if cli.returncode:
        raise RuntimeError(f"docker run failed: {errors}")
    while not exited:  # the waiter thread records the exit just after communicate() sees it
        time.sleep(0.001)
    return exited[0]


# Steps of the event path, in order, as benchmarks/_trace.py names them.
STEPS = ("event", "reread", "reread-done", "posted", "handled", "tick", "layout", "rendered", "paint")
# Steps of the next frame: no ids, the first record after "handled" counts.
FRAME_STEPS = ("tick", "layout", "rendered", "paint")


def trace_steps(path: Path, tries: list[tuple[str, int]], seen_ms: list[float]) -> list[dict[str, float]]:
    """Per try, ms from the engine's create event to each step's first record for that container.

    ``tick`` (the screen's update timer fires), ``layout`` (layout
    refreshed), ``rendered`` (the compositor's update is ready) and ``paint``
    (written) are the first of each after ``handled``; ``seen`` is when the
    benchmark saw the row; ``gc2`` is the ms of full garbage collection between
    the create event and the sighting, where there was any.
    """
    records = []
    for line in path.read_text().splitlines():
        stamp, step, *rest = line.split(" ")
        records.append((int(stamp), step, rest[0].split(",") if rest and rest[0] else []))
    collections, started = [], None  # (start, end) of each full collection
    for stamp, step, _ in records:
        if step == "gc2":
            started = stamp
        elif step == "gc2-done" and started is not None:
            collections.append((started, stamp))
    result = []
    for (container_id, created), seen in zip(tries, seen_ms):
        steps: dict[str, float] = {}
        seen_at = created + seen * 1e6
        collected = sum(min(end, seen_at) - max(start, created) for start, end in collections
                        if start < seen_at and end > created)
        if collected:
            steps["gc2"] = collected / 1e6
        for stamp, step, ids in records:
            if stamp < created or step in steps or step.startswith("gc2"):
                continue
            if step in FRAME_STEPS:
                if "handled" in steps and not ids:  # ids is ["nothing"] when no frame was written
                    steps[step] = (stamp - created) / 1e6
            elif container_id in ids:
                steps[step] = (stamp - created) / 1e6
        steps["seen"] = seen
        result.append(steps)
    return result
