"""Custom commands from the config file, as lazydocker's ``customCommands``:

    [[custom_commands]]
    name = "Disk use"
    on = "container"            # container (the default), image or engine
    key = "f5"                  # optional
    mode = "background"         # background (the default: output in a window) or terminal
    command = "docker exec {{.Container.ID}} du -sh /"

The command is a program and its arguments, split as a shell would split
them, but never run by a shell: ``{{.Container.Name}}`` and the other
placeholders become part of one argument each, whatever they contain. In
the script of a ``sh -c``, the one place a shell does read them, a value
is put in single quotes. The values are also in the environment
(``DOCKERTUI_CONTAINER_NAME`` …), which is how a script should use them:
``sh -c 'docker logs "$DOCKERTUI_CONTAINER_NAME" | tail'``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

KINDS = ("container", "image", "engine")
MODES = ("background", "terminal")
# Which placeholders each kind of command may use.
PLACEHOLDERS = {
    "container": ("Container.ID", "Container.Name", "Container.Image", "Engine.Host"),
    "image": ("Image.Ref", "Image.ID", "Engine.Host"),
    "engine": ("Engine.Host",),
}
# Only these roots are ours: ``{{.State.Status}}`` is left for ``docker inspect -f`` to read.
_PLACEHOLDER = re.compile(r"\{\{\s*\.((?:Container|Image|Engine)\.[A-Za-z]+)\s*\}\}")
# -c, or -c among other one-letter flags (bash -lc): the next word is a script.
_SCRIPT_FLAG = re.compile(r"-[A-Za-z]*c")
_SHELLS = ("sh", "bash", "ash", "dash", "zsh", "ksh", "fish")


class CustomCommandError(ValueError):
    """A custom command in the config is not usable; the message says why."""


@dataclass(frozen=True)
class CustomCommand:
    name: str
    command: str
    on: str = "container"
    key: str = ""
    mode: str = "background"

    @property
    def binding_id(self) -> str:
        """``custom-disk-use``: how help and the palette name it."""
        return "custom-" + (re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "command")


def parse_custom_commands(value: object) -> tuple[CustomCommand, ...]:
    """The ``[[custom_commands]]`` tables, checked; CustomCommandError names the first bad one."""
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise CustomCommandError("custom_commands is a list of tables: [[custom_commands]] name = … command = …")
    commands = []
    for number, entry in enumerate(value, 1):
        where = f"custom command {number}"
        unknown = set(entry) - {"name", "command", "on", "key", "mode"}
        if unknown:
            raise CustomCommandError(f"{where}: unknown field {sorted(unknown)[0]!r} (name, command, on, key, mode)")
        fields = {key: entry.get(key) for key in ("name", "command", "on", "key", "mode") if key in entry}
        if not all(isinstance(field, str) for field in fields.values()):
            raise CustomCommandError(f"{where}: every field is a string")
        command = CustomCommand(**fields)  # type: ignore[arg-type]
        if not command.name.strip():
            raise CustomCommandError(f"{where}: name is missing")
        where = f"custom command {command.name!r}"
        if command.on not in KINDS:
            raise CustomCommandError(f"{where}: on must be one of {', '.join(KINDS)}")
        if command.mode not in MODES:
            raise CustomCommandError(f"{where}: mode must be one of {', '.join(MODES)}")
        try:
            words = shlex.split(_tight(command.command))
        except ValueError as error:
            raise CustomCommandError(f"{where}: {error} in its command") from None
        if not words:
            raise CustomCommandError(f"{where}: command is missing")
        for placeholder in _PLACEHOLDER.findall(command.command):
            if placeholder not in PLACEHOLDERS[command.on]:
                known = ", ".join("{{." + name + "}}" for name in PLACEHOLDERS[command.on])
                raise CustomCommandError(f"{where}: {{{{.{placeholder}}}}} is not known on {command.on} (known: {known})")
        commands.append(command)
    return tuple(commands)


def render(command: CustomCommand, values: Mapping[str, str]) -> list[str]:
    """The argv to run: the template split as a shell would, each placeholder replaced within its word.

    A word that is the script of ``sh -c`` (or another shell's) gets each
    value in single quotes, since that shell will read it.
    """
    words = shlex.split(_tight(command.command))
    argv = []
    for index, word in enumerate(words):
        script = index >= 2 and _SCRIPT_FLAG.fullmatch(words[index - 1]) is not None and _is_shell(words[:index - 1])
        argv.append(_PLACEHOLDER.sub(partial(_value, values, quoted=script), word))
    return argv


def _tight(template: str) -> str:
    """``{{ .Container.Name }}`` as ``{{.Container.Name}}``: spaces inside must not split it into words."""
    return _PLACEHOLDER.sub(lambda match: "{{." + match.group(1) + "}}", template)


def _is_shell(before: list[str]) -> bool:
    return any(word.rsplit("/", 1)[-1] in _SHELLS for word in before)


def _value(values: Mapping[str, str], match: re.Match[str], quoted: bool) -> str:
    value = values.get(match.group(1), "")
    return shlex.quote(value) if quoted else value


def environment(values: Mapping[str, str]) -> dict[str, str]:
    """The values again, for scripts: ``Container.Name`` is ``DOCKERTUI_CONTAINER_NAME``."""
    return {"DOCKERTUI_" + name.replace(".", "_").upper(): value for name, value in values.items()}
