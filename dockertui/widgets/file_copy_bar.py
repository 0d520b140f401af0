"""The Files tab's copies (``docker cp`` both ways): the prompt for a local path, and the copy under way.

One copy at a time, whichever container it is of: it goes on while the user
browses elsewhere, its progress shows here, and Esc in the list stops it.
An existing file is never replaced without asking first.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from dockertui.backend import EngineError
from dockertui.backend.archive_copy import CopyResult, copy_in, copy_out, destination_for
from dockertui.backend.files import FileEntry, Progress, Stopped, Stopper, entry_at, megabytes
from dockertui.fleet import backend_on
from dockertui.formatting import clean, safe_text, size
from dockertui.worker_errors import ReportsWorkerErrors

PROMPTS = {
    "out": "Copy {path} out to (a local path):",
    "in": "Copy into {path} (a local file or folder):",
}


class FileCopyBar(ReportsWorkerErrors, Vertical):
    """A prompt, shown when asked, and a line for the copy under way."""

    DEFAULT_CSS = """
    FileCopyBar { height: auto; }
    FileCopyBar .hidden { display: none; }
    FileCopyBar #files-prompt-label { padding: 0 1; }
    FileCopyBar #files-copy-status { padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=False, id="files-prompt-cancel"),
        # Tab in the prompt stays there: what is typed next must not reach the list as keys.
        Binding("tab,shift+tab", "keep_prompt", show=False, id="files-prompt-tab"),
    ]

    class Copied(Message):
        """A copy ended: its result, or the ``problem``; ``stopped`` if the user stopped it."""

        def __init__(self, direction: str, container_id: str, result: CopyResult | None, problem: str = "",
                     stopped: bool = False, entry: FileEntry | None = None) -> None:
            super().__init__()
            self.direction = direction
            self.container_id = container_id
            self.result = result
            self.problem = problem
            self.stopped = stopped
            self.entry = entry  # a copy in: what landed, as its folder's listing shows it

    class Progressed(Message):
        """Bytes copied so far; a newer one replaces it in the queue."""

        def __init__(self, progress: Progress) -> None:
            super().__init__()
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, FileCopyBar.Progressed)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.engine_host = ""  # in a fleet, the engine of the container shown (the Files tab sets it)
        # What the prompt is for: (direction, container id and name, container path, a folder?, names there).
        self._asking: tuple[str, str, str, str, bool, frozenset[str]] | None = None
        self._copying: tuple[Stopper, str] | None = None
        self._return_focus: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="files-prompt-label", classes="hidden")
        yield Input(id="files-prompt", classes="hidden")
        yield Static(id="files-copy-status", classes="hidden")

    @property
    def busy(self) -> bool:
        return self._copying is not None

    def stop(self) -> bool:
        """Stop the copy under way; False if there is none."""
        if self._copying is None:
            return False
        self._copying[0].stop()
        return True

    # --------------------------------------------------------------- prompt

    def ask_out(self, container_id: str, container_name: str, path: str, is_dir: bool) -> None:
        """Ask where ``path`` goes, prefilled with ./its name."""
        self._ask(("out", container_id, container_name, path, is_dir, frozenset()), f"./{posixpath.basename(path)}")

    def ask_in(self, container_id: str, container_name: str, folder: str, names: frozenset[str]) -> None:
        """Ask which local file or folder goes into ``folder`` (whose entries are ``names``)."""
        self._ask(("in", container_id, container_name, folder, True, names), "")

    def _ask(self, asking: tuple[str, str, str, str, bool, frozenset[str]], value: str) -> None:
        if self._copying is not None:
            self.notify("A copy is under way: Esc stops it", severity="warning")
            return
        self._asking = asking
        label = self.query_one("#files-prompt-label", Static)
        label.update(Text.assemble(safe_text(PROMPTS[asking[0]].format(path=asking[3]), style="bold"),
                                   ("  Enter copies · Esc cancels", "dim")))
        prompt = self.query_one("#files-prompt", Input)
        prompt.placeholder = "a local path, ~ for your home"
        prompt.value = value
        for widget in (label, prompt):
            widget.remove_class("hidden")
        self._return_focus = self.screen.focused
        prompt.focus()

    def action_cancel(self) -> None:
        if self._asking is None:
            raise SkipAction()
        self._close_prompt()

    def action_keep_prompt(self) -> None:
        if self._asking is None:
            raise SkipAction()

    def close_prompt(self) -> None:
        """Drop the question, if one is open (the container it was about is no longer shown)."""
        if self._asking is not None:
            self._close_prompt()

    @on(Input.Blurred, "#files-prompt")
    def _prompt_left(self, event: Input.Blurred) -> None:
        # A click elsewhere on this screen: the question goes, as Esc would
        # (a dialog pushed over the screen blurs it too; that is no answer).
        if self._asking is not None and self.screen is self.app.screen:
            self._return_focus = None
            self._close_prompt()

    def _close_prompt(self) -> None:
        self._asking = None
        for widget in self.query("#files-prompt-label, #files-prompt"):
            widget.add_class("hidden")
        if self._return_focus is not None and self._return_focus.is_attached:
            self._return_focus.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._asking is None:
            return
        typed = event.value.strip()
        if not typed:
            self.notify("Type a local path", severity="warning")
            return
        direction, container_id, container_name, path, is_dir, names = self._asking
        if direction == "out":
            local = destination_for(typed, posixpath.basename(path) or "root", is_dir)
            exists = local.exists() or local.is_symlink()
            title = f"{local} exists. Overwrite it?"
            items = [safe_text(str(local))]
            if local.is_dir():
                items.append(Text("a folder: files of the same names are replaced, the others stay", style="dim"))
        else:
            local = Path(typed).expanduser()
            if not (local.exists() or local.is_symlink()):
                self.notify(clean(f"{local}: no such file or folder here"), severity="error", markup=False)
                return
            name = local.resolve().name if local.is_symlink() else local.name
            exists = name in names
            title = f"{posixpath.join(path, name)} exists in {container_name}. Overwrite it?"
            items = [safe_text(posixpath.join(path, name))]
        self._close_prompt()

        def start() -> None:
            self._start(direction, container_id, path, local)

        if exists:
            self.app.confirm(safe_text(title).plain, items, "Overwrite", start)
        else:
            start()

    # ----------------------------------------------------------------- copy

    def _start(self, direction: str, container_id: str, path: str, local: Path) -> None:
        backend = backend_on(self.app, self.engine_host)
        if backend is None:
            self.notify("Not connected to an engine", severity="error")
            return
        stopper = Stopper()
        what = f"copying {path} to {local}" if direction == "out" else f"copying {local} into {path}"
        self._copying = (stopper, what)
        self._status("")
        self._copy(backend, direction, container_id, path, local, stopper)

    def _status(self, progress: str) -> None:
        line = self.query_one("#files-copy-status", Static)
        line.set_class(self._copying is None, "hidden")
        if self._copying is not None:
            line.update(safe_text(" · ".join(part for part in (f"{self._copying[1]}…", progress, "Esc stops") if part),
                                  style="dim"))

    @work(thread=True, group="files-copy", exit_on_error=False)
    def _copy(self, backend, direction: str, container_id: str, path: str, local: Path, stopper: Stopper) -> None:
        def progressed(progress: Progress) -> None:
            self.post_message(self.Progressed(progress))

        try:
            entry = None
            if direction == "out":
                result = copy_out(backend, container_id, path, local, stopper, progressed)
            else:
                result = copy_in(backend, container_id, local, path, stopper, progressed)
                # Its stat, not the folder read again: a big folder takes seconds, and may be cut.
                entry = entry_at(backend, container_id, result.destination)
        except Stopped:
            self.post_message(self.Copied(direction, container_id, None, stopped=True))
        except EngineError as error:
            self.post_message(self.Copied(direction, container_id, None, str(error)))
        else:
            self.post_message(self.Copied(direction, container_id, result, entry=entry))

    def on_file_copy_bar_progressed(self, message: Progressed) -> None:
        message.stop()
        if self._copying is not None:
            self._status(megabytes(message.progress.bytes))

    def on_file_copy_bar_copied(self, message: Copied) -> None:
        # Told here; it goes on to the pane, which shows a copy in where it landed.
        what = self._copying[1] if self._copying is not None else "the copy"
        self._copying = None
        self._status("")
        result = message.result
        if message.stopped:
            self.notify(clean(f"Stopped {what}; what was written so far stays"), severity="warning", markup=False)
        elif result is None:
            self.notify(clean(message.problem), title="Copy failed", severity="error", markup=False, timeout=8)
        else:
            files = f"{result.files:,} file{'s' if result.files != 1 else ''}"
            self.notify(clean(f"Copied to {result.destination}: {files}, {size(result.bytes)}"), markup=False)
            if result.skipped:
                more = f" and {len(result.skipped) - 3} more" if len(result.skipped) > 3 else ""
                self.notify(clean(f"Left out {len(result.skipped)}: {'; '.join(result.skipped[:3])}{more}"),
                            severity="warning", markup=False, timeout=8)
