"""The docker run dialog, typed into with Pilot, checked with inspect."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.screens.run_dialog import RunDialog
from dockertui.widgets.log_pane import LogPane
from tests.support.engine import FIXTURE_IMAGE
from tests.support.pilot import connected_app, dashboard_up, screen_with, select_row, wait_until
from tests.support.ports import free_port, free_ports

pytestmark = pytest.mark.integration

SIZE = (120, 40)


def ours(docker_client, test_run_label, name):
    label = f"dockertui.test={test_run_label['dockertui.test']}"
    return docker_client.api.containers(all=True, filters={"label": label, "name": f"^/{name}$"})


async def fill(pilot, dialog: RunDialog, **fields: str) -> None:
    """Type into the dialog's fields by id (inputs are cleared first)."""
    from textual.widgets import Input, TextArea

    for field, value in fields.items():
        widget = dialog.query_one(f"#{field}")
        if isinstance(widget, TextArea):
            widget.text = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
    await pilot.pause()


async def open_dialog(pilot) -> RunDialog:
    await pilot.press("n")
    await screen_with(pilot, RunDialog, "#image")
    return pilot.app.screen


def field_error(dialog: RunDialog, field: str) -> str:
    label = dialog.query_one(f"#error-{field}")
    return "" if label.has_class("hidden") else str(label.render())


async def test_run_creates_the_container_as_configured(
    engine_target, docker_client, test_run_label, unique_name, tmp_path
):
    name = unique_name("run")
    volume = docker_client.volumes.create(unique_name("vol"), labels=test_run_label)
    tcp, udp, pair = free_port(), free_port(udp=True), free_ports(2)
    app = DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        dialog = await open_dialog(pilot)
        await fill(
            pilot,
            dialog,
            image=FIXTURE_IMAGE,
            command="sh -c 'echo Welcome to Docker; sleep 300'",
            name=name,
            ports=f"127.0.0.1:{tcp}:80, {udp}:81/udp, {pair[0]}-{pair[1]}:90-91",
            env="MODE=test\nMARKUP=[/foo] [link=http://x]y[/link]",
            volumes=f"{tmp_path}:/data:ro, {volume.name}:/cache",
            restart="on-failure:2",
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, RunDialog), timeout=30, what="the dialog to close")
        assert ours(docker_client, test_run_label, name)

    doc = docker_client.api.inspect_container(name)
    assert doc["Config"]["Cmd"] == ["sh", "-c", "echo Welcome to Docker; sleep 300"]
    assert "MODE=test" in doc["Config"]["Env"] and "MARKUP=[/foo] [link=http://x]y[/link]" in doc["Config"]["Env"]
    bindings = doc["HostConfig"]["PortBindings"]
    assert bindings["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": str(tcp)}]
    assert bindings["81/udp"][0]["HostPort"] == str(udp)
    assert bindings["90/tcp"][0]["HostPort"] == str(pair[0]) and bindings["91/tcp"][0]["HostPort"] == str(pair[1])
    assert sorted(doc["HostConfig"]["Binds"]) == sorted([f"{tmp_path}:/data:ro", f"{volume.name}:/cache:rw"])
    assert doc["HostConfig"]["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 2}
    assert doc["Config"]["Labels"]["dockertui.test"] == test_run_label["dockertui.test"]
    assert doc["State"]["Running"]


async def test_bad_input_is_caught_next_to_its_field_and_kept(
    engine_target, docker_client, make_container, test_run_label, unique_name
):
    host_port = free_port()
    taken = make_container(command=["sleep", "300"], ports={"80/tcp": ("127.0.0.1", host_port)})
    app = DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        dialog = await open_dialog(pilot)
        name = unique_name("bad")

        await fill(pilot, dialog, image=FIXTURE_IMAGE, command="sleep 300", name=name, ports="8080:80/icmp")
        await pilot.press("ctrl+s")
        assert "unknown protocol" in field_error(dialog, "ports")

        await fill(pilot, dialog, ports="", name=taken.name)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "already in use" in field_error(dialog, "name"), timeout=20)

        await fill(pilot, dialog, name=name, ports=f"127.0.0.1:{host_port}:80")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "already allocated" in field_error(dialog, "ports"), timeout=20)
        assert not ours(docker_client, test_run_label, name), "a run that failed to start leaves nothing behind"

        await fill(pilot, dialog, ports="", command="no-such-command --flag")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "executable file not found" in field_error(dialog, "command"), timeout=20)
        assert not ours(docker_client, test_run_label, name)

        await fill(pilot, dialog, image="dtui-test-missing/nothing-here:1", command="true")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "could not be pulled" in field_error(dialog, "image"), timeout=60)

        # Everything typed is still there.
        assert dialog.query_one("#name").value == name
        assert dialog.query_one("#command").value == "true"
        assert isinstance(app.screen, RunDialog)


