"""The retraining job and its artifact: simulation with known satisfaction, artifact safety, CLI.

The simulation (the issue's acceptance, part 1) runs on SQLite and on PostgreSQL: synthetic users,
a base that fails at math while the logged router was over-confident there, every event written
through the real TelemetryWriter; after ``run_retrain`` math's threshold has risen and routing
accuracy on the held-out slice has improved (printed, run with -s to see it).
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from runtime.adaptive import (
    FEATURE_NAMES,
    AdaptiveLayer,
    adaptive_entries,
    adaptive_features,
    load_version,
    personal_key,
    register_version,
    user_key,
)
from runtime.artifacts import ArtifactError, sha256_file
from telemetry.retrain import RetrainConfig, replay_weight, run_retrain
from telemetry.writer import TelemetryWriter
from tests.retrain_sim import World, math_fast_failing, simulate
from tests.test_telemetry_support import backend_fixture, db_url_fixture, store_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
USERS = [f"user-{i:02d}" for i in range(30)]
CFG = dict(min_labels=200, window_s=86400.0, replay_windows=1, min_domain_labels=100)


def _math(c: float, **kw) -> dict:
    return {"mode": "fast", "domain": "math", "confidence": c, "threshold": 0.8,
            "domain_probs": {"math": 0.8, "general": 0.2}, **kw}


def _layer(seed: int = 0, **meta) -> AdaptiveLayer:
    rng = np.random.default_rng(seed)
    d = len(FEATURE_NAMES)
    return AdaptiveLayer(rng.normal(size=(2, d + 1)), rng.normal(size=d), rng.uniform(0.5, 2, size=d),
                         {"version": "v-test", "threshold": 0.8, "domain_thresholds": {"math": 0.9}, **meta})


def _world_store(store, tmp_path, world_old: World | None = None, world_new: World | None = None,
                 seed: int = 7, personalized: frozenset[str] = frozenset(), now: datetime = NOW):
    rng = np.random.default_rng(seed)
    with TelemetryWriter(store, tmp_path / "spool.jsonl") as w:
        simulate(w, rng, world_old or World(), n=1000, start=now - 2 * DAY, end=now - DAY, users=USERS,
                 personalized=personalized)
        simulate(w, rng, world_new or World(), n=1500, start=now - DAY, end=now, users=USERS,
                 personalized=personalized)
    return store


# -- features and the artifact ---------------------------------------------------------------------
def test_features_prefer_the_raw_confidence_and_are_finite_at_the_edges():
    assert len(adaptive_features(_math(0.9), 10)) == len(FEATURE_NAMES)
    adapted = _math(0.3, raw_confidence=0.9)  # logged under an earlier adaptive layer
    assert np.array_equal(adaptive_features(adapted, 10), adaptive_features(_math(0.9), 10))
    x = adaptive_features({"domain": "no-such-domain", "confidence": 1.0}, 0)
    assert np.isfinite(x).all() and x[0] == pytest.approx(np.log(0.999 / 0.001))
    assert x[1:-2].sum() == 0  # unknown domain: no one-hot, no interaction
    assert adaptive_features(_math(0.9), 99)[FEATURE_NAMES.index("logit_confidence*domain=math")] == \
        pytest.approx(np.log(0.9 / 0.1))


def test_artifact_round_trip_through_the_versions_manifest(tmp_path):
    layer = _layer(user_offsets={user_key("alice", "salt"): 0.05})
    path = tmp_path / "v-test.safetensors"
    sha = layer.save(path)
    assert sha == sha256_file(path)
    register_version(tmp_path / "manifest.json", layer, path)
    register_version(tmp_path / "manifest.json", layer, path)  # re-registering replaces, never duplicates
    [entry] = adaptive_entries(tmp_path / "manifest.json")
    assert (entry.kind, entry.extra["role"], entry.sha256, entry.file) == ("router", "adaptive", sha,
                                                                           "v-test.safetensors")
    assert entry.extra["meta_sha256"] == sha256_file(path.with_suffix(".json"))
    back = load_version(tmp_path / "manifest.json", "v-test")
    for name in ("coef", "feat_mean", "feat_std"):
        assert np.array_equal(getattr(back, name), getattr(layer, name))
    d = _math(0.87)
    for mode in ("fast", "accurate"):
        assert back.p_satisfied(d, 120, mode) == layer.p_satisfied(d, 120, mode)
    assert back.threshold_for("math") == 0.9 and back.threshold_for("code") == 0.8
    assert back.threshold_for("math", user_key("alice", "salt")) == pytest.approx(0.95)
    assert back.threshold_for("math", user_key("alice", "other-salt")) == 0.9
    assert AdaptiveLayer.load(path, expected_sha256=sha).version == "v-test"
    with pytest.raises(ValueError):
        back.p_satisfied(d, 1, "turbo")


def test_corrupt_or_mismatched_artifacts_are_refused(tmp_path):
    layer = _layer()
    path = tmp_path / "v-test.safetensors"
    layer.save(path)
    manifest = tmp_path / "manifest.json"
    register_version(manifest, layer, path)
    good = path.read_bytes()

    with pytest.raises(ArtifactError, match="not in"):
        load_version(manifest, "v-other")
    path.write_bytes(good[:-3] + bytes([good[-3] ^ 0xFF]) + good[-2:])  # one flipped byte
    with pytest.raises(ArtifactError, match="SHA-256"):
        load_version(manifest, "v-test")
    with pytest.raises(ArtifactError, match="SHA-256"):
        AdaptiveLayer.load(path, expected_sha256=sha256_file(tmp_path / "manifest.json"))
    path.write_bytes(good[: len(good) // 2])  # truncated, no checksum to compare with
    with pytest.raises(ArtifactError):
        AdaptiveLayer.load(path)
    path.write_bytes(good)
    meta = json.loads(path.with_suffix(".json").read_text())
    path.with_suffix(".json").write_text(json.dumps({**meta, "threshold": 0.1}))  # tampered metadata
    with pytest.raises(ArtifactError, match="metadata"):
        load_version(manifest, "v-test")
    path.with_suffix(".json").write_text(json.dumps({**meta, "feature_names": FEATURE_NAMES[:-1]}))
    with pytest.raises(ArtifactError, match="other features"):
        AdaptiveLayer.load(path)
    path.with_suffix(".json").write_text(json.dumps({**meta, "threshold": 7}))
    with pytest.raises(ArtifactError, match="thresholds"):
        AdaptiveLayer.load(path)
    path.with_suffix(".json").write_text(json.dumps({**meta, "user_offsets": {"k": "high"}}))
    with pytest.raises(ArtifactError, match="user_offsets"):
        AdaptiveLayer.load(path)


def test_a_layer_fitted_before_a_domain_was_added_still_loads_and_scores_as_it_did(tmp_path):
    """hard_math was added after layers had been fitted on eight domains. Such a layer loads with weight 0 on
    the new domain's columns: every decision scores exactly as under the old features, and a hard_math one as
    the old layer scored any domain it did not know. Other differences in the features are still refused."""
    from safetensors.numpy import save_file

    from runtime.adaptive import FORMAT, _logit

    old_domains = ("code", "reasoning", "automation", "math", "science", "finance", "creative", "general")
    old_names = (["logit_confidence"] + [f"domain={d}" for d in old_domains]
                 + [f"logit_confidence*domain={d}" for d in old_domains] + ["top_domain_p", "log1p_query_chars"])
    assert set(old_names) < set(FEATURE_NAMES) and "domain=hard_math" in FEATURE_NAMES
    n = len(old_names)
    rng = np.random.default_rng(3)
    coef, mean, std = rng.normal(size=(2, n + 1)), rng.normal(size=n), rng.uniform(0.5, 2, size=n)
    path = tmp_path / "v-old.safetensors"
    save_file({"coef": coef, "feat_mean": mean, "feat_std": std}, str(path))
    meta = {"format": FORMAT, "feature_names": old_names, "version": "v-old", "threshold": 0.8,
            "domain_thresholds": {"math": 0.9}}
    path.with_suffix(".json").write_text(json.dumps(meta))

    layer = AdaptiveLayer.load(path)
    assert layer.meta["domains_added_since"] == ["hard_math"] and layer.threshold_for("hard_math") == 0.8

    def old_p(decision, chars, accurate):  # the layer as the eight-domain runtime computed it
        x = np.zeros(n)
        x[0] = lc = _logit(decision["confidence"])
        if decision["domain"] in old_domains:
            k = old_domains.index(decision["domain"])
            x[1 + k], x[1 + len(old_domains) + k] = 1.0, lc
        x[-2], x[-1] = max(decision["domain_probs"].values()), np.log1p(chars)
        phi = np.r_[1.0, (x - mean) / std]
        return 1 / (1 + np.exp(-(phi @ coef[0] + accurate * (phi @ coef[1]))))

    for domain in ("math", "general", "hard_math", "no-such-domain"):
        d = {"domain": domain, "confidence": 0.73, "domain_probs": {domain: 0.6, "math": 0.4}}
        for mode, acc in (("fast", 0), ("accurate", 1)):
            assert layer.p_satisfied(d, 57, mode) == pytest.approx(old_p(d, 57, acc), abs=1e-12)
    hard = {"domain": "hard_math", "confidence": 0.73, "domain_probs": {"hard_math": 0.6}}
    unknown = {**hard, "domain": "no-such-domain"}
    assert layer.p_satisfied(hard, 57) == layer.p_satisfied(unknown, 57)

    # Saved again, it carries today's feature names and loads as it is.
    layer.save(tmp_path / "v-old-again.safetensors")
    again = AdaptiveLayer.load(tmp_path / "v-old-again.safetensors")
    assert again.meta["feature_names"] == FEATURE_NAMES and np.array_equal(again.coef, layer.coef)
    assert again.p_satisfied(hard, 57) == layer.p_satisfied(hard, 57)

    # A layer missing anything but whole domains, or whose arrays do not fit its names, is refused.
    for names in (old_names[:-1], [*old_names, "no-such-feature"],
                  [x for x in old_names if x != "logit_confidence*domain=math"]):
        path.with_suffix(".json").write_text(json.dumps({**meta, "feature_names": names}))
        with pytest.raises(ArtifactError, match="other features"):
            AdaptiveLayer.load(path)
    save_file({"coef": np.zeros((2, n)), "feat_mean": mean, "feat_std": std}, str(path))
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ArtifactError, match="wrong shape"):
        AdaptiveLayer.load(path)


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path(_Boom.marker),))


def test_no_pickle_is_ever_loaded(tmp_path):
    layer = _layer()
    path = tmp_path / "v-test.safetensors"
    layer.save(path)
    header_len = int.from_bytes(path.read_bytes()[:8], "little")  # safetensors: u64 length + JSON header
    assert json.loads(path.read_bytes()[8:8 + header_len])["coef"]["dtype"] == "F64"
    _Boom.marker = str(tmp_path / "unpickled")
    path.write_bytes(pickle.dumps({"coef": _Boom()}))
    register_version(tmp_path / "manifest.json", layer, path)  # the manifest even vouches for the file
    with pytest.raises(ArtifactError, match="safetensors"):
        load_version(tmp_path / "manifest.json", "v-test")
    assert not Path(_Boom.marker).exists()
    for mod in ("runtime/adaptive.py", "telemetry/retrain.py", "telemetry/adaptive_fit.py", "telemetry/labels.py"):
        src = (ROOT / mod).read_text()
        assert "import pickle" not in src and "allow_pickle" not in src and "joblib" not in src, mod


def test_user_keys_are_hmacs():
    k = user_key("alice", "s3cret")
    assert len(k) == 64 and k == user_key("alice", "s3cret") != user_key("alice", "other") != user_key("bob", "s3cret")
    assert "alice" not in k


# -- the job ---------------------------------------------------------------------------------------
def test_replay_weights_newest_window_one_older_replay_weight():
    cfg = RetrainConfig(window_s=86400.0, replay_windows=2, replay_weight=0.25)
    assert replay_weight(NOW - timedelta(hours=23), NOW, cfg) == 1.0
    assert replay_weight(NOW - timedelta(hours=25), NOW, cfg) == 0.25
    assert replay_weight(NOW - timedelta(hours=71), NOW, cfg) == 0.25


def test_too_few_labels_is_skipped_with_a_reason(store, tmp_path):
    _world_store(store, tmp_path)
    res = run_retrain(store, tmp_path / "versions", RetrainConfig(**{**CFG, "min_labels": 100_000}), now=NOW)
    assert res.status == "skipped" and res.version == ""
    assert "labelled interactions" in res.reason and "100000 needed" in res.reason and res.n_labels > 1000
    assert not (tmp_path / "versions").exists() and store.router_versions() == []
    json.dumps(res.to_dict())


def test_one_sided_labels_are_skipped_not_fitted(store, tmp_path):
    with TelemetryWriter(store, tmp_path / "spool.jsonl") as w:
        w.record_session("s", user_id="u")
        for i in range(6):
            iid = w.record_interaction("s", "q", "a", _math(0.9), created_at=NOW - timedelta(hours=i + 1))
            w.record_feedback(iid, "u", liked=True)
        assert w.flush(30)
    res = run_retrain(store, tmp_path / "versions", RetrainConfig(**{**CFG, "min_labels": 3}), now=NOW)
    assert res.status == "skipped" and "every training label says satisfied" in res.reason
    assert store.router_versions() == []


def test_simulation_math_threshold_rises_and_heldout_routing_accuracy_improves(store, tmp_path, capsys):
    _world_store(store, tmp_path)
    stages = []
    res = run_retrain(store, tmp_path / "versions", RetrainConfig(**CFG), now=NOW,
                      base_version="router-20261125214605",
                      current={"threshold": 0.8, "domain_thresholds": {}, "version": "router-base"},
                      progress=lambda stage, f: stages.append((stage, f)))
    m = res.metrics
    with capsys.disabled():
        print(f"\n[{store.backend}] retrain {res.version}: {res.n_labels} labels "
              f"(train {res.n_train}, held out {res.n_holdout}); threshold {res.threshold}, "
              f"per domain {res.domain_thresholds}")
        for scope, mm in (("all", m), *((d, m["by_domain"][d]) for d in sorted(m["by_domain"]))):
            b, a = mm["before"], mm["after"]
            print(f"  {scope:8s} n={b['n']:3d}  accuracy {b['accuracy']:.3f} -> {a['accuracy']:.3f}  "
                  f"AUC {b['auc']:.3f} -> {a['auc']:.3f}  ECE {b['ece']:.3f} -> {a['ece']:.3f}  "
                  f"Brier {b['brier']:.3f} -> {a['brier']:.3f}")
        ob, oa = m["objective"]["before"], m["objective"]["after"]
        print(f"  objective (quality/latency, per s) {ob['objective']:.3f} -> {oa['objective']:.3f}; "
              f"quality {ob['quality']:.3f} -> {oa['quality']:.3f}, latency {ob['latency_ms']:.0f} -> "
              f"{oa['latency_ms']:.0f} ms")
    assert res.status == "trained", res.reason
    assert res.domain_thresholds["math"] > 0.80 and res.domain_thresholds["math"] >= 0.85
    assert res.domain_thresholds["math"] > res.threshold
    assert m["after"]["accuracy"] > m["before"]["accuracy"]
    assert m["by_domain"]["math"]["after"]["accuracy"] > m["by_domain"]["math"]["before"]["accuracy"]
    for k in ("auc", "ece", "brier"):
        assert m["before"][k] is not None and m["after"][k] is not None
    assert m["after"]["brier"] < m["before"]["brier"] and m["after"]["ece"] < m["before"]["ece"]
    assert m["objective"]["after"]["objective"] > m["objective"]["before"]["objective"]
    assert m["n_router_decided_train"] < res.n_train  # forced turns and regenerations left out of the sweep
    assert set(m["label_sources"]) >= {"rating", "like", "continuation", "user_escalation"}
    assert m["latency_ms"]["by_domain"]["math"]["accurate"] < m["latency_ms"]["by_domain"]["code"]["accurate"]
    assert stages[0][1] < stages[-1][1] == 1.0

    # the layer learned the world: math Fast answers satisfy rarely unless the model is very sure
    layer = load_version(tmp_path / "versions" / "manifest.json", res.version)
    assert layer.p_satisfied(_math(0.86), 150, "fast") < 0.25 < 0.8 < layer.p_satisfied(_math(0.97), 150, "fast")
    assert layer.p_satisfied(_math(0.86), 150, "accurate") > 0.85
    assert layer.threshold_for("math") == res.domain_thresholds["math"]

    # registered: a candidate row that remembers where it came from
    [row] = store.router_versions()
    assert (row["version"], row["status"], row["dataset"]) == (res.version, "candidate", "telemetry")
    assert row["dataset_version"] == res.dataset_version and len(res.dataset_version) == 64
    assert row["artifact_sha256"] == sha256_file(res.artifact_path) == res.artifact_sha256
    assert Path(row["artifact_path"]) == Path(res.artifact_path)
    assert row["threshold"] == res.threshold and row["domain_thresholds"] == res.domain_thresholds
    assert row["window_end"] == NOW and row["window_start"] == NOW - 2 * DAY
    assert row["parent_version"] == "router-base"
    assert row["metrics"]["after"]["accuracy"] == m["after"]["accuracy"]
    assert layer.meta["base_version"] == "router-20261125214605" and layer.meta["n_labels"] == res.n_labels
    json.dumps(res.to_dict())


def test_replay_older_windows_influence_but_the_newest_dominates(store, tmp_path):
    """Yesterday math Fast answers were fine (calibrated); today they fail: the newest window wins,
    and the more weight the older window gets, the more optimistic the fitted math model is."""
    fine_yesterday = World(fast={})  # every domain calibrated
    _world_store(store, tmp_path, world_old=fine_yesterday, world_new=World())
    p, thresholds = {}, {}
    for weight in (0.0, 0.5, 1.0):
        res = run_retrain(store, tmp_path / f"v{weight}", RetrainConfig(**{**CFG, "replay_weight": weight}),
                          now=NOW)
        assert res.status == "trained", res.reason
        replayed = res.metrics["weights"]["replayed"]
        assert replayed == 0 if weight == 0 else replayed > 800  # weight 0: yesterday is left out entirely
        layer = load_version(tmp_path / f"v{weight}" / "manifest.json", res.version)
        p[weight] = np.mean([layer.p_satisfied(_math(c), 150, "fast") for c in np.linspace(0.8, 0.9, 11)])
        thresholds[weight] = res.domain_thresholds["math"]
    truth_new = np.mean([math_fast_failing(c) for c in np.linspace(0.8, 0.9, 11)])
    assert p[0.0] < p[0.5] < p[1.0]
    assert abs(p[0.5] - truth_new) < abs(p[0.5] - 0.85)  # nearer today's world than yesterday's
    assert thresholds[0.5] > 0.80
    assert len({r["version"] for r in store.router_versions()}) == 3  # same data, same second: distinct ids


def test_personal_offsets_for_opted_in_users_only_keyed_by_hmac(store, tmp_path):
    picky = frozenset({"user-01", "user-02"})
    world = World(picky_users=picky)
    _world_store(store, tmp_path, world_old=world, world_new=world, personalized=frozenset({"user-01"}))
    cfg = RetrainConfig(**{**CFG, "personalized": True, "personal_min_interactions": 30,
                           "user_salt": "test-hash-key"})
    res = run_retrain(store, tmp_path / "versions", cfg, now=NOW)
    assert res.status == "trained", res.reason
    layer = load_version(tmp_path / "versions" / "manifest.json", res.version)
    offsets = layer.user_offsets
    k1 = user_key("user-01", "test-hash-key")
    assert k1 == personal_key("user-01", "test-hash-key")
    assert k1 in offsets and offsets[k1] > 0  # picky and opted in: a higher threshold, shrunk
    assert offsets[k1] < 0.2
    assert user_key("user-02", "test-hash-key") not in offsets  # picky but not opted in
    assert layer.threshold_for("general", k1) > layer.threshold_for("general")
    text = Path(res.artifact_path).with_suffix(".json").read_text()
    assert not any(u in text for u in USERS), "raw user ids in the artifact"
    assert layer.meta["user_key"]["salt"] == "MODROUTE_TELEMETRY_HASH_KEY"


def test_cli_retrain_prints_the_result(store, tmp_path, capsys, monkeypatch):
    from telemetry.__main__ import main

    _world_store(store, tmp_path, now=datetime.now(UTC) - timedelta(minutes=1))  # the CLI's window ends now
    monkeypatch.setenv("MODROUTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MODROUTE_RETRAIN_INTERVAL", "1d")
    monkeypatch.setenv("MODROUTE_RETRAIN_REPLAY_WINDOWS", "1")
    url = store.url.render_as_string(hide_password=False)
    assert main(["retrain", "--url", url, "--min-labels", "100000"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "skipped" and "100000 needed" in out["reason"]
    assert main(["retrain", "--url", url, "--min-labels", "200"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "trained", out["reason"]
    assert Path(out["artifact_path"]).parent == tmp_path / "data" / "router" / "versions"
    layer = load_version(tmp_path / "data" / "router" / "versions" / "manifest.json", out["version"])
    shipped = json.loads((Path(__file__).resolve().parents[1] / "artifacts" / "router" / "manifest.json").read_text())
    quality = next(a["version"] for a in shipped["artifacts"] if a["name"] == "router-quality")
    assert layer.meta["base_version"] == quality  # from the shipped router manifest
    assert main(["retrain", "--url", url, "--min-labels", "200", "--out", str(tmp_path / "elsewhere")]) == 0
    assert (tmp_path / "elsewhere" / "manifest.json").is_file()
