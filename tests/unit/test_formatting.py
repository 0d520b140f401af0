"""Formatting helpers, with a fixed clock."""

from datetime import datetime, timedelta, timezone

from rich.text import Text

from dockertui.backend.models import PortBinding
from dockertui.formatting import Cell, cell, clean, published_ports, safe_text, since, size

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
