"""The ``:`` line takes docker CLI commands (issue 16 item 2), against the real engine: each verb
goes through the same dialog or confirmation as its key, and bad input is named while the text
stays. Each line arrives as a terminal sends it: ``:``, the line pasted in one piece, Enter.
"""

from __future__ import annotations

import docker.errors
import pytest
from textual.widgets import Input, Static, TabbedContent

from dockertui.app import DockerTUI
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.pull_dialog import PullDialog
from dockertui.screens.registry_browser import HubSearch
from dockertui.screens.remove_containers import RemoveContainersScreen
from dockertui.screens.remove_image import RemoveImageScreen
from dockertui.screens.run_dialog import RunDialog
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.log_pane import LogPane
from tests.support.engine import FIXTURE_IMAGE
from tests.support.pilot import connected_app, dashboard_up, type_line, wait_until
from tests.support.pty_app import PtyApp

pytestmark = pytest.mark.integration

SIZE = (120, 36)


async def back_on(pilot, dashboard) -> None:
    await pilot.press("escape")
    await wait_until(pilot, lambda: pilot.app.screen is dashboard, what="back on the dashboard")


def field_value(app, screen_class, selector: str) -> str | None:
    """The value of an input on the screen shown, once that screen is ``screen_class`` and composed."""
    if not isinstance(app.screen, screen_class):
        return None
    fields = app.screen.query(selector)
    return fields.first(Input).value if fields else None


def state(container) -> str | None:
    try:
        container.reload()
    except docker.errors.NotFound:
        return None
    return container.status


