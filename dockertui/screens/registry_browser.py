"""Browse a private registry (repositories, then tags) and search Docker Hub.

Both dismiss with an image reference to pull, or None. Lookups run in
thread workers with timeouts, so an unreachable registry gives a message,
never a hang.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from dockertui.backend import EngineError
from dockertui.backend.credentials import HUB_KEY, CredentialsError, logged_in_registries
from dockertui.backend.images import HubResult, search_hub
from dockertui.backend.registry import RegistryClient, RegistryError
from dockertui.formatting import ERROR, ERROR_DETAIL, cell, safe_text, themed
from dockertui.screens.on_engine import OnEngine
from dockertui.worker_errors import ReportsWorkerErrors


def default_registry() -> str:
    """The first private registry the user is logged in to, for a start."""
    try:
        registries = [r for r in logged_in_registries() if r != HUB_KEY]
    except CredentialsError:
        return ""
    return registries[0] if registries else ""


class RegistryBrowser(OnEngine, ReportsWorkerErrors, ModalScreen[str | None]):
    """Enter on a repository lists its tags; Enter on a tag pulls it; Backspace goes back."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="browse-close"),
        Binding("backspace", "back", "Back", id="browse-back"),
        Binding("ctrl+l", "login", "Log in…", id="browse-login"),
        Binding("ctrl+r", "reload", "Reload", id="browse-reload"),
    ]
    last_address = ""

    class Listed(Message):
        def __init__(self, address: str, repository: str, names: list[str], error: str = "") -> None:
            super().__init__()
            self.address = address
            self.repository = repository
            self.names = names
            self.error = error

    def __init__(self, address: str = "") -> None:
        super().__init__(classes="image-dialog")
        self._address = address or RegistryBrowser.last_address or default_registry()
        self.repository = ""
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box browse-box"):
            yield Static(Text("Registry", style="bold"), classes="image-title")
            with Horizontal(classes="image-row"):
                yield Label("Address", classes="image-label")
                yield Input(self._address, placeholder="registry.example.com or 127.0.0.1:5000", id="address")
            yield Static(id="browse-where")
            yield DataTable(id="browse-list", cursor_type="row", zebra_stripes=True)
            yield Static(id="browse-status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Name", key="name")
        if self._address:
            self.action_reload()
        else:
            self.query_one("#address", Input).focus()

    @property
    def address(self) -> str:
        return self.query_one("#address", Input).value.strip()

    def action_reload(self) -> None:
        self._list(self.address, self.repository)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.repository = ""
        self._list(self.address, "")

    def _list(self, address: str, repository: str) -> None:
        if not address:
            self._status(themed("Type the registry's address.", ERROR_DETAIL))
            return
        RegistryBrowser.last_address = address
        self._status(Text(f"Asking {address}…", style="italic"))
        self._fetch(address, repository)

    @work(thread=True, exclusive=True, group="registry-browse", exit_on_error=False)
    def _fetch(self, address: str, repository: str) -> None:
        try:
            client = RegistryClient.with_stored_login(address)
            try:
                names = client.tags(repository) if repository else client.repositories()
            finally:
                client.close()
        except (RegistryError, CredentialsError) as error:
            self.post_message(self.Listed(address, repository, [], str(error)))
            return
        self.post_message(self.Listed(address, repository, names))

    def on_registry_browser_listed(self, message: Listed) -> None:
        if message.error:
            self._status(themed(message.error, ERROR))
            return
        self.repository = message.repository
        self.names = message.names
        table = self.query_one(DataTable)
        table.clear()
        for name in message.names:
            table.add_row(cell(name), key=name)
        where = f"{message.address}/{message.repository} tags" if message.repository else f"{message.address} repositories"
        self.query_one("#browse-where", Static).update(safe_text(where, style="bold"))
        hint = "Enter pulls the tag · Backspace back" if message.repository else "Enter lists the tags"
        self._status(Text(f"{len(message.names)} found · {hint}", style="dim"))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        name = event.row_key.value or ""
        if self.repository:
            self.dismiss(f"{self.address}/{self.repository}:{name}")
        else:
            self._list(self.address, name)

    def action_back(self) -> None:
        if self.repository and self.focused is not self.query_one("#address", Input):
            self._list(self.address, "")

    def action_login(self) -> None:
        from dockertui.screens.login_dialog import LoginDialog

        self.app.push_screen(LoginDialog(self.address or "docker.io").on_engine(self.engine_host), lambda done: done and self.action_reload())

    def action_close(self) -> None:
        self.dismiss(None)

    def _status(self, text: Text | Content) -> None:
        self.query_one("#browse-status", Static).update(text)


class HubSearch(OnEngine, ReportsWorkerErrors, ModalScreen[str | None]):
    """``docker search`` through the engine; Enter on a result pulls it."""

    BINDINGS = [Binding("escape", "close", "Close", id="search-close")]

    class Found(Message):
        def __init__(self, term: str, results: list[HubResult], error: str = "") -> None:
            super().__init__()
            self.term = term
            self.results = results
            self.error = error

    def __init__(self, term: str = "") -> None:
        super().__init__(classes="image-dialog")
        self._term = term

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box browse-box"):
            yield Static(Text("Search Docker Hub", style="bold"), classes="image-title")
            with Horizontal(classes="image-row"):
                yield Label("Search", classes="image-label")
                yield Input(self._term, placeholder="nginx, postgres …", id="term")
            table = DataTable(id="search-results", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(id="search-status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Name", key="name", width=30)
        table.add_column("Description", key="description", width=50)
        table.add_column("Stars", key="stars", width=7)
        table.add_column("Official", key="official", width=8)
        self.query_one("#term", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        term = event.value.strip()
        if not term:
            self._status(themed("Type something to search for.", ERROR_DETAIL))
            return
        self._status(Text(f"Searching for {term}…", style="italic"))
        self._search(term)

    @work(thread=True, exclusive=True, group="hub-search", exit_on_error=False)
    def _search(self, term: str) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.Found(term, [], "not connected to an engine"))
            return
        try:
            self.post_message(self.Found(term, search_hub(backend, term)))
        except (EngineError, ValueError) as error:
            self.post_message(self.Found(term, [], str(error)))

    def on_hub_search_found(self, message: Found) -> None:
        table = self.query_one(DataTable)
        table.clear()
        if message.error:
            self._status(themed(message.error, ERROR))
            return
        for result in message.results:
            table.add_row(
                cell(result.name), cell(result.description), cell(str(result.stars)),
                cell("[OK]" if result.official else ""), key=result.name,
            )
        self._status(Text(f"{len(message.results)} results · Enter pulls", style="dim"))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)

    def action_close(self) -> None:
        self.dismiss(None)

    def _status(self, text: Text | Content) -> None:
        self.query_one("#search-status", Static).update(text)
