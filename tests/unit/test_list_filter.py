"""What / on a list takes: words, /regex/, field:value and !negation, all of which a row must match."""

from __future__ import annotations

import pytest

from dockertui.list_filter import parse_list_filter

ROW = "web-1  running  Up 5 minutes  nginx:1.27  0.0.0.0:8080->80/tcp"
FIELDS = {"status": ["running"], "image": ["nginx:1.27"], "label": ["app=shop", "tier=front"], "name": ["web-1"]}


def matches(text: str, row: str = ROW, fields: dict | None = None) -> bool:
    known = FIELDS if fields is None else fields
    return parse_list_filter(text).matches(row, known.get)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("web", True),
        ("WEB", True),
        ("web db", False),  # every word must match
        ("!db", True),
        ("!web", False),
        ("/^web-\\d+\\s/", True),  # a space in a regex is \s: words split on spaces
        ("/^db/", False),
        ("status:running", True),
        ("status:run", False),  # a status matches whole
        ("!status:exited", True),
        ("image:nginx", True),
        ("label:app=shop", True),
        ("label:app", True),
        ("label:app=db", False),
        ("label:missing", False),
        ("name:web", True),
        ("0.0.0.0:8080", True),  # not a field: plain text
        ("unknown:thing", False),
    ],
)
def test_terms(text, expected):
    assert matches(text) is expected


def test_a_field_the_list_does_not_have_is_matched_as_text():
    assert matches("size:2gb", row="vol  size:2gb", fields={}) is True


def test_a_bad_regular_expression_is_named():
    with pytest.raises(ValueError, match="invalid regular expression"):
        parse_list_filter("/(/")
