"""A FollowerListener that records what it hears, for tests to wait on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class RecordingListener:
    """Keeps every report as ``(kind, *args)`` and lets a test wait for one."""

    def __init__(self) -> None:
        self.reports: list[tuple[Any, ...]] = []
        self._changed = threading.Condition()

    def _add(self, *report: Any) -> None:
        with self._changed:
            self.reports.append(report)
            self._changed.notify_all()

    def engine_connected(self, snapshot):
        self._add("connected", snapshot)

    def engine_lost(self, reason, retry_in):
        self._add("lost", reason, retry_in)

    def containers_changed(self, changes):
        # One report per container, so tests can wait on a single id.
        for container_id, info in changes.items():
            self._add("container", container_id, info)

    def image_changed(self, reference, info):
        self._add("image", reference, info)

    def volumes_changed(self, volumes):
        self._add("volumes", volumes)

    def networks_changed(self, networks):
        self._add("networks", networks)

    def swarm_changed(self, swarm):
        self._add("swarm", swarm)

    def event_received(self, event):
        self._add("event", event)

    def wait_for(self, predicate: Callable[[tuple[Any, ...]], bool], timeout: float = 20, after: int = 0) -> tuple[Any, ...]:
        """The first report (from index ``after`` on) that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for report in self.reports[after:]:
                    if predicate(report):
                        return report
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    kinds = [r[0] for r in self.reports[after:]]
                    raise AssertionError(f"no matching report within {timeout}s; saw {kinds}")
                self._changed.wait(remaining)
