"""A tiny registry stand-in that uses bearer-token auth, as Docker Hub and GitLab do."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "dtui-test-token"


def _handler(username: str, password: str):
    expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            return

        def _json(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            host = self.headers["Host"]
            if self.path.startswith("/token"):
                if self.headers.get("Authorization") != expected:
                    self._json(401, {"errors": [{"code": "UNAUTHORIZED"}]})
                else:
                    self._json(200, {"token": TOKEN})
                return
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                challenge = f'Bearer realm="http://{host}/token",service="dtui-test"'
                self._json(401, {"errors": [{"code": "UNAUTHORIZED"}]}, {"WWW-Authenticate": challenge})
            elif self.path.startswith("/v2/_catalog"):
                self._json(200, {"repositories": ["team/app"]})
            elif self.path.startswith("/v2/team/app/tags/list"):
                self._json(200, {"name": "team/app", "tags": ["latest", "1.0"]})
            else:
                self._json(404, {"errors": [{"code": "NAME_UNKNOWN"}]})

    return Handler


@contextmanager
def token_registry(username: str, password: str) -> Iterator[str]:
    """Serve on a free loopback port; yields ``127.0.0.1:<port>``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(username, password))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
