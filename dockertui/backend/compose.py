"""Compose projects: read from container labels, driven through the Compose CLI.

The engine knows nothing of Compose; Compose writes what it knows onto every
container it makes, as ``com.docker.compose.*`` labels. Grouping, the project
screen and the project actions all work from those labels, so they work on
any engine. ``up`` and ``down`` need the project's files, so they run the
installed Compose CLI (found by :func:`detect_compose`) as a subprocess,
pointed at the app's engine, and hand its output back as a closable line stream.
"""

from __future__ import annotations

import codecs
import os
import re
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from dockertui.backend.connection import EngineTarget
from dockertui.backend.engine_info import ComposeInfo, detect_compose
from dockertui.backend.models import ContainerInfo

PROJECT = "com.docker.compose.project"
SERVICE = "com.docker.compose.service"
CONFIG_FILES = "com.docker.compose.project.config_files"
WORKING_DIR = "com.docker.compose.project.working_dir"
NUMBER = "com.docker.compose.container-number"
ONEOFF = "com.docker.compose.oneoff"

# How `docker compose` reads TLS material: three fixed names in one folder.
CERT_NAMES = {"ca_cert": "ca.pem", "client_cert": "cert.pem", "client_key": "key.pem"}
INSTALL_HINT = "install the Compose CLI: the `docker compose` plugin (docker-compose-plugin) or `docker-compose`"
# A CLI that ignores SIGTERM is killed this long after it.
KILL_AFTER_SECONDS = 5.0
READ_SIZE = 65536
VERB_ARGS = {"up": ("up", "-d"), "down": ("down",)}

__all__ = [
    "ComposeInfo",
    "ComposeLabels",
    "ComposeProject",
    "ComposeRun",
    "detect_compose",
]


@dataclass(frozen=True)
class ComposeLabels:
    """What Compose wrote on one container."""

    project: str
    service: str
    config_files: tuple[str, ...]
    working_dir: str
    number: int
    oneoff: bool


@dataclass(frozen=True)
class ComposeProject:
    """A project as its containers' labels describe it.

    ``config_files`` are absolute when the working dir is known (Compose 1.x
    writes them relative to it). ``container_ids`` are newest first.
    """

    name: str
    working_dir: str
    config_files: tuple[str, ...]
    services: tuple[str, ...]
    container_ids: tuple[str, ...]


def compose_labels(container: ContainerInfo) -> ComposeLabels | None:
    """The container's Compose labels, or None if Compose did not make it."""
    labels = dict(container.labels)
    project = labels.get(PROJECT, "")
    if not project:
        return None
    try:
        number = int(labels.get(NUMBER, "") or 0)
    except ValueError:
        number = 0
    return ComposeLabels(
        project=project,
        service=labels.get(SERVICE, ""),
        config_files=tuple(part.strip() for part in labels.get(CONFIG_FILES, "").split(",") if part.strip()),
        working_dir=labels.get(WORKING_DIR, ""),
        number=number,
        # Compose 1.x writes "False"/"True", Compose 2 "False"/"True" as well; be lenient.
        oneoff=labels.get(ONEOFF, "").strip().lower() == "true",
    )


def group_key(container: ContainerInfo) -> tuple:
    """Sort key for the grouped list: by project, then service, then replica; no project last."""
    labels = compose_labels(container)
    if labels is None:
        return (1,)
    return (0, labels.project.casefold(), labels.service.casefold(), labels.oneoff, labels.number)


def _absolute(path: str, working_dir: str) -> str:
    if not working_dir or os.path.isabs(path):
        return path
    return os.path.normpath(os.path.join(working_dir, path))


def project_named(name: str, containers: Iterable[ContainerInfo]) -> ComposeProject | None:
    """The project called ``name`` among these containers, or None if none of them is in it."""
    members = [(c, labels) for c in containers if (labels := compose_labels(c)) is not None and labels.project == name]
    if not members:
        return None
    members.sort(key=lambda pair: pair[0].created, reverse=True)
    # The newest container was made from the project's current files.
    newest = members[0][1]
    working_dir = newest.working_dir or next((labels.working_dir for _, labels in members if labels.working_dir), "")
    return ComposeProject(
        name=name,
        working_dir=working_dir,
        config_files=tuple(_absolute(path, working_dir) for path in newest.config_files),
        services=tuple(sorted({labels.service for _, labels in members if labels.service}, key=str.casefold)),
        container_ids=tuple(c.id for c, _ in members),
    )


def projects(containers: Iterable[ContainerInfo]) -> list[ComposeProject]:
    """Every project these containers belong to, by name."""
    containers = list(containers)
    names = {labels.project for c in containers if (labels := compose_labels(c)) is not None}
    found = (project_named(name, containers) for name in sorted(names, key=str.casefold))
    return [project for project in found if project is not None]


# ------------------------------------------------------------------ the CLI


def unavailable_reason(cli: ComposeInfo | None, project: ComposeProject) -> str | None:
    """Why ``up``/``down`` cannot run for this project here; None when they can."""
    if cli is None:
        return f"no Compose CLI found: {INSTALL_HINT}"
    if not project.config_files:
        return "the containers' labels name no Compose file"
    missing = [path for path in project.config_files if not os.path.isfile(path)]
    if missing:
        return f"Compose file not on this machine: {', '.join(missing)}"
    return None


