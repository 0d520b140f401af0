"""The processes in a container, as ``docker top`` lists them.

The engine runs ``ps`` on its own host and keeps the lines of the container's
processes. We ask for the columns a user reads first (CPU, memory, how long
it has run, the whole command). A host whose ``ps`` has no ``-o`` (busybox's
does not), or a Windows engine, refuses that with a 500; then the engine's
default columns (``ps -ef``) are shown instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockertui.backend.errors import EngineError

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

PS_ARGS = "-o pid,ppid,user,pcpu,pmem,rss,etime,args"


@dataclass(frozen=True)
class ProcessList:
    """``docker top``'s answer: column titles, and one row of strings per process."""

    container_id: str
    titles: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The ps arguments that gave it; None: the engine's default columns.
    ps_args: str | None = PS_ARGS

    def pid_column(self) -> int | None:
        return self.titles.index("PID") if "PID" in self.titles else None


def container_processes(backend: DockerBackend, container_id: str, ps_args: str | None = PS_ARGS) -> ProcessList:
    """The container's processes; EngineError (409) when it is not running.

    ``ps_args`` None asks for the engine's default columns; so does a 500 to ``ps_args``.
    """
    reply = None
    if ps_args:
        try:
            reply = backend.call("top", container_id, ps_args=ps_args)
        except EngineError as error:
            if error.status != 500:
                raise
            ps_args = None
    if reply is None:
        reply = backend.call("top", container_id)
    titles = tuple(str(title) for title in reply.get("Titles") or ())
    rows = tuple(tuple(str(value) for value in row) for row in reply.get("Processes") or ())
    return ProcessList(container_id, titles, rows, ps_args)
