"""One run of a learning-loop job: under its lease, recorded in ``scheduler_runs``, stoppable.

``run_job(...)`` is what the scheduler calls for a scheduled fire and for "Retrain now":

1. take the lease ``job:<id>`` (``telemetry.lease``), owned by this process *and* this run, so two
   runs in one process exclude each other too; if someone holds it, record a ``skipped`` row naming
   the holder and return;
2. under the lease, close runs of this job still marked ``running`` (their holder died: only a lease
   holder runs) as failed, "abandoned";
3. for a scheduled run, skip (``skipped`` row) when a run of this job *succeeded* less than
   ``RECENT_FRACTION`` of an interval ago: two replicas that both fire for one interval run the body
   once (the check and the new row's start are under the lease, so starts are >= half an interval apart);
4. write the ``running`` row, renew the lease in the background (ttl/3), call the body with a
   ``JobContext``; record ``succeeded`` with ``detail.numbers`` = the body's dict, or ``failed`` with the
   error text; release the lease.

``detail`` = {trigger, actor, lease_token, stage, fraction, updated_at, numbers, abandoned_runs}.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy import exc as sa_exc

from telemetry import TelemetrySettings
from telemetry.lease import Lease, LeaseLost
from telemetry.store import SCHEDULER_RUNS, TelemetryStore, aware_utc, utcnow

log = logging.getLogger("modroute.telemetry.jobruns")

RECENT_FRACTION = 0.5  # a scheduled run is skipped if one succeeded less than this many intervals ago
RUNS = SCHEDULER_RUNS.c


class JobStopped(RuntimeError):
    """The scheduler is shutting down: the job should return (its run is recorded as failed)."""


@dataclass
class JobContext:
    """What a job body gets: where it runs, and ``progress()`` to report (and to be stopped)."""

    job_id: str
    run_id: str
    trigger: str  # schedule | manual
    actor: str
    store: TelemetryStore
    settings: TelemetrySettings
    interval_s: float
    lease: Lease
    stopping: threading.Event
    detail: dict[str, Any] = field(default_factory=dict)

    def check(self) -> None:
        """Raise if the job must stop: its lease was taken over, or the app is shutting down."""
        if self.lease.lost.is_set():
            raise LeaseLost(f"job {self.job_id}: lease {self.lease.name} lost (token {self.lease.token})")
        if self.stopping.is_set():
            raise JobStopped(f"job {self.job_id}: the scheduler is shutting down")

    def progress(self, stage: str, fraction: float) -> None:
        """Record the current stage (e.g. "labelling", 0.3) in the run's row; stops a job that must stop."""
        self.check()
        self.detail.update(stage=str(stage)[:200], fraction=round(min(max(float(fraction), 0.0), 1.0), 4),
                           updated_at=utcnow().isoformat())
        try:
            with self.store.engine.begin() as conn:
                conn.execute(update(SCHEDULER_RUNS).where(RUNS.id == self.run_id).values(detail=jsonable(self.detail)))
        except sa_exc.SQLAlchemyError as e:  # progress is advisory: never fail a run over it
            log.warning("job %s: progress not recorded (%s)", self.job_id, type(e).__name__)


JobFn = Callable[[JobContext], Mapping[str, Any] | None]


def jsonable(d: Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(dict(d), default=str))


def _insert_run(store: TelemetryStore, run_id: str, job_id: str, owner: str, status: str, detail: dict) -> None:
    now = utcnow()
    with store.engine.begin() as conn:
        conn.execute(SCHEDULER_RUNS.insert().values(
            id=run_id, job=job_id, owner=owner, status=status, started_at=now,
            finished_at=None if status == "running" else now, detail=jsonable(detail)))


def _finish_run(store: TelemetryStore, run_id: str, status: str, detail: dict, error: str | None = None) -> None:
    # Only a run still "running" is finished: a successor that found us dead may have closed it.
    with store.engine.begin() as conn:
        conn.execute(update(SCHEDULER_RUNS).where(RUNS.id == run_id, RUNS.status == "running")
                     .values(status=status, finished_at=utcnow(), detail=jsonable(detail), error=error))


