"""The engine's container status ("Up 5 minutes") kept true as time passes.

The engine words the status when it is asked, and the app asks only when an
event names the container. Without this, a container started before the app
would say "Up Less than a second" for as long as nothing happened to it. The
duration in the text is read back and the time since it was read is added, then
worded again as the engine words it (go-units' HumanDuration). The engine rounds
down, so the result is never ahead of the truth, and is behind it by less
than the engine's own rounding at the time it was read (a minute, say).
"""

from __future__ import annotations

import re

# The engine's State.String(): "Up 5 minutes", "Up 2 hours (Paused)",
# "Up About a minute (healthy)", "Exited (137) 3 days ago", "Restarting (1) 5 seconds ago".
_STATUS = re.compile(r"^(Up|Exited \(-?\d+\)|Restarting \(-?\d+\)) (.+?)( ago)?( \([^()]*\))?$")
_AMOUNT = re.compile(r"^(\d+) (second|minute|hour|day|week|month|year)s?$")
_UNIT_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}
_WORDS = {"Less than a second": 0, "About a minute": 60, "About an hour": 3600}


def docker_duration(seconds: float) -> str:
    """A duration worded as the engine words it (go-units' HumanDuration)."""
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole == 1:
        return "1 second"
    if whole < 60:
        return f"{whole} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


def parse_docker_duration(text: str) -> int | None:
    """Seconds in an engine duration ("5 minutes", "About an hour"); None if it is not one."""
    if text in _WORDS:
        return _WORDS[text]
    match = _AMOUNT.match(text)
    if match is None:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def status_age(status: str) -> int | None:
    """The seconds in a status ("Up 5 minutes": 300), or None if it has none."""
    match = _STATUS.match(status)
    return None if match is None else parse_docker_duration(match.group(2))


def live_status(status: str, elapsed: float) -> str:
    """``status`` as the engine would word it ``elapsed`` seconds after it was read."""
    match = _STATUS.match(status)
    if match is None:
        return status  # "Created", "Dead", "Removal In Progress": nothing that ages
    head, duration, ago, suffix = match.groups()
    seconds = parse_docker_duration(duration)
    if seconds is None:
        return status
    return f"{head} {docker_duration(seconds + max(elapsed, 0.0))}{ago or ''}{suffix or ''}"


def seconds_until_reworded(age: float) -> float:
    """How soon a relative time ``age`` seconds old may read differently.

    Both the engine's wording and humanize's ("3 minutes ago") change each
    second for the first minute and at most each minute after; hours round
    at the half hour. Past two weeks, once an hour is close enough.
    """
    if age < 60:
        step = 1.0
    elif age < 14 * 86400:
        step = 60.0
    else:
        step = 3600.0
    return step - (max(age, 0.0) % step)
