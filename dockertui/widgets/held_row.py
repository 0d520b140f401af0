"""The selected container stays listed when it stops, until the cursor leaves it.

The Containers list shows running containers unless `a` asks for all. Were
the selected row to go the moment its container stopped, the cursor would
land on another, and the Details and Logs panes, which follow the cursor,
would drop what the user was reading (the last lines of a crash, most of
all). So the row under the cursor is held: listed while the cursor is on it,
as it is now (exited), and let go when the cursor goes elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from textual.message import Message


class HeldRow:
    """Mixed into ContainerTable, before KeyedTable: ``held`` is shown by its ``is_shown``."""

    class Released(Message):
        """A held row left the list once the cursor moved off it: the list's count changed."""

    if TYPE_CHECKING:  # given by KeyedTable and ContainerTable
        show_all: bool
        current_key: str | None
        items: dict[str, Any]
        rows: Any
        marked: set[str]

        def is_shown(self, item: Any) -> bool: ...
        def set_items(self, changes: Any) -> None: ...
        def post_message(self, message: Message) -> bool: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held: str | None = None
        # Only in the list the user works in: the dashboard turns it off while
        # another list is shown (a row held out of sight would be found later).
        self.holds = True
        self._hold_fixed = False

    def hold_current(self, changed: Iterable[str]) -> None:
        """The row under the cursor is held if its container is among ``changed``."""
        current = self.current_key
        if self.holds and not self.show_all and current is not None and current in changed:
            self.held = current

    def report_current(self, moved_by_list: bool = False) -> None:
        self._let_go_if_left()
        super().report_current(moved_by_list)  # type: ignore[misc]

    def _let_go_if_left(self) -> None:
        """Once the cursor is on another row, the held one goes, unless it is marked
        (a marked row stays in sight, for what is done to the marks)."""
        key = self.held
        if key is None or self._hold_fixed or key in self.marked:
            return
        current = self.current_key
        if current is None or current == key:
            return  # no row (the table is being rebuilt), or still on it
        self.held = None
        item = self.items.get(key)
        if item is not None and key in self.rows and not self.is_shown(item):
            self.set_items({key: item})
            self.post_message(self.Released())

    def drop_hold(self) -> None:
        self.held = None

    @contextmanager
    def hold_kept(self) -> Iterator[None]:
        """While the table is rebuilt (its columns made again), the cursor passes other rows."""
        self._hold_fixed = True
        try:
            yield
        finally:
            self._hold_fixed = False
