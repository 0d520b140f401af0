"""A custom command run in the background: its output as it comes, how it ended, Esc to stop or close.

The command's words are shown as one line quoted for a shell, so what ran
is exact; its output is shown as text (colours and cursor moves dropped).
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from dockertui.backend.compose import ComposeRun
from dockertui.formatting import ERROR, SUCCESS, WARNING, clean, themed
from dockertui.widgets.run_output import RunOutput
from dockertui.worker_errors import ReportsWorkerErrors

MAX_LINES = 5_000


class CommandOutputScreen(ReportsWorkerErrors, ModalScreen[None]):
    """``start()`` gives the running command; Esc stops it, or closes once it has ended."""

    BINDINGS = [Binding("escape", "close", "Stop / close", id="custom-output-close")]

    class Ended(Message, bubble=False):
        def __init__(self, returncode: int | None, cancelled: bool, error: str = "") -> None:
            super().__init__()
            self.returncode = returncode
            self.cancelled = cancelled
            self.error = error

    def __init__(self, title: str, argv: list[str], start: Callable[[], ComposeRun]):
        super().__init__(classes="command-output")
        self._title = title
        self.argv = argv
        self._start = start
        self._lock = threading.Lock()  # the run and ``running``, between the reading thread and the UI
        self._run: ComposeRun | None = None
        self.running = True
        self.returncode: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="command-output-box"):
            yield Static(Text(self._title, style="bold"), id="command-output-title")
            yield Static(Text("$ " + clean(shlex.join(self.argv)), style="dim"), id="command-output-argv")
            yield RunOutput(MAX_LINES, id="command-output-log")
            yield Static(themed("running… (Esc stops it)", WARNING), id="command-output-status")

    def on_mount(self) -> None:
        self._follow()

    def on_unmount(self) -> None:
        with self._lock:
            run = self._run
        if run is not None:
            run.close()

    @work(thread=True, exclusive=True, group="custom-command", exit_on_error=False)
    def _follow(self) -> None:
        try:
            run = self._start()
        except OSError as error:
            self.post_message(self.Ended(None, False, error.strerror or str(error)))
            return
        with self._lock:
            self._run = run
            stop_now = not self.running
        if stop_now:
            run.close()
        self.query_one(RunOutput).feed(run)
        self.post_message(self.Ended(run.returncode, run.cancelled))

    @on(Ended)
    def _ended(self, message: Ended) -> None:
        output = self.query_one(RunOutput)
        output.drain()
        self.running = False
        self.returncode = message.returncode
        if message.error:
            status = Content.assemble(("could not start: ", ERROR), themed(message.error, ERROR))
        elif message.cancelled:
            status = themed("stopped. Esc closes.", WARNING)
        elif message.returncode == 0:
            status = themed("finished (exit 0). Esc closes.", SUCCESS)
        else:
            status = themed(f"failed (exit {message.returncode}). Esc closes.", ERROR)
        if output.lines_read > MAX_LINES:
            status = Content.assemble(status, themed(f"  (the last {MAX_LINES:,} of {output.lines_read:,} lines are kept)"))
        self.query_one("#command-output-status", Static).update(status)

    def action_close(self) -> None:
        if not self.running:
            self.dismiss()
            return
        with self._lock:
            self.running = False
            run = self._run
        if run is not None:
            run.close()
        self.query_one("#command-output-status", Static).update(themed("stopping…", WARNING))
