"""A tab re-titled to a title as wide as the last is repainted alone; a wider one moves the tabs."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import TabbedContent, TabPane

from dockertui.widgets.tab_title import set_tab_title


class TwoTabs(App):
    def compose(self) -> ComposeResult:
        with TabbedContent(id="lists"):
            yield TabPane("Containers (200)", id="containers")
            yield TabPane("Images (3)", id="images")


def layouts_asked(widget) -> list[bool]:
    """From now on, whether each refresh of ``widget`` asks for a layout."""
    asked: list[bool] = []
    refresh = widget.refresh
    widget.refresh = lambda *regions, **options: asked.append(options.get("layout", False)) or refresh(*regions, **options)
    return asked


async def test_a_title_as_wide_as_the_last_repaints_the_tab_without_a_layout():
    app = TwoTabs()
    async with app.run_test(size=(60, 6)) as pilot:
        tabs = app.query_one("#lists", TabbedContent)
        tab = tabs.get_tab("containers")
        images = tabs.get_tab("images")
        images_at = images.region
        asked = layouts_asked(tab)
        set_tab_title(tab, "Containers (201)")
        await pilot.pause()
        assert asked == [False]
        assert tab.label.plain == "Containers (201)"
        assert any("Containers (201)" in tab.render_line(y).text for y in range(tab.size.height))
        assert images.region == images_at

        set_tab_title(tab, "Containers (201)")  # the same title: nothing at all
        assert asked == [False]

        set_tab_title(tab, "Containers (1,000)")
        await pilot.pause()
        assert asked[-1] is True
        assert tab.label.plain == "Containers (1,000)"
        assert images.region.x == images_at.x + 2  # the next tab moved over
