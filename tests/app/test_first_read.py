"""The lists are on screen before the follower connects (backend/first_read.py), and nothing typed
or shown meanwhile is lost: keys wait for the connection, and the details are read once it is there.

The follower is held at its door by a gate (a wrapper around its own connect), so that the
window between the first read and the connection, a few hundred milliseconds in real use, stays
open for as long as the test needs.
"""

from __future__ import annotations

import threading

import pytest

from dockertui.app import DockerTUI
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.details_pane import DetailsPane
from tests.support.pilot import wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


def gated(app: DockerTUI) -> threading.Event:
    """Keep ``app``'s follower from connecting until the returned event is set."""
    gate = threading.Event()
    connect = app.follower._connect

    def connect_when_open():
        if not gate.wait(30):
            raise AssertionError("the test never opened the gate")
        return connect()

    app.follower._connect = connect_when_open
    return gate


async def test_rows_come_before_the_connection_and_keys_wait_for_it(engine_target, make_container):
    container = make_container(command=["sh", "-c", "echo hello-first-read; sleep 300"])
    app = DockerTUI(engine_target)
    gate = gated(app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.dashboard.is_mounted, what="the dashboard")
            table = app.dashboard.query_one(ContainerTable)
            await wait_until(pilot, lambda: container.id in table.rows, what="the row from the first read")
            assert app.backend is None, "the follower is still at the gate"
            assert "Docker" in app.sub_title
            details = app.dashboard.query_one(DetailsPane)
            table.move_cursor(row=table.get_row_index(container.id))
            app.dashboard.action_show_tab("logs")  # a click on the tab: keys wait, the mouse does not
            logs = app.dashboard.logs
            await wait_until(pilot, lambda: logs.container is not None and logs.container.id == container.id,
                             what="its logs asked for")

            # Typed now, the filter waits for the connection instead of acting on the list.
            await pilot.press("slash", *container.name)
            assert app.typeahead.holding
            gate.set()
            await wait_until(pilot, lambda: app.backend is not None and not app.typeahead.holding, what="the connection")
            await wait_until(pilot, lambda: table.filter_text == container.name, what="the filter typed meanwhile")
            assert list(table.rows) == [container.id]

            # Its logs and inspect could not be read before: they are, now.
            await wait_until(pilot, lambda: any(line.text == "hello-first-read" for line in logs.view.lines()),
                             what="its logs")
            app.dashboard.action_show_tab("details")
            await wait_until(pilot, lambda: details.run_line_of(container.id) is not None, what="the details")
    finally:
        gate.set()
