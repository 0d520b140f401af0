"""KeyedTable beside a bare line-API ScrollView table: the same rows, the same steps.

Issue 19 asked whether a ScrollView of our own, drawing lines through the
line API as LogView does, could take the place of the DataTable internals
KeyedTable relied on, at equal speed; KeyedTable now draws through one
(widgets/line_table.py). This times it beside a bare sketch of such a table,
headless, in one process, on the steps a user's list goes through:

- load: N containers into an empty list, and the first paint;
- change: one row's cells change (a status update), and the repaint;
- add: a new container sorts in at the top, pushing every row down;
- remove: a row goes;
- page: the view moves down a page;
- 50 gone: fifty rows go at once with the cursor at the bottom, as the
  destroys of a bulk remove arrive (issue 14: the cursor lags meanwhile).

Each step is the widget's own work, then ``pilot.pause()`` (what the
widget deferred runs), then a paint of every visible line
(``render_lines``, what the compositor asks of it). Both tables get their
cells from ContainerTable.row_for, so the cell building is the same.

The sketch here has only what the steps need (rows by key, sorted, a
cursor, cached lines): no marks, filter, mouse, hover, or any of
KeyedTable's bookkeeping. It is a floor. Run it from an older tree
(``cd OLD && PYTHONPATH=OLD python -m benchmarks.table_widgets``) to time
that tree's KeyedTable against the same floor.

    python -m benchmarks.table_widgets [--rows 200 1000] [--tries 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import datetime, timedelta, timezone

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dockertui.backend.models import ContainerInfo
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.theme_roles import RolePalette

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
SIZE = (160, 45)


def container(number: int, status: str = "Up 5 minutes") -> ContainerInfo:
    return ContainerInfo(
        id=f"{number:064x}", name=f"bench-{number:05d}", image="dockertui-test/busybox:latest",
        image_id="sha256:" + "a" * 64, command="sleep 300", created=NOW - timedelta(minutes=number),
        state="running", status=status,
    )


class SketchTable(ScrollView, can_focus=True):
    """Rows by key, sorted by one column, drawn a line at a time; each line kept until its row changes."""

    def __init__(self, row_source, columns, **kwargs) -> None:
        super().__init__(**kwargs)
        self._row_source = row_source
        self._columns = columns  # (key, label, width)
        self._cells: dict[str, list[Text]] = {}
        self._order: list[str] = []
        self._lines: dict[tuple[str, bool], Strip] = {}
        self.cursor = 0
        self._rich = Console(width=500, legacy_windows=False, color_system="truecolor")

    def _sort_key(self, key: str):
        return self._cells[key][-3].sort_key  # Created, as ContainerTable sorts by default

    def _resize(self) -> None:
        width = sum(width + 1 for _, _, width in self._columns)
        self.virtual_size = Size(width, len(self._order) + 1)

    def load(self, items) -> None:
        self._cells = {item.id: self._row_source(item) for item in items}
        self._order = sorted(self._cells, key=self._sort_key, reverse=True)
        self._lines.clear()
        self._resize()
        self.refresh()

    def put(self, item: ContainerInfo) -> None:
        new = item.id not in self._cells
        self._cells[item.id] = self._row_source(item)
        self._lines.pop((item.id, False), None)
        self._lines.pop((item.id, True), None)
        if new:
            self._order.append(item.id)
            self._order.sort(key=self._sort_key, reverse=True)
            self._resize()
        self.refresh()

    def remove(self, key: str) -> None:
        self._cells.pop(key, None)
        self._order.remove(key)
        self._lines.pop((key, False), None)
        self._lines.pop((key, True), None)
        self._resize()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            return self._strip([Text(label, style="bold") for _, label, _ in self._columns], False)
        index = scroll_y + y - 1
        if index >= len(self._order):
            return Strip.blank(self.size.width)
        key = self._order[index]
        cursor = index == self.cursor
        strip = self._lines.get((key, cursor))
        if strip is None:
            strip = self._lines[(key, cursor)] = self._strip(self._cells[key], cursor)
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, None)

    def _strip(self, cells: list[Text], cursor: bool) -> Strip:
        line = Text(end="")
        for cell, (_, _, width) in zip(cells, self._columns):
            piece = cell.copy()
            piece.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(piece)
            line.append(" ")
        segments = list(line.render(self._rich))
        if cursor:
            segments = list(Segment.apply_style(segments, post_style=Style(reverse=True)))
        return Strip(segments)


class Bench(App):
    # As in the app (#lists DataTable): the list's height is the pane's, not its rows'.
    CSS = "ContainerTable, SketchTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield RolePalette()
        self.keyed = ContainerTable(now=lambda: NOW, id="keyed")
        yield self.keyed


async def run(rows: int, tries: int) -> dict[str, dict[str, float]]:
    app = Bench()
    results: dict[str, dict[str, list[float]]] = {"KeyedTable": {}, "sketch": {}}
    async with app.run_test(size=SIZE) as pilot:
        keyed = app.keyed
        keyed.show_all = True
        columns = [(column.key, column.label, column.width or 12) for column in keyed.COLUMNS]
        line = SketchTable(keyed.row_for, columns, id="lines")
        await app.mount(line)
        region = Region(0, 0, SIZE[0], SIZE[1] - 1)

        async def timed(name: str, table, step) -> None:
            start = time.process_time()
            step()
            await pilot.pause()
            table.render_lines(region)
            results[name.split(":")[0]].setdefault(name.split(":")[1], []).append(time.process_time() - start)

        items = [container(number) for number in range(rows)]
        gone = [item.id for item in items[:50]]
        for _ in range(tries):
            for name, table in (("KeyedTable", keyed), ("sketch", line)):
                table.display = True
                other = line if table is keyed else keyed
                other.display = False
                await pilot.pause()
                if table is keyed:
                    await timed(f"{name}:load", table, lambda: keyed.load([]) or keyed.load(items))
                    changed = container(5, status="Exited (0) 1 second ago")
                    await timed(f"{name}:change", table, lambda c=changed: keyed.update_containers({c.id: c}))
                    newest = container(rows + 1)
                    newest = ContainerInfo(**{**newest.__dict__, "created": NOW})
                    await timed(f"{name}:add", table, lambda n=newest: keyed.update_containers({n.id: n}))
                    await timed(f"{name}:remove", table, lambda n=newest: keyed.update_containers({n.id: None}))
                    await timed(f"{name}:page", table, keyed.action_page_down)
                    keyed.action_scroll_bottom()
                    await timed(f"{name}:50 gone", table, lambda: keyed.update_containers(dict.fromkeys(gone)))
                    keyed.update_containers({item.id: item for item in items[:50]})
                    keyed.action_scroll_top()
                else:
                    await timed(f"{name}:load", table, lambda: line.load(items))
                    changed = container(5, status="Exited (0) 1 second ago")
                    await timed(f"{name}:change", table, lambda c=changed: line.put(c))
                    newest = container(rows + 1)
                    newest = ContainerInfo(**{**newest.__dict__, "created": NOW})
                    await timed(f"{name}:add", table, lambda n=newest: line.put(n))
                    await timed(f"{name}:remove", table, lambda n=newest: line.remove(n.id))
                    await timed(f"{name}:page", table, lambda: line.scroll_to(y=line.scroll_y + SIZE[1] - 2,
                                                                              animate=False))
                    line.cursor = len(line._order) - 1
                    line.scroll_end(animate=False)
                    await timed(f"{name}:50 gone", table, lambda: [line.remove(key) for key in gone])
                    for item in items[:50]:
                        line.put(item)
                    line.cursor = 0
                    line.scroll_home(animate=False)
    return {name: {step: statistics.median(times) * 1000 for step, times in steps.items()}
            for name, steps in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--tries", type=int, default=15)
    args = parser.parse_args()
    print(f"median CPU ms of {args.tries} tries, headless at {SIZE[0]}x{SIZE[1]}; each: the step, pause, paint")
    for rows in args.rows:
        figures = asyncio.run(run(rows, args.tries))
        steps = list(figures["KeyedTable"])
        print(f"\n{rows} rows   " + "".join(f"{step:>10}" for step in steps))
        for name, by_step in figures.items():
            print(f"{name:<11}" + "".join(f"{by_step[step]:>10.2f}" for step in steps))
        ratio = [figures["sketch"][step] / figures["KeyedTable"][step] for step in steps]
        print(f"{'sketch/keyed':<11}" + "".join(f"{r:>10.2f}" for r in ratio))


if __name__ == "__main__":
    main()
