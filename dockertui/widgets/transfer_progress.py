"""Pull and push progress: one row per layer with a bar, and an overall bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, ProgressBar, Static

from dockertui.backend.run import PullProgress
from dockertui.formatting import cell, safe_text, size
from dockertui.widgets.theme_roles import OK, STATE_STARTING, RoleStyle, ThemeRoles, no_roles

BAR_WIDTH = 20
DONE_STATUSES = ("Pull complete", "Already exists", "Pushed", "Layer already exists", "Mounted from")


def layer_bar(current: int, total: int, done: bool, roles: RoleStyle = no_roles) -> Text:
    """``████░░░░ 42%`` for one layer; full when the layer is finished."""
    fraction = 1.0 if done else (current / total if total else 0.0)
    filled = round(fraction * BAR_WIDTH)
    return Text.assemble(("█" * filled, roles(OK if done else STATE_STARTING)), ("░" * (BAR_WIDTH - filled), "dim"),
                         f" {fraction:4.0%}")


class TransferProgress(ThemeRoles, Vertical):
    """Shows a transfer's layers as they report; ``add`` one PullProgress at a time."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="transfer")
        self.layer_progress: dict[str, PullProgress] = {}
        self.done: set[str] = set()
        self.messages: list[str] = []

    def compose(self) -> ComposeResult:
        table = DataTable(id="transfer-layers", cursor_type="none", zebra_stripes=True)
        table.add_column("Layer", key="layer", width=12)
        table.add_column("Status", key="status", width=22)
        table.add_column("Progress", key="bar", width=BAR_WIDTH + 5)
        table.add_column("Bytes", key="bytes", width=20)
        yield table
        # Still while nothing is under way; it pulses only once a transfer runs with no size known yet.
        yield ProgressBar(total=1, show_eta=False, id="transfer-overall")
        yield Static(id="transfer-summary")

    def reset(self) -> None:
        self.layer_progress.clear()
        self.done.clear()
        self.messages.clear()
        self.query_one(DataTable).clear()
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#transfer-summary", Static).update("")

    def add(self, progress: PullProgress) -> None:
        """Take one progress message; lines without a layer are overall status."""
        if not _looks_like_layer(progress):
            self.messages.append(progress.status)
            self.query_one("#transfer-summary", Static).update(safe_text(progress.status, style="italic"))
            return
        layer = progress.layer
        previous = self.layer_progress.get(layer)
        if previous is not None and not progress.total:
            # "Verifying Checksum" and friends carry no bytes: keep the last known.
            progress = PullProgress(layer, progress.status, previous.current, previous.total)
        self.layer_progress[layer] = progress
        if progress.status.startswith(DONE_STATUSES):
            self.done.add(layer)
        self._show_layer(layer)
        self._show_overall()

    def _show_layer(self, layer: str) -> None:
        table = self.query_one(DataTable)
        progress = self.layer_progress[layer]
        done = layer in self.done
        byte_text = f"{size(progress.current)} / {size(progress.total)}" if progress.total else ""
        cells = [cell(layer[:12]), cell(progress.status), layer_bar(progress.current, progress.total, done, self.role_style),
                 cell(byte_text)]
        if layer in table.rows:
            for key, value in zip(("layer", "status", "bar", "bytes"), cells):
                table.update_cell(layer, key, value)
        else:
            table.add_row(*cells, key=layer)

    def _show_overall(self) -> None:
        total = sum(p.total for p in self.layer_progress.values())
        current = sum(p.total if key in self.done else p.current for key, p in self.layer_progress.items())
        bar = self.query_one(ProgressBar)
        if total:
            bar.update(total=total, progress=min(current, total))
        summary = f"{len(self.done)}/{len(self.layer_progress)} layers done"
        if total:
            summary += f" · {size(current)} of {size(total)}"
        self.query_one("#transfer-summary", Static).update(Text(summary, style="italic"))

    def finish(self) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)

    def stop(self) -> None:
        """The transfer failed or was cancelled: the bar stays where it got to, no longer pulsing."""
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=0)


def _looks_like_layer(progress: PullProgress) -> bool:
    """Layer ids are 12 hex digits; a tag or a digest line is overall status."""
    return len(progress.layer) == 12 and all(c in "0123456789abcdef" for c in progress.layer)
