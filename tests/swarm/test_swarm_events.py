"""Which events make the follower re-read the swarm, how long it waits, how log lines are named.

No engine needed: events and log lines are built by hand, shaped as Docker 20.10 sends them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from dockertui.backend import swarm
from dockertui.backend.logs import LogLine
from dockertui.backend.models import EngineEvent
from dockertui.backend.swarm import _TaskNames, swarm_expectations
from dockertui.backend.swarm_models import SwarmSnapshot, TaskInfo

SERVICE = "mizbwnwjy350hdjn4yxd1cad2"
TASK_1 = "h4fo769s08je015koo9llswkd"
TASK_2 = "rx2t5risqk4s6onzn3kq35e9b"


def event(type_: str, action: str, **attributes: str) -> EngineEvent:
    return EngineEvent(type=type_, action=action, actor_id="x", attributes=tuple(sorted(attributes.items())), time_nano=0)


def task_event(action: str, task_id: str = TASK_1) -> EngineEvent:
    labels = {"com.docker.swarm.service.id": SERVICE, "com.docker.swarm.task.id": task_id}
    return event("container", action, **labels)


def test_plain_container_image_and_bridge_events_leave_the_swarm_alone():
    batch = [event("container", "start", name="web"), event("image", "pull"), event("network", "create", type="bridge")]
    assert swarm_expectations(batch) is None


def test_service_node_and_ingress_events_re_read_it():
    assert swarm_expectations([event("service", "update", name="web")]) == {}
    assert swarm_expectations([event("node", "update", **{"state.new": "ready"})]) == {}
    # What `docker swarm init` sends besides the node update.
    assert swarm_expectations([event("network", "create", name="ingress", type="overlay")]) == {}


def test_task_containers_say_which_states_their_tasks_have_left():
    expected = swarm_expectations([task_event("start"), task_event("die", TASK_2), task_event("create", "t3")])
    assert set(expected) == {TASK_1, TASK_2}
    # A task reads "starting" while its container starts, "running" once it has.
    assert {"assigned", "starting"} <= expected[TASK_1] and "running" not in expected[TASK_1]
    assert {"starting", "running"} <= expected[TASK_2]
    healthy = swarm_expectations([task_event("health_status: healthy")])
    assert "starting" in healthy[TASK_1] and "running" not in healthy[TASK_1]


def test_health_check_execs_do_not_re_read_it():
    assert swarm_expectations([task_event("exec_create: sh -c true"), task_event("exec_die")]) is None


class FakeBackend:
    """Answers ``call("tasks", …)`` with a fixed task list, counting the calls."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        self.tasks = tasks
        self.calls = 0

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        assert method == "tasks" and kwargs == {"filters": {"service": SERVICE}}
        self.calls += 1
        return self.tasks


def details(task_id: str) -> str:
    return f"com.docker.swarm.node.id=n1,com.docker.swarm.service.id={SERVICE},com.docker.swarm.task.id={task_id}"


def test_log_lines_lose_their_details_and_name_their_task():
    backend = FakeBackend([{"ID": TASK_1, "ServiceID": SERVICE, "Slot": 1, "NodeID": "n1"}])
    names = _TaskNames(backend, SERVICE, "web")
    stamp = "2026-11-29T04:47:18.136873647Z"
    lines = names.label([
        LogLine("stdout", stamp, f"{details(TASK_1)} hi k=v,a=b [/foo]"),
        # The rest of a line too long for one LogLine: no details of its own.
        LogLine("stdout", stamp, "more of it"),
    ])
    assert lines == [
        LogLine("stdout", stamp, "hi k=v,a=b [/foo]", "web.1"),
        LogLine("stdout", stamp, "more of it", "web.1"),
    ]
    assert backend.calls == 1


def test_a_task_that_starts_later_is_listed_once():
    backend = FakeBackend([{"ID": TASK_1, "ServiceID": SERVICE, "Slot": 1, "NodeID": "n1"}])
    names = _TaskNames(backend, SERVICE, "web")
    backend.tasks = [*backend.tasks, {"ID": TASK_2, "ServiceID": SERVICE, "NodeID": "n1"}]
    lines = names.label([LogLine("stderr", "", f"{details(TASK_2)} global")])
    # A global service's task is named after its node.
    assert lines == [LogLine("stderr", "", "global", "web.n1")]
    assert backend.calls == 2
    # One the manager no longer lists keeps its id, and is not looked up again and again.
    for _ in range(3):
        assert names.label([LogLine("stdout", "", f"{details('gone')} x")])[0].source == "gone"
    assert backend.calls == 3


def snapshot_with(state: str) -> SwarmSnapshot:
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    task = TaskInfo(
        id=TASK_1, service_id=SERVICE, service_name="web", slot=1, node_id="n1", node_hostname="vm",
        desired_state="running", state=state, message="", error="", container_id="c", image="i",
        created=when, updated=when,
    )
    return SwarmSnapshot(node_id="n1", tasks=(task,))


def test_a_re_read_waits_for_the_task_to_catch_up_with_its_container(monkeypatch):
    # Right after a container's "start" its task still reads "starting"
    # (the agent reports a moment later): reporting that would stick at 0/1.
    reads = iter([snapshot_with("starting"), snapshot_with("starting"), snapshot_with("running")])
    monkeypatch.setattr(swarm, "read_swarm", lambda backend: next(reads))
    waits: list[float] = []
    settled = swarm.read_swarm_settled(None, swarm_expectations([task_event("start")]), waits.append)
    assert settled.tasks[0].state == "running"
    assert len(waits) == 2


def test_a_re_read_gives_up_on_a_task_that_stays_behind(monkeypatch):
    # A task whose container has a health check stays "starting" until healthy.
    monkeypatch.setattr(swarm, "read_swarm", lambda backend: snapshot_with("starting"))
    waits: list[float] = []
    settled = swarm.read_swarm_settled(None, swarm_expectations([task_event("start")]), waits.append)
    assert settled.tasks[0].state == "starting"
    assert waits == list(swarm.SETTLE_DELAYS)


def test_a_re_read_after_a_die_waits_for_the_task_to_stop(monkeypatch):
    reads = iter([snapshot_with("running"), snapshot_with("shutdown")])
    monkeypatch.setattr(swarm, "read_swarm", lambda backend: next(reads))
    settled = swarm.read_swarm_settled(None, swarm_expectations([task_event("die")]), lambda seconds: None)
    assert settled.tasks[0].state == "shutdown"
