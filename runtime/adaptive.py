"""The adaptive routing layer: a logistic correction learned from what users said about their answers.

The quality model (``runtime.router.QualityModel``) was trained offline on judged answers; it says
P(the base answer is good enough). Users disagree with it in places (a domain where the base fails
although the model is confident). The retraining job (``telemetry.retrain``) fits, from telemetry,

    P(user satisfied | features, mode) = sigmoid(coef[0] . [1, z] + [mode == accurate] * coef[1] . [1, z])

where ``z`` are the standardised ``adaptive_features`` of the stored routing decision, and picks
thresholds (global, per domain, optional per-user offsets) for it. At serving time the router
computes ``p_satisfied(decision, query_chars, "fast")`` and routes Fast when it is >= ``threshold_for``.

Training and serving compute features with the same function from the same decision dict
(``RouteDecision.to_dict()`` as stored in ``interactions.decision``): ``raw_confidence`` (the quality
model's P before any adaptive layer) when present, else ``confidence``, so a decision logged under
an earlier adaptive layer is featurised like a fresh one — no training/serving skew.

An artifact is ``<version>.safetensors`` (float64 arrays ``coef``, ``feat_mean``, ``feat_std``) plus
``<version>.json`` (meta: thresholds, feature names, metrics, window, ...), listed in the versions
manifest ``<data_dir>/router/versions/manifest.json`` (kind "router", role "adaptive", sha256 of
both files). Nothing here unpickles anything; user ids appear only as ``user_key`` HMACs.

This module depends on numpy, safetensors and json only (no telemetry, no scipy): the serving
process loads it cheaply.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from runtime.artifacts import (
    ArtifactEntry,
    ArtifactError,
    materialize,
    read_manifest,
    sha256_file,
    write_manifest,
)
from runtime.decision import ACCURATE, DOMAINS, FAST

FORMAT = "modroute-adaptive-v1"
CONF_EPS = 1e-3  # confidences are clipped to [eps, 1 - eps] before the logit (|logit| <= 6.9)
DEFAULT_USER_SALT = "modroute-personal-routing"  # used only when no telemetry hash key is configured
VERSIONS_SUBDIR = Path("router") / "versions"

FEATURE_NAMES: list[str] = (
    ["logit_confidence"]
    + [f"domain={d}" for d in DOMAINS]
    # a slope per domain: "confident but wrong in math" needs math's own slope, not the global one
    + [f"logit_confidence*domain={d}" for d in DOMAINS]
    + ["top_domain_p", "log1p_query_chars"]
)
N_FEATURES = len(FEATURE_NAMES)
_DOMAIN_INDEX = {d: i for i, d in enumerate(DOMAINS)}


def _logit(p: float) -> float:
    p = min(max(float(p), CONF_EPS), 1 - CONF_EPS)
    return math.log(p / (1 - p))


def original_confidence(decision: Mapping[str, Any]) -> float:
    """The quality model's calibrated P as logged: ``raw_confidence`` if present, else ``confidence``."""
    raw = decision.get("raw_confidence")
    conf = raw if raw is not None else decision.get("confidence")
    try:
        c = float(conf)
    except (TypeError, ValueError):
        return 0.5
    return c if math.isfinite(c) else 0.5


def adaptive_features(decision: Mapping[str, Any], query_chars: int) -> np.ndarray:
    """Feature vector (``FEATURE_NAMES`` order, float64) of one stored or fresh routing decision."""
    x = np.zeros(N_FEATURES, dtype=np.float64)
    lc = _logit(original_confidence(decision))
    x[0] = lc
    domain = decision.get("domain")
    k = _DOMAIN_INDEX.get(domain) if isinstance(domain, str) else None
    if k is not None:  # an unknown domain keeps all-zero one-hot and interaction columns
        x[1 + k] = 1.0
        x[1 + len(DOMAINS) + k] = lc
    probs = decision.get("domain_probs") or {}
    top = 0.0
    if isinstance(probs, Mapping) and probs:
        vals = [float(v) for v in probs.values() if isinstance(v, int | float) and math.isfinite(float(v))]
        top = max(vals, default=0.0)
    x[-2] = top
    x[-1] = math.log1p(max(int(query_chars or 0), 0))
    return x


