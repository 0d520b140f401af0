"""``P``: one Compose project, its services and containers, and what can be done to it.

Start, stop, restart and remove act on the containers through the engine
(the controller asks first). ``up`` and ``down`` run the Compose CLI with the
project's files; its output streams into the screen as it comes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from dockertui.backend import ContainerInfo, EngineTarget
from dockertui.backend.compose import (
    ComposeInfo,
    ComposeProject,
    ComposeRun,
    compose_argv,
    compose_labels,
    project_named,
    run_compose,
    target_note,
    unavailable_reason,
)
from dockertui.formatting import (
    ERROR,
    ERROR_DETAIL,
    SUCCESS,
    WARNING,
    Cell,
    cell,
    clean,
    safe_text,
    since,
    state_cell,
    themed,
)
from dockertui.widgets.container_table import PENDING_WORDS
from dockertui.widgets.key_bar import KeyBar
from dockertui.widgets.keyed_table import Column, KeyedTable
from dockertui.widgets.run_output import RunOutput
from dockertui.widgets.theme_roles import PENDING_ACTION
from dockertui.worker_errors import ReportsWorkerErrors

MAX_OUTPUT_LINES = 5_000
REDRAW_SECONDS = 1.0
LABEL_WIDTH = 14
# Keys shown in the screen's action bar, in order: (key, action, words).
ACTION_KEYS = (
    ("u", "start", "start"),
    ("s", "stop", "stop"),
    ("r", "restart", "restart"),
    ("d", "remove", "remove"),
    ("U", "up", "up -d"),
    ("D", "down", "down"),
    ("L", "logs", "logs"),
)
CLI_VERBS = ("up", "down")


class ProjectContainerTable(KeyedTable[ContainerInfo], inherit_bindings=False):
    """The project's containers, by service: keyed rows, updated by diff as events come.

    Only moving and sorting: marks and filters mean nothing here, as every
    action is on the whole project.
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "scroll_top", "Top", show=False),
        Binding("end,G", "scroll_bottom", "Bottom", show=False),
        Binding("O", "cycle_sort", "Sort", id="compose-sort", tooltip="cycle the sort column and direction"),
    ]

    COLUMNS = (
        Column("service", "Service", 16),
        Column("name", "Container", 26),
        Column("state", "State", 11),
        Column("status", "Status", 22),
        Column("image", "Image", 24),
        Column("created", "Created", 15),
    )
    SORT_COLUMN = "service"

    def __init__(self, pending: Mapping[str, tuple[str, str]],
                 status_of: Callable[[ContainerInfo], str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        # The Containers pane's "stopping…" marks (id -> (action, state before)), shared.
        self.pending = pending
        # "Up 5 minutes" aged since it was read, as the Containers pane shows it.
        self.status_of = status_of or (lambda item: item.status)

    def key_for(self, item: ContainerInfo) -> str:
        return item.id

    def row_for(self, item: ContainerInfo) -> list[Cell]:
        labels = compose_labels(item)
        service = labels.service if labels else ""
        number = labels.number if labels else 0
        oneoff = bool(labels and labels.oneoff)
        action = self.pending.get(item.id, ("", ""))[0]
        state = (
            cell(f"{PENDING_WORDS.get(action, action)}…", style=self.role_style(PENDING_ACTION)) if action
            else state_cell(item.state, self.state_style(item.state))
        )
        return [
            cell(service + (" (run)" if oneoff else ""), sort_key=(service.casefold(), oneoff, number)),
            cell(item.name),
            state,
            cell(self.status_of(item)),
            cell(item.image),
            cell(since(item.created, self._now()), sort_key=item.created.timestamp()),
        ]


def facts_text(project: ComposeProject, containers: Iterable[ContainerInfo]) -> Text:
    """Name, files, working dir and services, every value from the labels as literal text."""
    containers = list(containers)
    running = sum(1 for c in containers if c.state == "running")

    def row(label: str, value: object, style: str = "") -> Text:
        return Text.assemble((label.ljust(LABEL_WIDTH), "bold"), safe_text(value, style=style))

    files = project.config_files or ("(none in the labels)",)
    lines = [row("Project", project.name, style="bold")]
    lines += [row("Config file" if index == 0 else "", path) for index, path in enumerate(files)]
    lines += [
        row("Working dir", project.working_dir or "(none in the labels)"),
        row("Services", ", ".join(project.services) or "(none)"),
        row("Containers", f"{len(containers)}, {running} running"),
    ]
    return Text("\n").join(lines)


class ComposeProjectScreen(ReportsWorkerErrors, Screen[None]):
    """A Compose project from its containers' labels; its actions are keys."""

    engine_host = ""  # in a fleet, the engine its containers are on

    BINDINGS = [
        Binding("escape", "back", "Back", id="compose-back", tooltip="back (stops a running up/down first)"),
        Binding("u", "request('start')", "Start", id="compose-start", tooltip="start the project's stopped containers"),
        Binding("s", "request('stop')", "Stop", id="compose-stop", tooltip="stop the project's running containers"),
        Binding("r", "request('restart')", "Restart", id="compose-restart", tooltip="restart the project's containers"),
        Binding("d", "request('remove')", "Remove", id="compose-remove", tooltip="remove the project's containers"),
        Binding("U", "request('up')", "Up", id="compose-up", tooltip="docker compose up -d, with the project's files"),
        Binding("D", "request('down')", "Down", id="compose-down", tooltip="docker compose down, with the project's files"),
        Binding("L", "request('logs')", "Logs", id="compose-logs", tooltip="docker compose logs -f: every container's, merged"),
    ]

    class ActionRequested(Message):
        """The user asked for ``action`` on the project shown by ``screen``."""

        def __init__(self, project_screen: ComposeProjectScreen, action: str) -> None:
            super().__init__()
            self.project_screen = project_screen
            self.action = action

    class CliDetected(Message, bubble=False):
        """Which Compose CLI is installed here (None: none)."""

        def __init__(self, cli: ComposeInfo | None) -> None:
            super().__init__()
            self.cli = cli

    class RunEnded(Message, bubble=False):
        """The CLI exited (``returncode``), was stopped, or could not start (``error``)."""

        def __init__(self, verb: str, returncode: int | None, cancelled: bool, error: str = "") -> None:
            super().__init__()
            self.verb = verb
            self.returncode = returncode
            self.cancelled = cancelled
            self.error = error

    def __init__(
        self,
        project: ComposeProject,
        containers: Iterable[ContainerInfo],
        target: EngineTarget,
        detect: Callable[[], ComposeInfo | None],
        pending: Mapping[str, tuple[str, str]] | None = None,
        status_of: Callable[[ContainerInfo], str] | None = None,
    ) -> None:
        super().__init__(classes="compose-project")
        self.project = project
        self.target = target
        self._detect = detect
        self._initial = list(containers)
        self._pending = pending if pending is not None else {}
        self._status_of = status_of
        # None until detection answers; then the CLI, or None if there is none.
        self.cli: ComposeInfo | None = None
        self.cli_known = False
        self.running_verb: str | None = None
        self._run: ComposeRun | None = None
        self._stop_asked = False
        self._lock = threading.Lock()
        # Set in on_mount, when the widgets exist (is_mounted comes a little later).
        self._ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="compose-top"):
            yield Static(id="compose-facts")
            yield Static(id="compose-cli")
            yield Static(id="compose-keys")
        yield ProjectContainerTable(self._pending, self._status_of, id="compose-containers")
        yield Static(Text("Compose output", style="bold"), id="compose-output-title")
        yield RunOutput(MAX_OUTPUT_LINES, id="compose-output")
        yield Static(id="compose-status")
        yield KeyBar()

    @property
    def table(self) -> ProjectContainerTable:
        return self.query_one(ProjectContainerTable)

    @property
    def output(self) -> RunOutput:
        return self.query_one("#compose-output", RunOutput)

    @property
    def containers(self) -> list[ContainerInfo]:
        return list(self.table.items.values())

    def on_mount(self) -> None:
        self._ready = True
        self.table.load(self._initial)
        self._show_facts()
        self._show_cli()
        self.table.focus()
        self._detect_cli()
        # Local re-derivation, no engine call: relative times, and the
        # "stopping…" marks the Containers pane clears on a timer of its own.
        self.set_interval(REDRAW_SECONDS, self.table.redraw)

    def on_unmount(self) -> None:
        with self._lock:
            run = self._run
        if run is not None:
            run.close()

    # ------------------------------------------------------------ facts

    def update_containers(self, every_container: Iterable[ContainerInfo]) -> None:
        """The engine's containers changed: show this project's as they are now.

        After ``down`` the project has no containers left; the screen keeps
        what the labels said (files, working dir), so ``up`` still works.
        """
        every_container = list(every_container)
        project = project_named(self.project.name, every_container)
        members = set(project.container_ids) if project else set()
        if not self._ready:
            # Pushed but not laid out yet: on_mount shows these.
            self._initial = [c for c in every_container if c.id in members]
            return
        if project is not None and project != self.project:
            self.project = project
            self._show_cli()
        self.table.load(c for c in every_container if c.id in members)
        self._show_facts()

    def _show_facts(self) -> None:
        self.query_one("#compose-facts", Static).update(facts_text(self.project, self.containers))

    @property
    def unavailable(self) -> str | None:
        """Why up/down cannot run now, or None."""
        if not self.cli_known:
            return "still looking for a Compose CLI"
        return unavailable_reason(self.cli, self.project)

    def _show_cli(self) -> None:
        reason = self.unavailable
        label = ("Compose CLI".ljust(LABEL_WIDTH), "bold")
        if self.cli is not None and reason is None:
            note = target_note(self.target)
            line = Content.assemble(label, themed(f"{self.cli.version}  ({self.cli.command})"),
                                    *(("\n" + " " * LABEL_WIDTH, themed(note, WARNING)) if note else ()))
        else:
            line = Content.assemble(label, ("up/down unavailable: ", WARNING), themed(reason or "", WARNING))
        self.query_one("#compose-cli", Static).update(line)
        keys = Text()
        for index, (key, action, words) in enumerate(ACTION_KEYS):
            if index:
                keys.append(" · ", style="dim")
            greyed = action in CLI_VERBS and reason is not None
            keys.append(key, style="dim strike" if greyed else "bold")
            keys.append(f" {words}", style="dim strike" if greyed else "")
        keys.append("  ·  Esc back", style="dim")
        self.query_one("#compose-keys", Static).update(keys)

    @work(thread=True, exclusive=True, group="compose-detect", exit_on_error=False)
    def _detect_cli(self) -> None:
        self.post_message(self.CliDetected(self._detect()))

    @on(CliDetected)
    def _cli_detected(self, message: CliDetected) -> None:
        self.cli = message.cli
        self.cli_known = True
        self._show_cli()

    # ---------------------------------------------------------- actions

    def action_request(self, action: str) -> None:
        if action in CLI_VERBS:
            if self.running_verb is not None:
                self.notify(f"`{self.running_verb}` is still running (Esc stops it)", severity="warning")
                return
            reason = self.unavailable
            if reason is not None:
                self.notify(clean(f"Compose {action}: {reason}"), title="Unavailable", severity="warning",
                            timeout=8, markup=False)
                return
        self.post_message(self.ActionRequested(self, action))

    def action_back(self) -> None:
        """Esc stops a running CLI first (the screen stays, to show how it ended); then goes back."""
        if self.running_verb is not None:
            self._stop_cli()
            return
        self.app.pop_screen()

    # -------------------------------------------------------------- CLI

    def run_cli(self, verb: str) -> None:
        """Run ``up -d`` or ``down`` now (the controller has asked where needed)."""
        cli = self.cli
        if cli is None or self.running_verb is not None:
            return
        self.running_verb = verb
        self._stop_asked = False
        command = " ".join(compose_argv(cli, self.project, verb))
        self.output.write_line(clean(f"$ DOCKER_HOST={self.target.url} {command}"))
        self._status(Text(f"Running compose {verb}… (Esc stops it)", style="italic"))
        self._run_cli(verb, cli, self.project)

    @work(thread=True, exclusive=True, group="compose-cli", exit_on_error=False)
    def _run_cli(self, verb: str, cli: ComposeInfo, project: ComposeProject) -> None:
        try:
            run = run_compose(cli, project, verb, self.target)
        except OSError as error:
            self.post_message(self.RunEnded(verb, None, False, str(error)))
            return
        with self._lock:
            self._run = run
            stop_now = self._stop_asked
        if stop_now:
            run.close()
        self.output.feed(run)
        with self._lock:
            self._run = None
        self.post_message(self.RunEnded(verb, run.returncode, run.cancelled))

    @on(RunEnded)
    def _run_ended(self, message: RunEnded) -> None:
        self.output.drain()
        self.running_verb = None
        verb = f"compose {message.verb}"
        succeeded = False
        if message.error:
            text = Content.assemble((f"{verb} could not start: ", ERROR), themed(message.error, ERROR_DETAIL))
        elif message.cancelled:
            text = themed(f"{verb} stopped.", WARNING)
        elif message.returncode == 0:
            succeeded = True
            text = themed(f"{verb} finished.", SUCCESS)
        else:
            text = themed(f"{verb} failed (exit {message.returncode}): see the output above.", ERROR)
        self._status(text)
        self.notify(text.plain, severity="information" if succeeded else "warning", timeout=4, markup=False)

    def _stop_cli(self) -> None:
        with self._lock:
            self._stop_asked = True
            run = self._run
        if run is not None:
            run.close()
        self._status(themed("Stopping the Compose CLI…", WARNING))

    def _status(self, text: Text | Content) -> None:
        self.query_one("#compose-status", Static).update(text)
