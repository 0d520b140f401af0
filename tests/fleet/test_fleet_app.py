"""Several engines in one view, for real: the suite's engine, a second private engine, and ssh://.

Each test waits on what shows (rows, chips, titles), never on the clock.
"""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.backend import DockerBackend, EngineFollower, EngineTarget
from dockertui.backend.models import host_key
from dockertui.fleet import FleetEntry, HostListener
from dockertui.screens.remove_containers import RemoveContainersScreen
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.log_pane import LogPane
from tests.support.pilot import (
    dashboard_up,
    mark_rows,
    paste_line,
    screen_with,
    select_row,
    wait_until,
)

pytestmark = pytest.mark.integration

SIZE = (140, 36)


def fast_retry(app: DockerTUI) -> None:
    """Members that retry quickly, so a test does not wait on back-off."""
    assert app.fleet is not None
    for member in app.fleet.members:
        def connect(target: EngineTarget = member.target) -> DockerBackend:
            return DockerBackend.connect(target)

        member.follower = EngineFollower(
            connect, HostListener(app, member.generation, member.name), backoff=(0.2, 0.4)
        )
    app.follower = app.fleet.members[0].follower


def chip_state(app: DockerTUI, host: str) -> str:
    assert app.fleet is not None
    member = app.fleet.member(host)
    assert member is not None
    return member.state


async def fleet_up(pilot, app: DockerTUI) -> ContainerTable:
    await wait_until(pilot, lambda: all(m.state == "connected" for m in app.fleet.members),
                     what=lambda: app.sub_title)
    return app.dashboard.containers


def echoing_twins(make_container, make_container_b, name: str, word: str):
    """A container named ``name`` on each engine, each saying ``<word>-local`` or ``<word>-b`` first."""
    def command(where: str) -> list[str]:
        return ["sh", "-c", f"echo {word}-{where}; sleep 300"]

    return make_container(command=command("local"), name=name), make_container_b(command=command("b"), name=name)


def host_of_row(table: ContainerTable, key: str) -> str:
    return table.get_cell(key, "host").plain


async def test_rows_from_each_engine_show_live_with_their_host(fleet_of_two, make_container, make_container_b,
                                                               unique_name):
    """You should see a Host column, both engines' containers under their names, and a chip per engine."""
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        assert "● local" in app.sub_title and "● b" in app.sub_title
        name = unique_name("twin")
        on_local = make_container(name=name)
        on_b = make_container_b(name=name)
        local_key, b_key = host_key("local", on_local.id), host_key("b", on_b.id)
        await wait_until(pilot, lambda: local_key in table.rows and b_key in table.rows, what="both rows")
        assert host_of_row(table, local_key) == "local" and host_of_row(table, b_key) == "b"
        # host:b keeps only engine b's rows.
        app.dashboard.filter_list("host:b")
        await wait_until(pilot, lambda: local_key not in table.rows and b_key in table.rows, what="the host filter")
        assert "host:b" in app.dashboard.query_one("#lists").get_tab("containers-tab").label.plain


async def test_stopping_on_one_engine_leaves_the_twin_on_the_other_alone(
    fleet_of_two, make_container, make_container_b, unique_name
):
    name = unique_name("twin")
    # A shell that ends on TERM, so the stop is quick.
    command = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]
    on_local = make_container(command=command, name=name)
    on_b = make_container_b(command=command, name=name)
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        b_key = host_key("b", on_b.id)
        await select_row(pilot, table, b_key)
        await pilot.press("s")
        await wait_until(pilot, lambda: table.items[b_key].state == "exited", what="b's container stopped")
        on_local.reload()
        on_b.reload()
        assert on_b.status == "exited" and on_local.status == "running"
        assert table.items[host_key("local", on_local.id)].state == "running"