def user_key(user_id: str, salt: str) -> str:
    """HMAC-SHA256 (hex) of a user id: the artifact stores these, never the ids themselves."""
    return hmac.new(salt.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()


def personal_key(user_id: str, hash_key: str = "") -> str:
    """The key of a user's threshold offset, as the retraining job stores it: ``user_key`` with the
    telemetry hash key (``MODROUTE_TELEMETRY_HASH_KEY``) as salt, or ``DEFAULT_USER_SALT`` without one."""
    return user_key(user_id, hash_key or DEFAULT_USER_SALT)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@dataclass
class AdaptiveLayer:
    """Fitted correction + thresholds. ``coef`` is (2, 1 + N_FEATURES): row 0 the Fast-mode intercept
    and weights over standardised features, row 1 what Accurate mode adds to them."""

    coef: np.ndarray
    feat_mean: np.ndarray
    feat_std: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.coef = np.asarray(self.coef, dtype=np.float64)
        self.feat_mean = np.asarray(self.feat_mean, dtype=np.float64)
        self.feat_std = np.asarray(self.feat_std, dtype=np.float64)
        if self.coef.shape != (2, 1 + N_FEATURES) or self.feat_mean.shape != (N_FEATURES,) \
                or self.feat_std.shape != (N_FEATURES,):
            raise ArtifactError(f"adaptive layer arrays have the wrong shape: coef {self.coef.shape}, "
                                f"feat_mean {self.feat_mean.shape}, feat_std {self.feat_std.shape} "
                                f"(expected (2, {1 + N_FEATURES}), ({N_FEATURES},), ({N_FEATURES},))")
        arrays = (self.coef, self.feat_mean, self.feat_std)
        if not all(np.isfinite(a).all() for a in arrays) or (self.feat_std <= 0).any():
            raise ArtifactError("adaptive layer arrays hold non-finite values or a non-positive scale")

    # -- what the router asks ----------------------------------------------------------------------
    @property
    def version(self) -> str:
        return str(self.meta.get("version", ""))

    @property
    def threshold(self) -> float:
        return float(self.meta.get("threshold", 0.8))

    @property
    def domain_thresholds(self) -> dict[str, float]:
        return {str(k): float(v) for k, v in (self.meta.get("domain_thresholds") or {}).items()}

    @property
    def user_offsets(self) -> dict[str, float]:
        return {str(k): float(v) for k, v in (self.meta.get("user_offsets") or {}).items()}

    def p_satisfied_batch(self, X: np.ndarray, accurate: np.ndarray) -> np.ndarray:
        """P(satisfied) for rows of ``adaptive_features`` and a 0/1 (Accurate) indicator per row."""
        Z = (np.atleast_2d(X) - self.feat_mean) / self.feat_std
        Phi = np.hstack([np.ones((Z.shape[0], 1)), Z])
        a = np.asarray(accurate, dtype=np.float64).reshape(-1)
        return _sigmoid(Phi @ self.coef[0] + a * (Phi @ self.coef[1]))

    def p_satisfied(self, decision: Mapping[str, Any], query_chars: int, mode: str = FAST) -> float:
        """P(user satisfied | this decision's features, answered in ``mode``)."""
        if mode not in (FAST, ACCURATE):
            raise ValueError(f"mode must be {FAST!r} or {ACCURATE!r}, got {mode!r}")
        x = adaptive_features(decision, query_chars)
        return float(self.p_satisfied_batch(x[None, :], np.array([mode == ACCURATE]))[0])

    def threshold_for(self, domain: str, user_key: str | None = None) -> float:
        """The domain's threshold (else the global one), plus the user's personal offset if any; a
        personal threshold stays inside ``threshold_bounds`` (the range the job swept)."""
        t = self.domain_thresholds.get(domain, self.threshold)
        offset = self.user_offsets.get(user_key, 0.0) if user_key else 0.0
        if offset:
            lo, hi = self.meta.get("threshold_bounds") or (0.0, 1.0)
            return min(max(float(t + offset), float(lo)), float(hi))
        return min(max(float(t), 0.0), 1.0)

    # -- persistence ---------------------------------------------------------------------------------
    def save(self, path: str | Path) -> str:
        """Write ``path`` (.safetensors) and its .json meta; returns the safetensors file's SHA-256."""
        from safetensors.numpy import save_file

        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "format": FORMAT, "feature_names": FEATURE_NAMES}
        arrays = {"coef": self.coef, "feat_mean": self.feat_mean, "feat_std": self.feat_std}
        save_file({k: np.ascontiguousarray(v, dtype=np.float64) for k, v in arrays.items()}, str(p),
                  metadata={"format": FORMAT, "version": self.version})
        p.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True, default=str))
        self.meta = meta
        return sha256_file(p)

    @classmethod
    def load(cls, path: str | Path, expected_sha256: str | None = None,
             expected_meta_sha256: str | None = None) -> AdaptiveLayer:
        """Load and check an artifact; ArtifactError (with the reason) when it must not be used. A layer
        fitted before a domain was added loads with zero weight on that domain's columns."""
        from safetensors import SafetensorError
        from safetensors.numpy import load_file

        p = Path(path)
        meta_path = p.with_suffix(".json")
        for f in (p, meta_path):
            if not f.is_file():
                raise ArtifactError(f"adaptive layer: {f} not found")
        if expected_sha256 is not None:
            actual = sha256_file(p)
            if actual != expected_sha256:
                raise ArtifactError(f"adaptive layer {p.name}: SHA-256 mismatch "
                                    f"(file {actual[:12]}…, expected {expected_sha256[:12]}…)")
        if expected_meta_sha256 is not None and sha256_file(meta_path) != expected_meta_sha256:
            raise ArtifactError(f"adaptive layer {meta_path.name}: metadata SHA-256 does not match the manifest")
        try:
            arrays = load_file(str(p))
        except (SafetensorError, OSError, ValueError) as e:
            raise ArtifactError(f"adaptive layer {p.name}: not a readable safetensors file ({e})") from e
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ArtifactError(f"adaptive layer {meta_path.name}: unreadable metadata ({e})") from e
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ArtifactError(f"adaptive layer {meta_path.name}: format is not {FORMAT!r}")
        names = meta.get("feature_names")
        added = _domains_added_since(names)
        if added is None:
            raise ArtifactError(f"adaptive layer {p.name}: trained on other features than this runtime computes "
                                f"({names!r})")
        missing = {"coef", "feat_mean", "feat_std"} - set(arrays)
        if missing:
            raise ArtifactError(f"adaptive layer {p.name}: arrays missing: {', '.join(sorted(missing))}")
        if added:
            arrays = _widen(arrays, names, p.name)
            meta = {**meta, "feature_names": FEATURE_NAMES, "domains_added_since": added}
        thresholds = [meta.get("threshold"), *(meta.get("domain_thresholds") or {}).values()]
        if not all(isinstance(t, int | float) and 0 <= t <= 1 for t in thresholds):
            raise ArtifactError(f"adaptive layer {p.name}: thresholds must be numbers in [0, 1]")
        offsets = meta.get("user_offsets") or {}
        if not isinstance(offsets, dict) or not all(isinstance(o, int | float) and -1 <= o <= 1
                                                    for o in offsets.values()):
            raise ArtifactError(f"adaptive layer {p.name}: user_offsets must map keys to numbers in [-1, 1]")
        return cls(arrays["coef"], arrays["feat_mean"], arrays["feat_std"], meta)


