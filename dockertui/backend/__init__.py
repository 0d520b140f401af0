"""Everything that talks to the Docker engine.

This package is the only one that imports ``docker``, and it never imports
``textual``: it hands the UI frozen dataclasses and closable streams.
"""

from dockertui.backend.client import DockerBackend, EngineError, EngineUnavailable
from dockertui.backend.connection import ContextError, EngineTarget, resolve_target
from dockertui.backend.live import EngineFollower, FollowerListener
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
    "resolve_target",
]
