"""The right-hand pane: everything about the selected container or image."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from time import monotonic

from rich.text import Text
from textual import work
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer

from dockertui.backend import EngineError
from dockertui.backend.container_facts import ContainerFacts, container_facts
from dockertui.backend.image_facts import ImageFacts, image_facts
from dockertui.backend.models import (
    RUNNING_STATES,
    ContainerInfo,
    ImageTag,
    Labels,
    NetworkInfo,
    VolumeInfo,
)
from dockertui.due_clock import DueClock
from dockertui.fleet import backend_on
from dockertui.formatting import safe_text, since, size, utc_now
from dockertui.widgets.aging_rows import container_ages, reworded_at
from dockertui.widgets.hanging_text import LABEL_WIDTH, HangingText
from dockertui.widgets.theme_roles import (
    ERROR_TEXT,
    OK,
    STATE_FAILED,
    STATE_ROLES,
    STATE_WAITING,
    RoleStyle,
    ThemeRoles,
    no_roles,
)
from dockertui.worker_errors import ReportsWorkerErrors

# How long the cursor rests on a container before inspect is asked.
RUNTIME_SETTLE_SECONDS = 0.15
# Why inspect was not read: there is no connection yet, or none any more.
NOT_CONNECTED = "not connected"

HEALTH_ROLES = {"healthy": OK, "unhealthy": STATE_FAILED, "starting": STATE_WAITING}


def detail_field(label: str, value: Text | str) -> Text:
    """One ``Label     value`` line; a str value is made safe."""
    value_text = value if isinstance(value, Text) else safe_text(value)
    return Text.assemble((f"{label} ".ljust(LABEL_WIDTH), "bold"), value_text, "\n")


def detail_block(label: str, lines: Iterable[Text]) -> Text:
    """A heading and its indented lines, or "(none)"."""
    lines = list(lines)
    out = Text.assemble((label, "bold"), "\n")
    if not lines:
        out.append("  (none)\n", style="dim")
    for line in lines:
        out.append("  ")
        out.append_text(line)
        out.append("\n")
    return out


def label_lines(labels: Labels) -> list[Text]:
    """``key=value`` lines, both sides engine text made safe."""
    return [Text.assemble(safe_text(key, style="italic"), "=", safe_text(value)) for key, value in labels]


def moment(when: datetime, now: datetime) -> Text:
    """'5 minutes ago  (2026-11-29 04:42:58 UTC)'."""
    return Text.assemble(
        since(when, now), (f"  ({when.strftime('%Y-%m-%d %H:%M:%S %Z')})", "dim")
    )


def container_details(
    container: ContainerInfo,
    now: datetime,
    status: str | None = None,
    facts: ContainerFacts | None = None,
    problem: str = "",
    roles: RoleStyle = no_roles,
) -> Text:
    """The container's facts as one Text, every engine string made safe.

    ``status`` is the status as it reads now (see status_text), if known;
    ``facts`` what inspect adds (read on demand), or the ``problem`` reading it.
    """
    text = Text(end="")
    text.append_text(safe_text(container.name, style="bold reverse"))
    text.append("\n\n")
    text.append_text(detail_field("ID", container.id))
    text.append_text(detail_field("Image", container.image))
    text.append_text(detail_field("State", safe_text(container.state, style=roles(STATE_ROLES.get(container.state, "")))))
    text.append_text(detail_field("Status", container.status if status is None else status))
    text.append_text(detail_field("Created", moment(container.created, now)))
    text.append_text(detail_field("Command", container.command))
    if facts is not None:
        text.append_text(runtime_fields(facts, now, roles))
    text.append("\n")
    text.append_text(
        detail_block(
            "Ports",
            [
                safe_text(str(port))
                if port.is_published
                else Text.assemble(safe_text(str(port)), ("  exposed, not published", "dim"))
                for port in container.ports
            ],
        )
    )
    text.append_text(detail_block("Labels", label_lines(container.labels)))
    text.append_text(
        detail_block(
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
    if facts is not None:
        text.append_text(detail_block("Networks", [
            Text.assemble(safe_text(name), "  ", safe_text(address or "no address", style="" if address else "dim"))
            for name, address in facts.networks
        ]))
        text.append_text(detail_block("Env", label_lines(facts.env)))
        if facts.run_line:
            text.append_text(detail_block("docker run line (y copies it)", [safe_text(shlex.join(facts.run_line))]))
    elif problem:
        text.append_text(safe_text(f"Environment and networks not read: {problem}", style=roles(ERROR_TEXT)))
    else:
        text.append(Text("Reading environment and networks…", style="dim italic"))
    return text


def runtime_fields(facts: ContainerFacts, now: datetime, roles: RoleStyle = no_roles) -> Text:
    """Start and finish, restart policy, health and the process's settings, as inspect has them."""
    text = Text(end="")
    if facts.started_at is not None:
        text.append_text(detail_field("Started", moment(facts.started_at, now)))
    if facts.finished_at is not None and facts.state not in RUNNING_STATES:
        exit_code = f"exit code {facts.exit_code}  " if facts.exit_code is not None else ""
        finished = Text.assemble((exit_code, "bold" if facts.exit_code else ""), moment(facts.finished_at, now))
        text.append_text(detail_field("Finished", finished))
    if facts.error:
        text.append_text(detail_field("Error", safe_text(facts.error, style=roles(ERROR_TEXT))))
    restarts = f"  ({facts.restart_count} restarts)" if facts.restart_count else ""
    text.append_text(detail_field("Restart", Text.assemble(safe_text(facts.restart_policy), (restarts, roles(STATE_WAITING)))))
    if facts.health:
        text.append_text(detail_field("Health", safe_text(facts.health, style=roles(HEALTH_ROLES.get(facts.health, "")))))
    if facts.entrypoint:
        text.append_text(detail_field("Entrypoint", shlex.join(facts.entrypoint)))
    for label, value in (("Workdir", facts.working_dir), ("User", facts.user), ("Hostname", facts.hostname)):
        if value:
            text.append_text(detail_field(label, value))
    return text


