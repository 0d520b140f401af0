"""What ``/`` on a list takes, as a k9s user types it.

Terms separated by spaces, all of which a row must match:

- ``web``: the row's text contains it, in any case;
- ``/^web-\\d+/``: a regular expression over the row's text (``\\s`` for a space: words split on spaces);
- ``status:exited``, ``image:busybox``, ``name:web``, ``label:app=shop`` (or
  ``label:app``, the label is there): a field of the object, where the list
  knows that field (``field_values``); elsewhere the term is plain text;
- ``host:web1``: in a fleet, the rows of that engine (the whole name);
- ``!term``: any of those, negated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Fields that match whole values; the others match a part.
_EXACT_FIELDS = ("status", "label", "host")  # host:web1 is web1, not web10


@dataclass(frozen=True)
class FilterTerm:
    negate: bool
    field: str  # "" for the row's text
    text: str  # casefolded
    pattern: re.Pattern[str] | None = None

    def matches(self, row_text: str, values: Iterable[str] | None) -> bool:
        if self.field and values is not None:
            found = any(self._matches_value(value.casefold()) for value in values)
        elif self.pattern is not None:
            found = self.pattern.search(row_text) is not None
        else:
            needle = f"{self.field}:{self.text}" if self.field else self.text
            found = needle in row_text.casefold()
        return found != self.negate

    def _matches_value(self, value: str) -> bool:
        if self.field == "label":
            key, _, _ = value.partition("=")
            return value == self.text if "=" in self.text else key == self.text
        return value == self.text if self.field in _EXACT_FIELDS else self.text in value


@dataclass(frozen=True)
class ListFilter:
    terms: tuple[FilterTerm, ...]
    problem: str = ""  # why a /regex/ in it is matched as plain text (it does not compile)

    def matches(self, row_text: str, field_values: Callable[[str], Iterable[str] | None]) -> bool:
        return all(term.matches(row_text, field_values(term.field) if term.field else None) for term in self.terms)


def parse_list_filter(text: str) -> ListFilter:
    """The filter ``text`` stands for; ValueError names a regular expression that does not compile."""
    parsed = parse_list_filter_as_typed(text)
    if parsed.problem:
        raise ValueError(parsed.problem)
    return parsed


def parse_list_filter_as_typed(text: str) -> ListFilter:
    """As ``parse_list_filter``, for a filter applied while it is typed: a regular expression
    that does not compile (yet) is matched as plain text, and ``problem`` says why."""
    terms = []
    problem = ""
    for word in text.split():
        negate = word.startswith("!") and len(word) > 1
        word = word[1:] if negate else word
        if len(word) >= 2 and word.startswith("/") and word.endswith("/"):
            try:
                terms.append(FilterTerm(negate, "", "", re.compile(word[1:-1], re.IGNORECASE)))
                continue
            except re.error as error:
                problem = problem or f"invalid regular expression {word}: {error}"
        field, sep, value = word.partition(":")
        if sep and field.isalpha() and value:
            terms.append(FilterTerm(negate, field.casefold(), value.casefold()))
        else:
            terms.append(FilterTerm(negate, "", word.casefold()))
    return ListFilter(tuple(terms), problem)
