"""The ``:`` line's docker CLI commands, parsed with the CLI's own flag syntax.

``parse_line("rm -f web")`` gives a ``CliCommand``; anything it cannot take
raises ValueError with a message that says what is wrong (an unknown verb or
flag, a missing argument, unbalanced quotes), which the prompt shows while
keeping the text. What each verb does is in cli_runner.py.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from dockertui.backend.models import RunSpec
from dockertui.parsing import (
    parse_add_hosts,
    parse_cpus,
    parse_env,
    parse_labels,
    parse_memory,
    parse_port_spec,
    parse_restart_policy,
    parse_volume,
)

# The tutorial's way to name every exited container, typed as it is written.
EXITED_SUBSHELL = re.compile(r"^\$\(\s*docker\s+(ps|container\s+ls)\s+(-aq|-qa|-a\s+-q|-q\s+-a)\s+"
                             r"(-f|--filter)\s+status=exited\s*\)$")


@dataclass(frozen=True)
class Verb:
    """A verb's flags: ``switches`` take no value, ``options`` take one; each maps to a field name."""

    usage: str
    switches: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    min_args: int = 0
    max_args: int | None = None  # None: any number


def _verb(usage: str, switches: dict[str, str] | None = None, options: dict[str, str] | None = None,
          min_args: int = 0, max_args: int | None = None) -> Verb:
    return Verb(usage, switches or {}, options or {}, min_args, max_args)


RUN_SWITCHES = {"-d": "detach", "--detach": "detach", "-P": "publish_all", "--publish-all": "publish_all",
                "--rm": "auto_remove", "-i": "interactive", "--interactive": "interactive", "-t": "tty",
                "--tty": "tty", "--privileged": "privileged"}
RUN_OPTIONS = {"-p": "publish", "--publish": "publish", "--name": "name", "-e": "env", "--env": "env",
               "-v": "volume", "--volume": "volume", "--restart": "restart", "--network": "network",
               "--net": "network", "-l": "label", "--label": "label", "-w": "workdir", "--workdir": "workdir",
               "-u": "user", "--user": "user", "-h": "hostname", "--hostname": "hostname",
               "--entrypoint": "entrypoint", "-m": "memory", "--memory": "memory", "--cpus": "cpus",
               "--add-host": "add_host"}

# docker run's flags that take a value but have no field in the run dialog: known, so that
# "--cpus 2" is reported as one flag the dialog lacks, not as a flag and an image named 2.
RUN_UNSUPPORTED_OPTIONS = frozenset(
    "--network-alias --cpu-shares -c --cpuset-cpus --memory-swap "
    "--memory-reservation "
    "--label-file --env-file --mount --device --cap-add --cap-drop --log-driver --log-opt --platform --pull "
    "--ulimit --dns --dns-search --dns-option --ip --ip6 --mac-address --shm-size --stop-signal --stop-timeout "
    "--tmpfs --security-opt --health-cmd --health-interval --health-retries --health-timeout --pid --ipc --uts "
    "--userns --cgroupns --runtime --gpus --group-add --link --expose --volumes-from --volume-driver "
    "--storage-opt --sysctl --attach -a --cidfile --detach-keys --domainname --isolation --kernel-memory "
    "--oom-score-adj --pids-limit --restart-policy --blkio-weight --device-read-bps --device-write-bps".split()
)