async def test_logs_and_details_come_from_the_rows_engine(fleet_of_two, make_container, make_container_b,
                                                          unique_name):
    name = unique_name("twin")
    on_local, on_b = echoing_twins(make_container, make_container_b, name, "from")
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        pane = app.dashboard.query_one(LogPane)

        def texts() -> list[str]:
            return [line.text for line in pane.view.lines()]

        await select_row(pilot, table, host_key("b", on_b.id))
        # The details' facts (inspect) are read from b: its ID and its command.
        body = app.dashboard.query_one("#details-body")
        await wait_until(pilot, lambda: on_b.id[:20] in str(body.render()), what="b's details")
        await pilot.press("L")
        await wait_until(pilot, lambda: "from-b" in texts(), what=lambda: texts())
        assert "from-local" not in texts()
        await select_row(pilot, table, host_key("local", on_local.id))
        await wait_until(pilot, lambda: "from-local" in texts(), what=lambda: texts())
        assert "from-b" not in texts()


async def test_a_bulk_remove_across_hosts_asks_once_listing_each_host(
    fleet_of_two, make_container, make_container_b
):
    """You should see one dialog: "Remove 3 containers on 2 engines?", each line led by its host."""
    local_one, local_two = make_container(), make_container()
    on_b = make_container_b()
    keys = [host_key("local", local_one.id), host_key("local", local_two.id), host_key("b", on_b.id)]
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        await mark_rows(pilot, table, *keys)
        await pilot.press("d")
        await screen_with(pilot, RemoveContainersScreen, "#confirm-title")
        dialog = app.screen
        assert "3 containers on 2 engines" in str(dialog.query_one("#confirm-title").render())
        assert [c.host for c in dialog.containers] == ["b", "local", "local"]
        await pilot.press("f", "y")
        await wait_until(pilot, lambda: not any(key in table.items for key in keys), timeout=30,
                         what="all three rows gone")
    import docker

    for container in (local_one, local_two, on_b):
        with pytest.raises(docker.errors.NotFound):
            container.reload()


@pytest.mark.slow
async def test_an_engine_that_goes_away_leaves_the_others_live_and_resyncs(
    fleet_of_two, private_engine, make_container, make_container_b
):
    on_b = make_container_b()
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two, show_all=True)
    fast_retry(app)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        b_key = host_key("b", on_b.id)
        await wait_until(pilot, lambda: b_key in table.rows, what="b's row")

        private_engine.stop()
        await wait_until(pilot, lambda: chip_state(app, "b") != "connected", what="b's chip to turn")
        assert "↻ b reconnecting" in app.sub_title
        # Its rows stay, marked stale; the other engine carries on live.
        assert host_of_row(table, b_key) == "↻ b" and "b" in table.stale_hosts
        on_local = make_container()
        local_key = host_key("local", on_local.id)
        await wait_until(pilot, lambda: local_key in table.rows, what="a new row on the live engine")
        assert chip_state(app, "local") == "connected"

        private_engine.start()
        await wait_until(pilot, lambda: chip_state(app, "b") == "connected", timeout=30, what="b back")
        # Resynced: the restart stopped b's container, and its row is current again.
        await wait_until(pilot, lambda: table.items[b_key].state == "exited", what="b's row read again")
        assert host_of_row(table, b_key) == "b"


async def test_three_engines_one_over_ssh(fleet_of_two, ssh_target, make_container):
    """The suite's engine twice (a socket and ssh://) and engine b: the same container under two hosts."""
    fleet = [*fleet_of_two, FleetEntry("ssh", ssh_target)]
    container = make_container(command=["sh", "-c", "echo over-ssh; sleep 300"])
    app = DockerTUI(fleet[0].target, fleet=fleet)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        local_key, ssh_key = host_key("local", container.id), host_key("ssh", container.id)
        await wait_until(pilot, lambda: local_key in table.rows and ssh_key in table.rows, what="the twin rows")
        await select_row(pilot, table, ssh_key)
        await pilot.press("L")
        pane = app.dashboard.query_one(LogPane)
        await wait_until(pilot, lambda: "over-ssh" in [line.text for line in pane.view.lines()],
                         what="the log read over ssh")
        assert pane.container is not None and pane.container.host == "ssh"


