"""Swarm mode: services, tasks and nodes, read from and changed on a manager.

Everything here takes the live ``DockerBackend`` and goes through its
low-level API client. Nothing is cached: the follower re-reads the whole
(small) swarm after any swarm event.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from dockertui.backend.errors import EngineError
from dockertui.backend.logs import LogLine
from dockertui.backend.models import EngineEvent
from dockertui.backend.raw import _labels, parse_timestamp
from dockertui.backend.streams import ClosableStream
from dockertui.backend.swarm_models import (
    NodeInfo,
    ServiceInfo,
    ServicePort,
    ServiceSpec,
    SwarmSnapshot,
    TaskInfo,
)

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

NODE_AVAILABILITIES = ("active", "pause", "drain")
NODE_ROLES = ("manager", "worker")
# The label the engine puts on a task's container, and the log detail naming its task.
SERVICE_ID_LABEL = "com.docker.swarm.service.id"
TASK_ID_LABEL = "com.docker.swarm.task.id"
# A task's state in the manager's list trails its container's events by up to
# ~50 ms (the agent reports in batches), so a re-read is retried after these pauses.
SETTLE_DELAYS = (0.02, 0.05, 0.1, 0.2, 0.4)
_NOT_RUNNING_YET = frozenset({"new", "allocated", "pending", "assigned", "accepted", "preparing", "ready", "starting"})
# The task states its container's event has moved it past. A task whose
# container has a health check stays "starting" until it is healthy: after
# its "start" the re-reads give up waiting, and "healthy" re-reads it again.
_LEFT_AFTER = {
    "start": _NOT_RUNNING_YET,
    "health_status: healthy": _NOT_RUNNING_YET,
    "die": _NOT_RUNNING_YET | {"running"},
}
# The engine wraps swarmkit's errors as "rpc error: code = X desc = <message>".
_RPC_PREFIX = re.compile(r"^rpc error: code = \w+ desc = ")
# With details=1 a service's log line reads "<stamp> k=v,k=v <text>".
_DETAILS = re.compile(r"^([^\s=,]+=[^\s,]*(?:,[^\s=,]+=[^\s,]*)*) ")


def _call(backend: DockerBackend, method: str, *args: Any, **kwargs: Any) -> Any:
    """``backend.call`` with swarmkit's gRPC wrapping taken off the message."""
    try:
        return backend.call(method, *args, **kwargs)
    except EngineError as error:
        message = _RPC_PREFIX.sub("", str(error))
        if message == "update out of sequence":
            message = "it changed since it was read (update out of sequence); try again"
        if message == str(error):
            raise
        raise type(error)(message, error.status) from error


# ---------------------------------------------------------------- reading


def _role_from_info(info: dict[str, Any]) -> str:
    swarm = info.get("Swarm") or {}
    # "pending", "locked" and "error" are neither: nothing can be read yet.
    if swarm.get("LocalNodeState") != "active":
        return ""
    return "manager" if swarm.get("ControlAvailable") else "worker"


def swarm_role(backend: DockerBackend) -> str:
    """ "manager", "worker" or "" (not in a swarm), from ``docker info``."""
    return _role_from_info(backend.call("info"))


def _strip_digest(image: str) -> str:
    return image.split("@", 1)[0]


def _ports(raw: Iterable[dict[str, Any]] | None) -> tuple[ServicePort, ...]:
    return tuple(
        ServicePort(
            target=int(p.get("TargetPort") or 0),
            published=int(p["PublishedPort"]) if p.get("PublishedPort") else None,
            protocol=p.get("Protocol") or "tcp",
            mode=p.get("PublishMode") or "ingress",
        )
        for p in raw or ()
    )


def _mode(spec: dict[str, Any]) -> str:
    mode = spec.get("Mode") or {}
    for key, name in (("Global", "global"), ("ReplicatedJob", "replicated-job"), ("GlobalJob", "global-job")):
        if key in mode:
            return name
    return "replicated"


