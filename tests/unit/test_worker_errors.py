"""Every thread worker's uncaught error reaches the user (issue 14: no worker fails in silence)."""

from __future__ import annotations

import ast
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Static

from dockertui.worker_errors import ReportsWorkerErrors
from tests.support.pilot import wait_until

PACKAGE = Path(__file__).resolve().parents[2] / "dockertui"


def test_every_class_that_starts_workers_reports_their_errors():
    """Worker.StateChanged does not bubble: a class with @work methods must take the mixin
    (itself or through a base in the package that does), handle the message itself, or be a
    mixin of classes that do."""
    classes: dict[str, ast.ClassDef] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                classes[node.name] = node

    def bases_of(node: ast.ClassDef) -> list[str]:
        return [ast.unparse(base).split("[")[0] for base in node.bases]

    def reports(node: ast.ClassDef) -> bool:
        if any(isinstance(f, ast.FunctionDef) and f.name == "on_worker_state_changed" for f in node.body):
            return True
        bases = bases_of(node)
        return "ReportsWorkerErrors" in bases or any(base in classes and reports(classes[base]) for base in bases)

    def reported_where_mixed_in(node: ast.ClassDef) -> bool:
        """A mixin's workers run on the class it is mixed into (the app's FleetSwarm): that one reports."""
        users = [other for other in classes.values() if node.name in bases_of(other)]
        return bool(users) and all(reports(user) for user in users)

    def starts_workers(node: ast.ClassDef) -> bool:
        return any(
            isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "work" for d in f.decorator_list)
            for f in node.body
        )

    silent = sorted(name for name, node in classes.items()
                    if starts_workers(node) and not reports(node) and not reported_where_mixed_in(node))
    assert not silent, f"workers whose errors no one would report: {silent}"


class Failing(ReportsWorkerErrors, Static):
    @work(thread=True, exit_on_error=False)
    def read(self) -> None:
        raise RuntimeError("the engine sent something unexpected")


class FailingApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Failing()


async def test_a_pane_worker_error_is_shown_and_the_app_goes_on():
    app = FailingApp()
    async with app.run_test() as pilot:
        app.query_one(Failing).read()
        await wait_until(pilot, lambda: any("RuntimeError: the engine sent something unexpected" in n.message
                                            for n in app._notifications), what="the error notification")
        assert app.is_running
