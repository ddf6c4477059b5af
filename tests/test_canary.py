"""Canary lifecycle: promotion, rollback (worse, escalation guard, error guard), manual actions,
transitions with their numbers, restart safety, and the two learning jobs run by the real scheduler.

Interactions are synthetic but written through the real TelemetryWriter into a real database (SQLite
and PostgreSQL), with ``canary_arm`` in the decision dict and ratings through ``record_feedback``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from telemetry import TelemetrySettings
from telemetry.canary import (
    GUARD_MIN_ANSWERS,
    TransitionError,
    apply_decision,
    evaluate_canary,
    make_learning_jobs,
    promote,
    rollback,
    start_canary,
    versions_overview,
)
from telemetry.scheduler import LearningScheduler
from telemetry.store import TelemetryStore
from telemetry.writer import TelemetryWriter
from tests.test_telemetry_support import backend_fixture, db_url_fixture, store_fixture  # noqa: F401

ACTIVE, CANARY = "v-active", "v-canary"


def _settings(**kw) -> TelemetrySettings:
    return TelemetrySettings(**{"canary_min_rated": 30, "canary_promote_margin": 0.01,
                                "canary_max_escalation_increase": 0.05, "canary_max_error_rate": 0.05,
                                "lease_ttl_s": 10.0, **kw})


@pytest.fixture(name="canary_store")
def canary_store_fixture(store):
    """An active version and a candidate put on a 10% canary (started before any interaction)."""
    store.add_router_version(ACTIVE, threshold=0.8, status="active")
    store.add_router_version(CANARY, threshold=0.85)
    start_canary(store, CANARY, 0.10, "retrain")
    return store


def _traffic(store, tmp_path, arm: str, *, answers: int, rated: int = 0, satisfied: int = 0,
             errors: int = 0, escalations: int = 0, version: str | None = None) -> None:
    """``answers`` interactions on ``arm``: the first ``rated`` rated (``satisfied`` of them 9, the
    rest 2), ``errors`` of them failed, ``escalations`` escalated by the cascade (not a label)."""
    version = version or (CANARY if arm == "canary" else ACTIVE)
    with TelemetryWriter(store, tmp_path / f"spool-{arm}-{time.monotonic_ns()}.jsonl") as w:
        for i in range(answers):
            session = f"{arm}-s{i // 4}"
            decision = {"mode": "fast", "domain": "code", "confidence": 0.82, "threshold": 0.8,
                        "router_version": version, "canary_arm": arm}
            iid = w.record_interaction(session, "q", "a", decision, user_id=f"u{i}",
                                       finish_reason="error" if i < errors else "stop")
            if i < rated:
                w.record_feedback(iid, f"u{i}", rating=9 if i < satisfied else 2)
            if i < escalations:
                w.record_escalation(iid, "cascade", session_id=session, domain="code")
        assert w.flush(30)


def _status(store, version: str) -> str:
    return next(v["status"] for v in store.router_versions() if v["version"] == version)


def _transitions(store, version: str) -> list[tuple]:
    ov = versions_overview(store)
    v = next(x for x in ov["versions"] if x["version"] == version)
    return [(t["from_status"], t["to_status"], t["actor"]) for t in v["transitions"]]


# -- decisions ----------------------------------------------------------------------------------------------
def test_continue_below_the_minimum_even_when_the_canary_looks_better(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "canary", answers=29, rated=29, satisfied=29)
    _traffic(canary_store, tmp_path, "control", answers=40, rated=40, satisfied=20)
    ev = evaluate_canary(canary_store, _settings())
    assert ev["decision"] == "continue" and "waiting for 30" in ev["reason"]
    assert ev["numbers"]["canary"]["labelled"] == 29 and ev["numbers"]["control"]["satisfaction"] == 0.5


def test_promoted_when_better_by_one_point_after_the_minimum(canary_store, tmp_path):
    s = _settings(canary_min_rated=100)
    _traffic(canary_store, tmp_path, "control", answers=100, rated=100, satisfied=80)
    _traffic(canary_store, tmp_path, "canary", answers=100, rated=100, satisfied=81)  # +1.0 point
    ev = evaluate_canary(canary_store, s)
    assert ev["decision"] == "promote", ev["reason"]
    assert ev["numbers"]["satisfaction_diff"] == pytest.approx(0.01)


def test_not_promoted_when_better_by_less_than_one_point(canary_store, tmp_path):
    s = _settings(canary_min_rated=200)
    _traffic(canary_store, tmp_path, "control", answers=200, rated=200, satisfied=160)
    _traffic(canary_store, tmp_path, "canary", answers=200, rated=200, satisfied=161)  # +0.5 point
    ev = evaluate_canary(canary_store, s)
    assert ev["decision"] == "continue" and "within the 1.0% margin" in ev["reason"]


def test_rolled_back_when_worse(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "control", answers=40, rated=40, satisfied=32)  # 80%
    _traffic(canary_store, tmp_path, "canary", answers=40, rated=40, satisfied=28)  # 70%
    ev = evaluate_canary(canary_store, _settings())
    assert ev["decision"] == "rollback" and "worse" in ev["reason"]
    res = apply_decision(canary_store, ev)
    assert res["applied"] and _status(canary_store, CANARY) == "rolled_back"
    assert _status(canary_store, ACTIVE) == "active"  # control keeps serving


def test_escalation_guard_rolls_back_before_the_minimum(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "control", answers=25, escalations=1)  # 4%
    _traffic(canary_store, tmp_path, "canary", answers=25, escalations=5)  # 20%: +16 points > 5
    ev = evaluate_canary(canary_store, _settings())
    assert ev["decision"] == "rollback" and ev["reason"].startswith("escalation guard")
    assert ev["numbers"]["escalation_increase"] == pytest.approx(0.16)


def test_escalation_within_the_guard_continues(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "control", answers=25, escalations=1)  # 4%
    _traffic(canary_store, tmp_path, "canary", answers=25, escalations=2)  # 8%: +4 points <= 5
    assert evaluate_canary(canary_store, _settings())["decision"] == "continue"


def test_error_guard_rolls_back_but_one_early_error_does_not(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "canary", answers=5, errors=1)  # 20%, but only 5 answers
    ev = evaluate_canary(canary_store, _settings())
    assert ev["decision"] == "continue" and ev["numbers"]["canary"]["error_rate"] == 0.2
    _traffic(canary_store, tmp_path, "canary", answers=GUARD_MIN_ANSWERS, errors=1)  # now 2 of 25 = 8% > 5%
    ev = evaluate_canary(canary_store, _settings())
    assert ev["decision"] == "rollback" and ev["reason"].startswith("error guard: 2/25")


def test_no_canary_means_nothing_to_decide(store):
    assert evaluate_canary(store, _settings())["decision"] == "none"


# -- lifecycle --------------------------------------------------------------------------------------------
def test_manual_lifecycle_records_every_transition(store):
    for v in ("v1", "v2", "v3"):
        store.add_router_version(v, threshold=0.8)
    start_canary(store, "v1", 0.1, "retrain")
    promote(store, "v1", "admin:alice", "looks good")
    start_canary(store, "v2", 0.2, "retrain")
    res = start_canary(store, "v3", 0.1, "retrain")  # a newer candidate replaces the older canary
    assert res["replaced"] == ["v2"] and res["control"] == "v1"
    assert _status(store, "v2") == "retired"
    with pytest.raises(TransitionError, match="only a canary can be promoted"):
        promote(store, "v2", "admin:alice")
    with pytest.raises(TransitionError, match="not a candidate"):
        start_canary(store, "v1", 0.1, "admin:alice")
    assert promote(store, "v3", "admin:alice")["previous_active"] == "v1"
    assert (_status(store, "v1"), _status(store, "v3")) == ("retired", "active")

    # The admin rolls the active version back: the one it replaced serves again.
    res = rollback(store, "v3", "admin:bob", "users complain", {"complaints": 3})
    assert res == {"version": "v3", "status": "rolled_back", "from": "active", "restored": "v1"}
    assert (_status(store, "v1"), _status(store, "v3")) == ("active", "rolled_back")
    assert store.active_router_version()["version"] == "v1"
    with pytest.raises(TransitionError, match="only the canary or the active version"):
        rollback(store, "v3", "admin:bob")

    assert _transitions(store, "v1") == [("candidate", "canary", "retrain"), ("canary", "active", "admin:alice"),
                                         ("active", "retired", "admin:alice"), ("retired", "active", "admin:bob")]
    assert _transitions(store, "v2") == [("candidate", "canary", "retrain"), ("canary", "retired", "retrain")]
    assert _transitions(store, "v3") == [("candidate", "canary", "retrain"), ("canary", "active", "admin:alice"),
                                         ("active", "rolled_back", "admin:bob")]
    ov = versions_overview(store)
    assert (ov["active"], ov["canary"]) == ("v1", None)
    v3 = next(v for v in ov["versions"] if v["version"] == "v3")
    assert v3["transitions"][-1]["numbers"] == {"complaints": 3} and v3["transitions"][-1]["reason"] == "users complain"
    assert v3["canary_share"] == 0.1 and v3["canary_started_at"] is not None and v3["finished_at"] is not None


def test_a_decision_loses_cleanly_to_an_admin_who_acted_first(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "control", answers=30, rated=30, satisfied=15)
    _traffic(canary_store, tmp_path, "canary", answers=30, rated=30, satisfied=30)
    ev = evaluate_canary(canary_store, _settings())
    assert ev["decision"] == "promote"
    rollback(canary_store, CANARY, "admin:alice", "not this week")
    res = apply_decision(canary_store, ev)
    assert not res["applied"] and "not applied: router version v-canary is rolled_back" in res["reason"]
    assert _status(canary_store, CANARY) == "rolled_back" and _status(canary_store, ACTIVE) == "active"


def test_restart_safe_the_same_canary_is_judged_on_the_same_rows(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "control", answers=30, rated=30, satisfied=21)
    _traffic(canary_store, tmp_path, "canary", answers=30, rated=30, satisfied=27)
    now = datetime.now(UTC) + timedelta(seconds=1)
    before = evaluate_canary(canary_store, _settings(), now=now)
    again = TelemetryStore(canary_store.url)  # a restarted process: nothing but the database
    try:
        after = evaluate_canary(again, _settings(), now=now)
        assert after == before and after["decision"] == "promote"
        row = next(v for v in again.router_versions() if v["version"] == CANARY)
        assert (row["status"], row["canary_share"], row["parent_version"]) == ("canary", 0.1, ACTIVE)
    finally:
        again.close()


# -- the jobs, run by the real scheduler -----------------------------------------------------------------------
def _run(sched: LearningScheduler, job: str) -> dict:
    run_id = sched.run_now(job, "admin:test")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        row = sched.run_status(run_id)
        if row and row["status"] not in ("queued", "running"):
            return row
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_canary_check_job_promotes_and_records_the_numbers(canary_store, tmp_path):
    _traffic(canary_store, tmp_path, "control", answers=30, rated=30, satisfied=21)
    _traffic(canary_store, tmp_path, "canary", answers=30, rated=30, satisfied=27)
    s = _settings()
    with LearningScheduler(canary_store, s, make_learning_jobs(canary_store, s, tmp_path / "versions")) as sched:
        row = _run(sched, "canary_check")
    assert row["status"] == "succeeded", row["error"]
    numbers = row["detail"]["numbers"]
    assert numbers["decision"] == "promote" and numbers["applied"] and numbers["version"] == CANARY
    assert (_status(canary_store, CANARY), _status(canary_store, ACTIVE)) == ("active", "retired")
    [tr] = [t for t in versions_overview(canary_store)["versions"][0]["transitions"] if t["to_status"] == "active"]
    assert tr["actor"] == "scheduler" and tr["numbers"]["canary"]["satisfaction"] == 0.9
    assert tr["numbers"]["control"]["satisfaction"] == 0.7 and tr["numbers"]["previous_active"] == ACTIVE


def _labelled_history(store, tmp_path, n: int = 400) -> None:
    """Routed answers whose satisfaction follows the router's confidence (a learnable signal)."""
    rng = np.random.default_rng(3)
    now = datetime.now(UTC)
    with TelemetryWriter(store, tmp_path / "history.jsonl") as w:
        for i in range(n):
            c = float(rng.uniform(0.5, 1.0))
            mode = "fast" if c >= 0.8 else "accurate"
            d = {"mode": mode, "domain": "code" if i % 2 else "math", "confidence": c, "threshold": 0.8,
                 "domain_probs": {"code": 0.5, "math": 0.5}}
            iid = w.record_interaction(f"s{i // 5}", "q", "a", d, user_id=f"u{i % 20}",
                                       created_at=now - timedelta(hours=20) + timedelta(seconds=i * 60),
                                       timings={"total_ms": 400.0 if mode == "fast" else 1500.0})
            ok = rng.random() < (c if mode == "fast" else 0.9)
            w.record_feedback(iid, f"u{i % 20}", rating=9 if ok else 2)
        assert w.flush(30)