def _service(raw: dict[str, Any], mine: list[TaskInfo], down_nodes: set[str]) -> ServiceInfo:
    """One service, its counts from ``mine``: its own tasks."""
    spec = raw.get("Spec") or {}
    container = (spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}
    mode = _mode(spec)
    # A task on a node that is down still reads "running" until the manager
    # reschedules it; `docker service ls` does not count it either.
    running = sum(1 for t in mine if t.state == "running" and t.desired_state == "running" and t.node_id not in down_nodes)
    if mode == "replicated":
        desired = int(((spec.get("Mode") or {}).get("Replicated") or {}).get("Replicas") or 0)
    elif mode == "replicated-job":
        job = spec["Mode"]["ReplicatedJob"] or {}
        desired = int(job.get("TotalCompletions") or job.get("MaxConcurrent") or 1)
    else:
        # Global: one task per eligible node, which is what the manager keeps desired.
        desired = sum(1 for t in mine if t.desired_state in ("running", "complete"))
    update = raw.get("UpdateStatus") or {}
    endpoint = raw.get("Endpoint") or {}
    # The endpoint's own ports include the published ports the engine assigned.
    ports = endpoint.get("Ports") or (spec.get("EndpointSpec") or {}).get("Ports")
    return ServiceInfo(
        id=raw["ID"],
        name=spec.get("Name", ""),
        mode=mode,
        replicas_desired=desired,
        replicas_running=running,
        image=_strip_digest(container.get("Image", "")),
        command=tuple(container.get("Command") or ()) + tuple(container.get("Args") or ()),
        ports=_ports(ports),
        created=parse_timestamp(raw.get("CreatedAt")),
        updated=parse_timestamp(raw.get("UpdatedAt")),
        labels=_labels(spec.get("Labels")),
        update_state=update.get("State", ""),
        update_message=update.get("Message", ""),
        can_rollback=bool(raw.get("PreviousSpec")),
        version=int((raw.get("Version") or {}).get("Index") or 0),
    )


def _task(raw: dict[str, Any], service_names: dict[str, str], hostnames: dict[str, str]) -> TaskInfo:
    status = raw.get("Status") or {}
    container = ((raw.get("Spec") or {}).get("ContainerSpec")) or {}
    node_id = raw.get("NodeID", "")
    return TaskInfo(
        id=raw["ID"],
        service_id=raw.get("ServiceID", ""),
        service_name=service_names.get(raw.get("ServiceID", ""), ""),
        # A global service's tasks have no slot (the engine omits it or sends 0).
        slot=int(raw["Slot"]) if raw.get("Slot") else None,
        node_id=node_id,
        node_hostname=hostnames.get(node_id, ""),
        desired_state=raw.get("DesiredState", ""),
        state=status.get("State", ""),
        message=status.get("Message", ""),
        error=status.get("Err", ""),
        container_id=(status.get("ContainerStatus") or {}).get("ContainerID", ""),
        image=_strip_digest(container.get("Image", "")),
        created=parse_timestamp(raw.get("CreatedAt")),
        # When it entered its current state, which is what `docker service ps` shows.
        updated=parse_timestamp(status.get("Timestamp") or raw.get("UpdatedAt")),
    )


def _node(raw: dict[str, Any], self_id: str) -> NodeInfo:
    spec = raw.get("Spec") or {}
    description = raw.get("Description") or {}
    manager = raw.get("ManagerStatus") or {}
    manager_status = "leader" if manager.get("Leader") else manager.get("Reachability", "")
    return NodeInfo(
        id=raw["ID"],
        hostname=description.get("Hostname", ""),
        role=spec.get("Role", ""),
        availability=spec.get("Availability", ""),
        status=(raw.get("Status") or {}).get("State", ""),
        engine_version=(description.get("Engine") or {}).get("EngineVersion", ""),
        manager_status=manager_status,
        address=(raw.get("Status") or {}).get("Addr", ""),
        labels=_labels(spec.get("Labels")),
        is_self=raw["ID"] == self_id,
        version=int((raw.get("Version") or {}).get("Index") or 0),
    )


