"""``TelemetryStore(url)``: the telemetry database on SQLite or PostgreSQL, with the same code on both.

- ``sqlite:///path/modroute.db`` (the default, in the data dir): WAL journal, ``synchronous=FULL``
  (a commit survives power loss, which is what "durable" promises), foreign keys on, a busy
  timeout, and SQLAlchemy emitting its own ``BEGIN`` so DDL and reads are transactional.
- ``postgresql+psycopg://user@host/db`` (``postgresql://`` is read as psycopg 3): pre-ping on
  checkout so a restarted server is noticed, and a connect timeout so an unreachable server
  fails in seconds instead of hanging the writer.

Errors and logs never show statement parameters (``hide_parameters``): they are user text.

Constructing a store opens nothing; the first query or ``migrate()`` connects. Writes go through
``write_records`` (the writer's batches, idempotent by event id); dashboards and retraining read
through the query methods (``telemetry.queries``); the retraining scheduler and admin console
use the router-version, scheduler-run and pipeline-job helpers.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, case, create_engine, event, func, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, make_url

from telemetry import migrations, queries
from telemetry.events import Record, new_id
from telemetry.schema import (
    ChatSession,
    Escalation,
    Feedback,
    Interaction,
    PipelineJob,
    RouterVersion,
    SchedulerRun,
    Signal,
)

log = logging.getLogger("modroute.telemetry.store")

SESSIONS = ChatSession.__table__
INTERACTIONS = Interaction.__table__
FEEDBACK = Feedback.__table__
SIGNALS = Signal.__table__
ESCALATIONS = Escalation.__table__
ROUTER_VERSIONS = RouterVersion.__table__
SCHEDULER_RUNS = SchedulerRun.__table__
PIPELINE_JOBS = PipelineJob.__table__

# Order inside one transaction: sessions before the interactions that reference them.
_KIND_ORDER = ("session", "interaction", "escalation", "signal", "feedback", "escalation_outcome")
_KIND_TABLE = {"session": SESSIONS, "interaction": INTERACTIONS, "escalation": ESCALATIONS,
               "signal": SIGNALS, "feedback": FEEDBACK}
_DATETIME_COLS = {
    name: {c.name for c in t.columns if isinstance(getattr(c.type, "impl", c.type), DateTime)}
    for name, t in _KIND_TABLE.items()
}
_DATETIME_COLS["escalation_outcome"] = {"resolved_at"}


class RecordError(Exception):
    """A record the database refuses on its own merits (constraint, bad value), not for being unreachable."""

    def __init__(self, record: Record | None, reason: str):
        super().__init__(reason)
        self.record = record
        self.reason = reason


def is_record_error(exc: BaseException) -> bool:
    """True when retrying later cannot help: the data is wrong, not the connection.

    A ``StatementError`` that is not a ``DBAPIError`` failed while binding parameters, before the
    database saw anything; integrity and data errors are the database refusing the values.
    """
    if isinstance(exc, RecordError | sa_exc.IntegrityError | sa_exc.DataError):
        return True
    return isinstance(exc, sa_exc.StatementError) and not isinstance(exc, sa_exc.DBAPIError)


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware_utc(dt: datetime | None) -> datetime | None:
    """Times are stored as UTC (timestamptz on PostgreSQL); naive inputs are taken as UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def sqlite_url_for(data_dir: str | os.PathLike) -> str:
    return f"sqlite:///{(Path(data_dir).expanduser().resolve() / 'modroute.db').as_posix()}"


def redact_url(url: str | URL) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _enable_wal(cur, timeout_s: float) -> None:
    """Switch a fresh SQLite file to WAL, retrying while another connection holds the lock.

    SQLite answers ``PRAGMA journal_mode=WAL`` with SQLITE_BUSY at once, without calling the
    busy handler, when several connections open a new file together (measured: 18 of 200
    three-thread starts failed). Once the file is in WAL mode the pragma is a no-op.
    """
    import sqlite3

    deadline = time.monotonic() + timeout_s
    delay = 0.005
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL").fetchone()
            return  # "wal", or the mode a special database keeps (":memory:" stays "memory")
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            if time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


