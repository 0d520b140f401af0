"""More of the app against real Podman (issue 17): Top and stats, an exec shell over the API,
the run dialog, remove, the cleanup preview, and a pull from the local registry."""

from __future__ import annotations

import uuid

import docker
import pytest

from dockertui.app import DockerTUI
from dockertui.backend import EngineTarget
from dockertui.screens.cleanup import CleanupScreen
from dockertui.screens.pull_dialog import PullDialog
from dockertui.screens.remove_containers import RemoveContainersScreen
from dockertui.screens.run_dialog import RunDialog
from dockertui.widgets.processes_pane import ProcessesPane
from tests.podman.test_podman_app import LABEL, SIZE, make
from tests.support.engine import FIXTURE_IMAGE
from tests.support.pilot import dashboard_up, swarm_shown, wait_until
from tests.support.pty_app import PtyApp

pytestmark = pytest.mark.integration


def podman_app(url: str, **options) -> DockerTUI:
    return DockerTUI(EngineTarget(url=url, source="tests"), run_labels=tuple(LABEL.items()),
                     scope_labels=dict(LABEL), **options)


async def select(pilot, container_id: str):
    app = pilot.app
    await wait_until(pilot, lambda: app.backend is not None, what="connected")
    table = app.dashboard.containers
    await wait_until(pilot, lambda: container_id in table.rows, what="the container's row")
    table.focus()
    table.move_cursor(row=table.get_row_index(container_id))
    return table


async def test_top_and_stats_of_a_podman_container(podman_engine, podman_client):
    container = make(podman_client)
    app = podman_app(podman_engine.url)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await select(pilot, container.id)
        app.dashboard.action_show_tab("top")
        pane = app.dashboard.query_one(ProcessesPane)
        await wait_until(pilot, lambda: pane.table.row_count >= 1, timeout=20, what="a process in the Top tab")
        assert "COMMAND" in pane.table.columns, [c.value for c in pane.table.columns]
        assert any("sleep 300" in pane.table.get_cell(row, "COMMAND").plain for row in pane.table.rows)

        await pilot.press("c")
        await wait_until(pilot, lambda: table.get_cell(container.id, "mem").plain.strip() != "", timeout=20,
                         what="a memory reading in the stats columns")


def test_exec_shell_into_a_podman_container(podman_engine, podman_client):
    container = make(podman_client)
    app = PtyApp(["--host", podman_engine.url])
    try:
        app.wait_for(container.name)
        app.shell_round_trip(container.name, "on-podman")
        app.quit()
    finally:
        app.close()


async def test_run_remove_and_the_cleanup_preview_on_podman(podman_engine, podman_client):
    name = f"dtui-pm-run-{uuid.uuid4().hex[:8]}"
    app = podman_app(podman_engine.url, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.backend is not None, what="connected")
        app.dashboard.containers.focus()
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RunDialog) and app.screen.query("#image"),
                         what="the run dialog")
        dialog = app.screen
        dialog.query_one("#image").value = FIXTURE_IMAGE
        dialog.query_one("#command").value = "echo ran-on-podman"
        dialog.query_one("#name").value = name
        await pilot.press("ctrl+s")
        table = app.dashboard.containers
        await wait_until(pilot, lambda: any(c.name == name and c.state == "exited" for c in table.items.values()),
                         timeout=30, what="the run container, exited")
        created = podman_client.containers.get(name)
        assert created.labels.get("dockertui.test") == "podman"

        await pilot.press("Z")
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen) and app.screen.plan is not None,
                         timeout=30, what="the cleanup preview")
        plan = app.screen.plan
        offered = [item.name for item in plan.items]
        assert name in offered
        await pilot.press("escape")

        await select(pilot, created.id)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, RemoveContainersScreen) and app.screen.query("#volumes"),
                         what="the remove dialog, composed")
        await pilot.press("y")
        await wait_until(pilot, lambda: created.id not in table.items, timeout=30, what="the row gone")
    with pytest.raises(docker.errors.NotFound):
        podman_client.containers.get(name)


