"""``JobBook``: pipeline jobs in the telemetry database's ``pipeline_jobs`` table (SQLite or PostgreSQL).

The table is what survives an app restart: phase, config, runner, flavor, status, timings, estimated and
final cost, log tail, artifact location, and in ``outputs`` what a runner needs to find its job again (a
local process's pid and start time, the job directory). Nothing secret is stored: every text and JSON value
goes through :func:`redact` first (the Hub token, and anything shaped like one).
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

ACTIVE = ("queued", "running")
FINISHED = ("succeeded", "failed", "cancelled")
LOG_TAIL_LINES = 60
_TOKEN_RE = re.compile(r"\bhf_[A-Za-z0-9]{16,}\b")
_SECRET_ENV = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACE_HUB_TOKEN")
_COLUMNS = {"status", "config", "remote_id", "started_at", "finished_at", "outputs", "error", "flavor",
            "cost_estimate_usd", "cost_usd", "log_tail", "artifact_uri", "revision", "progress", "created_by"}


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the Hub token (env and ``secrets``) and token-shaped strings replaced."""
    if not text:
        return text
    for s in [*secrets, *(os.environ.get(k, "") for k in _SECRET_ENV)]:
        if s and len(s) >= 8:
            text = text.replace(s, "[redacted]")
    return _TOKEN_RE.sub("hf_[redacted]", text)


def redact_json(value: Any, secrets: Iterable[str] = ()) -> Any:
    if value is None:
        return None
    return json.loads(redact(json.dumps(value, default=str), list(secrets)))


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_job_id() -> str:
    return uuid.uuid4().hex[:16]


class JobBook:
    """Create, update and list pipeline jobs. ``store``: a ``telemetry.store.TelemetryStore`` (migrated)."""

    def __init__(self, store) -> None:
        from telemetry.store import PIPELINE_JOBS

        self.store = store
        self.table = PIPELINE_JOBS
        self._secrets: set[str] = set()
        self._lock = threading.Lock()  # read-modify-write of ``outputs`` from watcher threads

    def add_secret(self, value: str | None) -> None:
        """A value never to be written (e.g. the token a runner was given)."""
        if value:
            self._secrets.add(value)

    def _clean(self, key: str, value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, self._secrets)
        if key in ("config", "outputs"):
            return redact_json(value, self._secrets)
        return value

    def create(self, *, phase: str, runner: str, config: dict[str, Any] | None, status: str = "queued",
               job_id: str | None = None, **fields: Any) -> str:
        job_id = job_id or new_job_id()
        unknown = set(fields) - _COLUMNS
        if unknown:
            raise ValueError(f"unknown pipeline_jobs columns {sorted(unknown)}")
        now = utcnow()
        row = {"id": job_id, "phase": phase, "runner": runner, "status": status, "config": config,
               "created_at": now, "updated_at": now, **fields}
        if status == "running":
            row.setdefault("started_at", now)
        row = {k: self._clean(k, v) for k, v in row.items()}
        with self.store.engine.begin() as conn:
            conn.execute(self.table.insert().values(**row))
        return job_id

    def update(self, job_id: str, *, outputs: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Set columns; ``outputs`` is merged into the stored dict. Returns the updated row."""
        unknown = set(fields) - _COLUMNS
        if unknown:
            raise ValueError(f"unknown pipeline_jobs columns {sorted(unknown)}")
        with self._lock, self.store.engine.begin() as conn:
            t = self.table
            row = conn.execute(select(t).where(t.c.id == job_id)).mappings().first()
            if row is None:
                raise KeyError(job_id)
            values = {k: self._clean(k, v) for k, v in fields.items()}
            if outputs is not None:
                values["outputs"] = self._clean("outputs", {**(row["outputs"] or {}), **outputs})
            status = fields.get("status")
            if status == "running" and row["started_at"] is None:
                values.setdefault("started_at", utcnow())
            if status in FINISHED and row["finished_at"] is None:
                values.setdefault("finished_at", utcnow())
            values["updated_at"] = utcnow()
            conn.execute(t.update().where(t.c.id == job_id).values(**values))
            new = conn.execute(select(t).where(t.c.id == job_id)).mappings().first()
        return self._row(new)

    @staticmethod
    def _row(row) -> dict[str, Any]:
        d = dict(row)
        for k in ("created_at", "started_at", "finished_at", "updated_at"):
            d[k] = _aware(d.get(k))
        d["outputs"] = d.get("outputs") or {}
        return d

    def get(self, job_id: str) -> dict[str, Any] | None:
        t = self.table
        with self.store.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.id == job_id)).mappings().first()
        return self._row(row) if row else None

    def list(self, *, status: str | Iterable[str] | None = None, runner: str | None = None,
             phase: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first."""
        t = self.table
        q = select(t).order_by(t.c.created_at.desc()).limit(limit)
        if status:
            q = q.where(t.c.status.in_([status] if isinstance(status, str) else list(status)))
        if runner:
            q = q.where(t.c.runner == runner)
        if phase:
            q = q.where(t.c.phase == phase)
        with self.store.engine.connect() as conn:
            return [self._row(r) for r in conn.execute(q).mappings()]

    def active(self, runner: str | None = None) -> list[dict[str, Any]]:
        return self.list(status=ACTIVE, runner=runner, limit=1000)

    def durations(self, phase: str, flavor: str | None, limit: int = 20) -> list[float]:
        """Wall seconds of earlier succeeded jobs of ``phase`` on ``flavor`` (for cost estimates)."""
        out = []
        for r in self.list(status="succeeded", phase=phase, limit=200):
            if r["flavor"] == flavor and r["started_at"] and r["finished_at"]:
                out.append((r["finished_at"] - r["started_at"]).total_seconds())
        return out[:limit]