async def test_the_context_picker_ticks_several_contexts_into_a_fleet_and_back(
    tmp_path, engine_target, private_engine, make_container, make_container_b, monkeypatch
):
    """C, space on two contexts, Enter: a fleet of both; C, untick one, Enter: one engine again."""
    from tests.unit.test_connection import write_context

    write_context(tmp_path, "here", engine_target.url)
    write_context(tmp_path, "there", private_engine.url)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    on_local, on_b = make_container(), make_container_b()
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await wait_until(pilot, lambda: on_local.id in app.dashboard.containers.rows, what="one engine's row")
        from dockertui.screens.contexts import ContextsScreen

        async def open_picker():
            await pilot.press("C")
            table = await screen_with(pilot, ContextsScreen, "#contexts-table")
            await wait_until(pilot, lambda: table.row_count == 3, what="the contexts")
            return table

        table = await open_picker()
        assert [key.value for key in table.rows] == ["default", "here", "there"]
        await pilot.press("j", "space", "j", "space", "enter")
        await wait_until(pilot, lambda: app.fleet is not None and all(m.state == "connected" for m in app.fleet.members),
                         what=lambda: app.sub_title)
        assert app.fleet.names == ["here", "there"]
        containers = app.dashboard.containers
        await wait_until(pilot, lambda: host_key("here", on_local.id) in containers.rows
                         and host_key("there", on_b.id) in containers.rows, what="both engines' rows")

        table = await open_picker()
        assert app.screen.ticked == ["here", "there"]
        await pilot.press("j", "j", "space", "enter")  # "there" unticked: "here" alone
        await wait_until(pilot, lambda: app.fleet is None and "Docker" in app.sub_title, what="one engine again")
        containers = app.dashboard.containers
        await wait_until(pilot, lambda: on_local.id in containers.rows, what="plain rows, no Host column")
        assert not containers.show_hosts


async def test_cleanup_previews_every_engine_with_its_total_and_removes_on_each(
    fleet_of_two, make_container, make_container_b, test_run_label
):
    """You should see a section per engine, each with its total, over one grand total; one confirmation."""
    from dockertui.screens.cleanup import CleanupScreen, qualified
    from dockertui.screens.confirm import ConfirmScreen

    on_local = make_container(command=["true"], start=False)
    on_b = make_container_b(command=["true"])
    on_b.wait()
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two, scope_labels=test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        await fleet_up(pilot, app)
        await pilot.press("Z")
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen), what="the cleanup screen")
        screen = app.screen
        await wait_until(pilot, lambda: set(screen.plans) == {"local", "b"}, timeout=30, what="both engines' plans")
        table = screen.query_one("#cleanup-table")
        assert "host:local" in table.rows and "host:b" in table.rows
        # Other tests' leftovers carry the session's label too: only ours are ticked.
        ours = {host: next(item for item in plan.items if item.id in (on_local.id, on_b.id))
                for host, plan in screen.plans.items()}
        for host, item in ours.items():
            table.move_cursor(row=table.get_row_index(qualified(host, item.key)))
            await pilot.press("space")
        total = screen.query_one("#cleanup-total").render().plain
        assert "Ticked: 2 object(s)" in total and "\nlocal: ticked 1 object(s)" in total and "\nb: ticked 1" in total
        await pilot.press("enter")
        await screen_with(pilot, ConfirmScreen, "#confirm-title")
        assert "on 2 engines" in str(app.screen.query_one("#confirm-title").render())
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.result is not None, timeout=30, what="the removal")
        assert {item.id for item in screen.result.removed} == {on_local.id, on_b.id}
        assert screen.result.failures == ()
    import docker

    for container in (on_local, on_b):
        with pytest.raises(docker.errors.NotFound):
            container.reload()


async def test_marks_on_two_engines_merge_their_logs_each_read_from_its_engine(
    fleet_of_two, make_container, make_container_b, unique_name
):
    """You should see both containers' lines in one log, each prefixed with host/name."""
    name = unique_name("twin")
    on_local, on_b = echoing_twins(make_container, make_container_b, name, "hello-from")
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        await mark_rows(pilot, table, host_key("local", on_local.id), host_key("b", on_b.id))
        await pilot.press("L")
        pane = app.dashboard.query_one(LogPane)

        def texts() -> list[str]:
            return [line.text for line in pane.view.lines()]

        await wait_until(pilot, lambda: "hello-from-local" in texts() and "hello-from-b" in texts(),
                         what=lambda: texts())
        sources = {line.source for line in pane.view.lines()}
        assert sources == {f"local/{name}", f"b/{name}"}


