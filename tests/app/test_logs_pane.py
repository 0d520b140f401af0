"""The Logs tab against real containers: order, TTY, switching, hostile lines, search, save,
a container that stops or runs again while followed."""

from __future__ import annotations

import asyncio

import pytest

from dockertui.app import DockerTUI
from dockertui.screens.confirm import ConfirmScreen
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.log_pane import LogPane
from dockertui.widgets.log_status import StreamState
from dockertui.widgets.log_view import LogView
from tests.support.pilot import dashboard_up, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)
COUNT_SCRIPT = 'i=0; while [ $i -lt {n} ]; do echo "{prefix} $i"; i=$((i+1)); done; sleep 300'
# printf formats: \033 is ESC, so the container really writes escape sequences.
HOSTILE_SCRIPT = (
    "printf '%s\\n' '[/foo]' '[link=http://x]y[/link]' '[$accent]'; "
    "printf '\\033[31mred\\033[0m plain\\n'; "
    "printf '\\033[2J\\033[Hcleared?\\n'; "
    "head -c 200000 /dev/zero | tr '\\0' x; echo; "
    "printf 'bad \\377\\376\\n'; sleep 300"
)


async def open_logs_of(pilot, container) -> LogPane:
    app = pilot.app
    table = app.screen.query_one(ContainerTable)
    await wait_until(pilot, lambda: container.id in table.rows, what="the container row")
    table.move_cursor(row=table.get_row_index(container.id))
    await pilot.press("L")
    pane = app.screen.query_one(LogPane)
    await wait_until(pilot, lambda: pane.container is not None and pane.container.id == container.id)
    return pane


def texts(pane: LogPane) -> list[str]:
    return [line.text for line in pane.view.lines()]


@pytest.mark.parametrize("tty", [False, True])
async def test_all_lines_arrive_in_order(engine_target, make_container, tty):
    container = make_container(command=["sh", "-c", COUNT_SCRIPT.format(n=300, prefix="line")], tty=tty)
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, container)
        await wait_until(pilot, lambda: len(texts(pane)) >= 300, what="300 lines")
        assert texts(pane) == [f"line {i}" for i in range(300)]


async def test_a_container_that_writes_nothing_is_followed(engine_target, make_container):
    silent = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, silent)
        await wait_until(pilot, lambda: pane.stream_state is StreamState.FOLLOWING, what="following without a line")
        assert texts(pane) == []


async def test_switching_containers_stops_the_old_stream(engine_target, make_container):
    chatty = make_container(command=["sh", "-c", 'while true; do echo "chatty"; sleep 0.05; done'])
    quiet = make_container(command=["sh", "-c", 'echo "quiet one"; sleep 300'])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, chatty)
        await wait_until(pilot, lambda: "chatty" in texts(pane))
        old_streams = [w for w in app.workers if w.group == "logs" and w.is_running]
        table = app.screen.query_one(ContainerTable)
        table.move_cursor(row=table.get_row_index(quiet.id))
        await wait_until(pilot, lambda: texts(pane) == ["quiet one"], what="only the quiet container's line")
        # Once the old stream's thread has ended, whatever it sent is in the queue: let it through.
        await wait_until(pilot, lambda: all(w.is_finished for w in old_streams), what="the old stream to end")
        await pilot.pause()
        assert texts(pane) == ["quiet one"], "no line of the old stream may arrive after the switch"
        threads = [w for w in app.workers if w.group == "logs" and w.is_running]
        assert len(threads) == 1


async def test_hostile_lines_render_as_text(engine_target, make_container):
    container = make_container(command=["sh", "-c", HOSTILE_SCRIPT])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, container)
        await wait_until(pilot, lambda: any(t.startswith("bad") for t in texts(pane)), what="every line")
        view = pane.view
        view.focus()
        view.scroll_home(animate=False)
        await pilot.pause()
        rendered = [view.render_line(y).text for y in range(6)]
        assert rendered[0].strip() == "[/foo]"
        assert rendered[1].strip() == "[link=http://x]y[/link]"
        assert rendered[2].strip() == "[$accent]"
        assert rendered[3].strip() == "red plain"
        assert rendered[4].strip() == "cleared?"
        assert all("\x1b" not in line for line in rendered)
        lengths = [len(t) for t in texts(pane) if t.startswith("x")]
        assert sum(lengths) == 200000
        assert texts(pane)[-1] == "bad \ufffd\ufffd"
        assert app.is_running


