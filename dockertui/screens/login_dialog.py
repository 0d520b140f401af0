"""``docker login`` / ``docker logout``: checked with the registry, stored as the CLI does.

The password field is masked, is never put in a message, and is cleared
after every attempt; only the registry's own refusal is shown.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dockertui.backend import EngineError, credentials
from dockertui.backend.credentials import CredentialsError
from dockertui.backend.images import KIND_TITLES, TransferError, login
from dockertui.formatting import ERROR, ERROR_DETAIL, WARNING, themed
from dockertui.screens.on_engine import OnEngine
from dockertui.worker_errors import ReportsWorkerErrors


class LoginDialog(OnEngine, ReportsWorkerErrors, ModalScreen[str | None]):
    """Dismisses with the registry logged in to, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="login-cancel"),
        Binding("ctrl+s", "submit", "Log in", id="login-submit"),
        Binding("ctrl+o", "logout", "Log out", id="login-logout"),
    ]

    class Finished(Message):
        def __init__(self, registry: str, error: str = "", kind: str = "", where: str = "") -> None:
            super().__init__()
            self.registry = registry
            self.error = error
            self.kind = kind
            self.where = where

    def __init__(self, registry: str = "docker.io") -> None:
        super().__init__(classes="image-dialog")
        self._registry = registry
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box login-box"):
            yield Static(Text("docker login", style="bold"), classes="image-title")
            with Horizontal(classes="image-row"):
                yield Label("Registry", classes="image-label")
                yield Input(self._registry, placeholder="docker.io, registry.example.com:5000", id="registry")
            with Horizontal(classes="image-row"):
                yield Label("Username", classes="image-label")
                yield Input(self._known_user(), id="username")
            with Horizontal(classes="image-row"):
                yield Label("Password", classes="image-label")
                yield Input(password=True, placeholder="password or access token", id="password")
            yield Static(id="login-status")
            with Horizontal(classes="image-buttons"):
                yield Button("Log in (ctrl+s)", variant="primary", id="login")
                yield Button("Log out (ctrl+o)", variant="warning", id="logout")
                yield Button("Cancel (esc)", id="cancel")

    def _known_user(self) -> str:
        try:
            found = credentials.load(self._registry)
        except CredentialsError:
            return ""
        return found.username if found else ""

    def on_mount(self) -> None:
        username = self.query_one("#username", Input)
        (self.query_one("#password", Input) if username.value else username).focus()
        try:
            if credentials.load(self._registry):
                self._status(Text(f"Logged in to {self._registry} as {self._known_user()}", style="dim"))
        except CredentialsError as error:
            self._status(themed(str(error), ERROR_DETAIL))

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def action_submit(self) -> None:
        if self.busy:
            return
        registry, username = self._value("registry") or "docker.io", self._value("username")
        password = self.query_one("#password", Input).value
        if not username or not password:
            self._status(themed("Type a username and a password.", ERROR_DETAIL))
            return
        self.busy = True
        self._status(Text(f"Checking with {registry}…", style="italic"))
        self._login(registry, username, password)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def _login(self, registry: str, username: str, password: str) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.Finished(registry, "not connected to an engine", "other"))
            return
        try:
            where = login(backend, registry, username, password)
        except TransferError as error:
            self.post_message(self.Finished(registry, str(error), error.kind))
            return
        except (EngineError, CredentialsError) as error:
            self.post_message(self.Finished(registry, str(error), "other"))
            return
        self.post_message(self.Finished(registry, where=where))

    def on_login_dialog_finished(self, message: Finished) -> None:
        self.busy = False
        self.query_one("#password", Input).value = ""
        if message.error:
            title = KIND_TITLES.get(message.kind, "Failed")
            self._status(Content.assemble((f"{title}: ", ERROR), themed(message.error, ERROR_DETAIL)))
            self.query_one("#password", Input).focus()
            return
        self.app.notify(f"Login succeeded: {message.registry} (stored in {message.where})", markup=False)
        self.dismiss(message.registry)

    def action_logout(self) -> None:
        registry = self._value("registry") or "docker.io"
        try:
            removed = credentials.erase(registry)
        except CredentialsError as error:
            self._status(themed(str(error), ERROR_DETAIL))
            return
        text = f"Logged out of {registry}" if removed else f"Not logged in to {registry}"
        self._status(themed(text, WARNING))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"login": self.action_submit, "logout": self.action_logout}.get(event.button.id or "", self.action_cancel)()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _status(self, text: Text | Content) -> None:
        self.query_one("#login-status", Static).update(text)
