"""What the user types: patterns and since values."""

from datetime import datetime, timezone

import pytest

from dockertui.parsing import parse_duration, parse_pattern, parse_since

NOW = datetime(2026, 11, 29, 12, 0, 0, tzinfo=timezone.utc)


def test_plain_pattern_is_literal_and_case_insensitive():
    pattern = parse_pattern("[/foo]")
    assert pattern.search("a [/FOO] b")
    assert not pattern.search("/foo")


def test_slashes_make_a_regex():
    assert parse_pattern("/err(or)? \\d+/").search("error 42")


def test_invalid_regex_is_a_clear_error():
    with pytest.raises(ValueError, match="invalid regular expression"):
        parse_pattern("/([/")


@pytest.mark.parametrize(("text", "seconds"), [("10m", 600), ("2h", 7200), ("1h30m", 5400), ("45s", 45), ("1d", 86400)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_since_takes_durations_and_rfc3339():
    assert parse_since("10m", NOW) == NOW.timestamp() - 600
    assert parse_since("2026-11-29T11:00:00Z", NOW) == NOW.timestamp() - 3600


@pytest.mark.parametrize("text", ["", "10x", "m10", "yesterday"])
def test_bad_since_is_a_clear_error(text):
    with pytest.raises(ValueError):
        parse_since(text, NOW)
