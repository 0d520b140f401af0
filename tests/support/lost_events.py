"""An event stream that loses some events, as an engine under load can.

dockerd gives up on a subscriber that is slow to take an event, and a
destroy lost so left a removed container listed. The follower reads the
real engine; only these containers' ``destroy`` events never reach it.
"""

from __future__ import annotations

import pytest

from dockertui.backend.live import EngineFollower
from dockertui.backend.models import EngineEvent


def lose_destroy_events(monkeypatch: pytest.MonkeyPatch, *container_ids: str) -> list[EngineEvent]:
    """From now on, these containers' ``destroy`` events are dropped; returns the list they go to."""
    dropped: list[EngineEvent] = []
    queue = EngineFollower._queue

    def losing(follower: EngineFollower, events, event: EngineEvent) -> None:
        if event.action == "destroy" and event.actor_id in container_ids:
            dropped.append(event)
        else:
            queue(follower, events, event)

    monkeypatch.setattr(EngineFollower, "_queue", losing)
    return dropped
