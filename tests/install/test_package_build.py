"""The package builds as an sdist and a wheel (python -m build), and the wheel carries the styles."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STYLES = {"app", "compose", "hosts", "images", "swarm"}

pytestmark = pytest.mark.slow


def test_sdist_and_wheel_build_with_the_tcss_files(tmp_path):
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (wheel,) = tmp_path.glob("dockertui-*.whl")
    (sdist,) = tmp_path.glob("dockertui-*.tar.gz")
    in_wheel = {Path(name).stem for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".tcss")}
    assert in_wheel == STYLES
    in_sdist = {Path(name).stem for name in tarfile.open(sdist).getnames() if name.endswith(".tcss")}
    assert in_sdist == STYLES
