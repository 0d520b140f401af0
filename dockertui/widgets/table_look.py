"""How a LineTable's lines look, and the lines already drawn, kept by row key.

Colours come from the table's component classes (the theme's variables in
its CSS), and are combined as DataTable combines them, so the lists look as
they did: the row's stripe under each cell's own style, the cursor's or the
hover's on top, and the cursor's foreground over the cell's.

A drawn row is kept per look it can have (stripe, cursor, hover) and used
again while every cell it shows is the same object: a changed cell is a new
object (KeyedTable never edits one in place), so nothing stale is served. A
row that moves (a new row sorted in above it) is served from here under its
other stripe. Everything kept goes when the table's own look changes: the
theme, focus, or the widget's width.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

# A LineTable's column: key, label, width and render_width (not imported: line_table imports this).
TableColumn = Any

HEADER = "table--header"
EVEN_ROW = "table--even-row"
ODD_ROW = "table--odd-row"
CURSOR = "table--cursor"
HOVER = "table--hover"
HEADER_CURSOR = "table--header-cursor"  # the label cell of the cursor's row
HEADER_HOVER = "table--header-hover"

_NO_TEXT = Text()
CELL_PADDING = 1  # blank cells each side of a column, as DataTable has
LABEL_WIDTH = 1  # the row label column (a row's mark)

# DataTable's look, by our component classes: the lists looked this way as DataTables.
TABLE_CSS = """
LineTable {
    background: $surface;
    color: $foreground;
    height: auto;
    max-height: 100%;
    &:focus {
        background-tint: $foreground 5%;
        & > .table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .table--header {
            background-tint: $foreground 5%;
        }
    }
    &:dark > .table--even-row {
        background: $surface-darken-1 40%;
    }
    & > .table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    &:ansi > .table--header {
        background: ansi_bright_blue;
        color: ansi_default;
    }
    & > .table--even-row {
        background: $surface-lighten-1 50%;
    }
    & > .table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    & > .table--header-cursor {
        background: $accent-darken-1;
        color: $foreground;
    }
    & > .table--header-hover {
        background: $accent 30%;
    }
    & > .table--hover {
        background: $block-hover-background;
    }
}
"""


class TableLook:
    """Draws a LineTable's header and rows into strips, and keeps them."""

    ROLES = (HEADER, EVEN_ROW, ODD_ROW, CURSOR, HOVER, HEADER_CURSOR, HEADER_HOVER)

    def __init__(self, table: Widget) -> None:
        self._table = table
        self._frame: tuple = ()
        self._styles: dict[str, Style] = {}
        self._base = Style()
        # row key -> (stripe, cursor, hover) -> (the cells drawn, the strip, each cell's segments)
        self._rows: dict[str, dict[tuple[int, bool, bool], tuple[tuple[Text, ...], Strip, list[list[Segment]]]]] = {}
        self._header: dict[bool, Strip] = {}
        # The table's rich_style, read once a frame: it walks every ancestor's styles.
        self.frame_style = Style()

    # ------------------------------------------------------------ keeping

    def begin_frame(self) -> None:
        """Before drawing: forget every kept line if the table's look changed."""
        table = self._table
        self.frame_style = table.rich_style
        frame = (self.frame_style, table.get_pseudo_class_state(), table.size.width, table.app.theme)
        if frame != self._frame:
            self.forget_all()
            self._frame = frame

    def forget_all(self) -> None:
        self._rows.clear()
        self._header.clear()
        self._styles.clear()
        self._frame = ()

    def forget(self, keys: Collection[str]) -> None:
        """These rows are gone: what was drawn of them goes too."""
        for key in keys:
            self._rows.pop(key, None)

    @property
    def kept_keys(self) -> set[str]:
        """The rows something drawn is kept for."""
        return set(self._rows)

    def header_changed(self) -> None:
        self._header.clear()

    def _style(self, role: str) -> Style:
        style = self._styles.get(role)
        if style is None:
            style = self._styles[role] = self._table.get_component_rich_style(role)
        return style

    # ------------------------------------------------------------ drawing

    def header(self, columns: Iterable[TableColumn], hover: bool) -> Strip:
        strip = self._header.get(hover)
        if strip is None:
            columns = list(columns)
            strip = self._header[hover] = self._draw(
                None, [column.label for column in columns], columns, self._style(HEADER), True, False, hover
            )[0]
        return strip

    def row(self, key: str, label: Text, cells: Mapping[str, Text], columns: Iterable[TableColumn], index: int,
            *, cursor: bool, hover: bool) -> Strip:
        columns = list(columns)
        shown = (label, *(cells.get(column.key.value, _NO_TEXT) for column in columns))
        state = (index % 2, cursor, hover)
        kept = self._rows.setdefault(key, {})
        entry = kept.get(state)
        reuse = None
        if entry is not None and len(entry[0]) == len(shown):
            same = [a is b for a, b in zip(entry[0], shown)]
            if all(same):
                return entry[1]
            # Re-worded times change a cell or two: the others are drawn as they were.
            reuse = [segments if kept_cell else None for kept_cell, segments in zip(same[1:], entry[2])]
        table: Any = self._table
        row_style = self._style(ODD_ROW if index % 2 else EVEN_ROW) if table.zebra_stripes else table.rich_style
        strip, cell_segments = self._draw(label, shown[1:], columns, row_style, False, cursor, hover, reuse)
        kept[state] = (shown, strip, cell_segments)
        return strip

    def _draw(self, label: Text | None, cells: Iterable[Text], columns: list[TableColumn], row_style: Style,
              is_header: bool, cursor: bool, hover: bool,
              reuse: list[list[Segment] | None] | None = None) -> tuple[Strip, list[list[Segment]]]:
        """One line: the label cell, the cells, and the row's style out to the widget's edge.

        Also each cell's segments, which ``reuse`` hands back for the cells that did not change.
        """
        table: Any = self._table
        console = table.app.console
        padding = " " * CELL_PADDING
        on_row = Style()
        if hover:
            on_row += self._style(HOVER)
        if cursor:
            on_row += self._style(CURSOR)
        segments: list[Segment] = []
        width = 0
        if table.show_row_labels:
            on_label = on_row
            if hover:
                on_label = self._style(HOVER) + self._style(HEADER_HOVER)
                if cursor:
                    on_label += self._style(CURSOR)
            if cursor:
                on_label += self._style(HEADER_CURSOR)
            pre = self._style(HEADER) + on_label
            post = Style.from_color(on_label.color) if on_label.color else None
            segments += self._cell(label or _NO_TEXT, LABEL_WIDTH, pre, post, padding, console)
            width += LABEL_WIDTH + 2 * CELL_PADDING
        label_hover = is_header and hover
        on_cells = on_row + self._style(HEADER_HOVER) if label_hover else on_row
        pre = row_style + on_cells
        post = Style.from_color(on_cells.color) if on_cells.color else None
        drawn: list[list[Segment]] = []
        for index, (cell, column) in enumerate(zip(cells, columns)):
            kept = reuse[index] if reuse is not None and index < len(reuse) else None
            cell_segments = kept if kept is not None else self._cell(cell, column.width, pre, post, padding, console)
            drawn.append(cell_segments)
            segments += cell_segments
            width += column.render_width
        rest = table.size.width - width
        if rest > 0:
            segments.append(Segment(" " * rest, row_style + on_row))
            width += rest
        return Strip(segments, width), drawn

    @staticmethod
    def _cell(text: Text, width: int, pre: Style, post: Style | None, padding: str, console) -> list[Segment]:
        """A cell as DataTable draws it: padded each side, cropped to its width, on the row's style."""
        piece = text.copy()
        piece.end = ""
        if "\t" in piece.plain:
            piece.expand_tabs()
        piece.truncate(width, overflow=text.overflow if text.overflow == "ellipsis" else "crop")
        gap = max(0, width - cell_len(piece.plain))
        before = gap if text.justify == "right" else gap // 2 if text.justify == "center" else 0
        add = pre.__add__
        out = [Segment(padding + " " * before, pre)]
        gap -= before
        if piece.spans:
            out += [Segment(t, add(s)) for t, s, _ in piece.render(console)]
        elif piece.plain:  # Text.render leaves out the text's own style when it has no spans
            out.append(Segment(piece.plain, add(console.get_style(piece.style)) if piece.style else pre))
        if gap > 0:
            out.append(Segment(" " * gap, pre))
        out.append(Segment(padding, pre))
        if post is not None:
            out = [Segment(t, s + post if s else post) for t, s, _ in out]
        return out
