"""The Containers list: ``docker ps``, kept live from events."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from dockertui.backend.models import ContainerInfo
from dockertui.backend.models import StatsSample
from dockertui.formatting import Cell, cell, published_ports, since, state_cell
from dockertui.widgets.keyed_table import Column, KeyedTable, same_cell
from dockertui.widgets.stats_pane import format_cpu, format_memory

# What a row shows while an action is under way, until the event arrives.
PENDING_WORDS = {
    "start": "starting",
    "stop": "stopping",
    "restart": "restarting",
    "pause": "pausing",
    "unpause": "resuming",
    "kill": "killing",
    "remove": "removing",
}


class ContainerTable(KeyedTable[ContainerInfo]):
    """Containers, newest first; running only unless ``show_all`` is set."""

    COLUMNS = (
        Column("name", "Name", 22),
        Column("state", "State", 11),
        Column("cpu", "CPU", 6),
        Column("mem", "Memory", 9),
        Column("status", "Status", 20),
        Column("image", "Image", 22),
        Column("created", "Created", 15),
        Column("ports", "Ports", 30),
    )
    SORT_COLUMN = "created"
    SORT_REVERSE = True
    BINDINGS = [
        Binding("n", "request('run')", "Run…", id="container-run", tooltip="docker run"),
        Binding("u", "request('start')", "Start", id="container-start"),
        Binding("s", "request('stop')", "Stop", id="container-stop"),
        Binding("r", "request('restart')", "Restart", id="container-restart"),
        Binding("p", "request('pause')", "Pause/Resume", id="container-pause"),
        Binding("K", "request('kill')", "Kill", id="container-kill", show=False),
        Binding("d", "request('remove')", "Remove", id="container-remove"),
        Binding("D", "request('remove_exited')", "Remove exited", id="container-remove-exited", show=False),
        Binding("R", "request('run_again')", "Run again", id="container-run-again", show=False),
        Binding("N", "request('rename')", "Rename", id="container-rename", show=False),
        Binding("i", "request('inspect')", "Inspect", id="container-inspect"),
        Binding("x", "request('shell')", "Shell", id="container-shell", tooltip="docker exec -it … sh"),
        Binding("X", "request('exec')", "Exec…", id="container-exec", show=False),
        Binding("A", "request('attach')", "Attach", id="container-attach", show=False),
    ]

    class ActionRequested(Message):
        """The user asked for ``action`` on these containers (marked, or the current one)."""

        def __init__(self, action: str, containers: list[ContainerInfo]) -> None:
            super().__init__()
            self.action = action
            self.containers = containers

    show_all = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.show_stats = False
        self.stats: dict[str, StatsSample] = {}
        # id -> (action, state when it began): shown until the state changes.
        self.pending: dict[str, tuple[str, str]] = {}

    def key_for(self, item: ContainerInfo) -> str:
        return item.id

    def is_shown(self, item: ContainerInfo) -> bool:
        return self.show_all or item.is_running or item.id in self.pending

    def row_for(self, item: ContainerInfo) -> list[Cell]:
        action = self.pending.get(item.id, ("", ""))[0]
        state = cell(f"{PENDING_WORDS.get(action, action)}…", style="italic yellow") if action else state_cell(item.state)
        return [
            cell(item.name),
            state,
            *self._stats_cells(item.id),
            cell(item.status),
            cell(item.image),
            cell(since(item.created, self._now()), sort_key=item.created.timestamp()),
            cell(published_ports(item.ports)),
        ]

    def _stats_cells(self, container_id: str) -> list[Cell]:
        sample = self.stats.get(container_id) if self.show_stats else None
        if sample is None:
            return [cell("", sort_key=-1.0), cell("", sort_key=-1)]
        return [
            cell(format_cpu(sample), sort_key=sample.cpu_percent or 0.0),
            cell(format_memory(sample), sort_key=sample.memory_used),
        ]

    def apply_stats(self, samples: dict[str, StatsSample]) -> None:
        """New readings: only the CPU and memory cells of those rows change."""
        self.stats.update(samples)
        changes = {}
        for container_id in samples:
            if container_id in self.rows:
                cpu, mem = self._stats_cells(container_id)
                changed = {
                    column: value
                    for column, value in (("cpu", cpu), ("mem", mem))
                    if not same_cell(self.get_cell(container_id, column), value)
                }
                if changed:
                    changes[container_id] = changed
        self.set_cells(changes)

    def set_show_stats(self, show: bool) -> None:
        self.show_stats = show
        if not show:
            self.stats.clear()
        self.redraw()

    def visible_running_ids(self) -> list[str]:
        """Running containers whose rows are on screen now."""
        first = int(self.scroll_y)
        last = min(self.row_count, first + max(1, self.size.height - 1))
        keys = [self.coordinate_to_cell_key((index, 0)).row_key.value for index in range(first, last)]
        return [key for key in keys if key in self.items and self.items[key].state == "running"]

    def set_show_all(self, show_all: bool) -> None:
        """``docker ps`` (False) or ``docker ps -a`` (True)."""
        self.show_all = show_all
        self.redraw()

    def update_containers(self, changes: dict[str, ContainerInfo | None]) -> None:
        """Apply re-read containers by id; None means gone.

        A pending "stopping…" ends when the state changes, not at the first
        event: ``docker stop`` sends a kill event long before the container dies.
        """
        for container_id, container in changes.items():
            if container is None or container.state != "running":
                # A stopped container's last reading is no longer true.
                self.stats.pop(container_id, None)
            pending = self.pending.get(container_id)
            if container is None or (pending and container.state != pending[1]):
                self.pending.pop(container_id, None)
        self.set_items(changes)
        self.report_current()

    def mark_pending(self, container_ids: list[str], action: str) -> None:
        """Show "stopping…" (etc.) on these rows until their next event."""
        for container_id in container_ids:
            item = self.items.get(container_id)
            if item is not None:
                self.pending[container_id] = (action, item.state)
                self.set_item(container_id, item)

    def clear_pending(self, container_id: str) -> None:
        """The action is over (or failed): show the container's real state again."""
        if self.pending.pop(container_id, None) is not None and container_id in self.items:
            self.set_item(container_id, self.items[container_id])

    def action_request(self, action: str) -> None:
        targets = [] if action in ("run", "remove_exited") else self.targets()
        if action not in ("run", "remove_exited") and not targets:
            self.notify("No container selected", severity="warning")
            return
        self.post_message(self.ActionRequested(action, targets))
