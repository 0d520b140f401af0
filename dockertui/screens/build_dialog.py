"""``docker build``: a directory with a Dockerfile, a tag, build args; output streams in.

The dialog stays open when the build ends so the output can be read; a
failure names the step that failed. The new image shows up in the list by
itself, through the engine's events.
"""

from __future__ import annotations

import os
import re

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Log, Static

from dockertui.backend import EngineError
from dockertui.backend.images import BuildLine, build, last_step, parse_reference
from dockertui.backend.streams import EngineStreamBroken
from dockertui.formatting import ERROR, ERROR_DETAIL, SUCCESS, WARNING, clean, themed
from dockertui.screens.on_engine import OnEngine
from dockertui.screens.pull_dialog import Transfer
from dockertui.worker_errors import ReportsWorkerErrors

_ARG_SEPARATOR = re.compile(r"[,\n]+")
MAX_LINES = 5_000


def parse_build_args(text: str) -> dict[str, str]:
    """``A=1, B=two`` -> {A: 1, B: two}; ValueError names a bad entry."""
    args = {}
    for entry in (part.strip() for part in _ARG_SEPARATOR.split(text)):
        if not entry:
            continue
        key, sep, value = entry.partition("=")
        if not sep or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key.strip()):
            raise ValueError(f"{entry!r} is not NAME=value")
        args[key.strip()] = value
    return args


class BuildDialog(OnEngine, ReportsWorkerErrors, ModalScreen[str | None]):
    """Dismisses with the built image's id when closed after a success, else None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="build-cancel"),
        Binding("ctrl+s", "submit", "Build", id="build-submit"),
    ]

    class Output(Message):
        def __init__(self, line: BuildLine) -> None:
            super().__init__()
            self.line = line

    class Ended(Message):
        def __init__(self, error: str = "", cancelled: bool = False) -> None:
            super().__init__()
            self.error = error
            self.cancelled = cancelled

    def __init__(self, path: str = "", labels: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(classes="image-dialog build-dialog")
        self._path = path or os.getcwd()
        self._labels = dict(labels)
        self.transfer: Transfer | None = None
        self.texts: list[str] = []
        self.image_id = ""
        self.error = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box build-box"):
            yield Static(Text("docker build", style="bold"), classes="image-title")
            # The fields scroll, so that a short terminal still shows the build's output.
            with VerticalScroll(id="build-form"):
                for label, widget_id, value, placeholder in (
                    ("Directory", "path", self._path, "a directory with a Dockerfile"),
                    ("Dockerfile (-f)", "dockerfile", "", "Dockerfile (in the directory, or a path)"),
                    ("Tag (-t)", "tag", "", "myapp:1.0 (optional)"),
                    ("Target", "target", "", "a stage of a multi-stage build (optional)"),
                    ("Build args", "buildargs", "", "NAME=value, OTHER=value"),
                ):
                    with Horizontal(classes="image-row"):
                        yield Label(label, classes="image-label")
                        yield Input(value, placeholder=placeholder, id=widget_id)
                yield Checkbox("No cache (--no-cache)", False, id="no-cache")
            yield Static(id="build-error", classes="image-error")
            yield Log(id="build-output", max_lines=MAX_LINES)
            yield Static(id="build-status")
            with Horizontal(classes="image-buttons"):
                yield Button("Build (ctrl+s)", variant="primary", id="build")
                yield Button("Close (esc)", id="cancel")

    def on_mount(self) -> None:
        # The first field: the directory, prefilled with the current one, cursor at its end.
        self.query_one("#path", Input).focus()

    @property
    def running(self) -> bool:
        return self.transfer is not None

    def action_submit(self) -> None:
        if self.running:
            return
        value = lambda widget_id: self.query_one(f"#{widget_id}", Input).value.strip()  # noqa: E731
        problem = ""
        try:
            args = parse_build_args(value("buildargs"))
            if value("tag"):
                parse_reference(value("tag"))
        except ValueError as error:
            problem, args = str(error), {}
        path = os.path.expanduser(value("path"))
        if problem:
            pass
        elif not path:
            problem = "type the directory to build (the build context)"
        elif not os.path.exists(path):
            problem = f"there is no directory {path!r}"
        elif not os.path.isdir(path):
            problem = f"{path!r} is a file: give the directory that holds the Dockerfile"
        elif not os.path.isfile(os.path.join(path, os.path.expanduser(value("dockerfile")) or "Dockerfile")):
            problem = f"there is no {value('dockerfile') or 'Dockerfile'} in {path!r}"
        self.query_one("#build-error", Static).update(themed(problem, ERROR))
        if problem:
            return
        self.texts.clear()
        self.image_id = self.error = ""
        self.query_one(Log).clear()
        self.transfer = Transfer()
        self.query_one("#build", Button).disabled = True
        self._status(Text("Building…", style="italic"))
        self._build(path, value("tag"), args, self.transfer, value("dockerfile"), value("target"),
                    self.query_one("#no-cache", Checkbox).value)

    @work(thread=True, exclusive=True, group="image-build", exit_on_error=False)
    def _build(
        self, path: str, tag: str, args: dict[str, str], transfer: Transfer, dockerfile: str = "", target: str = "",
        no_cache: bool = False,
    ) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.Ended("not connected to an engine"))
            return
        try:
            stream = build(backend, path, tag, buildargs=args, labels=self._labels,
                           dockerfile=os.path.expanduser(dockerfile) or None, target=target, no_cache=no_cache)
            transfer.attach(stream)
            for line in stream:
                self.post_message(self.Output(line))
        except (EngineError, EngineStreamBroken, ValueError, OSError) as error:
            self.post_message(self.Ended(str(error)))
            return
        self.post_message(self.Ended(cancelled=transfer.cancelled))

    def on_build_dialog_output(self, message: Output) -> None:
        line = message.line
        if line.image_id:
            self.image_id = line.image_id
        if line.error:
            self.error = line.error
            self.query_one(Log).write_line(clean(f"ERROR: {line.error}"))
        elif line.text:
            self.texts.append(line.text)
            self.query_one(Log).write(clean(line.text, single_line=False))

    def on_build_dialog_ended(self, message: Ended) -> None:
        self.transfer = None
        self.query_one("#build", Button).disabled = False
        error = message.error or self.error
        if message.cancelled:
            self._status(themed("Build cancelled.", WARNING))
        elif error:
            step = last_step(self.texts)
            where = f"{step} failed: " if step else "Build failed: "
            self._status(Content.assemble((where, ERROR), themed(error, ERROR_DETAIL)))
        else:
            short = self.image_id.removeprefix("sha256:")[:12]
            self._status(themed(f"Built {short}", SUCCESS))

    def action_cancel(self) -> None:
        if self.transfer is not None:
            self.transfer.cancel()
            self._status(themed("Cancelling…", WARNING))
            return
        self.dismiss(self.image_id or None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "build":
            self.action_submit()
        else:
            self.action_cancel()

    def _status(self, text: Text | Content) -> None:
        self.query_one("#build-status", Static).update(text)
