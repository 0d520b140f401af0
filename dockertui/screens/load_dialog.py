"""``docker load -i``: a local tar streamed to the engine, with progress.

The file is sent as it is read (never held in memory whole); then the
engine reads it and reports its layers and the images it loaded, which the
notification names. Esc cancels; a file that is no image archive is
reported in the engine's words, and the dialog stays open.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from dockertui.backend.artefacts import ArchiveLoad, source_path
from dockertui.formatting import themed
from dockertui.screens.job_dialog import JobDialog
from dockertui.widgets.byte_progress import ByteProgress


class LoadDialog(JobDialog):
    """Type the tar file; dismisses with what was loaded."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="load-cancel"),
        Binding("ctrl+s", "submit", "Load", id="load-submit"),
    ]
    SUBMIT_ID = "load"

    def __init__(self, path: str = "", start: bool = False) -> None:
        super().__init__()
        self._path = path
        self._start_now = start and bool(path)

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box"):
            yield Static(Text("docker load", style="bold"), classes="image-title")
            with Horizontal(classes="image-row"):
                yield Label("File (-i)", classes="image-label")
                yield Input(self._path, placeholder="./image.tar (made by docker save)", id="path")
            yield Static(id="path-error", classes="image-error")
            yield from self.job_footer("Load")

    def action_submit(self) -> None:
        if self.running:
            return
        path = self.checked("path", source_path)
        backend = self.connected_backend() if path is not None else None
        if backend is None:
            return
        self.query_one(ByteProgress).reset()
        self.status(themed(f"Loading {path.name}…", "italic"))
        self.start_job(ArchiveLoad(backend, path))

    def show_progress(self) -> None:
        job = self.job
        if not isinstance(job, ArchiveLoad):
            return
        progress = self.query_one(ByteProgress)
        if job.sent < job.total:
            progress.show("Sent to the engine:", job.sent, job.total)
        elif job.layer is not None:
            layer = job.layer
            progress.show(f"The engine is loading layer {layer.layer}:", layer.current, layer.total)
        else:
            progress.waiting("The engine is reading the archive…")

    def summary(self, job: ArchiveLoad, result: list[str]) -> str:
        return "\n".join(result)

    def cancelled_summary(self, job: ArchiveLoad) -> str:
        if job.sent >= job.total:
            return f"Stopped waiting: the engine has all of {job.path.name} and may still load it"
        return f"Load of {job.path.name} cancelled: the engine loaded nothing"
