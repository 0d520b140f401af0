"""Container usage read straight from the kernel's cgroup files.

When the engine runs on this machine, reading a few files under
/sys/fs/cgroup costs microseconds, where the engine's stats call takes about
a second per container (on engine 20.10). Both cgroup v1 and v2 layouts are
understood; if a container's files are not here (a remote engine), the
caller falls back to the engine's stats call.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from dockertui.backend.models import StatsSample

CGROUP_ROOT = Path("/sys/fs/cgroup")


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _read_keyed(path: Path) -> dict[str, int]:
    """``key value`` lines (memory.stat, cpu.stat)."""
    values: dict[str, int] = {}
    try:
        for line in path.read_text().splitlines():
            key, _, value = line.partition(" ")
            if value.strip().isdigit():
                values[key] = int(value)
    except OSError:
        return {}
    return values


def _host_memory() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def _net_dev(pid: int) -> tuple[int, int]:
    """Bytes in and out of the container's network namespace (loopback excluded)."""
    received = sent = 0
    try:
        lines = Path(f"/proc/{pid}/net/dev").read_text().splitlines()[2:]
    except OSError:
        return 0, 0
    for line in lines:
        name, _, data = line.partition(":")
        if name.strip() == "lo":
            continue
        fields = data.split()
        received += int(fields[0])
        sent += int(fields[8])
    return received, sent


class CgroupReader:
    """Samples containers from cgroup files; ``read`` returns None when it cannot."""

    def __init__(self, find_pid: Callable[[str], int | None], root: Path = CGROUP_ROOT) -> None:
        self._root = root
        self._find_pid = find_pid
        self._pids: dict[str, int] = {}
        self._cpus = os.cpu_count() or 1
        self._host_memory = _host_memory()

    def _dirs(self, container_id: str) -> dict[str, Path] | None:
        v1 = {c: self._root / c / "docker" / container_id for c in ("cpuacct", "memory", "blkio", "pids")}
        if v1["cpuacct"].is_dir():
            return v1
        for candidate in (self._root / "docker" / container_id, self._root / "system.slice" / f"docker-{container_id}.scope"):
            if (candidate / "cpu.stat").is_file():
                return {"v2": candidate}
        return None

    def _pid(self, container_id: str) -> int | None:
        pid = self._pids.get(container_id)
        if pid is None or not Path(f"/proc/{pid}").exists():
            pid = self._find_pid(container_id)
            if pid:
                self._pids[container_id] = pid
        return pid

    def read(self, container_id: str, previous: StatsSample | None) -> StatsSample | None:
        dirs = self._dirs(container_id)
        if dirs is None:
            return None
        now_ns = time.monotonic_ns()
        if "v2" in dirs:
            base = dirs["v2"]
            cpu_ns = _read_keyed(base / "cpu.stat").get("usage_usec", 0) * 1000
            usage = _read_int(base / "memory.current") or 0
            inactive = _read_keyed(base / "memory.stat").get("inactive_file", 0)
            limit = _read_int(base / "memory.max")
            block_read, block_write = self._io_v2(base / "io.stat")
            pids = _read_int(base / "pids.current") or 0
        else:
            cpu_ns = _read_int(dirs["cpuacct"] / "cpuacct.usage") or 0
            usage = _read_int(dirs["memory"] / "memory.usage_in_bytes") or 0
            inactive = _read_keyed(dirs["memory"] / "memory.stat").get("total_inactive_file", 0)
            limit = _read_int(dirs["memory"] / "memory.limit_in_bytes")
            block_read, block_write = self._io_v1(dirs["blkio"] / "blkio.throttle.io_service_bytes")
            pids = _read_int(dirs["pids"] / "pids.current") or 0
        if limit is None or limit > self._host_memory:
            limit = self._host_memory
        pid = self._pid(container_id)
        net_rx, net_tx = _net_dev(pid) if pid else (0, 0)
        # As docker stats: CPU time over wall time, where each CPU counts 100 %.
        system_total = now_ns * self._cpus
        cpu_percent = None
        if previous is not None and system_total > previous.system_total:
            cpu_percent = (cpu_ns - previous.cpu_total) / (system_total - previous.system_total) * self._cpus * 100.0
            cpu_percent = max(cpu_percent, 0.0)
        return StatsSample(
            container_id=container_id,
            cpu_percent=cpu_percent,
            memory_used=usage - inactive if inactive < usage else usage,
            memory_limit=limit,
            net_rx=net_rx,
            net_tx=net_tx,
            block_read=block_read,
            block_write=block_write,
            pids=pids,
            cpu_total=cpu_ns,
            system_total=system_total,
            online_cpus=self._cpus,
        )

    @staticmethod
    def _io_v1(path: Path) -> tuple[int, int]:
        read = write = 0
        try:
            for line in path.read_text().splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[1] == "Read":
                    read += int(parts[2])
                elif len(parts) == 3 and parts[1] == "Write":
                    write += int(parts[2])
        except OSError:
            return 0, 0
        return read, write

    @staticmethod
    def _io_v2(path: Path) -> tuple[int, int]:
        read = write = 0
        try:
            for line in path.read_text().splitlines():
                for field in line.split()[1:]:
                    key, _, value = field.partition("=")
                    if key == "rbytes":
                        read += int(value)
                    elif key == "wbytes":
                        write += int(value)
        except OSError:
            return 0, 0
        return read, write
