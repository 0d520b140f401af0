"""The dashboard's list panes and object tabs by name, and which pane a typed name means (``:im``)."""

from __future__ import annotations

LIST_PANES = ("containers", "images", "volumes", "networks", "ports", "events")
OBJECT_TABS = ("details", "logs", "stats", "top", "files")
SWARM_PANES = ("services", "nodes")


def pane_named(text: str) -> str:
    """The list pane a typed name (or its start) means; ValueError if none."""
    wanted = text.strip().lstrip(":").lower()
    if wanted == "swarm":
        return "services"
    for pane in LIST_PANES + SWARM_PANES:
        if wanted and (pane.startswith(wanted) or wanted.startswith(pane)):
            return pane
    raise ValueError(f"no pane called {text!r}; try {', '.join(LIST_PANES + SWARM_PANES)}")
