"""The Logs tab's prompt: search, filter, since and save, typed under the log.

Mixed into LogPane. What a prompt last applied comes back when it opens
again, so it is easy to refine; a mistake is shown under the prompt with
the text kept. Tab stays in the prompt, and a click elsewhere closes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.actions import SkipAction
from textual.widgets import Input, Static

from dockertui.backend.logs import LogLine
from dockertui.formatting import ERROR, safe_text, themed
from dockertui.parsing import parse_pattern, parse_since
from dockertui.widgets.log_view import plain_line
from dockertui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dockertui.widgets.log_view import LogView

PROMPTS = {
    "search": "search: text, or /regex/",
    "filter": "show only lines matching: text, or /regex/ (empty shows all)",
    "since": "since: 10m, 2h, or an RFC 3339 time (empty: last lines)",
    "save": "save shown lines to file:",
}


class LogPrompts(ReportsWorkerErrors):
    """Search, filter, since and save for LogPane (which has ``view``, ``since``, ``follow``, ``container``)."""

    view: LogView
    since: float | None
    container: Any
    _prompt_mode: str
    _applied: dict[str, str]  # what each prompt last applied, by mode

    def action_prompt(self, mode: str) -> None:
        self._prompt_mode = mode
        prompt = self.query_one("#logs-prompt", Input)
        prompt.placeholder = PROMPTS[mode]
        # Start from what this prompt last applied, so it is easy to refine.
        prompt.value = self._applied.get(mode, "")
        prompt.remove_class("hidden")
        prompt.focus()

    def action_clear_prompt(self) -> None:
        prompt = self.query_one("#logs-prompt", Input)
        if not prompt.has_class("hidden"):
            self._close_prompt()
            return
        if not self.view.searching and not self.view.filtering:
            raise SkipAction()  # nothing to clear: Esc is the screen's (back from full screen, say)
        self.view.set_search(None)
        self.view.set_filter(None)
        self._render_status()

    def action_keep_prompt(self) -> None:
        if not self.query_one("#logs-prompt", Input).has_focus:
            raise SkipAction()

    def on_input_blurred(self, event: Input.Blurred) -> None:  # by name: @on is not read on a mixin
        # A click elsewhere on this screen closes the prompt, as Esc does (a
        # dialog pushed over the screen, as a save's "overwrite?", blurs it too).
        if not event.input.has_class("hidden") and self.screen is self.app.screen:
            event.input.add_class("hidden")
            self._show_error(None)
            self._prompt_mode = ""

    def _close_prompt(self) -> None:
        self.query_one("#logs-prompt", Input).add_class("hidden")
        self._show_error(None)
        self._prompt_mode = ""
        self.view.focus()

    def _show_error(self, message: str | None) -> None:
        label = self.query_one("#logs-error", Static)
        label.set_class(message is None, "hidden")
        label.update(themed(message or "", ERROR))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value
        try:
            if self._prompt_mode == "search":
                self.view.set_search(parse_pattern(value))
                self.view.find(True)
            elif self._prompt_mode == "filter":
                self.view.set_filter(parse_pattern(value) if value.strip() else None)
            elif self._prompt_mode == "since":
                self.since = parse_since(value) if value.strip() else None
                self.follow(self.container, restart=True)
            elif self._prompt_mode == "save":
                self._save(value)
                return
        except ValueError as error:
            self._show_error(str(error))
            return
        self._applied[self._prompt_mode] = value
        self._close_prompt()
        self._render_status()

    # ---------------------------------------------------------------- save

    def _save(self, value: str) -> None:
        if not value.strip():
            self._show_error("type a file name")
            return
        path = Path(value.strip()).expanduser()
        lines = [self._format_for_file(line) for line in self.view.lines()]
        if path.exists():
            self.app.confirm(f"{path} exists. Overwrite it?", [safe_text(str(path))], "Overwrite",
                             lambda: self._write_file(path, lines))
            return
        self._write_file(path, lines)

    def _format_for_file(self, line: LogLine) -> str:
        text = plain_line(line.text)
        if line.source:  # as shown: a merged log names each line's container
            text = f"{line.source} | {text}"
        return f"{line.timestamp} {text}" if self.view.show_timestamps and line.timestamp else text

    @work(thread=True, group="logs-save", exit_on_error=False)
    def _write_file(self, path: Path, lines: list[str]) -> None:
        try:
            with path.open("w", encoding="utf-8") as handle:
                handle.writelines(line + "\n" for line in lines)
        except OSError as error:
            reason = error.strerror or str(error)
            self.app.call_from_thread(self._show_error, f"could not save to {path}: {reason}")
            return
        self.app.call_from_thread(self._saved, path, len(lines))

    def _saved(self, path: Path, count: int) -> None:
        self._close_prompt()
        self.notify(f"Saved {count:,} lines to {path}", markup=False)

