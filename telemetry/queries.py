"""What the dashboards and the retraining job read, as functions of an engine (same SQL on both backends).

All windows (``since``/``until``) apply to the interaction's ``created_at`` (UTC; naive datetimes
are taken as UTC; time buckets are UTC). Results are lists of plain dicts, ready for JSON, pandas or Gradio.

Outcome label (``outcome_label``), used for calibration and retraining — "was the answer good
enough?":

- 0 when there is any negative evidence: the answer was escalated, a negative implicit signal
  (rephrase, dismissal, regenerate), a dislike, or a mean rating <= 4;
- 1 when there is only positive evidence: mean rating >= 7, a like, or a positive signal (the
  answer was copied, or the user continued naturally);
- ``None`` (unlabelled) otherwise — ratings of 5-6 alone, a clarifying question alone, no reaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, case, func, literal, select

from telemetry.schema import NEGATIVE_SIGNALS, POSITIVE_SIGNALS, Escalation, Feedback, Interaction, Signal

I = Interaction.__table__  # noqa: E741
F = Feedback.__table__
S = Signal.__table__
E = Escalation.__table__

GROUPABLE = ("mode", "domain", "modifier", "router_version", "forced", "preempted")
_BUCKETS = {
    "hour": ("%Y-%m-%dT%H:00", 'YYYY-MM-DD"T"HH24:00'),
    "day": ("%Y-%m-%d", "YYYY-MM-DD"),
    "month": ("%Y-%m", "YYYY-MM"),
}


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _window(since: datetime | None, until: datetime | None) -> list:
    conds = []
    if since is not None:
        conds.append(I.c.created_at >= _utc(since))
    if until is not None:
        conds.append(I.c.created_at < _utc(until))
    return conds


def _group_cols(by: Sequence[str]) -> list:
    bad = [b for b in by if b not in GROUPABLE]
    if bad:
        raise ValueError(f"cannot group by {bad}; choose from {GROUPABLE}")
    return [I.c[b] for b in by]


def _bucket(engine: Engine, bucket: str):
    if bucket not in _BUCKETS:
        raise ValueError(f"bucket must be one of {tuple(_BUCKETS)}")
    sqlite_fmt, pg_fmt = _BUCKETS[bucket]
    if engine.dialect.name == "sqlite":
        return func.strftime(sqlite_fmt, I.c.created_at)
    # timestamptz renders in the session's time zone: bucket in UTC, as SQLite does
    return func.to_char(func.timezone("UTC", I.c.created_at), pg_fmt)


def _flag(cond) -> Any:
    return case((cond, 1), else_=0)


def _feedback_per_interaction():
    return (select(
        F.c.interaction_id.label("iid"),
        func.sum(F.c.rating).label("rating_sum"),
        func.count(F.c.rating).label("n_ratings"),
        func.sum(_flag(F.c.liked.is_(True))).label("likes"),
        func.sum(_flag(F.c.liked.is_(False))).label("dislikes"),
    ).group_by(F.c.interaction_id).subquery("fb"))


def _signals_per_interaction():
    return (select(
        S.c.interaction_id.label("iid"),
        func.sum(_flag(S.c.kind.in_(NEGATIVE_SIGNALS))).label("negative"),
        func.sum(_flag(S.c.kind.in_(POSITIVE_SIGNALS))).label("positive"),
    ).group_by(S.c.interaction_id).subquery("sg"))


def _escalations_per_interaction():
    return (select(
        E.c.failed_interaction_id.label("iid"),
        func.count().label("n"),
        func.sum(_flag(E.c.trigger == "user")).label("by_user"),
        func.sum(_flag(E.c.trigger == "detector")).label("by_detector"),
        func.sum(_flag(E.c.trigger == "cascade")).label("by_cascade"),
    ).group_by(E.c.failed_interaction_id).subquery("es"))


def outcome_label(*, mean_rating: float | None, likes: int, dislikes: int, negative_signals: int,
                  positive_signals: int, escalated_from: bool) -> int | None:
    """1 = good enough, 0 = not, None = no evidence (rules in the module docstring)."""
    if escalated_from or negative_signals > 0 or dislikes > 0 or (mean_rating is not None and mean_rating <= 4):
        return 0
    if (mean_rating is not None and mean_rating >= 7) or likes > 0 or positive_signals > 0:
        return 1
    return None


def routing_mix(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                bucket: str = "day", by: Sequence[str] = ("mode",)) -> list[dict[str, Any]]:
    """Interactions per time bucket and group: count, share of the bucket, and how many were forced,
    pre-empted by session memory, escalation regenerations, or cascade regenerations."""
    b = _bucket(engine, bucket).label("bucket")
    cols = _group_cols(by)
    q = (select(b, *cols, func.count().label("count"),
                func.sum(_flag(I.c.forced)).label("forced"),
                func.sum(_flag(I.c.preempted)).label("preempted"),
                func.sum(_flag(I.c.escalated)).label("escalated"),
                func.sum(_flag(I.c.cascaded)).label("cascaded"))
         .where(*_window(since, until)).group_by(b, *cols).order_by(b, *cols))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["bucket"]] = totals.get(r["bucket"], 0) + r["count"]
    for r in rows:
        r["share"] = r["count"] / totals[r["bucket"]]
        for k in ("forced", "preempted", "escalated", "cascaded"):
            r[k] = int(r[k] or 0)
        if "forced" in by:
            r["forced"] = bool(r["forced"])
    return rows


def satisfaction(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                 by: Sequence[str] = ("mode", "domain")) -> list[dict[str, Any]]:
    """Per group: interactions, ratings (count, mean), likes/dislikes and like rate, implicit
    negative/positive signals, and the share of interactions that were escalated."""
    cols = _group_cols(by)
    fb, sg, es = _feedback_per_interaction(), _signals_per_interaction(), _escalations_per_interaction()
    q = (select(
        *cols,
        func.count(I.c.id).label("interactions"),
        func.coalesce(func.sum(fb.c.n_ratings), 0).label("ratings"),
        func.sum(fb.c.rating_sum).label("rating_sum"),
        func.coalesce(func.sum(fb.c.likes), 0).label("likes"),
        func.coalesce(func.sum(fb.c.dislikes), 0).label("dislikes"),
        func.coalesce(func.sum(sg.c.negative), 0).label("negative_signals"),
        func.coalesce(func.sum(sg.c.positive), 0).label("positive_signals"),
        func.sum(_flag(es.c.n > 0)).label("escalated"),
    ).select_from(I.outerjoin(fb, fb.c.iid == I.c.id).outerjoin(sg, sg.c.iid == I.c.id)
                  .outerjoin(es, es.c.iid == I.c.id))
        .where(*_window(since, until)).group_by(*cols).order_by(*cols))
    out = []
    with engine.connect() as conn:
        for r in conn.execute(q).mappings():
            r = dict(r)
            rating_sum = r.pop("rating_sum")
            n, ratings = int(r["interactions"]), int(r["ratings"])
            likes, dislikes = int(r["likes"]), int(r["dislikes"])
            r.update(
                interactions=n, ratings=ratings, likes=likes, dislikes=dislikes,
                negative_signals=int(r["negative_signals"]), positive_signals=int(r["positive_signals"]),
                escalated=int(r["escalated"] or 0),
                mean_rating=float(rating_sum) / ratings if ratings else None,
                like_rate=likes / (likes + dislikes) if likes + dislikes else None,
            )
            r["escalation_rate"] = r["escalated"] / n if n else None
            out.append(r)
    return out


def rating_distribution(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                        mode: str | None = None, domain: str | None = None) -> dict[int, int]:
    """Current ratings 1..10 -> count (every key present), for interactions in the window/mode/domain."""
    conds = _window(since, until)
    if mode is not None:
        conds.append(I.c.mode == mode)
    if domain is not None:
        conds.append(I.c.domain == domain)
    q = (select(F.c.rating, func.count().label("n")).select_from(F.join(I, I.c.id == F.c.interaction_id))
         .where(F.c.rating.is_not(None), *conds).group_by(F.c.rating))
    dist = dict.fromkeys(range(1, 11), 0)
    with engine.connect() as conn:
        for rating, n in conn.execute(q):
            dist[int(rating)] = int(n)
    return dist


def calibration_data(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                     mode: str | None = None, router_version: str | None = None, include_forced: bool = False,
                     labelled_only: bool = True, limit: int | None = None) -> list[dict[str, Any]]:
    """One row per interaction: router and response confidence next to the observed outcome label.

    For re-fitting the router's threshold, take ``mode="fast"`` (the label then says whether the
    base alone was good enough). Forced turns are left out by default: the router did not decide them.
    """
    fb, sg, es = _feedback_per_interaction(), _signals_per_interaction(), _escalations_per_interaction()
    conds = _window(since, until)
    if mode is not None:
        conds.append(I.c.mode == mode)
    if router_version is not None:
        conds.append(I.c.router_version == router_version)
    if not include_forced:
        conds.append(I.c.forced.is_(False))
    q = (select(
        I.c.id.label("interaction_id"), I.c.created_at, I.c.mode, I.c.domain, I.c.modifier, I.c.forced,
        I.c.router_version, I.c.router_confidence, I.c.threshold, I.c.response_confidence,
        fb.c.rating_sum, func.coalesce(fb.c.n_ratings, 0).label("ratings"),
        func.coalesce(fb.c.likes, 0).label("likes"), func.coalesce(fb.c.dislikes, 0).label("dislikes"),
        func.coalesce(sg.c.negative, 0).label("negative_signals"),
        func.coalesce(sg.c.positive, 0).label("positive_signals"),
        func.coalesce(es.c.n, 0).label("escalations"),
    ).select_from(I.outerjoin(fb, fb.c.iid == I.c.id).outerjoin(sg, sg.c.iid == I.c.id)
                  .outerjoin(es, es.c.iid == I.c.id))
        .where(*conds).order_by(I.c.created_at, I.c.id))
    out = []
    with engine.connect() as conn:
        for r in conn.execute(q).mappings():
            r = dict(r)
            rating_sum = r.pop("rating_sum")
            ratings = int(r["ratings"])
            mean = float(rating_sum) / ratings if ratings else None
            r.update(mean_rating=mean, ratings=ratings, likes=int(r["likes"]), dislikes=int(r["dislikes"]),
                     negative_signals=int(r["negative_signals"]), positive_signals=int(r["positive_signals"]),
                     escalations=int(r["escalations"]), forced=bool(r["forced"]))
            r["label"] = outcome_label(mean_rating=mean, likes=r["likes"], dislikes=r["dislikes"],
                                       negative_signals=r["negative_signals"],
                                       positive_signals=r["positive_signals"],
                                       escalated_from=r["escalations"] > 0)
            if labelled_only and r["label"] is None:
                continue
            out.append(r)
            if limit is not None and len(out) >= limit:
                break
    return out


def reliability(rows: Sequence[dict[str, Any]], *, key: str = "router_confidence", bins: int = 10) -> dict[str, Any]:
    """Reliability table and expected calibration error over labelled rows (from ``calibration_data``).

    Equal-width bins on [0, 1]; a confidence of exactly 1.0 falls in the last bin.
    """
    table = [{"lo": i / bins, "hi": (i + 1) / bins, "n": 0, "conf_sum": 0.0, "pos": 0} for i in range(bins)]
    n_total = 0
    for r in rows:
        c, y = r.get(key), r.get("label")
        if c is None or y is None:
            continue
        b = table[min(int(c * bins), bins - 1)]
        b["n"] += 1
        b["conf_sum"] += c
        b["pos"] += y
        n_total += 1
    ece = 0.0
    for b in table:
        if b["n"]:
            b["mean_confidence"] = b["conf_sum"] / b["n"]
            b["observed"] = b["pos"] / b["n"]
            ece += b["n"] / n_total * abs(b["mean_confidence"] - b["observed"])
        else:
            b["mean_confidence"] = b["observed"] = None
        del b["conf_sum"], b["pos"]
    return {"n": n_total, "ece": ece if n_total else None, "bins": table}


def escalation_rate(engine: Engine, *, since: datetime | None = None, until: datetime | None = None,
                    by: Sequence[str] = ("domain",)) -> list[dict[str, Any]]:
    """Share of first answers (not themselves escalation or cascade regenerations) that were escalated,
    per group, with the triggers; ``by=()`` gives one overall row."""
    cols = _group_cols(by)
    es = _escalations_per_interaction()
    q = (select(
        *cols if cols else [literal("all").label("group")],
        func.count(I.c.id).label("interactions"),
        func.sum(_flag(es.c.n > 0)).label("escalated"),
        func.sum(_flag(es.c.by_user > 0)).label("by_user"),
        func.sum(_flag(es.c.by_detector > 0)).label("by_detector"),
        func.sum(_flag(es.c.by_cascade > 0)).label("by_cascade"),
    ).select_from(I.outerjoin(es, es.c.iid == I.c.id))
        .where(and_(I.c.escalated.is_(False), I.c.cascaded.is_(False), *_window(since, until))))
    if cols:
        q = q.group_by(*cols).order_by(*cols)
    out = []
    with engine.connect() as conn:
        for r in conn.execute(q).mappings():
            r = dict(r)
            r.pop("group", None)
            n = int(r["interactions"])
            for k in ("escalated", "by_user", "by_detector", "by_cascade"):
                r[k] = int(r[k] or 0)
            r["interactions"] = n
            r["rate"] = r["escalated"] / n if n else None
            out.append(r)
    return out
