"""The Top tab's bookkeeping with made-up readings (no engine): what the app tests cannot time.

tests/app/test_processes.py runs the same pane against the real engine.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from dockertui.backend import ContainerInfo
from dockertui.backend.processes import PS_ARGS, ProcessList
from dockertui.widgets.processes_pane import ProcessesPane

TITLES = ("PID", "PPID", "USER", "%CPU", "%MEM", "RSS", "ELAPSED", "COMMAND")
CONTAINER = ContainerInfo(
    id="c1", name="web", image="img", image_id="sha256:1", command="sh", created=datetime.now(timezone.utc),
    state="running", status="Up",
)


def _row(pid: str, ppid: str, command: str, elapsed: str = "00:01") -> tuple[str, ...]:
    return (pid, ppid, "root", "0.0", "0.0", "1024", elapsed, command)


def _reading(*rows: tuple[str, ...], titles=TITLES, ps_args=PS_ARGS) -> ProcessesPane.Read:
    return ProcessesPane.Read(CONTAINER.id, ProcessList(CONTAINER.id, titles, rows, ps_args))


class TopApp(App):
    backend = None  # no engine: readings are posted by the test

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="top"):
            with TabPane("Top", id="top"):
                yield ProcessesPane(id="processes")
            with TabPane("Other", id="other"):
                yield Static("other")


def _pids(pane: ProcessesPane) -> list[str]:
    return [row.key.value for row in pane.table.ordered_rows]


def _cursor_pid(pane: ProcessesPane) -> str:
    table = pane.table
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


async def _deliver(pilot, pane: ProcessesPane, reading: ProcessesPane.Read) -> None:
    pane._reading = True  # as if this reading had been asked for
    pane.post_message(reading)
    await pilot.pause()


async def test_the_cursor_stays_on_its_process_as_rows_come_and_go():
    app = TopApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ProcessesPane)
        pane.show(CONTAINER)
        await _deliver(pilot, pane, _reading(_row("10", "1", "sh"), _row("20", "10", "a"), _row("30", "10", "b")))
        assert _pids(pane) == ["10", "20", "30"]
        pane.table.move_cursor(row=2)
        # A new child sorts above the cursor's process, and one above it goes.
        await _deliver(pilot, pane, _reading(_row("10", "1", "sh"), _row("25", "10", "new"), _row("30", "10", "b")))
        assert _pids(pane) == ["10", "25", "30"] and _cursor_pid(pane) == "30"
        assert str(pane.query_one("#processes-command").source).startswith("PID 30")


async def test_a_cell_that_grows_widens_its_column():
    app = TopApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ProcessesPane)
        pane.show(CONTAINER)
        await _deliver(pilot, pane, _reading(_row("10", "1", "sh", elapsed="00:05")))
        await _deliver(pilot, pane, _reading(_row("10", "1", "sh", elapsed="1-02:03:04")))
        assert pane.table.columns["ELAPSED"].content_width >= len("1-02:03:04")


async def test_a_reading_that_lands_after_the_stop_is_dropped():
    app = TopApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ProcessesPane)
        pane.show(CONTAINER)
        await _deliver(pilot, pane, _reading(_row("10", "1", "sh")))
        pane.show(replace(CONTAINER, state="exited"))
        await _deliver(pilot, pane, _reading(_row("10", "1", "sh")))
        assert pane.table.row_count == 0
        assert "not running (exited)" in str(pane.query_one("#processes-heading").render())
        assert pane._next_reading is None


async def test_the_engines_default_columns_are_shown_as_a_tree_too():
    default = ("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD")
    app = TopApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ProcessesPane)
        pane.show(CONTAINER)
        rows = (("root", "7", "1", "0", "10:00", "?", "00:00:00", "sleep 1"), ("root", "1", "0", "0", "10:00", "?", "00:00:00", "sh"))
        await _deliver(pilot, pane, _reading(*rows, titles=default, ps_args=None))
        assert _pids(pane) == ["1", "7"]
        assert [pane.table.get_cell(pid, "CMD").plain for pid in _pids(pane)] == ["sh", "  sleep 1"]
        # Asked again, the engine gets no ps arguments it refused before.
        assert pane._ps_args[1] is None


async def test_no_reading_is_armed_while_hidden_or_under_another_screen():
    app = TopApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ProcessesPane)
        pane.show(CONTAINER)
        await pilot.pause()
        assert pane._wanted()
        app.query_one(TabbedContent).active = "other"
        await pilot.pause()
        assert not pane._wanted()
        app.query_one(TabbedContent).active = "top"
        await pilot.pause()
        assert pane._wanted()
        await app.push_screen(Screen())
        await pilot.pause()
        assert not pane._wanted()
        pane._read_soon(0)
        assert pane._next_reading is None
        app.pop_screen()
        await pilot.pause()
        assert pane._wanted()


async def test_a_hidden_pane_draws_the_new_container_when_shown():
    """Hidden, show() leaves the widgets alone (new text there costs the screen a layout); shown, they follow."""
    other = replace(CONTAINER, id="c2", name="db")
    app = TopApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ProcessesPane)
        pane.show(CONTAINER)
        await _deliver(pilot, pane, _reading(_row("10", "1", "sh")))
        app.query_one(TabbedContent).active = "other"
        await pilot.pause()
        heading = lambda: str(pane.query_one("#processes-heading").render())  # noqa: E731
        drawn = heading()
        pane.show(other)
        await pilot.pause()
        assert heading() == drawn and _pids(pane) == ["10"]
        app.query_one(TabbedContent).active = "top"
        await pilot.pause()
        assert "db" in heading() and "web" not in heading()
        assert pane.table.row_count == 0  # the last container's processes are not shown as the new one's
