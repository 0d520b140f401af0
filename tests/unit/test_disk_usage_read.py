"""Reading disk usage waits out another read under way (Docker 20.10 refuses two at once)."""

from __future__ import annotations

import pytest

from dockertui.backend.disk_usage_read import ALREADY_RUNNING, read_disk_usage
from dockertui.backend.errors import EngineError


def test_a_read_waits_while_another_runs():
    answers = [EngineError(ALREADY_RUNNING, 500), EngineError(ALREADY_RUNNING, 500), {"Volumes": []}]
    waits = []

    def call(method):
        assert method == "df"
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert read_disk_usage(call, sleep=waits.append) == {"Volumes": []}
    assert len(waits) == 2


def test_any_other_refusal_is_raised_at_once():
    def call(method):
        raise EngineError("permission denied", 403)

    with pytest.raises(EngineError, match="permission denied"):
        read_disk_usage(call, sleep=lambda seconds: pytest.fail("no wait for another error"))
