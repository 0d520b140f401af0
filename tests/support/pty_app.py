"""Run the real app in a pseudo-terminal, as a person's terminal would."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import threading
import time

_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>]")


class PtyApp:
    """``dockertui`` on a pty: write keys, wait for text in its output."""

    def __init__(self, args: list[str], rows: int = 35, cols: int = 120) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dockertui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._output += data

    @property
    def text(self) -> str:
        """Everything written so far, escape sequences removed."""
        with self._lock:
            raw = bytes(self._output)
        return _ESCAPES.sub(b"", raw).decode("utf-8", errors="replace")

    def mark(self) -> int:
        return len(self.text)

    def send(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def wait_for(self, needle: str, timeout: float = 20, since: int = 0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text[since:]:
            if time.monotonic() > deadline:
                tail = self.text[since:][-600:]
                raise AssertionError(f"{needle!r} not seen within {timeout}s; last output: {tail!r}")
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited ({self.process.returncode}) before {needle!r} appeared")
            time.sleep(0.05)

    def show_only(self, name: str) -> None:
        """Filter the Containers list down to ``name``, so the cursor is surely on it."""
        for keys in ("/", name, "\r"):
            self.send(keys)
            time.sleep(0.3)
        time.sleep(0.2)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)
