"""The retraining job's core: telemetry labels -> a new adaptive router version (a "candidate").

``run_retrain(store, out_dir, config)`` does, for the window [now - window_s * (1 + replay_windows), now):

1. labels (``telemetry.labels``); each labelled interaction gets a replay weight — 1 in the newest
   window, ``replay_weight`` in the older ones — so one week refines the model without erasing the rest;
2. skips (status "skipped", with the reason) below ``min_labels`` labelled interactions;
3. splits by time: the oldest (1 - holdout_fraction) train, the newest are held out;
4. fits the logistic correction P(satisfied | features, mode) on every labelled training row
   (forced ones too: they tell what the other mode does);
5. chooses thresholds by sweeping the grid (0.70..0.90) for the objective quality x (1 / latency)
   (``telemetry.adaptive_fit``) on the router-decided training rows (not forced, not escalation or
   cascade regenerations, not pre-empted by session memory): globally, then per domain with at least
   ``min_domain_labels`` of them; and, when ``personalized``, an offset per opted-in user with at least
   ``personal_min_interactions``, shrunk toward 0 by n / (n + personal_shrinkage);
6. reports on the held-out slice, before (the logged router: each decision's stored ``confidence``
   and ``threshold``) and after (the new layer and thresholds): on router-decided Fast answers — whose
   label says whether the base alone was good enough — routing *accuracy* (the share where "predicted
   satisfied", confidence >= threshold, equals the observed label), AUC, ECE (15 bins), Brier; plus
   the estimated objective of both policies on all held-out router-decided rows;
7. writes ``<version>.safetensors`` + ``.json`` into ``out_dir``, lists it in ``out_dir/manifest.json``
   and registers it in ``router_versions`` (status "candidate", dataset "telemetry", dataset_version =
   SHA-256 of the label set, the window, artifact path and SHA-256, parent version).

The scheduler (lease, canary) wraps this function; it never touches serving state itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from runtime.adaptive import adaptive_features, personal_key, register_version
from telemetry import TelemetrySettings, parse_interval
from telemetry.adaptive_fit import (
    Batch,
    calibration_metrics,
    fit_correction,
    latency_table,
    logged_value,
    make_layer,
    policy_value,
    routing_metrics,
    sweep,
)
from telemetry.labels import label_interactions
from telemetry.schema import RouterVersion
from telemetry.store import aware_utc, utcnow

log = logging.getLogger("modroute.telemetry.retrain")

DEFAULT_GRID = (0.70, 0.75, 0.80, 0.85, 0.90)
Progress = Callable[[str, float], None]


@dataclass
class RetrainConfig:
    min_labels: int = 10_000
    window_s: float = 7 * 86400.0
    replay_windows: int = 4
    replay_weight: float = 0.5
    threshold_grid: tuple[float, ...] = DEFAULT_GRID
    holdout_fraction: float = 0.2  # the newest share of labelled interactions, held out
    l2: float = 1.0
    personalized: bool = False
    personal_min_interactions: int = 50
    personal_shrinkage: float = 50.0  # k in n / (n + k)
    min_domain_labels: int = 200  # router-decided labelled training rows for a domain's own threshold
    min_latency_samples: int = 20  # rows per (domain, mode) for a domain's own latency
    user_salt: str = field(default="", repr=False)  # HMAC key for user_key; default: DEFAULT_USER_SALT

    @classmethod
    def from_settings(cls, ts: TelemetrySettings, **overrides: Any) -> RetrainConfig:
        cfg = cls(min_labels=ts.retrain_min_labels, window_s=parse_interval(ts.retrain_interval),
                  replay_windows=ts.retrain_replay_windows, replay_weight=ts.retrain_replay_weight,
                  personalized=ts.personalized_routing, personal_min_interactions=ts.personalized_min_interactions,
                  user_salt=ts.telemetry_hash_key)
        for k, v in overrides.items():
            setattr(cfg, k, v)
        return cfg


@dataclass
class RetrainResult:
    status: str  # trained | skipped
    reason: str = ""
    version: str = ""
    n_labels: int = 0
    n_train: int = 0
    n_holdout: int = 0
    window: dict[str, str] = field(default_factory=dict)
    threshold: float | None = None
    thresholds: dict[str, Any] = field(default_factory=dict)  # the sweep: grid -> objective, global and per domain
    domain_thresholds: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)  # before / after / objective / latency / ...
    artifact_path: str = ""
    artifact_sha256: str = ""
    dataset_version: str = ""
    n_user_offsets: int = 0

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, datetime):
        return v.isoformat()
    return v


def replay_weight(created_at: datetime, now: datetime, cfg: RetrainConfig) -> float:
    """1 in the newest window, ``cfg.replay_weight`` in the replayed older ones."""
    return 1.0 if (now - created_at).total_seconds() < cfg.window_s else float(cfg.replay_weight)


def router_decided(r: Mapping[str, Any]) -> bool:
    """The router's threshold chose this mode (nothing forced it, it is no regeneration)."""
    return not (r["forced"] or r["escalated"] or r["cascaded"] or r["preempted"])


