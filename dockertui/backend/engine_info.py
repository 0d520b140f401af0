"""What ``docker version``, ``docker info`` and ``docker compose version`` tell.

The engine's answers arrive as dicts; :func:`details_from_raw` turns them into
one frozen record. Which Compose is installed is a fact about this machine,
not the engine, so :func:`detect_compose` asks the local binaries.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dockertui.backend.raw import engine_product

COMPOSE_TIMEOUT = 5.0
# `docker compose` (the CLI plugin) first, as `docker` itself prefers it.
COMPOSE_COMMANDS = (("docker", "compose", "version"), ("docker-compose", "version"))


@dataclass(frozen=True)
class ComposeInfo:
    """An installed Compose: the command that runs it and what it says it is."""

    command: str
    version: str


@dataclass(frozen=True)
class EngineDetails:
    """The engine and its client, for the info screen."""

    host: str
    client_library: str
    engine_version: str
    api_version: str
    api_version_range: str
    os: str
    arch: str
    kernel: str
    operating_system: str
    name: str
    storage_driver: str
    root_dir: str
    cpus: int
    memory_bytes: int
    containers_running: int
    containers_paused: int
    containers_stopped: int
    images: int
    registries: tuple[str, ...]
    mirrors: tuple[str, ...]
    insecure_registries: tuple[str, ...]
    swarm_state: str
    compose: ComposeInfo | None

    @property
    def swarm_active(self) -> bool:
        return self.swarm_state == "active"


def _run_version(command: tuple[str, ...]) -> str | None:
    """The first line ``command`` prints, or None when it is missing or fails."""
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            timeout=COMPOSE_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    # `docker compose` without the plugin fails with "'compose' is not a docker command".
    if done.returncode != 0:
        return None
    lines = done.stdout.strip().splitlines()
    return lines[0].strip() if lines else None


def detect_compose(run: Callable[[tuple[str, ...]], str | None] = _run_version) -> ComposeInfo | None:
    """``docker compose version``, else ``docker-compose version``, else None."""
    for command in COMPOSE_COMMANDS:
        version = run(command)
        if version:
            return ComposeInfo(command=" ".join(command[:-1]), version=version)
    return None


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in values or ())


def details_from_raw(
    host: str,
    client_library: str,
    api_version: str,
    version: Mapping[str, Any],
    info: Mapping[str, Any],
    compose: ComposeInfo | None,
) -> EngineDetails:
    """Build the record from ``GET /version`` and ``GET /info``.

    ``api_version`` is the version this client negotiated, which may be lower
    than the engine's newest.
    """
    registry = info.get("RegistryConfig") or {}
    index_configs = registry.get("IndexConfigs") or {}
    swarm = info.get("Swarm") or {}
    max_api = str(version.get("ApiVersion", "?"))
    min_api = str(version.get("MinAPIVersion", ""))
    return EngineDetails(
        host=host,
        client_library=client_library,
        engine_version=" ".join(engine_product(version)),
        api_version=api_version,
        api_version_range=f"{min_api} – {max_api}" if min_api else max_api,
        os=str(version.get("Os", "")),
        arch=str(version.get("Arch", "")),
        kernel=str(version.get("KernelVersion", "") or info.get("KernelVersion", "")),
        operating_system=str(info.get("OperatingSystem", "")),
        name=str(info.get("Name", "")),
        storage_driver=str(info.get("Driver", "")),
        root_dir=str(info.get("DockerRootDir", "")),
        cpus=int(info.get("NCPU") or 0),
        memory_bytes=int(info.get("MemTotal") or 0),
        containers_running=int(info.get("ContainersRunning") or 0),
        containers_paused=int(info.get("ContainersPaused") or 0),
        containers_stopped=int(info.get("ContainersStopped") or 0),
        images=int(info.get("Images") or 0),
        registries=tuple(sorted(str(name) for name in index_configs)),
        mirrors=_strings(registry.get("Mirrors")),
        insecure_registries=_strings(registry.get("InsecureRegistryCIDRs")),
        swarm_state=str(swarm.get("LocalNodeState") or "inactive"),
        compose=compose,
    )
