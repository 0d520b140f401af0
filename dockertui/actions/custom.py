"""Custom commands (custom_commands.py): their keys, their palette entries, and running them.

A command acts on the container or image selected on the main screen, or
on the engine. It runs with the environment pointed at the app's engine
(DOCKER_HOST, TLS files), so ``docker …`` in it talks to what the app
shows. In the terminal it has the screen until it ends; in the background
its output shows in a window.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.app import SuspendNotSupported, SystemCommand

from dockertui.backend import ContainerInfo
from dockertui.backend.compose import ComposeRun, compose_env
from dockertui.custom_commands import CustomCommand, environment, render
from dockertui.formatting import as_markup


def bind_custom_commands(app: Any) -> str | None:
    """Each command that names a key gets it, below any pane's own keys, which come first.

    Returns what to tell the user about keys the app uses already (they
    reach the command only where no pane's own key takes them).
    """
    from dockertui.keymap import taken_by

    clashes = []
    for index, command in enumerate(app.config.custom_commands):
        if command.key:
            app.bind(command.key, f"custom_command({index})", description=command.name, show=False)
            if taken := taken_by(command.key):
                clashes.append(f"{command.name!r}: {command.key} is also {', '.join(taken[:2])}, which comes first")
    if not clashes:
        return None
    return ("custom commands: " + "; ".join(clashes) + ". Pick keys the app leaves free (f1-f12, alt+…); "
            "the palette (ctrl+p) runs every custom command by name.")


def palette_entries(app: Any) -> Iterator[SystemCommand]:
    """A palette entry for every custom command, with its key if it has one."""
    for index, command in enumerate(app.config.custom_commands):
        key = f" · key {command.key}" if command.key else ""
        yield SystemCommand(as_markup(command.name),
                            as_markup(f"custom command on the {command.on}: {command.command}{key}"),
                            partial(app.action_custom_command, index))


class CustomCommands:
    """Runs ``app.config.custom_commands[index]`` on what is selected."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._host = ""  # the fleet's engine of the selection the last command ran on

    def run(self, index: int) -> None:
        command: CustomCommand = self.app.config.custom_commands[index]
        values = self._values(command)
        if values is None:
            return
        argv = render(command, values)
        env, scratch = compose_env(self.app.target_for(self._host))
        env.update(environment(values))
        if command.mode == "terminal":
            self._in_terminal(command, argv, env)
            if scratch is not None:
                scratch.cleanup()
            return
        from dockertui.screens.command_output import CommandOutputScreen

        self.app.push_screen(CommandOutputScreen(command.name, argv, lambda: ComposeRun(argv, env, scratch=scratch)))

    def _values(self, command: CustomCommand) -> dict[str, str] | None:
        """The placeholders' values, from the selection; None (and why, told) if it has none."""
        # In a fleet, the engine of what is selected (the first engine for an engine command).
        self._host = self.app.dashboard.cursor_host()
        values = {"Engine.Host": self.app.target_for(self._host).url}
        if command.on == "engine":
            return values
        dashboard = self.app.dashboard
        if self.app.screen is not dashboard:
            self.app.notify(f"{command.name} acts on the {command.on} selected on the main screen: go back there first",
                            severity="warning", markup=False)
            return None
        if command.on == "container":
            container = dashboard.selected_container
            if not isinstance(container, ContainerInfo):
                self.app.notify(f"{command.name} acts on a container: select one in Containers (1) or Ports (5)",
                                severity="warning", markup=False)
                return None
            return values | {"Container.ID": container.id, "Container.Name": container.name,
                             "Container.Image": container.image}
        image = dashboard.images.current if dashboard.active_pane == "images" else None
        if image is None:
            self.app.notify(f"{command.name} acts on an image: select one in Images (2)", severity="warning",
                            markup=False)
            return None
        untagged = image.repository == "<none>"
        return values | {"Image.Ref": image.image.id if untagged else image.reference, "Image.ID": image.image.id}

    def _in_terminal(self, command: CustomCommand, argv: list[str], env: dict[str, str]) -> None:
        """Hand the terminal to the command; its output stays on screen until Enter."""
        outcome = ""
        try:
            with self.app.suspend():
                try:
                    returncode = subprocess.run(argv, env=env).returncode
                    outcome = f"exited {returncode}" if returncode >= 0 else f"killed by signal {-returncode}"
                except OSError as error:  # caught inside: Textual's suspend does not give the terminal back on one
                    outcome = f"could not start: {error.strerror or error}"
                print(f"\r\n[dockertui] {command.name}: {outcome}; press Enter to go back", flush=True)
                sys.stdin.readline()
        except SuspendNotSupported:
            self.app.notify(f"{command.name} needs a terminal; in the browser there is none to hand over. "
                            "Give it mode = \"background\" to see its output here.", severity="warning",
                            markup=False, timeout=8)
            return
        self.app.notify(f"{command.name}: {outcome}", markup=False, timeout=4,
                        severity="error" if outcome.startswith("could not") else "information")
