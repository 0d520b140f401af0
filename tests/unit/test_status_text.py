"""The container status keeps its meaning as time passes, worded as the engine words it."""

from __future__ import annotations

import pytest

from dockertui.status_text import docker_duration, live_status, parse_docker_duration


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.4, "Less than a second"),
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "About a minute"),
        (119, "About a minute"),
        (120, "2 minutes"),
        (3599, "59 minutes"),
        (3600, "About an hour"),
        (5399, "About an hour"),
        (5400, "2 hours"),
        (47 * 3600, "47 hours"),
        (48 * 3600, "2 days"),
        (14 * 86400, "2 weeks"),
        (60 * 86400, "2 months"),
        (2 * 365 * 86400, "2 years"),
    ],
)
def test_durations_are_worded_as_the_engine_words_them(seconds, words):
    assert docker_duration(seconds) == words


def test_engine_durations_read_back():
    assert parse_docker_duration("Less than a second") == 0
    assert parse_docker_duration("About an hour") == 3600
    assert parse_docker_duration("3 weeks") == 3 * 7 * 86400
    assert parse_docker_duration("1 second") == 1
    assert parse_docker_duration("soon") is None


@pytest.mark.parametrize(
    ("status", "elapsed", "now"),
    [
        ("Up Less than a second", 300, "Up 5 minutes"),
        ("Up 5 minutes (Paused)", 3600, "Up About an hour (Paused)"),
        ("Up About a minute (health: starting)", 30, "Up About a minute (health: starting)"),
        ("Up 3 seconds (healthy)", 120, "Up 2 minutes (healthy)"),
        ("Exited (137) 2 hours ago", 2 * 86400, "Exited (137) 2 days ago"),
        ("Restarting (1) 5 seconds ago", 10, "Restarting (1) 15 seconds ago"),
        ("Created", 1000, "Created"),
        ("Removal In Progress", 1000, "Removal In Progress"),
        ("Up [/foo] (x)", 1000, "Up [/foo] (x)"),
    ],
)
def test_a_status_ages(status, elapsed, now):
    assert live_status(status, elapsed) == now


def test_statuses_sort_by_kind_then_age():
    from dockertui.widgets.container_table import status_cell

    statuses = ["Exited (0) 2 hours ago", "Up 5 minutes", "Created", "Up About an hour", "Exited (1) 3 seconds ago", "Up 2 days"]
    ordered = sorted(statuses, key=lambda status: status_cell(status).sort_key)
    assert ordered == [
        "Up 5 minutes", "Up About an hour", "Up 2 days", "Exited (1) 3 seconds ago", "Exited (0) 2 hours ago", "Created",
    ]


def test_status_age_reads_the_duration():
    from dockertui.status_text import status_age

    assert status_age("Up Less than a second") == 0
    assert status_age("Exited (1) 3 minutes ago") == 180
    assert status_age("Created") is None
