"""The Images list: ``docker images``, one row per tag, kept live from events."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.message import Message

from dockertui.backend.models import ImageInfo, ImageTag
from dockertui.formatting import Cell, cell, since, size
from dockertui.widgets.aging_rows import AgingRows
from dockertui.widgets.keyed_table import Column, KeyedTable

NONE = "<none>"


def split_reference(reference: str) -> tuple[str, str]:
    """``localhost:5000/app:1`` -> (``localhost:5000/app``, ``1``)."""
    repository, sep, tag = reference.rpartition(":")
    if not sep or "/" in tag:
        return reference, NONE
    return repository, tag


def tags_of(image: ImageInfo) -> list[ImageTag]:
    """One ImageTag per name; a dangling image gets one ``<none>`` row."""
    if not image.tags:
        return [ImageTag(image, NONE, NONE)]
    return [ImageTag(image, *split_reference(ref)) for ref in image.tags]


class ImageTable(AgingRows, KeyedTable[ImageTag]):
    """Images, newest first, an image with several tags once per tag."""

    COLUMNS = (
        Column("repository", "Repository", 32),
        Column("tag", "Tag", 14),
        Column("id", "Image ID", 12),
        Column("created", "Created", 15),
        Column("size", "Size", 10),
    )
    SORT_COLUMN = "created"
    SORT_REVERSE = True
    BINDINGS = [
        Binding("n", "request('run')", "Run…", id="image-run", tooltip="docker run with this image"),
        Binding("i", "request('inspect')", "Inspect", id="image-inspect"),
        Binding("P", "request_global('pull')", "Pull…", id="image-pull", tooltip="docker pull"),
        Binding("U", "request('push')", "Push", id="image-push", tooltip="docker push this tag"),
        Binding("d", "request('remove')", "Remove", id="image-remove", tooltip="docker rmi: untag or delete"),
        Binding("t", "request('tag')", "Tag…", id="image-tag", tooltip="docker tag"),
        Binding("D", "request_global('prune')", "Prune", id="image-prune", show=False,
                tooltip="docker image prune: dangling images"),
        Binding("b", "request_global('build')", "Build…", id="image-build", tooltip="docker build"),
        Binding("S", "request_global('search')", "Search Hub", id="image-search", show=False,
                tooltip="docker search"),
        Binding("B", "request_global('browse')", "Browse registry", id="image-browse", show=False,
                tooltip="repositories and tags of a private registry"),
        Binding("T", "request_global('tree')", "Image tree", id="image-tree", show=False,
                tooltip="which image is built on which"),
        Binding("ctrl+l", "request_global('login')", "Login/out", id="image-login", show=False,
                tooltip="docker login / logout"),
        Binding("E", "request('save')", "Save…", id="image-save", show=False,
                tooltip="docker save: the image, or the marked ones, into one tar file"),
        Binding("o", "request_global('load')", "Load…", id="image-load", show=False,
                tooltip="docker load: images from a tar file"),
    ]

    class ActionRequested(Message):
        """The user asked for ``action`` on these image tags."""

        def __init__(self, action: str, tags: list[ImageTag]) -> None:
            super().__init__()
            self.action = action
            self.tags = tags

    def action_request(self, action: str) -> None:
        targets = self.targets()
        if not targets:
            self.notify("No image selected", severity="warning")
            return
        self.post_message(self.ActionRequested(action, targets))

    def action_request_global(self, action: str) -> None:
        """An action that needs no selected image (pull, build, prune …)."""
        self.post_message(self.ActionRequested(action, self.targets()))

    def key_for(self, item: ImageTag) -> str:
        return item.key

    def ages_of(self, item: ImageTag) -> list[float]:
        return [(self._now() - item.image.created).total_seconds()]

    def row_for(self, item: ImageTag) -> list[Cell]:
        image = item.image
        dim = "dim" if item.repository == NONE else ""
        return [
            cell(item.repository, style=dim),
            cell(item.tag, style=dim),
            cell(image.short_id),
            cell(since(image.created, self._now()), sort_key=image.created.timestamp()),
            cell(size(image.size), sort_key=image.size),
        ]

    def load_images(self, images: Iterable[ImageInfo], host: str = "") -> None:
        self.load_host(host, [tag for image in images for tag in tags_of(image)])

    def _keys_of_image(self, image_key: str) -> list[str]:
        return [key for key, item in self.items.items() if item.image.key == image_key]

    def update_image(self, reference: str, image: ImageInfo | None, host: str = "") -> None:
        """Apply one re-read image; None means the image named ``reference`` is gone (from engine ``host``)."""
        if image is None:
            gone = [
                key
                for key, item in self.items.items()
                if item.host == host and (item.image.id == reference or item.reference == reference)
            ]
            for key in gone:
                self.set_item(key, None)
            self.report_current()
            return
        new_tags = {tag.key: tag for tag in tags_of(image)}
        for key in self._keys_of_image(image.key):
            if key not in new_tags:
                self.set_item(key, None)
        for key, tag in new_tags.items():
            self._take_reference_from_others(tag)
            self.set_item(key, tag)
        self.report_current()

    def _take_reference_from_others(self, tag: ImageTag) -> None:
        """A name belongs to one image: moving it leaves the old image dangling."""
        if tag.repository == NONE:
            return
        for key, item in list(self.items.items()):
            if item.host == tag.host and item.reference == tag.reference and item.image.id != tag.image.id:
                self.set_item(key, None)
                if not self._keys_of_image(item.image.key):
                    orphan = ImageTag(item.image, NONE, NONE)
                    self.set_item(orphan.key, orphan)
