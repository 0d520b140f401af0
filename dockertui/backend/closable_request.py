"""One request to the engine that any thread may cancel, at any moment.

A ``ClosableStream`` can be closed only once the engine's answer has begun,
and some answers begin late: ``docker save`` prepares the whole archive
before it sends a byte, and a commit answers when it is done. So the
request goes on a connection of its own (unix socket or plain TCP) whose
socket ``close()`` shuts, which frees the thread whether it is sending,
waiting for the answer or reading it.

Over TLS and ssh:// the SDK's connection is used: a ``close()`` before the
answer begins then takes effect when it does.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from dockertui.backend.errors import EngineError, EngineUnavailable
from dockertui.backend.streams import close_response

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# Bytes per block sent from a file object (http.client's default is 8 KiB).
SEND_BLOCK = 64 * 1024


class Cancelled(Exception):
    """The request was closed by ``close()``: not a failure, nothing to report but that."""


class ClosableRequest:
    """``send()`` then ``read()`` or ``lines()`` in one thread; ``close()`` from any, any number of times."""

    def __init__(self, backend: DockerBackend) -> None:
        self._backend = backend
        self._lock = threading.Lock()
        self._closed = False
        self._connection: http.client.HTTPConnection | None = None
        self._response: Any = None  # http.client's, or (over the SDK) requests'

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Shut the connection: the thread using it wakes up with ``Cancelled``."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            connection, response = self._connection, self._response
        if connection is not None:
            _shut(connection.sock)
        elif response is not None:
            close_response(response)

    def send(
        self, method: str, path: str, *path_args: str, params: dict[str, Any] | None = None,
        body: Any = None, headers: dict[str, str] | None = None,
    ) -> int:
        """Send the request and wait for the answer to begin; returns its status.

        ``path`` is a format with ``{0}`` … for ``path_args``, as the SDK's
        ``_url``. A status of 400 or more raises EngineError with the
        engine's own message.
        """
        own = self._backend.own_connection()
        if own is None:
            return self._send_through_sdk(method, path, path_args, params, body, headers)
        connection, prefix = own
        connection.blocksize = SEND_BLOCK
        with self._lock:
            if self._closed:
                raise Cancelled
            self._connection = connection
        target = prefix + path.format(*(quote(arg, safe="/:") for arg in path_args))
        if params:
            target += "?" + urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        try:
            connection.connect()
            with self._lock:
                if self._closed:  # closed while connecting: close() found no socket to shut
                    connection.close()
                    raise Cancelled
            # Connected: from here the engine may take as long as its work does.
            connection.sock.settimeout(None)
            try:
                connection.request(method, target, body=body, headers=headers or {})
            except OSError:
                # The engine may answer (a refusal) and hang up before it has read the
                # whole body: its answer is still there to read.
                if self._closed:
                    raise
            self._response = connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            if self._closed:
                raise Cancelled from error
            raise EngineUnavailable(f"the connection to the engine broke: {error}") from error
        if self._response.status >= 400:
            raise EngineError(_message(self._response.read()) or self._response.reason, self._response.status)
        return self._response.status

    def _send_through_sdk(
        self, method: str, path: str, path_args: tuple[str, ...], params: dict[str, Any] | None,
        body: Any, headers: dict[str, str] | None,
    ) -> int:
        import docker.errors

        api = self._backend.api
        call = {"GET": "_get", "POST": "_post"}[method]
        response = self._backend.call(call, api._url(path, *path_args), params=params, data=body,
                                      headers=headers, stream=True, timeout=None)
        with self._lock:
            self._response = response
            closed = self._closed
        if closed:
            close_response(response)
            raise Cancelled
        try:
            api._raise_for_status(response)
        except docker.errors.APIError as error:
            response.close()
            raise EngineError(error.explanation or str(error), error.status_code) from error
        return response.status_code

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes of the answer as they arrive; b"" at its end."""
        try:
            if self._connection is not None:
                return self._response.read1(size)
            # urllib3's read waits for ``size`` bytes (or the end): progress comes in steps of it.
            return self._response.raw.read(size)
        except Exception as error:
            self._failed(error)
            raise

    def lines(self) -> Iterator[bytes]:
        """The answer line by line (the engine's JSON progress messages)."""
        try:
            if self._connection is not None:
                yield from self._response
            else:
                yield from self._response.iter_lines()
        except Exception as error:
            self._failed(error)
            raise

    def _failed(self, error: Exception) -> None:
        """A read that failed: Cancelled if we closed it, else the engine broke it off."""
        if self._closed:
            raise Cancelled from error
        import requests.exceptions
        import urllib3.exceptions

        broken = (OSError, http.client.HTTPException, requests.exceptions.RequestException,
                  urllib3.exceptions.HTTPError, ValueError)
        if isinstance(error, broken):
            raise EngineUnavailable(f"the engine broke off its answer: {error or type(error).__name__}") from error

    def finish(self) -> None:
        """Release the connection after a complete answer."""
        with self._lock:
            self._closed = True
            connection, response = self._connection, self._response
        if connection is not None:
            connection.close()
        elif response is not None:
            response.close()


def _shut(sock: socket.socket | None) -> None:
    if sock is None:
        return  # not connected yet: send() sees the close before it connects
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        # Not connected yet, or the engine already dropped it: closing is all that is left.
        pass
    sock.close()


def _message(body: bytes) -> str:
    """The engine's ``{"message": …}``."""
    try:
        return str(json.loads(body).get("message", "")).strip()
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace").strip()
