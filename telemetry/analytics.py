"""The admin tab's routing analytics as tidy rows: one function per plot, pure data, no Gradio.

Every function takes a SQLAlchemy engine (``store.engine``) and a window (``since``/``until``,
UTC; ``window_bounds("7d")`` turns the admin dropdown into one) and returns a list of plain dicts
— one row per point/bar, column names as the plot uses them — or, for the reliability diagram and
the canary comparison, a small dict holding such rows. A fresh database gives empty rows, never
an error. The SQL is the same on SQLite and PostgreSQL (``telemetry.queries`` conventions: windows
apply to the interaction's ``created_at``, time buckets are UTC strings such as ``2026-11-03`` or
``2026-11-03T14:00``).

"Satisfied" is the per-interaction label of ``telemetry.labels.label_interactions`` (1 satisfied,
0 not, None unlabelled: explicit ratings >= 7 / <= 4 first, then likes, complaints, Regenerate,
the detector, a natural continuation — its docstring has the precedence), the same labels the
retraining job learns from. Satisfaction = satisfied / labelled.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, case, func, select

from telemetry import parse_interval, queries
from telemetry.labels import label_interactions
from telemetry.schema import ESCALATION_OUTCOMES, Escalation, Interaction, RouterTransition, RouterVersion

I = Interaction.__table__  # noqa: E741
E = Escalation.__table__
RV = RouterVersion.__table__
RT = RouterTransition.__table__

WINDOWS = {"24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days", "all": "All time"}
ECE_BINS = 15
MODE_LABELS = {"fast": "Fast", "accurate": "Accurate"}
BASE = "base"  # the modifier column's value for answers without a modifier (Fast, or a fallback)
GLOBAL = "global"  # threshold history: the version's global threshold, next to its per-domain ones
UNKNOWN = "unknown"  # a domain the router did not name


# -- windows and buckets ----------------------------------------------------------------------------
def window_bounds(window: str | None, *, now: datetime | None = None) -> tuple[datetime | None, datetime | None]:
    """``"24h"``/``"7d"``/``"30d"``/any ``parse_interval`` text -> (since, None); ``"all"``/None -> (None, None)."""
    if window is None or str(window).strip().lower() in ("", "all"):
        return None, None
    now = now or datetime.now(UTC)
    return now - timedelta(seconds=parse_interval(window)), None


def bucket_for(window: str | None) -> str:
    """Hourly points for windows up to two days, daily ones beyond (and for "all")."""
    if window is None or str(window).strip().lower() in ("", "all"):
        return "day"
    return "hour" if parse_interval(window) <= 2 * 86400 else "day"


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _between(col, since: datetime | None, until: datetime | None) -> list:
    conds = []
    if since is not None:
        conds.append(col >= _utc(since))
    if until is not None:
        conds.append(col < _utc(until))
    return conds


def _bucket(engine: Engine, col, bucket: str):
    """``col`` as a UTC bucket string, same text on both backends (``queries`` formats)."""
    if bucket not in queries._BUCKETS:
        raise ValueError(f"bucket must be one of {tuple(queries._BUCKETS)}")
    sqlite_fmt, pg_fmt = queries._BUCKETS[bucket]
    if engine.dialect.name == "sqlite":
        return func.strftime(sqlite_fmt, col)
    return func.to_char(func.timezone("UTC", col), pg_fmt)


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


# -- labels -----------------------------------------------------------------------------------------
def labelled_interactions(engine: Engine, *, since: datetime | None = None,
                          until: datetime | None = None) -> list[dict[str, Any]]:
    """``telemetry.labels.label_interactions`` for the window: one row per interaction with its
    evidence counts and label. Compute it once per refresh and pass it as ``rows=`` to the
    satisfaction and reliability functions, which otherwise each read it again."""
    return label_interactions(engine, since=since, until=until)


def _escalated(r: dict[str, Any]) -> bool:
    return bool(r["escalations_user"] or r["escalations_detector"] or r["escalations_cascade"])


def _summarise(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    n = labelled = satisfied = first = first_escalated = n_ratings = 0
    rating_sum = 0.0
    sessions: set[str] = set()
    for r in rows:
        n += 1
        sessions.add(r["session_id"])
        if r["label"] is not None:
            labelled += 1
            satisfied += int(r["label"])
        if r["n_ratings"]:
            n_ratings += r["n_ratings"]
            rating_sum += r["mean_rating"] * r["n_ratings"]
        if not r["escalated"] and not r["cascaded"]:  # first answers, as in queries.escalation_rate
            first += 1
            first_escalated += _escalated(r)
    return {"sessions": len(sessions), "interactions": n, "labelled": labelled, "satisfied": satisfied,
            "satisfaction": _rate(satisfied, labelled), "ratings": n_ratings,
            "mean_rating": rating_sum / n_ratings if n_ratings else None,
            "first_answers": first, "escalated": first_escalated, "escalation_rate": _rate(first_escalated, first)}


# -- 1. routing mix ---------------------------------------------------------------------------------
def routing_mix_over_time(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                          bucket: str = "day") -> list[dict[str, Any]]:
    """Per bucket and mode ("Fast"/"Accurate"): interactions and share of the bucket (shares sum to 1)."""
    rows = queries.routing_mix(engine, since=since, until=until, bucket=bucket, by=("mode",))
    return [{"bucket": r["bucket"], "mode": MODE_LABELS.get(r["mode"], r["mode"]), "count": int(r["count"]),
             "share": r["share"], "forced": r["forced"], "escalated": r["escalated"], "cascaded": r["cascaded"]}
            for r in rows]


def modifier_mix_over_time(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                           bucket: str = "day") -> list[dict[str, Any]]:
    """Per bucket and modifier (``"base"`` = no modifier): interactions and share of the bucket."""
    rows = queries.routing_mix(engine, since=since, until=until, bucket=bucket, by=("modifier",))
    return [{"bucket": r["bucket"], "modifier": r["modifier"] or BASE, "count": int(r["count"]), "share": r["share"]}
            for r in rows]


# -- 2. satisfaction ----------------------------------------------------------------------------------
def satisfaction_by(engine: Engine, by: str = "mode", *, since: datetime | None = None,
                    until: datetime | None = None, rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Per mode (``by="mode"``, values Fast/Accurate), domain, modifier, router version or canary arm:
    sessions, interactions, labelled, satisfied, satisfaction (None when nothing is labelled),
    ratings and their mean, and the escalation rate of first answers.

    Groups with interactions but no labels are kept (satisfaction None), so a plot can say so.
    ``rows`` (from ``labelled_interactions`` over the same window) saves reading them again."""
    if by not in ("mode", "domain", "modifier", "router_version", "canary_arm"):
        raise ValueError(f"cannot group satisfaction by {by!r}")
    if rows is None:
        rows = labelled_interactions(engine, since=since, until=until)
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        key = r[by]
        if by == "mode":
            key = MODE_LABELS.get(key, key)
        elif by == "modifier":
            key = key or BASE
        groups[key or UNKNOWN].append(r)
    return [{by: k, **_summarise(g)} for k, g in sorted(groups.items())]


