"""Make the screenshots in screenshots/ from the real app against a real engine.

Usage (from the repo root, with an engine reachable via DOCKER_HOST or the
default socket):  python scripts/screenshots.py

It creates a few demo containers labelled ``dockertui.demo=<run id>``, drives
the app with Textual's Pilot, saves one SVG per view, and removes exactly the
containers it created (by that label), even on failure.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import docker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockertui.app import DockerTUI  # noqa: E402
from dockertui.backend import EngineTarget  # noqa: E402
from tests.support.engine import FIXTURE_IMAGE, ensure_fixture_image, reachable_engine_url  # noqa: E402

OUT = ROOT / "screenshots"
SIZE = (120, 36)
LABEL = "dockertui.demo"

DEMO_APP = (
    "i=0; while true; do i=$((i+1)); "
    "echo \"$(date -u +%H:%M:%S) GET /api/items/$i 200 $((i % 7 + 3))ms\"; "
    "[ $((i % 5)) -eq 0 ] && echo \"WARN slow query on /api/items/$i\" >&2; "
    "sleep 0.3; done"
)


def make_demo(client: docker.DockerClient, run_id: str) -> list:
    labels = {LABEL: run_id, "com.example.team": "platform"}
    specs = [
        ("demo-web", ["sh", "-c", DEMO_APP], {"80/tcp": 28080, "443/tcp": ("127.0.0.1", 28443)}),
        ("demo-worker", ["sh", "-c", "while true; do echo working; sleep 2; done"], {}),
        ("demo-cache", ["sleep", "3600"], {"6379/tcp": None}),
    ]
    made = []
    for name, command, ports in specs:
        made.append(
            client.containers.run(
                FIXTURE_IMAGE, command, name=f"{name}-{run_id[:4]}", labels=labels, ports=ports or None, detach=True
            )
        )
    made.append(client.containers.create(FIXTURE_IMAGE, ["true"], name=f"demo-job-{run_id[:4]}", labels=labels))
    client.volumes.create(f"demo-data-{run_id[:4]}", labels=labels)
    client.networks.create(f"demo-net-{run_id[:4]}", labels=labels)
    return made


# (keys to press, seconds to let the view settle, screenshot name or "" for none)
VIEWS = [
    (("c",), 2.5, "containers"),
    (("L",), 2.5, "logs"),
    (("right_square_bracket",), 4.0, "stats"),
    (("right_square_bracket",), 2.5, "top"),
    (("right_square_bracket",), 2.0, "files"),
    (("2",), 2.0, "images"),
    (("3",), 0.5, "volumes"),
    (("4",), 0.5, "networks"),
    (("5",), 0.5, "ports"),
    (("6",), 0.5, "events"),
    (("1", "Z"), 3.0, "cleanup"),
    (("escape", "n"), 0.5, "run-dialog"),
    (("escape", "i"), 1.0, "inspect"),
    (("escape", "question_mark"), 0.5, "help"),
    # The palette finds commands by the docker CLI's words; the : line takes CLI commands.
    (("escape", "ctrl+p", "r", "m"), 1.0, "palette"),
    (("escape", "escape", "colon", *"logs -f --since 10m demo-w"), 0.8, "command-line"),
]


# The Swarm views, shot against a private engine that runs its own one-node swarm.
SWARM_VIEWS = [
    ((), 3.0, "swarm-services"),
    (("L",), 4.0, "swarm-logs"),
    (("2", "t"), 1.0, "swarm-nodes"),
]


def make_swarm_demo(client: docker.DockerClient) -> None:
    """Two services on a fresh swarm: a replicated web tier and a global agent."""
    client.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
    client.services.create(
        FIXTURE_IMAGE, ["sh", "-c", DEMO_APP], name="demo-api", labels={LABEL: "swarm"},
        mode=docker.types.ServiceMode("replicated", 3),
        endpoint_spec=docker.types.EndpointSpec(ports={8080: 80}),
    )
    client.services.create(
        FIXTURE_IMAGE, ["sh", "-c", "while true; do echo collecting metrics; sleep 2; done"],
        name="demo-agent", labels={LABEL: "swarm"}, mode=docker.types.ServiceMode("global"),
    )


async def shoot_swarm(url: str, client: docker.DockerClient) -> None:
    app = DockerTUI(EngineTarget(url=url, source="screenshots"))
    async with app.run_test(size=SIZE) as pilot:
        while app.swarm is None or any(s.replicas_running < s.replicas_desired for s in app.swarm.services):
            await pilot.pause(0.2)
        await pilot.press("W")
        await pilot.pause(0.5)
        screen = app.swarm_screen
        api = next(key for key, item in screen.services.items.items() if item.name == "demo-api")
        screen.services.move_cursor(row=screen.services.get_row_index(api))
        for keys, settle, name in SWARM_VIEWS:
            await pilot.press(*keys)
            await pilot.pause(settle)
            app.save_screenshot(f"{name}.svg", str(OUT))


def swarm_screenshots() -> None:
    """Swarm mode changes an engine for good, so it runs on a throwaway engine of its own."""
    from tests.support.engine import PrivateEngine

    if not (shutil.which("dockerd") and shutil.which("unshare")):
        print("no dockerd/unshare here: Swarm screenshots skipped")
        return
    engine = PrivateEngine(isolated_network=True)
    engine.start()
    try:
        client = docker.DockerClient(base_url=engine.url)
        ensure_fixture_image(client)
        make_swarm_demo(client)
        asyncio.run(shoot_swarm(engine.url, client))
        client.swarm.leave(force=True)
        client.close()
    finally:
        engine.stop()
        shutil.rmtree(engine.base_dir, ignore_errors=True)


async def shoot_fleet(url: str, others: list, run_id: str) -> None:
    """Three engines in one view; then one of them going away."""
    from dockertui.fleet import FleetEntry

    fleet = [FleetEntry("web1", EngineTarget(url=url, source="screenshots"))]
    fleet += [FleetEntry(name, EngineTarget(url=engine.url, source="screenshots")) for name, engine in others]
    app = DockerTUI(fleet[0].target, show_all=True, fleet=fleet)
    async with app.run_test(size=SIZE) as pilot:
        while not all(member.state == "connected" for member in app.fleet.members):
            await pilot.pause(0.1)
        await pilot.pause(1.5)
        app.save_screenshot("fleet.svg", str(OUT))
        await asyncio.to_thread(others[-1][1].stop)
        while app.fleet.members[-1].state == "connected":
            await pilot.pause(0.1)
        await pilot.pause(0.5)
        app.save_screenshot("fleet-engine-away.svg", str(OUT))


def fleet_screenshots(url: str, run_id: str) -> None:
    """Two throwaway engines beside the demo's: a fleet of three."""
    from tests.support.engine import PrivateEngine

    if not (shutil.which("dockerd") and shutil.which("unshare")):
        print("no dockerd/unshare here: fleet screenshots skipped")
        return
    others = [("web2", PrivateEngine(isolated_network=True)), ("db", PrivateEngine(isolated_network=True))]
    try:
        for name, engine in others:
            engine.start()
            client = docker.DockerClient(base_url=engine.url)
            ensure_fixture_image(client)
            workloads = {"web2": ["demo-web", "demo-worker"], "db": ["demo-postgres", "demo-backup"]}[name]
            for workload in workloads:
                client.containers.run(FIXTURE_IMAGE, ["sh", "-c", DEMO_APP], name=f"{workload}-{run_id[:4]}",
                                      labels={LABEL: run_id}, network_mode="none", detach=True)
            client.close()
        asyncio.run(shoot_fleet(url, others, run_id))
    finally:
        for _, engine in others:
            engine.stop()
            shutil.rmtree(engine.base_dir, ignore_errors=True)


