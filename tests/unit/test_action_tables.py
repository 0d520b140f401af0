"""Every key that asks a controller for an action finds a handler in its table."""

from __future__ import annotations

import re

import pytest

from dockertui.actions.compose import ComposeActions
from dockertui.actions.containers import ContainerActions
from dockertui.actions.images import ImageActions
from dockertui.actions.networks import NetworkActions
from dockertui.actions.nodes import NodeActions
from dockertui.actions.services import ServiceActions
from dockertui.actions.volumes import VolumeActions
from dockertui.screens.compose_project import ComposeProjectScreen
from dockertui.widgets.container_table import ContainerTable
from dockertui.widgets.image_table import ImageTable
from dockertui.widgets.network_table import NetworkTable
from dockertui.widgets.node_table import NodeTable
from dockertui.widgets.service_table import ServiceTable
from dockertui.widgets.volume_table import VolumeTable

# Where ActionRequested comes from -> the controller the app hands it to (app.py).
ROUTES = [
    (ContainerTable, ContainerActions),
    (ImageTable, ImageActions),
    (VolumeTable, VolumeActions),
    (NetworkTable, NetworkActions),
    (ServiceTable, ServiceActions),
    (NodeTable, NodeActions),
    (ComposeProjectScreen, ComposeActions),
]
REQUEST = re.compile(r"request(?:_global)?\('(\w+)'\)")


def requested_actions(source: type) -> set[str]:
    return {m.group(1) for binding in source.BINDINGS if (m := REQUEST.fullmatch(binding.action))}


@pytest.mark.parametrize(("source", "controller"), ROUTES, ids=[s.__name__ for s, _ in ROUTES])
def test_each_requested_action_has_a_handler(source, controller):
    actions = requested_actions(source)
    assert actions, f"{source.__name__} asks for no action: the pattern no longer matches its bindings"
    missing = actions - set(controller(None).handlers())
    assert not missing, f"{controller.__name__} has no handler for {sorted(missing)}"


def test_an_unknown_action_is_a_loud_error():
    with pytest.raises(LookupError, match="no action 'fly'"):
        VolumeActions(None).request("fly", [])
