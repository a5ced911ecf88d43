"""Peak memory of this process in MB.

Linux's ru_maxrss survives exec, so a fresh process started from a big parent reports the
parent's size; VmHWM in /proc/self/status belongs to the new address space only."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
