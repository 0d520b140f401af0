"""What the Compose keys do: open a project, act on all of its containers, up and down.

Start, stop, restart and remove go through the engine, one call per
container, after a confirmation that lists exactly which containers; they
report with ``ActionFinished`` like the container keys, so rows show
"stopping…" until the events arrive. ``up`` and ``down`` run the Compose CLI
in the project screen, which streams its output.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from rich.text import Text

from dockertui.actions.base import Actions, Handler
from dockertui.backend import ContainerInfo, compose
from dockertui.backend.compose import ComposeProject, compose_labels, project_named
from dockertui.backend.merged_logs import ContainerGroup
from dockertui.formatting import clean
from dockertui.screens.compose_project import ComposeProjectScreen
from dockertui.screens.remove_containers import describe

CONTROL_ACTIONS = ("start", "stop", "restart")


def targets_for(action: str, containers: list[ContainerInfo]) -> list[ContainerInfo]:
    """Which of the project's containers an action touches.

    As ``docker compose start`` does, one-off containers (``compose run``)
    are not started again; stop and remove take every container.
    """

    def oneoff(container: ContainerInfo) -> bool:
        labels = compose_labels(container)
        return bool(labels and labels.oneoff)

    if action == "start":
        return [c for c in containers if not c.is_running and not oneoff(c)]
    if action == "stop":
        return [c for c in containers if c.is_running]
    if action == "restart":
        return [c for c in containers if not oneoff(c)]
    return list(containers)


class ComposeActions(Actions):
    """The flows behind the project screen's keys and the Containers pane's ``P``."""

    WORKER_GROUP = "compose-actions"

    def _every_container(self) -> list[ContainerInfo]:
        # The table's items hold every container, shown or not (docker ps -a); in a fleet, this engine's.
        return [c for c in self.app.dashboard.containers.items.values() if c.host == self.host]

    def _members(self, project: ComposeProject) -> list[ContainerInfo]:
        items = {c.id: c for c in self._every_container()}
        return [items[container_id] for container_id in project.container_ids if container_id in items]

    def open_project(self, container: ContainerInfo) -> None:
        """Show the project ``container`` belongs to."""
        labels = compose_labels(container)
        project = project_named(labels.project, self._every_container()) if labels else None
        if project is None:
            self.app.notify("This container is not part of a Compose project", severity="warning")
            return
        self.show_project(project)

    def show_project(self, project: ComposeProject) -> None:
        """Open the project screen, also for a project with no containers (yet)."""
        pending = self.app.dashboard.containers.pending
        # detect_compose is looked up at call time, so a test can say "no CLI here".
        screen = ComposeProjectScreen(project, self._members(project), self.app.target_for(self.host),
                                      compose.detect_compose, pending, self.app.dashboard.containers.live_status)
        screen.engine_host = self.host
        self.app.push_screen(screen)

    def show_logs(self, project: ComposeProject) -> None:
        """``docker compose logs -f``: the project's containers' logs, merged, over the whole screen."""
        from dockertui.screens.group_logs import GroupLogsScreen

        def members(every_container: Iterable[ContainerInfo]) -> ContainerGroup:
            every_container = list(every_container)
            now = project_named(project.name, every_container)
            ids = set(now.container_ids) if now else set()
            chosen = [c for c in every_container if c.id in ids]
            return ContainerGroup(tuple(sorted(chosen, key=lambda c: c.name)), f"project {project.name}")

        config = self.app.config
        group = members(self._every_container())
        screen = GroupLogsScreen(group, members, config.log_tail, config.log_max_lines)
        screen.engine_host = self.host
        self.app.push_screen(screen)

    def containers_changed(self) -> None:
        """Keep an open project screen, and its merged log, in step with the engine."""
        from dockertui.screens.group_logs import GroupLogsScreen

        screens = [screen for screen in self.app.screen_stack
                   if isinstance(screen, (ComposeProjectScreen, GroupLogsScreen))
                   and getattr(screen, "engine_host", "") == self.host]
        if screens:
            every_container = self._every_container()
            for screen in screens:
                screen.update_containers(every_container)

    def handlers(self) -> dict[str, Handler]:
        """``ComposeProjectScreen.ActionRequested``'s actions; each takes the project screen."""
        return {
            **{action: partial(self._control_shown, action) for action in CONTROL_ACTIONS},
            "remove": lambda screen: self.remove(screen.project, screen.containers),
            "up": lambda screen: screen.run_cli("up"),
            "down": lambda screen: self.down(screen, screen.containers),
            "logs": lambda screen: self.show_logs(screen.project),
        }

    def _control_shown(self, action: str, screen: ComposeProjectScreen) -> None:
        self.control(action, screen.project, screen.containers)

    def control(self, action: str, project: ComposeProject, members: list[ContainerInfo]) -> None:
        """Start, stop or restart the project's containers, after saying which."""
        targets = targets_for(action, members)
        name = clean(project.name)
        if not targets:
            self.app.notify(f"Nothing to {action} in {name}", timeout=3, markup=False)
            return
        title = f"{action.capitalize()} {len(targets)} container(s) of Compose project {name}?"
        self._confirm(title, [describe(c, self.role_style) for c in targets], action.capitalize(),
                      lambda: self._control(action, name, targets))

    def _control(self, action: str, name: str, targets: list[ContainerInfo]) -> None:
        self.app.dashboard.containers.mark_pending([c.key for c in targets], action)
        self.containers_changed()
        plan = [(action, container) for container in targets]
        self._in_thread(
            lambda backend: self.app.actions.containers.apply_plan(plan, backend, action, label=f"{name}: {action}")
        )

    def remove(self, project: ComposeProject, members: list[ContainerInfo]) -> None:
        """Remove every container of the project; the remove dialog lists them and asks about force."""
        if not members:
            self.app.notify(f"{clean(project.name)} has no containers", timeout=3, markup=False)
            return
        title = f"Remove all {len(members)} container(s) of Compose project {clean(project.name)}?"
        self.app.actions.containers.remove(members, title)

    def down(self, screen: ComposeProjectScreen, members: list[ContainerInfo]) -> None:
        """``compose down`` removes containers and networks: say which containers first."""
        items = [describe(c, self.role_style) for c in members] or [Text("(no containers now)", style="dim")]
        items.append(Text("…and the project's networks that Compose made.", style="italic"))
        title = f"Compose down {clean(screen.project.name)}: remove its {len(members)} container(s)?"
        self._confirm(title, items, "Down", lambda: screen.run_cli("down"))
