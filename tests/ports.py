"""Loopback ports for the services the tests start.

A port the kernel hands out with ``bind(0)`` comes from the ephemeral range, which every
outgoing connection on the machine also draws its source port from: between the probe and
the server's own bind, some client can take it ("address already in use"). So the ports
come from below that range, where only an explicit bind can take them.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 10_000
_handed_out: set[int] = set()


def _ephemeral_start() -> int:
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now, outside the ephemeral range,
    never one this process handed out before (two services of one stack ask in a row)."""
    ports = list(range(LOWEST, _ephemeral_start()))
    random.shuffle(ports)
    for port in ports:
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free loopback port in {LOWEST}..{_ephemeral_start() - 1}")
