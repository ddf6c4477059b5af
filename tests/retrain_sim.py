"""Synthetic users whose satisfaction is known, written through the real TelemetryWriter.

Used by tests/test_retrain.py (and free for the canary tests): ``World`` says how likely a user is to
be satisfied by a Fast or an Accurate answer, per domain, given the quality model's confidence;
``simulate`` routes synthetic questions with a logged router (threshold 0.80 on that confidence, as
the shipped router does), draws each outcome from the world and records what users do about it —
ratings, likes, "this answer is wrong" escalations with their regenerated Accurate answer,
Regenerate, rephrases, continuations — plus, now and then, weaker evidence that contradicts the
stronger one (so label precedence matters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from runtime.decision import ACCURATE, FAST, RouteDecision

SIM_DOMAINS = ("math", "code", "general", "science")
# The decisions are logged by router-20261125214605, whose classifier knew these eight domains (hard_math
# came later); a domain added to the runtime must not change what that router logged.
LOGGED_DOMAINS = ("code", "reasoning", "automation", "math", "science", "finance", "creative", "general")


def math_fast_failing(c: float) -> float:
    """The base fails at math unless the quality model is very sure: 0.05 up to ~0.88, 0.51 at 0.91,
    0.97 from ~0.94 — the logged router (threshold 0.80) was over-confident there."""
    return float(0.05 + 0.93 / (1 + np.exp(-(c - 0.91) / 0.012)))


def calibrated(c: float) -> float:
    return float(c)


@dataclass
class World:
    fast: dict[str, Callable[[float], float]] = field(default_factory=lambda: {"math": math_fast_failing})
    accurate: dict[str, float] = field(default_factory=lambda: {"math": 0.95})
    accurate_default: float = 0.92
    # ms; the math modifier is barely slower than the base (short answers), the others cost 60% more
    latency_fast: float = 900.0
    latency_accurate: dict[str, float] = field(default_factory=lambda: {"math": 920.0})
    latency_accurate_factor: float = 1.6
    math_confidence: tuple[float, float] = (0.80, 0.97)  # the over-confident router in math
    picky_users: frozenset[str] = frozenset()  # these users are satisfied by Fast answers 35 points less often

    def p_fast(self, domain: str, c: float, user: str) -> float:
        p = self.fast.get(domain, calibrated)(c)
        return max(0.0, p - 0.35) if user in self.picky_users else p

    def p_accurate(self, domain: str) -> float:
        return self.accurate.get(domain, self.accurate_default)

    def latency(self, domain: str, mode: str) -> float:
        if mode == FAST:
            return self.latency_fast
        return self.latency_accurate.get(domain, self.latency_fast * self.latency_accurate_factor)


def _decision(rng: np.random.Generator, domain: str, c: float, mode: str, forced: bool,
              escalated: bool = False) -> dict:
    top = float(rng.uniform(0.55, 0.95))
    others = [d for d in LOGGED_DOMAINS if d != domain]
    rest = rng.dirichlet(np.ones(len(others))) * (1 - top)
    probs = {domain: top, **{d: float(p) for d, p in zip(others, rest, strict=True)}}
    d = RouteDecision(mode=mode, domain=domain, confidence=c, threshold=0.8, domain_probs=probs,
                      modifier=f"{domain}-lora" if mode == ACCURATE else None, forced=forced, escalated=escalated,
                      router_version="router-20261125214605", reasons=["simulated"], latency_ms=3.0)
    return d.to_dict()


def simulate(writer, rng: np.random.Generator, world: World, *, n: int, start: datetime, end: datetime,
             users: list[str], personalized: frozenset[str] = frozenset(), evidence_rate: float = 0.85,
             contradict_rate: float = 0.15) -> dict[str, int]:
    """Record ``n`` interactions spread evenly over [start, end); returns counts of what was written."""
    counts = {"interactions": 0, "escalations": 0}
    sessions = {}
    for u in users:
        sid = f"s-{u}-{start:%m%d%H}"
        sessions[u] = sid
        writer.record_session(sid, user_id=u, client="sim", personalized=u in personalized or None)
    span = (end - start).total_seconds()
    for i in range(n):
        at = start + timedelta(seconds=span * (i + 0.5) / n)
        user = users[int(rng.integers(len(users)))]
        sid = sessions[user]
        domain = SIM_DOMAINS[int(rng.choice(len(SIM_DOMAINS), p=[0.4, 0.2, 0.25, 0.15]))]
        if domain == "math" and rng.random() < 0.85:
            c = float(rng.uniform(*world.math_confidence))
        else:
            c = float(rng.uniform(0.55, 0.98))
        forced = rng.random() < 0.12
        mode = (ACCURATE if rng.random() < 0.7 else FAST) if forced else (FAST if c >= 0.8 else ACCURATE)
        p = world.p_fast(domain, c, user) if mode == FAST else world.p_accurate(domain)
        sat = bool(rng.random() < p)
        lat = world.latency(domain, mode) * float(rng.uniform(0.9, 1.1))
        query = f"q{i} " + "x" * int(rng.integers(10, 300))  # the length is a feature; its content is not
        iid = writer.record_interaction(sid, query, "a", _decision(rng, domain, c, mode, forced), user_id=user,
                                        timings={"total_ms": lat}, created_at=at)
        counts["interactions"] += 1
        if rng.random() > evidence_rate:
            continue
        kind = rng.random()
        if kind < 0.4:
            writer.record_feedback(iid, user, rating=int(rng.integers(7, 11) if sat else rng.integers(1, 5)))
            if rng.random() < contradict_rate:  # weaker evidence the other way: the rating must win
                writer.record_signal(iid, "rephrase" if sat else "continuation", session_id=sid)
        elif kind < 0.65:
            writer.record_feedback(iid, user, liked=sat)
            if rng.random() < contradict_rate:
                writer.record_signal(iid, "regenerate" if sat else "copy", session_id=sid)
        elif sat:
            writer.record_signal(iid, "continuation" if rng.random() < 0.7 else "copy", session_id=sid)
        elif rng.random() < 0.4 and mode == FAST:
            # "this answer is wrong": the answer is regenerated in Accurate mode (an escalation row)
            new = writer.record_interaction(sid, query, "a2", _decision(rng, domain, c, ACCURATE, False, True),
                                            user_id=user, timings={"total_ms": world.latency(domain, ACCURATE)},
                                            created_at=at + timedelta(seconds=1))
            writer.record_escalation(iid, "user", session_id=sid, new_interaction_id=new, domain=domain)
            if rng.random() < world.p_accurate(domain):
                writer.record_signal(new, "continuation", session_id=sid)
            counts["escalations"] += 1
        else:
            writer.record_signal(iid, "regenerate" if rng.random() < 0.4 else "rephrase", session_id=sid)
    assert writer.flush(60), "telemetry writer did not flush"
    return counts
