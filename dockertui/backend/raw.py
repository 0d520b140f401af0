"""The engine's JSON, as the backend's models: pure conversions, no SDK needed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from sys import intern
from typing import Any

from dockertui.backend.models import (
    ContainerInfo,
    EngineEvent,
    EngineInfo,
    EngineSnapshot,
    ImageInfo,
    Labels,
    MountInfo,
    NetworkInfo,
    PortBinding,
    VolumeInfo,
)

_FRACTION = re.compile(r"\.(\d+)")


def parse_timestamp(value: str | int | float | None) -> datetime:
    """Engine times: epoch seconds in lists, RFC 3339 with nanoseconds in inspect."""
    if value is None or value == "":
        return datetime.fromtimestamp(0, timezone.utc)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    text = value.replace("Z", "+00:00")
    # Python parses at most microseconds; the engine sends nanoseconds.
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return datetime.fromtimestamp(0, timezone.utc)


def _labels(raw: dict[str, str] | None) -> Labels:
    return tuple(sorted((str(k), str(v)) for k, v in (raw or {}).items()))


def _shared_labels(raw: dict[str, str] | None) -> Labels:
    """``_labels``, the names interned (a compose project's containers all carry the same ones)."""
    return tuple(sorted((intern(str(k)), str(v)) for k, v in (raw or {}).items()))


def _ports_from_summary(raw: list[dict[str, Any]] | None) -> tuple[PortBinding, ...]:
    ports = {
        PortBinding(
            container_port=int(p.get("PrivatePort", 0)),
            protocol=p.get("Type", "tcp"),
            host_ip=p.get("IP"),
            host_port=int(p["PublicPort"]) if p.get("PublicPort") else None,
        )
        for p in raw or []
    }
    return tuple(sorted(ports, key=lambda p: (p.container_port, p.protocol, p.host_ip or "", p.host_port or 0)))


def _mounts_from_summary(raw: list[dict[str, Any]] | None) -> tuple[MountInfo, ...]:
    return tuple(
        MountInfo(
            type=m.get("Type", ""),
            source=m.get("Source", ""),
            destination=m.get("Destination", ""),
            mode=m.get("Mode", ""),
            read_only=not m.get("RW", True),
            name=m.get("Name", ""),
        )
        for m in raw or []
    )


def container_from_summary(raw: dict[str, Any]) -> ContainerInfo:
    """Build a ContainerInfo from one entry of ``GET /containers/json``."""
    names = raw.get("Names") or []
    name = names[0].lstrip("/") if names else raw["Id"][:12]
    # The words many containers repeat (an image, a state, a label's name) are shared, not
    # copied once per container: a long list holds thousands of them.
    return ContainerInfo(
        id=raw["Id"],
        name=name,
        image=intern(raw.get("Image", "")),
        image_id=intern(raw.get("ImageID", "")),
        command=intern(raw.get("Command", "")),
        created=parse_timestamp(raw.get("Created")),
        state=intern(raw.get("State", "")),
        status=intern(raw.get("Status", "")),
        ports=_ports_from_summary(raw.get("Ports")),
        labels=_shared_labels(raw.get("Labels")),
        mounts=_mounts_from_summary(raw.get("Mounts")),
        networks=tuple(sorted(intern(network) for network in ((raw.get("NetworkSettings") or {}).get("Networks") or {}))),
        pod=str(raw.get("PodName") or ""),
    )


def image_from_summary(raw: dict[str, Any]) -> ImageInfo:
    """Build an ImageInfo from ``GET /images/json`` or ``/images/{id}/json``."""
    config = raw.get("Config") or {}
    labels = raw.get("Labels") if "Labels" in raw else config.get("Labels")
    tags = tuple(t for t in raw.get("RepoTags") or () if t != "<none>:<none>")
    digests = tuple(d for d in raw.get("RepoDigests") or () if d != "<none>@<none>")
    return ImageInfo(
        id=raw["Id"],
        tags=tags,
        digests=digests,
        created=parse_timestamp(raw.get("Created")),
        size=int(raw.get("Size") or 0),
        labels=_labels(labels),
        parent_id=raw.get("ParentId") or raw.get("Parent") or "",
    )


def volume_from_raw(raw: dict[str, Any], sizes: dict[str, int] | None = None) -> VolumeInfo:
    return VolumeInfo(
        name=raw["Name"],
        driver=raw.get("Driver", ""),
        mountpoint=raw.get("Mountpoint", ""),
        created=parse_timestamp(raw.get("CreatedAt")),
        scope=raw.get("Scope", "local"),
        labels=_labels(raw.get("Labels")),
        size=(sizes or {}).get(raw["Name"], -1),
    )


def network_from_raw(raw: dict[str, Any]) -> NetworkInfo:
    configs = ((raw.get("IPAM") or {}).get("Config")) or []
    return NetworkInfo(
        id=raw["Id"],
        name=raw.get("Name", ""),
        driver=raw.get("Driver", ""),
        scope=raw.get("Scope", ""),
        subnets=tuple(c["Subnet"] for c in configs if c.get("Subnet")),
        internal=bool(raw.get("Internal")),
        labels=_labels(raw.get("Labels")),
    )


def engine_product(raw: Mapping[str, Any]) -> tuple[str, str]:
    """Which engine answered ``/version``, and its version: ("Podman", "4.3.1") or ("Docker", "20.10.24").

    Podman serves Docker's API and reports its API's Docker version as
    ``Version``; its own name and version are among the ``Components``.
    """
    for component in raw.get("Components") or []:
        name = str((component or {}).get("Name", ""))
        if "podman" in name.casefold():
            return "Podman", str(component.get("Version") or raw.get("Version", "?"))
    return "Docker", str(raw.get("Version", "?"))


def engine_from_version(host: str, raw: dict[str, Any]) -> EngineInfo:
    """The engine's identity from its ``/version`` answer."""
    product, version = engine_product(raw)
    return EngineInfo(
        host=host,
        product=product,
        version=version,
        api_version=str(raw.get("ApiVersion", "?")),
        os=str(raw.get("Os", "")),
        arch=str(raw.get("Arch", "")),
        kernel=str(raw.get("KernelVersion", "")),
    )


def snapshot_from_raw(
    engine: EngineInfo,
    containers: list[dict[str, Any]],
    images: list[dict[str, Any]],
    volumes: list[dict[str, Any]],
    networks: list[dict[str, Any]],
) -> EngineSnapshot:
    """A snapshot from the answers to ``/containers/json?all=1``, ``/images/json``, ``/volumes``, ``/networks``."""
    return EngineSnapshot(
        engine=engine,
        containers=tuple(container_from_summary(raw) for raw in containers),
        images=tuple(image_from_summary(raw) for raw in images),
        volumes=tuple(volume_from_raw(raw) for raw in volumes),
        networks=tuple(network_from_raw(raw) for raw in networks),
    )


def event_from_raw(raw: dict[str, Any]) -> EngineEvent:
    """Build an EngineEvent from one decoded ``/events`` message."""
    actor = raw.get("Actor") or {}
    return EngineEvent(
        type=raw.get("Type", ""),
        action=raw.get("Action", ""),
        actor_id=actor.get("ID", "") or raw.get("id", ""),
        attributes=_labels(actor.get("Attributes")),
        time_nano=int(raw.get("timeNano") or 0),
    )
