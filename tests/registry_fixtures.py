"""A real, throwaway image registry for the image tests (pytest plugin).

Load it with ``pytest_plugins = ["tests.registry_fixtures"]`` in
``tests/conftest.py`` (or ``-p tests.registry_fixtures``). The ``registry``
fixture starts Debian's ``docker-registry`` (the CNCF distribution server)
with htpasswd auth, its data in a temporary directory, on 127.0.0.1 (port
5000 when free), and stops it at the end of the session. The engine treats
127.0.0.0/8 registries as insecure, so plain HTTP works without any engine
configuration. ``docker-registry`` and ``apache2-utils`` (htpasswd) are
installed with apt when missing and we are root; otherwise the tests that need
the registry are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REGISTRY_BINARY = "/usr/bin/docker-registry"
APT_PACKAGES = {"docker-registry": REGISTRY_BINARY, "apache2-utils": "htpasswd"}
PREFERRED_PORT = 5000
START_TIMEOUT = 15.0


@dataclass(frozen=True)
class TestRegistry:
    """A running registry: where it listens and the one account it accepts."""

    address: str
    username: str
    password: str
    root: Path

    @property
    def url(self) -> str:
        return f"http://{self.address}"


def _missing_packages() -> list[str]:
    return [package for package, tool in APT_PACKAGES.items() if not (shutil.which(tool) or os.path.exists(tool))]


def _install(packages: list[str]) -> str | None:
    """apt-get install ``packages``; returns why it could not, or None."""
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return f"missing {' '.join(packages)} and cannot install them (needs root and apt-get)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            return f"{' '.join(command)} failed: {result.stderr.strip()[-300:]}"
    return None


def _free_port() -> int:
    for port in (PREFERRED_PORT, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free TCP port on 127.0.0.1")


def _config(root: Path, port: int, htpasswd: Path) -> str:
    return f"""\
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {root / "data"}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
auth:
  htpasswd:
    realm: dockertui-test-registry
    path: {htpasswd}
"""


def _wait_ready(url: str, process: subprocess.Popen) -> str | None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"docker-registry exited with status {process.returncode}"
        try:
            # 401 is the answer we want: it listens and asks for credentials.
            if requests.get(f"{url}/v2/", timeout=1).status_code in (200, 401):
                return None
        except requests.RequestException:
            pass
        time.sleep(0.1)
    return f"docker-registry did not answer on {url} within {START_TIMEOUT:.0f}s"


@pytest.fixture(scope="session")
def registry() -> Iterator[TestRegistry]:
    """A registry with htpasswd auth on 127.0.0.1; skips when it cannot start."""
    missing = _missing_packages()
    if missing:
        problem = _install(missing)
        if problem:
            pytest.skip(f"no local registry for the image tests: {problem}")
    root = Path(tempfile.mkdtemp(prefix="dtui-registry-"))
    username, password = "dtui-tester", f"pw-{uuid.uuid4().hex[:12]}"
    htpasswd = root / "htpasswd"
    hashed = subprocess.run(
        ["htpasswd", "-Bbn", username, password], capture_output=True, text=True, check=True
    ).stdout
    htpasswd.write_text(hashed)
    port = _free_port()
    config = root / "config.yml"
    config.write_text(_config(root, port, htpasswd))
    log = open(root / "registry.log", "wb")
    process = subprocess.Popen(
        [REGISTRY_BINARY, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = TestRegistry(f"127.0.0.1:{port}", username, password, root)
    try:
        problem = _wait_ready(server.url, process)
        if problem:
            tail = (root / "registry.log").read_text(errors="replace")[-400:]
            pytest.skip(f"no local registry for the image tests: {problem}; log: {tail}")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty DOCKER_CONFIG directory for this test: the user's is never touched."""
    directory = tmp_path / "docker-config"
    directory.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(directory))
    return directory
