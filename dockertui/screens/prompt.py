"""Ask for one line of text (a new name, a command), with an inline error."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Input, Static

from dockertui.formatting import ERROR, safe_text, themed


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the text, or None on Esc. ``validate`` may raise ValueError."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt-cancel"),
        Binding("tab", "complete", "Complete", id="prompt-complete", show=False, priority=True),
        Binding("up", "history(-1)", "Earlier", id="prompt-history-back", show=False),
        Binding("down", "history(1)", "Later", id="prompt-history-forward", show=False),
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        validate: Callable[[str], object] | None = None,
        suggestions: tuple[str, ...] | list[str] | Suggester = (),
        error: str = "",
        history: list[str] | None = None,
    ) -> None:
        super().__init__(classes="prompt")
        # Shown at once: the engine refused what was typed last time, and it is offered again.
        self._error = error
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._validate = validate
        if isinstance(suggestions, Suggester):
            self._suggester: Suggester | None = suggestions
        else:
            self._suggester = SuggestFromList(list(suggestions), case_sensitive=False) if suggestions else None
        # Lines entered before (oldest first) that up and down bring back; the line being typed stays last.
        self._history = [*(history or []), value]
        self._at = len(self._history) - 1

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(safe_text(self._title, style="bold"))
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt-input", suggester=self._suggester)
            yield Static(themed(self._error, ERROR), id="prompt-error")
            yield Static(Text("Enter confirms · Esc cancels", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._validate is not None:
            try:
                self._validate(event.value)
            except ValueError as error:
                self.query_one("#prompt-error", Static).update(themed(str(error), ERROR))
                return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_complete(self) -> None:
        """Tab takes the suggestion shown after the cursor (a name, a command)."""
        field = self.query_one("#prompt-input", Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()  # at the end, Input takes its suggestion

    def action_history(self, step: int) -> None:
        field = self.query_one("#prompt-input", Input)
        self._history[self._at] = field.value  # an edit of a recalled line is kept while browsing
        self._at = max(0, min(len(self._history) - 1, self._at + step))
        field.value = self._history[self._at]
        field.cursor_position = len(field.value)
