"""The binding ids the config file's ``[keymap]`` can remap, so a typo is reported, not ignored."""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def binding_ids() -> set[str]:
    """Every binding id declared by dockertui's widgets, screens and app (those imported)."""
    ids = set()
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("dockertui"):
            continue
        for binding in vars(cls).get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """The keymap's ids that name no binding, in the file's order."""
    known = binding_ids()
    return [binding_id for binding_id in keymap if binding_id not in known]


def taken_by(key: str) -> list[str]:
    """What dockertui's own bindings on ``key`` do, and where ("Remove (ContainerTable)").

    Loads the main screen's modules to know them (only asked when a custom command names a key).
    """
    import dockertui.screens.dashboard  # noqa: F401

    found = []
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("dockertui"):
            continue
        for binding in vars(cls).get("BINDINGS", []):
            if isinstance(binding, Binding) and key in (part.strip() for part in binding.key.split(",")):
                found.append(f"{binding.description or binding.action} ({cls.__name__})")
    return found
