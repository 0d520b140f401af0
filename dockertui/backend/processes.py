"""The processes in a container, as ``docker top`` lists them.

The engine runs ``ps`` on its own host and keeps the lines of the container's
processes. We ask for the columns a user reads first (CPU, memory, how long
it has run, the whole command), in ``ps -o`` form; Podman takes its own
descriptors instead, and answers ``-o`` with an empty body. A host whose
``ps`` has no ``-o`` (busybox's does not), or a Windows engine, refuses with a
500; after both, the engine's default columns are shown. Podman 4 puts its
default columns in one title and each process in one string: split here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockertui.backend.errors import EngineError, UnreadableAnswer

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

PS_ARGS = "-o pid,ppid,user,pcpu,pmem,rss,etime,args"
# The same for Podman, in its `podman top` descriptors (it has no pmem or rss).
PODMAN_PS_ARGS = "pid,ppid,user,pcpu,vsz,etime,args"
# What is tried after ps_args fails, in turn; None: the engine's default columns.
FALLBACKS = {PS_ARGS: PODMAN_PS_ARGS, PODMAN_PS_ARGS: None}


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

    ``ps_args`` None asks for the engine's default columns; an engine that
    cannot take ``ps_args`` is asked with the next form (FALLBACKS).
    """
    reply = None
    while ps_args:
        try:
            reply = backend.call("top", container_id, ps_args=ps_args)
            break
        except UnreadableAnswer:
            ps_args = FALLBACKS.get(ps_args)
        except EngineError as error:
            if error.status != 500:
                raise
            ps_args = FALLBACKS.get(ps_args)
    if reply is None:
        reply = backend.call("top", container_id)
    titles = tuple(str(title) for title in reply.get("Titles") or ())
    rows = tuple(tuple(str(value) for value in row) for row in reply.get("Processes") or ())
    if len(titles) == 1 and len(titles[0].split()) > 1:
        # Podman's default columns: one title "PID   USER     COMMAND", one string a process.
        titles = tuple(titles[0].split())
        rows = tuple(tuple(row[0].split(None, len(titles) - 1)) if len(row) == 1 else row for row in rows)
    return ProcessList(container_id, titles, rows, ps_args)