def make_events(client: docker.DockerClient, run_id: str) -> None:
    """Some life for the Events pane, which shows what happens while the app runs."""
    label_filter = {"label": f"{LABEL}={run_id}"}
    for container in client.containers.list(all=True, filters=label_filter):
        if container.name.startswith("demo-job"):
            container.start()  # runs `true`: start, then die
        elif container.name.startswith("demo-cache"):
            container.restart(timeout=1)


async def shoot(url: str, client: docker.DockerClient, run_id: str) -> None:
    app = DockerTUI(EngineTarget(url=url, source="screenshots"), show_all=True, scope_labels={LABEL: run_id})
    async with app.run_test(size=SIZE) as pilot:
        while "Docker" not in app.sub_title:
            await pilot.pause(0.1)
        await asyncio.to_thread(make_events, client, run_id)
        await pilot.pause(1.0)
        table = app.dashboard.containers
        web = next(key for key, item in table.items.items() if item.name.startswith("demo-web"))
        table.move_cursor(row=table.get_row_index(web))
        for keys, settle, name in VIEWS:
            await pilot.press(*keys)
            if name == "images":
                # The test image, whose layers show; not whatever image sorts first.
                images = app.dashboard.images
                tagged = next((key for key, item in images.items.items() if item.reference == FIXTURE_IMAGE), None)
                if tagged is not None:
                    images.move_cursor(row=images.get_row_index(tagged))
            await pilot.pause(settle)
            if name:
                app.save_screenshot(f"{name}.svg", str(OUT))
        await shoot_combined_logs(app, pilot)


