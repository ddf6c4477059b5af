"""The learning-loop scheduler: APScheduler runs the jobs, a database lease makes each run happen once.

``LearningScheduler(store, settings, jobs)`` is built by the app factory (never at import) with the
job bodies, e.g. ``telemetry.canary.make_learning_jobs(...)``: ``{"retrain": fn, "canary_check": fn}``,
each ``fn(ctx: JobContext) -> dict`` of numbers. ``start()`` / ``shutdown()``; ``run_now(job_id,
actor)`` for the admin's "Retrain now"; ``set_interval(text, actor)`` for the schedule editor;
``status()`` for the admin tab.

How it behaves, and why:

- APScheduler 3 ``BackgroundScheduler`` with a ``SQLAlchemyJobStore`` (table ``apscheduler_jobs``) on
  the telemetry database, jobs with explicit ids, ``replace_existing=True``, ``coalesce=True``,
  ``max_instances=1`` and a misfire grace time. Replicas share that table, which APScheduler does
  not support as a lock (a job store "must never be shared between schedulers"): two schedulers
  can both find a job due. So every run (``telemetry.jobruns.run_job``) first takes the job's lease; a run
  that cannot is recorded as ``skipped`` with the holder. Under the lease, a scheduled run is also
  skipped when a run of that job succeeded less than half an interval ago: with two replicas that
  both fire, the body runs once per interval.
- The persisted job holds only a textual reference to ``fire_job`` and (store key, job id): it is
  pickled by APScheduler, so no object of ours goes into it, and any replica can run a job another
  one stored. ``fire_job`` finds this process's scheduler for that database.
- ``add_job(replace_existing=True)`` recomputes the next run time from the trigger, so a restart
  would push a weekly job back a week every time (and lose a run missed while the app was down).
  At start the stored next run time is kept when the interval is unchanged; a missed one then runs
  once (coalesced) if within ``retrain_misfire_grace_s``.
- The interval is ``MODROUTE_RETRAIN_INTERVAL`` (``canary_check_interval`` for the canary check)
  unless an admin stored an override in ``app_settings`` (key ``<job>_interval``). A replica applies
  an override at start and every time the job fires (``reschedule_job`` when it changed).
- Every run is a ``scheduler_runs`` row: status running -> succeeded | failed (error text) | skipped,
  ``detail`` = {trigger, actor, lease_token, stage, fraction, numbers (the job's dict)}.
  ``JobContext.progress(stage, fraction)`` updates ``detail`` while it runs (the admin tab polls it)
  and raises ``LeaseLost`` / ``JobStopped`` so a job stops when it lost its lease or the app stops.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from telemetry import TelemetrySettings, parse_interval
from telemetry.events import new_id
from telemetry.jobruns import JobContext, JobFn, JobStopped, run_job
from telemetry.lease import Lease, LeaseLost
from telemetry.schema import AppSetting
from telemetry.store import SCHEDULER_RUNS, TelemetryStore, aware_utc, redact_url, utcnow

log = logging.getLogger("modroute.telemetry.scheduler")

APP_SETTINGS = AppSetting.__table__
JOBSTORE_TABLE = "apscheduler_jobs"
RETRAIN, CANARY_CHECK = "retrain", "canary_check"

# This process's running schedulers, by store key (hash of database URL + job-store table): what
# ``fire_job`` (the callable APScheduler persists by name) dispatches to.
_ACTIVE: dict[str, LearningScheduler] = {}
_ACTIVE_LOCK = threading.Lock()
_FIRE_REF = "telemetry.scheduler:fire_job"


def fire_job(store_key: str, job_id: str) -> None:
    """APScheduler's entry point for a scheduled run (module-level so the job store can name it)."""
    with _ACTIVE_LOCK:
        sched = _ACTIVE.get(store_key)
    if sched is None:
        log.warning("scheduled job %s fired but no LearningScheduler is running for its database here", job_id)
        return
    if job_id not in sched.scheduled:
        log.warning("scheduled job %s fired but this process does not schedule it", job_id)
        return
    sched._execute(job_id, new_id(), trigger="schedule", actor="scheduler")


def store_key(store: TelemetryStore, table: str = JOBSTORE_TABLE) -> str:
    return hashlib.sha256(f"{redact_url(store.url)}|{table}".encode()).hexdigest()[:16]


