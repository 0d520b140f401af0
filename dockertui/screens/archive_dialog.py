"""``docker save -o`` and ``docker export -o``: the engine's tar into a local file, with progress.

A file that exists already is replaced only once the user says so. Esc
cancels: the connection is shut, the partial file removed, and the dialog
closes saying so. A failure keeps the dialog open with the path typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from dockertui.backend.artefacts import ArchiveWrite, Written, target_path
from dockertui.formatting import safe_text, size, themed
from dockertui.screens.job_dialog import JobDialog
from dockertui.widgets.byte_progress import ByteProgress

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# (backend, path, replace) -> the job that writes the archive there.
MakeArchive = Callable[["DockerBackend", Path, bool], ArchiveWrite]


class ArchiveDialog(JobDialog):
    """Type the file; the archive ``make_job`` makes is written there. ``verbs``: ("Save", "Saving", "Saved")."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="archive-cancel"),
        Binding("ctrl+s", "submit", "Write the file", id="archive-submit"),
    ]
    SUBMIT_ID = "write"

    def __init__(self, title: str, verbs: tuple[str, str, str], what: str, path: str, make_job: MakeArchive,
                 start: bool = False) -> None:
        super().__init__()
        self._title = title
        self.verb, self.doing_verb, self.done_verb = verbs
        self.what = what
        self._path = path
        self._make_job = make_job
        self._start_now = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box"):
            yield Static(safe_text(self._title, style="bold"), classes="image-title")
            with Horizontal(classes="image-row"):
                yield Label("File (-o)", classes="image-label")
                yield Input(self._path, placeholder="./image.tar", id="path")
            yield Static(id="path-error", classes="image-error")
            yield from self.job_footer(self.verb)

    def action_submit(self) -> None:
        if self.running:
            return
        path = self.checked("path", target_path)
        if path is None:
            return
        if path.exists():
            self.app.confirm(f"{path} exists. Replace it?", [safe_text(str(path))], "Replace",
                             lambda: self._start(path, replace=True))
            return
        self._start(path, replace=False)

    def _start(self, path: Path, replace: bool) -> None:
        backend = self.connected_backend()
        if backend is None:
            return
        self.query_one(ByteProgress).reset()
        self.status(themed(f"{self.doing_verb} {self.what}…", "italic"))
        self.start_job(self._make_job(backend, path, replace))

    def show_progress(self) -> None:
        job = self.job
        if not isinstance(job, ArchiveWrite):
            return
        progress = self.query_one(ByteProgress)
        if not job.answering:
            progress.waiting("The engine is preparing the archive…")
        else:
            progress.show(f"Written to {job.path.name}:", job.written, job.total, estimate=True)

    def summary(self, job: ArchiveWrite, result: Written) -> str:
        return f"{self.done_verb} {self.what} to {result.path} ({size(result.size)})"

    def cancelled_summary(self, job: ArchiveWrite) -> str:
        if job.replace:
            return f"{self.verb} cancelled: {job.path} is as it was"
        return f"{self.verb} cancelled: the partial {job.path} was removed"
