"""The lists read before the SDK loads (backend/first_read.py), against the real engine: the same
snapshot the follower takes through the SDK, None (not an error) where the engine is not there,
and no read at all for engines only the SDK reaches."""

from __future__ import annotations

import pytest

from dockertui.backend import DockerBackend, EngineTarget
from dockertui.backend.connection import TLSFiles
from dockertui.backend.first_read import start_first_read

pytestmark = pytest.mark.integration


def test_it_reads_what_the_sdk_reads(engine_target, make_container):
    running = make_container()
    created = make_container(start=False)
    read = start_first_read(engine_target)
    assert read is not None
    first = read.result(timeout=10)
    backend = DockerBackend.connect(engine_target)
    try:
        through_sdk = backend.snapshot()
    finally:
        backend.close()
    assert first is not None
    assert first.engine == through_sdk.engine
    ours = {running.id, created.id}
    def shown(snapshot):  # "Up 1 second" may have become "Up 2 seconds" in between
        return {c.id: (c.name, c.image, c.state, c.created, c.labels, c.ports) for c in snapshot.containers if c.id in ours}

    assert shown(first) == shown(through_sdk)
    assert {c.id: c.state for c in first.containers if c.id in ours} == {running.id: "running", created.id: "created"}
    assert {i.id for i in first.images} == {i.id for i in through_sdk.images}
    assert {v.name for v in first.volumes} == {v.name for v in through_sdk.volumes}
    assert {n.id for n in first.networks} == {n.id for n in through_sdk.networks}


def test_no_engine_there_gives_none(tmp_path):
    read = start_first_read(EngineTarget(url=f"unix://{tmp_path}/none.sock", source="tests"))
    assert read is not None and read.result(timeout=10) is None


def test_engines_only_the_sdk_reaches_are_not_read():
    assert start_first_read(EngineTarget(url="ssh://user@host", source="tests")) is None
    tls = TLSFiles()
    assert start_first_read(EngineTarget(url="tcp://127.0.0.1:2376", source="tests", tls=tls)) is None
