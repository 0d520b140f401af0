"""The Swarm screen: services and nodes on the left; tasks, details and logs on the right.

Only a swarm manager can answer for the whole swarm, so on any other engine
the screen says why it is empty and how to change that. Everything here is
fed by the engine follower's ``SwarmChanged`` reports (live, from swarm
events); this screen never polls. In a fleet it shows one engine's swarm,
named in its title (``engine_host``; fleet_swarm.py picks it, and ``H``
moves to the next manager), and says so when that engine goes away.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Input, Static, TabbedContent, TabPane, Tabs

from dockertui.backend.swarm_models import NodeInfo, ServiceInfo, SwarmSnapshot, TaskInfo
from dockertui.formatting import clean, utc_now
from dockertui.widgets.key_bar import KeyBar
from dockertui.widgets.keyed_table import KeyedTable
from dockertui.widgets.node_table import NodeTable
from dockertui.widgets.service_log_pane import ServiceLogPane
from dockertui.widgets.service_table import ServiceTable
from dockertui.widgets.swarm_details import SwarmDetails
from dockertui.widgets.tab_title import set_tab_title
from dockertui.widgets.task_table import TaskTable

SWARM_PANES = ("services", "nodes")
SWARM_TABS = ("tasks", "details", "logs")
NO_SWARM_IN_PODMAN = Content.assemble(
    ("Podman has no Swarm mode", "bold"),
    ": there are no services or nodes to show. Pods are its way to group containers (the Pod column, v).",
)
NOT_A_MANAGER = Content.assemble(
    ("This engine is not a swarm manager, ", "bold"),
    "so it cannot list services or nodes.\n",
    ("docker swarm init", "bold $accent"),
    " makes it the manager of a new swarm; on a worker, connect to a manager instead (",
    ("C", "bold"),
    " switches context).",
)


def fleet_not_a_manager(host: str, read: bool, managers: list[str]) -> Content:
    """Why a fleet's engine shows no swarm, and where one is: ``managers``, the engines that are."""
    name = clean(host)
    if read:
        why = Content.assemble((f"{name} is not a swarm manager, ", "bold"), "so it cannot list services or nodes.\n")
    else:
        why = Content.assemble((name, "bold"), ": its swarm is not read yet (the engine has not answered).\n")
    if managers:
        where = Content.assemble(
            ("H", "bold"), " shows the swarm of the next engine that is a manager: ",
            (", ".join(clean(manager) for manager in managers), "bold"), ".",
        )
    else:
        where = Content.assemble(
            "No engine of the fleet is a swarm manager. ", ("docker swarm init", "bold $accent"),
            " on one makes it the manager of a new swarm; this screen then shows it.",
        )
    return Content.assemble(why, where)


