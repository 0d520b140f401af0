"""Ask before anything destructive, showing exactly what will happen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from dockertui.screens.answer_guard import AnswersOnlyNewKeys
from dockertui.widgets.line_list import LineList, Lines


class ConfirmScreen(AnswersOnlyNewKeys, ModalScreen[bool]):
    """Yes/no, with a title and the list of what is affected. Dismisses with a bool."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel", id="confirm-no"),
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
    ]

    def __init__(self, title: str, items: list[Text] | Lines | None = None, confirm_label: str = "Yes") -> None:
        super().__init__(classes="confirm")
        self._title = title
        self._items = items or []
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self._title, style="bold"), id="confirm-title")
            yield LineList.of(self._items, id="confirm-items")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self._confirm_label} (y)", variant="error", id="confirm-yes")
                yield Button("Cancel (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
