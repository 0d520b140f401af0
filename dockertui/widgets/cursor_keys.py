"""The lists' vi-style moves (j, k, g, G), for every table of rows: keyed lists, events, processes."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

CURSOR_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False, id="cursor-down"),
    Binding("k", "cursor_up", "Up", show=False, id="cursor-up"),
    Binding("g", "scroll_top", "Top", show=False, id="cursor-top"),
    Binding("G", "scroll_bottom", "Bottom", show=False, id="cursor-bottom"),
]


class RowTable(DataTable):
    """A plain table moved through with the lists' keys (the context picker's, disk usage's)."""

    BINDINGS = CURSOR_BINDINGS
