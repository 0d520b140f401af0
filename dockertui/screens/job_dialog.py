"""What the commit, save, export and load dialogs share: one closable job in a thread.

The job (backend/artefacts.py) runs in a thread worker; the dialog reads its
progress a few times a second, and Esc closes it (which frees the thread at
once) and then closes the dialog, saying what became of the work. Errors
keep the dialog open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from dockertui.backend import EngineError
from dockertui.formatting import ERROR, ERROR_DETAIL, WARNING, themed
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.byte_progress import ByteProgress
from dockertui.worker_errors import ReportsWorkerErrors

# How often the progress shown is brought up to date.
TICK_SECONDS = 0.2


class Job(Protocol):
    def run(self) -> Any: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class JobOutcome:
    """What the dialog closed with: said in a notification (a warning when ``cancelled``)."""

    summary: str
    cancelled: bool = False


class JobDialog(OnEngine, ReportsWorkerErrors, ModalScreen[JobOutcome | None]):
    """A dialog with one job at a time; subclasses make it and say what its outcome was."""

    # The button that starts the job (disabled while it runs).
    SUBMIT_ID: ClassVar[str] = "submit"
    # The field that has the keys when the dialog opens.
    FIRST_FIELD: ClassVar[str] = "path"

    class Ended(Message):
        """The job ended: ``result`` None and no ``error`` means it was cancelled."""

        def __init__(self, result: Any = None, error: str = "") -> None:
            super().__init__()
            self.result = result
            self.error = error

    def __init__(self) -> None:
        super().__init__(classes="image-dialog artefact-dialog")
        self.job: Job | None = None
        self.cancelling = False
        self._ticker: Timer | None = None
        # Filled in by the : line with all the CLI needs: start at once.
        self._start_now = False

    def job_footer(self, label: str) -> ComposeResult:
        """The progress, the status line and the buttons, under a dialog's fields."""
        yield ByteProgress(id="bytes")
        yield Static(id="job-status")
        with Horizontal(classes="image-buttons"):
            yield Button(f"{label} (ctrl+s)", variant="primary", id=self.SUBMIT_ID)
            yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(f"#{self.FIRST_FIELD}", Input).focus()
        if self._start_now:
            self.action_submit()

    def action_submit(self) -> None:
        raise NotImplementedError

    def checked(self, field: str, check: Callable[[str], Any]) -> Any:
        """``check`` of what field ``field`` holds, or None with its error under the field (``#field-error``)."""
        error = self.query_one(f"#{field}-error", Static)
        try:
            value = check(self.query_one(f"#{field}", Input).value)
        except ValueError as problem:
            error.update(themed(str(problem), ERROR))
            return None
        error.update("")
        return value

    def connected_backend(self) -> Any:
        """The engine to run the job on, or None (the status line says why)."""
        if self.engine_backend is None:
            self.status(themed("Not connected to an engine", ERROR_DETAIL))
        return self.engine_backend

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.SUBMIT_ID:
            self.action_submit()
        else:
            self.action_cancel()

    @property
    def running(self) -> bool:
        return self.job is not None

    def start_job(self, job: Job) -> None:
        self.job = job
        self.cancelling = False
        self.query_one(f"#{self.SUBMIT_ID}", Button).disabled = True
        self.show_progress()
        self._ticker = self.set_interval(TICK_SECONDS, self.show_progress)
        self._run_job(job)

    @work(thread=True, group="artefact-job", exit_on_error=False)
    def _run_job(self, job: Job) -> None:
        try:
            result = job.run()
        except EngineError as error:
            self.post_message(self.Ended(error=str(error) or type(error).__name__))
            return
        except Exception as error:  # the dialog must end, whatever went wrong
            self.post_message(self.Ended(error=f"unexpected error: {type(error).__name__}: {error}"))
            raise
        self.post_message(self.Ended(result))

    def on_job_dialog_ended(self, message: Ended) -> None:
        job, self.job = self.job, None
        if self._ticker is not None:
            self._ticker.stop()
        self.query_one(f"#{self.SUBMIT_ID}", Button).disabled = False
        if message.error:
            self.failed(message.error)
            self.status(Content.assemble(("Failed: ", ERROR), themed(message.error, ERROR_DETAIL)))
        elif message.result is None:
            self.dismiss(JobOutcome(self.cancelled_summary(job), cancelled=True))
        else:
            self.dismiss(JobOutcome(self.summary(job, message.result)))

    def action_cancel(self) -> None:
        """Esc: cancel the job (the dialog closes when it has stopped); with none, or at a second Esc, close."""
        if self.job is not None and not self.cancelling:
            self.cancelling = True
            self.job.close()
            self.status(themed("Cancelling…", WARNING))
            return
        self.dismiss(None)

    def on_unmount(self) -> None:
        # The app quitting: a job left running would keep its thread, and the app's exit, waiting.
        if self.job is not None:
            self.job.close()

    def status(self, text: Content) -> None:
        self.query_one("#job-status", Static).update(text)

    # What subclasses say.

    def show_progress(self) -> None:
        """Bring the progress shown up to date with ``self.job``'s."""

    def failed(self, error: str) -> None:
        """The job failed (the status line says so already)."""
        self.query_one(ByteProgress).stop()

    def summary(self, job: Any, result: Any) -> str:
        raise NotImplementedError

    def cancelled_summary(self, job: Any) -> str:
        raise NotImplementedError
