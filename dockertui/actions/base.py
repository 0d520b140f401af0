"""What every action controller shares: its table of handlers, asking first,
engine calls in a thread, and how an outcome is reported."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text

from dockertui.backend import EngineError
from dockertui.fleet import backend_on
from dockertui.messages import ActionFinished, EngineCallEnded, InspectLoaded
from dockertui.parsing import check_name
from dockertui.screens.on_engine import OnEngine
from dockertui.screens.prompt import PromptScreen
from dockertui.typeahead import Hold
from dockertui.widgets.theme_roles import ThemeRoles

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from dockertui.backend.client import DockerBackend
    from dockertui.widgets.line_list import Lines

# An action's handler takes what it acts on: the rows, or the screen it came from.
Handler = Callable[[Any], None]


class Actions(ThemeRoles):
    """Base of the controllers: one per kind of object, each with a table of handlers.

    ThemeRoles gives role_style, for the colours of what a confirmation lists.
    """

    WORKER_GROUP: ClassVar[str] = "actions"

    def __init__(self, app: App, host: str = "") -> None:
        # The DockerTUI app, typed as App: the app imports the controllers, not the reverse.
        self.app: Any = app
        self.host = host  # the fleet's engine this acts on; "" with one engine

    @property
    def backend(self) -> DockerBackend | None:
        """The connection to this controller's engine; None while it is away."""
        return backend_on(self.app, self.host)

    def handlers(self) -> dict[str, Handler]:
        """Action name -> what it does; the subclass's table."""
        return {}

    def request(self, action: str, subject: Any) -> None:
        """Entry point for a pane's ``ActionRequested``: the handler the table names."""
        try:
            handler = self.handlers()[action]
        except KeyError:
            raise LookupError(f"{type(self).__name__} has no action {action!r}") from None
        handler(subject)

    def _push(self, screen: Screen, callback: Callable[[Any], None] | None = None) -> None:
        """Open ``screen``; one that works on an engine works on this controller's (in a fleet)."""
        if isinstance(screen, OnEngine):
            screen.on_engine(self.host)
        self.app.push_screen(screen, callback)

    def _ask_name(self, title: str, then: Callable[[str], None]) -> None:
        """Prompt for a new object's name; ``then`` gets it, stripped, unless cancelled."""
        def answered(value: str | None) -> None:
            if value and value.strip():
                then(value.strip())

        self.app.push_screen(PromptScreen(title, "", validate=check_name), answered)

    def _confirm(self, title: str, items: list[Text] | Lines, label: str, then: Callable[[], None]) -> None:
        """Show exactly what will happen; run ``then`` only on yes."""
        self.app.confirm(title, items, label, then)

    def _in_thread(
        self, work: Callable[[DockerBackend], None], what: str = "an action",
        on_give_up: Callable[[], None] | None = None,
    ) -> None:
        """Run blocking engine calls in a thread worker; ``work`` reports by message.

        ``what`` ("stop web") names it if the engine is slow to answer, and
        ``on_give_up`` undoes what shows it under way if the user stops
        waiting for it (engine_watch.py).
        """
        backend = self.backend
        if backend is None:
            self.app.notify(f"Not connected to {self.host or 'an engine'}", severity="error")
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
        if self.backend is None:
            self.app.notify(f"Not connected to {self.host or 'an engine'}", severity="error")
            return
        hold = self.app.typeahead.hold(what)
        self._in_thread(
            lambda backend: load(backend, hold), f"reading {what}",
            on_give_up=lambda: self.app.typeahead.release(hold, opened=False),
        )

    def _load_inspect_document(self, title: str, name: str, read: Callable[[DockerBackend], dict[str, Any]]) -> None:
        """Read an inspect document in a thread; the app opens InspectScreen (``title``: the CLI's words)."""
        def load(backend: DockerBackend, hold: Hold) -> None:
            try:
                document = read(backend)
            except EngineError as error:
                self.app.post_message(ActionFinished("inspect", [(name, str(error))], [], hold=hold))
                return
            self.app.post_message(InspectLoaded(title, document, hold))

        self._load_for_screen("inspect", load)

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


def report_finished(app: Any, message: ActionFinished) -> None:
    """Every controller's outcome: keys held for it go on, each failure is told by name, else the summary."""
    if message.hold is not None:
        app.typeahead.release(message.hold, opened=False)
    for name, reason in message.failures:
        app.notify(f"{name}: {reason}", title="Failed", severity="error", markup=False, timeout=8)
    if not message.failures:
        app.notify(message.summary, timeout=3, markup=False)


def names(items: Iterable[str]) -> str:
    """At most three names, for a message: "web, db, cache and 4 more"."""
    listed = list(items)
    shown = ", ".join(listed[:3])
    return shown if len(listed) <= 3 else f"{shown} and {len(listed) - 3} more"