async def shoot_combined_logs(app: DockerTUI, pilot) -> None:
    """Two containers marked, their logs merged, over the whole screen (F)."""
    await pilot.press("escape")
    await pilot.press("1")
    table = app.dashboard.containers
    for prefix in ("demo-web", "demo-worker"):
        key = next(key for key, item in table.items.items() if item.name.startswith(prefix))
        table.move_cursor(row=table.get_row_index(key))
        await pilot.press("space")
    await pilot.press("L", "F")
    await pilot.pause(3.0)
    app.save_screenshot("combined-logs.svg", str(OUT))


def to_png() -> None:
    """PNG copies where a converter is installed (rsvg-convert, from librsvg2-bin)."""
    converter = shutil.which("rsvg-convert")
    if converter is None:
        print("rsvg-convert not found: SVG only")
        return
    for svg in OUT.glob("*.svg"):
        # Textual writes spaces as no-break spaces. Without the SVG's web font,
        # rsvg draws those from a proportional font, narrower than a cell, and
        # every styled cell after one slides left; plain spaces kept as they
        # are (xml:space) stay a cell wide.
        text = svg.read_text(encoding="utf-8").replace("&#160;", " ").replace("<svg ", '<svg xml:space="preserve" ', 1)
        subprocess.run([converter, "-o", str(svg.with_suffix(".png"))], input=text.encode(), check=True)


def main() -> int:
    url = reachable_engine_url()
    if url is None:
        print("no Docker engine reachable (DOCKER_HOST or the default socket)", file=sys.stderr)
        return 1
    client = docker.DockerClient(base_url=url)
    ensure_fixture_image(client)
    run_id = uuid.uuid4().hex
    OUT.mkdir(exist_ok=True)
    try:
        make_demo(client, run_id)
        asyncio.run(shoot(url, client, run_id))
        swarm_screenshots()
        fleet_screenshots(url, run_id)
        to_png()
    finally:
        label_filter = {"label": f"{LABEL}={run_id}"}
        for container in client.containers.list(all=True, filters=label_filter):
            container.remove(force=True)
        for volume in client.volumes.list(filters=label_filter):
            volume.remove(force=True)
        for network in client.networks.list(filters=label_filter):
            network.remove()
    print(f"wrote {len(list(OUT.glob('*.svg')))} screenshots to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
