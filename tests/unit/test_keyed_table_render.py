"""KeyedTable keeps cell renders across re-sorts; what it paints must equal DataTable's own render."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from dockertui.formatting import cell
from dockertui.widgets.keyed_table import Column, KeyedTable

SIZE = (80, 16)


@dataclass(frozen=True)
class Thing:
    key: str
    name: str
    state: str
    order: int


class ThingTable(KeyedTable[Thing]):
    COLUMNS = (Column("name", "Name", 20), Column("state", "State", 10), Column("order", "Order", 8))
    SORT_COLUMN = "order"
    SORT_REVERSE = True  # newest first: a new thing moves every row down

    def key_for(self, item: Thing) -> str:
        return item.key

    def row_for(self, item: Thing):
        style = "green" if item.state == "running" else ""
        return [cell(item.name), cell(item.state, style=style), cell(str(item.order), sort_key=item.order)]


class ThingApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ThingTable()


def thing(order: int, state: str = "created") -> Thing:
    return Thing(f"k{order}", f"thing [/b] {order}", state, order)


def painted(table: ThingTable) -> list:
    """Every visible line as (text, style) pairs; styles compare colours, attributes and mouse metadata."""
    table._line_cache.clear()
    table._row_render_cache.clear()
    return [
        [(segment.text, segment.style) for segment in table.render_line(y)]
        for y in range(table.size.height)
    ]


def reference(table: ThingTable) -> list:
    """The same lines rendered by DataTable alone, with every cache cold."""
    table._cell_render_cache.clear()
    table._row_renderable_cache.clear()
    table._render_cell = lambda *args, **kwargs: DataTable._render_cell(table, *args, **kwargs)
    try:
        return painted(table)
    finally:
        del table._render_cell
        table._cell_render_cache.clear()


async def test_kept_renders_equal_datatable_renders():
    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.load([thing(n) for n in range(30)])
        table.move_cursor(row=3)
        await pilot.pause()
        assert painted(table) == reference(table)

        steps = [
            lambda: table.set_item("k30", thing(30)),  # sorts in on top: every row moves down
            lambda: table.set_item("k31", thing(31)),
            lambda: table.set_item("k5", thing(5, "running")),  # one cell changes
            lambda: table.set_item("k29", None),  # a row goes: the ones below move up
            table.action_toggle_mark,  # a row label changes, the cursor moves down
            table.action_cycle_sort,  # the header changes
            lambda: table.set_filter("1"),
            lambda: table.set_filter(""),
        ]
        for step in steps:
            step()
            await pilot.pause()
            assert painted(table) == reference(table)
        assert table.current_key is not None
