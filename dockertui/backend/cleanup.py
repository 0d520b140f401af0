"""What a prune would remove, removing exactly that, and ``docker system df``.

The preview is built from one ``GET /system/df`` (sizes, labels, every
container's mounts and networks) plus the image and network lists. Removal
then deletes the previewed objects one by one rather than calling the
engine's ``prune`` endpoints, so what goes is exactly what was shown: a
container created in between is never swept up with the rest.

An object is offered only when nothing that stays uses it. An image, volume
or network whose only users are stopped containers is offered too, with
those containers in ``needs``: it can go only once they have gone.

With a ``label_filter`` every category is restricted to objects carrying all
of those labels. Build cache entries carry no labels, so under a filter the
build cache is left out entirely.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dockertui.backend.disk_usage_read import read_disk_usage
from dockertui.backend.errors import EngineError

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

CONTAINERS = "containers"
DANGLING_IMAGES = "dangling_images"
UNUSED_IMAGES = "unused_images"
VOLUMES = "volumes"
NETWORKS = "networks"
BUILD_CACHE = "build_cache"

CATEGORY_TITLES = {
    CONTAINERS: "Stopped containers",
    DANGLING_IMAGES: "Dangling images",
    UNUSED_IMAGES: "Unused images",
    VOLUMES: "Unused volumes",
    NETWORKS: "Unused networks",
    BUILD_CACHE: "Build cache",
}
# Removal order: containers first, since they hold everything else.
CATEGORY_ORDER = (CONTAINERS, DANGLING_IMAGES, UNUSED_IMAGES, VOLUMES, NETWORKS, BUILD_CACHE)
PREDEFINED_NETWORKS = frozenset({"bridge", "host", "none"})
# States `docker container prune` leaves alone.
LIVE_STATES = frozenset({"running", "paused", "restarting", "removing"})
NO_LABELS_NOTE = "build cache carries no labels, so it is left out under a label filter"
_ANONYMOUS_VOLUME = re.compile(r"^[0-9a-f]{64}$")

LabelFilter = dict[str, str]


@dataclass(frozen=True)
class CleanupItem:
    """One object a prune would remove, with the bytes removing it frees.

    ``needs`` holds the ids of stopped containers that use this object: it can
    only go after them. ``tags`` are an image's names.
    """

    kind: str
    id: str
    name: str
    size: int
    detail: str = ""
    needs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class CleanupCategory:
    """A section of the cleanup screen; ``note`` says why it may be empty."""

    kind: str
    items: tuple[CleanupItem, ...] = ()
    note: str = ""

    @property
    def title(self) -> str:
        return CATEGORY_TITLES[self.kind]

    @property
    def reclaimable(self) -> int:
        return sum(item.size for item in self.items)

    @property
    def whole_only(self) -> bool:
        """Build cache can only be pruned as a whole, not entry by entry."""
        return self.kind == BUILD_CACHE


@dataclass(frozen=True)
class CleanupPlan:
    """Every category, in removal order, as the engine reported it."""

    categories: tuple[CleanupCategory, ...]
    label_filter: tuple[tuple[str, str], ...] = ()

    def category(self, kind: str) -> CleanupCategory:
        return next(c for c in self.categories if c.kind == kind)

    @property
    def items(self) -> tuple[CleanupItem, ...]:
        return tuple(item for category in self.categories for item in category.items)

    @property
    def reclaimable(self) -> int:
        return sum(category.reclaimable for category in self.categories)


@dataclass(frozen=True)
class RemovalFailure:
    """An item that could not be removed, and the engine's reason."""

    item: CleanupItem
    reason: str


@dataclass(frozen=True)
class CleanupResult:
    """What removal did: items removed, failures, and bytes freed per category."""

    removed: tuple[CleanupItem, ...]
    failures: tuple[RemovalFailure, ...]
    reclaimed: tuple[tuple[str, int], ...]

    @property
    def total_reclaimed(self) -> int:
        return sum(size for _, size in self.reclaimed)

    def reclaimed_for(self, kind: str) -> int:
        return dict(self.reclaimed).get(kind, 0)


@dataclass(frozen=True)
class DiskUsageRow:
    """One line of ``docker system df``."""

    type: str
    total: int
    active: int
    size: int
    reclaimable: int

    @property
    def percent(self) -> int:
        # Truncated, as the docker CLI shows it.
        return int(self.reclaimable * 100 / self.size) if self.size > 0 else 0


