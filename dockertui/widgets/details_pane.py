"""The right-hand pane: everything about the selected container or image."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from dockertui.backend.models import ContainerInfo, ImageTag, Labels
from dockertui.formatting import STATE_STYLES, safe_text, since, size, utc_now

LABEL_WIDTH = 10


def _field(label: str, value: Text | str) -> Text:
    value_text = value if isinstance(value, Text) else safe_text(value)
    return Text.assemble((label.ljust(LABEL_WIDTH), "bold"), value_text, "\n")


def _block(label: str, lines: Iterable[Text]) -> Text:
    lines = list(lines)
    out = Text.assemble((label, "bold"), "\n")
    if not lines:
        out.append("  (none)\n", style="dim")
    for line in lines:
        out.append("  ")
        out.append_text(line)
        out.append("\n")
    return out


def _labels(labels: Labels) -> list[Text]:
    return [Text.assemble(safe_text(key, style="italic"), "=", safe_text(value)) for key, value in labels]


def _when(moment: datetime, now: datetime) -> Text:
    return Text.assemble(
        since(moment, now), (f"  ({moment.strftime('%Y-%m-%d %H:%M:%S %Z')})", "dim")
    )


def container_details(container: ContainerInfo, now: datetime) -> Text:
    """The container's facts as one Text, every engine string made safe."""
    text = Text(end="")
    text.append_text(safe_text(container.name, style="bold reverse"))
    text.append("\n\n")
    text.append_text(_field("ID", container.id))
    text.append_text(_field("Image", container.image))
    text.append_text(_field("State", safe_text(container.state, style=STATE_STYLES.get(container.state, ""))))
    text.append_text(_field("Status", container.status))
    text.append_text(_field("Created", _when(container.created, now)))
    text.append_text(_field("Command", container.command))
    text.append("\n")
    text.append_text(
        _block(
            "Ports",
            [
                safe_text(str(port))
                if port.is_published
                else Text.assemble(safe_text(str(port)), ("  exposed, not published", "dim"))
                for port in container.ports
            ],
        )
    )
    text.append_text(_block("Labels", _labels(container.labels)))
    text.append_text(
        _block(
            "Mounts",
            [
                Text.assemble(
                    (mount.type, "dim"),
                    " ",
                    safe_text(mount.name or mount.source),
                    " -> ",
                    safe_text(mount.destination),
                    (" (ro)" if mount.read_only else " (rw)", "dim"),
                )
                for mount in container.mounts
            ],
        )
    )
    return text


def image_details(tag: ImageTag, now: datetime) -> Text:
    """The image's facts as one Text, every engine string made safe."""
    image = tag.image
    text = Text(end="")
    text.append_text(safe_text(tag.reference, style="bold reverse"))
    text.append("\n\n")
    text.append_text(_field("ID", image.id))
    text.append_text(_field("Created", _when(image.created, now)))
    text.append_text(_field("Size", size(image.size)))
    if image.parent_id:
        text.append_text(_field("Parent", image.parent_id))
    text.append("\n")
    text.append_text(_block("Tags", [safe_text(t) for t in image.tags]))
    text.append_text(_block("Digests", [safe_text(d) for d in image.digests]))
    text.append_text(_block("Labels", _labels(image.labels)))
    return text


class DetailsPane(VerticalScroll):
    """Shows one object's details; empty text when nothing is selected."""

    def __init__(self, *, now: Callable[[], datetime] = utc_now, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self._body = Static(Text("Nothing selected", style="dim"), id="details-body")

    def compose(self):
        yield self._body

    def show(self, item: ContainerInfo | ImageTag | None) -> None:
        """Render the given object (or a hint when there is none)."""
        if isinstance(item, ContainerInfo):
            self._body.update(container_details(item, self._now()))
        elif isinstance(item, ImageTag):
            self._body.update(image_details(item, self._now()))
        else:
            self._body.update(Text("Nothing selected", style="dim"))
