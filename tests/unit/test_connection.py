"""Which engine we talk to: --host, DOCKER_HOST, contexts, default."""

import hashlib
import json

import pytest

from dockertui.backend.connection import DEFAULT_HOST, ContextError, resolve_target


def write_context(config_dir, name, host, tls=False, skip_verify=False):
    context_id = hashlib.sha256(name.encode()).hexdigest()
    meta_dir = config_dir / "contexts" / "meta" / context_id
    meta_dir.mkdir(parents=True)
    meta = {"Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_verify}}}
    (meta_dir / "meta.json").write_text(json.dumps(meta))
    if tls:
        tls_dir = config_dir / "contexts" / "tls" / context_id / "docker"
        tls_dir.mkdir(parents=True)
        for file_name in ("ca.pem", "cert.pem", "key.pem"):
            (tls_dir / file_name).write_text("x")


def test_host_flag_wins(tmp_path):
    env = {"DOCKER_HOST": "tcp://env:2375", "DOCKER_CONFIG": str(tmp_path)}
    target = resolve_target(host="unix:///flag.sock", environ=env)
    assert (target.url, target.source) == ("unix:///flag.sock", "--host")


def test_docker_host_beats_current_context(tmp_path):
    write_context(tmp_path, "remote", "ssh://me@box")
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "remote"}))
    target = resolve_target(environ={"DOCKER_HOST": "tcp://env:2375", "DOCKER_CONFIG": str(tmp_path)})
    assert (target.url, target.source) == ("tcp://env:2375", "DOCKER_HOST")


def test_current_context_from_config(tmp_path):
    write_context(tmp_path, "remote", "ssh://me@box:2222")
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "remote"}))
    target = resolve_target(environ={"DOCKER_CONFIG": str(tmp_path)})
    assert (target.url, target.context, target.source) == ("ssh://me@box:2222", "remote", "context")
    assert target.display == "remote (ssh://me@box:2222)"


def test_docker_context_env_beats_config(tmp_path):
    write_context(tmp_path, "a", "tcp://a:2376", tls=True)
    write_context(tmp_path, "b", "tcp://b:2376")
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "b"}))
    target = resolve_target(environ={"DOCKER_CONFIG": str(tmp_path), "DOCKER_CONTEXT": "a"})
    assert target.url == "tcp://a:2376"
    assert target.tls is not None and target.tls.ca_cert.endswith("ca.pem") and target.tls.verify


def test_context_flag_and_default_context(tmp_path):
    write_context(tmp_path, "lab", "tcp://lab:2375")
    assert resolve_target(context="lab", environ={"DOCKER_CONFIG": str(tmp_path)}).url == "tcp://lab:2375"
    assert resolve_target(context="default", environ={"DOCKER_CONFIG": str(tmp_path)}).url == DEFAULT_HOST


def test_default_socket_when_nothing_is_configured(tmp_path):
    target = resolve_target(environ={"DOCKER_CONFIG": str(tmp_path)})
    assert (target.url, target.source) == (DEFAULT_HOST, "default")


def test_unknown_context_is_a_clear_error(tmp_path):
    with pytest.raises(ContextError, match="'nope' not found"):
        resolve_target(context="nope", environ={"DOCKER_CONFIG": str(tmp_path)})


def test_tls_from_environment(tmp_path):
    env = {"DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(tmp_path)}
    target = resolve_target(environ=env)
    assert target.tls.ca_cert == str(tmp_path / "ca.pem")
    assert target.tls.client_key == str(tmp_path / "key.pem")