@dataclass(frozen=True)
class DiskUsage:
    """Images, containers, local volumes and build cache; ``note`` qualifies them."""

    rows: tuple[DiskUsageRow, ...]
    note: str = ""


# ------------------------------------------------------------------ helpers


def _matches(labels: dict[str, str] | None, label_filter: LabelFilter | None) -> bool:
    if not label_filter:
        return True
    labels = labels or {}
    return all(labels.get(key) == value for key, value in label_filter.items())


def _read_df(backend: DockerBackend, label_filter: LabelFilter | None) -> dict[str, Any]:
    """``docker system df``; under a label filter, with every object's labels.

    Podman's df sends them empty (4.3), so a filter would match nothing: they
    are read from the lists instead, which have them.
    """
    df = read_disk_usage(backend.call)
    for part, key, read in (("Containers", "Id", lambda: backend.call("containers", all=True)),
                            ("Images", "Id", lambda: backend.call("images")),
                            ("Volumes", "Name", lambda: backend.call("volumes").get("Volumes") or [])):
        entries = df.get(part) or []
        if label_filter and any(not entry.get("Labels") for entry in entries):
            labels = {str(raw.get(key)).removeprefix("sha256:"): raw.get("Labels") for raw in read()}
            for entry in entries:
                entry["Labels"] = entry.get("Labels") or labels.get(str(entry.get(key)).removeprefix("sha256:")) or {}
    return df


