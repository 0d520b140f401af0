"""docker run inputs, against the CLI's documented forms."""

import pytest

from dockertui.backend.models import PortSpec, RunSpec, VolumeSpec
from dockertui.backend.run import create_kwargs, spec_from_inspect, split_for_pull
from dockertui.backend.run_line import port_flag
from dockertui.parsing import (
    parse_command,
    parse_env,
    parse_image_reference,
    parse_port_spec,
    parse_restart_policy,
    parse_volume,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8888:80", PortSpec(80, "tcp", host_port=8888)),
        ("127.0.0.1:8080:80", PortSpec(80, "tcp", host_ip="127.0.0.1", host_port=8080)),
        ("8080:80/udp", PortSpec(80, "udp", host_port=8080)),
        ("80", PortSpec(80)),
        ("[::1]:8080:80", PortSpec(80, "tcp", host_ip="::1", host_port=8080)),
        ("8000-8001:80-81", PortSpec(80, "tcp", 81, "", 8000, 8001)),
        ("127.0.0.1::80", PortSpec(80, "tcp", host_ip="127.0.0.1")),
        ("8000-8010:80", PortSpec(80, "tcp", None, "", 8000, 8010)),
        ("53/sctp", PortSpec(53, "sctp")),
    ],
)
def test_port_specs_the_cli_accepts(text, expected):
    assert parse_port_spec(text) == expected
    assert parse_port_spec(port_flag(expected)) == expected, "written back as the CLI takes it, for docker-py"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "not a port"),
        ("70000:80", "out of range"),
        ("8080:80/icmp", "unknown protocol"),
        ("8000-8002:80-81", "same size"),
        ("::1:8080:80", "too many colons"),
        ("999.1.1.1:80:80", "not an IP address"),
        ("81-80", "ends before it starts"),
        ("", "empty"),
    ],
)
def test_bad_port_specs_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_port_spec(text)


def test_port_bindings_for_the_engine():
    spec = RunSpec(
        image="x",
        ports=(
            parse_port_spec("8000-8001:80-81"),
            parse_port_spec("127.0.0.1:8080:8080/udp"),
            parse_port_spec("90"),
            parse_port_spec("7000-7010:70"),
        ),
    )
    create, host = create_kwargs(spec)
    assert host["port_bindings"] == {
        "80/tcp": ["8000"],
        "81/tcp": ["8001"],
        "8080/udp": [("127.0.0.1", "8080")],
        "90/tcp": [None],
        "70/tcp": ["7000-7010"],
    }
    assert (80, "tcp") in create["ports"] and (8080, "udp") in create["ports"]


def test_env_lines():
    assert parse_env("A=1\n\n# note\nB=x=y\nEMPTY=\nMARKUP=[/foo]") == (
        ("A", "1"),
        ("B", "x=y"),
        ("EMPTY", ""),
        ("MARKUP", "[/foo]"),
    )
    with pytest.raises(ValueError, match="line 1"):
        parse_env("NOEQUALS")
    with pytest.raises(ValueError, match="not a valid variable name"):
        parse_env("1BAD=x")


def test_volumes():
    assert parse_volume("/srv/data:/data:ro") == VolumeSpec("/srv/data", "/data", True)
    assert parse_volume("cache:/var/cache") == VolumeSpec("cache", "/var/cache", False)
    assert parse_volume("/a:/b").is_bind and not parse_volume("named:/b").is_bind
    for bad in ("/a", "/a:relative", "/a:/b:rx", "bad name:/x"):
        with pytest.raises(ValueError):
            parse_volume(bad)


def test_command_is_split_like_a_shell():
    assert parse_command("echo 'Welcome to Docker'") == ("echo", "Welcome to Docker")
    assert parse_command('sh -c "echo $HOME; ls"') == ("sh", "-c", "echo $HOME; ls")
    with pytest.raises(ValueError, match="cannot split"):
        parse_command("echo 'unclosed")


def test_restart_policies_and_image_references():
    assert parse_restart_policy("on-failure:3") == ("on-failure", 3)
    assert parse_restart_policy("unless-stopped") == ("unless-stopped", 0)
    with pytest.raises(ValueError):
        parse_restart_policy("always:3")
    assert parse_image_reference("busybox") == "busybox:latest"
    assert parse_image_reference("localhost:5000/app") == "localhost:5000/app:latest"
    assert parse_image_reference("ubuntu:12.04") == "ubuntu:12.04"
    assert parse_image_reference("x@sha256:abc") == "x@sha256:abc"
    assert split_for_pull("localhost:5000/app:1") == ("localhost:5000/app", "1")


def test_run_again_reads_the_config_back():
    container = {
        "Config": {"Image": "web:1", "Cmd": ["serve", "--port", "80"], "Env": ["PATH=/bin", "MODE=prod"], "Tty": False},
        "HostConfig": {
            "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
            "Binds": ["/srv:/srv:ro"],
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 2},
            "AutoRemove": False,
        },
    }
    image = {"Config": {"Env": ["PATH=/bin"], "Cmd": ["serve"]}}
    spec = spec_from_inspect(container, image)
    assert spec.image == "web:1"
    assert spec.command == ("serve", "--port", "80")
    assert spec.env == (("MODE", "prod"),)
    assert spec.ports == (PortSpec(80, "tcp", host_ip="127.0.0.1", host_port=8080),)
    assert spec.volumes == (VolumeSpec("/srv", "/srv", True),)
    assert (spec.restart_policy, spec.restart_retries) == ("on-failure", 2)


def test_memory_cpus_hosts_and_labels():
    from dockertui.parsing import parse_add_hosts, parse_cpus, parse_labels, parse_memory

    assert parse_memory("512m") == 512 * 1024**2 and parse_memory("1.5g") == int(1.5 * 1024**3) and parse_memory("") == 0
    for bad, message in (("lots", "not a size"), ("1k", "at least 6m")):
        with pytest.raises(ValueError, match=message):
            parse_memory(bad)
    assert parse_cpus("0.5") == 0.5 and parse_cpus("") == 0.0
    with pytest.raises(ValueError, match="not a number of CPUs"):
        parse_cpus("half")
    assert parse_add_hosts("db:10.0.0.5, gw:host-gateway v6=[::1]") == (
        ("db", "10.0.0.5"), ("gw", "host-gateway"), ("v6", "::1"))
    with pytest.raises(ValueError, match="not an IP address"):
        parse_add_hosts("db:nowhere")
    assert parse_labels("app=shop, tier=front\nflag") == (("app", "shop"), ("tier", "front"), ("flag", ""))


def test_the_other_fields_go_to_the_engine_and_come_back():
    spec = RunSpec(image="x", network="shop", workdir="/srv", user="1000", hostname="box", entrypoint="sh",
                   memory=64 * 1024**2, cpus=0.5, privileged=True, add_hosts=(("db", "10.0.0.5"),))
    create, host = create_kwargs(spec)
    assert (create["working_dir"], create["user"], create["hostname"], create["entrypoint"]) == ("/srv", "1000", "box", ["sh"])
    assert (host["network_mode"], host["mem_limit"], host["nano_cpus"], host["privileged"]) == ("shop", 64 * 1024**2, 500_000_000, True)
    assert host["extra_hosts"] == {"db": "10.0.0.5"}
