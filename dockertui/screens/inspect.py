"""The full inspect document as a collapsible, searchable, copyable JSON tree."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from dockertui.formatting import ERROR, WARNING, clean, safe_text, themed
from dockertui.parsing import parse_pattern
from dockertui.widgets.theme_roles import (
    JSON_KEY,
    JSON_LITERAL,
    JSON_NUMBER,
    JSON_STRING,
    RoleStyle,
    ThemeRoles,
    no_roles,
)

# Long string values are shortened in the tree; copying gives the whole value.
MAX_VALUE_CHARS = 200


def value_text(value: Any, roles: RoleStyle = no_roles) -> Text:
    """A JSON scalar, coloured by type; engine strings are never markup."""
    if isinstance(value, str):
        shown = clean(value)
        if len(shown) > MAX_VALUE_CHARS:
            shown = shown[:MAX_VALUE_CHARS] + "…"
        return Text(json.dumps(shown, ensure_ascii=False), style=roles(JSON_STRING), end="")
    if isinstance(value, bool) or value is None:
        return Text(json.dumps(value), style=roles(JSON_LITERAL), end="")
    return Text(json.dumps(value), style=roles(JSON_NUMBER), end="")


def node_label(key: str | None, value: Any, roles: RoleStyle = no_roles) -> Text:
    label = Text(end="")
    if key is not None:
        label.append_text(safe_text(key, style=roles(JSON_KEY)))
        label.append(": ")
    if isinstance(value, dict):
        label.append(f"{{…}} {len(value)} keys" if value else "{}", style="dim")
    elif isinstance(value, list):
        label.append(f"[…] {len(value)} items" if value else "[]", style="dim")
    else:
        label.append_text(value_text(value, roles))
    return label


def add_json(node: TreeNode, key: str | None, value: Any, roles: RoleStyle = no_roles) -> None:
    """Add ``value`` under ``node``: containers become branches, scalars leaves."""
    if isinstance(value, dict) and value:
        branch = node.add(node_label(key, value, roles), data=value)
        for child_key, child in value.items():
            add_json(branch, str(child_key), child, roles)
    elif isinstance(value, list) and value:
        branch = node.add(node_label(key, value, roles), data=value)
        for index, child in enumerate(value):
            add_json(branch, str(index), child, roles)
    else:
        node.add_leaf(node_label(key, value, roles), data=value)


class InspectScreen(ThemeRoles, ModalScreen[None]):
    """``docker inspect``: top-level sections start collapsed but for a few."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="inspect-close"),
        Binding("slash", "search", "Search", id="inspect-search"),
        Binding("n", "find(1)", "Next", id="inspect-next"),
        Binding("N", "find(-1)", "Prev", id="inspect-prev"),
        Binding("c", "copy_value", "Copy value", id="inspect-copy-value"),
        Binding("C", "copy_document", "Copy all", id="inspect-copy-all"),
        Binding("e", "expand_all", "Expand all", id="inspect-expand"),
        Binding("E", "collapse_all", "Collapse all", id="inspect-collapse"),
    ]

    OPEN_SECTIONS = ("State", "Config", "NetworkSettings", "RepoTags")

    def __init__(self, title: str, document: dict[str, Any]) -> None:
        super().__init__(classes="inspect")
        self._title = title
        self.document = document
        self._matches: list[TreeNode] = []
        self._match_index = -1

    def compose(self) -> ComposeResult:
        yield Static(safe_text(self._title, style="bold"), id="inspect-title")
        tree: Tree[Any] = Tree(Text("inspect", style="bold"), id="inspect-tree")
        tree.show_root = False
        yield tree
        yield Input(placeholder="search keys and values: text, or /regex/", id="inspect-prompt", classes="hidden")
        yield Static(id="inspect-status")

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        for key, value in self.document.items():
            add_json(tree.root, key, value, self.role_style)
        tree.root.expand()
        for child in tree.root.children:
            if str(child.label).split(":")[0] in self.OPEN_SECTIONS:
                child.expand()
        tree.focus()

    @property
    def tree(self) -> Tree:
        return self.query_one(Tree)

    def _status(self, text: str, style: str = "dim") -> None:
        self.query_one("#inspect-status", Static).update(themed(text, style))

    def action_close(self) -> None:
        prompt = self.query_one("#inspect-prompt", Input)
        if not prompt.has_class("hidden"):
            prompt.add_class("hidden")
            self.tree.focus()
            return
        self.dismiss(None)

    def action_search(self) -> None:
        prompt = self.query_one("#inspect-prompt", Input)
        prompt.remove_class("hidden")
        prompt.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            pattern = parse_pattern(event.value)
        except ValueError as error:
            self._status(str(error), ERROR)
            return
        self._matches = [node for node in _walk(self.tree.root) if pattern.search(node.label.plain)]
        self._match_index = -1
        event.input.add_class("hidden")
        self.tree.focus()
        if not self._matches:
            self._status("no matches", WARNING)
            return
        self.action_find(1)

    def action_find(self, step: int) -> None:
        if not self._matches:
            self._status("search first with /", WARNING)
            return
        self._match_index = (self._match_index + step) % len(self._matches)
        node = self._matches[self._match_index]
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self._select, node)
        self._status(f"match {self._match_index + 1} of {len(self._matches)}")

    def _select(self, node: TreeNode) -> None:
        # Expanding invalidates line numbers; reading last_line lays the lines out again.
        if self.tree.last_line >= 0:
            self.tree.move_cursor(node)
        self.tree.scroll_to_node(node, animate=False)

    def action_copy_value(self) -> None:
        node = self.tree.cursor_node
        if node is None:
            return
        value = node.data
        text = value if isinstance(value, str) else json.dumps(value, indent=2)
        self.app.copy_to_clipboard(text)
        self._status(f"copied {len(text):,} characters (OSC 52)")

    def action_copy_document(self) -> None:
        text = json.dumps(self.document, indent=2)
        self.app.copy_to_clipboard(text)
        self._status(f"copied the whole document, {len(text):,} characters (OSC 52)")

    def action_expand_all(self) -> None:
        self.tree.root.expand_all()

    def action_collapse_all(self) -> None:
        for child in self.tree.root.children:
            child.collapse_all()


def _walk(node: TreeNode):
    for child in node.children:
        yield child
        yield from _walk(child)
