"""Parsing what the user types: search patterns, durations, times.

Each parser raises ``ValueError`` with a message fit to show next to the
field that was typed in; nothing here touches widgets or the engine.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_pattern(text: str) -> re.Pattern[str]:
    """``/regex/`` is a regular expression; anything else is literal, any case."""
    text = text.strip()
    if not text:
        raise ValueError("type something to look for")
    if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
        try:
            return re.compile(text[1:-1])
        except re.error as error:
            raise ValueError(f"invalid regular expression: {error}") from None
    return re.compile(re.escape(text), re.IGNORECASE)


def parse_duration(text: str) -> float:
    """``10m``, ``2h``, ``1h30m``, ``45s``, ``3d`` -> seconds."""
    compact = text.strip().lower().replace(" ", "")
    if not compact:
        raise ValueError("empty duration")
    position = 0
    total = 0.0
    for match in _DURATION_PART.finditer(compact):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if position != len(compact) or position == 0:
        raise ValueError(f"not a duration: {text!r} (try 10m, 2h or 1h30m)")
    return total


def parse_since(text: str, now: datetime | None = None) -> float:
    """A ``--since`` value: a duration back from now, or an RFC 3339 time; epoch seconds."""
    now = now or datetime.now(timezone.utc)
    try:
        return now.timestamp() - parse_duration(text)
    except ValueError:
        pass
    stamp = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError(f"not a duration or RFC 3339 time: {text!r} (try 10m, 2h or 2026-01-02T15:04:05Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
