"""Every local image as a tree: base images at the root, the images built on them below."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from dockertui.backend import EngineError
from dockertui.backend.image_facts import ImageNode, ImageTree, image_tree
from dockertui.formatting import ERROR, safe_text, themed
from dockertui.screens.on_engine import OnEngine
from dockertui.widgets.theme_roles import (
    OK,
    STATE_DONE,
    STATE_REMOVING,
    STATE_STARTING,
    RoleStyle,
    ThemeRoles,
    no_roles,
)
from dockertui.worker_errors import ReportsWorkerErrors

KIND_ROLES = {"official": OK, "user": STATE_STARTING, "registry": STATE_REMOVING, "untagged": STATE_DONE}


def node_label(node: ImageNode, roles: RoleStyle = no_roles) -> Text:
    return Text.assemble(
        safe_text(node.name, style="bold" if node.tags else "dim"),
        "  ",
        (node.id.removeprefix("sha256:")[:12], "dim"),
        "  ",
        (node.kind, roles(KIND_ROLES.get(node.kind, ""))),
        (f"  {len(node.layers)} layers", "dim"),
    )


class ImageTreeScreen(OnEngine, ThemeRoles, ReportsWorkerErrors, ModalScreen[None]):
    """Read-only: which local image is built on which, found by shared layers."""

    BINDINGS = [Binding("escape", "close", "Close", id="tree-close")]

    class Loaded(Message):
        def __init__(self, tree: ImageTree | None, error: str = "") -> None:
            super().__init__()
            self.tree = tree
            self.error = error

    def __init__(self) -> None:
        super().__init__(classes="image-dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="image-box tree-box"):
            yield Static(Text("Image tree (parent → children, by shared layers)", style="bold"), classes="image-title")
            tree: Tree[str] = Tree(Text("local images"), id="image-tree")
            tree.show_root = False
            yield tree
            yield Static(Text("Loading…", style="dim"), id="tree-status")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="image-tree", exit_on_error=False)
    def _load(self) -> None:
        backend = self.engine_backend
        if backend is None:
            self.post_message(self.Loaded(None, "not connected to an engine"))
            return
        try:
            self.post_message(self.Loaded(image_tree(backend)))
        except EngineError as error:
            self.post_message(self.Loaded(None, str(error)))

    def on_image_tree_screen_loaded(self, message: Loaded) -> None:
        status = self.query_one("#tree-status", Static)
        if message.tree is None:
            status.update(themed(message.error, ERROR))
            return
        data = message.tree
        widget = self.query_one(Tree)
        widget.clear()

        def add(parent: TreeNode, image_id: str) -> None:
            children = data.children.get(image_id, ())
            node = parent.add(node_label(data.nodes[image_id], self.role_style), data=image_id, expand=True, allow_expand=bool(children))
            for child in children:
                add(node, child)

        for root in data.roots:
            add(widget.root, root)
        status.update(Text(f"{len(data.nodes)} images, {len(data.roots)} base images", style="dim"))
        widget.focus()

    def action_close(self) -> None:
        self.dismiss(None)
