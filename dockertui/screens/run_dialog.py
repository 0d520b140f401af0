"""The ``docker run`` dialog: every field checked, errors next to their field.

The dialog stays open while the run happens (pull, create, start) and shows
engine errors (a taken name or port, a missing image or command) next to the
field at fault. Nothing typed is ever lost: the dialog closes only on success
or when the user cancels.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from dockertui.backend import EngineError
from dockertui.backend.models import RunSpec
from dockertui.backend.run import PullProgress, RunError, run_container
from dockertui.backend.run_line import memory_flag, port_flag, restart_value, spec_line, volume_flag
from dockertui.fleet import backend_on
from dockertui.formatting import ERROR, ERROR_DETAIL, WARNING, clean, safe_text, size, themed
from dockertui.parsing import (
    RESTART_POLICIES,
    check_name,
    parse_add_hosts,
    parse_command,
    parse_cpus,
    parse_env,
    parse_image_reference,
    parse_labels,
    parse_memory,
    parse_port_spec,
    parse_restart_policy,
    parse_volume,
)
from dockertui.worker_errors import ReportsWorkerErrors

FIELDS = ("image", "command", "name", "ports", "env", "volumes", "restart", "network", "labels", "workdir", "user",
          "hostname", "entrypoint", "memory", "cpus", "add_hosts")
LIST_SEPARATOR = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class RunResult:
    """A container that now exists, and the spec that made it."""

    container_id: str
    spec: RunSpec
    host: str = ""  # the fleet's engine it runs on


def format_ports(spec: RunSpec) -> str:
    return ", ".join(port_flag(port) for port in spec.ports)


class RunDialog(ReportsWorkerErrors, ModalScreen[RunResult | None]):
    """Fill in a RunSpec; runs it and dismisses with the new container's id."""

    FIELDS = FIELDS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="run-cancel"),
        Binding("ctrl+s", "submit", "Run", id="run-submit"),
        Binding("ctrl+y", "copy_line", "Copy line", id="run-copy-line"),
    ]

    class Progress(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Failed(Message):
        def __init__(self, field: str, error: str) -> None:
            super().__init__()
            self.field = field
            self.error = error

    class Succeeded(Message):
        def __init__(self, result: RunResult) -> None:
            super().__init__()
            self.result = result

    def __init__(
        self, images: list[str], spec: RunSpec | None = None, labels: tuple[tuple[str, str], ...] = (),
        draft: dict[str, str | bool] | None = None, engines: tuple[tuple[str, str], ...] = (), engine: str = "",
    ) -> None:
        """``draft``: what an earlier dialog held when Esc closed it, typed back in (``draft`` after Esc here).

        ``engines``: a fleet's (label, name) pairs, to choose from (``engine`` first, the selected row's).
        """
        super().__init__(classes="run-dialog")
        self._engines = engines
        self._engine = engine
        self._images = sorted(set(images))
        self._spec = spec or RunSpec(image="")
        self._labels = labels
        self.draft: dict[str, str | bool] | None = draft
        self._layers: dict[str, PullProgress] = {}
        self.running = False

    # --------------------------------------------------------------- form

    def _row(self, label: str, widget, field: str) -> ComposeResult:
        with Horizontal(classes="run-row"):
            yield Label(label, classes="run-label")
            yield widget
        yield Static(id=f"error-{field}", classes="run-error hidden")

    def _shown(self, value: str) -> str:
        """A prefilled value as a field may show it: escapes and control characters out.

        An Input draws what it holds as is, so an escape sequence from the
        engine (a command that prints in colour, say) would reach the terminal
        and break the dialog's drawing.
        """
        cleaned = clean(value)
        self._cleaned |= cleaned != value
        return cleaned

    def compose(self) -> ComposeResult:
        spec = self._spec
        self._cleaned = False
        shown = self._shown
        fields = {
            "image": shown(spec.image),
            "command": shown(shlex.join(spec.command)),
            "name": shown(spec.name),
            "env": "\n".join(shown(f"{k}={v}") for k, v in spec.env),
            "volumes": shown(", ".join(volume_flag(v) for v in spec.volumes)),
        }
        with Vertical(id="run-box"):
            yield Static(Text("docker run", style="bold"), id="run-title")
            if self._cleaned:
                yield Static(
                    themed("Escape sequences and control characters in this container's settings were left out.", WARNING),
                    id="run-cleaned",
                )
            with VerticalScroll(id="run-form"):
                if len(self._engines) > 1:
                    yield from self._row(
                        "Engine",
                        Select(list(self._engines), value=self._engine or self._engines[0][1],
                               allow_blank=False, id="engine"),
                        "engine",
                    )
                yield from self._row(
                    "Image",
                    Input(fields["image"], placeholder="busybox, nginx:1.27 …", id="image",
                          suggester=SuggestFromList(self._images, case_sensitive=False)),
                    "image",
                )
                yield from self._row(
                    "Command",
                    Input(fields["command"], placeholder="as in a shell: echo 'hi there'", id="command"),
                    "command",
                )
                yield from self._row("Name", Input(fields["name"], placeholder="(random)", id="name"), "name")
                with Horizontal(classes="run-row run-flags"):
                    yield Checkbox("Detach (-d)", spec.detach, id="detach")
                    yield Checkbox("Publish all (-P)", spec.publish_all, id="publish_all")
                with Horizontal(classes="run-row run-flags"):
                    yield Checkbox("Remove when done (--rm)", spec.auto_remove, id="auto_remove")
                    yield Checkbox("Interactive TTY (-it)", spec.interactive, id="interactive")
                yield from self._row(
                    "Ports (-p)", Input(format_ports(spec), placeholder="8888:80, 127.0.0.1:8080:80/udp", id="ports"), "ports"
                )
                yield from self._row("Env (-e)", TextArea(fields["env"], id="env", soft_wrap=False), "env")
                yield from self._row(
                    "Volumes (-v)", Input(fields["volumes"], placeholder="/host:/ctr:ro, data:/var/lib/x", id="volumes"), "volumes"
                )
                policy = spec.restart_policy if spec.restart_policy in RESTART_POLICIES else "no"
                yield from self._row(
                    "Restart",
                    Input(restart_value(policy, spec.restart_retries), placeholder="no, always, unless-stopped, on-failure:3", id="restart",
                          suggester=SuggestFromList(list(RESTART_POLICIES))),
                    "restart",
                )
                own_labels = ", ".join(shown(f"{k}={v}") for k, v in spec.labels if (k, v) not in self._labels)
                for label, widget_id, value, placeholder in (
                    ("Network", "network", shown(spec.network), "(the default bridge) or a network's name"),
                    ("Labels (-l)", "labels", own_labels, "app=shop, tier=front"),
                    ("Workdir (-w)", "workdir", shown(spec.workdir), "(the image's)"),
                    ("User (-u)", "user", shown(spec.user), "(the image's) name, uid or uid:gid"),
                    ("Hostname", "hostname", shown(spec.hostname), "(the container's id)"),
                    ("Entrypoint", "entrypoint", shown(spec.entrypoint), "(the image's) one program"),
                    ("Memory (-m)", "memory", memory_flag(spec.memory) if spec.memory else "", "512m, 1g (no limit)"),
                    ("CPUs", "cpus", f"{spec.cpus:g}" if spec.cpus else "", "0.5, 2 (no limit)"),
                    ("Add hosts", "add_hosts", ", ".join(f"{n}:{a}" for n, a in spec.add_hosts), "db:10.0.0.5, gw:host-gateway"),
                ):
                    yield from self._row(label, Input(value, placeholder=placeholder, id=widget_id), widget_id)
                with Horizontal(classes="run-row run-flags"):
                    yield Checkbox("Privileged (--privileged)", spec.privileged, id="privileged")
            yield Static(id="run-line")
            yield Static(id="run-status")
            with Horizontal(id="run-buttons"):
                yield Button("Run (ctrl+s)", variant="primary", id="run")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        for widget_id, value in (self.draft or {}).items():
            widget = self.query_one(f"#{widget_id}")
            if isinstance(widget, TextArea):
                widget.text = str(value)
            else:
                widget.value = value
        self.query_one("#image", Input).focus()
        self._show_line()

    def _form_values(self) -> dict[str, str | bool]:
        """Every field as typed (an invalid one too) and every box as ticked."""
        values: dict[str, str | bool] = {}
        for widget in self.query("Input, TextArea, Checkbox"):
            if widget.id:
                values[widget.id] = widget.text if isinstance(widget, TextArea) else widget.value
        return values

    # ----------------------------------------------------- the command line

    def on_input_changed(self) -> None:
        self._show_line()

    def on_checkbox_changed(self) -> None:
        self._show_line()

    def on_text_area_changed(self) -> None:
        self._show_line()

    def _line(self) -> str | None:
        """The docker CLI line the fields make, or None while one of them does not parse."""
        try:
            spec = self.read_spec()
        except FieldErrors:
            return None
        return shlex.join(spec_line(spec)) if isinstance(spec, RunSpec) else None

    def _show_line(self) -> None:
        if not self.query("#run-line"):
            return  # a form that is not `docker run` (the Swarm service dialog)
        line = self._line()
        shown = safe_text(line) if line is not None else Text("docker run …  (a field does not parse yet)", style="dim")
        self.query_one("#run-line", Static).update(Text.assemble(shown, ("   ctrl+y copies", "dim")))

    def action_copy_line(self) -> None:
        line = self._line()
        if line is None:
            self.notify("Fix the fields first: the line is made from them", severity="warning")
            return
        self.app.copy_to_clipboard(line)
        self.notify(line, title="Copied the docker run line", markup=False, timeout=6)

    # ------------------------------------------------------------- submit

    def read_common(self) -> FieldReader:
        """Parse the fields every form of this dialog has; errors collect in the reader."""
        form = FieldReader(self)
        form.image = form.attempt("image", lambda: parse_image_reference(form.value("image")), "")
        form.command = form.attempt("command", lambda: parse_command(form.value("command")), ())
        form.name = form.value("name").strip()
        if form.name:
            form.attempt("name", lambda: check_name(form.name), None)
        form.env = form.attempt("env", lambda: parse_env(self.query_one("#env", TextArea).text), ())
        return form

    def read_spec(self) -> RunSpec:
        """The form as a RunSpec; raises FieldErrors listing every bad field."""
        form = self.read_common()
        attempt, value, errors = form.attempt, form.value, form.errors
        checked = lambda widget_id: self.query_one(f"#{widget_id}", Checkbox).value  # noqa: E731
        ports = attempt(
            "ports", lambda: tuple(parse_port_spec(p) for p in LIST_SEPARATOR.split(value("ports").strip()) if p), ()
        )
        volumes = attempt(
            "volumes", lambda: tuple(parse_volume(v) for v in LIST_SEPARATOR.split(value("volumes").strip()) if v), ()
        )
        restart, retries = attempt("restart", lambda: parse_restart_policy(value("restart") or "no"), ("no", 0))
        labels = attempt("labels", lambda: parse_labels(value("labels")), ())
        memory = attempt("memory", lambda: parse_memory(value("memory")), 0)
        cpus = attempt("cpus", lambda: parse_cpus(value("cpus")), 0.0)
        add_hosts = attempt("add_hosts", lambda: parse_add_hosts(value("add_hosts")), ())
        network = value("network").strip()
        if network:
            attempt("network", lambda: check_name(network), None)
        if checked("auto_remove") and restart != "no":
            errors["restart"] = "--rm cannot be combined with a restart policy"
        form.check()
        return RunSpec(
            image=form.image,
            command=form.command,
            name=form.name,
            detach=checked("detach"),
            publish_all=checked("publish_all"),
            ports=ports,
            env=form.env,
            volumes=volumes,
            restart_policy=restart,
            restart_retries=retries,
            auto_remove=checked("auto_remove"),
            interactive=checked("interactive"),
            # The test run's labels (run_labels) always; the typed ones beside them.
            labels=tuple({**dict(labels), **dict(self._labels)}.items()),
            network=network,
            workdir=value("workdir").strip(),
            user=value("user").strip(),
            hostname=value("hostname").strip(),
            entrypoint=value("entrypoint").strip(),
            memory=memory,
            cpus=cpus,
            privileged=checked("privileged"),
            add_hosts=add_hosts,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for field in self.FIELDS:
            label = self.query_one(f"#error-{field}", Static)
            message = errors.get(field)
            label.set_class(message is None, "hidden")
            label.update(themed(message or "", ERROR))
        if errors:
            first = next(field for field in self.FIELDS if field in errors)
            self.query_one(f"#{first}").focus()

    def action_submit(self) -> None:
        if self.running:
            return
        try:
            spec = self.read_spec()
        except FieldErrors as failure:
            self.show_errors(failure.errors)
            self._status(themed("Fix the fields marked in red.", ERROR_DETAIL))
            return
        self.show_errors({})
        self.running = True
        self.query_one("#run", Button).disabled = True
        self._status(Text("Starting…", style="italic"))
        self._run(spec, self._chosen_engine())

    def _chosen_engine(self) -> str:
        if len(self._engines) <= 1:
            return self._engine
        return str(self.query_one("#engine", Select).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "run":
            self.action_submit()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        # Nothing typed is lost: the next n opens the form as it is now.
        self.draft = self._form_values()
        self.dismiss(None)

    # ---------------------------------------------------------------- run

    @work(thread=True, exclusive=True, group="run", exit_on_error=False)
    def _run(self, spec: RunSpec, host: str) -> None:
        backend = backend_on(self.app, host)
        if backend is None:
            self.post_message(self.Failed("", f"not connected to {host or 'an engine'}"))
            return
        try:
            container_id = run_container(backend, spec, on_progress=self._on_pull_progress)
        except RunError as error:
            self.post_message(self.Failed(error.field, str(error)))
            return
        except EngineError as error:
            self.post_message(self.Failed("", str(error)))
            return
        self.post_message(self.Succeeded(RunResult(container_id, spec, host)))

    def _on_pull_progress(self, progress: PullProgress) -> None:
        if progress.layer:
            self._layers[progress.layer] = progress
        done = sum(p.current for p in self._layers.values())
        total = sum(p.total for p in self._layers.values())
        complete = sum(1 for p in self._layers.values() if p.status in ("Pull complete", "Already exists"))
        text = f"Pulling: {complete}/{len(self._layers)} layers"
        if total:
            text += f", {size(done)} of {size(total)}"
        self.post_message(self.Progress(text))

    def on_run_dialog_progress(self, message: Progress) -> None:
        self._status(Text(message.text, style="italic"))

    def on_run_dialog_failed(self, message: Failed) -> None:
        self.running = False
        self.query_one("#run", Button).disabled = False
        if message.field in self.FIELDS:
            self.show_errors({message.field: message.error})
            self._status(themed("The engine refused: see the field marked in red.", ERROR_DETAIL))
        else:
            self._status(themed(message.error, ERROR))

    def on_run_dialog_succeeded(self, message: Succeeded) -> None:
        self.dismiss(message.result)

    def _status(self, text: Text | Content) -> None:
        self.query_one("#run-status", Static).update(text)


class FieldReader:
    """Reads a form field by field, keeping every field's error, so all are shown at once."""

    def __init__(self, screen: ModalScreen) -> None:
        self._screen = screen
        self.errors: dict[str, str] = {}
        self.image = ""
        self.command: tuple[str, ...] = ()
        self.name = ""
        self.env: tuple[tuple[str, str], ...] = ()

    def value(self, widget_id: str) -> str:
        return self._screen.query_one(f"#{widget_id}", Input).value

    def attempt(self, field: str, parse, default):
        """``parse()``, or ``default`` with the field's error noted."""
        try:
            return parse()
        except ValueError as error:
            self.errors[field] = str(error)
            return default

    def check(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)


class FieldErrors(Exception):
    """Several fields failed to parse; ``errors`` maps field to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors

