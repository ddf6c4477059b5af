"""Synthetic traffic for a demo database, so the admin tab's analytics show data before real users do.

``python -m telemetry demo [--url URL] [--days 14] [--sessions 300] [--seed 0]`` (default database:
the app's, from settings) writes, through the real ``TelemetryWriter`` (scrubbing, consent
filtering, batching — exactly the app's write path):

- sessions from a few dozen pseudonymous demo users (``demo-user-NN``), 40% with consent to keep
  text (some queries carry an e-mail address or phone number, which the scrubber removes);
- interactions spread over the last ``--days`` days (more by day than by night), with decisions
  shaped like ``runtime.decision.RouteDecision.to_dict()`` — mode, domain, modifier, confidence,
  threshold, ``router_version``, ``canary_arm``;
- ratings 1-10, likes/dislikes, implicit signals (rephrase, regenerate, copy, continuation, …) and
  escalations (user, detector, cascade) with their regenerated answers and outcomes;
- three router versions: ``demo-v0`` (retired), ``demo-v1`` (tried as a canary, promoted, active)
  and ``demo-v2`` (canary now), with their ``router_transitions``.

The simulated router is over-confident in ``math`` (the base fails there more often than its
confidence says), so the reliability diagram bends and later versions raise the math threshold.
Everything is drawn from one ``random.Random(seed)``: the same seed and ``now`` give the same
rows and ids (writes are idempotent by id, so running it twice adds nothing new).

It refuses a database holding non-demo sessions or router versions (``--force`` overrides): demo
router versions would change what a real deployment serves.
"""

from __future__ import annotations

import json
import random
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from telemetry.events import (
    EscalationEvent,
    EscalationOutcomeEvent,
    FeedbackEvent,
    SessionEvent,
    SignalEvent,
)
from telemetry.schema import ChatSession, RouterTransition, RouterVersion
from telemetry.store import TelemetryStore
from telemetry.writer import TelemetryWriter

PREFIX = "demo-"
# domain -> (traffic weight, modifier, mean router confidence, how far the truth falls below it)
DOMAINS: dict[str, tuple[float, str | None, float, float]] = {
    "general": (0.34, None, 0.86, 0.02),
    "code": (0.20, "code", 0.70, 0.04),
    "math": (0.12, "math", 0.78, 0.30),  # over-confident: the base fails math more than it thinks
    "reasoning": (0.10, None, 0.76, 0.08),
    "automation": (0.08, "automation", 0.74, 0.05),
    "creative": (0.08, None, 0.88, 0.0),
    "science": (0.05, None, 0.80, 0.06),
    "finance": (0.03, None, 0.79, 0.06),
}
VERSIONS = {  # version -> (global threshold, domain thresholds)
    "demo-v0": (0.80, {"code": 0.80, "math": 0.75, "automation": 0.80}),
    "demo-v1": (0.80, {"code": 0.80, "math": 0.85, "automation": 0.78}),
    "demo-v2": (0.80, {"code": 0.82, "math": 0.90, "automation": 0.76}),
}
QUERIES = {
    "general": ["What is the capital of {x}?", "Give me three tips for a job interview in {x}.",
                "Summarise the history of {x} in two sentences."],
    "code": ["Write a Python function that reverses a {x}.", "Why does my {x} loop never end?",
             "Fix this: for i in range(len({x})) print(i)"],
    "math": ["What is the derivative of x^3 * {x}?", "Solve 3x + {x} = 20.", "Is {x} a prime number?"],
    "reasoning": ["If all {x} are birds and some birds fly, do all {x} fly?", "Which is heavier, {x} or feathers?"],
    "automation": ["Write a cron line that runs {x} every Monday.", "A bash one-liner to rename all {x} files."],
    "creative": ["Write a haiku about {x}.", "A two-line poem about {x}, please."],
    "science": ["Why is the sky blue over {x}?", "How do vaccines against {x} work?"],
    "finance": ["How does compound interest on {x} work?", "Explain an index fund tracking {x}."],
}
FILLERS = ["France", "list", "arrays", "7", "penguins", "backup.sh", "autumn", "Norway", "measles", "savings"]
PII = [" My e-mail is jane.doe@example.com.", " Call me at +44 20 7946 0958.", ""]


@dataclass
class DemoSummary:
    sessions: int = 0
    interactions: int = 0
    ratings: int = 0
    likes: int = 0
    signals: int = 0
    escalations: int = 0
    router_versions: int = 0
    transitions: int = 0


class DemoRefused(RuntimeError):
    pass


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _insert(store: TelemetryStore, table):
    return (sqlite_dialect.insert if store.backend == "sqlite" else pg_dialect.insert)(table)


