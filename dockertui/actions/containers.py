"""What the container keys do: confirm where needed, then act in a thread.

Each flow asks first when something will be destroyed, runs the engine calls
in a thread worker, and reports back through a message (``ActionFinished`` …,
told by ``base.report_finished``). Every object's failure is reported; the
others still go.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from dockertui.actions import artefacts
from dockertui.actions.base import Actions, Handler, names
from dockertui.backend import ContainerInfo, EngineError
from dockertui.backend.models import RunSpec, host_key
from dockertui.backend.run import spec_from_inspect
from dockertui.fleet import group_by_host
from dockertui.formatting import clean
from dockertui.messages import ActionFinished, InspectLoaded, RunSpecLoaded
from dockertui.parsing import check_name, parse_command
from dockertui.screens.inspect import InspectScreen
from dockertui.screens.prompt import PromptScreen
from dockertui.screens.remove_containers import (
    RemoveChoice,
    RemoveContainersScreen,
    describe,
    describe_width,
)
from dockertui.screens.run_dialog import RunDialog, RunResult
from dockertui.terminal_session import open_and_run_session
from dockertui.typeahead import Hold
from dockertui.widgets.details_pane import DetailsPane
from dockertui.widgets.line_list import Lines

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# As many at once as the docker CLI's rm, stop, kill and pause (its parallelOperation),
# so that the app's bulk remove is timed against `docker rm` on equal terms.
PARALLEL_ACTIONS = 50
CONTROL_VERBS = ("start", "stop", "restart", "pause", "kill")
SESSION_KINDS = ("shell", "exec", "attach")


class ContainerActions(Actions):
    """The flows behind the Containers pane's keys."""

    WORKER_GROUP = "container-actions"
    # The blank run dialog's fields as Esc left them (see open_run_dialog).
    _run_draft: dict[str, str | bool] | None = None

    @property
    def table(self):
        return self.app.dashboard.containers

    def handlers(self) -> dict[str, Handler]:
        """``ContainerTable.ActionRequested``'s actions; each takes the containers it names."""
        return {
            **{verb: partial(self.control, verb) for verb in CONTROL_VERBS},
            "remove": self.remove,
            "remove_exited": lambda _: self.remove_exited(),
            "remove_exited_everywhere": lambda _: self.remove_exited(engine_wide=True),
            "rename": lambda containers: self.rename(containers[0]),
            "run": lambda _: self.open_run_dialog(),
            "run_again": lambda containers: self._load_run_spec(containers[0]),
            "inspect": lambda containers: self._load_inspect(containers[0]),
            "copy_run_line": lambda _: self.copy_run_line(),
            **{kind: partial(self._open_session_on_first, kind) for kind in SESSION_KINDS},
            "commit": lambda containers: artefacts.open_commit(self.app, containers[0]),
            "export": lambda containers: artefacts.open_export(self.app, containers[0]),
        }

    def _open_session_on_first(self, kind: str, containers: list[ContainerInfo]) -> None:
        self.open_session(kind, containers[0].id)

    def copy_run_line(self) -> None:
        """Copy the current container's `docker run` line (OSC 52: also over ssh)."""
        container = self.table.current
        if container is None:
            return
        line = self.app.dashboard.query_one(DetailsPane).run_line_of(container.id)
        if line is None:
            self.app.notify("The run line comes with the container's details: press y again once they show", severity="warning")
            return
        self.app.copy_to_clipboard(line)
        self.app.notify(line, title="Copied the docker run line", markup=False, timeout=6)

    # ------------------------------------------------------------ control

    def control(self, action: str, containers: list[ContainerInfo]) -> None:
        """Act at once on one container; on several (marked), or a kill, ask first."""
        if action == "kill" or len(containers) > 1:
            containers = sorted(containers, key=lambda c: c.host)  # a fleet's, grouped by host
            # Made as the dialog draws them: a thousand marked would be a thousand styled Texts first.
            items = Lines(len(containers), lambda index: describe(containers[index], self.role_style),
                          max(describe_width(c) for c in containers))
            engines = len({c.host for c in containers})
            on = f" on {engines} engines" if engines > 1 else ""
            title = f"{action.capitalize()} {len(containers)} container(s){on}?"
            if action == "kill":
                title += " (SIGKILL)"
            self._confirm(title, items, action.capitalize(), lambda: self._control(action, containers))
            return
        self._control(action, containers)

    def _control(self, action: str, containers: list[ContainerInfo]) -> None:
        # In a fleet, each engine's containers go to it (one confirmation asked for all).
        for host, group in group_by_host(containers).items():
            self.app.actions_for(host).containers._control_here(action, group)

    def _control_here(self, action: str, containers: list[ContainerInfo]) -> None:
        plan = []
        for container in containers:
            verb = action
            if action == "pause":
                verb = "unpause" if container.state == "paused" else "pause"
            plan.append((verb, container))
        for verb, container in plan:
            self.table.mark_pending([container.key], verb)
        self._in_thread(
            lambda backend: self.apply_plan(plan, backend, action), f"{action} {names(c.name for c in containers)}",
            on_give_up=lambda: self.table.clear_pending([c.key for c in containers]),
        )

    def apply_plan(
        self,
        plan: list[tuple[str, ContainerInfo]],
        backend: DockerBackend,
        action: str,
        choice: RemoveChoice | None = None,
        label: str | None = None,
    ) -> None:
        """In a thread: each (verb, container) of ``plan``, a few at a time; reports one ActionFinished.

        ``label`` starts the summary ("web: stop 2 of 2 done"); by default the action ("stop: 2 of 2 done").
        Also the Compose project keys' path.
        """
        force, volumes = (choice.force, choice.volumes) if choice else (False, False)

        def act(step: tuple[str, ContainerInfo]) -> str | None:
            verb, container = step
            try:
                if verb == "remove":
                    backend.remove_container(container.id, force=force, volumes=volumes)
                else:
                    backend.control(verb, container.id)
            except EngineError as error:
                return str(error)
            return None

        # A few at a time: the engine works on several containers at once.
        with ThreadPoolExecutor(PARALLEL_ACTIONS, thread_name_prefix="dockertui-action") as pool:
            outcomes = list(pool.map(act, plan))
        failures = [(c.name, error) for (_, c), error in zip(plan, outcomes) if error is not None]
        failed_ids = [c.key for (_, c), error in zip(plan, outcomes) if error is not None]
        done_ids = [c.key for (_, c), error in zip(plan, outcomes) if error is None]
        removed_ids = [c.key for (verb, c), error in zip(plan, outcomes) if verb == "remove" and error is None]
        summary = f"{label or action + ':'} {len(done_ids)} of {len(plan)} done"
        self.app.post_message(ActionFinished(summary, failures, failed_ids, done_ids, removed_ids=removed_ids))

    def containers_changed(self, changes: dict[str, ContainerInfo | None]) -> None:
        """An open remove dialog lists the containers as they are now."""
        for screen in self._remove_dialogs():
            screen.update_containers(changes)

    def containers_resynced(self, every_container: dict[str, ContainerInfo], host: str = "") -> None:
        """After a (re)connect of engine ``host``: what it has now, and which listed ones are gone."""
        for screen in self._remove_dialogs():
            screen.update_containers(
                {c.key: every_container.get(c.key) for c in screen.containers if c.host == host}
            )

    def _remove_dialogs(self) -> list[RemoveContainersScreen]:
        return [screen for screen in self.app.screen_stack if isinstance(screen, RemoveContainersScreen)]

    # ------------------------------------------------------------- remove

    def remove(
        self, containers: list[ContainerInfo], title: str | None = None, force: bool = False, volumes: bool = False
    ) -> None:
        """Ask, listing exactly ``containers``, with Force and Volumes ticked as given; then remove."""
        def answered(choice: RemoveChoice | None) -> None:
            if choice is None or not choice.containers:
                return
            # In a fleet, each engine removes its own (listed by host in the one dialog).
            for host, chosen in group_by_host(choice.containers).items():
                self.app.actions_for(host).containers._remove_here(chosen, choice)

        self.app.push_screen(RemoveContainersScreen(containers, title, force, volumes), answered)

    def _remove_here(self, containers: list[ContainerInfo], choice: RemoveChoice) -> None:
        plan = [("remove", c) for c in containers]
        self.table.mark_pending([c.key for c in containers], "remove")
        self._in_thread(
            lambda backend: self.apply_plan(plan, backend, "remove", choice),
            f"remove {names(c.name for _, c in plan)}",
            on_give_up=lambda: self.table.clear_pending([c.key for _, c in plan]),
        )

    def remove_exited(self, engine_wide: bool = False) -> None:
        """``docker rm $(docker ps -a -q -f status=exited)``, with a preview.

        Marks or a filter narrow it to the exited containers marked, or
        matching the filter: it acts on what the user sees. ``engine_wide``
        takes every exited container on the engine, and says so.
        """
        table = self.table
        # In a fleet, every engine's shown (the remove dialog lists them by host, and each engine removes its own).
        exited = [c for c in table.items.values() if c.state == "exited"]
        engines = len({c.host for c in exited})
        scope = f"on {engines} engines" if engines > 1 else "on the engine"
        if not engine_wide and table.marked:
            exited = [c for c in exited if c.key in table.marked]
            scope = "marked"
        elif not engine_wide and table.filter_text:
            exited = [c for c in exited if table.passes_filter(table.cells_of(c), c)]
            scope = f"matching `{table.filter_text}`"
        if not exited:
            self.app.notify(f"No exited containers {scope}", timeout=3, markup=False)
            return
        exited.sort(key=lambda c: c.created, reverse=True)
        count = f"{len(exited)} exited container{'s' if len(exited) != 1 else ''}"
        if scope == "marked":
            title = f"Remove the {count} marked?"
        elif scope.startswith("on "):
            title = f"Remove all {count} {scope}?"
        else:
            title = f"Remove {count} {scope}?"
        self.remove(exited, title)

    # ------------------------------------------------------------- rename

    def rename(self, container: ContainerInfo, typed: str | None = None, error: str = "") -> None:
        """Ask for the new name; a name the engine refuses is asked for again, with its reason."""
        def answered(name: str | None) -> None:
            if name and name.strip() != container.name:
                new = name.strip()
                self._in_thread(lambda backend: self._rename(backend, container, new))

        prompt = PromptScreen(
            f"Rename {container.name} to:", container.name if typed is None else typed, validate=check_name, error=error
        )
        self.app.push_screen(prompt, answered)

    def _rename(self, backend: DockerBackend, container: ContainerInfo, name: str) -> None:
        try:
            backend.rename(container.id, name)
        except EngineError as error:
            # Nothing typed is lost: the prompt comes back with the name and the engine's reason.
            self.app.call_from_thread(self.rename, container, name, str(error))
            return
        self.app.post_message(ActionFinished(f"renamed {container.name} to {name}", [], []))

    # ---------------------------------------------------------------- run

    def open_run_dialog(self, image: str = "", spec: RunSpec | None = None) -> None:
        """The run dialog: for ``image``, or as ``spec`` (run again), else as the last one was left with Esc."""
        images = [tag.reference for tag in self.app.dashboard.images.items.values() if tag.repository != "<none>"]
        blank = not image and spec is None
        fleet = self.app.fleet
        # Each engine by name, an unreachable one said to be (its run would fail).
        engines = tuple(
            (m.name if m.state == "connected" else f"{m.name} ({m.state})", m.name) for m in fleet.members
        ) if fleet is not None else ()
        dialog = RunDialog(images, spec or RunSpec(image=image), labels=self.app.run_labels,
                           draft=self._run_draft if blank else None, engines=engines, engine=self.host)

        def after(result: RunResult | None) -> None:
            if blank:  # a draft is the blank dialog's: a run again or an image's run leaves it be
                self._run_draft = dialog.draft if result is None and _typed(dialog.draft) else None
                if self._run_draft is not None:
                    self.app.notify("The form is kept: n brings it back", timeout=3)
            self._after_run(result)

        self.app.push_screen(dialog, after)

    def _after_run(self, result: RunResult | None) -> None:
        if result is None:
            return
        spec = result.spec
        self.app.notify(f"Started {spec.name or result.container_id[:12]} from {spec.image}", markup=False)
        dashboard = self.app.dashboard
        if not spec.detach or spec.interactive:
            dashboard.select_container(host_key(result.host, result.container_id), then_logs=not spec.interactive)
        if spec.interactive:
            self.app.actions_for(result.host).containers.open_session("attach", result.container_id)

    def _load_run_spec(self, container: ContainerInfo) -> None:
        def load(backend: DockerBackend, hold: Hold) -> None:
            try:
                document = backend.inspect_container(container.id)
                try:
                    image = backend.inspect_image(document["Config"]["Image"])
                except EngineError:
                    # The image may be gone; the spec is still usable without it.
                    image = None
                self.app.post_message(RunSpecLoaded(spec_from_inspect(document, image), hold, self.host))
            except EngineError as error:
                self.app.post_message(ActionFinished("run again", [(container.name, str(error))], [], hold=hold))

        self._load_for_screen("the run dialog", load)

    # ----------------------------------------------------------- sessions

    def open_session(self, kind: str, container_id: str) -> None:
        """Suspend the app and hand the terminal to a shell, a command, or the main process."""
        if kind == "exec":
            def answered(command: str | None) -> None:
                if command:
                    self.run_session("exec", container_id, list(parse_command(command)))

            self.app.push_screen(
                PromptScreen(f"Command to run (docker {f'-H {self.host} ' if self.host else ''}exec -it):", "sh",
                             validate=parse_command), answered
            )
            return
        self.run_session(kind, container_id, ["sh"])

    def run_session(self, kind: str, container_id: str, command: list[str]) -> None:
        backend = self.backend
        if backend is None:
            self.app.notify("Not connected to an engine", severity="error")
            return
        container = self.table.items.get(container_id)
        if container is not None and container.state != "running":
            # Said before the terminal is handed over: a stopped container has no session to give.
            self.app.notify(f"{container.name} is {container.state}: start it first (u)", title="Not running",
                            severity="warning", markup=False)
            return
        failure: Exception | None = None
        try:
            # Blocking on purpose: while suspended the app draws nothing and
            # the session owns the terminal until it ends.
            with self.app.suspend():
                try:
                    outcome = open_and_run_session(backend, kind, container_id, command)
                except Exception as error:  # the app takes its terminal back first: Textual's suspend does not
                    failure = error
            if failure is not None:
                raise failure
        except SuspendNotSupported:
            if self.app.is_web:
                # The browser page draws the app; there is no terminal of its own to hand over.
                self.app.notify("A shell needs a terminal: in the browser there is none to hand over. Run "
                                "dockertui in a terminal, or docker exec -it there.", title="Not in the browser",
                                severity="warning", timeout=8)
            else:
                self.app.notify("This terminal cannot be handed over (no suspend support here)", severity="error")
            return
        except EngineError as error:
            self.app.notify(clean(str(error)), title="Session failed", severity="error", markup=False)
            return
        self.app.notify(f"Session {outcome}", timeout=3)

    # ------------------------------------------------------------ inspect

    def _load_inspect(self, container: ContainerInfo) -> None:
        on = f"-H {container.host} " if container.host else ""  # a fleet's: which engine
        self._load_inspect_document(f"docker {on}inspect {container.name}", container.name,
                                    lambda backend: backend.inspect_container(container.id))

    def show_inspect(self, message: InspectLoaded) -> None:
        self.app.push_screen(InspectScreen(message.title, message.document))

    # -------------------------------------------------------------- common


def _typed(draft: dict[str, str | bool] | None) -> bool:
    """Whether a run dialog's fields hold anything typed (ticks alone are not worth keeping)."""
    return bool(draft) and any(isinstance(value, str) and value.strip() for value in draft.values())