class SwarmScreen(Screen):
    """Swarm mode, k9s-style: ``1`` services, ``2`` nodes, ``Esc`` back to the dashboard."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="swarm-back", tooltip="back to containers and images"),
        Binding("1", "show_pane('services')", "Services", id="swarm-pane-services"),
        Binding("2", "show_pane('nodes')", "Nodes", id="swarm-pane-nodes"),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", id="swarm-tab-next"),
        Binding("left_square_bracket", "cycle_tab(-1)", "Prev tab", id="swarm-tab-prev", show=False),
        Binding("L", "show_tab('logs')", "Logs", id="swarm-tab-logs"),
        Binding("t", "show_tab('tasks')", "Tasks", id="swarm-tab-tasks", show=False),
        Binding("H", "next_engine", "Next engine", id="swarm-next-engine",
                tooltip="the swarm of the fleet's next engine that is a manager"),
    ]

    # The fleet's engine whose swarm is shown; "" with one engine (fleet_swarm.py sets it).
    engine_host: reactive[str] = reactive("", init=False)

    def __init__(self, now: Callable[[], datetime] = utc_now, log_tail: int = 500, log_max_lines: int = 10_000) -> None:
        super().__init__(id="swarm")
        self._now = now
        self._log_tail = log_tail
        self._log_max_lines = log_max_lines
        self.swarm: SwarmSnapshot | None = None
        # The list pane shown when the screen is first composed ("services" or "nodes").
        self.first_pane = "services"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="swarm-engine-away", classes="hidden")
        yield Static(NOT_A_MANAGER, id="swarm-inactive")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                with TabbedContent(id="swarm-lists", initial=f"{self.first_pane}-tab"):
                    with TabPane("Services", id="services-tab"):
                        yield ServiceTable(now=self._now, id="services")
                    with TabPane("Nodes", id="nodes-tab"):
                        yield NodeTable(now=self._now, id="nodes")
                yield Input(placeholder="filter (Enter keeps, Esc clears)", id="swarm-filter", classes="hidden")
            with TabbedContent(id="swarm-object", initial="tasks-tab"):
                with TabPane("Tasks", id="tasks-tab"):
                    yield TaskTable(now=self._now, id="tasks")
                with TabPane("Details", id="swarm-details-tab"):
                    yield SwarmDetails(now=self._now, id="swarm-details")
                with TabPane("Logs", id="service-logs-tab"):
                    yield ServiceLogPane(tail=self._log_tail, max_lines=self._log_max_lines, id="service-logs")
        yield KeyBar()

    @property
    def services(self) -> ServiceTable:
        return self.query_one(ServiceTable)

    @property
    def nodes(self) -> NodeTable:
        return self.query_one(NodeTable)

    @property
    def tasks(self) -> TaskTable:
        return self.query_one(TaskTable)

    @property
    def active_pane(self) -> str:
        return self.query_one("#swarm-lists", TabbedContent).active.removesuffix("-tab")

    @property
    def active_table(self) -> KeyedTable:
        return self.services if self.active_pane == "services" else self.nodes

    @property
    def selected_service(self) -> ServiceInfo | None:
        return self.services.current if self.active_pane == "services" else None

    def on_mount(self) -> None:
        for tabs in self.query(Tabs):
            tabs.can_focus = False
        self.services.focus()
        self.set_interval(1.0, self._refresh_times)
        self.show_engine()

    def on_screen_resume(self) -> None:
        self._show_selection()
        self.app.refresh_swarm()

    def on_screen_suspend(self) -> None:
        # A hidden screen keeps no log stream open.
        self.query_one(ServiceLogPane).follow(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One engine has no other swarm to go to: the key is not offered at all.
        return action != "next_engine" or getattr(self.app, "fleet", None) is not None

    # ------------------------------------------------------------- facts

    def watch_engine_host(self) -> None:
        if self.is_mounted:
            for table in (self.services, self.nodes):
                table.action_clear_marks()  # marks on another swarm's rows
            self.show_engine()

    def show_engine(self) -> None:
        """Show what the app knows of the engine shown: its name, its swarm, and whether it is away.

        Called again whenever any of that changes (fleet_swarm.py).
        """
        host = self.engine_host
        self.title = f"Swarm · {clean(host)}" if host else None
        fleet = getattr(self.app, "fleet", None)
        member = fleet.member(host) if fleet is not None and host else None
        away = self.query_one("#swarm-engine-away", Static)
        away.set_class(member is None or member.state == "connected", "hidden")
        if member is not None:
            # Its rows stay, dimmed, as the dashboard keeps an engine's rows that went away.
            shown = "the swarm shown is as it was last read" if member.ever_connected else "nothing read from it yet"
            away.update(Content(f"{member.chip()}: {shown}"))
            for table in (self.services, self.nodes, self.tasks):
                table.set_stale(host, member.state != "connected")
        swarms = self.app.swarms
        swarm = self.swarm = swarms.get(host)
        inactive = self.query_one("#swarm-inactive", Static)
        inactive.display = swarm is None
        if swarm is None:
            product = member.engine if member is not None else getattr(self.app, "engine_product", "")
            if product.startswith("Podman"):
                inactive.update(NO_SWARM_IN_PODMAN)
            elif fleet is not None:
                inactive.update(fleet_not_a_manager(host, host in swarms, self.app.swarm_managers()))
            else:
                inactive.update(NOT_A_MANAGER)
        self.services.load(swarm.services if swarm else ())
        self.nodes.load(swarm.nodes if swarm else ())
        self._update_tab_titles()
        self._show_selection()

    def on_keyed_table_marks_changed(self, _: KeyedTable.MarksChanged) -> None:
        self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        tabs = self.query_one("#swarm-lists", TabbedContent)
        for pane, table in (("services", self.services), ("nodes", self.nodes)):
            set_tab_title(tabs.get_tab(f"{pane}-tab"), table.tab_title(pane.capitalize()))

    def _refresh_times(self) -> None:
        # Each table re-words only the times on screen that now read differently.
        self.services.refresh_times_if_due()
        self.tasks.refresh_times_if_due()

    def _show_selection(self) -> None:
        """Point the right-hand tabs at the selected service or node."""
        if not self.is_mounted:
            return
        item = self.active_table.current
        service = item if isinstance(item, ServiceInfo) else None
        tasks: list[TaskInfo] = []
        if self.swarm is not None and service is not None:
            tasks = list(self.swarm.tasks_of(service.id))
        elif self.swarm is not None and isinstance(item, NodeInfo):
            tasks = [task for task in self.swarm.tasks if task.node_id == item.id]
        self.tasks.show_tasks(tasks)
        self.query_one(SwarmDetails).show(item, tasks)
        active = self.query_one("#swarm-object", TabbedContent).active
        showing = self.app.screen is self
        self.query_one(ServiceLogPane).follow(service if showing and active == "service-logs-tab" else None)

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Esc clears a filter first, as on the dashboard; then it leaves."""
        field = self.query_one("#swarm-filter", Input)
        if not field.has_class("hidden") or self.active_table.filter_text:
            field.value = ""
            field.add_class("hidden")
            self.active_table.set_filter("")
            self.active_table.focus()
            self._update_tab_titles()
            return
        self.app.pop_screen()

    def action_show_pane(self, pane: str) -> None:
        self.query_one("#swarm-lists", TabbedContent).active = f"{pane}-tab"

    def action_show_tab(self, tab: str) -> None:
        tab_id = {"tasks": "tasks-tab", "details": "swarm-details-tab", "logs": "service-logs-tab"}[tab]
        self.query_one("#swarm-object", TabbedContent).active = tab_id

    def action_next_engine(self) -> None:
        self.app.show_next_swarm()

    def action_cycle_tab(self, step: int) -> None:
        order = ("tasks-tab", "swarm-details-tab", "service-logs-tab")
        current = self.query_one("#swarm-object", TabbedContent).active
        self.query_one("#swarm-object", TabbedContent).active = order[(order.index(current) + step) % len(order)]

    # ------------------------------------------------------------- filter

    def on_keyed_table_filter_requested(self, message: KeyedTable.FilterRequested) -> None:
        message.stop()
        field = self.query_one("#swarm-filter", Input)
        field.value = message.table.filter_text
        field.remove_class("hidden")
        field.focus()

    @on(Input.Changed, "#swarm-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        event.stop()
        self.active_table.set_filter(event.value)
        self._update_tab_titles()

    @on(Input.Submitted, "#swarm-filter")
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.add_class("hidden")
        self.active_table.focus()

    # ------------------------------------------------------------- wiring

    @on(TabbedContent.TabActivated, "#swarm-lists")
    def _pane_changed(self, event: TabbedContent.TabActivated) -> None:
        self.active_table.focus()
        self._show_selection()

    @on(TabbedContent.TabActivated, "#swarm-object")
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self._show_selection()

    @on(KeyedTable.CurrentChanged)
    def _current_changed(self, event: KeyedTable.CurrentChanged) -> None:
        if event.control is self.active_table:
            self._show_selection()
