"""Cell and line renders a KeyedTable keeps across re-sorts, additions and removals.

DataTable (textual 8) keys its render caches on ``_update_count``, which
add_row, remove_row and sort all bump, and bakes each cell's row index
(mouse metadata) and zebra stripe into the cached render. So a new
container, which sorts in at the top and moves every row below it down
by one, sent every visible cell through Rich again, which was most of the
time a new row took to show. A moved row does look different (stripe, row
index), so those caches cannot be kept.

Instead each cell (header and row labels too) is rendered once with no
row style, and kept by row key, column key, width and cursor/hover
state; at paint time the row's style goes under it and its row index on
top. Style addition is associative, so the result equals DataTable's
own render (tests/unit/test_keyed_table_render.py checks). A kept render
is used only for the very cell object it was made from, and every
change writes a new object (set_cells, add_row, a new label), so a
changed cell is never served stale.

Whole body lines are kept the same way (``_render_line``), by row key,
stripe parity, cursor and hover on the row, and the cell objects shown.
For that, body cells carry the row's key in their mouse metadata, not
its index (which a re-sort changes), and the mouse handlers below turn
it back into the index DataTable expects. A new row then costs one
rendered line, and the rows it pushes down are served from here (the
other stripe parity is kept too, so rows moving back and forth hit).
DataTable's own caches, whose keys all carry the update count, are
emptied once it moves on (none of their entries can be hit again), and a
removed row's kept renders go with it: a long session of containers coming
and going holds no renders of rows that are gone.

This relies on DataTable internals (``_render_cell``, ``_render_line``,
``_render_line_in_row``, ``_clear_caches``, its cache attributes, mouse metadata); textual is
pinned below 9 for it.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import DataTable

# Rendered body cells and lines kept across re-sorts (see KeptRenders._render_cell).
CELL_CACHE_SIZE = 5000
LINE_CACHE_SIZE = 600
PURGE_SECONDS = 1.0


class KeptRenders(DataTable):
    """DataTable's rendering, with renders kept by row key rather than by update count."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before DataTable's __init__, whose reactive watchers clear caches.
        # Each kept cell: (the cell object, its render, that render painted by (row style, slot, column)).
        self._cell_cache: LRUCache[tuple, tuple[object, list[list[Segment]], dict]] = LRUCache(CELL_CACHE_SIZE)
        self._kept_lines: LRUCache[tuple, tuple[tuple[object, ...], Strip]] = LRUCache(LINE_CACHE_SIZE)
        self._caches_count = 0  # the _update_count DataTable's own caches were filled under
        self._slots: dict[str, int] = {}  # row key -> the number mouse metadata names it by
        self._slot_keys: dict[int, str] = {}
        self._free_slots: list[int] = []  # a heap: the smallest comes back first
        self._gone_rows: set[str] = set()  # removed, their renders not yet dropped
        self._purge_timer: Timer | None = None
        super().__init__(*args, **kwargs)

    def _slot(self, row_key: str) -> int:
        """A small number for this row, given to another row once it is gone.

        Mouse metadata names the row by it. The row's key would do, but then
        every row ever shown gives its cells styles of their own, and the
        caches keyed by style (Rich's and Textual's, thousands of entries each)
        fill with rows long gone; numbers that come back bound them by the
        table's size instead.
        """
        slot = self._slots.get(row_key)
        if slot is None:
            # With no free number, 0 .. len - 1 are all taken.
            slot = heapq.heappop(self._free_slots) if self._free_slots else len(self._slots)
            self._slots[row_key] = slot
            self._slot_keys[slot] = row_key
        return slot

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
            if row_index != -1 and isinstance(value, Text) and width > 2 * self.cell_padding:
                lines = [self._text_cell_line(value, column_key is None, width, cursor, hover)]
            else:
                # DataTable's own render under no row style, less the row index in
                # its mouse metadata: the row's number goes on at paint time.
                lines = super()._render_cell(row_index, column_index, Style.null(), width, cursor, hover)
                lines = [[Segment(text, style.clear_meta_and_links() if style else style, control)
                          for text, style, control in line] for line in lines]
            cached = (value, lines, {})
            self._cell_cache[key] = cached
        slot = -1 if row_index == -1 else self._slot(row_key.value)
        # The same cell under the same row style and metadata: a row that moved
        # and came back, or a line drawn again; the style sums are not cheap.
        painted = cached[2].get((base_style, slot, column_index))
        if painted is None:
            meta = {"row": -1, "column": column_index} if slot == -1 else {"row_slot": slot, "column": column_index}
            position = Style.from_meta(meta)
            painted = cached[2][base_style, slot, column_index] = [
                [Segment(text, None if control else base_style + style + position, control)
                 for text, style, control in line]
                for line in cached[1]
            ]
        return painted

    def _text_cell_line(self, text: Text, is_label: bool, width: int, cursor: bool, hover: bool) -> list[Segment]:
        """What DataTable._render_cell makes of a one-line Text body cell, with no row style.

        DataTable renders it as Styled(Padding(text, (0, padding))) through
        Rich; here the text alone goes through Rich (its cropping, tabs and
        overflow stay Rich's) and the padding and the cell's styles are put
        around it as Padding and Styled do, for a third of the cost.
        tests/unit/test_keyed_table_render.py checks the result is the same.
        """
        padding = self.cell_padding
        pre_style, post_style = self._get_styles_to_render_cell(
            False, is_label, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )
        console = self.app.console
        options = self.app.console_options.update_dimensions(width - 2 * padding, 1).update(no_wrap=True)
        pad_style = console.get_style("none")  # Padding's own style
        (inner,) = console.render_lines(text, options, style=pad_style, pad=True)
        line = [Segment(" " * padding, pad_style), *inner, Segment(" " * padding, pad_style)] if padding else inner
        styled = []
        for segment_text, style, control in line:
            if control:
                style = None
            else:
                style = pre_style + style
                if post_style:
                    style += post_style
            styled.append(Segment(segment_text, style, control))
        return styled

    def _render_line_in_row(
        self, row_key: Any, line_no: int, base_style: Style, cursor_location: Any, hover_location: Any
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        fixed, scrollable = super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        if row_key is self._header_row_key or not scrollable or len(scrollable[-1]) != 1:
            return fixed, scrollable
        # The padding right of the last column: its metadata names the row by its number too.
        (padding,) = scrollable[-1]
        style = (padding.style or Style.null()).clear_meta_and_links()
        style += Style.from_meta({"row_slot": self._slot(row_key.value), "column": 0, "out_of_bounds": True})
        return fixed, [*scrollable[:-1], [Segment(padding.text, style)]]

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        if self._caches_count != self._update_count:
            self._drop_dead_renders()
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
        key = self._slot_keys.get(event.style.meta.get("row_slot", -1))
        if key is not None and key in self.rows:
            event.style = event.style + Style.from_meta({"row": self.get_row_index(key)})

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._row_from_key(event)

    def _on_click(self, event: events.Click) -> None:
        self._row_from_key(event)

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        # DataTable works the stripe's style out again for every line drawn,
        # a walk up the DOM; Textual keeps it until the next refresh instead.
        if row_index >= self.fixed_rows and self.zebra_stripes:
            return self.get_component_rich_style("datatable--odd-row" if row_index % 2 else "datatable--even-row")
        return super()._get_row_style(row_index, base_style)

    def _drop_dead_renders(self) -> None:
        for cache in (self._cell_render_cache, self._row_render_cache, self._line_cache, self._row_renderable_cache):
            cache.clear()
        self._caches_count = self._update_count

    def forget_renders(self, row_keys: Collection[str]) -> None:
        """Drop what is kept for these rows, which are gone from the table: within a second,
        so that a thousand rows going in a hundred batches cost a few looks through the caches."""
        self._gone_rows.update(row_keys)
        if not self.is_attached:
            self.purge_gone_rows()
        elif self._purge_timer is None:
            self._purge_timer = self.set_timer(PURGE_SECONDS, self.purge_gone_rows)

    def purge_gone_rows(self) -> None:
        self._purge_timer = None
        gone = {key for key in self._gone_rows if key not in self.rows}  # some may be back (a filter)
        self._gone_rows.clear()
        for cache in (self._cell_cache, self._kept_lines):
            for key in [key for key in cache.keys() if getattr(key[0], "value", None) in gone]:
                cache.discard(key)
        # A row's number is given out again only now that no kept line carries it.
        for row_key in gone:
            slot = self._slots.pop(row_key, None)
            if slot is not None:
                del self._slot_keys[slot]
                heapq.heappush(self._free_slots, slot)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._cell_cache.clear()
        self._kept_lines.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cell_cache.clear()
        self._kept_lines.clear()

