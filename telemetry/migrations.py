"""Ordered, named schema migrations recorded in ``schema_migrations`` (cf. simonw/llm ``migrations.py``).

Each migration is a function ``mNNN_name(conn)`` registered with ``@migration``; it describes
the tables *as they were at that step* (frozen Core DDL, never the live models, which keep
changing) so that an old database and a blank one end at the same schema. ``migrate(engine)``
applies the missing ones in order, each in its own transaction together with the row that
records it (SQLite DDL is transactional here because the store emits its own ``BEGIN``). Several
processes may start at once: PostgreSQL takes an advisory lock, SQLite a ``BEGIN IMMEDIATE``
write lock, and each re-reads what is applied under the lock.

To change the schema: append a new function, never edit one that has shipped, update
``telemetry/schema.py`` to the new shape, and add a test that upgrades from the previous step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

log = logging.getLogger("modroute.telemetry.migrations")

MIGRATIONS_TABLE = "schema_migrations"
MIGRATIONS: list[Callable[[Connection], None]] = []
_PG_LOCK_KEY = 0x6D6F6472  # "modr": one advisory lock id for migrations of this schema


def migration(fn: Callable[[Connection], None]) -> Callable[[Connection], None]:
    MIGRATIONS.append(fn)
    return fn


def _json() -> JSON:
    return JSON().with_variant(JSONB(), "postgresql")


def _ts() -> DateTime:
    return DateTime(timezone=True)  # timestamptz on PostgreSQL; values are UTC


def _str(n: int) -> String:
    return String(n)


class MigrationError(RuntimeError):
    pass


@migration
def m001_initial(conn: Connection) -> None:
    md = MetaData()
    Table(
        "sessions", md,
        Column("id", _str(64), primary_key=True),
        Column("user_id", _str(128), nullable=True),
        Column("client", _str(32), nullable=True),
        Column("consent", Boolean, nullable=False),
        Column("started_at", _ts(), nullable=False),
        Column("last_seen_at", _ts(), nullable=False),
        Index("ix_sessions_user_id", "user_id"),
    )
    Table(
        "interactions", md,
        Column("id", _str(64), primary_key=True),
        Column("session_id", _str(64), ForeignKey("sessions.id"), nullable=False),
        Column("created_at", _ts(), nullable=False),
        Column("query_hash", _str(64), nullable=False),
        Column("query_chars", Integer, nullable=False),
        Column("answer_chars", Integer, nullable=False),
        Column("consent", Boolean, nullable=False),
        Column("query_text", Text, nullable=True),
        Column("answer_text", Text, nullable=True),
        Column("mode", _str(16), nullable=False),
        Column("domain", _str(32), nullable=True),
        Column("modifier", _str(64), nullable=True),
        Column("router_confidence", Float, nullable=True),
        Column("threshold", Float, nullable=True),
        Column("forced", Boolean, nullable=False),
        Column("escalated", Boolean, nullable=False),
        Column("preempted", Boolean, nullable=False),
        Column("cascaded", Boolean, nullable=False),
        Column("router_version", _str(64), nullable=True),
        Column("route_latency_ms", Float, nullable=True),
        Column("latency_ms", Float, nullable=True),
        Column("ttft_ms", Float, nullable=True),
        Column("prompt_tokens", Integer, nullable=True),
        Column("completion_tokens", Integer, nullable=True),
        Column("tokens_per_s", Float, nullable=True),
        Column("response_confidence", Float, nullable=True),
        Column("finish_reason", _str(16), nullable=True),
        Column("decision", _json(), nullable=True),
        Index("ix_interactions_created_at", "created_at"),
        Index("ix_interactions_session_id", "session_id"),
        Index("ix_interactions_mode_domain", "mode", "domain"),
        Index("ix_interactions_query_hash", "query_hash"),
    )
    Table(
        "feedback", md,
        Column("id", _str(64), primary_key=True),
        Column("interaction_id", _str(64), nullable=False),
        Column("user_id", _str(128), nullable=False),
        Column("rating", Integer, nullable=True),
        Column("liked", Boolean, nullable=True),
        Column("preferred", Boolean, nullable=True),
        Column("comment", Text, nullable=True),
        Column("created_at", _ts(), nullable=False),
        Column("updated_at", _ts(), nullable=False),
        Column("revision", Integer, nullable=False),
        UniqueConstraint("interaction_id", "user_id", name="uq_feedback_interaction_user"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 10)", name="ck_feedback_rating_1_10"),
    )
    Table(
        "signals", md,
        Column("id", _str(64), primary_key=True),
        Column("interaction_id", _str(64), nullable=False),
        Column("session_id", _str(64), nullable=True),
        Column("kind", _str(32), nullable=False),
        Column("score", Float, nullable=True),
        Column("message_text", Text, nullable=True),
        Column("created_at", _ts(), nullable=False),
        Index("ix_signals_interaction_id", "interaction_id"),
    )
    Table(
        "escalations", md,
        Column("id", _str(64), primary_key=True),
        Column("session_id", _str(64), nullable=True),
        Column("failed_interaction_id", _str(64), nullable=False),
        Column("new_interaction_id", _str(64), nullable=True),
        Column("trigger", _str(16), nullable=False),
        Column("domain", _str(32), nullable=True),
        Column("modifier", _str(64), nullable=True),
        Column("failed_answer_text", Text, nullable=True),
        Column("failed_response_confidence", Float, nullable=True),
        Column("outcome", _str(16), nullable=False),
        Column("created_at", _ts(), nullable=False),
        Column("resolved_at", _ts(), nullable=True),
        Index("ix_escalations_failed_interaction_id", "failed_interaction_id"),
    )
    md.create_all(conn)


@migration
def m002_operations(conn: Connection) -> None:
    """Tables for the retraining scheduler, router versions and pipeline jobs."""
    md = MetaData()
    Table(
        "router_versions", md,
        Column("version", _str(64), primary_key=True),
        Column("created_at", _ts(), nullable=False),
        Column("status", _str(16), nullable=False),
        Column("threshold", Float, nullable=True),
        Column("domain_thresholds", _json(), nullable=True),
        Column("dataset", _str(256), nullable=True),
        Column("dataset_version", _str(64), nullable=True),
        Column("artifact_sha256", _str(64), nullable=True),
        Column("metrics", _json(), nullable=True),
        Column("activated_at", _ts(), nullable=True),
        Column("notes", Text, nullable=True),
    )
    Table(
        "scheduler_runs", md,
        Column("id", _str(64), primary_key=True),
        Column("job", _str(64), nullable=False),
        Column("owner", _str(128), nullable=True),
        Column("status", _str(16), nullable=False),
        Column("started_at", _ts(), nullable=False),
        Column("finished_at", _ts(), nullable=True),
        Column("detail", _json(), nullable=True),
        Column("error", Text, nullable=True),
        Index("ix_scheduler_runs_job_started", "job", "started_at"),
    )
    Table(
        "pipeline_jobs", md,
        Column("id", _str(64), primary_key=True),
        Column("phase", _str(64), nullable=False),
        Column("runner", _str(32), nullable=False),
        Column("status", _str(16), nullable=False),
        Column("config", _json(), nullable=True),
        Column("remote_id", _str(128), nullable=True),
        Column("created_at", _ts(), nullable=False),
        Column("started_at", _ts(), nullable=True),
        Column("finished_at", _ts(), nullable=True),
        Column("outputs", _json(), nullable=True),
        Column("error", Text, nullable=True),
        Index("ix_pipeline_jobs_status_created", "status", "created_at"),
    )
    md.create_all(conn)


@migration
def m003_retention(conn: Connection) -> None:
    """Raw-text retention: remember when a row's free text was purged (the row itself stays)."""
    ts = _ts().compile(dialect=conn.dialect)
    for table in ("interactions", "feedback", "signals", "escalations"):
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN text_purged_at {ts}"))


