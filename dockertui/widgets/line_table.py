"""A table of keyed rows drawn a line at a time through Textual's line API, as LogView is.

Only the lines on screen are drawn, each once: a drawn row is kept by its key
until one of its cells is a new object, its look changes (stripe, cursor,
hover) or the table's does (theme, focus, width). So a row that sorts in at
the top costs one line; the rows it pushes down are served from what is kept,
under either stripe. Mouse events are placed by their offset in the table,
not by metadata baked into the drawn segments, so kept lines stay true
whatever moves. The public API is DataTable's, for what the lists use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.data_table import CellDoesNotExist, CellKey, ColumnKey, RowDoesNotExist, RowKey

from dockertui.widgets.steady_scrollbar import repaint_only_when_changed
from dockertui.widgets.table_look import CELL_PADDING, LABEL_WIDTH, TABLE_CSS, TableLook
from dockertui.widgets.table_moves import TableMoves


@dataclass
class TableColumn:
    """A fixed-width column: its width never depends on what it holds."""

    key: ColumnKey
    label: Text
    width: int

    @property
    def render_width(self) -> int:
        return self.width + 2 * CELL_PADDING


@dataclass
class TableRow:
    """A row's key and its label (shown left of the first column)."""

    key: RowKey
    label: Text = field(default_factory=Text)


@dataclass
class TableMessage(Message):
    """From a LineTable, which is its control."""

    table: LineTable

    @property
    def control(self) -> LineTable:
        return self.table


@dataclass
class RowMessage(TableMessage):
    """About the row at ``cursor_row``."""

    cursor_row: int
    row_key: RowKey


