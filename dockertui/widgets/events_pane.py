"""The Events tab: the live event table with its type and text filters."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Input, Static

from dockertui.backend.models import EngineEvent
from dockertui.widgets.event_table import EVENT_TYPES, EventTable


class EventsPane(Vertical):
    """Filter line, then the events; ``T`` cycles the type, ``/`` filters by text."""

    BINDINGS = [
        Binding("T", "cycle_type", "Event type", id="events-type"),
        Binding("slash", "filter_text", "Filter", id="events-filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="events-clear"),
    ]

    # Whose events these are ("Podman 4.3.1"): its events differ from Docker's.
    engine: reactive[str] = reactive("", init=False)

    def __init__(self, *, host_width: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self._host_width = host_width  # a fleet's: each event says which engine sent it

    def compose(self) -> ComposeResult:
        yield Static(id="events-status")
        yield EventTable(host_width=self._host_width, id="events")
        yield Input(placeholder="show events containing…", id="events-prompt", classes="hidden")

    @property
    def table(self) -> EventTable:
        return self.query_one(EventTable)

    def on_mount(self) -> None:
        self._render_status()

    def watch_engine(self) -> None:
        if self.is_mounted:
            self._render_status()

    def add_event(self, event: EngineEvent) -> None:
        self.table.add_event(event)

    def _render_status(self) -> None:
        table = self.table
        status = Text.assemble((f"{self.engine} · " if self.engine else "", "dim"), ("type: ", "dim"),
                               (table.type_filter, "bold"), ("  text: ", "dim"))
        status.append(table.text_filter or "(any)", style="bold" if table.text_filter else "dim")
        status.append("   T cycles type · / filters text", style="dim")
        self.query_one("#events-status", Static).update(status)

    def action_cycle_type(self) -> None:
        table = self.table
        following = EVENT_TYPES[(EVENT_TYPES.index(table.type_filter) + 1) % len(EVENT_TYPES)]
        table.set_filters(type_filter=following)
        self._render_status()

    def action_filter_text(self) -> None:
        prompt = self.query_one("#events-prompt", Input)
        prompt.value = self.table.text_filter
        prompt.remove_class("hidden")
        prompt.focus()

    def action_clear_filter(self) -> None:
        self.query_one("#events-prompt", Input).add_class("hidden")
        self.table.set_filters(text_filter="")
        self.table.focus()
        self._render_status()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.add_class("hidden")
        self.table.set_filters(text_filter=event.value.strip())
        self.table.focus()
        self._render_status()
