"""The numbers behind a retrain: fit the logistic correction, estimate policies, sweep thresholds, score.

Pure numpy/scipy over arrays (no database), so each piece can be checked on its own. The
orchestration — labels, windows, split, artifact, registration — is ``telemetry.retrain``.

A *policy* is a threshold per row: Fast when P(satisfied | x, fast) >= t. Its value on logged data
is estimated the doubly-observed way: where the policy picks the mode that was actually served, the
observed label counts; where it picks the other mode, the model's P(satisfied | x, that mode) does.
The objective is quality x (1 / latency) — mean estimated satisfaction divided by the mean latency
the policy would incur, each mode's latency taken from telemetry (per domain when there are enough
measurements). It is reported per second (x 1000) to keep the numbers readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from runtime.adaptive import N_FEATURES, AdaptiveLayer
from runtime.heads import auc, brier, ece

ECE_BINS = 15


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def fit_correction(X: np.ndarray, accurate: np.ndarray, y: np.ndarray, w: np.ndarray,
                   l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted L2 logistic regression of y on [1, z, acc, acc * z] (z = standardised X).

    Minimises sum_i w_i * logloss_i + l2/2 * |beta|^2 with the two intercepts unpenalised, so a mode
    without data keeps the other mode's prediction instead of being pulled to 0.5.
    Returns (coef (2, 1 + D), feat_mean, feat_std) for ``AdaptiveLayer``."""
    from scipy.optimize import minimize

    X, y, w = np.asarray(X, np.float64), np.asarray(y, np.float64), np.asarray(w, np.float64)
    a = np.asarray(accurate, np.float64)
    wsum = w.sum()
    mean = (w[:, None] * X).sum(0) / wsum
    std = np.sqrt((w[:, None] * (X - mean) ** 2).sum(0) / wsum)
    std[std < 1e-9] = 1.0  # a constant column (e.g. a domain never seen) stays at weight ~0
    Phi = np.hstack([np.ones((len(X), 1)), (X - mean) / std])
    design = np.hstack([Phi, a[:, None] * Phi])
    d = Phi.shape[1]
    penalised = np.ones(2 * d)
    penalised[[0, d]] = 0.0

    def loss(beta):
        z = design @ beta
        nll = np.sum(w * (np.logaddexp(0, z) - y * z))
        grad = design.T @ (w * (_sigmoid(z) - y))
        return nll + 0.5 * l2 * np.sum(penalised * beta ** 2), grad + l2 * penalised * beta

    res = minimize(loss, np.zeros(2 * d), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return res.x.reshape(2, d), mean, std


@dataclass
class LatencyTable:
    """Mean latency (ms) per mode, globally and per domain where a (domain, mode) has enough rows."""

    by_mode: dict[str, float]
    by_domain: dict[str, dict[str, float]]
    notes: list[str]

    def lookup(self, domains: Sequence[str | None], mode: str) -> np.ndarray:
        g = self.by_mode[mode]
        return np.array([self.by_domain.get(d or "", {}).get(mode, g) for d in domains], dtype=np.float64)

    def to_dict(self) -> dict:
        return {"by_mode": self.by_mode, "by_domain": self.by_domain, "notes": self.notes}


def latency_table(domains: Sequence[str | None], modes: Sequence[str], latency_ms: Sequence[float | None],
                  min_samples: int) -> LatencyTable:
    notes: list[str] = []
    sums: dict[tuple[str, str], list[float]] = {}
    for d, m, lat in zip(domains, modes, latency_ms, strict=True):
        if lat is None or not np.isfinite(lat) or lat <= 0:
            continue
        sums.setdefault(("", m), []).append(float(lat))
        if d:
            sums.setdefault((d, m), []).append(float(lat))
    by_mode = {m: float(np.mean(sums[("", m)])) for m in ("fast", "accurate") if sums.get(("", m))}
    if not by_mode:
        notes.append("no latency measured: the objective is quality alone")
        by_mode = {"fast": 1.0, "accurate": 1.0}
    for m, other in (("fast", "accurate"), ("accurate", "fast")):
        if m not in by_mode:
            notes.append(f"no {m} latency measured: taken equal to {other}")
            by_mode[m] = by_mode[other]
    by_domain: dict[str, dict[str, float]] = {}
    for (d, m), vals in sums.items():
        if d and len(vals) >= min_samples:
            by_domain.setdefault(d, {})[m] = float(np.mean(vals))
    return LatencyTable(by_mode, by_domain, notes)


@dataclass
class Batch:
    """Aligned arrays for a set of labelled interactions."""

    X: np.ndarray
    accurate: np.ndarray  # served in Accurate mode (bool)
    y: np.ndarray
    w: np.ndarray
    domain: np.ndarray  # object array of str
    lat_fast: np.ndarray
    lat_acc: np.ndarray

    def take(self, idx: np.ndarray) -> Batch:
        return Batch(*(getattr(self, f)[idx] for f in self.__dataclass_fields__))

    def __len__(self) -> int:
        return len(self.y)


def policy_value(b: Batch, p_fast: np.ndarray, p_acc: np.ndarray, t: np.ndarray | float) -> dict[str, float]:
    """Estimated quality, latency and objective of "Fast when p_fast >= t" on ``b`` (module docstring)."""
    fast = p_fast >= t
    q = np.where(fast, np.where(b.accurate, p_fast, b.y), np.where(b.accurate, b.y, p_acc))
    lat = np.where(fast, b.lat_fast, b.lat_acc)
    ws = b.w.sum()
    quality, latency = float((b.w * q).sum() / ws), float((b.w * lat).sum() / ws)
    return {"quality": quality, "latency_ms": latency, "objective": 1000.0 * quality / latency,
            "fast_share": float((b.w * fast).sum() / ws)}


def logged_value(b: Batch) -> dict[str, float]:
    """The same numbers for what the logged router actually did (observed labels only)."""
    ws = b.w.sum()
    lat = np.where(b.accurate, b.lat_acc, b.lat_fast)
    quality, latency = float((b.w * b.y).sum() / ws), float((b.w * lat).sum() / ws)
    return {"quality": quality, "latency_ms": latency, "objective": 1000.0 * quality / latency,
            "fast_share": float((b.w * ~b.accurate).sum() / ws)}


def sweep(b: Batch, p_fast: np.ndarray, p_acc: np.ndarray, grid: Sequence[float], prefer: float,
          offsets: np.ndarray | None = None, bounds: tuple[float, float] = (0.0, 1.0)) -> tuple[float, dict[str, float]]:
    """Best grid value by objective (ties: the value closest to ``prefer``, then the higher).

    With ``offsets`` (per-row base thresholds) the grid values are added to them and the sums clipped
    to ``bounds`` (personal offsets: a user's threshold stays inside the threshold grid's range)."""
    table: dict[str, float] = {}
    best: tuple[float, float, float] | None = None
    for g in grid:
        t = g if offsets is None else np.clip(offsets + g, *bounds)
        obj = policy_value(b, p_fast, p_acc, t)["objective"]
        table[f"{g:.2f}"] = round(obj, 6)
        key = (round(obj, 9), -abs(g - prefer), g)
        if best is None or key > best:
            best = key
    assert best is not None
    return float(best[2]), table


def _finite(v: float) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), 6)


