"""The Swarm backend against a real manager: services, tasks, logs, nodes, live updates.

Everything runs on the private one-node swarm of ``swarm_engine``, except
the checks that the default test engine is not in a swarm, and the follower
test that runs ``swarm init`` and ``leave`` on a private engine of its own.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import docker
import pytest

from dockertui.backend import DockerBackend, EngineError, EngineFollower, EngineTarget
from dockertui.backend.logs import LogLine
from dockertui.backend.swarm import (
    create_service,
    read_swarm,
    remove_service,
    rollback_service,
    scale_service,
    service_logs,
    set_node_availability,
    set_node_role,
    swarm_role,
    update_service_image,
)
from dockertui.backend.swarm_models import (
    ServiceInfo,
    ServicePort,
    ServiceSpec,
    SwarmSnapshot,
)
from tests.support.cleanup import label_filter
from tests.support.engine import FIXTURE_IMAGE
from tests.support.recording import RecordingListener

pytestmark = [pytest.mark.integration, pytest.mark.slow]

T = TypeVar("T")
DEADLINE = 60.0
# `sleep` as pid 1 ignores SIGTERM, so a drained or scaled-down task would
# linger for the whole stop grace period; this loop exits on it at once.
RUN_FOREVER = ("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done")


def wait_for(read: Callable[[], T | None], what: str, timeout: float = DEADLINE) -> T:
    """Poll ``read`` until it returns something truthy; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = read()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last read: {last!r}")


@pytest.fixture
def backend(swarm_engine) -> Iterator[DockerBackend]:
    backend = DockerBackend.connect(EngineTarget(url=swarm_engine.url, source="tests"))
    yield backend
    backend.close()


@pytest.fixture
def new_service(backend, swarm_engine, test_run_label, unique_name) -> Iterator[Callable[..., tuple[str, str]]]:
    """A factory: ``new_service(replicas=2, command=…)`` makes a labelled service, gives (id, name).

    Afterwards every service carrying the run label is removed, and the test
    waits for their tasks' containers to go, so the next test starts clean.
    """

    def make(replicas: int = 1, command: tuple[str, ...] = RUN_FOREVER, **fields: Any) -> tuple[str, str]:
        name = unique_name("svc")
        spec = ServiceSpec(name=name, image=FIXTURE_IMAGE, command=command, replicas=replicas, labels=dict(test_run_label), **fields)
        return create_service(backend, spec), name

    yield make
    filters = label_filter(test_run_label)
    for service in swarm_engine.client.services.list(filters=filters):
        service.remove()
    wait_for(lambda: not swarm_engine.client.containers.list(all=True, sparse=True, filters=filters), "the services' containers to go")


def service_named(backend: DockerBackend, name: str) -> ServiceInfo | None:
    swarm = read_swarm(backend)
    assert swarm is not None, "the swarm engine must read as a manager"
    return next((s for s in swarm.services if s.name == name), None)


def running(backend: DockerBackend, name: str, replicas: int) -> ServiceInfo | None:
    """The service once exactly ``replicas`` tasks run, as many as it wants."""
    service = service_named(backend, name)
    if service and service.replicas_running == replicas and service.replicas_desired == replicas:
        return service
    return None


# ---------------------------------------------------------------- roles


def test_the_default_engine_is_not_in_a_swarm(engine_target):
    backend = DockerBackend.connect(engine_target)
    try:
        assert swarm_role(backend) == ""
        assert read_swarm(backend) is None
    finally:
        backend.close()


def test_the_swarm_engine_is_its_own_manager(backend, swarm_engine):
    assert swarm_role(backend) == "manager"
    swarm = read_swarm(backend)
    assert swarm is not None and swarm.node_id == swarm_engine.node_id
    node = next(n for n in swarm.nodes if n.id == swarm_engine.node_id)
    assert node.is_self and node.role == "manager" and node.manager_status == "leader"
    assert node.availability == "active" and node.status == "ready"
    assert node.engine_version and node.hostname and node.version > 0


# ---------------------------------------------------------------- services


