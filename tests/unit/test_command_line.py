"""The ``:`` line's parser (command_line.py): the docker CLI's flag syntax, and a clear error for
what it cannot take."""

from __future__ import annotations

import pytest

from dockertui.backend.models import PortSpec, VolumeSpec
from dockertui.command_line import parse_line, run_spec


@pytest.mark.parametrize(
    ("text", "verb", "flags", "args"),
    [
        ("run -d -P --name static-site busybox httpd -f -p 80", "run",
         {"detach": True, "publish_all": True, "name": "static-site"}, ("busybox", "httpd", "-f", "-p", "80")),
        ("pull busybox:1.36", "pull", {}, ("busybox:1.36",)),
        ("stop web", "stop", {}, ("web",)),
        ("rm -f web", "rm", {"force": True}, ("web",)),
        ("rm -fv web db", "rm", {"force": True, "volumes": True}, ("web", "db")),
        ("rmi busybox:old", "rmi", {}, ("busybox:old",)),
        ("port static-site", "port", {}, ("static-site",)),
        ("logs -f --since 10m web", "logs", {"follow": True, "since": "10m"}, ("web",)),
        ("logs --since=1h web", "logs", {"since": "1h"}, ("web",)),
        ("exec -it web sh -c 'ls -l /'", "exec", {"interactive": True, "tty": True}, ("web", "sh", "-c", "ls -l /")),
        ("tag a b", "tag", {}, ("a", "b")),
        ("search nginx", "search", {}, ("nginx",)),
        ("docker ps -a", "ps", {"all": True}, ()),
        ("rm $(docker ps -aq -f status=exited)", "rm-exited", {}, ()),
        ("rm $(docker ps -a -q -f status=exited)", "rm-exited", {}, ()),
        ("rm -f -- -odd-name", "rm", {"force": True}, ("-odd-name",)),
        ("run -p8080:80 -eA=1 busybox", "run", {"publish": ("8080:80",), "env": ("A=1",)}, ("busybox",)),
        ("docker\trm web", "rm", {}, ("web",)),
    ],
)
def test_cli_lines_parse_as_the_cli_reads_them(text, verb, flags, args):
    command = parse_line(text)
    assert (command.verb, command.flags, command.args) == (verb, flags, args)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frob web", "unknown command 'frob'"),
        ("stop -t 0 web", "stop does not take -t"),
        ("run --dns 1.1.1.1 busybox", "the run dialog has no field for --dns"),
        ("run --cap-add NET_ADMIN --label-file=x busybox", "the run dialog has no field for --cap-add, --label-file"),
        ("run --shm-size 1g --mount=type=tmpfs,target=/x busybox", "the run dialog has no field for --shm-size, --mount"),
        ("rm", "rm: missing argument; usage: rm [-f] [-v] CONTAINER…"),
        ("exec -it web", "exec: missing argument"),
        ("tag a", "tag: missing argument"),
        ("rmi a b", "rmi: too many arguments"),
        ("logs --since", "logs: --since needs a value"),
        ('run busybox sh -c "echo hi', "unbalanced quotes"),
        ("", "type a command"),
    ],
)
def test_what_it_cannot_take_is_said(text, message):
    with pytest.raises(ValueError, match=".*".join(map(__import__("re").escape, message.split("…")))):
        parse_line(text)


def test_a_run_line_is_the_run_dialogs_spec():
    spec = run_spec(parse_line("run -p 8080:80 -e A=1 -e B=2 -v /tmp:/data:ro --restart on-failure:3 --rm -it "
                               "--name web busybox sh -c 'echo hi'"))
    assert spec.image == "busybox" and spec.command == ("sh", "-c", "echo hi") and spec.name == "web"
    assert spec.ports == (PortSpec(container_port=80, host_port=8080),)
    assert spec.env == (("A", "1"), ("B", "2"))
    assert spec.volumes == (VolumeSpec("/tmp", "/data", True),)
    assert (spec.restart_policy, spec.restart_retries) == ("on-failure", 3)
    assert spec.auto_remove and spec.interactive and not spec.detach and not spec.publish_all


def test_a_bad_value_is_named_as_the_dialog_names_it():
    with pytest.raises(ValueError, match="restart policy"):
        run_spec(parse_line("run --restart sometimes busybox"))
    with pytest.raises(ValueError, match="container path must be absolute"):
        run_spec(parse_line("run -v /tmp:data busybox"))


def test_run_takes_the_run_dialogs_other_fields():
    spec = run_spec(parse_line(
        "run -d --network shop -l team=web --label tier=front -w /srv -u 1000:1000 -h box --entrypoint sh "
        "-m 512m --cpus 1.5 --privileged --add-host db:10.0.0.5 busybox -c 'echo hi'"
    ))
    assert (spec.network, spec.workdir, spec.user, spec.hostname, spec.entrypoint) == ("shop", "/srv", "1000:1000", "box", "sh")
    assert spec.labels == (("team", "web"), ("tier", "front"))
    assert (spec.memory, spec.cpus, spec.privileged) == (512 * 1024**2, 1.5, True)
    assert spec.add_hosts == (("db", "10.0.0.5"),)
    assert spec.command == ("-c", "echo hi")
