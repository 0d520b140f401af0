"""The package installs and starts under the lowest Python it supports (3.10).

Debian's python3 is 3.11; pyenv's 3.10 (or a python3.10 on PATH) builds the
package, installs it with its dependencies into a fresh venv, reads a config
file (tomli stands in for tomllib there) and prints the version.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
import sys
from pathlib import Path
from dockertui.config import load_config
import dockertui.app
config, problem = load_config(Path(sys.argv[1]))
assert problem is None, problem
assert config.log_tail == 123, config
print(sys.version_info[:2])
"""

pytestmark = pytest.mark.slow


def lowest_python() -> str | None:
    """A Python 3.10 that runs (a pyenv shim without that version selected does not)."""
    candidates = [
        os.environ.get("DOCKERTUI_PYTHON_310"),
        *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10.*/bin/python")), reverse=True),
        shutil.which("python3.10"),
    ]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "import venv"], capture_output=True).returncode == 0:
            return candidate
    return None


def test_installs_and_starts_under_python_3_10(tmp_path):
    python = lowest_python()
    if python is None:
        pytest.skip("no Python 3.10 here (set DOCKERTUI_PYTHON_310, or install one with pyenv)")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    install = subprocess.run([bin_dir / "pip", "install", "-q", str(ROOT)], capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    config = tmp_path / "config.toml"
    config.write_text("log_tail = 123\n")
    checked = subprocess.run([bin_dir / "python", "-c", CHECK, str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "(3, 10)"
    version = subprocess.run([bin_dir / "dockertui", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("dockertui "), version.stderr