def dataset_hash(rows: list[dict[str, Any]]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r['id']}:{r['label']}:{r['mode']}\n".encode())
    return h.hexdigest()


def run_retrain(store, out_dir: Path, config: RetrainConfig | None = None, *, now: datetime | None = None,
                base_version: str = "", current: Mapping[str, Any] | None = None,
                progress: Progress | None = None) -> RetrainResult:
    """Train and register a candidate router version, or skip with a reason (module docstring).

    ``current``: the serving thresholds ({"threshold", "domain_thresholds"}, optionally "version" —
    recorded as the parent); ties in the sweep keep the value closest to them. ``progress(stage, f)``
    is called with f in [0, 1]."""
    cfg = config or RetrainConfig()
    current = dict(current or {"threshold": 0.8, "domain_thresholds": {}})
    say = progress or (lambda stage, f: None)
    now = aware_utc(now) or utcnow()
    start = now - timedelta(seconds=cfg.window_s * (1 + cfg.replay_windows))
    window = {"start": start.isoformat(), "end": now.isoformat()}

    say("reading labels", 0.05)
    rows = label_interactions(store.engine, since=start, until=now)
    labelled = [r for r in rows if r["label"] is not None and isinstance(r["decision"], Mapping)]
    result = RetrainResult(status="skipped", n_labels=len(labelled), window=window)
    if len(labelled) < cfg.min_labels:
        result.reason = (f"only {len(labelled)} labelled interactions in the window {window['start']} .. "
                         f"{window['end']} ({len(rows)} interactions); {cfg.min_labels} needed")
        return result

    n_hold = max(1, int(round(len(labelled) * cfg.holdout_fraction)))
    hold_rows = labelled[-n_hold:]
    # rows of weight 0 (replay_weight=0) carry nothing; the held-out slice is scored unweighted
    train_rows = [r for r in labelled[:-n_hold] if replay_weight(r["created_at"], now, cfg) > 0]
    result.n_train, result.n_holdout = len(train_rows), len(hold_rows)
    lat = latency_table([r["domain"] for r in rows], [r["mode"] for r in rows], [r["latency_ms"] for r in rows],
                        cfg.min_latency_samples)
    train, hold = _batch(train_rows, now, cfg, lat), _batch(hold_rows, now, cfg, lat)
    if len(set(train.y.tolist())) < 2:
        said = {(): "there is no labelled training interaction", (0.0,): "every training label says dissatisfied",
                (1.0,): "every training label says satisfied"}[tuple(sorted(set(train.y.tolist())))]
        result.reason = f"nothing to learn: {said} ({len(train_rows)} training, {len(hold_rows)} held out)"
        return result
    routed = np.array([router_decided(r) for r in train_rows])
    if not routed.any():
        result.reason = "no router-decided interactions in the training slice (all forced or regenerated)"
        return result

    say("fitting the adaptive layer", 0.3)
    coef, mean, std = fit_correction(train.X, train.accurate, train.y, train.w, cfg.l2)
    layer = make_layer(coef, mean, std, {})
    pf, pa = _predict(layer, train)

    say("sweeping thresholds", 0.55)
    grid = tuple(float(g) for g in cfg.threshold_grid)
    tr = train.take(np.flatnonzero(routed))
    pf_r, pa_r = pf[routed], pa[routed]
    cur_t = float(current.get("threshold", 0.8))
    cur_dt = {str(k): float(v) for k, v in (current.get("domain_thresholds") or {}).items()}
    t_global, global_table = sweep(tr, pf_r, pa_r, grid, prefer=cur_t)
    domain_thresholds: dict[str, float] = {}
    domain_tables: dict[str, Any] = {}
    for d in sorted({str(x) for x in tr.domain if x}):
        m = tr.domain == d
        if m.sum() < cfg.min_domain_labels:
            continue
        domain_thresholds[d], domain_tables[d] = sweep(tr.take(np.flatnonzero(m)), pf_r[m], pa_r[m], grid,
                                                       prefer=cur_dt.get(d, cur_t))
    offsets = (_personal_offsets([r for r, k in zip(train_rows, routed, strict=True) if k], tr, pf_r, pa_r,
                                 t_global, domain_thresholds, grid, cfg) if cfg.personalized else {})

    say("scoring the held-out slice", 0.75)
    dhash = dataset_hash(labelled)
    version = _new_version(store, now, dhash)
    meta = {
        "version": version, "created": utcnow().isoformat(), "threshold": t_global,
        "domain_thresholds": domain_thresholds, "user_offsets": offsets,
        "user_key": {"scheme": "hmac-sha256",
                     "salt": "MODROUTE_TELEMETRY_HASH_KEY" if cfg.user_salt else "runtime.adaptive.DEFAULT_USER_SALT"},
        "window": window, "n_labels": len(labelled), "base_version": base_version,
        "parent_version": current.get("version") or "", "dataset_version": dhash,
        "threshold_grid": list(grid), "threshold_bounds": [min(grid), max(grid)], "l2": cfg.l2,
        "replay": {"windows": cfg.replay_windows, "weight": cfg.replay_weight},
    }
    layer.meta = meta
    metrics = _holdout_metrics(layer, hold_rows, hold, cfg.user_salt if cfg.personalized else None)
    metrics.update(latency_ms=lat.to_dict(), n_labels=len(labelled), n_train=len(train_rows),
                   n_holdout=len(hold_rows), n_router_decided_train=int(routed.sum()),
                   weights=_window_counts(train_rows, now, cfg),
                   label_sources=_count(labelled, "label_source"))
    layer.meta["metrics"] = _jsonable(metrics)

    say("writing the artifact", 0.9)
    out_dir = Path(out_dir)
    path = out_dir / f"{version}.safetensors"
    sha = layer.save(path)
    register_version(out_dir / "manifest.json", layer, path)
    _register_row(store, layer, sha, path, start, now, dhash)
    say("done", 1.0)
    result = RetrainResult(
        status="trained", version=version, n_labels=len(labelled), n_train=len(train_rows), n_holdout=len(hold_rows),
        window=window, threshold=t_global, domain_thresholds=domain_thresholds,
        thresholds={"grid": list(grid), "global": global_table, "domains": domain_tables},
        metrics=layer.meta["metrics"], artifact_path=str(path), artifact_sha256=sha, dataset_version=dhash,
        n_user_offsets=len(offsets))
    log.info("retrain: version %s from %d labels, threshold %.2f, domains %s", version, len(labelled), t_global,
             domain_thresholds)
    return result


