"""The application: wires the engine follower to the screens, nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from dockertui import __version__
from dockertui.backend import DockerBackend, EngineFollower, EngineTarget
from dockertui.formatting import clean, utc_now
from dockertui.messages import (
    ContainerChanged,
    EngineConnected,
    EngineEventReceived,
    EngineLost,
    ImageChanged,
    MessageListener,
)
from dockertui.screens.connection import ConnectionScreen
from dockertui.screens.dashboard import DashboardScreen
from dockertui.screens.help import HelpScreen

Connector = Callable[[EngineTarget], DockerBackend]


class DockerTUI(App[None]):
    """A keyboard-first dashboard for one Docker engine."""

    CSS_PATH = "app.tcss"
    TITLE = "dockertui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        target: EngineTarget,
        connect: Connector = DockerBackend.connect,
        now: Callable[[], datetime] = utc_now,
        show_all: bool = False,
    ) -> None:
        super().__init__()
        self.target = target
        self._now = now
        self.sub_title = f"{clean(target.display)} · connecting…"
        self.follower = EngineFollower(lambda: connect(target), MessageListener(self))
        self.dashboard = DashboardScreen(now=now, show_all=show_all)

    def on_mount(self) -> None:
        self.push_screen(self.dashboard)
        self._follow_engine()

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _follow_engine(self) -> None:
        self.follower.run()

    @property
    def backend(self) -> DockerBackend | None:
        """The live connection, for actions; None while disconnected."""
        return self.follower.backend

    def retry_connection(self) -> None:
        self.follower.retry_now()

    def on_engine_connected(self, message: EngineConnected) -> None:
        engine = message.snapshot.engine
        self.sub_title = f"{clean(engine.host)} · Docker {clean(engine.version)} (API {clean(engine.api_version)})"
        while isinstance(self.screen, ConnectionScreen):
            self.pop_screen()
        self.dashboard.apply_snapshot(message.snapshot, self.target.url)

    def on_engine_lost(self, message: EngineLost) -> None:
        self.sub_title = f"{clean(self.target.display)} · disconnected"
        for screen in self.screen_stack:
            if isinstance(screen, ConnectionScreen):
                screen.report(message.reason, message.retry_in)
                return
        self.push_screen(ConnectionScreen(self.target, message.reason, message.retry_in))

    def on_container_changed(self, message: ContainerChanged) -> None:
        self.dashboard.apply_container(message.container_id, message.container)

    def on_image_changed(self, message: ImageChanged) -> None:
        self.dashboard.apply_image(message.reference, message.image)

    def on_engine_event_received(self, message: EngineEventReceived) -> None:
        self.dashboard.apply_event(message.event)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(clean(f"{type(error).__name__}: {error}"), title="Error", severity="error", markup=False)

    def action_help(self) -> None:
        rows = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            description = binding.description or binding.action.replace("_", " ")
            rows.append((self.get_key_display(binding), description, type(active.node).__name__))
        layers = {type(self).__name__: 0, type(self.screen).__name__: 1}
        rows.sort(key=lambda row: (layers.get(row[2], 2), row[2], row[0]))
        self.push_screen(HelpScreen(rows))

    async def action_quit(self) -> None:
        # Close the event stream first: it is what frees the follower's thread.
        self.follower.stop()
        self.exit()

    def on_unmount(self) -> None:
        self.follower.stop()

    @property
    def version(self) -> str:
        return __version__
