"""The ``:`` line's history, kept across sessions in the XDG state dir.

The file is private (0600): a run line may carry ``-e PASSWORD=…``. The
newest line is last; a line typed again moves to the end instead of repeating.
"""

from __future__ import annotations

import os
import tempfile
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
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A new file of our own (mkstemp: 0600, never an existing name or a symlink), renamed over the old.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".command-history-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write("\n".join(lines[-MAX_LINES:]) + "\n")
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