def _close_abandoned(store: TelemetryStore, job_id: str, lease: Lease) -> list[str]:
    """Runs of this job still "running" while we hold its lease lost their holder (killed, or its
    lease expired): mark them failed so the history is honest."""
    cond = and_(RUNS.job == job_id, RUNS.status == "running")
    with store.engine.begin() as conn:
        ids = [r.id for r in conn.execute(select(RUNS.id).where(cond))]
        if ids:
            prev = (lease.previous or {}).get("owner", "?")
            conn.execute(update(SCHEDULER_RUNS).where(cond, RUNS.id.in_(ids)).values(
                status="failed", finished_at=utcnow(),
                error=f"abandoned: its holder ({prev}) stopped renewing the lease, which expired"))
    if ids:
        log.warning("job %s: %d run(s) abandoned by a dead holder marked failed", job_id, len(ids))
    return ids


def _recent_success(store: TelemetryStore, job_id: str, interval_s: float) -> dict[str, Any] | None:
    since = utcnow() - timedelta(seconds=interval_s * RECENT_FRACTION)
    with store.engine.connect() as conn:
        row = conn.execute(select(RUNS.id, RUNS.started_at)
                           .where(RUNS.job == job_id, RUNS.status == "succeeded", RUNS.started_at > since)
                           .order_by(RUNS.started_at.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def run_job(store: TelemetryStore, settings: TelemetrySettings, job_id: str, fn: JobFn, *, run_id: str,
            owner: str, trigger: str, actor: str, interval_s: float, stopping: threading.Event) -> str:
    """Run ``fn`` once under the job's lease (module docstring); returns the run's final status."""
    base = {"trigger": trigger, "actor": actor}
    lease = Lease(store.engine, f"job:{job_id}", f"{owner}/{run_id[:8]}", settings.lease_ttl_s)
    if not lease.acquire():
        holder = lease.holder() or {}
        _insert_run(store, run_id, job_id, owner, "skipped", {
            **base, "reason": "another holder has the lease", "holder": holder.get("owner"),
            "holder_expires_at": holder.get("expires_at")})
        log.info("job %s skipped: lease held by %s", job_id, holder.get("owner"))
        return "skipped"
    try:
        abandoned = _close_abandoned(store, job_id, lease)
        if trigger == "schedule" and (recent := _recent_success(store, job_id, interval_s)) is not None:
            _insert_run(store, run_id, job_id, owner, "skipped", {
                **base, "reason": f"a run succeeded less than {RECENT_FRACTION:g} interval ago",
                "last_run": recent["id"], "last_started_at": aware_utc(recent["started_at"])})
            return "skipped"
        detail = {**base, "lease_token": lease.token, "stage": "starting", "fraction": 0.0}
        if abandoned:
            detail["abandoned_runs"] = abandoned
        _insert_run(store, run_id, job_id, owner, "running", detail)
        lease.start_renewing()
        ctx = JobContext(job_id=job_id, run_id=run_id, trigger=trigger, actor=actor, store=store, settings=settings,
                         interval_s=interval_s, lease=lease, stopping=stopping, detail=detail)
        try:
            result = dict(fn(ctx) or {})
            if lease.lost.is_set():
                raise LeaseLost(f"lease {lease.name} lost while the job ran")
        except Exception as e:
            tb = traceback.format_exc(limit=8)
            log.error("job %s run %s failed: %s: %s", job_id, run_id, type(e).__name__, e)
            _finish_run(store, run_id, "failed", {**ctx.detail, "stage": "failed"},
                        error=f"{type(e).__name__}: {e}\n{tb}"[:20_000])
            return "failed"
        _finish_run(store, run_id, "succeeded", {**ctx.detail, "stage": "done", "fraction": 1.0, "numbers": result})
        log.info("job %s run %s succeeded", job_id, run_id)
        return "succeeded"
    finally:
        lease.release()


__all__ = ["run_job", "JobContext", "JobStopped", "JobFn", "RECENT_FRACTION", "jsonable"]
