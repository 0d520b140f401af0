"""KeyedTable draws its own lines (LineTable): they must look as a DataTable of the same rows does,
and what it keeps of drawn lines must never be served stale."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from dockertui.formatting import cell
from dockertui.widgets.keyed_table import Column, KeyedTable
from dockertui.widgets.line_table import LineTable

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
        order = cell(str(item.order), sort_key=item.order)
        order.justify = "right"  # as numbers are, where a list aligns them
        return [cell(item.name), cell(item.state, style=style), order]


class ThingApp(App[None]):
    CSS = "ThingTable, DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield ThingTable()


def thing(order: int, state: str = "created") -> Thing:
    return Thing(f"k{order}", f"thing [/b] {order}", state, order)


def painted(widget) -> list[list[tuple[str, Style | None]]]:
    """Every visible line, a character at a time, with its style (mouse metadata aside)."""
    lines = []
    for strip in widget.render_lines(Region(0, 0, *widget.size)):
        line = []
        for segment in strip:
            style = segment.style.clear_meta_and_links() if segment.style else None
            line += [(character, style) for character in segment.text]
        lines.append(line)
    return lines


async def datatable_of(app: App, table: ThingTable, pilot) -> DataTable:
    """A DataTable holding what ``table`` shows (cells, marks, header, cursor, scroll), drawn by Textual alone."""
    for old in app.query(DataTable):
        await old.remove()
    mirror = DataTable(cursor_type="row", zebra_stripes=True)
    await app.mount(mirror)
    for column in table.ordered_columns:
        mirror.add_column(column.label, width=column.width, key=column.key.value)
    for row in table.ordered_rows:
        mirror.add_row(*table.get_row_at(table.get_row_index(row.key.value)), key=row.key.value, label=row.label)
    table.display = False
    await pilot.pause()
    mirror.move_cursor(row=table.cursor_row, scroll=False)
    mirror.scroll_to(y=table.scroll_y, animate=False, force=True)
    await pilot.pause()
    return mirror


async def looks_like_datatable(app: App, table: ThingTable, pilot, focused: bool = True) -> bool:
    app.set_focus(table if focused else None)
    await pilot.pause()
    ours = painted(table)
    mirror = await datatable_of(app, table, pilot)
    app.set_focus(mirror if focused else None)
    await pilot.pause()
    theirs = painted(mirror)
    await mirror.remove()
    table.display = True
    await pilot.pause()
    return ours == theirs


async def test_lines_look_as_datatable_draws_them():
    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.load([thing(n) for n in range(30)])
        table.move_cursor(row=3)
        await pilot.pause()
        assert await looks_like_datatable(app, table, pilot)
        steps = [
            lambda: table.set_item("k30", thing(30)),  # sorts in on top: every row moves down
            lambda: table.set_item("k5", thing(5, "running")),  # one cell changes
            # Cropped: a name wider than its column, with wide characters and a tab.
            lambda: table.set_item("k28", Thing("k28", "a-long-name-名前-that\tgoes-on-and-on", "exited", 28)),
            lambda: table.set_item("k29", None),  # a row goes: the ones below move up
            lambda: table.set_items({f"k{n}": None for n in range(10, 20)}),  # many go at once
            table.action_toggle_mark,  # a row label changes, the cursor moves down
            table.action_cycle_sort,  # the header changes
            table.action_page_down,
            lambda: table.set_filter("1"),
        ]
        for step in steps:
            step()
            await pilot.pause()
            assert await looks_like_datatable(app, table, pilot)
        assert await looks_like_datatable(app, table, pilot, focused=False)
        app.theme = "textual-light"
        await pilot.pause()
        assert await looks_like_datatable(app, table, pilot)


async def test_kept_lines_are_not_served_stale():
    """A changed cell, a moved cursor, a new theme or focus leaving: the line drawn before is not shown."""
    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.load([thing(n) for n in range(30)])
        table.focus()
        await pilot.pause()
        before = painted(table)
        table.set_item("k29", thing(29, "running"))  # the top row's state
        await pilot.pause()
        after = painted(table)
        assert after[1] != before[1] and after[2:] == before[2:]
        table.action_cursor_down()
        await pilot.pause()
        assert painted(table)[1:3] != after[1:3]
        for change in (lambda: setattr(app, "theme", "textual-light"), table.blur):
            before = painted(table)
            change()
            await pilot.pause()
            assert painted(table) != before


class HeaderRecordingApp(ThingApp):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []

    def on_line_table_header_selected(self, event: LineTable.HeaderSelected) -> None:
        self.headers.append(event.column_key.value)


async def test_mouse_finds_rows_after_they_moved():
    """A click or hover after a re-sort lands on the row under the mouse; the header says which column."""
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
        await pilot.click(ThingTable, offset=(75, 2))  # right of the last column: still the row
        assert table.current_key == "k30"
        await pilot.click(ThingTable, offset=(10, 0))
        await pilot.click(ThingTable, offset=(30, 0))
        await pilot.pause()
        assert app.headers == ["name", "state"]
        table.action_page_down()
        await pilot.pause()
        await pilot.click(ThingTable, offset=(10, 2))  # scrolled: the row drawn there
        assert table.cursor_row == int(table.scroll_y) + 1


async def test_rows_that_go_leave_no_renders_behind():
    """Containers come and go all session: what was kept for a removed row goes with it."""
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
            assert table._look.kept_keys
            table.set_items({f"w{wave}-{n}": None for n in range(40)})
            await pilot.pause()
            assert not table._look.kept_keys
        table.set_items({t.key: t for t in (thing(1), thing(2), thing(3))})
        await pilot.pause()
        await pilot.click(ThingTable, offset=(10, 2))  # row 1 (newest first): thing 2
        assert table.current_key == "k2"


async def test_the_mark_column_is_there_from_the_first_frame():
    """Header and rows line up, and a mark shows, in the very first frame."""

    def line_text(table: ThingTable, y: int) -> str:
        return "".join(segment.text for segment in table.render_line(y))

    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.set_items({t.key: t for t in (thing(1), thing(2))})
        lines = [line_text(table, y) for y in range(3)]
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


async def test_a_hidden_table_whose_cursor_moves_does_not_keep_the_app_busy():
    """A list in a tab not shown has no height: its cursor is shown once it has one, not retried each refresh.

    Retrying at every refresh kept the app at full CPU for as long as the tab stayed hidden (the fleet
    benchmark's idle figure, 80 %).
    """
    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.load([thing(order) for order in range(30)])
        table.display = False
        await pilot.pause()
        calls = []
        original = table.scroll_to_cursor

        def counted() -> None:
            calls.append(1)
            original()

        table.scroll_to_cursor = counted
        table.move_cursor(row=20)
        for _ in range(10):
            await pilot.pause()
        assert len(calls) <= 2, f"scroll_to_cursor ran {len(calls)} times while hidden"
        table.display = True
        await wait_until_shown(pilot, table)
        assert table.scroll_y > 0, "once shown, the cursor's row is scrolled into view"


async def wait_until_shown(pilot, table) -> None:
    from tests.support.pilot import wait_until

    await wait_until(pilot, lambda: table.size.height > 0 and table.cursor_row - int(table.scroll_y) < table.size.height,
                     what="the table shown with its cursor in view")


async def test_a_scrolled_table_repaints_the_rows_that_changed():
    """Scrolled down, the cursor moved up a row shows on its new row (not the old), and a row changed in view shows its new cells."""
    app = ThingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.load([thing(n) for n in range(30)])
        table.focus()
        table.move_cursor(row=29)
        await pilot.pause()
        assert table.scroll_y > 0
        table.action_cursor_up()
        table.set_item("k1", thing(1, "running"))  # the second row from the bottom, in view
        await pilot.pause()
        assert await looks_like_datatable(app, table, pilot)


class MarksCountingApp(ThingApp):
    def __init__(self) -> None:
        super().__init__()
        self.marks_changed = 0

    def on_keyed_table_marks_changed(self, event: KeyedTable.MarksChanged) -> None:
        self.marks_changed += 1


async def test_marked_rows_that_go_together_are_told_once():
    """A batch that removes a hundred marked rows posts one MarksChanged: each costs the dashboard a tab title and more."""
    app = MarksCountingApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(ThingTable)
        table.load([thing(n) for n in range(150)])
        table.action_mark_all()
        await pilot.pause()
        app.marks_changed = 0
        table.set_items({f"k{n}": None for n in range(100)})
        await pilot.pause()
        assert app.marks_changed == 1
        assert len(table.marked) == 50 and table.row_count == 50
        table.set_items({"k120": thing(120, "running")})  # no mark goes: nothing to tell
        await pilot.pause()
        assert app.marks_changed == 1
