"""Many one-line items, drawn only where they show.

A confirmation listing 1,000 containers composed a Static per container, and
one Static holding them all still rendered every line on each frame: seconds
either way. This draws the rows in view and scrolls itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LineList(ScrollView):
    """One line per item, never wrapped; as tall as its lines, up to its max-height."""

    DEFAULT_CSS = """
    LineList {
        height: auto;
    }
    """

    def __init__(self, lines: Iterable[Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = list(lines)
        self._strips: dict[int, Strip] = {}
        self._measure()

    def line(self, index: int) -> Text:
        return self._lines[index]

    @property
    def plain(self) -> str:
        """Every line's text, one per line."""
        return "\n".join(text.plain for text in self._lines)

    def set_lines(self, changes: Mapping[int, Text]) -> None:
        for index, text in changes.items():
            self._lines[index] = text
            self._strips.pop(index, None)
        self._measure()
        self.refresh()

    def _measure(self) -> None:
        width = max((text.cell_len for text in self._lines), default=0)
        self.virtual_size = Size(width, len(self._lines))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            text = self._lines[index].copy()
            text.end = ""
            strip = self._strips[index] = Strip(list(text.render(self.app.console)))
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width).apply_style(base)
