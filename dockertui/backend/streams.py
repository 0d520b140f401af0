"""Streams from the engine that another thread can close.

A thread blocked reading a stream is only freed by closing what carries it,
so every stream here has a ``close()`` that is safe to call from any thread,
any number of times, and after which iteration simply ends.

What carries a response depends on the URL: a socket (``unix://``,
``tcp://``, TLS), a paramiko channel (``ssh://``, the SDK's default), or an
``ssh`` child process (``ssh://`` without paramiko). The SDK's own
``CancellableStream.close()`` refuses the last two, so :func:`close_response`
handles all three.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")


class EngineStreamBroken(Exception):
    """The engine closed or broke the stream (not us)."""


def _carrier(response: Any) -> Any:
    """The object under a streaming response: a socket, a channel or an ``ssh`` process."""
    fp = getattr(getattr(response.raw, "_fp", None), "fp", None)
    if fp is None:
        return None
    channel = getattr(fp, "channel", None)
    if channel is not None:
        # paramiko's ChannelFile, or the ssh process's stdout the SDK tagged with its SSHSocket.
        return getattr(channel, "proc", None) or channel
    raw = getattr(fp, "raw", None)
    return getattr(raw, "_sock", None) or getattr(raw, "sock", None) or getattr(fp, "_sock", None)


def close_response(response: Any) -> None:
    """Shut the connection under a streaming HTTP response, from any thread.

    A reader blocked on it wakes up with an end of stream or an error.
    """
    carrier = _carrier(response)
    if carrier is None:
        return
    if isinstance(carrier, socket.socket):
        try:
            carrier.shutdown(socket.SHUT_RDWR)
        except OSError:
            # The engine already dropped it; closing is all that is left.
            pass
        carrier.close()
    elif hasattr(carrier, "terminate"):
        # `ssh ... docker system dial-stdio`: once it exits its stdout ends.
        carrier.terminate()
    else:
        # A paramiko channel: close() wakes a reader blocked in recv(). It
        # says the closing to the server, which fails (EOFError) once the ssh
        # connection itself is gone: then there is nothing left to close.
        try:
            carrier.close()
        except (EOFError, OSError):
            pass


class ClosableStream(Generic[Item]):
    """Iterate items from an SDK stream, each passed through ``convert``.

    ``response`` is the HTTP response the stream reads; closing shuts what
    carries it. Without one, the stream's own ``close()`` is used.
    """

    def __init__(self, raw: Any, convert: Callable[[Any], Item] | None = None, response: Any = None) -> None:
        self._raw = raw
        self._convert = convert or (lambda item: item)
        self._response = response
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        """Unblock the reader: shut the socket under the stream."""
        if self._closed.is_set():
            return
        self._closed.set()
        try:
            if self._response is not None:
                close_response(self._response)
            else:
                self._raw.close()
        except (OSError, AttributeError, ValueError):
            # Closing a socket that the engine already dropped fails in
            # several harmless ways; the stream is finished either way.
            pass

    def __iter__(self) -> Iterator[Item]:
        # Imported here: a stream exists only once the SDK (and so these) is loaded.
        import requests.exceptions
        import urllib3.exceptions

        try:
            for raw in self._raw:
                if self._closed.is_set():
                    return
                yield self._convert(raw)
        except (OSError, ValueError, AttributeError, requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as error:
            # After close() the reader sees a dead socket: that is the normal end.
            if self._closed.is_set():
                return
            raise EngineStreamBroken(str(error) or type(error).__name__) from error


def read_channel_chunks(response: Any, size: int) -> Iterator[bytes]:
    """The body of a chunked response over a paramiko channel (``ssh://``), as it arrives.

    The channel's file has no ``read1``, so the body is read chunk by chunk,
    and chunks already waiting are joined, so a burst of log lines still
    arrives in few pieces of up to ``size`` bytes.
    """
    raw = response.raw
    fp = getattr(getattr(raw, "_fp", None), "fp", None)
    channel = getattr(fp, "channel", None)

    def more_waiting() -> bool:
        # paramiko's BufferedFile keeps read-ahead bytes in _rbuffer.
        return bool(getattr(fp, "_rbuffer", b"")) or bool(channel is not None and channel.recv_ready())

    pending: list[bytes] = []
    pending_size = 0
    for chunk in raw.read_chunked(decode_content=False):
        pending.append(chunk)
        pending_size += len(chunk)
        if pending_size >= size or not more_waiting():
            yield b"".join(pending)
            pending, pending_size = [], 0
    if pending:
        yield b"".join(pending)
