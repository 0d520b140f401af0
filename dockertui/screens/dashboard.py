"""The main screen: object lists on the left, details on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from dockertui.backend import ContainerInfo, EngineSnapshot, ImageInfo
from dockertui.formatting import utc_now
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.details_pane import DetailsPane
from dockertui.widgets.image_table import ImageTable
from dockertui.widgets.keyed_table import KeyedTable

# Relative times ("5 minutes ago") are re-worded locally, without asking the engine.
TIME_REFRESH_SECONDS = 30


class DashboardScreen(Screen):
    """Kitematic-style: a tabbed list of objects and the selected one's details."""

    BINDINGS = [
        Binding("a", "toggle_all", "All/Running", id="toggle-all", tooltip="docker ps / docker ps -a"),
        Binding("1", "show_pane('containers')", "Containers", id="pane-containers"),
        Binding("2", "show_pane('images')", "Images", id="pane-images"),
    ]

    def __init__(self, now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(id="dashboard")
        self._now = now

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with TabbedContent(id="lists", initial="containers-tab"):
                with TabPane("Containers", id="containers-tab"):
                    yield ContainerTable(now=self._now, id="containers")
                with TabPane("Images", id="images-tab"):
                    yield ImageTable(now=self._now, id="images")
            yield DetailsPane(now=self._now, id="details")
        yield Footer()

    @property
    def containers(self) -> ContainerTable:
        return self.query_one(ContainerTable)

    @property
    def images(self) -> ImageTable:
        return self.query_one(ImageTable)

    @property
    def active_table(self) -> KeyedTable:
        if self.query_one(TabbedContent).active == "images-tab":
            return self.images
        return self.containers

    def on_mount(self) -> None:
        self.containers.focus()
        self.set_interval(TIME_REFRESH_SECONDS, self._refresh_times)

    def apply_snapshot(self, snapshot: EngineSnapshot) -> None:
        """Resync both lists with a fresh full read of the engine."""
        self.containers.load(snapshot.containers)
        self.images.load_images(snapshot.images)
        self._update_tab_titles()

    def apply_container(self, container_id: str, container: ContainerInfo | None) -> None:
        self.containers.update_container(container_id, container)
        self._update_tab_titles()

    def apply_image(self, reference: str, image: ImageInfo | None) -> None:
        self.images.update_image(reference, image)
        self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("containers-tab").label = f"Containers ({self.containers.row_count})"
        tabs.get_tab("images-tab").label = f"Images ({self.images.row_count})"

    def _refresh_times(self) -> None:
        self.containers.refresh_times()
        self.images.refresh_times()

    def action_toggle_all(self) -> None:
        self.action_show_pane("containers")
        self.containers.set_show_all(not self.containers.show_all)
        self._update_tab_titles()
        shown = "all containers" if self.containers.show_all else "running containers"
        self.notify(f"Showing {shown}", timeout=2)

    def action_show_pane(self, pane: str) -> None:
        self.query_one(TabbedContent).active = f"{pane}-tab"

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        table = self.active_table
        table.focus()
        self.query_one(DetailsPane).show(table.current)

    @on(KeyedTable.CurrentChanged)
    def _show_current(self, event: KeyedTable.CurrentChanged) -> None:
        if event.control is self.active_table:
            self.query_one(DetailsPane).show(event.item)
