"""The ``docker run`` line that would make a container again, read back from inspect.

What the image already sets (environment, labels, working directory,
command, entrypoint) is left out, as the user would not have typed it; so
is the hostname the engine gives by default (the id's first 12 characters).
``--entrypoint`` takes one word, so a longer entrypoint's other words lead
the command: the same process, though inspect then splits it differently.
"""

from __future__ import annotations

from typing import Any

from dockertui.backend.models import PortSpec, RunSpec, VolumeSpec


def run_line(container: dict[str, Any], image: dict[str, Any] | None) -> list[str]:
    """argv, from ``docker`` on, for ``container``'s inspect document (``image``: its image's)."""
    config = container.get("Config") or {}
    host = container.get("HostConfig") or {}
    image_config = (image or {}).get("Config") or {}
    args = ["docker", "run", "-d"]
    name = str(container.get("Name") or "").lstrip("/")
    if name:
        args += ["--name", name]
    if host.get("AutoRemove"):
        args.append("--rm")
    interactive = ("i" if config.get("OpenStdin") else "") + ("t" if config.get("Tty") else "")
    if interactive:
        args.append(f"-{interactive}")
    hostname = str(config.get("Hostname") or "")
    if hostname and hostname != str(container.get("Id") or "")[:12]:
        args += ["--hostname", hostname]
    if config.get("User"):
        args += ["--user", str(config["User"])]
    if config.get("WorkingDir") and config.get("WorkingDir") != image_config.get("WorkingDir"):
        args += ["--workdir", str(config["WorkingDir"])]
    image_env = set(image_config.get("Env") or ())
    for entry in config.get("Env") or ():
        if entry not in image_env:
            args += ["--env", str(entry)]
    image_labels = image_config.get("Labels") or {}
    for key, value in sorted((config.get("Labels") or {}).items()):
        if image_labels.get(key) != value:
            args += ["--label", f"{key}={value}"]
    args += _host_flags(host)
    entrypoint = list(config.get("Entrypoint") or ())
    command = list(config.get("Cmd") or ())
    if entrypoint != list(image_config.get("Entrypoint") or ()):
        # --entrypoint takes one word, and clears the image's command: the
        # rest of the entrypoint and the whole command follow the image.
        args += ["--entrypoint", entrypoint[0] if entrypoint else ""]
        command = entrypoint[1:] + command
    elif command == list(image_config.get("Cmd") or ()):
        command = []
    return [*args, str(config.get("Image") or container.get("Image") or ""), *command]


def _host_flags(host: dict[str, Any]) -> list[str]:
    args: list[str] = []
    restart = host.get("RestartPolicy") or {}
    policy = str(restart.get("Name") or "")
    if policy and policy != "no":
        args += ["--restart", restart_value(policy, int(restart.get("MaximumRetryCount") or 0))]
    network = str(host.get("NetworkMode") or "")
    if network not in ("", "default", "bridge"):
        args += ["--network", network]
    if host.get("Privileged"):
        args.append("--privileged")
    if host.get("Memory"):
        args += ["--memory", memory_flag(int(host["Memory"]))]
    if host.get("NanoCpus"):
        args += ["--cpus", f"{int(host['NanoCpus']) / 1e9:g}"]
    for entry in host.get("ExtraHosts") or ():
        args += ["--add-host", str(entry)]
    if host.get("PublishAllPorts"):
        args.append("--publish-all")
    for container_port, bindings in sorted((host.get("PortBindings") or {}).items()):
        port, _, protocol = container_port.partition("/")
        target = port if protocol in ("", "tcp") else f"{port}/{protocol}"
        for binding in bindings or [{}]:
            address, host_port = binding.get("HostIp") or "", binding.get("HostPort") or ""
            published = f"{address}:{host_port}:{target}" if address else f"{host_port}:{target}" if host_port else target
            args += ["--publish", published]
    for bind in host.get("Binds") or ():
        args += ["--volume", str(bind)]
    for mount in host.get("Mounts") or ():
        fields = [f"type={mount.get('Type', 'volume')}", f"target={mount.get('Target', '')}"]
        if mount.get("Source"):
            fields.insert(1, f"source={mount['Source']}")
        if mount.get("ReadOnly"):
            fields.append("readonly")
        args += ["--mount", ",".join(fields)]
    return args


def spec_line(spec: RunSpec) -> list[str]:
    """argv, from ``docker`` on, that runs what the run dialog's ``spec`` says."""
    args = ["docker", "run"]
    if spec.detach:
        args.append("-d")
    if spec.name:
        args += ["--name", spec.name]
    if spec.auto_remove:
        args.append("--rm")
    if spec.interactive:
        args.append("-it")
    for flag, value in (("--network", spec.network), ("--workdir", spec.workdir), ("--user", spec.user),
                        ("--hostname", spec.hostname), ("--entrypoint", spec.entrypoint)):
        if value:
            args += [flag, value]
    if spec.privileged:
        args.append("--privileged")
    if spec.memory:
        args += ["--memory", memory_flag(spec.memory)]
    if spec.cpus:
        args += ["--cpus", f"{spec.cpus:g}"]
    for name, address in spec.add_hosts:
        args += ["--add-host", f"{name}:{address}"]
    if spec.publish_all:
        args.append("--publish-all")
    for port in spec.ports:
        args += ["--publish", port_flag(port)]
    for key, value in spec.env:
        args += ["--env", f"{key}={value}"]
    for volume in spec.volumes:
        args += ["--volume", volume_flag(volume)]
    if spec.restart_policy not in ("", "no"):
        args += ["--restart", restart_value(spec.restart_policy, spec.restart_retries)]
    for key, value in spec.labels:
        args += ["--label", f"{key}={value}"]
    return [*args, spec.image, *spec.command]


def port_flag(port: PortSpec) -> str:
    """One ``-p`` value: ``[ip:][host[-end]]:container[-end]/proto`` (the ip's colon kept when no host port)."""
    inside = f"{port.container_port}" + (f"-{port.container_port_end}" if port.container_port_end else "")
    host = "" if port.host_port is None else f"{port.host_port}" + (f"-{port.host_port_end}" if port.host_port_end else "")
    ip = f"[{port.host_ip}]" if ":" in port.host_ip else port.host_ip
    prefix = f"{ip}:{host}:" if ip else f"{host}:" if host else ""
    return f"{prefix}{inside}/{port.protocol}"


def volume_flag(volume: VolumeSpec) -> str:
    """One ``-v`` value: ``source:target``, with ``:ro`` when read-only."""
    return f"{volume.source}:{volume.target}{':ro' if volume.read_only else ''}"


def memory_flag(amount: int) -> str:
    """``--memory``'s value: the largest binary unit that divides it (``512m``, ``1g``), else bytes."""
    for unit, size in (("g", 1024**3), ("m", 1024**2), ("k", 1024)):
        if amount % size == 0:
            return f"{amount // size}{unit}"
    return str(amount)


def restart_value(policy: str, retries: int) -> str:
    """``--restart``'s value: ``on-failure:3``, else the policy's name."""
    return f"{policy}:{retries}" if policy == "on-failure" and retries else policy
