"""The app's own command-line options, shared by ``dockertui`` and ``dockertui serve -- …``."""

from __future__ import annotations

import argparse

from dockertui import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockertui",
        description="A keyboard-first terminal dashboard for Docker.",
    )
    parser.add_argument("--version", action="version", version=f"dockertui {__version__}")
    target = parser.add_argument_group(
        "engines", "one engine, or several at once (a fleet: every list gains a Host column)"
    )
    target.add_argument("-H", "--host", action="append", metavar="[NAME=]URL",
                        help="engine URL (unix://, tcp://, ssh://); repeat for a fleet, NAME= names its rows; "
                             "default: DOCKER_HOST, then the current docker context")
    target.add_argument("-c", "--context", action="append", metavar="NAME",
                        help="docker context to use (as in `docker context ls`); repeat for a fleet")
    target.add_argument("--all-contexts", action="store_true", help="a fleet of every docker context")
    target.add_argument("--fleet", metavar="NAME", help="the engines of [fleets.NAME] in the config file")
    tls = parser.add_argument_group("TLS for tcp://", "as the docker CLI's flags; DOCKER_TLS_VERIFY and DOCKER_CERT_PATH work too")
    tls.add_argument("--tls", action="store_true", help="use TLS; implied by --tlsverify")
    tls.add_argument("--tlsverify", action="store_true", help="use TLS and verify the engine's certificate")
    tls.add_argument("--tlscacert", metavar="FILE", help="trust certificates signed by this CA (default: DOCKER_CERT_PATH or ~/.docker, ca.pem)")
    tls.add_argument("--tlscert", metavar="FILE", help="client certificate (default: cert.pem there)")
    tls.add_argument("--tlskey", metavar="FILE", help="client key (default: key.pem there)")
    parser.add_argument("--config", help="config file (default: the XDG config dir's dockertui/config.toml)")
    parser.add_argument("-a", "--all", action="store_true", help="start with all containers shown, like `docker ps -a`")
    parser.add_argument("--start-podman", action="store_true",
                        help="if no engine answers and Podman is installed, start its service (stopped on quit)")
    parser.add_argument("--print-host", action="store_true",
                        help="print the engine URL dockertui would use, and why, then exit")
    return parser
