"""Which engine requests may rightly take long before the header says the engine is not answering."""

from __future__ import annotations

import pytest

from dockertui.backend.client import STOP_TIMEOUT, _allowance

BASE = "http+docker://localhost/v1.41"


@pytest.mark.parametrize(
    ("path", "allowance"),
    [
        ("/containers/json?all=1", 0.0),
        ("/containers/abc/json", 0.0),
        ("/containers/abc/pause", 0.0),
        ("/containers/abc/stop?t=10", 10.0),
        ("/containers/abc/restart?t=3", 3.0),
        ("/containers/abc/stop", float(STOP_TIMEOUT)),  # the engine's own default grace period
        ("/containers/abc/stop?t=-1", float(STOP_TIMEOUT)),
        ("/containers/prune?filters=x", None),
        ("/system/df", None),
        ("/build?t=x", None),
        ("/exec/abc/start", None),
        ("/exec/abc/json", 0.0),
        ("/containers/abc/wait", None),
    ],
)
def test_allowance(path: str, allowance: float | None) -> None:
    assert _allowance(BASE + path) == allowance
