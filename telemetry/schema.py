"""The telemetry schema as it is after every migration (sqlmodel tables).

These classes are the *current* shape, used by queries; the database gets there only
through ``telemetry.migrations`` (``tests/test_telemetry_store.py`` checks that a migrated
database and these models agree column by column).

Conventions: ids are strings (UUIDs generated where the event happens, so a replay can never
create a second row); all times are timezone-aware UTC (sqlmodel's ``UTCDateTime``: timestamptz on PostgreSQL); free text columns (``*_text``, ``comment``) hold
scrubbed text, only when the user consented, and are emptied by the retention job, which stamps
``text_purged_at``. Feedback, signals and escalations refer to interactions by id without a
foreign key: events can arrive out of order after a spool replay, and a rating must never be lost
because its interaction row is a batch behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

# JSON on SQLite (text), JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")

ID_LEN = 64  # UUID4 strings by default; API completion ids (e.g. 'chatcmpl-...') fit too
SESSION_ID_LEN = 64
USER_ID_LEN = 128

MODES = ("fast", "accurate")
SIGNAL_KINDS = ("rephrase", "dismissal", "clarifying_question", "copy", "continuation", "regenerate", "stop")
NEGATIVE_SIGNALS = ("rephrase", "dismissal", "regenerate")
POSITIVE_SIGNALS = ("copy", "continuation")
ESCALATION_TRIGGERS = ("user", "detector", "cascade")
ESCALATION_OUTCOMES = ("pending", "resolved", "failed", "abandoned")


class TelemetryModel(SQLModel, registry=registry()):
    """Own metadata, so other packages' sqlmodel tables never mix with telemetry's."""


def _json(**kw: Any) -> Any:
    return Field(default=None, sa_column=Column(JSONType, nullable=True, **kw))


class SchemaMigration(TelemetryModel, table=True):
    __tablename__ = "schema_migrations"
    name: str = Field(primary_key=True, max_length=128)
    applied_at: datetime


class ChatSession(TelemetryModel, table=True):
    __tablename__ = "sessions"
    id: str = Field(primary_key=True, max_length=SESSION_ID_LEN)
    user_id: str | None = Field(default=None, max_length=USER_ID_LEN, index=True)
    client: str | None = Field(default=None, max_length=32)
    consent: bool = Field(default=False)
    started_at: datetime
    last_seen_at: datetime
    personalized: bool | None = None  # the user opted in to personalised routing thresholds


class Interaction(TelemetryModel, table=True):
    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_created_at", "created_at"),
        Index("ix_interactions_session_id", "session_id"),
        Index("ix_interactions_mode_domain", "mode", "domain"),
    )
    id: str = Field(primary_key=True, max_length=ID_LEN)
    session_id: str = Field(sa_column=Column(String(SESSION_ID_LEN), ForeignKey("sessions.id"), nullable=False))
    created_at: datetime
    query_hash: str = Field(max_length=64, index=True)
    query_chars: int = 0
    answer_chars: int = 0
    consent: bool = False
    query_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answer_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    mode: str = Field(max_length=16)
    domain: str | None = Field(default=None, max_length=32)
    modifier: str | None = Field(default=None, max_length=64)
    router_confidence: float | None = None
    threshold: float | None = None
    forced: bool = False
    escalated: bool = False
    preempted: bool = False
    cascaded: bool = False  # a low-confidence Fast answer regenerated in Accurate mode
    router_version: str | None = Field(default=None, max_length=64)
    route_latency_ms: float | None = None
    latency_ms: float | None = None
    ttft_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    tokens_per_s: float | None = None
    response_confidence: float | None = None
    finish_reason: str | None = Field(default=None, max_length=16)
    decision: dict | None = _json()
    text_purged_at: datetime | None = None
    canary_arm: str | None = Field(default=None, max_length=16)  # control | canary (None: no canary running)
    rung: str | None = Field(default=None, max_length=32)  # escalation rung: modifier | critique | consistency | exhausted
    tools: dict | None = _json()  # what Accurate mode's tools did (critique rounds, self-consistency votes, few-shot)


class Feedback(TelemetryModel, table=True):
    """One current row per (interaction, user): a changed rating updates it, ``revision`` counts changes."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("interaction_id", "user_id", name="uq_feedback_interaction_user"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 10)", name="ck_feedback_rating_1_10"),
    )
    id: str = Field(primary_key=True, max_length=ID_LEN)
    interaction_id: str = Field(max_length=ID_LEN)
    user_id: str = Field(max_length=USER_ID_LEN)
    rating: int | None = None
    liked: bool | None = None
    preferred: bool | None = None
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    updated_at: datetime
    revision: int = 1
    text_purged_at: datetime | None = None


class Signal(TelemetryModel, table=True):
    """An implicit reaction to an answer (see ``SIGNAL_KINDS``), e.g. from the dissatisfaction detector."""

    __tablename__ = "signals"
    id: str = Field(primary_key=True, max_length=ID_LEN)
    interaction_id: str = Field(max_length=ID_LEN, index=True)
    session_id: str | None = Field(default=None, max_length=SESSION_ID_LEN)
    kind: str = Field(max_length=32)
    score: float | None = None
    message_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    text_purged_at: datetime | None = None


