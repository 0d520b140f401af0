"""What the Images keys do: open the dialog for it, or confirm and act in a thread.

Follows ``containers``: engine calls run in thread workers and come
back as messages the app hands over (``ActionFinished``, ``InspectLoaded``).
Pull, push, build, search and browse run inside their own screens, which
show progress and keep what was typed when something fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dockertui.actions import artefacts
from dockertui.actions.base import Actions, Handler
from dockertui.backend import EngineError, ImageTag
from dockertui.backend.images import (
    parse_reference,
    prune_images,
    remove_image,
    tag_image,
)
from dockertui.formatting import safe_text, size
from dockertui.messages import ActionFinished
from dockertui.screens.build_dialog import BuildDialog
from dockertui.screens.image_tree import ImageTreeScreen
from dockertui.screens.login_dialog import LoginDialog
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.pull_dialog import PullDialog, PushScreen
from dockertui.screens.registry_browser import HubSearch, RegistryBrowser
from dockertui.screens.remove_image import (
    PruneScreen,
    RemoveImageChoice,
    RemoveImageScreen,
)

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

NONE = "<none>"
# Actions that need no selected image.
GLOBAL_ACTIONS = ("pull", "prune", "build", "search", "browse", "login", "tree", "load")


def reference_of(tag: ImageTag) -> str:
    """What the CLI calls the image: its name and tag, or its id when untagged."""
    return tag.reference if tag.repository != NONE else tag.image.id


class ImageActions(Actions):
    """The flows behind the Images pane's keys."""

    WORKER_GROUP = "image-actions"

    def handlers(self) -> dict[str, Handler]:
        """``ImageTable.ActionRequested``'s actions; each takes the tags marked or selected."""
        return {
            **{action: self._global(action) for action in GLOBAL_ACTIONS},
            "run": self._on_selected(lambda tag: self.app.actions.containers.open_run_dialog(image=reference_of(tag))),
            "inspect": self._on_selected(self._load_inspect),
            "push": self._on_selected(self.open_push),
            "remove": self._on_selected(lambda tag: self._push(RemoveImageScreen(tag), self._remove),
                                        several=self._remove_marked),
            "tag": self._on_selected(self.open_tag),
            "save": self._on_selected(lambda tag: self.open_save([tag]), several=self.open_save),
        }

    def _global(self, action: str) -> Handler:
        return lambda _: getattr(self, f"open_{action}")()

    def _on_selected(
        self, act: Callable[[ImageTag], None], several: Callable[[list[ImageTag]], None] | None = None
    ) -> Handler:
        """A handler for the selected tag; ``several`` takes over when more than one is marked."""
        def handler(tags: list[ImageTag]) -> None:
            if not tags:
                self.app.notify("No image selected", severity="warning")
            elif several is not None and len(tags) > 1:
                several(tags)
            else:
                act(tags[0])

        return handler

    def _load_inspect(self, tag: ImageTag) -> None:
        reference = reference_of(tag)
        self._load_inspect_document(f"docker image inspect {reference}", reference,
                                    lambda backend: backend.inspect_image(tag.image.id))

    # -------------------------------------------------- transfers, dialogs

    def open_pull(self, reference: str = "", start: bool = False) -> None:
        self._push(PullDialog(reference, start=start), self._pulled)

    def _pulled(self, reference: str | None) -> None:
        if reference:
            self.app.notify(f"Pulled {reference}", markup=False, timeout=4)

    def open_push(self, tag: ImageTag) -> None:
        if tag.repository == NONE:
            self.app.notify("Tag the image first (t): an untagged image cannot be pushed", severity="warning")
            return
        self._push(PushScreen(tag.reference))

    def open_login(self, registry: str = "docker.io") -> None:
        self._push(LoginDialog(registry))

    def open_build(self) -> None:
        self._push(BuildDialog(labels=self.app.run_labels))

    def open_search(self, term: str = "") -> None:
        self._push(HubSearch(term), self._pull_chosen)

    def open_browse(self) -> None:
        self._push(RegistryBrowser(), self._pull_chosen)

    def _pull_chosen(self, reference: str | None) -> None:
        if reference:
            self.open_pull(reference, start=True)

    def open_tree(self) -> None:
        self._push(ImageTreeScreen())

    # docker save and load: their dialogs and outcomes are in artefacts.py.

    def open_save(self, tags: list[ImageTag], path: str = "", start: bool = False) -> None:
        """The tags marked (or the one selected), all in one tar."""
        references = list(dict.fromkeys(reference_of(tag) for tag in tags))
        # The tar holds each layer once: the images' sizes add up to about its size (more when they share layers).
        total = sum({tag.image.id: tag.image.size for tag in tags}.values())
        artefacts.open_save(self.app, references, total, path, start, host=self.host)

    def open_load(self, path: str = "", start: bool = False) -> None:
        artefacts.open_load(self.app, path, start, host=self.host)

    # ----------------------------------------------------- tag, rmi, prune

    def open_tag(self, tag: ImageTag) -> None:
        def answered(name: str | None) -> None:
            if name and name.strip():
                self.tag(tag, name.strip())

        suggestion = tag.reference if tag.repository != NONE else ""
        self._push(
            PromptScreen(f"New name for {tag.image.short_id} (docker tag):", suggestion,
                         placeholder="repository[:tag]", validate=parse_reference),
            answered,
        )

    def tag(self, tag: ImageTag, name: str) -> None:
        """``docker tag``: ``name`` for the image of ``tag``."""
        self._in_thread(lambda backend: self._tag(backend, tag.image.id, name))

    def _tag(self, backend: DockerBackend, image_id: str, name: str) -> None:
        try:
            full = tag_image(backend, image_id, name)
        except (EngineError, ValueError) as error:
            self.app.post_message(ActionFinished("tag", [(name, str(error))], []))
            return
        self.app.post_message(ActionFinished(f"tagged {image_id.removeprefix('sha256:')[:12]} as {full}", [], []))

    def _remove(self, choice: RemoveImageChoice | None) -> None:
        if choice is None:
            return

        def remove(backend: DockerBackend) -> None:
            try:
                report = remove_image(backend, choice.reference, force=choice.force)
            except EngineError as error:
                self.app.post_message(ActionFinished("remove", [(choice.reference, str(error))], []))
                return
            self.app.post_message(ActionFinished(f"rmi: {len(report)} untagged/deleted", [], []))

        self._in_thread(remove)

    def _remove_marked(self, tags: list[ImageTag]) -> None:
        """rmi for every marked row: one confirmation, each failure reported, the rest still go."""
        references = [reference_of(tag) for tag in tags]
        items = [safe_text(reference) for reference in references]

        def remove(backend: DockerBackend) -> None:
            failures = []
            for reference in references:
                try:
                    remove_image(backend, reference)
                except EngineError as error:
                    failures.append((reference, str(error)))
            done = len(references) - len(failures)
            self.app.post_message(ActionFinished(f"rmi: {done} of {len(references)} done", failures, []))

        title = f"Remove {len(tags)} image tags? (an image goes when its last tag does; images in use are refused)"
        self._confirm(title, items, "Remove", lambda: self._in_thread(remove))

    def open_prune(self) -> None:
        labels = " ".join(f"{key}={value}" for key, value in self.app.run_labels)
        self._push(PruneScreen(labels), self._prune)

    def _prune(self, labels: list[str] | None) -> None:
        if labels is None:
            return

        def prune(backend: DockerBackend) -> None:
            try:
                result = prune_images(backend, labels)
            except EngineError as error:
                self.app.post_message(ActionFinished("prune", [("images", str(error))], []))
                return
            summary = f"pruned {result.deleted} image layer(s), freed {size(result.space_reclaimed)}"
            self.app.post_message(ActionFinished(summary, [], []))

        self._in_thread(prune)

