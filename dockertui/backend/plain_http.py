"""Small engine requests without the SDK's cost per request, for actions on many containers.

It also reads the first snapshot while the SDK is still loading (first_read.py).

docker-py spends about 1.5 ms of Python on each request (its own layers,
requests and urllib3). A bulk remove of a thousand containers is then 1.5 s
of one core under the GIL, taken from the UI thread, which drew its frames
several times slower meanwhile; and the removal took half as long again as
``docker rm``. ``http.client`` on a connection kept per thread spends about a
fifth of that. It speaks to a unix socket or plain TCP; ssh:// and TLS
engines keep using the SDK (``PlainHTTP.for_url`` gives None for them).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from dockertui.backend.connect_errors import describe_connection_error
from dockertui.backend.errors import EngineError, EngineUnavailable

# A connection the engine closed while it sat unused fails at once, before
# the request reaches the engine: sending it again on a new one is safe.
STALE_CONNECTION = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class UnixConnection(http.client.HTTPConnection):
    """HTTP to a unix socket, with the timeout also on the connect."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class PlainHTTP:
    """Requests to the engine's API, one kept connection per thread.

    ``api_version`` None: the paths go unversioned (``/version``, to learn it).
    """

    def __init__(
        self, connect: Callable[[], http.client.HTTPConnection], api_version: str | None, timeout: float
    ) -> None:
        self._connect = connect
        self._prefix = f"/v{api_version}" if api_version else ""
        self._timeout = timeout
        self._local = threading.local()

    @classmethod
    def for_url(cls, url: str, api_version: str | None, timeout: float) -> PlainHTTP | None:
        """For an engine at ``url`` reached without TLS or ssh; else None."""
        parts = urlsplit(url)
        if parts.scheme in ("unix", "http+unix") and parts.path:
            return cls(lambda: UnixConnection(parts.path, timeout), api_version, timeout)
        if parts.scheme in ("tcp", "http") and parts.hostname:
            host, port = parts.hostname, parts.port or 2375
            return cls(lambda: http.client.HTTPConnection(host, port, timeout=timeout), api_version, timeout)
        return None

    @property
    def prefix(self) -> str:
        """What goes before every path: ``/v1.41``."""
        return self._prefix

    def new_connection(self) -> http.client.HTTPConnection:
        """A connection of the caller's own, not the one kept for its thread (a long transfer's)."""
        return self._connect()

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        return json.loads(self.request("GET", path, params))

    def request(self, method: str, path: str, params: dict[str, str] | None = None, extra_seconds: float = 0) -> bytes:
        """``method path?params``, answered with the body; raises EngineError with the engine's own message when it refuses.

        ``extra_seconds``: what the engine may spend beyond an ordinary answer (a stop's grace period).
        """
        target = self._prefix + quote(path) + (f"?{urlencode(params)}" if params else "")
        for attempt in (1, 2):
            connection, reused = self._connection()
            connection.timeout = self._timeout + extra_seconds
            if connection.sock is not None:
                connection.sock.settimeout(connection.timeout)
            try:
                connection.request(method, target)
                response = connection.getresponse()
                body = response.read()
                break
            except STALE_CONNECTION as error:
                self.close()
                if reused and attempt == 1:
                    continue
                raise EngineUnavailable(describe_connection_error(error)) from error
            except TimeoutError as error:
                self.close()
                raise EngineUnavailable(
                    "the engine did not answer in time; it may still carry this out once it answers"
                ) from error
            except (OSError, http.client.HTTPException) as error:
                self.close()
                raise EngineUnavailable(describe_connection_error(error)) from error
        if response.status >= 400:
            raise EngineError(_message(body) or f"{response.status} {response.reason}", response.status)
        return body

    def _connection(self) -> tuple[http.client.HTTPConnection, bool]:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            return connection, True
        connection = self._local.connection = self._connect()
        return connection, False

    def close(self) -> None:
        """Close the calling thread's connection; the next request opens another."""
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()


def _message(body: bytes) -> str:
    """The engine's ``{"message": …}``, as the SDK's errors give it."""
    try:
        return str(json.loads(body).get("message", "")).strip()
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace").strip()