async def test_attached_run_streams_output_into_the_logs(engine_target, docker_client, test_run_label, unique_name):
    name = unique_name("attached")
    app = DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        dialog = await open_dialog(pilot)
        await fill(pilot, dialog, image=FIXTURE_IMAGE, command="echo hi", name=name)
        dialog.query_one("#detach").value = False
        await pilot.press("ctrl+s")
        logs = dashboard.query_one(LogPane)
        await wait_until(pilot, lambda: [line.text for line in logs.view.lines()] == ["hi"], timeout=20, what=lambda: ("the output", [line.text for line in logs.view.lines()], logs.container and (logs.container.name, logs.container.state), logs.stream_state, logs._opened_state, name))
        assert logs.container.name == name


async def run_again_dialog(pilot, container) -> RunDialog:
    """Select the container and press R: the dialog, filled in from it."""
    dashboard = await connected_app(pilot)
    await select_row(pilot, dashboard.containers, container.id)
    await pilot.press("R")
    await screen_with(pilot, RunDialog, "#image")
    return pilot.app.screen


async def test_run_again_prefills_from_the_container(engine_target, make_container):
    host_port = free_port()
    container = make_container(
        command=["sh", "-c", "sleep 300"], environment={"GREETING": "hello world"}, ports={"80/tcp": ("127.0.0.1", host_port)}
    )
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dialog = await run_again_dialog(pilot, container)
        assert dialog.query_one("#image").value == FIXTURE_IMAGE
        assert dialog.query_one("#command").value == "sh -c 'sleep 300'"
        assert "GREETING=hello world" in dialog.query_one("#env").text
        assert dialog.query_one("#ports").value == f"127.0.0.1:{host_port}:80/tcp"


async def test_run_again_leaves_escape_sequences_out_of_the_fields(engine_target, make_container):
    container = make_container(command=["sh", "-c", "echo \x1b[31mred; sleep 300"], environment={"ESC": "\x1b[31mred\x1b[0m"})
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dialog = await run_again_dialog(pilot, container)
        assert dialog.query_one("#command").value == "sh -c 'echo red; sleep 300'"
        assert "ESC=red" in dialog.query_one("#env").text and "\x1b" not in dialog.query_one("#env").text
        assert "left out" in str(dialog.query_one("#run-cleaned").render())


async def test_the_dialog_shows_its_docker_run_line_and_the_cli_makes_the_same_container(
    engine_target, docker_client, test_run_label, unique_name, tmp_path
):
    import os
    import shlex
    import shutil
    import subprocess

    from tests.support.engine import reachable_engine_url

    name = unique_name("line")
    app = DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        dialog = await open_dialog(pilot)
        shown = lambda: str(dialog.query_one("#run-line").render())  # noqa: E731
        await fill(pilot, dialog, image=FIXTURE_IMAGE, command="sh -c 'sleep 300'", name=name, ports="127.0.0.1:0:80/tcp")
        await wait_until(pilot, lambda: "does not parse" in shown(), what="a bad port to stop the line")
        await fill(
            pilot, dialog, ports="127.0.0.1::80, 81/udp", env="MODE=two words", volumes=f"{tmp_path}:/data:ro",
            restart="on-failure:2",
        )
        await wait_until(pilot, lambda: f"--name {name}" in shown(), what="the line")
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: app.clipboard.startswith("docker run -d"), what="the line copied")
        line = shlex.split(app.clipboard)
        assert "MODE=two words" in line and line[-4:] == [FIXTURE_IMAGE, "sh", "-c", "sleep 300"]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, RunDialog), timeout=30, what="the dialog to close")

    # The copied line, given to the docker CLI, makes the same container as the dialog did.
    args = line[3:]
    args[args.index("--name") + 1] = unique_name("line-cli")
    cli = shutil.which("docker")
    assert cli, "the docker CLI (docker.io) is needed: scripts/test installs it"
    env = {**os.environ, "DOCKER_HOST": reachable_engine_url() or ""}
    made = subprocess.run([cli, "create", *args], env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr

    def config(reference: str) -> tuple:
        doc = docker_client.api.inspect_container(reference)
        host = doc["HostConfig"]
        return (doc["Config"]["Cmd"], sorted(doc["Config"]["Env"]), doc["Config"]["Labels"], host["PortBindings"],
                sorted(host["Binds"]), host["RestartPolicy"])

    assert config(made.stdout.strip()) == config(name)


async def test_esc_keeps_a_filled_in_form_for_the_next_open(engine_target, test_run_label, unique_name):
    """Nothing typed is lost: Esc closes the run dialog, and n opens it again as it was left."""
    name = unique_name("draft")
    app = DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=(120, 36)) as pilot:
        app.dashboard.containers.focus()
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RunDialog) and app.screen.query("#name"), what="the dialog")
        await fill(pilot, app.screen, image=FIXTURE_IMAGE, command="echo kept", name=name, ports="bad-port")
        app.screen.query_one("#detach").value = False
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, RunDialog), what="closed")
        await wait_until(pilot, lambda: any("The form is kept" in n.message for n in app._notifications), what="told")

        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RunDialog) and app.screen.query("#name"), what="reopened")
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.query_one("#name").value == name, what="the name typed back in")
        assert dialog.query_one("#command").value == "echo kept"
        assert dialog.query_one("#ports").value == "bad-port"  # an invalid field is kept as typed, too
        assert dialog.query_one("#detach").value is False
        await pilot.press("escape")