async def test_each_verb_goes_through_its_dialog(engine_target, make_container, docker_client, test_run_label,
                                                 unique_name):
    web = make_container(command=["sh", "-c", "echo hello-from-web; sleep 300"], ports={"80/tcp": None})
    done = make_container(command=["true"])
    tag = f"{unique_name('dtui-cl')}:v1"
    started = unique_name("dtui-cl-run")
    app = DockerTUI(engine_target, run_labels=tuple(test_run_label.items()))
    try:
        async with dashboard_up(app, size=SIZE) as pilot:
            dashboard = await connected_app(pilot)
            table = dashboard.query_one(ContainerTable)
            await wait_until(pilot, lambda: web.id in table.items and done.id in table.items, what="both rows")

            type_line(app, f"logs -f --since 10m {web.name}")
            logs = dashboard.query_one(LogPane)
            await wait_until(pilot, lambda: dashboard.query_one("#object", TabbedContent).active == "logs-tab"
                             and logs.container is not None and logs.container.id == web.id
                             and logs.since is not None, what="web's logs since 10 minutes ago")
            assert not table.show_all  # docker logs is no docker ps -a

            type_line(app, f"port {web.name}")
            await wait_until(pilot, lambda: dashboard.active_pane == "ports"
                             and dashboard.ports.filter_text == web.name, what="the Ports list filtered to web")
            assert dashboard.query_one("#list-filter").has_class("hidden")  # as after / and Enter

            type_line(app, "ps -a")
            await wait_until(pilot, lambda: dashboard.active_pane == "containers" and table.show_all, what="ps -a")

            type_line(app, f"stop {web.name}")
            await wait_until(pilot, lambda: state(web) == "exited", timeout=30, what="web stopped")

            # Destructive: the same confirmation as d, listing exactly web.
            type_line(app, f"rm -f {web.name}")
            await wait_until(pilot, lambda: isinstance(app.screen, RemoveContainersScreen)
                             and app.screen.query("#volumes"), what="the confirmation, composed")
            assert [c.id for c in app.screen.containers] == [web.id]
            assert app.screen.query_one("#force").value and not app.screen.query_one("#volumes").value  # as typed
            await pilot.press("y")
            await wait_until(pilot, lambda: state(web) is None, what="web removed")

            type_line(app, "rm $(docker ps -aq -f status=exited)")
            await wait_until(pilot, lambda: isinstance(app.screen, RemoveContainersScreen), what="the exited preview")
            assert done.id in {c.id for c in app.screen.containers}
            await back_on(pilot, dashboard)
            assert state(done) == "exited"

            type_line(app, f"tag {FIXTURE_IMAGE} {tag}")
            await wait_until(pilot, lambda: tag in (docker_client.images.get(FIXTURE_IMAGE).tags or []), what="the tag")
            await wait_until(pilot, lambda: any(t.reference == tag for t in dashboard.images.items.values()),
                             what="the tag listed")
            type_line(app, f"rmi {tag}")
            await wait_until(pilot, lambda: isinstance(app.screen, RemoveImageScreen) and app.screen.tag.reference == tag,
                             what="the rmi confirmation")
            await back_on(pilot, dashboard)

            type_line(app, f"run -d --name {started} {FIXTURE_IMAGE} sleep 300")
            await wait_until(pilot, lambda: field_value(app, RunDialog, "#name") == started, what="the run dialog")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: any(c.name == started and c.status == "running" for c in
                                                docker_client.containers.list(filters={"label": next(
                                                    f"{k}={v}" for k, v in test_run_label.items())})),
                             timeout=30, what="the container run")
            await wait_until(pilot, lambda: app.screen is dashboard, what="the run dialog closed")

            type_line(app, f"pull {FIXTURE_IMAGE}")
            await wait_until(pilot, lambda: field_value(app, PullDialog, "#reference") == FIXTURE_IMAGE,
                             what=lambda: f"pull, on {app.screen!r}: {[s for s in app.screen_stack]}")
            # Esc stops a transfer under way (the dialog stays), a second one closes it.
            for _ in range(3):
                if app.screen is dashboard:
                    break
                await pilot.press("escape")
                await pilot.pause()
            assert app.screen is dashboard

            type_line(app, "search nginx")
            await wait_until(pilot, lambda: field_value(app, HubSearch, "#term") == "nginx", what="the Hub search")
            await back_on(pilot, dashboard)

            type_line(app, "im")  # a pane name still jumps there
            await wait_until(pilot, lambda: dashboard.active_pane == "images", what="the Images pane")
    finally:
        for container in docker_client.containers.list(all=True, filters={"name": started}):
            container.remove(force=True)
        try:
            docker_client.images.remove(tag)
        except docker.errors.ImageNotFound:
            pass


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("frob web", "unknown command 'frob'"),
        ("run --dns 1.1.1.1 busybox", "the run dialog has no field for --dns"),
        ("stop", "stop: missing argument"),
        ('run busybox sh -c "echo hi', "unbalanced quotes"),
        ("stop no-such-container-here", "no container 'no-such-container-here'"),
        ('stop ""', "an empty container name"),
        ("port {quiet}", "{quiet} publishes no ports"),
        ("run --cap-add NET_ADMIN busybox", "the run dialog has no field for --cap-add"),
    ],
)
async def test_bad_input_is_named_and_the_text_stays(engine_target, make_container, line, said):
    if "{quiet}" in line:
        quiet = make_container(command=["sleep", "300"]).name
        line, said = line.format(quiet=quiet), said.format(quiet=quiet)
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        await connected_app(pilot)
        type_line(app, line)
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen) and app.screen.query("#prompt-error")
                         and said in str(app.screen.query_one("#prompt-error", Static).render()), what=said)
        assert field_value(app, PromptScreen, "#prompt-input") == line
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PromptScreen), what="Esc gets out")


def test_exec_hands_the_terminal_to_the_command(engine_target, make_container):
    container = make_container(command=["sleep", "300"])
    app = PtyApp(["--host", engine_target.url])
    try:
        app.wait_for(container.name)
        start = app.mark()
        app.send(f":exec -it {container.name} sh\r")
        app.echo_then_exit(start)
    finally:
        app.close()


async def test_history_comes_back_in_the_next_session_and_tab_completes(engine_target, make_container,
                                                                       tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    container = make_container(command=["sleep", "300"])
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        type_line(app, "ps -a")
        await wait_until(pilot, lambda: dashboard.query_one(ContainerTable).show_all, what="ps -a")

    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        await wait_until(pilot, lambda: container.id in dashboard.containers.items, what="the row")
        type_line(app, f"stop {container.name[:-3]}", enter=False)

        await wait_until(pilot, lambda: (field_value(app, PromptScreen, "#prompt-input") or "").endswith(
            container.name[:-3]), what="the line typed")
        field = app.screen.query_one("#prompt-input", Input)
        await pilot.press("tab")
        await wait_until(pilot, lambda: field.value == f"stop {container.name}", what="the name completed")
        await pilot.press("up")
        assert field.value == "ps -a"  # from the session before
        await pilot.press("down")
        assert field.value == f"stop {container.name}"  # the line being typed is kept
        field.value = "sto"
        await pilot.press("tab")
        await wait_until(pilot, lambda: field.value == "stop ", what="the verb completed, and a space")
        await pilot.press("escape")
