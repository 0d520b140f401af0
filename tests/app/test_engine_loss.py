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
from tests.support.engine import FIXTURE_IMAGE
from tests.support.pilot import connected_app, dashboard_up, wait_until

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
            # The restart stopped the container; the running-only list drops it.
            await wait_until(pilot, lambda: container.id not in table.rows, what="the stale row to go")
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
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one("#help-table")
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
async def test_a_stopped_engine_is_said_to_not_answer_and_the_late_answer_is_reported(private_engine):
    """dockerd under SIGSTOP: the stop waits; the header and a notice say so, and its late outcome is told."""
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
            await pilot.press("s")
            await wait_until(pilot, lambda: "not answering for" in app.sub_title, what="the header to say so")
            notices = [n.message for n in app._notifications]
            assert any("has not answered" in text and container.name in text for text in notices), notices

            os.kill(pid, signal.SIGCONT)
            await wait_until(pilot, lambda: "not answering" not in app.sub_title, timeout=30, what="the header to recover")
            notices = [n.message for n in app._notifications]
            assert any("answered after" in text and container.name in text for text in notices), notices
            await wait_until(pilot, lambda: container.id not in table.rows, timeout=30, what="the stopped row to go")
    finally:
        os.kill(pid, signal.SIGCONT)
        for leftover in client.containers.list(all=True, filters={"label": "dockertui.test=app-stalled"}):
            leftover.remove(force=True)
        client.close()
