"""Command line: ``dockertui [--host URL [--tls…] | --context NAME] [--version]``."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from dockertui import heap_snapshots
from dockertui.arguments import build_parser

if TYPE_CHECKING:
    import argparse

    from dockertui.backend import EngineTarget
    from dockertui.config import Config
    from dockertui.fleet import FleetEntry

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
    from dockertui.backend import ContextError
    from dockertui.config import config_path, load_config

    path = config_path(args.config)
    config, problem = load_config(path)
    try:
        target, fleet = choose_engines(args, config)
    except ContextError as error:
        print(f"dockertui: {error}", file=sys.stderr)
        return 2
    if args.print_host:
        if fleet is None:
            return print_host(target)
        for entry in fleet:  # a fleet's engines, as named in its Host column
            print(f"{entry.name}\t{entry.target.url}\t({entry.target.source}"
                  f"{f', context {entry.target.context}' if entry.target.context else ''})")
        return 0
    # Worker threads parse logs and events flat out; a shorter GIL switch
    # interval hands the UI thread the GIL sooner, so keys stay responsive.
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    app = DockerTUI(target, show_all=args.all, config=config, config_path=path, config_problem=problem, fleet=fleet)
    app.start_podman_unasked = args.start_podman
    app.run()
    return 0


def choose_engines(args: argparse.Namespace, config: Config) -> tuple[EngineTarget, list[FleetEntry] | None]:
    """The engine, or the engines of a fleet (repeated -H/--context, --all-contexts, --fleet NAME).

    Raises ContextError for a context, or a fleet, that cannot be used.
    """
    from dockertui.backend import ContextError, resolve_target
    from dockertui.backend.connection import TLSOptions, list_contexts
    from dockertui.fleet import name_entries, split_named_host

    tls = TLSOptions(
        tls=args.tls, verify=args.tlsverify, ca_cert=args.tlscacert, client_cert=args.tlscert, client_key=args.tlskey,
    )
    hosts, contexts = list(args.host or []), list(args.context or [])
    if args.fleet:
        spec = config.fleets.get(args.fleet)
        if spec is None:
            known = ", ".join(sorted(config.fleets)) or "none"
            raise ContextError(f"no fleet {args.fleet!r} in the config file (fleets there: {known})")
        hosts += spec.hosts
        contexts += spec.contexts
    if args.all_contexts:
        contexts += [context.name for context in list_contexts() if context.target is not None]
    named = [(name, resolve_target(host=url, tls=tls)) for name, url in map(split_named_host, hosts)]
    named += [(name, resolve_target(context=name)) for name in contexts]
    if len(named) <= 1:
        return (named[0][1] if named else resolve_target(tls=tls)), None
    entries = name_entries(named)
    return entries[0].target, entries if len(entries) > 1 else None
