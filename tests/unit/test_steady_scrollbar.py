"""A list's scrollbar repaints only when what it draws changes (widgets/steady_scrollbar.py),
and draws, after every change, exactly what Textual's own scrollbar draws."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from dockertui.formatting import cell
from dockertui.widgets.line_table import LineTable
from dockertui.widgets.steady_scrollbar import SteadyRepaint

SIZE = (60, 20)


class TwoTables(App[None]):
    """Two LineTables, each half the screen's height; the second's bar is made plain again."""

    CSS = "LineTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield LineTable(id="steady")
        yield LineTable(id="plain")


def bar_lines(bar) -> list[list[tuple[str, object]]]:
    return [[(s.text, s.style) for s in strip] for strip in bar.render_lines(Region(0, 0, 1, bar.size.height))]


async def test_the_bar_repaints_only_when_its_thumb_moves_and_then_draws_as_textuals_does():
    app = TwoTables()
    async with app.run_test(size=SIZE) as pilot:
        steady, plain = app.query_one("#steady", LineTable), app.query_one("#plain", LineTable)
        del plain.vertical_scrollbar.refresh  # Textual's own again
        app.set_focus(None)  # a focused table's bar has its own colours
        for table in (steady, plain):
            table.add_column("Name", width=20, key="name")
        bar = steady.vertical_scrollbar
        assert isinstance(bar.refresh, SteadyRepaint)
        repaints = []
        real = bar.refresh._repaint
        bar.refresh._repaint = lambda *a, **k: (repaints.append(1), real(*a, **k))[1]

        def add(keys: range) -> None:
            for key in keys:
                steady.add_row(cell(f"row {key}"), key=str(key))
                plain.add_row(cell(f"row {key}"), key=str(key))

        add(range(1000))
        await pilot.pause()
        painted = len(repaints)
        # A thousand rows in a box of ten: each row more or less moves the thumb by 1/800 of a cell.
        for key in range(1000, 1020):
            add(range(key, key + 1))
            await pilot.pause()
        assert len(repaints) - painted < 5, "twenty rows moved the thumb less than a cell"
        assert bar_lines(bar) == bar_lines(plain.vertical_scrollbar)

        # Rows going, the cursor's scroll to the end, a hover: each draws as the plain bar does.
        for key in range(0, 900):
            steady.remove_row(str(key))
            plain.remove_row(str(key))
        await pilot.pause()
        assert bar_lines(bar) == bar_lines(plain.vertical_scrollbar)
        steady.scroll_end(animate=False)
        plain.scroll_end(animate=False)
        await pilot.pause()
        assert bar_lines(bar) == bar_lines(plain.vertical_scrollbar)
        bar.mouse_over = plain.vertical_scrollbar.mouse_over = True
        await pilot.pause()
        assert bar_lines(bar) == bar_lines(plain.vertical_scrollbar)
        # Focus changes its colours.
        steady.focus()
        await pilot.pause()
        focused = bar_lines(bar)
        plain.focus()
        await pilot.pause()
        assert focused == bar_lines(plain.vertical_scrollbar) != bar_lines(bar)
