"""A following log view shows the end: after a short log, and after the terminal is resized (no engine)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from dockertui.backend.logs import LogLine
from dockertui.widgets.log_view import LogView


def _lines(count: int) -> list[LogLine]:
    return [LogLine("stdout", "", f"line {number}") for number in range(1, count + 1)]


class LogApp(App):
    def compose(self) -> ComposeResult:
        yield LogView()


async def test_a_long_log_after_a_short_one_opens_at_its_end():
    app = LogApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        view.append(_lines(100))
        await pilot.pause()
        view.clear()
        view.append(_lines(1))  # no scrollbar: Textual then ignored the next scroll to the end
        await pilot.pause()
        view.clear()
        await pilot.pause()
        view.append(_lines(100))
        await pilot.pause()
        assert view.following and view.scroll_y == view.max_scroll_y > 0


async def test_a_resize_keeps_a_following_view_at_the_end():
    app = LogApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        view.append(_lines(100))
        await pilot.pause()
        await pilot.resize_terminal(50, 16)
        await pilot.pause()
        assert view.following and view.scroll_y == view.max_scroll_y > 0
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert view.following and view.scroll_y == view.max_scroll_y > 0


async def test_end_resumes_following_while_lines_keep_coming():
    """Scrolled up, the view holds still as old lines drop off the top; End follows again at once."""

    class SmallLogApp(App):
        def compose(self) -> ComposeResult:
            yield LogView(max_lines=120)

    app = SmallLogApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        view.focus()
        view.append(_lines(100))
        await pilot.pause()
        await pilot.press("pageup")
        assert not view.following
        top = view.lines()[int(view.scroll_y)].text
        view.append(_lines(50))  # 30 of the oldest go
        await pilot.pause()
        assert view.lines()[int(view.scroll_y)].text == top and view.unseen == 50
        await view.run_action("scroll_end")  # what End does
        view.append(_lines(10))  # a flood goes on while the view scrolls down
        assert view.following and view.unseen == 0
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y


async def test_rows_drawn_before_a_clear_are_not_shown_after_it():
    """Rows are kept as drawn by sequence number; a clear starts the numbers again."""
    app = LogApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        view.append([LogLine("stdout", "", "before the clear")])
        await pilot.pause()
        assert "before the clear" in view.render_line(0).text
        view.clear()
        view.append([LogLine("stdout", "", "after the clear")])
        await pilot.pause()
        assert "after the clear" in view.render_line(0).text