async def test_each_engines_rows_show_before_its_follower_connects(fleet_of_two, make_container, make_container_b):
    """The first reads (plain HTTP, no SDK) fill a fleet's lists; the followers' snapshots then take over."""
    import threading

    on_local, on_b = make_container(), make_container_b()
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    gate = threading.Event()
    for member in app.fleet.members:
        def connect_when_open(connect=member.follower._connect):
            if not gate.wait(30):
                raise AssertionError("the test never opened the gate")
            return connect()

        member.follower._connect = connect_when_open
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            table = app.dashboard.containers
            keys = (host_key("local", on_local.id), host_key("b", on_b.id))
            await wait_until(pilot, lambda: all(key in table.rows for key in keys), what="both first reads")
            assert all(member.state == "connecting" for member in app.fleet.members)
            # The cursor stays on the first row as the engines' lists come in, one after the other.
            assert table.cursor_row == 0
            gate.set()
            await fleet_up(pilot, app)
            assert all(key in table.rows for key in keys) and table.cursor_row == 0
    finally:
        gate.set()


async def test_an_unreachable_engine_leaves_the_rest_whole(
    fleet_of_two, tmp_path, make_container, make_container_b, test_run_label
):
    """A third engine that never answers: its chip comes last, cleanup does the two others and says so,
    and D over marks on both live engines takes both."""
    from dockertui.screens.cleanup import CleanupScreen

    fleet = [*fleet_of_two, FleetEntry("ghost", EngineTarget(url=f"unix://{tmp_path}/none.sock", source="tests"))]
    on_local, on_b = make_container(command=["true"]), make_container_b(command=["true"])
    on_local.wait()
    on_b.wait()
    app = DockerTUI(fleet[0].target, fleet=fleet, show_all=True, scope_labels=test_run_label)
    async with dashboard_up(app, size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: [m.state for m in app.fleet.members] == ["connected", "connected", "unreachable"],
                         what=lambda: app.sub_title)
        # The live engines' chips come first: a narrow header cuts the end.
        assert app.sub_title.startswith("● ") and app.sub_title.index("✗ ghost") > app.sub_title.index("● b")
        table = app.dashboard.containers
        await wait_until(pilot, lambda: all(table.items.get(key) and table.items[key].state == "exited" for key in
                                            (host_key("local", on_local.id), host_key("b", on_b.id))),
                         what="both exited rows")

        await pilot.press("Z")
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen), what="the cleanup screen")
        screen = app.screen
        await wait_until(pilot, lambda: set(screen.plans) == {"local", "b"}, timeout=30, what="the live engines' plans")
        assert "Left out (engine away): ghost" in str(screen.query_one("#cleanup-status").render())
        await pilot.press("escape")

        await mark_rows(pilot, table, host_key("local", on_local.id), host_key("b", on_b.id))
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, RemoveContainersScreen), what="the remove dialog")
        assert {c.key for c in app.screen.containers} == {host_key("local", on_local.id), host_key("b", on_b.id)}
        await pilot.press("escape")


async def test_a_bulk_stop_asks_once_grouped_by_host(fleet_of_two, make_container, make_container_b):
    from dockertui.screens.confirm import ConfirmScreen

    one_b, on_local, two_b = make_container_b(), make_container(), make_container_b()
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        await mark_rows(pilot, table, host_key("b", one_b.id), host_key("local", on_local.id), host_key("b", two_b.id))
        await pilot.press("s")
        await screen_with(pilot, ConfirmScreen, "#confirm-title")
        assert "Stop 3 container(s) on 2 engines?" in str(app.screen.query_one("#confirm-title").render())
        lines = app.screen.query_one("#confirm-items").plain.splitlines()  # what the dialog lists
        assert [line.split()[0] for line in lines] == ["b", "b", "local"], lines
        await pilot.press("escape")