VERBS: dict[str, Verb] = {
    "ps": _verb("ps [-a]", {"-a": "all", "--all": "all"}, max_args=0),
    "images": _verb("images", max_args=0),
    "run": _verb("run [flags] IMAGE [COMMAND…]", RUN_SWITCHES, RUN_OPTIONS, min_args=1),
    "start": _verb("start CONTAINER…", min_args=1),
    "stop": _verb("stop CONTAINER…", min_args=1),
    "restart": _verb("restart CONTAINER…", min_args=1),
    "kill": _verb("kill CONTAINER…", min_args=1),
    "pause": _verb("pause CONTAINER…", min_args=1),
    "unpause": _verb("unpause CONTAINER…", min_args=1),
    "rm": _verb("rm [-f] [-v] CONTAINER…", {"-f": "force", "--force": "force", "-v": "volumes",
                                              "--volumes": "volumes"}, min_args=1),
    "rmi": _verb("rmi IMAGE", min_args=1, max_args=1),
    "pull": _verb("pull IMAGE", min_args=1, max_args=1),
    "push": _verb("push IMAGE", min_args=1, max_args=1),
    "tag": _verb("tag SOURCE TARGET", min_args=2, max_args=2),
    "search": _verb("search TERM", min_args=1, max_args=1),
    "logs": _verb("logs [-f] [-t] [--since WHEN] CONTAINER",
                  {"-f": "follow", "--follow": "follow", "-t": "timestamps", "--timestamps": "timestamps"},
                  {"--since": "since"}, min_args=1, max_args=1),
    "port": _verb("port CONTAINER", min_args=1, max_args=1),
    "top": _verb("top CONTAINER", min_args=1, max_args=1),
    "stats": _verb("stats [CONTAINER]", max_args=1),
    "inspect": _verb("inspect CONTAINER", min_args=1, max_args=1),
    "exec": _verb("exec [-it] CONTAINER COMMAND…", {"-i": "interactive", "--interactive": "interactive",
                                                     "-t": "tty", "--tty": "tty"}, min_args=2),
    "attach": _verb("attach CONTAINER", min_args=1, max_args=1),
    "login": _verb("login [REGISTRY]", max_args=1),
    "commit": _verb("commit [-m MESSAGE] [-a AUTHOR] [--pause=false] CONTAINER [REPOSITORY[:TAG]]",
                    {"-p": "pause", "--pause": "pause"},
                    {"-m": "message", "--message": "message", "-a": "author", "--author": "author"},
                    min_args=1, max_args=2),
    "export": _verb("export [-o FILE] CONTAINER", options={"-o": "output", "--output": "output"},
                    min_args=1, max_args=1),
    "save": _verb("save [-o FILE] IMAGE…", options={"-o": "output", "--output": "output"}, min_args=1),
    "load": _verb("load [-i FILE]", options={"-i": "input", "--input": "input"}, max_args=0),
    "build": _verb("build", max_args=0),
    "info": _verb("info", max_args=0),
    "version": _verb("version", max_args=0),
}


@dataclass(frozen=True)
class CliCommand:
    """A parsed line: the verb, its flags by field name (True for a switch), its arguments."""

    verb: str
    flags: dict[str, str | bool | tuple[str, ...]]
    args: tuple[str, ...]
    text: str  # as typed

    def flag(self, name: str) -> bool:
        return bool(self.flags.get(name))


def split_words(text: str) -> list[str]:
    """The line's words as a shell would split them; ValueError on unbalanced quotes."""
    try:
        return shlex.split(text)
    except ValueError as error:
        raise ValueError(f"unbalanced quotes: {error}") from None


def parse_line(text: str) -> CliCommand:
    """One docker CLI command (``docker`` in front is optional)."""
    stripped = text.strip()
    if stripped.split(maxsplit=1)[:1] == ["docker"]:
        stripped = stripped[len("docker"):].lstrip()
    head, _, rest = stripped.partition(" ")
    if head == "rm" and EXITED_SUBSHELL.match(rest.strip()):
        return CliCommand("rm-exited", {}, (), text)
    words = split_words(stripped)
    if not words:
        raise ValueError("type a command, such as ps -a, pull busybox or rm -f web")
    verb, *rest_words = words
    spec = VERBS.get(verb)
    if spec is None:
        raise ValueError(f"unknown command {verb!r}; try {', '.join(sorted(VERBS))}, or a pane name")
    flags, args = _flags_and_args(verb, spec, rest_words)
    if len(args) < spec.min_args:
        raise ValueError(f"{verb}: missing argument; usage: {spec.usage}")
    if spec.max_args is not None and len(args) > spec.max_args:
        raise ValueError(f"{verb}: too many arguments ({' '.join(args)}); usage: {spec.usage}")
    return CliCommand(verb, flags, tuple(args), text)


