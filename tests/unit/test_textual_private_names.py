"""The private DataTable names KeyedTable and KeptRenders build on are still there.

A Textual release may rename any of them without notice; pyproject.toml pins
Textual to the minor version tested, and this test names what is gone first.
"""

from __future__ import annotations

import ast
from pathlib import Path

from textual.widgets import DataTable

import dockertui.widgets.keyed_table as keyed_table

# What the two modules reach into; each is an attribute or method of DataTable.
DATATABLE_PRIVATE = {
    "_cell_render_cache",
    "_clear_caches",
    "_column_locations",
    "_data",
    "_get_offsets",
    "_get_row_style",
    "_get_styles_to_render_cell",
    "_header_row_key",
    "_label_column",
    "_label_column_key",
    "_labelled_row_exists",
    "_line_cache",
    "_on_click",
    "_on_mouse_move",
    "_pseudo_class_state",
    "_render_cell",
    "_render_line",
    "_render_line_in_row",
    "_require_update_dimensions",
    "_row_label_column_width",
    "_row_locations",
    "_row_render_cache",
    "_row_renderable_cache",
    "_show_hover_cursor",
    "_update_count",
    "_updated_cells",
}
MODULES = [Path(keyed_table.__file__), Path(keyed_table.__file__).with_name("kept_renders.py")]


def test_every_private_datatable_name_used_still_exists():
    table = DataTable()
    missing = sorted(name for name in DATATABLE_PRIVATE if not hasattr(table, name))
    assert not missing, f"Textual's DataTable no longer has {missing}: KeyedTable/KeptRenders need changing"


def test_the_list_names_every_private_datatable_name_the_modules_use():
    """A new reach into DataTable goes on the list above, so the first test guards it too."""
    table = DataTable()
    ours = set()
    used = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("_"):
                ours.add(node.name)
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                used.add(node.attr)
    # Names DataTable has and these modules use; overriding a private method counts too.
    reached = {name for name in used | ours if hasattr(table, name) and not name.startswith("__")}
    unlisted = sorted(reached - DATATABLE_PRIVATE)
    assert not unlisted, f"add {unlisted} to DATATABLE_PRIVATE"
