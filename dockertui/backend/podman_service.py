"""A Podman service the app starts when no engine answers and Podman is installed.

Podman has no daemon: ``podman system service`` serves the Docker API on a
socket until stopped. It goes where discovery (discovery.py) looks for it,
``$XDG_RUNTIME_DIR/podman/podman.sock``, so the next connection attempt
finds it; the app stops it again when it quits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from dockertui.backend.discovery import ping
from dockertui.backend.errors import EngineUnavailable

START_SECONDS = 15.0


def podman_socket(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where the app would start Podman's service; None without podman or a runtime dir.

    Rootless under ``$XDG_RUNTIME_DIR``; as root without one (a login over
    ssh, a container), where rootful Podman keeps its socket. Discovery looks
    at both.
    """
    runtime = environ.get("XDG_RUNTIME_DIR") or ("/run" if os.geteuid() == 0 else "")
    if shutil.which("podman") is None or not runtime:
        return None
    return Path(runtime) / "podman" / "podman.sock"


class PodmanService:
    """``podman system service --time=0`` on ``socket``, started and stopped by the app."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        """Start it and wait until it answers (call from a worker). EngineUnavailable says why not."""
        self.socket.parent.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            ["podman", "system", "service", "--time=0", self.url],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while ping(self.url):
            if self._process.poll() is not None:
                error = (self._process.stderr.read() or b"").decode("utf-8", "replace").strip()
                raise EngineUnavailable(f"podman system service ended: {error or 'no reason given'}")
            if time.monotonic() > deadline:
                self.stop()
                raise EngineUnavailable(f"podman system service did not answer within {START_SECONDS:.0f} s")
            time.sleep(0.1)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
