"""The log pane's status line: whose logs, the stream's state, how far behind, the counts."""

from __future__ import annotations

from enum import Enum

from rich.style import Style
from rich.text import Text

from dockertui.formatting import safe_text
from dockertui.widgets.log_view import LogView
from dockertui.widgets.theme_roles import ERROR_TEXT, STATE_FAILED, STATE_WAITING, RoleStyle


class StreamState(Enum):
    """Where the pane's log stream is; the value is how the status line says it."""

    IDLE = "no container selected"
    CONNECTING = "connecting"
    FOLLOWING = "following"
    ENDED = "stream ended (container stopped)"
    FAILED = "error"


def status_line(
    name: str | None, state: StreamState, error: str, behind: float | None, view: LogView, since_set: bool,
    roles: RoleStyle,
) -> Text:
    """One line; ``behind`` is how many seconds the newest line read lags the clock (None: caught up)."""
    parts = Text(end="")
    if name is not None:
        parts.append_text(safe_text(name, style="bold"))
        parts.append(" · ")
    if state is StreamState.FAILED:
        parts.append_text(safe_text(f"error: {error}", style=roles(ERROR_TEXT)))
    else:
        parts.append(state.value, style="dim")
    # Paused and behind come before the counts: a narrow pane cuts the end of this line.
    if not view.following:
        parts.append(f" ⏸ paused, +{view.unseen:,} new (End resumes)", style=roles(STATE_WAITING) + Style(bold=True))
    if behind is not None and behind >= 1:
        skip = "End skips to live" if view.following else "End, End again skips to live"
        parts.append(f" ⚠ {behind:,.0f} s behind ({skip})", style=roles(STATE_FAILED))
    parts.append(f" · {view.line_count:,} lines")
    if view.received > view.line_count:
        parts.append(f" ({view.received:,} received)", style="dim")
    flags = [flag for flag, on in (("filter", view.filtering), ("search", view.searching),
                                   ("timestamps", view.show_timestamps), ("wrap", view.wrap)) if on]
    if since_set:
        flags.append("since set")
    if flags:
        parts.append("  [" + ", ".join(flags) + "]", style="dim")
    return parts
