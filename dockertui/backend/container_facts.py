"""What only ``docker inspect`` tells about a container: its environment, restart
policy, health, networks and exact start and finish times.

The list the app keeps live (``docker ps``) has none of these, so the details
pane reads them for the one selected container, again when its state changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dockertui.backend.errors import EngineError
from dockertui.backend.raw import parse_timestamp
from dockertui.backend.run_line import restart_value, run_line

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ContainerFacts:
    """The inspect document's facts the details pane shows, read in ``state``."""

    container_id: str
    state: str
    started_at: datetime | None
    finished_at: datetime | None
    exit_code: int | None
    error: str
    restart_policy: str
    restart_count: int
    health: str
    entrypoint: tuple[str, ...]
    working_dir: str
    user: str
    hostname: str
    env: Pairs
    networks: Pairs
    # The `docker run` line that would make it again (run_line.py).
    run_line: tuple[str, ...] = ()


def _moment(value: Any) -> datetime | None:
    # The engine's zero time ("0001-01-01T00:00:00Z") means "never".
    if not value or str(value).startswith("0001-"):
        return None
    return parse_timestamp(value)


def _restart_policy(policy: dict[str, Any]) -> str:
    return restart_value(str(policy.get("Name") or "no"), int(policy.get("MaximumRetryCount") or 0))


def facts_from_inspect(document: dict[str, Any], state: str, image: dict[str, Any] | None = None) -> ContainerFacts:
    """The facts in one inspect document (a pure function, for tests)."""
    status = document.get("State") or {}
    config = document.get("Config") or {}
    host_config = document.get("HostConfig") or {}
    env = []
    for entry in config.get("Env") or ():
        key, _, value = str(entry).partition("=")
        env.append((key, value))
    networks = (document.get("NetworkSettings") or {}).get("Networks") or {}
    finished = _moment(status.get("FinishedAt"))
    return ContainerFacts(
        container_id=str(document.get("Id", "")),
        state=state,
        started_at=_moment(status.get("StartedAt")),
        finished_at=finished,
        exit_code=int(status["ExitCode"]) if finished is not None and "ExitCode" in status else None,
        error=str(status.get("Error") or ""),
        restart_policy=_restart_policy(host_config.get("RestartPolicy") or {}),
        restart_count=int(document.get("RestartCount") or 0),
        health=str((status.get("Health") or {}).get("Status") or ""),
        entrypoint=tuple(str(part) for part in config.get("Entrypoint") or ()),
        working_dir=str(config.get("WorkingDir") or ""),
        user=str(config.get("User") or ""),
        hostname=str(config.get("Hostname") or ""),
        env=tuple(sorted(env)),
        networks=tuple(sorted((str(name), str((net or {}).get("IPAddress") or "")) for name, net in networks.items())),
        run_line=tuple(run_line(document, image)),
    )


def container_facts(backend: DockerBackend, container_id: str, state: str) -> ContainerFacts:
    """Inspect the container (EngineError if it is gone), and its image for the run line."""
    document = backend.inspect_container(container_id)
    try:
        image = backend.inspect_image(str(document.get("Image") or ""))
    except EngineError:
        image = None  # removed since: the run line then lists what the image had set too
    return facts_from_inspect(document, state, image)
