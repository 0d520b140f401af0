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


def mouse_meta(table: ThingTable, style) -> dict:
    """The mouse metadata as DataTable reads it: KeyedTable names body rows by a number of their own, turned into the index here."""
    meta = dict(style.meta) if style else {}
    if "row_slot" in meta:
        meta["row"] = table.get_row_index(table._slot_keys[meta.pop("row_slot")])
    return meta


def painted(table: ThingTable) -> list:
    """Every visible line as (text, style, link, mouse metadata); the kept lines of KeyedTable are used."""
    table._line_cache.clear()
    table._row_render_cache.clear()
    return [
        [
            (segment.text, segment.style.clear_meta_and_links() if segment.style else None,
             segment.style.link if segment.style else None, mouse_meta(table, segment.style))
            for segment in table.render_line(y)
        ]
        for y in range(table.size.height)
    ]


OWN_RENDERING = ("_render_cell", "_render_line", "_render_line_in_row")


def reference(table: ThingTable) -> list:
    """The same lines rendered by DataTable alone, with every cache cold."""
    table._cell_render_cache.clear()
    table._row_renderable_cache.clear()
    for name in OWN_RENDERING:
        setattr(table, name, getattr(DataTable, name).__get__(table))
    try:
        return painted(table)
    finally:
        for name in OWN_RENDERING:
            delattr(table, name)
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
            # Cropped: a name wider than its column, with wide characters and a tab.
            lambda: table.set_item("k28", Thing("k28", "a-long-name-名前-that\tgoes-on-and-on", "exited", 28)),
            lambda: table.set_item("k29", None),  # a row goes: the ones below move up
            lambda: table.set_item("k29", thing(29)),  # and back: kept lines of both stripes are used
            lambda: table.set_item("k29", None),
            lambda: table.set_items({f"k{n}": None for n in range(10, 20)}),  # many go at once
            lambda: table.set_items({f"k{n}": thing(n) for n in range(12, 16)}),  # some come back
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

        # A new theme, and focus leaving: kept lines of the old look are not served.
        before = painted(table)
        app.theme = "textual-light"
        await pilot.pause()
        assert painted(table) == reference(table) != before
        table.blur()
        await pilot.pause()
        assert painted(table) == reference(table)


class HeaderRecordingApp(ThingApp):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.headers.append(event.column_key.value)


async def test_mouse_finds_rows_after_they_moved():
    """Kept lines name their row by key: a click or hover after a re-sort lands on the row under the mouse."""
    app = HeaderRecordingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.load([thing(n) for n in range(30)])
        await pilot.pause()
        table.set_item("k30", thing(30))  # every row moves down one
        table.set_item("k31", thing(31))
        await pilot.pause()
        await pilot.click(ThingTable, offset=(10, 4))  # line 0 is the header: line 4 is row 3
        assert table.cursor_row == 3
        assert table.current_key == "k28"
        await pilot.hover(ThingTable, offset=(10, 6))
        assert table.hover_coordinate.row == 5
        await pilot.click(ThingTable, offset=(75, 2))  # right of the last column: the row's padding
        assert table.current_key == "k30"
        await pilot.click(ThingTable, offset=(10, 0))  # the header still says which column
        await pilot.pause()
        assert app.headers == ["name"]


async def test_rows_that_go_leave_no_renders_behind():
    """Containers come and go all session: what was kept for a removed row goes with it, and the
    numbers that name rows in mouse metadata are given to new rows, so caches keyed by style stay
    as large as the table, not as the session is long."""
    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        for wave in range(3):
            table.set_items({f"w{wave}-{n}": Thing(f"w{wave}-{n}", f"thing {n}", "created", 100 * wave + n)
                             for n in range(40)})
            await pilot.pause()
            table.scroll_end(animate=False)  # every row is drawn at least once
            await pilot.pause()
            assert len(table.rows) == 40
            assert max(table._slots.values()) < 40, "numbers of rows that went are given out again"
            table.set_items({f"w{wave}-{n}": None for n in range(40)})
            await pilot.pause()
            table.purge_gone_rows()  # what a timer does a second later
            assert not table._slots and not table._slot_keys
            assert not [key for key in table._cell_cache.keys() if key[0] != table._header_row_key]
            assert not [key for key in table._kept_lines.keys() if key[0] != table._header_row_key]
            # DataTable's own caches hold only renders of the current update count.
            assert all(key[6] == table._update_count for key in table._cell_render_cache.keys())
        table.set_items({t.key: t for t in (thing(1), thing(2), thing(3))})
        await pilot.pause()
        await pilot.click(ThingTable, offset=(10, 2))  # row 1 (newest first): thing 2
        assert table.current_key == "k2"


async def test_the_mark_column_is_there_from_the_first_frame():
    """Header and rows line up, and a mark shows, even in a frame drawn before DataTable was idle."""
    from rich.style import Style

    def line_text(table: ThingTable, y: int) -> str:
        return "".join(segment.text for segment in table._render_line(y, 0, SIZE[0], Style()))

    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.set_items({t.key: t for t in (thing(1), thing(2))})
        first = [line_text(table, y) for y in range(3)]  # no pause: DataTable has not measured anything
        await pilot.pause()
        for lines in (first, [line_text(table, y) for y in range(3)]):
            assert lines[0].index("Name") == lines[1].index("thing") == lines[2].index("thing"), lines
        table.action_toggle_mark()
        await pilot.pause()
        assert "●" in line_text(table, 1)
        table.clear()
        table.set_items({t.key: t for t in (thing(3),)})
        lines = [line_text(table, y) for y in range(2)]
        assert lines[0].index("Name") == lines[1].index("thing"), lines


async def test_rows_with_equal_sort_keys_keep_one_order_whatever_came_first():
    """Ties go by the first column (the name), not by which row arrived or changed last."""
    twins = [Thing("a", "alpha", "running", 5), Thing("b", "beta", "running", 5), Thing("c", "gamma", "running", 5)]
    orders = []
    for arrival in (twins, twins[::-1], [twins[1], twins[2], twins[0]]):
        app = ThingApp()
        async with app.run_test(size=SIZE) as pilot:
            table = app.query_one(ThingTable)
            for item in arrival:
                table.set_items({item.key: item})
                await pilot.pause()
            table.set_items({"a": Thing("a", "alpha", "exited", 5)})  # a change re-sorts too
            await pilot.pause()
            orders.append(table.rows_in_order())
    assert orders[0] == orders[1] == orders[2] == ["c", "b", "a"]  # newest first: reversed, ties too
