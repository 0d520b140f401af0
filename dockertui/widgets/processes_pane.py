"""The Top tab: the selected container's processes, read again every few seconds.

Only while the tab is on screen and the container runs: one ``docker top``
for one container, never a list. Rows are keyed by PID and changed in place,
so the cursor stays on its process between readings.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Static

from dockertui.backend import ContainerInfo, EngineError
from dockertui.backend.processes import PS_ARGS, ProcessList, container_processes
from dockertui.fleet import backend_on
from dockertui.formatting import cell, safe_text, size
from dockertui.widgets.cursor_keys import CURSOR_BINDINGS
from dockertui.widgets.hanging_text import HangingText
from dockertui.widgets.theme_roles import ERROR_TEXT, ThemeRoles
from dockertui.worker_errors import ReportsWorkerErrors

INTERVAL = 2.0
# docker top answers for these (a paused container's processes are there, frozen).
HAS_PROCESSES = ("running", "paused")

# ps's titles as the table shows them; others are shown as ps says them.
TITLES = {"%CPU": "CPU %", "%MEM": "Mem %", "ELAPSED": "Running", "COMMAND": "Command", "CMD": "Command"}
# The columns read first go first: ps must print the command last (the engine
# takes everything after the other columns as the command), but a narrow pane
# would then hide it. Titles not named here follow in ps's order.
COLUMNS_FIRST = ("PID", "%CPU", "RSS", "COMMAND", "CMD", "%MEM", "ELAPSED")


def column_order(titles: tuple[str, ...]) -> list[int]:
    """Indexes of ``titles`` in the order the table shows them."""
    return sorted(range(len(titles)), key=lambda i: (COLUMNS_FIRST.index(titles[i]) if titles[i] in COLUMNS_FIRST else len(COLUMNS_FIRST), i))


def tree_order(rows: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """(pid, depth) for ``rows`` of (pid, ppid), parents before their children, as ``ps f`` shows them."""
    pids = {pid for pid, _ in rows}
    children: dict[str, list[str]] = {}
    roots = []
    for pid, ppid in rows:
        if ppid in pids and ppid != pid:
            children.setdefault(ppid, []).append(pid)
        else:
            roots.append(pid)
    by_number = lambda pid: (len(pid), pid)  # noqa: E731 - numeric order without int()
    order: list[tuple[str, int]] = []
    stack = [(pid, 0) for pid in sorted(roots, key=by_number, reverse=True)]
    seen = set()
    while stack:
        pid, depth = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        order.append((pid, depth))
        stack.extend((child, depth + 1) for child in sorted(children.get(pid, ()), key=by_number, reverse=True))
    # A cycle (pid reuse between two ps lines) leaves rows unreached: show them flat.
    order.extend((pid, 0) for pid, _ in rows if pid not in seen)
    return order


def process_cell(title: str, value: str) -> Text:
    """One ps value made safe; RSS (KiB) as a size, sortable by number."""
    if title == "RSS" and value.isdigit():
        return cell(size(int(value) * 1024), sort_key=int(value))
    if title in ("PID", "PPID") and value.isdigit():
        return cell(value, sort_key=int(value))
    return cell(value)


class ProcessTable(DataTable):
    """The processes; moved through with the lists' keys (j, k, g, G)."""

    BINDINGS = CURSOR_BINDINGS


