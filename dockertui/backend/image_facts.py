"""What an image is made of: its layers, its parent and children, where it is stored.

An image built here names its parent (``Parent``, through the build's
intermediate images): where that chain reaches a local image, it is the
parent. Pulled images carry no parent, so otherwise it is found by shared
layers: an image whose ``RootFS.Layers`` list starts with all of another
image's layers is built on it. Two images with the same layers (a child that
only added metadata, such as LABEL or ONBUILD) are told apart by age: the
older one is the parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dockertui.backend.errors import EngineError
from dockertui.backend.images import classify
from dockertui.backend.raw import parse_timestamp

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of ``docker history``: the instruction and the size it added."""

    id: str
    created: datetime
    created_by: str
    size: int
    tags: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class ImageNode:
    """A local image as the tree sees it: its layers and what it is named."""

    id: str
    tags: tuple[str, ...]
    layers: tuple[str, ...]
    created: datetime
    engine_parent: str = ""

    @property
    def name(self) -> str:
        return self.tags[0] if self.tags else f"<none> {self.id.removeprefix('sha256:')[:12]}"

    @property
    def kind(self) -> str:
        return classify(self.tags[0]) if self.tags else "untagged"


@dataclass(frozen=True)
class ImageFacts:
    """Everything the details pane shows about one image beyond its summary."""

    image_id: str
    history: tuple[HistoryEntry, ...]
    layers: tuple[str, ...]
    onbuild: tuple[str, ...]
    parent: ImageNode | None
    children: tuple[ImageNode, ...]
    kinds: Pairs
    graph_driver: str
    graph_data: Pairs
    root_dir: str
    storage_driver: str

    @property
    def is_base(self) -> bool:
        return self.parent is None


def _node(raw: dict[str, Any]) -> ImageNode:
    tags = tuple(t for t in raw.get("RepoTags") or () if t != "<none>:<none>")
    return ImageNode(
        id=raw["Id"],
        tags=tags,
        layers=tuple((raw.get("RootFS") or {}).get("Layers") or ()),
        created=parse_timestamp(raw.get("Created")),
        engine_parent=str(raw.get("Parent") or ""),
    )


def _builds_on(child: ImageNode, parent: ImageNode) -> bool:
    """Whether ``child`` is built on ``parent`` (see the module docstring)."""
    if child.id == parent.id or not parent.layers:
        return False
    if child.layers[: len(parent.layers)] != parent.layers:
        return False
    if len(parent.layers) < len(child.layers):
        return True
    return (parent.created, parent.id) < (child.created, child.id)


def parent_of(node: ImageNode, nodes: list[ImageNode]) -> ImageNode | None:
    """The closest local image this one builds on: most shared layers, then newest."""
    candidates = [other for other in nodes if _builds_on(node, other)]
    if not candidates:
        return None
    return max(candidates, key=lambda other: (len(other.layers), other.created, other.id))


class ParentFinder:
    """Follows the engine's Parent chains, reading each intermediate image once."""

    def __init__(self, backend: DockerBackend, nodes: list[ImageNode]) -> None:
        self._backend = backend
        self._nodes = nodes
        self._by_id = {node.id: node for node in nodes}
        self._parent_of_intermediate: dict[str, str] = {}

    def _next(self, image_id: str) -> str:
        if image_id not in self._parent_of_intermediate:
            try:
                document = self._backend.inspect_image(image_id)
            except EngineError as error:
                if error.status != 404:
                    raise
                document = {}
            self._parent_of_intermediate[image_id] = str(document.get("Parent") or "")
        return self._parent_of_intermediate[image_id]

    def parent(self, node: ImageNode) -> ImageNode | None:
        current, seen = node.engine_parent, set()
        while current and current not in seen:
            if current in self._by_id:
                return self._by_id[current]
            seen.add(current)
            current = self._next(current)
        return parent_of(node, self._nodes)


def local_nodes(backend: DockerBackend) -> list[ImageNode]:
    """Every top-level local image with its layers (one inspect each)."""
    nodes = []
    for summary in backend.call("images"):
        try:
            nodes.append(_node(backend.inspect_image(summary["Id"])))
        except EngineError as error:
            if error.status != 404:
                raise
            # Removed between the list and the inspect: it is simply gone.
    return nodes


def parents_by_id(backend: DockerBackend, nodes: list[ImageNode]) -> dict[str, str | None]:
    """Each image's parent id (None for a base image)."""
    finder = ParentFinder(backend, nodes)
    found = {}
    for node in nodes:
        parent = finder.parent(node)
        found[node.id] = parent.id if parent else None
    return found


@dataclass(frozen=True)
class ImageTree:
    """All local images arranged by parent: ``roots`` are base images."""

    nodes: dict[str, ImageNode]
    children: dict[str, tuple[str, ...]]
    roots: tuple[str, ...]


def image_tree(backend: DockerBackend) -> ImageTree:
    nodes = local_nodes(backend)
    parents = parents_by_id(backend, nodes)
    children: dict[str, list[str]] = {}
    for child_id, parent_id in parents.items():
        if parent_id:
            children.setdefault(parent_id, []).append(child_id)
    by_id = {node.id: node for node in nodes}
    order = lambda ids: tuple(sorted(ids, key=lambda i: (by_id[i].name, i)))  # noqa: E731
    return ImageTree(
        nodes=by_id,
        children={key: order(value) for key, value in children.items()},
        roots=order(i for i, parent in parents.items() if parent is None),
    )


def _history(backend: DockerBackend, image_id: str) -> tuple[HistoryEntry, ...]:
    return tuple(
        HistoryEntry(
            id=str(raw.get("Id") or ""),
            created=parse_timestamp(raw.get("Created")),
            created_by=str(raw.get("CreatedBy") or ""),
            size=int(raw.get("Size") or 0),
            tags=tuple(raw.get("Tags") or ()),
            comment=str(raw.get("Comment") or ""),
        )
        for raw in backend.call("history", image_id)
    )


def image_facts(backend: DockerBackend, image_id: str) -> ImageFacts:
    """History, ONBUILD, parent and children, and storage of one image."""
    document = backend.inspect_image(image_id)
    node = _node(document)
    nodes = local_nodes(backend)
    if all(other.id != node.id for other in nodes):
        nodes.append(node)
    parents = parents_by_id(backend, nodes)
    by_id = {other.id: other for other in nodes}
    parent_id = parents.get(node.id)
    parent = by_id.get(parent_id) if parent_id else None
    children = tuple(sorted((other for other in nodes if parents.get(other.id) == node.id), key=lambda o: o.name))
    info = backend.call("info")
    graph = document.get("GraphDriver") or {}
    config = document.get("Config") or {}
    names = node.tags or tuple(d.split("@", 1)[0] for d in document.get("RepoDigests") or ())
    return ImageFacts(
        image_id=node.id,
        history=_history(backend, image_id),
        layers=node.layers,
        onbuild=tuple(config.get("OnBuild") or ()),
        parent=parent,
        children=children,
        kinds=tuple((name, classify(name)) for name in names),
        graph_driver=str(graph.get("Name") or ""),
        graph_data=tuple(sorted((str(k), str(v)) for k, v in (graph.get("Data") or {}).items())),
        root_dir=str(info.get("DockerRootDir") or ""),
        storage_driver=str(info.get("Driver") or ""),
    )
