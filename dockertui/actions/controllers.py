"""The app's action controllers, each made on first use."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dockertui.actions.compose import ComposeActions
    from dockertui.actions.containers import ContainerActions
    from dockertui.actions.custom import CustomCommands
    from dockertui.actions.images import ImageActions
    from dockertui.actions.networks import NetworkActions
    from dockertui.actions.nodes import NodeActions
    from dockertui.actions.services import ServiceActions
    from dockertui.actions.volumes import VolumeActions
    from dockertui.messages import ActionFinished


class Controllers:
    """``app.actions.containers`` and its kin; their modules load when first asked for."""

    def __init__(self, app: Any, host: str = "") -> None:
        self.app = app
        # In a fleet, the engine these controllers act on (app.actions_for); "" with one engine.
        self.host = host

    def made(self, name: str) -> bool:
        """Whether controller ``name`` exists yet (none made: no flow of it is under way)."""
        return name in self.__dict__

    def finished(self, message: ActionFinished) -> None:
        """An action's outcome, whichever controller ran it."""
        from dockertui.actions.base import report_finished

        if message.removed_ids:
            self.app.containers_removed(message.removed_ids)
        if message.failed_ids or message.done_ids:
            self.app.dashboard.containers.settle_pending(message.failed_ids, message.done_ids)
        report_finished(self.app, message)

    def open_command_line(self) -> None:
        """``:``: a pane's name, or a docker CLI command."""
        from dockertui.actions.command_prompt import open_command_line

        open_command_line(self.app)

    @cached_property
    def custom(self) -> CustomCommands:
        from dockertui.actions.custom import CustomCommands

        return CustomCommands(self.app)

    @cached_property
    def containers(self) -> ContainerActions:
        from dockertui.actions.containers import ContainerActions

        return ContainerActions(self.app, self.host)

    @cached_property
    def images(self) -> ImageActions:
        from dockertui.actions.images import ImageActions

        return ImageActions(self.app, self.host)

    @cached_property
    def volumes(self) -> VolumeActions:
        from dockertui.actions.volumes import VolumeActions

        return VolumeActions(self.app, self.host)

    @cached_property
    def networks(self) -> NetworkActions:
        from dockertui.actions.networks import NetworkActions

        return NetworkActions(self.app, self.host)

    @cached_property
    def services(self) -> ServiceActions:
        from dockertui.actions.services import ServiceActions

        return ServiceActions(self.app, self.host)

    @cached_property
    def nodes(self) -> NodeActions:
        from dockertui.actions.nodes import NodeActions

        return NodeActions(self.app, self.host)

    @cached_property
    def compose(self) -> ComposeActions:
        from dockertui.actions.compose import ComposeActions

        return ComposeActions(self.app, self.host)