def read_swarm(backend: DockerBackend) -> SwarmSnapshot | None:
    """Services (with running/desired counts), tasks and nodes; None unless a manager."""
    info = backend.call("info")
    if _role_from_info(info) != "manager":
        return None
    try:
        raw_services = _call(backend, "services")
        raw_tasks = _call(backend, "tasks")
        raw_nodes = _call(backend, "nodes")
    except EngineError as error:
        # 503: the engine left the swarm (or was demoted) after `info`.
        if error.status == 503:
            return None
        raise
    self_id = (info.get("Swarm") or {}).get("NodeID", "")
    nodes = sorted((_node(n, self_id) for n in raw_nodes), key=lambda n: (n.hostname, n.id))
    hostnames = {n.id: n.hostname for n in nodes}
    service_names = {s["ID"]: (s.get("Spec") or {}).get("Name", "") for s in raw_services}
    # Tasks of a service that is not in the list were read in between: a
    # service just created or being removed; the next event re-reads them.
    tasks = sorted(
        (_task(t, service_names, hostnames) for t in raw_tasks if t.get("ServiceID") in service_names),
        key=lambda t: (t.service_name, t.slot or 0, t.node_hostname, t.created),
    )
    by_service: dict[str, list[TaskInfo]] = {}
    for task in tasks:
        by_service.setdefault(task.service_id, []).append(task)
    down = {n.id for n in nodes if n.status == "down"}
    services = sorted((_service(s, by_service.get(s["ID"], []), down) for s in raw_services), key=lambda s: (s.name, s.id))
    return SwarmSnapshot(node_id=self_id, services=tuple(services), tasks=tuple(tasks), nodes=tuple(nodes))


def swarm_expectations(batch: Iterable[EngineEvent]) -> dict[str, frozenset[str]] | None:
    """Whether a batch of events can change the swarm, and what its tasks should now show.

    None: nothing in the batch concerns the swarm. Otherwise, task id -> the
    states that task has left by now (its container started, became healthy
    or died), for :func:`read_swarm_settled`.

    On Docker 20.10, ``swarm init`` sends a "node" update and a "network"
    create of the overlay "ingress"; ``swarm leave`` sends nothing of its own,
    only the task containers' kill/die/destroy.
    """
    expected: dict[str, frozenset[str]] | None = None
    for event in batch:
        attributes = dict(event.attributes)
        if event.type in ("service", "node") or (event.type == "network" and attributes.get("type") == "overlay"):
            expected = expected or {}
        elif event.type == "container" and SERVICE_ID_LABEL in attributes:
            if event.action.startswith("exec_"):
                continue  # a health check's exec, every few seconds, changes no task
            expected = expected or {}
            task_id = attributes.get(TASK_ID_LABEL)
            if task_id and event.action in _LEFT_AFTER:
                expected[task_id] = _LEFT_AFTER[event.action]
    return expected


def read_swarm_settled(
    backend: DockerBackend, expected: dict[str, frozenset[str]], wait: Callable[[float], Any]
) -> SwarmSnapshot | None:
    """``read_swarm``, read again briefly while tasks still lag their containers' events.

    ``wait(seconds)`` pauses (the follower passes its stop event's ``wait``,
    so stopping cuts the pause short).
    """
    swarm = read_swarm(backend)
    for delay in SETTLE_DELAYS:
        if swarm is None or not expected:
            break
        states = {t.id: t.state for t in swarm.tasks}
        if not any(states.get(task_id) in left for task_id, left in expected.items()):
            break
        wait(delay)
        swarm = read_swarm(backend)
    return swarm


# ---------------------------------------------------------------- services