@migration
def m004_learning_loop(conn: Connection) -> None:
    """The learning loop: job leases, canary arms, router-version lifecycle, per-user opt-in, app settings."""
    ts = _ts().compile(dialect=conn.dialect)
    md = MetaData()
    # A lease row per job: taken atomically (conditional UPDATE / INSERT), expires if its holder dies.
    Table(
        "leases", md,
        Column("name", _str(64), primary_key=True),
        Column("owner", _str(128), nullable=False),
        Column("token", Integer, nullable=False),  # fencing counter: +1 on every acquisition
        Column("acquired_at", _ts(), nullable=False),
        Column("expires_at", _ts(), nullable=False),
    )
    # Every change of a router version's status, with who/why and the numbers behind it.
    Table(
        "router_transitions", md,
        Column("id", _str(64), primary_key=True),
        Column("version", _str(64), nullable=False),
        Column("from_status", _str(16), nullable=True),
        Column("to_status", _str(16), nullable=False),
        Column("at", _ts(), nullable=False),
        Column("actor", _str(128), nullable=False),  # scheduler | admin:<name> | retrain
        Column("reason", Text, nullable=True),
        Column("numbers", _json(), nullable=True),
        Index("ix_router_transitions_version_at", "version", "at"),
    )
    # Admin-edited settings that must survive a restart and be shared by replicas (e.g. the retrain interval).
    Table(
        "app_settings", md,
        Column("key", _str(64), primary_key=True),
        Column("value", _json(), nullable=True),
        Column("updated_at", _ts(), nullable=False),
        Column("updated_by", _str(128), nullable=True),
    )
    md.create_all(conn)
    conn.execute(text("ALTER TABLE interactions ADD COLUMN canary_arm VARCHAR(16)"))
    conn.execute(text("ALTER TABLE sessions ADD COLUMN personalized BOOLEAN"))
    for col, typ in (("canary_share", "FLOAT"), ("window_start", ts), ("window_end", ts),
                     ("artifact_path", "TEXT"), ("parent_version", "VARCHAR(64)"), ("canary_started_at", ts),
                     ("finished_at", ts)):
        conn.execute(text(f"ALTER TABLE router_versions ADD COLUMN {col} {typ}"))