def target_note(target: EngineTarget) -> str | None:
    """A caveat about running the CLI against this engine, if there is one."""
    if target.url.startswith("ssh://"):
        return (
            "the engine is reached over ssh://: Compose opens its own ssh connection "
            "(docker-compose 1.x needs python3-paramiko for that); if it fails, run Compose on the engine's host"
        )
    return None


def compose_argv(cli: ComposeInfo, project: ComposeProject, verb: str) -> list[str]:
    """The command line for ``verb`` ("up" or "down") on this project.

    Options use the ``--name=value`` form so a value from a label can never
    be read as another option.
    """
    argv = [*cli.command.split(), f"--project-name={project.name}"]
    if project.working_dir:
        argv.append(f"--project-directory={project.working_dir}")
    argv += [f"--file={path}" for path in project.config_files]
    return argv + list(VERB_ARGS[verb])


def _cert_dir(target: EngineTarget) -> tuple[str | None, tempfile.TemporaryDirectory | None]:
    """A folder laid out as DOCKER_CERT_PATH expects; temporary when the files have other names."""
    tls = target.tls
    files = {key: getattr(tls, key) for key in CERT_NAMES if getattr(tls, key)}
    if not files:
        return None, None
    folders = {str(Path(path).parent) for path in files.values()}
    if len(folders) == 1 and all(Path(path).name == CERT_NAMES[key] for key, path in files.items()):
        return folders.pop(), None
    scratch = tempfile.TemporaryDirectory(prefix="dockertui-compose-tls-")
    for key, path in files.items():
        os.symlink(os.path.abspath(path), os.path.join(scratch.name, CERT_NAMES[key]))
    return scratch.name, scratch


def compose_env(
    target: EngineTarget, environ: Mapping[str, str] = os.environ
) -> tuple[dict[str, str], tempfile.TemporaryDirectory | None]:
    """The environment that points the CLI at the app's engine, and a scratch dir to clean up.

    Whatever the user's shell says about engines (a context, other TLS files)
    is replaced by what the app is connected to.
    """
    env = {
        key: value
        for key, value in environ.items()
        if key not in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
    }
    env["DOCKER_HOST"] = target.url
    scratch = None
    if target.tls is not None:
        cert_path, scratch = _cert_dir(target)
        if cert_path:
            env["DOCKER_CERT_PATH"] = cert_path
        if target.tls.verify:
            env["DOCKER_TLS_VERIFY"] = "1"
        else:
            env["DOCKER_TLS"] = "1"
    return env, scratch


_LINE_END = re.compile(r"\r\n|\n|\r(?!\Z)")


def split_lines(text: str) -> tuple[list[str], str]:
    """Whole lines in ``text`` and the unfinished rest.

    ``\\r\\n``, ``\\n`` and a lone ``\\r`` (a progress line redrawn) each end a
    line; a ``\\r`` at the very end is held back, as a ``\\n`` may follow it.
    """
    parts = _LINE_END.split(text)
    return parts[:-1], parts[-1]


class ComposeRun:
    """A running Compose CLI: iterate for its output lines (stdout and stderr); close to stop it.

    It runs in its own process group, so ``close`` (from any thread) stops it
    and any helper it started; the reading thread then sees the end of output.
    """

    def __init__(self, argv: list[str], env: dict[str, str], cwd: str | None = None,
                 scratch: tempfile.TemporaryDirectory | None = None) -> None:
        self.argv = argv
        self._scratch = scratch
        self._lock = threading.Lock()
        self.cancelled = False
        self.returncode: int | None = None
        try:
            self._process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd if cwd and os.path.isdir(cwd) else None,
                start_new_session=True,
            )
        except OSError:
            self._cleanup()
            raise

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        rest = ""
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while chunk := stdout.read1(READ_SIZE):
                lines, rest = split_lines(rest + decoder.decode(chunk))
                yield from lines
            rest += decoder.decode(b"", final=True)
            if rest.strip("\r"):
                yield rest.rstrip("\r")
        finally:
            stdout.close()
            self.returncode = self._process.wait()
            self._cleanup()

    def close(self) -> None:
        """Stop the CLI (SIGTERM, then SIGKILL if it lingers); never blocks."""
        with self._lock:
            if self._process.poll() is not None:
                return
            self.cancelled = True
            self._signal(signal.SIGTERM)
        timer = threading.Timer(KILL_AFTER_SECONDS, self._signal, (signal.SIGKILL,))
        timer.daemon = True
        timer.start()

    def _signal(self, number: int) -> None:
        if self._process.poll() is not None:
            return
        try:
            os.killpg(self._process.pid, number)
        except ProcessLookupError:
            # It ended between the poll and the signal.
            pass

    def _cleanup(self) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


def run_compose(cli: ComposeInfo, project: ComposeProject, verb: str, target: EngineTarget) -> ComposeRun:
    """Start ``up -d`` or ``down`` for the project against the app's engine.

    Raises:
        OSError: the CLI could not be started.
    """
    env, scratch = compose_env(target)
    return ComposeRun(compose_argv(cli, project, verb), env, cwd=project.working_dir or None, scratch=scratch)
