"""Hand the real terminal to a container session, then give it back.

Runs while the app is suspended: the terminal goes raw, keys go to the
container, its output comes straight to the screen, window-size changes are
forwarded, and ctrl-p ctrl-q detaches (as with the docker CLI). No Textual
here: this is a plain select loop over two file descriptors.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import termios
import tty
from typing import TYPE_CHECKING, Protocol

from dockertui.backend import EngineError
from dockertui.backend.session import open_attach, open_exec

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

DETACH_KEYS = b"\x10\x11"  # ctrl-p ctrl-q


class SessionSocket(Protocol):
    def fileno(self) -> int: ...

    def recv(self, size: int = ...) -> bytes: ...

    def send(self, data: bytes) -> None: ...

    def resize(self, rows: int, cols: int) -> None: ...


# Interactive shells: their session ends when the user leaves them, with nothing left to read.
SHELLS = frozenset({"sh", "bash", "ash", "zsh", "dash", "fish", "ksh"})


def _terminal_size(fd: int) -> tuple[int, int]:
    size = os.get_terminal_size(fd)
    return size.lines, size.columns


def run_session(session: SessionSocket, stdin_fd: int = 0, stdout_fd: int = 1) -> str:
    """Pump bytes until the session ends ("ended") or the user detaches ("detached")."""
    resized = [True]
    previous_handler = signal.signal(signal.SIGWINCH, lambda *_: resized.__setitem__(0, True))
    saved = termios.tcgetattr(stdin_fd)
    tty.setraw(stdin_fd)
    last_key = b""
    try:
        while True:
            if resized[0]:
                resized[0] = False
                try:
                    session.resize(*_terminal_size(stdout_fd))
                except (EngineError, OSError):
                    # The session may be ending; a missed resize must not end it early.
                    resized[0] = False
            try:
                readable, _, _ = select.select([stdin_fd, session], [], [], 0.25)
            except InterruptedError:
                continue
            if session in readable:
                data = session.recv(65536)
                if not data:
                    return "ended"
                os.write(stdout_fd, data)
            if stdin_fd in readable:
                keys = os.read(stdin_fd, 4096)
                if not keys:
                    return "ended"
                combined = last_key + keys
                if DETACH_KEYS in combined:
                    return "detached"
                last_key = keys[-1:]
                session.send(keys)
    finally:
        termios.tcsetattr(stdin_fd, termios.TCSADRAIN, saved)
        signal.signal(signal.SIGWINCH, previous_handler)


def open_and_run_session(backend: DockerBackend, kind: str, container_id: str, command: list[str]) -> str:
    """Open an exec ("shell"/"exec") or attach session and run it to its end.

    A command that is not a shell ends with its output still on screen,
    until Enter: the app would draw over it at once.
    """
    if kind == "attach" and not (backend.inspect_container(container_id).get("Config") or {}).get("Tty"):
        raise EngineError("it was started without a TTY (-t): attach would show its raw output streams; "
                          "its output is in the Logs tab (L)")
    print(f"\r\n[dockertui] {kind} session; ctrl-p ctrl-q detaches\r\n", flush=True)
    session = open_attach(backend, container_id) if kind == "attach" else open_exec(backend, container_id, command)
    try:
        outcome = run_session(session)
    finally:
        session.close()
    if kind == "exec" and outcome == "ended" and os.path.basename(command[0]) not in SHELLS:
        print("\r\n[dockertui] the command ended; press Enter to go back\r\n", flush=True)
        sys.stdin.readline()
    return outcome
