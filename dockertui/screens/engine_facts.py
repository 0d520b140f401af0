"""What the dashboard does with the engine's reports: snapshots, changes, events.

In a fleet each report comes from one engine, named by ``host``: a snapshot
replaces that engine's rows only, and an engine that went away leaves its rows
dimmed as stale until its next snapshot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockertui.backend import ContainerInfo, EngineEvent, EngineSnapshot, ImageInfo
from dockertui.backend.merged_logs import ContainerGroup
from dockertui.backend.models import NetworkInfo, VolumeInfo
from dockertui.formatting import clean
from dockertui.widgets.events_pane import EventsPane
from dockertui.widgets.network_table import network_members
from dockertui.widgets.volume_table import volume_users

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any

    from textual.timer import Timer

    from dockertui.widgets.container_table import ContainerTable
    from dockertui.widgets.image_table import ImageTable
    from dockertui.widgets.keyed_table import KeyedTable
    from dockertui.widgets.log_pane import LogPane
    from dockertui.widgets.network_table import NetworkTable
    from dockertui.widgets.port_table import PortTable
    from dockertui.widgets.volume_table import VolumeTable

USAGE_DELAY_SECONDS = 0.2


class EngineFacts:
    """Mixed into the dashboard: the lists kept in step with the engine (or engines)."""

    containers: ContainerTable
    images: ImageTable
    ports: PortTable
    volumes: VolumeTable
    networks: NetworkTable
    logs: LogPane
    _usage_timer: Timer | None
    _select_when_listed: tuple[str, bool] | None

    @property
    def _tables(self) -> tuple[KeyedTable, ...]:
        return (self.containers, self.images, self.ports, self.volumes, self.networks)

    def apply_snapshot(
        self, snapshot: EngineSnapshot, engine_url: str, reconnected: bool = False, host: str = ""
    ) -> None:
        """Resync every list with a fresh full read of the engine (``reconnected``: after losing it)."""
        if host:
            self.ports.engine_urls[host] = engine_url
        else:
            self.ports.engine_url = engine_url
            self.query_one(EventsPane).engine = clean(f"{snapshot.engine.product} {snapshot.engine.version}")
        for table in self._tables:
            table.set_stale(host, False)
        self.containers.load_host(host, snapshot.containers)
        self.images.load_images(snapshot.images, host)
        self.ports.load_containers(snapshot.containers, host)
        self.volumes.load_volumes(snapshot.volumes, host=host)
        self.networks.load_host(host, snapshot.networks)
        self._update_usage()
        self._update_tab_titles()
        self._show_selection()
        followed = self.logs.container
        if reconnected and (followed is None or getattr(followed, "host", "") == host):
            self.logs.resume_after_reconnect(self._now())

    def set_engine_stale(self, host: str) -> None:
        """A fleet's engine went away: its rows stay, dimmed, until it is read again."""
        for table in self._tables:
            table.set_stale(host, True)

    def apply_volumes(self, volumes: list[VolumeInfo], host: str = "") -> None:
        self.volumes.load_volumes(volumes, host=host)
        self._update_tab_titles()

    def apply_networks(self, networks: list[NetworkInfo], host: str = "") -> None:
        self.networks.load_host(host, networks)
        self._update_tab_titles()

    def _update_usage(self) -> None:
        """Which containers use which volume and network, from the container list."""
        self._usage_timer = None
        containers = list(self.containers.items.values())
        self.volumes.set_users(volume_users(containers))
        self.networks.set_members(network_members(containers))

    def reset(self) -> None:
        """Forget everything shown: the next snapshot comes from another engine."""
        self.logs.follow(None)
        self.containers.pending.clear()
        self.containers.load([])
        self.images.load_images([])
        self.ports.load_containers([])
        self.volumes.load_volumes([], keep_sizes=False)
        self.networks.load([])
        self.query_one(EventsPane).table.clear_events()
        self._update_tab_titles()
        self._show_selection()

    def apply_containers(self, changes: dict[str, ContainerInfo | None]) -> None:
        self.containers.update_containers(changes)
        self.ports.update_containers(changes)
        # Which volumes and networks are used, once per burst of changes: each
        # look goes through every container, and a bulk remove is a hundred bursts.
        if self._usage_timer is None:
            self._usage_timer = self.set_timer(USAGE_DELAY_SECONDS, self._update_usage)
        self.retitle_tabs()
        followed = self.logs.container
        if isinstance(followed, ContainerGroup) and any(member.key in changes for member in followed.members):
            self._follow_logs()
        if self._select_when_listed and self._select_when_listed[0] in changes:
            self.select_container(*self._select_when_listed)

    def select_container(self, container_key: str, then_logs: bool = False) -> None:
        """Put the cursor on this container (now, or when its row appears)."""
        table = self.containers
        if then_logs and not table.show_all:
            # Its output is what the user waits for: the row (and its Logs tab)
            # must stay when the container exits, as `docker ps -a` keeps it.
            table.show_all = True
            self._update_tab_titles()
            self.notify("Showing all containers, so the run's output stays when it exits (a: running only)", timeout=4)
        if container_key not in table.rows:
            if container_key in table.items and not table.show_all:
                table.show_all = True
            else:
                self._select_when_listed = (container_key, then_logs)
                return
        self._select_when_listed = None
        self.action_show_pane("containers")
        table.move_cursor(row=table.get_row_index(container_key))
        if then_logs:
            self.action_show_tab("logs")

    def apply_image(self, reference: str, image: ImageInfo | None, host: str = "") -> None:
        self.images.update_image(reference, image, host)
        self._update_tab_titles()

    def apply_events(self, events: list[EngineEvent]) -> None:
        pane = self.query_one(EventsPane)
        for event in events:
            pane.add_event(event)

    if TYPE_CHECKING:  # given by the dashboard
        _now: Callable[[], datetime]
        query_one: Any
        set_timer: Any
        retitle_tabs: Callable[[], None]
        notify: Any

        def _update_tab_titles(self) -> None: ...
        def _show_selection(self) -> None: ...
        def _follow_logs(self) -> None: ...
        def action_show_pane(self, pane: str) -> None: ...
        def action_show_tab(self, tab: str) -> None: ...
