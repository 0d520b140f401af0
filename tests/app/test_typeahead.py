"""Keys typed faster than the app reacts land in the input the first key opened.

Each case writes the key that opens an input and a payload of action letters
to the real app's terminal in one ``os.write``, as a fast typist or a paste
does. The payload must be in the input, and the container under the cursor
untouched: on the list, ``s`` would stop it, ``x`` exec a shell in it, ``r``
restart it, ``d`` and ``K`` ask to remove or kill it, ``i`` inspect it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from tests.support.pty_app import PtyApp

pytestmark = pytest.mark.integration

PAYLOAD = "sxrdiK"
# What an action on the container would have left in the engine's event log.
ACTIONS_SEEN_AS = {"kill", "stop", "die", "restart", "pause", "unpause", "rename", "destroy", "exec_create", "attach"}
CTRL_L = "\x0c"
CTRL_P = "\x10"


@dataclass(frozen=True)
class Case:
    """Go to ``pane`` (keys, then wait for a footer word), then type ``opener`` + payload in one write."""

    opener: str
    shows: str  # on screen once the input is open
    pane: tuple[str, str] | None = None


CASES = {
    "filter /": Case("/", "Containers (0, /"),
    "jump :": Case(":", "Enter confirms"),
    # The run dialog's button: "docker run" is also in the Details (the run line).
    "run n": Case("n", "Run (ctrl+s)"),
    "run again R": Case("R", "Run (ctrl+s)"),
    "rename N": Case("N", "Rename "),
    "tag t": Case("t", "(docker tag):", pane=("2", "Tag…")),
    "pull P": Case("P", "docker pull", pane=("2", "Tag…")),
    "hub search S": Case("S", "Search", pane=("2", "Tag…")),
    "build b": Case("b", "docker build", pane=("2", "Tag…")),
    "login ctrl+l": Case(CTRL_L, "docker login", pane=("2", "Tag…")),
    "volume create n": Case("n", "volume", pane=("3", "Sizes")),
    "network create n": Case("n", "network", pane=("4", "Disconnect")),
    "logs search /": Case("/", "▏▊", pane=("L\t", "Timestamps")),
    "logs filter f": Case("f", "▏▊", pane=("L\t", "Timestamps")),
    "logs since S": Case("S", "▏▊", pane=("L\t", "Timestamps")),
    "logs save s": Case("s", "▏▊", pane=("L\t", "Timestamps")),
    "palette ctrl+p": Case(CTRL_P, "🔎"),
}


def _facts(container) -> tuple[str, str, int]:
    container.reload()
    state = container.attrs["State"]
    return state["Status"], state["StartedAt"], len(container.attrs.get("ExecIDs") or [])


def _actions_on(docker_client, container_id: str, since: float) -> list[str]:
    events = docker_client.events(
        since=int(since), until=int(time.time()) + 1, filters={"container": container_id}, decode=True
    )
    return [event.get("Action", "") for event in events if event.get("Action", "").split(":")[0] in ACTIONS_SEEN_AS]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_keys_typed_at_once_land_in_the_input(case: Case, engine_target, make_container, docker_client):
    container = make_container(command=["sleep", "300"])
    before = _facts(container)
    since = time.time() - 1
    app = PtyApp(["--host", engine_target.url])
    try:
        app.show_only(container.name)
        if case.pane is not None:
            keys, footer = case.pane
            app.send(keys)
            app.wait_for_screen(footer)
        app.send(case.opener + PAYLOAD)

        def fields_of(screen: str) -> str:
            # The run dialog repeats its fields in the docker run line under them, and
            # the tab bar names the filter typed: only the inputs are looked at.
            return "\n".join(line for line in screen.splitlines()
                             if not any(part in line for part in ("ctrl+y copies", "docker run -", "Containers (")))

        screen = app.wait_until(
            lambda screen: case.shows in screen and PAYLOAD in fields_of(screen),
            f"{case.shows!r} with the payload typed in it",
        )
        # Exactly the payload, once, in the one input: no letter went elsewhere first.
        fields = fields_of(screen)
        assert fields.count(PAYLOAD) == 1, screen
        assert "docker inspect" not in screen and "shell session" not in screen, screen
        for line in fields.splitlines():
            if PAYLOAD in line:
                typed = line[line.index(PAYLOAD) - 1 : line.index(PAYLOAD) + len(PAYLOAD) + 1]
                assert typed.strip() == PAYLOAD, f"the input holds {line.strip()!r}, not just the payload"
    finally:
        app.close()
    assert _facts(container) == before
    assert _actions_on(docker_client, container.id, since) == []


# Each list pane: the key that shows it, a key that opens something there, and what that shows.
PANE_DIALOGS = (
    ("1", "n", "Run (ctrl+s)"),
    ("2", "t", "(docker tag):"),
    ("3", "n", "New volume name:"),
    ("4", "n", "New network name"),
    ("5", "/zzz", "Ports (0, /zzz)"),
    ("6", "/", "show events containing"),
)
ROUNDS = 20


def test_a_pane_key_then_an_action_key_acts_on_the_pane_shown(engine_target, make_container):
    """After a dialog on one pane is cancelled, "<next pane><its key>" in one write opens the next pane's dialog."""
    container = make_container(command=["sleep", "300"])
    app = PtyApp(["--host", engine_target.url])
    try:
        app.show_only(container.name)
        app.send("n")
        app.wait_for_screen("Run (ctrl+s)")
        for round_ in range(ROUNDS):
            for (_, _, shown), (pane, key, expected) in zip(PANE_DIALOGS, PANE_DIALOGS[1:] + PANE_DIALOGS[:1]):
                app.send("\x1b")
                app.wait_until(lambda screen, shown=shown: shown not in screen, f"{shown!r} closed")
                app.send(pane + key)
                app.wait_until(
                    lambda screen, expected=expected: expected in screen,
                    f"round {round_}: {pane}{key} showing {expected!r}",
                )
    finally:
        app.close()


