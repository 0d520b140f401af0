"""A real Docker engine for the integration tests.

The tests talk to a real daemon, never a mock. This module finds one or makes
one, using only the standard library and the ``docker`` SDK:

- :func:`reachable_engine_url` finds a daemon that already answers.
- :class:`PrivateEngine` starts a ``dockerd`` of our own, with every path
  (data, exec state, pidfile, socket, log) under one short directory, and only
  ever stops that daemon.
- :func:`ensure_packages` installs ``docker.io`` and ``busybox-static`` with
  apt on a clean Debian machine.
- :func:`ensure_fixture_image` builds the small test image from the host's
  static busybox, so no registry is needed.

Run as a program it prints shell ``export`` lines for ``eval``::

    eval "$(python -m tests.support.engine up --state-dir DIR)"
    python -m pytest
    python -m tests.support.engine down --state-dir DIR

``up`` exports ``DOCKER_HOST``, ``DOCKERTUI_TEST_ENGINE_STARTED`` (``1`` when
it started a daemon) and ``DOCKERTUI_TEST_ENGINE_DIR`` (that daemon's
directory, or empty). ``down`` stops the daemon only if ``up`` started it, as
recorded in ``DIR/engine.json``. Everything but the ``export`` lines goes to
stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import docker
import requests

from tests.support.mounts import unmount_all_under

DEFAULT_SOCKET_URL = "unix:///var/run/docker.sock"
FIXTURE_IMAGE = "dockertui-test/busybox:latest"
FIXTURE_LABEL = "dockertui.test.fixture"
BUSYBOX_CANDIDATES = ("/bin/busybox", "/usr/bin/busybox")
APT_PACKAGES = ("docker.io", "busybox-static")

# sun_path in sockaddr_un holds 108 bytes, including the trailing NUL.
_MAX_SOCKET_PATH = 107
_PT_INTERP = 3
_STATE_FILE = "engine.json"

# Run by unshare in the engine's new network namespace, before it execs dockerd
# (so the pid stays the daemon's): that namespace's loopback starts down, and
# dockerd brings it up only after restoring a swarm, whose manager then cannot
# listen on 127.0.0.1:2377 again after a restart.
_LOOPBACK_UP_THEN_EXEC = """
import fcntl, os, socket, struct, sys
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
    flags = struct.unpack("16sH", fcntl.ioctl(probe, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0)))[1]
    fcntl.ioctl(probe, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))
