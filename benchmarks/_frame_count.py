"""Counting in a headless app: its frames and their CPU, screen layouts, and which widgets asked for them.

For the benchmarks that run the app in a child process (cursor_cpu.py,
bulk_cpu.py). The child imports this from the benchmarks folder before it
takes that folder off its path, so a ``--source`` tree's own benchmarks
(which may lack this module) never stand in for it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable


class FrameCount:
    """Wraps Textual's frame, layout and refresh while ``counting`` is set."""

    def __init__(self) -> None:
        self.counting = False
        self.frames: list[float] = []  # each frame's UI thread CPU
        self.layouts = 0
        self.asked: Counter[str] = Counter()  # widget class -> layouts asked for

    def install(self) -> None:
        from textual.screen import Screen
        from textual.widget import Widget

        draw, lay, refresh = Screen._on_timer_update, Screen._refresh_layout, Widget.refresh

        def counted_draw(screen):
            if not self.counting:
                return draw(screen)
            began = time.thread_time()
            try:
                return draw(screen)
            finally:
                self.frames.append(time.thread_time() - began)

        def counted_layout(screen, *args, **kwargs):
            self.layouts += self.counting
            return lay(screen, *args, **kwargs)

        def counted_refresh(widget, *regions, **kwargs):
            if self.counting and kwargs.get("layout"):
                self.asked[type(widget).__name__] += 1
            return refresh(widget, *regions, **kwargs)

        Screen._on_timer_update, Screen._refresh_layout, Widget.refresh = counted_draw, counted_layout, counted_refresh

    def figures(self) -> dict:
        return {"frames": len(self.frames), "frame_cpu": sum(self.frames), "layouts": self.layouts,
                "asked": dict(self.asked)}


def asked_per(results: Iterable[dict], per: float) -> str:
    """The widgets that asked for layouts over all ``results``, each count divided by ``per``, most first."""
    asked: Counter[str] = Counter()
    for result in results:
        asked.update(result["asked"])
    return ", ".join(f"{name} {times / per:.1f}" for name, times in asked.most_common())
