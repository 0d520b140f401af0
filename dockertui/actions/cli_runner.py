"""What a ``:`` line does: a pane name jumps there (``:im``, as in k9s), a docker CLI command
(command_line.py) runs through the same dialogs and confirmations as its key. The prompt
itself is command_prompt.py.

``plan(app, text)`` checks everything it can before anything happens (the
verb, its flags, and that the containers and images it names exist) and
returns the step to take; a ValueError says what is wrong, and the prompt
keeps the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dockertui.backend.images import parse_reference
from dockertui.backend.models import ContainerInfo, ImageTag
from dockertui.command_line import CliCommand, parse_line, run_spec
from dockertui.parsing import parse_since

if TYPE_CHECKING:
    # The DockerTUI app, as textual's App: the app imports this module, not the reverse.
    from textual.app import App

Step = Callable[[], object]
CONTROL_VERBS = ("start", "stop", "restart", "kill", "pause", "unpause")
IMAGE_VERBS = ("run", "rmi", "pull", "push", "tag", "save")


def plan(app: App, text: str) -> Step:
    """The step ``text`` asks for; ValueError if it cannot be taken."""
    from dockertui.panes import pane_named

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


def _by_id_prefix(reference: str) -> bool:
    """Whether ``reference`` can be the start of an id (hex), as the CLI takes them."""
    return bool(reference) and all(c in "0123456789abcdef" for c in reference.removeprefix("sha256:"))


def _on_engine(app: App, reference: str) -> tuple[str | None, str]:
    """A fleet's ``web1/name``: (engine, the rest); else (None, ``reference``)."""
    fleet = getattr(app, "fleet", None)
    host, slash, rest = reference.partition("/")
    if fleet is not None and slash and fleet.member(host) is not None:
        return host, rest
    return None, reference


def _one_engine(found: list, reference: str) -> None:
    """Refuse a name found on several engines of a fleet: the action would pick one at random."""
    hosts = sorted({item.host for item in found})
    if len(hosts) > 1:
        raise ValueError(f"{reference!r} is on {len(hosts)} engines ({', '.join(hosts)}): "
                         f"say which, as {hosts[0]}/{reference}")


def _container(app: App, reference: str) -> ContainerInfo:
    """By name, or by id or a unique start of it; in a fleet ``host/name`` says which engine's."""
    if not reference.strip():
        raise ValueError("an empty container name")
    host, reference = _on_engine(app, reference)
    items = [c for c in app.dashboard.containers.items.values() if host is None or c.host == host]
    found = [c for c in items if c.name == reference.lstrip("/")]
    if not found and _by_id_prefix(reference):
        found = [c for c in items if c.id.startswith(reference)]
    _one_engine(found, reference)
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"{reference!r} is the start of {len(found)} containers' ids; give more of it")
    raise ValueError(f"no container {reference!r}")


def _image(app: App, reference: str) -> ImageTag:
    """By reference (``:latest`` when no tag is given), or by id or a unique start of it."""
    if not reference.strip():
        raise ValueError("an empty image name")
    host, reference = _on_engine(app, reference)
    tags = [t for t in app.dashboard.images.items.values() if host is None or t.host == host]
    wanted = reference if ":" in reference.rsplit("/", 1)[-1] else f"{reference}:latest"
    found = [t for t in tags if t.reference in (reference, wanted)]
    if not found and _by_id_prefix(reference):
        prefix = reference.removeprefix("sha256:")
        found = [t for t in tags if t.image.id.removeprefix("sha256:").startswith(prefix)]
        if len({t.image.id for t in found}) > 1:
            raise ValueError(f"{reference!r} is the start of several images' ids; give more of it")
    _one_engine(found, reference)
    if found:
        return found[0]
    raise ValueError(f"no image {reference!r} here (pull it first)")


def _containers_step(app: App, command: CliCommand) -> Step:
    containers = [_container(app, reference) for reference in command.args]
    # In a fleet, each container goes to its own engine (the controllers split a bulk action by host).
    actions = app.actions_for(containers[0].host).containers if containers else app.actions.containers
    if command.verb == "rm":
        running = [c.name for c in containers if c.is_running]
        if running and not command.flag("force"):
            raise ValueError(f"{', '.join(running)}: running; stop first, or rm -f")
        return lambda: actions.remove(containers, force=command.flag("force"), volumes=command.flag("volumes"))
    if command.verb in ("pause", "unpause"):
        wrong = [c.name for c in containers if (c.state == "paused") != (command.verb == "unpause")]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: not {'paused' if command.verb == 'unpause' else 'running'}")
        return lambda: actions.control("pause", containers)  # the key pauses or resumes
    return lambda: actions.control(command.verb, containers)