os.execv(sys.argv[1], sys.argv[1:])
"""

_FIXTURE_DOCKERFILE = f"""\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["sh"]
LABEL {FIXTURE_LABEL}="1"
"""


def _log(message: str) -> None:
    """Report progress on stderr, leaving stdout to the ``export`` lines."""
    print(f"[engine] {message}", file=sys.stderr, flush=True)


def ping(url: str, *, timeout: float = 3.0) -> bool:
    """Return whether the engine at ``url`` answers ``/_ping``.

    TLS settings still come from ``DOCKER_TLS_VERIFY``/``DOCKER_CERT_PATH``.
    """
    environment = {**os.environ, "DOCKER_HOST": url}
    try:
        client = docker.from_env(environment=environment, timeout=timeout)
    except docker.errors.DockerException:
        return False
    try:
        return bool(client.ping())
    except (docker.errors.DockerException, requests.RequestException, OSError):
        return False
    finally:
        client.close()


def reachable_engine_url() -> str | None:
    """Return the URL of an engine that answers a ping, or None.

    ``DOCKER_HOST`` is tried first, then the default unix socket.
    """
    docker_host = os.environ.get("DOCKER_HOST")
    if docker_host and ping(docker_host):
        return docker_host
    if ping(DEFAULT_SOCKET_URL):
        return DEFAULT_SOCKET_URL
    return None


def is_static_elf(path: str | os.PathLike[str]) -> bool:
    """Return whether ``path`` is an ELF executable with no program interpreter.

    A binary without a ``PT_INTERP`` header needs no dynamic loader, so it runs
    in a ``FROM scratch`` image. Reading the headers avoids depending on
    ``file(1)``, which a clean machine may not have.
    """
    try:
        with open(path, "rb") as binary:
            ident = binary.read(16)
            if len(ident) < 16 or ident[:4] != b"\x7fELF":
                return False
            bits = {1: 32, 2: 64}.get(ident[4])
            order = {1: "<", 2: ">"}.get(ident[5])
            if bits is None or order is None:
                return False
            if bits == 64:
                header = struct.unpack(order + "HHIQQQIHHHHHH", binary.read(48))
            else:
                header = struct.unpack(order + "HHIIIIIHHHHHH", binary.read(36))
            phoff, phentsize, phnum = header[4], header[8], header[9]
            for index in range(phnum):
                binary.seek(phoff + index * phentsize)
                (p_type,) = struct.unpack(order + "I", binary.read(4))
                if p_type == _PT_INTERP:
                    return False
            return True
    except (OSError, struct.error):
        return False


def static_busybox() -> Path | None:
    """Return the path of a statically linked busybox on this host, or None."""
    for candidate in BUSYBOX_CANDIDATES:
        if is_static_elf(candidate):
            return Path(candidate)
    return None


def ensure_packages(*, dockerd: bool = True) -> None:
    """Install ``docker.io`` and ``busybox-static`` with apt if either is missing.

    With ``dockerd=False`` only the static busybox is required, for machines
    whose engine lives elsewhere. Raises RuntimeError where apt cannot help.
    """
    missing = []
    if dockerd and shutil.which("dockerd") is None:
        missing.append("docker.io")
    if static_busybox() is None:
        missing.append("busybox-static")
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise RuntimeError(
            f"missing {', '.join(missing)}; install them "
            f"(apt-get install {' '.join(missing)}) or point DOCKER_HOST at an engine"
        )
    _log(f"installing {' '.join(APT_PACKAGES)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # apt's chatter goes to stderr: stdout is meant for `eval`.
    subprocess.run(["apt-get", "update"], check=True, env=env, stdout=sys.stderr)
    subprocess.run(
        ["apt-get", "install", "-y", *APT_PACKAGES],
        check=True,
        env=env,
        stdout=sys.stderr,
    )
    if dockerd and shutil.which("dockerd") is None:
        raise RuntimeError("apt-get installed docker.io but dockerd is not on PATH")
    if static_busybox() is None:
        raise RuntimeError("apt-get installed busybox-static but no static busybox found")


def _has_compose_cli() -> bool:
    """``docker compose`` (the plugin) or ``docker-compose`` answers."""
    if shutil.which("docker-compose"):
        return True
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


# (package, whether it is there already, which tests need it)
OPTIONAL_PACKAGES = (
    ("openssh-server", lambda: bool(shutil.which("sshd") or Path("/usr/sbin/sshd").exists()), "the ssh:// tests"),
    ("docker-compose", _has_compose_cli, "the Compose CLI tests"),
    # docker-compose 1.x reaches ssh:// engines through paramiko, which Debian only recommends.
    ("python3-paramiko", lambda: not shutil.which("docker-compose") or compose_has_paramiko(), "Compose over ssh://"),
    ("podman", lambda: bool(shutil.which("podman")), "the Podman tests"),
)


def compose_has_paramiko() -> bool:
    """Whether Debian's docker-compose (1.x) can import paramiko, which it needs for ssh://."""
    return Path("/usr/lib/python3/dist-packages/paramiko").is_dir()


def ensure_optional_packages() -> None:
    """Install openssh-server, docker-compose and paramiko for it when missing and we may.

    Never fails: without them the tests that need them skip with their reason.
    """
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for package, present, needed_by in OPTIONAL_PACKAGES:
        if present():
            continue
        _log(f"installing {package} with apt-get (for {needed_by})")
        try:
            subprocess.run(["apt-get", "install", "-y", package], check=True, env=env, stdout=sys.stderr)
        except subprocess.CalledProcessError:
            subprocess.run(["apt-get", "update"], check=False, env=env, stdout=sys.stderr)
            subprocess.run(["apt-get", "install", "-y", package], check=False, env=env, stdout=sys.stderr)