async def test_a_paste_onto_the_list_runs_no_action(engine_target, make_container):
    """Pasted action letters on the Containers list do nothing; pasted right after / they are the filter."""
    from textual import events

    from dockertui.app import DockerTUI
    from dockertui.widgets.container_table import ContainerTable
    from tests.support.pilot import connected_app, dashboard_up, select_row, wait_until

    container = make_container(command=["sleep", "300"])
    before = _facts(container)
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.query_one(ContainerTable)
        await select_row(pilot, table, container.id)
        app.post_message(events.Paste(PAYLOAD))
        await pilot.pause()
        assert app.screen is dashboard and app.focused is table
        assert table.pending == {}

        # "/" and a paste arriving together, as a terminal sends them.
        app.post_message(events.Key("slash", "/"))
        app.post_message(events.Paste("status"))
        field = dashboard.query_one("#list-filter")
        await wait_until(pilot, lambda: app.focused is field and field.value == "status", what="the pasted filter")
        assert app.screen is dashboard
    assert _facts(container) == before


async def test_a_confirmation_ignores_keys_typed_before_it_was_drawn(engine_target):
    """A dialog that opens by itself (after a worker) is not answered by a key already on its way."""
    from textual import events

    from dockertui.app import DockerTUI
    from dockertui.screens.confirm import ConfirmScreen
    from tests.support.pilot import connected_app, dashboard_up, wait_until

    answers = []
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        await connected_app(pilot)
        typed_earlier = events.Key("y", "y")
        dialog = ConfirmScreen("Remove everything?", [], "Remove")
        app.push_screen(dialog, answers.append)
        await wait_until(pilot, lambda: dialog.is_mounted and app.focused is not None, what="the dialog")
        app.post_message(typed_earlier)
        await pilot.pause()
        assert app.screen is dialog and answers == []
        await pilot.press("y")
        await wait_until(pilot, lambda: answers == [True], what="the answer typed after it was drawn")


def test_d_then_y_in_one_burst_confirms(engine_target, make_container, docker_client):
    """The user meant it: the y typed right behind d answers the dialog d opened."""
    container = make_container(command=["sleep", "300"], start=False)  # not running: y alone removes it
    app = PtyApp(["--host", engine_target.url, "--all"])
    try:
        app.show_only(container.name)
        app.send("dy")
        app.wait_until(lambda screen: "Containers (0, /" in screen, "the container's row to go")
    finally:
        app.close()
    assert not docker_client.containers.list(all=True, filters={"id": container.id})
