"""TLS flags, the context list and the engine-info record, without an engine."""

from __future__ import annotations

import json

from dockertui.backend.connection import TLSOptions, list_contexts, resolve_target
from dockertui.backend.engine_info import ComposeInfo, details_from_raw, detect_compose
from tests.hosts.test_hosts_app import write_context


def test_tls_flags_like_the_docker_cli(tmp_path):
    env = {"DOCKER_CONFIG": str(tmp_path)}
    plain = resolve_target(host="tcp://h:2375", environ=env)
    assert plain.tls is None
    (tmp_path / "ca.pem").write_text("x")
    verify = resolve_target(host="tcp://h:2376", environ=env, tls=TLSOptions(verify=True, client_cert="/c.pem", client_key="/k.pem"))
    assert verify.tls.verify and verify.tls.ca_cert == str(tmp_path / "ca.pem")
    assert (verify.tls.client_cert, verify.tls.client_key) == ("/c.pem", "/k.pem")
    # --tls alone: encrypted, not verified; absent default files are left out.
    loose = resolve_target(host="tcp://h:2376", environ=env, tls=TLSOptions(tls=True))
    assert loose.tls is not None and not loose.tls.verify and loose.tls.client_cert is None


def test_list_contexts_marks_the_cli_current_and_keeps_broken_ones(tmp_path):
    write_context(tmp_path, "zeta", "ssh://me@box")
    write_context(tmp_path, "alpha", "tcp://a:2376", description="[red]lab[/red]")
    broken = tmp_path / "contexts" / "meta" / "f00" / "meta.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json")
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "zeta"}))
    found = list_contexts({"DOCKER_CONFIG": str(tmp_path)})
    assert [c.name for c in found][0] == "default"
    by_name = {c.name: c for c in found}
    assert by_name["zeta"].is_cli_current and by_name["zeta"].target.url == "ssh://me@box"
    assert by_name["alpha"].description == "[red]lab[/red]"
    assert any(c.error and c.target is None for c in found)


def test_default_context_follows_docker_host(tmp_path):
    found = list_contexts({"DOCKER_CONFIG": str(tmp_path), "DOCKER_HOST": "tcp://x:2375"})
    assert found[0].url == "tcp://x:2375" and found[0].is_cli_current


def test_compose_detection_prefers_the_plugin():
    answers = {("docker", "compose", "version"): None, ("docker-compose", "version"): "docker-compose version 1.29.2"}
    assert detect_compose(answers.get) == ComposeInfo("docker-compose", "docker-compose version 1.29.2")
    assert detect_compose(lambda command: None) is None
    plugin = detect_compose(lambda command: "Docker Compose version v2.27.0")
    assert plugin.command == "docker compose"


def test_details_from_raw():
    version = {"Version": "20.10.24", "ApiVersion": "1.41", "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64", "KernelVersion": "6.1"}
    info = {
        "Driver": "overlay2", "DockerRootDir": "/var/lib/docker", "ContainersRunning": 2, "ContainersPaused": 1,
        "ContainersStopped": 3, "Images": 7, "Swarm": {"LocalNodeState": "active"},
        "RegistryConfig": {"IndexConfigs": {"docker.io": {}, "reg.local:5000": {}}, "Mirrors": ["https://m"], "InsecureRegistryCIDRs": ["127.0.0.0/8"]},
    }
    details = details_from_raw("h", "docker-py 7", "1.41", version, info, None)
    assert details.api_version_range == "1.12 – 1.41"
    assert (details.containers_running, details.containers_paused, details.containers_stopped, details.images) == (2, 1, 3, 7)
    assert details.registries == ("docker.io", "reg.local:5000") and details.swarm_active
