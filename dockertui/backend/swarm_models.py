"""Frozen records of what a Swarm manager reports: services, tasks, nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dockertui.backend.models import Labels


@dataclass(frozen=True)
class ServicePort:
    """A port a service publishes (``--publish 8080:80/tcp``)."""

    target: int
    published: int | None
    protocol: str = "tcp"
    mode: str = "ingress"  # or "host"

    def __str__(self) -> str:
        inside = f"{self.target}/{self.protocol}"
        if self.published is None:
            return inside
        suffix = "" if self.mode == "ingress" else f" ({self.mode})"
        return f"*:{self.published}->{inside}{suffix}"


@dataclass(frozen=True)
class ServiceInfo:
    """A service as ``docker service ls`` sees it."""

    id: str
    name: str
    mode: str  # "replicated" or "global"
    replicas_desired: int  # for a global service: the nodes it should run on
    replicas_running: int
    image: str  # without the "@sha256:…" digest that the engine pins
    command: tuple[str, ...]
    ports: tuple[ServicePort, ...]
    created: datetime
    updated: datetime
    labels: Labels = ()
    # The engine's UpdateStatus.State: "", "updating", "completed", "paused",
    # "rollback_started", "rollback_paused", "rollback_completed".
    update_state: str = ""
    update_message: str = ""
    can_rollback: bool = False  # the engine keeps a PreviousSpec
    version: int = 0
    host: str = ""  # the fleet's name for the manager it was read from; "" with one engine

    @property
    def replicas(self) -> str:
        return f"{self.replicas_running}/{self.replicas_desired}"


@dataclass(frozen=True)
class TaskInfo:
    """One task (a slot of a service, placed on a node)."""

    id: str
    service_id: str
    service_name: str
    slot: int | None  # None for a global service's task
    node_id: str
    node_hostname: str
    desired_state: str
    state: str
    message: str
    error: str
    container_id: str
    image: str
    created: datetime
    updated: datetime
    host: str = ""  # as ServiceInfo.host

    @property
    def name(self) -> str:
        """What ``docker service ps`` calls it: ``web.2`` or ``web.<node id>``."""
        return f"{self.service_name}.{self.slot if self.slot is not None else self.node_id}"


@dataclass(frozen=True)
class NodeInfo:
    """A node as ``docker node ls`` sees it."""

    id: str
    hostname: str
    role: str  # "manager" or "worker"
    availability: str  # "active", "pause" or "drain"
    status: str  # "ready", "down", "disconnected", "unknown"
    engine_version: str
    manager_status: str = ""  # "leader", "reachable", "unreachable" or ""
    address: str = ""
    labels: Labels = ()
    is_self: bool = False
    version: int = 0
    host: str = ""  # as ServiceInfo.host


@dataclass(frozen=True)
class SwarmSnapshot:
    """Everything the Swarm panes show; only a manager can read it."""

    node_id: str  # this engine's own node
    services: tuple[ServiceInfo, ...] = ()
    tasks: tuple[TaskInfo, ...] = ()
    nodes: tuple[NodeInfo, ...] = ()

    def tasks_of(self, service_id: str) -> tuple[TaskInfo, ...]:
        return tuple(task for task in self.tasks if task.service_id == service_id)


@dataclass(frozen=True)
class ServiceSpec:
    """What the run dialog asks for when it creates a service."""

    name: str
    image: str
    command: tuple[str, ...] = ()
    replicas: int = 1
    ports: tuple[ServicePort, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
