"""The Events table keeps the user's place while it is hidden and events arrive.

A UI test with made-up events (no engine): what is under test is the table's
own bookkeeping, which the app tests cannot drive to a given row.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static, TabbedContent, TabPane

from dockertui.backend.models import EngineEvent
from dockertui.widgets.event_table import EventTable, event_details, kept_event


def _event(number: int, kind: str = "container") -> EngineEvent:
    return EngineEvent(kind, "start", f"id{number}", (("name", f"c{number}"),))


class EventsApp(App):
    def compose(self) -> ComposeResult:
        with TabbedContent(initial="events"):
            with TabPane("Events", id="events"):
                yield EventTable(max_events=10, id="table")
            with TabPane("Other", id="other"):
                yield Static("other")


def _names(table: EventTable) -> list[str]:
    return [str(table.get_row_at(index)[3]) for index in range(table.row_count)]


def _cursor_name(table: EventTable) -> str:
    return str(table.get_row_at(table.cursor_row)[3])


async def _arrive(pilot, table: EventTable, events: list[EngineEvent]) -> None:
    """Events come in while the table is shown."""
    for event in events:
        table.add_event(event)
    await pilot.pause()


async def _while_hidden(pilot, app: EventsApp, events: list[EngineEvent]) -> None:
    tabs = app.query_one(TabbedContent)
    tabs.active = "other"
    await pilot.pause()
    table = app.query_one(EventTable)
    for event in events:
        table.add_event(event)
    assert table._behind  # kept, not yet rows: the hidden path ran
    tabs.active = "events"
    await pilot.pause()


async def test_the_cursor_stays_on_its_event_across_a_hidden_spell():
    app = EventsApp()
    async with app.run_test() as pilot:
        table = app.query_one(EventTable)
        await _arrive(pilot, table, [_event(number) for number in range(5)])
        table.move_cursor(row=2)
        await _while_hidden(pilot, app, [_event(number) for number in range(5, 8)])
        assert _names(table) == [f"c{number}" for number in range(8)]
        assert _cursor_name(table) == "c2"


async def test_a_cursor_on_the_newest_follows_the_newest():
    app = EventsApp()
    async with app.run_test() as pilot:
        table = app.query_one(EventTable)
        await _arrive(pilot, table, [_event(number) for number in range(3)])
        assert _cursor_name(table) == "c2"
        await _while_hidden(pilot, app, [_event(3), _event(4)])
        assert _cursor_name(table) == "c4"


async def test_an_event_gone_or_filtered_out_leaves_the_cursor_on_the_next_one():
    app = EventsApp()
    async with app.run_test() as pilot:
        table = app.query_one(EventTable)
        await _arrive(pilot, table, [_event(number, "image" if number == 1 else "container") for number in range(5)])
        table.move_cursor(row=1)
        table.set_filters(type_filter="container")
        await pilot.pause()
        assert _cursor_name(table) == "c2"
        # The bound is 10: eleven more push c2 (and all before it) out.
        await _while_hidden(pilot, app, [_event(number) for number in range(5, 16)])
        assert _names(table)[0] == "c6" and _cursor_name(table) == "c6"


async def test_shown_rows_past_the_bound_are_dropped_as_events_arrive():
    app = EventsApp()
    async with app.run_test() as pilot:
        table = app.query_one(EventTable)
        await _arrive(pilot, table, [_event(number) for number in range(13)])
        assert _names(table) == [f"c{number}" for number in range(3, 13)]


async def test_rows_dropped_from_the_top_while_shown_leave_the_cursor_on_its_event():
    app = EventsApp()
    async with app.run_test() as pilot:
        table = app.query_one(EventTable)
        await _arrive(pilot, table, [_event(number) for number in range(10)])
        table.move_cursor(row=5)
        await _arrive(pilot, table, [_event(number) for number in range(10, 13)])
        assert _names(table)[0] == "c3" and _cursor_name(table) == "c5"


def test_a_kept_event_holds_only_what_the_table_shows_or_filters_on():
    """A container's labels can be many times the rest of its event: the table keeps its name and
    the attributes its Details column shows, and shares the words every event repeats."""
    labels = tuple((f"com.example.label{n}", "x" * 40) for n in range(20))
    event = EngineEvent(
        "".join(["contain", "er"]), "".join(["st", "art"]), "a" * 64,
        tuple(sorted((("name", "web"), ("image", "nginx:latest"), ("exitCode", "0"), *labels))), 5, "",
    )
    kept = kept_event(event)
    assert dict(kept.attributes) == {"name": "web", "image": "nginx:latest", "exitCode": "0"}
    assert (kept.type, kept.action, kept.actor_id, kept.time_nano, kept.name) == ("container", "start", "a" * 64, 5, "web")
    assert event_details(kept) == event_details(event)
    assert kept.type is kept_event(event).type  # one string for every event of a type
