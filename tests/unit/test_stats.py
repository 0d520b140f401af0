"""CPU and memory the way docker stats computes them."""

from dockertui.backend.stats import sample_from_raw


def raw(total, system, usage=1000, inactive=200, online=2):
    return {
        "cpu_stats": {"cpu_usage": {"total_usage": total}, "system_cpu_usage": system, "online_cpus": online},
        "memory_stats": {"usage": usage, "limit": 10_000, "stats": {"total_inactive_file": inactive}},
        "networks": {"eth0": {"rx_bytes": 10, "tx_bytes": 20}, "eth1": {"rx_bytes": 1, "tx_bytes": 2}},
        "blkio_stats": {"io_service_bytes_recursive": [{"op": "Read", "value": 5}, {"op": "Write", "value": 7}]},
        "pids_stats": {"current": 3},
    }


def test_cpu_needs_two_samples_and_scales_by_cpus():
    first = sample_from_raw("c", raw(1_000, 100_000), None)
    assert first.cpu_percent is None
    second = sample_from_raw("c", raw(51_000, 200_000), first)
    # 50,000 of 100,000 system ticks, on 2 CPUs: 100 % (one whole CPU).
    assert second.cpu_percent == 100.0


def test_memory_net_block_and_pids():
    sample = sample_from_raw("c", raw(0, 0), None)
    assert sample.memory_used == 800 and sample.memory_limit == 10_000
    assert sample.memory_percent == 8.0
    assert (sample.net_rx, sample.net_tx, sample.block_read, sample.block_write, sample.pids) == (11, 22, 5, 7, 3)


def test_cgroup_v1_files_give_the_same_figures(tmp_path):
    from dockertui.backend.cgroups import CgroupReader

    cid = "c" * 64
    for controller, files in {
        "cpuacct": {"cpuacct.usage": "1000000000"},
        "memory": {"memory.usage_in_bytes": "5000", "memory.limit_in_bytes": "10000", "memory.stat": "total_inactive_file 1000\n"},
        "blkio": {"blkio.throttle.io_service_bytes": "8:0 Read 7\n8:0 Write 9\nTotal 16\n"},
        "pids": {"pids.current": "4"},
    }.items():
        directory = tmp_path / controller / "docker" / cid
        directory.mkdir(parents=True)
        for name, text in files.items():
            (directory / name).write_text(text)
    reader = CgroupReader(lambda _: None, root=tmp_path)
    first = reader.read(cid, None)
    assert first.cpu_percent is None
    assert (first.memory_used, first.memory_limit, first.block_read, first.block_write, first.pids) == (4000, 10000, 7, 9, 4)
    (tmp_path / "cpuacct" / "docker" / cid / "cpuacct.usage").write_text("1500000000")
    second = reader.read(cid, first)
    assert second.cpu_percent is not None and second.cpu_percent > 0
    assert reader.read("d" * 64, None) is None
