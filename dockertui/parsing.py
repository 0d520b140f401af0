"""Parsing what the user types: search patterns, durations, times.

Each parser raises ``ValueError`` with a message fit to show next to the
field that was typed in; nothing here touches widgets or the engine.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from datetime import datetime, timezone

from dockertui.backend.models import PortSpec, VolumeSpec
from dockertui.backend.swarm_models import ServicePort

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_pattern(text: str) -> re.Pattern[str]:
    """``/regex/`` is a regular expression; anything else is literal, any case."""
    text = text.strip()
    if not text:
        raise ValueError("type something to look for")
    if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
        try:
            return re.compile(text[1:-1])
        except re.error as error:
            raise ValueError(f"invalid regular expression: {error}") from None
    return re.compile(re.escape(text), re.IGNORECASE)


def parse_duration(text: str) -> float:
    """``10m``, ``2h``, ``1h30m``, ``45s``, ``3d`` -> seconds."""
    compact = text.strip().lower().replace(" ", "")
    if not compact:
        raise ValueError("empty duration")
    position = 0
    total = 0.0
    for match in _DURATION_PART.finditer(compact):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if position != len(compact) or position == 0:
        raise ValueError(f"not a duration: {text!r} (try 10m, 2h or 1h30m)")
    return total


def parse_since(text: str, now: datetime | None = None) -> float:
    """A ``--since`` value: a duration back from now, or an RFC 3339 time; epoch seconds."""
    now = now or datetime.now(timezone.utc)
    try:
        return now.timestamp() - parse_duration(text)
    except ValueError:
        pass
    stamp = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError(f"not a duration or RFC 3339 time: {text!r} (try 10m, 2h or 2026-01-02T15:04:05Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


# ----------------------------------------------------------------- docker run

_PORT_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
_OBJECT_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
RESTART_POLICIES = ("no", "always", "unless-stopped", "on-failure")


def _port_range(text: str, what: str) -> tuple[int, int | None]:
    match = _PORT_RANGE.match(text)
    if not match:
        raise ValueError(f"{what} {text!r} is not a port or a range like 8000-8010")
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) else None
    for port in (start, end):
        if port is not None and not 1 <= port <= 65535:
            raise ValueError(f"{what} {port} is out of range (1-65535)")
    if end is not None and end < start:
        raise ValueError(f"{what} range {text!r} ends before it starts")
    return start, end


def check_name(text: str) -> None:
    """A container, volume or network name as the engine accepts it."""
    if not _OBJECT_NAME.match(text.strip()):
        raise ValueError("a name uses letters, digits, _ . - and starts with a letter or digit")


def parse_port_spec(text: str) -> PortSpec:
    """Parse one ``docker run -p`` value, exactly the forms the CLI accepts."""
    spec = text.strip()
    if not spec:
        raise ValueError("empty port mapping")
    protocol = "tcp"
    if "/" in spec:
        spec, protocol = spec.rsplit("/", 1)
        if protocol not in ("tcp", "udp", "sctp"):
            raise ValueError(f"unknown protocol {protocol!r} in {text!r} (tcp, udp or sctp)")
    host_ip = ""
    if spec.startswith("["):
        closing = spec.find("]")
        if closing < 0 or spec[closing + 1 : closing + 2] != ":":
            raise ValueError(f"invalid IPv6 address in {text!r}: use [::1]:8080:80")
        host_ip, spec = spec[1:closing], spec[closing + 2 :]
        host_part, sep, container_part = spec.rpartition(":")
        if not sep:
            container_part, host_part = spec, ""
    else:
        parts = spec.split(":")
        if len(parts) > 3:
            raise ValueError(f"too many colons in {text!r}; put an IPv6 address in brackets")
        container_part = parts[-1]
        host_part = parts[-2] if len(parts) >= 2 else ""
        host_ip = parts[0] if len(parts) == 3 else ""
    if host_ip:
        _check_ip(host_ip, text)
    container_port, container_end = _port_range(container_part, "container port")
    host_port = host_end = None
    if host_part:
        host_port, host_end = _port_range(host_part, "host port")
        host_count = (host_end or host_port) - host_port + 1
        container_count = (container_end or container_port) - container_port + 1
        if container_count > 1 and host_count != container_count:
            raise ValueError(f"{text!r}: host and container ranges must be the same size")
    return PortSpec(container_port, protocol, container_end, host_ip, host_port, host_end)


def _check_ip(address: str, text: str) -> None:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"{address!r} in {text!r} is not an IP address") from None


def parse_env(text: str) -> tuple[tuple[str, str], ...]:
    """``KEY=VALUE`` per line; blank lines and ``#`` comments are skipped."""
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition("=")
        if not sep:
            raise ValueError(f"line {number}: {stripped!r} needs KEY=VALUE")
        if not _ENV_KEY.match(key):
            raise ValueError(f"line {number}: {key!r} is not a valid variable name")
        pairs.append((key, value))
    return tuple(pairs)