async def test_search_filter_and_save(engine_target, make_container, tmp_path):
    container = make_container(command=["sh", "-c", COUNT_SCRIPT.format(n=50, prefix="row") + "; echo ERROR boom"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, container)
        await wait_until(pilot, lambda: len(texts(pane)) >= 50)
        pane.query_one(LogView).focus()

        await pilot.press("f", *"/row [0-9]$/", "enter")
        assert texts(pane) == [f"row {i}" for i in range(10)]

        await pilot.press("f", *"/row [/", "enter")
        error = pane.query_one("#logs-error")
        assert "invalid regular expression" in str(error.render())
        assert pane.query_one("#logs-prompt").value == "/row [/", "the typed text is kept"
        await pilot.press("escape")

        await pilot.press("f", "ctrl+u", *"row 4", "enter")
        assert texts(pane) == ["row 4", *[f"row {i}" for i in range(40, 50)]]

        target = tmp_path / "saved.log"
        await pilot.press("s", *str(target), "enter")
        await wait_until(pilot, lambda: target.exists() and target.read_text().count("\n") == 11)
        assert target.read_text().splitlines()[0] == "row 4"

        # Saving again asks before overwriting; "n" leaves the file alone.
        target.write_text("keep me\n")
        await pilot.press("s", *str(target), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the overwrite question")
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="the question answered")
        # Declined, no write was started; one started would be running or done by now.
        assert not [w for w in app.workers if w.group == "logs-save" and not w.is_finished]
        assert target.read_text() == "keep me\n"

        missing = tmp_path / "no" / "such" / "dir.log"
        await pilot.press("s", *str(missing), "enter")
        await wait_until(pilot, lambda: "could not save" in str(pane.query_one("#logs-error").render()))


async def test_a_flood_says_how_far_behind_and_end_skips_to_live(engine_target, make_container):
    """About 50k lines/s, more than the reader takes: the status says how far behind, End drops the backlog."""
    import time

    from dockertui.config import Config
    from dockertui.widgets.log_pane import stamp_seconds

    flood = make_container(command=["sh", "-c", "while :; do seq 1 5000; usleep 100000; done"])
    # Room for every line read during the test, so the gap marker is not pushed out
    # of the view's buffer before a check under load gets to see it.
    app = DockerTUI(engine_target, config=Config(log_max_lines=2_000_000))
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, flood)
        status = pane.query_one("#logs-status")
        await wait_until(pilot, lambda: (pane.behind or 0) >= 2, timeout=30, what="the reader to fall 2 s behind")
        await wait_until(pilot, lambda: "s behind (End skips to live)" in str(status.render()), what="the status to say so")

        pane.view.focus()
        await wait_until(pilot, lambda: app.focused is pane.view, what="the log view to have focus")
        skipped_at = time.time()
        await pilot.press("end")
        await wait_until(pilot, lambda: any("skipped to live" in text for text in texts(pane)), what="the gap marker")
        marker = max(i for i, text in enumerate(texts(pane)) if "skipped to live" in text)
        await wait_until(pilot, lambda: len(pane.view.lines()) > marker + 1, what="a line after the marker")
        after = pane.view.lines()[marker + 1]
        # The backlog (seconds old) was dropped: what follows was written around the skip or later.
        assert stamp_seconds(after.timestamp) >= int(skipped_at) - 1


async def test_paused_shows_in_the_status_line_of_a_narrow_pane(engine_target, make_container):
    """At 120 columns the Logs pane is narrow: paused comes before the counts, so it is not cut off."""
    container = make_container(command=["sh", "-c", COUNT_SCRIPT.format(n=200, prefix="line")])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, container)
        await wait_until(pilot, lambda: len(texts(pane)) >= 200, what="200 lines")
        pane.view.focus()
        await pilot.press("pageup")
        status = pane.query_one("#logs-status")
        await wait_until(pilot, lambda: "paused" in "".join(s.text for s in status.render_line(0)),
                         what=lambda: ("paused on screen", "".join(s.text for s in status.render_line(0))))
        await pilot.press("end")
        await wait_until(pilot, lambda: "paused" not in "".join(s.text for s in status.render_line(0)),
                         what="following again")


async def test_a_container_that_stops_under_the_cursor_stays_listed_with_its_logs(engine_target, make_container):
    """The list shows running containers, but the one being read stays (exited) until the cursor leaves it."""
    watched = make_container(command=["sh", "-c", "echo one; echo two; sleep 300"])
    other = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.screen.query_one(ContainerTable)
        await wait_until(pilot, lambda: other.id in table.rows, what="the other container's row")
        pane = await open_logs_of(pilot, watched)
        await wait_until(pilot, lambda: texts(pane) == ["one", "two"], what="its two lines")

        await asyncio.to_thread(watched.stop, timeout=0)
        await wait_until(pilot, lambda: table.items[watched.id].state == "exited", what="the container exited")
        await wait_until(pilot, lambda: pane.stream_state is StreamState.ENDED, what="its stream ended")
        assert table.current_key == watched.id, "the stopped container is still the selected row"
        assert texts(pane) == ["one", "two"], "the lines being read stay"

        table.move_cursor(row=table.get_row_index(other.id))
        await wait_until(pilot, lambda: watched.id not in table.rows, what="the stopped row gone once left")
        assert table.current_key == other.id
        await wait_until(pilot, lambda: pane.container is not None and pane.container.id == other.id)


async def test_a_container_that_runs_again_keeps_the_lines_shown(engine_target, make_container):
    """Started again, it adds its new output after the old: nothing cleared, nothing twice, none cut to the tail."""
    container = make_container(command=["sh", "-c", COUNT_SCRIPT.format(n=600, prefix="line")])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        pane = await open_logs_of(pilot, container)
        await wait_until(pilot, lambda: "line 599" in texts(pane), what="the first run's last line")
        shown = texts(pane)
        await asyncio.to_thread(container.stop, timeout=0)
        await wait_until(pilot, lambda: pane.stream_state is StreamState.ENDED, what="its stream ended")
        await asyncio.to_thread(container.start)
        new_run = [f"line {i}" for i in range(600)]
        await wait_until(pilot, lambda: len(texts(pane)) >= len(shown) + 600, timeout=20,
                         what=lambda: f"{len(texts(pane))} lines")
        assert texts(pane) == shown + new_run
