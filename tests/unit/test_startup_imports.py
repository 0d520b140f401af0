"""The first frame does not wait for the Docker SDK, and paramiko loads only for ssh://.

Each check runs in a fresh interpreter, as the app starts.
"""

from __future__ import annotations

import os
import subprocess
import sys

SDK = ("docker", "requests", "urllib3", "paramiko")


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_app_and_its_command_line_import_without_the_sdk():
    loaded = run(
        "import sys, dockertui.cli, dockertui.app, dockertui.screens.dashboard\n"
        f"print(sorted(name for name in sys.modules if name.split('.')[0] in {SDK!r}))"
    )
    assert loaded == "[]", f"imported before connecting: {loaded}"


def test_a_unix_engine_is_reached_without_paramiko_and_ssh_still_works_after(docker_client):
    """``docker_client``: the engine the suite runs against is up."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    out = run(
        "import sys\n"
        "from dockertui.backend import connect, resolve_target\n"
        f"backend = connect(resolve_target(host={host!r}))\n"
        "print(bool(backend.engine_info().version), 'paramiko' in sys.modules)\n"
        # A later ssh:// engine (a context switch) loads paramiko and gets the timed adapter.
        "from dockertui.backend import ssh_transport\n"
        "import docker.api.client\n"
        "ssh_transport.use_timed_ssh()\n"
        "print(docker.api.client.SSHHTTPAdapter is ssh_transport.TimedSSHHTTPAdapter)\n"
    )
    assert out.splitlines() == ["True False", "True"], out


def test_the_sdk_imported_meanwhile_leaves_paramiko_out_and_unblocked():
    out = run(
        "import sys, threading\n"
        "from dockertui.backend import import_sdk_meanwhile, resolve_target\n"
        "import_sdk_meanwhile(resolve_target(host='unix:///nowhere.sock'))\n"
        "[t.join() for t in threading.enumerate() if t.name == 'dockertui-sdk-import']\n"
        "print('docker' in sys.modules, 'paramiko' in sys.modules)\n"
    )
    assert out == "True False", out
