"""``dockertui serve``: the same app in a browser, through textual-serve.

Every browser session (each websocket) starts its own ``python -m dockertui``
process, which inherits this process's environment (``DOCKER_HOST`` and the
rest); closing the tab ends that process. Arguments after ``--`` go to each
app unchanged: ``dockertui serve --port 8080 -- --context prod -a``.

Whoever can open the page controls the Docker engine, which is root on its
host. So every request needs a secret token: a new random one per start, or
one read from ``--token-file``. It comes in the URL the server prints
(``/?token=…``, as Jupyter does) and is then kept in an HttpOnly,
SameSite=Strict cookie; without it, a page or websocket gets 403 and no app
process starts. Loopback is not a boundary between the users of one machine.
The server binds loopback unless ``--public`` says otherwise, or serves on a
0600 unix socket (``--unix-socket``). It also refuses a websocket whose
``Origin`` is another site, and, on loopback, any request whose ``Host`` is
not a loopback name (DNS rebinding).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import hmac
import ipaddress
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_COOKIE = "dockertui_token"
# A token file must hold at least this much: 128 bits as urlsafe base64.
MIN_TOKEN_LENGTH = 22

# The page textual-serve ships asks Google for its font. Offline that request
# fails (or hangs until DNS gives up), and online it tells a third party who
# opens the page, so the font comes from the copy bundled in its static files.
# Keys reach the app without a click first: xterm.js reads them from its hidden
# textarea, which has focus only once clicked; focus it as soon as it exists.
_FOCUS_SCRIPT = """<script>
window.addEventListener("load", () => {
  const focus = () => {
    const input = document.querySelector(".xterm-helper-textarea");
    if (input) { input.focus(); } else { setTimeout(focus, 50); }
  };
  focus();
});
</script>
</body>"""
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
    parser.add_argument(
        "--token-file",
        metavar="FILE",
        help=f"read the access token from FILE (at least {MIN_TOKEN_LENGTH} characters) instead of making a new one",
    )
    parser.add_argument(
        "--unix-socket",
        metavar="PATH",
        help="serve on a unix socket only its owner may use (mode 0600), not on TCP",
    )
    return parser


def read_token(path: str | None) -> str:
    """The token from ``--token-file``, or a new random one (192 bits)."""
    if path is None:
        return secrets.token_urlsafe(24)
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ServeError(f"cannot read --token-file {path}: {getattr(error, 'strerror', None) or error}") from None
    if len(token) < MIN_TOKEN_LENGTH or any(c.isspace() for c in token):
        raise ServeError(
            f"--token-file {path} must hold one token of at least {MIN_TOKEN_LENGTH} characters, without spaces"
        )
    return token


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
    """textual-serve's Server, asking for a token, guarded against other sites and needing no CDN."""

    def __init__(
        self, command: str, host: str, port: int, loopback_only: bool, token: str, unix_socket: str | None = None
    ) -> None:
        display_host = f"[{host}]" if ":" in host else host
        place = f"unix:{unix_socket}:" if unix_socket else f"http://{display_host}:{port}"
        super().__init__(command, host=host, port=port, title="dockertui", public_url=f"{place}/?token={token}")
        self.loopback_only = loopback_only
        self.unix_socket = unix_socket
        self._token = token
        self._sessions: set[asyncio.Task[object]] = set()

    def serve(self, debug: bool = False) -> None:
        if self.unix_socket is None:
            super().serve(debug)
            return
        # The socket is made by aiohttp: a umask is the way to have it 0600 from its first moment.
        previous = os.umask(0o177)
        try:
            self._serve_on_unix_socket(debug)
        finally:
            os.umask(previous)

    def _serve_on_unix_socket(self, debug: bool) -> None:
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        loop.add_signal_handler(signal.SIGINT, self.request_exit)
        loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(self._make_app(), path=self.unix_socket, handle_signals=False, loop=loop, print=lambda *args: None)

    def _token_given(self, request: web.Request) -> str | None:
        """How the request proved it knows the token ("query", "cookie"), or None."""
        for source, value in (("query", request.query.get("token")), ("cookie", request.cookies.get(TOKEN_COOKIE))):
            if value and hmac.compare_digest(value.encode(), self._token.encode()):
                return source
        return None

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        page = (self.templates_path / "app_index.html").read_text(encoding="utf-8")
        page = _FONT_LINK.sub(_LOCAL_FONT, page).replace("</body>", _FOCUS_SCRIPT, 1)
        loader = jinja2.DictLoader({"app_index.html": page})
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
        given = self._token_given(request)
        if given is None:
            raise web.HTTPForbidden(
                text="dockertui serve needs its token: open the URL it printed when it started (…/?token=…)\n"
            )
        response = await handler(request)
        if given == "query" and not response.prepared:
            # Kept for the page's own requests (static files, the websocket): scripts cannot read it.
            response.set_cookie(TOKEN_COOKIE, self._token, httponly=True, samesite="Strict", path="/")
        return response

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
    from dockertui.arguments import build_parser as app_parser

    app_parser().parse_args(app_args)
    try:
        token = read_token(args.token_file)
        if args.unix_socket:
            check_socket_path(args.unix_socket)
            loopback = False
        else:
            loopback = is_loopback(args.host, args.port)
            if not loopback and not args.public:
                raise ServeError(f"--host {args.host} is not a loopback address; add --public to serve on it anyway")
            if not loopback:
                print(public_warning(args.host, args.port), file=sys.stderr)
            check_port_free(args.host, args.port)
    except ServeError as error:
        print(f"dockertui serve: {error}", file=sys.stderr)
        return 2
    server = DockerTUIServer(
        app_command(app_args), args.host, args.port, loopback_only=loopback, token=token, unix_socket=args.unix_socket
    )
    server.serve()
    return 0


def check_socket_path(path: str) -> None:
    """A unix socket path must be free, or an old socket nothing listens on (which is removed)."""
    target = Path(path)
    if not target.exists():
        if not target.parent.is_dir():
            raise ServeError(f"cannot serve on {path}: {target.parent} is not a directory")
        return
    if not target.is_socket():
        raise ServeError(f"cannot serve on {path}: a file that is not a socket is there")
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(path)
        except OSError:
            target.unlink()  # left by a server that is gone
            return
    raise ServeError(f"cannot serve on {path}: another server listens there")


if __name__ == "__main__":
    raise SystemExit(serve_main(sys.argv[1:]))
