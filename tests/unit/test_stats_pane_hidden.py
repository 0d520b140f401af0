"""The Stats tab's figures are drawn when it shows, not while it is hidden (no engine)."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import App, ComposeResult
from textual.widgets import Static, TabbedContent, TabPane

from dockertui.backend import ContainerInfo
from dockertui.widgets.stats_pane import StatsPane

WEB = ContainerInfo(
    id="c1", name="web", image="img", image_id="sha256:1", command="sh", created=datetime.now(timezone.utc),
    state="running", status="Up",
)
DB = ContainerInfo(
    id="c2", name="db", image="img", image_id="sha256:1", command="sh", created=datetime.now(timezone.utc),
    state="exited", status="Exited (0)",
)


class StatsApp(App):
    def compose(self) -> ComposeResult:
        with TabbedContent(initial="other"):
            with TabPane("Other", id="other"):
                yield Static("other")
            with TabPane("Stats", id="stats"):
                yield StatsPane(id="stats-pane")


async def test_a_hidden_stats_pane_draws_the_selected_container_when_shown():
    app = StatsApp()
    async with app.run_test() as pilot:
        pane = app.query_one(StatsPane)
        figures = lambda: str(pane.query_one("#stats-figures").render())  # noqa: E731
        before = figures()
        pane.show(WEB)
        pane.show(DB)
        await pilot.pause()
        assert figures() == before  # hidden: nothing drawn, so no layout asked for
        app.query_one(TabbedContent).active = "stats"
        await pilot.pause()
        assert "db" in figures() and "not running (exited)" in figures()
        pane.show(WEB)  # shown: drawn at once
        await pilot.pause()
        assert "web" in figures() and "reading" in figures()
