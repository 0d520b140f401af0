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
from collections.abc import Callable

import pyte

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
        # What a terminal of this size shows now, kept up to date by the reader.
        self._screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._screen)
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
                self._stream.feed(data)

    @property
    def text(self) -> str:
        """Everything written so far, escape sequences removed."""
        with self._lock:
            raw = bytes(self._output)
        return _ESCAPES.sub(b"", raw).decode("utf-8", errors="replace")

    @property
    def screen(self) -> str:
        """The terminal's screen as it is now, one line per row."""
        with self._lock:
            return "\n".join(line.rstrip() for line in self._screen.display)

    def wait_until(self, condition: Callable[[str], object], what: str, timeout: float = 20) -> str:
        """Wait until ``condition(screen)`` holds; returns that screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} not on screen within {timeout}s; the screen:\n{screen}")
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited ({self.process.returncode}) before {what}; the screen:\n{screen}")
            time.sleep(0.02)

    def wait_for_screen(self, needle: str, timeout: float = 20) -> str:
        """Wait until ``needle`` is on the screen now (not merely written once)."""
        return self.wait_until(lambda screen: needle in screen, repr(needle), timeout)

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
        """Filter the Containers list down to ``name``, so the cursor is surely on it.

        Typed as a person types: the whole string in one write.
        """
        self.wait_for_screen("Containers (")
        self.send(f"/{name}\r")
        self.wait_until(
            lambda screen: "Containers (1, /" in screen and "filter: name" not in screen and f" {name} " in screen,
            f"the list filtered down to {name}",
        )

    def echo_then_exit(self, since: int, word: str = "hello") -> int:
        """In a shell the app handed the terminal to: its prompt, an echo and its output, then exit
        and the app saying the session ended. Returns the mark taken before the exit."""
        self.wait_for("# ", since=since)
        self.send(f"echo {word}-$((6*7))\r")
        self.wait_for(f"{word}-42", since=since)
        back = self.mark()
        self.send("exit\r")
        self.wait_for("Session ended", since=back)
        return back

    def shell_round_trip(self, name: str, word: str = "hello") -> int:
        """x on container ``name`` (filtered down to it), a shell echo, exit, and the list back.
        Returns the mark taken before the exit."""
        self.show_only(name)
        start = self.mark()
        self.send("x")
        self.wait_for("ctrl-p ctrl-q detaches", since=start)
        back = self.echo_then_exit(start, word)
        self.wait_for(name, since=back)
        return back

    def quit(self) -> None:
        """q, and the app exits cleanly."""
        self.send("q")
        self.process.wait(timeout=10)
        assert self.process.returncode == 0

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)