async def test_the_other_run_options_reach_the_engine_and_come_back_for_run_again(
    engine_target, docker_client, test_run_label, unique_name
):
    """Network, labels, workdir, user, hostname, entrypoint, memory, CPUs, --privileged and --add-host."""
    name = unique_name("opts")
    network = docker_client.networks.create(unique_name("net"), labels=test_run_label)
    app = DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        app.dashboard.containers.focus()
        dialog = await open_dialog(pilot)
        await wait_until(pilot, lambda: dialog.query("#add_hosts"), what="the form")
        await fill(pilot, dialog, image=FIXTURE_IMAGE, command="-c 'sleep 300'", name=name, memory="lots")
        await pilot.press("ctrl+s")
        assert "is not a size" in field_error(dialog, "memory")
        await fill(pilot, dialog, network=network.name, labels="team=web, tier=front", workdir="/tmp", user="1000:1000",
                   hostname="box", entrypoint="sh", memory="64m", cpus="0.5", add_hosts="db:10.0.0.5")
        dialog.query_one("#privileged").value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, RunDialog), timeout=30, what="the dialog to close")

        doc = docker_client.api.inspect_container(name)
        config, host = doc["Config"], doc["HostConfig"]
        assert (config["WorkingDir"], config["User"], config["Hostname"]) == ("/tmp", "1000:1000", "box")
        assert config["Entrypoint"] == ["sh"] and config["Cmd"] == ["-c", "sleep 300"]
        assert config["Labels"]["team"] == "web" and config["Labels"]["tier"] == "front"
        assert config["Labels"]["dockertui.test"] == test_run_label["dockertui.test"]
        assert (host["Memory"], host["NanoCpus"], host["Privileged"]) == (64 * 1024**2, 500_000_000, True)
        assert host["ExtraHosts"] == ["db:10.0.0.5"] and host["NetworkMode"] == network.name
        assert doc["State"]["Running"]

        # Run again reads them back into the dialog.
        table = app.dashboard.containers
        await wait_until(pilot, lambda: doc["Id"] in table.rows, what="the row")
        table.move_cursor(row=table.get_row_index(doc["Id"]))
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, RunDialog) and app.screen.query("#add_hosts"),
                         what="run again")
        again = app.screen
        values = {field: again.query_one(f"#{field}").value for field in
                  ("network", "workdir", "user", "hostname", "entrypoint", "memory", "cpus", "add_hosts")}
        assert values == {"network": network.name, "workdir": "/tmp", "user": "1000:1000", "hostname": "box",
                          "entrypoint": "sh", "memory": "64m", "cpus": "0.5", "add_hosts": "db:10.0.0.5"}
        assert "team=web" in again.query_one("#labels").value and again.query_one("#privileged").value
        assert "--network" in str(again.query_one("#run-line").render())
        await pilot.press("escape")
    docker_client.api.remove_container(name, force=True)
    network.remove()
