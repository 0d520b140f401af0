"""A file of a container, read-only: its first bytes as plain text, or why it is not shown.

The text is the container's, so it is shown as it is written: no markup is
read in it, and escape sequences and control characters are dropped so they
cannot reach the terminal. A binary file is named with its size instead.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from dockertui.backend.files import FileContent
from dockertui.formatting import clean, safe_text, size


def describe(content: FileContent) -> str:
    """What the heading says of the file: its size, and whether all of it is shown."""
    if content.text is None:
        return f"binary, {content.size:,} bytes: not shown"
    if content.cut:
        return f"the first {size(len(content.text.encode()))} of {size(content.size)} shown"
    return size(content.size)


class FileViewerScreen(ModalScreen[None]):
    """The file's text in a read-only editor (select and copy work); Esc closes."""

    DEFAULT_CSS = """
    FileViewerScreen { align: center middle; }
    #viewer-box { width: 95%; height: 90%; border: round $primary; background: $panel; }
    #viewer-heading, #viewer-hint { padding: 0 1; }
    #viewer-text { height: 1fr; }
    #viewer-binary { height: 1fr; padding: 1 2; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="viewer-close"),
        Binding("w", "toggle_wrap", "Wrap", id="viewer-wrap", tooltip="wrap long lines"),
    ]

    def __init__(self, container_name: str, content: FileContent) -> None:
        super().__init__(id="file-viewer")
        self._container_name = container_name
        self.content = content

    def compose(self) -> ComposeResult:
        content = self.content
        with Vertical(id="viewer-box"):
            yield Static(Text.assemble(safe_text(self._container_name, style="bold reverse"), "  ",
                                       safe_text(content.path, style="bold"), "  ", (describe(content), "dim")),
                         id="viewer-heading")
            if content.text is None:
                yield Static(Text(describe(content), style="dim"), id="viewer-binary")
            else:
                yield TextArea(clean(content.text, single_line=False), read_only=True, show_line_numbers=True,
                               soft_wrap=False, id="viewer-text")
            yield Static(Text("Esc closes · w wraps long lines", style="dim"), id="viewer-hint")

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_wrap(self) -> None:
        for area in self.query(TextArea):
            area.soft_wrap = not area.soft_wrap
