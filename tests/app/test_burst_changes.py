"""Container changes held back in a burst never land on top of a newer snapshot."""

from __future__ import annotations

import pytest

from dockertui import engine_reports
from dockertui.app import DockerTUI
from dockertui.messages import MessageListener
from dockertui.widgets.container_table import ContainerTable
from tests.support.pilot import dashboard_up, wait_until

pytestmark = pytest.mark.integration

SIZE = (120, 36)


async def test_held_back_changes_go_before_a_reconnects_snapshot(engine_target, make_container, monkeypatch):
    # A burst's second batch waits (here, far longer than the test); a
    # reconnect's snapshot must not be overtaken by what it held.
    monkeypatch.setattr(engine_reports, "BURST_APPLY_SECONDS", 300.0)
    burst = [make_container(command=["true"]) for _ in range(engine_reports.BURST_SIZE)]
    ghost = make_container(command=["true"])
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=SIZE) as pilot:
        table = app.dashboard.query_one(ContainerTable)
        await wait_until(pilot, lambda: ghost.id in table.rows and "Docker" in app.sub_title, what="the rows")
        backend = app.backend
        # From here only the test reports, as the follower would: the engine's
        # own events (the ghost's removal) would be reports of their own.
        app.follower.stop()
        infos = backend.get_containers([c.id for c in burst] + [ghost.id])
        # The same channel the follower reports through, on the app's current connection.
        listener = MessageListener(app, app._generation)
        listener.containers_changed({c.id: infos[c.id] for c in burst})
        await wait_until(pilot, lambda: "" in app.containers_applied, what="the first batch applied")
        listener.containers_changed({c.id: infos[c.id] for c in burst})
        await wait_until(pilot, lambda: "" in app.containers_deferred, what="the second batch held back")
        held = app.containers_deferred[""][1]
        # Before the reconnect: the ghost was still there. Then it is removed,
        # and the snapshot the follower reads on reconnecting has no ghost.
        listener.containers_changed({ghost.id: infos[ghost.id]})
        ghost.remove(force=True)
        listener.engine_connected(backend.snapshot())
        await wait_until(pilot, lambda: app.containers_deferred.get("", (None, None))[1] is not held,
                         what="the held-back batch applied")
        await pilot.pause()
        assert ghost.id not in table.rows
        assert all(c.id in table.rows for c in burst)
