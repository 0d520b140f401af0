"""Each engine's swarm, and which engine the Swarm screen shows.

Mixed into the app. With one engine there is one swarm (``swarms[""]``) and
the Swarm screen shows it, as it always did. In a fleet every engine reports
its own (None: not a manager), kept by name; the screen shows one engine's
at a time (``SwarmScreen.engine_host``): ``W`` opens it on the cursor row's
engine if that is a manager, and ``H`` there moves it to the next one that
is. Only that engine's reports reach the screen, and its lists, logs and
actions all go to that engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from dockertui.backend.swarm import read_swarm
from dockertui.fleet import stamped_swarm
from dockertui.formatting import clean
from dockertui.messages import SwarmChanged

if TYPE_CHECKING:
    from dockertui.actions.controllers import Controllers
    from dockertui.backend.client import DockerBackend
    from dockertui.backend.swarm_models import SwarmSnapshot
    from dockertui.fleet import Fleet
    from dockertui.widgets.node_table import NodeTable
    from dockertui.widgets.service_table import ServiceTable


class FleetSwarm:
    """``swarms`` by engine; ``action_swarm`` and the Swarm screen's engine; ``SwarmChanged`` applied."""

    if TYPE_CHECKING:  # given by the app
        fleet: Fleet | None
        swarms: dict[str, SwarmSnapshot | None]
        _generation: int
        dashboard: Any
        swarm_screen: Any
        screen: Any

        def _made(self, name: str) -> bool: ...
        def _accepts(self, message: Any) -> bool: ...
        def backend_for(self, host: str) -> DockerBackend | None: ...
        def actions_for(self, host: str) -> Controllers: ...
        def is_screen_installed(self, screen: Any) -> bool: ...
        def install_screen(self, screen: Any, name: str) -> Any: ...
        def push_screen(self, screen: Any) -> Any: ...
        def post_message(self, message: Any) -> bool: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...

    @property
    def swarm_host(self) -> str:
        """The engine the Swarm screen shows: a fleet member's name, "" with one engine."""
        return self.swarm_screen.engine_host if self._made("swarm_screen") else ""

    @property
    def swarm(self) -> SwarmSnapshot | None:
        """The swarm the Swarm screen shows; None if its engine is not a manager (or not read yet)."""
        return self.swarms.get(self.swarm_host)

    def swarm_managers(self) -> list[str]:
        """The engines that are swarm managers, in the fleet's order ("" with one engine that is)."""
        names = self.fleet.names if self.fleet is not None else [""]
        return [name for name in names if self.swarms.get(name) is not None]

    def _swarm_shown(self) -> bool:
        return self._made("swarm_screen") and self.swarm_screen.is_mounted

    # ------------------------------------------------------------ reports

    def on_swarm_changed(self, message: SwarmChanged) -> None:
        # A read that lands while the app shuts down finds the Swarm screen emptied.
        if not self._accepts(message):
            return
        host = message.host
        had_managers = bool(self.swarm_managers())
        was = self.swarms.get(host)
        self.swarms[host] = message.swarm
        if was is None and message.swarm is not None:
            who = f"{clean(host)} is" if host else "This engine is"
            self.notify(f"{who} a swarm manager: W shows its services, tasks and nodes", timeout=6, markup=False)
        if not self._swarm_shown():
            return
        screen = self.swarm_screen
        if host == screen.engine_host:
            screen.show_engine()
        elif message.swarm is not None and not had_managers:
            # The screen said no engine was a manager: the first to become one takes it.
            screen.engine_host = host
        elif (was is None) != (message.swarm is None):
            screen.show_engine()  # which engines are managers is part of what an empty screen says

    def swarm_engine_changed(self, host: str) -> None:
        """Engine ``host`` of the fleet went away: the Swarm screen says so if it shows that engine."""
        if self._swarm_shown() and self.swarm_screen.engine_host == host:
            self.swarm_screen.show_engine()

    def forget_swarms(self) -> None:
        """Other engines are followed now: no swarm is known until they report."""
        self.swarms.clear()
        if self._made("swarm_screen"):
            self.swarm_screen.engine_host = ""
            if self.swarm_screen.is_mounted:
                self.swarm_screen.show_engine()

    def refresh_swarm(self) -> None:
        """Read the shown engine's swarm now: leaving a swarm with no tasks running sends no event."""
        host = self.swarm_host
        member = self.fleet.member(host) if self.fleet is not None and host else None
        self._read_swarm(host, member.generation if member is not None else self._generation)

    @work(thread=True, exclusive=True, group="swarm-read", exit_on_error=False)
    def _read_swarm(self, host: str, generation: int) -> None:
        backend = self.backend_for(host)
        if backend is None:
            return
        message = SwarmChanged(stamped_swarm(read_swarm(backend), host) if host else read_swarm(backend))
        message.host, message.generation = host, generation
        self.post_message(message)

    # ------------------------------------------------------------ showing

    def action_swarm(self, pane: str = "") -> None:
        """Open the Swarm screen (on ``pane``, "services" or "nodes", if given)."""
        screen = self.swarm_screen
        if self.screen is not screen:
            screen.engine_host = self._swarm_engine_to_open()
        if not screen.is_mounted:
            # Not composed yet: it is composed on that pane. A pane set after the push
            # could land before its tabs are mounted, and be lost (seen under load).
            screen.first_pane = pane or screen.first_pane
            pane = ""
        if not self.is_screen_installed("swarm"):
            # Installed on first use, so that leaving it keeps its state (sort, filter, cursor).
            self.install_screen(screen, "swarm")
        if self.screen is not screen:
            self.push_screen("swarm")
        if pane:
            screen.action_show_pane(pane)

    def _swarm_engine_to_open(self) -> str:
        """The cursor row's engine if it is a manager; else the one shown last, if it still is; else the first.

        With no manager in the fleet, the cursor row's engine: the screen says none is.
        """
        if self.fleet is None:
            return ""
        managers = self.swarm_managers()
        cursor = self.dashboard.cursor_host()
        for host in (cursor, self.swarm_host):
            if host in managers:
                return host
        return managers[0] if managers else cursor

    def show_next_swarm(self) -> None:
        """``H`` on the Swarm screen: the next engine of the fleet that is a swarm manager."""
        if self.fleet is None:
            return
        names, current = self.fleet.names, self.swarm_host
        start = names.index(current) + 1 if current in names else 0
        managers = self.swarm_managers()
        following = [name for name in names[start:] + names[:start] if name in managers and name != current]
        if not following:
            where = "other engine" if current in managers else "engine"
            self.notify(f"No {where} of the fleet is a swarm manager", severity="warning", markup=False)
            return
        self.show_swarm_of(following[0])

    def show_swarm_of(self, host: str) -> None:
        """Point the Swarm screen at engine ``host``, and read its swarm afresh."""
        self.swarm_screen.engine_host = host
        self.refresh_swarm()

    # ------------------------------------------------------------ actions

    def on_service_table_action_requested(self, message: ServiceTable.ActionRequested) -> None:
        self.actions_for(self.swarm_host).services.request(message.action, message.services)

    def on_node_table_action_requested(self, message: NodeTable.ActionRequested) -> None:
        self.actions_for(self.swarm_host).nodes.request(message.action, message.nodes)
