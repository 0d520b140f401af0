"""What a container event implies of its row before the re-read confirms it."""

from __future__ import annotations

from datetime import datetime, timezone

from dockertui.backend.implied_state import implied_change
from dockertui.backend.models import ContainerInfo, EngineEvent

RUNNING = ContainerInfo(
    id="c1", name="web", image="busybox", image_id="sha256:1", command="sleep 300",
    created=datetime(2026, 12, 1, tzinfo=timezone.utc), state="running", status="Up 5 minutes",
)


def event(action: str, **attributes: str) -> EngineEvent:
    return EngineEvent("container", action, "c1", tuple(attributes.items()))


def test_die_reads_exited_with_its_code_at_once():
    info = implied_change(event("die", exitCode="137", name="web"), RUNNING)
    assert (info.state, info.status) == ("exited", "Exited (137) Less than a second ago")
    assert info.name == "web" and info.ports == RUNNING.ports


def test_pause_and_unpause_read_as_the_engine_words_them():
    paused = implied_change(event("pause"), RUNNING)
    assert (paused.state, paused.status) == ("paused", "Up 5 minutes (Paused)")
    resumed = implied_change(event("unpause"), paused)
    assert (resumed.state, resumed.status) == ("running", "Up 5 minutes")


def test_start_of_a_stopped_container_reads_up():
    exited = implied_change(event("die", exitCode="0"), RUNNING)
    started = implied_change(event("start"), exited)
    assert (started.state, started.status) == ("running", "Up Less than a second")


def test_events_that_say_nothing_certain_imply_nothing():
    assert implied_change(event("kill", signal="15"), RUNNING) is None
    assert implied_change(event("start"), RUNNING) is None  # already running: nothing new to show
    assert implied_change(event("pause"), implied_change(event("die"), RUNNING)) is None
    assert implied_change(event("die"), None) is None  # never seen: its re-read shows it
    assert implied_change(event("die"), implied_change(event("die"), RUNNING)) is None  # exited already
    assert implied_change(EngineEvent("network", "connect", "n1"), RUNNING) is None
