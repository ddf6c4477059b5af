"""The whole learning loop on synthetic users whose satisfaction is known (issue 9's acceptance).

Scenario 1: the base fails at math while the shipped router is over-confident there. The scheduled
retraining job (real ``LearningScheduler`` + lease + ``run_retrain``) raises math's threshold and improves
held-out routing accuracy (printed); the new version starts as a canary; live traffic is then routed per
session arm by the real ``RouterVersionSet`` + ``AdaptiveLayer`` (canary) or by the shipped rule
(control), users react as the world says, and the canary check promotes the version.

Scenario 2: a version trained on yesterday's world (Fast answers were fine) meets today's (the base got
worse below 0.85 confidence); it routes more to Fast than the control does, its users are less
satisfied, and the canary check rolls it back automatically.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from runtime.decision import ACCURATE, FAST
from runtime.versions import RouterVersionSet
from telemetry import TelemetrySettings
from telemetry.canary import make_learning_jobs
from telemetry.scheduler import LearningScheduler
from telemetry.writer import TelemetryWriter
from tests.retrain_sim import SIM_DOMAINS, World, _decision, simulate
from tests.test_telemetry_support import backend_fixture, db_url_fixture, store_fixture  # noqa: F401

USERS = [f"user-{i:02d}" for i in range(30)]
DAY = timedelta(days=1)


def settings(**kw) -> TelemetrySettings:
    base = dict(retrain_min_labels=500, retrain_interval="1d", retrain_replay_windows=1, canary_share=0.5,
                canary_min_rated=150, canary_check_interval="1d", lease_ttl_s=60)
    return TelemetrySettings(**{**base, **kw})


def run_job(sched: LearningScheduler, job: str) -> dict:
    run_id = sched.run_now(job, "test")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        st = sched.run_status(run_id) or {}
        if st.get("status") in ("succeeded", "failed", "skipped"):
            assert st["status"] == "succeeded", st
            return st["detail"]["numbers"]
        time.sleep(0.05)
    raise AssertionError(f"{job} did not finish")


def live_traffic(store, tmp_path, rng, world: World, versions: RouterVersionSet, *, n: int):
    """Users ask, the serving version decides per session arm, users rate what they got (between the
    canary's start and now, so the check sees all of it)."""
    started = store_canary_start(store)
    time.sleep(0.3)
    span = datetime.now(UTC) - started
    with TelemetryWriter(store, tmp_path / "live-spool.jsonl") as w:
        for i in range(n):
            user = USERS[int(rng.integers(len(USERS)))]
            sid = f"live-{user}-{i // 4}"  # a few questions per session
            domain = SIM_DOMAINS[int(rng.choice(len(SIM_DOMAINS), p=[0.4, 0.2, 0.25, 0.15]))]
            c = float(rng.uniform(*world.math_confidence)) if domain == "math" and rng.random() < 0.85 \
                else float(rng.uniform(0.55, 0.98))
            layer, arm, version = versions.assign(sid)
            d = _decision(rng, domain, c, FAST, False)
            if layer is not None:
                p, t = layer.p_satisfied(d, 150, FAST), layer.threshold_for(domain)
                d.update(raw_confidence=c, confidence=p, threshold=t)
                mode = FAST if p >= t else ACCURATE
            else:
                mode = FAST if c >= 0.8 else ACCURATE
            d.update(mode=mode, modifier=f"{domain}-lora" if mode == ACCURATE else None, canary_arm=arm,
                     router_version=version or d["router_version"])
            sat = rng.random() < (world.p_fast(domain, c, user) if mode == FAST else world.p_accurate(domain))
            iid = w.record_interaction(sid, "q" + "x" * 149, "a", d, user_id=user,
                                       timings={"total_ms": world.latency(domain, mode)},
                                       created_at=started + span * (i + 1) / (n + 1))
            if rng.random() < 0.8:
                w.record_feedback(iid, user, rating=int(rng.integers(7, 11) if sat else rng.integers(1, 5)))
        assert w.flush(60)


def store_canary_start(store) -> datetime:
    from telemetry.canary import current_canary
    from telemetry.store import aware_utc

    return aware_utc(current_canary(store)["canary_started_at"])


def history(store, tmp_path, rng, world: World, now: datetime) -> None:
    with TelemetryWriter(store, tmp_path / "spool.jsonl") as w:
        simulate(w, rng, world, n=1200, start=now - 2 * DAY, end=now - DAY, users=USERS)
        simulate(w, rng, world, n=1800, start=now - DAY, end=now - timedelta(minutes=1), users=USERS)


def statuses(store) -> dict[str, str]:
    return {v["version"]: v["status"] for v in store.router_versions()}


def test_retrain_raises_the_failing_domains_threshold_and_the_canary_is_promoted(store, tmp_path, capsys):
    rng = np.random.default_rng(11)
    now = datetime.now(UTC)
    history(store, tmp_path, rng, World(), now)
    ts = settings()
    jobs = make_learning_jobs(store, ts, tmp_path / "versions", lambda: "router-20261125214605",
                              lambda: {"threshold": 0.8, "domain_thresholds": {}, "version": "router-20261125214605"})
    with LearningScheduler(store, ts, jobs) as sched:
        res = run_job(sched, "retrain")
        assert res["status"] == "trained", res
        version = res["version"]
        m = res["metrics"]
        with capsys.disabled():
            b, a = m["before"], m["after"]
            print(f"\n[{store.backend}] {version}: threshold {res['threshold']}, per domain {res['domain_thresholds']}; "
                  f"held-out routing accuracy {b['accuracy']:.3f} -> {a['accuracy']:.3f}, AUC {b['auc']:.3f} -> "
                  f"{a['auc']:.3f}, ECE {b['ece']:.3f} -> {a['ece']:.3f}, Brier {b['brier']:.3f} -> {a['brier']:.3f}")
        assert res["domain_thresholds"]["math"] > 0.80  # the failing domain's threshold rose
        assert a["accuracy"] > b["accuracy"]
        assert statuses(store)[version] == "canary"

        versions = RouterVersionSet(store.router_versions)
        st = versions.refresh()
        assert st.canary_version == version and st.active is None  # control = the shipped router
        live_traffic(store, tmp_path, rng, World(), versions, n=900)
        check = run_job(sched, "canary_check")
        with capsys.disabled():
            n = check["numbers"]
            print(f"[{store.backend}] canary check: {check['decision']} — {check['reason']} "
                  f"(canary n={n['canary']['labelled']}, control n={n['control']['labelled']})")
        assert check["decision"] == "promote" and check["applied"], check
        assert statuses(store)[version] == "active"
        assert versions.refresh().active_version == version and versions.assign("anyone")[1] == ""


def test_a_worse_version_is_rolled_back_automatically(store, tmp_path, capsys):
    rng = np.random.default_rng(5)
    now = datetime.now(UTC)
    fine = World(fast={}, math_confidence=(0.55, 0.98))  # yesterday: Fast answers as good as the confidence says
    history(store, tmp_path, rng, fine, now)
    ts = settings()
    jobs = make_learning_jobs(store, ts, tmp_path / "versions", lambda: "router-20261125214605",
                              lambda: {"threshold": 0.8, "domain_thresholds": {}, "version": "router-20261125214605"})

    def worse_base(c: float) -> float:  # today: the base fails below 0.85 confidence
        return 0.1 if c < 0.85 else c

    today = World(fast={d: worse_base for d in SIM_DOMAINS}, math_confidence=(0.55, 0.98))
    with LearningScheduler(store, ts, jobs) as sched:
        res = run_job(sched, "retrain")
        assert res["status"] == "trained", res
        version = res["version"]
        assert res["threshold"] < 0.8  # it learned that Fast was fine: more goes to Fast
        versions = RouterVersionSet(store.router_versions)
        assert versions.refresh().canary_version == version
        live_traffic(store, tmp_path, rng, today, versions, n=900)
        check = run_job(sched, "canary_check")
        with capsys.disabled():
            n = check["numbers"]
            print(f"\n[{store.backend}] canary check: {check['decision']} — {check['reason']} "
                  f"(canary n={n['canary']['labelled']}, control n={n['control']['labelled']})")
        assert check["decision"] == "rollback" and check["applied"], check
        assert statuses(store)[version] == "rolled_back"
        st = versions.refresh()
        assert st.canary is None and versions.assign("anyone") == (None, "", "")


@pytest.fixture(autouse=True)
def _quiet(caplog):
    caplog.set_level("WARNING")
