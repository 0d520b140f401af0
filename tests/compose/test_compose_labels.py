"""Compose labels -> projects, grouping order, the CLI's command line and environment.

No engine needed: containers are built as ``docker ps`` would describe them,
with hostile text in the labels (markup, links, ANSI escapes).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from rich.text import Text

from dockertui.actions.compose import targets_for
from dockertui.backend.compose import (
    CONFIG_FILES,
    NUMBER,
    ONEOFF,
    PROJECT,
    SERVICE,
    WORKING_DIR,
    ComposeInfo,
    ComposeProject,
    ComposeRun,
    compose_argv,
    compose_env,
    compose_labels,
    group_key,
    project_named,
    projects,
    split_lines,
    target_note,
    unavailable_reason,
)
from dockertui.backend.connection import EngineTarget, TLSFiles
from dockertui.backend.models import ContainerInfo
from dockertui.screens.compose_project import facts_text
from dockertui.widgets.container_table import Descending, project_cell

T0 = datetime(2026, 11, 29, 12, 0, 0, tzinfo=timezone.utc)
HOSTILE = ("[/foo]", "[link=http://x]y[/link]", "\x1b[31mred\x1b[0m\x1b[2J", "[$accent]")
V2_CLI = ComposeInfo(command="docker compose", version="Docker Compose version v2.29.0")
V1_CLI = ComposeInfo(command="docker-compose", version="docker-compose version 1.29.2")


def container(name: str, project: str | None = None, service: str = "", number: int = 1, oneoff: bool = False,
              files: str = "docker-compose.yml", working_dir: str = "/srv/app", state: str = "running",
              age: int = 0) -> ContainerInfo:
    labels = {"other": "x"}
    if project is not None:
        labels |= {
            PROJECT: project,
            SERVICE: service,
            NUMBER: str(number),
            ONEOFF: "True" if oneoff else "False",
            CONFIG_FILES: files,
            WORKING_DIR: working_dir,
        }
    return ContainerInfo(
        id=f"id-{name}", name=name, image="busybox", image_id="sha256:1", command="sleep",
        created=T0 - timedelta(minutes=age), state=state, status="Up", labels=tuple(labels.items()),
    )


def test_labels_are_read_and_missing_ones_mean_no_project():
    labels = compose_labels(container("a", "shop", "web", number=2, files="a.yml,b.yml"))
    assert labels is not None
    assert (labels.project, labels.service, labels.number, labels.oneoff) == ("shop", "web", 2, False)
    assert labels.config_files == ("a.yml", "b.yml")
    assert compose_labels(container("b")) is None
    broken = container("c", "shop", "web")
    broken = ContainerInfo(**{**broken.__dict__, "labels": ((PROJECT, "shop"), (NUMBER, "not a number"))})
    assert compose_labels(broken).number == 0


def test_project_gathers_its_containers_and_makes_files_absolute():
    containers = [
        container("shop-web-1", "shop", "web", age=5),
        container("shop-db-1", "shop", "db", age=1, files="docker-compose.yml,override.yml"),
        container("blog-app-1", "blog", "app"),
        container("loose"),
    ]
    project = project_named("shop", containers)
    assert project == ComposeProject(
        name="shop",
        working_dir="/srv/app",
        # From the newest container (Compose 1.x writes paths relative to the working dir).
        config_files=("/srv/app/docker-compose.yml", "/srv/app/override.yml"),
        services=("db", "web"),
        container_ids=("id-shop-db-1", "id-shop-web-1"),
    )
    assert project_named("nothing", containers) is None
    assert [p.name for p in projects(containers)] == ["blog", "shop"]
    absolute = project_named("x", [container("x1", "x", "s", files="/etc/x.yml", working_dir="/srv/x")])
    assert absolute.config_files == ("/etc/x.yml",)


def test_grouping_order_is_project_then_service_then_replica_with_no_project_last():
    containers = [
        container("loose-a"),
        container("shop-web-2", "shop", "web", number=2),
        container("Blog-app-1", "Blog", "app"),
        container("shop-web-run", "shop", "web", oneoff=True),
        container("shop-web-1", "shop", "web", number=1),
        container("shop-db-1", "shop", "db"),
    ]
    ordered = [c.name for c in sorted(containers, key=group_key)]
    assert ordered == ["Blog-app-1", "shop-db-1", "shop-web-1", "shop-web-2", "shop-web-run", "loose-a"]


def test_descending_key_orders_backwards_inside_a_group():
    keys = [((0, "a"), Descending(1)), ((0, "a"), Descending(3)), ((1,), Descending(2))]
    assert [k[1].value for k in sorted(keys)] == [3, 1, 2]


def test_hostile_labels_stay_literal_text():
    for hostile in HOSTILE:
        shown_as = "red" if "\x1b" in hostile else hostile
        item = container("x", hostile, hostile, files=hostile, working_dir=hostile)
        shown = project_cell(item)
        assert isinstance(shown, Text)
        assert shown.plain == f"{shown_as} › {shown_as}"
        assert not shown.spans
        facts = facts_text(project_named(hostile, [item]), [item])
        assert "\x1b" not in facts.plain
        assert f"Project       {shown_as}" in facts.plain
        assert f"Working dir   {shown_as}" in facts.plain
    assert project_cell(container("y")).plain == "no project"


def test_command_line_uses_name_value_options_so_labels_cannot_become_options():
    project = ComposeProject("-rf", "/srv/app", ("/srv/app/a.yml", "/srv/app/--b.yml"), ("web",), ())
    assert compose_argv(V2_CLI, project, "up") == [
        "docker", "compose", "--project-name=-rf", "--project-directory=/srv/app",
        "--file=/srv/app/a.yml", "--file=/srv/app/--b.yml", "up", "-d",
    ]
    assert compose_argv(V1_CLI, project, "down")[:2] == ["docker-compose", "--project-name=-rf"]
    assert compose_argv(V1_CLI, project, "down")[-1] == "down"


def test_environment_points_at_the_apps_engine_only():
    user_env = {"PATH": "/bin", "DOCKER_CONTEXT": "prod", "DOCKER_TLS_VERIFY": "1", "DOCKER_HOST": "tcp://prod:2376"}
    env, scratch = compose_env(EngineTarget(url="unix:///run/test.sock", source="tests"), user_env)
    assert env == {"PATH": "/bin", "DOCKER_HOST": "unix:///run/test.sock"}
    assert scratch is None


def test_tls_files_with_the_cli_names_are_used_in_place(tmp_path: Path):
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (tmp_path / name).write_text(name)
    tls = TLSFiles(str(tmp_path / "ca.pem"), str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"), verify=True)
    env, scratch = compose_env(EngineTarget(url="tcp://h:2376", source="x", tls=tls), {})
    assert env == {"DOCKER_HOST": "tcp://h:2376", "DOCKER_CERT_PATH": str(tmp_path), "DOCKER_TLS_VERIFY": "1"}
    assert scratch is None


def test_tls_files_with_other_names_are_linked_under_the_cli_names(tmp_path: Path):
    for name in ("my-ca.crt", "client.crt", "client.key"):
        (tmp_path / name).write_text(name)
    tls = TLSFiles(str(tmp_path / "my-ca.crt"), str(tmp_path / "client.crt"), str(tmp_path / "client.key"), verify=False)
    env, scratch = compose_env(EngineTarget(url="tcp://h:2376", source="x", tls=tls), {})
    try:
        cert_path = Path(env["DOCKER_CERT_PATH"])
        assert env["DOCKER_TLS"] == "1" and "DOCKER_TLS_VERIFY" not in env
        assert {p.name: p.read_text() for p in cert_path.iterdir()} == {
            "ca.pem": "my-ca.crt", "cert.pem": "client.crt", "key.pem": "client.key",
        }
    finally:
        scratch.cleanup()
    assert not cert_path.exists()


def test_why_up_and_down_are_unavailable(tmp_path: Path):
    present = tmp_path / "docker-compose.yml"
    present.write_text("services: {}\n")
    project = ComposeProject("p", str(tmp_path), (str(present),), (), ())
    assert unavailable_reason(V2_CLI, project) is None
    reason = unavailable_reason(None, project)
    assert "docker compose" in reason and "docker-compose" in reason and "install" in reason
    gone = ComposeProject("p", "/nowhere", ("/nowhere/docker-compose.yml",), (), ())
    assert "not on this machine: /nowhere/docker-compose.yml" in unavailable_reason(V1_CLI, gone)
    assert "no Compose file" in unavailable_reason(V1_CLI, ComposeProject("p", "", (), (), ()))
    assert target_note(EngineTarget(url="ssh://me@host", source="x")) is not None
    assert target_note(EngineTarget(url="unix:///var/run/docker.sock", source="x")) is None


def test_which_containers_each_project_action_touches():
    members = [
        container("web", "p", "web"),
        container("db", "p", "db", state="exited"),
        container("run", "p", "web", oneoff=True, state="exited"),
    ]
    assert [c.name for c in targets_for("start", members)] == ["db"]
    assert [c.name for c in targets_for("stop", members)] == ["web"]
    assert [c.name for c in targets_for("restart", members)] == ["web", "db"]
    assert [c.name for c in targets_for("remove", members)] == ["web", "db", "run"]


def test_split_lines_handles_crlf_lone_cr_and_a_cr_split_across_chunks():
    assert split_lines("a\r\nb\rc\nrest") == (["a", "b", "c"], "rest")
    lines, rest = split_lines("x\r")
    assert (lines, rest) == ([], "x\r")
    assert split_lines(rest + "\ny\n") == (["x", "y"], "")


def test_a_run_streams_lines_and_its_exit_code():
    script = "import sys; sys.stdout.write('one\\r\\ntwo\\n'); sys.stderr.write('\\x1b[31mthree\\x1b[0m\\n'); sys.exit(3)"
    run = ComposeRun([sys.executable, "-c", script], dict(os.environ))
    assert list(run) == ["one", "two", "\x1b[31mthree\x1b[0m"]
    assert run.returncode == 3 and not run.cancelled


def test_closing_a_run_stops_the_cli_and_its_children():
    run = ComposeRun(["sh", "-c", "echo started; sleep 60 & wait"], dict(os.environ))
    lines = iter(run)
    assert next(lines) == "started"
    began = time.monotonic()
    run.close()
    assert list(lines) == []
    assert time.monotonic() - began < 5
    assert run.cancelled and run.returncode != 0
