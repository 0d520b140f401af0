"""When the engine is missing or restarts, the app says so and recovers by itself."""

from __future__ import annotations

import docker
import pytest

from dockertui.app import DockerTUI
from dockertui.backend import DockerBackend, EngineFollower, EngineTarget
from dockertui.messages import MessageListener
from dockertui.screens.connection import ConnectionScreen
from dockertui.screens.dashboard import DashboardScreen
from dockertui.screens.help import HelpScreen
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.details_pane import DetailsPane
from tests.support.engine import FIXTURE_IMAGE
from tests.support.pilot import connected_app, dashboard_up, screen_with, wait_until

SIZE = (120, 36)


def fast_retry(app: DockerTUI) -> None:
    """Swap in a follower that retries quickly, so tests do not wait on back-off."""
    app.follower = EngineFollower(
        lambda: DockerBackend.connect(app.target), MessageListener(app), backoff=(0.2, 0.4)
    )


async def test_unreachable_engine_shows_host_and_reason(tmp_path):
    target = EngineTarget(url=f"unix://{tmp_path}/missing.sock", source="--host")
    app = DockerTUI(target)
    fast_retry(app)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConnectionScreen), what="the connection screen")
        screen = app.screen
        await wait_until(pilot, lambda: screen._attempts >= 2, what="a second attempt")
        text = " ".join(str(w.render()) for w in screen.query("Static"))
        assert "missing.sock" in text and "--host" in text
        assert "not found" in text
        assert "disconnected" in app.sub_title
        await pilot.press("q")
    assert not app.is_running


@pytest.mark.integration
@pytest.mark.slow
async def test_engine_restart_resyncs_without_a_restart_of_the_app(private_engine):
    client = docker.DockerClient(base_url=private_engine.url)
    container = client.containers.run(
        FIXTURE_IMAGE, ["sleep", "300"], detach=True, network_mode="none", labels={"dockertui.test": "app-restart"}
    )
    app = DockerTUI(EngineTarget(url=private_engine.url, source="tests"))
    fast_retry(app)
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            table = app.dashboard.query_one(ContainerTable)
            await wait_until(pilot, lambda: container.id in table.rows, what="the running container")

            private_engine.stop()
            await wait_until(pilot, lambda: isinstance(app.screen, ConnectionScreen), what="the connection screen")
            private_engine.start()
            await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), timeout=30, what="the dashboard")
            # The restart stopped the container. The running-only list keeps it only
            # because it is the selected row (ContainerTable.held), and shows it exited.
            await wait_until(pilot, lambda: table.items[container.id].state == "exited", what="the row resynced")
            assert table.current_key == container.id
            assert "Docker" in app.sub_title
    finally:
        client = docker.DockerClient(base_url=private_engine.url)
        for leftover in client.containers.list(all=True, filters={"label": "dockertui.test=app-restart"}):
            leftover.remove(force=True)
        client.close()


@pytest.mark.integration
async def test_help_lists_every_binding(engine_target):
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Docker" in app.sub_title)
        await pilot.press("question_mark")
        table = await screen_with(pilot, HelpScreen, "#help-table")
        actions = {table.get_row_at(i)[1].plain for i in range(table.row_count)}
        assert {"Quit", "Help", "All/Running", "Containers", "Images", "Down", "Up"} <= actions
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))


@pytest.mark.integration
@pytest.mark.slow
async def test_logs_resume_after_the_engine_restarts_and_mark_the_gap(private_engine):
    """You should see the lines from before, one "— reconnected at …" line, then the new output."""
    from dockertui.widgets.log_pane import LogPane

    client = docker.DockerClient(base_url=private_engine.url)
    container = client.containers.run(
        FIXTURE_IMAGE,
        ["sh", "-c", "echo boot; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"],
        detach=True, network_mode="none", restart_policy={"Name": "always"}, labels={"dockertui.test": "app-restart"},
    )
    app = DockerTUI(EngineTarget(url=private_engine.url, source="tests"))
    fast_retry(app)

    def texts() -> list[str]:
        return [line.text for line in pane.view.lines()]

    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            table = app.dashboard.query_one(ContainerTable)
            await wait_until(pilot, lambda: container.id in table.rows, what="the running container")
            table.move_cursor(row=table.get_row_index(container.id))
            await pilot.press("L")
            pane = app.dashboard.query_one(LogPane)
            await wait_until(pilot, lambda: "tick 3" in texts(), what="a few lines")

            private_engine.stop()
            await wait_until(pilot, lambda: isinstance(app.screen, ConnectionScreen), what="the connection screen")
            kept = texts()
            private_engine.start()
            await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), timeout=30, what="the dashboard")
            # Restarted by its policy, the container says "boot" again after the gap.
            await wait_until(pilot, lambda: texts().count("boot") == 2, timeout=30, what=lambda: texts()[-5:])
            lines = texts()
            markers = [i for i, text in enumerate(lines) if text.startswith("— reconnected at ")]
            assert len(markers) == 1, lines
            assert lines[: markers[0]] == kept, "the lines from before the loss are kept"
            # After the mark: what the old run wrote meanwhile, none of it shown twice, then the new run.
            after = lines[markers[0] + 1 :]
            missed = [int(text.split()[1]) for text in after[: after.index("boot")]]
            first = int(kept[-1].split()[1]) + 1
            assert missed == list(range(first, first + len(missed))), after[:10]
            assert "following" in str(pane.query_one("#logs-status").render())
    finally:
        client = docker.DockerClient(base_url=private_engine.url)
        for leftover in client.containers.list(all=True, filters={"label": "dockertui.test=app-restart"}):
            leftover.remove(force=True)
        client.close()


