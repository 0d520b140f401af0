"""Which engine a row's action, pane or dialog goes to, and changing the engines followed.

Mixed into the app. With one engine every answer is the app's one
connection and controllers; in a fleet (fleet.py) it is the row's engine's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dockertui.actions.controllers import Controllers
from dockertui.fleet import Fleet, FleetEntry, group_by_host
from dockertui.formatting import clean

if TYPE_CHECKING:
    from dockertui.backend import EngineTarget
    from dockertui.backend.client import DockerBackend


class FleetRouting:
    """``backend_for``, ``target_for``, ``actions_for``; ``switch_engines`` for the context picker."""

    if TYPE_CHECKING:  # given by the app
        fleet: Fleet | None
        target: EngineTarget
        backend: DockerBackend | None
        actions: Controllers
        dashboard: Any
        _actions_by_host: dict[str, Controllers]
        _generation: int

        def _made(self, name: str) -> bool: ...
        def switch_target(self, target: EngineTarget) -> None: ...
        def _stop_following(self) -> None: ...
        def _start_fleet(self, entries: list[FleetEntry]) -> None: ...
        def _follow_engine(self) -> None: ...
        def _show_engine_state(self) -> None: ...
        def _set_engine_title(self, title: str) -> None: ...
        def forget_swarms(self) -> None: ...
        screen_stack: list[Any]

        def pop_screen(self) -> Any: ...
        def push_screen(self, screen: Any) -> Any: ...
        def call_later(self, callback: Any) -> bool: ...

    def backend_for(self, host: str) -> DockerBackend | None:
        """The connection to the engine a row is on (``host``: its fleet name, "" with one engine)."""
        member = self.fleet.member(host) if self.fleet is not None and host else None
        return member.backend if member is not None else self.backend

    def target_for(self, host: str) -> EngineTarget:
        member = self.fleet.member(host) if self.fleet is not None and host else None
        return member.target if member is not None else self.target

    def every_actions(self) -> list[Controllers]:
        """The controllers made so far: the app's, and in a fleet each engine's."""
        made = [self.actions] if self._made("actions") else []
        return made + list(self._actions_by_host.values())

    def actions_for(self, host: str) -> Controllers:
        """The controllers that act on engine ``host``'s objects (all of them, with one engine)."""
        if self.fleet is None or not host:
            return self.actions
        if host not in self._actions_by_host:
            self._actions_by_host[host] = Controllers(self, host)
        return self._actions_by_host[host]

    def _per_engine(self, items: list[Any]) -> list[tuple[Controllers, list[Any]]]:
        """A fleet's action goes to each row's own engine; with no rows, to the cursor row's."""
        if self.fleet is None:
            return [(self.actions, items)]
        groups = group_by_host(items) or {self.dashboard.cursor_host(): []}
        return [(self.actions_for(host), group) for host, group in groups.items()]

    def switch_engines(self, entries: list[FleetEntry]) -> None:
        """Follow these engines instead (the context picker's ticks): one is the plain app, several a fleet.

        The lists are made again when the Host column comes or goes; from one
        engine to another it is ``switch_target``'s reconnect.
        """
        if len(entries) == 1 and self.fleet is None:
            self.switch_target(entries[0].target)
            return
        self._stop_following()
        self._actions_by_host.clear()
        self._generation += 1  # whatever the old followers still post is dropped
        self._start_fleet(entries)
        self.forget_swarms()
        self.target = entries[0].target
        if self.fleet is None:
            self._set_engine_title(f"{clean(self.target.display)} · connecting…")
        self._show_engine_state()
        self.call_later(self._replace_dashboard)

    async def _replace_dashboard(self) -> None:
        """A fresh dashboard, whose lists have (or lose) the Host column; then the followers start.

        Every screen over the first goes (the old dashboard, a connection
        screen); reports are taken only once the new one is mounted.
        """
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.__dict__.pop("dashboard", None)
        await self.push_screen(self.dashboard)
        self._follow_engine()
