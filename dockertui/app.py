"""The application: wires the engine follower to the screens, nothing more."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from datetime import datetime

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from dockertui import __version__
from textual.app import SuspendNotSupported

from dockertui.backend import ContainerInfo, DockerBackend, EngineError, EngineFollower, EngineTarget
from dockertui.container_actions import ContainerActions
from dockertui.parsing import parse_command
from dockertui.screens.prompt import PromptScreen
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.image_table import ImageTable
from dockertui.terminal_session import open_and_run_session
from dockertui.formatting import clean, utc_now
from dockertui.messages import (
    ActionFinished,
    InspectLoaded,
    RunSpecLoaded,
    ContainersChanged,
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
        run_labels: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__()
        self.target = target
        self._now = now
        self.sub_title = f"{clean(target.display)} · connecting…"
        self.follower = EngineFollower(lambda: connect(target), MessageListener(self))
        self.dashboard = DashboardScreen(now=now, show_all=show_all)
        self.container_actions = ContainerActions(self)
        # Labels put on every container the run dialog creates (tests use this).
        self.run_labels = run_labels

    async def on_mount(self) -> None:
        # The dashboard must be composed before the first snapshot arrives.
        await self.push_screen(self.dashboard)
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

    @property
    def _accepting_updates(self) -> bool:
        # Updates still queued while the app shuts down find no widgets to update.
        return self.is_running and self.dashboard.is_mounted

    def on_engine_connected(self, message: EngineConnected) -> None:
        if not self._accepting_updates:
            return
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

    def on_containers_changed(self, message: ContainersChanged) -> None:
        if self._accepting_updates:
            self.dashboard.apply_containers(message.changes)

    def on_image_changed(self, message: ImageChanged) -> None:
        if self._accepting_updates:
            self.dashboard.apply_image(message.reference, message.image)

    def on_engine_event_received(self, message: EngineEventReceived) -> None:
        if self._accepting_updates:
            self.dashboard.apply_event(message.event)

    def on_container_table_action_requested(self, message: ContainerTable.ActionRequested) -> None:
        self.container_actions.request(message.action, message.containers)

    def on_image_table_action_requested(self, message: ImageTable.ActionRequested) -> None:
        self.container_actions.request_image(message.action, message.tags)

    def on_action_finished(self, message: ActionFinished) -> None:
        self.container_actions.finished(message)

    def on_inspect_loaded(self, message: InspectLoaded) -> None:
        self.container_actions.show_inspect(message)

    def on_run_spec_loaded(self, message: RunSpecLoaded) -> None:
        self.container_actions.open_run_dialog(spec=message.spec)

    def open_session(self, kind: str, container: ContainerInfo | None = None, container_id: str = "") -> None:
        """Suspend the app and hand the terminal to a shell, a command, or the main process."""
        target = container.id if container else container_id
        if kind == "exec":
            def answered(command: str | None) -> None:
                if command:
                    self._run_session("exec", target, parse_command(command))

            self.push_screen(PromptScreen("Command to run (docker exec -it):", "sh", validate=parse_command), answered)
            return
        self._run_session(kind, target, ["sh"])

    def _run_session(self, kind: str, container_id: str, command: list[str] | tuple[str, ...]) -> None:
        backend = self.backend
        if backend is None:
            self.notify("Not connected to an engine", severity="error")
            return
        try:
            with self.suspend():
                outcome = open_and_run_session(backend, kind, container_id, list(command))
        except SuspendNotSupported:
            self.notify("This terminal cannot be handed over (no suspend support here)", severity="error")
            return
        except EngineError as error:
            self.notify(clean(str(error)), title="Session failed", severity="error", markup=False)
            return
        self.notify(f"Session {outcome}", timeout=3)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(clean(f"{type(error).__name__}: {error}"), title="Error", severity="error", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every key's action on the screen it was opened from."""
        yield from super().get_system_commands(screen)
        seen: set[tuple[int, str]] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or (id(active.node), binding.action) in seen:
                continue
            seen.add((id(active.node), binding.action))
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} · key {self.get_key_display(binding)}",
                partial(active.node.run_action, binding.action),
            )

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
