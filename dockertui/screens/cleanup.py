"""Clean up: see exactly what a prune would remove, tick it, remove it once.

The plan is computed in a thread (``docker system df`` can take seconds).
Each category is a section of one table: its row ticks the whole category,
item rows tick single objects, and the totals follow the ticks. One
confirmation, then the ticked objects are removed one by one in a thread and
the space actually reclaimed is shown per category, with every failure.

In a fleet, opened with ``every_engine``, each engine is a section of its
own, with its total, over the one grand total; each engine removes its own.
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
    CONTAINERS,
    CleanupCategory,
    CleanupItem,
    CleanupPlan,
    CleanupResult,
    LabelFilter,
    plan_cleanup,
    remove_items,
)
from dockertui.backend.models import host_key
from dockertui.fleet import backend_on
from dockertui.formatting import ERROR, cell, safe_text, size, themed
from dockertui.screens.cleanup_text import confirm_lines, describe_filter, render_result, total_line
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.key_bar import KeyBar
from dockertui.widgets.theme_roles import OK, ThemeRoles

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

TICKED, PARTLY, UNTICKED = "✓", "–", " "
CATEGORY_PREFIX = "cat:"
HOST_PREFIX = "host:"


def qualified(host: str, key: str) -> str:
    """A row's key in a fleet's cleanup: the engine's name before the category's or item's own."""
    return f"{host}@{key}" if host else key


