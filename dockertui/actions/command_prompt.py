"""The ``:`` prompt: a pane name or a docker CLI command (cli_runner.py), with tab completion
and the lines of earlier sessions under up and down (command_history.py)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual.suggester import Suggester

from dockertui.actions.cli_runner import IMAGE_VERBS, plan
from dockertui.command_history import history_path, load_history, remember
from dockertui.command_line import VERBS

if TYPE_CHECKING:
    # The DockerTUI app, as textual's App: the app imports this module, not the reverse.
    from textual.app import App


def open_command_line(app: App) -> None:
    """The ``:`` prompt; Enter takes its step, once ``plan`` found nothing wrong.

    Tab completes the word typed, up and down bring back earlier lines, also
    of earlier sessions (command_history.py).
    """
    from dockertui.panes import LIST_PANES, SWARM_PANES
    from dockertui.screens.prompt import PromptScreen

    path = history_path()

    def answered(text: str | None) -> None:
        if not text or not text.strip():
            return
        threading.Thread(target=_remember, args=(app, path, text), name="dockertui-history", daemon=True).start()
        try:
            step = plan(app, text)  # again: the engine may have moved on since the prompt checked it
        except ValueError as error:
            app.notify(f":{text}: {error}", severity="error", markup=False)
            return
        step()

    panes = " | ".join(LIST_PANES + SWARM_PANES)
    app.push_screen(
        PromptScreen(":", "", placeholder=f"a docker command (ps -a, pull busybox, rm -f web…) or a pane: {panes}",
                     validate=lambda text: plan(app, text), suggestions=CommandSuggester(app, LIST_PANES + SWARM_PANES),
                     history=load_history(path)),
        answered,
    )


class CommandSuggester(Suggester):
    """Completes the word being typed: a verb or a pane first, then a container's name or an image."""

    def __init__(self, app: App, panes: tuple[str, ...]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._app = app
        self._panes = panes

    async def get_suggestion(self, value: str) -> str | None:
        """The word completed as far as every candidate agrees, else to the first candidate."""
        head, _, word = value.rpartition(" ")
        if not word:
            return None
        verbs = head.removeprefix("docker").split()
        if not verbs:
            candidates = [f"{verb} " for verb in VERBS] + list(self._panes)
        elif verbs[0] in IMAGE_VERBS:
            candidates = [tag.reference for tag in self._app.dashboard.images.items.values()]
        else:
            fits = STATES_FOR.get(verbs[0])
            candidates = [container.name for container in self._app.dashboard.containers.items.values()
                          if fits is None or container.state in fits]
        matches = sorted(candidate for candidate in candidates if candidate.startswith(word) and candidate != word)
        if not matches:
            return None
        shared = os.path.commonprefix(matches)
        completed = shared if len(shared) > len(word) else matches[0]
        return f"{head} {completed}" if head else completed


# The containers a verb can act on, by state, for completion (others: any).
STATES_FOR = {
    "stop": {"running", "restarting"}, "kill": {"running", "restarting"}, "pause": {"running"},
    "restart": {"running", "exited", "created"}, "start": {"exited", "created"}, "unpause": {"paused"},
    "exec": {"running"}, "attach": {"running"}, "top": {"running"}, "stats": {"running"},
}


def _remember(app: App, path: Path, text: str) -> None:
    """Keep ``text`` in the history file, in a thread of its own (a file write, off the UI)."""
    try:
        remember(path, text)
    except OSError as error:
        app.call_from_thread(app.notify, f"The : history is not kept: {error}", severity="warning", markup=False)
