"""The Files tab's list: a directory's entries, or what ``docker diff`` says changed.

Rows are keyed by name (a listing) or by path (the changes), so the pane can
put the cursor back on an entry. Every key here asks the pane (``act``),
which knows what is under way; one it has no use for goes on to the
dashboard (Esc with nothing to stop clears the list's filter there).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding
from textual.widgets import DataTable

from dockertui.backend.files import FileChange, FileEntry, Listing
from dockertui.formatting import cell, size
from dockertui.widgets.cursor_keys import CURSOR_BINDINGS
from dockertui.widgets.theme_roles import CHANGE_ADDED, CHANGE_CHANGED, CHANGE_DELETED, ThemeRoles

UP = ".."  # the row key of the parent folder's row
# Rows drawn of docker diff's answer: a build tree can change a million paths.
CHANGES_SHOWN = 10_000
CHANGE_ROLES = {"A": CHANGE_ADDED, "C": CHANGE_CHANGED, "D": CHANGE_DELETED}
NAME_WIDTH = (12, 32)


def modified(mtime: float, now: datetime | None = None) -> str:
    """As ``ls -l`` has it, in 12 columns: the time this year, else the year."""
    if mtime <= 0:
        return ""
    when = datetime.fromtimestamp(mtime)
    this_year = when.year == (now or datetime.now()).year
    return f"{when:%b} {when.day:2} {when:%H:%M}" if this_year else f"{when:%b} {when.day:2}  {when.year}"


def short_size(count: int) -> str:
    return f"{count} B" if count < 1000 else size(count)


def name_cell(entry: FileEntry) -> Text:
    if entry.kind == "dir":
        return cell(entry.name + "/", style="bold")
    text = cell(entry.name)
    if entry.link_target:
        text.append_text(cell(f" -> {entry.link_target}", style="dim"))
    return text


class FileTable(ThemeRoles, DataTable):
    """Entries or changes, as rows; ``act`` (set by the pane) runs what a key asks for."""

    BINDINGS = [
        *CURSOR_BINDINGS,
        Binding("enter", "act('open')", "Open", id="files-open", tooltip="a folder: go in; a file: view it"),
        Binding("right,l", "act('open')", "Open", id="files-open-more", show=False),
        Binding("backspace", "act('up')", "Parent", id="files-up", tooltip="the folder above"),
        Binding("left,h", "act('up')", "Parent", id="files-up-more", show=False),
        Binding("o", "act('copy_out')", "Copy out…", id="files-copy-out", tooltip="docker cp CONTAINER:PATH LOCAL_PATH"),
        Binding("i", "act('copy_in')", "Copy in…", id="files-copy-in", tooltip="docker cp LOCAL_PATH CONTAINER:FOLDER"),
        Binding("d", "act('changes')", "Changes", id="files-changes",
                tooltip="docker diff: what was added, changed or deleted since the image"),
        Binding("ctrl+r", "act('reload')", "Reload", id="files-reload", show=False),
        Binding("escape", "act('stop')", "Stop", id="files-stop", show=False,
                tooltip="stop a listing or a copy; back from the changes"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.act: Callable[[str], bool] = lambda _: False
        self._changes: list[FileChange] = []
        self.showing = ""  # "listing" or "changes"

    def action_act(self, name: str) -> None:
        if not self.act(name):
            raise SkipAction()

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value

    def show_listing(self, listing: Listing, select: str | None = None) -> None:
        """The entries, dirs first, under a row for the folder above (but at /)."""
        self.clear(columns=True)
        self.showing = "listing"
        longest = max((len(entry.name) + (len(entry.link_target) + 4 if entry.link_target else 0)
                       for entry in listing.entries), default=0) + 1
        # The pane is narrow: what is read first goes first (the mode's first letter tells the type too).
        self.add_column("Name", key="name", width=max(NAME_WIDTH[0], min(NAME_WIDTH[1], longest)))
        self.add_column("Size", key="size", width=7)
        self.add_column("Modified", key="modified", width=12)
        self.add_column("Mode", key="mode", width=10)
        self.add_column("Type", key="type", width=5)
        rows = []
        if listing.path != "/":
            rows.append(([Text("../", style="bold"), Text(""), Text(""), Text(""), Text("dir")], UP))
        now = datetime.now()
        for entry in listing.entries:
            shown_size = Text(short_size(entry.size), justify="right") if entry.kind == "file" else Text("")
            rows.append(([name_cell(entry), shown_size, Text(modified(entry.mtime, now)), Text(entry.mode_text),
                          Text(entry.kind)], entry.name))
        with self.app.batch_update():
            for cells, key in rows:
                self.add_row(*cells, key=key)
        self._select(select)

    def show_changes(self, changes: list[FileChange], select: str | None = None) -> None:
        """docker diff's lines, a coloured A, C or D before each path."""
        self.clear(columns=True)
        self.showing = "changes"
        self._changes = changes
        self.add_column("", key="kind", width=1)
        self.add_column("Path", key="path")
        with self.app.batch_update():
            for change in changes[:CHANGES_SHOWN]:
                self.add_row(Text(change.kind, style=self.role_style(CHANGE_ROLES.get(change.kind, ""))),
                             cell(change.path), key=change.path)
        self._select(select)

    def _select(self, key: str | None) -> None:
        if key is not None and key in self.rows:
            self.move_cursor(row=self.get_row_index(key), scroll=True)
        else:
            self.move_cursor(row=0)

    def restyle(self) -> None:
        if self.showing == "changes":
            self.show_changes(self._changes, self.current_key)
        self.refresh()
