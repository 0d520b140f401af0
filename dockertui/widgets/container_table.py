"""The Containers list: ``docker ps``, kept live from events.

With grouping on (``v``), rows are ordered by Compose project, then service,
and a Project › Service column comes first; containers outside any project
go last. Grouping is a sort order and a column, so updates stay keyed diffs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import total_ordering
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from dockertui.backend.compose import compose_labels, group_key
from dockertui.backend.merged_logs import ContainerGroup
from dockertui.backend.models import ContainerInfo, StatsSample
from dockertui.formatting import Cell, cell, published_ports, shared_cell, since, state_cell
from dockertui.status_text import live_status, status_age
from dockertui.widgets.aging_rows import AgingRows, container_ages
from dockertui.widgets.held_row import HeldRow
from dockertui.widgets.keyed_table import Column, KeyedTable, same_cell
from dockertui.widgets.stats_pane import format_cpu, format_memory
from dockertui.widgets.theme_roles import PENDING_ACTION

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

STATS_COLUMNS = ("cpu", "mem")
PROJECT_COLUMN = Column("project", "Project › Service", 24)
POD_COLUMN = Column("pod", "Pod", 14)


@total_ordering
class Descending:
    """A sort key that orders backwards, so one sort can be ascending by group and descending within."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Descending) and self.value == other.value

    def __lt__(self, other: Descending) -> bool:
        return other.value < self.value


def project_cell(container: ContainerInfo) -> Cell:
    """``project › service`` (``(run)`` for one-off containers), a Podman pod, or a dim "no project"."""
    labels = compose_labels(container)
    if labels is None and container.pod:
        return cell(f"{container.pod} (pod)", sort_key=(0, container.pod.casefold(), container.name.casefold(), False, 0))
    if labels is None:
        return cell("no project", sort_key=group_key(container), style="dim")
    text = f"{labels.project} › {labels.service or '?'}" + (" (run)" if labels.oneoff else "")
    return cell(text, sort_key=group_key(container))


def status_cell(status: str) -> Cell:
    """The status, sorting as it reads: running ones by how long they have run, then the rest."""
    group = next((rank for rank, head in enumerate(("Up", "Restarting", "Exited")) if status.startswith(head)), 3)
    return shared_cell(status, sort_key=(group, status_age(status) or 0, status.casefold()))

# What / can name in a term (``status:exited``): each field's values, read only when named.
FILTER_FIELDS: dict[str, Callable[[ContainerInfo], Iterable[str]]] = {
    "status": lambda item: (item.state,),
    "state": lambda item: (item.state,),
    "image": lambda item: (item.image,),
    "name": lambda item: (item.name,),
    "label": lambda item: (f"{key}={value}" for key, value in item.labels),
    "pod": lambda item: (item.pod,) if item.pod else (),
    "host": lambda item: (item.host,),
}

# How long "stopping…" may outlive its action when no event ends it.
PENDING_GRACE_SECONDS = 2.0


# Actions on one container: they take the cursor's row, not the marks.
ONE_CONTAINER = ("rename", "run_again", "inspect", "commit", "export", "shell", "exec", "attach")


