"""A fleet: several engines in one view, each followed on its own.

Each member has its own follower (its own thread and event stream) and its
own generation, so a reconnect of one never touches another's reports. Its
reports carry its name (``host``), stamped on every object it reads: the
lists key their rows by (host, id) and act on each row's own engine.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from dockertui.backend import ContainerInfo, EngineEvent, EngineSnapshot, EngineTarget, ImageInfo
from dockertui.backend.models import NetworkInfo, VolumeInfo, host_key
from dockertui.backend.swarm_models import SwarmSnapshot
from dockertui.formatting import clean
from dockertui.messages import EngineMessage, MessageListener

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from dockertui.backend.client import DockerBackend
    from dockertui.backend.live import EngineFollower


T = TypeVar("T")


@dataclass(frozen=True)
class FleetEntry:
    """One engine of the fleet, under the name its rows show."""

    name: str
    target: EngineTarget


def default_name(target: EngineTarget) -> str:
    """A short name: the context's, the URL's host, or "local" for a socket."""
    if target.context:
        return target.context
    parts = urlsplit(target.url)
    if parts.scheme in ("unix", "npipe", ""):
        return "local"
    return parts.hostname or target.url


def name_entries(named: Iterable[tuple[str, EngineTarget]]) -> list[FleetEntry]:
    """Entries with unique names: a name given twice, or two engines on one host, get -2, -3 …"""
    entries: list[FleetEntry] = []
    taken: set[str] = set()
    seen_urls: set[str] = set()
    for name, target in named:
        if target.url in seen_urls:
            continue  # the same engine named twice (a host and a context for it)
        seen_urls.add(target.url)
        base = name or default_name(target)
        unique, number = base, 2
        while unique in taken:
            unique, number = f"{base}-{number}", number + 1
        taken.add(unique)
        entries.append(FleetEntry(unique, target))
    return entries


def split_named_host(value: str) -> tuple[str, str]:
    """``web1=ssh://root@10.0.0.5`` -> ("web1", url); a bare URL has no name of its own."""
    name, sep, url = value.partition("=")
    if sep and name and "://" not in name and "/" not in name:
        return name, url
    return "", value


def group_by_host(items: Iterable[T]) -> dict[str, list[T]]:
    """Rows by the engine they are on, in the order given."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(getattr(item, "host", ""), []).append(item)
    return groups


class FleetMember:
    """One engine: its follower, and how it is doing (for its header chip)."""

    def __init__(self, entry: FleetEntry, generation: int) -> None:
        self.name = entry.name
        self.target = entry.target
        self.generation = generation
        self.follower: EngineFollower | None = None
        self.state = "connecting"  # connected, reconnecting, unreachable
        self.engine = ""  # "Docker 20.10.24", once connected
        self.reason = ""
        self.retry_at = 0.0
        self.ever_connected = False

    @property
    def backend(self) -> DockerBackend | None:
        return self.follower.backend if self.follower is not None else None

    def connected(self, snapshot: EngineSnapshot) -> None:
        self.state, self.reason, self.ever_connected = "connected", "", True
        self.engine = f"{snapshot.engine.product} {snapshot.engine.version}"

    def lost(self, reason: str, retry_in: float) -> bool:
        """The follower lost (or could not reach) the engine; True when the reason is new (worth telling)."""
        new = reason != self.reason or self.state == "connected"
        self.state = "reconnecting" if self.ever_connected else "unreachable"
        self.reason = reason
        self.retry_at = time.time() + retry_in
        return new

    def chip(self) -> str:
        """``● web1 20.10.24``; ``↻ web2 reconnecting, next try 12:01:05``; ``✗ db unreachable, next try …``.

        Short, and steady between tries (no countdown to redraw): the reason is told
        when it changes (a notification), not kept in the header.
        """
        name = clean(self.name)
        if self.state == "connected":
            return f"● {name} {clean(self.engine.removeprefix('Docker '))}"
        if self.state == "connecting":
            return f"… {name} connecting"
        mark = "↻" if self.state == "reconnecting" else "✗"
        return f"{mark} {name} {self.state}, next try {time.strftime('%H:%M:%S', time.localtime(self.retry_at))}"


class Fleet:
    """The members, by name and by generation."""

    def __init__(self, entries: list[FleetEntry], first_generation: int) -> None:
        self.members = [FleetMember(entry, first_generation + index) for index, entry in enumerate(entries)]
        self._by_name = {member.name: member for member in self.members}

    @property
    def names(self) -> list[str]:
        return [member.name for member in self.members]

    def member(self, name: str) -> FleetMember | None:
        return self._by_name.get(name)

    def accepts(self, host: str, generation: int) -> bool:
        member = self._by_name.get(host)
        return member is not None and member.generation == generation

    def title(self) -> str:
        """The header's line: every member's chip, the connected first (a narrow header cuts the end)."""
        order = sorted(self.members, key=lambda member: member.state != "connected")
        return "  ".join(member.chip() for member in order)

    def stop(self) -> None:
        for member in self.members:
            if member.follower is not None:
                member.follower.stop()


def stamped(snapshot: EngineSnapshot, host: str) -> EngineSnapshot:
    """The snapshot with every object carrying its engine's name."""
    return replace(
        snapshot,
        containers=tuple(replace(item, host=host) for item in snapshot.containers),
        images=tuple(replace(item, host=host) for item in snapshot.images),
        volumes=tuple(replace(item, host=host) for item in snapshot.volumes),
        networks=tuple(replace(item, host=host) for item in snapshot.networks),
    )


def stamped_swarm(swarm: SwarmSnapshot | None, host: str) -> SwarmSnapshot | None:
    """The swarm with its services, tasks and nodes carrying the name of the manager they were read from."""
    if swarm is None:
        return None
    return replace(
        swarm,
        services=tuple(replace(item, host=host) for item in swarm.services),
        tasks=tuple(replace(item, host=host) for item in swarm.tasks),
        nodes=tuple(replace(item, host=host) for item in swarm.nodes),
    )


class HostListener(MessageListener):
    """A member's listener: every object it reports carries the member's name."""

    def __init__(self, target: MessagePump, generation: int, host: str) -> None:
        super().__init__(target, generation)
        self.host = host

    def _post(self, message: EngineMessage) -> None:
        message.host = self.host
        super()._post(message)

    def engine_connected(self, snapshot: EngineSnapshot) -> None:
        super().engine_connected(stamped(snapshot, self.host))

    def containers_changed(self, changes: dict[str, ContainerInfo | None]) -> None:
        host = self.host
        super().containers_changed({
            host_key(host, container_id): None if item is None else replace(item, host=host)
            for container_id, item in changes.items()
        })

    def image_changed(self, reference: str, info: ImageInfo | None) -> None:
        super().image_changed(reference, None if info is None else replace(info, host=self.host))

    def event_received(self, event: EngineEvent) -> None:
        super().event_received(replace(event, host=self.host))

    def volumes_changed(self, volumes: list[VolumeInfo]) -> None:
        super().volumes_changed([replace(item, host=self.host) for item in volumes])

    def networks_changed(self, networks: list[NetworkInfo]) -> None:
        super().networks_changed([replace(item, host=self.host) for item in networks])

    def swarm_changed(self, swarm: SwarmSnapshot | None) -> None:
        super().swarm_changed(stamped_swarm(swarm, self.host))


def backend_on(app: object, host: str) -> DockerBackend | None:
    """The connection to engine ``host`` (a row's ``host``); the app's only one, without a fleet."""
    choose = getattr(app, "backend_for", None)
    if choose is None:  # an app of the tests' own
        return getattr(app, "backend", None)
    return choose(host)
