"""``docker pull`` and ``docker push`` with per-layer progress, cancellable.

Both screens run the transfer in a thread worker that posts each progress
message back; Esc closes the engine stream (which frees the thread) and
keeps the dialog, so the reference typed is never lost.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dockertui.backend import EngineError
from dockertui.backend.images import KIND_TITLES, TransferError, parse_reference, pull, push
from dockertui.backend.run import PullProgress
from dockertui.backend.streams import ClosableStream, EngineStreamBroken
from dockertui.formatting import ERROR, ERROR_DETAIL, SUCCESS, WARNING, safe_text, themed
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.transfer_progress import TransferProgress
from dockertui.worker_errors import ReportsWorkerErrors


class Transfer:
    """One running pull or push: its stream, closable from the UI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stream: ClosableStream | None = None
        self.cancelled = False

    def attach(self, stream: ClosableStream) -> None:
        with self._lock:
            self._stream = stream
            if self.cancelled:
                stream.close()

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            if self._stream is not None:
                self._stream.close()


class TransferScreen(OnEngine, ReportsWorkerErrors, ModalScreen[str | None]):
    """What pull and push share: progress, outcome messages, cancel."""

    VERB = "pull"

    class Progressed(Message):
        def __init__(self, progress: PullProgress) -> None:
            super().__init__()
            self.progress = progress

    class Ended(Message):
        """``error`` empty on success; ``kind`` from TransferError; ``cancelled`` when stopped."""

        def __init__(self, reference: str, error: str = "", kind: str = "", cancelled: bool = False) -> None:
            super().__init__()
            self.reference = reference
            self.error = error
            self.kind = kind
            self.cancelled = cancelled

    def __init__(self) -> None:
        super().__init__(classes="image-dialog transfer-dialog")
        self.transfer: Transfer | None = None
        self.outcome: TransferScreen.Ended | None = None

    @property
    def running(self) -> bool:
        return self.transfer is not None

    def start(self, reference: str) -> None:
        self.outcome = None
        self.transfer = Transfer()
        self.query_one(TransferProgress).reset()
        self._status(Text(f"{self.VERB.capitalize()}ing {reference}…", style="italic"))
        self._transfer(reference, self.transfer)

    @work(thread=True, exclusive=True, group="image-transfer", exit_on_error=False)
    def _transfer(self, reference: str, transfer: Transfer) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.Ended(reference, "not connected to an engine", "other"))
            return
        try:
            stream = (pull if self.VERB == "pull" else push)(backend, reference)
            transfer.attach(stream)
            for progress in stream:
                self.post_message(self.Progressed(progress))
        except TransferError as error:
            self.post_message(self.Ended(reference, str(error), error.kind))
            return
        except (EngineError, EngineStreamBroken) as error:
            self.post_message(self.Ended(reference, str(error), "other"))
            return
        except Exception as error:  # the dialog must end, whatever went wrong
            self.post_message(self.Ended(reference, f"unexpected error: {type(error).__name__}: {error}", "other"))
            raise
        self.post_message(self.Ended(reference, cancelled=transfer.cancelled))

    def on_transfer_screen_progressed(self, message: Progressed) -> None:
        self.query_one(TransferProgress).add(message.progress)

    def on_transfer_screen_ended(self, message: Ended) -> None:
        self.transfer = None
        self.outcome = message
        if message.cancelled or message.error:
            self.query_one(TransferProgress).stop()
        if message.cancelled:
            self._status(themed(f"{self.VERB.capitalize()} cancelled.", WARNING))
        elif message.error:
            title = KIND_TITLES.get(message.kind, "Failed")
            self._status(Content.assemble((f"{title}: ", ERROR), themed(message.error, ERROR_DETAIL)))
        else:
            self.query_one(TransferProgress).finish()
            self._status(themed(f"{self.VERB.capitalize()}ed {message.reference}", SUCCESS))
        self.ended(message)

    def ended(self, message: Ended) -> None:
        """Subclasses react to the outcome."""

    def action_cancel(self) -> None:
        """Esc: stop a running transfer (the dialog stays); else, or at a second Esc, close."""
        if self.transfer is not None and not self.transfer.cancelled:
            self.transfer.cancel()
            self._status(themed("Cancelling… (Esc again closes)", WARNING))
            return
        self.dismiss(None)  # a transfer cancelled already ends by itself: its stream is closed

    def _status(self, text: Text | Content) -> None:
        self.query_one("#transfer-status", Static).update(text)


