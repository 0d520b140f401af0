"""How the cursor of a LineTable moves: DataTable's keys, and the mouse.

Keys move the cursor a row or a page (the view follows), or scroll sideways.
The mouse is placed by its offset in the table (the header is line 0, the
row label the first cells), not by metadata in the drawn segments, so the
lines LineTable keeps stay true whatever moved since they were drawn.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.coordinate import Coordinate


class TableMoves:
    """Mixin for LineTable (whose rows, columns and cursor it moves through): the cursor's actions, the mouse."""

    # LineTable's, read here.
    _order: list[Any]
    _hover_shown: bool

    def _body_height(self) -> int:
        return self.scrollable_content_region.height - 1  # less the header

    def _line_of(self, row: int) -> int:
        """The widget line a row index is drawn on (maybe off screen)."""
        return row - int(self.scroll_y) + 1

    def _keyboard(self) -> None:
        # A key moved the cursor: the mouse's hover no longer says where the user looks.
        if self._hover_shown:
            self._hover_shown = False
            self.refresh_widget_line(self._line_of(self.hover_coordinate.row))

    def action_cursor_up(self) -> None:
        self._keyboard()
        self.cursor_coordinate = Coordinate(self.cursor_row - 1, 0)

    def action_cursor_down(self) -> None:
        self._keyboard()
        self.cursor_coordinate = Coordinate(self.cursor_row + 1, 0)

    def action_cursor_left(self) -> None:
        self._keyboard()
        self.scroll_left(animate=False)

    def action_cursor_right(self) -> None:
        self._keyboard()
        self.scroll_right(animate=False)

    def action_page_down(self) -> None:
        """A page on: the view moves a page and the cursor with it."""
        self._keyboard()
        page = max(1, self._body_height())
        self.scroll_relative(y=page, animate=False, force=True, immediate=True)
        self.move_cursor(row=self.cursor_row + page, scroll=False)
        self.scroll_to_cursor()

    def action_page_up(self) -> None:
        self._keyboard()
        page = max(1, self._body_height())
        self.scroll_relative(y=-page, animate=False, immediate=True)
        self.move_cursor(row=self.cursor_row - page, scroll=False)
        self.scroll_to_cursor()

    def action_scroll_top(self) -> None:
        self._keyboard()
        self.cursor_coordinate = Coordinate(0, 0)

    def action_scroll_bottom(self) -> None:
        self._keyboard()
        self.cursor_coordinate = Coordinate(len(self._order) - 1, 0)

    def action_scroll_home(self) -> None:
        self._keyboard()
        self.scroll_x = 0

    def action_scroll_end(self) -> None:
        self._keyboard()
        self.scroll_x = self.max_scroll_x

    def action_select_cursor(self) -> None:
        self._keyboard()
        if self._order and self.show_cursor:
            self.post_message(self.RowSelected(self, self.cursor_row, self._order[self.cursor_row]))

    def _place(self, event: events.MouseEvent) -> tuple[int, int] | None:
        """(row index, column index) under the mouse: row -1 is the header, column -1 the label."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        x, y = offset.x + int(self.scroll_x), offset.y
        row = -1 if y == 0 else int(self.scroll_y) + y - 1
        if row >= len(self._order):
            return None
        left = self._label_width()
        column = -1
        for index, table_column in enumerate(self.columns.values()):
            if x < left:
                break
            column = index
            left += table_column.render_width
        return row, column

    def on_mouse_move(self, event: events.MouseMove) -> None:
        place = self._place(event)
        self._hover_shown = place is not None
        if place is not None:
            self.hover_coordinate = Coordinate(place[0], max(0, place[1]))

    def on_leave(self, _: events.Leave) -> None:
        if self._hover_shown:
            self._hover_shown = False
            self.refresh_widget_line(self._line_of(self.hover_coordinate.row))

    async def on_click(self, event: events.Click) -> None:
        place = self._place(event)
        if place is None:
            return
        row, column = place
        if row == -1:
            if column >= 0:
                table_column = list(self.columns.values())[column]
                self.post_message(self.HeaderSelected(self, table_column.key, column, table_column.label))
            return
        if not self.show_cursor:
            return
        if row == self.cursor_row:
            self.post_message(self.RowSelected(self, row, self._order[row]))
        self.cursor_coordinate = Coordinate(row, 0)