def create_service(backend: DockerBackend, spec: ServiceSpec) -> str:
    """``docker service create``; returns the new service's id.

    The labels go on the service and on its containers, so whatever finds
    containers by label (the tests' cleanup, filters) finds its tasks too.
    """
    import docker.types  # here, not at the top: the UI imports this module before it connects

    container = docker.types.ContainerSpec(
        spec.image,
        # As `docker service create IMAGE CMD…`: the image's entrypoint stays.
        args=list(spec.command) or None,
        env=[f"{key}={value}" for key, value in spec.env] or None,
        labels=dict(spec.labels) or None,
    )
    endpoint = None
    if spec.ports:
        endpoint = {"Ports": [_port_spec(port) for port in spec.ports]}
    created = _call(
        backend,
        "create_service",
        docker.types.TaskTemplate(container),
        name=spec.name or None,
        labels=dict(spec.labels) or None,
        mode=docker.types.ServiceMode("replicated", spec.replicas),
        endpoint_spec=endpoint,
    )
    return created["ID"]


def _port_spec(port: ServicePort) -> dict[str, Any]:
    raw: dict[str, Any] = {"Protocol": port.protocol, "TargetPort": port.target, "PublishMode": port.mode}
    if port.published is not None:
        raw["PublishedPort"] = port.published  # else the engine picks one (30000 up)
    return raw


