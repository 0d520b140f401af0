"""What a ``:`` line does: a pane name jumps there (``:im``, as in k9s), a docker CLI command
(command_line.py) runs through the same dialogs and confirmations as its key.

``plan(app, text)`` checks everything it can before anything happens (the
verb, its flags, and that the containers and images it names exist) and
returns the step to take; a ValueError says what is wrong, and the prompt
keeps the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.suggester import Suggester

from dockertui.backend.images import parse_reference
from dockertui.backend.models import ContainerInfo, ImageTag
from dockertui.command_history import history_path, load_history, remember
from dockertui.command_line import VERBS, CliCommand, parse_line, run_spec
from dockertui.parsing import parse_since

if TYPE_CHECKING:
    from dockertui.app import DockerTUI

Step = Callable[[], object]
CONTROL_VERBS = ("start", "stop", "restart", "kill", "pause", "unpause")
IMAGE_VERBS = ("run", "rmi", "pull", "push", "tag")


def open_command_line(app: DockerTUI) -> None:
    """The ``:`` prompt; Enter takes its step, once ``plan`` found nothing wrong.

    Tab completes the word typed, up and down bring back earlier lines, also
    of earlier sessions (command_history.py).
    """
    from dockertui.screens.dashboard import LIST_PANES, SWARM_PANES
    from dockertui.screens.prompt import PromptScreen

    path = history_path()

    def answered(text: str | None) -> None:
        if text and text.strip():
            try:
                remember(path, text)
            except OSError as error:
                app.notify(f"The : history is not kept: {error}", severity="warning", markup=False)
            plan(app, text)()

    panes = " | ".join(LIST_PANES + SWARM_PANES)
    app.push_screen(
        PromptScreen(":", "", placeholder=f"{panes}, or a command: ps -a, pull busybox, rm -f web, logs -f web…",
                     validate=lambda text: plan(app, text), suggestions=CommandSuggester(app, LIST_PANES + SWARM_PANES),
                     history=load_history(path)),
        answered,
    )


class CommandSuggester(Suggester):
    """Completes the word being typed: a verb or a pane first, then a container's name or an image."""

    def __init__(self, app: DockerTUI, panes: tuple[str, ...]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._app = app
        self._panes = panes

    async def get_suggestion(self, value: str) -> str | None:
        head, _, word = value.rpartition(" ")
        if not word:
            return None
        verbs = head.removeprefix("docker").split()
        if not verbs:
            candidates = [*VERBS, *self._panes]
        elif verbs[0] in IMAGE_VERBS:
            candidates = [tag.reference for tag in self._app.dashboard.images.items.values()]
        else:
            candidates = [container.name for container in self._app.dashboard.containers.items.values()]
        for candidate in sorted(candidates):
            if candidate.startswith(word) and candidate != word:
                return f"{head} {candidate}" if head else candidate
        return None


def plan(app: DockerTUI, text: str) -> Step:
    """The step ``text`` asks for; ValueError if it cannot be taken."""
    from dockertui.screens.dashboard import pane_named

    words = text.split()
    if len(words) == 1:
        try:
            pane = pane_named(words[0])
        except ValueError:
            pass
        else:
            return lambda: app.dashboard.jump_to(pane)
    command = parse_line(text)
    return _STEPS[command.verb](app, command)


def _container(app: DockerTUI, reference: str) -> ContainerInfo:
    """By name, full id or id prefix, as the CLI takes them."""
    items = app.dashboard.containers.items.values()
    by_name = [c for c in items if c.name == reference.lstrip("/")]
    found = by_name or [c for c in items if c.id.startswith(reference)]
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"{reference!r} names {len(found)} containers; give more of the id")
    raise ValueError(f"no container {reference!r}")


