"""What the Images keys do: confirm where needed, then act in a thread.

Follows ``container_actions``: engine calls run in thread workers and come
back as messages the app hands over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockertui.backend import DockerBackend, EngineError, ImageTag
from dockertui.messages import ActionFinished, InspectLoaded

if TYPE_CHECKING:
    from dockertui.app import DockerTUI

NONE = "<none>"


class ImageActions:
    """The flows behind the Images pane's keys."""

    def __init__(self, app: DockerTUI) -> None:
        self.app = app

    def request(self, action: str, tags: list[ImageTag]) -> None:
        """Entry point for ``ImageTable.ActionRequested``."""
        tag = tags[0]
        reference = tag.reference if tag.repository != NONE else tag.image.id
        if action == "run":
            self.app.container_actions.open_run_dialog(image=reference)
        elif action == "inspect":
            self._in_thread(lambda backend: self._inspect(backend, tag.image.id, reference))

    def _inspect(self, backend: DockerBackend, image_id: str, reference: str) -> None:
        try:
            document = backend.inspect_image(image_id)
        except EngineError as error:
            self.app.post_message(ActionFinished("inspect", [(reference, str(error))], []))
            return
        self.app.post_message(InspectLoaded(f"docker image inspect {reference}", document))

    def _in_thread(self, work) -> None:
        backend = self.app.backend
        if backend is None:
            self.app.notify("Not connected to an engine", severity="error")
            return
        self.app.run_worker(lambda: work(backend), thread=True, group="image-actions", exit_on_error=False)
