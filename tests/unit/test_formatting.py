"""Formatting helpers, with a fixed clock."""

from datetime import datetime, timedelta, timezone

from rich.text import Text

from dockertui.backend.models import PortBinding
from dockertui.formatting import (
    SHARED_CELLS_KEPT,
    Cell,
    cell,
    clean,
    published_ports,
    safe_text,
    shared_cell,
    since,
    size,
)

NOW = datetime(2026, 11, 29, 12, 0, 0, tzinfo=timezone.utc)


def test_since_is_relative_to_the_injected_clock():
    assert since(NOW - timedelta(minutes=5), NOW) == "5 minutes ago"
    assert since(NOW - timedelta(hours=3), NOW) == "3 hours ago"
    assert since(NOW - timedelta(seconds=1), NOW) == "a second ago"


def test_since_of_epoch_zero_is_unknown():
    assert since(datetime.fromtimestamp(0, timezone.utc), NOW) == "unknown"


def test_size_uses_decimal_units_like_docker_images():
    assert size(1_990_000) == "2.0 MB"
    assert size(512) == "512 Bytes"
    assert size(1_200_000_000) == "1.2 GB"


def test_clean_strips_colour_cursor_and_osc_sequences():
    raw = "\x1b[31mred\x1b[0m \x1b[2J\x1b[Hcleared \x1b]8;;http://x\x07link\x1b]8;;\x07 \x07bell"
    assert clean(raw) == "red cleared link bell"


def test_clean_folds_newlines_for_single_line_cells():
    assert clean("a\nb\r\nc\td") == "a b c d"
    assert clean("a\nb", single_line=False) == "a\nb"


def test_markup_is_literal():
    for hostile in ["[/foo]", "[link=http://x]y[/link]", "[$accent]", "[bold]x", "\\[x]\\"]:
        text = safe_text(hostile)
        assert isinstance(text, Text)
        assert text.plain == hostile
        assert not text.spans


def test_cell_sorts_by_its_sort_key():
    early = cell("5 minutes ago", sort_key=100.0)
    late = cell("an hour ago", sort_key=50.0)
    assert isinstance(early, Cell)
    assert sorted([early, late], key=lambda c: c.sort_key) == [late, early]
    assert cell("Web").sort_key == "web"


def test_published_ports_like_docker_ps():
    ports = [
        PortBinding(80, "tcp", "0.0.0.0", 8080),
        PortBinding(443, "tcp"),
        PortBinding(53, "udp", "::", 5353),
    ]
    assert published_ports(ports) == "0.0.0.0:8080->80/tcp, [::]:5353->53/udp, 443/tcp"


def test_a_lower_case_cell_sorts_by_its_own_text_not_a_copy():
    name = "web-1"
    assert cell(name).sort_key is name
    assert cell("Web-1").sort_key == "web-1"


def test_a_cell_carries_no_instance_dict():
    """A long list holds thousands of cells: slots only, as Text has."""
    assert not hasattr(cell("x"), "__dict__")


def test_shared_cells_are_one_object_per_words_order_and_style():
    first = shared_cell("created", style="green")
    assert shared_cell("created", style="green") is first
    assert shared_cell("created", style="red") is not first
    assert shared_cell("created", sort_key=1, style="green") is not first
    assert (first.plain, first.sort_key, first.style) == ("created", "created", "green")


def test_shared_cells_are_let_go_past_the_bound():
    """Values seen once (a status that has moved on) do not pile up: past the bound all go."""
    first = shared_cell("status 0")
    for number in range(1, SHARED_CELLS_KEPT + 1):
        shared_cell(f"status {number}")
    again = shared_cell("status 0")
    assert again is not first
    assert (again.plain, again.sort_key) == (first.plain, first.sort_key)
