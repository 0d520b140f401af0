"""A throwaway Podman service for the tests: its own socket, storage and run dirs.

``podman system service`` serves Docker's API on a unix socket. Everything it
keeps (images, containers, their mounts) lives under one temporary folder, so
stopping it and removing that folder leaves nothing behind. Podman's default
rlimits cannot be set in this sandbox (``error setting rlimit type 6/7``); a
``containers.conf`` with no default ulimits, named by ``CONTAINERS_CONF``, avoids that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.engine import ping

CONTAINERS_CONF = "[containers]\ndefault_ulimits = []\n"
START_TIMEOUT = 30.0


class PodmanService:
    def __init__(self, insecure_registries: tuple[str, ...] = ()) -> None:
        """``insecure_registries``: ``host:port`` of registries it may reach over plain HTTP."""
        self.base = Path(tempfile.mkdtemp(prefix="dtui-podman-"))
        self.socket = self.base / "podman.sock"
        (self.base / "containers.conf").write_text(CONTAINERS_CONF)
        self.env = {**os.environ, "CONTAINERS_CONF": str(self.base / "containers.conf")}
        if insecure_registries:
            (self.base / "registries.conf").write_text("".join(
                f'[[registry]]\nlocation = "{address}"\ninsecure = true\n' for address in insecure_registries))
            self.env["CONTAINERS_REGISTRIES_CONF"] = str(self.base / "registries.conf")
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @property
    def _own_dirs(self) -> list[str]:
        """Storage, run state, libpod's state (else /run/libpod) and networks (else /etc/containers)."""
        base = self.base
        return ["--root", str(base / "root"), "--runroot", str(base / "run"), "--tmpdir", str(base / "tmp"),
                "--network-config-dir", str(base / "networks")]

    def podman(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        command = ["podman", *self._own_dirs, *args]
        return subprocess.run(command, env=self.env, check=True, capture_output=True, timeout=120, **kwargs)

    def start(self) -> PodmanService:
        (self.base / "networks").mkdir()
        command = ["podman", *self._own_dirs, "system", "service", "--time=0", self.url]
        log = open(self.base / "service.log", "wb")  # kept open for the process's life
        self._process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while not ping(self.url, timeout=1.0):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"podman system service did not answer: {(self.base / 'service.log').read_text()}")
            time.sleep(0.1)
        return self

    def load(self, image_tar: Path) -> None:
        """Give it an image from a `docker save` tar file."""
        self.podman("load", "-i", str(image_tar))

    def stop(self) -> None:
        """Remove its containers, stop the service, and remove its folder."""
        if self._process is not None and self._process.poll() is None:
            try:
                self.podman("rm", "--all", "--force", "--time", "0")
            except (subprocess.SubprocessError, OSError):
                pass
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=15)
        try:
            self.podman("system", "reset", "--force")  # unmounts what its storage still holds
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.base, ignore_errors=True)
