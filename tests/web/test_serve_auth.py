"""``dockertui serve`` asks for its token, tried as another local account would.

Loopback is shared by every user of a machine. ``nobody`` (whom the Docker
socket refuses) must get 403 and start no app process without the token;
with it, the app runs. The unix socket is 0600, so ``nobody`` cannot even
connect. The other uid is real: ``setpriv --reuid nobody`` runs the client.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web.test_serve import Served, _wait, served  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv to act as another user"
)

# A websocket handshake from the standard library only: nobody needs nothing of ours.
CLIENT = r"""
import http.client, socket, sys
kind, where, path, cookie = sys.argv[1:5]
if kind == "unix":
    class Conn(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.connect(where)
    connection = Conn("localhost", timeout=10)
else:
    connection = http.client.HTTPConnection("127.0.0.1", int(where), timeout=10)
headers = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
if cookie:
    headers["Cookie"] = cookie
try:
    connection.request("GET", path, headers=headers)
except OSError as error:
    print("refused", error.strerror)
    sys.exit(0)
print(connection.getresponse().status)
"""


def as_nobody(kind: str, where: str, path: str, cookie: str = "") -> str:
    result = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c", CLIENT,
         kind, where, path, cookie],
        capture_output=True, text=True, timeout=30, cwd="/",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_another_user_without_the_token_gets_403_and_no_app(served: Served) -> None:  # noqa: F811
    port = str(served.port)
    for path in ("/", "/ws", "/static/js/textual.js", "/?token=wrong", "/ws?token=" + served.token[:-1]):
        assert as_nobody("tcp", port, path) == "403", path
    assert as_nobody("tcp", port, "/ws", cookie="dockertui_token=guess") == "403"
    assert served.app_processes() == set()


def test_another_user_with_the_token_gets_the_app(served: Served) -> None:  # noqa: F811
    assert as_nobody("tcp", str(served.port), "/ws?token=" + served.token) == "101"
    assert as_nobody("tcp", str(served.port), "/ws", cookie=f"dockertui_token={served.token}") == "101"


def test_the_page_keeps_the_token_in_a_strict_httponly_cookie(served: Served) -> None:  # noqa: F811
    import urllib.request

    with urllib.request.urlopen(served.url, timeout=10) as response:
        cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"dockertui_token={served.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_new_token_each_start_printed_in_the_url(tmp_path: Path) -> None:
    from tests.support.ports import free_port

    tokens = []
    for _ in range(2):
        port = free_port()
        log = tmp_path / f"serve-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "dockertui.serve", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT
            )
        try:
            _wait(lambda: "?token=" in log.read_text(errors="replace"), 20, "the URL", lambda: time.sleep(0.05))
        finally:
            process.terminate()
            process.wait(timeout=10)
        url = next(word for word in log.read_text().split() if "?token=" in word)
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        tokens.append(url.split("?token=")[1].rstrip("'\""))
    assert tokens[0] != tokens[1]
    assert all(len(token) >= 22 for token in tokens)  # 128 bits or more in urlsafe base64


def test_a_short_token_file_is_refused(tmp_path: Path) -> None:
    short = tmp_path / "token"
    short.write_text("secret\n")
    result = subprocess.run(
        [sys.executable, "-m", "dockertui.serve", "--token-file", str(short)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "must hold one token of at least 22 characters" in result.stderr


def test_the_unix_socket_is_its_owners_only(tmp_path: Path, engine_target) -> None:
    socket_path = tmp_path / "serve.sock"
    tmp_path.chmod(0o755)  # nobody may reach the folder: only the socket's own mode keeps it out
    token_file = tmp_path / "token"
    token = "t" * 32
    token_file.write_text(token)
    process = subprocess.Popen(
        [sys.executable, "-m", "dockertui.serve", "--unix-socket", str(socket_path), "--token-file", str(token_file),
         "--", "--host", engine_target.url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: socket_path.exists(), 20, "the socket", lambda: time.sleep(0.05))
        assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
        assert as_nobody("unix", str(socket_path), f"/?token={token}").startswith("refused")
        result = subprocess.run(
            [sys.executable, "-c", CLIENT, "unix", str(socket_path), "/ws", ""], capture_output=True, text=True, timeout=30
        )
        assert result.stdout.strip() == "403", "the owner still needs the token"
    finally:
        process.terminate()
        process.wait(timeout=10)
