"""A fast, bounded log viewer built on Textual's line API.

Only the rows on screen are ever rendered, so following a container that
prints tens of thousands of lines a second costs little more than storing
them. Lines keep their ANSI colours (rendered, never garbled); every other
escape or control sequence is removed first, so a log cannot move the
cursor or clear the terminal, and no line is ever parsed as markup.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left, bisect_right
from collections import OrderedDict, deque
from collections.abc import Iterable
from itertools import accumulate
from operator import attrgetter

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dockertui.backend.logs import LogLine
from dockertui.formatting import safe_text
from dockertui.widgets.theme_roles import MATCH, SOURCES, STDERR, ThemeRoles

# Everything but SGR (colour) sequences, plus C0/C1 controls except tab.
_NON_SGR_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-ln-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b(?!\[)|\x1b\[[0-?]*[ -/]*$"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]")
_TIMESTAMP_STYLE = Style(dim=True)
_RENDER_CACHE_SIZE = 1024
_TEXT, _SOURCE = attrgetter("text"), attrgetter("source")


def _matches(pattern: re.Pattern[str], line: LogLine) -> bool:
    """A filter matches the text, or the container (or task) a merged log names the line by."""
    return pattern.search(line.text) is not None or (bool(line.source) and pattern.search(line.source) is not None)


def source_role(source: str) -> str:
    """One colour per writer (a service's task), steady across runs, as ``docker compose logs`` does."""
    return SOURCES[zlib.crc32(source.encode()) % len(SOURCES)]


def renderable_line(raw: str) -> Text:
    """A log line as Text: colours kept, other escapes and controls dropped."""
    text = _CONTROLS.sub("", _NON_SGR_ESCAPES.sub("", raw.expandtabs(8)))
    if "\x1b" not in text:
        return Text(text, end="")
    rendered = Text.from_ansi(text, end="")
    if "\x1b" in rendered.plain:
        # A sequence the decoder did not take: show the words, drop the codes.
        return Text(re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]?", "", text), end="")
    return rendered


def plain_line(raw: str) -> str:
    """A log line with every escape sequence removed (for search and saving)."""
    return renderable_line(raw).plain


def short_timestamp(stamp: str) -> str:
    """``2026-11-29T02:04:12.412221873Z`` -> ``11-29 02:04:12.412``."""
    if len(stamp) < 23:
        return stamp
    return f"{stamp[5:10]} {stamp[11:23]}"


class LogView(ThemeRoles, ScrollView, can_focus=True):
    """Holds at most ``max_lines`` lines; follows the end until scrolled up."""

    DEFAULT_CSS = """
    LogView {
        background: $surface;
        scrollbar-gutter: stable;
    }
    """

    class LiveRequested(Message):
        """End was pressed while already following: the pane may skip a backlog."""

    class FollowChanged(Message):
        """Following the end was paused or resumed; ``unseen`` lines arrived meanwhile."""

        def __init__(self, following: bool, unseen: int) -> None:
            super().__init__()
            self.following = following
            self.unseen = unseen

    def __init__(self, max_lines: int = 10_000, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.max_lines = max_lines
        self._lines: deque[LogLine] = deque(maxlen=max_lines)
        self._first_seq = 0  # sequence number of self._lines[0]
        self._widest = 0
        self.show_timestamps = False
        self.wrap = False
        self.following = True
        self.unseen = 0
        self.received = 0  # every line ever appended, kept or not
        self._search: re.Pattern[str] | None = None
        self._filter: re.Pattern[str] | None = None
        self._shown: list[int] | None = None  # sequence numbers matching the filter
        self._row_ends: list[int] | None = None  # wrap mode: cumulative rows per shown line
        self._cache: OrderedDict[tuple[int, bool, int], Strip] = OrderedDict()
        self._cache_key_search = 0
        # Rows as drawn (cropped, padded, styled), by (seq, part); valid while
        # _rows_drawn_for holds. Following a flood moves rows up a frame at a
        # time: only the new ones at the bottom are drawn again.
        self._rows_drawn: dict[tuple[int, int], Strip] = {}
        self._rows_drawn_for: tuple = ()
        self._frame_style = Style()

    # ----------------------------------------------------------------- data

    @property
    def searching(self) -> bool:
        return self._search is not None

    @property
    def filtering(self) -> bool:
        return self._filter is not None

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def lines(self) -> list[LogLine]:
        """The lines that are shown (the filter applied), oldest first."""
        return [self._line(seq) for seq in self._shown_seqs()]

    def clear(self) -> None:
        self._lines.clear()
        self.received = 0
        self._first_seq = 0
        self._widest = 0
        self._shown = [] if self._filter else None
        self._cache.clear()
        self._rows_drawn = {}
        self.unseen = 0
        self._set_following(True)
        self._layout_changed()

    def append(self, lines: Iterable[LogLine], received: int | None = None) -> None:
        """Add a batch of lines; the oldest beyond ``max_lines`` are dropped.

        ``received`` counts lines that arrived, when more came than are passed.
        """
        lines = list(lines)
        if not lines:
            return
        self.received += max(received or 0, len(lines))
        next_seq = self._first_seq + len(self._lines)
        overflow = max(0, len(self._lines) + len(lines) - self.max_lines)
        if len(lines) > self.max_lines:
            dropped_new = len(lines) - self.max_lines
            lines = lines[dropped_new:]
            next_seq += dropped_new
        self._lines.extend(lines)
        self._first_seq += overflow
        if overflow and not self.following and not self.wrap and self._shown is None:
            # Keep the paused view on the same lines as old ones drop off the top.
            self.scroll_to(y=max(0, self.scroll_y - overflow), animate=False, immediate=True)
        if any(map(_SOURCE, lines)):
            widest = max(len(line.text) + len(line.source) for line in lines)
        else:  # one stream's lines (most of them, and every flood): no Python per line
            widest = max(map(len, map(_TEXT, lines)))
        self._widest = max(self._widest, widest + 23)
        if self._filter is not None and self._shown is not None:
            self._shown.extend(
                seq for seq, line in enumerate(lines, next_seq) if _matches(self._filter, line)
            )
            del self._shown[: bisect_left(self._shown, self._first_seq)]
        if not self.following:
            self.unseen += len(lines)
        self._layout_changed()
        self._follow_end()

    # -------------------------------------------------------- view options

    def set_timestamps(self, show: bool) -> None:
        self.show_timestamps = show
        self._layout_changed(flush_cache=True)

    def set_wrap(self, wrap: bool) -> None:
        self.wrap = wrap
        self.scroll_to(x=0, animate=False)
        self._layout_changed(flush_cache=True)

    def set_search(self, pattern: re.Pattern[str] | None) -> None:
        self._search = pattern
        self._layout_changed(flush_cache=True)

    def set_filter(self, pattern: re.Pattern[str] | None) -> None:
        """Show only lines matching ``pattern`` (None shows all)."""
        self._filter = pattern
        if pattern is None:
            self._shown = None
        else:
            self._shown = [
                seq for seq, line in enumerate(self._lines, self._first_seq) if _matches(pattern, line)
            ]
        self._layout_changed(flush_cache=True)
        self._follow_end()

    def resume_following(self) -> None:
        self.unseen = 0
        self._set_following(True)
        self._follow_end()

    def action_scroll_end(self) -> None:
        """End follows again: a plain scroll to the end never catches a log that keeps growing."""
        was_following = self.following
        self.resume_following()
        if was_following:
            self.post_message(self.LiveRequested())

    def find(self, forward: bool = True) -> bool:
        """Scroll to the next (or previous) line matching the search; False if none."""
        if self._search is None:
            return False
        seqs = self._shown_seqs()
        if not seqs:
            return False
        anchor_row = int(self.scroll_y) + (self.size.height // 2)
        current = self._row_to_index(anchor_row)
        order = range(current + 1, len(seqs)) if forward else range(current - 1, -1, -1)
        for index in order:
            if self._search.search(self._line(seqs[index]).text):
                self._set_following(False)
                row = self._index_to_row(index)
                self.scroll_to(y=max(0, row - self.size.height // 2), animate=False)
                return True
        return False

    # -------------------------------------------------------------- layout

    def _line(self, seq: int) -> LogLine:
        return self._lines[seq - self._first_seq]

    def _shown_seqs(self) -> list[int] | range:
        if self._shown is not None:
            return self._shown
        return range(self._first_seq, self._first_seq + len(self._lines))

    def _prefix_width(self) -> int:
        return 19 if self.show_timestamps else 0

    def _layout_changed(self, flush_cache: bool = False) -> None:
        if flush_cache:
            self._cache.clear()
            self._rows_drawn = {}
        self._row_ends = None
        width = self.scrollable_content_region.width or 80
        if self.wrap:
            self.virtual_size = Size(width, self._total_rows(width))
        else:
            self.virtual_size = Size(self._widest + self._prefix_width(), len(self._shown_seqs()))
        self.refresh()

    def restyle(self) -> None:
        self._layout_changed(flush_cache=True)

    def on_resize(self) -> None:
        self._layout_changed()
        if self.following:
            # A new size clamps the scroll position before the new virtual size
            # is laid out; the end is found again once it is.
            self.call_after_refresh(self._follow_end)

    def _follow_end(self) -> None:
        """If following, show the end now.

        force: Textual ignores a scroll while it still thinks the content
        fits (no scrollbar yet), which is so right after a short log was
        shown; max_scroll_y, which the end is clamped to, is already right.
        """
        if self.following:
            self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)

    def _rows_per_line(self, width: int) -> list[int]:
        prefix = self._prefix_width() + 1
        rows = []
        for seq in self._shown_seqs():
            line = self._line(seq)
            length = len(line.text) + prefix + (len(line.source) + 3 if line.source else 0)
            rows.append(max(1, -(-length // width)))
        return rows

    def _total_rows(self, width: int) -> int:
        self._row_ends = list(accumulate(self._rows_per_line(max(1, width))))
        return self._row_ends[-1] if self._row_ends else 0

    def _row_to_index(self, row: int) -> int:
        """Index into the shown lines of the line drawn at ``row``."""
        if not self.wrap:
            return row
        if self._row_ends is None:
            self._total_rows(self.scrollable_content_region.width)
        return bisect_right(self._row_ends or [], row)

    def _index_to_row(self, index: int) -> int:
        if not self.wrap:
            return index
        if self._row_ends is None:
            self._total_rows(self.scrollable_content_region.width)
        return self._row_ends[index - 1] if index > 0 and self._row_ends else 0

    # ------------------------------------------------------------- render

    def _full_strip(self, seq: int) -> Strip:
        key = (seq, self.show_timestamps, id(self._search))
        strip = self._cache.get(key)
        if strip is not None:
            self._cache.move_to_end(key)
            return strip
        line = self._line(seq)
        text = Text(end="", no_wrap=True)
        stderr = self.role_style(STDERR) if line.stream == "stderr" else None
        if self.show_timestamps:
            text.append(f"{short_timestamp(line.timestamp):<18} ", _TIMESTAMP_STYLE)
        text.append("▌" if stderr else " ", stderr or _TIMESTAMP_STYLE)
        if line.source:
            text.append_text(safe_text(f"{line.source} | ", style=self.role_style(source_role(line.source))))
        body = renderable_line(line.text)
        if stderr:
            body.stylize(stderr)
        if self._search is not None:
            body.highlight_regex(self._search, self.role_style(MATCH))
        text.append_text(body)
        segments = list(text.render(self.app.console))
        strip = Strip(segments)
        self._cache[key] = strip
        if len(self._cache) > _RENDER_CACHE_SIZE:
            self._cache.popitem(last=False)
        return strip

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style walks its ancestors: once per frame, not per row.
        self._frame_style = self.rich_style
        scroll_x = self.scroll_offset.x
        drawn_for = (scroll_x, self.scrollable_content_region.width, self._frame_style, self.show_timestamps,
                     id(self._search), self.wrap)
        if drawn_for != self._rows_drawn_for or len(self._rows_drawn) > 4 * max(1, self.size.height):
            self._rows_drawn = {}
            self._rows_drawn_for = drawn_for
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row = scroll_y + y
        seqs = self._shown_seqs()
        base = self._frame_style
        if not self.wrap:
            if row >= len(seqs):
                return Strip.blank(width, base)
            seq, part = seqs[row], 0
        else:
            index = self._row_to_index(row)
            if index >= len(seqs):
                return Strip.blank(width, base)
            seq, part = seqs[index], row - self._index_to_row(index)
        strip = self._rows_drawn.get((seq, part))
        if strip is None:
            strip = self._plain_row(seq, scroll_x, width, base) if not part else None
            if strip is None:
                start = scroll_x if not self.wrap else part * width
                strip = self._full_strip(seq).crop(start, start + width).extend_cell_length(width).apply_style(base)
            self._rows_drawn[(seq, part)] = strip
        return strip

    def _plain_row(self, seq: int, scroll_x: int, width: int, base: Style) -> Strip | None:
        """The row of a line with nothing to style, made directly; None if it needs _full_strip.

        Most of a flood is printable ASCII on stdout (a cell a character), and
        every row of it is new on every frame: building it as Text and
        rendering that is most of a frame's cost.
        """
        line = self._line(seq)
        text = line.text
        if (width < 2 or self.show_timestamps or self._search is not None or line.source or line.stream == "stderr"
                or not (text.isascii() and text.isprintable())):
            return None
        cells = (" " + text)[scroll_x : scroll_x + width]
        if scroll_x:
            segments = [Segment(cells.ljust(width), base)]
        else:
            segments = [Segment(" ", base + _TIMESTAMP_STYLE), Segment(cells[1:].ljust(width - 1), base)]
        return Strip(segments, width)

    # -------------------------------------------------------------- follow

    def _set_following(self, following: bool) -> None:
        if following != self.following:
            self.following = following
            if following:
                self.unseen = 0
            self.post_message(self.FollowChanged(following, self.unseen))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new < old and new < self.max_scroll_y:
            self._set_following(False)
        elif new >= self.max_scroll_y and not self.following:
            self._set_following(True)

