"""Command line: ``dockertui [--host URL [--tls…] | --context NAME] [--version]``."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from dockertui import heap_snapshots
from dockertui.arguments import build_parser

if TYPE_CHECKING:
    from dockertui.backend import EngineTarget

SWITCH_INTERVAL_SECONDS = 0.001


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
    app = DockerTUI(target, show_all=args.all, config=config, config_path=path, config_problem=problem)
    app.start_podman_unasked = args.start_podman
    app.run()
    return 0