KIND_WORDS = {
    "official": "official image (one word: Docker Hub's library)",
    "user": "user image on Docker Hub (user/name)",
    "registry": "from another registry (host before the first /)",
    "unknown": "name not understood",
}


def _short(image_id: str) -> str:
    return image_id.removeprefix("sha256:")[:12]


def facts_details(facts: ImageFacts, now: datetime, roles: RoleStyle = no_roles) -> Text:
    """Layers, lineage, kind, ONBUILD and storage: the part read from the engine on demand."""
    text = Text(end="")
    text.append_text(detail_block("Kind", [
        Text.assemble(safe_text(name), "  ", (KIND_WORDS.get(kind, kind), "italic")) for name, kind in facts.kinds
    ]))
    lineage = []
    if facts.parent is None:
        lineage.append(Text("base image: no local image is below it", style="bold"))
    else:
        lineage.append(Text.assemble(("child of ", "bold"), safe_text(facts.parent.name), ("  " + _short(facts.parent.id), "dim")))
    for child in facts.children:
        lineage.append(Text.assemble("built on by ", safe_text(child.name), ("  " + _short(child.id), "dim")))
    text.append_text(detail_block("Lineage", lineage))
    if facts.onbuild:
        text.append_text(detail_block("ONBUILD", [safe_text(trigger, style=roles(STATE_WAITING)) for trigger in facts.onbuild]))
    layers = []
    for entry in facts.history:
        instruction = entry.created_by.replace("/bin/sh -c #(nop) ", "").strip()
        layers.append(Text.assemble(
            (size(entry.size).rjust(9), "bold" if entry.size else "dim"), "  ",
            (since(entry.created, now).ljust(15), "dim"), safe_text(instruction[:200]),
        ))
    text.append_text(detail_block(f"Layers ({len(facts.layers)} in the filesystem, {len(facts.history)} steps)", layers))
    storage = [
        Text.assemble(("engine root ", "dim"), safe_text(facts.root_dir)),
        Text.assemble(("driver      ", "dim"), safe_text(facts.storage_driver)),
    ]
    storage += [Text.assemble((key.ljust(12), "dim"), safe_text(value)) for key, value in facts.graph_data]
    text.append_text(detail_block("Stored", storage))
    return text


