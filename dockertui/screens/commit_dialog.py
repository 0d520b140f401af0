"""``docker commit``: a container's filesystem and settings as a new image.

The name is checked as ``docker tag`` checks it, before anything is sent.
The container is paused meanwhile unless unticked (docker's default too).
Esc stops the waiting; the engine may still finish the commit, and the
image then shows in Images by itself, as it does after a commit that ends
with the dialog open.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Static

from dockertui.backend.artefacts import Commit, CommitSpec, check_commit_reference
from dockertui.backend.models import ContainerInfo
from dockertui.formatting import safe_text
from dockertui.screens.job_dialog import JobDialog
from dockertui.widgets.byte_progress import ByteProgress


class CommitDialog(JobDialog):
    """Name, message, author, pause; dismisses once the image is made."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="commit-cancel"),
        Binding("ctrl+s", "submit", "Commit", id="commit-submit"),
    ]
    SUBMIT_ID = "commit"
    FIRST_FIELD = "reference"

    def __init__(self, container: ContainerInfo, labels: tuple[tuple[str, str], ...] = (), reference: str = "",
                 message: str = "", author: str = "", pause: bool = True, start: bool = False) -> None:
        super().__init__()
        self.container = container
        self._labels = labels
        self._fields = {"reference": reference, "message": message, "author": author}
        self._pause = pause
        self._start_now = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box"):
            yield Static(safe_text(f"docker commit {self.container.name}", style="bold"), classes="image-title")
            for label, field, placeholder in (
                ("Image", "reference", "repository[:tag] (empty: an image without a name)"),
                ("Message (-m)", "message", "what changed (optional)"),
                ("Author (-a)", "author", "Name <email> (optional)"),
            ):
                with Horizontal(classes="image-row"):
                    yield Label(label, classes="image-label")
                    yield Input(self._fields[field], placeholder=placeholder, id=field)
                if field == "reference":
                    yield Static(id="reference-error", classes="image-error")
            yield Checkbox("Pause the container while committing (--pause)", self._pause, id="pause")
            yield from self.job_footer("Commit")

    def action_submit(self) -> None:
        if self.running:
            return
        reference = self.checked("reference", check_commit_reference)
        backend = self.connected_backend() if reference is not None else None
        if backend is None:
            return
        spec = CommitSpec(
            container_id=self.container.id,
            reference=reference,
            message=self.query_one("#message", Input).value.strip(),
            author=self.query_one("#author", Input).value.strip(),
            pause=self.query_one("#pause", Checkbox).value,
            labels=self._labels,
        )
        self.query_one(ByteProgress).reset()
        self.start_job(Commit(backend, spec))

    def show_progress(self) -> None:
        if self.job is not None and not self.cancelling:
            self.query_one(ByteProgress).waiting(f"Committing {self.container.name}…")

    def summary(self, job: Commit, result: str) -> str:
        short = result.removeprefix("sha256:")[:12]
        named = f"as {job.spec.reference}" if job.spec.reference else "as an image without a name"
        return f"Committed {self.container.name} {named} ({short})"

    def cancelled_summary(self, job: Commit) -> str:
        return (f"Stopped waiting for the commit of {self.container.name}: the engine may still finish it, "
                "and the image then shows in Images")
