"""Compose projects in the app, on the real engine: grouping, the project screen and its actions.

The containers here carry Compose's labels but are made through the SDK, so
these tests run without any Compose CLI installed.
"""

from __future__ import annotations

import sys

import pytest

from dockertui.app import DockerTUI
from dockertui.backend.compose import ComposeInfo
from dockertui.screens.compose_project import ComposeProjectScreen
from dockertui.screens.confirm import ConfirmScreen
from dockertui.screens.remove_containers import RemoveContainersScreen
from tests.compose.conftest import project_name
from tests.support.pilot import connected_app, dashboard_up, screen_with, select_row, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


def state(docker_client, container) -> str:
    return docker_client.api.inspect_container(container.id)["State"]["Status"]


async def open_project(pilot, container_id: str) -> ComposeProjectScreen:
    """``P`` on the container's row; returns the project screen once it knows which Compose CLI there is."""
    app = pilot.app
    await select_row(pilot, app.dashboard.containers, container_id)
    await pilot.press("P")
    await wait_until(pilot, lambda: isinstance(app.screen, ComposeProjectScreen), what="the project screen")
    screen = app.screen
    await wait_until(pilot, lambda: screen.cli_known, what="Compose detection")
    return screen


def ours(table, ids) -> list[str]:
    """Our rows, in the order the table shows them (other containers may be on the engine)."""
    return [key for key in table.rows_in_order() if key in ids]


async def test_grouping_by_project_and_service_keeps_the_cursor_and_live_updates(
    engine_target, make_compose_container, make_container, docker_client
):
    alpha, beta = project_name("a"), project_name("b")
    alpha_web_2 = make_compose_container(alpha, "web", number=2)
    alpha_db = make_compose_container(alpha, "db")
    beta_app = make_compose_container(beta, "app")
    loose = make_container()
    # Hostile text in the labels must show as itself and sort without trouble.
    hostile = make_compose_container("[/foo]", "[link=http://x]y[/link]")
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        for container in (alpha_web_2, alpha_db, beta_app, loose):
            await wait_until(pilot, lambda c=container: c.id in table.rows, what=container.name)
        await select_row(pilot, table, alpha_db.id)

        await pilot.press("v")
        assert table.grouped
        assert next(str(column.label) for column in table.columns.values()) == "Project › Service"
        assert table.current_key == alpha_db.id, "the cursor stays on the same container"
        assert table.get_cell(alpha_db.id, "project").plain == f"{alpha} › db"
        assert table.get_cell(loose.id, "project").plain == "no project"
        assert table.get_cell(hostile.id, "project").plain == "[/foo] › [link=http://x]y[/link]"
        ids = {c.id for c in (alpha_web_2, alpha_db, beta_app, loose, hostile)}
        assert ours(table, ids) == [hostile.id, alpha_db.id, alpha_web_2.id, beta_app.id, loose.id]

        # Events still update rows by key, in their group's place.
        alpha_cache = make_compose_container(alpha, "cache")
        ids.add(alpha_cache.id)
        await wait_until(pilot, lambda: alpha_cache.id in table.rows, what="the new container's row")
        assert ours(table, ids) == [hostile.id, alpha_cache.id, alpha_db.id, alpha_web_2.id, beta_app.id, loose.id]
        docker_client.api.remove_container(beta_app.id, force=True)
        await wait_until(pilot, lambda: beta_app.id not in table.rows, what="the removed row to go")
        assert table.current_key == alpha_db.id

        await pilot.press("/")
        await pilot.press(*alpha[-8:])
        await wait_until(pilot, lambda: set(table.rows_in_order()) == {alpha_cache.id, alpha_db.id, alpha_web_2.id})
        await pilot.press("escape")
        await wait_until(pilot, lambda: loose.id in table.rows)

        await select_row(pilot, table, alpha_web_2.id)
        await pilot.press("v")
        assert not table.grouped
        assert "project" not in [key.value for key in table.columns]
        assert table.current_key == alpha_web_2.id


