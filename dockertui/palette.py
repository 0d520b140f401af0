"""What the command palette (ctrl+p) offers besides Textual's own commands: the app's commands
(commands.py) from any screen, and the keys of the screen it was opened from."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from dockertui.commands import (
    APP,
    COMMANDS,
    COMPOSE,
    CONTAINERS,
    CONTAINERS_GLOBAL,
    DASHBOARD,
    IMAGES_GLOBAL,
    NEEDS,
    NODES,
    OVER_ANY,
    SERVICES,
    PaletteCommand,
)
from dockertui.formatting import as_markup

# Actions that only move the cursor or scroll (DataTable's, Input's, ours).
MOVES = ("cursor_", "scroll_", "page_", "select_cursor")


def key_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    """Every key's action on the screen the palette was opened from, once each, but for
    those DockerCommands offers already (with the key)."""
    seen: set[tuple[int, str]] = set()
    covered = {command.key_id for command in COMMANDS}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or (id(active.node), binding.action) in seen or binding.id in covered:
            continue
        if binding.action.startswith(MOVES + ("custom_command(",)):  # custom commands: actions/custom.py
            continue  # the cursor's and the scroll's keys: nobody looks for them by name
        seen.add((id(active.node), binding.action))
        # A custom command's name is the user's text; the palette reads titles as markup.
        yield SystemCommand(
            as_markup(binding.description),
            as_markup(f"{binding.tooltip or binding.description} · key {app.get_key_display(binding)}"),
            partial(active.node.run_action, binding.action),
        )


class DockerCommands(Provider):
    """The commands of commands.py, from any screen, by title or by docker CLI words."""

    async def discover(self) -> Hits:
        keys = _keys_on(self.screen)
        for command in COMMANDS:
            run = partial(run_command, self.app, command)
            yield DiscoveryHit(_row(command), run, command.title, _help(command, keys))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        keys = _keys_on(self.screen)
        for command in COMMANDS:
            score = command_score(command, query, matcher)
            if score > 0:
                yield Hit(score, matcher.highlight(_row(command)), partial(run_command, self.app, command),
                          command.title, _help(command, keys))


def command_score(command: PaletteCommand, query: str, matcher: Matcher) -> float:
    """Above any fuzzy match for the command's own CLI words (``rm``, ``compose up``) and
    title; else the fuzzy match of its title or CLI form, on the matcher's scale, which the
    palette's other commands share (a perfect match scores the typed text against itself)."""
    typed = " ".join(query.casefold().removeprefix("docker ").split())
    exact = typed == command.title.casefold() or any(
        word == typed or word.startswith(typed + " ") for word in command.search_words
    )
    if exact:
        return 2 * matcher.match(query)
    return max(matcher.match(command.title), matcher.match(command.cli))


def _row(command: PaletteCommand) -> str:
    return f"{command.title} — {command.cli}"


def _keys_on(screen: Screen) -> dict[str, str]:
    """Binding id -> the key that runs it on ``screen`` now (after any [keymap])."""
    return {active.binding.id: screen.app.get_key_display(active.binding)
            for active in screen.active_bindings.values() if active.binding.id}


def _help(command: PaletteCommand, keys: dict[str, str]) -> str:
    key = keys.get(command.key_id)
    return f"key {key}" if key else ""


async def run_command(app: App, command: PaletteCommand) -> None:
    """Run ``command`` where it belongs; say what it needs if the screen has no fitting selection."""
    from dockertui.screens.compose_project import ComposeProjectScreen
    from dockertui.screens.swarm import SwarmScreen

    where, action = command.where, command.action
    target: DOMNode | None = None
    if where == APP:
        target = app
    elif where == IMAGES_GLOBAL:
        app.actions.images.request(action, [])
    elif where == CONTAINERS_GLOBAL:
        target = app.dashboard.containers
    elif where == OVER_ANY:
        target = app.dashboard
    elif where == DASHBOARD:
        target = app.dashboard if _front_dashboard(app) else None
    elif where == COMPOSE:
        if isinstance(app.screen, ComposeProjectScreen):
            target = app.screen
        else:
            target, action = _shown_list(app, CONTAINERS), "request_project"
            if target is None:
                _needs(app, command, "a container of a Compose project: select one in the Containers list (1)")
    elif where in (SERVICES, NODES):
        swarm = app.screen
        target = swarm.active_table if isinstance(swarm, SwarmScreen) and swarm.active_pane == where else None
        if target is None:
            _needs(app, command, NEEDS[where])
    else:
        target = _shown_list(app, where)
        if target is None:
            _needs(app, command, NEEDS[where])
    if target is not None:
        await target.run_action(action)


def _shown_list(app: App, kind: str) -> Widget | None:
    """The dashboard's list of ``kind`` if it is the one shown: under views (help, Swarm…)
    that close without losing anything, which are closed first."""
    dashboard = app.dashboard
    if dashboard.active_pane != kind or not dashboard.is_mounted or not _front_dashboard(app, quiet=True):
        return None
    return dashboard.active_table


def _needs(app: App, command: PaletteCommand, what: str) -> None:
    app.notify(f"{command.title} needs {what}", severity="warning", markup=False)


def _front_dashboard(app: App, quiet: bool = False) -> bool:
    """Close the screens over the dashboard, unless one holds typed text or work under way
    (``quiet``: without saying so, as the caller says what it needs)."""
    dashboard = app.dashboard
    if dashboard not in app.screen_stack:
        return False
    above = app.screen_stack[app.screen_stack.index(dashboard) + 1:]
    from dockertui.screens.connection import ConnectionScreen

    for screen in above:
        if isinstance(screen, ConnectionScreen):
            if not quiet:
                app.notify("Not connected to an engine: the lists would be out of date", severity="warning")
            return False  # closing it would make the last lists look live
        typed = any(field.value for field in screen.query(Input))
        busy = any(worker.is_running and _on_screen(worker.node, screen) for worker in app.workers)
        if (typed or busy) and quiet:
            return False
        if typed or busy:
            what = "text typed" if typed else "work under way"
            name = screen.title or type(screen).__name__
            app.notify(f"{name} is open with {what}: close it first (Esc)", severity="warning", markup=False)
            return False
    for _ in above:
        app.pop_screen()
    return True


def _on_screen(node: object, screen: Screen) -> bool:
    return node is screen or (isinstance(node, Widget) and node.is_attached and node.screen is screen)
