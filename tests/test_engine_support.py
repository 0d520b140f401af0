"""The test infrastructure itself: labelled containers, cleanup, private engines."""

from __future__ import annotations

import os
import shutil

import docker
import pytest

from tests.support.cleanup import TEST_LABEL_KEY, label_filter, remove_labelled_containers
from tests.support.engine import PrivateEngine, ensure_fixture_image, ping
from tests.support.mounts import mounts_under


def test_make_container_is_labelled_and_running(docker_client, make_container, test_run_label):
    container = make_container()

    assert container.status == "running"
    assert container.labels[TEST_LABEL_KEY] == test_run_label[TEST_LABEL_KEY]
    assert container.name.startswith("dtui-test-ctr-")


def test_cleanup_removes_only_this_sessions_containers(
    docker_client, make_container, fixture_image, unique_name, test_run_label
):
    ours = make_container(labels={"role": "ours"})
    # Another session's container: the cleanup must leave it alone.
    other_label = {TEST_LABEL_KEY: "other-session"}
    theirs = docker_client.containers.create(
        fixture_image, command=["sleep", "300"], name=unique_name("other"), labels=other_label
    )
    try:
        assert ours.labels["role"] == "ours"

        assert remove_labelled_containers(docker_client, test_run_label) == 1

        with pytest.raises(docker.errors.NotFound):
            docker_client.containers.get(ours.id)
        assert docker_client.containers.list(all=True, filters=label_filter(test_run_label)) == []
        theirs.reload()
    finally:
        theirs.remove(force=True)


def test_label_filter_refuses_an_empty_value():
    with pytest.raises(ValueError):
        label_filter({TEST_LABEL_KEY: ""})


def test_fixture_image_runs_echo(docker_client, fixture_image, test_run_label):
    output = docker_client.containers.run(
        fixture_image, ["echo", "hi"], labels=test_run_label, remove=True
    )

    assert output == b"hi\n"


@pytest.mark.slow
@pytest.mark.integration
def test_private_engine_starts_restarts_and_stops():
    if os.geteuid() != 0:
        pytest.skip("starting dockerd needs root")
    if shutil.which("dockerd") is None:
        pytest.skip("dockerd is not installed (scripts/test installs docker.io)")
    had_docker0 = os.path.exists("/sys/class/net/docker0")
    engine = PrivateEngine(isolated_network=True)
    try:
        engine.start()
        assert ping(engine.url)
        first_pid = engine.pid

        engine.restart()

        assert ping(engine.url)
        assert engine.pid != first_pid
    finally:
        engine.stop()
        shutil.rmtree(engine.base_dir)
    assert not engine.is_running
    assert not ping(engine.url)
    # With --bridge=none, dockerd deletes docker0 unless kept in its own netns.
    assert os.path.exists("/sys/class/net/docker0") == had_docker0


@pytest.mark.slow
@pytest.mark.integration
def test_a_killed_private_engine_leaves_no_mounts(test_run_label):
    """A dockerd killed with a container running leaves mounts under its directory (its data
    root's, at least; overlays too, when it had many running); stop() undoes them. Left, they
    slowed every mount on the machine: with 2,500, `docker rm` took fifty times as long."""
    if os.geteuid() != 0:
        pytest.skip("starting dockerd needs root")
    if shutil.which("dockerd") is None:
        pytest.skip("dockerd is not installed (scripts/test installs docker.io)")
    engine = PrivateEngine(isolated_network=True)
    try:
        engine.start()
        client = docker.DockerClient(base_url=engine.url)
        try:
            image = ensure_fixture_image(client)
            client.containers.run(image, ["sleep", "300"], detach=True, network_mode="none", labels=test_run_label)
        finally:
            client.close()
        assert len(mounts_under(engine.base_dir)) >= 2  # the data root and the container's root filesystem

        engine.stop(timeout=0)  # killed at once, its container still running

        assert mounts_under(engine.base_dir) == []
    finally:
        engine.stop()
        shutil.rmtree(engine.base_dir)


def test_mounts_under_reads_escaped_points_deepest_first(tmp_path):
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "25 1 254:0 / / rw - ext4 /dev/vda rw\n"
        "306 25 254:0 /tmp/e/data /tmp/e/data rw - ext4 /dev/vda rw\n"
        "307 306 0:41 / /tmp/e/data/overlay2/a\\040b/merged rw - overlay overlay rw\n"
        "308 25 0:42 / /tmp/e2/data rw - ext4 /dev/vda rw\n"
    )

    assert mounts_under("/tmp/e", mountinfo=str(mountinfo)) == ["/tmp/e/data/overlay2/a b/merged", "/tmp/e/data"]
