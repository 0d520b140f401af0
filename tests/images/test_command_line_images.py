"""The : line's image verbs against a real registry and the real engine: pull, tag, push, rmi."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from dockertui.backend import credentials
from dockertui.screens.remove_image import RemoveImageScreen
from tests.images.test_image_ui import SIZE, make_app, push_then_untag
from tests.support.pilot import connected_app, dashboard_up, type_line, wait_until

pytestmark = pytest.mark.integration


async def test_pull_then_rmi_from_the_colon_line(
    engine_target, test_run_label, registry, docker_config, docker_client, fixture_image, pushed_name, backend
):
    push_then_untag(backend, registry, docker_client, fixture_image, pushed_name)
    credentials.store(credentials.Credentials(registry.address, registry.username, registry.password))
    app = make_app(engine_target, test_run_label)
    async with dashboard_up(app, size=SIZE) as pilot:
        dashboard = await connected_app(pilot)
        type_line(app, f"pull {pushed_name}")
        # The layers are here already: the dialog may open and close between two looks.
        await wait_until(pilot, lambda: app.screen is dashboard and pushed_name in (
            docker_client.images.get(fixture_image).tags or []), timeout=30, what="the pull done")
        await wait_until(pilot, lambda: any(t.reference == pushed_name for t in dashboard.images.items.values()),
                         what="the image listed")

        type_line(app, f"rmi {pushed_name}")
        await wait_until(pilot, lambda: isinstance(app.screen, RemoveImageScreen)
                         and app.screen.tag.reference == pushed_name, what="the rmi confirmation")
        def ready() -> bool:  # composed, and its users read: Remove is enabled
            buttons = app.screen.query("#confirm-yes")
            return bool(buttons) and not buttons.first(Button).disabled

        await wait_until(pilot, ready, what="the confirmation ready")
        await pilot.click("#confirm-yes")
        await wait_until(pilot, lambda: pushed_name not in (docker_client.images.get(fixture_image).tags or []),
                         what="the tag removed")
