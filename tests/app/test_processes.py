"""The Top tab against the real engine: a container's processes as a tree, kept live while shown."""

from __future__ import annotations

import time

import pytest

from dockertui.app import DockerTUI
from dockertui.backend import DockerBackend, EngineError
from dockertui.backend.processes import container_processes
from dockertui.widgets import processes_pane
from dockertui.widgets.processes_pane import ProcessesPane
from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until

pytestmark = pytest.mark.integration

# $0 of the shell is "[/foo]": ps shows it in the command, which must stay literal.
SCRIPT = "sleep 301 & while true; do sleep 1; done"


def _commands(pane: ProcessesPane) -> list[str]:
    table = pane.table
    # COMMAND from our ps columns, CMD from the engine's default ones (a host without ps -o).
    column = next((title for title in ("COMMAND", "CMD") if title in table.columns), None)
    if column is None:
        return []
    return [table.get_cell(row.key, column).plain for row in table.ordered_rows]


@pytest.fixture
def backend(engine_target):
    backend = DockerBackend.connect(engine_target)
    yield backend
    backend.close()


def test_backend_lists_processes_and_refuses_a_stopped_container(backend, make_container):
    container = make_container(command=["sh", "-c", SCRIPT, "[/foo]"])
    # The shell starts `sleep 301` a moment after the container starts: wait for it to be there.
    deadline = time.monotonic() + 15
    processes = container_processes(backend, container.id)
    while "sleep 301" not in [row[-1] for row in processes.rows]:
        assert time.monotonic() < deadline, f"no `sleep 301` among {processes.rows}"
        time.sleep(0.05)
        processes = container_processes(backend, container.id)
    assert processes.titles[0] == "PID" and processes.titles[-1] == "COMMAND"
    commands = [row[-1] for row in processes.rows]
    assert any(command.startswith("sh -c") and command.endswith("[/foo]") for command in commands)
    assert "sleep 301" in commands
    container.stop(timeout=0)
    with pytest.raises(EngineError) as refused:
        container_processes(backend, container.id)
    assert refused.value.status == 409


async def test_top_tab_follows_processes_while_shown(engine_target, make_container, monkeypatch):
    container = make_container(command=["sh", "-c", SCRIPT, "[/foo]"])
    readings = []

    def counted(*args, **kwargs):
        readings.append(args[1])
        return container_processes(*args, **kwargs)

    monkeypatch.setattr(processes_pane, "container_processes", counted)

    async def readings_stop() -> None:
        # Once none is armed or out, none can come: no wait on the clock is needed.
        await wait_until(pilot, lambda: pane.is_idle, what="the readings to stop")

    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        await pilot.press("a")  # all containers: the row stays when it stops
        await select_row(pilot, dashboard.containers, container.id)
        dashboard.action_show_tab("top")
        pane = dashboard.query_one(ProcessesPane)
        await wait_until(pilot, lambda: "  sleep 301" in _commands(pane), what="the child process, indented")
        root = _commands(pane)[0]
        assert root.startswith("sh -c") and root.endswith("[/foo]")
        assert "process" in str(pane.query_one("#processes-heading").render())
        # The highlighted process's whole command, under the table.
        assert str(pane.query_one("#processes-command").source).endswith(f"{SCRIPT} [/foo]")

        # A process started from outside shows up, and goes when it ends.
        # (Readings are 2 s apart; it lives 5 s, so at least two see it.)
        container.exec_run(["sleep", "5"], detach=True)
        await wait_until(pilot, lambda: "sleep 5" in _commands(pane), timeout=10, what="the exec'd process")
        await wait_until(pilot, lambda: "sleep 5" not in _commands(pane), timeout=10, what="the process to go")

        # Hidden, it reads no more; shown again, it reads at once.
        dashboard.action_show_tab("details")
        await readings_stop()
        shown_again = len(readings)
        dashboard.action_show_tab("top")
        await wait_until(pilot, lambda: len(readings) > shown_again, timeout=1, what="a reading on show")
        container.stop(timeout=0)
        await wait_until(
            pilot, lambda: "not running" in str(pane.query_one("#processes-heading").render()), what="the stopped state"
        )
        await readings_stop()
        assert pane.table.row_count == 0
        assert app.is_running
