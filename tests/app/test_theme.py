"""A theme the user picks reaches the tables and the logs: colours come from the theme."""

from __future__ import annotations

import pytest
from rich.color import Color

from dockertui.app import DockerTUI
from dockertui.widgets.container_table import ContainerTable
from tests.app.test_logs_pane import SIZE, open_logs_of, texts
from tests.support.pilot import dashboard_up, wait_until

pytestmark = pytest.mark.integration


def state_colour(table: ContainerTable, container_id: str) -> Color | None:
    return table.get_cell(container_id, "state").style.color


def stderr_colour(pane) -> Color | None:
    """The colour the view draws the stderr line ``oops`` in, as painted."""
    view = pane.view
    for y in range(view.size.height):
        for segment in view.render_line(y):
            if segment.text.strip() == "oops" and segment.style is not None:
                return segment.style.color
    return None


def theme_colours(app: DockerTUI, name: str) -> tuple[Color, Color]:
    """The theme's $success and $error."""
    theme = app.get_theme(name)
    return Color.parse(theme.success), Color.parse(theme.error)


def near(painted: Color | None, expected: Color) -> bool:
    """The same colour, give or take the rounding of Textual's colour arithmetic."""
    if painted is None:
        return False
    return all(abs(a - b) <= 2 for a, b in zip(painted.get_truecolor(), expected.get_truecolor()))


@pytest.mark.parametrize("theme", ["gruvbox", "nord"])
async def test_switching_theme_recolours_a_state_cell_and_a_log_line(engine_target, make_container, theme):
    container = make_container(command=["sh", "-c", "echo fine; echo oops >&2; sleep 300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.screen.query_one(ContainerTable)
        pane = await open_logs_of(pilot, container)
        await wait_until(pilot, lambda: "oops" in texts(pane), what="the stderr line")
        await wait_until(pilot, lambda: stderr_colour(pane) is not None, what="the stderr line drawn")
        before = theme_colours(app, app.theme)
        assert near(state_colour(table, container.id), before[0])
        assert near(stderr_colour(pane), before[1])

        after = theme_colours(app, theme)
        assert not near(after[0], before[0]) and not near(after[1], before[1]), f"{theme} is too like {app.theme}"
        app.theme = theme
        await wait_until(pilot, lambda: near(state_colour(table, container.id), after[0]),
                         what=lambda: ("the running state in the theme's $success", state_colour(table, container.id)))
        await wait_until(pilot, lambda: near(stderr_colour(pane), after[1]),
                         what=lambda: ("the stderr line in the theme's $error", stderr_colour(pane)))
