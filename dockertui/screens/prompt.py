"""Ask for one line of text (a new name, a command), with an inline error."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from dockertui.formatting import safe_text


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the text, or None on Esc. ``validate`` may raise ValueError."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt-cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        validate: Callable[[str], object] | None = None,
        suggestions: tuple[str, ...] | list[str] = (),
        error: str = "",
    ) -> None:
        super().__init__(classes="prompt")
        # Shown at once: the engine refused what was typed last time, and it is offered again.
        self._error = error
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._validate = validate
        self._suggester = SuggestFromList(list(suggestions), case_sensitive=False) if suggestions else None

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(safe_text(self._title, style="bold"))
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt-input", suggester=self._suggester)
            yield Static(safe_text(self._error, style="bold red"), id="prompt-error")
            yield Static(Text("Enter confirms · Esc cancels", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._validate is not None:
            try:
                self._validate(event.value)
            except ValueError as error:
                self.query_one("#prompt-error", Static).update(safe_text(str(error), style="bold red"))
                return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
