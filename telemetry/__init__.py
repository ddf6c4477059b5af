"""Telemetry: every interaction becomes data that retraining can trust.

- ``telemetry.schema``      sqlmodel tables (sessions, interactions, feedback, signals, escalations,
                            router versions, scheduler runs, pipeline jobs)
- ``telemetry.migrations``  ordered, named migrations recorded in ``schema_migrations``
- ``telemetry.store``       ``TelemetryStore(url)``: SQLite or PostgreSQL, idempotent writes, queries
- ``telemetry.writer``      ``TelemetryWriter(store, spool_path)``: non-blocking, batched, spools when
                            the database is down; the durability contract is in its docstring
- ``telemetry.events``      typed events, built on the request path
- ``telemetry.privacy``     PII/secret scrubber applied before anything is stored
- ``telemetry.queries``     routing mix, satisfaction, rating distribution, calibration, escalation rate
- ``telemetry.retention``   purge raw text after N days (keeps aggregates), as a scheduled job
- ``python -m telemetry``   migrate | status | retention | bench | loadgen

Importing this package opens nothing; ``open_telemetry(settings)`` does, in the services factory::

    store, writer = open_telemetry(settings)
    stack.callback(store.close); stack.callback(writer.close)   # writer closes first (LIFO)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from telemetry.store import TelemetryStore
    from telemetry.writer import TelemetryWriter

log = logging.getLogger("modroute.telemetry")

SPOOL_FILE = "telemetry-spool.jsonl"
_SPOOL_SLOTS = 16


class TelemetrySettings(BaseSettings):
    """Telemetry knobs (env ``MODROUTE_*``), next to ``runtime.settings.Settings`` which owns
    ``database_url`` and ``data_dir``."""

    model_config = SettingsConfigDict(env_prefix="MODROUTE_", env_file=None, extra="ignore")

    retention_days: float = Field(
        default=30, ge=0, description="Raw text (consented queries, answers, comments) is deleted after this many days."
    )
    telemetry_spool: str = Field(
        default="", description=f"Spool file used while the database is unreachable. Empty = <data_dir>/{SPOOL_FILE}."
    )
    telemetry_queue_events: int = Field(default=10_000, ge=1, description="Events held in memory before spooling.")
    telemetry_batch_size: int = Field(default=500, ge=1, description="Most events committed per transaction.")
    telemetry_flush_interval_s: float = Field(
        default=0.05, gt=0, description="Longest an event waits in memory for its batch to fill."
    )
    telemetry_hash_key: str = Field(
        default="", repr=False,
        description="Optional secret: query hashes become HMACs, so short queries cannot be guessed from them.",
    )
    telemetry_spool_max_bytes: int = Field(
        default=256 << 20, ge=1 << 16,
        description=("Spool cap. Above it the spool is 'full': /healthz and the admin status say so, and new "
                     "events are spooled without consented raw text; nothing already acknowledged is dropped."),
    )
    telemetry_durable_timeout_s: float = Field(
        default=10.0, gt=0,
        description="Longest a finished answer waits for its interaction record to be durable before it is sent.",
    )

    # -- the learning loop (scheduler, retraining, canary) ------------------------------------------
    retrain_enabled: bool = Field(default=True, description="Run the scheduled routing-threshold retraining job.")
    retrain_interval: str = Field(
        default="7d", description="How often the retraining job runs: seconds, or a number with s/m/h/d/w (e.g. 12h)."
    )
    retrain_misfire_grace_s: int = Field(
        default=6 * 3600, ge=1, description="A run missed by at most this long (e.g. the app was down) still runs once."
    )
    retrain_min_labels: int = Field(
        default=10_000, ge=1, description="Labelled interactions needed before a retrain produces a new version."
    )
    retrain_replay_windows: int = Field(
        default=4, ge=0, description="Older windows (of one interval each) replayed with the newest one."
    )
    retrain_replay_weight: float = Field(
        default=0.5, ge=0, le=1, description="Sample weight of replayed older windows (the newest window has 1)."
    )
    lease_ttl_s: float = Field(
        default=900.0, gt=0, description="A job lease expires this long after its holder last renewed it."
    )
    canary_share: float = Field(default=0.10, ge=0, le=1, description="Share of sessions a new router version serves.")
    canary_min_rated: int = Field(
        default=200, ge=1, description="Rated interactions per arm before a canary may be promoted or judged worse."
    )
    canary_promote_margin: float = Field(
        default=0.01, ge=0, le=1, description="Promote when canary satisfaction beats the current version by this much."
    )
    canary_max_escalation_increase: float = Field(
        default=0.05, ge=0, le=1, description="Roll back when the canary's escalation rate exceeds the current's by this."
    )
    canary_max_error_rate: float = Field(
        default=0.05, ge=0, le=1, description="Roll back when this share of the canary's answers end in an error."
    )
    canary_check_interval: str = Field(
        default="15m", description="How often canary promotion/rollback is evaluated (same format as the interval)."
    )
    personalized_routing: bool = Field(
        default=False, description="Allow per-user threshold offsets for users who opt in (off by default)."
    )
    personalized_min_interactions: int = Field(
        default=50, ge=1, description="Interactions a user needs before a personal threshold offset is fitted."
    )


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_interval(text: str | float | int) -> float:
    """Seconds in an interval written as ``3600``, ``90s``, ``15m``, ``12h``, ``7d`` or ``1w``.

    ValueError (with what is accepted) for anything else, or for an interval under one second."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        seconds = float(text)
    else:
        s = str(text).strip().lower()
        try:
            seconds = float(s[:-1]) * _UNITS[s[-1]] if s and s[-1] in _UNITS else float(s)
        except (ValueError, KeyError):
            raise ValueError(f"interval {text!r}: expected seconds or a number with s/m/h/d/w, e.g. 12h or 7d") from None
    if not seconds >= 1 or seconds != seconds or seconds == float("inf"):
        raise ValueError(f"interval {text!r}: must be at least one second")
    return seconds


