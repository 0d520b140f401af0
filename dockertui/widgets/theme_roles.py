"""Colours by role (a container's state, stderr, a search match …), from the theme.

Each role is a component class of ``RolePalette``, styled in styles/app.tcss
with the theme's variables ($success, $error …), so a theme the user picks
reaches the tables, the logs and the details. One hidden palette holds them
all: a component class costs a CSS pass each time its widget's styles are
applied (focus, hover), and only the palette's never change but with the
theme. Widgets that colour by role take ``ThemeRoles``: ``role_style`` gives
a role's style, and ``restyle`` runs when the theme changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.style import Style
from textual.widget import Widget

# Roles: what the colour says, not which colour it is.
STATE_RUNNING = "role--running"
OK = "role--ok"  # a swarm update completed, replicas all up, a node ready
STATE_WAITING = "role--waiting"  # paused, or a task not yet placed
STATE_STARTING = "role--starting"
STATE_CREATED = "role--created"
STATE_STOPPED = "role--stopped"
STATE_FAILED = "role--failed"
STATE_REMOVING = "role--removing"
STATE_DONE = "role--done"  # a task's history: complete, shut down
PENDING_ACTION = "role--pending-action"  # "stopping…" until the engine says so
MARK = "role--mark"
ERROR_TEXT = "role--error"
STDERR = "role--stderr"
MATCH = "role--match"
# Inspect's JSON, by type.
JSON_KEY = "role--json-key"
JSON_STRING = "role--json-string"
JSON_NUMBER = "role--json-number"
JSON_LITERAL = "role--json-literal"  # true, false, null
# docker diff's markers: added, changed, deleted.
CHANGE_ADDED = "role--change-added"
CHANGE_CHANGED = "role--change-changed"
CHANGE_DELETED = "role--change-deleted"
# A writer's prefix in a merged log, one of these by a hash of its name.
SOURCES = tuple(f"role--source-{index}" for index in range(8))

STATE_ROLES = {
    "running": STATE_RUNNING,
    "paused": STATE_WAITING,
    "restarting": STATE_STARTING,
    "created": STATE_CREATED,
    "exited": STATE_STOPPED,
    "dead": STATE_FAILED,
    "removing": STATE_REMOVING,
    # Swarm tasks have a life cycle of their own.
    "new": STATE_DONE,
    "pending": STATE_WAITING,
    "assigned": STATE_WAITING,
    "accepted": STATE_WAITING,
    "preparing": STATE_STARTING,
    "ready": STATE_STARTING,
    "starting": STATE_STARTING,
    "complete": STATE_DONE,
    "shutdown": STATE_DONE,
    "failed": STATE_FAILED,
    "rejected": STATE_FAILED,
    "orphaned": STATE_STOPPED,
    "remove": STATE_REMOVING,
}
ROLES = frozenset(
    {*STATE_ROLES.values(), OK, PENDING_ACTION, MARK, ERROR_TEXT, STDERR, MATCH, *SOURCES,
     JSON_KEY, JSON_STRING, JSON_NUMBER, JSON_LITERAL, CHANGE_ADDED, CHANGE_CHANGED, CHANGE_DELETED}
)

RoleStyle = Callable[[str], Style]


def no_roles(role: str) -> Style:
    """Where no widget is at hand to ask: no colour."""
    return Style.null()


class RolePalette(Widget):
    """The roles' styles, from the theme; never shown. The app mounts one."""

    DEFAULT_CSS = "RolePalette { display: none; }"
    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROLES)

    def style(self, role: str) -> Style:
        return self.get_component_rich_style(role, partial=True, default=Style.null())


class ThemeRoles:
    """Mixin for a widget that colours by role; ``restyle`` draws again what it shows."""

    def role_style(self: Any, role: str) -> Style:
        """The theme's style for ``role`` (none in an app without a palette)."""
        palette = getattr(self.app, "role_palette", None)
        if palette is None or not palette.is_mounted or not role:
            return Style.null()
        return palette.style(role)

    def state_style(self, state: str) -> Style:
        """A container's or task's state, coloured by what it means."""
        return self.role_style(STATE_ROLES.get(state, ""))

    def on_mount(self: Any) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _: self.restyle())

    def restyle(self: Any) -> None:
        """The theme changed: draw again whatever was drawn with its colours."""
        self.refresh()