def test_create_scale_update_and_roll_back_a_service(backend, swarm_engine, new_service, test_run_label, unique_name):
    service_id, name = new_service(replicas=2, env=(("GREETING", "[/foo] hi"),))
    service = wait_for(lambda: running(backend, name, 2), "2/2 tasks running")
    assert service.id == service_id and service.mode == "replicated" and service.replicas == "2/2"
    assert service.image == FIXTURE_IMAGE
    assert service.command == RUN_FOREVER
    assert set(test_run_label.items()) <= set(service.labels)
    assert not service.can_rollback
    # The labels are on the tasks' containers too, which is what label-based cleanup finds.
    mine = label_filter(test_run_label)["label"] + [f"com.docker.swarm.service.id={service_id}"]
    containers = swarm_engine.client.containers.list(filters={"label": mine})
    assert len(containers) == 2
    assert "GREETING=[/foo] hi" in containers[0].attrs["Config"]["Env"]

    scale_service(backend, service_id, 3)
    wait_for(lambda: running(backend, name, 3), "3/3 tasks running")
    swarm = read_swarm(backend)
    live = [t for t in swarm.tasks_of(service_id) if t.desired_state == "running"]
    assert sorted(t.name for t in live) == [f"{name}.1", f"{name}.2", f"{name}.3"]
    assert all(t.state == "running" and t.node_id == swarm_engine.node_id and t.node_hostname for t in live)
    assert all(t.container_id and t.image == FIXTURE_IMAGE for t in live)

    other_tag = f"update-{uuid.uuid4().hex[:8]}"
    other_image = f"{FIXTURE_IMAGE.rsplit(':', 1)[0]}:{other_tag}"
    swarm_engine.client.images.get(FIXTURE_IMAGE).tag(FIXTURE_IMAGE.rsplit(":", 1)[0], tag=other_tag)
    try:
        update_service_image(backend, service_id, other_image)

        def updated() -> ServiceInfo | None:
            service = running(backend, name, 3)
            if service and service.image == other_image and service.update_state == "completed":
                return service
            return None

        service = wait_for(updated, "the update to the new tag to complete")
        assert service.can_rollback
        live = [t for t in read_swarm(backend).tasks_of(service_id) if t.state == "running"]
        assert {t.image for t in live} == {other_image}

        rollback_service(backend, service_id)

        def rolled_back() -> ServiceInfo | None:
            service = running(backend, name, 3)
            if service and service.image == FIXTURE_IMAGE and service.update_state == "rollback_completed":
                return service
            return None

        wait_for(rolled_back, "the rollback to complete")
        live = [t for t in read_swarm(backend).tasks_of(service_id) if t.state == "running"]
        assert {t.image for t in live} == {FIXTURE_IMAGE}
    finally:
        # Untags only: the fixture tag still holds the image.
        swarm_engine.client.images.remove(other_image, noprune=True)

    remove_service(backend, service_id)
    wait_for(lambda: service_named(backend, name) is None and "gone", "the service to go")


def test_published_ports_read_back(backend, new_service):
    ports = (ServicePort(target=80, published=18080), ServicePort(target=53, published=None, protocol="udp"))
    _service_id, name = new_service(ports=ports)
    service = service_named(backend, name)
    by_target = {p.target: p for p in service.ports}
    assert by_target[80] == ServicePort(target=80, published=18080, protocol="tcp", mode="ingress")
    # Without a published port the engine picks one from 30000 up.
    assert by_target[53].protocol == "udp" and by_target[53].published and by_target[53].published >= 30000


def test_rolling_back_a_service_never_updated_is_a_clean_error(backend, new_service):
    service_id, _name = new_service()
    with pytest.raises(EngineError) as raised:
        rollback_service(backend, service_id)
    message = str(raised.value)
    assert "does not have a previous spec" in message
    assert "rpc error" not in message
    assert raised.value.status == 400


def test_scaling_a_missing_service_is_a_clean_error(backend):
    with pytest.raises(EngineError) as raised:
        scale_service(backend, "dtui-test-no-such-service", 2)
    assert raised.value.status == 404
    with pytest.raises(ValueError):
        scale_service(backend, "dtui-test-no-such-service", -1)


# ---------------------------------------------------------------- logs


