"""The run dialog's Swarm form: ``docker service create``.

It is the run dialog with the fields a service takes (replicas instead of
-d/--rm/-it, ports published on every node), and the same promise: errors
show next to their field, and nothing typed is lost until it succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Static, TextArea

from dockertui.backend import EngineError
from dockertui.backend.swarm import create_service
from dockertui.backend.swarm_models import ServiceSpec
from dockertui.fleet import backend_on
from dockertui.formatting import clean
from dockertui.parsing import parse_replicas, parse_service_port
from dockertui.screens.run_dialog import LIST_SEPARATOR, RunDialog


@dataclass(frozen=True)
class ServiceCreated:
    """A service that now exists, and the spec that made it."""

    service_id: str
    spec: ServiceSpec


class ServiceDialog(RunDialog):
    """Fill in a ServiceSpec; creates it and dismisses with a ServiceCreated."""

    FIELDS = ("image", "command", "name", "replicas", "ports", "env")

    def __init__(self, images: list[str], labels: tuple[tuple[str, str], ...] = (), engine: str = "") -> None:
        """``engine``: the fleet's engine whose swarm the service joins (the Swarm screen's)."""
        super().__init__(images, labels=labels, engine=engine)

    def compose(self) -> ComposeResult:
        with Vertical(id="run-box"):
            # In a fleet, the engine it goes to: the Swarm screen's.
            where = ("  on " + clean(self._engine), "dim") if self._engine else ""
            yield Static(Text.assemble(("docker service create", "bold"), where), id="run-title")
            with VerticalScroll(id="run-form"):
                yield from self._row(
                    "Image",
                    Input(placeholder="busybox, nginx:1.27 …", id="image",
                          suggester=SuggestFromList(self._images, case_sensitive=False)),
                    "image",
                )
                yield from self._row(
                    "Command", Input(placeholder="as in a shell: sleep 300", id="command"), "command"
                )
                yield from self._row("Name", Input(placeholder="(random)", id="name"), "name")
                yield from self._row("Replicas", Input("1", id="replicas"), "replicas")
                yield from self._row(
                    "Publish (-p)", Input(placeholder="8080:80, 53/udp", id="ports"), "ports"
                )
                yield from self._row("Env (-e)", TextArea("", id="env", soft_wrap=False), "env")
            yield Static(id="run-status")
            with Horizontal(id="run-buttons"):
                yield Button("Create (ctrl+s)", variant="primary", id="run")
                yield Button("Cancel (esc)", id="cancel")

    def read_spec(self) -> ServiceSpec:  # type: ignore[override]
        """The form as a ServiceSpec; raises FieldErrors listing every bad field."""
        form = self.read_common()
        attempt, value = form.attempt, form.value
        replicas = attempt("replicas", lambda: parse_replicas(value("replicas")), 1)
        ports = attempt(
            "ports",
            lambda: tuple(parse_service_port(p) for p in LIST_SEPARATOR.split(value("ports").strip()) if p),
            (),
        )
        form.check()
        return ServiceSpec(
            name=form.name, image=form.image, command=form.command, replicas=replicas, ports=ports, env=form.env,
            labels=dict(self._labels),
        )

    @work(thread=True, exclusive=True, group="run", exit_on_error=False)
    def _run(self, spec: ServiceSpec, host: str = "") -> None:  # type: ignore[override]
        backend = backend_on(self.app, host)
        if backend is None:
            self.post_message(self.Failed("", f"not connected to {host or 'an engine'}"))
            return
        try:
            service_id = create_service(backend, spec)
        except EngineError as error:
            # The engine names the field at fault only in words; a taken name is the common one.
            field = "name" if "name conflicts" in str(error) or "already exists" in str(error) else ""
            self.post_message(self.Failed(field, str(error)))
            return
        self.post_message(self.Succeeded(ServiceCreated(service_id, spec)))  # type: ignore[arg-type]