class ContainerTable(HeldRow, AgingRows, KeyedTable[ContainerInfo]):
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
        Binding("v", "toggle_grouped", "Group", id="container-group",
                tooltip="group by Compose project, then service (again: a flat list)"),
        Binding("P", "request_project", "Project…", id="container-project",
                tooltip="this container's Compose project: up, down, start, stop, restart, remove"),
        Binding("n", "request('run')", "Run…", id="container-run", tooltip="docker run"),
        Binding("u", "request('start')", "Start", id="container-start"),
        Binding("s", "request('stop')", "Stop", id="container-stop"),
        Binding("r", "request('restart')", "Restart", id="container-restart"),
        Binding("p", "request('pause')", "Pause/Resume", id="container-pause"),
        Binding("K", "request('kill')", "Kill", id="container-kill", show=False),
        Binding("d", "request('remove')", "Remove", id="container-remove"),
        Binding("D", "request('remove_exited')", "Remove exited", id="container-remove-exited", show=False,
                tooltip="the exited containers marked or matching the filter; else all"),
        Binding("ctrl+d", "request('remove_exited_everywhere')", "Remove exited (engine-wide)",
                id="container-remove-exited-all", show=False,
                tooltip="docker rm $(docker ps -aq -f status=exited): every exited container on the engine"),
        Binding("R", "request('run_again')", "Run again", id="container-run-again", show=False),
        Binding("N", "request('rename')", "Rename", id="container-rename", show=False),
        Binding("i", "request('inspect')", "Inspect", id="container-inspect"),
        Binding("y", "request('copy_run_line')", "Copy run line", id="container-copy-run-line", show=False,
                tooltip="the docker run line that would make this container again (shown in Details)"),
        Binding("x", "request('shell')", "Shell", id="container-shell", tooltip="docker exec -it … sh"),
        Binding("X", "request('exec')", "Exec…", id="container-exec", show=False),
        Binding("A", "request('attach')", "Attach", id="container-attach", show=False),
        Binding("M", "request('commit')", "Commit…", id="container-commit", show=False,
                tooltip="docker commit: a new image from the container"),
        Binding("E", "request('export')", "Export…", id="container-export", show=False,
                tooltip="docker export: the container's filesystem into a tar file"),
    ]

    class ActionRequested(Message):
        """The user asked for ``action`` on these containers (marked, or the current one)."""

        def __init__(self, action: str, containers: list[ContainerInfo]) -> None:
            super().__init__()
            self.action = action
            self.containers = containers

    class ProjectRequested(Message):
        """The user asked for the Compose project of ``container``."""

        def __init__(self, container: ContainerInfo) -> None:
            super().__init__()
            self.container = container

    # ``docker ps`` (False) or ``docker ps -a`` (True).
    show_all: reactive[bool] = reactive(False, init=False)
    # Rows grouped by Compose project, under a Project › Service column.
    grouped: reactive[bool] = reactive(False, init=False)
    # The CPU and Memory columns exist only while shown: off, at 80
    # columns, they would push Status out of sight with empty cells.
    show_stats: reactive[bool] = reactive(False, init=False)
    # A Pod column while any container is in a Podman pod.
    has_pods: reactive[bool] = reactive(False, init=False)

    def __init__(self, **kwargs) -> None:
        self.COLUMNS = tuple(c for c in type(self).COLUMNS if c.key not in STATS_COLUMNS)
        super().__init__(**kwargs)
        self.stats: dict[str, StatsSample] = {}
        # id -> (action, state when it began): shown until the state changes.
        self.pending: dict[str, tuple[str, str]] = {}
        # id -> when its status text was read: "Up 5 minutes" then ages from there.
        self.status_read_at: dict[str, datetime] = {}

    def load(self, items: Iterable[ContainerInfo]) -> None:
        items = list(items)
        now = self._now()
        self.hold_current(item.key for item in items)
        self.status_read_at = {item.key: now for item in items}
        self.has_pods = any(item.pod for item in items)
        super().load(items)

    def load_host(self, host: str, items: Iterable[ContainerInfo]) -> None:
        if self.show_hosts:
            self._keep_top(lambda: self.update_containers(self.host_changes(host, items)))
        else:
            self.load(items)

    def marked_group(self) -> ContainerGroup | None:
        """The marked containers, when two or more are: their logs are followed as one."""
        members = tuple(sorted((self.items[key] for key in self.marked if key in self.items), key=lambda c: c.name))
        return ContainerGroup(members, f"{len(members)} marked") if len(members) > 1 else None

    def live_status(self, item: ContainerInfo) -> str:
        """The engine's status text, aged by the time since it was read."""
        read_at = self.status_read_at.get(item.key)
        if read_at is None:
            return item.status
        return live_status(item.status, (self._now() - read_at).total_seconds())

    def key_for(self, item: ContainerInfo) -> str:
        return item.key

    def ages_of(self, item: ContainerInfo) -> list[float]:
        return container_ages(item, self.live_status(item), self._now())

    def is_shown(self, item: ContainerInfo) -> bool:
        return self.show_all or item.is_running or item.key in self.pending or item.key == self.held

    def row_for(self, item: ContainerInfo) -> list[Cell]:
        action = self.pending.get(item.key, ("", ""))[0]
        state = (
            cell(f"{PENDING_WORDS.get(action, action)}…", style=self.role_style(PENDING_ACTION)) if action
            else state_cell(item.state, self.state_style(item.state))
        )
        cpu, mem = self._stats_cells(item.key)
        cells = {
            "name": cell(item.name),
            "state": state,
            "cpu": cpu,
            "mem": mem,
            "status": status_cell(self.live_status(item)),
            "image": shared_cell(item.image),
            "created": self._created_cell(item),
            "ports": shared_cell(published_ports(item.ports)),
        }
        if self.grouped:
            cells["project"] = project_cell(item)
        if self.has_pods:
            cells["pod"] = cell(item.pod)
        return [cells[column.key] for column in self.COLUMNS if column.key != "host"]

    def _created_cell(self, item: ContainerInfo) -> Cell:
        return cell(since(item.created, self._now()), sort_key=item.created.timestamp())

    def aging_cells(self, item: ContainerInfo) -> Iterable[tuple[str, Cell]]:
        """The Status and Created cells alone, as ``cells_of`` makes them: a re-word's
        (the whole row is six more cells, each made again for nothing)."""
        cells = [status_cell(self.live_status(item)), self._created_cell(item)]
        return zip(("status", "created"), self.dimmed_if_stale(item, cells))

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
        if not self.show_stats:
            return
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

    def watch_show_all(self) -> None:
        self.drop_hold()  # asked for running only, the user sees running only
        self.redraw()

    def watch_grouped(self) -> None:
        self._lay_out_columns()

    def watch_show_stats(self, show: bool) -> None:
        if not show:
            self.stats.clear()
        self._lay_out_columns()

    def field_values(self, item: ContainerInfo, field: str) -> Iterable[str] | None:
        """``status:exited``, ``image:busybox``, ``name:web``, ``label:app=shop``, ``pod:shop``."""
        read = FILTER_FIELDS.get(field)
        return read(item) if read is not None else None

    def watch_has_pods(self) -> None:
        self._lay_out_columns()

    def _columns(self) -> tuple[Column, ...]:
        columns = tuple(c for c in type(self).COLUMNS if self.show_stats or c.key not in STATS_COLUMNS)
        if self.has_pods:
            columns = (columns[0], POD_COLUMN, *columns[1:])
        columns = (PROJECT_COLUMN, *columns) if self.grouped else columns
        return (self.host_column, *columns) if self.show_hosts else columns

    def visible_running_ids(self) -> list[str]:
        """Running containers whose rows are on screen now."""
        first = int(self.scroll_y)
        last = min(self.row_count, first + max(1, self.size.height - 1))
        keys = [self.row_key_at(index) for index in range(first, last)]
        return [key for key in keys if key in self.items and self.items[key].state == "running"]

    def _lay_out_columns(self) -> None:
        """Make the columns again (grouping or stats changed).

        The table is laid out again; the cursor stays on the same container and
        the panes beside the list are not told of a change, as there is none.
        """
        keep = self.current_key
        labels = {key.value: column.label for key, column in self.columns.items()}
        self.COLUMNS = self._columns()
        if self.sort_column not in {column.key for column in self.COLUMNS}:
            self.sort_column, self.sort_reverse = self.SORT_COLUMN, self.SORT_REVERSE
            labels = {}
        with self.prevent(KeyedTable.CurrentChanged), self.hold_kept():
            self.clear(columns=True)
            for column in self.COLUMNS:
                self.add_column(labels.get(column.key, column.label), width=column.width, key=column.key)
            self.redraw()
            if keep is not None and keep in self.rows:
                self.move_cursor(row=self.get_row_index(keep))

    def action_toggle_grouped(self) -> None:
        self.grouped = not self.grouped
        self.notify("Grouped by Compose project" if self.grouped else "Flat list", timeout=2)

    def action_request_project(self) -> None:
        current = self.current
        if current is None:
            self.notify("No container selected", severity="warning")
        elif compose_labels(current) is None:
            self.notify("This container is not part of a Compose project", severity="warning")
        else:
            self.post_message(self.ProjectRequested(current))

    def _sort(self) -> None:
        """Grouped: by project and service first, then the chosen column, in one stable sort."""
        if not self.grouped:
            super()._sort()
            return
        inner = self.sort_column or "created"
        wrap = Descending if self.sort_reverse else (lambda value: value)
        if self.show_hosts:  # a fleet groups by host, then project
            self.sort("host", "project", inner,
                      key=lambda values: (values[0].sort_key, values[1].sort_key, wrap(values[2].sort_key)))
            return
        self.sort("project", inner, key=lambda values: (values[0].sort_key, wrap(values[1].sort_key)))

    def update_containers(self, changes: dict[str, ContainerInfo | None]) -> None:
        """Apply re-read containers by id; None means gone.

        A pending "stopping…" ends when the state changes, not at the first
        event: ``docker stop`` sends a kill event long before the container dies.
        """
        if not self.has_pods and any(container and container.pod for container in changes.values()):
            self.has_pods = True
        now = self._now()
        for container_id, container in changes.items():
            if container is None:
                self.status_read_at.pop(container_id, None)
            else:
                self.status_read_at[container_id] = now
            if container is None or container.state != "running":
                # A stopped container's last reading is no longer true.
                self.stats.pop(container_id, None)
            pending = self.pending.get(container_id)
            if container is None or (pending and container.state != pending[1]):
                self.pending.pop(container_id, None)
        self.hold_current(key for key, container in changes.items() if container is not None)
        self.set_items(changes)
        self.report_current()

    def mark_pending(self, container_ids: list[str], action: str) -> None:
        """Show "stopping…" (etc.) on these rows until their next event."""
        changed = {}
        for container_id in container_ids:
            item = self.items.get(container_id)
            if item is not None:
                self.pending[container_id] = (action, item.state)
                changed[container_id] = item
        self.set_items(changed)

    def clear_pending(self, container_ids: list[str]) -> None:
        """The action is over (or failed): show these containers' real state again."""
        for container_id in container_ids:
            if self.pending.pop(container_id, None) is not None and container_id in self.items:
                self.set_item(container_id, self.items[container_id])

    def settle_pending(self, failed_ids: list[str], done_ids: list[str]) -> None:
        """An action ended: failed rows show their state now, done ones once their event is in.

        Normally that event has ended "stopping…" already; an action that
        changed nothing (stopping a stopped container) sends none, so the
        marker also goes after a grace period.
        """
        self.clear_pending(failed_ids)
        if done_ids:
            self.set_timer(PENDING_GRACE_SECONDS, lambda: self.clear_pending(done_ids))

    def action_request(self, action: str) -> None:
        no_target = ("run", "remove_exited", "remove_exited_everywhere")
        if action in ONE_CONTAINER:
            # The row under the cursor, whatever is marked: these take one container.
            targets = [self.current] if self.current is not None else []
        else:
            targets = [] if action in no_target else self.targets()
        if action not in no_target and not targets:
            self.notify("No container selected", severity="warning")
            return
        self.post_message(self.ActionRequested(action, targets))
