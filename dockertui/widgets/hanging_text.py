"""A Static that wraps its lines with a hanging indent.

A details pane is narrow (at 80 columns, about 30), so most values wrap. Wrapped
at column 0 a long command or layer step runs under the field names and the
list markers, and the eye loses which field it belongs to. Here a field's value
(``Command   sh -c …``) continues under the value, and a list line (two spaces
in) continues further in than its own start.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.visual import VisualType
from textual.widgets import Static

# detail_field's labels are this wide; details_pane imports it from here.
LABEL_WIDTH = 10


def hang_of(line: Text) -> int:
    """How far in the wrapped rest of ``line`` goes."""
    plain = line.plain
    leading = len(plain) - len(plain.lstrip(" "))
    if leading:
        return leading + 2
    # A field line starts with its label in bold, padded to LABEL_WIDTH.
    if any(span.start == 0 and span.end == LABEL_WIDTH for span in line.spans) and len(plain) > LABEL_WIDTH:
        return LABEL_WIDTH
    return 0


def break_offsets(plain: str, width: int, next_width: int | None = None) -> list[int]:
    """Where greedy word wrap cuts ``plain`` into lines of at most ``width`` cells.

    A cut falls after a space. A word wider than the next line (``next_width``,
    default ``width``) would not fit there either, so it is cut where this one fills.
    """
    next_width = width if next_width is None else next_width
    offsets: list[int] = []
    start, last_space, used = 0, -1, 0
    for index, char in enumerate(plain):
        char_cells = cell_len(char)
        if used + char_cells > width and index > start:
            if char == " ":
                # The space that overflows ends this line and is dropped with the rest of the run.
                cut = index
            elif last_space >= start and _word_cells(plain, last_space + 1) <= next_width:
                cut = last_space + 1
            else:
                cut = index
            offsets.append(cut)
            start, used = cut, cell_len(plain[cut:index])
            last_space = -1
        used += char_cells
        if char == " ":
            last_space = index
    return offsets


def _word_cells(plain: str, start: int) -> int:
    end = plain.find(" ", start)
    return cell_len(plain[start:] if end < 0 else plain[start:end])


def wrap_hanging(text: Text, width: int) -> Text:
    """``text`` cut into lines no wider than ``width``, each line's rest under its hang."""
    out = Text(end="")
    for number, line in enumerate(text.split("\n", allow_blank=True)):
        if number:
            out.append("\n")
        if cell_len(line.plain) <= width:
            out.append_text(line)
            continue
        hang = hang_of(line)
        if hang * 2 > width:
            hang = 0
        first_cut = (break_offsets(line.plain, width, width - hang) or [len(line)])[0]
        first, rest = line[:first_cut], _lstrip(line[first_cut:])
        first.rstrip()
        out.append_text(first)
        for piece in rest.divide(break_offsets(rest.plain, width - hang)):
            piece = _lstrip(piece)
            piece.rstrip()
            out.append("\n" + " " * hang)
            out.append_text(piece)
    return out


def _lstrip(text: Text) -> Text:
    return text[len(text.plain) - len(text.plain.lstrip(" ")) :]


class HangingText(Static):
    """Shows a ``Text`` wrapped to its width with hanging indents (anything else as Static would)."""

    def __init__(self, content: VisualType = "", **kwargs) -> None:
        super().__init__(content, **kwargs)
        self._source: VisualType = content

    @property
    def source(self) -> VisualType:
        """What was given, before wrapping: one line per field, for reading back whole."""
        return self._source

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._source = content
        super().update(self._wrapped(), layout=layout)

    def on_resize(self, event: Resize) -> None:
        super().update(self._wrapped())

    def _wrapped(self) -> VisualType:
        width = self.content_region.width if self.is_mounted else 0
        if not isinstance(self._source, Text) or width <= 0:
            return self._source
        return wrap_hanging(self._source, width)
