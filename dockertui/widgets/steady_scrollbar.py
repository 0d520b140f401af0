"""A list's scrollbar repaints only when the bar it draws changes.

Textual repaints a scrollbar whenever the length of what it scrolls changes.
In a bulk remove that is every batch of rows gone, and the bar of a tall list
is the dearest widget of the frame (a quarter of a millisecond a line, all
its lines), though its thumb moves an eighth of a cell only every few dozen
rows. So a plain repaint of the bar is let through only when what it would
draw differs from what it drew last: its shape (from Textual's own
``render_bar``), its size, its colours, and whether it is hovered or grabbed.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import Any

from textual.scrollbar import ScrollBar


class SteadyRepaint:
    """Stands in for ``bar.refresh``: a repaint with no arguments that would draw the same bar is skipped."""

    def __init__(self, bar: ScrollBar) -> None:
        self._bar = bar
        self._repaint: Callable[..., Any] = bar.refresh
        self._drawn: tuple | None = None

    def __call__(self, *regions: Any, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Any:
        if regions or not repaint or layout or recompose:
            self._drawn = None  # painted by someone else's measure: the next one goes through
            return self._repaint(*regions, repaint=repaint, layout=layout, recompose=recompose)
        look = self._look()
        if look is not None and look == self._drawn:
            return self._bar
        self._drawn = look
        return self._repaint()

    def _look(self) -> tuple | None:
        bar = self._bar
        parent = bar.parent
        if parent is None or not bar.is_mounted:
            return None
        styles = parent.styles
        length = bar.size.height if bar.vertical else bar.size.width
        virtual = bar.window_virtual_size
        window = bar.window_size if bar.window_size < virtual else 0
        drawn = bar.renderer.render_bar(
            size=length, virtual_size=ceil(virtual), window_size=ceil(window), position=bar.position,
            thickness=bar.thickness, vertical=bar.vertical,
        )
        shape = tuple((segment.text, segment.style.reverse if segment.style else None,
                       (segment.style.meta or {}).get("@mouse.down") if segment.style else None)
                      for segment in drawn.segments)
        colours = (styles.scrollbar_color, styles.scrollbar_background, styles.scrollbar_color_hover,
                   styles.scrollbar_background_hover, styles.scrollbar_color_active,
                   styles.scrollbar_background_active, parent.background_colors)
        return (bar.size, bar.mouse_over, bar.grabbed, bar.screen.styles.scrollbar_color, colours, shape)


def repaint_only_when_changed(bar: ScrollBar) -> None:
    """Have ``bar`` skip the repaints that would draw it as it is."""
    if not isinstance(bar.refresh, SteadyRepaint):
        bar.refresh = SteadyRepaint(bar)  # type: ignore[method-assign]
