"""The Containers list: ``docker ps``, kept live from events."""

from __future__ import annotations

from dockertui.backend.models import ContainerInfo
from dockertui.formatting import Cell, cell, published_ports, since, state_cell
from dockertui.widgets.keyed_table import Column, KeyedTable


class ContainerTable(KeyedTable[ContainerInfo]):
    """Containers, newest first; running only unless ``show_all`` is set."""

    COLUMNS = (
        Column("name", "Name", 24),
        Column("image", "Image", 22),
        Column("state", "State", 10),
        Column("status", "Status", 22),
        Column("created", "Created", 15),
        Column("ports", "Ports", 30),
    )
    SORT_COLUMN = "created"
    SORT_REVERSE = True

    show_all = False

    def key_for(self, item: ContainerInfo) -> str:
        return item.id

    def is_shown(self, item: ContainerInfo) -> bool:
        return self.show_all or item.is_running

    def row_for(self, item: ContainerInfo) -> list[Cell]:
        return [
            cell(item.name),
            cell(item.image),
            state_cell(item.state),
            cell(item.status),
            cell(since(item.created, self._now()), sort_key=item.created.timestamp()),
            cell(published_ports(item.ports)),
        ]

    def set_show_all(self, show_all: bool) -> None:
        """``docker ps`` (False) or ``docker ps -a`` (True)."""
        self.show_all = show_all
        self.redraw()

    def update_container(self, container_id: str, container: ContainerInfo | None) -> None:
        """Apply one re-read container; None means it is gone."""
        self.set_item(container_id, container)
        self.report_current()
