"""Finding the engine without flags (backend/discovery.py), with HOME and XDG_RUNTIME_DIR in a
temporary folder and real listening sockets at the well-known places: one that forwards to the
suite's engine (it answers as an engine), one that listens but never answers, and one left
behind by a process that is gone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dockertui.app import DockerTUI
from dockertui.backend import EngineTarget, EngineUnavailable
from dockertui.backend.discovery import find_engine, well_known_sockets
from tests.support.pilot import dashboard_up, wait_until

pytestmark = pytest.mark.integration


class Forwarder:
    """A unix socket at ``path`` whose connections are piped to the engine's socket."""

    def __init__(self, path: str, engine_path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(16)
        self._engine_path = engine_path
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            engine.connect(self._engine_path)
            for source, sink in ((client, engine), (engine, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()

    def close(self) -> None:
        self.server.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def silent_socket(path: str) -> socket.socket:
    """Listens, and never accepts: a connection is queued, and no answer comes."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    return listener


def stale_socket(path: str) -> None:
    """A socket file whose process is gone: nothing listens there any more."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.close()


@pytest.fixture
def places(tmp_path, monkeypatch):
    """HOME and XDG_RUNTIME_DIR of the test's own; the default socket is a path where none is."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    default = EngineTarget(url=f"unix://{tmp_path}/default/docker.sock", source="default")
    # /run/podman/podman.sock is the system's: never made here, so never the one found.
    ours = [(url, what) for url, what in well_known_sockets() if url != "unix:///run/podman/podman.sock"]
    return default, ours


def engine_path(engine_target) -> str:
    if not engine_target.url.startswith("unix://"):
        pytest.skip("the suite's engine is not on a unix socket")
    return engine_target.url.removeprefix("unix://")


def test_each_well_known_socket_is_found_alone(places, engine_target):
    default, ours = places
    for url, what in ours:
        forwarder = Forwarder(url.removeprefix("unix://"), engine_path(engine_target))
        try:
            found, tried = find_engine(default)
            assert (found.url, found.source) == (url, f"found: {what}")
            assert tried[0].reason == "no socket there" and not tried[-1].reason
        finally:
            forwarder.close()
            os.unlink(url.removeprefix("unix://"))


def test_ones_that_do_not_answer_are_passed_over_with_their_reason(places, engine_target):
    default, ours = places
    (rootless, _), (desktop, _), (colima, _) = ours[:3]
    silent = silent_socket(rootless.removeprefix("unix://"))
    stale_socket(desktop.removeprefix("unix://"))
    forwarder = Forwarder(colima.removeprefix("unix://"), engine_path(engine_target))
    try:
        found, tried = find_engine(default)
    finally:
        silent.close()
        forwarder.close()
    assert found.url == colima
    assert [t.reason for t in tried] == ["no socket there", "did not answer within 0.5 s", "nothing listening", ""]


def test_when_none_answers_every_place_is_named(places):
    default, ours = places
    silent = silent_socket(ours[0][0].removeprefix("unix://"))
    try:
        with pytest.raises(EngineUnavailable) as nothing:
            find_engine(default, timeout=0.2)
    finally:
        silent.close()
    message = str(nothing.value)
    for url, what in ours:
        assert f"{url.removeprefix('unix://')} ({what}):" in message
    assert "did not answer within 0.2 s" in message


def test_a_named_engine_is_never_replaced(places):
    default, _ = places
    named = EngineTarget(url=default.url, source="DOCKER_HOST")
    assert find_engine(named) == (named, [])


async def test_the_app_connects_to_the_one_found_and_names_it(places, engine_target, make_container):
    default, ours = places
    container = make_container(command=["sleep", "300"])
    url = ours[3][0]  # ~/.orbstack/run/docker.sock
    forwarder = Forwarder(url.removeprefix("unix://"), engine_path(engine_target))
    try:
        app = DockerTUI(default)
        async with dashboard_up(app, size=(120, 36)) as pilot:
            await wait_until(pilot, lambda: container.id in app.dashboard.containers.items, what="the row")
            assert url in app.sub_title
    finally:
        forwarder.close()


def test_print_host_says_which_and_why(places, engine_target):
    _, ours = places
    url = ours[2][0]  # colima
    forwarder = Forwarder(url.removeprefix("unix://"), engine_path(engine_target))
    environ = {key: value for key, value in os.environ.items() if key not in ("DOCKER_HOST", "DOCKER_CONTEXT")}
    try:
        # The real default socket may answer on a developer's machine: then that is the answer.
        done = subprocess.run([sys.executable, "-m", "dockertui", "--print-host"], env=environ,
                              capture_output=True, text=True, timeout=30)
    finally:
        forwarder.close()
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first in (f"{url}\t(found: colima)", "unix:///var/run/docker.sock\t(default)")
    if first.startswith(url):
        assert "not unix:///var/run/docker.sock (the default socket):" in done.stdout


def test_as_root_without_a_runtime_dir_podman_goes_where_rootful_podman_keeps_its_socket(monkeypatch):
    import os
    import shutil

    from dockertui.backend.podman_service import podman_socket

    if shutil.which("podman") is None:
        pytest.skip("needs podman")
    expected = "/run/podman/podman.sock" if os.geteuid() == 0 else None
    found = podman_socket({})
    assert (str(found) if found else None) == expected
    assert str(podman_socket({"XDG_RUNTIME_DIR": "/run/user/1000"})) == "/run/user/1000/podman/podman.sock"
