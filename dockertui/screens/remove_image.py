"""Confirm ``docker rmi`` (untag or delete, force when in use) and ``docker image prune``."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from dockertui.backend import ContainerInfo, EngineError, ImageInfo, ImageTag
from dockertui.backend.images import containers_using, dangling_images
from dockertui.formatting import ERROR_DETAIL, WARNING, safe_text, size, themed
from dockertui.screens.answer_guard import AnswersOnlyNewKeys
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.theme_roles import STATE_WAITING, ThemeRoles
from dockertui.worker_errors import ReportsWorkerErrors

NONE = "<none>"


@dataclass(frozen=True)
class RemoveImageChoice:
    """``reference`` is the tag to untag, or the image id to delete."""

    reference: str
    force: bool


class RemoveImageScreen(OnEngine, ThemeRoles, ReportsWorkerErrors, AnswersOnlyNewKeys, ModalScreen[RemoveImageChoice | None]):
    """Untag one tag, or delete the image; names the containers that use it."""

    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel", id="rmi-cancel"),
        Binding("y", "remove", "Remove", id="rmi-confirm"),
        Binding("f", "force", "Force", id="rmi-force"),
    ]

    class UsersLoaded(Message):
        def __init__(self, containers: list[ContainerInfo], error: str = "") -> None:
            super().__init__()
            self.containers = containers
            self.error = error

    def __init__(self, tag: ImageTag) -> None:
        super().__init__(classes="confirm image-dialog")
        self.tag = tag
        self.users: list[ContainerInfo] | None = None
        self.can_untag = tag.repository != NONE

    def compose(self) -> ComposeResult:
        image = self.tag.image
        with Vertical(id="confirm-box"):
            yield Static(Text("Remove image?", style="bold"), id="confirm-title")
            with RadioSet(id="rmi-mode"):
                yield RadioButton(
                    Text.assemble("Untag ", safe_text(self.tag.reference, style="bold"),
                                  " (the image stays)" if len(image.tags) > 1
                                  else ": its only name, so the image goes too, as docker rmi does"),
                    value=self.can_untag, disabled=not self.can_untag, id="untag",
                )
                names = ", ".join(image.tags) or "untagged"
                yield RadioButton(
                    Text.assemble("Delete image ", (image.short_id, "bold"), " and all its tags: ", safe_text(names)),
                    value=not self.can_untag, id="delete",
                )
            with VerticalScroll(id="confirm-items"):
                yield Static(Text("Looking for containers that use it…", style="dim"), id="rmi-users")
            yield Checkbox("Force: remove even though containers use it (f)", value=False, id="force")
            yield Static(id="rmi-hint")
            with Horizontal(id="confirm-buttons"):
                yield Button("Remove", variant="error", id="confirm-yes", disabled=True)
                yield Button("Cancel", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()
        self._load_users(self.tag.image.id)

    @work(thread=True, exclusive=True, group="rmi-users", exit_on_error=False)
    def _load_users(self, image_id: str) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.UsersLoaded([], "not connected to an engine"))
            return
        try:
            self.post_message(self.UsersLoaded(containers_using(backend, image_id)))
        except EngineError as error:
            self.post_message(self.UsersLoaded([], str(error)))

    def on_remove_image_screen_users_loaded(self, message: UsersLoaded) -> None:
        self.users = message.containers
        label = self.query_one("#rmi-users", Static)
        if message.error:
            label.update(themed(message.error, ERROR_DETAIL))
        elif not message.containers:
            label.update(Text("No container uses this image.", style="dim"))
        else:
            lines = Text(f"Used by {len(message.containers)} container(s):\n",
                         style=self.role_style(STATE_WAITING) + Style(bold=True))
            for container in message.containers:
                lines.append_text(Text.assemble(
                    "  ", safe_text(container.name, style="bold"), "  ",
                    safe_text(container.state, style=self.state_style(container.state)), "\n",
                ))
            label.update(lines)
        self._update()

    @property
    def deleting(self) -> bool:
        return self.query_one("#delete", RadioButton).value

    @property
    def needs_force(self) -> bool:
        """Deleting an image in use, or taking away the last name it has, needs force."""
        in_use = bool(self.users)
        return in_use and (self.deleting or len(self.tag.image.tags) <= 1)

    def _update(self) -> None:
        if self.users is None:
            return
        blocked = self.needs_force and not self.query_one("#force", Checkbox).value
        self.query_one("#confirm-yes", Button).disabled = blocked
        hint = themed("Containers use it: tick Force to remove anyway.", WARNING) if blocked else Text("")
        self.query_one("#rmi-hint", Static).update(hint)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._update()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update()

    def action_force(self) -> None:
        self.query_one("#force", Checkbox).toggle()

    def action_remove(self) -> None:
        """``y``, as in the other confirmations; only once Remove may be pressed (users read, force if needed)."""
        button = self.query_one("#confirm-yes", Button)
        if not button.disabled:
            button.press()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "confirm-yes":
            self.dismiss(None)
            return
        reference = self.tag.image.id if self.deleting else self.tag.reference
        self.dismiss(RemoveImageChoice(reference, self.query_one("#force", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


def parse_label_filters(text: str) -> list[str]:
    """``a=1, b`` -> [``a=1``, ``b``] for the engine's ``label`` filter."""
    return [part.strip() for part in text.replace(",", " ").split() if part.strip()]


