"""Satisfaction labels for retraining: did the user get an answer they were happy with?

``label_interactions(engine)`` returns one dict per interaction in the window with its evidence
counts, a ``label`` (1 satisfied, 0 dissatisfied, None unknown) and the ``label_source`` that
decided it. The evidence, strongest first — when signals disagree the strongest level that says
anything wins, and within one level negative beats positive:

1. ``rating``       explicit 1-10 ratings: any current rating <= 4 -> 0, else any >= 7 -> 1; 5-6 are
                    neutral and let the next level speak. (Several raters: one unhappy rater is enough.)
2. ``like``         a dislike -> 0, else a like -> 1.
3. ``user_escalation`` the user said "this answer is wrong" (an escalation with trigger ``user``) -> 0.
4. ``regenerate``   the user asked for another answer -> 0.
5. ``dissatisfied_followup`` the dissatisfaction detector heard an unhappy follow-up: a ``rephrase`` or
                    ``dismissal`` signal, or an escalation with trigger ``detector`` -> 0.
6. ``continuation`` the user went on naturally or copied the answer (``continuation``/``copy``) -> 1.

Why this order: what a user states deliberately (a rating, a thumb) beats what we infer; an explicit
complaint beats a Regenerate click (which is sometimes curiosity); both beat the detector, which is
a model and errs; passive continuation is the weakest evidence of all. Not evidence: a ``cascade``
escalation (the system's own response-confidence check, the user never saw that answer), a
``clarifying_question`` or ``stop`` signal alone, no reaction.

This differs from ``telemetry.queries.outcome_label`` (any negative evidence wins) on purpose: a
user who rated 9 after a rephrase is satisfied. Same SQL on SQLite and PostgreSQL; one statement
that reads each table once (grouped subqueries joined to the interactions), not one per interaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, case, func, select

from telemetry.schema import ChatSession, Escalation, Feedback, Interaction, Signal

I = Interaction.__table__  # noqa: E741
SE = ChatSession.__table__
F = Feedback.__table__
S = Signal.__table__
E = Escalation.__table__

SIGNAL_COUNTS = ("rephrase", "dismissal", "clarifying_question", "copy", "continuation", "regenerate", "stop")
ESCALATION_COUNTS = ("user", "detector", "cascade")
LABEL_SOURCES = ("rating", "like", "user_escalation", "regenerate", "dissatisfied_followup", "continuation")
SATISFIED_MIN_RATING = 7
DISSATISFIED_MAX_RATING = 4


def _flag(cond) -> Any:
    return case((cond, 1), else_=0)


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def decide_label(ev: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """(label, source) from evidence counts (keys as in ``label_interactions`` rows; missing = 0/None)."""
    lo, hi = ev.get("min_rating"), ev.get("max_rating")
    if lo is not None and lo <= DISSATISFIED_MAX_RATING:
        return 0, "rating"
    if hi is not None and hi >= SATISFIED_MIN_RATING:
        return 1, "rating"
    if ev.get("dislikes", 0):
        return 0, "like"
    if ev.get("likes", 0):
        return 1, "like"
    if ev.get("escalations_user", 0):
        return 0, "user_escalation"
    if ev.get("regenerate", 0):
        return 0, "regenerate"
    if ev.get("rephrase", 0) or ev.get("dismissal", 0) or ev.get("escalations_detector", 0):
        return 0, "dissatisfied_followup"
    if ev.get("continuation", 0) or ev.get("copy", 0):
        return 1, "continuation"
    return None, None


def _subqueries():
    fb = (select(
        F.c.interaction_id.label("iid"),
        func.count(F.c.rating).label("n_ratings"),
        func.sum(F.c.rating).label("rating_sum"),
        func.min(F.c.rating).label("min_rating"),
        func.max(F.c.rating).label("max_rating"),
        func.sum(_flag(F.c.liked.is_(True))).label("likes"),
        func.sum(_flag(F.c.liked.is_(False))).label("dislikes"),
    ).group_by(F.c.interaction_id).subquery("fb"))
    sg = (select(S.c.interaction_id.label("iid"),
                 *[func.sum(_flag(S.c.kind == k)).label(k) for k in SIGNAL_COUNTS])
          .group_by(S.c.interaction_id).subquery("sg"))
    es = (select(E.c.failed_interaction_id.label("iid"),
                 *[func.sum(_flag(E.c.trigger == t)).label(f"escalations_{t}") for t in ESCALATION_COUNTS])
          .group_by(E.c.failed_interaction_id).subquery("es"))
    return fb, sg, es


def label_interactions(engine: Engine, *, since: datetime | None = None,
                       until: datetime | None = None) -> list[dict[str, Any]]:
    """Every interaction with ``since <= created_at < until``, oldest first, labelled (module docstring).

    Keys: id, session_id, user_id, personalized (the session's opt-in), created_at, mode, domain,
    modifier, forced, escalated, preempted, cascaded, router_version, canary_arm, router_confidence,
    threshold, latency_ms, query_chars, finish_reason, decision (dict or None), the evidence counts
    (n_ratings, mean_rating, min_rating, max_rating, likes, dislikes, one per signal kind,
    escalations_user/_detector/_cascade), label, label_source.
    """
    fb, sg, es = _subqueries()
    counts = [func.coalesce(sg.c[k], 0).label(k) for k in SIGNAL_COUNTS]
    counts += [func.coalesce(es.c[f"escalations_{t}"], 0).label(f"escalations_{t}") for t in ESCALATION_COUNTS]
    q = (select(
        I.c.id, I.c.session_id, SE.c.user_id, SE.c.personalized, I.c.created_at, I.c.mode, I.c.domain,
        I.c.modifier, I.c.forced, I.c.escalated, I.c.preempted, I.c.cascaded, I.c.router_version,
        I.c.canary_arm, I.c.router_confidence, I.c.threshold, I.c.latency_ms, I.c.query_chars,
        I.c.finish_reason, I.c.decision,
        func.coalesce(fb.c.n_ratings, 0).label("n_ratings"), fb.c.rating_sum, fb.c.min_rating, fb.c.max_rating,
        func.coalesce(fb.c.likes, 0).label("likes"), func.coalesce(fb.c.dislikes, 0).label("dislikes"),
        *counts,
    ).select_from(I.outerjoin(SE, SE.c.id == I.c.session_id).outerjoin(fb, fb.c.iid == I.c.id)
                  .outerjoin(sg, sg.c.iid == I.c.id).outerjoin(es, es.c.iid == I.c.id))
        .order_by(I.c.created_at, I.c.id))
    if since is not None:
        q = q.where(I.c.created_at >= _utc(since))
    if until is not None:
        q = q.where(I.c.created_at < _utc(until))
    out = []
    with engine.connect() as conn:
        for r in conn.execute(q).mappings():
            row = dict(r)
            rating_sum = row.pop("rating_sum")
            n = int(row["n_ratings"])
            row["mean_rating"] = float(rating_sum) / n if n else None
            for k in ("n_ratings", "likes", "dislikes", *SIGNAL_COUNTS,
                      *(f"escalations_{t}" for t in ESCALATION_COUNTS)):
                row[k] = int(row[k] or 0)
            for k in ("min_rating", "max_rating"):
                row[k] = None if row[k] is None else int(row[k])
            for k in ("forced", "escalated", "preempted", "cascaded"):
                row[k] = bool(row[k])
            row["personalized"] = bool(row["personalized"])
            row["created_at"] = _utc(row["created_at"])
            row["label"], row["label_source"] = decide_label(row)
            out.append(row)
    return out


__all__ = ["label_interactions", "decide_label", "LABEL_SOURCES"]
