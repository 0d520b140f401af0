"""Combined logs on the real engine: marked containers as one log, F full screen; a Compose project's L is in tests/compose.

Each line of a merged log is named by its container; the lines come in
time order, none lost or shown twice where the earlier lines meet the
followed ones, and a container that runs again joins in again.
"""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from dockertui.app import DockerTUI
from dockertui.backend.logs import stamp_key
from dockertui.backend.merged_logs import ContainerGroup
from dockertui.widgets.log_pane import LogPane
from dockertui.widgets.log_status import StreamState
from tests.support.pilot import dashboard_up, mark_rows, paste_line, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)
# Numbered lines, a few milliseconds apart: the merge is opened while they are being written.
COUNTING = 'i=0; while [ $i -lt {n} ]; do echo "{name} $i"; i=$((i+1)); usleep 5000; done; sleep 300'


def numbered(pane: LogPane, name: str) -> list[int]:
    """The numbers of ``name``'s lines, in the order shown."""
    return [int(line.text.split()[1]) for line in pane.view.lines() if line.source == name and line.text.startswith(name)]


async def marked_logs(pilot, *containers) -> LogPane:
    """Mark ``containers`` and open the Logs tab: it follows them as one."""
    app = pilot.app
    table = app.dashboard.containers
    for container in containers:
        await wait_until(pilot, lambda c=container: c.id in table.rows, what=f"the row of {container.name}")
    await mark_rows(pilot, table, *(c.id for c in containers))
    await pilot.press("L")
    pane = app.dashboard.logs
    ids = {c.id for c in containers}
    await wait_until(pilot, lambda: isinstance(pane.container, ContainerGroup)
                     and {m.id for m in pane.container.members} == ids, what="the marked containers followed as one")
    return pane


async def test_marked_containers_are_one_log_with_no_line_lost_or_doubled_while_they_write(
    engine_target, make_container, unique_name
):
    names = [unique_name("web"), unique_name("db")]
    containers = [make_container(command=["sh", "-c", COUNTING.format(n=300, name=name)], name=name) for name in names]
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await marked_logs(pilot, *containers)
        await wait_until(pilot, lambda: all(len(numbered(pane, name)) >= 300 for name in names),
                         timeout=30, what="every line of both containers")
        for name in names:
            assert numbered(pane, name) == list(range(300)), f"{name}: each line once, in order"
        status = str(app.dashboard.query_one("#logs-status").render())
        assert "2 marked" in status and names[0] in status and names[1] in status


async def test_lines_written_before_the_log_opens_are_merged_in_time_order(
    engine_target, make_container, unique_name, docker_client
):
    names = [unique_name("web"), unique_name("db")]
    script = 'i=0; while [ $i -lt 200 ]; do echo "{name} $i"; i=$((i+1)); usleep 2000; done; echo done; sleep 300'
    containers = [make_container(command=["sh", "-c", script.format(name=name)], name=name) for name in names]
    deadline = time.monotonic() + 30
    for container in containers:  # all written before the app starts: the merge reads them as earlier lines
        while not docker_client.api.logs(container.id, tail=1).endswith(b"done\n"):
            assert time.monotonic() < deadline, f"{container.name} did not finish writing"
            await asyncio.sleep(0.05)
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await marked_logs(pilot, *containers)
        await wait_until(pilot, lambda: len(pane.view.lines()) == 402, what="every line of both containers")
        stamps = [stamp_key(line.timestamp) for line in pane.view.lines()]
        assert stamps == sorted(stamps), "the merged lines are in time order"
        for name in names:
            assert numbered(pane, name) == list(range(200))


async def test_filter_by_container_save_with_names_and_one_mark_follows_the_cursor(
    engine_target, make_container, unique_name, tmp_path
):
    web, db = unique_name("web"), unique_name("db")
    containers = [make_container(command=["sh", "-c", f'echo "{name} hello"; echo "[bold]{name}[/]"; sleep 300'],
                                 name=name) for name in (web, db)]
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await marked_logs(pilot, *containers)
        await wait_until(pilot, lambda: len(pane.view.lines()) == 4, what="both containers' lines")
        pane.view.focus()
        await pilot.press("f")
        paste_line(app, re.escape(db).join("//"))
        await wait_until(pilot, lambda: {line.source for line in pane.view.lines()} == {db}, what="only db's lines")
        assert [line.text for line in pane.view.lines()] == [f"{db} hello", f"[bold]{db}[/]"]
        target = tmp_path / "merged.log"
        await pilot.press("s")
        paste_line(app, str(target))
        await wait_until(pilot, target.exists, what="the saved file")
        assert target.read_text().splitlines() == [f"{db} | {db} hello", f"{db} | [bold]{db}[/]"]
        # One mark left: the Logs tab follows the row under the cursor again, a container of its own.
        table = app.dashboard.containers
        table.focus()
        await select_row(pilot, table, containers[0].id)
        await pilot.press("space")
        await wait_until(pilot, lambda: not isinstance(pane.container, ContainerGroup), what="back to one container")


async def test_full_screen_log_hides_the_list_and_esc_clears_the_search_then_brings_it_back(
    engine_target, make_container
):
    container = make_container(command=["sh", "-c", 'echo "needle"; echo "hay"; sleep 300'])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = app.dashboard
        await select_row(pilot, dashboard.containers, container.id)
        await pilot.press("F")
        left = dashboard.query_one("#left")
        await wait_until(pilot, lambda: not left.display and dashboard.logs.view.has_focus, what="the log over the screen")
        pane = dashboard.logs
        await wait_until(pilot, lambda: len(pane.view.lines()) == 2, what="the lines")
        assert dashboard.logs.region.width == SIZE[0], "the log takes the whole width"
        await pilot.press("slash")
        paste_line(app, "needle")
        await wait_until(pilot, lambda: pane.view.searching and pane.view.has_focus, what="a search")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not pane.view.searching, what="Esc clears the search first")
        assert not left.display, "the first Esc only cleared the search"
        await pilot.press("escape")
        await wait_until(pilot, lambda: left.display and dashboard.containers.has_focus, what="the list back")
        await pilot.press("z")
        await wait_until(pilot, lambda: not left.display, what="z: the full-screen log too")
        await pilot.press("F")
        await wait_until(pilot, lambda: left.display, what="F again: the list back")


async def test_a_member_that_runs_again_joins_the_merged_log(engine_target, make_container, unique_name, docker_client):
    names = [unique_name("app"), unique_name("worker")]
    containers = [make_container(command=["sh", "-c", f'echo "{name} started"; sleep 300'], name=name,
                                 stop_signal="SIGKILL") for name in names]
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await marked_logs(pilot, *containers)

        def starts(name: str) -> int:
            return sum(1 for line in pane.view.lines() if line.text == f"{name} started")

        await wait_until(pilot, lambda: starts(names[0]) == 1 and starts(names[1]) == 1, what="both started once")
        docker_client.api.restart(containers[0].id, timeout=0)
        await wait_until(pilot, lambda: starts(names[0]) == 2, timeout=20, what="the restarted one's new output")
        assert starts(names[1]) == 1, "the other's lines are not read again"
        docker_client.api.stop(containers[0].id, timeout=0)
        await wait_until(pilot, lambda: app.dashboard.containers.items[containers[0].id].state == "exited")
        docker_client.api.start(containers[0].id)
        await wait_until(pilot, lambda: starts(names[0]) == 3, timeout=20, what="started again later, it joins in")
        assert starts(names[1]) == 1
        assert pane.stream_state is StreamState.FOLLOWING
