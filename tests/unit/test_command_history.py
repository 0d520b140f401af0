"""The : line's history file (command_history.py): newest last, no repeats, capped, private."""

from __future__ import annotations

import stat

from dockertui.command_history import MAX_LINES, load_history, remember


def test_lines_are_kept_newest_last_without_repeats(tmp_path):
    path = tmp_path / "state" / "command-history"
    assert load_history(path) == []
    for line in ("ps -a", "stop web", "ps -a", "  ", "logs -f web"):
        remember(path, line)
    assert load_history(path) == ["stop web", "ps -a", "logs -f web"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a run line may carry -e PASSWORD=…


def test_the_file_is_capped(tmp_path):
    path = tmp_path / "command-history"
    for number in range(MAX_LINES + 20):
        remember(path, f"stop web-{number}")
    kept = load_history(path)
    assert len(kept) == MAX_LINES and kept[-1] == f"stop web-{MAX_LINES + 19}"
