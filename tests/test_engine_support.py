"""The test infrastructure itself: labelled containers, cleanup, private engines."""

from __future__ import annotations

import os
import shutil

import docker
import pytest

from tests.support.cleanup import TEST_LABEL_KEY, label_filter, remove_labelled_containers
from tests.support.engine import PrivateEngine, ping


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