class LearningScheduler:
    """Runs the learning-loop jobs on a schedule, once across replicas; see the module docstring.

    ``jobs`` maps job id -> body. Intervals: ``intervals[job_id]`` if given, else the settings'
    ``retrain_interval`` ("retrain") / ``canary_check_interval`` ("canary_check"), else an error.
    """

    def __init__(self, store: TelemetryStore, settings: TelemetrySettings, jobs: Mapping[str, JobFn], *,
                 owner: str | None = None, intervals: Mapping[str, str] | None = None,
                 jobstore_table: str = JOBSTORE_TABLE):
        self.store = store
        self.settings = settings
        self.jobs = dict(jobs)
        self.owner = (owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}")[:100]
        self.jobstore_table = jobstore_table
        self.key = store_key(store, jobstore_table)
        self._defaults: dict[str, str] = {RETRAIN: settings.retrain_interval,
                                          CANARY_CHECK: settings.canary_check_interval}
        self._defaults.update(intervals or {})
        for job_id in self.jobs:
            if job_id not in self._defaults:
                raise ValueError(f"no interval for job {job_id!r}: pass intervals={{{job_id!r}: '1h'}}")
            parse_interval(self._defaults[job_id])  # fail at construction, not at the first run
        # Jobs that fire on a schedule; the others (retraining when retrain_enabled is off) run only by hand.
        self.scheduled = [j for j in self.jobs if not (j == RETRAIN and not settings.retrain_enabled)]
        self._scheduler: Any = None
        self._stopping = threading.Event()
        self._threads: set[threading.Thread] = set()
        self._threads_lock = threading.Lock()
        self._pending: dict[str, str] = {}  # manual run id -> job id, until its row exists

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> LearningScheduler:
        """Start APScheduler (job store table created if missing) and (re)register the jobs."""
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        with _ACTIVE_LOCK:
            other = _ACTIVE.get(self.key)
            if other is not None and other is not self:
                raise RuntimeError("a LearningScheduler for this database is already running in this process")
            _ACTIVE[self.key] = self
        self.store.ensure_migrated()
        jobstore = SQLAlchemyJobStore(engine=self.store.engine, tablename=self.jobstore_table)
        self._create_table(jobstore)
        self._stopping.clear()
        sched = BackgroundScheduler(
            jobstores={"default": jobstore},
            executors={"default": ThreadPoolExecutor(max_workers=max(1, len(self.jobs)))},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": int(self.settings.retrain_misfire_grace_s)},
            timezone=UTC)
        sched.start(paused=True)  # the store is readable now; nothing fires until resume()
        self._scheduler = sched
        try:
            for job in sched.get_jobs():  # ours from an earlier configuration (e.g. retraining turned off)
                if job.id not in self.scheduled and job.func_ref == _FIRE_REF:
                    sched.remove_job(job.id)
            for job_id in self.scheduled:
                self._register(job_id)
        except BaseException:
            self.shutdown(wait=False)
            raise
        sched.resume()
        log.info("learning scheduler started (owner %s): %s", self.owner,
                 ", ".join(f"{j} every {self.interval(j)[0]}" for j in self.scheduled) or "nothing scheduled")
        return self

    def _create_table(self, jobstore: Any) -> None:
        # Two replicas starting at once can race in CREATE TABLE (PostgreSQL: duplicate pg_type row).
        for attempt in range(3):
            try:
                jobstore.jobs_t.create(self.store.engine, checkfirst=True)
                return
            except (sa_exc.ProgrammingError, sa_exc.IntegrityError, sa_exc.OperationalError):
                if attempt == 2:
                    raise

    def _register(self, job_id: str) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        _, seconds, _ = self.interval(job_id)
        existing = None
        try:
            existing = self._scheduler.get_job(job_id)
        except Exception as e:  # a job state this code cannot read (e.g. renamed function): replace it
            log.warning("job %s: stored state unreadable (%s); replacing it", job_id, e)
        kw: dict[str, Any] = {}
        if existing is not None and _trigger_seconds(existing) == seconds and existing.next_run_time:
            kw["next_run_time"] = existing.next_run_time  # keep the schedule (and a missed run) across restarts
        self._scheduler.add_job(fire_job, IntervalTrigger(seconds=seconds, timezone=UTC), args=[self.key, job_id],
                                id=job_id, name=f"modroute {job_id}", replace_existing=True, coalesce=True,
                                max_instances=1, misfire_grace_time=int(self.settings.retrain_misfire_grace_s),
                                **kw)

    def shutdown(self, wait: bool = True, timeout_s: float = 30.0) -> None:
        """Stop firing, ask running jobs to stop (``JobContext.progress`` raises), wait for them if ``wait``."""
        self._stopping.set()
        sched, self._scheduler = self._scheduler, None
        if sched is not None:
            try:
                sched.shutdown(wait=wait)
            except Exception as e:  # already stopped
                log.debug("scheduler shutdown: %s", e)
        with self._threads_lock:
            threads = list(self._threads)
        if wait:
            for t in threads:
                t.join(timeout_s)
        with _ACTIVE_LOCK:
            if _ACTIVE.get(self.key) is self:
                del _ACTIVE[self.key]

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    @property
    def stopping(self) -> bool:
        """``shutdown()`` was called (and ``start()`` not since)."""
        return self._stopping.is_set()

    def __enter__(self) -> LearningScheduler:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()

    # -- intervals -------------------------------------------------------------------------------
    @staticmethod
    def _setting_key(job_id: str) -> str:
        return f"{job_id}_interval"

    def _override(self, job_id: str) -> dict[str, Any] | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(APP_SETTINGS).where(APP_SETTINGS.c.key == self._setting_key(job_id))
                               ).mappings().first()
        if row is None or not isinstance(row["value"], dict) or "interval" not in row["value"]:
            return None
        return {"interval": row["value"]["interval"], "updated_at": aware_utc(row["updated_at"]),
                "updated_by": row["updated_by"]}

    def interval(self, job_id: str) -> tuple[str, float, str]:
        """(text, seconds, source) where source is "admin" (stored override) or "settings"."""
        ov = self._override(job_id)
        if ov is not None:
            try:
                return ov["interval"], parse_interval(ov["interval"]), "admin"
            except ValueError:
                log.warning("job %s: stored interval %r is invalid; using the setting", job_id, ov["interval"])
        text = self._defaults[job_id]
        return text, parse_interval(text), "settings"

    def set_interval(self, text: str, actor: str, job_id: str = RETRAIN) -> dict[str, Any]:
        """Store an admin's interval for ``job_id`` and apply it now (next run = now + interval).

        ValueError with a readable message for an unknown job or an invalid interval."""
        if job_id not in self.jobs:
            raise ValueError(f"unknown job {job_id!r}; jobs: {', '.join(self.jobs)}")
        seconds = parse_interval(text)
        value = {"interval": str(text).strip(), "seconds": seconds}
        now = utcnow()
        insert = sqlite_dialect.insert if self.store.backend == "sqlite" else pg_dialect.insert
        ins = insert(APP_SETTINGS).values(key=self._setting_key(job_id), value=value, updated_at=now,
                                                      updated_by=str(actor)[:128])
        with self.store.engine.begin() as conn:
            conn.execute(ins.on_conflict_do_update(index_elements=["key"], set_={
                "value": ins.excluded.value, "updated_at": ins.excluded.updated_at,
                "updated_by": ins.excluded.updated_by}))
        self._apply_interval(job_id, seconds)
        log.info("job %s: interval set to %s by %s", job_id, value["interval"], actor)
        return {"job": job_id, "interval": value["interval"], "seconds": seconds,
                "next_run_time": self._next_run_time(job_id)}

    def reset_interval(self, actor: str, job_id: str = RETRAIN) -> dict[str, Any]:
        """Drop the admin override: the setting's interval applies again."""
        with self.store.engine.begin() as conn:
            conn.execute(delete(APP_SETTINGS).where(APP_SETTINGS.c.key == self._setting_key(job_id)))
        text, seconds, _ = self.interval(job_id)
        self._apply_interval(job_id, seconds)
        log.info("job %s: interval override removed by %s (now %s)", job_id, actor, text)
        return {"job": job_id, "interval": text, "seconds": seconds, "next_run_time": self._next_run_time(job_id)}

    def _apply_interval(self, job_id: str, seconds: float) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        sched = self._scheduler
        if sched is None or job_id not in self.scheduled:
            return
        job = sched.get_job(job_id)
        if job is None:
            self._register(job_id)
        elif _trigger_seconds(job) != seconds:
            sched.reschedule_job(job_id, trigger=IntervalTrigger(seconds=seconds, timezone=UTC))

    def _next_run_time(self, job_id: str) -> datetime | None:
        sched = self._scheduler
        job = sched.get_job(job_id) if sched is not None else None
        return job.next_run_time if job is not None else None

    # -- runs ------------------------------------------------------------------------------------
    def run_now(self, job_id: str, actor: str) -> str:
        """Run ``job_id`` now in a background thread (never on the caller's); returns the run id.

        The run still needs the lease: if another replica is running the job, the row says skipped."""
        if job_id not in self.jobs:
            raise ValueError(f"unknown job {job_id!r}; jobs: {', '.join(self.jobs)}")
        if self._stopping.is_set():
            raise RuntimeError("the scheduler is shutting down")
        run_id = new_id()
        self._pending[run_id] = job_id
        t = threading.Thread(target=self._execute, args=(job_id, run_id), kwargs={"trigger": "manual",
                             "actor": str(actor)[:128]}, name=f"job-{job_id}-{run_id[:8]}", daemon=True)
        with self._threads_lock:
            self._threads.add(t)
        t.start()
        return run_id

    def run_status(self, run_id: str) -> dict[str, Any] | None:
        """The run's row; ``{"status": "queued"}`` for a manual run whose thread has not started yet."""
        with self.store.engine.connect() as conn:
            row = conn.execute(select(SCHEDULER_RUNS).where(SCHEDULER_RUNS.c.id == run_id)).mappings().first()
        if row is not None:
            return dict(row)
        if run_id in self._pending:
            return {"id": run_id, "job": self._pending[run_id], "status": "queued"}
        return None

    def _execute(self, job_id: str, run_id: str, *, trigger: str, actor: str) -> None:
        try:
            self._execute_inner(job_id, run_id, trigger=trigger, actor=actor)
        except Exception:  # bookkeeping failed (database down): nothing to record it in
            log.exception("job %s run %s could not be recorded", job_id, run_id)
        finally:
            self._pending.pop(run_id, None)
            with self._threads_lock:
                self._threads.discard(threading.current_thread())

    def _execute_inner(self, job_id: str, run_id: str, *, trigger: str, actor: str) -> None:
        if trigger == "schedule":
            self._sync_interval(job_id)
        _, interval_s, _ = self.interval(job_id)
        run_job(self.store, self.settings, job_id, self.jobs[job_id], run_id=run_id, owner=self.owner,
                trigger=trigger, actor=actor, interval_s=interval_s, stopping=self._stopping)

    def _sync_interval(self, job_id: str) -> None:
        """Pick up an override another replica stored (checked every time the job fires)."""
        try:
            _, seconds, _ = self.interval(job_id)
            self._apply_interval(job_id, seconds)
        except Exception as e:
            log.warning("job %s: could not re-read its interval (%s)", job_id, e)

    # -- the admin tab ---------------------------------------------------------------------------
    def status(self, runs: int = 10) -> dict[str, Any]:
        """Per job: interval (and who set it), next run time, whether a run holds the lease now, last runs."""
        out: list[dict[str, Any]] = []
        for job_id in self.jobs:
            text, seconds, source = self.interval(job_id)
            ov = self._override(job_id) if source == "admin" else None
            holder = Lease(self.store.engine, f"job:{job_id}", self.owner, 1).holder()
            running = bool(holder and holder["expires_at"] > datetime.now(UTC))
            out.append({
                "id": job_id, "interval": text, "interval_s": seconds, "interval_source": source,
                "interval_set_by": ov["updated_by"] if ov else None,
                "interval_set_at": ov["updated_at"] if ov else None,
                "scheduled": job_id in self.scheduled, "next_run_time": self._next_run_time(job_id),
                "running": running, "holder": holder["owner"] if running else None,
                "last_runs": self.store.scheduler_runs(job_id, limit=runs),
            })
        return {"owner": self.owner, "started": self.running, "jobs": out}


def _trigger_seconds(job: Any) -> float | None:
    interval = getattr(job.trigger, "interval", None)
    return interval.total_seconds() if interval is not None else None


__all__ = ["LearningScheduler", "JobContext", "JobStopped", "LeaseLost", "fire_job", "RETRAIN", "CANARY_CHECK",
           "JOBSTORE_TABLE"]