@migration
def m005_escalation_rungs(conn: Connection) -> None:
    """Which escalation rung produced an answer, and what Accurate mode's tools did for it."""
    json_type = _json().compile(dialect=conn.dialect)
    conn.execute(text("ALTER TABLE interactions ADD COLUMN rung VARCHAR(32)"))
    conn.execute(text(f"ALTER TABLE interactions ADD COLUMN tools {json_type}"))
    conn.execute(text("ALTER TABLE escalations ADD COLUMN rung VARCHAR(32)"))


@migration
def m006_admin_console(conn: Connection) -> None:
    """The admin console: an audit trail of admin actions, and what a pipeline run needs to be followed."""
    md = MetaData()
    Table(
        "audit_log", md,
        Column("id", _str(64), primary_key=True),
        Column("at", _ts(), nullable=False),
        Column("actor", _str(128), nullable=False),  # admin name (HF user or token-admin), or "anonymous"
        Column("action", _str(64), nullable=False),  # sign_in | sign_in_refused | launch | cancel | publish | ...
        Column("target", _str(256), nullable=True),  # job id, version, repo@revision, ...
        Column("outcome", _str(16), nullable=False),  # ok | refused | failed
        Column("client", _str(128), nullable=True),  # the caller's address (for rate limiting and review)
        Column("detail", _json(), nullable=True),
        Index("ix_audit_log_at", "at"),
    )
    md.create_all(conn)
    ts = _ts().compile(dialect=conn.dialect)
    for col, typ in (("flavor", "VARCHAR(64)"), ("cost_estimate_usd", "FLOAT"), ("cost_usd", "FLOAT"),
                     ("log_tail", "TEXT"), ("artifact_uri", "TEXT"), ("revision", "VARCHAR(64)"),
                     ("progress", "FLOAT"), ("updated_at", ts), ("created_by", "VARCHAR(128)")):
        conn.execute(text(f"ALTER TABLE pipeline_jobs ADD COLUMN {col} {typ}"))


# -- runner ------------------------------------------------------------------------------------
def _migrations_table() -> Table:
    return Table(
        MIGRATIONS_TABLE, MetaData(),
        Column("name", _str(128), primary_key=True),
        Column("applied_at", _ts(), nullable=False),
    )


def names() -> list[str]:
    return [fn.__name__ for fn in MIGRATIONS]


def applied(engine: Engine) -> list[str]:
    """Names of applied migrations, in the order they were applied."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(MIGRATIONS_TABLE):
            return []
        t = _migrations_table()
        rows = conn.execute(t.select().order_by(t.c.applied_at, t.c.name)).all()
    order = {n: i for i, n in enumerate(names())}
    return sorted((r.name for r in rows), key=lambda n: order.get(n, len(order)))


def migrate(engine: Engine, target: str | None = None) -> list[str]:
    """Apply missing migrations in order (up to and including ``target``); return the names applied now.

    Refuses a database that has migrations this code does not know (it was written by a newer
    version): running old code on a newer schema would corrupt it quietly.
    """
    known = names()
    if target is not None and target not in known:
        raise MigrationError(f"unknown migration {target!r}; known: {', '.join(known)}")
    todo = known if target is None else known[: known.index(target) + 1]
    t = _migrations_table()
    done_now: list[str] = []
    for fn in MIGRATIONS:
        name = fn.__name__
        if name not in todo:
            break
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                t.create(conn, checkfirst=True)
                have = {r.name for r in conn.execute(t.select())}
                unknown = have - set(known)
                if unknown:
                    raise MigrationError(
                        f"the database has migrations this code does not know ({', '.join(sorted(unknown))}): "
                        "it was upgraded by a newer ModRoute; upgrade this one too"
                    )
                if name in have:
                    continue
                log.info("applying telemetry migration %s", name)
                fn(conn)
                conn.execute(t.insert().values(name=name, applied_at=datetime.now(UTC)))
                done_now.append(name)
    return done_now
