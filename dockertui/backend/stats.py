"""Container resource usage, computed the way ``docker stats`` computes it.

We poll one-shot samples (``stats(stream=False, one_shot=True)``) rather
than hold a stream per container: a streaming stats call cannot be closed.
A one-shot sample has no previous CPU reading, so CPU % is the change
between two of our own successive samples.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from dockertui.backend.cgroups import CgroupReader
from dockertui.backend.errors import EngineError
from dockertui.backend.models import StatsSample

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# Engine stats calls are slow (about a second each on engine 20.10), so
# those that cannot be read from local cgroup files go side by side.
PARALLEL_REQUESTS = 8


def _memory_used(memory: dict[str, Any]) -> int:
    usage = int(memory.get("usage") or 0)
    stats = memory.get("stats") or {}
    # As the docker CLI: page cache is not "used" (cgroup v1 / v2 names).
    for key in ("total_inactive_file", "inactive_file"):
        if key in stats and stats[key] < usage:
            return usage - int(stats[key])
    return usage


def _block_io(blkio: dict[str, Any]) -> tuple[int, int]:
    read = write = 0
    for entry in blkio.get("io_service_bytes_recursive") or ():
        op = str(entry.get("op", "")).lower()
        if op == "read":
            read += int(entry.get("value") or 0)
        elif op == "write":
            write += int(entry.get("value") or 0)
    return read, write


def sample_from_raw(container_id: str, raw: dict[str, Any], previous: StatsSample | None) -> StatsSample:
    """Turn a stats document into a sample; CPU % needs the previous sample."""
    cpu = raw.get("cpu_stats") or {}
    cpu_total = int((cpu.get("cpu_usage") or {}).get("total_usage") or 0)
    system_total = int(cpu.get("system_cpu_usage") or 0)
    online = int(cpu.get("online_cpus") or len((cpu.get("cpu_usage") or {}).get("percpu_usage") or ()) or 1)
    cpu_percent = None
    if previous is not None:
        cpu_delta = cpu_total - previous.cpu_total
        system_delta = system_total - previous.system_total
        if system_delta > 0 and cpu_delta >= 0:
            cpu_percent = cpu_delta / system_delta * online * 100.0
    networks = (raw.get("networks") or {}).values()
    block_read, block_write = _block_io(raw.get("blkio_stats") or {})
    memory = raw.get("memory_stats") or {}
    return StatsSample(
        container_id=container_id,
        cpu_percent=cpu_percent,
        memory_used=_memory_used(memory),
        memory_limit=int(memory.get("limit") or 0),
        net_rx=sum(int(n.get("rx_bytes") or 0) for n in networks),
        net_tx=sum(int(n.get("tx_bytes") or 0) for n in networks),
        block_read=block_read,
        block_write=block_write,
        pids=int((raw.get("pids_stats") or {}).get("current") or 0),
        cpu_total=cpu_total,
        system_total=system_total,
        online_cpus=online,
    )


class StatsReader:
    """Reads samples for a set of containers, remembering the last of each."""

    def __init__(self, backend: DockerBackend) -> None:
        self.backend = backend
        self._last: dict[str, StatsSample] = {}
        self._pool = ThreadPoolExecutor(PARALLEL_REQUESTS, thread_name_prefix="dockertui-stats")
        # A local engine's containers are read from cgroup files; others through the engine.
        self._cgroups = CgroupReader(self._find_pid) if backend.is_local else None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def read(self, container_ids: Iterable[str]) -> dict[str, StatsSample]:
        """One sample per container; containers that fail (gone, stopped) are left out."""
        ids = list(dict.fromkeys(container_ids))
        samples: dict[str, StatsSample] = {}
        remote = []
        for cid in ids:
            sample = self._cgroups.read(cid, self._last.get(cid)) if self._cgroups else None
            if sample is None:
                remote.append(cid)
            else:
                samples[cid] = sample
        results = self._pool.map(self._read_one, remote)
        samples.update((cid, sample) for cid, sample in zip(remote, results) if sample is not None)
        self._last = {cid: self._last[cid] for cid in ids if cid in self._last} | samples
        return samples

    def _find_pid(self, container_id: str) -> int | None:
        try:
            return int(self.backend.inspect_container(container_id)["State"]["Pid"]) or None
        except (EngineError, KeyError, TypeError, ValueError):
            return None

    def _read_one(self, container_id: str) -> StatsSample | None:
        try:
            raw = self.backend.call("stats", container_id, stream=False, one_shot=True)
        except EngineError:
            return None
        if not raw or not raw.get("cpu_stats"):
            return None
        return sample_from_raw(container_id, raw, self._last.get(container_id))
