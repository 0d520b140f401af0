"""Swarm parsing and rendering: ports, replicas, and hostile text shown literally."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dockertui.backend.swarm_models import NodeInfo, ServiceInfo, ServicePort, TaskInfo
from dockertui.parsing import parse_replicas, parse_service_port
from dockertui.widgets.swarm_details import node_details, service_details

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
HOSTILE = "[/foo] [link=http://x]y[/link] \x1b[31mred\x1b[0m [$accent]"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("80", ServicePort(target=80, published=None)),
        ("8080:80", ServicePort(target=80, published=8080)),
        ("53:53/udp", ServicePort(target=53, published=53, protocol="udp")),
    ],
)
def test_service_ports(text, expected):
    assert parse_service_port(text) == expected


@pytest.mark.parametrize("text, words", [
    ("127.0.0.1:8080:80", "every node"),
    ("8000-8001:80-81", "range"),
    ("http", "port"),
])
def test_bad_service_ports_say_why(text, words):
    with pytest.raises(ValueError, match=words):
        parse_service_port(text)


def test_replicas():
    assert parse_replicas(" 3 ") == 3
    assert parse_replicas("0") == 0
    for bad in ("-1", "two", "", "1.5"):
        with pytest.raises(ValueError, match="whole number"):
            parse_replicas(bad)


def test_port_words():
    assert str(ServicePort(target=80, published=8080)) == "*:8080->80/tcp"
    assert str(ServicePort(target=80, published=8080, mode="host")) == "*:8080->80/tcp (host)"
    assert str(ServicePort(target=80, published=None)) == "80/tcp"


def _service() -> ServiceInfo:
    return ServiceInfo(
        id="s1", name=HOSTILE, mode="replicated", replicas_desired=3, replicas_running=2, image=HOSTILE,
        command=("sh", "-c", HOSTILE), ports=(ServicePort(80, 8080),), created=NOW, updated=NOW,
        labels=((HOSTILE, HOSTILE),), update_state="updating", update_message=HOSTILE,
    )


def test_service_details_show_hostile_text_literally():
    task = TaskInfo(
        id="t1", service_id="s1", service_name="web", slot=1, node_id="n1", node_hostname=HOSTILE,
        desired_state="running", state="running", message="", error="", container_id="c1", image="x",
        created=NOW, updated=NOW,
    )
    text = service_details(_service(), [task], NOW)
    assert "[/foo] [link=http://x]y[/link]" in text.plain
    assert "\x1b" not in text.plain
    assert "2/3" in text.plain and "web.1" in text.plain


def test_node_details_show_hostile_text_literally():
    node = NodeInfo(id="n1", hostname=HOSTILE, role="manager", availability="drain", status="ready",
                    engine_version=HOSTILE, labels=((HOSTILE, "v"),), is_self=True)
    text = node_details(node)
    assert "[/foo]" in text.plain and "(this engine)" in text.plain
    assert "\x1b" not in text.plain
