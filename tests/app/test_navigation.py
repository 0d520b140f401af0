"""Filter, sort and ':' jump on the lists."""

from __future__ import annotations

import pytest

from dockertui.app import DockerTUI
from dockertui.panes import pane_named
from tests.support.pilot import connected_app, dashboard_up, wait_until

pytestmark = pytest.mark.integration


def test_pane_names_match_by_prefix():
    assert pane_named(":im") == "images"
    assert pane_named("ports") == "ports"
    with pytest.raises(ValueError, match="no pane"):
        pane_named("nothing")


async def test_filter_sort_and_jump(engine_target, make_container, unique_name):
    alpha = make_container(command=["sleep", "300"], name=unique_name("alpha"))
    beta = make_container(command=["sleep", "300"], name=unique_name("beta"))
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        dashboard = await connected_app(pilot)
        table = dashboard.containers
        await wait_until(pilot, lambda: alpha.id in table.rows and beta.id in table.rows)
        table.focus()

        await pilot.press("slash", *alpha.name[-14:])
        assert set(k.value for k in table.rows) == {alpha.id}
        await pilot.press("enter")
        assert table.has_focus
        # Live updates respect the filter: a new container that does not match stays hidden.
        gamma = make_container(command=["sleep", "300"], name=unique_name("gamma"))
        await wait_until(pilot, lambda: gamma.id in table.items)
        assert gamma.id not in table.rows
        await pilot.press("escape")
        await wait_until(pilot, lambda: gamma.id in table.rows)
        assert alpha.id in table.rows and beta.id in table.rows

        # O cycles the sort: name ascending puts alpha before beta.
        await pilot.press("O")  # created, ascending (it was descending)
        while table.sort_column != "name":
            await pilot.press("O")
        names = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert names == sorted(names, key=str.casefold)
        assert "▲" in table.columns["name"].label.plain

        await pilot.press("colon", *"im", "enter")
        await wait_until(pilot, lambda: dashboard.active_pane == "images")


async def test_cleanup_and_disk_usage_open_from_the_dashboard(engine_target, test_run_label):
    from dockertui.screens.cleanup import CleanupScreen
    from dockertui.screens.disk_usage import DiskUsageScreen

    app = DockerTUI(engine_target, scope_labels=test_run_label)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        await connected_app(pilot)
        await pilot.press("Z")
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen))
        await pilot.press("escape")
        await pilot.press("percent_sign")
        await wait_until(pilot, lambda: isinstance(app.screen, DiskUsageScreen))


async def test_the_tab_title_shows_the_filter_and_the_marks(engine_target, make_container, unique_name):
    """"Containers (2, /web, 1 marked)": what is shown, the filter typed, how many rows are marked."""
    from textual import events

    from dockertui.app import DockerTUI
    from tests.support.pilot import dashboard_up, select_row, wait_until

    prefix = unique_name("tt")
    first = make_container(name=f"{prefix}-a")
    make_container(name=f"{prefix}-b")
    shown = prefix if len(prefix) <= 12 else prefix[:11] + "…"
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(160, 40)) as pilot:
        table = app.dashboard.containers
        tab = app.dashboard.query_one("#lists").get_tab("containers-tab")
        await select_row(pilot, table, first.id)
        table.focus()
        await pilot.press("slash")
        app.post_message(events.Paste(prefix))  # typed as a terminal sends a paste: in one piece
        await pilot.press("enter")
        await wait_until(pilot, lambda: tab.label.plain == f"Containers (2, /{shown})", what=lambda: tab.label.plain)
        await select_row(pilot, table, first.id)
        table.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: tab.label.plain == f"Containers (2, /{shown}, 1 marked)",
                         what=lambda: tab.label.plain)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: "marked" not in tab.label.plain, what=lambda: tab.label.plain)


async def test_the_filter_takes_fields_negation_and_regular_expressions(engine_target, make_container, unique_name):
    """/ as a k9s user types it: status:, label:, image:, !negation and /regex/, against real containers."""
    from textual import events

    from dockertui.app import DockerTUI
    from tests.support.pilot import dashboard_up, wait_until

    prefix = unique_name("flt")
    web = make_container(name=f"{prefix}-web", labels={"app": "shop"})
    done = make_container(name=f"{prefix}-job", command=["true"])
    done.wait()
    app = DockerTUI(engine_target, show_all=True)
    async with dashboard_up(app, size=(160, 40)) as pilot:
        table = app.dashboard.containers
        await wait_until(pilot, lambda: {web.id, done.id} <= set(table.rows), what="both rows")
        table.focus()

        async def shown_for(text: str) -> set[str]:
            await pilot.press("slash", "ctrl+u")
            app.post_message(events.Paste(text))
            await pilot.press("enter")
            await wait_until(pilot, lambda: table.filter_text == text, what=f"the filter {text!r}")
            return {key for key in table.rows if key in (web.id, done.id)}

        assert await shown_for(f"{prefix} status:exited") == {done.id}
        assert await shown_for(f"{prefix} label:app=shop") == {web.id}
        assert await shown_for(f"{prefix} !label:app") == {done.id}
        assert await shown_for(f"/^{prefix}-w/") == {web.id}
        assert await shown_for(f"{prefix} image:busybox") == {web.id, done.id}
        await shown_for("/[/")  # a bad regular expression: matched as text, and said
        await wait_until(pilot, lambda: any("invalid regular expression" in n.message for n in app._notifications),
                         what="the regex's problem told")
        # D takes the exited containers the filter shows, and says which filter.
        await shown_for(f"{prefix} status:exited")
        await pilot.press("D")
        from dockertui.screens.remove_containers import RemoveContainersScreen

        await wait_until(pilot, lambda: isinstance(app.screen, RemoveContainersScreen), what="the exited preview")
        assert [c.id for c in app.screen.containers] == [done.id]
        await pilot.press("escape")


async def test_the_pane_key_brings_the_keys_back_to_its_list(engine_target, make_container):
    """After ] moves the keys to the right-hand pane, 1 (the pane already shown) gives them back to the list."""
    from dockertui.app import DockerTUI
    from tests.support.pilot import dashboard_up, wait_until

    make_container()
    app = DockerTUI(engine_target)
    async with dashboard_up(app, size=(120, 36)) as pilot:
        table = app.dashboard.containers
        table.focus()
        await pilot.press("right_square_bracket")
        app.dashboard.query_one("#log-view").focus()  # into the right-hand pane, as tab does
        await pilot.pause()
        assert not table.has_focus
        await pilot.press("1")
        await wait_until(pilot, lambda: table.has_focus, what="the Containers list focused again")
