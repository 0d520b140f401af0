"""The Volumes list: ``docker volume ls``, with sizes and who uses each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from textual.binding import Binding
from textual.message import Message

from dockertui.backend.models import ContainerInfo, VolumeInfo, host_key
from dockertui.formatting import Cell, cell, size
from dockertui.widgets.keyed_table import Column, KeyedTable


def volume_users(containers: Iterable[ContainerInfo]) -> dict[str, list[str]]:
    """Volume key (its name, with its engine's in a fleet) -> names of the containers that mount it."""
    users: dict[str, list[str]] = {}
    for container in containers:
        for mount in container.mounts:
            if mount.type == "volume" and mount.name:
                users.setdefault(host_key(container.host, mount.name), []).append(container.name)
    return users


class VolumeTable(KeyedTable[VolumeInfo]):
    """Volumes by name; ``users`` says which containers mount each."""

    COLUMNS = (
        Column("name", "Name", 30),
        Column("driver", "Driver", 8),
        Column("size", "Size", 10),
        Column("users", "Used by", 28),
        Column("mountpoint", "Mountpoint", 50),
    )
    SORT_COLUMN = "name"
    BINDINGS = [
        Binding("n", "request('create')", "Create", id="volume-create"),
        Binding("d", "request('remove')", "Remove", id="volume-remove"),
        Binding("z", "request('sizes')", "Sizes", id="volume-sizes", tooltip="read sizes (docker system df)"),
    ]

    class ActionRequested(Message):
        def __init__(self, action: str, volumes: list[VolumeInfo]) -> None:
            super().__init__()
            self.action = action
            self.volumes = volumes

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.users: dict[str, list[str]] = {}

    def key_for(self, item: VolumeInfo) -> str:
        return item.key

    def row_for(self, item: VolumeInfo) -> list[Cell]:
        users = self.users.get(item.key, [])
        return [
            cell(item.name),
            cell(item.driver),
            cell(size(item.size) if item.size >= 0 else "?", sort_key=item.size),
            cell(", ".join(users) if users else "(unused)", style="" if users else "dim"),
            cell(item.mountpoint, style="dim"),
        ]

    def load_volumes(self, volumes: Iterable[VolumeInfo], keep_sizes: bool = True, host: str = "") -> None:
        """Replace the list (engine ``host``'s, in a fleet); known sizes are kept when the new read has none."""
        known = {key: item.size for key, item in self.items.items()} if keep_sizes else {}
        merged = []
        for volume in volumes:
            if volume.size < 0 and known.get(volume.key, -1) >= 0:
                volume = replace(volume, size=known[volume.key])
            merged.append(volume)
        self.load_host(host, merged)

    def set_users(self, users: Mapping[str, list[str]]) -> None:
        if users != self.users:
            self.users = dict(users)
            self.redraw()
            # The Details tab lists them too: the row's item is the same, its users are not.
            self.post_message(self.CurrentChanged(self, self.current))

    def action_request(self, action: str) -> None:
        targets = [] if action in ("create", "sizes") else self.targets()
        if action == "remove" and not targets:
            self.notify("No volume selected", severity="warning")
            return
        self.post_message(self.ActionRequested(action, targets))