def _update_service(backend: DockerBackend, service_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the current spec in place and send all of it back, at its version.

    The engine replaces the whole spec, so every part is passed on; the
    version makes the engine refuse the update if the service changed since.
    """
    current = _call(backend, "inspect_service", service_id)
    spec = copy.deepcopy(current["Spec"])
    change(spec)
    task_template = spec.get("TaskTemplate") or {}
    # Specs from old clients keep networks outside the task template; the SDK
    # moves them into it, as `docker service update` does.
    networks = spec.get("Networks") if not task_template.get("Networks") else None
    _call(
        backend,
        "update_service",
        current["ID"],
        current["Version"]["Index"],
        task_template=task_template,
        name=spec.get("Name"),
        labels=spec.get("Labels"),
        mode=spec.get("Mode"),
        update_config=spec.get("UpdateConfig"),
        rollback_config=spec.get("RollbackConfig"),
        networks=networks,
        endpoint_spec=spec.get("EndpointSpec"),
    )


def scale_service(backend: DockerBackend, service_id: str, replicas: int) -> None:
    """``docker service scale``: set a replicated service's number of tasks."""
    if replicas < 0:
        raise ValueError(f"replicas must be 0 or more, not {replicas}")

    def change(spec: dict[str, Any]) -> None:
        mode = spec.get("Mode") or {}
        if "Replicated" not in mode:
            raise EngineError(f"{spec.get('Name', service_id)} is a {_mode(spec)} service: only a replicated one can be scaled")
        mode["Replicated"] = {**(mode["Replicated"] or {}), "Replicas": replicas}

    _update_service(backend, service_id, change)


def update_service_image(backend: DockerBackend, service_id: str, image: str) -> None:
    """``docker service update --image``: the tasks are replaced as the update config says."""

    def change(spec: dict[str, Any]) -> None:
        spec.setdefault("TaskTemplate", {}).setdefault("ContainerSpec", {})["Image"] = image

    _update_service(backend, service_id, change)


def rollback_service(backend: DockerBackend, service_id: str) -> None:
    """``docker service rollback``: back to the spec before the last update.

    A service never updated has no previous spec; the EngineError says so.
    """
    current = _call(backend, "inspect_service", service_id)
    api = backend.api
    # The engine rolls back on POST /services/{id}/update?rollback=previous
    # (API 1.28+), but the SDK's update_service has no way to ask for it. The
    # body is the current spec, as `docker service rollback` sends it.
    response = _call(
        backend,
        "_post_json",
        api._url("/services/{0}/update", current["ID"]),
        data=current["Spec"],
        params={"version": current["Version"]["Index"], "rollback": "previous"},
    )
    _call(backend, "_result", response, True)


def inspect_service(backend: DockerBackend, service_id: str) -> dict[str, Any]:
    """``docker service inspect``: the service's whole document."""
    return _call(backend, "inspect_service", service_id)


def remove_service(backend: DockerBackend, service_id: str) -> None:
    """``docker service rm``: the engine then stops and removes its tasks."""
    _call(backend, "remove_service", service_id)


# ---------------------------------------------------------------- service logs


class _TaskNames:
    """Task id -> "web.2" for one service's log lines, re-listed when a new task speaks."""

    def __init__(self, backend: DockerBackend, service_id: str, service_name: str) -> None:
        self._backend = backend
        self._service_id = service_id
        self._service_name = service_name
        self._names: dict[str, str] = {}
        self._last: dict[str, str] = {}  # stream -> source of its last line
        self._relist()

    def _relist(self) -> None:
        raw = _call(self._backend, "tasks", filters={"service": self._service_id})
        names = {self._service_id: self._service_name}
        self._names.update({t["ID"]: _task(t, names, {}).name for t in raw})

    def name_of(self, task_id: str) -> str:
        if task_id not in self._names:
            self._relist()
            # A task the manager no longer lists (its history was trimmed):
            # its id still tells lines apart, and it is not looked up again.
            self._names.setdefault(task_id, task_id)
        return self._names[task_id]

    def label(self, batch: list[LogLine]) -> list[LogLine]:
        """Take the details off each line and name its task in ``source``."""
        labelled = []
        for line in batch:
            match = _DETAILS.match(line.text)
            if match is None:
                # The second piece of a line too long for one LogLine has no
                # details: it is the same task's as the line before it.
                labelled.append(LogLine(line.stream, line.timestamp, line.text, self._last.get(line.stream, "")))
                continue
            details = dict(pair.split("=", 1) for pair in match.group(1).split(","))
            task_id = unquote_plus(details.get(TASK_ID_LABEL, ""))
            source = self.name_of(task_id) if task_id else ""
            self._last[line.stream] = source
            labelled.append(LogLine(line.stream, line.timestamp, line.text[match.end() :], source))
        return labelled


def service_logs(
    backend: DockerBackend, service_id: str, tail: int | None = 500, follow: bool = True
) -> ClosableStream[list[LogLine]]:

    """All tasks' output, each line's ``source`` set to its task's name ("web.2").

    ``tail`` counts per task; None means all lines. Close the stream to stop.
    """
    service = _call(backend, "inspect_service", service_id)
    spec = service.get("Spec") or {}
    container = (spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}
    names = _TaskNames(backend, service["ID"], spec.get("Name", ""))
    params = {
        # details=1 names each line's task (the engine puts them after the timestamp).
        "details": 1,
        "timestamps": 1,
        "follow": 1 if follow else 0,
        "tail": "all" if tail is None else str(tail),
        "stdout": 1,
        "stderr": 1,
    }
    return backend.log_stream(
        "/services/{0}/logs", service["ID"], params, tty=bool(container.get("TTY")), convert=names.label
    )


# ---------------------------------------------------------------- nodes


def _update_node(backend: DockerBackend, node_id: str, key: str, value: str) -> None:
    current = _call(backend, "inspect_node", node_id)
    # The engine replaces the whole spec: send the rest of it back unchanged.
    spec = {**(current.get("Spec") or {}), key: value}
    _call(backend, "update_node", current["ID"], current["Version"]["Index"], spec)


def set_node_availability(backend: DockerBackend, node_id: str, availability: str) -> None:
    """ "active", "pause" or "drain"."""
    if availability not in NODE_AVAILABILITIES:
        raise ValueError(f"unknown node availability {availability!r}")
    _update_node(backend, node_id, "Availability", availability)


def set_node_role(backend: DockerBackend, node_id: str, role: str) -> None:
    """ "manager" (promote) or "worker" (demote).

    Demoting the last manager fails with an EngineError that says so.
    """
    if role not in NODE_ROLES:
        raise ValueError(f"unknown node role {role!r}")
    _update_node(backend, node_id, "Role", role)
