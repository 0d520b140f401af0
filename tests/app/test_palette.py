"""The command palette: every command from any screen, by its title or its docker CLI words,
acting on the selection shown or saying what it needs; and the keys of the screen it opened from."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from dockertui.app import DockerTUI
from dockertui.commands import COMMANDS
from dockertui.palette import DockerCommands
from dockertui.screens.cleanup import CleanupScreen
from dockertui.screens.pull_dialog import PullDialog
from dockertui.widgets.container_table import ContainerTable
from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until
from tests.support.pty_app import PtyApp

pytestmark = pytest.mark.integration


def _first_match(app) -> str | None:
    """The highlighted command's title while the palette is open."""
    if not isinstance(app.screen, CommandPalette):
        return None
    commands = app.screen.query_one(CommandList)
    if commands.highlighted is None:
        return None
    return commands.get_option_at_index(commands.highlighted).prompt.plain.split("\n")[0]


async def test_palette_lists_and_runs_pane_actions(engine_target):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Mark", "Filter", "Sort", "Group", "Quit"} <= titles  # keys not among the app's commands
        assert not titles & {command.title for command in COMMANDS}
        await pilot.press("ctrl+p")
        await pilot.press(*"Images")
        await wait_until(pilot, lambda: _first_match(app) == "Images — docker images", what="Images first")
        await pilot.press("enter")
        await wait_until(pilot, lambda: dashboard.active_pane == "images", what="the Images pane")


# The docker CLI words issue 16 names, and the command each finds first.
CLI_WORDS = {
    "ps": "Running containers", "ps -a": "All containers", "rm": "Remove container", "rmi": "Remove image",
    "prune": "Cleanup: prune with a preview", "system prune": "Cleanup: prune with a preview",
    "system df": "Disk usage", "exec": "Exec in container…", "attach": "Attach to container",
    "logs": "Logs of the selected container", "port": "Ports", "top": "Processes of the selected container",
    "stats": "Stats of the selected container", "inspect": "Inspect container", "tag": "Tag image…",
    "push": "Push image", "pull": "Pull an image…", "login": "Log in or out of a registry…",
    "logout": "Log in or out of a registry…", "search": "Search Docker Hub…", "build": "Build an image…",
    "volume": "Volumes", "network": "Networks", "context": "Contexts: switch engine", "info": "Engine info",
    "version": "Engine info", "compose up": "Compose up", "compose down": "Compose down",
    "service scale": "Scale service…", "node update": "Drain node", "docker run": "Run a container…",
}


async def _search(app, query: str) -> list[str]:
    """The titles the palette's provider ranks first, on the screen under the palette."""
    screen = app.screen_stack[-2] if isinstance(app.screen, CommandPalette) else app.screen
    hits = [hit async for hit in DockerCommands(screen).search(query)]
    return [hit.text for hit in sorted(hits, key=lambda hit: -hit.score)]


async def test_every_cli_word_finds_its_command_from_every_pane(engine_target):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        for pane in ("containers", "images", "volumes", "networks", "ports", "events"):
            dashboard.action_show_pane(pane)
            await wait_until(pilot, lambda pane=pane: dashboard.active_pane == pane, what=pane)
            for word, title in CLI_WORDS.items():
                found = await _search(app, word)
                assert found and found[0] == title, f"{word!r} on {pane}: {found[:3]}"
            # Every entry, by its title, and on an empty palette.
            for command in COMMANDS:
                assert (await _search(app, command.title))[0] == command.title
            discovered = [hit.text async for hit in DockerCommands(app.screen).discover()]
            assert discovered == [command.title for command in COMMANDS]


async def test_object_commands_act_on_the_shown_selection_or_say_what_they_need(engine_target, make_container):
    container = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.query_one(ContainerTable)
        await select_row(pilot, table, container.id)

        # On the Images pane, "stop" does not reach into the hidden Containers list.
        dashboard.action_show_pane("images")
        await _choose(pilot, "stop")
        await wait_until(pilot, lambda: any("Stop container needs a container" in str(n.message)
                                            for n in app._notifications), what="what stop needs")
        container.reload()
        assert container.status == "running"

        # Global ones work from anywhere: "pull" opens the pull dialog, "prune" the cleanup preview.
        await _choose(pilot, "pull")
        await wait_until(pilot, lambda: isinstance(app.screen, PullDialog), what="the pull dialog")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is dashboard, what="back")
        await _choose(pilot, "system prune")
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen), what="the cleanup preview")

        # An object command closes a view that loses nothing (help) and acts on the list under it.
        await back_on(pilot, dashboard)
        dashboard.action_show_pane("containers")
        await select_row(pilot, table, container.id)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: app.screen is not dashboard, what="the help")
        await _choose(pilot, "pause")
        await wait_until(pilot, lambda: app.screen is dashboard and container.reload() is None
                         and container.status == "paused", what="the container paused")
        await _choose(pilot, "system prune")
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen), what="the cleanup preview")

        # A pane command closes a view over the dashboard first: "ps -a" from the cleanup screen.
        await _choose(pilot, "ps -a")
        await wait_until(pilot, lambda: app.screen is dashboard and dashboard.active_pane == "containers"
                         and table.show_all, what="all containers")


async def back_on(pilot, dashboard) -> None:
    await pilot.press("escape")
    await wait_until(pilot, lambda: pilot.app.screen is dashboard, what="back on the dashboard")


async def _choose(pilot, query: str) -> None:
    """Open the palette, type ``query``, and take the first match once it is the command's."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    await pilot.press(*query)
    expected = (await _search(app, query))[0]
    await wait_until(pilot, lambda: (_first_match(app) or "").startswith(expected), what=f"{expected} first")
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), what="the palette closed")


def test_a_cli_word_typed_at_once_in_the_palette_runs_its_command(engine_target, make_container):
    """ctrl+p and "pull" in one write, as a fast typist: the pull dialog, from the Containers list."""
    container = make_container(command=["sleep", "300"])
    app = PtyApp(["--host", engine_target.url])
    try:
        app.show_only(container.name)
        app.send("\x10pull")
        app.wait_for_screen("Pull an image… — docker pull")
        app.send("\r")
        app.wait_for_screen("docker pull")
        app.wait_until(lambda screen: "Pull an image…" not in screen, "the palette closed")
    finally:
        app.close()
