"""Waiting in Pilot tests: poll a condition against a deadline, never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from textual.pilot import Pilot


async def wait_until(pilot: Pilot, condition: Callable[[], object], timeout: float = 15, what: object = "") -> None:
    """Let the app run until ``condition()`` is true, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            detail = what() if callable(what) else what
            raise AssertionError(f"timed out after {timeout}s waiting for {detail or condition}")
        await pilot.pause(0.05)


async def screen_with(pilot: Pilot, screen_class: type, selector: Any, timeout: float = 15) -> Any:
    """The active screen's ``selector`` widget (a CSS selector or a widget class), once the screen is a
    mounted ``screen_class`` and has that widget, mounted.

    A pushed screen is ``app.screen`` before its children are composed and mounted, and before its
    on_mount fills them in: a query right after waiting for the class alone can find none (NoMatches,
    seen in CI). A mounted screen has all it composes mounted, and its on_mount has run.
    """
    def mounted() -> Any:
        screen = pilot.app.screen
        widgets = screen.query(selector) if isinstance(screen, screen_class) and screen.is_mounted else ()
        return next((widget for widget in widgets if widget.is_mounted), None)

    def why() -> str:  # what the app shows instead, for a failure's message
        notices = [notification.message for notification in pilot.app._notifications][-3:]
        return f"{screen_class.__name__} with {name}; the screen is {type(pilot.app.screen).__name__}, notices: {notices}"

    name = getattr(selector, "__name__", selector)
    await wait_until(pilot, lambda: mounted() is not None, timeout, what=why)
    return mounted()


@asynccontextmanager
async def dashboard_up(app: Any, **options: Any) -> AsyncIterator[Pilot]:
    """``app.run_test(**options)``, handed over once the dashboard is up.

    The app draws its title before it makes the dashboard (app.py), so
    Textual's "ready" comes a frame before the dashboard is there to query.
    """
    async with app.run_test(**options) as pilot:
        await wait_until(pilot, lambda: app.dashboard.is_mounted and not app.typeahead.holding, what="the dashboard")
        yield pilot


async def connected_app(pilot: Pilot):
    """Wait for the follower's first engine snapshot; returns the dashboard.

    The header names the engine as soon as the first read (first_lists.py) is
    shown, before the follower connects; an action asked for then finds no
    connection. A fleet's members connect each on its own: there, all of them.
    (Once connected it stays true through a later loss: wait for that apart.)
    """
    app = pilot.app

    def connected() -> bool:
        if app.fleet is not None:
            return all(member.state == "connected" for member in app.fleet.members)
        return app._connected_generation == app.generation

    await wait_until(pilot, connected, what="the engine connection")
    return app.dashboard


async def select_row(pilot: Pilot, table, key: str) -> None:
    """Wait for the row keyed ``key`` and put the cursor on it."""
    await wait_until(pilot, lambda: key in table.rows, what=f"row {key[:12]}")
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


async def mark_rows(pilot: Pilot, table, *keys: str) -> None:
    """Mark these rows (space on each), as a user does before a bulk action."""
    for key in keys:
        await select_row(pilot, table, key)
        await pilot.press("space")


def type_line(app: Any, text: str, enter: bool = True) -> None:
    """``:`` and a line, as a terminal sends a paste: in one piece; then Enter."""
    from textual import events

    app.post_message(events.Key("colon", ":"))
    paste_line(app, text, enter)


def paste_line(app: Any, text: str, enter: bool = True) -> None:
    """A line into whatever has the keys, in one piece as a terminal sends a paste; then Enter."""
    from textual import events

    app.post_message(events.Paste(text))
    if enter:
        app.post_message(events.Key("enter", "\r"))


async def swarm_shown(pilot: Pilot):
    """The Swarm screen, once it is shown with its widgets: a pushed screen is the app's screen
    before they are mounted, and a query then finds none (seen under load)."""
    app = pilot.app
    await wait_until(pilot, lambda: app.screen is app.swarm_screen and app.swarm_screen.is_mounted,
                     what="the Swarm screen")
    return app.swarm_screen
