"""``?``: every key that works on the screen underneath, with what it does.

The last column is the binding's id, which the config file's ``[keymap]`` uses
to give it other keys.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


def key_rows(app: App, screen: Screen) -> list[tuple[str, str, str, str]]:
    """(key, what it does, where, keymap id) for every key active on ``screen``: the app's first, then the screen's."""
    rows = []
    for active in screen.active_bindings.values():
        binding = active.binding
        description = binding.description or binding.action.replace("_", " ")
        rows.append((app.get_key_display(binding), description, type(active.node).__name__, binding.id or ""))
    layers = {type(app).__name__: 0, type(screen).__name__: 1}
    rows.sort(key=lambda row: (layers.get(row[2], 2), row[2], row[0]))
    return [(key, what, where_words(where), binding_id) for key, what, where, binding_id in rows]


def where_words(class_name: str) -> str:
    """Where a key works, in words: "ContainerTable" is the Containers list."""
    if class_name == "DockerTUI":
        return "anywhere"
    for suffix, words in (("Screen", ""), ("Table", " list"), ("Pane", " tab")):
        if class_name.endswith(suffix) and class_name != suffix:
            return class_name.removesuffix(suffix) + words
    return class_name


class HelpScreen(ModalScreen[None]):
    """A table of bindings: key, what it does, where it applies, and its keymap id."""

    BINDINGS = [
        Binding("escape,question_mark,enter", "dismiss", "Close", id="help-close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        super().__init__(id="help")
        self._rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                Text("Esc closes · ctrl+p opens the command palette · [keymap] in the config file takes the ids", style="dim")
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Key", key="key")
        table.add_column("Action", key="action")
        table.add_column("Where", key="where")
        table.add_column("Keymap id", key="id")
        for key, description, where, binding_id in self._rows:
            table.add_row(Text(key, style="bold"), Text(description), Text(where, style="dim"), Text(binding_id, style="dim"))
        table.focus()

    def action_dismiss(self) -> None:
        self.dismiss(None)
