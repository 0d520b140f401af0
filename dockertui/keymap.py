"""The binding ids the config file's ``[keymap]`` can remap, so a typo is reported, not ignored."""

from __future__ import annotations

from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def _bindings() -> Iterator[tuple[type, Binding]]:
    """Every binding declared by dockertui's widgets, screens and app (those imported), with its class."""
    for cls in _subclasses(DOMNode):
        if cls.__module__.startswith("dockertui"):
            for binding in vars(cls).get("BINDINGS", []):
                if isinstance(binding, Binding):
                    yield cls, binding


def binding_ids() -> set[str]:
    """Every binding id declared by dockertui's widgets, screens and app (those imported)."""
    return {binding.id for _, binding in _bindings() if binding.id}


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """The keymap's ids that name no binding, in the file's order."""
    known = binding_ids()
    return [binding_id for binding_id in keymap if binding_id not in known]


def taken_by(key: str) -> list[str]:
    """What dockertui's own bindings on ``key`` do, and where ("Remove (ContainerTable)").

    Loads the main screen's modules to know them (only asked when a custom command names a key).
    """
    import dockertui.screens.dashboard  # noqa: F401

    return [f"{binding.description or binding.action} ({cls.__name__})" for cls, binding in _bindings()
            if key in (part.strip() for part in binding.key.split(","))]
