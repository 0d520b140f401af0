"""The main screens as they look, at 80×24 and 160×45, against a recorded engine.

Snapshots live in __snapshots__/; after a change to the look, update them with
``scripts/test tests/snapshot --snapshot-update`` and look at each one
(pytest-textual-snapshot writes a report of the differences when one fails).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from dockertui.screens.cleanup import CleanupScreen
from dockertui.screens.help import HelpScreen
from dockertui.screens.run_dialog import RunDialog
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.details_pane import DetailsPane
from dockertui.widgets.image_table import ImageTable
from tests.snapshot.recorded_engine import RECORDING, recorded_app
from tests.support.pilot import wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]
RUNNING = sum(1 for c in RECORDING["containers"] if c["State"] == "running")


async def containers_shown(pilot) -> None:
    """The running containers listed, and the first one's details read in full."""
    app = pilot.app
    await wait_until(pilot, lambda: app.dashboard.is_mounted and not app.typeahead.holding, what="the dashboard")
    table = pilot.app.screen.query_one(ContainerTable)
    details = pilot.app.screen.query_one(DetailsPane)
    await wait_until(pilot, lambda: len(table.rows) == RUNNING, what="the recorded running containers")
    await wait_until(pilot, lambda: "Restart" in str(details.query_one("#details-body").source),
                     what="the details with what inspect adds")


def quiet(run_before):
    """``run_before``, then no toasts: one still up depends on how long the steps took."""
    async def run(pilot) -> None:
        await run_before(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


async def still_inputs(pilot) -> None:
    """A blinking cursor would make the snapshot depend on the moment it is taken."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


@pytest.mark.parametrize("size", SIZES)
def test_containers(snap_compare, size):
    """You should see the three running containers, web selected, its details on the right."""
    assert snap_compare(recorded_app(), terminal_size=size, run_before=quiet(containers_shown))


@pytest.mark.parametrize("size", SIZES)
def test_all_containers(snap_compare, size):
    """You should see all five containers (a), the exited job and the created one with the markup label among them."""
    async def run_before(pilot):
        await containers_shown(pilot)
        await pilot.press("a")
        table = pilot.app.screen.query_one(ContainerTable)
        await wait_until(pilot, lambda: len(table.rows) == len(RECORDING["containers"]), what="every container")

    assert snap_compare(recorded_app(), terminal_size=size, run_before=quiet(run_before))


@pytest.mark.parametrize("size", SIZES)
def test_images(snap_compare, size):
    """You should see the Images pane (2) with the busybox test image and its layers."""
    async def run_before(pilot):
        await containers_shown(pilot)
        await pilot.press("2")
        table = pilot.app.screen.query_one(ImageTable)
        details = pilot.app.screen.query_one(DetailsPane)
        await wait_until(pilot, lambda: table.row_count == len(RECORDING["images"]) and table.has_focus,
                         what="the image rows")
        await wait_until(pilot, lambda: "Layers" in str(details.query_one("#details-body").source),
                         what="the image's layers")

    assert snap_compare(recorded_app(), terminal_size=size, run_before=quiet(run_before))


@pytest.mark.parametrize("size", SIZES)
def test_run_dialog(snap_compare, size):
    """You should see the run dialog (n), empty, over the Containers pane."""
    async def run_before(pilot):
        await containers_shown(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunDialog) and pilot.app.screen.query(Input),
                         what="the run dialog")
        await still_inputs(pilot)

    assert snap_compare(recorded_app(), terminal_size=size, run_before=quiet(run_before))


@pytest.mark.parametrize("size", SIZES)
def test_cleanup(snap_compare, size):
    """You should see the cleanup preview (Z): the exited and created containers, what each frees."""
    async def run_before(pilot):
        await containers_shown(pilot)
        await pilot.press("Z")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CleanupScreen)
                         and pilot.app.screen.plan is not None, what="the cleanup plan")

    assert snap_compare(recorded_app(), terminal_size=size, run_before=quiet(run_before))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size):
    """You should see the help screen (?) listing the keys."""
    async def run_before(pilot):
        await containers_shown(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="the help screen")

    assert snap_compare(recorded_app(), terminal_size=size, run_before=quiet(run_before))