def image_details(
    tag: ImageTag, now: datetime, facts: ImageFacts | None = None, problem: str = "", roles: RoleStyle = no_roles
) -> Text:
    """The image's facts as one Text, every engine string made safe."""
    image = tag.image
    text = Text(end="")
    text.append_text(safe_text(tag.reference, style="bold reverse"))
    text.append("\n\n")
    text.append_text(detail_field("ID", image.id))
    text.append_text(detail_field("Created", moment(image.created, now)))
    text.append_text(detail_field("Size", size(image.size)))
    if image.parent_id:
        text.append_text(detail_field("Parent", image.parent_id))
    text.append("\n")
    text.append_text(detail_block("Tags", [safe_text(t) for t in image.tags]))
    text.append_text(detail_block("Digests", [safe_text(d) for d in image.digests]))
    text.append_text(detail_block("Labels", label_lines(image.labels)))
    if facts is not None and facts.image_id == image.id:
        text.append_text(facts_details(facts, now, roles))
    elif problem:
        text.append_text(safe_text(f"Layers and lineage not read: {problem}", style=roles(ERROR_TEXT)))
    else:
        text.append(Text("Reading layers and lineage…", style="dim italic"))
    return text


def volume_details(volume: VolumeInfo, now: datetime, used_by: Sequence[str]) -> Text:
    text = Text(end="")
    text.append_text(safe_text(volume.name, style="bold reverse"))
    text.append("\n\n")
    text.append_text(detail_field("Driver", volume.driver))
    text.append_text(detail_field("Scope", volume.scope))
    text.append_text(detail_field("Mountpoint", volume.mountpoint))
    if volume.created.timestamp() > 0:
        text.append_text(detail_field("Created", moment(volume.created, now)))
    text.append_text(detail_field("Size", size(volume.size) if volume.size >= 0 else "not read yet (z reads sizes)"))
    text.append("\n")
    text.append_text(detail_block("Used by", [safe_text(name) for name in used_by]))
    text.append_text(detail_block("Labels", label_lines(volume.labels)))
    return text


def network_details(network: NetworkInfo, attached: Sequence[str]) -> Text:
    text = Text(end="")
    text.append_text(safe_text(network.name, style="bold reverse"))
    text.append("\n\n")
    text.append_text(detail_field("ID", network.id))
    text.append_text(detail_field("Driver", network.driver))
    text.append_text(detail_field("Scope", network.scope))
    text.append_text(detail_field("Internal", "yes: no way out" if network.internal else "no"))
    if network.is_predefined:
        text.append_text(detail_field("Predefined", "the engine's own: it cannot be removed"))
    text.append("\n")
    text.append_text(detail_block("Subnets", [safe_text(subnet) for subnet in network.subnets]))
    text.append_text(detail_block("Attached", [safe_text(name) for name in attached]))
    text.append_text(detail_block("Labels", label_lines(network.labels)))
    return text


def _identity(item: object) -> str | None:
    if isinstance(item, ContainerInfo):
        return item.id
    if isinstance(item, ImageTag):
        return f"{item.image.id} {item.reference}"
    if isinstance(item, VolumeInfo | NetworkInfo):
        return f"{type(item).__name__} {item.name}"
    return None


