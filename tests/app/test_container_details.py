"""The details pane adds what only inspect knows (env, restart policy, networks, times) for the selected container."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until

pytestmark = pytest.mark.integration


async def details_of(pilot, container):
    """Select ``container`` in the list once the app is connected; returns the details' body."""
    dashboard = await connected_app(pilot)
    await select_row(pilot, dashboard.containers, container.id)
    return dashboard.query_one("#details-body")


async def test_details_show_env_restart_networks_and_the_finish(engine_target, make_container):
    container = make_container(
        command=["sleep", "300"],
        environment={"MARKUP": "[/foo] [bold]x[/bold]", "COLOUR": "\x1b[31mred"},
        restart_policy={"Name": "on-failure", "MaximumRetryCount": 3},
        working_dir="/tmp",
    )
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=(120, 40)) as pilot:
        body = await details_of(pilot, container)
        await wait_until(pilot, lambda: "Env" in str(body.source), what="the inspect facts")
        shown = str(body.source)
        assert "MARKUP=[/foo] [bold]x[/bold]" in shown and "COLOUR=red" in shown
        assert "\x1b" not in str(body.render())
        assert "Restart   on-failure:3" in shown and "Workdir   /tmp" in shown and "Started   " in shown
        assert "bridge  172." in shown

        container.kill()
        await wait_until(pilot, lambda: "Finished  exit code 137" in str(body.source), what="the finish, read again")
        assert app.is_running


async def test_the_docker_run_line_is_shown_and_y_copies_it(engine_target, make_container):
    import shlex

    container = make_container(command=["sleep", "300"], environment={"GREETING": "hello world"}, working_dir="/tmp")
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=(120, 40)) as pilot:
        body = await details_of(pilot, container)
        await wait_until(pilot, lambda: "docker run line" in str(body.source), what="the run line")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.clipboard.startswith("docker run -d"), what="the line copied")
        line = shlex.split(app.clipboard)
        assert line[line.index("--name") + 1] == container.name
        assert "GREETING=hello world" in line and line[-2:] == ["sleep", "300"]
        assert shlex.join(line) in str(body.source)
