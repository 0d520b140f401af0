"""``docker run``: find or pull the image, create, start; errors name the field at fault."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dockertui.backend.errors import EngineError
from dockertui.backend.models import PortSpec, RunSpec, VolumeSpec
from dockertui.backend.run_line import port_flag
from dockertui.backend.streams import ClosableStream

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend


class RunError(EngineError):
    """A run failed because of one field of the spec (``field``), or of none."""

    def __init__(self, message: str, field: str = "", status: int | None = None) -> None:
        super().__init__(message, status)
        self.field = field


@dataclass(frozen=True)
class PullProgress:
    """One progress message of a pull or push: per layer, or overall status."""

    layer: str
    status: str
    current: int = 0
    total: int = 0


def _progress_from_raw(raw: dict[str, Any]) -> PullProgress:
    if raw.get("error"):
        raise EngineError(str(raw["error"]))
    detail = raw.get("progressDetail") or {}
    return PullProgress(
        layer=str(raw.get("id", "")),
        status=str(raw.get("status", "")),
        current=int(detail.get("current") or 0),
        total=int(detail.get("total") or 0),
    )


def pull_stream(backend: DockerBackend, reference: str) -> ClosableStream[PullProgress]:
    """Pull ``reference`` (``repo:tag`` or ``repo@digest``); iterate for progress."""
    repository, tag = split_for_pull(reference)
    raw = backend.call("pull", repository, tag=tag, stream=True, decode=True)
    return ClosableStream(raw, _progress_from_raw)


def split_for_pull(reference: str) -> tuple[str, str | None]:
    if "@" in reference:
        return reference, None
    name, sep, tag = reference.rpartition(":")
    if sep and "/" not in tag:
        return name, tag
    return reference, "latest"


def create_kwargs(spec: RunSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """Arguments for ``create_container`` and ``create_host_config``."""
    from docker.utils.ports import build_port_bindings

    # parsing.parse_port_spec checked each -p (with messages naming what is wrong);
    # docker-py expands ranges into the engine's bindings, as the CLI does.
    bindings = build_port_bindings([port_flag(port) for port in spec.ports])
    exposed = [(int(port), protocol or "tcp") for port, _, protocol in (key.partition("/") for key in bindings)]
    binds = {
        volume.source: {"bind": volume.target, "mode": "ro" if volume.read_only else "rw"} for volume in spec.volumes
    }
    restart = None
    if spec.restart_policy != "no":
        restart = {"Name": spec.restart_policy, "MaximumRetryCount": spec.restart_retries}
    host_config = {
        "port_bindings": bindings or None,
        "publish_all_ports": spec.publish_all,
        "binds": binds or None,
        "restart_policy": restart,
        "auto_remove": spec.auto_remove,
        "network_mode": spec.network or None,
        "mem_limit": spec.memory or None,
        "nano_cpus": round(spec.cpus * 1e9) or None,
        "privileged": spec.privileged,
        "extra_hosts": {name: address for name, address in spec.add_hosts} or None,
    }
    create = {
        "image": spec.image,
        "command": list(spec.command) or None,
        "name": spec.name or None,
        "environment": [f"{k}={v}" for k, v in spec.env] or None,
        "ports": exposed or None,
        "volumes": [volume.target for volume in spec.volumes] or None,
        "labels": dict(spec.labels) or None,
        "tty": spec.interactive,
        "stdin_open": spec.interactive,
        "detach": spec.detach,
        "working_dir": spec.workdir or None,
        "user": spec.user or None,
        "hostname": spec.hostname or None,
        # As the CLI's --entrypoint: one word, which also clears the image's command.
        "entrypoint": [spec.entrypoint] if spec.entrypoint else None,
    }
    return create, host_config


def run_container(
    backend: DockerBackend,
    spec: RunSpec,
    on_progress: Callable[[PullProgress], None] = lambda progress: None,
) -> str:

    """Run ``spec`` as ``docker run -d`` would; returns the new container's id.

    A container that was created but failed to start is removed again, so a
    failed run leaves nothing behind.

    Raises:
        RunError: with ``field`` naming the input at fault where one is.
    """
    if not backend.image_exists(spec.image):
        try:
            for progress in pull_stream(backend, spec.image):
                on_progress(progress)
        except EngineError as error:
            raise RunError(f"image {spec.image!r} is not here and could not be pulled: {error}", "image") from error
    create, host_config = create_kwargs(spec)
    try:
        create["host_config"] = backend.call("create_host_config", **host_config)
        container_id = backend.call("create_container", **create)["Id"]
    except EngineError as error:
        raise RunError(str(error), _field_of(str(error), error.status), error.status) from error
    try:
        backend.control("start", container_id)
    except EngineError as error:
        _remove_quietly(backend, container_id)
        raise RunError(str(error), _field_of(str(error), error.status), error.status) from error
    return container_id


def _remove_quietly(backend: DockerBackend, container_id: str) -> None:
    try:
        backend.remove_container(container_id, force=True)
    except EngineError:
        # Already gone (auto-remove) or the engine went away: nothing to undo.
        return


def _field_of(message: str, status: int | None) -> str:
    """Which dialog field an engine error is about."""
    text = message.lower()
    if status == 409 or "is already in use" in text or "container name" in text:
        return "name"
    if "port is already allocated" in text or "address already in use" in text or "invalid port" in text:
        return "ports"
    if "executable file not found" in text or "no such file or directory" in text and "exec" in text:
        return "command"
    if "no such image" in text or "pull access denied" in text:
        return "image"
    if "network" in text and "not found" in text:
        return "network"
    if "unable to find user" in text:
        return "user"
    if "memory" in text:
        return "memory"
    if "mount" in text or "volume" in text or "bind" in text:
        return "volumes"
    if "restart" in text:
        return "restart"
    return ""


def spec_from_inspect(container: dict[str, Any], image: dict[str, Any] | None) -> RunSpec:
    """Read a container's config back as the RunSpec that would make it again.

    Environment variables the image already sets are left out, so the
    dialog shows only what the user gave.
    """
    config = container.get("Config") or {}
    host = container.get("HostConfig") or {}
    image_env = set((image or {}).get("Config", {}).get("Env") or ())
    env = []
    for entry in config.get("Env") or ():
        if entry not in image_env:
            key, _, value = entry.partition("=")
            env.append((key, value))
    ports = []
    for container_port, bindings in (host.get("PortBindings") or {}).items():
        number, _, protocol = container_port.partition("/")
        for binding in bindings or [{}]:
            host_port = binding.get("HostPort") or ""
            ports.append(
                PortSpec(
                    int(number),
                    protocol or "tcp",
                    host_ip=binding.get("HostIp") or "",
                    host_port=int(host_port) if host_port.isdigit() else None,
                )
            )
    volumes = []
    for bind in host.get("Binds") or ():
        parts = bind.split(":")
        if len(parts) >= 2:
            volumes.append(VolumeSpec(parts[0], parts[1], read_only="ro" in parts[2:]))
    restart = host.get("RestartPolicy") or {}
    image_config = (image or {}).get("Config") or {}
    image_cmd = image_config.get("Cmd") or []
    command = tuple(config.get("Cmd") or ())
    entrypoint = list(config.get("Entrypoint") or ())
    if entrypoint and entrypoint != list(image_config.get("Entrypoint") or ()):
        # --entrypoint takes one word: the rest of it leads the command, as in run_line.
        command, entrypoint = tuple(entrypoint[1:]) + command, entrypoint[:1]
    else:
        entrypoint = []
    network = str(host.get("NetworkMode") or "")
    hostname = str(config.get("Hostname") or "")
    return RunSpec(
        image=config.get("Image", ""),
        command=() if list(command) == list(image_cmd) else command,
        detach=True,
        publish_all=bool(host.get("PublishAllPorts")),
        ports=tuple(ports),
        env=tuple(env),
        volumes=tuple(volumes),
        restart_policy=restart.get("Name") or "no",
        restart_retries=int(restart.get("MaximumRetryCount") or 0),
        auto_remove=bool(host.get("AutoRemove")),
        interactive=bool(config.get("Tty") and config.get("OpenStdin")),
        network="" if network in ("", "default", "bridge") else network,
        workdir=str(config.get("WorkingDir") or "") if config.get("WorkingDir") != image_config.get("WorkingDir") else "",
        user=str(config.get("User") or ""),
        hostname="" if hostname == str(container.get("Id") or "")[:12] else hostname,
        entrypoint=entrypoint[0] if entrypoint else "",
        memory=int(host.get("Memory") or 0),
        cpus=int(host.get("NanoCpus") or 0) / 1e9,
        privileged=bool(host.get("Privileged")),
        add_hosts=tuple(tuple(entry.split(":", 1)) for entry in host.get("ExtraHosts") or () if ":" in entry),
        labels=tuple((k, v) for k, v in sorted((config.get("Labels") or {}).items())
                     if (image_config.get("Labels") or {}).get(k) != v),
    )
