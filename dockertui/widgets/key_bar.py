"""The footer: the keys that work here, drawn as one line by one widget.

Textual's Footer mounts a widget per key and mounts them all again whenever
focus moves; each mount applies the whole stylesheet. At start-up that was
about a hundred widgets before the list could show. This bar keeps the
same content, the same theme colours, clicks and tooltips, in one widget
that only repaints when the keys it shows change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

PALETTE_SEPARATOR = "▏"


@dataclass(frozen=True)
class BarKey:
    """One entry: ``keys`` are pressed by a click; ``display`` and ``description`` are drawn."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """A one-line footer listing the active bindings; the palette key sits on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--hover", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--hover {
            background: $block-hover-background;
        }
        .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    keys: reactive[tuple[BarKey, ...]] = reactive((), always_update=False)
    palette: reactive[BarKey | None] = reactive(None, always_update=False)
    hovered: reactive[int | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # (start, end, entry) of each drawn key on the last render, for clicks and hovers.
        self._spans: list[tuple[int, int, BarKey]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        active = screen.active_bindings
        by_action: defaultdict[str, list] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        entries: list[BarKey] = []
        for group, members in groupby(by_action.values(), lambda found: found[0][0].group):
            members = list(members)
            if group is not None and len(members) > 1:
                # A group ("↑↓ move") shows its keys together and one description.
                first, enabled, _ = members[0][0]
                display = "".join(self.app.get_key_display(found[0][0]) for found in members)
                entries.append(BarKey(first.key, display, group.description, enabled, group.description))
                continue
            for found in members:
                binding, enabled, tooltip = found[0]
                entries.append(BarKey(binding.key, self.app.get_key_display(binding), binding.description,
                                      enabled, tooltip or binding.tooltip))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = BarKey(binding.key, self.app.get_key_display(binding), binding.description,
                             enabled, binding.tooltip or binding.description)
        self.keys = tuple(entries)
        self.palette = palette

    def _entry(self, entry: BarKey, index: int) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        text = Text.assemble((f" {entry.display} ", key_style), (f"{entry.description} " if entry.description else "", description_style))
        if not entry.enabled:
            text.stylize(self.get_component_rich_style("key-bar--disabled"))
        if index == self.hovered:
            text.stylize(self.get_component_rich_style("key-bar--hover"))
        return text

    def render(self) -> Text:
        width = self.size.width
        palette = Text()
        if self.palette is not None:
            palette = Text(PALETTE_SEPARATOR) + self._entry(self.palette, -1)
        room = width - palette.cell_len
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, BarKey]] = []
        for index, entry in enumerate(self.keys):
            piece = self._entry(entry, index)
            if line.cell_len + piece.cell_len > room:
                break  # keys that do not fit are left out; the help screen (?) lists them all
            spans.append((line.cell_len, line.cell_len + piece.cell_len, entry))
            line.append_text(piece)
        line.append(" " * max(0, room - line.cell_len))
        if self.palette is not None:
            spans.append((line.cell_len + 1, line.cell_len + palette.cell_len, self.palette))
            line.append_text(palette)
        self._spans = spans
        return line

    def _at(self, x: int) -> tuple[int, BarKey] | None:
        for index, (start, end, entry) in enumerate(self._spans):
            if start <= x < end:
                return (-1 if entry is self.palette else index), entry
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self._at(event.x)
        self.hovered = found[0] if found else None
        self.tooltip = found[1].tooltip or None if found else None

    def on_leave(self, event: events.Leave) -> None:
        self.hovered = None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        found = self._at(event.x)
        if found is None:
            return
        if found[1].enabled:
            self.app.simulate_key(found[1].key)
        else:
            self.app.bell()
