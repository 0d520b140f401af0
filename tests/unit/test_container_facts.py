"""Inspect's facts for the details pane, from an inspect document."""

from __future__ import annotations

from dockertui.backend.container_facts import facts_from_inspect

DOCUMENT = {
    "Id": "abc",
    "RestartCount": 2,
    "State": {
        "Status": "running", "StartedAt": "2026-11-29T11:27:43.658288198Z", "FinishedAt": "0001-01-01T00:00:00Z",
        "ExitCode": 0, "Error": "", "Health": {"Status": "unhealthy"},
    },
    "Config": {"Env": ["A=x=y", "EMPTY=", "BARE"], "Entrypoint": ["/bin/sh", "-c"], "WorkingDir": "/srv", "User": "app"},
    "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}},
    "NetworkSettings": {"Networks": {"front": {"IPAddress": "10.0.0.2"}, "none": {"IPAddress": ""}}},
}


def test_facts_read_from_an_inspect_document():
    facts = facts_from_inspect(DOCUMENT, "running")
    assert facts.started_at is not None and facts.started_at.year == 2026
    assert facts.finished_at is None and facts.exit_code is None  # the zero time means "never"
    assert facts.restart_policy == "on-failure:3" and facts.restart_count == 2
    assert facts.health == "unhealthy"
    assert facts.env == (("A", "x=y"), ("BARE", ""), ("EMPTY", ""))
    assert facts.networks == (("front", "10.0.0.2"), ("none", ""))
    assert facts.entrypoint == ("/bin/sh", "-c") and facts.working_dir == "/srv" and facts.user == "app"


def test_a_sparse_document_gives_defaults():
    facts = facts_from_inspect({"Id": "x", "State": {"FinishedAt": "2026-11-29T11:28:27Z", "ExitCode": 137}}, "exited")
    assert facts.exit_code == 137 and facts.restart_policy == "no" and facts.env == () and facts.networks == ()
