"""The Swarm screen's Logs tab: every task of one service, each line named by its task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockertui.backend.logs import LogLine
from dockertui.backend.streams import ClosableStream
from dockertui.backend.swarm import service_logs
from dockertui.backend.swarm_models import ServiceInfo
from dockertui.widgets.log_pane import LogPane

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend


class ServiceLogPane(LogPane):
    """``docker service logs -f``: search, filter and save work as for a container.

    "since" is not offered by the engine's service log API in the same way,
    so only the last ``tail`` lines and what follows are shown.
    """

    def open_stream(
        self, backend: DockerBackend, subject: ServiceInfo, tail: int | None, since: float | None  # type: ignore[override]
    ) -> ClosableStream[list[LogLine]]:
        return service_logs(backend, subject.id, tail=tail)

    def state_of(self, item: ServiceInfo) -> str:  # type: ignore[override]
        return "service"

    def _missed_output(self, container: ServiceInfo) -> bool:  # type: ignore[override]
        # A service's stream stays open across its tasks' restarts.
        return False
