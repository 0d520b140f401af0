"""The Host column of a fleet's lists: which engine a row is on, and whether that engine is out of reach.

With one engine there is no such column (the header names the engine); with
several, every list leads with it. The rows of an engine that went away stay,
dimmed, their host marked ↻ as its header chip is, until it is back and read again.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockertui.formatting import Cell, cell

STALE = "dim italic"
STALE_MARK = "↻ "


def host_cell(host: str, stale: bool) -> Cell:
    # Sorted by name: grouping by host is sorting by this column.
    return cell(f"{STALE_MARK}{host}" if stale else host, sort_key=host.casefold(), style=STALE if stale else "bold")


def host_width(names: list[str]) -> int:
    """Wide enough for every name and the stale mark, within reason."""
    return min(max((len(name) for name in names), default=4) + len(STALE_MARK) + 1, 28)


def dimmed(cells: Sequence[Cell]) -> list[Cell]:
    """The cells of a stale row: the same words and order, in the stale style."""
    return [cell(value.plain, sort_key=value.sort_key, style=STALE) for value in cells]
