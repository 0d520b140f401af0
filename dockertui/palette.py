"""What the command palette (ctrl+p) offers besides Textual's own commands."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen


def key_commands(app: App, screen: Screen) -> Iterator[SystemCommand]:
    """Every key's action on the screen the palette was opened from, once each."""
    seen: set[tuple[int, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or (id(active.node), binding.action) in seen:
            continue
        seen.add((id(active.node), binding.action))
        yield SystemCommand(
            binding.description,
            f"{binding.tooltip or binding.description} · key {app.get_key_display(binding)}",
            partial(active.node.run_action, binding.action),
        )