def read_lines(stream, until: Callable[[list[LogLine]], bool], timeout: float = DEADLINE) -> list[LogLine]:
    """Read a followed log stream in a thread until ``until(lines)``; then close it."""
    lines: list[LogLine] = []
    enough = threading.Event()

    def reader() -> None:
        for batch in stream:
            lines.extend(batch)
            if until(lines):
                enough.set()
        enough.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    enough.wait(timeout)
    started = time.monotonic()
    stream.close()
    thread.join(5)
    assert not thread.is_alive(), "closing a service's log stream must free its reader"
    assert time.monotonic() - started < 5
    assert until(lines), f"not enough log lines within {timeout}s: {lines[-5:]!r}"
    return lines


def test_service_logs_name_each_task(backend, new_service):
    command = ("sh", "-c", "trap 'exit 0' TERM; while true; do echo \"hi k=v,a=b [/foo] $(hostname)\"; sleep 0.2; done")
    service_id, name = new_service(replicas=2, command=command)
    wait_for(lambda: running(backend, name, 2), "2/2 tasks running")

    def from_tasks(*sources: str) -> Callable[[list[LogLine]], bool]:
        return lambda lines: set(sources) <= {line.source for line in lines}

    def logged_so_far() -> list[LogLine] | None:
        # Not followed: the stream ends with what there is, which soon includes both tasks.
        lines = [line for batch in service_logs(backend, service_id, tail=None, follow=False) for line in batch]
        return lines if from_tasks(f"{name}.1", f"{name}.2")(lines) else None

    lines = wait_for(logged_so_far, "lines from both tasks")
    assert {line.source for line in lines} == {f"{name}.1", f"{name}.2"}
    for line in lines:
        # The details prefix is gone, and only it: the text's own "k=v,a=b" stays.
        assert line.text.startswith("hi k=v,a=b [/foo] "), line.text
        assert "com.docker.swarm" not in line.text
        assert line.stream == "stdout" and line.timestamp.startswith("20")

    # Followed: a task that starts later is named too (its id was not known at open).
    stream = service_logs(backend, service_id, tail=1, follow=True)
    scale_service(backend, service_id, 3)
    lines = read_lines(stream, from_tasks(f"{name}.1", f"{name}.2", f"{name}.3"))
    assert {line.source for line in lines} == {f"{name}.1", f"{name}.2", f"{name}.3"}


def test_logs_of_a_missing_service_are_a_clean_error(backend):
    with pytest.raises(EngineError) as raised:
        service_logs(backend, "dtui-test-no-such-service")
    assert raised.value.status == 404


# ---------------------------------------------------------------- nodes


@pytest.fixture
def node_reset(backend, swarm_engine) -> Iterator[str]:
    """The swarm's one node; left active afterwards, whatever the test did."""
    yield swarm_engine.node_id
    node = swarm_engine.client.nodes.get(swarm_engine.node_id)
    if node.attrs["Spec"].get("Availability") != "active":
        set_node_availability(backend, swarm_engine.node_id, "active")


def test_drain_and_activate_the_node(backend, new_service, node_reset):
    service_id, name = new_service(replicas=1)
    wait_for(lambda: running(backend, name, 1), "1/1 task running")

    set_node_availability(backend, node_reset, "drain")

    def drained() -> SwarmSnapshot | None:
        swarm = read_swarm(backend)
        node = next(n for n in swarm.nodes if n.id == node_reset)
        tasks = swarm.tasks_of(service_id)
        if node.availability == "drain" and not any(t.state == "running" for t in tasks):
            return swarm
        return None

    swarm = wait_for(drained, "the drained node's task to shut down")
    service = next(s for s in swarm.services if s.id == service_id)
    assert service.replicas == "0/1"
    assert any(t.desired_state == "shutdown" and t.state == "shutdown" for t in swarm.tasks_of(service_id))

    set_node_availability(backend, node_reset, "active")
    wait_for(lambda: running(backend, name, 1), "the task to run again on the active node")
    node = next(n for n in read_swarm(backend).nodes if n.id == node_reset)
    assert node.availability == "active"

    with pytest.raises(ValueError):
        set_node_availability(backend, node_reset, "asleep")


