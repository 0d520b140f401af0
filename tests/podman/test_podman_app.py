"""The app against a real Podman service (issue 17): it is named as Podman, its lists are live,
and the everyday container actions work through its Docker-compatible API."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from dockertui.app import DockerTUI
from dockertui.arguments import build_parser
from dockertui.backend import DockerBackend, EngineTarget
from dockertui.screens.engine_info import EngineInfoScreen
from tests.support.engine import FIXTURE_IMAGE
from tests.support.pilot import dashboard_up, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)
LABEL = {"dockertui.test": "podman"}


def make(client, start: bool = True):
    container = client.containers.create(FIXTURE_IMAGE, ["sleep", "300"], name=f"dtui-pm-{uuid.uuid4().hex[:8]}",
                                         labels=LABEL)
    if start:
        container.start()
    return container


def test_the_backend_names_podman_and_lists_its_containers(podman_engine, podman_client):
    container = make(podman_client)
    backend = DockerBackend.connect(EngineTarget(url=podman_engine.url, source="tests"))
    try:
        snapshot = backend.snapshot()
        details = backend.engine_details()
    finally:
        backend.close()
    version = podman_client.version()
    podman = next(c for c in version["Components"] if c["Name"] == "Podman Engine")["Version"]
    assert (snapshot.engine.product, snapshot.engine.version) == ("Podman", podman)
    assert details.engine_version == f"Podman {podman}"
    assert {c.id: c.state for c in snapshot.containers if c.id == container.id} == {container.id: "running"}


async def test_the_app_follows_podman_and_acts_on_it(podman_engine, podman_client):
    app = DockerTUI(EngineTarget(url=podman_engine.url, source="tests"), show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.backend is not None and "Podman" in app.sub_title, what="Podman named")
        table = app.dashboard.containers
        container = make(podman_client)  # after the start: it comes by the event stream
        await wait_until(pilot, lambda: container.id in table.items and table.items[container.id].state == "running",
                         what="the new container's row, running")

        table.focus()
        table.move_cursor(row=table.get_row_index(container.id))
        await pilot.press("s")
        await wait_until(pilot, lambda: table.items[container.id].state == "exited", timeout=30, what="stopped")
        await pilot.press("u")
        await wait_until(pilot, lambda: table.items[container.id].state == "running", timeout=30, what="started")

        await pilot.press("I")
        await wait_until(pilot, lambda: isinstance(app.screen, EngineInfoScreen) and app.screen.query("#engine-info-body")
                         and "Podman" in str(app.screen.query_one("#engine-info-body").render()),
                         what="engine info naming Podman")


async def test_logs_inspect_and_events_from_podman(podman_engine, podman_client):
    from dockertui.screens.inspect import InspectScreen
    from dockertui.widgets.event_table import EventTable

    app = DockerTUI(EngineTarget(url=podman_engine.url, source="tests"), show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.backend is not None, what="connected")
        container = podman_client.containers.create(
            FIXTURE_IMAGE, ["sh", "-c", "echo hello-from-podman; sleep 300"], name=f"dtui-pm-{uuid.uuid4().hex[:8]}",
            labels=LABEL)
        container.start()
        table = app.dashboard.containers
        await wait_until(pilot, lambda: container.id in table.items, what="the row")
        table.focus()
        table.move_cursor(row=table.get_row_index(container.id))

        await pilot.press("L")
        logs = app.dashboard.logs
        await wait_until(pilot, lambda: any(line.text == "hello-from-podman" for line in logs.view.lines()),
                         what="its output in the Logs tab")

        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectScreen)
                         and app.screen.document.get("Id") == container.id, what="inspect")
        await pilot.press("escape")

        events = app.dashboard.query_one(EventTable)
        await wait_until(pilot, lambda: any(e.actor_id == container.id and e.action == "start" for e in events.events),
                         what="its start event")
        version = podman_client.version()["Version"]
        status = app.dashboard.query_one("#events-status")
        assert f"Podman {version}" in str(status.render()), "the Events pane names whose events they are"


@pytest.mark.parametrize("how", ["p", "--start-podman"])
async def test_with_no_engine_the_connection_screen_starts_podman_and_stops_it_on_quit(tmp_path, monkeypatch, how):
    """p on the connection screen (or --start-podman, unasked): Podman's service where discovery
    looks, found, and gone on quit.

    Its storage, run state and networks go to the test's folder (CONTAINERS_* files), not the machine's.
    """
    import shutil

    from dockertui.screens.connection import ConnectionScreen

    if shutil.which("podman") is None or os.geteuid() != 0:
        pytest.skip("needs root and podman")
    state = tmp_path / "podman"
    (state / "networks").mkdir(parents=True)
    (tmp_path / "storage.conf").write_text(
        f'[storage]\ndriver = "overlay"\ngraphroot = "{state}/root"\nrunroot = "{state}/run"\n')
    (tmp_path / "containers.conf").write_text(
        f'[containers]\ndefault_ulimits = []\n[engine]\ntmp_dir = "{state}/tmp"\n'
        f'[network]\nnetwork_config_dir = "{state}/networks"\n')
    monkeypatch.setenv("CONTAINERS_STORAGE_CONF", str(tmp_path / "storage.conf"))
    monkeypatch.setenv("CONTAINERS_CONF", str(tmp_path / "containers.conf"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    socket_path = tmp_path / "run" / "podman" / "podman.sock"

    app = DockerTUI(EngineTarget(url=f"unix://{tmp_path}/none.sock", source="default"))
    app.start_podman_unasked = how == "--start-podman"
    assert build_parser().parse_args(["--start-podman"]).start_podman
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConnectionScreen), what="the connection screen")
        if how == "p":
            await pilot.press("p")
        await wait_until(pilot, lambda: "Podman" in app.sub_title and str(socket_path) in app.sub_title,
                         timeout=30, what="connected to the Podman started")
        service = app.started_podman
        process = service._process
    assert process.poll() is not None, "the service is stopped when the app quits"
    subprocess.run(["podman", "system", "reset", "--force"], env=os.environ, capture_output=True, timeout=60)
    # The overlay driver mounts its folder on itself; reset leaves that mount behind.
    if os.path.ismount(state / "root" / "overlay"):
        subprocess.run(["umount", str(state / "root" / "overlay")], capture_output=True, timeout=60)