def parse_volume(text: str) -> VolumeSpec:
    """``/host:/ctr[:ro|rw]`` (bind) or ``name:/ctr[:ro|rw]`` (named volume)."""
    parts = text.strip().split(":")
    read_only = False
    if len(parts) == 3:
        if parts[2] not in ("ro", "rw"):
            raise ValueError(f"{text!r}: the mode must be ro or rw")
        read_only = parts[2] == "ro"
        parts = parts[:2]
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"{text!r}: use /host/path:/container/path[:ro] or volume-name:/container/path")
    source, target = parts
    if not target.startswith("/"):
        raise ValueError(f"{text!r}: the container path must be absolute")
    if not source.startswith(("/", "./", "~")) and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", source):
        raise ValueError(f"{source!r} is neither an absolute path nor a valid volume name")
    return VolumeSpec(source, target, read_only)


def parse_command(text: str) -> tuple[str, ...]:
    """Split a command the way a POSIX shell would (quotes group words)."""
    try:
        return tuple(shlex.split(text))
    except ValueError as error:
        raise ValueError(f"cannot split the command: {error}") from None


def parse_restart_policy(text: str) -> tuple[str, int]:
    """``no``, ``always``, ``unless-stopped``, ``on-failure[:N]``."""
    name, _, retries = text.strip().partition(":")
    if name not in RESTART_POLICIES:
        raise ValueError(f"unknown restart policy {text!r} (one of {', '.join(RESTART_POLICIES)})")
    if retries and (name != "on-failure" or not retries.isdigit()):
        raise ValueError(f"{text!r}: only on-failure takes a retry count, like on-failure:3")
    return name, int(retries or 0)


def parse_image_reference(text: str) -> str:
    """A reference with ``:latest`` added when no tag or digest is given."""
    reference = text.strip()
    if not reference or any(c.isspace() for c in reference):
        raise ValueError("an image name has no spaces, like busybox or nginx:1.27")
    last = reference.rsplit("/", 1)[-1]
    if "@" in reference or ":" in last:
        return reference
    return f"{reference}:latest"


def parse_service_port(text: str) -> ServicePort:
    """One ``docker service create --publish`` value: ``[published:]target[/proto]``.

    A service publishes on every node of the swarm, so the host-IP and
    port-range forms that ``docker run -p`` takes are refused here.
    """
    spec = parse_port_spec(text)
    if spec.host_ip:
        raise ValueError(f"{text.strip()!r}: a service publishes on every node; leave out the host IP")
    if spec.container_port_end or spec.host_port_end:
        raise ValueError(f"{text.strip()!r}: give one port per mapping, not a range")
    return ServicePort(target=spec.container_port, published=spec.host_port, protocol=spec.protocol)


def parse_replicas(text: str) -> int:
    """A replica count: a whole number, 0 or more."""
    value = text.strip()
    if not value.isdigit():
        raise ValueError(f"replicas must be a whole number, 0 or more (not {value!r})")
    return int(value)


_MEMORY = re.compile(r"^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$", re.IGNORECASE)
_MEMORY_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_memory(text: str) -> int:
    """``-m``: ``512m``, ``1g``, ``1.5g``, ``300000k`` -> bytes (the CLI's binary units); "" is no limit."""
    text = text.strip()
    if not text:
        return 0
    match = _MEMORY.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a size like 512m or 1g")
    amount = int(float(match.group(1)) * _MEMORY_UNITS[match.group(2).lower()])
    if amount < 6 * 1024**2:
        raise ValueError("the engine needs at least 6m of memory")
    return amount


def parse_cpus(text: str) -> float:
    """``--cpus``: ``1.5`` CPUs; "" is no limit."""
    text = text.strip()
    if not text:
        return 0.0
    try:
        cpus = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of CPUs like 0.5 or 2") from None
    if not 0.01 <= cpus <= 1024:
        raise ValueError("CPUs go from 0.01 up")
    return cpus


def parse_add_hosts(text: str) -> tuple[tuple[str, str], ...]:
    """``--add-host``: ``db:10.0.0.5, cache:10.0.0.6`` (or ``db=10.0.0.5``)."""
    hosts = []
    for entry in re.split(r"[,\s]+", text.strip()):
        if not entry:
            continue
        separator = "=" if "=" in entry else ":"
        name, _, address = entry.partition(separator)
        if not name or not address:
            raise ValueError(f"{entry!r} is not host:ip")
        if address != "host-gateway":  # the engine's own address, as the CLI takes it
            _check_ip(address.strip("[]"), entry)
        hosts.append((name, address.strip("[]")))
    return tuple(hosts)


def parse_labels(text: str) -> tuple[tuple[str, str], ...]:
    """``-l``: ``app=shop, tier=front`` (a label without ``=`` has an empty value, as in the CLI)."""
    labels = []
    for entry in re.split(r"[,\n]+", text):
        entry = entry.strip()
        if not entry:
            continue
        key, _, value = entry.partition("=")
        if not key.strip():
            raise ValueError(f"{entry!r} has no label name")
        labels.append((key.strip(), value.strip()))
    return tuple(labels)