# -- 3. reliability of the live router ---------------------------------------------------------------
def live_router_version(engine: Engine) -> str | None:
    """The version the router answers with for most sessions: the active row of ``router_versions``,
    else the version on the newest interaction (the shipped router, before any retraining)."""
    with engine.connect() as conn:
        v = conn.execute(select(RV.c.version).where(RV.c.status == "active")
                         .order_by(RV.c.activated_at.desc()).limit(1)).scalar()
        if v is None:
            v = conn.execute(select(I.c.router_version).where(I.c.router_version.is_not(None))
                             .order_by(I.c.created_at.desc()).limit(1)).scalar()
    return v


def reliability_diagram(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                        router_version: str | None = None, bins: int = ECE_BINS,
                        rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Predicted confidence vs observed satisfaction for the live router (or ``router_version``).

    Only unforced Fast answers count: the router's confidence predicts whether the *base* answer is
    good enough, and only Fast answers show the base. Returns ``{"router_version", "n" (labelled
    rows used), "ece" (``bins`` equal-width bins, None when n = 0), "bins": [{bin, lo, hi, n,
    mean_confidence, observed}] (every bin, n = 0 included), "points": the bins with n > 0}``.
    ``rows``: as for ``satisfaction_by``.
    """
    version = router_version or live_router_version(engine)
    empty = {"router_version": version, "n": 0, "ece": None, "bins": [], "points": []}
    if version is None:
        return empty
    if rows is None:
        rows = labelled_interactions(engine, since=since, until=until)
    mine = [r for r in rows if r["router_version"] == version and r["mode"] == "fast" and not r["forced"]
            and r["router_confidence"] is not None and r["label"] is not None]
    if not mine:
        return empty
    rel = queries.reliability(mine, key="router_confidence", bins=bins)
    table = [{"bin": i, **b} for i, b in enumerate(rel["bins"])]
    return {"router_version": version, "n": rel["n"], "ece": rel["ece"], "bins": table,
            "points": [b for b in table if b["n"]]}


# -- 4. threshold history -------------------------------------------------------------------------------
def threshold_history(engine: Engine) -> list[dict[str, Any]]:
    """One row per (router version, domain) with its threshold, ``domain="global"`` for the version's
    global threshold; ``at`` is when it started serving (activated, else canary start, else created).

    Independent of the analytics window: versions are few, and a line needs the one in force before."""
    with engine.connect() as conn:
        versions = [dict(r) for r in conn.execute(select(RV).order_by(RV.c.created_at, RV.c.version)).mappings()]
    out = []
    for v in versions:
        at = v["activated_at"] or v["canary_started_at"] or v["created_at"]
        common = {"version": v["version"], "status": v["status"], "at": _utc(at), "created_at": _utc(v["created_at"]),
                  "activated_at": _utc(v["activated_at"]), "canary_started_at": _utc(v["canary_started_at"]),
                  "finished_at": _utc(v["finished_at"])}
        if v["threshold"] is not None:
            out.append({**common, "domain": GLOBAL, "threshold": float(v["threshold"])})
        for domain, t in sorted((v["domain_thresholds"] or {}).items()):
            if t is not None:
                out.append({**common, "domain": str(domain), "threshold": float(t)})
    out.sort(key=lambda r: (r["at"], r["domain"]))
    return out


def router_transitions(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                       limit: int = 200) -> list[dict[str, Any]]:
    """Status changes of router versions (newest first): at, version, from/to status, actor, reason, numbers."""
    q = (select(RT.c.at, RT.c.version, RT.c.from_status, RT.c.to_status, RT.c.actor, RT.c.reason, RT.c.numbers)
         .where(*_between(RT.c.at, since, until)).order_by(RT.c.at.desc(), RT.c.id).limit(limit))
    with engine.connect() as conn:
        return [{**dict(r), "at": _utc(r["at"])} for r in conn.execute(q).mappings()]


# -- 5. escalations ---------------------------------------------------------------------------------------
def escalation_rate_over_time(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                              bucket: str = "day") -> list[dict[str, Any]]:
    """Per bucket: first answers (not themselves regenerations), how many were escalated, the rate."""
    b = _bucket(engine, I.c.created_at, bucket).label("bucket")
    es = select(E.c.failed_interaction_id.label("iid")).distinct().subquery("es")
    q = (select(b, func.count(I.c.id).label("interactions"),
                func.sum(case((es.c.iid.is_not(None), 1), else_=0)).label("escalated"))
         .select_from(I.outerjoin(es, es.c.iid == I.c.id))
         .where(and_(I.c.escalated.is_(False), I.c.cascaded.is_(False), *_between(I.c.created_at, since, until)))
         .group_by(b).order_by(b))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    for r in rows:
        r["interactions"], r["escalated"] = int(r["interactions"]), int(r["escalated"] or 0)
        r["rate"] = _rate(r["escalated"], r["interactions"])
    return rows


def escalation_outcomes(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                        bucket: str = "day") -> list[dict[str, Any]]:
    """Escalations per bucket (of the escalation's own time) and outcome: resolved, failed,
    abandoned, pending (only outcomes that occurred), with each outcome's share of the bucket."""
    b = _bucket(engine, E.c.created_at, bucket).label("bucket")
    q = (select(b, E.c.outcome, func.count().label("count")).where(*_between(E.c.created_at, since, until))
         .group_by(b, E.c.outcome).order_by(b, E.c.outcome))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    totals: Counter[str] = Counter()
    for r in rows:
        r["count"] = int(r["count"])
        totals[r["bucket"]] += r["count"]
    order = {o: i for i, o in enumerate(ESCALATION_OUTCOMES)}
    for r in rows:
        r["share"] = r["count"] / totals[r["bucket"]]
    rows.sort(key=lambda r: (r["bucket"], order.get(r["outcome"], len(order))))
    return rows


def escalation_outcome_totals(engine: Engine, *, since: datetime | None = None,
                              until: datetime | None = None) -> dict[str, int]:
    """Outcome -> escalations in the window (every outcome present)."""
    totals = dict.fromkeys(ESCALATION_OUTCOMES, 0)
    for r in escalation_outcomes(engine, since=since, until=until, bucket="month"):
        totals[r["outcome"]] = totals.get(r["outcome"], 0) + r["count"]
    return totals


# -- 6. canary vs current ----------------------------------------------------------------------------------
def current_canary(engine: Engine) -> dict[str, Any] | None:
    """The router version now in canary (newest canary start), as its ``router_versions`` row."""
    with engine.connect() as conn:
        row = conn.execute(select(RV).where(RV.c.status == "canary")
                           .order_by(RV.c.canary_started_at.desc(), RV.c.created_at.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def canary_comparison(engine: Engine, version: str | None = None) -> dict[str, Any]:
    """The current canary (or ``version``) against the version it is compared with, over the whole
    canary period (from ``canary_started_at`` to ``finished_at``/now, whatever the analytics window).

    Returns ``{"canary", "control" (version names or None), "started_at", "share", "arms": [one row per
    arm, "control" then "canary": arm, version, sessions, interactions, labelled, satisfied,
    satisfaction, ratings, mean_rating, first_answers, escalated, escalation_rate]}``; arms are
    empty when no canary runs. Rows count by ``interactions.canary_arm``, which the runtime stamps
    only while a canary is being tried.
    """
    if version is None:
        row = current_canary(engine)
    else:
        with engine.connect() as conn:
            row = conn.execute(select(RV).where(RV.c.version == version)).mappings().first()
            row = dict(row) if row else None
    if row is None:
        return {"canary": None, "control": None, "started_at": None, "share": None, "arms": []}
    since = _utc(row["canary_started_at"] or row["created_at"])
    until = _utc(row["finished_at"])
    control_version = row["parent_version"]
    if control_version is None:
        control_version = live_router_version(engine)
    rows = [r for r in labelled_interactions(engine, since=since, until=until)
            if r["canary_arm"] == "control" or (r["canary_arm"] == "canary" and r["router_version"] == row["version"])]
    arms = []
    for arm, v in (("control", control_version), ("canary", row["version"])):
        members = [r for r in rows if r["canary_arm"] == arm]
        if members:
            arms.append({"arm": arm, "version": v, **_summarise(members)})
    return {"canary": row["version"], "control": control_version, "started_at": since, "share": row["canary_share"],
            "arms": arms}


# -- 7. does a modifier beat the base for users? (runtime.benefit) ----------------------------------------
def satisfaction_by_domain_mode(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                                rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Answers, labelled and satisfied per (domain, mode, modifier): what ``runtime.benefit`` compares —
    the base's Fast answers against the Accurate answers of the domain's modifier. Left out: escalation
    regenerations (answers to a complaint, possibly by the ladder's critique or voting rungs) and Fast
    answers a cascade replaced before the user saw them. Forced answers count: users saw them in that
    mode. Rows: domain, mode ("fast"/"accurate"), modifier (None = the base), answers, labelled, satisfied."""
    if rows is None:
        rows = labelled_interactions(engine, since=since, until=until)
    groups: dict[tuple[str, str, str | None], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        if r["escalated"] or r["escalations_cascade"]:
            continue
        g = groups[(r["domain"] or UNKNOWN, r["mode"], r["modifier"])]
        g[0] += 1
        if r["label"] is not None:
            g[1] += 1
            g[2] += int(r["label"])
    return [{"domain": d, "mode": m, "modifier": mod, "answers": a, "labelled": n, "satisfied": s}
            for (d, m, mod), (a, n, s) in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))]


__all__ = [
    "satisfaction_by_domain_mode",
    "WINDOWS", "ECE_BINS", "window_bounds", "bucket_for", "labelled_interactions", "routing_mix_over_time",
    "modifier_mix_over_time", "satisfaction_by", "live_router_version", "reliability_diagram", "threshold_history",
    "router_transitions", "escalation_rate_over_time", "escalation_outcomes", "escalation_outcome_totals",
    "current_canary", "canary_comparison",
]
