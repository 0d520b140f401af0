"""Images and containers as artefacts: what the commit, export, save and load keys do.

Each opens its dialog (screens/commit_dialog.py, archive_dialog.py,
load_dialog.py), which runs the work and shows its progress; the outcome is
told in a notification when the dialog closes. The containers' and images'
handler tables (containers.py, images.py) call these.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockertui.backend.artefacts import default_file_name, export_container, save_images
from dockertui.backend.models import ContainerInfo
from dockertui.screens.archive_dialog import ArchiveDialog
from dockertui.screens.commit_dialog import CommitDialog
from dockertui.screens.job_dialog import JobOutcome
from dockertui.screens.load_dialog import LoadDialog

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

def open_commit(app: Any, container: ContainerInfo, reference: str = "", message: str = "", author: str = "",
                pause: bool = True, start: bool = False) -> None:
    """``docker commit``: the new image carries the app's run labels, as everything it makes."""
    dialog = CommitDialog(container, app.run_labels, reference, message, author, pause, start).on_engine(container.host)
    app.push_screen(dialog, lambda outcome: tell(app, outcome))


def open_export(app: Any, container: ContainerInfo, path: str = "", start: bool = False) -> None:
    """``docker export -o``: the container's filesystem into a tar file."""
    def make(backend: DockerBackend, target: Path, replace: bool):
        return export_container(backend, container.id, container.name, target, replace)

    dialog = ArchiveDialog(f"docker export {container.name}", ("Export", "Exporting", "Exported"), container.name,
                           path or default_file_name(container.name), make, start).on_engine(container.host)
    app.push_screen(dialog, lambda outcome: tell(app, outcome))


def open_save(app: Any, references: list[str], total: int = 0, path: str = "", start: bool = False,
              host: str = "") -> None:
    """``docker save -o``: these images (names, or ids) all in one tar; ``total``: its size, about."""
    def make(backend: DockerBackend, target: Path, replace: bool):
        return save_images(backend, references, target, replace, total)

    what = references[0] if len(references) == 1 else f"{len(references)} images"
    default = default_file_name(references[0]) if len(references) == 1 else "./images.tar"
    dialog = ArchiveDialog(f"docker save {' '.join(references)}", ("Save", "Saving", "Saved"), what,
                           path or default, make, start).on_engine(host)
    app.push_screen(dialog, lambda outcome: tell(app, outcome))


def open_load(app: Any, path: str = "", start: bool = False, host: str = "") -> None:
    """``docker load -i``: the images appear in the list by themselves (events)."""
    app.push_screen(LoadDialog(path, start).on_engine(host), lambda outcome: tell(app, outcome))


def tell(app: Any, outcome: JobOutcome | None) -> None:
    """A dialog closed: what became of its work (nothing to say when closed before it began)."""
    if outcome is None:
        return
    if outcome.cancelled:
        app.notify(outcome.summary, title="Cancelled", severity="warning", markup=False, timeout=6)
    else:
        app.notify(outcome.summary, markup=False, timeout=6)
