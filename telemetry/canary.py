"""Router-version lifecycle: candidate -> canary -> active | rolled_back | retired, every step recorded.

- ``start_canary`` puts a freshly trained candidate on a share of sessions (at most one canary: a newer
  candidate retires the older canary). ``runtime.versions.RouterVersionSet`` reads the table and
  assigns sessions to arms ("canary"/"control"), which telemetry stores per interaction.
- ``evaluate_canary`` compares the arms on the interactions since ``canary_started_at``, with the
  labels of ``telemetry.labels`` (satisfaction = satisfied / labelled), and decides:
  rollback at any time on a guard (the canary's escalation rate above control's by
  ``canary_max_escalation_increase``, or its error rate above ``canary_max_error_rate``, each once
  the canary has ``GUARD_MIN_ANSWERS`` answers so one error does not roll back); otherwise, once
  both arms have ``canary_min_rated`` labelled interactions, promote when the canary's satisfaction
  is at least control's + ``canary_promote_margin``, roll back when it is worse by that margin,
  and continue in between (and below the minimum).
- ``promote`` / ``rollback`` apply a decision (the scheduler's or an admin's); rolling back the
  *active* version re-activates the one it replaced.

Every status change writes a ``router_transitions`` row (who, why, the numbers behind it) in the
same transaction as the change. Changes are serialized across replicas (SQLite: BEGIN IMMEDIATE;
PostgreSQL: a transaction-scoped advisory lock) and conditional on the status read inside it, so a
scheduler and an admin acting at once cannot both promote. All state is in the database: a
restarted process evaluates the same canary on the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select, text, update

from telemetry import TelemetrySettings
from telemetry.events import new_id
from telemetry.schema import RouterTransition
from telemetry.store import ROUTER_VERSIONS, TelemetryStore, aware_utc, utcnow

log = logging.getLogger("modroute.telemetry.canary")

TRANSITIONS = RouterTransition.__table__
V = ROUTER_VERSIONS.c
CANARY_ARM, CONTROL_ARM = "canary", "control"
ERROR_FINISH_REASONS = ("error", "failed", "timeout")  # how a turn that failed is recorded
GUARD_MIN_ANSWERS = 20  # canary answers before the escalation/error guards may roll back
_PG_LOCK_KEY = 0x6D6F6472_6C6E6368 & 0x7FFFFFFFFFFFFFFF  # "modr" "lnch": serializes lifecycle changes


class TransitionError(ValueError):
    """The version is not in a state that allows this change (e.g. promoting a retired version)."""


@contextmanager
def _lifecycle_tx(engine: Engine) -> Iterator[Connection]:
    with engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        yield conn


def _transition(conn: Connection, version: str, from_status: str | None, to_status: str, actor: str,
                reason: str | None, numbers: Mapping[str, Any] | None, at: datetime) -> str:
    tid = new_id()
    conn.execute(TRANSITIONS.insert().values(id=tid, version=version, from_status=from_status, to_status=to_status,
                                             at=at, actor=str(actor)[:128], reason=reason,
                                             numbers=_jsonable(numbers or {})))
    log.info("router version %s: %s -> %s by %s (%s)", version, from_status, to_status, actor, reason or "")
    return tid


def record_transition(engine: Engine, version: str, from_status: str | None, to_status: str, actor: str,
                      reason: str | None = None, numbers: Mapping[str, Any] | None = None) -> str:
    """Record a status change done elsewhere (the lifecycle functions below record their own)."""
    with engine.begin() as conn:
        return _transition(conn, version, from_status, to_status, actor, reason, numbers, utcnow())


def _jsonable(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, float) and v != v:
        return None
    return v


def _row(conn: Connection, version: str) -> dict[str, Any]:
    row = conn.execute(select(ROUTER_VERSIONS).where(V.version == version)).mappings().first()
    if row is None:
        raise TransitionError(f"unknown router version {version!r}")
    return dict(row)


def _with_status(conn: Connection, status: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(ROUTER_VERSIONS).where(V.status == status)
                                          .order_by(V.created_at)).mappings()]


def _set(conn: Connection, version: str, expect: str, **values: Any) -> None:
    res = conn.execute(update(ROUTER_VERSIONS).where(V.version == version, V.status == expect).values(**values))
    if res.rowcount != 1:
        raise TransitionError(f"router version {version!r} is no longer {expect}")


# -- lifecycle -----------------------------------------------------------------------------------------
def start_canary(store: TelemetryStore, version: str, share: float, actor: str,
                 reason: str = "new candidate") -> dict[str, Any]:
    """candidate -> canary on ``share`` of sessions; an older canary is retired (at most one at a time)."""
    if not 0 < share <= 1:
        raise ValueError(f"canary share must be in (0, 1], got {share}")
    now = utcnow()
    with _lifecycle_tx(store.engine) as conn:
        row = _row(conn, version)
        if row["status"] != "candidate":
            raise TransitionError(f"router version {version} is {row['status']}, not a candidate")
        active = _with_status(conn, "active")
        control = active[-1]["version"] if active else None
        replaced = []
        for old in _with_status(conn, "canary"):
            _set(conn, old["version"], "canary", status="retired", finished_at=now)
            _transition(conn, old["version"], "canary", "retired", actor, f"replaced by the newer candidate {version}",
                        {"replaced_by": version}, now)
            replaced.append(old["version"])
        _set(conn, version, "candidate", status="canary", canary_share=float(share), canary_started_at=now,
             parent_version=row["parent_version"] or control)
        numbers = {"share": float(share), "control": control, "replaced": replaced}
        _transition(conn, version, "candidate", "canary", actor, reason, numbers, now)
    return {"version": version, "status": "canary", **numbers}


def promote(store: TelemetryStore, version: str, actor: str, reason: str = "promoted by hand",
            numbers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """canary -> active; the previously active version -> retired (it is what a rollback restores)."""
    now = utcnow()
    with _lifecycle_tx(store.engine) as conn:
        row = _row(conn, version)
        if row["status"] != "canary":
            raise TransitionError(f"router version {version} is {row['status']}: only a canary can be promoted")
        previous = [r["version"] for r in _with_status(conn, "active")]
        for old in previous:
            _set(conn, old, "active", status="retired", finished_at=now)
            _transition(conn, old, "active", "retired", actor, f"replaced by {version}", {"replaced_by": version}, now)
        _set(conn, version, "canary", status="active", activated_at=now, finished_at=None)
        nums = {**dict(numbers or {}), "previous_active": previous[-1] if previous else None}
        _transition(conn, version, "canary", "active", actor, reason, nums, now)
    return {"version": version, "status": "active", "previous_active": nums["previous_active"]}


def rollback(store: TelemetryStore, version: str, actor: str, reason: str = "rolled back by hand",
             numbers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """canary -> rolled_back (control keeps serving); or active -> rolled_back and the version it
    replaced (recorded when it was promoted) becomes active again — none: the shipped router serves."""
    now = utcnow()
    with _lifecycle_tx(store.engine) as conn:
        row = _row(conn, version)
        status = row["status"]
        if status not in ("canary", "active"):
            raise TransitionError(f"router version {version} is {status}: only the canary or the active version "
                                  "can be rolled back")
        _set(conn, version, status, status="rolled_back", finished_at=now)
        _transition(conn, version, status, "rolled_back", actor, reason, numbers, now)
        restored = None
        if status == "active":
            restored = _previous_active(conn, version)
            if restored is not None:
                prev_status = _row(conn, restored)["status"]
                _set(conn, restored, prev_status, status="active", activated_at=now, finished_at=None)
                _transition(conn, restored, prev_status, "active", actor, f"rollback of {version}",
                            {"rolled_back": version}, now)
    return {"version": version, "status": "rolled_back", "from": status, "restored": restored}


def _previous_active(conn: Connection, version: str) -> str | None:
    """The version ``version`` replaced when it became active, if it still exists and is not rolled back."""
    t = TRANSITIONS.c
    rows = conn.execute(select(t.numbers).where(t.version == version, t.to_status == "active")
                        .order_by(t.at.desc())).all()
    for (nums,) in rows:
        prev = (nums or {}).get("previous_active")
        if prev:
            r = conn.execute(select(V.status).where(V.version == prev)).first()
            if r is not None and r.status in ("retired", "candidate"):
                return prev
            return None
    return None


# -- evaluation ---------------------------------------------------------------------------------------
def _arm_numbers(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labelled = [r for r in rows if r["label"] is not None]
    satisfied = sum(1 for r in labelled if r["label"] == 1)
    # Escalation rate as telemetry.queries defines it: first answers (not themselves a regeneration)
    # that were escalated, by the user, the detector or the cascade.
    first = [r for r in rows if not r.get("escalated") and not r.get("cascaded")]
    escalated = sum(1 for r in first if (r.get("escalations_user", 0) + r.get("escalations_detector", 0)
                                         + r.get("escalations_cascade", 0)) > 0)
    errors = sum(1 for r in rows if (r.get("finish_reason") or "") in ERROR_FINISH_REASONS)
    n = len(rows)
    return {"answers": n, "sessions": len({r["session_id"] for r in rows}), "labelled": len(labelled),
            "satisfied": satisfied, "satisfaction": satisfied / len(labelled) if labelled else None,
            "first_answers": len(first), "escalated": escalated,
            "escalation_rate": escalated / len(first) if first else None,
            "errors": errors, "error_rate": errors / n if n else None}


def current_canary(store: TelemetryStore) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        rows = _with_status(conn, "canary")
    rows.sort(key=lambda r: aware_utc(r["canary_started_at"] or r["created_at"]))
    return rows[-1] if rows else None


def evaluate_canary(store: TelemetryStore, settings: TelemetrySettings, *, now: datetime | None = None) -> dict[str, Any]:
    """{"decision": promote | rollback | continue | none, "version", "reason", "numbers"} (module docstring)."""
    from telemetry.labels import label_interactions

    canary = current_canary(store)
    if canary is None:
        return {"decision": "none", "version": None, "reason": "no canary is running", "numbers": {}}
    version = canary["version"]
    since = aware_utc(canary["canary_started_at"] or canary["created_at"])
    now = aware_utc(now) or utcnow()
    rows = label_interactions(store.engine, since=since, until=now)
    # A session keeps the arm it was assigned while the versions set refreshes; rows of an older
    # canary that straggle in after this one started are not this canary's.
    arm_rows = {CANARY_ARM: [r for r in rows if r["canary_arm"] == CANARY_ARM
                             and r["router_version"] in (version, None)],
                CONTROL_ARM: [r for r in rows if r["canary_arm"] == CONTROL_ARM]}
    c, k = _arm_numbers(arm_rows[CANARY_ARM]), _arm_numbers(arm_rows[CONTROL_ARM])
    margin, need = settings.canary_promote_margin, settings.canary_min_rated
    numbers: dict[str, Any] = {
        "canary": c, "control": k, "since": since, "until": now, "control_version": canary["parent_version"],
        "min_rated": need, "promote_margin": margin, "guard_min_answers": GUARD_MIN_ANSWERS,
        "max_escalation_increase": settings.canary_max_escalation_increase,
        "max_error_rate": settings.canary_max_error_rate,
    }
    if c["satisfaction"] is not None and k["satisfaction"] is not None:
        numbers["satisfaction_diff"] = c["satisfaction"] - k["satisfaction"]

    def out(decision: str, reason: str) -> dict[str, Any]:
        return {"decision": decision, "version": version, "reason": reason, "numbers": _jsonable(numbers)}

    if c["answers"] >= GUARD_MIN_ANSWERS:
        if c["error_rate"] > settings.canary_max_error_rate:
            return out("rollback", f"error guard: {c['errors']}/{c['answers']} canary answers failed "
                                   f"({c['error_rate']:.1%} > {settings.canary_max_error_rate:.1%})")
        if k["answers"] >= GUARD_MIN_ANSWERS:
            inc = (c["escalation_rate"] or 0.0) - (k["escalation_rate"] or 0.0)
            numbers["escalation_increase"] = inc
            if inc > settings.canary_max_escalation_increase:
                return out("rollback", f"escalation guard: canary {c['escalation_rate']:.1%} vs control "
                                       f"{k['escalation_rate']:.1%} (+{inc:.1%} > "
                                       f"{settings.canary_max_escalation_increase:.1%})")
    if c["labelled"] < need or k["labelled"] < need:
        return out("continue", f"waiting for {need} labelled interactions per arm "
                               f"(canary {c['labelled']}, control {k['labelled']})")
    diff = numbers["satisfaction_diff"]
    sat = f"canary {c['satisfaction']:.1%} vs control {k['satisfaction']:.1%}"
    if diff >= margin - 1e-12:
        return out("promote", f"{sat}: better by {diff:+.1%} (>= {margin:.1%})")
    if -diff >= margin - 1e-12:
        return out("rollback", f"{sat}: worse by {diff:+.1%} (margin {margin:.1%})")
    return out("continue", f"{sat}: within the {margin:.1%} margin")


def apply_decision(store: TelemetryStore, evaluation: Mapping[str, Any], actor: str = "scheduler") -> dict[str, Any]:
    """Carry out ``evaluate_canary``'s promote/rollback; returns what happened (``applied``)."""
    decision, version = evaluation["decision"], evaluation.get("version")
    res: dict[str, Any] = {"decision": decision, "version": version, "reason": evaluation.get("reason"),
                           "applied": False}
    if decision not in ("promote", "rollback"):
        return res
    act = promote if decision == "promote" else rollback
    try:
        res["result"] = act(store, version, actor, evaluation["reason"], evaluation.get("numbers"))
        res["applied"] = True
    except TransitionError as e:  # an admin (or another replica) changed it first
        res["reason"] = f"{evaluation['reason']}; not applied: {e}"
    return res


