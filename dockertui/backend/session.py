"""Interactive sessions over the engine's own socket: ``exec -it`` and ``attach``.

No docker CLI is involved, so this works wherever the SDK does. The
returned ``TerminalSocket`` is a plain byte pipe plus a resize call.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend


@dataclass
class TerminalSocket:
    """Bytes to and from a container's TTY, and a way to tell it the size."""

    raw: Any
    resize: Callable[[int, int], None]

    @property
    def sock(self) -> socket.socket:
        # The SDK hands back the response's file object; writes need the socket.
        return getattr(self.raw, "_sock", self.raw)

    def fileno(self) -> int:
        return self.sock.fileno()

    def recv(self, size: int = 65536) -> bytes:
        return self.sock.recv(size)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            # Already closed by the other end; closing below is all that is left.
            pass
        self.sock.close()


def open_exec(backend: DockerBackend, container_id: str, command: list[str]) -> TerminalSocket:
    """``docker exec -it CONTAINER COMMAND``."""
    exec_id = backend.call("exec_create", container_id, command, stdin=True, tty=True)["Id"]
    raw = backend.call("exec_start", exec_id, tty=True, socket=True)
    return TerminalSocket(raw, lambda rows, cols: backend.call("exec_resize", exec_id, height=rows, width=cols))


def open_attach(backend: DockerBackend, container_id: str) -> TerminalSocket:
    """``docker attach CONTAINER``: the main process's TTY."""
    params = {"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
    raw = backend.call("attach_socket", container_id, params=params)
    return TerminalSocket(raw, lambda rows, cols: backend.call("resize", container_id, height=rows, width=cols))