class Escalation(TelemetryModel, table=True):
    __tablename__ = "escalations"
    id: str = Field(primary_key=True, max_length=ID_LEN)
    session_id: str | None = Field(default=None, max_length=SESSION_ID_LEN)
    failed_interaction_id: str = Field(max_length=ID_LEN, index=True)
    new_interaction_id: str | None = Field(default=None, max_length=ID_LEN)
    trigger: str = Field(max_length=16)
    domain: str | None = Field(default=None, max_length=32)
    modifier: str | None = Field(default=None, max_length=64)
    failed_answer_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    failed_response_confidence: float | None = None
    outcome: str = Field(default="pending", max_length=16)
    created_at: datetime
    resolved_at: datetime | None = None
    text_purged_at: datetime | None = None
    rung: str | None = Field(default=None, max_length=32)  # the ladder's rung this escalation climbed to


class RouterVersion(TelemetryModel, table=True):
    """A set of routing thresholds and where they came from (dataset + version), with its lifecycle."""

    __tablename__ = "router_versions"
    version: str = Field(primary_key=True, max_length=64)
    created_at: datetime
    status: str = Field(default="candidate", max_length=16)  # candidate | canary | active | retired | rolled_back
    threshold: float | None = None
    domain_thresholds: dict | None = _json()
    dataset: str | None = Field(default=None, max_length=256)
    dataset_version: str | None = Field(default=None, max_length=64)
    artifact_sha256: str | None = Field(default=None, max_length=64)
    metrics: dict | None = _json()
    activated_at: datetime | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    canary_share: float | None = None  # share of sessions served while status == "canary"
    window_start: datetime | None = None  # the telemetry window it was trained on
    window_end: datetime | None = None
    artifact_path: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    parent_version: str | None = Field(default=None, max_length=64)  # the version it was compared against
    canary_started_at: datetime | None = None
    finished_at: datetime | None = None  # promoted past, retired or rolled back


class SchedulerRun(TelemetryModel, table=True):
    __tablename__ = "scheduler_runs"
    __table_args__ = (Index("ix_scheduler_runs_job_started", "job", "started_at"),)
    id: str = Field(primary_key=True, max_length=ID_LEN)
    job: str = Field(max_length=64)
    owner: str | None = Field(default=None, max_length=128)
    status: str = Field(default="running", max_length=16)  # running | succeeded | failed | skipped
    started_at: datetime
    finished_at: datetime | None = None
    detail: dict | None = _json()
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class PipelineJob(TelemetryModel, table=True):
    __tablename__ = "pipeline_jobs"
    __table_args__ = (Index("ix_pipeline_jobs_status_created", "status", "created_at"),)
    id: str = Field(primary_key=True, max_length=ID_LEN)
    phase: str = Field(max_length=64)
    runner: str = Field(max_length=32)  # local | hf_jobs | ...
    status: str = Field(default="queued", max_length=16)  # queued | running | succeeded | failed | cancelled
    config: dict | None = _json()
    remote_id: str | None = Field(default=None, max_length=128)
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    outputs: dict | None = _json()
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    flavor: str | None = Field(default=None, max_length=64)  # hardware (HF Jobs flavor; "cpu" locally)
    cost_estimate_usd: float | None = None
    cost_usd: float | None = None
    log_tail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    artifact_uri: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # where outputs went
    revision: str | None = Field(default=None, max_length=64)  # the code revision the job ran
    progress: float | None = None  # 0..1
    updated_at: datetime | None = None
    created_by: str | None = Field(default=None, max_length=128)


class Lease(TelemetryModel, table=True):
    """A job lease: one holder at a time across processes and replicas; expires if the holder dies."""

    __tablename__ = "leases"
    name: str = Field(primary_key=True, max_length=64)
    owner: str = Field(max_length=128)
    token: int = 0  # fencing counter, +1 on every acquisition
    acquired_at: datetime
    expires_at: datetime


class RouterTransition(TelemetryModel, table=True):
    __tablename__ = "router_transitions"
    __table_args__ = (Index("ix_router_transitions_version_at", "version", "at"),)
    id: str = Field(primary_key=True, max_length=ID_LEN)
    version: str = Field(max_length=64)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    at: datetime
    actor: str = Field(max_length=128)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    numbers: dict | None = _json()


class AppSetting(TelemetryModel, table=True):
    __tablename__ = "app_settings"
    key: str = Field(primary_key=True, max_length=64)
    value: dict | None = _json()
    updated_at: datetime
    updated_by: str | None = Field(default=None, max_length=128)


class AuditEntry(TelemetryModel, table=True):
    """Every admin action (and refused attempt): who, when, what, on what, with what outcome."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)
    id: str = Field(primary_key=True, max_length=ID_LEN)
    at: datetime
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)
    target: str | None = Field(default=None, max_length=256)
    outcome: str = Field(max_length=16)
    client: str | None = Field(default=None, max_length=128)
    detail: dict | None = _json()


metadata = TelemetryModel.metadata
