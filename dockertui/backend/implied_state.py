"""What a container event says of its state before the container list does.

The engine sends ``die`` or ``pause`` a little before its list shows the new
state, so a re-read straight after the event can still read the old one and
waits for it to settle (live.py). The event itself already says what the row
should read: shown at once, the row is right one re-read sooner, and the
re-read that follows confirms it and brings what only the list knows (the
ports a stopped container no longer publishes, its networks).
"""

from __future__ import annotations

from dataclasses import replace

from dockertui.backend.models import ContainerInfo, EngineEvent

PAUSED_SUFFIX = " (Paused)"


def implied_change(event: EngineEvent, known: ContainerInfo | None) -> ContainerInfo | None:
    """``known`` as it reads after ``event``, or None when the event says nothing certain of it.

    The status words are the engine's for a change that has just happened
    ("Exited (137) Less than a second ago").
    """
    if known is None or event.type != "container":
        return None
    action = event.action
    if action == "die" and known.state in ("running", "paused"):
        code = dict(event.attributes).get("exitCode", "0")
        return replace(known, state="exited", status=f"Exited ({code}) Less than a second ago")
    if action == "pause" and known.state == "running":
        return replace(known, state="paused", status=known.status + PAUSED_SUFFIX)
    if action == "unpause" and known.state == "paused":
        return replace(known, state="running", status=known.status.removesuffix(PAUSED_SUFFIX))
    if action == "start" and known.state != "running":
        return replace(known, state="running", status="Up Less than a second")
    return None
