"""Command line: ``dockertui [--host URL [--tls…] | --context NAME] [--version]``."""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING

from dockertui import __version__, heap_snapshots

if TYPE_CHECKING:
    from dockertui.backend import EngineTarget

SWITCH_INTERVAL_SECONDS = 0.001


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockertui",
        description="A keyboard-first terminal dashboard for Docker.",
    )
    parser.add_argument("--version", action="version", version=f"dockertui {__version__}")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-H", "--host", help="engine URL (unix://, tcp://, ssh://); default: DOCKER_HOST, then the current docker context")
    target.add_argument("-c", "--context", help="docker context to use (as in `docker context ls`)")
    tls = parser.add_argument_group("TLS for tcp://", "as the docker CLI's flags; DOCKER_TLS_VERIFY and DOCKER_CERT_PATH work too")
    tls.add_argument("--tls", action="store_true", help="use TLS; implied by --tlsverify")
    tls.add_argument("--tlsverify", action="store_true", help="use TLS and verify the engine's certificate")
    tls.add_argument("--tlscacert", metavar="FILE", help="trust certificates signed by this CA (default: DOCKER_CERT_PATH or ~/.docker, ca.pem)")
    tls.add_argument("--tlscert", metavar="FILE", help="client certificate (default: cert.pem there)")
    tls.add_argument("--tlskey", metavar="FILE", help="client key (default: key.pem there)")
    parser.add_argument("--config", help="config file (default: the XDG config dir's dockertui/config.toml)")
    parser.add_argument("-a", "--all", action="store_true", help="start with all containers shown, like `docker ps -a`")
    parser.add_argument("--print-host", action="store_true",
                        help="print the engine URL dockertui would use, and why, then exit")
    return parser


def print_host(target: EngineTarget) -> int:
    """``--print-host``: the engine's URL and where it came from; with discovery, every place asked."""
    from dockertui.backend import EngineUnavailable
    from dockertui.backend.discovery import find_engine

    try:
        found, tried = find_engine(target)
    except EngineUnavailable as error:
        print(f"dockertui: {error}", file=sys.stderr)
        return 1
    print(f"{found.url}\t({found.source}{f', context {found.context}' if found.context else ''})")
    for place in tried[:-1]:
        print(f"  not {place.url} ({place.what}): {place.reason}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "serve":
        # Late import: keeps the web server's packages out of the plain app's start-up.
        from dockertui.serve import serve_main

        return serve_main(argv[1:])
    args = build_parser().parse_args(argv)
    # Start-up builds a great many objects that live as long as the app; full
    # collections walking them as they pile up cost a tenth of the first list.
    # The app collects and freezes them once the first snapshot is drawn
    # (DockerTUI._freeze_heap), and collects again from then on.
    gc.disable()
    heap_snapshots.install_from_environment()
    # Imported late so that --version and --help stay instant.
    from dockertui.app import DockerTUI
    from dockertui.backend import ContextError, resolve_target
    from dockertui.backend.connection import TLSOptions
    from dockertui.config import config_path, load_config

    try:
        tls = TLSOptions(
            tls=args.tls,
            verify=args.tlsverify,
            ca_cert=args.tlscacert,
            client_cert=args.tlscert,
            client_key=args.tlskey,
        )
        target = resolve_target(host=args.host, context=args.context, tls=tls)
    except ContextError as error:
        print(f"dockertui: {error}", file=sys.stderr)
        return 2
    if args.print_host:
        return print_host(target)
    # Worker threads parse logs and events flat out; a shorter GIL switch
    # interval hands the UI thread the GIL sooner, so keys stay responsive.
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    path = config_path(args.config)
    config, problem = load_config(path)
    DockerTUI(target, show_all=args.all, config=config, config_path=path, config_problem=problem).run()
    return 0
