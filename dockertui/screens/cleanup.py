"""Clean up: see exactly what a prune would remove, tick it, remove it once.

The plan is computed in a thread (``docker system df`` can take seconds).
Each category is a section of one table: its row ticks the whole category,
item rows tick single objects, and the totals follow the ticks. One
confirmation, then the ticked objects are removed one by one in a thread and
the space actually reclaimed is shown per category, with every failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from dockertui.backend import EngineError
from dockertui.backend.cleanup import (
    CATEGORY_TITLES,
    CleanupCategory,
    CleanupItem,
    CleanupPlan,
    CleanupResult,
    LabelFilter,
    plan_cleanup,
    remove_items,
)
from dockertui.formatting import ERROR, ERROR_DETAIL, SUCCESS, cell, safe_text, size, themed
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.key_bar import KeyBar
from dockertui.widgets.theme_roles import OK, STATE_WAITING, RoleStyle, ThemeRoles, no_roles

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

TICKED, PARTLY, UNTICKED = "✓", "–", " "
CATEGORY_PREFIX = "cat:"


def describe_filter(label_filter: LabelFilter | None, host: str = "") -> Text:
    """The scope line: what the screen is restricted to (in a fleet: which engine), as literal text."""
    if not label_filter:
        return Text(f"Everything on {host or 'this engine'}", style="dim")
    labels = ", ".join(f"{key}={value}" for key, value in sorted(label_filter.items()))
    return Text.assemble(("Only objects labelled ", "dim"), safe_text(labels, style="bold"))


class CleanupScreen(OnEngine, ThemeRoles, Screen[None]):
    """Stopped containers, dangling and unused images, unused volumes and
    networks, and build cache: each item with its size, ticked and removed."""

    DEFAULT_CSS = """
    CleanupScreen #cleanup-scope, CleanupScreen #cleanup-status {
        height: auto;
        padding: 0 1;
    }
    CleanupScreen #cleanup-table {
        height: 1fr;
    }
    CleanupScreen #cleanup-total {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    CleanupScreen #cleanup-result {
        height: auto;
        max-height: 10;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="cleanup-close"),
        Binding("space", "toggle", "Tick", id="cleanup-toggle", tooltip="Tick or untick the row (a category row ticks all of it)"),
        Binding("a", "toggle_all", "Tick all/none", id="cleanup-toggle-all"),
        Binding("enter,ctrl+s", "confirm", "Remove ticked", id="cleanup-confirm", priority=True),
        Binding("r", "reload", "Recompute", id="cleanup-reload"),
        Binding("j", "cursor('down')", "Down", id="cleanup-down", show=False),
        Binding("k", "cursor('up')", "Up", id="cleanup-up", show=False),
    ]

    class PlanLoaded(Message):
        """The engine's current candidates, computed in a thread."""

        def __init__(self, plan: CleanupPlan) -> None:
            super().__init__()
            self.plan = plan

    class RemovalProgressed(Message):
        """``done`` of ``total`` removals finished; only the latest matters."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CleanupScreen.RemovalProgressed)

    class RemovalFinished(Message):
        """Removal is over: what went, what failed, what it freed."""

        def __init__(self, result: CleanupResult) -> None:
            super().__init__()
            self.result = result

    class Failed(Message):
        """The engine refused a whole step (computing the plan)."""

        def __init__(self, step: str, reason: str) -> None:
            super().__init__()
            self.step = step
            self.reason = reason

    def __init__(self, label_filter: LabelFilter | None = None) -> None:
        super().__init__()
        self.label_filter = dict(label_filter) if label_filter else None
        self.plan: CleanupPlan | None = None
        self.result: CleanupResult | None = None
        self.ticked: set[str] = set()
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(describe_filter(self.label_filter, self.engine_host), id="cleanup-scope")
        yield Static(Text("computing…", style="italic"), id="cleanup-status")
        yield DataTable(id="cleanup-table", cursor_type="row")
        yield Static(id="cleanup-total")
        with VerticalScroll(id="cleanup-result"):
            yield Static(id="cleanup-result-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Clean up {self.engine_host}" if self.engine_host else "Clean up"
        table = self.query_one(DataTable)
        table.add_column(" ", key="tick", width=1)
        table.add_column("Name", key="name", width=46)
        table.add_column("Size", key="size", width=10)
        table.add_column("Detail", key="detail", width=52)
        table.focus()
        self.action_reload()

    # ------------------------------------------------------------ workers

    @property
    def backend(self) -> DockerBackend | None:
        return self.engine_backend

    def action_reload(self) -> None:
        if self.busy:
            return
        backend = self.backend
        if backend is None:
            self._status(themed("Not connected to an engine", ERROR))
            return
        self._status(Text("computing…", style="italic"))
        self._load_plan(backend)

    @work(thread=True, exclusive=True, group="cleanup", exit_on_error=False)
    def _load_plan(self, backend: DockerBackend) -> None:
        try:
            plan = plan_cleanup(backend, self.label_filter)
        except EngineError as error:
            self.post_message(self.Failed("compute what can be removed", str(error)))
            return
        self.post_message(self.PlanLoaded(plan))

    @work(thread=True, exclusive=True, group="cleanup", exit_on_error=False)
    def _remove(self, backend: DockerBackend, items: list[CleanupItem]) -> None:
        result = remove_items(backend, items, lambda done, total: self.post_message(self.RemovalProgressed(done, total)))
        self.post_message(self.RemovalFinished(result))

    # ----------------------------------------------------------- handlers

    def on_cleanup_screen_plan_loaded(self, message: PlanLoaded) -> None:
        self.plan = message.plan
        keys = {item.key for item in message.plan.items}
        self.ticked &= keys
        self._status(Text(""))
        self._render_plan()

    def on_cleanup_screen_removal_progressed(self, message: RemovalProgressed) -> None:
        self._status(Text(f"removing… {message.done} of {message.total}", style="italic"))

    def on_cleanup_screen_removal_finished(self, message: RemovalFinished) -> None:
        self.busy = False
        self.result = message.result
        self.ticked.clear()
        self.query_one("#cleanup-result-text", Static).update(render_result(message.result))
        severity = "warning" if message.result.failures else "information"
        self.notify(
            f"Reclaimed {size(message.result.total_reclaimed)}"
            + (f"; {len(message.result.failures)} failed" if message.result.failures else ""),
            title="Clean up",
            severity=severity,
            markup=False,
        )
        self.action_reload()

    def on_cleanup_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self._status(Content.assemble((f"Could not {message.step}: ", ERROR), themed(message.reason)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Engine errors arrive as messages; this is for anything unforeseen.
        if event.state == WorkerState.ERROR:
            self.busy = False
            error = event.worker.error
            self._status(Content.assemble(("Stopped by an error: ", ERROR), themed(f"{type(error).__name__}: {error}")))

    # ------------------------------------------------------------- render

    def _status(self, text: Text | Content) -> None:
        self.query_one("#cleanup-status", Static).update(text)

    def restyle(self) -> None:
        if self.plan is not None:
            self._render_plan()

    def _render_plan(self) -> None:
        plan = self.plan
        if plan is None:
            return
        table = self.query_one(DataTable)
        cursor_key = self._cursor_key()
        with self.app.batch_update():
            table.clear()
            for category in plan.categories:
                table.add_row(*self._category_cells(category), key=CATEGORY_PREFIX + category.kind)
                for item in category.items:
                    table.add_row(*self._item_cells(item), key=item.key)
            if cursor_key is not None and cursor_key in table.rows:
                table.move_cursor(row=table.get_row_index(cursor_key))
        self._render_total()

    def _category_cells(self, category: CleanupCategory) -> tuple[Text, ...]:
        chosen = [item for item in category.items if item.key in self.ticked]
        mark = TICKED if chosen and len(chosen) == len(category.items) else PARTLY if chosen else UNTICKED
        if not category.items:
            detail = safe_text(category.note or "nothing to remove", style="dim italic")
        else:
            detail = Text.assemble(
                (f"{len(chosen)} of {len(category.items)} ticked · {size(sum(i.size for i in chosen))}", ""),
                (f" · {category.note}" if category.note else "", "dim"),
            )
        return (
            cell(mark, style=self.role_style(OK) + Style(bold=True)),
            cell(f"{category.title} ({len(category.items)})", style="bold"),
            cell(size(category.reclaimable), sort_key=category.reclaimable, style="bold"),
            detail,
        )

    def _item_cells(self, item: CleanupItem) -> tuple[Text, ...]:
        return (
            cell(TICKED if item.key in self.ticked else UNTICKED, style=self.role_style(OK) + Style(bold=True)),
            Text.assemble("  ", safe_text(item.name)),
            cell(size(item.size), sort_key=item.size),
            cell(item.detail, style="dim"),
        )

    def _render_total(self) -> None:
        plan = self.plan
        if plan is None:
            return
        chosen = self.chosen_items()
        text = Text.assemble(
            ("Ticked: ", "bold"),
            f"{len(chosen)} object(s), {size(sum(i.size for i in chosen))}",
            ("  ·  reclaimable in all: ", "dim"),
            f"{len(plan.items)} object(s), {size(plan.reclaimable)}",
            ("  ·  space ticks, enter removes", "dim"),
        )
        self.query_one("#cleanup-total", Static).update(text)

    def _refresh_rows(self, kinds: Iterable[str]) -> None:
        """Redraw the tick marks and totals of the given categories."""
        if self.plan is None:
            return
        table = self.query_one(DataTable)
        for kind in set(kinds):
            category = self.plan.category(kind)
            row_key = CATEGORY_PREFIX + kind
            for column, value in zip(("tick", "name", "size", "detail"), self._category_cells(category)):
                table.update_cell(row_key, column, value)
            for item in category.items:
                table.update_cell(item.key, "tick", self._item_cells(item)[0])
        self._render_total()

    def _cursor_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # ------------------------------------------------------------ ticking

    def chosen_items(self) -> list[CleanupItem]:
        """The ticked items, in plan order."""
        if self.plan is None:
            return []
        return [item for item in self.plan.items if item.key in self.ticked]

    def tick(self, key: str, on: bool | None = None) -> None:
        """Toggle (or set) a category row ``cat:<kind>`` or an item by its key."""
        if self.plan is None:
            return
        if key.startswith(CATEGORY_PREFIX):
            category = self.plan.category(key.removeprefix(CATEGORY_PREFIX))
        else:
            category = self.plan.category(key.split(":", 1)[0])
            if not category.whole_only:
                if (key not in self.ticked) if on is None else on:
                    self.ticked.add(key)
                else:
                    self.ticked.discard(key)
                self._refresh_rows([category.kind])
                return
        keys = {item.key for item in category.items}
        on = not keys <= self.ticked if on is None else on
        self.ticked = (self.ticked | keys) if on else (self.ticked - keys)
        self._refresh_rows([category.kind])

    def action_toggle(self) -> None:
        key = self._cursor_key()
        if key is not None and not self.busy:
            self.tick(key)

    def action_toggle_all(self) -> None:
        if self.plan is None or self.busy:
            return
        everything = {item.key for item in self.plan.items}
        self.ticked = set() if everything <= self.ticked else everything
        self._refresh_rows(c.kind for c in self.plan.categories)

    def action_cursor(self, direction: str) -> None:
        table = self.query_one(DataTable)
        if direction == "down":
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    # ------------------------------------------------------------- remove

    def action_confirm(self) -> None:
        if self.busy or self.plan is None:
            return
        chosen = self.chosen_items()
        if not chosen:
            self.notify("Nothing ticked: space ticks a row, a ticks everything", timeout=4)
            return
        backend = self.backend
        if backend is None:
            self.notify("Not connected to an engine", severity="error")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self._status(Text(f"removing… 0 of {len(chosen)}", style="italic"))
                self._remove(backend, chosen)

        total = sum(item.size for item in chosen)
        self.app.push_screen(
            ConfirmScreen(f"Remove {len(chosen)} object(s), about {size(total)}?", confirm_lines(chosen, self.role_style), "Remove"),
            answered,
        )

    def action_close(self) -> None:
        if self.busy:
            self.notify("Removal is under way; it finishes on its own", timeout=3)
            return
        self.dismiss(None)


def confirm_lines(chosen: list[CleanupItem], roles: RoleStyle = no_roles) -> list[Text]:
    """Per category: how many and how much; then what cannot go as ticked."""
    lines = []
    for kind, title in CATEGORY_TITLES.items():
        items = [item for item in chosen if item.kind == kind]
        if items:
            lines.append(Text.assemble((f"{title}: ", "bold"), f"{len(items)} · {size(sum(i.size for i in items))}"))
    gone = {item.id for item in chosen}
    blocked = [item for item in chosen if any(need not in gone for need in item.needs)]
    if blocked:
        lines.append(Text(f"{len(blocked)} of them need stopped containers you did not tick; they will fail:",
                          style=roles(STATE_WAITING)))
        lines.extend(Text.assemble("  ", safe_text(item.name)) for item in blocked)
    return lines


def render_result(result: CleanupResult) -> Content:
    """"Reclaimed X" per category, then each failure with the engine's reason."""
    parts: list[Content | tuple[str, str] | str] = [("Reclaimed ", "bold"), (size(result.total_reclaimed), SUCCESS)]
    for kind, title in CATEGORY_TITLES.items():
        removed = [item for item in result.removed if item.kind == kind]
        failed = [f for f in result.failures if f.item.kind == kind]
        if removed or failed:
            parts.append(f"\n{title}: removed {len(removed)}, reclaimed {size(result.reclaimed_for(kind))}")
            if failed:
                parts.append((f", {len(failed)} failed", ERROR_DETAIL))
    for failure in result.failures:
        parts += [("\n✗ ", ERROR), themed(failure.item.name, "bold"), ": ", themed(failure.reason)]
    return Content.assemble(*parts)
