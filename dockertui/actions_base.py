"""What every action controller shares: ask first, then run engine calls in a thread."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text

from dockertui.backend import EngineError
from dockertui.messages import ActionFinished, EngineCallEnded
from dockertui.screens.confirm import ConfirmScreen
from dockertui.typeahead import Hold

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend
    from dockertui.app import DockerTUI


class Actions:
    """Base of the container, image and resource controllers."""

    WORKER_GROUP: ClassVar[str] = "actions"

    def __init__(self, app: DockerTUI) -> None:
        self.app = app

    def _confirm(self, title: str, items: list[Text], label: str, then: Callable[[], None]) -> None:
        """Show exactly what will happen; run ``then`` only on yes."""

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmScreen(title, items, label), answered)

    def _in_thread(
        self, work: Callable[[DockerBackend], None], what: str = "an action",
        on_give_up: Callable[[], None] | None = None,
    ) -> None:
        """Run blocking engine calls in a thread worker; ``work`` reports by message.

        ``what`` ("stop web") names it if the engine is slow to answer, and
        ``on_give_up`` undoes what shows it under way if the user stops
        waiting for it (engine_watch.py).
        """
        backend = self.app.backend
        if backend is None:
            self.app.notify("Not connected to an engine", severity="error")
            return
        token = self.app.engine_watch.started(what, on_give_up)

        def watched() -> None:
            try:
                work(backend)
            finally:
                self.app.post_message(EngineCallEnded(token))

        self.app.run_worker(watched, thread=True, group=self.WORKER_GROUP, exit_on_error=False)

    def _load_for_screen(self, what: str, load: Callable[[DockerBackend, Hold], None]) -> None:
        """Read in a thread what screen ``what`` shows; keys typed meanwhile wait for that screen.

        ``load`` reports with a message carrying the ``Hold``; its handler
        opens the screen, or an ``ActionFinished`` says why it could not.
        """
        if self.app.backend is None:
            self.app.notify("Not connected to an engine", severity="error")
            return
        hold = self.app.typeahead.hold(what)
        self._in_thread(
            lambda backend: load(backend, hold), f"reading {what}",
            on_give_up=lambda: self.app.typeahead.release(hold, opened=False),
        )

    def _run(self, summary: str, steps: list[tuple[str, Callable[[DockerBackend], None]]]) -> None:
        """Each step is (object name, call); every failure is reported, the rest still run."""

        def work(backend: DockerBackend) -> None:
            failures = []
            for name, call in steps:
                try:
                    call(backend)
                except EngineError as error:
                    failures.append((name, str(error)))
            done = len(steps) - len(failures)
            self.app.post_message(ActionFinished(f"{summary}: {done} of {len(steps)} done", failures, []))

        self._in_thread(work, f"{summary} {names(name for name, _ in steps)}")


def names(items: Iterable[str]) -> str:
    """At most three names, for a message: "web, db, cache and 4 more"."""
    listed = list(items)
    shown = ", ".join(listed[:3])
    return shown if len(listed) <= 3 else f"{shown} and {len(listed) - 3} more"
