"""The TOML config file: keymap, default pane, log limits, stats interval, theme.

Lives at ``$XDG_CONFIG_HOME/dockertui/config.toml`` (platformdirs), or where
``--config`` / ``DOCKERTUI_CONFIG`` points. A broken file is reported with
its line and ignored (defaults apply); it is never rewritten. The only
write is the theme line when the user picks a theme, and only to a file
that parsed cleanly (or to a new file).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as a package
    import tomli as tomllib  # type: ignore[no-redef]

import platformdirs

from dockertui.custom_commands import CustomCommand, CustomCommandError, parse_custom_commands

PANES = ("containers", "images", "volumes", "networks", "ports", "events")
_THEME_LINE = re.compile(r"^\s*theme\s*=.*$", re.MULTILINE)


@dataclass(frozen=True)
class Config:
    """Settings with their defaults."""

    default_pane: str = "containers"
    log_tail: int = 500
    log_max_lines: int = 10_000
    stats_interval: float = 1.0
    stats_columns: bool = False
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    custom_commands: tuple[CustomCommand, ...] = ()
    # [fleets.NAME] hosts = [...], contexts = [...]: engines opened together with --fleet NAME.
    fleets: dict[str, FleetSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class FleetSpec:
    """One named fleet: engine URLs (``name=URL`` names one) and docker contexts."""

    hosts: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()


class ConfigError(ValueError):
    """The file is not valid; the message names the line where it can."""


def config_path(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get("DOCKERTUI_CONFIG"):
        return Path(os.environ["DOCKERTUI_CONFIG"]).expanduser()
    return platformdirs.user_config_path("dockertui") / "config.toml"


def _line_of(text: str, key: str) -> str:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"^\s*{re.escape(key)}\s*=", line) or line.strip() in (f"[{key}]", f"[[{key}]]"):
            return f"line {number}"
    return "the file"


def parse_config(text: str) -> Config:
    """Parse and check a config file's text; raises ConfigError naming the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(error)) from None
    known = {f.name: f for f in fields(Config)}
    values: dict[str, object] = {}
    for key, value in data.items():
        where = _line_of(text, key)
        if key not in known:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(known)})")
        if key == "keymap":
            if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                raise ConfigError(f"{where}: [keymap] maps binding ids to keys, like container-stop = \"ctrl+s\"")
        elif key == "default_pane":
            if value not in PANES:
                raise ConfigError(f"{where}: default_pane must be one of {', '.join(PANES)}")
        elif key in ("log_tail", "log_max_lines"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}: {key} must be a whole number above 0")
        elif key == "stats_interval":
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.2 <= value <= 60:
                raise ConfigError(f"{where}: stats_interval must be between 0.2 and 60 seconds")
        elif key == "stats_columns" and not isinstance(value, bool):
            raise ConfigError(f"{where}: stats_columns is true or false")
        elif key == "theme" and not isinstance(value, str):
            raise ConfigError(f"{where}: theme must be a string")
        elif key == "fleets":
            value = _parse_fleets(value, where)
        elif key == "custom_commands":
            try:
                value = parse_custom_commands(value)
            except CustomCommandError as error:
                raise ConfigError(f"{where}: {error}") from None
        values[key] = value
    return Config(**values)  # type: ignore[arg-type]


def _parse_fleets(value: object, where: str) -> dict[str, FleetSpec]:
    shape = '[fleets.NAME] with hosts = ["ssh://web1", "web2=tcp://10.0.0.2:2376"] and/or contexts = ["prod"]'
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {shape}")
    fleets = {}
    for name, spec in value.items():
        unknown = set(spec) - {"hosts", "contexts"} if isinstance(spec, dict) else {"?"}
        lists = [spec.get(key, []) for key in ("hosts", "contexts")] if not unknown else []
        if unknown or not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in lists):
            raise ConfigError(f"{where}: fleet {name!r}: {shape}")
        if not any(lists):
            raise ConfigError(f"{where}: fleet {name!r} names no engine")
        fleets[name] = FleetSpec(tuple(lists[0]), tuple(lists[1]))
    return fleets


def load_config(path: Path) -> tuple[Config, str | None]:
    """The config, or the defaults and a message saying what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), None
    except OSError as error:
        return Config(), f"cannot read {path}: {error.strerror or error}; using defaults"
    try:
        return parse_config(text), None
    except ConfigError as error:
        return Config(), f"{path}: {error}; using defaults (the file is left as it is)"


def remember_theme(path: Path, theme: str) -> bool:
    """Write the theme into the config file; False (and no write) if the file is invalid."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    try:
        parse_config(text)
    except ConfigError:
        return False
    line = f'theme = "{theme}"'
    if _THEME_LINE.search(text):
        text = _THEME_LINE.sub(line, text, count=1)
    else:
        # Top-level keys must come before any [table] header.
        text = f"{line}\n{text}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
