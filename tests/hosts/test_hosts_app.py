"""The app over ssh:// and across contexts: logs, switching, errors, engine info."""

from __future__ import annotations

import hashlib
import json

import pytest

from dockertui.app import DockerTUI
from dockertui.screens.connection import ConnectionScreen
from dockertui.screens.contexts import ContextsScreen
from dockertui.screens.engine_info import EngineInfoScreen
from dockertui.widgets.container_table import ContainerTable
from tests.support.pilot import connected_app, dashboard_up, screen_with, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


def write_context(config_dir, name, host, description=""):
    meta_dir = config_dir / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta_dir.mkdir(parents=True)
    meta = {"Name": name, "Metadata": {"Description": description}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": False}}}
    (meta_dir / "meta.json").write_text(json.dumps(meta))


def visible_text(screen) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query("Static"))


async def test_switching_containers_over_ssh_stops_the_old_log_stream(ssh_target, make_container):
    """The same check as for the local socket, with every stream over ssh://."""
    from tests.app.test_logs_pane import open_logs_of, texts

    chatty = make_container(command=["sh", "-c", 'while true; do echo "chatty"; sleep 0.05; done'])
    quiet = make_container(command=["sh", "-c", 'echo "quiet one"; sleep 300'])
    app = DockerTUI(ssh_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        assert ssh_target.url in app.sub_title
        pane = await open_logs_of(pilot, chatty)
        await wait_until(pilot, lambda: "chatty" in texts(pane))
        old_streams = [w for w in app.workers if w.group == "logs" and w.is_running]
        table = app.screen.query_one(ContainerTable)
        table.move_cursor(row=table.get_row_index(quiet.id))
        await wait_until(pilot, lambda: texts(pane) == ["quiet one"], what="only the quiet container's line")
        # Once the old stream's thread has ended, whatever it sent is in the queue: let it through.
        await wait_until(pilot, lambda: all(w.is_finished for w in old_streams), what="the old stream to end")
        await pilot.pause()
        assert texts(pane) == ["quiet one"]
        await wait_until(pilot, lambda: len([w for w in app.workers if w.group == "logs" and w.is_running]) == 1, timeout=3)


async def test_context_switcher_reconnects_and_reports_failures(ssh_server, ssh_home, engine_target, make_container, monkeypatch):
    """You should see the contexts, reconnect over ssh, fail on a broken one, and pick another."""
    config_dir = ssh_home / "docker-config"
    write_context(config_dir, "over-ssh", ssh_server.url, "[b]ssh[/b] test server")
    write_context(config_dir, "broken", "unix:///nonexistent/docker.sock")
    (config_dir / "config.json").write_text(json.dumps({"currentContext": "over-ssh"}))
    monkeypatch.setenv("DOCKER_CONFIG", str(config_dir))
    monkeypatch.setenv("DOCKER_HOST", engine_target.url)
    container = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await pilot.press("C")
        table = await screen_with(pilot, ContextsScreen, "#contexts-table")
        await wait_until(pilot, lambda: table.row_count == 3, what="three contexts")
        assert [key.value for key in table.rows] == ["default", "broken", "over-ssh"]
        await pilot.press("G")  # the lists' keys move here too
        assert table.cursor_row == 2
        await pilot.press("enter")
        await wait_until(pilot, lambda: "over-ssh (ssh://" in app.sub_title and "Docker" in app.sub_title, what="the ssh context")
        containers = app.screen.query_one(ContainerTable)
        await wait_until(pilot, lambda: container.id in containers.rows, what="the container, reloaded over ssh")

        # A context that cannot work: the connection screen says why, and offers another.
        await pilot.press("C")
        table = await screen_with(pilot, ContextsScreen, "#contexts-table")
        await wait_until(pilot, lambda: table.row_count == 3)
        await pilot.press("g", "j")
        assert app.screen.query_one("#contexts-table").cursor_row == 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConnectionScreen), what="the connection screen")
        await wait_until(pilot, lambda: "no engine socket there" in visible_text(app.screen))
        assert "context broken" in visible_text(app.screen)
        await pilot.press("c")
        table = await screen_with(pilot, ContextsScreen, "#contexts-table")
        await wait_until(pilot, lambda: table.row_count == 3)
        await pilot.press("G", "k", "k")
        assert app.screen.query_one("#contexts-table").cursor_row == 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is dashboard and "Docker" in app.sub_title, what="back on the default context")
        assert app.target.context == "default"


async def test_engine_info_screen(engine_target, make_container):
    """You should see versions, storage, counts, registries, Swarm and Compose."""
    make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        await pilot.press("I")
        body = await screen_with(pilot, EngineInfoScreen, "#engine-info-body")
        await wait_until(pilot, lambda: "Storage driver" in str(body.render()), what="the details")
        text = str(body.render())
        info = app.backend.api.info()
        for expected in ("docker-py", info["Driver"], info["DockerRootDir"], info["KernelVersion"], "running", "docker.io", "Swarm", "Compose"):
            assert expected in text
        await pilot.press("escape")
        assert not isinstance(app.screen, EngineInfoScreen)
