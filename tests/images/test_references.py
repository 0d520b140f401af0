"""Image references: parsing, what kind of image a name means, registry keys."""

from datetime import datetime, timezone

import pytest

from dockertui.backend.credentials import HUB_KEY, registry_key
from dockertui.backend.image_facts import ImageNode, parent_of
from dockertui.backend.images import classify, error_kind, parse_reference
from dockertui.backend.registry import base_url, parse_challenge


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("busybox", "official"),
        ("nginx:1.27", "official"),
        ("library/nginx", "user"),
        ("docker.io/library/nginx:1", "official"),
        ("bitnami/redis:7", "user"),
        ("ghcr.io/owner/app:1", "registry"),
        ("localhost/app", "registry"),
        ("127.0.0.1:5000/team/app:t1", "registry"),
        ("registry:5000/app", "registry"),
    ],
)
def test_official_user_or_other_registry(name, kind):
    assert classify(name) == kind


def test_references_without_a_tag_mean_latest():
    assert str(parse_reference("busybox")) == "busybox:latest"
    ref = parse_reference("127.0.0.1:5000/team/app@sha256:" + "a" * 64)
    assert ref.registry == "127.0.0.1:5000" and ref.tag_or_digest.startswith("sha256:")
    assert parse_reference("team/app:v1.2").tag == "v1.2"


@pytest.mark.parametrize("bad", ["", "Bad/Name", "a b", "app:tag with space", "app@sha256:12", "app:-x", "ns//app", "[/foo]"])
def test_malformed_references_are_refused(bad):
    with pytest.raises(ValueError):
        parse_reference(bad)


def test_error_kinds():
    assert error_kind("manifest for x not found: manifest unknown") == "not_found"
    assert error_kind("Head http://127.0.0.1:5000/v2/x: no basic auth credentials") == "unauthorized"
    assert error_kind('Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused') == "unreachable"
    assert error_kind("invalid reference format") == "reference"


def test_registry_keys_and_urls():
    assert registry_key("docker.io") == HUB_KEY == registry_key("")
    assert registry_key("http://127.0.0.1:5000/") == "127.0.0.1:5000"
    assert base_url("127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert base_url("localhost:5000") == "http://localhost:5000"
    assert base_url("registry.example.com") == "https://registry.example.com"
    assert parse_challenge('Bearer realm="https://a/token",service="reg"') == (
        "bearer", {"realm": "https://a/token", "service": "reg"})


def test_parents_by_shared_layers():
    t = lambda s: datetime.fromtimestamp(s, timezone.utc)  # noqa: E731
    base = ImageNode("b", ("base:1",), ("l1", "l2"), t(1))
    child = ImageNode("c", ("child:1",), ("l1", "l2", "l3"), t(2))
    meta_child = ImageNode("m", ("meta:1",), ("l1", "l2"), t(3))
    other = ImageNode("o", ("other:1",), ("x1",), t(0))
    nodes = [base, child, meta_child, other]
    assert parent_of(base, nodes) is None
    assert parent_of(meta_child, nodes) == base
    assert parent_of(child, nodes) == meta_child
    assert parent_of(other, nodes) is None