def run_from_settings(store, settings=None, telemetry_settings: TelemetrySettings | None = None, *,
                      out_dir: Path | None = None, now: datetime | None = None, progress: Progress | None = None,
                      **overrides: Any) -> RetrainResult:
    """``run_retrain`` as the app and the CLI run it: config from ``TelemetrySettings`` (``overrides``
    win, e.g. ``min_labels=``), output in ``<data_dir>/router/versions``, the serving thresholds from the
    active router version (else the runtime settings), base version from the router manifest."""
    from runtime.adaptive import versions_dir
    from runtime.artifacts import ArtifactError, read_manifest

    if settings is None:
        from runtime.settings import Settings

        settings = Settings()
    cfg = RetrainConfig.from_settings(telemetry_settings or TelemetrySettings(),
                                      **{k: v for k, v in overrides.items() if v is not None})
    active = store.active_router_version()
    if active and active.get("threshold") is not None:
        current = {"threshold": active["threshold"], "domain_thresholds": active.get("domain_thresholds") or {},
                   "version": active["version"]}
    else:
        current = {"threshold": settings.threshold, "domain_thresholds": dict(settings.domain_thresholds)}
    base_version = ""
    try:
        for e in read_manifest(settings.router_manifest).artifacts:
            if e.extra.get("role") == "quality":
                base_version = e.version
    except ArtifactError as e:
        log.warning("retrain: router manifest unreadable (%s); base version unknown", e)
    return run_retrain(store, Path(out_dir) if out_dir else versions_dir(settings.data_dir), cfg, now=now,
                       base_version=base_version, current=current, progress=progress)


