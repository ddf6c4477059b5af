"""The raw-text retention job: delete free text older than N days, keep every aggregate.

``run_retention(store, days)`` is idempotent and records itself in ``scheduler_runs``, so it can
run from cron, ``python -m telemetry retention``, or APScheduler (``schedule_retention``). Running
it on several replicas at once is harmless (each purge is one UPDATE per table), so it needs no
lease, unlike the retraining job.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telemetry.store import TelemetryStore

log = logging.getLogger("modroute.telemetry.retention")

JOB_ID = "telemetry-retention"


def run_retention(store: TelemetryStore, days: float, *, now: datetime | None = None) -> dict[str, Any]:
    run_id = store.start_scheduler_run(JOB_ID, detail={"days": days})
    try:
        purged = store.purge_raw_text(days, now=now)
    except Exception as e:
        store.finish_scheduler_run(run_id, "failed", error=f"{type(e).__name__}: {e}")
        raise
    detail = {"days": days, "purged": purged}
    store.finish_scheduler_run(run_id, "succeeded", detail=detail)
    if any(purged.values()):
        log.info("retention: purged raw text older than %s days: %s", days, purged)
    return detail


def schedule_retention(scheduler: Any, store: TelemetryStore, days: float, *, hour: int = 3, minute: int = 17):
    """Add the daily job to an APScheduler 3 scheduler (explicit id, ``replace_existing``)."""
    return scheduler.add_job(run_retention, "cron", hour=hour, minute=minute, args=[store, days], id=JOB_ID,
                             name="purge raw telemetry text", replace_existing=True, coalesce=True,
                             max_instances=1)
