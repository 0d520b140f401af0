"""``up`` and ``down`` through the installed Compose CLI, on the real engine, from the app.

Skips where no Compose CLI is installed (``tests.support.engine`` installs
Debian's docker-compose where it can).
"""

from __future__ import annotations

import os

import pytest

from dockertui.app import DockerTUI
from dockertui.backend.compose import PROJECT, detect_compose
from dockertui.screens.compose_project import ComposeProjectScreen
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.remove_containers import RemoveContainersScreen
from tests.support.engine import compose_has_paramiko
from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)
CLI = detect_compose()


def project_containers(docker_client, name: str) -> list[dict]:
    return docker_client.api.containers(all=True, filters={"label": f"{PROJECT}={name}"})


def output_text(screen: ComposeProjectScreen) -> str:
    return "\n".join(screen.output.lines)


def status(screen: ComposeProjectScreen) -> str:
    return str(screen.query_one("#compose-status").render())


async def compose_down(pilot, screen: ComposeProjectScreen) -> None:
    """``D``, yes, and wait until the CLI has finished; asserts it succeeded."""
    await pilot.press("D")
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("y")
    await wait_until(pilot, lambda: screen.running_verb is None and "down" in status(screen), timeout=90,
                     what=lambda: output_text(screen))
    assert "compose down finished" in status(screen), output_text(screen)


@pytest.mark.skipif(CLI is None, reason="no Compose CLI installed (docker compose or docker-compose)")
async def test_up_group_control_remove_and_down_through_the_app(engine_target, compose_dir, docker_client):
    name = compose_dir.name
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        app.actions.compose.show_project(compose_dir.project)
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeProjectScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.cli_known and screen.unavailable is None, what=lambda: screen.unavailable)

        await pilot.press("U")
        assert screen.running_verb == "up"
        await wait_until(pilot, lambda: screen.running_verb is None, timeout=90, what=lambda: output_text(screen))
        assert "compose up finished" in status(screen), output_text(screen)
        text = output_text(screen)
        assert text.startswith(f"$ DOCKER_HOST={engine_target.url} ")
        assert f"--project-name={name}" in text and ("Creating" in text or "Created" in text)
        assert "\x1b" not in text
        containers = project_containers(docker_client, name)
        assert {c["Labels"]["com.docker.compose.service"] for c in containers} == {"web", "worker"}
        ids = {c["Id"] for c in containers}
        await wait_until(pilot, lambda: set(screen.table.rows_in_order()) == ids, what="the new containers")

        # The grouped list shows the project; P on one of its rows comes back here.
        await pilot.press("escape")
        table = dashboard.containers
        await pilot.press("v")
        web = next(c["Id"] for c in containers if c["Labels"]["com.docker.compose.service"] == "web")
        await select_row(pilot, table, web)
        assert table.get_cell(web, "project").plain == f"{name} › web"
        in_order = [key for key in table.rows_in_order() if key in ids]
        assert len(in_order) == 2 and in_order[0] == web
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeProjectScreen))
        screen = app.screen
        assert screen.project.config_files == (str(compose_dir.config_file),)
        assert screen.project.working_dir == str(compose_dir.working_dir)

        def states() -> set[str]:
            return {c["State"] for c in project_containers(docker_client, name)}

        await pilot.press("s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: states() == {"exited"}, timeout=30)
        # Start acts on what the app shows as stopped: let the stop events arrive first.
        await wait_until(pilot, lambda: not any(
            c.is_running for c in app.dashboard.containers.items.values()
            if dict(c.labels).get("com.docker.compose.project") == name
        ), what="the app to show the project stopped")
        await pilot.press("u")
        await pilot.press("y")
        await wait_until(pilot, lambda: states() == {"running"}, timeout=30,
                         what=lambda: (states(), [n.message for n in app._notifications]))
        started = {i: docker_client.api.inspect_container(i)["State"]["StartedAt"] for i in ids}
        await pilot.press("r")
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: all(docker_client.api.inspect_container(i)["State"]["StartedAt"] != s for i, s in started.items()),
            timeout=30,
        )

        # Force is ticked at once, whether or not the restart's start events are in yet:
        # the dialog follows the engine, and force is there to remove running ones.
        await pilot.press("d")
        assert isinstance(app.screen, RemoveContainersScreen)
        assert {c.id for c in app.screen.containers} == ids
        await pilot.press("f")
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: not project_containers(docker_client, name), timeout=30,
                         what=lambda: [n.message for n in app._notifications])
        await wait_until(pilot, lambda: screen.table.row_count == 0)

        # Containers are gone, the project's network is not: down clears it, and says so.
        assert docker_client.networks.list(names=[f"{name}_default"])
        await compose_down(pilot, screen)
        assert f"Removing network {name}_default" in output_text(screen)
        assert not docker_client.networks.list(names=[f"{name}_default"])
        assert not project_containers(docker_client, name)


@pytest.mark.skipif(CLI is None, reason="no Compose CLI installed (docker compose or docker-compose)")
@pytest.mark.skipif(CLI is not None and CLI.command == "docker-compose" and not compose_has_paramiko(),
                    reason="docker-compose 1.x needs python3-paramiko for ssh://, and it could not be installed")
async def test_up_and_down_over_ssh(ssh_target, compose_dir, docker_client, tmp_path, monkeypatch):
    """An engine reached over ssh://: the CLI gets the same DOCKER_HOST and makes its own ssh connection.

    docker-compose 1.29 runs the ssh binary, which reads the passwd entry's
    ~/.ssh, not $HOME's; a wrapper first on PATH hands it the test client's
    config, as a user's own ~/.ssh/config would be read.
    """
    wrapper = tmp_path / "bin" / "ssh"
    wrapper.parent.mkdir()
    wrapper.write_text('#!/bin/sh\nexec /usr/bin/ssh -F "$HOME/.ssh/config" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    name = compose_dir.name
    app = DockerTUI(ssh_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        app.actions.compose.show_project(compose_dir.project)
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeProjectScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.cli_known and screen.unavailable is None, what=lambda: screen.unavailable)

        await pilot.press("U")
        await wait_until(pilot, lambda: screen.running_verb is None, timeout=90, what=lambda: output_text(screen))
        assert "compose up finished" in status(screen), output_text(screen)
        assert output_text(screen).startswith(f"$ DOCKER_HOST={ssh_target.url} ")
        ids = {c["Id"] for c in project_containers(docker_client, name)}
        assert len(ids) == 2
        await wait_until(pilot, lambda: set(screen.table.rows_in_order()) == ids, what="the new containers, over ssh")

        await compose_down(pilot, screen)
        assert not project_containers(docker_client, name)
        await wait_until(pilot, lambda: screen.table.row_count == 0, what="the rows to go")
