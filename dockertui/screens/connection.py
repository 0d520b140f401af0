"""Shown while the engine cannot be reached: where, why, and when we retry."""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from dockertui.backend import EngineTarget, EngineUnavailable
from dockertui.backend.podman_service import PodmanService, podman_socket
from dockertui.formatting import ERROR_DETAIL, safe_text, themed
from dockertui.screens.contexts import ContextsScreen
from dockertui.widgets.key_bar import KeyBar
from dockertui.worker_errors import ReportsWorkerErrors


class ConnectionScreen(ReportsWorkerErrors, Screen):
    """Covers the dashboard until the engine answers; nothing stale shows."""

    BINDINGS = [
        Binding("r", "retry", "Retry now", id="retry"),
        Binding("c", "contexts", "Other context", id="connection-contexts", tooltip="Pick another docker context"),
        Binding("p", "start_podman", "Start Podman", id="connection-start-podman",
                tooltip="podman system service, until you quit"),
    ]

    def __init__(self, target: EngineTarget, reason: str, retry_in: float) -> None:
        super().__init__(id="connection")
        self._target = target
        self._reason = reason
        self._retry_at = time.monotonic() + retry_in
        self._attempts = 1

    def compose(self) -> ComposeResult:
        yield Header()
        with Center():
            with Vertical(id="connection-box"):
                yield Static(Text("Cannot reach the Docker engine", style="bold"), id="connection-title")
                yield Static(id="connection-host")
                yield Static(id="connection-reason")
                yield Static(id="connection-retry")
                keys = "r retry now · c pick another context · q quit"
                if self._podman_socket() is not None:
                    keys += " · p start Podman (podman system service; stopped when you quit)"
                yield Static(Text(keys, style="dim"), id="connection-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self._render_facts()
        self.set_interval(1, self._render_countdown)
        if getattr(self.app, "start_podman_unasked", False):
            self.action_start_podman()

    def report(self, reason: str, retry_in: float) -> None:
        """Another failed attempt: show its reason and the next retry."""
        # After a switch to another context the app's target is the one failing.
        target = getattr(self.app, "target", self._target)
        if target != self._target:
            self._target, self._attempts = target, 0
        self._reason = reason
        self._retry_at = time.monotonic() + retry_in
        self._attempts += 1
        self._render_facts()

    def _render_facts(self) -> None:
        where = self._target.url if not self._target.context else f"{self._target.url}  context {self._target.context}"
        host = Text.assemble(("Host    ", "bold"), safe_text(where), (f"  (from {self._target.source})", "dim"))
        reason = Content.assemble(("Reason  ", "bold"), themed(self._reason, ERROR_DETAIL))
        self.query_one("#connection-host", Static).update(host)
        self.query_one("#connection-reason", Static).update(reason)
        self._render_countdown()

    def _render_countdown(self) -> None:
        remaining = max(0, round(self._retry_at - time.monotonic()))
        message = f"Retrying in {remaining}s (attempt {self._attempts})" if remaining else "Retrying…"
        self.query_one("#connection-retry", Static).update(Text(message, style="italic"))

    def _podman_socket(self):
        """Where Podman would be started: only when no engine was named, Podman is installed, and none runs yet."""
        if self._target.source != "default" or getattr(self.app, "started_podman", None) is not None:
            return None
        return podman_socket()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start_podman":
            return self._podman_socket() is not None
        return True

    def action_start_podman(self) -> None:
        socket = self._podman_socket()
        if socket is not None:
            self.query_one("#connection-retry", Static).update(Text("Starting Podman…", style="italic"))
            service = self.app.started_podman = PodmanService(socket)  # the app stops it when it quits
            self._start_podman(service)

    @work(thread=True, exclusive=True, group="start-podman", exit_on_error=False)
    def _start_podman(self, service: PodmanService) -> None:
        try:
            service.start()
        except EngineUnavailable as error:
            self.app.call_from_thread(self._podman_failed, str(error))
            return
        if not self.app.is_running:  # quit meanwhile, after on_unmount stopped nothing yet started
            service.stop()
            return
        self.app.call_from_thread(self._podman_started, service)

    def _podman_failed(self, error: str) -> None:
        self.app.started_podman = None
        self.app.notify(error, title="Podman", severity="error", markup=False)

    def _podman_started(self, service: PodmanService) -> None:
        self.app.notify(f"Podman's service runs at {service.socket}; it stops when you quit", markup=False)
        self.action_retry()

    def action_contexts(self) -> None:
        self.app.push_screen(ContextsScreen(getattr(self.app, "target", self._target)),
                             getattr(self.app, "engines_chosen", None))

    def action_retry(self) -> None:
        retry = getattr(self.app, "retry_connection", None)
        if retry is not None:
            retry()
