"""The tasks of one service: ``docker service ps``, newest first in each slot."""

from __future__ import annotations

from dockertui.backend.swarm_models import TaskInfo
from dockertui.formatting import Cell, cell, since
from dockertui.widgets.aging_rows import AgingRows
from dockertui.widgets.keyed_table import Column, KeyedTable
from dockertui.widgets.theme_roles import ERROR_TEXT


def task_order(task: TaskInfo) -> tuple:
    """By service and slot, and within a slot the current task above its history."""
    slot = task.slot if task.slot is not None else task.node_hostname
    return (task.service_name, slot, -task.created.timestamp())


def current_tasks(tasks: list[TaskInfo]) -> set[str]:
    """The newest task of each slot (or node, for a global service); the rest is history."""
    newest: dict[object, TaskInfo] = {}
    for task in tasks:
        slot = (task.service_id, task.slot if task.slot is not None else task.node_id)
        if slot not in newest or task.created > newest[slot].created:
            newest[slot] = task
    return {task.id for task in newest.values()}


class TaskTable(AgingRows, KeyedTable[TaskInfo]):
    """A service's tasks (``docker service ps``) or a node's (``docker node ps``), with history."""

    COLUMNS = (
        Column("name", "Task", 16),
        Column("image", "Image", 24),
        Column("node", "Node", 10),
        Column("desired", "Desired", 8),
        Column("state", "Current", 22),
        Column("error", "Error", 40),
    )
    SORT_COLUMN = "name"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._current: set[str] = set()

    def key_for(self, item: TaskInfo) -> str:
        return item.id

    def ages_of(self, item: TaskInfo) -> list[float]:
        return [(self._now() - item.updated).total_seconds()] if item.updated.timestamp() > 0 else []

    def row_for(self, item: TaskInfo) -> list[Cell]:
        # A task that was replaced shows indented under the current one, as the CLI does.
        name = item.name if item.id in self._current else f" \\_ {item.name}"
        when = since(item.updated, self._now()) if item.updated.timestamp() > 0 else ""
        state = f"{item.state} {when}".strip()
        return [
            cell(name, sort_key=task_order(item)),
            cell(item.image),
            cell(item.node_hostname or item.node_id[:12]),
            cell(item.desired_state, style="dim" if item.desired_state != "running" else ""),
            cell(state, style=self.state_style(item.state)),
            cell(item.error or (item.message if item.state in ("failed", "rejected") else ""), style=self.role_style(ERROR_TEXT)),
        ]

    def show_tasks(self, tasks: list[TaskInfo]) -> None:
        """Show these tasks (a service's, or a node's), diffed as ever."""
        self._current = current_tasks(tasks)
        self.load(tasks)
