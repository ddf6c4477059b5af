"""Subprocess roles for tests/test_scheduler.py (a real second process, so kill -9 and contention are real).

    python -m tests.scheduler_worker hold URL NAME TTL            take a lease, keep renewing, print it, sleep
    python -m tests.scheduler_worker contend URL START_AT NAME..  at START_AT + i*0.25 s try lease NAME[i]
    python -m tests.scheduler_worker app URL INTERVAL TTL MARKS   an app-like process: a LearningScheduler
                                                                  whose job appends to MARKS; if MARKS.hang
                                                                  exists the job hangs (until killed)
Each prints one JSON object per line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _say(**kw) -> None:
    print(json.dumps(kw, default=str), flush=True)


def hold(url: str, name: str, ttl: str) -> None:
    from telemetry.lease import Lease
    from telemetry.store import TelemetryStore

    store = TelemetryStore(url)
    lease = Lease(store.engine, name, f"holder:{os.getpid()}", float(ttl))
    while not lease.acquire():
        time.sleep(0.05)
    lease.start_renewing()
    _say(acquired=True, pid=os.getpid(), owner=lease.owner, token=lease.token)
    while True:
        time.sleep(3600)


def contend(url: str, start_at: str, *names: str) -> None:
    from telemetry.lease import Lease
    from telemetry.store import TelemetryStore

    store = TelemetryStore(url)
    with store.engine.connect():
        pass  # connect before the start line, so the race is between acquisitions
    for i, name in enumerate(names):
        delay = float(start_at) + i * 0.25 - time.time()
        if delay > 0:
            time.sleep(delay)
        lease = Lease(store.engine, name, f"contender:{os.getpid()}", 30)
        _say(name=name, won=lease.acquire(), pid=os.getpid(), token=lease.token)


def app(url: str, interval: str, ttl: str, marks: str) -> None:
    from telemetry import TelemetrySettings
    from telemetry.scheduler import LearningScheduler
    from telemetry.store import TelemetryStore

    marks_path = Path(marks)
    hang = marks_path.with_name(marks_path.name + ".hang")

    def job(ctx):
        with marks_path.open("a") as f:  # one line per execution of the job body
            f.write(json.dumps({"pid": os.getpid(), "run": ctx.run_id, "t": time.time()}) + "\n")
        if hang.exists():
            while True:  # a long run: renewing its lease until this process is killed
                ctx.progress("hanging", 0.5)
                time.sleep(0.1)
        ctx.progress("working", 0.5)
        time.sleep(0.3)
        return {"pid": os.getpid()}

    store = TelemetryStore(url)
    store.migrate()
    settings = TelemetrySettings(retrain_interval=interval, lease_ttl_s=float(ttl), retrain_misfire_grace_s=60)
    sched = LearningScheduler(store, settings, {"retrain": job}).start()
    _say(started=True, pid=os.getpid(), owner=sched.owner)
    try:
        sys.stdin.read()  # run until the test closes our stdin (or kills us)
    finally:
        sched.shutdown(wait=True, timeout_s=5)
        store.close()


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    {"hold": hold, "contend": contend, "app": app}[role](*args)
