"""Record the engine the snapshot tests show: python -m tests.snapshot.record

Against a private engine (tests.support.engine up), it makes a few labelled
demo objects, saves what the engine answers about them in
tests/snapshot/recording.json, and removes them again. Run it only when the
snapshot data should change; then update the snapshots
(scripts/test tests/snapshot --snapshot-update) and look at every one.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import docker

from tests.support.engine import FIXTURE_IMAGE, ensure_fixture_image, reachable_engine_url

OUT = Path(__file__).with_name("recording.json")
LABEL = "dockertui.snapshot"
WEB = "i=0; while true; do i=$((i+1)); echo \"GET /api/items/$i 200\"; sleep 1; done"


def make_demo(client: docker.DockerClient, run: str) -> None:
    labels = {LABEL: run, "com.example.team": "platform"}
    compose = {**labels, "com.docker.compose.project": "shop", "com.docker.compose.service": "api",
               "com.docker.compose.container-number": "1", "com.docker.compose.oneoff": "False"}
    client.containers.run(FIXTURE_IMAGE, ["sh", "-c", WEB], name="web", labels=labels,
                          ports={"80/tcp": 8080, "443/tcp": ("127.0.0.1", 8443)}, detach=True)
    client.containers.run(FIXTURE_IMAGE, ["sleep", "86400"], name="shop-api-1", labels=compose, detach=True)
    client.containers.run(FIXTURE_IMAGE, ["sleep", "86400"], name="cache", labels=labels,
                          ports={"6379/tcp": None}, detach=True)
    job = client.containers.run(FIXTURE_IMAGE, ["sh", "-c", "echo done; exit 3"], name="nightly-job",
                                labels=labels, detach=True)
    job.wait()
    client.containers.create(FIXTURE_IMAGE, ["true"], name="scratch",
                             labels={**labels, "note": "[red]not markup[/red] [$accent]"})
    client.volumes.create("shop-data", labels=labels)
    client.networks.create("shop-net", labels=labels)


def record(client: docker.DockerClient, run: str) -> dict:
    api = client.api
    ours = {"label": f"{LABEL}={run}"}
    containers = api.containers(all=True, filters=ours)
    images = api.images()
    return {
        "recorded_at": datetime.now(timezone.utc).isoformat(),
        "version": api.version(),
        "info": api.info(),
        "containers": containers,
        "images": images,
        "images_all": api.images(all=True),
        "volumes": api.volumes(filters=ours)["Volumes"],
        "networks": [n for n in api.networks() if n["Name"] in ("bridge", "host", "none", "shop-net")],
        "df": api.df(),
        "inspect_containers": {c["Id"]: api.inspect_container(c["Id"]) for c in containers},
        "inspect_images": {i["Id"]: api.inspect_image(i["Id"]) for i in images},
        "history": {i["Id"]: api.history(i["Id"]) for i in images},
    }


def main() -> None:
    client = docker.DockerClient(base_url=reachable_engine_url())
    ensure_fixture_image(client)
    run = uuid.uuid4().hex[:8]
    try:
        make_demo(client, run)
        time.sleep(2)  # a recording, not a test: "Up 2 seconds" reads better than "Less than a second"
        OUT.write_text(json.dumps(record(client, run), indent=1, sort_keys=True) + "\n")
    finally:
        for container in client.containers.list(all=True, filters={"label": f"{LABEL}={run}"}):
            container.remove(force=True, v=True)
        client.volumes.prune(filters={"label": f"{LABEL}={run}"})
        client.networks.prune(filters={"label": f"{LABEL}={run}"})
    print(f"recorded {OUT}")


if __name__ == "__main__":
    main()
