"""Many one-line items, drawn only where they show.

A confirmation listing 1,000 containers composed a Static per container, and
one Static holding them all still rendered every line on each frame: seconds
either way. This draws the rows in view and scrolls itself. Given a
``line_of`` (``LineList.on_demand``), it also makes only the lines it draws:
building a thousand styled Texts was a third of the remove dialog's opening.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Lines:
    """``count`` lines, each made by ``line_of(index)`` when needed; ``width``: the widest's cells, or more."""

    count: int
    line_of: Callable[[int], Text]
    width: int


class LineList(ScrollView):
    """One line per item, never wrapped; as tall as its lines, up to its max-height."""

    DEFAULT_CSS = """
    LineList {
        height: auto;
    }
    """

    def __init__(self, lines: Iterable[Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        given = list(lines)
        self._count = len(given)
        self._line_of: Callable[[int], Text] = given.__getitem__
        self._made: dict[int, Text] = dict(enumerate(given))
        self._strips: dict[int, Strip] = {}
        self._width = max((text.cell_len for text in given), default=0)
        self._measure()

    @classmethod
    def of(cls, items: Iterable[Text] | Lines, *, id: str | None = None) -> LineList:
        """Made lines, or ``Lines`` to make as they are drawn."""
        if isinstance(items, Lines):
            return cls.on_demand(items.count, items.line_of, items.width, id=id)
        return cls(items, id=id)

    @classmethod
    def on_demand(cls, count: int, line_of: Callable[[int], Text], width: int, *, id: str | None = None) -> LineList:
        """``count`` lines, each made by ``line_of(index)`` when first drawn or read.

        ``width``: the widest line's cells (or more), for the horizontal scroll.
        """
        lines = cls((), id=id)
        lines._count = count
        lines._line_of = line_of
        lines._width = width
        lines._measure()
        return lines

    def line(self, index: int) -> Text:
        text = self._made.get(index)
        if text is None:
            text = self._made[index] = self._line_of(index)
        return text

    @property
    def plain(self) -> str:
        """Every line's text, one per line."""
        return "\n".join(self.line(index).plain for index in range(self._count))

    def forget(self, indexes: Iterable[int], width: int = 0) -> None:
        """These lines read differently now: ask ``line_of`` again when they are drawn.

        ``width``: their widest, if that may be wider than any before.
        """
        for index in indexes:
            self._made.pop(index, None)
            self._strips.pop(index, None)
        if width > self._width:
            self._width = width
            self._measure()
        self.refresh()

    def _measure(self) -> None:
        self.virtual_size = Size(self._width, self._count)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._count

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        base = self.rich_style
        if index >= self._count:
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            text = self.line(index).copy()
            text.end = ""
            strip = self._strips[index] = Strip(list(text.render(self.app.console)))
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width).apply_style(base)