class ProcessesPane(ThemeRoles, ReportsWorkerErrors, Vertical):
    """A heading (container, count or why none) over a table of processes.

    A row is a PID: a PID the kernel hands out again is taken for the same
    process (ps cannot tell them apart between two readings either).
    """

    class Read(Message):
        """A reading came back: ``processes`` or the ``problem`` with it."""

        def __init__(self, container_id: str, processes: ProcessList | None, problem: str = "") -> None:
            super().__init__()
            self.container_id = container_id
            self.processes = processes
            self.problem = problem

    def __init__(self, *, interval: float = INTERVAL, id: str | None = None) -> None:
        super().__init__(id=id)
        self.container: ContainerInfo | None = None
        self._interval = interval
        self._on_screen = False
        # Set while hidden, when ``show`` left the drawing to ``on_show``: whether the table goes too.
        self._clear_on_show: bool | None = None
        self._reading = False
        self._next_reading: Timer | None = None
        self._titles: tuple[str, ...] = ()
        self._count: int | None = None  # processes in the last reading shown
        # The ps arguments the engine took last time (None: its default
        # columns), so a host without ``ps -o`` is not asked twice every time.
        self._ps_args: tuple[object, str | None] = (None, PS_ARGS)

    def compose(self) -> ComposeResult:
        yield Static(Text("No container selected", style="dim"), id="processes-heading")
        yield ProcessTable(id="processes-table", cursor_type="row", zebra_stripes=True)
        # The highlighted process's whole command: the column is cut in a narrow pane.
        with VerticalScroll(id="processes-command-box", can_focus=False):
            yield HangingText(id="processes-command", hang=2)

    @property
    def table(self) -> DataTable:
        return self.query_one("#processes-table", DataTable)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_command()

    def _show_command(self) -> None:
        table = self.table
        command = self.query_one("#processes-command", HangingText)
        column = next((title for title in ("COMMAND", "CMD") if title in table.columns), None)
        if column is None or not table.row_count:
            command.update("")
            return
        row_key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
        whole = table.get_cell(row_key, column).plain.strip()
        label = f"PID {row_key.value}" if "PID" in table.columns else ""
        command.update(Text.assemble((label, "bold"), "  " if label else "", safe_text(whole)))

    # ------------------------------------------------------------ readings

    def show(self, container: ContainerInfo | None) -> None:
        """Follow ``container``; a new one starts from an empty table."""
        previous = self.container
        self.container = container
        other = previous is None or container is None or previous.id != container.id
        if not self._on_screen:
            # Drawn when next shown: a hidden pane's new text still costs the screen a layout.
            self._clear_on_show = self._clear_on_show or other or not self._has_processes()
            return
        if other or not self._has_processes():
            self._clear()
        self._heading(count=None if other else self._count)
        # The same container, changed (a status line): keep the readings' pace.
        started = not other and previous.state not in HAS_PROCESSES
        self._read_soon(0 if other or started else self._interval)

    def resume(self) -> None:
        """The dashboard is the current screen again: read now if the tab shows."""
        self._read_soon(0)

    def on_show(self) -> None:
        self._on_screen = True
        if self._clear_on_show is not None:
            if self._clear_on_show:
                self._clear()
            self._heading(count=self._count)
            self._clear_on_show = None
        self._read_soon(0)

    def on_hide(self) -> None:
        self._on_screen = False

    @property
    def is_idle(self) -> bool:
        """No reading is armed or out: none comes until the pane is shown or the container changes."""
        return not self._reading and self._next_reading is None

    def _has_processes(self) -> bool:
        return self.container is not None and self.container.state in HAS_PROCESSES

    def _wanted(self) -> bool:
        # Another screen over the dashboard (a dialog too, as for stats) gets no
        # Hide event down here; readings wait until the dashboard is on top again.
        return self._on_screen and self.app.screen is self.screen and self._has_processes()

    def _read_soon(self, delay: float) -> None:
        """Arm one reading; at most one is armed or running at a time."""
        if self._reading or not self._wanted():
            return
        if self._next_reading is not None:
            if delay:
                return
            self._next_reading.stop()
        self._next_reading = self.set_timer(delay or 0.001, self._read_now)

    def _read_now(self) -> None:
        self._next_reading = None
        backend = backend_on(self.app, self.container.host) if self.container is not None else None
        if backend is None or not self._wanted() or self.container is None:
            return
        self._reading = True
        known_backend, ps_args = self._ps_args
        self._read(backend, self.container.id, ps_args if known_backend is backend else PS_ARGS)

    @work(thread=True, exclusive=True, group="processes", exit_on_error=False)
    def _read(self, backend, container_id: str, ps_args: str | None) -> None:
        try:
            processes = container_processes(backend, container_id, ps_args)
        except EngineError as error:
            self.post_message(self.Read(container_id, None, str(error)))
        except Exception as error:  # an odd reply must not end the readings
            self.post_message(self.Read(container_id, None, f"unexpected answer from the engine: {error!r}"))
        else:
            self.post_message(self.Read(container_id, processes))

    def on_processes_pane_read(self, message: Read) -> None:
        message.stop()
        self._reading = False
        if self.container is None or message.container_id != self.container.id:
            self._read_soon(0)
            return
        if not self._wanted():
            # Stopped, hidden or covered while the reading was out: it is stale.
            self._heading(count=self._count)
            return
        if message.processes is None:
            self._heading(problem=message.problem)
        else:
            host = self.container.host if self.container is not None else ""
            self._ps_args = (backend_on(self.app, host), message.processes.ps_args)
            self._apply(message.processes)
            self._count = len(message.processes.rows)
            self._heading(count=self._count)
        self._read_soon(self._interval)

    def _heading(self, count: int | None = None, problem: str = "") -> None:
        heading = self.query_one("#processes-heading", Static)
        container = self.container
        if container is None:
            heading.update(Text("No container selected", style="dim"))
            return
        text = Text.assemble(safe_text(container.name, style="bold reverse"), "  ")
        if container.state not in HAS_PROCESSES:
            text.append(f"not running ({container.state}): no processes", style="dim")
        elif problem:
            text.append_text(safe_text(problem, style=self.role_style(ERROR_TEXT)))
        elif count is not None:
            paused = "paused · " if container.state == "paused" else ""
            text.append(f"{paused}{count} process{'es' if count != 1 else ''} · every {self._interval:g} s", style="dim")
        else:
            text.append("reading…", style="dim")
        heading.update(text)

    # --------------------------------------------------------------- table

    def _clear(self) -> None:
        self.table.clear(columns=True)
        self.query_one("#processes-command", HangingText).update("")
        self._titles = ()
        self._count = None

    def _apply(self, processes: ProcessList) -> None:
        """Change the table to this reading: rows by PID in tree order, cells changed in place."""
        table = self.table
        titles = processes.titles
        shown = column_order(titles)
        if titles != self._titles:
            self._clear()
            self._titles = titles
            for index in shown:
                table.add_column(TITLES.get(titles[index], titles[index]), key=titles[index])
        on_row = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value if table.row_count else None
        pid_at = processes.pid_column()
        ppid_at = titles.index("PPID") if "PPID" in titles else None
        by_key: dict[str, tuple[str, ...]] = {}
        for number, row in enumerate(processes.rows):
            # No PID (a strange ps): "#n" cannot be taken for a real PID.
            key = row[pid_at] if pid_at is not None and pid_at < len(row) else f"#{number}"
            by_key[key] = row
        parents = [(key, row[ppid_at] if ppid_at is not None and ppid_at < len(row) else "") for key, row in by_key.items()]
        order = tree_order(parents)
        for key in [key.value for key in table.rows if key.value not in by_key]:
            table.remove_row(key)
        for key, depth in order:
            row = by_key[key]
            cells = {}
            for index in shown:
                value = row[index] if index < len(row) else ""
                if titles[index] in ("COMMAND", "CMD"):
                    value = "  " * depth + value
                cells[titles[index]] = process_cell(titles[index], value)
            if key not in table.rows:
                table.add_row(*cells.values(), key=key)
                continue
            for title, value in cells.items():
                if table.get_cell(key, title).plain != value.plain:
                    table.update_cell(key, title, value, update_width=True)
        if "PID" in titles and [row.key.value for row in table.ordered_rows] != [key for key, _ in order]:
            positions = {key: position for position, (key, _) in enumerate(order)}
            table.sort("PID", key=lambda pid: positions.get(pid.plain, len(positions)))
        # The cursor stays on its process, wherever rows came or went.
        if on_row is not None and on_row in table.rows:
            table.move_cursor(row=table.get_row_index(on_row), scroll=False)
        self._show_command()