def _flags_and_args(verb: str, spec: Verb, words: list[str]) -> tuple[dict, list[str]]:
    """Flags up to the first argument (as the CLI does: ``exec web ls -l`` passes ``-l`` on)."""
    flags: dict[str, str | bool | tuple[str, ...]] = {}
    unknown: list[str] = []
    index = 0
    while index < len(words) and words[index].startswith("-") and words[index] != "-":
        word = words[index]
        if word == "--":  # the end of the flags, as in the CLI
            index += 1
            break
        name, equals, value = word.partition("=")
        if not name.startswith("--") and len(name) > 2 and name[:2] in spec.options:
            name, equals, value = name[:2], "=", word[2:]  # -p8080:80, -eKEY=VALUE
        if name in spec.options:
            if not equals:
                index += 1
                if index >= len(words):
                    raise ValueError(f"{verb}: {name} needs a value; usage: {spec.usage}")
                value = words[index]
            _add(flags, spec.options[name], value)
        elif word in spec.switches:
            flags[spec.switches[word]] = True
        elif name in spec.switches and equals and value in ("true", "false"):
            flags[spec.switches[name]] = value == "true"  # --pause=false, as the CLI's flags take it
        elif not word.startswith("--") and len(word) > 2 and all(f"-{c}" in spec.switches for c in word[1:]):
            for letter in word[1:]:  # -it, -aq: short switches together
                flags[spec.switches[f"-{letter}"]] = True
        else:
            unknown.append(name)
            if verb == "run" and name in RUN_UNSUPPORTED_OPTIONS and not equals:
                index += 1  # its value
        index += 1
    if unknown:
        what = "the run dialog has no field for" if verb == "run" else f"{verb} does not take"
        raise ValueError(f"{what} {', '.join(unknown)}; nothing was done")
    return flags, words[index:]


def _add(flags: dict, name: str, value: str) -> None:
    """Options that repeat (-p, -e, -v) gather; the others keep the last value."""
    if name in ("publish", "env", "volume", "label", "add_host"):
        flags[name] = (*flags.get(name, ()), value)
    else:
        flags[name] = value


def run_spec(command: CliCommand) -> RunSpec:
    """The RunSpec a ``run`` line describes; ValueError names a bad value as the dialog would."""
    flags = command.flags
    image, *cmd = command.args
    policy, retries = parse_restart_policy(str(flags.get("restart", "no")))
    return RunSpec(
        image=image,
        command=tuple(cmd),
        name=str(flags.get("name", "")),
        detach=command.flag("detach"),
        publish_all=command.flag("publish_all"),
        ports=tuple(parse_port_spec(port) for port in flags.get("publish", ())),
        env=tuple(pair for text in flags.get("env", ()) for pair in parse_env(text)),
        volumes=tuple(parse_volume(volume) for volume in flags.get("volume", ())),
        restart_policy=policy,
        restart_retries=retries,
        auto_remove=command.flag("auto_remove"),
        interactive=command.flag("interactive") or command.flag("tty"),
        labels=tuple(pair for text in flags.get("label", ()) for pair in parse_labels(text)),
        network=str(flags.get("network", "")),
        workdir=str(flags.get("workdir", "")),
        user=str(flags.get("user", "")),
        hostname=str(flags.get("hostname", "")),
        entrypoint=str(flags.get("entrypoint", "")),
        memory=parse_memory(str(flags.get("memory", ""))),
        cpus=parse_cpus(str(flags.get("cpus", ""))),
        privileged=command.flag("privileged"),
        add_hosts=tuple(pair for text in flags.get("add_host", ()) for pair in parse_add_hosts(text)),
    )
