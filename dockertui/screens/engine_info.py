"""``I``: what ``docker version``, ``docker info`` and ``docker compose version`` say."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from dockertui.backend import EngineError
from dockertui.backend.engine_info import EngineDetails
from dockertui.formatting import ERROR, ERROR_DETAIL, safe_text, size, themed
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.theme_roles import OK, RoleStyle, ThemeRoles, no_roles
from dockertui.worker_errors import ReportsWorkerErrors

LABEL_WIDTH = 22


def _row(label: str, value: object, style: str = "") -> Text:
    return Text.assemble((label.ljust(LABEL_WIDTH), "bold"), safe_text(value, style=style))


def details_text(details: EngineDetails, roles: RoleStyle = no_roles) -> Text:
    """The whole report as one Text: sections of label and value lines."""
    compose = (
        _row("Compose", f"{details.compose.version}  ({details.compose.command})")
        if details.compose
        else _row("Compose", "none installed (neither `docker compose` nor `docker-compose`)", style="dim")
    )
    swarm_style = roles(OK) if details.swarm_active else "dim"
    counts = (
        f"{details.containers_running} running, {details.containers_paused} paused, "
        f"{details.containers_stopped} stopped"
    )
    lines = [
        Text("Client", style="bold underline"),
        _row("Library", details.client_library),
        _row("API version in use", details.api_version),
        compose,
        Text(),
        Text("Engine", style="bold underline"),
        _row("Host", details.host),
        _row("Name", details.name),
        _row("Version", details.engine_version),
        _row("API versions", details.api_version_range),
        _row("OS/Arch", f"{details.os}/{details.arch}"),
        _row("Operating system", details.operating_system),
        _row("Kernel", details.kernel),
        _row("CPUs / memory", f"{details.cpus} / {size(details.memory_bytes)}"),
        _row("Storage driver", details.storage_driver),
        _row("Root dir", details.root_dir),
        Text(),
        Text("Contents", style="bold underline"),
        _row("Containers", counts),
        _row("Images", details.images),
        Text(),
        Text("Registries and Swarm", style="bold underline"),
        _row("Registries", ", ".join(details.registries) or "none"),
        _row("Mirrors", ", ".join(details.mirrors) or "none"),
        _row("Insecure registries", ", ".join(details.insecure_registries) or "none"),
        _row("Swarm", "active" if details.swarm_active else details.swarm_state, style=swarm_style),
    ]
    return Text("\n").join(lines)


class EngineInfoScreen(OnEngine, ThemeRoles, ReportsWorkerErrors, ModalScreen[None]):
    """Loads the engine's details in a worker and shows them; ``r`` reloads."""

    BINDINGS = [
        Binding("escape,I", "dismiss", "Close", id="engine-info-close"),
        Binding("r", "reload", "Reload", id="engine-info-reload"),
    ]

    class Loaded(Message):
        """The engine answered ``version`` and ``info``."""

        def __init__(self, details: EngineDetails) -> None:
            super().__init__()
            self.details = details

    class Failed(Message):
        """The engine could not be asked; ``reason`` is for the user."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self) -> None:
        super().__init__(id="engine-info")

    def compose(self) -> ComposeResult:
        with Vertical(id="engine-info-box"):
            title = f"Engine info: {self.engine_host}" if self.engine_host else "Engine info"
            yield Static(Text(title, style="bold"), id="engine-info-title")
            with VerticalScroll(id="engine-info-scroll"):
                yield Static(Text("Loading…", style="italic"), id="engine-info-body")
            yield Static(Text("r reload · Esc closes", style="dim"))

    def on_mount(self) -> None:
        self._load_details()

    @work(thread=True, exclusive=True, group="engine-info", exit_on_error=False)
    def _load_details(self) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.Failed("not connected to an engine"))
            return
        try:
            details = backend.engine_details()
        except EngineError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Loaded(details))

    @property
    def body(self) -> Static:
        return self.query_one("#engine-info-body", Static)

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.body.update(details_text(message.details, self.role_style))

    @on(Failed)
    def _show_failure(self, message: Failed) -> None:
        self.body.update(Content.assemble(("Cannot read the engine's details: ", ERROR), themed(message.reason, ERROR_DETAIL)))

    def action_reload(self) -> None:
        self.body.update(Text("Loading…", style="italic"))
        self._load_details()

    def action_dismiss(self) -> None:
        self.dismiss(None)