def test_the_last_manager_cannot_be_demoted(backend, node_reset):
    with pytest.raises(EngineError) as raised:
        set_node_role(backend, node_reset, "worker")
    message = str(raised.value)
    assert "demote the last manager" in message and "rpc error" not in message
    # Promoting a manager changes nothing, and is no error.
    set_node_role(backend, node_reset, "manager")
    node = next(n for n in read_swarm(backend).nodes if n.id == node_reset)
    assert node.role == "manager"
    with pytest.raises(ValueError):
        set_node_role(backend, node_reset, "boss")


# ---------------------------------------------------------------- live updates


def follow(url: str) -> tuple[RecordingListener, EngineFollower, threading.Thread]:
    listener = RecordingListener()
    follower = EngineFollower(lambda: DockerBackend.connect(EngineTarget(url=url, source="tests")), listener)
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    return listener, follower, thread


def has_running(name: str, replicas: int) -> Callable[[tuple], bool]:
    def check(report: tuple) -> bool:
        if report[0] != "swarm" or report[1] is None:
            return False
        return any(s.name == name and s.replicas_running == replicas == s.replicas_desired for s in report[1].services)

    return check


def test_the_follower_reports_the_swarm_as_services_change(backend, swarm_engine, new_service):
    listener, follower, thread = follow(swarm_engine.url)
    try:
        first = listener.wait_for(lambda r: r[0] == "swarm")
        assert first[1] is not None and first[1].node_id == swarm_engine.node_id
        service_id, name = new_service(replicas=2)
        # Both tasks' running states arrive after their containers' events:
        # the last report must already count them.
        listener.wait_for(has_running(name, 2), timeout=DEADLINE)
        mark = len(listener.reports)
        remove_service(backend, service_id)
        listener.wait_for(
            lambda r: r[0] == "swarm" and r[1] is not None and all(s.id != service_id for s in r[1].services),
            after=mark,
        )
    finally:
        follower.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_the_follower_sees_swarm_init_and_leave(private_engine, test_run_label):
    """A swarm started and left from another client shows up, and goes again."""
    listener, follower, thread = follow(private_engine.url)
    client = docker.DockerClient(base_url=private_engine.url)
    try:
        assert listener.wait_for(lambda r: r[0] == "swarm")[1] is None
        mark = len(listener.reports)
        node_id = client.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
        report = listener.wait_for(lambda r: r[0] == "swarm" and r[1] is not None, after=mark)
        assert report[1].node_id == node_id

        # `swarm leave` sends no event of its own, only its tasks' containers do.
        service = client.services.create(
            FIXTURE_IMAGE, list(RUN_FOREVER), name=f"dtui-test-leave-{uuid.uuid4().hex[:8]}",
            labels=dict(test_run_label), container_labels=dict(test_run_label),
        )
        listener.wait_for(has_running(service.name, 1), after=mark)
        mark = len(listener.reports)
        client.swarm.leave(force=True)
        listener.wait_for(lambda r: r[0] == "swarm" and r[1] is None, after=mark)
    finally:
        follower.stop()
        thread.join(timeout=5)
        try:
            client.swarm.leave(force=True)
        except docker.errors.APIError:
            pass  # left already, as the test meant to
        client.close()
    assert not thread.is_alive()


def test_a_long_service_log_line_keeps_its_text_whole(backend, new_service):
    """Over 16 KiB, the engine sends a line in pieces; no piece keeps a details prefix inside the text."""
    command = ("sh", "-c", "head -c 40000 /dev/zero | tr '\\0' x; echo; echo after; trap 'exit 0' TERM; while true; do sleep 1; done")
    service_id, name = new_service(replicas=1, command=command)
    wait_for(lambda: running(backend, name, 1), "1/1 task running")

    def logged_so_far() -> list[LogLine] | None:
        lines = [line for batch in service_logs(backend, service_id, tail=None, follow=False) for line in batch]
        return lines if any(line.text == "after" for line in lines) else None

    lines = wait_for(logged_so_far, "the long line and the one after it")
    text = "".join(line.text for line in lines if line.text != "after")
    assert set(text) == {"x"} and len(text) == 40000, (len(text), text.replace("x", "")[:200])
    assert {line.source for line in lines} == {f"{name}.1"}