def _image(app: DockerTUI, reference: str) -> ImageTag:
    tags = list(app.dashboard.images.items.values())
    wanted = reference if ":" in reference.rsplit("/", 1)[-1] else f"{reference}:latest"
    found = [t for t in tags if t.reference in (reference, wanted)]
    found = found or [t for t in tags if t.image.id.removeprefix("sha256:").startswith(reference.removeprefix("sha256:"))]
    if found:
        return found[0]
    raise ValueError(f"no image {reference!r} here (pull it first)")


def _containers_step(app: DockerTUI, command: CliCommand) -> Step:
    containers = [_container(app, reference) for reference in command.args]
    actions = app.container_actions
    if command.verb == "rm":
        running = [c.name for c in containers if c.is_running]
        if running and not command.flag("force"):
            raise ValueError(f"{', '.join(running)}: running; stop first, or rm -f")
        return lambda: actions.remove(containers)
    if command.verb in ("pause", "unpause"):
        wrong = [c.name for c in containers if (c.state == "paused") != (command.verb == "unpause")]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: not {'paused' if command.verb == 'unpause' else 'running'}")
        return lambda: actions.control("pause", containers)  # the key pauses or resumes
    return lambda: actions.control(command.verb, containers)


def _one_container_step(app: DockerTUI, command: CliCommand) -> Step:
    dashboard = app.dashboard
    verb = command.verb
    if not command.args:  # stats: of the container selected
        return lambda: dashboard.action_show_tab("stats")
    container = _container(app, command.args[0])
    if verb == "logs":
        since = parse_since(str(command.flags["since"])) if "since" in command.flags else None

        def logs() -> None:
            dashboard.select_container(container.id, then_logs=True)
            if since is not None:
                dashboard.logs.since = since
                dashboard.logs.follow(container, restart=True)

        return logs
    if verb == "port":
        def ports() -> None:
            dashboard.action_show_pane("ports")
            dashboard.filter_list(container.name)

        return ports
    if verb in ("top", "stats"):
        tab = "top" if verb == "top" else "stats"
        return lambda: (dashboard.select_container(container.id), dashboard.action_show_tab(tab))
    if verb == "exec":
        command_words = list(command.args[1:])
        return lambda: app.container_actions.run_session("exec", container.id, command_words)
    return lambda: app.container_actions.request(verb, [container])  # inspect, attach


def _image_step(app: DockerTUI, command: CliCommand) -> Step:
    verb, actions = command.verb, app.image_actions
    if verb == "pull":
        return lambda: actions.open_pull(command.args[0], start=True)
    if verb == "search":
        return lambda: actions.open_search(command.args[0])
    tag = _image(app, command.args[0])
    if verb == "tag":
        parse_reference(command.args[1])  # says what is wrong with the new name
        return lambda: actions.tag(tag, command.args[1])
    return lambda: actions.request({"rmi": "remove", "push": "push"}[verb], [tag])


def _run_step(app: DockerTUI, command: CliCommand) -> Step:
    spec = run_spec(command)  # a bad port or volume is reported here, as in the dialog
    return lambda: app.container_actions.open_run_dialog(spec=spec)


_STEPS: dict[str, Callable[[DockerTUI, CliCommand], Step]] = {
    "ps": lambda app, c: lambda: app.dashboard.action_list_containers(c.flag("all")),
    "images": lambda app, c: lambda: app.dashboard.jump_to("images"),
    "run": _run_step,
    **{verb: _containers_step for verb in (*CONTROL_VERBS, "rm")},
    "rm-exited": lambda app, c: lambda: app.container_actions.remove_exited(),
    **{verb: _one_container_step for verb in ("logs", "port", "top", "stats", "inspect", "exec", "attach")},
    **{verb: _image_step for verb in ("pull", "push", "tag", "search", "rmi")},
    "login": lambda app, c: lambda: app.image_actions.open_login(),
    "build": lambda app, c: lambda: app.image_actions.open_build(),
    "info": lambda app, c: app.action_engine_info,
    "version": lambda app, c: app.action_engine_info,
}
