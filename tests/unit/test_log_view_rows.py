"""A plain line's row, made directly, is cell for cell the row the styled path draws (no engine)."""

from __future__ import annotations

from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from dockertui.backend.logs import LogLine
from dockertui.widgets.log_view import LogView


class LogApp(App):
    def compose(self) -> ComposeResult:
        yield LogView()


def _cells(strip: Strip) -> list[tuple[str, Style | None]]:
    return [(character, segment.style) for segment in strip for character in segment.text]


async def test_plain_rows_match_the_styled_path():
    app = LogApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        texts = ["", "x", "a plain line", "y" * 100, "[/foo] [link=http://x]y[/link] [$accent]"]
        view.append([LogLine("stdout", "", text) for text in texts])
        await pilot.pause()
        base = view.rich_style
        for seq, text in enumerate(texts):
            for scroll_x in (0, 1, 3, 50):
                for width in (2, 7, 58):
                    fast = view._plain_row(seq, scroll_x, width, base)
                    assert fast is not None, text
                    full = view._full_strip(seq).crop(scroll_x, scroll_x + width).extend_cell_length(width)
                    assert _cells(fast) == _cells(full.apply_style(base)), (text, scroll_x, width)
                    assert fast.cell_length == width


async def test_lines_with_anything_to_style_take_the_styled_path():
    app = LogApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        view.append([
            LogLine("stdout", "", "\x1b[31mred\x1b[0m"),
            LogLine("stderr", "", "to stderr"),
            LogLine("stdout", "", "tab\there"),
            LogLine("stdout", "", "wide 漢字"),
            LogLine("stdout", "", "named", "web.1"),
        ])
        await pilot.pause()
        for seq in range(5):
            assert view._plain_row(seq, 0, 40, view.rich_style) is None
