"""Screens that work on one engine: the fleet's engine they were opened for, or the app's only one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from dockertui.fleet import backend_on

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

S = TypeVar("S", bound="OnEngine")


class OnEngine:
    """Mixed into a dialog: ``engine_host`` names its engine in a fleet ("" with one engine)."""

    engine_host = ""
    app: Any

    def on_engine(self: S, host: str) -> S:
        self.engine_host = host
        return self

    @property
    def engine_backend(self) -> DockerBackend | None:
        """The connection it works through; None while that engine is away."""
        return backend_on(self.app, self.engine_host)