def _check_demo_only(store: TelemetryStore) -> None:
    with store.engine.connect() as conn:
        sessions = conn.execute(select(func.count()).select_from(ChatSession.__table__)
                                .where(~ChatSession.__table__.c.id.startswith(PREFIX))).scalar_one()
        versions = conn.execute(select(func.count()).select_from(RouterVersion.__table__)
                                .where(~RouterVersion.__table__.c.version.startswith(PREFIX))).scalar_one()
    if sessions or versions:
        raise DemoRefused(f"this database already holds real telemetry ({sessions} sessions, {versions} router "
                          "versions not from the demo); fill a separate database (--url), or pass --force")


class _Timeline:
    """When each router version served, as fractions of the demo period."""

    def __init__(self, start: datetime, end: datetime, canary_share: float):
        span = end - start
        self.start, self.end, self.share = start, end, canary_share
        self.v1_canary = start + span * 0.25
        self.v1_active = start + span * 0.45
        self.v2_canary = start + span * 0.65

    def serving(self, t: datetime, canary_draw: float) -> tuple[str, str]:
        """(router version, canary arm) for a session starting at ``t`` (arm "" outside canaries)."""
        if t < self.v1_canary:
            return "demo-v0", ""
        if t < self.v1_active:
            return ("demo-v1", "canary") if canary_draw < self.share else ("demo-v0", "control")
        if t < self.v2_canary:
            return "demo-v1", ""
        return ("demo-v2", "canary") if canary_draw < self.share else ("demo-v1", "control")


def _versions(store: TelemetryStore, tl: _Timeline, rng: random.Random) -> tuple[int, int]:
    rv, rt = RouterVersion.__table__, RouterTransition.__table__
    t_v0 = tl.start - timedelta(days=1)
    rows = [
        dict(version="demo-v0", created_at=t_v0 - timedelta(hours=2), status="retired", activated_at=t_v0,
             finished_at=tl.v1_active, parent_version=None, canary_share=None, canary_started_at=None,
             window_start=None, window_end=None, notes="demo: the shipped thresholds"),
        dict(version="demo-v1", created_at=tl.v1_canary, status="active", activated_at=tl.v1_active,
             finished_at=None, parent_version="demo-v0", canary_share=tl.share, canary_started_at=tl.v1_canary,
             window_start=tl.start, window_end=tl.v1_canary, notes="demo: math threshold raised"),
        dict(version="demo-v2", created_at=tl.v2_canary, status="canary", activated_at=None, finished_at=None,
             parent_version="demo-v1", canary_share=tl.share, canary_started_at=tl.v2_canary,
             window_start=tl.start, window_end=tl.v2_canary, notes="demo: canary now"),
    ]
    for r in rows:
        threshold, domains = VERSIONS[r["version"]]
        r.update(threshold=threshold, domain_thresholds=domains, dataset="demo telemetry", dataset_version="demo",
                 metrics={"auc": round(0.80 + 0.03 * int(r["version"][-1]), 3),
                          "ece": round(0.09 - 0.02 * int(r["version"][-1]), 3)})
    moves = [
        ("demo-v0", None, "active", t_v0, "demo", "shipped thresholds", None),
        ("demo-v1", None, "candidate", tl.v1_canary, "retrain", "retrained on demo telemetry", None),
        ("demo-v1", "candidate", "canary", tl.v1_canary, "retrain", f"canary for {tl.share:.0%} of sessions", None),
        ("demo-v1", "canary", "active", tl.v1_active, "scheduler", "canary satisfaction beat control",
         {"canary_satisfaction": 0.74, "control_satisfaction": 0.69}),
        ("demo-v0", "active", "retired", tl.v1_active, "scheduler", "replaced by demo-v1", None),
        ("demo-v2", None, "candidate", tl.v2_canary, "retrain", "retrained on demo telemetry", None),
        ("demo-v2", "candidate", "canary", tl.v2_canary, "retrain", f"canary for {tl.share:.0%} of sessions", None),
    ]
    transitions = [dict(id=_id(rng), version=v, from_status=a, to_status=b, at=at, actor=actor, reason=why,
                        numbers=nums) for v, a, b, at, actor, why, nums in moves]
    with store.engine.begin() as conn:
        conn.execute(_insert(store, rv).on_conflict_do_nothing(index_elements=["version"]), rows)
        conn.execute(_insert(store, rt).on_conflict_do_nothing(index_elements=["id"]), transitions)
    return len(rows), len(transitions)


