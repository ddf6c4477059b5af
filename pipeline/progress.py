"""How far a running phase is, for whoever launched it (a runner): a JSON file and/or a log line.

The launcher opts in through the environment; without it nothing happens:

- ``MODROUTE_PROGRESS_FILE=path``: ``{"phase", "fraction", "desc", "at"}`` replaced atomically as the phase
  goes, and ``{"exit_code", "finished"}`` added when the CLI exits (a runner re-attaching after an app
  restart cannot ``wait()`` for a process it did not start; this is how it learns the exit status).
- ``MODROUTE_PROGRESS_LOG=1``: the same records as ``MODROUTE_PROGRESS {json}`` lines on stderr (a remote
  job's log is all its runner can read).

``fraction`` is that of the phase's current loop (``PhaseContext.progress``): 0 when the phase starts, 1 when
it is done. Writes are throttled (at most one per ``MIN_INTERVAL_S`` unless the loop ends).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

FILE_ENV = "MODROUTE_PROGRESS_FILE"
LOG_ENV = "MODROUTE_PROGRESS_LOG"
PREFIX = "MODROUTE_PROGRESS "
MIN_INTERVAL_S = 1.0

_last = {"at": 0.0}


def _write(record: dict[str, Any]) -> None:
    path = os.environ.get(FILE_ENV)
    if path:
        p = Path(path)
        try:
            old = json.loads(p.read_text(encoding="utf-8")) if "exit_code" in record else {}
        except (OSError, ValueError):
            old = {}
        tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({**old, **record}), encoding="utf-8")
            os.replace(tmp, p)
        except OSError:
            pass  # progress is advisory: never fail a phase over it
    if os.environ.get(LOG_ENV) == "1":
        print(PREFIX + json.dumps(record), file=sys.stderr, flush=True)


def enabled() -> bool:
    return bool(os.environ.get(FILE_ENV) or os.environ.get(LOG_ENV) == "1")


def report(phase: str, fraction: float, desc: str = "", *, force: bool = False) -> None:
    """Record that ``phase`` is ``fraction`` (0..1) through ``desc``."""
    if not enabled():
        return
    now = time.monotonic()
    if not force and now - _last["at"] < MIN_INTERVAL_S:
        return
    _last["at"] = now
    _write({"phase": phase, "fraction": round(min(1.0, max(0.0, float(fraction))), 4), "desc": desc,
            "at": time.time()})


def finish(exit_code: int) -> None:
    """Record the CLI's exit status (kept next to the last progress record)."""
    if enabled():
        _write({"exit_code": int(exit_code), "finished": time.time()})


def track(iterable, phase: str, desc: str, total: int | None):
    """Yield from ``iterable`` (a tqdm bar), reporting ``i / total`` as items are consumed."""
    if total is None:
        total = getattr(iterable, "total", None)
    n = 0
    for item in iterable:
        yield item
        n += 1
        if total:
            report(phase, n / total, f"{desc} {n}/{total}", force=n >= total)


def read_file(path: str | Path) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def last_in_log(text: str) -> dict[str, Any] | None:
    """The last progress record in a log (``MODROUTE_PROGRESS {json}`` lines), or None."""
    for line in reversed(text.splitlines()):
        i = line.find(PREFIX)
        if i >= 0:
            try:
                data = json.loads(line[i + len(PREFIX):])
            except ValueError:
                continue
            if isinstance(data, dict):
                return data
    return None