def database_url(settings: Any) -> str:
    """``settings.database_url``, or the SQLite file in the data dir when it is empty."""
    from telemetry.store import sqlite_url_for

    url = (getattr(settings, "database_url", "") or "").strip()
    return url or sqlite_url_for(settings.data_dir)


def open_telemetry(settings: Any = None, *, telemetry_settings: TelemetrySettings | None = None,
                   migrate: bool = True) -> tuple[TelemetryStore, TelemetryWriter]:
    """Store and running writer for ``settings`` (a ``runtime.settings.Settings``).

    Creates the data dir; migrates the database if it can be reached. If it cannot, the app still
    starts: the writer spools and migrates/replays when the database answers.
    """
    from sqlalchemy import exc as sa_exc

    from telemetry.store import TelemetryStore, redact_url
    from telemetry.writer import TelemetryWriter

    if settings is None:
        from runtime.settings import Settings

        settings = Settings()
    ts = telemetry_settings or TelemetrySettings()
    data_dir = Path(settings.data_dir).expanduser()
    data_dir.mkdir(parents=True, exist_ok=True)
    store = TelemetryStore(database_url(settings))
    if migrate:
        try:
            applied = store.migrate()
            if applied:
                log.info("telemetry database %s migrated: %s", redact_url(store.url), ", ".join(applied))
        except sa_exc.OperationalError as e:
            log.warning("telemetry database %s unreachable at start (%s); events will be spooled",
                        redact_url(store.url), str(e).splitlines()[0])
    from telemetry.writer import SpoolBusyError

    spool = Path(ts.telemetry_spool).expanduser() if ts.telemetry_spool else data_dir / SPOOL_FILE
    # One writer per spool file: replicas sharing a data dir take the first free slot
    # (telemetry-spool.jsonl, telemetry-spool.1.jsonl, ...), and a restarted one replays what its
    # predecessor in that slot left behind.
    for slot in range(_SPOOL_SLOTS):
        path = spool if slot == 0 else spool.with_name(f"{spool.stem}.{slot}{spool.suffix}")
        try:
            writer = TelemetryWriter(store, path, max_queue_events=ts.telemetry_queue_events,
                                     batch_size=ts.telemetry_batch_size,
                                     flush_interval_s=ts.telemetry_flush_interval_s,
                                     hash_key=ts.telemetry_hash_key.encode(),
                                     spool_max_bytes=ts.telemetry_spool_max_bytes,
                                     durable_timeout_s=ts.telemetry_durable_timeout_s)
        except SpoolBusyError:
            continue
        return store, writer
    store.close()
    raise SpoolBusyError(f"all {_SPOOL_SLOTS} telemetry spool slots next to {spool} are in use")


def __getattr__(name: str) -> Any:
    # Lazy re-exports: `import telemetry` stays cheap and opens nothing.
    if name == "TelemetryStore":
        from telemetry.store import TelemetryStore

        return TelemetryStore
    if name == "TelemetryWriter":
        from telemetry.writer import TelemetryWriter

        return TelemetryWriter
    raise AttributeError(name)


__all__ = ["TelemetrySettings", "parse_interval", "database_url", "open_telemetry", "TelemetryStore", "TelemetryWriter"]
