"""A thread worker's uncaught error reaches the user, whoever started it.

Textual tells only the node that started a worker how it ended
(Worker.StateChanged does not bubble), so the app's own handler hears of
its own workers alone. With ``exit_on_error=False`` an error in a pane's or
a dialog's worker would end it in silence: a pane left at "loading…", a
dialog that never answers. Widgets and screens that start thread workers
take ``ReportsWorkerErrors``; tests/unit/test_worker_errors.py checks that
every one does (or handles its errors itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from dockertui.formatting import clean

if TYPE_CHECKING:
    from textual.app import App


def report_worker_error(app: App, worker: Worker) -> None:
    error = worker.error
    app.notify(clean(f"{type(error).__name__}: {error}"), title="Error", severity="error", markup=False)


class ReportsWorkerErrors:
    """Mixin for a widget or screen: its workers' uncaught errors are shown as a notification."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_worker_error(self.app, event.worker)  # type: ignore[attr-defined]