def ensure_fixture_image(client: docker.DockerClient) -> str:
    """Build the fixture image ``dockertui-test/busybox:latest`` if missing.

    It is ``FROM scratch`` plus the host's static busybox, so building it needs
    no registry. It carries the label ``dockertui.test.fixture=1`` and is kept
    between test sessions. Returns the image id.
    """
    try:
        image = client.images.get(FIXTURE_IMAGE)
    except docker.errors.ImageNotFound:
        image = None
    if image is not None and image.labels.get(FIXTURE_LABEL) == "1":
        return image.id
    busybox = static_busybox()
    if busybox is None:
        raise RuntimeError("no static busybox on this host: run ensure_packages() first")
    _log(f"building {FIXTURE_IMAGE} from {busybox}")
    with tempfile.TemporaryDirectory(prefix="dtui-image-") as context:
        target = Path(context, "busybox")
        shutil.copyfile(busybox, target)
        target.chmod(0o755)
        Path(context, "Dockerfile").write_text(_FIXTURE_DOCKERFILE)
        image, _logs = client.images.build(
            path=context, tag=FIXTURE_IMAGE, rm=True, forcerm=True
        )
    # Two builds at once (a test run beside the screenshot script) leave the
    # loser untagged; only fixture builds carry this label, so only they go.
    client.images.prune(filters={"dangling": True, "label": f"{FIXTURE_LABEL}=1"})
    # The tag now names whichever build won.
    return client.images.get(FIXTURE_IMAGE).id


