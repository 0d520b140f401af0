"""Confirm removing containers: exactly which, and force for running ones."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from dockertui.backend import ContainerInfo
from dockertui.formatting import STATE_STYLES, safe_text


@dataclass(frozen=True)
class RemoveChoice:
    """What the user confirmed."""

    force: bool
    volumes: bool


def describe(container: ContainerInfo) -> Text:
    return Text.assemble(
        safe_text(container.name, style="bold"),
        "  ",
        safe_text(container.state, style=STATE_STYLES.get(container.state, "")),
        "  ",
        safe_text(container.image, style="dim"),
        "  ",
        (container.short_id, "dim"),
    )


class RemoveContainersScreen(ModalScreen[RemoveChoice | None]):
    """Lists every container that will go; running ones need "force" ticked."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="remove-cancel"),
        Binding("f", "toggle('force')", "Force", id="remove-force"),
        Binding("v", "toggle('volumes')", "Volumes too", id="remove-volumes"),
    ]

    def __init__(self, containers: list[ContainerInfo], title: str | None = None) -> None:
        super().__init__(classes="confirm")
        self.containers = containers
        self.running = [c for c in containers if c.state in ("running", "paused", "restarting")]
        count = len(containers)
        self._title = title or f"Remove {count} container{'s' if count != 1 else ''}?"

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self._title, style="bold"), id="confirm-title")
            with VerticalScroll(id="confirm-items"):
                for container in self.containers:
                    yield Static(describe(container))
            yield Checkbox(
                f"Force: stop and remove the {len(self.running)} running (f)",
                value=False,
                id="force",
                disabled=not self.running,
            )
            yield Checkbox("Also remove their anonymous volumes (v)", value=False, id="volumes")
            yield Static(id="remove-hint")
            with Horizontal(id="confirm-buttons"):
                yield Button("Remove", variant="error", id="confirm-yes")
                yield Button("Cancel", id="confirm-no")

    def on_mount(self) -> None:
        self._update()
        self.query_one("#confirm-no", Button).focus()

    def _update(self) -> None:
        blocked = bool(self.running) and not self.query_one("#force", Checkbox).value
        self.query_one("#confirm-yes", Button).disabled = blocked
        hint = Text("Running containers are listed: tick Force to remove them.", style="yellow") if blocked else Text("")
        self.query_one("#remove-hint", Static).update(hint)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update()

    def action_toggle(self, checkbox_id: str) -> None:
        checkbox = self.query_one(f"#{checkbox_id}", Checkbox)
        if not checkbox.disabled:
            checkbox.toggle()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm-yes":
            self.dismiss(
                RemoveChoice(
                    force=self.query_one("#force", Checkbox).value,
                    volumes=self.query_one("#volumes", Checkbox).value,
                )
            )
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
