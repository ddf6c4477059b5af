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
                                     hash_key=ts.telemetry_hash_key.encode())
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


__all__ = ["TelemetrySettings", "database_url", "open_telemetry", "TelemetryStore", "TelemetryWriter"]