def _process_state(pid: int) -> str | None:
    """Return the one-letter state of ``pid`` from /proc, or None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name is in parentheses and may itself contain spaces.
    return stat.rpartition(")")[2].split()[0]


def _is_alive(pid: int) -> bool:
    """Return whether ``pid`` runs; a zombie nobody has reaped yet counts as gone."""
    return _process_state(pid) not in (None, "Z", "X")


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return []
    return raw.decode(errors="replace").split("\0")


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


class PrivateEngine:
    """A ``dockerd`` of our own, with all its state under ``base_dir``.

    Layout of ``base_dir`` (default: a new ``/tmp/dtui-XXXXXXXX``, short so the
    socket path fits the 108-byte limit)::

        data/          --data-root
        exec/          --exec-root (its managed containerd lives here too)
        dockerd.pid    --pidfile
        docker.sock    -H unix://...
        daemon.json    an empty config, so /etc/docker/daemon.json is ignored
        dockerd.log    the daemon's output, appended across restarts

    ``isolated_network=True`` runs the daemon in a network namespace of its
    own, with no bridge and no iptables rules, so a second daemon can run
    beside one that owns ``docker0``. Its containers get only ``--network
    none`` or ``host`` (the namespace's, which has no outside link).

    A daemon counts as ours only if its command line names our pidfile, so
    :meth:`stop` never signals anything else, even when handed a stale or
    reused pid. An engine can be stopped from another process by creating a
    ``PrivateEngine`` with the same ``base_dir``.
    """

    def __init__(
        self,
        base_dir: str | os.PathLike[str] | None = None,
        *,
        isolated_network: bool = False,
        extra_args: Sequence[str] = (),
        activated_socket: socket.socket | None = None,
    ) -> None:
        """``extra_args`` go to dockerd. ``activated_socket``, a listening socket,
        is handed over as systemd socket activation does (fd 3, ``LISTEN_FDS``,
        ``LISTEN_PID``) and served with ``-H fd://``: made in this process's
        network namespace, it is reachable from here even when the daemon runs
        in a namespace of its own."""
        if base_dir is None:
            base_dir = tempfile.mkdtemp(prefix="dtui-", dir="/tmp")
        self.base_dir = Path(base_dir).absolute()
        self.isolated_network = isolated_network
        self.extra_args = list(extra_args)
        self.activated_socket = activated_socket
        self.socket_path = self.base_dir / "docker.sock"
        self.pidfile = self.base_dir / "dockerd.pid"
        self.log_path = self.base_dir / "dockerd.log"
        if len(str(self.socket_path)) > _MAX_SOCKET_PATH:
            raise ValueError(f"socket path too long for a unix socket: {self.socket_path}")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The ``DOCKER_HOST`` value for this engine."""
        return f"unix://{self.socket_path}"

    @property
    def pid(self) -> int | None:
        """The pid of our running daemon, or None."""
        pid = _read_pid(self.pidfile)
        if pid is None and self._process is not None and self._process.poll() is None:
            pid = self._process.pid
        if pid is None or not _is_alive(pid) or not self._owns(pid):
            return None
        return pid

    @property
    def is_running(self) -> bool:
        """Whether our daemon's process is alive (not whether it answers yet)."""
        return self.pid is not None

    def _owns(self, pid: int) -> bool:
        args = _cmdline(pid)
        pidfile = str(self.pidfile)
        return any(
            (arg == "--pidfile" and index + 1 < len(args) and args[index + 1] == pidfile)
            or arg == f"--pidfile={pidfile}"
            for index, arg in enumerate(args)
        )

    def command(self) -> list[str]:
        """The ``dockerd`` command line this engine runs."""
        dockerd = shutil.which("dockerd")
        if dockerd is None:
            raise RuntimeError("dockerd not found: run ensure_packages() first")
        # containerd namespaces allow only letters and digits between separators.
        suffix = self.base_dir.name.lower().removeprefix("dtui-")
        namespace = "dtui-" + re.sub("[^a-z0-9]", "", suffix)
        args = [
            dockerd,
            "--config-file", str(self.base_dir / "daemon.json"),
            "--data-root", str(self.base_dir / "data"),
            "--exec-root", str(self.base_dir / "exec"),
            "--pidfile", str(self.pidfile),
            "-H", self.url,
            # Own namespaces, in case a system containerd is shared with another daemon.
            "--containerd-namespace", namespace,
            "--containerd-plugins-namespace", f"{namespace}-plugins",
            # Test containers often run `sleep` as pid 1, which ignores SIGTERM.
            "--shutdown-timeout", "5",
        ]
        if self.isolated_network:
            args += ["--bridge=none", "--iptables=false", "--ip6tables=false"]
            # dockerd deletes the host's docker0 when started with --bridge=none
            # (removeDefaultBridgeInterface), breaking the daemon beside it. In
            # a network namespace of its own it can only delete its own.
            # unshare execs Python, which execs dockerd, so the pid stays the daemon's.
            unshare = shutil.which("unshare")
            if unshare is None:
                raise RuntimeError("isolated_network needs unshare (util-linux)")
            args = [unshare, "--net", "--", sys.executable, "-c", _LOOPBACK_UP_THEN_EXEC, *args]
        if self.activated_socket is not None:
            args.append("-H")
            args.append("fd://")
        return [*args, *self.extra_args]

    def start(self, timeout: float = 60) -> PrivateEngine:
        """Start the daemon and wait until it answers a ping.

        Raises RuntimeError, with the end of the log, if it exits or does not
        answer within ``timeout`` seconds; a daemon that did not answer is
        stopped again.
        """
        if self.is_running:
            raise RuntimeError(f"engine in {self.base_dir} is already running")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        config = self.base_dir / "daemon.json"
        if not config.exists():
            config.write_text("{}\n")
        command = self.command()
        _log(f"starting {shlex.join(command)}")
        pass_fds: tuple[int, ...] = ()
        if self.activated_socket is not None:
            fd = self.activated_socket.fileno()
            pass_fds = (fd,)
            # LISTEN_PID must be dockerd's own pid: the shell's, kept by exec
            # (and by unshare, which execs dockerd in turn).
            # bash: dash takes only one-digit fds in a redirection.
            command = ["bash", "-c", f'export LISTEN_PID=$$ LISTEN_FDS=1; exec "$@" 3<&{fd}', "bash", *command]
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                command,
                pass_fds=pass_fds,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: a Ctrl-C meant for pytest must not reach it.
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"dockerd exited with {self._process.returncode}:\n{self.log_tail()}"
                )
            if ping(self.url, timeout=2):
                _log(f"engine answering at {self.url}")
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"dockerd did not answer within {timeout}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 30) -> None:
        """Stop our daemon: SIGTERM, then SIGKILL after ``timeout`` seconds; then
        undo the mounts it left under ``base_dir`` (mounts.py), also if it had died.
        """
        pid = self.pid
        if pid is None:
            self._reap()
            self._unmount_left()
            return
        _log(f"stopping dockerd {pid} ({self.base_dir})")
        os.kill(pid, signal.SIGTERM)
        if not self._wait_gone(pid, timeout):
            _log(f"dockerd {pid} still running after {timeout}s; killing it")
            os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid, 10)
            self._kill_managed_containerd()
        self._kill_left_shims()
        self._reap()
        self._unmount_left()

    def _unmount_left(self) -> None:
        left, failures = unmount_all_under(self.base_dir)
        if left:
            _log(f"unmounted {left} mounts left by dockerd under {self.base_dir}")
        for failure in failures:
            _log(f"could not unmount {failure}")

    def restart(self, timeout: float = 60) -> PrivateEngine:
        """Stop and start the daemon again, keeping its data."""
        self.stop()
        return self.start(timeout=timeout)

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the daemon's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def _wait_gone(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._reap()
            if not _is_alive(pid):
                return True
            time.sleep(0.1)
        return False

    def _reap(self) -> None:
        if self._process is not None and self._process.poll() is not None:
            self._process = None

    def _kill_managed_containerd(self) -> None:
        # A killed dockerd leaves the containerd it started running.
        exec_root = str(self.base_dir / "exec")
        pidfile = self.base_dir / "exec" / "containerd" / "containerd.pid"
        pid = _read_pid(pidfile)
        if pid is not None and _is_alive(pid) and any(exec_root in a for a in _cmdline(pid)):
            _log(f"killing containerd {pid} left by dockerd")
            os.kill(pid, signal.SIGKILL)

    def _kill_left_shims(self) -> None:
        # A dockerd that stops before its containers do (many running, a
        # PID 1 that ignores SIGTERM) leaves their shims and processes
        # running with no engine to stop them: kill this engine's, by the
        # containerd address under our exec root in the shim's command line.
        address = str(self.base_dir / "exec" / "containerd" / "containerd.sock")
        shims = [int(entry.name) for entry in Path("/proc").iterdir()
                 if entry.name.isdigit() and address in _cmdline(int(entry.name))]
        if shims:
            _log(f"killing {len(shims)} container shims left by dockerd, and their containers")
        for shim in shims:
            for child in _children(shim):  # each container's first process: its PID namespace goes with it
                _signal_quietly(child, signal.SIGKILL)
            _signal_quietly(shim, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []


def _signal_quietly(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _exports(url: str, started: bool, engine_dir: str) -> str:
    values = {
        "DOCKER_HOST": url,
        "DOCKERTUI_TEST_ENGINE_STARTED": "1" if started else "0",
        "DOCKERTUI_TEST_ENGINE_DIR": engine_dir,
    }
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in values.items())


def _read_state(state_dir: Path) -> dict | None:
    try:
        return json.loads((state_dir / _STATE_FILE).read_text())
    except FileNotFoundError:
        return None


def _write_state(state_dir: Path, state: dict) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / _STATE_FILE).write_text(json.dumps(state, indent=2) + "\n")