def unqualified(key: str) -> tuple[str, str]:
    host, at, rest = key.partition("@")
    return (host, rest) if at else ("", key)


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
        """The engines' current candidates (by engine name; "" with one), computed in a thread."""

        def __init__(self, plans: dict[str, CleanupPlan], skipped: dict[str, str]) -> None:
            super().__init__()
            self.plans = plans
            self.skipped = skipped  # a fleet's engines that could not be read, and why

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

        def __init__(self, result: CleanupResult, removed_containers: list[str]) -> None:
            super().__init__()
            self.result = result
            self.removed_containers = removed_containers  # their rows' keys

    class Failed(Message):
        """The engine refused a whole step (computing the plan)."""

        def __init__(self, step: str, reason: str) -> None:
            super().__init__()
            self.step = step
            self.reason = reason

    def __init__(self, label_filter: LabelFilter | None = None, every_engine: list[str] | None = None) -> None:
        """``every_engine``: a fleet's engine names, each a section; else the one engine (``on_engine``)."""
        super().__init__()
        self.label_filter = dict(label_filter) if label_filter else None
        self._every_engine = every_engine or []
        self.plans: dict[str, CleanupPlan] = {}
        self.result: CleanupResult | None = None
        self.ticked: set[str] = set()
        self.busy = False

    @property
    def hosts(self) -> list[str]:
        return self._every_engine or [self.engine_host]

    @property
    def plan(self) -> CleanupPlan | None:
        """The engine's plan (the first engine's, in a fleet)."""
        return self.plans.get(self.hosts[0])

    def compose(self) -> ComposeResult:
        yield Header()
        scope = "every engine" if self._every_engine else self.engine_host
        yield Static(describe_filter(self.label_filter, scope), id="cleanup-scope")
        yield Static(Text("computing…", style="italic"), id="cleanup-status")
        yield DataTable(id="cleanup-table", cursor_type="row")
        yield Static(id="cleanup-total")
        with VerticalScroll(id="cleanup-result"):
            yield Static(id="cleanup-result-text")
        yield KeyBar()

    def on_mount(self) -> None:
        where = "every engine" if self._every_engine else self.engine_host
        self.sub_title = f"Clean up {where}" if where else "Clean up"
        table = self.query_one(DataTable)
        table.add_column(" ", key="tick", width=1)
        table.add_column("Name", key="name", width=46)
        table.add_column("Size", key="size", width=10)
        table.add_column("Detail", key="detail", width=52)
        table.focus()
        self.action_reload()

    # ------------------------------------------------------------ workers

    def _backends(self) -> dict[str, DockerBackend] | None:
        """Each engine's connection; a fleet's engines that are away are left out (and said to be).

        None (and why, shown) when there is none to work with.
        """
        backends = {host: backend_on(self.app, host) for host in self.hosts}
        away = [host or "the engine" for host, backend in backends.items() if backend is None]
        if away and (not self._every_engine or len(away) == len(backends)):
            self._status(themed(f"Not connected to {', '.join(away)}", ERROR))
            return None
        return {host: backend for host, backend in backends.items() if backend is not None}

    def action_reload(self) -> None:
        if self.busy:
            return
        backends = self._backends()
        if backends is None:
            return
        self._status(Text("computing…", style="italic"))
        self._load_plans(backends)

    @work(thread=True, exclusive=True, group="cleanup", exit_on_error=False)
    def _load_plans(self, backends: dict[str, DockerBackend]) -> None:
        plans, skipped = {}, {host: "not connected" for host in self.hosts if host not in backends}
        for host, backend in backends.items():
            try:
                plans[host] = plan_cleanup(backend, self.label_filter)
            except EngineError as error:
                if not self._every_engine:
                    self.post_message(self.Failed("compute what can be removed", str(error)))
                    return
                skipped[host] = str(error)  # the other engines can still be cleaned
        self.post_message(self.PlanLoaded(plans, skipped))

    @work(thread=True, exclusive=True, group="cleanup", exit_on_error=False)
    def _remove(self, backends: dict[str, DockerBackend], chosen: dict[str, list[CleanupItem]]) -> None:
        total = sum(len(items) for items in chosen.values())
        results, done, containers = [], 0, []
        for host, items in chosen.items():
            def progressed(count: int, _: int, before: int = done) -> None:
                self.post_message(self.RemovalProgressed(before + count, total))

            results.append(remove_items(backends[host], items, progressed))
            containers += [host_key(host, item.id) for item in results[-1].removed if item.kind == CONTAINERS]
            done += len(items)
        self.post_message(self.RemovalFinished(merged(results), containers))

    # ----------------------------------------------------------- handlers

    def on_cleanup_screen_plan_loaded(self, message: PlanLoaded) -> None:
        self.plans = message.plans
        self.ticked &= {qualified(host, item.key) for host, plan in self.plans.items() for item in plan.items}
        skipped = "; ".join(f"{host}: {reason}" for host, reason in message.skipped.items())
        self._status(themed(f"Left out (engine away): {skipped}", ERROR) if skipped else Text(""))
        self._render_plan()

    def on_cleanup_screen_removal_progressed(self, message: RemovalProgressed) -> None:
        self._status(Text(f"removing… {message.done} of {message.total}", style="italic"))

    def on_cleanup_screen_removal_finished(self, message: RemovalFinished) -> None:
        self.busy = False
        self.result = message.result
        self.ticked.clear()
        self.app.containers_removed(message.removed_containers)
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
        if self.plans:
            self._render_plan()

    def _render_plan(self) -> None:
        if not self.plans:
            return
        table = self.query_one(DataTable)
        cursor_key = self._cursor_key()
        with self.app.batch_update():
            table.clear()
            for host, plan in self.plans.items():
                if self._every_engine:
                    table.add_row(*self._host_cells(host, plan), key=HOST_PREFIX + host)
                for category in plan.categories:
                    table.add_row(*self._category_cells(host, category),
                                  key=qualified(host, CATEGORY_PREFIX + category.kind))
                    for item in category.items:
                        table.add_row(*self._item_cells(host, item), key=qualified(host, item.key))
            if cursor_key is not None and cursor_key in table.rows:
                table.move_cursor(row=table.get_row_index(cursor_key))
        self._render_total()

    def _host_cells(self, host: str, plan: CleanupPlan) -> tuple[Text, ...]:
        chosen = self._chosen_of(host, plan.items)
        return (
            Text(""),
            cell(host, style="bold reverse"),
            cell(size(plan.reclaimable), sort_key=plan.reclaimable, style="bold"),
            cell(f"{len(chosen)} of {len(plan.items)} ticked · {size(sum(i.size for i in chosen))}", style="bold"),
        )

    def _chosen_of(self, host: str, items: Iterable[CleanupItem]) -> list[CleanupItem]:
        return [item for item in items if qualified(host, item.key) in self.ticked]

    def _category_cells(self, host: str, category: CleanupCategory) -> tuple[Text, ...]:
        chosen = self._chosen_of(host, category.items)
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

    def _item_cells(self, host: str, item: CleanupItem) -> tuple[Text, ...]:
        ticked = qualified(host, item.key) in self.ticked
        return (
            cell(TICKED if ticked else UNTICKED, style=self.role_style(OK) + Style(bold=True)),
            Text.assemble("  ", safe_text(item.name)),
            cell(size(item.size), sort_key=item.size),
            cell(item.detail, style="dim"),
        )

    def _render_total(self) -> None:
        if self.plans:
            chosen = self.chosen_by_host()
            self.query_one("#cleanup-total", Static).update(total_line(self.plans, chosen, bool(self._every_engine)))

    def _refresh_rows(self, sections: Iterable[tuple[str, str]]) -> None:
        """Redraw the tick marks and totals of the given (engine, category kind) sections."""
        table = self.query_one(DataTable)
        for host, kind in set(sections):
            category = self.plans[host].category(kind)
            row_key = qualified(host, CATEGORY_PREFIX + kind)
            for column, value in zip(("tick", "name", "size", "detail"), self._category_cells(host, category)):
                table.update_cell(row_key, column, value)
            for item in category.items:
                table.update_cell(qualified(host, item.key), "tick", self._item_cells(host, item)[0])
            if self._every_engine:
                table.update_cell(HOST_PREFIX + host, "detail", self._host_cells(host, self.plans[host])[3])
        self._render_total()

    def _cursor_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # ------------------------------------------------------------ ticking

    def chosen_by_host(self) -> dict[str, list[CleanupItem]]:
        """The ticked items of each engine, in plan order."""
        return {host: self._chosen_of(host, plan.items) for host, plan in self.plans.items()}

    def chosen_items(self) -> list[CleanupItem]:
        """The ticked items of every engine, in plan order."""
        return [item for items in self.chosen_by_host().values() for item in items]

    def tick(self, key: str, on: bool | None = None) -> None:
        """Toggle (or set) a row: an engine ``host:<name>``, a category ``cat:<kind>`` or an item (fleet: ``name@…``)."""
        if key.startswith(HOST_PREFIX):
            host = key.removeprefix(HOST_PREFIX)
            plan = self.plans.get(host)
            if plan is not None:
                self._tick_all(host, [c.kind for c in plan.categories], plan.items, on)
            return
        host, key = unqualified(key)
        plan = self.plans.get(host)
        if plan is None:
            return
        if key.startswith(CATEGORY_PREFIX):
            category = plan.category(key.removeprefix(CATEGORY_PREFIX))
        else:
            category = plan.category(key.split(":", 1)[0])
            if not category.whole_only:
                full = qualified(host, key)
                if (full not in self.ticked) if on is None else on:
                    self.ticked.add(full)
                else:
                    self.ticked.discard(full)
                self._refresh_rows([(host, category.kind)])
                return
        self._tick_all(host, [category.kind], category.items, on)

    def _tick_all(self, host: str, kinds: list[str], items: Iterable[CleanupItem], on: bool | None) -> None:
        keys = {qualified(host, item.key) for item in items}
        on = not keys <= self.ticked if on is None else on
        self.ticked = (self.ticked | keys) if on else (self.ticked - keys)
        self._refresh_rows((host, kind) for kind in kinds)

    def action_toggle(self) -> None:
        key = self._cursor_key()
        if key is not None and not self.busy:
            self.tick(key)

    def action_toggle_all(self) -> None:
        if not self.plans or self.busy:
            return
        everything = {qualified(host, item.key) for host, plan in self.plans.items() for item in plan.items}
        self.ticked = set() if everything <= self.ticked else everything
        self._refresh_rows((host, c.kind) for host, plan in self.plans.items() for c in plan.categories)

    def action_cursor(self, direction: str) -> None:
        table = self.query_one(DataTable)
        if direction == "down":
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    # ------------------------------------------------------------- remove

    def action_confirm(self) -> None:
        if self.busy or not self.plans:
            return
        chosen = {host: items for host, items in self.chosen_by_host().items() if items}
        if not chosen:
            self.notify("Nothing ticked: space ticks a row, a ticks everything", timeout=4)
            return
        backends = self._backends()
        if backends is None:
            return
        chosen = {host: items for host, items in chosen.items() if host in backends}  # one went away meanwhile
        count = sum(len(items) for items in chosen.values())

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self._status(Text(f"removing… 0 of {count}", style="italic"))
                self._remove(backends, chosen)

        total = sum(item.size for items in chosen.values() for item in items)
        lines = []
        for host, items in chosen.items():
            if self._every_engine:
                lines.append(Text(f"{host}: {len(items)} object(s), {size(sum(i.size for i in items))}", style="bold underline"))
            lines += confirm_lines(items, self.role_style)
        on = f" on {len(chosen)} engines" if len(chosen) > 1 else ""
        self.app.push_screen(ConfirmScreen(f"Remove {count} object(s){on}, about {size(total)}?", lines, "Remove"), answered)

    def action_close(self) -> None:
        if self.busy:
            self.notify("Removal is under way; it finishes on its own", timeout=3)
            return
        self.dismiss(None)


def merged(results: list[CleanupResult]) -> CleanupResult:
    """One result of several engines' removals: what went, what failed, bytes freed per category."""
    reclaimed: dict[str, int] = {}
    for result in results:
        for kind, freed in result.reclaimed:
            reclaimed[kind] = reclaimed.get(kind, 0) + freed
    return CleanupResult(
        removed=tuple(item for result in results for item in result.removed),
        failures=tuple(failure for result in results for failure in result.failures),
        reclaimed=tuple(reclaimed.items()),
    )