def _batch(rows: list[dict[str, Any]], now: datetime, cfg: RetrainConfig, lat) -> Batch:
    X = np.array([adaptive_features(r["decision"], r["query_chars"]) for r in rows]).reshape(len(rows), -1)
    domains = np.array([r["domain"] or "" for r in rows], dtype=object)
    return Batch(X=X, accurate=np.array([r["mode"] == "accurate" for r in rows], dtype=bool),
                 y=np.array([r["label"] for r in rows], dtype=np.float64),
                 w=np.array([replay_weight(r["created_at"], now, cfg) for r in rows], dtype=np.float64),
                 domain=domains, lat_fast=lat.lookup(domains, "fast"), lat_acc=lat.lookup(domains, "accurate"))


def _predict(layer, b: Batch) -> tuple[np.ndarray, np.ndarray]:
    n = len(b)
    return layer.p_satisfied_batch(b.X, np.zeros(n)), layer.p_satisfied_batch(b.X, np.ones(n))


def _personal_offsets(rows, tr: Batch, pf, pa, t_global, domain_thresholds, grid, cfg) -> dict[str, float]:
    """Per opted-in user: the best offset (grid spacing, +-span) on their rows, shrunk by n / (n + k).

    The user's thresholds stay inside the grid's range (``AdaptiveLayer.threshold_for`` clips the same
    way): below it the counterfactual would be the global model's optimism about Fast answers for a
    user whose own Fast answers we know little about."""
    span = max(grid) - min(grid)
    step = (grid[1] - grid[0]) if len(grid) > 1 else 0.05
    offsets_grid = np.round(np.arange(-span, span + step / 2, step), 4)
    base_t = np.array([domain_thresholds.get(d, t_global) for d in tr.domain])
    by_user: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r["user_id"] and r["personalized"]:
            by_user.setdefault(r["user_id"], []).append(i)
    out: dict[str, float] = {}
    for uid, idx in by_user.items():
        if len(idx) < cfg.personal_min_interactions:
            continue
        ix = np.array(idx)
        o, _ = sweep(tr.take(ix), pf[ix], pa[ix], list(offsets_grid), prefer=0.0, offsets=base_t[ix],
                     bounds=(min(grid), max(grid)))
        shrunk = o * len(ix) / (len(ix) + cfg.personal_shrinkage)
        if abs(shrunk) > 1e-6:
            out[personal_key(uid, cfg.user_salt)] = round(float(shrunk), 4)
    return out


