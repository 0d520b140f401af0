"""Confirm removing containers: exactly which, and force for running ones.

The list follows the engine while the dialog is open: what the app knew when
the key was pressed can be a moment old (a restart's start event still in
flight), and "exactly what will go" has to include whether it is running.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from dockertui.backend import ContainerInfo
from dockertui.formatting import WARNING, clean, safe_text, themed
from dockertui.screens.answer_guard import AnswersOnlyNewKeys
from dockertui.widgets.line_list import LineList
from dockertui.widgets.theme_roles import STATE_ROLES, RoleStyle, ThemeRoles, no_roles


@dataclass(frozen=True)
class RemoveChoice:
    """What the user confirmed."""

    force: bool
    volumes: bool
    # As listed when confirmed, without those removed meanwhile.
    containers: tuple[ContainerInfo, ...] = ()


def describe(container: ContainerInfo, roles: RoleStyle = no_roles) -> Text:
    return Text.assemble(
        # In a fleet, which engine it goes from (the list is grouped by it).
        *((safe_text(container.host, style="bold underline"), "  ") if container.host else ()),
        safe_text(container.name, style="bold"),
        "  ",
        safe_text(container.state, style=roles(STATE_ROLES.get(container.state, ""))),
        "  ",
        safe_text(container.image, style="dim"),
        "  ",
        (container.short_id, "dim"),
    )


def describe_width(container: ContainerInfo) -> int:
    """``describe(container).cell_len`` or a little more, without making the Text (a dialog may list a thousand).

    More only where Rich counts a joined pair of cells as one (a name ending in a zero-width joiner).
    """
    host = cell_len(clean(container.host)) + 2 if container.host else 0
    parts = (container.name, container.state, container.image)
    return host + sum(cell_len(clean(part)) for part in parts) + 6 + len(container.short_id)


def describe_gone(container: ContainerInfo) -> Text:
    return Text.assemble(safe_text(container.name, style="dim strike"), "  ", ("already gone", "italic dim"))


class RemoveContainersScreen(ThemeRoles, AnswersOnlyNewKeys, ModalScreen[RemoveChoice | None]):
    """Lists every container that will go; running ones need "force" ticked.

    Force can be ticked at any time (it is harmless when nothing runs), so a
    key pressed before a late state change still means what the user meant.
    """

    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel", id="remove-cancel"),
        Binding("y", "remove", "Remove", id="remove-confirm"),
        Binding("f", "toggle('force')", "Force", id="remove-force"),
        Binding("v", "toggle('volumes')", "Volumes too", id="remove-volumes"),
    ]

    def __init__(
        self, containers: list[ContainerInfo], title: str | None = None, force: bool = False, volumes: bool = False
    ) -> None:
        super().__init__(classes="confirm")
        # A fleet's, grouped by host (a stable sort keeps each host's order).
        self.containers = sorted(containers, key=lambda c: c.host)
        self._ticked = (force, volumes)  # as typed on the : line (rm -f -v)
        self.gone: set[str] = set()
        count = len(containers)
        hosts = len({c.host for c in containers})
        on_hosts = f" on {hosts} engines" if hosts > 1 else ""
        self._title = title or f"Remove {count} container{'s' if count != 1 else ''}{on_hosts}?"

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self._title, style="bold"), id="confirm-title")
            yield LineList.on_demand(len(self.containers), self._line, self._widest(range(len(self.containers))),
                                     id="confirm-items")
            yield Checkbox(self._force_label(), value=self._ticked[0], id="force")
            yield Checkbox("Also remove their anonymous volumes (v)", value=self._ticked[1], id="volumes")
            yield Static(id="remove-hint")
            with Horizontal(id="confirm-buttons"):
                yield Button("Remove", variant="error", id="confirm-yes")
                yield Button("Cancel", id="confirm-no")

    def on_mount(self) -> None:
        # Changes taken between compose and now are drawn here.
        self._redraw(range(len(self.containers)))
        self.query_one("#confirm-no", Button).focus()

    def _redraw(self, indexes: Iterable[int]) -> None:
        """These lines, the Force label and the hint, as the containers are now."""
        indexes = list(indexes)
        self.query_one(LineList).forget(indexes, self._widest(indexes))
        self.query_one("#force", Checkbox).label = self._force_label()
        self._update()

    @property
    def running(self) -> list[ContainerInfo]:
        return [c for c in self.containers if c.is_running and c.key not in self.gone]

    def _force_label(self) -> str:
        count = len(self.running)
        return f"Force: stop and remove the {count} running (f)" if count else "Force: stop and remove if running (f)"

    def _widest(self, indexes: Iterable[int]) -> int:
        # A gone line is never wider than the container's own (name + 14 cells, against name + 18 or more).
        return max((describe_width(self.containers[index]) for index in indexes), default=0)

    def _line(self, index: int) -> Text:
        container = self.containers[index]
        return describe_gone(container) if container.key in self.gone else describe(container, self.role_style)

    def update_containers(self, changes: Mapping[str, ContainerInfo | None]) -> None:
        """Take the listed containers' new states (None: removed meanwhile), and show them once drawn.

        A change can come before the first paint (the screen is on the stack
        before it is composed); compose then draws what is known by then.
        """
        touched = []
        for index, container in enumerate(self.containers):
            if container.key not in changes:
                continue
            fresh = changes[container.key]
            if fresh is None:
                self.gone.add(container.key)
            else:
                self.containers[index] = fresh
            touched.append(index)
        if touched and self.is_mounted:
            self._redraw(touched)

    @property
    def remaining(self) -> list[ContainerInfo]:
        return [c for c in self.containers if c.key not in self.gone]

    def _update(self) -> None:
        force = self.query_one("#force", Checkbox).value
        running = len(self.running)
        needs_force = bool(running) and not force
        self.query_one("#confirm-yes", Button).disabled = needs_force or not self.remaining
        if needs_force:
            hint = themed("Running containers are listed: tick Force to remove them.", WARNING)
        elif running:
            # Also when one started after Force was ticked: say what Force will do now.
            hint = themed(f"Force: the {running} running will be stopped, then removed.", WARNING)
        elif not self.remaining:
            hint = themed("All of them are gone already.", WARNING)
        else:
            hint = Text("")
        self.query_one("#remove-hint", Static).update(hint)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update()

    def action_toggle(self, checkbox_id: str) -> None:
        self.query_one(f"#{checkbox_id}", Checkbox).toggle()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm-yes":
            self.dismiss(
                RemoveChoice(
                    force=self.query_one("#force", Checkbox).value,
                    volumes=self.query_one("#volumes", Checkbox).value,
                    containers=tuple(self.remaining),
                )
            )
        else:
            self.dismiss(None)

    def action_remove(self) -> None:
        """``y``, as in the other confirmations; only while Remove may be pressed."""
        button = self.query_one("#confirm-yes", Button)
        if not button.disabled:
            button.press()

    def action_cancel(self) -> None:
        self.dismiss(None)
