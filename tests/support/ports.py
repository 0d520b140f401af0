"""Host ports no one is using now, so tests that publish ports work beside the user's own containers.

A port found free can be taken before the test binds it; that window is short,
and ports are picked at random so two test runs rarely pick the same ones.
"""

from __future__ import annotations

import random
import socket

_RANGE = (20000, 60000)


def _free(port: int, kind: int) -> bool:
    # 0.0.0.0: the engine's proxy binds every interface unless told otherwise.
    with socket.socket(socket.AF_INET, kind) as probe:
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_ports(count: int = 1, *, udp: bool = False) -> list[int]:
    """``count`` consecutive host ports free for TCP (and UDP, if asked) right now."""
    for _ in range(200):
        start = random.randrange(*_RANGE)
        ports = list(range(start, start + count))
        if all(_free(p, socket.SOCK_STREAM) and (not udp or _free(p, socket.SOCK_DGRAM)) for p in ports):
            return ports
    raise RuntimeError(f"no {count} free consecutive ports found in {_RANGE}")


def free_port(*, udp: bool = False) -> int:
    return free_ports(1, udp=udp)[0]