def _holdout_metrics(layer, rows: list[dict[str, Any]], b: Batch, hash_key: str | None) -> dict[str, Any]:
    pf, pa = _predict(layer, b)
    routed = np.array([router_decided(r) for r in rows], dtype=bool)
    logged_c = np.array([_num(r["decision"].get("confidence")) for r in rows])
    logged_t = np.array([_num(r["decision"].get("threshold"), r["threshold"]) for r in rows])
    keys = [personal_key(r["user_id"], hash_key) if hash_key is not None and r["user_id"] and r["personalized"]
            else None for r in rows]
    new_t = np.array([layer.threshold_for(str(d), k) for d, k in zip(b.domain, keys, strict=True)])
    fast_rows = routed & ~b.accurate & np.isfinite(logged_c) & np.isfinite(logged_t)
    p_logged_mode = np.where(b.accurate, pa, pf)
    out: dict[str, Any] = {
        "slice": "held-out router-decided Fast answers (label: was the base alone good enough?)",
        "before": routing_metrics(logged_c[fast_rows], logged_t[fast_rows], b.y[fast_rows]),
        "after": routing_metrics(pf[fast_rows], new_t[fast_rows], b.y[fast_rows]),
        "after_all_modes": calibration_metrics(p_logged_mode, b.y),
        "by_domain": {},
    }
    for d in sorted({str(x) for x in b.domain[fast_rows] if x}):
        m = fast_rows & (b.domain == d)
        out["by_domain"][d] = {"before": routing_metrics(logged_c[m], logged_t[m], b.y[m]),
                               "after": routing_metrics(pf[m], new_t[m], b.y[m])}
    if routed.any():
        rb = b.take(np.flatnonzero(routed))
        out["objective"] = {"before": logged_value(rb),
                            "after": policy_value(rb, pf[routed], pa[routed], new_t[routed])}
    return out


def _num(v: Any, fallback: Any = None) -> float:
    for x in (v, fallback):
        try:
            f = float(x)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            return f
    return float("nan")


def _window_counts(rows: list[dict[str, Any]], now: datetime, cfg: RetrainConfig) -> dict[str, float]:
    newest = sum((now - r["created_at"]).total_seconds() < cfg.window_s for r in rows)
    return {"newest": newest, "replayed": len(rows) - newest, "replay_weight": cfg.replay_weight}


def _count(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[str(r[key])] = out.get(str(r[key]), 0) + 1
    return out


def _new_version(store, now: datetime, dhash: str) -> str:
    base = f"adaptive-{now:%Y%m%d-%H%M%S}-{dhash[:8]}"
    taken = {v["version"] for v in store.router_versions()}
    version, n = base, 1
    while version in taken:
        n += 1
        version = f"{base}-{n}"
    return version


def _register_row(store, layer, sha: str, path: Path, start: datetime, end: datetime, dhash: str) -> None:
    """The router_versions row (own insert: it fills the m004 window/artifact columns too)."""
    meta = layer.meta
    notes = json.dumps({"domain_thresholds": meta["domain_thresholds"], "n_labels": meta["n_labels"],
                        "user_offsets": len(meta["user_offsets"])})
    with store.engine.begin() as conn:
        conn.execute(RouterVersion.__table__.insert().values(
            version=layer.version, created_at=utcnow(), status="candidate", threshold=meta["threshold"],
            domain_thresholds=meta["domain_thresholds"], dataset="telemetry", dataset_version=dhash,
            artifact_sha256=sha, metrics=meta["metrics"], notes=f"adaptive layer {notes}",
            window_start=start, window_end=end, artifact_path=str(path),
            parent_version=meta.get("parent_version") or None))


__all__ = ["RetrainConfig", "RetrainResult", "run_retrain", "run_from_settings", "replay_weight", "router_decided"]
