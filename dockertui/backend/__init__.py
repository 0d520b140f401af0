"""Everything that talks to the Docker engine.

This package is the only one that imports ``docker``, and it never imports
``textual``: it hands the UI frozen dataclasses and closable streams.

The Docker SDK (with requests, and paramiko for ssh://) takes longer to
import than the app takes to draw its first frame, so the names that need it
are loaded on first use (PEP 562): the UI imports this package freely, and
the SDK is imported by the worker that connects.
"""

from __future__ import annotations

import importlib
import sys
import threading
from typing import TYPE_CHECKING

from dockertui.backend.connection import ContextError, EngineTarget, resolve_target
from dockertui.backend.errors import EngineError, EngineUnavailable
from dockertui.backend.models import (
    ContainerInfo,
    EngineEvent,
    EngineInfo,
    EngineSnapshot,
    ImageInfo,
    ImageTag,
    MountInfo,
    PortBinding,
)

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend
    from dockertui.backend.live import EngineFollower, FollowerListener

_ON_FIRST_USE = {
    "DockerBackend": "dockertui.backend.client",
    "EngineFollower": "dockertui.backend.live",
    "FollowerListener": "dockertui.backend.live",
}


def connect(target: EngineTarget) -> DockerBackend:
    """Connect to ``target``; the first call imports the SDK (call it from a worker).

    With nothing naming an engine, the first of the default and the
    well-known sockets that answers (discovery.py).
    """
    _import_sdk(ssh=target.url.startswith("ssh://"))
    from dockertui.backend.client import DockerBackend
    from dockertui.backend.discovery import find_engine

    found, _ = find_engine(target)
    return DockerBackend.connect(found)


def import_sdk_meanwhile(target: EngineTarget) -> None:
    """Start importing the SDK in a thread of its own, for ``connect`` to find it loaded.

    It takes about as long as composing the dashboard; begun while the UI
    composes, its file reads overlap that work.
    """
    ssh = target.url.startswith("ssh://")
    threading.Thread(target=_import_sdk, args=(ssh,), name="dockertui-sdk-import", daemon=True).start()


def _import_sdk(ssh: bool) -> None:
    """Import docker-py, without paramiko unless the engine is an ssh:// one.

    docker-py's transport package imports its ssh adapter, and so paramiko
    (a third of the SDK's import time), whatever the URL. A None in
    sys.modules makes that one import fail, which docker-py allows for; the
    block is lifted at once, so a later ssh:// engine loads both as usual
    (backend/ssh_transport.py).
    """
    if ssh or sys.modules.get("paramiko") is not None:
        import docker

        return
    if "docker" in sys.modules:
        return
    sys.modules["paramiko"] = None  # type: ignore[assignment]
    try:
        import docker  # noqa: F401
    finally:
        if sys.modules.get("paramiko", False) is None:
            del sys.modules["paramiko"]


def __getattr__(name: str) -> object:
    if name in _ON_FIRST_USE:
        return getattr(importlib.import_module(_ON_FIRST_USE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ContainerInfo",
    "ContextError",
    "DockerBackend",
    "EngineError",
    "EngineEvent",
    "EngineFollower",
    "EngineInfo",
    "EngineSnapshot",
    "EngineTarget",
    "EngineUnavailable",
    "FollowerListener",
    "ImageInfo",
    "ImageTag",
    "MountInfo",
    "PortBinding",
    "connect",
    "import_sdk_meanwhile",
    "resolve_target",
]
