"""Turning engine values into safe, readable text.

Every string that comes from the engine (names, commands, labels, errors)
reaches a widget through ``safe_text`` or ``cell``: the result is a
``rich.text.Text``, so square brackets are never parsed as markup, and
escape sequences are removed so they cannot move or clear the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import humanize
from rich.style import Style
from rich.text import Text
from textual.content import Content

from dockertui.backend.models import EngineInfo, PortBinding

# CSI (colours, cursor moves), OSC (titles, hyperlinks) and two-byte escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Styles from the theme for statuses and dialogs: Content resolves $variables
# when it is drawn, so a theme picked later applies to what is shown too.
ERROR = "bold $error"
ERROR_DETAIL = "$error"
WARNING = "$warning"
SUCCESS = "bold $success"


def themed(value: Any, style: str = "") -> Content:
    """Text, engine text too, in a theme style: literal (never markup), escapes dropped."""
    return Content.styled(clean(value), style)


def clean(value: Any, single_line: bool = True) -> str:
    """Drop escape sequences and control characters from engine text."""
    text = value if isinstance(value, str) else str(value)
    text = _ESCAPE_SEQUENCE.sub("", text)
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    else:
        text = text.replace("\r\n", "\n")
    return _CONTROL.sub("", text)


def as_markup(value: Any) -> str:
    """Text for a place that takes only markup (the palette's titles and help): every ``[`` escaped,
    so it reads as written; escape() misses ``[$var]``."""
    return clean(value).replace("[", "\\[")


def engine_title(engine: EngineInfo) -> str:
    """The header's name for a connected engine."""
    return f"{clean(engine.host)} · {clean(engine.product)} {clean(engine.version)} (API {clean(engine.api_version)})"


def safe_text(value: Any, style: str = "", single_line: bool = True) -> Text:
    """Engine text as a ``Text``: literal brackets, no escapes, no markup."""
    return Text(clean(value, single_line=single_line), style=style, end="")


class Cell(Text):
    """A table cell that knows how it sorts (a date sorts by time, not by words)."""

    # Text has slots; without these a cell would also carry a __dict__, and a list holds thousands.
    __slots__ = ("sort_key",)

    sort_key: Any

    def __init__(self, text: str, sort_key: Any = None, style: str | Style = "") -> None:
        super().__init__(text, style=style, end="")
        if sort_key is None:
            folded = text.casefold()
            sort_key = text if folded == text else folded  # most names are lower case already: no copy
        self.sort_key = sort_key


def cell(value: Any, sort_key: Any = None, style: str | Style = "") -> Cell:
    """The one way to make a table cell from engine data."""
    return Cell(clean(value), sort_key=sort_key, style=style)


_SHARED_CELLS: dict[tuple[str, Any, str | Style], Cell] = {}
SHARED_CELLS_KEPT = 512


def shared_cell(value: str, sort_key: Any = None, style: str | Style = "") -> Cell:
    """``cell``, the same object for the same words, order and style: for a column whose few values
    repeat down a long list (a state, an image), so a thousand rows hold one cell, not a thousand.

    Only for tables, which never edit a cell in place (a changed cell is a new one).
    """
    key = (value, sort_key, style)
    found = _SHARED_CELLS.get(key)
    if found is None:
        if len(_SHARED_CELLS) >= SHARED_CELLS_KEPT:
            _SHARED_CELLS.clear()  # rare: values seen once (an old status) go, the rest come back
        found = _SHARED_CELLS[key] = cell(value, sort_key, style)
    return found


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def since(when: datetime, now: datetime | None = None) -> str:
    """'5 minutes ago', relative to ``now`` (injectable for tests)."""
    now = now or utc_now()
    if when.timestamp() <= 0:
        return "unknown"
    return humanize.naturaltime(now - when)


def size(num_bytes: int) -> str:
    """Sizes as ``docker images`` shows them: decimal units."""
    return humanize.naturalsize(num_bytes, format="%.1f")


def state_cell(state: str, style: str | Style) -> Cell:
    return shared_cell(state, style=style)


def published_ports(ports: Iterable[PortBinding]) -> str:
    """Published ports as ``docker ps`` shows them, exposed-only ones last."""
    published = [str(p) for p in ports if p.is_published]
    exposed = [str(p) for p in ports if not p.is_published]
    return ", ".join(published + exposed)
