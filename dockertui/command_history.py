"""The ``:`` line's history, kept across sessions in the XDG state dir.

The file is private (0600): a run line may carry ``-e PASSWORD=…``. The
newest line is last; a line typed again moves to the end instead of repeating.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

MAX_LINES = 500


def history_path() -> Path:
    return platformdirs.user_state_path("dockertui") / "command-history"


def load_history(path: Path) -> list[str]:
    """The lines kept, oldest first; none if the file is missing or unreadable."""
    try:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return []


def remember(path: Path, line: str) -> None:
    """Add ``line`` as the newest; OSError if the file cannot be written."""
    line = " ".join(line.splitlines()).strip()
    if not line:
        return
    lines = [kept for kept in load_history(path) if kept != line] + [line]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("\n".join(lines[-MAX_LINES:]) + "\n")
    os.replace(temporary, path)