def _decision(rng: random.Random, domain: str, version: str, arm: str, *, forced: bool = False,
              escalated: bool = False, cascaded: bool = False) -> dict[str, Any]:
    _, modifier, mean_conf, _ = DOMAINS[domain]
    threshold_global, per_domain = VERSIONS[version]
    threshold = per_domain.get(domain, threshold_global)
    conf = min(0.99, max(0.02, rng.betavariate(mean_conf * 12, (1 - mean_conf) * 12)))
    accurate = forced or escalated or cascaded or (modifier is not None and conf < threshold)
    probs = {domain: round(rng.uniform(0.55, 0.95), 4)}
    probs["general" if domain != "general" else "creative"] = round(1 - probs[domain], 4)
    reasons = [f"domain {domain} ({probs[domain]:.0%})",
               f"confidence {conf:.0%} {'<' if conf < threshold else '>='} threshold {threshold:.0%}"]
    if modifier is None and conf < threshold:
        reasons.append(f"no modifier for {domain}: base answers")
    return {"mode": "accurate" if accurate else "fast", "domain": domain, "confidence": round(conf, 4),
            "threshold": threshold, "modifier": modifier if accurate else None, "domain_probs": probs,
            "reasons": reasons, "latency_ms": round(rng.uniform(3, 12), 3), "probe_ms": round(rng.uniform(90, 220), 3),
            "forced": forced, "escalated": escalated, "preempted": False, "cascaded": cascaded, "fallback": False,
            "router_version": version, "canary_arm": arm, "raw_confidence": round(min(0.99, conf + 0.03), 4)}


def _p_satisfied(d: dict[str, Any]) -> float:
    _, _, _, overconfidence = DOMAINS[d["domain"]]
    if d["mode"] == "accurate":
        return 0.82 if d["modifier"] else 0.6
    return max(0.03, d["confidence"] - overconfidence)


