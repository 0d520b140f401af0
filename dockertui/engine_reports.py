"""What the app does with its followers' reports: the lists, the header, the connection screen.

With one engine a lost connection covers the app with the connection screen;
in a fleet (fleet.py) it only turns that engine's chip and rows stale, and
the other engines carry on.
"""

from __future__ import annotations

import gc
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from dockertui.backend.models import host_key
from dockertui.formatting import clean, engine_title
from dockertui.messages import (
    ContainersChanged,
    EngineConnected,
    EngineEventsReceived,
    EngineLost,
    EngineMessage,
    ImageChanged,
    NetworksChanged,
    VolumesChanged,
)

if TYPE_CHECKING:
    from dockertui.backend import EngineTarget
    from dockertui.fleet import Fleet


# A burst of container changes (a bulk remove is hundreds of batches, each a
# frame that draws the whole list) is applied at most this often: four times
# a second still shows the list going, and each apply draws a screenful of
# rows new to it. One container's own kill, die and destroy are small
# batches and go at once.
BURST_APPLY_SECONDS = 0.25
BURST_SIZE = 4


class EngineReports:
    """Mixed into the app: the followers' messages, applied."""

    if TYPE_CHECKING:  # given by the app
        fleet: Fleet | None
        target: EngineTarget
        _generation: int
        _connected_generation: int
        dashboard: Any
        actions: Any
        first_lists: Any
        backend: Any
        engine_product: str
        is_running: bool
        screen_stack: Any
        screen: Any
        containers_applied: dict[str, tuple[float, int]]
        containers_deferred: dict[str, tuple[Any, ContainersChanged]]
        removed_containers: set[str]
        set_timer: Any

        def _set_engine_title(self, title: str) -> None: ...
        def _show_engine_state(self) -> None: ...
        def _made(self, name: str) -> bool: ...
        def every_actions(self) -> list[Any]: ...
        def pop_screen(self) -> Any: ...
        def push_screen(self, screen: Any) -> Any: ...
        def call_after_refresh(self, callback: Any) -> bool: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...
        def swarm_engine_changed(self, host: str) -> None: ...

    def _accepts(self, message: EngineMessage) -> bool:
        # Reports from a previous connection are stale; and while the app
        # shuts down there are no widgets left to update.
        if message.host:
            current = self.fleet is not None and self.fleet.accepts(message.host, message.generation)
        else:
            current = message.generation == self._generation
        return current and self.is_running and self.dashboard.is_mounted

    def on_engine_connected(self, message: EngineConnected) -> None:
        self._apply_deferred_containers(message.host)
        if not self._accepts(message):
            return
        if message.host:
            self._member_connected(message)
        else:
            self._engine_connected(message)
        snapshot = message.snapshot
        self._forget_removed(message.host)
        for actions in self.every_actions():
            if actions.made("containers"):  # else no action is under way to resync
                actions.containers.containers_resynced({c.key: c for c in snapshot.containers}, message.host)
        self.first_lists.drop()
        gc.unfreeze()
        self.call_after_refresh(self._freeze_heap)

    def _engine_connected(self, message: EngineConnected) -> None:
        self._set_engine_title(engine_title(message.snapshot.engine))
        self.engine_product = message.snapshot.engine.product  # "Docker", "Podman" …
        from dockertui.screens.connection import ConnectionScreen

        while isinstance(self.screen, ConnectionScreen):
            self.pop_screen()
        backend = self.backend
        reconnected = self._connected_generation == self._generation
        self._connected_generation = self._generation
        self.dashboard.apply_snapshot(
            message.snapshot, backend.ports_url if backend is not None else self.target.url, reconnected
        )

    def _member_connected(self, message: EngineConnected) -> None:
        assert self.fleet is not None
        member = self.fleet.member(message.host)
        assert member is not None
        reconnected = member.ever_connected
        member.connected(message.snapshot)
        backend = member.backend
        self.engine_product = self.engine_product or message.snapshot.engine.product
        self.dashboard.apply_snapshot(
            message.snapshot, backend.ports_url if backend is not None else member.target.url, reconnected,
            host=member.name,
        )
        self._show_engine_state()

    @staticmethod
    def _freeze_heap() -> None:
        """Move what a snapshot built out of the collector's way.

        A full collection walks every object, several frames' worth with a
        loaded table, and a row an event changes shows that much later.
        Collected once here, the objects
        that live for the whole connection are frozen; each reconnect
        unfreezes, collects and freezes again, so no cycle outlives it.
        The command line starts the app with the collector off (cli.py);
        from here on it runs.
        """
        gc.collect()
        gc.freeze()
        gc.enable()

    def on_engine_lost(self, message: EngineLost) -> None:
        gc.enable()  # no snapshot to wait for (see _freeze_heap)
        if not message.host:
            self.first_lists.release_keys(connected=False)
        if not self._accepts(message):
            return
        if message.host:
            assert self.fleet is not None
            member = self.fleet.member(message.host)
            assert member is not None
            if member.lost(message.reason, message.retry_in):
                self.notify(f"{member.name} {member.state}: {clean(message.reason)}", title="Engine",
                            severity="warning", timeout=8, markup=False)
            self.dashboard.set_engine_stale(member.name)
            self.swarm_engine_changed(member.name)
            self._show_engine_state()
            return
        from dockertui.screens.connection import ConnectionScreen

        self._set_engine_title(f"{clean(self.target.display)} · disconnected")
        for screen in self.screen_stack:
            if isinstance(screen, ConnectionScreen):
                screen.report(message.reason, message.retry_in)
                return
        self.push_screen(ConnectionScreen(self.target, message.reason, message.retry_in))

    def on_containers_changed(self, message: ContainersChanged) -> None:
        applied_at, size = self.containers_applied.get(message.host, (float("-inf"), 0))
        wait = applied_at + BURST_APPLY_SECONDS - time.monotonic()
        if size >= BURST_SIZE and wait > 0:
            # The changes wait in the follower, which posts nothing more until they are taken.
            timer = self.set_timer(wait, partial(self._apply_containers, message))
            self.containers_deferred[message.host] = (timer, message)
            return
        self._apply_containers(message)

    def _apply_deferred_containers(self, host: str) -> None:
        """Changes held back in a burst go before a new snapshot: after it, they would bring back what it dropped."""
        deferred = self.containers_deferred.get(host)
        if deferred is not None:
            deferred[0].stop()
            self._apply_containers(deferred[1])

    def _apply_containers(self, message: ContainersChanged) -> None:
        deferred = self.containers_deferred.get(message.host)
        if deferred is not None and deferred[1] is message:
            del self.containers_deferred[message.host]
        changes = message.changes  # taken even if ignored (see ContainersChanged)
        self.containers_applied[message.host] = (time.monotonic(), len(changes))
        if self._accepts(message) and changes:
            if self.removed_containers:
                # A read made before the removal (a re-read that found it "removing") comes too late to
                # show. Once the follower says one is gone (its destroy came), no older read can follow.
                changes = {key: None if key in self.removed_containers else info for key, info in changes.items()}
                self.removed_containers -= {key for key, info in message.changes.items() if info is None}
            self._show_containers(changes)

    def containers_removed(self, keys: list[str]) -> None:
        """Containers the engine answered it removed leave the lists now, and stay out.

        Their ``destroy`` events normally took them already. But one can be
        lost on its way (in a bulk remove of 1,000 on a loaded machine, one
        destroy never reached the follower), and then nothing else would take
        the row away: it stayed, "created", for good. Ids are never reused,
        so until the engine's next snapshot any report of them is an old one.
        """
        listed = {key: None for key in keys if key in self.dashboard.containers.items}
        # Those no longer listed had their None applied: no older read can follow it.
        self.removed_containers.update(listed)
        if listed and self.is_running and self.dashboard.is_mounted:
            self._show_containers(listed)

    def _forget_removed(self, host: str) -> None:
        """A snapshot of engine ``host`` is the truth: its removed containers are simply not in it."""
        of_host = host_key(host, "")  # a fleet member's keys start so; with one engine, "": all of them
        self.removed_containers = {key for key in self.removed_containers if not key.startswith(of_host)}

    def _show_containers(self, changes: dict[str, Any]) -> None:
        self.dashboard.apply_containers(changes)
        for actions in self.every_actions():
            if actions.made("containers"):
                actions.containers.containers_changed(changes)
            if actions.made("compose"):
                actions.compose.containers_changed()

    def on_image_changed(self, message: ImageChanged) -> None:
        if self._accepts(message):
            self.dashboard.apply_image(message.reference, message.image, message.host)

    def on_volumes_changed(self, message: VolumesChanged) -> None:
        if self._accepts(message):
            self.dashboard.apply_volumes(message.volumes, message.host)

    def on_networks_changed(self, message: NetworksChanged) -> None:
        if self._accepts(message):
            self.dashboard.apply_networks(message.networks, message.host)

    def on_engine_events_received(self, message: EngineEventsReceived) -> None:
        events = message.events  # taken even if ignored (see EngineEventsReceived)
        if self._accepts(message):
            self.dashboard.apply_events(events)
