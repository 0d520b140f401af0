"""The Files tab: the selected container's files, through the archive API (no shell needed).

Browse folders, view a file (the dashboard opens the viewer), copy a file or
folder out or a local one in (``docker cp``), and see ``docker diff``. It works
on a stopped container too. A listing reads the whole tree under a folder:
the heading shows how far it got, it stops at a cap, and Esc stops it (its
connection is shut). Nothing is composed until the tab is first shown, and
nothing is read while it is hidden.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from rich.text import Text
from textual import work
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import DataTable, Static

from dockertui.backend import ContainerInfo, EngineError
from dockertui.backend.files import (
    UNCAPPED,
    FileChange,
    FileContent,
    Limits,
    Listing,
    Progress,
    Stopped,
    Stopper,
    container_changes,
    in_order,
    list_directory,
    megabytes,
    read_file,
    resolve,
    start_directory,
)
from dockertui.fleet import backend_on
from dockertui.formatting import safe_text
from dockertui.widgets.file_copy_bar import FileCopyBar
from dockertui.widgets.file_table import CHANGES_SHOWN, UP, FileTable
from dockertui.widgets.theme_roles import ERROR_TEXT, ThemeRoles
from dockertui.worker_errors import ReportsWorkerErrors

# A new selection is read once the cursor rests this long (j held down passes by).
SETTLE_SECONDS = 0.15


class FilesPane(ThemeRoles, ReportsWorkerErrors, Vertical):
    """A heading (container, folder, what is under way), the list, and a prompt for copies."""

    DEFAULT_CSS = """
    FilesPane { background: $surface; }
    FilesPane #files-heading { height: auto; padding: 0 1; }
    FilesPane #files-table { height: 1fr; }
    """

    showing_changes: reactive[bool] = reactive(False, init=False)

    class Progressed(Message):
        """How far a listing got; a newer one replaces it in the queue."""

        def __init__(self, ticket: int, progress: Progress) -> None:
            super().__init__()
            self.ticket = ticket
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, FilesPane.Progressed) and message.ticket == self.ticket

    class Browsed(Message):
        """A listing, the changes or a file came back (``what``), or the ``problem`` with it."""

        def __init__(self, ticket: int, what: Listing | list[FileChange] | FileContent | None, problem: str = "",
                     path: str = "") -> None:
            super().__init__()
            self.ticket = ticket
            self.what = what
            self.problem = problem
            self.path = path

    class FileOpened(Message):
        """A file of ``container_name`` was read to be viewed (the dashboard shows it)."""

        def __init__(self, container_name: str, content: FileContent) -> None:
            super().__init__()
            self.container_name = container_name
            self.content = content

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.container: ContainerInfo | None = None
        self.path: str | None = None  # None until the start folder is known
        self._built = False
        self._on_screen = False
        self._listing: Listing | None = None
        self._changes: list[FileChange] | None = None
        self._ticket = 0  # of the latest listing or read: the answers of earlier ones are dropped
        self._browsing: tuple[Stopper, str] | None = None  # (its stopper, what it is, for the heading)
        self._progress = ""  # how far the listing under way got
        self._problem = ""
        self._select_after: str | None = None
        self._settle: Timer | None = None
        self._interrupted = False  # a listing was under way when the tab was hidden

    # -------------------------------------------------------------- widgets

    async def on_show(self) -> None:
        self._on_screen = True
        if not self._built:
            self._built = True
            table = FileTable(id="files-table")
            table.act = self.act
            await self.mount_all([Static(id="files-heading"), table, FileCopyBar(id="files-copies")])
            self._heading()
        if self._interrupted or (self._listing is None and self._changes is None and self._browsing is None):
            self._interrupted = False
            self._read_soon(0)

    def on_hide(self) -> None:
        # A listing is not read on out of sight (one read to its end may be long); it starts again on show.
        self._on_screen = False
        if self._browsing is not None:
            self._stop_browsing()
            self._interrupted = True

    @property
    def table(self) -> FileTable:
        return self.query_one(FileTable)

    @property
    def copies(self) -> FileCopyBar:
        return self.query_one(FileCopyBar)

    @property
    def busy(self) -> bool:
        """A listing, a read or a copy is under way."""
        return self._browsing is not None or (self._built and self.copies.busy)

    def show(self, container: ContainerInfo | None) -> None:
        """Follow ``container``; another one starts again from its working folder."""
        previous, self.container = self.container, container
        if previous is not None and container is not None and previous.key == container.key:
            self._heading()
            return
        self._stop_browsing()
        if self._built:
            self.copies.close_prompt()  # a copy asked about the container that was shown
            self.copies.engine_host = container.host if container is not None else ""
        self.path = None
        self._listing = self._changes = None
        self._problem = ""
        self.set_reactive(FilesPane.showing_changes, False)
        if self._built:
            self.table.clear(columns=True)
            self._heading()
        self._read_soon(SETTLE_SECONDS)

    def _read_soon(self, delay: float) -> None:
        if self._settle is not None:
            self._settle.stop()
        self._settle = self.set_timer(delay or 0.001, self._read)

    def _read(self) -> None:
        """Read what the tab shows: the folder's listing or the changes (only while on screen)."""
        self._settle = None
        if not self._built or not self._on_screen or self.container is None:
            return
        if self.showing_changes:
            self._browse("changes", "/", "reading docker diff")
        else:
            self._browse("dir", self.path, f"reading {self.path or 'the working folder'}")

    # ------------------------------------------------------------- browsing

    def _browse(self, kind: str, path: str | None, what: str, limits: Limits | None = None) -> None:
        backend = backend_on(self.app, self.container.host) if self.container is not None else None
        if backend is None or self.container is None:
            return
        self._stop_browsing()
        self._ticket += 1
        stopper = Stopper()
        self._browsing = (stopper, what)
        self._progress = self._problem = ""
        self._heading()
        self._browse_in_thread(backend, self._ticket, self.container.id, kind, path, stopper, limits)

    def _stop_browsing(self) -> None:
        if self._browsing is not None:
            self._browsing[0].stop()
            self._browsing = None
            self._progress = ""
            self._ticket += 1  # its answer is not wanted now

    @work(thread=True, exclusive=True, group="files-browse", exit_on_error=False)
    def _browse_in_thread(self, backend, ticket: int, container_id: str, kind: str, path: str | None,
                          stopper: Stopper, limits: Limits | None) -> None:
        def progressed(progress: Progress) -> None:
            self.post_message(self.Progressed(ticket, progress))

        what: Listing | list[FileChange] | FileContent | None = None
        problem = ""
        try:
            if kind == "changes":
                what = container_changes(backend, container_id)
            elif path is None:
                # The working folder, or / if it is not there (removed, or a mount not in the archive).
                path = start_directory(backend, container_id)
                try:
                    what = list_directory(backend, container_id, path, stopper, progressed)
                except EngineError as error:
                    if error.status != 404 or path == "/":
                        raise
                    path, stopper = "/", Stopper()
                    what = list_directory(backend, container_id, path, stopper, progressed)
            else:
                if kind == "link":
                    kind = "dir" if resolve(backend, container_id, path)[1].is_dir else "file"
                if kind == "dir":
                    what = list_directory(backend, container_id, path, stopper, progressed, limits)
                else:
                    what = read_file(backend, container_id, path, stopper)
        except Stopped:
            problem = "stopped"
        except EngineError as error:
            problem = str(error)
        self.post_message(self.Browsed(ticket, what, problem, path or "/"))

    def on_files_pane_progressed(self, message: Progressed) -> None:
        message.stop()
        if message.ticket == self._ticket:
            members = message.progress.members
            self._progress = f"{members:,} path{'s' if members != 1 else ''} read · {megabytes(message.progress.bytes)}"
            self._heading()

    def on_files_pane_browsed(self, message: Browsed) -> None:
        message.stop()
        if message.ticket != self._ticket or self.container is None:
            return  # a reading the user has moved on from
        self._browsing = None
        self._progress = ""
        what = message.what
        if message.problem:
            self._problem = message.problem
        elif isinstance(what, Listing):
            self.path = what.path
            self._listing = what
            self.table.show_listing(what, self._select_after)
            self._select_after = None
        elif isinstance(what, FileContent):
            self.post_message(self.FileOpened(self.container.name, what))
        elif isinstance(what, list):
            self._changes = what
            if self.showing_changes:
                self.table.show_changes(what)
        self._heading()

    # -------------------------------------------------------------- heading

    def _heading(self) -> None:
        if not self._built:
            return
        heading = self.query_one("#files-heading", Static)
        container = self.container
        if container is None:
            heading.update(Text("No container selected: files belong to a container (1: Containers)", style="dim"))
            return
        where = "docker diff" if self.showing_changes else (self.path or "…")
        text = Text.assemble(safe_text(container.name, style="bold reverse"), "  ", safe_text(where, style="bold"))
        status = Text("\n")
        if self._browsing is not None:
            under_way = " · ".join(part for part in (f"{self._browsing[1]}…", self._progress, "Esc stops") if part)
            status.append_text(safe_text(under_way, style="dim"))
        elif self._problem:
            status.append_text(safe_text(self._problem, style=self.role_style(ERROR_TEXT)))
            up = "" if self.showing_changes or self.path in (None, "/") else "; ← the folder above"
            status.append(f" (ctrl+r reads again{up})", style="dim")
        elif self.showing_changes and self._changes is not None:
            status.append(self._changes_summary(), style="dim")
        elif self._listing is not None:
            listing = self._listing
            count = len(listing.entries)
            status.append(f"{count:,} entr{'ies' if count != 1 else 'y'}", style="dim")
            if listing.seconds >= 1 and not listing.read_on:  # why it took a while: all under it was read
                status.append(f" · {megabytes(listing.bytes_read)} read in {listing.seconds:.0f} s", style="dim")
            if listing.cut:
                status.append(f" · listing cut: {listing.cut}", style=self.role_style(ERROR_TEXT))
                if listing.read_on:
                    status.append(" · ctrl+r reads it all", style="dim")
            if container.state != "running":
                status.append(f" · {container.state}", style="dim")
        heading.update(text + status)

    def _changes_summary(self) -> str:
        changes = self._changes or []
        counts = {kind: sum(1 for change in changes if change.kind == kind) for kind in "ACD"}
        summary = f"{counts['A']:,} added · {counts['C']:,} changed · {counts['D']:,} deleted since the image"
        if len(changes) > CHANGES_SHOWN:
            summary += f" · the first {CHANGES_SHOWN:,} shown"
        return summary + " · d: back to the files"

    def restyle(self) -> None:
        self._heading()

    # -------------------------------------------------------------- the keys

    def act(self, name: str) -> bool:
        """What a key of the list asks for; False: nothing to do here (the key goes on)."""
        if name == "stop":
            return self._stop()
        if self.container is None:
            return False
        handlers = {"open": self._open, "up": self._up, "copy_out": self._ask_copy_out,
                    "copy_in": self._ask_copy_in, "changes": self._toggle_changes, "reload": self._reload}
        handlers[name]()
        return True

    def _stop(self) -> bool:
        if self._built and self.copies.stop():
            return True
        if self._browsing is not None:
            what = self._browsing[1]
            self._stop_browsing()
            self._problem = f"stopped {what}"
            self._heading()
            return True
        if self.showing_changes:
            self.showing_changes = False
            return True
        return False

    def _current(self) -> str | None:
        return self.table.current_key if self._built else None

    def _entry_path(self, name: str) -> str:
        return posixpath.join(self.path or "/", name)

    def _open(self) -> None:
        key = self._current()
        if key is None:
            return
        if self.showing_changes:
            # The changed path, in its folder (a deleted one: the folder it was in).
            self.path, self._select_after = posixpath.dirname(key) or "/", posixpath.basename(key)
            self.showing_changes = False
            return
        if key == UP:
            self._up()
            return
        entry = next((entry for entry in self._listing.entries if entry.name == key), None) if self._listing else None
        if entry is None:
            return
        if entry.kind == "other":
            self.notify(f"{entry.name} is a device or a pipe: nothing to show", severity="warning", markup=False)
            return
        self._browse(entry.kind, self._entry_path(entry.name), f"reading {self._entry_path(entry.name)}")

    def _up(self) -> None:
        if self.showing_changes or self.path in (None, "/"):
            return
        self._select_after = posixpath.basename(self.path.rstrip("/"))
        self._browse("dir", posixpath.dirname(self.path.rstrip("/")) or "/", "reading the folder above")

    def _reload(self) -> None:
        """Read again; a listing the byte cap cut is read on to its end (Esc stops it)."""
        self._select_after = self._current()
        listing = self._listing
        if not self.showing_changes and listing is not None and listing.read_on and listing.path == self.path:
            self._browse("dir", self.path, f"reading all of {self.path}", UNCAPPED)
        else:
            self._read_soon(0)

    def _toggle_changes(self) -> None:
        self.showing_changes = not self.showing_changes

    def watch_showing_changes(self, showing: bool) -> None:
        self._stop_browsing()
        self._problem = ""
        if showing:
            self._read_soon(0)  # read each time: the container keeps changing
        elif self._listing is not None and self._listing.path == self.path:
            self.table.show_listing(self._listing, self._select_after)
            self._select_after = None
        else:
            self._read_soon(0)
        self._heading()

    # ---------------------------------------------------------------- copies

    def _ask_copy_out(self) -> None:
        key = self._current()
        if self.showing_changes:
            deleted = self._changes is not None and any(c.path == key and c.kind == "D" for c in self._changes)
            if key is None or deleted:
                self.notify("Pick a path that is there (not a deleted one) to copy out", severity="warning")
                return
            path, is_dir = key, False
        else:
            entry = next((e for e in self._listing.entries if e.name == key), None) if self._listing else None
            if entry is None:
                self.notify("Pick a file or folder to copy out", severity="warning")
                return
            path, is_dir = self._entry_path(entry.name), entry.kind == "dir"
        self.copies.ask_out(self.container.id, self.container.name, path, is_dir)

    def _ask_copy_in(self) -> None:
        if self.showing_changes or self.path is None or self._listing is None or self._listing.path != self.path:
            self.notify("Open the folder to copy into first", severity="warning")
            return
        names = frozenset(entry.name for entry in self._listing.entries)
        self.copies.ask_in(self.container.id, self.container.name, self.path, names)

    def on_file_copy_bar_copied(self, message: FileCopyBar.Copied) -> None:
        # A copy in shows up in the listing it went to, under the cursor.
        entry, listing = message.entry, self._listing
        if (entry is None or listing is None or self.container is None or message.container_id != self.container.id
                or message.result is None or posixpath.dirname(message.result.destination) != listing.path):
            return
        others = (known for known in listing.entries if known.name != entry.name)
        self._listing = replace(listing, entries=in_order([*others, entry]))
        if not self.showing_changes and listing.path == self.path:
            self.table.show_listing(self._listing, entry.name)
            self._heading()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # A click on the highlighted row (the keys are FileTable's own bindings).
        event.stop()
        self._open()