# -- the admin tab ------------------------------------------------------------------------------------
def versions_overview(store: TelemetryStore, settings: TelemetrySettings | None = None, *,
                      transitions: int = 200) -> dict[str, Any]:
    """Versions (newest first) with status, thresholds, metrics, share and their transitions; the
    active and canary versions; with ``settings``, the canary's live evaluation."""
    t = TRANSITIONS.c
    with store.engine.connect() as conn:
        versions = [dict(r) for r in conn.execute(select(ROUTER_VERSIONS).order_by(V.created_at.desc())).mappings()]
        trs = [dict(r) for r in conn.execute(select(TRANSITIONS).order_by(t.at.desc()).limit(transitions)).mappings()]
    by_version: dict[str, list[dict[str, Any]]] = {}
    for tr in reversed(trs):
        by_version.setdefault(tr["version"], []).append(tr)
    for v in versions:
        v["transitions"] = by_version.get(v["version"], [])
    active = next((v["version"] for v in versions if v["status"] == "active"), None)
    canary = current_canary(store)
    out: dict[str, Any] = {"versions": versions, "active": active, "canary": canary["version"] if canary else None,
                           "transitions": trs}
    if settings is not None and canary is not None:
        out["canary_evaluation"] = evaluate_canary(store, settings)
    return out


