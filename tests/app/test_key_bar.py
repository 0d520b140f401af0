"""The footer (one KeyBar widget): the keys that work here, clickable, with tooltips."""

from __future__ import annotations

from textual.widgets import Input

from dockertui.app import DockerTUI
from dockertui.widgets.key_bar import KeyBar
from tests.support.pilot import connected_app, dashboard_up, wait_until

SIZE = (120, 36)


def key_bar(app: DockerTUI) -> KeyBar:
    return app.screen.query_one(KeyBar)


async def test_the_bar_lists_the_focused_keys_and_follows_focus(engine_target):
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        bar = key_bar(app)
        text = str(bar.render())
        assert "Filter" in text and "palette" in text, text
        assert text.rstrip().endswith("palette"), "the palette key sits on the right"
        await pilot.press("slash")  # the filter input takes focus: the bar follows
        await wait_until(pilot, lambda: isinstance(app.focused, Input))
        await wait_until(pilot, lambda: "Filter" not in str(key_bar(app).render()), what="the bar without the list's keys")


async def test_a_click_presses_the_key_and_hovering_shows_its_tooltip(engine_target):
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        bar = key_bar(app)
        bar.render()
        start, _, tipped = next(span for span in bar._spans if span[2].tooltip)
        await pilot.hover(KeyBar, offset=(start + 1, 0))
        await wait_until(pilot, lambda: bar.tooltip == tipped.tooltip, what=f"the tooltip of {tipped.description}")
        start, _, _ = next(span for span in bar._spans if span[2].description == "Filter")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "list-filter",
                         what="the filter opened by the click")


async def test_a_narrow_terminal_keeps_the_palette_key_and_drops_what_does_not_fit(engine_target):
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=(40, 20)) as pilot:
        await connected_app(pilot)
        text = str(key_bar(app).render())
        assert len(text) <= 40 and text.rstrip().endswith("palette"), text