async def test_the_collector_the_command_line_turned_off_runs_again_when_no_engine_answers(tmp_path):
    """cli.py starts with gc off until the first snapshot is drawn; an engine that never answers must not keep it off."""
    import gc

    target = EngineTarget(url=f"unix://{tmp_path}/missing.sock", source="--host")
    app = DockerTUI(target)
    fast_retry(app)
    gc.disable()
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, ConnectionScreen), what="the connection screen")
            assert gc.isenabled()
            await pilot.press("q")
    finally:
        gc.enable()


async def test_the_collector_runs_again_once_the_first_snapshot_is_drawn(engine_target):
    import gc

    app = DockerTUI(engine_target)
    gc.disable()
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            await wait_until(pilot, lambda: gc.isenabled(), what="the collector back on after the snapshot")
            await connected_app(pilot)
    finally:
        gc.enable()


@pytest.mark.integration
@pytest.mark.slow
async def test_a_stopped_engine_is_said_to_not_answer_can_be_given_up_on_and_the_late_answer_is_told(private_engine):
    """dockerd under SIGSTOP: a pause waits; the header and a notice say so; ctrl+g stops waiting
    (the row shows its real state again); when the engine answers, the pause happens and is told."""
    import os
    import signal

    client = docker.DockerClient(base_url=private_engine.url)
    container = client.containers.run(
        FIXTURE_IMAGE, ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"],
        detach=True, network_mode="none", labels={"dockertui.test": "app-stalled"},
    )
    app = DockerTUI(EngineTarget(url=private_engine.url, source="tests"))
    pid = private_engine.pid
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            app.engine_watch.slow_after = 1.0  # the app waits 10 s; the test need not
            table = app.dashboard.query_one(ContainerTable)
            await wait_until(pilot, lambda: container.id in table.rows, what="the running container")
            table.move_cursor(row=table.get_row_index(container.id))
            os.kill(pid, signal.SIGSTOP)
            await pilot.press("p")
            def state() -> str:
                return table.get_cell(container.id, "state").plain

            await wait_until(pilot, lambda: "pausing" in state(), what="the row under way")
            await wait_until(pilot, lambda: "not answering for" in app.sub_title, what="the header to say so")
            await wait_until(pilot, lambda: any("has not answered" in n.message and container.name in n.message
                                                for n in app._notifications), what="a notice naming the action")

            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: any("Stopped waiting for" in n.message for n in app._notifications),
                             what="the give-up notice")
            assert state() == "running", "the row shows its real state again"
            assert "not answering for" in app.sub_title, "the engine still does not answer"

            os.kill(pid, signal.SIGCONT)
            await wait_until(pilot, lambda: "not answering" not in app.sub_title, timeout=30, what="the header to recover")
            await wait_until(pilot, lambda: any("answered after" in n.message and "stopped waiting" in n.message
                                                for n in app._notifications), timeout=30, what="the late answer told")
            await wait_until(pilot, lambda: state() == "paused", timeout=30, what="the pause, done late, on the row")
    finally:
        os.kill(pid, signal.SIGCONT)
        for leftover in client.containers.list(all=True, filters={"label": "dockertui.test=app-stalled"}):
            leftover.remove(force=True)
        client.close()


@pytest.mark.integration
@pytest.mark.slow
async def test_a_read_the_stopped_engine_does_not_answer_shows_in_the_header(private_engine):
    """Not only actions: the details of another container, read from a stopped engine, put the warning up."""
    import os
    import signal

    client = docker.DockerClient(base_url=private_engine.url)
    made = [client.containers.create(FIXTURE_IMAGE, ["true"], name=f"dtui-stalled-read-{n}-{os.getpid()}",
                                     labels={"dockertui.test": "app-stalled-read"}) for n in range(2)]
    app = DockerTUI(EngineTarget(url=private_engine.url, source="tests"), show_all=True)
    pid = private_engine.pid
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            app.engine_watch.slow_after = 1.0
            table = app.dashboard.query_one(ContainerTable)
            await wait_until(pilot, lambda: all(c.id in table.rows for c in made), what="both containers")
            details = app.dashboard.query_one(DetailsPane)
            table.move_cursor(row=table.get_row_index(made[0].id))
            # Its details in first: the move below then reads made[1]'s, whatever was read before.
            await wait_until(pilot, lambda: details.run_line_of(made[0].id) is not None, what="made[0]'s details")
            os.kill(pid, signal.SIGSTOP)
            table.move_cursor(row=table.get_row_index(made[1].id))  # its details are read
            await wait_until(pilot, lambda: "not answering for" in app.sub_title, what="the header to say so")
            os.kill(pid, signal.SIGCONT)
            await wait_until(pilot, lambda: "not answering" not in app.sub_title, timeout=30, what="the header to recover")
    finally:
        os.kill(pid, signal.SIGCONT)
        for leftover in client.containers.list(all=True, filters={"label": "dockertui.test=app-stalled-read"}):
            leftover.remove(force=True)
        client.close()
