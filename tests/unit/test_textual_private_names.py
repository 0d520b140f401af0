"""The lists and the log are drawn through Textual's public API only.

KeyedTable once reached into some twenty private names of DataTable, which a
Textual release may rename without notice; it now draws its own lines
(line_table.py, table_look.py, table_moves.py), as LogView does. This test keeps it so: it
fails, naming the name, if any of these modules reaches a private name of
the Textual classes they build on (overriding one counts too).
"""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App
from textual.scroll_view import ScrollView
from textual.widgets import DataTable

import dockertui.widgets

WIDGETS = Path(dockertui.widgets.__file__).parent
MODULES = [
    "line_table.py", "table_look.py", "table_moves.py", "keyed_table.py", "aging_rows.py", "cursor_keys.py", "log_view.py",
    "hanging_text.py",
]
# Whose private names count: what the modules subclass or are handed.
TEXTUAL_CLASSES = (ScrollView, DataTable, App)
# Private Textual names these modules may use, each guarded here:
# - _scroll_update: LineTable sets its virtual size without a layout of the
#   whole screen when only the scrollbar moves (line_table.py, _resize), and
#   has the scrollbar follow as Widget does; test_allowed_... sees it still exists.
# - _size_updated: HangingText (the details pane's text) takes its new size
#   without the second layout of the whole screen that Textual asks for.
ALLOWED: set[str] = {"_scroll_update", "_size_updated"}


def private_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def test_the_table_and_log_modules_use_no_private_textual_name():
    reached = {
        f"{module}: {name}"
        for module in MODULES
        for name in private_names(WIDGETS / module)
        if name not in ALLOWED and any(hasattr(cls, name) for cls in TEXTUAL_CLASSES)
    }
    assert not reached, f"private Textual names used (guard them in ALLOWED, or use public API): {sorted(reached)}"


def test_allowed_private_names_still_exist():
    missing = sorted(name for name in ALLOWED if not any(hasattr(cls, name) for cls in TEXTUAL_CLASSES))
    assert not missing, f"Textual no longer has {missing}"
