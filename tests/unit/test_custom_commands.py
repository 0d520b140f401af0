"""Custom commands: the config's checks, and that no value can reach a shell as syntax.

The hostile values run for real: each command is rendered and executed,
and nothing the values try to run (a file touched) may happen.
"""

from __future__ import annotations

import subprocess

import pytest

from dockertui.config import ConfigError, parse_config
from dockertui.custom_commands import CustomCommand, environment, render

HOSTILE = [
    "x; touch {marker}",
    "$(touch {marker})",
    "`touch {marker}`",
    "x' ; touch {marker} ; '",
    'x" ; touch {marker} ; "',
    "x\ntouch {marker}",
    "--help",
]


def values_with(name: str) -> dict[str, str]:
    return {"Container.ID": "abc123", "Container.Name": name, "Container.Image": "busybox", "Engine.Host": "unix:///x"}


@pytest.mark.parametrize("template", [
    "printf %s {{.Container.Name}}",
    "sh -c 'printf %s {{.Container.Name}}'",
    "bash -lc 'printf %s {{.Container.Name}}'",
    "sh -c 'printf %s \"$DOCKERTUI_CONTAINER_NAME\"'",
    "env X=1 sh -c 'printf %s {{.Container.Name}}' -- ignored",
])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_value_is_one_word_never_shell_syntax(tmp_path, template, hostile):
    marker = tmp_path / "pwned"
    name = hostile.format(marker=marker)
    values = values_with(name)
    command = CustomCommand("probe", template)
    argv = render(command, values)
    ran = subprocess.run(argv, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **environment(values)},
                         timeout=10)
    assert not marker.exists(), f"{argv!r} ran what the value said"
    assert ran.stdout == name, "the value arrives as it is, as one argument"


def test_placeholders_are_replaced_within_their_word():
    argv = render(CustomCommand("x", "docker exec {{.Container.ID}} cat /tmp/{{ .Container.Name }}.log"),
                  values_with("web"))
    assert argv == ["docker", "exec", "abc123", "cat", "/tmp/web.log"]
    # The docker CLI's own templates are left alone.
    argv = render(CustomCommand("x", "docker inspect -f '{{.State.Status}}' {{.Container.Name}}"), values_with("web"))
    assert argv == ["docker", "inspect", "-f", "{{.State.Status}}", "web"]


CONFIG = """
log_tail = 10
[[custom_commands]]
name = "Disk use"
key = "f5"
command = "docker exec {{{{.Container.ID}}}} du -sh /"
{extra}
"""


def test_a_valid_command_is_read_with_its_defaults():
    config = parse_config(CONFIG.format(extra=""))
    (command,) = config.custom_commands
    assert (command.name, command.on, command.mode, command.key) == ("Disk use", "container", "background", "f5")
    assert command.binding_id == "custom-disk-use"


@pytest.mark.parametrize(("extra", "says"), [
    ('mode = "detached"', "mode must be one of background, terminal"),
    ('on = "volume"', "on must be one of container, image, engine"),
    ('on = "image"', "{{.Container.ID}} is not known on image"),
    ('colour = "red"', "unknown field 'colour'"),
    ('on = 5', "every field is a string"),
])
def test_a_bad_command_is_reported_with_its_line_and_reason(extra, says):
    with pytest.raises(ConfigError) as raised:
        parse_config(CONFIG.format(extra=extra))
    assert "line 3" in str(raised.value) and says in str(raised.value)


def test_unbalanced_quotes_and_a_missing_command_are_reported():
    with pytest.raises(ConfigError, match="No closing quotation"):
        parse_config('[[custom_commands]]\nname = "x"\ncommand = "sh -c \'echo"\n')
    with pytest.raises(ConfigError, match="command is missing"):
        parse_config('[[custom_commands]]\nname = "x"\ncommand = "  "\n')
    with pytest.raises(ConfigError, match="list of tables"):
        parse_config('custom_commands = "ls"\n')