async def test_pull_from_the_local_registry_into_podman(registry, docker_config, docker_client, fixture_image):
    """A registry over plain HTTP that Podman is told to trust, with htpasswd: the pull dialog logs in and pulls."""
    from tests.support.podman import PodmanService

    name = f"{registry.address}/dtui-test/podman-pull:{uuid.uuid4().hex[:8]}"
    docker_client.images.get(fixture_image).tag(name)
    try:
        docker_client.login(registry.username, registry.password, registry=registry.address)
        docker_client.images.push(name)
    finally:
        docker_client.images.remove(name)
    from dockertui.backend import credentials

    credentials.store(credentials.Credentials(registry.address, registry.username, registry.password))
    service = PodmanService(insecure_registries=(registry.address,)).start()
    try:
        app = podman_app(service.url)
        async with dashboard_up(app, size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.backend is not None, what="connected")
            await pilot.press("2")
            app.actions.images.open_pull(name, start=True)
            await wait_until(pilot, lambda: not isinstance(app.screen, PullDialog), timeout=60, what="the pull")
            images = app.dashboard.images
            await wait_until(pilot, lambda: any(tag.reference == name for tag in images.items.values()),
                             timeout=20, what="the pulled image's row")
    finally:
        service.stop()


async def test_a_pod_shows_in_its_own_column_and_groups_its_containers(podman_engine, podman_client):
    pod = f"dtui-pod-{uuid.uuid4().hex[:8]}"
    podman_engine.podman("pod", "create", "--name", pod, "--infra=false", "--label", "dockertui.test=podman")
    try:
        members = [
            podman_engine.podman("run", "-d", "--pod", pod, "--label", "dockertui.test=podman",
                                 "--name", f"{pod}-{part}", FIXTURE_IMAGE, "sleep", "300").stdout.decode().strip()
            for part in ("web", "worker")
        ]
        loner = make(podman_client)
        app = podman_app(podman_engine.url)
        async with dashboard_up(app, size=SIZE) as pilot:
            table = await select(pilot, loner.id)
            await wait_until(pilot, lambda: all(m in table.rows for m in members), what="the pod's containers")
            assert "pod" in table.columns
            assert [table.get_cell(m, "pod").plain for m in members] == [pod, pod]
            assert table.get_cell(loner.id, "pod").plain == ""

            await pilot.press("v")
            await wait_until(pilot, lambda: "project" in table.columns, what="grouped")
            assert {table.get_cell(m, "project").plain for m in members} == {f"{pod} (pod)"}
            order = table.rows_in_order()
            assert abs(order.index(members[0]) - order.index(members[1])) == 1, "a pod's containers sit together"
    finally:
        podman_engine.podman("pod", "rm", "--force", pod)


async def test_build_an_image_with_podman(podman_engine, podman_client, tmp_path):
    """The build dialog against Podman (buildah behind its Docker API): output streamed, the image tagged and listed."""
    from textual.widgets import Input

    from dockertui.screens.build_dialog import BuildDialog

    (tmp_path / "Dockerfile").write_text(f"FROM {FIXTURE_IMAGE}\nLABEL dockertui.test=podman\nRUN echo built-by-podman\n")
    tag = f"dtui-pm-built-{uuid.uuid4().hex[:8]}:1"
    app = podman_app(podman_engine.url)
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.backend is not None, what="connected")
            await pilot.press("2")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BuildDialog) and app.screen.query("#path"),
                             what="the build dialog")
            dialog = app.screen
            dialog.query_one("#path", Input).value = str(tmp_path)
            dialog.query_one("#tag", Input).value = tag
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Built " in str(dialog.query_one("#build-status").render()), timeout=90,
                             what=lambda: ("the build", str(dialog.query_one("#build-status").render())))
            assert any("built-by-podman" in line for line in dialog.texts)
            images = app.dashboard.images
            await wait_until(pilot, lambda: any(t.reference.endswith(tag) for t in images.items.values()),
                             timeout=20, what="the built image's row")
    finally:
        for image in podman_client.images.list(filters={"label": "dockertui.test=podman"}):
            podman_client.images.remove(image.id, force=True)


async def test_the_swarm_screen_says_podman_has_no_swarm_mode(podman_engine):
    app = podman_app(podman_engine.url)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.backend is not None and app.engine_product == "Podman", what="connected")
        await pilot.press("W")
        screen = await swarm_shown(pilot)
        await wait_until(pilot, lambda: screen.query_one("#swarm-inactive").display
                         and "Podman has no Swarm mode" in str(screen.query_one("#swarm-inactive").render()),
                         what=lambda: str(screen.query_one("#swarm-inactive").render()))
