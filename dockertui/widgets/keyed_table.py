"""A DataTable whose rows are engine objects, keyed by id, updated by diff, never rebuilt:
a change removes the rows that are gone, updates only the cells that differ and
adds the new rows, in one batch, with the cursor on the same object throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist, Column as DataTableColumn

from dockertui.formatting import Cell, utc_now
from dockertui.widgets.cursor_keys import CURSOR_BINDINGS

Item = TypeVar("Item")


@dataclass(frozen=True)
class Column:
    """A fixed-width column: fixed, so an update never re-measures the table."""

    key: str
    label: str
    width: int


Row = Sequence[Cell]
# Rendered body cells and lines kept across re-sorts (see KeyedTable._render_cell).
CELL_CACHE_SIZE = 5000
LINE_CACHE_SIZE = 600


def same_cell(old: object, new: Cell) -> bool:
    """Equal text, style and sort order: nothing to redraw."""
    return old == new and getattr(old, "sort_key", None) == new.sort_key


class KeyedTable(DataTable, Generic[Item]):
    """Base for the object lists: keyed rows, diffed updates, stable cursor. Subclasses say
    how an item becomes a row (``row_for``) and whether it is shown (``is_shown``);
    ``items`` holds every item, shown or not.
    """

    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    SORT_COLUMN: ClassVar[str] = ""
    SORT_REVERSE: ClassVar[bool] = False

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", id="mark"),
        Binding("slash", "request_filter", "Filter", id="list-filter"),
        Binding("O", "cycle_sort", "Sort", id="list-sort", tooltip="cycle the sort column and direction"),
        Binding("ctrl+a", "mark_all", "Mark all", show=False, id="mark-all"),
        Binding("ctrl+n", "clear_marks", "Clear marks", show=False, id="mark-clear"),
        *CURSOR_BINDINGS,
    ]

    class CurrentChanged(Message):
        """The item under the cursor changed, or its data did."""

        def __init__(self, table: KeyedTable, item: Any) -> None:
            super().__init__()
            self.table = table
            self.item = item

        @property
        def control(self) -> KeyedTable:
            return self.table

    class FilterRequested(Message):
        """The user pressed ``/`` on this table."""

        def __init__(self, table: KeyedTable) -> None:
            super().__init__()
            self.table = table

    def __init__(
        self,
        *,
        now: Callable[[], datetime] = utc_now,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # Before DataTable's __init__, whose reactive watchers clear caches.
        self._cell_cache: LRUCache[tuple, tuple[object, list[list[Segment]]]] = LRUCache(CELL_CACHE_SIZE)
        self._kept_lines: LRUCache[tuple, tuple[tuple[object, ...], Strip]] = LRUCache(LINE_CACHE_SIZE)
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.show_row_labels = True
        self._fix_label_column()
        self._now = now
        self.items: dict[str, Item] = {}
        self._reported: Item | None = None
        self._settling = False  # in a batch of row changes (see _one_selection)
        self.marked: set[str] = set()
        self.filter_text = ""
        self.sort_column = self.SORT_COLUMN
        self.sort_reverse = self.SORT_REVERSE
        for column in self.COLUMNS:
            self.add_column(column.label, width=column.width, key=column.key)

    def row_for(self, item: Item) -> Row:
        raise NotImplementedError

    def _fix_label_column(self) -> None:
        # The mark column, always there and one cell wide. DataTable measures
        # labels only when idle; a frame drawn (and cached) before that had no
        # such column or a too narrow one: rows sat apart and marks were hidden.
        self._label_column = DataTableColumn(self._label_column_key, Text(), width=1, auto_width=False)
        self._labelled_row_exists = True

    def clear(self, columns: bool = False) -> KeyedTable:
        super().clear(columns)
        self._fix_label_column()
        return self

    # --------------------------------------------------------------- marks

    def targets(self) -> list[Item]:
        """What an action applies to: the marked items, else the one under the cursor."""
        marked = [self.items[key] for key in self.rows_in_order() if key in self.marked]
        if marked:
            return marked
        current = self.current
        return [current] if current is not None else []

    def rows_in_order(self) -> list[str]:
        return [self.coordinate_to_cell_key((index, 0)).row_key.value for index in range(self.row_count)]

    def _mark_label(self, key: str) -> Text:
        return Text("●", style="bold yellow") if key in self.marked else Text(" ")

    def _show_mark(self, key: str) -> None:
        if key in self.rows:
            self.rows[key].label = self._mark_label(key)
            self._update_count += 1
            self.refresh()

    def action_toggle_mark(self) -> None:
        key = self.current_key
        if key is None:
            return
        self.marked ^= {key}
        self._show_mark(key)
        self.action_cursor_down()

    def action_mark_all(self) -> None:
        """Mark every row shown (a filter narrows what that is)."""
        self.marked |= set(self.rows_in_order())
        for key in self.marked:
            self._show_mark(key)

    def action_clear_marks(self) -> None:
        cleared, self.marked = self.marked, set()
        for key in cleared:
            self._show_mark(key)

    def key_for(self, item: Item) -> str:
        raise NotImplementedError

    def is_shown(self, item: Item) -> bool:
        return True

    @property
    def current(self) -> Item | None:
        """The item under the cursor."""
        key = self.current_key
        return self.items.get(key) if key else None

    def load(self, items: Iterable[Item]) -> None:
        """Show exactly these items (after a (re)connect), by diff."""
        self.items = {self.key_for(item): item for item in items}
        self.redraw()

    def redraw(self) -> None:
        """Re-derive every row from ``items``; only changed cells are touched."""
        rows = {}
        for key, item in self.items.items():
            if self.is_shown(item):
                cells = self.row_for(item)
                if self.passes_filter(cells):
                    rows[key] = cells
        self.replace_rows(rows)
        self.report_current()

    def passes_filter(self, cells: Row) -> bool:
        """Whether a row with these cells passes the filter typed with ``/``."""
        return not self.filter_text or self.filter_text in " ".join(cell.plain for cell in cells).casefold()

    def set_filter(self, text: str) -> None:
        """Show only rows whose text contains ``text`` (any case); "" shows all."""
        self.filter_text = text.strip().casefold()
        self.redraw()

    def action_request_filter(self) -> None:
        self.post_message(self.FilterRequested(self))

    def action_cycle_sort(self) -> None:
        """Each column ascending, then descending, then the next column."""
        keys = [column.key for column in self.COLUMNS]
        if not self.sort_reverse:
            self.sort_reverse = True
        else:
            index = keys.index(self.sort_column) if self.sort_column in keys else -1
            self.sort_column = keys[(index + 1) % len(keys)]
            self.sort_reverse = False
        keep = self.current_key
        self._sort()
        self._show_sort_in_header()
        self._restore_cursor(keep)
        direction = "descending" if self.sort_reverse else "ascending"
        label = next(c.label for c in self.COLUMNS if c.key == self.sort_column)
        self.notify(f"Sorted by {label}, {direction}", timeout=2)

    def _show_sort_in_header(self) -> None:
        for column in self.COLUMNS:
            arrow = (" ▼" if self.sort_reverse else " ▲") if column.key == self.sort_column else ""
            self.columns[column.key].label = Text(column.label + arrow)
        self._update_count += 1
        self.refresh()

    def set_item(self, key: str, item: Item | None) -> None:
        """Add, update or (with None) remove one item."""
        self.set_items({key: item})

    def set_items(self, changes: Mapping[str, Item | None]) -> None:
        """Add, update or (None) remove items in one batch, sorting once."""
        with self._one_selection():
            self._set_items(changes)

    @contextmanager
    def _one_selection(self) -> Iterator[None]:
        """A batch of row changes reports the selection once, at its end: the cursor
        passes over other rows on its way back to its object, and those are not selections."""
        self._settling = True
        try:
            yield
        finally:
            self._settling = False
        self.report_current()

    def _set_items(self, changes: Mapping[str, Item | None]) -> None:
        keep = self.current_key
        cursor_index = self.cursor_row
        reorder = False
        with self.app.batch_update():
            for key, item in changes.items():
                if item is None:
                    self.items.pop(key, None)
                    self.marked.discard(key)
                else:
                    self.items[key] = item
                cells = self.row_for(item) if item is not None and self.is_shown(item) else None
                if cells is not None and self.passes_filter(cells):
                    reorder |= self._put(key, cells)
                elif key in self.rows:
                    self.remove_row(key)
            if reorder:
                self._sort()
        if keep is not None and keep in self.rows:
            self._restore_cursor(keep)
        elif self.row_count:
            self.move_cursor(row=min(cursor_index, self.row_count - 1), scroll=False)

    def report_current(self) -> None:
        """Post CurrentChanged when the item under the cursor is new or changed."""
        current = self.current
        if current != self._reported:
            self._reported = current
            self.post_message(self.CurrentChanged(self, current))

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self._settling:
            self.report_current()

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:
            return None
        return row_key.value

    def replace_rows(self, rows: Mapping[str, Row]) -> None:
        """Make the table show exactly ``rows``, touching only what changed."""
        keep = self.current_key
        with self._one_selection():
            with self.app.batch_update():
                for key in [k.value for k in self.rows if k.value not in rows]:
                    self.remove_row(key)
                for key, cells in rows.items():
                    self._put(key, cells)
                self._sort()
            self._restore_cursor(keep)

    def _put(self, key: str, cells: Row) -> bool:
        """Returns True when the row is new or its sort value changed."""
        if key not in self.rows:
            self.add_row(*cells, key=key, label=self._mark_label(key))
            return True
        changed = {}
        resort = False
        for column, value in zip(self.COLUMNS, cells):
            old = self.get_cell(key, column.key)
            if not same_cell(old, value):
                changed[column.key] = value
                # New words with the same order ("5 seconds ago", then "6") need no re-sort.
                resort |= column.key == self.sort_column and getattr(old, "sort_key", None) != value.sort_key
        if changed:
            self.set_cells({key: changed})
        return resort

    def set_cells(self, changes: Mapping[str, Mapping[str, Cell]]) -> None:
        """Write cells of existing rows, re-rendering only those rows.

        DataTable.update_cell bumps one counter that is part of every render
        cache key, so a single changed cell re-renders every visible cell
        through Rich; with live stats that was most of the app's CPU. Here the
        data is written directly and only the changed rows' cached renders go.
        """
        rows = {key for key in changes if key in self._data}
        if not rows:
            return
        for key in rows:
            self._data[key].update(changes[key])
        indexes = {self._row_locations.get(key) for key in rows}
        for cache, pick in (
            (self._cell_render_cache, lambda k: k[0] in rows),
            (self._row_render_cache, lambda k: k[0] in rows),
            (self._row_renderable_cache, lambda k: k[1] in indexes),
        ):
            for cache_key in [k for k in cache.keys() if pick(k)]:
                cache.discard(cache_key)
        self._line_cache.clear()
        for index in indexes:
            if index is not None:
                self.refresh_row(index)

    # ------------------------------------------------------- rendering
    #
    # DataTable (textual 8) keys its render caches on ``_update_count``, which
    # add_row, remove_row and sort all bump, and bakes each cell's row index
    # (mouse metadata) and zebra stripe into the cached render. So a new
    # container, which sorts in at the top and moves every row below it down
    # by one, sent every visible cell through Rich again: 25-60 ms on this
    # 2-core machine, the largest part of the event latency. A moved row does
    # look different (stripe, row index), so those caches cannot be kept.
    #
    # Instead each cell (header and row labels too) is rendered once with no
    # row style, and kept by row key, column key, width and cursor/hover
    # state; at paint time the row's style goes under it and its row index on
    # top. Style addition is associative, so the result equals DataTable's
    # own render (tests/unit/test_keyed_table_render.py checks). A kept render
    # is used only for the very cell object it was made from, and every
    # change writes a new object (set_cells, add_row, a new label), so a
    # changed cell is never served stale.
    #
    # Whole body lines are kept the same way (``_render_line``), by row key,
    # stripe parity, cursor and hover on the row, and the cell objects shown.
    # For that, body cells carry the row's key in their mouse metadata, not
    # its index (which a re-sort changes), and the mouse handlers below turn
    # it back into the index DataTable expects. A new row then costs one
    # rendered line, and the rows it pushes down are served from here (the
    # other stripe parity is kept too, so rows moving back and forth hit).
    # This relies on DataTable internals (``_render_cell``, ``_render_line``,
    # ``_render_line_in_row``, ``_clear_caches``, mouse metadata); textual is
    # pinned below 9 for it.

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index == -1:  # the header
            row_key = self._header_row_key
            height = self.header_height
        else:
            row_key = self._row_locations.get_key(row_index)
            row = self.rows.get(row_key)
            height = row.height if row is not None else 0
        column_key = self._column_locations.get_key(column_index)  # None for the label column
        if height != 1 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if row_index == -1:
            value = self.columns[column_key].label if column_key is not None else None
        elif column_key is None:
            value = row.label
        else:
            value = self._data[row_key].get(column_key)
        key = (row_key, column_key, width, cursor, hover, self._show_hover_cursor, self.show_cursor,
               self._pseudo_class_state)
        cached = self._cell_cache.get(key)
        if cached is None or cached[0] is not value:
            # DataTable's own render under no row style; its own cache entry is
            # keyed on the update count, so it is not the one kept.
            cached = (value, super()._render_cell(row_index, column_index, Style.null(), width, cursor, hover))
            self._cell_cache[key] = cached
        if row_index == -1:
            position = Style.from_meta({"row": -1, "column": column_index})
        else:
            position = Style.from_meta({"row_key": row_key.value, "column": column_index})
        return [
            [Segment(text, None if control else base_style + style + position, control) for text, style, control in line]
            for line in cached[1]
        ]

    def _render_line_in_row(
        self, row_key: Any, line_no: int, base_style: Style, cursor_location: Any, hover_location: Any
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        fixed, scrollable = super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        if row_key is self._header_row_key or not scrollable or len(scrollable[-1]) != 1:
            return fixed, scrollable
        # The padding right of the last column: its metadata names the row by key too.
        (padding,) = scrollable[-1]
        style = (padding.style or Style.null()).clear_meta_and_links()
        style += Style.from_meta({"row_key": row_key.value, "column": 0, "out_of_bounds": True})
        return fixed, [*scrollable[:-1], [Segment(padding.text, style)]]

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        if self.cursor_type != "row" or self.fixed_rows or self.fixed_columns:
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        row = self.rows.get(row_key)
        if row_key is self._header_row_key or row is None or row.height != 1:
            return super()._render_line(y, x1, x2, base_style)
        row_index = self._row_locations.get(row_key)
        shown = (row.label, *self._data[row_key].values())
        key = (
            row_key, x1, x2, self.size.width, base_style, row_index % 2,
            row_index == self.cursor_coordinate.row, row_index == self.hover_coordinate.row,
            self.show_cursor, self._show_hover_cursor, self._pseudo_class_state,
            self.show_row_labels and self._labelled_row_exists, self._row_label_column_width,
            tuple(column.get_render_width(self) for column in self.ordered_columns),
        )
        kept = self._kept_lines.get(key)
        if kept is not None and len(kept[0]) == len(shown) and all(a is b for a, b in zip(kept[0], shown)):
            return kept[1]
        strip = super()._render_line(y, x1, x2, base_style)
        self._kept_lines[key] = (shown, strip)
        return strip

    def _row_from_key(self, event: events.MouseEvent) -> None:
        """Give DataTable's own handler (next in the MRO) the row index it reads."""
        key = event.style.meta.get("row_key")
        if key is not None and key in self.rows:
            event.style = event.style + Style.from_meta({"row": self.get_row_index(key)})

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._row_from_key(event)

    def _on_click(self, event: events.Click) -> None:
        self._row_from_key(event)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._cell_cache.clear()
        self._kept_lines.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cell_cache.clear()
        self._kept_lines.clear()

    def _sort(self) -> None:
        if self.sort_column:
            self.sort(self.sort_column, key=lambda value: value.sort_key, reverse=self.sort_reverse)

    def _restore_cursor(self, key: str | None) -> None:
        if key is None:
            return
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return
        if index != self.cursor_row:
            self.move_cursor(row=index, scroll=False)