class PullDialog(TransferScreen):
    """Type a reference and pull it; stays open on errors, closes on success."""

    VERB = "pull"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="pull-cancel"),
        Binding("ctrl+s", "submit", "Pull", id="pull-submit"),
    ]

    def __init__(self, reference: str = "", start: bool = False) -> None:
        super().__init__()
        self._initial = reference
        self._start_now = start and bool(reference)

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box"):
            yield Static(Text("docker pull", style="bold"), classes="image-title")
            with Horizontal(classes="image-row"):
                yield Label("Image", classes="image-label")
                yield Input(self._initial, placeholder="busybox, nginx:1.27, host:5000/team/app@sha256:…", id="reference")
            yield Static(id="error-reference", classes="image-error")
            yield TransferProgress(id="transfer")
            yield Static(id="transfer-status")
            with Horizontal(classes="image-buttons"):
                yield Button("Pull (ctrl+s)", variant="primary", id="pull")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reference", Input).focus()
        if self._start_now:
            self.action_submit()

    def action_submit(self) -> None:
        if self.running:
            return
        field = self.query_one("#reference", Input)
        error = self.query_one("#error-reference", Static)
        try:
            reference = parse_reference(field.value)
        except ValueError as problem:
            error.update(themed(str(problem), ERROR))
            self._status(themed("Malformed reference: see above.", ERROR_DETAIL))
            return
        error.update("")
        self.query_one("#pull", Button).disabled = True
        self.start(str(reference))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pull":
            self.action_submit()
        else:
            self.action_cancel()

    def ended(self, message: TransferScreen.Ended) -> None:
        self.query_one("#pull", Button).disabled = False
        if message.kind == "reference":
            self.query_one("#error-reference", Static).update(themed(message.error, ERROR))
        if not message.error and not message.cancelled:
            self.dismiss(message.reference)


class PushScreen(TransferScreen):
    """Push one tag at once; an unauthorized push offers the login dialog."""

    VERB = "push"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="push-cancel"),
        Binding("l", "login", "Log in…", id="push-login"),
        Binding("r", "retry", "Retry", id="push-retry"),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box"):
            yield Static(Text.assemble(("docker push ", "bold"), safe_text(self.reference)), classes="image-title")
            yield TransferProgress(id="transfer")
            yield Static(id="transfer-status")
            with Horizontal(classes="image-buttons"):
                yield Button("Log in… (l)", id="login", classes="hidden")
                yield Button("Retry (r)", id="retry", classes="hidden")
                yield Button("Close (esc)", id="cancel")

    def on_mount(self) -> None:
        self.start(self.reference)

    def ended(self, message: TransferScreen.Ended) -> None:
        self.query_one("#login", Button).set_class(message.kind != "unauthorized", "hidden")
        self.query_one("#retry", Button).set_class(not message.error and not message.cancelled, "hidden")
        if message.kind == "unauthorized":
            self.query_one("#login", Button).focus()

    def action_login(self) -> None:
        if self.running:
            return
        from dockertui.screens.login_dialog import LoginDialog

        def logged_in(registry: str | None) -> None:
            if registry:
                self.action_retry()

        self.app.push_screen(LoginDialog(parse_reference(self.reference).registry).on_engine(self.engine_host), logged_in)

    def action_retry(self) -> None:
        if not self.running:
            self.query_one("#login", Button).add_class("hidden")
            self.start(self.reference)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "login":
            self.action_login()
        elif event.button.id == "retry":
            self.action_retry()
        else:
            self.action_cancel()
