"""``dockertui serve``: the same app in a browser, through textual-serve.

Every browser session (each websocket) starts its own ``python -m dockertui``
process, which inherits this process's environment (``DOCKER_HOST`` and the
rest); closing the tab ends that process. Arguments after ``--`` go to each
app unchanged: ``dockertui serve --port 8080 -- --context prod -a``.

Whoever can open the page controls the Docker engine, which is root on its
host, so the server binds loopback unless ``--public`` says otherwise. It also
refuses a websocket whose ``Origin`` is another site (a page the user happens
to visit could otherwise drive the engine from their browser), and, while on
loopback, any request whose ``Host`` is not a loopback name (DNS rebinding).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import re
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# The page textual-serve ships asks Google for its font. Offline that request
# fails (or hangs until DNS gives up), and online it tells a third party who
# opens the page, so the font comes from the copy bundled in its static files.
_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)
_LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
      }
    </style>"""


class ServeError(Exception):
    """A reason not to start serving, said in one line."""


def build_parser() -> argparse.ArgumentParser:
    """The options of ``dockertui serve``; what follows ``--`` is not parsed here."""
    parser = argparse.ArgumentParser(
        prog="dockertui serve",
        description="Serve dockertui to a web browser: every browser tab runs its own app.",
        epilog="Arguments after -- are passed to each app, e.g. dockertui serve -- --context prod -a",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a --host that is not loopback: whoever reaches the page controls the Docker engine",
    )
    return parser


def _port(text: str) -> int:
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def app_command(app_args: list[str]) -> str:
    """The shell command textual-serve runs for each browser session."""
    return shlex.join([sys.executable, "-m", "dockertui", *app_args])


def _addresses(host: str, port: int) -> list[tuple[Any, ...]]:
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot resolve --host {host!r}: {error.strerror}") from None


def is_loopback(host: str, port: int = DEFAULT_PORT) -> bool:
    """Whether every address ``host`` stands for is a loopback address."""
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in _addresses(host, port))


def check_port_free(host: str, port: int) -> None:
    """Bind each address the server would bind, and let go, so a taken port is said plainly."""
    for family, kind, proto, _, address in _addresses(host, port):
        with socket.socket(family, kind, proto) as probe:
            # As aiohttp does: a port left in TIME_WAIT is free, one listened on is not.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                reason = "already in use" if error.errno == errno.EADDRINUSE else error.strerror
                raise ServeError(f"cannot listen on {host} port {port}: {reason}") from None


def public_warning(host: str, port: int) -> str:
    """The warning printed when serving beyond loopback."""
    return (
        f"dockertui serve: WARNING: serving on {host}:{port}, not loopback. Anyone who can reach "
        "this page controls the Docker engine, which is root on its host."
    )


def _host_name(host_header: str) -> str:
    return urlsplit(f"//{host_header}").hostname or ""


def _is_loopback_name(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class DockerTUIServer(Server):
    """textual-serve's Server, guarded against other sites and needing no CDN."""

    def __init__(self, command: str, host: str, port: int, loopback_only: bool) -> None:
        display_host = f"[{host}]" if ":" in host else host
        super().__init__(command, host=host, port=port, title="dockertui", public_url=f"http://{display_host}:{port}")
        self.loopback_only = loopback_only
        self._sessions: set[asyncio.Task[object]] = set()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        page = (self.templates_path / "app_index.html").read_text(encoding="utf-8")
        loader = jinja2.DictLoader({"app_index.html": _FONT_LINK.sub(_LOCAL_FONT, page)})
        aiohttp_jinja2.setup(app, loader=loader)
        app.middlewares.append(self._guard)
        return app

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        session = asyncio.current_task()
        assert session is not None
        self._sessions.add(session)
        try:
            return await super().handle_websocket(request)
        finally:
            self._sessions.discard(session)

    async def on_shutdown(self, app: web.Application) -> None:
        # aiohttp would wait a minute for open websockets to close by
        # themselves. Ending each session quits its app and closes its socket.
        sessions = list(self._sessions)
        for session in sessions:
            session.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.loopback_only and not _is_loopback_name(_host_name(request.host)):
            raise web.HTTPForbidden(text="dockertui serve answers only to a loopback host name\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="websocket from another site refused\n")
        return await handler(request)

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        # URLs follow the address the browser used, which on 0.0.0.0 is the
        # only one that reaches us.
        base = f"{request.scheme}://{request.host}"
        socket_base = ("wss:" if request.scheme == "https" else "ws:") + base.split(":", 1)[1]
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": socket_base + str(request.app.router["websocket"].url_for()),
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }


def serve_main(argv: list[str]) -> int:
    """``dockertui serve [--host H] [--port N] [--public] [-- APP ARGS…]``; returns the exit code."""
    own, app_args = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    args = build_parser().parse_args(own)
    # Say now, not in every browser tab, when the app's own options are wrong.
    from dockertui.cli import build_parser as app_parser

    app_parser().parse_args(app_args)
    try:
        loopback = is_loopback(args.host, args.port)
        if not loopback and not args.public:
            raise ServeError(f"--host {args.host} is not a loopback address; add --public to serve on it anyway")
        if not loopback:
            print(public_warning(args.host, args.port), file=sys.stderr)
        check_port_free(args.host, args.port)
    except ServeError as error:
        print(f"dockertui serve: {error}", file=sys.stderr)
        return 2
    DockerTUIServer(app_command(app_args), args.host, args.port, loopback_only=loopback).serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(serve_main(sys.argv[1:]))