def _size(value: Any) -> int:
    """Engine sizes are -1 when not computed; count those as nothing."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return max(number, 0)


def _container_name(raw: dict[str, Any]) -> str:
    names = raw.get("Names") or []
    return names[0].lstrip("/") if names else raw["Id"][:12]


def _tags(raw: dict[str, Any]) -> list[str]:
    return [t for t in raw.get("RepoTags") or () if t != "<none>:<none>"]


def _unique_size(raw: dict[str, Any]) -> int:
    """Bytes only this image holds: what removing it frees."""
    size, shared = raw.get("Size"), raw.get("SharedSize")
    if shared is None or int(shared) < 0:
        return _size(size)
    return max(_size(size) - int(shared), 0)


def _users(containers: Iterable[dict[str, Any]]) -> dict[str, dict[str, set[str]]]:
    """For images, volumes and networks: which containers use each, by id or name."""
    users: dict[str, dict[str, set[str]]] = {"image": {}, "volume": {}, "network": {}}
    for raw in containers:
        cid = raw["Id"]
        if raw.get("ImageID"):
            users["image"].setdefault(raw["ImageID"], set()).add(cid)
        for mount in raw.get("Mounts") or ():
            if mount.get("Type") == "volume" and mount.get("Name"):
                users["volume"].setdefault(mount["Name"], set()).add(cid)
        networks = (raw.get("NetworkSettings") or {}).get("Networks") or {}
        for name, endpoint in networks.items():
            users["network"].setdefault(name, set()).add(cid)
            if (endpoint or {}).get("NetworkID"):
                users["network"].setdefault(endpoint["NetworkID"], set()).add(cid)
    return users


def _needs(users: set[str], removable: set[str]) -> tuple[str, ...] | None:
    """The containers that must go first, or None when one of them stays."""
    if not users <= removable:
        return None
    return tuple(sorted(users))


# ------------------------------------------------------------------ preview


def plan_cleanup(backend: DockerBackend, label_filter: LabelFilter | None = None) -> CleanupPlan:
    """Everything a ``docker system prune -a --volumes`` would remove, itemised.

    Blocks for as long as the engine computes sizes (seconds on a big host).
    """
    df = _read_df(backend, label_filter)
    containers = df.get("Containers") or []
    users = _users(containers)

    stopped = [
        c for c in containers if c.get("State") not in LIVE_STATES and _matches(c.get("Labels"), label_filter)
    ]
    removable = {c["Id"] for c in stopped}
    container_items = tuple(
        CleanupItem(
            kind=CONTAINERS,
            id=c["Id"],
            name=_container_name(c),
            size=_size(c.get("SizeRw")),
            detail=f"{c.get('State', '')} · {c.get('Image', '')}",
        )
        for c in sorted(stopped, key=lambda c: -int(c.get("Created") or 0))
    )

    # An untagged image with children is an intermediate layer, not listed by
    # df; a tagged one with children cannot be removed while they exist.
    parents = {raw.get("ParentId") for raw in backend.call("images", all=True)}
    dangling: list[CleanupItem] = []
    unused: list[CleanupItem] = []
    for raw in sorted(df.get("Images") or [], key=lambda r: -int(r.get("Created") or 0)):
        if raw["Id"] in parents or not _matches(raw.get("Labels"), label_filter):
            continue
        needs = _needs(users["image"].get(raw["Id"], set()), removable)
        if needs is None:
            continue
        tags = _tags(raw)
        short = raw["Id"].removeprefix("sha256:")[:12]
        detail = f"after {len(needs)} stopped container(s)" if needs else ""
        item = CleanupItem(
            kind=UNUSED_IMAGES if tags else DANGLING_IMAGES,
            id=raw["Id"],
            name=", ".join(tags) if tags else f"<none> {short}",
            size=_unique_size(raw),
            detail=detail or (short if tags else ""),
            needs=needs,
            tags=tuple(tags),
        )
        (unused if tags else dangling).append(item)

    volumes: list[CleanupItem] = []
    for raw in sorted(df.get("Volumes") or [], key=lambda r: r.get("Name", "")):
        if not _matches(raw.get("Labels"), label_filter):
            continue
        needs = _needs(users["volume"].get(raw["Name"], set()), removable)
        if needs is None:
            continue
        kind_note = "anonymous" if _ANONYMOUS_VOLUME.match(raw["Name"]) else "named"
        volumes.append(
            CleanupItem(
                kind=VOLUMES,
                id=raw["Name"],
                name=raw["Name"],
                size=_size((raw.get("UsageData") or {}).get("Size")),
                detail=f"{kind_note} · {raw.get('Driver', '')}"
                + (f" · after {len(needs)} stopped container(s)" if needs else ""),
                needs=needs,
            )
        )

    networks: list[CleanupItem] = []
    for raw in sorted(backend.call("networks"), key=lambda r: r.get("Name", "")):
        if raw.get("Name") in PREDEFINED_NETWORKS or raw.get("Ingress") or not _matches(raw.get("Labels"), label_filter):
            continue
        using = users["network"].get(raw["Id"], set()) | users["network"].get(raw.get("Name", ""), set())
        # Swarm and plugin endpoints show up here, not on any container.
        if set(raw.get("Containers") or {}) - using:
            continue
        needs = _needs(using, removable)
        if needs is None:
            continue
        networks.append(
            CleanupItem(
                kind=NETWORKS,
                id=raw["Id"],
                name=raw.get("Name", raw["Id"][:12]),
                size=0,
                detail=f"{raw.get('Driver', '')} · {raw.get('Scope', '')}"
                + (f" · after {len(needs)} stopped container(s)" if needs else ""),
                needs=needs,
            )
        )

    if label_filter:
        build_cache = CleanupCategory(BUILD_CACHE, (), NO_LABELS_NOTE)
    else:
        build_cache = CleanupCategory(
            BUILD_CACHE,
            tuple(
                CleanupItem(
                    kind=BUILD_CACHE,
                    id=raw.get("ID", ""),
                    name=raw.get("Description") or raw.get("ID", "")[:12],
                    size=_size(raw.get("Size")),
                    detail=raw.get("Type", ""),
                )
                for raw in df.get("BuildCache") or []
                if not raw.get("InUse") and not raw.get("Shared")
            ),
            "pruned as a whole (docker builder prune -a)",
        )

    return CleanupPlan(
        categories=(
            CleanupCategory(CONTAINERS, container_items),
            CleanupCategory(DANGLING_IMAGES, tuple(dangling)),
            CleanupCategory(UNUSED_IMAGES, tuple(unused)),
            CleanupCategory(VOLUMES, tuple(volumes)),
            CleanupCategory(NETWORKS, tuple(networks)),
            build_cache,
        ),
        label_filter=tuple(sorted((label_filter or {}).items())),
    )


# ------------------------------------------------------------------ removal


def _remove_one(backend: DockerBackend, item: CleanupItem) -> None:
    if item.kind == CONTAINERS:
        backend.call("remove_container", item.id)
    elif item.kind in (DANGLING_IMAGES, UNUSED_IMAGES):
        # An image under several names goes by removing each; by id it would
        # need force, which also removes images a new container has taken up.
        for tag in item.tags[:-1]:
            backend.call("remove_image", tag)
        backend.call("remove_image", item.id)
    elif item.kind == VOLUMES:
        backend.call("remove_volume", item.id)
    elif item.kind == NETWORKS:
        backend.call("remove_network", item.id)
    else:
        raise ValueError(f"{item.kind} items are not removed one by one")


def remove_items(
    backend: DockerBackend,
    items: Iterable[CleanupItem],
    progress: Callable[[int, int], None] | None = None,
) -> CleanupResult:

    """Remove exactly ``items``, containers first; one failure stops nothing else.

    Any build cache item means "prune the build cache" (it goes as a whole).
    ``progress(done, total)`` is called after each step, from this thread.
    """
    chosen = sorted(items, key=lambda item: CATEGORY_ORDER.index(item.kind))
    singles = [item for item in chosen if item.kind != BUILD_CACHE]
    cache = [item for item in chosen if item.kind == BUILD_CACHE]
    total = len(singles) + (1 if cache else 0)
    removed: list[CleanupItem] = []
    failures: list[RemovalFailure] = []
    reclaimed: dict[str, int] = {}
    gone: set[str] = set()
    for done, item in enumerate(singles, start=1):
        staying = [cid for cid in item.needs if cid not in gone]
        if staying:
            reason = f"still used by {len(staying)} container(s) that were not removed"
            failures.append(RemovalFailure(item, reason))
        else:
            try:
                _remove_one(backend, item)
            except EngineError as error:
                failures.append(RemovalFailure(item, str(error)))
            else:
                removed.append(item)
                gone.add(item.id)
                reclaimed[item.kind] = reclaimed.get(item.kind, 0) + item.size
        if progress:
            progress(done, total)
    if cache:
        try:
            answer = backend.call("prune_builds", all=True) or {}
        except EngineError as error:
            failures.extend(RemovalFailure(item, str(error)) for item in cache)
        else:
            removed.extend(cache)
            reclaimed[BUILD_CACHE] = _size(answer.get("SpaceReclaimed"))
        if progress:
            progress(total, total)
    return CleanupResult(
        removed=tuple(removed),
        failures=tuple(failures),
        reclaimed=tuple((kind, reclaimed[kind]) for kind in CATEGORY_ORDER if kind in reclaimed),
    )


# --------------------------------------------------------------- disk usage


def disk_usage(backend: DockerBackend, label_filter: LabelFilter | None = None) -> DiskUsage:
    """``docker system df``: the same sums the docker CLI makes.

    Under a label filter, image sizes are summed per image (shared layers
    count once for each image) and build cache is left out.
    """
    df = _read_df(backend, label_filter)
    images = [raw for raw in df.get("Images") or [] if _matches(raw.get("Labels"), label_filter)]
    containers = [raw for raw in df.get("Containers") or [] if _matches(raw.get("Labels"), label_filter)]
    volumes = [raw for raw in df.get("Volumes") or [] if _matches(raw.get("Labels"), label_filter)]
    cache = [] if label_filter else list(df.get("BuildCache") or [])

    active_images = [raw for raw in images if int(raw.get("Containers") or 0) > 0]
    image_size = sum(_size(raw.get("Size")) for raw in images) if label_filter else _size(df.get("LayersSize"))
    used = sum(_unique_size(raw) for raw in active_images)

    container_size = sum(_size(raw.get("SizeRw")) for raw in containers)
    stopped_size = sum(_size(raw.get("SizeRw")) for raw in containers if raw.get("State") != "running")

    def usage(raw: dict[str, Any]) -> dict[str, Any]:
        return raw.get("UsageData") or {}

    volume_size = sum(_size(usage(raw).get("Size")) for raw in volumes)
    unused_volume_size = sum(_size(usage(raw).get("Size")) for raw in volumes if int(usage(raw).get("RefCount") or 0) == 0)

    rows = (
        DiskUsageRow("Images", len(images), len(active_images), image_size, max(image_size - used, 0)),
        DiskUsageRow(
            "Containers",
            len(containers),
            sum(1 for raw in containers if raw.get("State") == "running"),
            container_size,
            stopped_size,
        ),
        DiskUsageRow(
            "Local Volumes",
            len(volumes),
            sum(1 for raw in volumes if int(usage(raw).get("RefCount") or 0) > 0),
            volume_size,
            unused_volume_size,
        ),
        DiskUsageRow(
            "Build Cache",
            len(cache),
            sum(1 for raw in cache if raw.get("InUse")),
            sum(_size(raw.get("Size")) for raw in cache if not raw.get("Shared")),
            sum(_size(raw.get("Size")) for raw in cache if not raw.get("InUse") and not raw.get("Shared")),
        ),
    )
    return DiskUsage(rows, NO_LABELS_NOTE if label_filter else "")
