"""A Static that wraps its lines with a hanging indent.

A details pane is narrow (at 80 columns, about 30), so most values wrap. Wrapped
at column 0 a long command or layer step runs under the field names and the
list markers, and the eye loses which field it belongs to. Here a field's value
(``Command   sh -c …``) continues under the value, and a list line (two spaces
in) continues further in than its own start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, VisualType, visualize
from textual.widgets import Static

if TYPE_CHECKING:
    from typing_extensions import Self

# detail_field's labels are this wide; details_pane imports it from here.
LABEL_WIDTH = 10
# Source lines whose wraps are kept (a details pane has thirty; a long command, a few hundred).
MAX_KEPT_WRAPS = 2000


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
    return Text("\n", end="").join(
        piece for line in text.split("\n", allow_blank=True) for piece in wrap_line(line, width, hang)
    )


def wrap_line(line: Text, width: int, hang: int | None = None) -> list[Text]:
    """One line of ``wrap_hanging``: the lines it becomes (an empty one, for a long line of spaces)."""
    if cell_len(line.plain.rstrip(" ")) <= width:
        if cell_len(line.plain) > width:
            line.rstrip()
        return [line]
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
    return pieces or [Text()]


def _lstrip(text: Text) -> Text:
    return text[len(text.plain) - len(text.plain.lstrip(" ")) :]


class HangingText(Static):
    """Shows a ``Text`` wrapped to its width with hanging indents (anything else as Static would).

    ``hang``, if given, is the indent of every wrapped line's rest.

    A wrapped Text is drawn a line at a time, and each line is kept until it
    reads differently: the details pane re-words its times every ten seconds,
    and drawing its thirty lines again each time was most of an idle frame.
    """

    def __init__(self, content: VisualType = "", *, hang: int | None = None, **kwargs) -> None:
        super().__init__(content, **kwargs)
        self._source: VisualType = content
        self._hang = hang
        self._wrapped_at = 0
        self._shown_lines: list[Text] | None = None  # the lines shown, when wrapped to a known width
        self._line_strips: list[Strip | None] = []  # each line drawn, until it changes
        self._wraps: dict[tuple, list[Text]] = {}  # a source line -> its wrapped lines, at _wrapped_at
        self._repaint_only: list[Region] | None = None
        self._keep_height = False

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

    def update(self, content: VisualType = "", *, layout: bool = True, keep_height: bool = False) -> None:
        """Show ``content``; ``keep_height``: a shorter text is drawn over blank lines to the height
        shown, so that a text standing in for a moment (its facts on their way) costs no layout."""
        self._source = content
        self._keep_height = keep_height
        self._show_wrapped(layout)

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:
        # A leaf that never scrolls: its new virtual size is its size, which
        # the layout that gave it is already using. Textual would lay the
        # whole screen out a second time for it (virtual_size has layout=True).
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    def on_resize(self, event: Resize) -> None:
        # A new height alone (after a new text) needs no new wrap.
        if self.content_region.width != self._wrapped_at:
            self._keep_height = False  # the height kept was the old width's
            self._show_wrapped(layout=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_strips = [None] * len(self._line_strips)

    def _show_wrapped(self, layout: bool) -> None:
        lines = self._wrapped_lines()
        shown = self._shown_lines
        if self._keep_height and lines is not None and shown is not None and len(lines) < len(shown):
            lines += [Text()] * (len(shown) - len(lines))
        wrapped = self._source if lines is None else Text("\n", end="").join(lines)
        self._shown_lines = lines
        same_height = shown is not None and len(lines or ()) == len(shown) == self.content_size.height
        if lines is not None and same_height and self.is_mounted:
            # The same height, as laid out: no layout, and only the lines that read differently are drawn
            # again. (After a narrower resize Textual sized the old wrap, which may be taller: laid out again.)
            # Text's == leaves out its base style (the dim "Nothing selected"): compared too.
            changed = [y for y, (new, old) in enumerate(zip(lines, shown)) if new != old or new.style != old.style]
            for y in changed:
                self._line_strips[y] = None
            width = self.content_region.width
            self._repaint_only = [Region(0, y, width, 1) for y in changed]
            try:
                super().update(wrapped, layout=False)
            finally:
                self._repaint_only = None
            return
        self._line_strips = [None] * len(lines or ())
        super().update(wrapped, layout=layout)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        only = self._repaint_only
        if only is not None and not (regions or layout or recompose):
            # Static.update asks for the whole widget; the lines that changed will do.
            return super().refresh(*only, repaint=repaint) if only else self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def render_line(self, y: int) -> Strip:
        lines = self._shown_lines
        width = self.size.width
        if lines is None or width != self._wrapped_at or self.text_selection is not None:
            # Not wrapped here, or a selection (drawn across lines): Static draws it whole.
            return super().render_line(y)
        if not 0 <= y < len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        strip = self._line_strips[y]
        if strip is None:
            drawn = Visual.to_strips(self, visualize(self, lines[y]), width, 1, self.visual_style)
            strip = self._line_strips[y] = drawn[0] if drawn else Strip.blank(width, self.visual_style.rich_style)
        return strip

    def _wrapped_lines(self) -> list[Text] | None:
        """The source's lines wrapped to the width (None: not a Text, or no width yet).

        Each source line's wrap is kept while the width stays: re-worded
        details change a line or two of thirty.
        """
        width = self.content_region.width if self.is_mounted else 0
        if width != self._wrapped_at or len(self._wraps) > MAX_KEPT_WRAPS:
            self._wraps.clear()
        self._wrapped_at = width
        if not isinstance(self._source, Text) or width <= 0:
            return None
        lines: list[Text] = []
        # allow_blank: a last empty line is a line, as Static draws it.
        for line in self._source.split("\n", allow_blank=True):
            key = (line.plain, tuple(line.spans), line.style)
            pieces = self._wraps.get(key)
            if pieces is None:
                pieces = self._wraps[key] = wrap_line(line, width, self._hang)
            lines += pieces
        return lines
