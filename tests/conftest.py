"""Shared fixtures for the integration tests, which use a real Docker engine.

Everything a test creates carries this session's label
``dockertui.test=<uuid4 hex>`` and is removed by that label only, even when the
test fails, so a user's own containers on the same engine are never touched.
``scripts/test`` starts an engine when none is reachable; run alone, pytest
skips the integration tests instead, unless ``DOCKERTUI_TEST_REQUIRE_ENGINE=1``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import docker
import pytest
from docker.models.containers import Container

from tests.support.cleanup import (
    TEST_LABEL_KEY,
    remove_labelled_containers,
    remove_labelled_resources,
)
from tests.support.engine import FIXTURE_IMAGE, ensure_fixture_image, reachable_engine_url

pytest_plugins = ["tests.registry_fixtures", "tests.ssh_fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "integration: needs a real Docker engine")
    config.addinivalue_line("markers", "slow: starts extra daemons or takes several seconds")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Whatever talks to the engine is an integration test, marked or not,
    # so `-m "not integration"` leaves out exactly those.
    for item in items:
        if "docker_client" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session", autouse=True)
def own_state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The app's state (the : line's history) goes to a folder of the session's own, never the user's.

    Set in the environment, so the apps tests start in a terminal (PtyApp) inherit it.
    """
    before = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("xdg-state"))
    yield
    if before is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = before


@pytest.fixture(scope="session")
def test_run_label() -> dict[str, str]:
    """The label every resource made by this pytest session carries."""
    return {TEST_LABEL_KEY: uuid.uuid4().hex}


@pytest.fixture(scope="session")
def docker_client(test_run_label: dict[str, str]) -> Iterator[docker.DockerClient]:
    """A client for the engine at DOCKER_HOST (else the default socket).

    Skips the test when no engine answers, or fails it when
    ``DOCKERTUI_TEST_REQUIRE_ENGINE=1``, as ``scripts/test`` sets. At the end
    of the session it removes whatever still carries this session's label.
    """
    url = reachable_engine_url()
    if url is None:
        reason = (
            f"no Docker engine answers (DOCKER_HOST={os.environ.get('DOCKER_HOST', '')!r}, "
            "unix:///var/run/docker.sock); run scripts/test, which starts one"
        )
        if os.environ.get("DOCKERTUI_TEST_REQUIRE_ENGINE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    client = docker.from_env(environment={**os.environ, "DOCKER_HOST": url})
    yield client
    try:
        remove_labelled_resources(client, test_run_label)
    finally:
        client.close()


@pytest.fixture(scope="session")
def fixture_image(docker_client: docker.DockerClient) -> str:
    """The tag of the busybox test image, built on first use."""
    ensure_fixture_image(docker_client)
    return FIXTURE_IMAGE


@pytest.fixture
def unique_name() -> Callable[[str], str]:
    """A factory: ``unique_name("web")`` gives ``"dtui-test-web-<8 hex>"``."""

    def make(stem: str) -> str:
        return f"dtui-test-{stem}-{uuid.uuid4().hex[:8]}"

    return make


@pytest.fixture
def make_container(
    docker_client: docker.DockerClient,
    fixture_image: str,
    test_run_label: dict[str, str],
    unique_name: Callable[[str], str],
) -> Iterator[Callable[..., Container]]:
    """A factory for labelled containers from the fixture image.

    ``make_container(command=("sleep", "300"), name=None, start=True, **kwargs)``
    passes ``kwargs`` to ``containers.create``, merges the run label into
    ``labels`` and returns the Container (reloaded after starting). Afterwards
    every container with this session's label is force-removed, with volumes.
    """

    def make(
        command: str | list[str] | tuple[str, ...] = ("sleep", "300"),
        name: str | None = None,
        start: bool = True,
        **kwargs,
    ) -> Container:
        labels = {**(kwargs.pop("labels", None) or {}), **test_run_label}
        container = docker_client.containers.create(
            fixture_image,
            command=list(command) if isinstance(command, tuple) else command,
            name=name or unique_name("ctr"),
            labels=labels,
            **kwargs,
        )
        if start:
            container.start()
            container.reload()
        return container

    yield make
    remove_labelled_containers(docker_client, test_run_label)


@pytest.fixture(scope="session")
def engine_target(docker_client: docker.DockerClient):
    """The app's view of the test engine: an EngineTarget for its URL."""
    from dockertui.backend import EngineTarget

    return EngineTarget(url=reachable_engine_url(), source="tests")


@pytest.fixture(scope="session")
def podman_engine(docker_client, fixture_image, tmp_path_factory):
    """A Podman service of the session's own, with the fixture image (tests/support/podman.py)."""
    import shutil

    from tests.support.podman import PodmanService

    if shutil.which("podman") is None or os.geteuid() != 0:
        pytest.skip("needs root and podman (scripts/test installs it with apt)")
    service = PodmanService().start()
    try:
        tar = tmp_path_factory.mktemp("podman-image") / "busybox.tar"
        with open(tar, "wb") as file:
            for chunk in docker_client.images.get(fixture_image).save(named=True):
                file.write(chunk)
        service.load(tar)
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="module")
def private_engine():
    """A second, throwaway engine that a test may stop and start at will.

    It runs in its own network namespace beside the main test engine, so
    stopping it disturbs nothing else. Skips where dockerd cannot be run.
    """
    import shutil

    from tests.support.engine import PrivateEngine

    if os.geteuid() != 0 or shutil.which("dockerd") is None or shutil.which("unshare") is None:
        pytest.skip("needs root, dockerd and unshare to run a private engine")
    engine = PrivateEngine(isolated_network=True)
    engine.start()
    try:
        client = docker.DockerClient(base_url=engine.url)
        ensure_fixture_image(client)
        client.close()
        yield engine
    finally:
        engine.stop()
        shutil.rmtree(engine.base_dir, ignore_errors=True)
