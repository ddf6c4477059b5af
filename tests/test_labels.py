"""Satisfaction labels: the precedence between signals, and label_interactions on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from telemetry.events import (
    EscalationEvent,
    FeedbackEvent,
    InteractionEvent,
    SessionEvent,
    SignalEvent,
)
from telemetry.labels import LABEL_SOURCES, decide_label, label_interactions
from telemetry.privacy import Scrubber
from tests.test_telemetry_support import backend_fixture, db_url_fixture, store_fixture  # noqa: F401

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

# One piece of evidence per name: (level in the precedence, label it argues for, evidence counts).
EVIDENCE = {
    "rating_high": (0, 1, {"min_rating": 8, "max_rating": 8}),
    "rating_low": (0, 0, {"min_rating": 3, "max_rating": 3}),
    "like": (1, 1, {"likes": 1}),
    "dislike": (1, 0, {"dislikes": 1}),
    "user_escalation": (2, 0, {"escalations_user": 1}),
    "regenerate": (3, 0, {"regenerate": 1}),
    "rephrase": (4, 0, {"rephrase": 1}),
    "dismissal": (4, 0, {"dismissal": 1}),
    "detector_escalation": (4, 0, {"escalations_detector": 1}),
    "continuation": (5, 1, {"continuation": 1}),
    "copy": (5, 1, {"copy": 1}),
}


def _merge(*names: str) -> dict:
    ev: dict = {}
    for n in names:
        for k, v in EVIDENCE[n][2].items():
            if k == "min_rating":
                ev[k] = min(ev.get(k, v), v)
            elif k == "max_rating":
                ev[k] = max(ev.get(k, v), v)
            else:
                ev[k] = ev.get(k, 0) + v
    return ev


@pytest.mark.parametrize("name", sorted(EVIDENCE))
def test_each_signal_alone_gives_its_label_and_source(name):
    level, label, _ = EVIDENCE[name]
    assert decide_label(_merge(name)) == (label, LABEL_SOURCES[level])


PAIRS = [(a, b) for a, b in itertools.combinations(sorted(EVIDENCE), 2)
         if EVIDENCE[a][1] != EVIDENCE[b][1]]  # only disagreements need a rule


@pytest.mark.parametrize("a,b", PAIRS, ids=[f"{a}+{b}" for a, b in PAIRS])
def test_disagreeing_signals_stronger_level_wins_and_negative_wins_a_tie(a, b):
    (la, ya, _), (lb, yb, _) = EVIDENCE[a], EVIDENCE[b]
    if la == lb:
        want = (0, LABEL_SOURCES[la])  # same level: negative beats positive
    else:
        level, y = min((la, ya), (lb, yb))
        want = (y, LABEL_SOURCES[level])
    assert decide_label(_merge(a, b)) == want


def test_neutral_rating_lets_weaker_evidence_decide_and_no_evidence_is_unlabelled():
    assert decide_label({"min_rating": 5, "max_rating": 6}) == (None, None)
    assert decide_label({"min_rating": 6, "max_rating": 6, "continuation": 1}) == (1, "continuation")
    assert decide_label({"min_rating": 5, "max_rating": 5, "dislikes": 1}) == (0, "like")
    # not user evidence: the system's own cascade, a clarifying question, a stop
    assert decide_label({"escalations_cascade": 1, "clarifying_question": 1, "stop": 1}) == (None, None)
    # two raters who disagree: one unhappy rater is enough
    assert decide_label({"min_rating": 2, "max_rating": 9, "likes": 3}) == (0, "rating")
    # rating boundaries on the 1-10 scale
    assert decide_label({"min_rating": 7, "max_rating": 7}) == (1, "rating")
    assert decide_label({"min_rating": 4, "max_rating": 4}) == (0, "rating")


# -- against the database ----------------------------------------------------------------------------
def _decision(mode="fast", domain="math", confidence=0.9, **kw):
    return {"mode": mode, "domain": domain, "confidence": confidence, "threshold": 0.8,
            "domain_probs": {domain: 0.9}, "router_version": "r1", "forced": False, **kw}


def test_label_interactions_reads_every_signal_in_one_statement(store):
    scrub = Scrubber()
    s1, s2 = SessionEvent("sess-1", user_id="alice", personalized=True), SessionEvent("sess-2", user_id="bob")
    ix = {name: InteractionEvent(sid, "q" * n, "a", _decision(), created_at=T0 + timedelta(minutes=n),
                                 latency_ms=900.0 + n, finish_reason="stop")
          for n, (name, sid) in enumerate([("rated9_rephrased", "sess-1"), ("liked_regenerated", "sess-1"),
                                           ("wrong_continued", "sess-1"), ("two_raters", "sess-2"),
                                           ("rerated", "sess-2"), ("cascaded_only", "sess-2"),
                                           ("nothing", "sess-2"), ("copied", "sess-2")], start=1)}
    later = InteractionEvent("sess-2", "late", "a", _decision(mode="accurate"), created_at=T0 + timedelta(days=2))
    events = [s1, s2, *ix.values(), later,
              FeedbackEvent(ix["rated9_rephrased"].id, "alice", rating=9),
              SignalEvent(ix["rated9_rephrased"].id, "rephrase"),
              FeedbackEvent(ix["liked_regenerated"].id, "alice", liked=True),
              SignalEvent(ix["liked_regenerated"].id, "regenerate"),
              EscalationEvent(ix["wrong_continued"].id, "user"),
              SignalEvent(ix["wrong_continued"].id, "continuation"),
              FeedbackEvent(ix["two_raters"].id, "bob", rating=8),
              FeedbackEvent(ix["two_raters"].id, "carol", rating=3),
              FeedbackEvent(ix["rerated"].id, "bob", rating=2, created_at=T0),
              FeedbackEvent(ix["rerated"].id, "bob", rating=10, created_at=T0 + timedelta(hours=1)),  # the change
              EscalationEvent(ix["cascaded_only"].id, "cascade"),
              SignalEvent(ix["copied"].id, "copy"), SignalEvent(ix["copied"].id, "copy"),
              SignalEvent(later.id, "dismissal")]
    store.write_records([r for ev in events for r in ev.to_records(scrub)])

    statements = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        rows = label_interactions(store.engine, since=T0, until=T0 + timedelta(days=1))
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1

    by_id = {r["id"]: r for r in rows}
    assert later.id not in by_id and len(rows) == len(ix)  # the window is [since, until)
    got = {name: (by_id[ev.id]["label"], by_id[ev.id]["label_source"]) for name, ev in ix.items()}
    assert got == {
        "rated9_rephrased": (1, "rating"),
        "liked_regenerated": (1, "like"),
        "wrong_continued": (0, "user_escalation"),
        "two_raters": (0, "rating"),
        "rerated": (1, "rating"),
        "cascaded_only": (None, None),
        "nothing": (None, None),
        "copied": (1, "continuation"),
    }
    r = by_id[ix["two_raters"].id]
    assert (r["n_ratings"], r["mean_rating"], r["min_rating"], r["max_rating"]) == (2, 5.5, 3, 8)
    assert by_id[ix["copied"].id]["copy"] == 2 and by_id[ix["cascaded_only"].id]["escalations_cascade"] == 1
    a = by_id[ix["rated9_rephrased"].id]
    assert (a["user_id"], a["personalized"], a["session_id"]) == ("alice", True, "sess-1")
    assert by_id[ix["two_raters"].id]["user_id"] == "bob" and not by_id[ix["two_raters"].id]["personalized"]
    assert a["decision"]["confidence"] == 0.9 and a["decision"]["domain"] == "math"
    assert (a["mode"], a["domain"], a["router_version"], a["finish_reason"]) == ("fast", "math", "r1", "stop")
    assert a["query_chars"] == 1 and a["latency_ms"] == 901.0 and a["created_at"] == T0 + timedelta(minutes=1)
    assert [r["created_at"] for r in rows] == sorted(r["created_at"] for r in rows)
    assert label_interactions(store.engine, since=T0 + timedelta(days=1))[0]["label"] == 0  # the dismissal