def routing_metrics(p: np.ndarray, t: np.ndarray, y: np.ndarray) -> dict[str, float | int | None]:
    """Scores of a confidence ``p`` and its thresholds ``t`` against Fast-answer labels ``y``.

    accuracy: share of rows where "predicted satisfied" (p >= t, i.e. the router would answer Fast)
    equals the observed label; AUC, ECE (15 equal-width bins) and Brier of p as P(satisfied)."""
    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    if len(y) == 0:
        return {"n": 0, "accuracy": None, "auc": None, "ece": None, "brier": None, "fast_share": None}
    pred = p >= t
    return {"n": int(len(y)), "accuracy": _finite(np.mean(pred == (y == 1))), "auc": _finite(auc(p, y)),
            "ece": _finite(ece(p, y, bins=ECE_BINS)), "brier": _finite(brier(p, y)),
            "fast_share": _finite(np.mean(pred)), "satisfied_rate": _finite(np.mean(y))}


def calibration_metrics(p: np.ndarray, y: np.ndarray) -> dict[str, float | int | None]:
    if len(y) == 0:
        return {"n": 0, "auc": None, "ece": None, "brier": None}
    return {"n": int(len(y)), "auc": _finite(auc(p, y)), "ece": _finite(ece(p, y, bins=ECE_BINS)),
            "brier": _finite(brier(p, y))}


def make_layer(coef: np.ndarray, mean: np.ndarray, std: np.ndarray, meta: dict) -> AdaptiveLayer:
    assert coef.shape == (2, 1 + N_FEATURES)
    return AdaptiveLayer(coef, mean, std, meta)
