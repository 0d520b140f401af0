"""The errors the backend raises, importable without the Docker SDK."""

from __future__ import annotations


class EngineError(Exception):
    """The engine refused or failed a request; the message is for the user.

    ``status`` is the engine's HTTP status where there was one (404, 409 …).
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class EngineUnavailable(EngineError):
    """The engine cannot be reached at all."""


class UnreadableAnswer(EngineError):
    """The engine answered, but not with the JSON asked for (Podman's ``top`` to ps options it cannot take)."""
