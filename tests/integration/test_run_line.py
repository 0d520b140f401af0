"""The ``docker run`` line read back from inspect makes the same container again (docker CLI, real engine)."""

from __future__ import annotations

import os
import shutil
import subprocess

import docker.types
import pytest

from dockertui.backend.run_line import run_line
from tests.support.engine import reachable_engine_url

pytestmark = pytest.mark.integration


def shape(document: dict) -> dict:
    """The fields the run line must carry over, as inspect shows them."""
    config, host = document["Config"], document["HostConfig"]
    return {
        "image": config["Image"],
        # --entrypoint takes one word: a longer entrypoint comes back split
        # differently between the two fields, with the same process.
        "process": [*(config["Entrypoint"] or []), *(config["Cmd"] or [])],
        "env": sorted(config["Env"] or []),
        "labels": config["Labels"],
        "user": config["User"],
        "workdir": config["WorkingDir"],
        "hostname": "" if config["Hostname"] == document["Id"][:12] else config["Hostname"],
        "tty": config["Tty"],
        "stdin": config["OpenStdin"],
        "ports": host["PortBindings"] or {},  # the SDK sends null where the CLI sends {}
        "publish_all": host["PublishAllPorts"],
        "binds": sorted(host["Binds"] or []),
        "mounts": [(m["Type"], m.get("Source", ""), m["Target"], bool(m.get("ReadOnly"))) for m in host.get("Mounts") or []],
        "restart": (host["RestartPolicy"]["Name"] or "no", host["RestartPolicy"]["MaximumRetryCount"]),
        "network": host["NetworkMode"],
        "auto_remove": host["AutoRemove"],
    }


@pytest.fixture
def clone(docker_client, unique_name):
    """Make a container again from its run line, with the docker CLI; returns the clone's inspect."""
    cli = shutil.which("docker")
    assert cli, "the docker CLI (docker.io) is needed: scripts/test installs it"
    env = {**os.environ, "DOCKER_HOST": reachable_engine_url() or ""}

    def make(container) -> tuple[list[str], dict]:
        document = docker_client.api.inspect_container(container.id)
        line = run_line(document, docker_client.api.inspect_image(document["Image"]))
        assert line[:3] == ["docker", "run", "-d"]
        args = line[3:]
        args[args.index("--name") + 1] = unique_name("clone")
        # create, not run: the same flags make the same config, and nothing needs to start.
        result = subprocess.run([cli, "create", *args], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (line, result.stderr)
        return line, docker_client.api.inspect_container(result.stdout.strip())

    return make


def test_varied_containers_come_back_the_same(make_container, docker_client, clone, test_run_label, unique_name, tmp_path):
    volume = docker_client.volumes.create(unique_name("vol"), labels=test_run_label)
    network = docker_client.networks.create(unique_name("net"), labels=test_run_label)
    cases = {
        "plain": dict(command=["sleep", "300"]),
        "env, user, workdir, hostname, labels": dict(
            environment={"A": "1", "SPACED": "two words", "QUOTE": "it's \"x\""},
            user="nobody", working_dir="/tmp", hostname="box1", labels={"tier": "web", "empty": ""},
        ),
        "ports and restart": dict(
            ports={"80/tcp": 8080, "53/udp": ("127.0.0.1", 5353), "81/tcp": None},
            restart_policy={"Name": "on-failure", "MaximumRetryCount": 3},
        ),
        "binds, volume, entrypoint, -it, --rm": dict(
            volumes={str(tmp_path): {"bind": "/data", "mode": "ro"}, volume.name: {"bind": "/v", "mode": "rw"}},
            entrypoint=["sh", "-c"], command=["sleep 300"], tty=True, stdin_open=True, auto_remove=True,
        ),
        "network, -P, --mount, empty entrypoint": dict(
            network=network.name, publish_all_ports=True, entrypoint="", command=["sleep", "300"],
            mounts=[docker.types.Mount("/m", volume.name, type="volume", read_only=True)],
        ),
    }
    for case, options in cases.items():
        original = make_container(start=False, **options)
        line, copy = clone(original)
        assert shape(copy) == shape(docker_client.api.inspect_container(original.id)), (case, line)
