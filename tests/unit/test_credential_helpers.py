"""A credential helper that fails, hangs or is missing: each says so, in a bounded time."""

from __future__ import annotations

import json
import os
import time

import pytest

from dockertui.backend import credentials


@pytest.fixture
def helper(tmp_path, monkeypatch):
    """``helper(script)``: docker-credential-dtuitest runs this shell script; config.json names it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text(json.dumps({"credsStore": "dtuitest"}))

    def make(script: str) -> None:
        program = bin_dir / "docker-credential-dtuitest"
        program.write_text("#!/bin/sh\n" + script)
        program.chmod(0o755)

    return make


def test_a_failing_helper_is_named_with_its_last_line(helper):
    helper('echo "first line"; echo "keychain locked"; exit 1\n')
    with pytest.raises(credentials.CredentialsError, match="docker-credential-dtuitest get failed: keychain locked"):
        credentials.load("reg.example:5000")


def test_no_account_is_none(helper):
    helper('echo "credentials not found in native keychain"; exit 1\n')
    assert credentials.load("reg.example:5000") is None
    assert not credentials.erase("reg.example:5000")


def test_a_helper_that_hangs_is_given_up_on(helper, monkeypatch):
    helper("sleep 30\n")
    monkeypatch.setattr(credentials, "HELPER_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(credentials.CredentialsError, match="did not answer within 0.5s"):
        credentials.load("reg.example:5000")
    assert time.monotonic() - started < 10


def test_a_missing_helper_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    (tmp_path / "config.json").write_text(json.dumps({"credsStore": "dtui-not-installed"}))
    with pytest.raises(credentials.CredentialsError, match="docker-credential-dtui-not-installed is configured but not installed"):
        credentials.load("reg.example:5000")


def test_an_answer_that_is_not_json(helper):
    helper('echo "not json"\n')
    with pytest.raises(credentials.CredentialsError, match="gave no JSON"):
        credentials.load("reg.example:5000")