async def test_the_run_dialog_runs_on_the_engine_chosen(fleet_of_two, make_container, engine_b_client,
                                                        unique_name, test_run_label):
    """n on a local row offers local first; choosing b runs the container there, and its row shows."""
    from textual.widgets import Select

    from dockertui.screens.run_dialog import RunDialog

    on_local = make_container()
    name = unique_name("ran")
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two, run_labels=tuple(test_run_label.items()))
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        await select_row(pilot, table, host_key("local", on_local.id))
        await pilot.press("n")
        await screen_with(pilot, RunDialog, "#engine")
        dialog = app.screen
        engine = dialog.query_one("#engine", Select)
        assert engine.value == "local"
        engine.value = "b"
        await wait_until(pilot, lambda: dialog.focused is not None and dialog.focused.id == "image", what="focus on the image")
        # Each field as a terminal sends typing that came in one write: whole.
        for text, then in (("dockertui-test/busybox:latest", "tab"), ("sleep 300", "tab"), (name, "ctrl+s")):
            paste_line(app, text, enter=False)
            await pilot.press(then)
        await wait_until(pilot, lambda: any(c.name == name and c.host == "b" for c in table.items.values()),
                         timeout=30, what="the new row on b")
    assert [c.name for c in engine_b_client.containers.list(all=True, filters={"name": name})] == [name]


async def test_the_command_line_names_a_twin_by_its_engine(fleet_of_two, make_container, make_container_b, unique_name):
    """``:stop web`` with a web on each engine is refused, naming them; ``:stop b/web`` stops b's."""
    from textual.widgets import Static

    from dockertui.screens.prompt import PromptScreen
    from tests.support.pilot import type_line

    name = unique_name("twin")
    command = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]
    on_local, on_b = make_container(command=command, name=name), make_container_b(command=command, name=name)
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = await fleet_up(pilot, app)
        await wait_until(pilot, lambda: host_key("b", on_b.id) in table.rows, what="b's twin")
        type_line(app, f"stop {name}")
        said = "is on 2 engines (b, local): say which, as b/"
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen) and app.screen.query("#prompt-error")
                         and said in str(app.screen.query_one("#prompt-error", Static).render()), what=said)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PromptScreen), what="the prompt closed")
        type_line(app, f"stop b/{name}")
        await wait_until(pilot, lambda: table.items[host_key("b", on_b.id)].state == "exited", what="b's stopped")
        on_local.reload()
        assert on_local.status == "running"


async def test_the_swarm_screen_says_no_engine_of_the_fleet_is_a_manager_until_one_is(
    fleet_of_two, engine_b_client
):
    """You should see the Swarm screen name the cursor row's engine and say that no engine of the fleet
    is a swarm manager (H says there is none to go to); then, once b is one, b's swarm."""
    app = DockerTUI(fleet_of_two[0].target, fleet=fleet_of_two)
    async with dashboard_up(app, size=SIZE) as pilot:
        await fleet_up(pilot, app)
        await wait_until(pilot, lambda: {"local", "b"} <= set(app.swarms), what=lambda: app.swarms)
        await pilot.press("W")
        screen = app.swarm_screen
        await wait_until(pilot, lambda: app.screen is screen and screen.is_mounted, what="the Swarm screen")
        assert screen.engine_host == app.dashboard.cursor_host()
        assert screen.title == f"Swarm · {screen.engine_host}"
        inactive = screen.query_one("#swarm-inactive")
        assert inactive.display
        assert f"{screen.engine_host} is not a swarm manager" in str(inactive.render())
        assert "No engine of the fleet is a swarm manager" in str(inactive.render())
        await pilot.press("H")
        await wait_until(pilot, lambda: any("No engine of the fleet is a swarm manager" in str(n.message)
                                            for n in app._notifications), what="the notification")

        # b (this module's own engine) becomes a manager: the screen goes to it.
        node_id = engine_b_client.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
        try:
            await wait_until(pilot, lambda: screen.engine_host == "b" and node_id in screen.nodes.items,
                             timeout=20, what="b's swarm")
            assert screen.title == "Swarm · b" and not inactive.display
        finally:
            engine_b_client.swarm.leave(force=True)