class LineTable(TableMoves, ScrollView, can_focus=True):
    """Rows by key, fixed columns, a row cursor, a header; zebra stripes and colours from component classes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(TableLook.ROLES)

    DEFAULT_CSS = TABLE_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "cursor_right", "Cursor right", show=False),
        Binding("left", "cursor_left", "Cursor left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]

    # Always updated, as DataTable's: putting the cursor where it is still tells the watchers.
    cursor_coordinate: reactive[Coordinate] = reactive(Coordinate(0, 0), repaint=False, always_update=True)
    hover_coordinate: reactive[Coordinate] = reactive(Coordinate(0, 0), repaint=False)

    @dataclass
    class RowHighlighted(RowMessage):
        """The cursor moved to a row."""

    @dataclass
    class RowSelected(RowMessage):
        """Enter (or a click on the cursor's row) chose a row."""

    @dataclass
    class HeaderSelected(TableMessage):
        """A column's header was clicked."""

        column_key: ColumnKey
        column_index: int
        label: Text

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: dict[ColumnKey, TableColumn] = {}
        self.rows: dict[RowKey, TableRow] = {}
        self._cells: dict[str, dict[str, Text]] = {}  # row key -> column key -> cell
        self._order: list[RowKey] = []
        self._index: dict[str, int] | None = {}  # row key -> position; None: to be worked out again
        self.show_cursor = True
        self.show_row_labels = True
        self.zebra_stripes = True
        self._hover_shown = False  # the mouse is over the table and was last to move
        self._batch_depth = 0
        self._scroll_when_sized = False  # the cursor is to be shown once the table has a size
        self._rows_stale = False  # rows came or went in a batch: measure at its end
        self._look = TableLook(self)

    # ------------------------------------------------------------ contents

    def add_column(self, label: str | Text, *, width: int, key: str) -> ColumnKey:
        column_key = ColumnKey(key)
        self.columns[column_key] = TableColumn(column_key, Text(label) if isinstance(label, str) else label, width)
        self._layout_changed()
        return column_key

    def add_row(self, *cells: Text, key: str, label: Text | None = None) -> RowKey:
        row_key = RowKey(key)
        self.rows[row_key] = TableRow(row_key, label if label is not None else Text())
        self._cells[key] = dict(zip((column.key.value for column in self.columns.values()), cells))
        if self._index is not None:
            self._index[key] = len(self._order)
        self._order.append(row_key)
        self._rows_changed()
        return row_key

    def remove_rows(self, keys: Iterable[str]) -> None:
        """Remove these rows; the rest are renumbered once, however many go."""
        gone = {key for key in keys if key in self._cells}
        if not gone:
            return
        for key in gone:
            del self.rows[key]  # type: ignore[arg-type]  (a RowKey hashes and compares as its string)
            del self._cells[key]
        self._look.forget(gone)
        self._order = [key for key in self._order if key.value not in gone]
        self._index = None
        self._rows_changed()

    def remove_row(self, key: str) -> None:
        self.remove_rows([key])

    def clear(self, columns: bool = False) -> LineTable:
        """Remove every row (and with ``columns``, every column)."""
        self.rows.clear()
        self._cells.clear()
        self._order.clear()
        self._index = {}
        self._look.forget_all()
        if columns:
            self.columns.clear()
            self._layout_changed()
        self._rows_changed()
        return self

    def set_cells(self, changes: dict[str, dict[str, Text]]) -> None:
        """Write cells of existing rows; only those rows are drawn again, in one refresh."""
        for key, cells in changes.items():
            row = self._cells.get(key)
            if row is not None:
                row.update(cells)
        self.refresh_row_keys(changes)

    def update_cell(self, row_key: str, column_key: str, value: Text) -> None:
        if row_key not in self._cells or column_key not in self.columns:
            raise CellDoesNotExist(f"no cell at {row_key!r}, {column_key!r}")
        self.set_cells({row_key: {column_key: value}})

    def sort(self, *columns: str, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> LineTable:
        """Order the rows by these columns' cells (one cell, or a tuple of them, goes to ``key``); stable."""
        cells = self._cells
        if len(columns) == 1:
            (column,) = columns

            def values(row_key: RowKey) -> Any:
                return cells[row_key.value].get(column)
        else:
            def values(row_key: RowKey) -> Any:
                row = cells[row_key.value]
                return tuple(row.get(column) for column in columns)

        by = values if key is None else (lambda row_key: key(values(row_key)))
        order = sorted(self._order, key=by, reverse=reverse)
        if order != self._order:
            self._order = order
            self._index = None
            self.refresh()
        return self

    def set_row_label(self, key: str, label: Text) -> None:
        row = self.rows.get(key)  # type: ignore[call-overload]
        if row is not None:
            row.label = label
            self.refresh_row_key(key)

    def set_column_label(self, key: str, label: Text) -> None:
        self.columns[key].label = label  # type: ignore[index]
        self._look.header_changed()
        self.refresh_widget_line(0)

    # ------------------------------------------------------------- reading

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def ordered_rows(self) -> list[TableRow]:
        return [self.rows[key] for key in self._order]

    @property
    def ordered_columns(self) -> list[TableColumn]:
        return list(self.columns.values())

    def _positions(self) -> dict[str, int]:
        if self._index is None:
            self._index = {key.value: index for index, key in enumerate(self._order)}
        return self._index

    def get_row_index(self, key: str) -> int:
        index = self._positions().get(str(getattr(key, "value", key)))
        if index is None:
            raise RowDoesNotExist(f"no row {key!r}")
        return index

    def get_cell(self, row_key: str, column_key: str) -> Text:
        try:
            return self._cells[str(getattr(row_key, "value", row_key))][str(getattr(column_key, "value", column_key))]
        except KeyError:
            raise CellDoesNotExist(f"no cell at {row_key!r}, {column_key!r}") from None

    def get_row_at(self, index: int) -> list[Text]:
        if not 0 <= index < len(self._order):
            raise RowDoesNotExist(f"no row at {index}")
        row = self._cells[self._order[index].value]
        return [row.get(column.key.value, Text()) for column in self.columns.values()]

    def row_cells(self, key: str) -> dict[str, Text]:
        """A row's cells by column key (the table's own dict: read, do not write)."""
        return self._cells[key]

    def row_key_at(self, index: int) -> str:
        return self._order[index].value

    def keys_in_order(self) -> list[str]:
        return [key.value for key in self._order]

    def coordinate_to_cell_key(self, coordinate: tuple[int, int]) -> CellKey:
        row, column = coordinate
        if not (0 <= row < len(self._order) and 0 <= column < len(self.columns)):
            raise CellDoesNotExist(f"no cell at {coordinate}")
        return CellKey(self._order[row], list(self.columns)[column])

    @property
    def cursor_row(self) -> int:
        return self.cursor_coordinate.row

    # --------------------------------------------------------------- cursor

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        return Coordinate(max(0, min(value.row, len(self._order) - 1)), max(0, value.column))

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        if old == new:
            return
        self.refresh_widget_line(self._line_of(old.row))
        self.refresh_widget_line(self._line_of(new.row))
        self.scroll_to_cursor()
        if self._order:
            self.post_message(self.RowHighlighted(self, new.row, self._order[new.row]))

    def watch_hover_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        self.refresh_widget_line(self._line_of(old.row))
        self.refresh_widget_line(self._line_of(new.row))

    def move_cursor(self, *, row: int | None = None, column: int | None = None, animate: bool = False,
                    scroll: bool = True) -> None:
        """Put the cursor on ``row``. A cursor that moves is always kept in view;
        ``scroll`` brings it into view even where it stays."""
        self.cursor_coordinate = Coordinate(self.cursor_row if row is None else row, column or 0)
        if scroll:
            self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        """Scroll just enough to show the cursor's row under the header."""
        if not self._order or not self.is_mounted:
            return
        body = self._body_height()
        if body <= 0:
            # Not laid out yet, or in a tab not shown: once it has a size (on_resize).
            # Waiting a refresh at a time would spin for as long as the tab stays hidden.
            self._scroll_when_sized = True
            return
        row, top = self.cursor_row, int(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, force=True, immediate=True)
        elif row >= top + body:
            self.scroll_to(y=row - body + 1, animate=False, force=True, immediate=True)

    # ------------------------------------------------------------- drawing

    def _label_width(self) -> int:
        return LABEL_WIDTH + 2 * CELL_PADDING if self.show_row_labels else 0

    def _layout_changed(self) -> None:
        self._look.forget_all()
        self._resize()
        self.refresh()

    @contextmanager
    def rows_batch(self) -> Iterator[None]:
        """Many rows added or removed: the table is measured and the cursor kept in bounds once, at the end."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth and self._rows_stale:
                self._rows_changed()

    def _rows_changed(self) -> None:
        if self._batch_depth:
            self._rows_stale = True
            return
        self._rows_stale = False
        bounded = self.validate_cursor_coordinate(self.cursor_coordinate)
        if bounded != self.cursor_coordinate:
            self.cursor_coordinate = bounded
        self._resize()
        self.refresh()

    def on_mount(self) -> None:
        repaint_only_when_changed(self.vertical_scrollbar)

    def on_resize(self) -> None:
        if self._scroll_when_sized and self._body_height() > 0:
            self._scroll_when_sized = False
            self.scroll_to_cursor()

    def _resize(self) -> None:
        width = self._label_width() + sum(column.render_width for column in self.columns.values())
        size = Size(width, len(self._order) + 1)
        old = self.virtual_size
        if size == old:
            return
        shown = self.size.height
        if size.width == old.width and shown and min(size.height, old.height) > shown:
            # Rows came or went in a table taller than its box, before and
            # after: only its scrollbar moves. Setting virtual_size would lay
            # out the whole screen again (35 ms a row at 200 containers).
            # _scroll_update still lays out if a scrollbar comes or goes.
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
            return
        self.virtual_size = size

    def refresh_widget_line(self, line: int) -> None:
        """Repaint line ``line`` of the widget as shown (0: the header), if it is in view.

        Not ScrollView.refresh_lines: that counts in the scrolled content, where
        the header does not scroll. A row out of view costs nothing here, which
        matters when a thousand rows change at once.
        """
        self.refresh_widget_lines([line])

    def refresh_widget_lines(self, lines: Iterable[int]) -> None:
        """refresh_widget_line for several lines, in one refresh (each call costs as much as a few lines drawn)."""
        height, width = self.size.height, max(self.virtual_size.width, self.size.width)
        regions = [Region(0, line, width, 1) for line in lines if 0 <= line < height]
        if regions:
            self.refresh(*regions)

    def refresh_row(self, index: int) -> None:
        self.refresh_widget_line(self._line_of(index))

    def refresh_row_key(self, key: str) -> None:
        self.refresh_row_keys([key])

    def refresh_row_keys(self, keys: Iterable[str]) -> None:
        """Repaint these rows, where shown, in one refresh."""
        positions = self._positions()
        self.refresh_widget_lines(self._line_of(positions[key]) for key in keys if key in positions)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look.forget_all()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._look.begin_frame()  # once a frame: what the look depends on is not cheap to read
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        look = self._look
        scroll_x = int(self.scroll_x)
        width = self.size.width
        if y == 0:
            strip = look.header(self.columns.values(), self._hovered_row() == -1)
        else:
            index = int(self.scroll_y) + y - 1
            if not 0 <= index < len(self._order):
                return Strip.blank(width, look.frame_style)
            key = self._order[index].value
            strip = look.row(
                key, self.rows[key].label, self._cells[key], self.columns.values(), index,  # type: ignore[index]
                cursor=self.show_cursor and index == self.cursor_row, hover=self._hovered_row() == index,
            )
        return strip.crop_extend(scroll_x, scroll_x + width, look.frame_style)

    def _hovered_row(self) -> int | None:
        return self.hover_coordinate.row if self._hover_shown and self.show_cursor else None

