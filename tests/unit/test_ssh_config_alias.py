"""An ssh:// alias is read from ~/.ssh/config as ssh reads it (no engine, no server)."""

from __future__ import annotations

import pytest

pytest.importorskip("paramiko")

from dockertui.backend.ssh_transport import with_config_port, with_host_name


@pytest.fixture
def ssh_config(tmp_path, monkeypatch):
    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "config").write_text("Host web\n    HostName 10.1.2.3\n    Port 2222\n")
    monkeypatch.setenv("HOME", str(tmp_path))


def test_the_alias_gives_its_port_unless_the_url_has_one(ssh_config):
    assert with_config_port("ssh://web") == "ssh://web:2222"
    assert with_config_port("ssh://web:22") == "ssh://web:22"
    assert with_config_port("ssh://other") == "ssh://other"


def test_the_host_name_replaces_only_the_alias(ssh_config):
    assert with_host_name("ssh://web@web:2222") == "ssh://web@10.1.2.3:2222"
    assert with_host_name("ssh://web") == "ssh://10.1.2.3"
    assert with_host_name("ssh://other") == "ssh://other"