class TelemetryStore:
    def __init__(self, url: str | URL, *, sqlite_busy_timeout_s: float = 30.0, pg_connect_timeout_s: int = 5,
                 echo: bool = False):
        u = make_url(url)
        backend = u.get_backend_name()
        if backend == "postgresql" and u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported telemetry database {redact_url(u)!r}: use sqlite:/// or postgresql+psycopg://")
        self.url = u
        self.backend = backend
        self._sqlite_busy_timeout_s = sqlite_busy_timeout_s
        self._pg_connect_timeout_s = pg_connect_timeout_s
        self._echo = echo
        self._engine: Engine | None = None
        self._migrated = False

    def __repr__(self) -> str:
        return f"TelemetryStore({redact_url(self.url)!r})"

    # -- engine ------------------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._create_engine()
        return self._engine

    def _create_engine(self) -> Engine:
        u = self.url
        if self.backend == "sqlite":
            db = u.database or ""
            if db and db != ":memory:" and not db.startswith("file:"):
                Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(u, echo=self._echo, hide_parameters=True, connect_args={
                "timeout": self._sqlite_busy_timeout_s, "check_same_thread": False})

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn, _record):
                # Take BEGIN away from the sqlite3 module (it skips it for DDL and SELECT).
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                _enable_wal(cur, self._sqlite_busy_timeout_s)
                cur.execute("PRAGMA synchronous=FULL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(engine, "begin")
            def _on_begin(conn):
                conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

            return engine
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in u.query:
            connect_args["connect_timeout"] = self._pg_connect_timeout_s
        return create_engine(u, echo=self._echo, hide_parameters=True, pool_pre_ping=True,
                             connect_args=connect_args)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> TelemetryStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _insert(self, table):
        return (sqlite_dialect.insert if self.backend == "sqlite" else pg_dialect.insert)(table)

    def _greatest(self, a, b):
        return func.max(a, b) if self.backend == "sqlite" else func.greatest(a, b)

    def _least(self, a, b):
        return func.min(a, b) if self.backend == "sqlite" else func.least(a, b)

    # -- schema ----------------------------------------------------------------------------------
    def migrate(self, target: str | None = None) -> list[str]:
        """Apply missing migrations (see ``telemetry.migrations``); returns the names applied now."""
        done = migrations.migrate(self.engine, target)
        if target is None:
            self._migrated = True
        return done

    def ensure_migrated(self) -> None:
        """Migrate once per process (cheap to call before every write)."""
        if not self._migrated:
            self.migrate()

    def applied_migrations(self) -> list[str]:
        return migrations.applied(self.engine)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except sa_exc.SQLAlchemyError:
            return False

    # -- writes ----------------------------------------------------------------------------------
    def write_records(self, records: Sequence[Record]) -> None:
        """Store a batch in one transaction, idempotently: rows already present (same id) are left as
        they are, feedback keeps the newest state per (interaction, user).

        Raises ``RecordError`` (or ``IntegrityError``/``DataError``) when the data itself is refused
        and any other SQLAlchemy error when the database cannot be reached; nothing is committed then.
        """
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for rec in records:
            kind = rec["kind"]
            if kind not in _DATETIME_COLS:
                raise RecordError(rec, f"unknown record kind {kind!r}")
            by_kind[kind].append(self._bind_row(kind, rec["row"]))
        with self.engine.begin() as conn:
            for kind in _KIND_ORDER:
                rows = by_kind.get(kind)
                if not rows:
                    continue
                if kind == "session":
                    conn.execute(self._session_upsert(), _merge_sessions(rows))
                elif kind == "feedback":
                    stmt = self._feedback_upsert()
                    for row in rows:  # one by one: several changes to the same rating can share a batch
                        conn.execute(stmt, row)
                elif kind == "escalation_outcome":
                    for row in rows:
                        res = conn.execute(
                            update(ESCALATIONS).where(ESCALATIONS.c.id == row["id"]).values(
                                outcome=row["outcome"], resolved_at=row["resolved_at"],
                                new_interaction_id=func.coalesce(row["new_interaction_id"],
                                                                 ESCALATIONS.c.new_interaction_id)))
                        if res.rowcount == 0:
                            raise RecordError({"kind": kind, "id": row["id"], "row": row},
                                              f"escalation {row['id']} not found for its outcome")
                else:
                    conn.execute(self._insert(_KIND_TABLE[kind]).on_conflict_do_nothing(index_elements=["id"]), rows)

    @staticmethod
    def _bind_row(kind: str, row: dict) -> dict:
        out = dict(row)
        for col in _DATETIME_COLS[kind]:
            v = out.get(col)
            if isinstance(v, str):
                out[col] = aware_utc(datetime.fromisoformat(v))
        return out

    def _session_upsert(self):
        ins = self._insert(SESSIONS)
        ex, cur = ins.excluded, SESSIONS.c
        return ins.on_conflict_do_update(index_elements=["id"], set_={
            "user_id": func.coalesce(ex.user_id, cur.user_id),
            "client": func.coalesce(ex.client, cur.client),
            "personalized": func.coalesce(ex.personalized, cur.personalized),
            "consent": case((ex.last_seen_at >= cur.last_seen_at, ex.consent), else_=cur.consent),
            "started_at": self._least(cur.started_at, ex.started_at),
            "last_seen_at": self._greatest(cur.last_seen_at, ex.last_seen_at),
        })

    def _feedback_upsert(self):
        ins = self._insert(FEEDBACK)
        ex, cur = ins.excluded, FEEDBACK.c
        return ins.on_conflict_do_update(
            index_elements=["interaction_id", "user_id"],
            set_={
                "rating": func.coalesce(ex.rating, cur.rating),
                "liked": func.coalesce(ex.liked, cur.liked),
                "preferred": func.coalesce(ex.preferred, cur.preferred),
                "comment": func.coalesce(ex.comment, cur.comment),
                "updated_at": ex.updated_at,
                "revision": cur.revision + 1,
            },
            where=cur.updated_at < ex.updated_at,
        )

    # -- retention ------------------------------------------------------------------------------------
    def purge_raw_text(self, older_than_days: float, *, now: datetime | None = None) -> dict[str, int]:
        """Delete free text older than ``older_than_days`` and stamp ``text_purged_at``; rows, hashes,
        lengths, ratings and every number stay for aggregates. Returns rows changed per table."""
        if older_than_days < 0:
            raise ValueError("older_than_days must be >= 0")
        now = aware_utc(now) or utcnow()
        cutoff = now - timedelta(days=older_than_days)
        plan = [
            (INTERACTIONS, INTERACTIONS.c.created_at, ("query_text", "answer_text")),
            (FEEDBACK, FEEDBACK.c.updated_at, ("comment",)),
            (SIGNALS, SIGNALS.c.created_at, ("message_text",)),
            (ESCALATIONS, ESCALATIONS.c.created_at, ("failed_answer_text",)),
        ]
        out: dict[str, int] = {}
        with self.engine.begin() as conn:
            for table, when, cols in plan:
                has_text = None
                for c in cols:
                    cond = table.c[c].is_not(None)
                    has_text = cond if has_text is None else (has_text | cond)
                res = conn.execute(update(table).where(when < cutoff, has_text)
                                   .values({**{c: None for c in cols}, "text_purged_at": now}))
                out[table.name] = res.rowcount
        return out

    # -- router versions, scheduler runs, pipeline jobs (written synchronously by admin/scheduler) ----
    def add_router_version(self, version: str, *, threshold: float | None = None,
                           domain_thresholds: dict[str, float] | None = None, dataset: str | None = None,
                           dataset_version: str | None = None, artifact_sha256: str | None = None,
                           metrics: dict[str, Any] | None = None, status: str = "candidate",
                           notes: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(self._insert(ROUTER_VERSIONS).values(
                version=version, created_at=utcnow(), status=status, threshold=threshold,
                domain_thresholds=domain_thresholds, dataset=dataset, dataset_version=dataset_version,
                artifact_sha256=artifact_sha256, metrics=metrics, notes=notes,
                activated_at=utcnow() if status == "active" else None))

    def set_router_status(self, version: str, status: str) -> None:
        """Change a version's status; making one ``active`` retires the previously active one."""
        with self.engine.begin() as conn:
            if status == "active":
                conn.execute(update(ROUTER_VERSIONS).where(ROUTER_VERSIONS.c.status == "active",
                                                           ROUTER_VERSIONS.c.version != version)
                             .values(status="retired"))
            res = conn.execute(update(ROUTER_VERSIONS).where(ROUTER_VERSIONS.c.version == version).values(
                status=status, **({"activated_at": utcnow()} if status == "active" else {})))
            if res.rowcount == 0:
                raise KeyError(f"unknown router version {version!r}")

    def router_versions(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(ROUTER_VERSIONS).order_by(ROUTER_VERSIONS.c.created_at)).mappings().all()
        return [dict(r) for r in rows]

    def active_router_version(self) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(ROUTER_VERSIONS).where(ROUTER_VERSIONS.c.status == "active")
                               .order_by(ROUTER_VERSIONS.c.activated_at.desc())).mappings().first()
        return dict(row) if row else None

    def start_scheduler_run(self, job: str, *, owner: str | None = None, detail: dict | None = None) -> str:
        run_id = new_id()
        with self.engine.begin() as conn:
            conn.execute(SCHEDULER_RUNS.insert().values(
                id=run_id, job=job, owner=owner or f"{socket.gethostname()}:{os.getpid()}", status="running",
                started_at=utcnow(), detail=detail))
        return run_id

    def finish_scheduler_run(self, run_id: str, status: str, *, detail: dict | None = None,
                             error: str | None = None) -> None:
        values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "error": error}
        if detail is not None:
            values["detail"] = detail
        with self.engine.begin() as conn:
            conn.execute(update(SCHEDULER_RUNS).where(SCHEDULER_RUNS.c.id == run_id).values(**values))

    def scheduler_runs(self, job: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        q = select(SCHEDULER_RUNS).order_by(SCHEDULER_RUNS.c.started_at.desc()).limit(limit)
        if job:
            q = q.where(SCHEDULER_RUNS.c.job == job)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def upsert_pipeline_job(self, job_id: str, *, phase: str, runner: str, status: str,
                            config: dict | None = None, remote_id: str | None = None,
                            outputs: dict | None = None, error: str | None = None) -> None:
        """Create or update a pipeline job; start/finish times follow its status."""
        now = utcnow()
        ins = self._insert(PIPELINE_JOBS).values(
            id=job_id, phase=phase, runner=runner, status=status, config=config, remote_id=remote_id,
            created_at=now, started_at=now if status == "running" else None,
            finished_at=now if status in ("succeeded", "failed", "cancelled") else None,
            outputs=outputs, error=error)
        ex, cur = ins.excluded, PIPELINE_JOBS.c
        stmt = ins.on_conflict_do_update(index_elements=["id"], set_={
            "status": ex.status,
            "remote_id": func.coalesce(ex.remote_id, cur.remote_id),
            "outputs": func.coalesce(ex.outputs, cur.outputs),
            "error": func.coalesce(ex.error, cur.error),
            "started_at": func.coalesce(cur.started_at, ex.started_at),
            "finished_at": func.coalesce(ex.finished_at, cur.finished_at),
        })
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def pipeline_jobs(self, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        q = select(PIPELINE_JOBS).order_by(PIPELINE_JOBS.c.created_at.desc()).limit(limit)
        if status:
            q = q.where(PIPELINE_JOBS.c.status == status)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    # -- reads --------------------------------------------------------------------------------------
    def count(self, table: str) -> int:
        t = {t.name: t for t in (SESSIONS, INTERACTIONS, FEEDBACK, SIGNALS, ESCALATIONS, ROUTER_VERSIONS,
                                 SCHEDULER_RUNS, PIPELINE_JOBS)}[table]
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t)).scalar_one()

    def interaction(self, interaction_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(INTERACTIONS).where(INTERACTIONS.c.id == interaction_id)).mappings().first()
        return dict(row) if row else None

    def feedback_for(self, interaction_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(FEEDBACK).where(FEEDBACK.c.interaction_id == interaction_id)
                                .order_by(FEEDBACK.c.user_id)).mappings().all()
        return [dict(r) for r in rows]

    def routing_mix(self, **kw) -> list[dict[str, Any]]:
        return queries.routing_mix(self.engine, **kw)

    def satisfaction(self, **kw) -> list[dict[str, Any]]:
        return queries.satisfaction(self.engine, **kw)

    def rating_distribution(self, **kw) -> dict[int, int]:
        return queries.rating_distribution(self.engine, **kw)

    def calibration_data(self, **kw) -> list[dict[str, Any]]:
        return queries.calibration_data(self.engine, **kw)

    def escalation_rate(self, **kw) -> list[dict[str, Any]]:
        return queries.escalation_rate(self.engine, **kw)


def _merge_sessions(rows: Iterable[dict]) -> list[dict]:
    """One row per session id (a multi-row upsert may not touch the same row twice on PostgreSQL)."""
    merged: dict[str, dict] = {}
    for r in rows:
        m = merged.get(r["id"])
        if m is None:
            merged[r["id"]] = dict(r)
            continue
        m["started_at"] = min(m["started_at"], r["started_at"])
        if r["last_seen_at"] >= m["last_seen_at"]:
            m["last_seen_at"] = r["last_seen_at"]
            m["consent"] = r["consent"]
        m["user_id"] = r["user_id"] or m["user_id"]
        m["client"] = r["client"] or m["client"]
        if r.get("personalized") is not None:
            m["personalized"] = r["personalized"]
        else:
            m.setdefault("personalized", None)
    return list(merged.values())


__all__ = ["TelemetryStore", "RecordError", "is_record_error", "sqlite_url_for", "redact_url"]
