"""Serving retrained router versions: the active version, a sticky canary arm, refused artifacts, and the
router applying a version's correction and thresholds (real router artifacts, real embedder)."""

from __future__ import annotations

import numpy as np
import pytest

from runtime.adaptive import N_FEATURES, AdaptiveLayer, personal_key
from runtime.decision import ACCURATE, FAST
from runtime.router import Router
from runtime.settings import Settings
from runtime.versions import CANARY, CONTROL, RouterVersionSet, canary_bucket
from tests.test_router import arts, embedder  # noqa: F401  (session fixtures: real router artifacts)

MATH_Q = "What is 17 times 23?"


def layer(version: str, fast_bias: float, *, threshold: float = 0.8, domain_thresholds=None,
          user_offsets=None) -> AdaptiveLayer:
    """A layer whose P(satisfied | Fast) is sigmoid(fast_bias) for every question."""
    coef = np.zeros((2, 1 + N_FEATURES))
    coef[0, 0] = fast_bias
    return AdaptiveLayer(coef, np.zeros(N_FEATURES), np.ones(N_FEATURES),
                         meta={"version": version, "threshold": threshold,
                               "domain_thresholds": domain_thresholds or {}, "user_offsets": user_offsets or {}})


def saved(tmp_path, lay: AdaptiveLayer) -> dict:
    path = tmp_path / f"{lay.version}.safetensors"
    sha = lay.save(path)
    return {"version": lay.version, "artifact_path": str(path), "artifact_sha256": sha}


def test_canary_arm_is_sticky_and_follows_the_share():
    sessions = [f"s{i}" for i in range(4000)]
    share = sum(canary_bucket("v2", s) < 0.10 for s in sessions) / len(sessions)
    assert 0.08 < share < 0.12
    assert [canary_bucket("v2", s) for s in sessions[:50]] == [canary_bucket("v2", s) for s in sessions[:50]]
    # A new canary version draws a fresh sample of sessions, not the same 10% again.
    first = {s for s in sessions if canary_bucket("v2", s) < 0.10}
    second = {s for s in sessions if canary_bucket("v3", s) < 0.10}
    assert len(first & second) < 0.3 * len(first)


def test_version_set_serves_active_and_canary_and_refuses_a_corrupt_artifact(tmp_path):
    active = {**saved(tmp_path, layer("v1", 2.0)), "status": "active", "activated_at": "2026-11-01"}
    canary = {**saved(tmp_path, layer("v2", -2.0)), "status": "canary", "canary_share": 0.25,
              "canary_started_at": "2026-11-02"}
    retired = {**saved(tmp_path, layer("v0", 0.0)), "status": "retired"}
    rows = [retired, active, canary]
    vs = RouterVersionSet(lambda: rows)
    st = vs.refresh()
    assert (st.active_version, st.canary_version, st.canary_share, st.problems) == ("v1", "v2", 0.25, [])
    arms = {}
    for i in range(400):
        lay, arm, version = vs.assign(f"session-{i}")
        assert (arm, version, lay.version) in ((CANARY, "v2", "v2"), (CONTROL, "v1", "v1"))
        arms[f"session-{i}"] = arm
        assert vs.assign(f"session-{i}")[1] == arm  # sticky
    assert 0.15 < sum(a == CANARY for a in arms.values()) / 400 < 0.35
    # Same rows after a "restart": the same sessions get the same arms.
    again = RouterVersionSet(lambda: rows)
    again.refresh()
    assert all(again.assign(s)[1] == a for s, a in arms.items())

    # A corrupt canary artifact is refused with a reason; everyone gets the active version.
    (tmp_path / "v2.safetensors").write_bytes(b"not a safetensors file")
    fresh = RouterVersionSet(lambda: rows)
    st = fresh.refresh()
    assert st.canary is None and st.active_version == "v1"
    assert any("v2" in p and "canary" in p for p in st.problems)
    assert fresh.assign("session-1") [1:] == ("", "v1")

    # The versions table unreachable: the last good state keeps serving.
    def down():
        raise ConnectionError("database down")

    vs.lister = down
    assert vs.refresh().active_version == "v1" and vs.assign("session-1")[2] in ("v1", "v2")


def test_no_versions_means_the_shipped_router(tmp_path):
    vs = RouterVersionSet(lambda: [])
    vs.refresh()
    assert vs.assign("s") == (None, "", "")
    personal = RouterVersionSet(lambda: [], personalize=True, user_salt="k")
    assert personal.user_key("alice") == personal_key("alice", "k") and vs.user_key("alice") is None


def make_router(arts, versions, **kw):  # noqa: F811
    settings = Settings(threshold=0.8, router_probe=False, **kw)
    return Router(settings, arts.domain.embedder, arts.domain, arts.quality, versions=versions,
                  version=arts.version)


def test_router_applies_the_serving_version(tmp_path, arts):  # noqa: F811
    # Without versions: the shipped router decides and says nothing about versions.
    shipped = make_router(arts, None).route(MATH_Q)
    assert shipped.raw_confidence is None and shipped.canary_arm == ""

    sure = {**saved(tmp_path, layer("v-sure", 6.0)), "status": "active", "activated_at": "1"}
    doubt = {**saved(tmp_path, layer("v-doubt", -6.0, domain_thresholds={"math": 0.9})), "status": "canary",
             "canary_share": 1.0}
    only_active = RouterVersionSet(lambda: [sure])
    only_active.refresh()
    d = make_router(arts, only_active).route(MATH_Q)
    assert d.mode == FAST and d.router_version == "v-sure" and d.canary_arm == ""
    assert d.raw_confidence == pytest.approx(shipped.confidence, abs=1e-6) and d.confidence > 0.99
    assert any("router version v-sure" in r for r in d.reasons)
    assert d.to_dict()["raw_confidence"] == pytest.approx(shipped.confidence, abs=1e-4)

    both = RouterVersionSet(lambda: [sure, doubt])
    both.refresh()
    d = make_router(arts, both).route(MATH_Q)  # share 1.0: every session is in the canary
    assert (d.mode, d.router_version, d.canary_arm, d.threshold) == (ACCURATE, "v-doubt", CANARY, 0.9)
    assert d.confidence < 0.01

    # Forced modes still win over any version.
    assert make_router(arts, both).route(MATH_Q, mode=FAST).mode == FAST


def test_personal_offsets_only_for_users_who_opted_in_on_a_server_that_allows_them(tmp_path, arts):  # noqa: F811
    key = personal_key("api:alice", "salt")
    row = {**saved(tmp_path, layer("v-p", 0.0, threshold=0.6, user_offsets={key: -0.2})), "status": "active",
           "activated_at": "1"}  # P(satisfied) = 0.5 for everyone
    on = RouterVersionSet(lambda: [row], personalize=True, user_salt="salt")
    on.refresh()
    r = make_router(arts, on)
    assert r.route(MATH_Q, user="api:alice", personalized=True).threshold == pytest.approx(0.4)
    assert r.route(MATH_Q, user="api:alice", personalized=True).mode == FAST  # 0.5 >= 0.4
    assert r.route(MATH_Q, user="api:alice").threshold == pytest.approx(0.6)  # not opted in
    assert r.route(MATH_Q, user="api:bob", personalized=True).threshold == pytest.approx(0.6)  # no offset
    off = RouterVersionSet(lambda: [row], personalize=False, user_salt="salt")
    off.refresh()
    assert make_router(arts, off).route(MATH_Q, user="api:alice", personalized=True).threshold == pytest.approx(0.6)