def _one_container_step(app: App, command: CliCommand) -> Step:
    dashboard = app.dashboard
    verb = command.verb
    if not command.args:  # stats: of the container selected
        return lambda: dashboard.action_show_tab("stats")
    container = _container(app, command.args[0])
    if verb == "logs":
        since = parse_since(str(command.flags["since"])) if "since" in command.flags else None

        def logs() -> None:
            dashboard.select_container(container.key)
            dashboard.action_show_tab("logs")
            if command.flag("timestamps") and not dashboard.logs.view.show_timestamps:
                dashboard.logs.action_toggle_timestamps()
            if since is not None:
                dashboard.logs.since = since
                dashboard.logs.follow(container, restart=True)

        return logs
    if verb == "port":
        if not container.ports:
            raise ValueError(f"{container.name} publishes no ports")

        def ports() -> None:
            dashboard.action_show_pane("ports")
            dashboard.filter_list(container.name)

        return ports
    if verb in ("top", "stats"):
        tab = "top" if verb == "top" else "stats"
        return lambda: (dashboard.select_container(container.key), dashboard.action_show_tab(tab))
    if verb == "exec":
        command_words = list(command.args[1:])
        return lambda: app.actions_for(container.host).containers.run_session("exec", container.id, command_words)
    return lambda: app.actions_for(container.host).containers.request(verb, [container])  # inspect, attach


def _image_step(app: App, command: CliCommand) -> Step:
    verb, actions = command.verb, app.actions.images
    if verb not in ("pull", "search"):  # in a fleet, the image's own engine
        actions = app.actions_for(_image(app, command.args[0]).host).images
    if verb == "pull":
        return lambda: actions.open_pull(command.args[0], start=True)
    if verb == "search":
        return lambda: actions.open_search(command.args[0])
    tag = _image(app, command.args[0])
    if verb == "tag":
        parse_reference(command.args[1])  # says what is wrong with the new name
        return lambda: actions.tag(tag, command.args[1])
    return lambda: actions.request({"rmi": "remove", "push": "push"}[verb], [tag])


def _artefact_step(app: App, command: CliCommand) -> Step:
    """commit, export, save and load open their dialogs; with all the CLI needs given, started."""
    from dockertui.actions import artefacts
    from dockertui.backend.artefacts import check_commit_reference

    verb, output = command.verb, str(command.flags.get("output", ""))
    if verb == "load":
        path = str(command.flags.get("input", ""))
        return lambda: app.actions.images.open_load(path, start=bool(path))
    if verb == "save":
        tags = [_image(app, reference) for reference in command.args]
        return lambda: app.actions.images.open_save(tags, output, start=bool(output))
    container = _container(app, command.args[0])
    if verb == "export":
        return lambda: artefacts.open_export(app, container, output, start=bool(output))
    reference = check_commit_reference(command.args[1]) if len(command.args) > 1 else ""
    message, author = str(command.flags.get("message", "")), str(command.flags.get("author", ""))
    pause = command.flags.get("pause", True) is not False
    return lambda: artefacts.open_commit(app, container, reference, message, author, pause, start=True)


def _run_step(app: App, command: CliCommand) -> Step:
    spec = run_spec(command)  # a bad port or volume is reported here, as in the dialog
    return lambda: app.actions.containers.open_run_dialog(spec=spec)


_STEPS: dict[str, Callable[[App, CliCommand], Step]] = {
    "ps": lambda app, c: lambda: app.dashboard.action_list_containers(c.flag("all")),
    "images": lambda app, c: lambda: app.dashboard.jump_to("images"),
    "run": _run_step,
    **{verb: _containers_step for verb in (*CONTROL_VERBS, "rm")},
    "rm-exited": lambda app, c: lambda: app.actions.containers.remove_exited(),
    **{verb: _one_container_step for verb in ("logs", "port", "top", "stats", "inspect", "exec", "attach")},
    **{verb: _image_step for verb in ("pull", "push", "tag", "search", "rmi")},
    "login": lambda app, c: lambda: app.actions.images.open_login(*c.args),
    **{verb: _artefact_step for verb in ("commit", "export", "save", "load")},
    "build": lambda app, c: lambda: app.actions.images.open_build(),
    "info": lambda app, c: app.action_engine_info,
    "version": lambda app, c: app.action_engine_info,
}
