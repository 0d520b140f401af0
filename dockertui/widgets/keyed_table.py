"""A table whose rows are engine objects, keyed by id, updated by diff, never rebuilt:
a change removes the rows that are gone, updates only the cells that differ and
adds the new rows, in one batch, with the cursor on the same object throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets.data_table import RowDoesNotExist

from dockertui.formatting import Cell, clean, utc_now
from dockertui.list_filter import ListFilter, parse_list_filter_as_typed
from dockertui.widgets.cursor_keys import CURSOR_BINDINGS
from dockertui.widgets.host_column import dimmed, host_cell
from dockertui.widgets.line_table import LineTable
from dockertui.widgets.theme_roles import MARK, ThemeRoles

Item = TypeVar("Item")


@dataclass(frozen=True)
class Column:
    """A fixed-width column: fixed, so an update never re-measures the table."""

    key: str
    label: str
    width: int


Row = Sequence[Cell]
# Every unmarked row's label: one object, not one per row (a LineTable never edits a label in place).
UNMARKED = Text(" ")


def same_cell(old: object, new: Cell) -> bool:
    """Equal text, style and sort order: nothing to redraw."""
    return old == new and getattr(old, "style", None) == new.style and getattr(old, "sort_key", None) == new.sort_key


class KeyedTable(ThemeRoles, LineTable, Generic[Item]):
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

        def __init__(self, table: KeyedTable, item: Any, moved_by_list: bool = False) -> None:
            super().__init__()
            self.table = table
            self.item = item
            # Rows came or went under the cursor, no key moved it: in a bulk
            # remove it lands on one doomed row after another.
            self.moved_by_list = moved_by_list

        @property
        def control(self) -> KeyedTable:
            return self.table

    class MarksChanged(Message):
        """Rows were marked or unmarked (their count shows in the tab's title)."""

        def __init__(self, table: KeyedTable, by_list: bool = False) -> None:
            super().__init__()
            self.table = table
            self.by_list = by_list  # marked rows went from the list (a bulk remove), not the user's keys

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
        show_hosts: bool = False,
        host_width: int = 12,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._now = now
        self.items: dict[str, Item] = {}
        self._reported: Item | None = None
        self._settling = False  # in a batch of row changes (see _one_selection)
        self.marked: set[str] = set()
        self.filter_text = ""
        self.filter_problem = ""  # why the filter typed is not what it looks like (a bad /regex/)
        self._filter: ListFilter | None = None
        self.sort_column = self.SORT_COLUMN
        self.sort_reverse = self.SORT_REVERSE
        # A fleet's lists (several engines) lead with a Host column; see host_column.py.
        self.show_hosts = show_hosts
        self.host_column = Column("host", "Host", host_width)  # as wide as the fleet's longest name
        self.stale_hosts: set[str] = set()
        if show_hosts:
            self.COLUMNS = (self.host_column, *self.COLUMNS)
        for column in self.COLUMNS:
            self.add_column(column.label, width=column.width, key=column.key)

    def row_for(self, item: Item) -> Row:
        raise NotImplementedError

    def cells_of(self, item: Item) -> Row:
        """``row_for``, behind the Host cell in a fleet; dimmed while its engine is away.

        A list of one engine's rows in a fleet (the Swarm screen's) has no Host
        column, but dims them all the same.
        """
        cells = self.row_for(item)
        if not (self.show_hosts or self.stale_hosts):
            return cells
        host = getattr(item, "host", "")
        cells = self.dimmed_if_stale(item, cells)
        return [host_cell(host, host in self.stale_hosts), *cells] if self.show_hosts else cells

    def dimmed_if_stale(self, item: Item, cells: Row) -> Row:
        """Cells of ``item``'s row as ``cells_of`` shows them: dimmed while its engine is away."""
        return dimmed(cells) if getattr(item, "host", "") in self.stale_hosts else cells

    def set_stale(self, host: str, stale: bool) -> None:
        """The engine ``host`` went away (its rows stay, dimmed) or is back."""
        if stale != (host in self.stale_hosts):
            (self.stale_hosts.add if stale else self.stale_hosts.discard)(host)
            self.redraw()

    def load_host(self, host: str, items: Iterable[Item]) -> None:
        """Show exactly ``items`` as engine ``host``'s rows; in a fleet the other engines' rows stay."""
        if self.show_hosts:
            self._keep_top(lambda: self.set_items(self.host_changes(host, items)))
        else:
            self.load(items)

    def _keep_top(self, change: Callable[[], None]) -> None:
        """A cursor on the first row stays there: the engines' lists come in one after another
        at start, and the newest rows (shown first) are not always the first engine's."""
        at_top = self.cursor_row == 0
        change()
        if at_top and self.row_count and self.cursor_row != 0:
            self.move_cursor(row=0)

    def host_changes(self, host: str, items: Iterable[Item]) -> dict[str, Item | None]:
        """The changes that make ``items`` all of engine ``host``'s rows (None: a row that goes)."""
        fresh = {self.key_for(item): item for item in items}
        changes: dict[str, Item | None] = {
            key: None for key, item in self.items.items() if getattr(item, "host", "") == host and key not in fresh
        }
        changes.update(fresh)
        return changes

    # --------------------------------------------------------------- marks

    def targets(self) -> list[Item]:
        """What an action applies to: the marked items, else the one under the cursor."""
        marked = [self.items[key] for key in self.rows_in_order() if key in self.marked]
        if marked:
            return marked
        current = self.current
        return [current] if current is not None else []

    def rows_in_order(self) -> list[str]:
        return self.keys_in_order()

    def _mark_label(self, key: str) -> Text:
        return Text("●", style=self.role_style(MARK)) if key in self.marked else UNMARKED

    def _show_mark(self, key: str) -> None:
        self.set_row_label(key, self._mark_label(key))

    def action_toggle_mark(self) -> None:
        key = self.current_key
        if key is None:
            return
        self.marked ^= {key}
        self._show_mark(key)
        self.post_message(self.MarksChanged(self))
        self.action_cursor_down()

    def action_mark_all(self) -> None:
        """Mark every row shown (a filter narrows what that is)."""
        self.marked |= set(self.rows_in_order())
        for key in self.marked:
            self._show_mark(key)
        self.post_message(self.MarksChanged(self))

    def action_clear_marks(self) -> None:
        cleared, self.marked = self.marked, set()
        for key in cleared:
            self._show_mark(key)
        self.post_message(self.MarksChanged(self))

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
                cells = self.cells_of(item)
                if self.passes_filter(cells, item):
                    rows[key] = cells
        self.replace_rows(rows)
        self.report_current()

    def restyle(self) -> None:
        """The theme changed: cells and marks take its colours."""
        self.redraw()
        for key in self.marked:
            self._show_mark(key)

    def passes_filter(self, cells: Row, item: Item | None = None) -> bool:
        """Whether a row with these cells (of ``item``, for field terms) passes the filter typed with ``/``."""
        if self._filter is None:
            return True
        row_text = " ".join(cell.plain for cell in cells)
        return self._filter.matches(row_text, lambda field: None if item is None else self.field_values(item, field))

    def tab_title(self, name: str) -> str:
        """"Containers (3, /web, 2 marked)": how many rows show, the filter, the marks."""
        notes = [str(self.row_count)]
        if self.filter_text:
            shown = clean(self.filter_text)
            notes.append(f"/{shown if len(shown) <= 12 else shown[:11] + '…'}")
        if self.marked:
            notes.append(f"{len(self.marked)} marked")
        return f"{name} ({', '.join(notes)})"

    def field_values(self, item: Item, field: str) -> Iterable[str] | None:
        """The item's values of ``field`` (status, image, label …) for ``/``; None: no such field here."""
        if field == "host":  # host:web1, in a fleet
            return [getattr(item, "host", "")]
        return None

    def set_filter(self, text: str) -> None:
        """Show only rows matching ``text`` (list_filter.py: words, /regex/, field:value, !negated); "" shows all.

        A regular expression that does not compile is taken as plain text, and ``filter_problem`` says why.
        """
        self.filter_text = text.strip()
        self._filter = parse_list_filter_as_typed(text) if self.filter_text else None
        self.filter_problem = self._filter.problem if self._filter is not None else ""
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
            self.set_column_label(column.key, Text(column.label + arrow))

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
        before = self.current_key
        self._settling = True
        try:
            yield
        finally:
            self._settling = False
        self.report_current(moved_by_list=self.current_key != before)

    def _set_items(self, changes: Mapping[str, Item | None]) -> None:
        keep = self.current_key
        cursor_index = self.cursor_row
        reorder = False
        marked_before = len(self.marked)
        with self.app.batch_update(), self.rows_batch():
            gone = []
            for key, item in changes.items():
                if item is None:
                    self.items.pop(key, None)
                    self.marked.discard(key)
                else:
                    self.items[key] = item
                cells = self.cells_of(item) if item is not None and self.is_shown(item) else None
                if cells is not None and self.passes_filter(cells, item):
                    reorder |= self._put(key, cells)
                elif key in self.rows:
                    gone.append(key)
            self.remove_rows(gone)
            if reorder:
                self._sort()
        if len(self.marked) != marked_before:
            # Once for the batch: a bulk remove of marked rows is a thousand of them.
            self.post_message(self.MarksChanged(self, by_list=True))
        if keep is not None and keep in self.rows:
            self._restore_cursor(keep)
        elif self.row_count:
            self.move_cursor(row=min(cursor_index, self.row_count - 1), scroll=False)

    def report_current(self, moved_by_list: bool = False) -> None:
        """Post CurrentChanged when the item under the cursor is new or changed."""
        current = self.current
        if current != self._reported:
            self._reported = current
            self.post_message(self.CurrentChanged(self, current, moved_by_list))

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self._settling:
            self.report_current()

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        return self.row_key_at(self.cursor_row)

    def replace_rows(self, rows: Mapping[str, Row]) -> None:
        """Make the table show exactly ``rows``, touching only what changed."""
        keep = self.current_key
        with self._one_selection():
            with self.app.batch_update(), self.rows_batch():
                self.remove_rows([key for key in self.keys_in_order() if key not in rows])
                for key, cells in rows.items():
                    self._put(key, cells)
                self._sort()
            self._restore_cursor(keep)

    def _put(self, key: str, cells: Row) -> bool:
        """Returns True when the row is new or its sort value changed."""
        if key not in self.rows:
            self.add_row(*cells, key=key, label=self._mark_label(key))
            return True
        changed, resort = self._changed_cells(key, zip((column.key for column in self.COLUMNS), cells))
        if changed:
            self.set_cells({key: changed})
        return resort

    def _changed_cells(self, key: str, cells: Iterable[tuple[str, Cell]]) -> tuple[dict[str, Cell], bool]:
        """Of ``cells`` (column key, cell) of an existing row, those that differ from the row's,
        and whether its sort value changed."""
        changed = {}
        resort = False
        shown = self.row_cells(key)
        for column, value in cells:
            old = shown.get(column)
            if not same_cell(old, value):
                changed[column] = value
                # New words with the same order ("5 seconds ago", then "6") need no re-sort.
                resort |= column == self.sort_column and getattr(old, "sort_key", None) != value.sort_key
        return changed, resort

    def _sort(self) -> None:
        """By the sort column, ties broken by the first column, so equal keys keep one order."""
        if not self.sort_column:
            return
        tie = self.COLUMNS[0].key
        if self.sort_column == tie:
            self.sort(self.sort_column, key=lambda value: value.sort_key, reverse=self.sort_reverse)
        else:
            self.sort(self.sort_column, tie, key=lambda values: (values[0].sort_key, values[1].sort_key),
                      reverse=self.sort_reverse)

    def _restore_cursor(self, key: str | None) -> None:
        if key is None:
            return
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return
        if index != self.cursor_row:
            self.move_cursor(row=index, scroll=False)
