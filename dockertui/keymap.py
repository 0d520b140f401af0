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
