"""Threads on shared cores.

Measured on the 2-core machine with one other busy process: a PyTorch LoRA step took 33-43 s with
2 spinning OpenMP threads, 6.3 s with 2 passive ones and 4.0 s with 1 (2.5 s with 2 when idle);
llama.cpp generated 2.8 tokens/s with 2 threads and 41 with 1 (93 with 1 when idle). So: OpenMP
waits passively, PyTorch uses the cores nobody else is using right now (re-checked during long
loops), and llama.cpp gets one thread unless configured otherwise.
"""

from __future__ import annotations

import os
import resource
import time


def prepare_torch_env() -> None:
    """Call before the first ``import torch``: idle OpenMP threads sleep instead of spinning."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _stat() -> tuple[int, int]:
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    return sum(vals), vals[3] + (vals[4] if len(vals) > 4 else 0)


def _own_cpu_ticks() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return (ru.ru_utime + ru.ru_stime) * os.sysconf("SC_CLK_TCK")


class CoreWatch:
    """How many cores other processes leave us, measured since the previous call (no sleeping)."""

    def __init__(self, fixed: int = 0):
        self.fixed = fixed
        self.n = os.cpu_count() or 1
        try:
            self._last = (*_stat(), _own_cpu_ticks())
        except (OSError, ValueError, IndexError):
            self._last = None

    def threads(self, window: float = 0.0) -> int:
        if self.fixed > 0:
            return self.fixed
        if self._last is None:
            return self.n
        if window:
            time.sleep(window)
        try:
            total, idle = _stat()
        except (OSError, ValueError, IndexError):
            return self.n
        own = _own_cpu_ticks()
        t0, i0, o0 = self._last
        self._last = (total, idle, own)
        dt = total - t0
        if dt <= 0:
            return self.n
        busy = (dt - (idle - i0)) - (own - o0) * self.n / max(self.n, 1)  # others' ticks, all cores
        others = max(0.0, busy / dt * self.n)
        return max(1, min(self.n, round(self.n - others)))
