"""The application: wires the engine follower to the screens, nothing more."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.driver import Driver
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from dockertui.actions.controllers import Controllers
from dockertui.backend import EngineTarget, connect, import_sdk_meanwhile
from dockertui.backend.live import EngineFollower
from dockertui.backend.swarm_models import SwarmSnapshot
from dockertui.config import Config, remember_theme
from dockertui.engine_reports import EngineReports
from dockertui.engine_watch import GIVE_UP_KEY, EngineWatch
from dockertui.first_lists import FirstLists
from dockertui.fleet import Fleet, FleetEntry, FleetMember, HostListener
from dockertui.fleet_routing import FleetRouting
from dockertui.fleet_swarm import FleetSwarm
from dockertui.formatting import clean, engine_title, utc_now
from dockertui.keymap import unknown_ids
from dockertui.messages import (
    ActionFinished,
    ContainersChanged,
    EngineCallEnded,
    FirstSnapshotRead,
    InspectLoaded,
    MessageListener,
    RunSpecLoaded,
)
from dockertui.palette import DockerCommands, key_commands
from dockertui.typeahead import Hold, TypeAhead, TypeAheadProbe
from dockertui.widgets.theme_roles import RolePalette
from dockertui.worker_errors import report_worker_error

if TYPE_CHECKING:
    from textual.timer import Timer

    from dockertui.backend.client import DockerBackend
    from dockertui.backend.podman_service import PodmanService
    from dockertui.fleet_first_reads import FleetFirstReads, FleetListsRead
    from dockertui.screens.compose_project import ComposeProjectScreen
    from dockertui.screens.dashboard import DashboardScreen
    from dockertui.screens.swarm import SwarmScreen
    from dockertui.widgets.container_table import ContainerTable
    from dockertui.widgets.image_table import ImageTable
    from dockertui.widgets.line_list import Lines
    from dockertui.widgets.network_table import NetworkTable
    from dockertui.widgets.volume_table import VolumeTable


STYLES = Path(__file__).parent / "styles"


class DockerTUI(EngineReports, FleetRouting, FleetSwarm, App[None]):
    """A keyboard-first dashboard for one Docker engine."""

    # Absolute: Textual reads a relative path from the module of the class, and
    # a subclass (the snapshot tests') lives elsewhere.
    CSS_PATH = [STYLES / f"{name}.tcss" for name in ("app", "images", "hosts", "swarm", "compose")]
    COMMANDS = App.COMMANDS | {DockerCommands}
    TITLE = "dockertui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("C", "contexts", "Contexts", id="contexts", show=False, tooltip="switch to another docker context"),
        Binding("W", "swarm", "Swarm", id="swarm", show=False, tooltip="services, tasks and nodes (Swarm mode)"),
        Binding("I", "engine_info", "Engine info", id="engine-info", show=False, tooltip="docker version, docker info, Compose"),
        Binding(GIVE_UP_KEY, "stop_waiting", "Stop waiting", id="engine-stop-waiting", show=False,
                tooltip="give up on actions the engine has not answered; you are told if it does them later"),
    ]

    def __init__(
        self,
        target: EngineTarget,
        now: Callable[[], datetime] = utc_now,
        show_all: bool = False,
        run_labels: tuple[tuple[str, str], ...] = (),
        config: Config | None = None,
        config_path: Path | None = None,
        config_problem: str | None = None,
        scope_labels: dict[str, str] | None = None,
        fleet: list[FleetEntry] | None = None,
    ) -> None:
        super().__init__()
        # Several engines at once (fleet.py): ``target`` is the first, and the one
        # for what acts on no row of its own (the registry).
        self.fleet: Fleet | None = None
        self._actions_by_host: dict[str, Controllers] = {}
        self.target = target
        self._now = now
        self._generation = 0
        # The generation that connected once already: a later snapshot of it is a reconnect.
        self._connected_generation = -1
        # Per engine, a burst's container changes: when last applied, and those held back (engine_reports.py).
        self.containers_applied: dict[str, tuple[float, int]] = {}
        self.containers_deferred: dict[str, tuple[Timer, ContainersChanged]] = {}
        # Keys of containers the engine answered it removed, until the next snapshot (engine_reports.py).
        self.removed_containers: set[str] = set()
        self._engine_title = f"{clean(target.display)} · connecting…"
        self.sub_title = self._engine_title
        # Actions' engine calls that wait too long are reported (engine_watch.py).
        self.engine_watch = EngineWatch(self, self._show_engine_state)
        self._start_fleet(fleet if fleet and len(fleet) > 1 else [FleetEntry("", target)])
        self.config = config or Config()
        self._config_path = config_path
        self._config_problem = config_problem
        self._show_all = show_all
        self.engine_product = ""
        # The latest read of each engine's swarm (None: not a manager), by fleet name
        # ("" with one engine); the Swarm screen shows one of them (fleet_swarm.py).
        self.swarms: dict[str, SwarmSnapshot | None] = {}
        # Labels put on volumes and networks the app creates, and the only
        # objects cleanup may offer to remove (tests use this to stay in their lane).
        self.scope_labels = scope_labels
        # Labels put on every container the run dialog creates (tests use this).
        self.run_labels = run_labels
        self.typeahead = TypeAhead(self)
        self.first_lists = FirstLists(self, self.typeahead, lambda info: self._set_engine_title(engine_title(info)))
        # Colours by role, from the theme (widgets/theme_roles.py).
        self.role_palette = RolePalette()
        # A Podman service the connection screen started (p); it goes when the app does.
        self.started_podman: PodmanService | None = None
        # --start-podman: the connection screen starts it without asking.
        self.start_podman_unasked = False
        if self.config.custom_commands:
            from dockertui.actions.custom import bind_custom_commands

            self._config_problem = self._config_problem or bind_custom_commands(self)

    def get_driver_class(self) -> type[Driver]:
        """Textual's terminal driver, with an input thread that sleeps while no key comes (quiet_driver.py)."""
        driver_class = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver_class is not LinuxDriver:
            return driver_class  # the browser's (serve), Windows', or one named in TEXTUAL_DRIVER
        from dockertui.quiet_driver import QuietLinuxDriver

        return QuietLinuxDriver

    # The dashboard, the controllers and the Swarm screen, with the widgets
    # and dialogs they import, are made on first use: the first frame (the
    # title, see compose) waits for none of them, and the list for none but
    # the dashboard.

    @cached_property
    def dashboard(self) -> DashboardScreen:
        from dockertui.screens.dashboard import DashboardScreen

        return DashboardScreen(
            now=self._now,
            show_all=self._show_all,
            log_tail=self.config.log_tail,
            log_max_lines=self.config.log_max_lines,
            default_pane=self.config.default_pane,
            stats_interval=self.config.stats_interval,
            stats_columns=self.config.stats_columns,
            first_snapshot=self.first_lists.wait_and_take,
            hosts=tuple(self.fleet.names) if self.fleet is not None else (),
        )

    @cached_property
    def actions(self) -> Controllers:
        """What the keys do, per kind of object; each controller made on first use."""
        return Controllers(self)

    @cached_property
    def swarm_screen(self) -> SwarmScreen:
        from dockertui.screens.swarm import SwarmScreen

        return SwarmScreen(now=self._now, log_tail=self.config.log_tail, log_max_lines=self.config.log_max_lines)

    def _made(self, name: str) -> bool:
        """Whether the cached property ``name`` was made yet (no action run, no screen opened)."""
        return name in self.__dict__

    async def on_event(self, event: events.Event) -> None:
        # Keys and pastes go one at a time: see typeahead.py.
        if self.typeahead.admit(event):
            await self._dispatch_input(event)

    async def _dispatch_input(self, event: events.Event) -> None:
        await super().on_event(event)
        self.typeahead.dispatched(event)

    async def on_type_ahead_probe(self, probe: TypeAheadProbe) -> None:
        following = self.typeahead.probe_returned(probe)
        if following is not None:
            await self._dispatch_input(following)

    async def on_mount(self) -> None:
        if self.fleet is None:
            self.first_lists.start(self.target)
        else:
            self.fleet_first_reads.start(self.fleet)
        self.engine_watch.begin()
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
            unknown = unknown_ids(self.config.keymap)
            if unknown:
                self.notify(
                    f"[keymap] names no binding: {', '.join(unknown)}. The help screen (?) lists the ids.",
                    title="Config", severity="warning", timeout=15, markup=False,
                )
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # The title is drawn first (compose); keys typed meanwhile wait for the dashboard.
        self.call_after_refresh(self._open_dashboard, self.typeahead.hold("the dashboard"))

    def compose(self) -> ComposeResult:
        # The screen under the dashboard: the first frame, drawn before the
        # dashboard's modules are even imported.
        yield Header()
        yield self.role_palette

    async def _open_dashboard(self, hold: Hold) -> None:
        # With the lists read without the SDK (first_lists.py), loading it
        # would only slow their first frame: it waits for that frame.
        if not self.first_lists.coming and self.fleet is None:
            import_sdk_meanwhile(self.target)
        await self.push_screen(self.dashboard)
        if self.first_lists.coming:
            import_sdk_meanwhile(self.target)
            self.first_lists.hold_keys(hold)
        else:
            self.typeahead.release(hold)
        if self._config_problem:
            self.notify(self._config_problem, title="Config", severity="error", timeout=15, markup=False)
        if self.fleet is not None:
            self.fleet_first_reads.dashboard_mounted(follow=self._follow_member)
        else:
            self._follow_engine()

    @cached_property
    def fleet_first_reads(self) -> FleetFirstReads:
        from dockertui.fleet_first_reads import FleetFirstReads

        return FleetFirstReads(self)

    def on_fleet_lists_read(self, message: FleetListsRead) -> None:
        self.fleet_first_reads.arrived(message)

    def on_first_snapshot_read(self, _: FirstSnapshotRead) -> None:
        # In by the time the dashboard mounted, it showed them in its first frame.
        if self._made("dashboard") and self.dashboard.is_mounted and (first := self.first_lists.take()):
            self.dashboard.apply_snapshot(*first)

    def _remember_theme(self, theme: Theme) -> None:
        if self._config_path is None or theme.name == self.config.theme:
            return
        if not remember_theme(self._config_path, theme.name):
            self.notify("Theme not saved: the config file is invalid and is left as it is", severity="warning")

    def _follow_engine(self) -> None:
        members = self.fleet.members if self.fleet is not None else []
        for member in members:  # a thread and an event stream each
            self._follow_member(member)
        if not members:
            self._follow_one_engine()

    def _follow_member(self, member: FleetMember) -> None:
        follower = member.follower
        assert follower is not None
        self.run_worker(follower.run, thread=True, group=f"engine-{member.name}", exit_on_error=False)

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _follow_one_engine(self) -> None:
        self.follower.run()

    def _start_fleet(self, entries: list[FleetEntry]) -> None:
        """The followers: one engine's, or each fleet member's, with a generation of its own."""
        if len(entries) == 1:
            self.fleet = None
            self.follower = self._new_follower(entries[0].target)
            return
        self.fleet = Fleet(entries, first_generation=self._generation + 1)
        self._generation += len(entries) + 1  # past the members': a later single engine's is new
        for member in self.fleet.members:
            member.follower = self._new_follower(member.target, member)
        self.follower = self.fleet.members[0].follower

    def _new_follower(self, target: EngineTarget, member: FleetMember | None = None) -> EngineFollower:
        def watched() -> DockerBackend:
            backend = connect(target)
            backend.watch_requests(self.engine_watch.request_started, self.engine_watch.request_ended)
            return backend

        if member is not None:
            return EngineFollower(watched, HostListener(self, member.generation, member.name))
        return EngineFollower(watched, MessageListener(self, self._generation))

    def switch_target(self, target: EngineTarget) -> None:
        """Reconnect to another engine without a restart: streams close, panes reload."""
        self.follower.stop()
        self.first_lists.drop()
        self._generation += 1
        self.target = target
        self.follower = self._new_follower(target)
        self.engine_watch.forget()
        self._set_engine_title(f"{clean(target.display)} · connecting…")
        self.dashboard.reset()
        self.forget_swarms()
        self._follow_engine()

    def _set_engine_title(self, title: str) -> None:
        self._engine_title = title
        self._show_engine_state()

    def _show_engine_state(self) -> None:
        """The header: the engine, and whether an action has been waiting on it too long."""
        stalled = self.engine_watch.stalled_for
        # First: the end of a long title is cut off in a narrow terminal.
        warning = f"⚠ not answering for {stalled:.0f} s · " if stalled is not None else ""
        self.sub_title = warning + (self.fleet.title() if self.fleet is not None else self._engine_title)

    def action_stop_waiting(self) -> None:
        self.engine_watch.give_up()

    def on_engine_call_ended(self, message: EngineCallEnded) -> None:
        self.engine_watch.ended(message.token)

    @property
    def backend(self) -> DockerBackend | None:
        """The live connection, for actions; None while disconnected."""
        return self.follower.backend

    def retry_connection(self) -> None:
        self.follower.retry_now()

    @property
    def generation(self) -> int:
        """Which connection is current; see ``EngineMessage``."""
        return self._generation

    def on_volume_table_action_requested(self, message: VolumeTable.ActionRequested) -> None:
        for actions, volumes in self._per_engine(message.volumes):
            actions.volumes.request(message.action, volumes)

    def on_network_table_action_requested(self, message: NetworkTable.ActionRequested) -> None:
        for actions, networks in self._per_engine(message.networks):
            actions.networks.request(message.action, networks)

    def on_container_table_action_requested(self, message: ContainerTable.ActionRequested) -> None:
        # One request for all hosts: a bulk action asks once, listing them by host,
        # and then hands each engine its own (ContainerActions).
        actions, _ = self._per_engine(message.containers[:1])[0]
        actions.containers.request(message.action, message.containers)

    def on_container_table_project_requested(self, message: ContainerTable.ProjectRequested) -> None:
        self.actions_for(message.container.host).compose.open_project(message.container)

    def on_compose_project_screen_action_requested(self, message: ComposeProjectScreen.ActionRequested) -> None:
        self.actions.compose.request(message.action, message.project_screen)

    def on_image_table_action_requested(self, message: ImageTable.ActionRequested) -> None:
        for actions, tags in self._per_engine(message.tags):
            actions.images.request(message.action, tags)

    def on_action_finished(self, message: ActionFinished) -> None:
        try:
            self.actions.finished(message)
        except NoMatches:
            pass  # the app is quitting and its widgets are gone: no row to update

    def on_inspect_loaded(self, message: InspectLoaded) -> None:
        if self.typeahead.still_wanted(message.hold):
            self.actions.containers.show_inspect(message)
            self.typeahead.release(message.hold)

    def on_run_spec_loaded(self, message: RunSpecLoaded) -> None:
        if self.typeahead.still_wanted(message.hold):
            self.actions_for(message.host).containers.open_run_dialog(spec=message.spec)
            self.typeahead.release(message.hold)

    def confirm(self, title: str, items: list[Text] | Lines, label: str, then: Callable[[], None]) -> None:
        """Ask yes or no, listing exactly ``items``; ``then`` runs only on yes.

        Here so that widgets can ask too (the log pane's overwrite) without importing a screen.
        """
        from dockertui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(title, items, label), lambda yes: then() if yes else None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_worker_error(self, event.worker)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from key_commands(self, screen)
        if self.config.custom_commands:
            from dockertui.actions.custom import palette_entries

            yield from palette_entries(self)

    def action_custom_command(self, index: int) -> None:
        self.actions.custom.run(index)

    def action_contexts(self) -> None:
        from dockertui.screens.contexts import ContextsScreen

        followed = self.fleet.members if self.fleet is not None else []
        self.push_screen(ContextsScreen(self.target, [member.target for member in followed]), self.engines_chosen)

    def engines_chosen(self, entries: list[FleetEntry] | None) -> None:
        """The context picker closed: follow what it chose (one context, or those ticked)."""
        if entries:
            self.switch_engines(entries)

    def action_engine_info(self) -> None:
        from dockertui.screens.engine_info import EngineInfoScreen

        # In a fleet, the selected row's engine.
        self.push_screen(EngineInfoScreen().on_engine(self.dashboard.cursor_host() if self.fleet is not None else ""))

    def action_help(self) -> None:
        from dockertui.screens.help import HelpScreen, key_rows

        self.push_screen(HelpScreen(key_rows(self, self.screen)))

    async def action_quit(self) -> None:
        # Close the event stream first: it is what frees the follower's thread.
        self._stop_following()
        self.exit()

    def _stop_following(self) -> None:
        self.follower.stop()
        if self.fleet is not None:
            self.fleet.stop()

    def on_unmount(self) -> None:
        self._stop_following()
        if self.started_podman is not None:
            self.started_podman.stop()