async def test_project_screen_and_project_actions(engine_target, make_compose_container, make_container, docker_client, tmp_path):
    name = project_name("p")
    web = make_compose_container(name, "web")
    db = make_compose_container(name, "db", start=False)
    bystander = make_container()
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await select_row(pilot, dashboard.containers, bystander.id)
        await pilot.press("P")
        assert not isinstance(app.screen, ComposeProjectScreen), "not a Compose container: no project screen"
        await select_row(pilot, dashboard.containers, web.id)
        await pilot.press("P")
        await screen_with(pilot, ComposeProjectScreen, "#compose-facts")
        screen = app.screen
        facts = str(screen.query_one("#compose-facts").render())
        assert name in facts
        assert str(tmp_path / "docker-compose.yml") in facts
        assert f"Working dir   {tmp_path}" in facts
        assert "db, web" in facts
        table = screen.table
        await wait_until(pilot, lambda: set(table.rows_in_order()) == {db.id, web.id})

        # Start: only the stopped one, after saying so.
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmScreen)
        listed = app.screen.query_one("#confirm-items").plain
        assert db.name in listed and web.name not in listed
        await pilot.press("y")
        await wait_until(pilot, lambda: state(docker_client, db) == "running", timeout=20)
        await wait_until(pilot, lambda: table.get_cell(db.id, "state").plain == "running")

        await pilot.press("s")
        listed = app.screen.query_one("#confirm-items").plain
        assert db.name in listed and web.name in listed and bystander.name not in listed
        await pilot.press("y")
        await wait_until(pilot, lambda: {state(docker_client, c) for c in (web, db)} == {"exited"}, timeout=20)
        await wait_until(pilot, lambda: table.get_cell(web.id, "state").plain == "exited")
        assert state(docker_client, bystander) == "running"
        await wait_until(pilot, lambda: "0 running" in str(screen.query_one("#compose-facts").render()))

        await pilot.press("u")
        await pilot.press("y")
        await wait_until(pilot, lambda: {state(docker_client, c) for c in (web, db)} == {"running"}, timeout=20)

        started = {c.id: docker_client.api.inspect_container(c.id)["State"]["StartedAt"] for c in (web, db)}
        await pilot.press("r")
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: all(docker_client.api.inspect_container(i)["State"]["StartedAt"] != s for i, s in started.items()),
            timeout=20,
        )

        await pilot.press("d")
        remove = app.screen
        assert isinstance(remove, RemoveContainersScreen)
        assert {c.id for c in remove.containers} == {web.id, db.id}
        await pilot.press("f")
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: table.row_count == 0, what="the project's rows to go")
        assert not docker_client.api.containers(all=True, filters={"label": f"com.docker.compose.project={name}"})
        assert state(docker_client, bystander) == "running"
        assert name in str(screen.query_one("#compose-facts").render()), "the screen remembers the project"
        await pilot.press("escape")
        assert app.screen is dashboard


async def test_without_a_compose_cli_up_and_down_are_unavailable(engine_target, make_compose_container, monkeypatch):
    monkeypatch.setattr("dockertui.backend.compose.detect_compose", lambda: None)
    container = make_compose_container(project_name("nocli"), "web")
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        screen = await open_project(pilot, container.id)
        shown = str(screen.query_one("#compose-cli").render())
        assert "up/down unavailable" in shown and "docker compose" in shown and "docker-compose" in shown
        keys = screen.query_one("#compose-keys").render()
        greyed = {keys.plain[span.start:span.end] for span in keys.spans if "strike" in str(span.style)}
        assert greyed == {"U", " up -d", "D", " down"}
        for key in ("U", "D"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_until(pilot, lambda: app._notifications, what="a notification")
            message = next(iter(app._notifications)).message
            assert "install" in message and "docker-compose" in message
            assert not isinstance(app.screen, ConfirmScreen)
        assert screen.running_verb is None
        assert screen.output.line_count == 0


FAKE_CLI = """\
import os, sys, time
print("argv", *sys.argv[1:], flush=True)
print("host", os.environ["DOCKER_HOST"], flush=True)
print("\\x1b[32m[/foo] [link=http://x]y[/link]\\x1b[0m", flush=True)
time.sleep(60)
"""


async def test_cli_output_streams_live_as_text_and_esc_stops_it(
    engine_target, make_compose_container, monkeypatch, tmp_path
):
    """A stand-in CLI prints, then hangs: its lines show while it runs, and Esc stops it."""
    script = tmp_path / "fake_compose.py"
    script.write_text(FAKE_CLI)
    (tmp_path / "docker-compose.yml").write_text("services: {}\n")
    fake = ComposeInfo(command=f"{sys.executable} {script}", version="fake 0.1")
    monkeypatch.setattr("dockertui.backend.compose.detect_compose", lambda: fake)
    name = project_name("fake")
    container = make_compose_container(name, "web")
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        screen = await open_project(pilot, container.id)
        await pilot.press("U")
        await wait_until(pilot, lambda: screen.output.line_count >= 4, what=lambda: screen.output.lines)
        assert screen.running_verb == "up", "the lines arrived while the CLI still runs"
        lines = screen.output.lines
        assert lines[1] == (
            f"argv --project-name={name} --project-directory={tmp_path} "
            f"--file={tmp_path / 'docker-compose.yml'} up -d"
        )
        assert lines[2] == f"host {engine_target.url}"
        assert lines[3] == "[/foo] [link=http://x]y[/link]"

        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.running_verb is None, timeout=10)
        assert app.screen is screen, "the first Esc stops the CLI, the screen stays"
        assert "stopped" in str(screen.query_one("#compose-status").render())
        await pilot.press("escape")
        assert app.screen is dashboard
