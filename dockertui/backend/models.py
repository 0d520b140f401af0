"""Frozen records of what the engine reports.

The rest of the app only ever sees these, never the SDK's dicts, so the
shape of the engine's JSON is known in exactly one place (``client.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

Labels = tuple[tuple[str, str], ...]


def host_key(host: str, ident: str) -> str:
    """A row's key: the object's id, qualified by its engine's name when there are several (a fleet).

    Two engines can hold the same image id, or a network named "bridge"; one
    engine alone keeps plain ids, as the CLI shows them.
    """
    return f"{host}/{ident}" if host else ident


@dataclass(frozen=True)
class PortBinding:
    """One container port, published to the host or only exposed."""

    container_port: int
    protocol: str
    host_ip: str | None = None
    host_port: int | None = None

    @property
    def is_published(self) -> bool:
        return self.host_port is not None

    def __str__(self) -> str:
        inside = f"{self.container_port}/{self.protocol}"
        if self.host_port is None:
            return inside
        host_ip = self.host_ip or "0.0.0.0"
        if ":" in host_ip:
            host_ip = f"[{host_ip}]"
        return f"{host_ip}:{self.host_port}->{inside}"


@dataclass(frozen=True)
class MountInfo:
    """A bind mount, volume or tmpfs attached to a container."""

    type: str
    source: str
    destination: str
    mode: str = ""
    read_only: bool = False
    name: str = ""


# States in which a container has a live process (what ``docker ps`` without ``-a`` lists).
RUNNING_STATES = ("running", "paused", "restarting")


@dataclass(frozen=True)
class ContainerInfo:
    """A container as ``docker ps -a`` sees it."""

    id: str
    name: str
    image: str
    image_id: str
    command: str
    created: datetime
    state: str
    status: str
    ports: tuple[PortBinding, ...] = ()
    labels: Labels = ()
    mounts: tuple[MountInfo, ...] = ()
    networks: tuple[str, ...] = ()
    # The Podman pod it belongs to ("" when none, and always on Docker).
    pod: str = ""
    # The fleet's name for its engine; "" with one engine (see host_key).
    host: str = ""

    @property
    def key(self) -> str:
        return host_key(self.host, self.id)

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def is_running(self) -> bool:
        """Running or paused: what ``docker ps`` without ``-a`` lists."""
        return self.state in RUNNING_STATES


@dataclass(frozen=True)
class ImageInfo:
    """A local image with all of its tags."""

    id: str
    tags: tuple[str, ...]
    digests: tuple[str, ...]
    created: datetime
    size: int
    labels: Labels = ()
    parent_id: str = ""
    host: str = ""

    @property
    def key(self) -> str:
        return host_key(self.host, self.id)

    @property
    def short_id(self) -> str:
        return self.id.removeprefix("sha256:")[:12]


@dataclass(frozen=True)
class ImageTag:
    """One row of ``docker images``: an image under one of its names.

    An image with several tags appears once per tag; an untagged
    (dangling) image appears once as ``<none>:<none>``.
    """

    image: ImageInfo
    repository: str
    tag: str

    @property
    def key(self) -> str:
        return f"{self.image.key}|{self.repository}:{self.tag}"

    @property
    def host(self) -> str:
        return self.image.host

    @property
    def reference(self) -> str:
        return f"{self.repository}:{self.tag}"


@dataclass(frozen=True)
class EngineInfo:
    """Who we are talking to: shown in the header and the info screen."""

    host: str
    version: str
    api_version: str
    os: str = ""
    arch: str = ""
    kernel: str = ""
    product: str = "Docker"  # or "Podman", which serves the same API


@dataclass(frozen=True, slots=True)
class EngineEvent:
    """One entry of the engine's event stream (``docker events``); slotted, as a thousand are kept."""

    type: str
    action: str
    actor_id: str
    attributes: Labels = ()
    time_nano: int = 0
    host: str = ""

    @property
    def name(self) -> str:
        return dict(self.attributes).get("name", "")


@dataclass(frozen=True)
class VolumeInfo:
    """A volume (``docker volume ls``); ``size`` is -1 until disk usage is read."""

    name: str
    driver: str
    mountpoint: str
    created: datetime
    scope: str = "local"
    labels: Labels = ()
    size: int = -1
    host: str = ""

    @property
    def key(self) -> str:
        return host_key(self.host, self.name)


@dataclass(frozen=True)
class NetworkInfo:
    """A network (``docker network ls``)."""

    id: str
    name: str
    driver: str
    scope: str
    subnets: tuple[str, ...] = ()
    internal: bool = False
    labels: Labels = ()
    host: str = ""

    @property
    def key(self) -> str:
        return host_key(self.host, self.id)

    @property
    def is_predefined(self) -> bool:
        """bridge, host and none cannot be removed."""
        return self.name in ("bridge", "host", "none")


@dataclass(frozen=True)
class EngineSnapshot:
    """Everything the lists show, read in one go after (re)connecting."""

    engine: EngineInfo
    containers: tuple[ContainerInfo, ...] = ()
    images: tuple[ImageInfo, ...] = ()
    volumes: tuple[VolumeInfo, ...] = ()
    networks: tuple[NetworkInfo, ...] = ()
    read_at: datetime = field(default_factory=datetime.now)


@dataclass(frozen=True)
class PortSpec:
    """One ``-p`` mapping: ``[ip:][host[-end]:]container[-end][/proto]``."""

    container_port: int
    protocol: str = "tcp"
    container_port_end: int | None = None
    host_ip: str = ""
    host_port: int | None = None
    host_port_end: int | None = None


@dataclass(frozen=True)
class VolumeSpec:
    """One ``-v``: a bind (``/host:/ctr``) or a named volume (``name:/ctr``), maybe read-only."""

    source: str
    target: str
    read_only: bool = False

    @property
    def is_bind(self) -> bool:
        return self.source.startswith(("/", "./", "~"))


@dataclass(frozen=True)
class RunSpec:
    """Everything ``docker run`` takes that the run dialog offers."""

    image: str
    command: tuple[str, ...] = ()
    name: str = ""
    detach: bool = True
    publish_all: bool = False
    ports: tuple[PortSpec, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    volumes: tuple[VolumeSpec, ...] = ()
    restart_policy: str = "no"
    restart_retries: int = 0
    auto_remove: bool = False
    interactive: bool = False
    labels: Labels = ()
    network: str = ""  # --network; "" is the engine's default
    workdir: str = ""
    user: str = ""
    hostname: str = ""
    entrypoint: str = ""  # --entrypoint takes one word, as the CLI's does
    memory: int = 0  # bytes; 0: no limit
    cpus: float = 0.0  # 0: no limit
    privileged: bool = False
    add_hosts: tuple[tuple[str, str], ...] = ()  # --add-host name:ip


@dataclass(frozen=True)
class StatsSample:
    """One reading of one container."""

    container_id: str
    cpu_percent: float | None  # None until there are two readings to compare
    memory_used: int
    memory_limit: int
    net_rx: int
    net_tx: int
    block_read: int
    block_write: int
    pids: int
    cpu_total: int  # raw counters, kept to compute the next CPU %
    system_total: int
    online_cpus: int

    @property
    def memory_percent(self) -> float:
        return 100.0 * self.memory_used / self.memory_limit if self.memory_limit else 0.0