def up(state_dir: Path) -> str:
    """Make sure an engine answers and the fixture image exists; return exports."""
    state = _read_state(state_dir)
    if state and state["started"] and PrivateEngine(state["engine_dir"]).is_running:
        # A second `up` must not forget that the first one started the daemon.
        url, started, engine_dir = state["url"], True, state["engine_dir"]
    else:
        url = reachable_engine_url()
        started, engine_dir = False, ""
        if url is None:
            ensure_packages()
            url = reachable_engine_url()
        if url is None:
            engine = PrivateEngine()
            engine_dir = str(engine.base_dir)
            # Recorded before starting, so `down` cleans up even if start fails.
            _write_state(state_dir, {"started": True, "url": engine.url, "engine_dir": engine_dir})
            engine.start()
            url, started = engine.url, True
        else:
            _log(f"using the engine at {url}")
            _write_state(state_dir, {"started": False, "url": url, "engine_dir": ""})
    ensure_packages(dockerd=False)
    ensure_optional_packages()
    client = docker.from_env(environment={**os.environ, "DOCKER_HOST": url})
    try:
        ensure_fixture_image(client)
    finally:
        client.close()
    return _exports(url, started, engine_dir)


def down(state_dir: Path, *, keep: bool = False) -> None:
    """Stop the engine that ``up`` started for ``state_dir``, if it started one."""
    state = _read_state(state_dir)
    if not state or not state["started"]:
        _log("no engine was started here; leaving the engine alone")
        return
    engine = PrivateEngine(state["engine_dir"])
    engine.stop()
    if engine.is_running:
        raise RuntimeError(f"engine in {engine.base_dir} did not stop")
    (state_dir / _STATE_FILE).unlink()
    if not keep:
        try:
            shutil.rmtree(engine.base_dir)
        except OSError as error:
            # A leftover directory under /tmp is not worth failing the run for.
            _log(f"could not remove {engine.base_dir}: {error}")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``up`` and ``down`` (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.engine", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="find or start an engine; print export lines")
    up_parser.add_argument("--state-dir", type=Path, required=True)
    down_parser = commands.add_parser("down", help="stop the engine `up` started, if any")
    down_parser.add_argument("--state-dir", type=Path, required=True)
    down_parser.add_argument("--keep", action="store_true", help="keep the engine's directory")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            sys.stdout.write(up(args.state_dir))
        else:
            down(args.state_dir, keep=args.keep)
    except (RuntimeError, subprocess.CalledProcessError, docker.errors.DockerException) as error:
        _log(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
