"""Re-titling a tab without laying out the whole screen when the title keeps its width."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static, Tab


def set_tab_title(tab: Tab, title: str) -> None:
    """Show ``title`` on ``tab``; nothing happens if it already does.

    Tab's own label setter lays out the whole screen at every change. A
    created or removed container re-titles its tab ("Containers (200)"
    becomes "(201)"), and that layout was most of the frame that shows the
    row. A title as wide as the last leaves every tab where it is, so the
    tab alone is repainted; a wider or narrower one takes the setter, which
    also moves the underline.
    """
    if tab.label.plain == title:
        return
    label = Content(title)
    if label.cell_length != tab.label.cell_length:
        tab.label = label
        return
    # What Tab.label reads back (its setter would also lay out); a Textual
    # that renamed it fails tests/unit/test_tab_title.py.
    tab._label = label
    Static.update(tab, label, layout=False)
