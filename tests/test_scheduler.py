"""The job lease and the learning scheduler, on real SQLite and PostgreSQL, with real subprocesses.

Acceptance (issue 9): two app-like processes against one PostgreSQL schema run the job once per
interval, and a holder killed -9 mid-run loses its lease after the expiry; the next run proceeds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, select, update

from telemetry import TelemetrySettings
from telemetry.lease import LEASES, Lease, LeaseUnavailable
from telemetry.scheduler import JOBSTORE_TABLE, LearningScheduler, fire_job
from telemetry.store import TelemetryStore
from tests.test_telemetry_support import (  # noqa: F401
    backend_fixture,
    db_url_fixture,
    pg_url_fixture,
    store_fixture,
)

ROOT = Path(__file__).resolve().parents[1]


def _worker(*args: str, stdin=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.scheduler_worker", *args], cwd=ROOT, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _line(proc: subprocess.Popen) -> dict:
    line = proc.stdout.readline()
    if not line:
        raise AssertionError(f"worker said nothing; stderr: {proc.stderr.read()[-2000:]}")
    return json.loads(line)


def _wait(cond, timeout: float = 15.0, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s")


def _finished(sched: LearningScheduler, run_id: str) -> dict | None:
    row = sched.run_status(run_id)
    return row if row and row["status"] not in ("queued", "running") else None


def _settings(**kw) -> TelemetrySettings:
    return TelemetrySettings(**{"retrain_interval": "1h", "lease_ttl_s": 5.0, "retrain_misfire_grace_s": 60, **kw})


# -- the lease -----------------------------------------------------------------------------------------
def test_lease_acquire_renew_release_and_token(store):
    a = Lease(store.engine, "job:x", "a", 5)
    b = Lease(store.engine, "job:x", "b", 5)
    assert a.acquire() and a.token == 1
    assert not b.acquire()
    assert b.holder()["owner"] == "a"
    assert a.renew()
    a.release()
    assert b.acquire() and b.token == 2 and b.previous["owner"] == "a"
    assert not a.renew() and a.lost.is_set() is False  # released leases are not "lost": token is gone
    with pytest.raises(LeaseUnavailable, match="held by b"):
        with Lease(store.engine, "job:x", "c", 5):
            pass


def test_renew_fails_once_someone_else_took_an_expired_lease(store):
    a = Lease(store.engine, "job:y", "a", 5)
    assert a.acquire()
    with store.engine.begin() as conn:  # a's lease has expired (it stopped renewing)
        conn.execute(update(LEASES).where(LEASES.c.name == "job:y")
                     .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    b = Lease(store.engine, "job:y", "b", 5)
    assert b.acquire() and b.token == a.token + 1
    assert not a.renew() and a.lost.is_set()
    a.release()  # a stale holder's release leaves b's lease alone
    assert b.holder()["owner"] == "b" and b.holder()["expires_at"] > datetime.now(UTC)


def test_lease_is_atomic_under_thread_contention(store):
    for round_ in range(8):
        name = f"job:race{round_}"
        barrier = threading.Barrier(6)
        results: list[tuple[str, bool]] = []

        def contend(i: int, name=name, barrier=barrier, results=results) -> None:
            lease = Lease(store.engine, name, f"t{i}", 30)
            barrier.wait()
            results.append((lease.owner, lease.acquire()))

        threads = [threading.Thread(target=contend, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [o for o, won in results if won]
        assert len(winners) == 1, (round_, results)
        assert Lease(store.engine, name, "x", 1).holder()["owner"] == winners[0]


def test_lease_is_atomic_across_processes(db_url, store):
    names = [f"job:p{i}" for i in range(6)]
    start_at = time.time() + 3.0  # every worker has imported and connected by then
    procs = [_worker("contend", db_url, str(start_at), *names) for _ in range(3)]
    outcomes: dict[str, list[bool]] = {n: [] for n in names}
    for p in procs:
        for _ in names:
            r = _line(p)
            outcomes[r["name"]].append(r["won"])
        assert p.wait(30) == 0
    for name, won in outcomes.items():
        assert sorted(won) == [False, False, True], (name, won)
        assert Lease(store.engine, name, "x", 1).holder()["token"] == 1


def test_a_holder_killed_with_sigkill_loses_the_lease_after_its_expiry(db_url, store):
    proc = _worker("hold", db_url, "job:kill", "2")
    try:
        held = _line(proc)
        mine = Lease(store.engine, "job:kill", "successor", 2)
        assert not mine.acquire()  # alive and renewing
        os.kill(held["pid"], signal.SIGKILL)
        proc.wait(10)
        last = mine.holder()  # what the dead holder left: its last renewal's expiry
        assert last["owner"] == held["owner"]
        _wait(mine.acquire, timeout=15, every=0.1)
        taken_at = mine.holder()["acquired_at"]
        assert taken_at >= last["expires_at"]  # never before the dead holder's lease ran out
        assert mine.token == held["token"] + 1 and mine.previous["owner"] == held["owner"]
    finally:
        if proc.poll() is None:
            proc.kill()


# -- the scheduler --------------------------------------------------------------------------------------
def _runs(store: TelemetryStore, job: str = "retrain") -> list[dict]:
    return sorted(store.scheduler_runs(job, limit=1000), key=lambda r: r["started_at"])


def test_run_now_runs_off_the_callers_thread_and_records_numbers(store):
    release = threading.Event()
    seen: dict = {}

    def job(ctx):
        seen["thread"] = threading.get_ident()
        ctx.progress("halfway", 0.5)
        assert release.wait(10)
        return {"labels": 12, "auc": 0.91}

    with LearningScheduler(store, _settings(), {"retrain": job}) as sched:
        run_id = sched.run_now("retrain", "admin:alice")  # returns while the job still waits
        _wait(lambda: (sched.run_status(run_id) or {}).get("detail", {}) and
              sched.run_status(run_id)["detail"].get("stage") == "halfway")
        assert sched.status()["jobs"][0]["running"] is True
        release.set()
        row = _wait(lambda: (r := sched.run_status(run_id)) and r["status"] == "succeeded" and r)
    assert seen["thread"] != threading.get_ident()
    assert row["detail"]["numbers"] == {"labels": 12, "auc": 0.91}
    assert row["detail"]["trigger"] == "manual" and row["detail"]["actor"] == "admin:alice"
    assert row["finished_at"] >= row["started_at"] and row["error"] is None


def test_a_failed_run_is_recorded_with_its_error(store):
    def job(ctx):
        raise ValueError("not enough labels: 3 < 10")

    with LearningScheduler(store, _settings(), {"retrain": job}) as sched:
        run_id = sched.run_now("retrain", "admin:bob")
        row = _wait(lambda: _finished(sched, run_id))
    assert row["status"] == "failed"
    assert row["error"].startswith("ValueError: not enough labels: 3 < 10")
    assert Lease(store.engine, "job:retrain", "x", 1).holder()["expires_at"] < datetime.now(UTC)  # released


def test_a_run_is_skipped_while_another_holder_has_the_lease(store):
    other = Lease(store.engine, "job:retrain", "replica-b:42", 30)
    assert other.acquire()
    ran = []
    with LearningScheduler(store, _settings(), {"retrain": lambda ctx: ran.append(1) or {}}) as sched:
        run_id = sched.run_now("retrain", "admin:alice")
        row = _wait(lambda: _finished(sched, run_id))
    assert row["status"] == "skipped" and row["detail"]["holder"] == "replica-b:42" and not ran


def test_a_scheduled_run_is_skipped_when_one_succeeded_less_than_half_an_interval_ago(store):
    ran = []
    with LearningScheduler(store, _settings(), {"retrain": lambda ctx: ran.append(1) or {"n": len(ran)}}) as sched:
        fire_job(sched.key, "retrain")  # what APScheduler calls when the job is due (here: in this thread)
        fire_job(sched.key, "retrain")  # a second replica firing for the same interval
    runs = _runs(store)
    assert [r["status"] for r in runs] == ["succeeded", "skipped"] and ran == [1]
    assert "less than 0.5 interval ago" in runs[1]["detail"]["reason"]


def test_a_job_that_lost_its_lease_is_stopped_and_recorded_failed(store):
    def job(ctx):
        while True:
            ctx.progress("training", 0.2)
            time.sleep(0.05)

    with LearningScheduler(store, _settings(lease_ttl_s=0.6), {"retrain": job}) as sched:
        run_id = sched.run_now("retrain", "admin:alice")
        _wait(lambda: (sched.run_status(run_id) or {}).get("status") == "running")
        with store.engine.begin() as conn:  # as if this holder had stalled past its expiry and been replaced
            conn.execute(update(LEASES).where(LEASES.c.name == "job:retrain").values(
                owner="replica-b:7", token=LEASES.c.token + 1,
                expires_at=datetime.now(UTC) + timedelta(seconds=30)))
        row = _wait(lambda: _finished(sched, run_id))
    assert row["status"] == "failed" and row["error"].startswith("LeaseLost")
    assert Lease(store.engine, "job:retrain", "x", 1).holder()["owner"] == "replica-b:7"  # left alone


def test_shutdown_stops_a_running_job(store):
    started = threading.Event()

    def job(ctx):
        started.set()
        while True:
            ctx.progress("training", 0.1)
            time.sleep(0.05)

    sched = LearningScheduler(store, _settings(), {"retrain": job}).start()
    run_id = sched.run_now("retrain", "admin:alice")
    assert started.wait(10)
    sched.shutdown(wait=True, timeout_s=10)
    row = sched.run_status(run_id)
    assert row["status"] == "failed" and row["error"].startswith("JobStopped")


def test_job_store_persists_the_job_and_an_admin_interval_across_restarts(db_url):
    store = TelemetryStore(db_url)
    store.migrate()
    try:
        jobs = {"retrain": lambda ctx: {}, "canary_check": lambda ctx: {}}
        with LearningScheduler(store, _settings(), jobs) as a:
            info = a.set_interval("12h", "admin:alice")
            assert info["seconds"] == 12 * 3600
            next_a = a.status()["jobs"][0]["next_run_time"]
        # A restart (settings still say 1h): the admin's 12h stays, and the stored next run time is kept.
        with LearningScheduler(store, _settings(), jobs) as b:
            job = next(j for j in b.status()["jobs"] if j["id"] == "retrain")
            assert (job["interval"], job["interval_source"], job["interval_set_by"]) == ("12h", "admin", "admin:alice")
            assert job["next_run_time"] == next_a
            assert b._scheduler.get_job("retrain").trigger.interval == timedelta(hours=12)
            canary = next(j for j in b.status()["jobs"] if j["id"] == "canary_check")
            assert (canary["interval"], canary["interval_source"]) == ("15m", "settings")
        # replace_existing: one row per job id, however often the app starts.
        with store.engine.connect() as conn:
            t = Table(JOBSTORE_TABLE, MetaData(), autoload_with=conn)
            ids = sorted(r.id for r in conn.execute(select(t.c.id)))
        assert ids == ["canary_check", "retrain"]
        # A changed setting (no override) takes effect at the next start.
        with LearningScheduler(store, _settings(canary_check_interval="5m"), jobs) as c:
            assert c._scheduler.get_job("canary_check").trigger.interval == timedelta(minutes=5)
            c.reset_interval("admin:alice")
            assert c._scheduler.get_job("retrain").trigger.interval == timedelta(hours=1)
    finally:
        store.close()


def test_set_interval_validates_and_reschedules_live(store):
    with LearningScheduler(store, _settings(), {"retrain": lambda ctx: {}}) as sched:
        with pytest.raises(ValueError, match="expected seconds or a number with s/m/h/d/w"):
            sched.set_interval("weekly", "admin:alice")
        with pytest.raises(ValueError, match="at least one second"):
            sched.set_interval("0s", "admin:alice")
        with pytest.raises(ValueError, match="unknown job"):
            sched.set_interval("1h", "admin:alice", job_id="nope")
        before = datetime.now(UTC)
        info = sched.set_interval("2d", "admin:alice")
        assert before + timedelta(days=2) <= info["next_run_time"] <= datetime.now(UTC) + timedelta(days=2)
        assert sched.status()["jobs"][0]["interval"] == "2d"


def test_a_replica_picks_up_another_replicas_override_when_its_job_fires(store):
    jobs = {"retrain": lambda ctx: {}}
    with LearningScheduler(store, _settings(), jobs) as sched:
        # Another replica's admin stored an override (that replica is not running a scheduler here).
        LearningScheduler(store, _settings(), jobs, owner="replica-b").set_interval("3h", "admin:b")
        assert sched._scheduler.get_job("retrain").trigger.interval == timedelta(hours=1)
        fire_job(sched.key, "retrain")  # firing re-reads it
        assert sched._scheduler.get_job("retrain").trigger.interval == timedelta(hours=3)


# -- acceptance: two app processes, one PostgreSQL --------------------------------------------------------
def test_two_app_processes_run_the_job_once_per_interval_and_survive_a_killed_holder(pg_url, tmp_path):
    interval, ttl = 2.0, 2.0
    store = TelemetryStore(pg_url)
    store.migrate()
    marks = tmp_path / "marks.jsonl"
    hang = tmp_path / "marks.jsonl.hang"
    procs = [_worker("app", pg_url, f"{interval:g}s", f"{ttl:g}", str(marks), stdin=subprocess.PIPE)
             for _ in range(2)]
    t0 = time.time()  # no run can start before this
    try:
        owners = {_line(p)["owner"]: p for p in procs}
        time.sleep(4 * interval + 0.5)
        runs = [r for r in _runs(store) if r["status"] == "succeeded"]
        lines = [json.loads(x) for x in marks.read_text().splitlines()]
        elapsed = time.time() - t0
        assert len(runs) >= 3, runs
        assert len(runs) <= int(elapsed / interval) + 1, [r["started_at"] for r in runs]
        assert len(lines) == len(runs)  # the job body ran exactly once per recorded run
        starts = [r["started_at"] for r in runs]
        assert all((b - a).total_seconds() >= interval * 0.5 for a, b in zip(starts, starts[1:], strict=False))
        assert {r["owner"] for r in runs} <= set(owners)
        skipped = [r for r in _runs(store) if r["status"] == "skipped"]
        held = sum(r["detail"]["reason"].startswith("another holder") for r in skipped)
        print(f"\n{len(runs)} runs in {elapsed:.1f}s (interval {interval}s); duplicate fires skipped: {held} while "
              f"the other held the lease, {len(skipped) - held} just after it ran; runs by "
              f"{sorted({r['owner'] for r in runs})}")

        # A holder killed -9 mid-run: its lease expires and the other process's next run proceeds.
        hang.write_text("1")
        victim = _wait(lambda: next((r for r in _runs(store) if r["status"] == "running"
                                     and (r["detail"] or {}).get("stage") == "hanging"), None), timeout=10)
        hang.unlink()
        victim_proc = owners[victim["owner"]]
        victim_proc.kill()  # SIGKILL
        victim_proc.wait(10)
        dead_lease = Lease(store.engine, "job:retrain", "probe", 1).holder()
        survivor = next(o for o in owners if o != victim["owner"])
        after = _wait(lambda: next((r for r in _runs(store) if r["status"] == "succeeded"
                                    and r["owner"] == survivor and r["started_at"] > victim["started_at"]), None),
                      timeout=15, every=0.2)
        assert after["started_at"] >= dead_lease["expires_at"]
        assert after["detail"]["abandoned_runs"] == [victim["id"]]
        dead_row = next(r for r in _runs(store) if r["id"] == victim["id"])
        assert dead_row["status"] == "failed" and "abandoned" in dead_row["error"]
    finally:
        for p in procs:
            if p.poll() is None:
                p.stdin.close()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        store.close()


def test_retraining_turned_off_is_not_scheduled_but_runs_by_hand(store):
    jobs = {"retrain": lambda ctx: {"ok": 1}, "canary_check": lambda ctx: {}}
    with LearningScheduler(store, _settings(), jobs) as sched:
        assert sched._scheduler.get_job("retrain") is not None
    with LearningScheduler(store, _settings(retrain_enabled=False), jobs) as sched:
        assert sched._scheduler.get_job("retrain") is None  # the stored job from before is removed
        retrain = next(j for j in sched.status()["jobs"] if j["id"] == "retrain")
        assert (retrain["scheduled"], retrain["next_run_time"]) == (False, None)
        run_id = sched.run_now("retrain", "admin:alice")
        row = _wait(lambda: _finished(sched, run_id))
    assert row["status"] == "succeeded" and row["detail"]["numbers"] == {"ok": 1}
