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
    # A field line starts with its label in bold, padded to LABEL_WIDTH (or,
    # for a longer label, followed by one space).
    for span in line.spans:
        if span.start == 0 and span.end >= LABEL_WIDTH and len(plain) > span.end and plain[span.end - 1] == " ":
            return span.end
    return 0


def break_offsets(plain: str, width: int, next_width: int | None = None) -> list[int]:
    """Where greedy word wrap cuts ``plain`` into lines of at most ``width`` cells.

    A cut falls after a space, and the spaces at a cut start no line. A word
    wider than the next line (``next_width``, default ``width``) would not fit
    there either, so it is cut where this one fills.
    """
    next_width = width if next_width is None else next_width
    offsets: list[int] = []
    start, used, last_space, index = 0, 0, -1, 0
    while index < len(plain):
        char = plain[index]
        char_cells = cell_len(char)
        if used + char_cells > width and index > start:
            if char != " " and last_space >= start and _word_cells(plain, last_space + 1) <= next_width:
                cut = last_space + 1
            else:
                cut = index
            offsets.append(cut)
            start = cut
            while start < len(plain) and plain[start] == " ":
                start += 1
            used, last_space = cell_len(plain[start:index]), -1
            # The character at index is looked at again, as part of the new line.
            index = max(index, start)
            continue
        used += char_cells
        if char == " ":
            last_space = index
        index += 1
    return offsets


def _word_cells(plain: str, start: int) -> int:
    end = plain.find(" ", start)
    return cell_len(plain[start:] if end < 0 else plain[start:end])


def wrap_hanging(text: Text, width: int, hang: int | None = None) -> Text:
    """``text`` cut into lines no wider than ``width``, each line's rest under its hang.

    ``hang`` sets one indent for every line instead of working it out per line.
    """
    out = Text(end="")
    for number, line in enumerate(text.split("\n", allow_blank=True)):
        if number:
            out.append("\n")
        if cell_len(line.plain.rstrip(" ")) <= width:
            if cell_len(line.plain) > width:
                line.rstrip()
            out.append_text(line)
            continue
        line_hang = hang_of(line) if hang is None else hang
        if line_hang * 2 > width:
            line_hang = 0
        first_cut = (break_offsets(line.plain, width, width - line_hang) or [len(line)])[0]
        first, rest = line[:first_cut], _lstrip(line[first_cut:])
        first.rstrip()
        pieces = [first] if first.plain.strip() else []
        for piece in rest.divide(break_offsets(rest.plain, width - line_hang)):
            piece = _lstrip(piece)
            piece.rstrip()
            if piece.plain:
                pieces.append(Text.assemble(" " * line_hang, piece))
        out.append_text(Text("\n").join(pieces))
    return out


def _lstrip(text: Text) -> Text:
    return text[len(text.plain) - len(text.plain.lstrip(" ")) :]


class HangingText(Static):
    """Shows a ``Text`` wrapped to its width with hanging indents (anything else as Static would).

    ``hang``, if given, is the indent of every wrapped line's rest.
    """

    def __init__(self, content: VisualType = "", *, hang: int | None = None, **kwargs) -> None:
        super().__init__(content, **kwargs)
        self._source: VisualType = content
        self._hang = hang
        self._wrapped_at = 0
        self._lines = -1  # lines shown, when wrapped to a known width

    @property
    def source(self) -> VisualType:
        """What was given, before wrapping: one line per field, for reading back whole."""
        return self._source

    @property
    def content(self) -> VisualType:
        return self._source

    @content.setter
    def content(self, content: VisualType) -> None:
        self.update(content)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._source = content
        self._show_wrapped(layout)

    def on_resize(self, event: Resize) -> None:
        # A new height alone (after a new text) needs no new wrap.
        if self.content_region.width != self._wrapped_at:
            self._show_wrapped(layout=True)

    def _show_wrapped(self, layout: bool) -> None:
        wrapped = self._wrapped()
        lines = wrapped.plain.count("\n") if isinstance(wrapped, Text) and self._wrapped_at else -1
        # The height is the number of lines: while it stays, the screen need not
        # be laid out again (the details re-word their times every second).
        super().update(wrapped, layout=layout and (lines < 0 or lines != self._lines))
        self._lines = lines

    def _wrapped(self) -> VisualType:
        width = self.content_region.width if self.is_mounted else 0
        self._wrapped_at = width
        if not isinstance(self._source, Text) or width <= 0:
            return self._source
        return wrap_hanging(self._source, width, self._hang)
