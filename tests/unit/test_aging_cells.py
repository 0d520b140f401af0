"""A re-word makes only a row's aging cells: they must be the very cells the whole row has."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from textual.app import App, ComposeResult

from dockertui.backend.models import ContainerInfo
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.keyed_table import same_cell

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
CONTAINER = ContainerInfo(
    id="a" * 64, name="web", image="busybox", image_id="sha256:1", command="sleep 300",
    created=NOW - timedelta(seconds=42), state="running", status="Up 40 seconds", host="web1",
)


class TableApp(App):
    def __init__(self, table: ContainerTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


@pytest.mark.parametrize("show_hosts", [False, True], ids=["one engine", "fleet"])
@pytest.mark.parametrize("stale", [False, True], ids=["live", "stale"])
async def test_aging_cells_are_the_rows_own(show_hosts, stale):
    table = ContainerTable(now=lambda: NOW, show_hosts=show_hosts)
    async with TableApp(table).run_test():
        if stale:
            table.set_stale("web1", True)
        for container in (CONTAINER, replace(CONTAINER, state="exited", status="Exited (0) 3 minutes ago")):
            whole = dict(zip((column.key for column in table.COLUMNS), table.cells_of(container)))
            aging = dict(table.aging_cells(container))
            assert set(aging) == {"status", "created"}
            for column, value in aging.items():
                assert same_cell(value, whole[column]), column
                assert value.style == whole[column].style, column
