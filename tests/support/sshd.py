"""A throwaway OpenSSH server on 127.0.0.1, for testing ``ssh://`` engines.

Everything lives in one temporary directory: host key, client key,
``authorized_keys``, the ``sshd_config``, the pid file and the log, plus a
``home/`` whose ``.ssh/config`` and ``.ssh/known_hosts`` point the client at
the key and the server's host key. A client uses it by running with
``HOME=<home>``, which is where docker-py's paramiko path looks, so the real
``~/.ssh`` is never read or written. The ``ssh`` binary reads the passwd
entry's home instead: give it ``-F <home>/.ssh/config``.

The server sets ``DOCKER_HOST`` for its sessions (``SetEnv``), so the remote
``docker system dial-stdio`` that docker-py runs reaches the test engine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.ports import free_port

SSHD = "/usr/sbin/sshd"


def sshd_available() -> str | None:
    """Why this machine cannot run the test server, or None when it can."""
    if os.geteuid() != 0:
        return "needs root to run sshd"
    for tool in (SSHD, shutil.which("ssh-keygen"), shutil.which("docker")):
        if not tool or not os.access(tool, os.X_OK):
            return "needs openssh-server, openssh-client and the docker CLI (apt-get install openssh-server docker.io)"
    return None


def _descendants(root: int) -> list[int]:
    """Every process below ``root``, from /proc (children before grandchildren)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found: list[int] = []
    frontier = [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found.extend(children)
        frontier = children
    return found


class TestSSHServer:
    """``sshd -D`` of our own on a free port; only ever stops that process."""

    __test__ = False  # not a pytest test class

    def __init__(self, engine_url: str, user: str = "root") -> None:
        self.engine_url = engine_url
        self.user = user
        self.base_dir = Path(tempfile.mkdtemp(prefix="dtui-ssh-", dir="/tmp"))
        self.home = self.base_dir / "home"
        self.port = 0
        self.log_path = self.base_dir / "sshd.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}"

    @property
    def client_key(self) -> Path:
        return self.base_dir / "id_ed25519"

    def client_env(self, environ: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for a client process: our HOME, no engine settings."""
        env = dict(os.environ if environ is None else environ)
        for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG"):
            env.pop(name, None)
        env["HOME"] = str(self.home)
        return env

    def _keygen(self, path: Path, comment: str) -> str:
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
            check=True,
            stdin=subprocess.DEVNULL,
        )
        return path.with_suffix(".pub").read_text().strip()

    def start(self, timeout: float = 15) -> TestSSHServer:
        host_key = self.base_dir / "host_ed25519"
        host_public = self._keygen(host_key, "dtui-test-host")
        client_public = self._keygen(self.client_key, "dtui-test-client")
        (self.base_dir / "authorized_keys").write_text(client_public + "\n")
        self.port = free_port()
        config = self.base_dir / "sshd_config"
        config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {host_key}",
                    f"PidFile {self.base_dir / 'sshd.pid'}",
                    f"AuthorizedKeysFile {self.base_dir / 'authorized_keys'}",
                    "PermitRootLogin prohibit-password",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    # The temp dir's modes are not the ones sshd insists on for ~/.ssh.
                    "StrictModes no",
                    f"SetEnv DOCKER_HOST={self.engine_url}",
                    "",
                ]
            )
        )
        ssh_dir = self.home / ".ssh"
        ssh_dir.mkdir(parents=True, mode=0o700)
        key_type, key_body = host_public.split()[:2]
        (ssh_dir / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {key_type} {key_body}\n")
        (ssh_dir / "config").write_text(
            "\n".join(
                [
                    "Host 127.0.0.1",
                    f"    IdentityFile {self.client_key}",
                    "    IdentitiesOnly yes",
                    f"    UserKnownHostsFile {ssh_dir / 'known_hosts'}",
                    "    StrictHostKeyChecking accept-new",
                    "    BatchMode yes",
                    "",
                ]
            )
        )
        # sshd's privilege separation directory; the package's service makes it.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        self._process = subprocess.Popen(
            [SSHD, "-D", "-f", str(config), "-E", str(self.log_path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"sshd exited with {self._process.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    if probe.recv(64).startswith(b"SSH-"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"sshd did not answer within {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop our sshd and the sessions it forked, then remove the directory."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            # sshd starts a new session for each connection, so its children
            # are found by parentage, not by process group.
            doomed = [process.pid, *_descendants(process.pid)]
            for pid in doomed:
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"
