"""What the Nodes keys do: drain, pause, activate, promote, demote.

Engine calls run in thread workers and report with ``ActionFinished``; the
pane itself changes only when the engine's swarm events arrive, so what is
shown is always what the manager says.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text

from dockertui.actions.base import Actions, Handler
from dockertui.backend.swarm import set_node_availability, set_node_role
from dockertui.backend.swarm_models import NodeInfo
from dockertui.formatting import safe_text

# Node action -> (what it sets, the value, words for the summary).
NODE_CHANGES = {
    "drain": ("availability", "drain", "drained"),
    "pause": ("availability", "pause", "paused"),
    "activate": ("availability", "active", "activated"),
    "promote": ("role", "manager", "promoted"),
    "demote": ("role", "worker", "demoted"),
}


class NodeActions(Actions):
    """The flows behind the Swarm screen's Nodes pane."""

    WORKER_GROUP = "swarm-actions"

    def handlers(self) -> dict[str, Handler]:
        """``NodeTable.ActionRequested``'s actions; each takes the nodes marked or selected."""
        return {action: partial(self.change, action) for action in NODE_CHANGES}

    def change(self, action: str, nodes: list[NodeInfo]) -> None:
        field, value, words = NODE_CHANGES[action]
        call = set_node_availability if field == "availability" else set_node_role
        steps = [(n.hostname, lambda b, i=n.id: call(b, i, value)) for n in nodes]
        if action in ("drain", "demote"):
            consequence = (
                self._drain_consequence(nodes) if action == "drain"
                else "They stop being managers; the swarm needs a majority of managers up."
            )
            items = [Text.assemble(safe_text(n.hostname, style="bold"), ("  " + n.role, "dim")) for n in nodes]
            self._confirm(f"{action.capitalize()} {len(nodes)} node(s)? {consequence}", items, action.capitalize(),
                          lambda: self._run(f"{words} {len(nodes)} node(s)", steps))
            return
        self._run(f"{words} {len(nodes)} node(s)", steps)

    def _drain_consequence(self, nodes: list[NodeInfo]) -> str:
        """What draining does on this swarm: tasks move only if another node can take them."""
        draining = {n.id for n in nodes}
        swarm = self.app.swarms.get(self.host)
        others = [n for n in (swarm.nodes if swarm else ()) if n.id not in draining
                  and n.availability == "active" and n.status == "ready"]
        if others:
            return f"Their tasks stop and move to the {len(others)} other active node(s)."
        return ("Their tasks stop, and no other node is active to take them: "
                "their services run nothing until a node is activated again.")
