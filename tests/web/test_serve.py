"""``dockertui serve``: its refusals, and the app in a real headless Chromium.

The browser test reads what the page was sent over its websocket (xterm.js
draws on a canvas, so there is no text in the DOM) and saves a screenshot to
screenshots/web.png. Chromium is Debian's; when it is missing and we are root,
a session fixture installs it with apt-get, and the test skips only when that
cannot be done.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dockertui.serve import app_command, is_loopback, serve_main
from tests.support.ports import free_port

REPO = Path(__file__).resolve().parents[2]
# The committed screenshots/web.png is made with DOCKERTUI_WEB_SCREENSHOT=screenshots/web.png;
# an ordinary test run leaves the repository alone.
SCREENSHOT = Path(os.environ.get("DOCKERTUI_WEB_SCREENSHOT", Path(tempfile.gettempdir()) / "dockertui-web.png"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HELP_TEXT = "ctrl+p opens the command palette"
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>]")


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockertui.serve", *args], capture_output=True, text=True, timeout=30
    )


# ---------------------------------------------------------------- refusals


def test_app_command_forwards_arguments_quoted() -> None:
    command = app_command(["--context", "my ctx; rm -rf /", "-a"])
    assert shlex.split(command) == [sys.executable, "-m", "dockertui", "--context", "my ctx; rm -rf /", "-a"]


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")


def test_taken_port_is_a_one_line_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = _serve("--port", str(port))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"dockertui serve: cannot listen on 127.0.0.1 port {port}: already in use"]


def test_non_loopback_host_needs_public(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_main(["--host", "0.0.0.0", "--port", str(free_port())]) == 2
    error = capsys.readouterr().err
    assert error.splitlines() == [
        "dockertui serve: --host 0.0.0.0 is not a loopback address; add --public to serve on it anyway"
    ]


def test_public_warns_that_the_page_controls_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    # The port is taken, so the warning is printed but nothing is served.
    with socket.create_server(("0.0.0.0", 0)) as taken:
        port = taken.getsockname()[1]
        assert serve_main(["--host", "0.0.0.0", "--public", "--port", str(port)]) == 2
    warning, error = capsys.readouterr().err.splitlines()
    assert "WARNING" in warning and "controls the Docker engine, which is root" in warning
    assert error.endswith("already in use")


def test_bad_app_arguments_are_refused_before_serving() -> None:
    result = _serve("--port", str(free_port()), "--", "--no-such-option")
    assert result.returncode == 2
    assert "unrecognized arguments: --no-such-option" in result.stderr


# ---------------------------------------------------------------- a live server


@dataclass
class Served:
    """A running ``dockertui serve`` and how to reach it: ``url`` carries the token, ``base`` does not."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    token: str = ""
    base: str = ""

    def app_processes(self) -> set[int]:
        """The app processes (``-m dockertui``) started under the server."""
        children: dict[int, list[int]] = {}
        commands: dict[int, list[str]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:  # gone while we looked
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
            commands[int(entry)] = cmdline.decode(errors="replace").split("\0")
        found: set[int] = set()
        pending = list(children.get(self.process.pid, []))
        while pending:
            pid = pending.pop()
            pending.extend(children.get(pid, []))
            if commands.get(pid, [])[1:3] == ["-m", "dockertui"]:
                found.add(pid)
        return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs; a zombie waiting for its reaper does not."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait(condition: Callable[[], bool], timeout: float, what: str, pump: Callable[[], None]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not within {timeout}s")
        pump()


