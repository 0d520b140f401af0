"""The selected container stays listed when it stops, until the cursor leaves it (widgets/held_row.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from dockertui.app import DockerTUI
from tests.support.pilot import dashboard_up, paste_line, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


@asynccontextmanager
async def stopped_under_the_cursor(engine_target, watched, other) -> AsyncIterator[tuple]:
    """The app, once ``watched`` stopped under the cursor with ``other`` listed: (pilot, the containers table)."""
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.dashboard.containers
        await wait_until(pilot, lambda: other.id in table.rows, what="the other row")
        await select_row(pilot, table, watched.id)
        await asyncio.to_thread(watched.stop, timeout=0)
        await wait_until(pilot, lambda: table.items[watched.id].state == "exited", what="the container exited")
        assert watched.id in table.rows and table.current_key == watched.id
        yield pilot, table


async def test_a_held_row_stays_through_new_columns_and_goes_with_the_cursor(engine_target, make_container):
    watched = make_container()
    other = make_container()
    async with stopped_under_the_cursor(engine_target, watched, other) as (pilot, table):
        tab = pilot.app.dashboard.query_one("#lists").get_tab("containers-tab")
        shown = table.row_count

        await pilot.press("v")  # grouped: the table's columns are made again
        await wait_until(pilot, lambda: table.grouped, what="the grouped list")
        assert table.current_key == watched.id and watched.id in table.rows
        await pilot.press("v")
        await wait_until(pilot, lambda: not table.grouped, what="the flat list")
        assert table.current_key == watched.id and watched.id in table.rows

        await select_row(pilot, table, other.id)
        await wait_until(pilot, lambda: watched.id not in table.rows, what="the stopped row gone")
        assert table.current_key == other.id
        await wait_until(pilot, lambda: tab.label.plain.startswith(f"Containers ({shown - 1}"),
                         what=lambda: tab.label.plain)


async def test_a_filter_that_hides_the_held_row_lets_it_go(engine_target, make_container, unique_name):
    watched = make_container()
    other = make_container(name=unique_name("held-other"))
    async with stopped_under_the_cursor(engine_target, watched, other) as (pilot, table):
        await pilot.press("slash")
        paste_line(pilot.app, other.name)
        await wait_until(pilot, lambda: set(table.rows) == {other.id}, what="only the other row")
        table.focus()
        await pilot.press("escape")
        await wait_until(pilot, lambda: not table.filter_text, what="the filter cleared")
        assert watched.id not in table.rows, "let go when the filter hid it: running only again"
        assert table.current_key == other.id


async def test_a_marked_held_row_stays_in_sight(engine_target, make_container):
    watched = make_container()
    other = make_container()
    async with stopped_under_the_cursor(engine_target, watched, other) as (pilot, table):
        await pilot.press("space")  # marks it, and moves down
        await select_row(pilot, table, other.id)
        assert watched.id in table.marked and watched.id in table.rows, "a marked row is not hidden"
