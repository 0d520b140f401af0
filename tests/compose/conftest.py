"""Compose fixtures: containers labelled as Compose labels them, and a real Compose project.

Everything carries the session's test label: the SDK-made containers through
``make_container``, and the CLI-made ones through ``labels:`` on every service
and on the project's default network. Teardown removes by that label only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest
from docker.models.containers import Container

from dockertui.backend.compose import (
    CONFIG_FILES,
    NUMBER,
    ONEOFF,
    PROJECT,
    SERVICE,
    WORKING_DIR,
    ComposeProject,
)
from tests.support.cleanup import label_filter, remove_labelled_containers


def project_name(stem: str) -> str:
    """A unique, valid Compose project name (lower case, digits, dashes)."""
    return f"dtui-test-{stem}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def make_compose_container(make_container, tmp_path: Path) -> Callable[..., Container]:
    """``make_compose_container(project, service, number=1, **kwargs)``: a container with Compose's labels.

    Its config file label is relative, as Compose 1.x writes it, to a working
    dir under ``tmp_path``. Stops are instant (SIGKILL), as ``sleep`` ignores SIGTERM.
    """

    def make(project: str, service: str, number: int = 1, oneoff: bool = False, **kwargs) -> Container:
        labels = {
            PROJECT: project,
            SERVICE: service,
            NUMBER: str(number),
            ONEOFF: "True" if oneoff else "False",
            CONFIG_FILES: "docker-compose.yml",
            WORKING_DIR: str(tmp_path),
            **(kwargs.pop("labels", None) or {}),
        }
        kwargs.setdefault("stop_signal", "SIGKILL")
        return make_container(labels=labels, **kwargs)

    return make


@dataclass
class ComposeDir:
    """A project on disk: its name, folder and file, as the app should find them."""

    name: str
    working_dir: Path
    config_file: Path

    @property
    def project(self) -> ComposeProject:
        return ComposeProject(self.name, str(self.working_dir), (str(self.config_file),), (), ())


@pytest.fixture
def compose_dir(
    tmp_path: Path, fixture_image: str, test_run_label: dict[str, str], docker_client: docker.DockerClient
) -> Iterator[ComposeDir]:
    """Two services from the fixture image, labelled for cleanup; removed by label afterwards."""
    [(key, value)] = test_run_label.items()
    labels = f"      {key}: \"{value}\"\n"
    service = (
        f"    image: {fixture_image}\n"
        "    command: sleep 300\n"
        # sleep ignores SIGTERM; a kill keeps stops and `down` quick.
        "    stop_signal: SIGKILL\n"
        f"    labels:\n{labels}"
    )
    config = tmp_path / "docker-compose.yml"
    config.write_text(
        'version: "3.7"\n'
        "services:\n"
        f"  web:\n{service}"
        f"  worker:\n{service}"
        "networks:\n"
        "  default:\n"
        f"    labels:\n{labels}"
    )
    name = project_name("cli")
    yield ComposeDir(name, tmp_path, config)
    remove_labelled_containers(docker_client, test_run_label)
    for network in docker_client.networks.list(filters=label_filter(test_run_label)):
        if network.name.startswith(name):
            network.remove()