def _domains_added_since(names: Any) -> list[str] | None:
    """Domains this runtime knows that a layer with features ``names`` predates ([] when ``names`` are
    today's); None when ``names`` differ in any other way (such a layer must not be used)."""
    if names == FEATURE_NAMES:
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names) \
            or not set(names) <= set(FEATURE_NAMES):
        return None
    added = [d for d in DOMAINS if f"domain={d}" not in names]
    expected = {f"domain={d}" for d in added} | {f"logit_confidence*domain={d}" for d in added}
    return added if added and set(FEATURE_NAMES) - set(names) == expected else None


def _widen(arrays: Mapping[str, np.ndarray], names: list[str], what: str) -> dict[str, np.ndarray]:
    """A layer fitted before some domains existed, in today's feature order. The new domains' columns get
    weight 0 (mean 0, scale 1), so a decision in such a domain is scored as the layer scored any domain it
    did not know: all its domain columns zero."""
    coef, mean, std = (np.asarray(arrays[k], dtype=np.float64) for k in ("coef", "feat_mean", "feat_std"))
    n = len(names)
    if coef.shape != (2, 1 + n) or mean.shape != (n,) or std.shape != (n,):
        raise ArtifactError(f"adaptive layer {what}: arrays have the wrong shape for its {n} features: coef "
                            f"{coef.shape}, feat_mean {mean.shape}, feat_std {std.shape}")
    idx = np.array([FEATURE_NAMES.index(name) for name in names])
    wide_coef = np.zeros((2, 1 + N_FEATURES))
    wide_coef[:, 0], wide_coef[:, 1 + idx] = coef[:, 0], coef[:, 1:]
    wide_mean, wide_std = np.zeros(N_FEATURES), np.ones(N_FEATURES)
    wide_mean[idx], wide_std[idx] = mean, std
    return {**arrays, "coef": wide_coef, "feat_mean": wide_mean, "feat_std": wide_std}


