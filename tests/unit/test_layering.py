"""The backend is the only package that imports docker, and it never imports textual."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "dockertui"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_backend_never_imports_textual():
    offenders = [p.name for p in (PACKAGE / "backend").rglob("*.py") if {"textual", "rich"} & imported_roots(p)]
    assert offenders == []


def test_only_the_backend_imports_docker():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "backend" not in p.relative_to(PACKAGE).parts and "docker" in imported_roots(p)
    ]
    assert offenders == []


def test_modules_stay_small():
    too_long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 500}
    assert too_long == {}