# -- the scheduler's jobs -------------------------------------------------------------------------------
def _active_current(store: TelemetryStore) -> dict[str, Any] | None:
    active = store.active_router_version()
    if active and active.get("threshold") is not None:
        return {"threshold": active["threshold"], "domain_thresholds": active.get("domain_thresholds") or {},
                "version": active["version"]}
    return None


def make_learning_jobs(store: TelemetryStore, settings: TelemetrySettings, out_dir: str | Path,
                       base_version_fn: Callable[[], str] = lambda: "",
                       current_fn: Callable[[], Mapping[str, Any] | None] | None = None,
                       *, isolate: bool = True) -> dict[str, Callable[[Any], dict[str, Any]]]:
    """``{"retrain": ..., "canary_check": ...}`` for ``LearningScheduler``.

    ``base_version_fn()`` names the base router the adaptive layer sits on; ``current_fn()`` gives the
    serving thresholds ({"threshold", "domain_thresholds", "version"}) — default: the active router
    version's (``run_retrain`` falls back to 0.8 when there is none). With ``isolate`` (the default) the
    retraining runs in a child process (``telemetry.retrain_worker``: its own GIL, nice +10), so a
    serving process keeps streaming while it trains; the canary check is light and runs in-process."""
    from telemetry.retrain import RetrainConfig, run_retrain
    from telemetry.retrain_worker import retrain_in_subprocess

    current_fn = current_fn or (lambda: _active_current(store))

    def retrain_job(ctx) -> dict[str, Any]:
        # The data window follows the interval the job actually runs at (an admin may have changed it).
        cfg = RetrainConfig.from_settings(settings, window_s=ctx.interval_s)
        if isolate:
            out = retrain_in_subprocess(store.url.render_as_string(hide_password=False), out_dir, cfg,
                                        base_version=base_version_fn(), current=dict(current_fn() or {}) or None,
                                        progress=ctx.progress)
        else:
            out = run_retrain(store, Path(out_dir), cfg, base_version=base_version_fn(), current=current_fn(),
                              progress=ctx.progress).to_dict()
        if out.get("status") == "trained":
            ctx.progress("starting the canary", 1.0)
            out["canary"] = start_canary(store, out["version"], settings.canary_share, "retrain",
                                         reason=f"trained on {out['n_labels']} labelled interactions")
        return out

    def canary_check_job(ctx) -> dict[str, Any]:
        ev = evaluate_canary(store, settings)
        res = apply_decision(store, ev, actor="scheduler")
        res["numbers"] = ev["numbers"]
        return res

    return {"retrain": retrain_job, "canary_check": canary_check_job}


__all__ = ["record_transition", "start_canary", "promote", "rollback", "evaluate_canary", "apply_decision",
           "versions_overview", "current_canary", "make_learning_jobs", "TransitionError", "ERROR_FINISH_REASONS",
           "GUARD_MIN_ANSWERS"]