def _session_start(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """Uniform over days, more traffic between 08:00 and 22:00 UTC."""
    span = (end - start).total_seconds()
    while True:
        t = start + timedelta(seconds=rng.uniform(0, span * 0.995))
        if 8 <= t.hour < 22 or rng.random() < 0.3:
            return t


def generate_demo(store: TelemetryStore, *, days: float = 14, sessions: int = 300, seed: int = 0,
                  canary_share: float = 0.2, now: datetime | None = None, force: bool = False) -> DemoSummary:
    """Fill ``store`` with demo traffic (module docstring); returns what was written."""
    if days <= 0 or sessions < 1:
        raise ValueError("days must be > 0 and sessions >= 1")
    store.migrate()
    if not force:
        _check_demo_only(store)
    rng = random.Random(seed)
    end = (now or datetime.now(UTC)).astimezone(UTC)
    start = end - timedelta(days=days)
    tl = _Timeline(start, end, canary_share)
    out = DemoSummary()
    out.router_versions, out.transitions = _versions(store, tl, rng)
    users = [f"{PREFIX}user-{i:02d}" for i in range(max(3, sessions // 6))]
    weights = [w for w, *_ in DOMAINS.values()]
    with tempfile.TemporaryDirectory(prefix="modroute-demo-") as tmp:
        writer = TelemetryWriter(store, Path(tmp) / "spool.jsonl", flush_interval_s=0.05)
        try:
            for s in range(sessions):
                sid = f"{PREFIX}s-{seed}-{s:05d}"
                user, consent = rng.choice(users), rng.random() < 0.4
                t = _session_start(rng, start, end)
                version, arm = tl.serving(t, rng.random())
                writer.submit(SessionEvent(sid, user_id=user, client=rng.choice(["ui", "ui", "api", "beta"]),
                                           consent=consent, id=_id(rng), created_at=t))
                out.sessions += 1
                for _ in range(rng.choice([1, 1, 2, 3, 4, 5, 6, 8])):
                    if t >= end:
                        break
                    domain = rng.choices(list(DOMAINS), weights)[0]
                    forced = rng.random() < 0.03 and DOMAINS[domain][1] is not None
                    d = _decision(rng, domain, version, arm, forced=forced)
                    ok = rng.random() < _p_satisfied(d)
                    iid = _turn(writer, rng, sid, user, consent, d, ok, t, out)
                    if not ok and d["mode"] == "fast" and rng.random() < 0.45:
                        t = _escalate(writer, rng, sid, user, consent, iid, d, version, arm, t, end, out)
                    t += timedelta(seconds=rng.uniform(30, 300))
            if not writer.drain(timeout=300):
                raise RuntimeError("the demo's telemetry did not reach the database within 5 minutes")
        finally:
            writer.close()
    return out


def _turn(writer: TelemetryWriter, rng: random.Random, sid: str, user: str, consent: bool, d: dict[str, Any],
          ok: bool, t: datetime, out: DemoSummary) -> str:
    domain = d["domain"]
    query = rng.choice(QUERIES[domain]).format(x=rng.choice(FILLERS)) + rng.choice(PII)
    answer = (f"[demo {domain} answer, {'good' if ok else 'weak'}] " + "lorem ipsum " * rng.randint(3, 30)).strip()
    fast = d["mode"] == "fast"
    completion = rng.randint(20, 240)
    tps = rng.uniform(120, 160) if fast else rng.uniform(60, 85)
    iid = _id(rng)
    writer.record_interaction(sid, query, answer, d, consent=consent, user_id=user, interaction_id=iid,
                              created_at=t, usage={"prompt_tokens": rng.randint(12, 400), "completion_tokens": completion},
                              timings={"total_ms": round(completion / tps * 1000 + rng.uniform(80, 250), 1),
                                       "ttft_ms": round(rng.uniform(80, 250), 1), "tokens_per_s": round(tps, 1)},
                              response_confidence=round(min(0.99, max(0.01, rng.gauss(0.7 if ok else 0.45, 0.12))), 4),
                              finish_reason="stop" if rng.random() < 0.93 else "length")
    out.interactions += 1
    later = t + timedelta(seconds=rng.uniform(5, 120))
    if rng.random() < 0.3:
        rating = rng.randint(7, 10) if ok else rng.randint(1, 5)
        if rng.random() < 0.1:
            rating = rng.randint(5, 6)
        writer.submit(FeedbackEvent(iid, user, rating=rating, comment="demo comment" if rng.random() < 0.2 else None,
                                    consent=consent, id=_id(rng), created_at=later))
        out.ratings += 1
    if rng.random() < 0.15:
        writer.submit(FeedbackEvent(iid, user, liked=ok if rng.random() < 0.9 else not ok,
                                    id=_id(rng), created_at=later + timedelta(seconds=1)))
        out.likes += 1
    if rng.random() < (0.3 if not ok else 0.25):
        kind = rng.choice(["rephrase", "regenerate", "dismissal"]) if not ok else rng.choice(["continuation", "copy"])
        writer.submit(SignalEvent(iid, kind, session_id=sid, score=round(rng.uniform(0.6, 0.99), 3),
                                  message="that is not what I asked" if not ok else "thanks, and next?",
                                  consent=consent, id=_id(rng), created_at=later))
        out.signals += 1
    return iid


def _escalate(writer: TelemetryWriter, rng: random.Random, sid: str, user: str, consent: bool, failed_iid: str,
              failed: dict[str, Any], version: str, arm: str, t: datetime, end: datetime, out: DemoSummary) -> datetime:
    trigger = rng.choices(["user", "detector", "cascade"], [0.5, 0.3, 0.2])[0]
    t_new = t + timedelta(seconds=rng.uniform(20, 90))
    esc_id = _id(rng)
    modifier = DOMAINS[failed["domain"]][1]
    if t_new >= end:  # too late to regenerate before "now": still pending
        writer.submit(EscalationEvent(failed_iid, trigger, session_id=sid, domain=failed["domain"], modifier=modifier,
                                      failed_answer="the weak answer", consent=consent, id=esc_id, created_at=t))
        out.escalations += 1
        return t
    d = _decision(rng, failed["domain"], version, arm, escalated=trigger != "cascade", cascaded=trigger == "cascade")
    ok = rng.random() < _p_satisfied(d)
    new_iid = _turn(writer, rng, sid, user, consent, d, ok, t_new, out)
    writer.submit(EscalationEvent(failed_iid, trigger, session_id=sid, new_interaction_id=new_iid,
                                  domain=failed["domain"], modifier=modifier, failed_answer="the weak answer",
                                  failed_response_confidence=round(rng.uniform(0.2, 0.5), 3), consent=consent,
                                  id=esc_id, created_at=t))
    out.escalations += 1
    draw = rng.random()
    outcome = ("resolved" if ok else "failed") if draw < 0.85 else ("abandoned" if draw < 0.95 else "pending")
    if outcome != "pending":
        writer.submit(EscalationOutcomeEvent(esc_id, outcome, new_interaction_id=new_iid, id=_id(rng),
                                             created_at=t_new + timedelta(seconds=rng.uniform(10, 120))))
    return t_new


def add_arguments(p) -> None:
    p.add_argument("--url", default="", help="database URL (default: from settings)")
    p.add_argument("--days", type=float, default=14, help="spread traffic over this many days before now")
    p.add_argument("--sessions", type=int, default=300)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--canary-share", type=float, default=0.2, help="share of sessions on the canary arm")
    p.add_argument("--force", action="store_true", help="write even if the database holds non-demo telemetry")


def run(store: TelemetryStore, args) -> int:
    import sys

    try:
        summary = generate_demo(store, days=args.days, sessions=args.sessions, seed=args.seed,
                                canary_share=args.canary_share, force=args.force)
    except (DemoRefused, ValueError) as e:
        print(str(e), file=sys.stderr)
        return 2
    print(json.dumps({"database": repr(store), **summary.__dict__}))
    return 0


__all__ = ["generate_demo", "DemoSummary", "DemoRefused", "add_arguments", "run"]
