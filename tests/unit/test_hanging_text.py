"""Details wrap with hanging indents: values continue under the value, list lines further in."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from dockertui.widgets.details_pane import detail_block, detail_field
from dockertui.widgets.hanging_text import LABEL_WIDTH, HangingText, break_offsets, wrap_hanging


def _lines(text: Text) -> list[str]:
    return text.plain.split("\n")


class ScrollBox(App):
    """A HangingText showing ``first`` in a scroll box (#box), as the details pane has it."""

    def __init__(self, first: Text) -> None:
        super().__init__()
        self._first = first

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="box"):
            yield HangingText(self._first, id="text")


def layouts_asked(text: HangingText) -> list[bool]:
    """From now on, whether each refresh of ``text`` asks for a layout."""
    asked: list[bool] = []
    refresh = text.refresh
    text.refresh = lambda *regions, **options: asked.append(options.get("layout", False)) or refresh(*regions, **options)
    return asked


def test_a_field_value_continues_under_the_value():
    text = detail_field("Command", "sh -c 'while true; do echo hello world; sleep 1; done'")
    lines = _lines(wrap_hanging(text, 30))
    assert lines[0] == "Command   sh -c 'while true;"
    assert all(line.startswith(" " * LABEL_WIDTH) and line[LABEL_WIDTH] != " " for line in lines[1:-1])
    assert wrap_hanging(text, 30).plain.split() == text.plain.split()


def test_a_word_too_long_for_any_line_is_cut_where_the_line_fills():
    text = detail_field("ID", "524e1e28fc4795ce224676395e4c99045a3d3bfcfd68322baa3b821a57a27c72")
    lines = _lines(wrap_hanging(text, 30))
    assert lines[0] == "ID        524e1e28fc4795ce2246"
    assert "".join(line.strip() for line in lines[1:]) == "76395e4c99045a3d3bfcfd68322baa3b821a57a27c72"
    assert all(len(line) <= 30 for line in lines)


def test_a_list_line_continues_two_further_in():
    text = detail_block("Labels", [Text("team=platform and a long value")])
    lines = _lines(wrap_hanging(text, 20))
    assert lines[:2] == ["Labels", "  team=platform and"]
    assert all(line.startswith("    ") and line[4] != " " for line in lines[2:-1])


def test_styles_and_hostile_text_survive_the_wrap():
    text = Text.assemble(("State     ", "bold"), ("[/foo] running [b]x", "green"))
    wrapped = wrap_hanging(text, 16)
    assert "[/foo]" in wrapped.plain and "[b]x" in wrapped.plain
    assert {str(span.style) for span in wrapped.spans} == {"bold", "green"}


def test_short_lines_are_untouched_and_nothing_is_wider_than_the_width():
    text = Text("one\n\n  two\nthree four five six seven eight nine ten")
    assert _lines(wrap_hanging(text, 80)) == _lines(text)
    for width in range(1, 20):
        assert all(cell_len(line) <= width for line in _lines(wrap_hanging(text, width)))


def test_break_offsets_cut_after_spaces_and_fold_long_words():
    assert break_offsets("aaa bbb ccc", 6) == [4, 8]
    assert break_offsets("aaa bbb ccc", 7) == [7]
    assert break_offsets("aaaaaaaaaa", 4) == [4, 8]
    # The word after the space would not fit the next line either: fold here.
    assert break_offsets("ab cdefghij", 5, next_width=3) == [5, 10]


def test_words_that_fill_a_line_exactly_leave_no_blank_lines():
    text = detail_field("Command", "java -cp " + "a" * 20 + " " + "b" * 20 + "   " + "c" * 20 + "      ")
    lines = _lines(wrap_hanging(text, 30))
    assert lines == ["Command   java -cp", " " * 10 + "a" * 20, " " * 10 + "b" * 20, " " * 10 + "c" * 20, ""]


def test_random_text_keeps_its_words_width_and_no_indent_only_lines():
    import random

    rng = random.Random(7)
    alphabet = ["a", "b", " ", " ", "  ", "语", "x" * 12]
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        width = rng.randint(4, 24)
        for text in (detail_field("Field", value), detail_block("Block", [Text(value)]), Text(value)):
            wrapped = wrap_hanging(text, width)
            # A word wider than a line is cut, so compare the characters, not the words.
            assert "".join(wrapped.plain.split()) == "".join(text.plain.split()), (value, width)
            assert all(cell_len(line) <= width for line in _lines(wrapped)), (value, width)
            blank_before = sum(1 for line in _lines(text) if not line.strip())
            assert sum(1 for line in _lines(wrapped) if not line.strip()) == blank_before, (value, width)


def test_a_given_hang_applies_to_every_line():
    text = Text.assemble(("PID 123456", "bold"), "  sh -c 'sleep 300 & while true; do sleep 1; done'")
    lines = _lines(wrap_hanging(text, 22, hang=2))
    assert lines[0] == "PID 123456  sh -c"
    assert all(line.startswith("  ") and line[2] != " " for line in lines[1:])


async def test_a_text_that_grows_in_a_scroll_box_can_be_scrolled_to_its_end_after_one_layout():
    """HangingText skips Textual's second layout for its new size: its box must still see every line."""
    app = ScrollBox(Text("short"))
    async with app.run_test(size=(40, 10)) as pilot:
        text = app.query_one(HangingText)
        box = app.query_one("#box", VerticalScroll)
        text.update(Text("\n".join(f"line {n}" for n in range(30))))
        await pilot.pause()
        assert text.size.height == 30 and box.virtual_size.height == 30
        box.scroll_end(animate=False)
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y == 30 - box.scrollable_content_region.height
        text.update(Text("one\ntwo"))
        await pilot.pause()
        assert text.size.height == 2 and box.max_scroll_y == 0 and box.scroll_y == 0


async def test_a_new_text_of_the_same_height_asks_for_no_layout():
    """The details pane re-words its times every ten seconds: that must not lay the screen out."""
    app = ScrollBox(Text("Status    Up 15 seconds\nCreated   15 seconds ago"))
    async with app.run_test(size=(40, 10)) as pilot:
        text = app.query_one(HangingText)
        await pilot.pause()
        asked = layouts_asked(text)
        text.update(Text("Status    Up 25 seconds\nCreated   25 seconds ago"))
        await pilot.pause()
        assert asked and not any(asked), asked
        text.update(Text("Status    Up 25 seconds\nCreated   25 seconds ago\nPorts     80/tcp"))
        await pilot.pause()
        assert any(asked)  # a new line: laid out
        assert text.content_size.height == 3


async def test_a_text_standing_in_for_a_moment_keeps_the_height_and_asks_for_no_layout():
    """The details pane's next container, before its inspect facts come: drawn over blank lines, not laid out."""
    app = ScrollBox(Text("\n".join(f"line {n}" for n in range(6))))
    async with app.run_test(size=(40, 10)) as pilot:
        text = app.query_one(HangingText)
        await pilot.pause()
        asked = layouts_asked(text)
        short = Text("other\nReading…")
        text.update(short, keep_height=True)
        await pilot.pause()
        assert asked and not any(asked), asked
        assert text.content_size.height == 6 and text.source is short  # read back as given
        assert [text.render_line(y).text.strip() for y in range(3)] == ["other", "Reading…", ""]
        text.update(Text("\n".join(f"fact {n}" for n in range(6))))  # the facts, as tall: still no layout
        await pilot.pause()
        assert not any(asked), asked
        text.update(Text("short"))  # not standing in: the pane takes its own height
        await pilot.pause()
        assert any(asked) and text.content_size.height == 1