# -- the versions manifest -------------------------------------------------------------------------
def versions_dir(data_dir: str | Path) -> Path:
    """Where the retraining job writes router versions: ``<data_dir>/router/versions``."""
    return Path(data_dir) / VERSIONS_SUBDIR


def versions_manifest_path(data_dir: str | Path) -> Path:
    return versions_dir(data_dir) / "manifest.json"


def manifest_entry(layer: AdaptiveLayer, path: Path, root: Path) -> ArtifactEntry:
    """The manifest entry describing a saved layer (``path`` relative to the manifest's ``root``)."""
    meta_path = path.with_suffix(".json")
    return ArtifactEntry(
        name=layer.version, kind="router", file=path.resolve().relative_to(root.resolve()).as_posix(),
        sha256=sha256_file(path), size=path.stat().st_size, version=layer.version,
        created=str(layer.meta.get("created", "")), metrics=dict(layer.meta.get("metrics") or {}),
        extra={"role": "adaptive", "meta_sha256": sha256_file(meta_path),
               "base_version": layer.meta.get("base_version", ""), "window": layer.meta.get("window")})


def register_version(manifest_path: str | Path, layer: AdaptiveLayer, path: Path) -> ArtifactEntry:
    """Add (or replace, same version) the layer's entry in the versions manifest, atomically."""
    mp = Path(manifest_path)
    entry = manifest_entry(layer, path, mp.parent)
    entries = [e for e in read_manifest(mp).artifacts if e.version != layer.version]
    write_manifest(mp, [*entries, entry])
    return entry


def adaptive_entries(manifest_path: str | Path) -> list[ArtifactEntry]:
    return [e for e in read_manifest(manifest_path).artifacts
            if e.kind == "router" and e.extra.get("role") == "adaptive"]


def load_version(manifest_path: str | Path, version: str) -> AdaptiveLayer:
    """The version's layer, verified against the manifest (size, SHA-256 of both files).

    ArtifactError when the version is not listed or its files are missing, corrupt or mismatched."""
    mp = Path(manifest_path)
    entries = [e for e in adaptive_entries(mp) if e.version == version]
    if not entries:
        raise ArtifactError(f"router version {version!r} is not in {mp}")
    entry = entries[-1]
    meta_sha = entry.extra.get("meta_sha256")
    if not meta_sha:
        raise ArtifactError(f"router version {version!r}: manifest entry has no meta_sha256")
    path = materialize(entry, mp.parent, mp.parent / ".cache")
    layer = AdaptiveLayer.load(path, expected_meta_sha256=meta_sha)
    if layer.version != version:
        raise ArtifactError(f"router version {version!r}: the file says it is {layer.version!r}")
    return layer


__all__ = ["FEATURE_NAMES", "AdaptiveLayer", "adaptive_features", "original_confidence", "user_key", "personal_key",
           "load_version", "register_version", "versions_dir", "versions_manifest_path", "adaptive_entries",
           "DEFAULT_USER_SALT"]
