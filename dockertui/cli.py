"""Command line: ``dockertui [--host URL | --context NAME] [--version]``."""

from __future__ import annotations

import argparse
import sys

from dockertui import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockertui",
        description="A keyboard-first terminal dashboard for Docker.",
    )
    parser.add_argument("--version", action="version", version=f"dockertui {__version__}")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-H", "--host", help="engine URL (unix://, tcp://, ssh://); default: DOCKER_HOST, then the current docker context")
    target.add_argument("-c", "--context", help="docker context to use (as in `docker context ls`)")
    parser.add_argument("--config", help="config file (default: the XDG config dir's dockertui/config.toml)")
    parser.add_argument("-a", "--all", action="store_true", help="start with all containers shown, like `docker ps -a`")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Imported late so that --version and --help stay instant.
    from dockertui.app import DockerTUI
    from dockertui.backend import ContextError, resolve_target
    from dockertui.config import config_path, load_config

    try:
        target = resolve_target(host=args.host, context=args.context)
    except ContextError as error:
        print(f"dockertui: {error}", file=sys.stderr)
        return 2
    path = config_path(args.config)
    config, problem = load_config(path)
    DockerTUI(target, show_all=args.all, config=config, config_path=path, config_problem=problem).run()
    return 0