class PruneScreen(OnEngine, ReportsWorkerErrors, AnswersOnlyNewKeys, ModalScreen[list[str] | None]):
    """Preview the dangling images a prune takes (optionally by label) and what it frees."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prune-cancel")]

    class Previewed(Message):
        def __init__(self, labels: list[str], images: list[ImageInfo], error: str = "") -> None:
            super().__init__()
            self.labels = labels
            self.images = images
            self.error = error

    def __init__(self, labels: str = "") -> None:
        super().__init__(classes="confirm image-dialog")
        self._labels = labels
        self.preview: list[ImageInfo] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text("Prune dangling images?", style="bold"), id="confirm-title")
            with Horizontal(classes="image-row"):
                yield Label("Labels", classes="image-label")
                yield Input(self._labels, placeholder="only those with these labels: key=value …", id="prune-labels")
            with VerticalScroll(id="confirm-items"):
                yield Static(id="prune-preview")
            with Horizontal(id="confirm-buttons"):
                yield Button("Prune", variant="error", id="confirm-yes", disabled=True)
                yield Button("Cancel", id="confirm-no")

    def on_mount(self) -> None:
        self._refresh_preview()
        self.query_one("#confirm-no", Button).focus()

    @property
    def labels(self) -> list[str]:
        return parse_label_filters(self.query_one("#prune-labels", Input).value)

    def _refresh_preview(self) -> None:
        self.preview = None
        self.query_one("#confirm-yes", Button).disabled = True
        self.query_one("#prune-preview", Static).update(Text("Looking…", style="dim"))
        self._load_preview(self.labels)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh_preview()

    @work(thread=True, exclusive=True, group="prune-preview", exit_on_error=False)
    def _load_preview(self, labels: list[str]) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.Previewed(labels, [], "not connected to an engine"))
            return
        try:
            self.post_message(self.Previewed(labels, dangling_images(backend, labels)))
        except EngineError as error:
            self.post_message(self.Previewed(labels, [], str(error)))

    def on_prune_screen_previewed(self, message: Previewed) -> None:
        if message.labels != self.labels:
            return
        label = self.query_one("#prune-preview", Static)
        if message.error:
            label.update(themed(message.error, ERROR_DETAIL))
            return
        self.preview = message.images
        total = sum(image.size for image in message.images)
        text = Text(f"{len(message.images)} dangling image(s), up to {size(total)} freed\n", style="bold")
        for image in message.images:
            text.append_text(Text.assemble("  ", (image.short_id, "bold"), "  ", size(image.size), "\n"))
        label.update(text)
        self.query_one("#confirm-yes", Button).disabled = not message.images

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.labels if event.button.id == "confirm-yes" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