def test_retrain_job_trains_a_candidate_and_starts_its_canary(store, tmp_path):
    store.add_router_version(ACTIVE, threshold=0.8, status="active")
    s = _settings(retrain_min_labels=100, retrain_interval="1d", canary_share=0.25)
    jobs = make_learning_jobs(store, s, tmp_path / "versions", base_version_fn=lambda: "quality-v1")
    with LearningScheduler(store, s, jobs) as sched:
        skipped = _run(sched, "retrain")  # nothing labelled yet
        assert skipped["status"] == "succeeded" and skipped["detail"]["numbers"]["status"] == "skipped"
        _labelled_history(store, tmp_path)
        row = _run(sched, "retrain")
    assert row["status"] == "succeeded", row["error"]
    numbers = row["detail"]["numbers"]
    assert numbers["status"] == "trained", numbers["reason"]
    version = numbers["version"]
    assert numbers["canary"] == {"version": version, "status": "canary", "share": 0.25, "control": ACTIVE,
                                 "replaced": []}
    v = next(x for x in store.router_versions() if x["version"] == version)
    assert (v["status"], v["canary_share"], v["parent_version"]) == ("canary", 0.25, ACTIVE)
    assert (tmp_path / "versions" / f"{version}.safetensors").exists()
    assert _transitions(store, version) == [("candidate", "canary", "retrain")]

    # What serves: the runtime's versions set reads this state; a restarted one assigns the same arms.
    from runtime.versions import RouterVersionSet

    sessions = [f"session-{i}" for i in range(400)]
    first = RouterVersionSet(lister=store.router_versions)
    first.refresh()
    arms = [first.assign(sid)[1:] for sid in sessions]
    again = TelemetryStore(store.url)
    try:
        restarted = RouterVersionSet(lister=again.router_versions)
        restarted.refresh()
        assert [restarted.assign(sid)[1:] for sid in sessions] == arms
    finally:
        again.close()
    assert {a for a, _ in arms} == {"canary", "control"}
    assert {v for a, v in arms if a == "canary"} == {version} and {v for a, v in arms if a == "control"} == {ACTIVE}
    assert 0.15 < sum(a == "canary" for a, _ in arms) / len(arms) < 0.35  # ~25% of sessions