class DetailsPane(ThemeRoles, ReportsWorkerErrors, VerticalScroll):
    """Shows one object's details; empty text when nothing is selected."""

    class ImageFactsLoaded(Message):
        """An image's layers and lineage were read (``facts`` None and ``problem`` on failure)."""

        def __init__(self, image_id: str, facts: ImageFacts | None, problem: str = "") -> None:
            super().__init__()
            self.image_id = image_id
            self.facts = facts
            self.problem = problem

    class ContainerFactsLoaded(Message):
        """A container's inspect facts were read in ``state`` (``facts`` None and ``problem`` on failure)."""

        def __init__(self, container_id: str, state: str, facts: ContainerFacts | None, problem: str = "") -> None:
            super().__init__()
            self.container_id = container_id
            self.state = state
            self.facts = facts
            self.problem = problem

    def __init__(
        self,
        *,
        now: Callable[[], datetime] = utc_now,
        status_of: Callable[[ContainerInfo], str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._now = now
        self._status_of = status_of
        self._item: object = None
        self._related: Sequence[str] = ()  # a volume's or network's containers, as last shown
        self.times_due = 0.0  # monotonic time when a time shown next reads differently
        self.due_clock: DueClock | None = None  # the screen's: told when that is
        self._body = HangingText(Text("Nothing selected", style="dim"), id="details-body")
        self._image: ImageTag | None = None
        self._facts: ImageFacts | None = None
        self._facts_for: ImageTag | None = None
        self._problem = ""
        # The selected container's inspect facts, and the (id, state) they are asked for.
        self._runtime: ContainerFacts | None = None
        self._runtime_problem = ""
        self._runtime_for: tuple[str, str, str] | None = None  # (id, state, host)
        self._runtime_timer: Timer | None = None

    def compose(self):
        yield self._body

    def show(self, item: object, related: Sequence[str] = ()) -> None:
        """Render the given object (or a hint when there is none).

        ``related``: for a volume or a network, the containers that use it (the dashboard knows).
        """
        if _identity(item) != _identity(self._item):
            # Another object starts at its name, not where the last one was scrolled to.
            self.scroll_home(animate=False)
        self._image = None
        self._item = item
        self._related = related
        self.times_due = self._reworded_at(item, monotonic())
        if self.due_clock is not None:
            self.due_clock.wake_at(self.times_due)
        if isinstance(item, ContainerInfo):
            self._ask_runtime(item)
            self._show_container(item)
        elif isinstance(item, ImageTag):
            self._show_image(item)
            return
        elif isinstance(item, VolumeInfo):
            self._body.update(volume_details(item, self._now(), related))
        elif isinstance(item, NetworkInfo):
            self._body.update(network_details(item, related))
        else:
            self._body.update(Text("Nothing selected", style="dim"))

    def _show_container(self, container: ContainerInfo) -> None:
        status = self._status_of(container) if self._status_of is not None else None
        ours = self._runtime is not None and self._runtime.container_id == container.id
        problem = self._runtime_problem if self._runtime_for and self._runtime_for[0] == container.id else ""
        facts = self._runtime if ours else None
        # Until inspect's facts come (a moment), the pane keeps its height: a new
        # height lays the whole screen out again, twice a cursor move.
        self._body.update(container_details(container, self._now(), status, facts, problem, self.role_style),
                          keep_height=facts is None and not problem)

    def _ask_runtime(self, container: ContainerInfo) -> None:
        """Read inspect's facts for this container once per state, when the cursor rests.

        Holding j down the list would otherwise inspect every container passed.
        The last facts of the same container stay shown until the new ones come.
        """
        wanted = (container.id, container.state, container.host)
        if wanted == self._runtime_for:
            return
        if self._runtime_for is None or self._runtime_for[0] != container.id:
            self._runtime, self._runtime_problem = None, ""
        self._runtime_for = wanted
        if self._runtime_timer is not None:
            self._runtime_timer.stop()
        self._runtime_timer = self.set_timer(RUNTIME_SETTLE_SECONDS, lambda: self._load_runtime(*wanted))

    @work(thread=True, exclusive=True, group="container-facts", exit_on_error=False)
    def _load_runtime(self, container_id: str, state: str, host: str) -> None:
        backend = backend_on(self.app, host)
        if backend is None:
            self.post_message(self.ContainerFactsLoaded(container_id, state, None, NOT_CONNECTED))
            return
        try:
            facts = container_facts(backend, container_id, state)
        except EngineError as error:
            self.post_message(self.ContainerFactsLoaded(container_id, state, None, str(error)))
        else:
            self.post_message(self.ContainerFactsLoaded(container_id, state, facts))

    def on_details_pane_container_facts_loaded(self, message: ContainerFactsLoaded) -> None:
        if self._runtime_for is None or self._runtime_for[:2] != (message.container_id, message.state):
            return  # another container, or the state changed again: a newer reading is due
        if message.problem == NOT_CONNECTED:
            # Not a reading: the lists can be on screen before the follower
            # connects (backend/first_read.py), and its snapshot shows this again.
            self._runtime_for = None
            return
        self._runtime, self._runtime_problem = message.facts, message.problem
        if isinstance(self._item, ContainerInfo) and self._item.id == message.container_id:
            self._show_container(self._item)

    def run_line_of(self, container_id: str) -> str | None:
        """The shown container's `docker run` line, once inspect has been read."""
        facts = self._runtime
        if facts is None or facts.container_id != container_id or not facts.run_line:
            return None
        return shlex.join(facts.run_line)

    def refresh_times(self) -> None:
        """Re-word "5 minutes ago" and the status as time passes."""
        self.show(self._item, self._related)

    def restyle(self) -> None:
        self.show(self._item, self._related)

    def refresh_times_if_due(self) -> None:
        if self.times_due <= monotonic():
            self.refresh_times()

    def _reworded_at(self, item: object, now_monotonic: float) -> float:
        """When (monotonic) a time shown for ``item`` next reads differently."""
        now = self._now()
        if isinstance(item, ContainerInfo):
            ages = container_ages(item, self._status_of(item) if self._status_of is not None else None, now)
        elif isinstance(item, ImageTag):
            ages = [(now - item.image.created).total_seconds()]
        elif isinstance(item, VolumeInfo) and item.created.timestamp() > 0:
            ages = [(now - item.created).total_seconds()]
        else:
            return now_monotonic + 3600.0
        # Young times with the young rows (aging_rows.py): the whole pane is drawn again each time.
        return reworded_at(ages, now_monotonic)

    def _show_image(self, tag: ImageTag) -> None:
        """Show the summary now; layers and lineage follow from a worker (read once per image state)."""
        self._image = tag
        if self._facts_for is None or self._facts_for.image != tag.image:
            self._facts_for = tag
            self._facts, self._problem = None, ""
            self._load_facts(tag.image.id, tag.host)
        self._body.update(image_details(tag, self._now(), self._facts, self._problem, self.role_style))

    @work(thread=True, exclusive=True, group="image-facts", exit_on_error=False)
    def _load_facts(self, image_id: str, host: str) -> None:
        backend = backend_on(self.app, host)
        if backend is None:
            self.post_message(self.ImageFactsLoaded(image_id, None, "not connected"))
            return
        try:
            self.post_message(self.ImageFactsLoaded(image_id, image_facts(backend, image_id)))
        except EngineError as error:
            self.post_message(self.ImageFactsLoaded(image_id, None, str(error)))

    def on_details_pane_image_facts_loaded(self, message: ImageFactsLoaded) -> None:
        if self._facts_for is None or self._facts_for.image.id != message.image_id:
            return
        self._facts, self._problem = message.facts, message.problem
        if self._image is not None and self._image.image.id == message.image_id:
            self._body.update(image_details(self._image, self._now(), self._facts, self._problem, self.role_style))

