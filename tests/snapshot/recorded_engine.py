"""The one fake engine (STYLE.md): a recorded one, so that snapshots never change.

``recorded_app()`` is the real DockerTUI, except that its follower reports
the snapshot in recording.json (made by record.py against a real engine)
instead of connecting, and its backend answers the reads the panes make from
that recording. Ids, names and times are those of the recording; the clock
is fixed a few minutes after it.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from dockertui.app import DockerTUI
from dockertui.backend import EngineError, EngineTarget
from dockertui.backend.raw import engine_from_version, snapshot_from_raw

RECORDING = json.loads(Path(__file__).with_name("recording.json").read_text())
HOST = "unix:///var/run/docker.sock"
# "Created 5 minutes ago", whenever the test runs.
NOW = datetime.fromisoformat(RECORDING["recorded_at"]) + timedelta(minutes=5)


class RecordedBackend:
    """Answers the reads the panes make (inspect, image facts, cleanup's preview) from the recording."""

    ports_url = HOST

    def __init__(self, recording: dict[str, Any]) -> None:
        self._recording = recording

    def inspect_container(self, container_id: str) -> dict[str, Any]:
        return self._recorded("inspect_containers", container_id)

    def inspect_image(self, reference: str) -> dict[str, Any]:
        return self._recorded("inspect_images", reference)

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if method == "images":
            return self._recording["images_all" if kwargs.get("all") else "images"]
        if method == "history":
            return self._recorded("history", args[0])
        if method in ("info", "df", "networks"):
            return self._recording[method]
        raise EngineError(f"not in the recording: {method}")

    def _recorded(self, kind: str, key: str) -> dict[str, Any]:
        try:
            return self._recording[kind][key]
        except KeyError:
            raise EngineError(f"not in the recording: {kind} {key}") from None

    def __getattr__(self, name: str) -> Any:
        def not_recorded(*args: Any, **kwargs: Any) -> Any:
            raise EngineError(f"not in the recording: {name}")

        return not_recorded


class RecordedFollower:
    """Reports the recorded snapshot once, as the real follower does on connecting."""

    def __init__(self, listener: Any) -> None:
        self._listener = listener
        self._stopped = threading.Event()
        self.backend: RecordedBackend | None = None

    def run(self) -> None:
        r = RECORDING
        engine = engine_from_version(HOST, r["version"])
        self.backend = RecordedBackend(r)
        self._listener.engine_connected(
            snapshot_from_raw(engine, r["containers"], r["images"], r["volumes"], r["networks"])
        )
        self._stopped.wait()

    def stop(self) -> None:
        self._stopped.set()

    def retry_now(self) -> None:
        pass


class RecordedTUI(DockerTUI):
    def _new_follower(self, target: EngineTarget) -> Any:
        from dockertui.messages import MessageListener

        return RecordedFollower(MessageListener(self, self._generation))


def recorded_app() -> DockerTUI:
    # Not a socket: the first read (backend/first_read.py) reads no real engine.
    return RecordedTUI(EngineTarget(url="ssh://recorded.invalid", source="tests"), now=lambda: NOW)