@pytest.fixture
def served(engine_target, tmp_path: Path) -> Iterator[Served]:
    """``dockertui serve`` on a free loopback port, its apps told the test engine's URL."""
    port = free_port()
    token = secrets.token_urlsafe(24)
    token_file = tmp_path / "token"
    token_file.write_text(token + "\n")
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "dockertui.serve", "--port", str(port), "--token-file", str(token_file),
         "--", "--host", engine_target.url],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    server = Served(f"{base}/?token={token}", port, process, token, base)

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"dockertui serve exited ({process.returncode}): {(tmp_path / 'serve.log').read_text()}")
        try:
            with urllib.request.urlopen(server.url, timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    try:
        _wait(answers, 15, "the server answering", lambda: time.sleep(0.05))
        yield server
    finally:
        # SIGTERM lets the server tell its apps to quit; then nothing of the
        # group it leads may outlive the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()


def test_foreign_host_and_origin_are_refused(served: Served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request("GET", "/", headers={"Host": f"rebound.example:{served.port}"})
    assert connection.getresponse().status == 403
    connection.close()

    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request(
        "GET",
        "/ws",
        headers={
            "Origin": "http://evil.example",
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    assert connection.getresponse().status == 403
    connection.close()
    assert served.app_processes() == set()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed with apt-get when missing and we are root."""
    path = shutil.which("chromium")
    if path is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "chromium"]
        if subprocess.run(install, env=env, stdout=sys.stderr).returncode != 0:
            # A clean machine's package lists may be missing or stale.
            subprocess.run(["apt-get", "update", "-q"], env=env, stdout=sys.stderr)
            subprocess.run(install, env=env, stdout=sys.stderr)
        path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed and could not be (needs root and apt-get: apt-get install chromium)")
    return path


@dataclass
class Tab:
    """A browser page and the terminal bytes its websocket received."""

    page: object
    received: bytearray = field(default_factory=bytearray)

    @property
    def text(self) -> str:
        return _ESCAPES.sub(b"", bytes(self.received)).decode("utf-8", errors="replace")

    def wait_for(self, needle: str, since: int = 0, timeout: float = 30) -> None:
        _wait(lambda: needle in self.text[since:], timeout, f"{needle!r} on the page", self.pump)

    def pump(self) -> None:
        # Playwright delivers websocket frames only while it is called.
        self.page.wait_for_timeout(50)


def _open_tab(context, url: str) -> Tab:
    page = context.new_page()
    tab = Tab(page)

    def on_websocket(websocket) -> None:
        websocket.on("framereceived", lambda payload: tab.received.extend(payload) if isinstance(payload, bytes) else None)

    page.on("websocket", on_websocket)
    page.goto(url)
    return tab


def test_browser_shows_containers_and_each_tab_runs_its_own_app(
    served: Served,
    chromium: str,
    make_container,
    unique_name: Callable[[str], str],
    tmp_path: Path,
) -> None:
    """You should see the Containers list with the test container, then the help screen.

    Each tab has its own app process; closing a tab, or stopping the server, ends it.
    """
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
    name = unique_name("web")
    make_container(name=name)

    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 720},
        )
        try:
            requested: list[str] = []
            context.on("request", lambda request: requested.append(request.url))
            first = _open_tab(context, served.url)
            first.wait_for(name)
            _wait(lambda: len(served.app_processes()) == 1, 10, "one app process", first.pump)

            mark = len(first.text)
            # No click first: the page gives the terminal the keyboard itself.
            first.page.keyboard.type("?")
            first.wait_for(HELP_TEXT, since=mark)
            first.page.wait_for_selector("body.-first-byte")
            # Two animation frames: xterm.js has drawn what it was written.
            first.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            SCREENSHOT.parent.mkdir(exist_ok=True)
            first.page.screenshot(path=str(SCREENSHOT))

            second = _open_tab(context, served.url)
            second.wait_for(name)
            _wait(lambda: len(served.app_processes()) == 2, 10, "a second app process", second.pump)
            assert HELP_TEXT not in second.text, "the second tab shares the first tab's app"

            first.page.close()
            _wait(lambda: len(served.app_processes()) == 1, 15, "the closed tab's app ending", second.pump)

            # Stopping the server with a tab still open ends that tab's app too.
            last_app = served.app_processes()
            served.process.terminate()
            _wait(lambda: served.process.poll() is not None, 15, "the server stopping", second.pump)
            _wait(
                lambda: not any(_alive(pid) for pid in last_app),
                10,
                "the open tab's app ending",
                second.pump,
            )
            second.page.wait_for_selector("body.-closed")
        finally:
            context.close()

    outside = [url for url in requested if url.startswith("http") and not url.startswith(served.base + "/")]
    assert outside == [], "the page fetched something from outside the server (a CDN?)"
