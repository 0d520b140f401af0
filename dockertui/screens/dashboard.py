"""The main screen: object lists on the left, the selected object on the right."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from time import monotonic

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import ScreenResume
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, TabbedContent, TabPane, Tabs

from dockertui.backend import ContainerInfo, EngineSnapshot
from dockertui.backend.models import NetworkInfo, VolumeInfo, host_key
from dockertui.due_clock import DueClock
from dockertui.formatting import utc_now
from dockertui.panes import OBJECT_TABS, SWARM_PANES
from dockertui.screens.engine_facts import EngineFacts
from dockertui.screens.stats_polling import StatsPolling
from dockertui.throttle import Throttled
from dockertui.widgets.aging_rows import AgingRows
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.details_pane import DetailsPane
from dockertui.widgets.events_pane import EventsPane
from dockertui.widgets.files_pane import FilesPane
from dockertui.widgets.host_column import host_width
from dockertui.widgets.image_table import ImageTable
from dockertui.widgets.key_bar import KeyBar
from dockertui.widgets.keyed_table import KeyedTable
from dockertui.widgets.log_pane import LogPane
from dockertui.widgets.network_table import NetworkTable
from dockertui.widgets.port_table import PortTable
from dockertui.widgets.processes_pane import ProcessesPane
from dockertui.widgets.stats_pane import StatsPane
from dockertui.widgets.tab_title import set_tab_title
from dockertui.widgets.volume_table import VolumeTable
from dockertui.worker_errors import ReportsWorkerErrors

# The relative times' clock never runs again sooner than this after a tick.
TIMES_CLOCK_GAP_SECONDS = 0.1
# Tab titles and the selected row's panes, in a burst of list changes: at most this often.
BURST_SECONDS = 0.25


class DashboardScreen(EngineFacts, StatsPolling, ReportsWorkerErrors, Screen):
    """Kitematic-style: a tabbed list of objects and the selected one's details."""

    BINDINGS = [
        Binding("a", "toggle_all", "All/Running", id="toggle-all", tooltip="docker ps / docker ps -a"),
        Binding("1", "show_pane('containers')", "Containers", id="pane-containers"),
        Binding("2", "show_pane('images')", "Images", id="pane-images"),
        Binding("3", "show_pane('volumes')", "Volumes", id="pane-volumes", show=False),
        Binding("4", "show_pane('networks')", "Networks", id="pane-networks", show=False),
        Binding("5", "show_pane('ports')", "Ports", id="pane-ports", show=False),
        Binding("6", "show_pane('events')", "Events", id="pane-events", show=False),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", id="tab-next"),
        Binding("left_square_bracket", "cycle_tab(-1)", "Prev tab", id="tab-prev", show=False),
        Binding("L", "show_tab('logs')", "Logs", id="tab-logs", tooltip="of the marked containers as one, if 2 or more"),
        Binding("f", "show_tab('files')", "Files", id="tab-files", show=False, tooltip="browse the container's files"),
        Binding("F,z", "full_screen_logs", "Full-screen log", id="logs-full-screen", show=False,
                tooltip="the Logs tab over the whole screen; F or Esc brings the list back"),
        Binding("c", "toggle_stats", "Stats cols", id="toggle-stats", tooltip="CPU and memory columns"),
        Binding("colon", "jump", "Jump to pane", id="jump", tooltip=":images, :ports … as in k9s"),
        Binding("Z", "cleanup", "Cleanup…", id="cleanup", tooltip="prune with a preview of what goes"),
        Binding("percent_sign", "disk_usage", "Disk usage", id="disk-usage", tooltip="docker system df"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="filter-clear"),
    ]

    def __init__(
        self,
        now: Callable[[], datetime] = utc_now,
        show_all: bool = False,
        log_tail: int = 500,
        log_max_lines: int = 10_000,
        default_pane: str = "containers",
        stats_interval: float = 1.0,
        stats_columns: bool = False,
        first_snapshot: Callable[[], Awaitable[tuple[EngineSnapshot, str] | None]] | None = None,
        hosts: tuple[str, ...] = (),
    ) -> None:
        super().__init__(id="dashboard")
        # A fleet's engine names: every list has a Host column, as wide as the longest.
        self._show_hosts = len(hosts) > 1
        self._host_width = host_width(list(hosts))
        self._now = now
        self._show_all = show_all
        self._log_tail = log_tail
        self._log_max_lines = log_max_lines
        self._default_pane = default_pane
        self._resumed_once = False
        self._stats_interval = stats_interval
        self._stats_columns = stats_columns
        # A container to select as soon as its row appears (after a run).
        self._select_when_listed: tuple[str, bool] | None = None
        self._usage_timer: Timer | None = None
        # In a burst of list changes (a bulk remove), each at most every BURST_SECONDS: see throttle.py.
        self.retitle_tabs = Throttled(self, BURST_SECONDS, self._update_tab_titles)
        self._show_selection_soon = Throttled(self, BURST_SECONDS, self._show_selection, settle=True, longest=1.0)
        self._stats_readers = {}
        # Lists (and the engine's URL) read before the follower connected, if in yet.
        self._first_snapshot = first_snapshot

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                with TabbedContent(id="lists", initial=f"{self._default_pane}-tab"):
                    with TabPane("Containers", id="containers-tab"):
                        yield ContainerTable(now=self._now, show_hosts=self._show_hosts, host_width=self._host_width, id="containers")
                    with TabPane("Images", id="images-tab"):
                        yield ImageTable(now=self._now, show_hosts=self._show_hosts, host_width=self._host_width, id="images")
                    with TabPane("Volumes", id="volumes-tab"):
                        yield VolumeTable(now=self._now, show_hosts=self._show_hosts, host_width=self._host_width, id="volumes")
                    with TabPane("Networks", id="networks-tab"):
                        yield NetworkTable(now=self._now, show_hosts=self._show_hosts, host_width=self._host_width, id="networks")
                    with TabPane("Ports", id="ports-tab"):
                        yield PortTable(now=self._now, show_hosts=self._show_hosts, host_width=self._host_width, id="ports")
                    with TabPane("Events", id="events-tab"):
                        yield EventsPane(host_width=self._host_width if self._show_hosts else 0, id="events-pane")
                fields = "name, image, status, host:…" if self._show_hosts else "name, image, status…"
                yield Input(placeholder=f"filter: {fields} (Enter keeps, Esc clears)", id="list-filter", classes="hidden")
            with TabbedContent(id="object", initial="details-tab"):
                with TabPane("Details", id="details-tab"):
                    yield DetailsPane(now=self._now, status_of=lambda item: self.containers.live_status(item), id="details")
                with TabPane("Logs", id="logs-tab"):
                    yield LogPane(tail=self._log_tail, max_lines=self._log_max_lines, id="logs")
                with TabPane("Stats", id="stats-tab"):
                    yield StatsPane(interval=self._stats_interval, id="stats")
                with TabPane("Top", id="top-tab"):
                    yield ProcessesPane(id="processes")
                with TabPane("Files", id="files-tab"):
                    yield FilesPane(id="files")
        yield KeyBar()

    @property
    def containers(self) -> ContainerTable:
        return self.query_one(ContainerTable)

    @property
    def images(self) -> ImageTable:
        return self.query_one(ImageTable)

    @property
    def ports(self) -> PortTable:
        return self.query_one(PortTable)

    @property
    def volumes(self) -> VolumeTable:
        return self.query_one(VolumeTable)

    @property
    def networks(self) -> NetworkTable:
        return self.query_one(NetworkTable)

    @property
    def logs(self) -> LogPane:
        return self.query_one(LogPane)

    @property
    def active_pane(self) -> str:
        return self.query_one("#lists", TabbedContent).active.removesuffix("-tab")

    @property
    def active_table(self) -> KeyedTable | None:
        tables = {
            "containers": self.containers,
            "images": self.images,
            "volumes": self.volumes,
            "networks": self.networks,
            "ports": self.ports,
        }
        return tables.get(self.active_pane)

    @property
    def selected_container(self) -> ContainerInfo | None:
        """The container the right-hand side is about (from Containers or Ports)."""
        table = self.active_table
        item = table.current if table is not None else None
        if isinstance(item, ContainerInfo):
            return item
        container = getattr(item, "container", None)
        return container if isinstance(container, ContainerInfo) else None

    async def on_mount(self) -> None:
        # Tab moves between the list and the right-hand pane, not onto tab strips.
        for tabs in self.query(Tabs):
            tabs.can_focus = False
        self.containers.show_all = self._show_all
        self.containers.show_stats = self._stats_columns
        table = self.active_table
        (table if table is not None else self.query_one(EventsPane).table).focus()
        # Relative times ("5 minutes ago") are re-worded locally, without asking
        # the engine, each when it would read differently: the clock sleeps till then.
        self.times_clock = DueClock(self, self._refresh_due_times)
        for aging in (self.containers, self.images, self.query_one(DetailsPane)):
            aging.due_clock = self.times_clock
        self.times_clock.wake_within(0)
        self.start_stats_polling()
        # Awaited here, the first frame waits a moment for the lists, not the UI.
        first = await self._first_snapshot() if self._first_snapshot is not None else None
        if first is not None:
            self.apply_snapshot(*first)  # before the first frame, which then shows the rows

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Every widget got its styles when it was mounted, just before the
        # first resume; applying them all again cost a fifth of the first frame.
        if not self._resumed_once:
            self._resumed_once = True
            event.refresh_styles = False
        # The Top tab reads only while this screen is the current one.
        self.query_one(ProcessesPane).resume()

    def on_unmount(self) -> None:
        self.close_stats_readers()

    def _update_tab_titles(self) -> None:
        tabs = self.query_one("#lists", TabbedContent)
        tables = (
            ("containers", self.containers),
            ("images", self.images),
            ("volumes", self.volumes),
            ("networks", self.networks),
            ("ports", self.ports),
        )
        for pane, table in tables:
            title = table.tab_title(pane.capitalize())
            set_tab_title(tabs.get_tab(f"{pane}-tab"), title)

    def _refresh_times(self) -> None:
        """Re-word every relative time on screen now."""
        shown = self.active_table
        if shown is self.containers or shown is self.images:
            shown.refresh_times()
        self.query_one(DetailsPane).refresh_times()

    def _refresh_due_times(self) -> float:
        """Re-word the relative times on screen that now read differently (see aging_rows.py);
        returns when (monotonic) one does next. A table not shown is looked at when it is (on_resize)."""
        details = self.query_one(DetailsPane)
        details.refresh_times_if_due()
        due = details.times_due
        shown = self.active_table
        if shown is self.containers or shown is self.images:
            shown.refresh_times_if_due()
            due = min(due, shown.times_due)
        return max(due, monotonic() + TIMES_CLOCK_GAP_SECONDS)

    # ------------------------------------------------------------ actions

    def action_toggle_all(self) -> None:
        self.action_show_pane("containers")
        self.containers.show_all = not self.containers.show_all
        self._update_tab_titles()
        shown = "all containers" if self.containers.show_all else "running containers"
        self.notify(f"Showing {shown}", timeout=2)

    def action_list_containers(self, every: bool) -> None:
        """``docker ps`` (``every``: ``-a``): the Containers list, of running or of all containers."""
        self.action_show_pane("containers")
        self.containers.show_all = every
        self._update_tab_titles()

    def action_show_pane(self, pane: str) -> None:
        tabs = self.query_one("#lists", TabbedContent)
        if tabs.active == f"{pane}-tab" and self.active_table is not None:
            self.active_table.focus()  # the pane shown: its key brings the keys back to its list
        tabs.active = f"{pane}-tab"

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#object", TabbedContent).active = f"{tab}-tab"

    def action_show_changes(self) -> None:
        """``docker diff``: the Files tab's list of what changed since the image."""
        self.action_show_tab("files")
        self.query_one(FilesPane).showing_changes = True

    def on_files_pane_file_opened(self, message: FilesPane.FileOpened) -> None:
        from dockertui.screens.file_viewer import FileViewerScreen  # on first use

        self.app.push_screen(FileViewerScreen(message.container_name, message.content))

    def action_cycle_tab(self, step: int) -> None:
        current = self.query_one("#object", TabbedContent).active.removesuffix("-tab")
        self.action_show_tab(OBJECT_TABS[(OBJECT_TABS.index(current) + step) % len(OBJECT_TABS)])

    def on_keyed_table_marks_changed(self, message: KeyedTable.MarksChanged) -> None:
        if message.by_list:
            self.retitle_tabs()
        else:
            self.retitle_tabs.now()  # the user's own marks show at once
        if message.table is self.containers:
            self._follow_logs()

    def on_keyed_table_filter_requested(self, message: KeyedTable.FilterRequested) -> None:
        field = self.query_one("#list-filter", Input)
        field.value = message.table.filter_text
        field.remove_class("hidden")
        field.focus()

    @on(Input.Changed, "#list-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self.filter_list(event.value)
        problem = self.active_table.filter_problem if self.active_table is not None else ""
        event.input.set_class(bool(problem), "-invalid")  # a bad /regex/ is matched as text: say so
        event.input.tooltip = problem or None

    @on(Input.Submitted, "#list-filter")
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.input.add_class("hidden")
        if self.active_table is not None:
            self.active_table.focus()
            if self.active_table.filter_problem:
                self.notify(f"{self.active_table.filter_problem}; matched as text", severity="warning", markup=False)

    def action_clear_filter(self) -> None:
        if self.has_class("-full-logs"):
            self.action_full_screen_logs()
            return
        field = self.query_one("#list-filter", Input)
        field.value = ""
        field.add_class("hidden")
        table = self.active_table
        if table is not None:
            table.set_filter("")
            table.focus()
        self._update_tab_titles()

    def action_cleanup(self) -> None:
        from dockertui.screens.cleanup import CleanupScreen  # on first use: not needed to start

        fleet = getattr(self.app, "fleet", None)  # a fleet's: every engine, each a section
        every_engine = fleet.names if fleet is not None else None
        self.app.push_screen(CleanupScreen(label_filter=self.app.scope_labels, every_engine=every_engine))

    def action_disk_usage(self) -> None:
        # On first use: not needed to start.
        from dockertui.screens.disk_usage import DiskUsageScreen

        self.app.push_screen(DiskUsageScreen(label_filter=self.app.scope_labels).on_engine(self.cursor_host()))

    def cursor_host(self) -> str:
        """In a fleet, the engine of the row under the cursor (the first engine's on an empty list)."""
        table = self.active_table
        host = getattr(table.current if table is not None else None, "host", "")
        fleet = getattr(self.app, "fleet", None)
        return host or (fleet.names[0] if fleet is not None else "")

    def action_jump(self) -> None:
        """``:`` then a pane name or its start (``:im``, as in k9s), or a docker CLI command."""
        self.app.actions.open_command_line()

    def jump_to(self, pane: str) -> None:
        """Show a list pane, or the Swarm screen's."""
        if pane in SWARM_PANES:
            self.app.action_swarm(pane)
        else:
            self.action_show_pane(pane)

    def filter_list(self, text: str) -> None:
        """Filter the list shown, as ``/`` then ``text`` and Enter would (as typed, too)."""
        table = self.active_table
        if table is not None:
            table.set_filter(text)
            self._update_tab_titles()

    # ------------------------------------------------------------- wiring

    @on(TabbedContent.TabActivated, "#lists")
    def _list_pane_changed(self, event: TabbedContent.TabActivated) -> None:
        table = self.active_table
        self.containers.holds = table is self.containers
        if table is not None:
            table.focus()
        else:
            self.query_one(EventsPane).table.focus()
        self._show_selection()

    @on(TabbedContent.TabActivated, "#object")
    def _object_tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self._show_selection()
        self.wake_stats_polling()

    def on_held_row_released(self) -> None:
        self.retitle_tabs()

    @on(KeyedTable.CurrentChanged)
    def _current_changed(self, event: KeyedTable.CurrentChanged) -> None:
        if event.control is self.active_table:
            if event.moved_by_list:
                self._show_selection_soon()
            else:
                self._show_selection_soon.now()

    def _show_selection(self) -> None:
        """Point the right-hand tabs at the selected object; only the visible tab works."""
        table = self.active_table
        item = table.current if table is not None else None
        if isinstance(table, PortTable):
            item = self.selected_container
        users = {VolumeInfo: self.volumes.users, NetworkInfo: self.networks.members}.get(type(item), {})
        used_by = users.get(host_key(getattr(item, "host", ""), getattr(item, "name", "")), [])
        self.query_one(DetailsPane).show(item, used_by)
        self.query_one(StatsPane).show(self.selected_container)
        self.query_one(ProcessesPane).show(self.selected_container)
        self.query_one(FilesPane).show(self.selected_container)
        self._follow_logs()

    def _follow_logs(self) -> None:
        """The Logs tab follows the marked containers (two or more) as one, else the selected one."""
        shown = self.query_one("#object", TabbedContent).active == "logs-tab"
        # Only when shown: the group sorts every marked container, at each mark that changes.
        group = self.containers.marked_group() if shown and self.active_pane == "containers" else None
        self.logs.follow((group or self.selected_container) if shown else None)

    def action_full_screen_logs(self) -> None:
        """The log over the whole width (the list hidden), or the list back."""
        full = not self.has_class("-full-logs")
        self.set_class(full, "-full-logs")
        if full:
            self.action_show_tab("logs")
            self.logs.view.focus()
        else:
            self.action_show_pane(self.active_pane)
            table = self.active_table
            if isinstance(table, AgingRows):
                # Its times were not re-worded while hidden (it wakes the clock when shown
                # again, on_resize; but not if the log went before a frame was drawn).
                table.times_changed()
