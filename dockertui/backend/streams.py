"""Streams from the engine that another thread can close.

A thread blocked reading a stream is only freed by closing its socket, so
every stream here has a ``close()`` that is safe to call from any thread,
any number of times, and after which iteration simply ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import requests.exceptions
import urllib3.exceptions

Item = TypeVar("Item")


class EngineStreamBroken(Exception):
    """The engine closed or broke the stream (not us)."""


class ClosableStream(Generic[Item]):
    """Iterate items from an SDK stream, each passed through ``convert``."""

    def __init__(self, raw: Any, convert: Callable[[Any], Item] | None = None) -> None:
        self._raw = raw
        self._convert = convert or (lambda item: item)
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
            self._raw.close()
        except (OSError, AttributeError, ValueError):
            # Closing a socket that the engine already dropped fails in
            # several harmless ways; the stream is finished either way.
            pass

    def __iter__(self) -> Iterator[Item]:
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
