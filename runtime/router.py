"""The calibrated router: Fast (base alone) or Accurate (base + the domain's modifier).

``Router.route(text)`` answers one question — P(the base answer is good enough) —
and compares it with the (per-domain) threshold, RouteLLM-style. An Accurate decision then
stands only if the domain's modifier is expected to beat the base (``runtime.benefit``: its
held-out gain, later users' satisfaction); otherwise the answer is Fast and the reasons say why. Parts:

- ``DomainClassifier``: MiniLM embedding + hashed word n-grams -> softmax over the domains it was trained on
  (``runtime.decision.DOMAINS``; the labels are stored with it);
- ``QualityModel``: engineered features (reduced embedding, length/complexity, domain
  probabilities, a cheap base-model confidence probe) -> 128-64-32-1 MLP -> calibrated;
- ``DissatisfactionDetector``: is a follow-up message unhappy with the previous answer?

All three load from safetensors + JSON listed in the router manifest. A missing
model degrades clearly (the decision's ``reasons`` say so), never silently.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from runtime.artifacts import ArtifactError, materialize, read_manifest, sha256_file
from runtime.benefit import BenefitPolicy
from runtime.decision import ACCURATE, FAST, RouteDecision
from runtime.embedder import Embedder
from runtime.heads import Calibrator, MLPHead, SoftmaxHead, hashed_ngrams, lexical_features, load_arrays

log = logging.getLogger("modroute.router")

NGRAM_DIM = 2048
PROBE_NAMES = ["probe_mean_logprob", "probe_min_logprob", "probe_prompt_tokens"]


def text_features(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Shared input of the domain classifier and the detector: [embedding | hashed n-grams]."""
    emb = embedder.embed(texts)
    grams = np.stack([hashed_ngrams(t, NGRAM_DIM) for t in texts]) if texts else np.zeros((0, NGRAM_DIM))
    return np.concatenate([emb, grams.astype(np.float32)], axis=1)


class DomainClassifier:
    def __init__(self, head: SoftmaxHead, meta: dict[str, Any], embedder: Embedder):
        self.head, self.meta, self.embedder = head, meta, embedder
        self.labels = head.labels
        # labels folded into another when it was trained (router_train.ROUTER_MERGE), e.g. hard_math -> math
        self.merged: dict[str, str] = dict(meta.get("merged") or {})

    @classmethod
    def load(cls, path: Path, embedder: Embedder) -> DomainClassifier:
        arrays, meta = load_arrays(path)
        return cls(SoftmaxHead(arrays["W"], arrays["b"], meta["labels"]), meta, embedder)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.head.proba(text_features(self.embedder, texts))

    def probs(self, text: str) -> dict[str, float]:
        p = self.predict_proba([text])[0]
        return {lab: float(v) for lab, v in zip(self.labels, p, strict=True)}


class DissatisfactionDetector:
    def __init__(self, head: SoftmaxHead, meta: dict[str, Any], embedder: Embedder):
        self.head, self.meta, self.embedder = head, meta, embedder

    @classmethod
    def load(cls, path: Path, embedder: Embedder) -> DissatisfactionDetector:
        arrays, meta = load_arrays(path)
        return cls(SoftmaxHead(arrays["W"], arrays["b"], meta["labels"]), meta, embedder)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """P(dissatisfied) per text."""
        return self.head.proba(text_features(self.embedder, texts))[:, 1]

    def dissatisfied_p(self, text: str) -> float:
        return float(self.predict_proba([text])[0])


@dataclass
class AnswerModel:
    """P(good) of a finished answer from the question's domain probabilities and the answer's mean token
    log-probability, per domain (domain x log-probability products): the sign differs between domains (a
    confident code or tool-call answer tends to be right; a very confident open-ended answer tends to be a
    degenerate loop), which one calibration curve for all domains cannot express. The cascade reads it."""

    head: MLPHead
    feat_mean: np.ndarray
    feat_std: np.ndarray
    center: np.ndarray
    scale: np.ndarray

    PREFIX = "answer"

    @staticmethod
    def raw(domain_p: np.ndarray, mean_logprob: np.ndarray, center: np.ndarray, scale: np.ndarray) -> np.ndarray:
        lp = np.asarray(mean_logprob, np.float32).reshape(-1, 1)
        return np.concatenate([domain_p, lp, domain_probe_products(domain_p, lp, center, scale)], axis=1)

    def p_good(self, domain_p: np.ndarray, mean_logprob: float) -> float:
        x = (self.raw(domain_p[None, :], np.array([mean_logprob]), self.center, self.scale) - self.feat_mean) \
            / self.feat_std
        return float(1 / (1 + np.exp(-self.head.logit(x)[0])))

    def arrays(self) -> dict[str, np.ndarray]:
        p = self.PREFIX
        return {**self.head.arrays(p), f"{p}_feat_mean": self.feat_mean, f"{p}_feat_std": self.feat_std,
                f"{p}_center": self.center, f"{p}_scale": self.scale}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> AnswerModel | None:
        p = cls.PREFIX
        if f"{p}_center" not in arrays:  # an artifact made before the answer model
            return None
        return cls(MLPHead.from_arrays(arrays, p), arrays[f"{p}_feat_mean"], arrays[f"{p}_feat_std"],
                   arrays[f"{p}_center"], arrays[f"{p}_scale"])


@dataclass
class QualityModel:
    pca_mean: np.ndarray
    pca_components: np.ndarray  # (k, 384)
    feat_mean: np.ndarray
    feat_std: np.ndarray
    mlp: MLPHead
    calibrator: Calibrator
    response_calibrator: Calibrator  # mean token log-prob of an answer -> P(good)
    probe_defaults: np.ndarray  # imputed probe features when the probe is skipped
    labels: list[str]
    meta: dict[str, Any]
    # centre and scale of the probe features for the domain x probe products; None in artifacts made before them
    probe_center: np.ndarray | None = None
    probe_scale: np.ndarray | None = None
    answer: AnswerModel | None = None  # after the answer; None in artifacts made before it

    @classmethod
    def load(cls, path: Path) -> QualityModel:
        arrays, meta = load_arrays(path)
        return cls(arrays["pca_mean"], arrays["pca_components"], arrays["feat_mean"], arrays["feat_std"],
                   MLPHead.from_arrays(arrays), Calibrator(**meta["calibrator"]),
                   Calibrator(**meta["response_calibrator"]), arrays["probe_defaults"], meta["domain_labels"], meta,
                   arrays.get("probe_center"), arrays.get("probe_scale"), AnswerModel.from_arrays(arrays))

    def features(self, emb: np.ndarray, text: str, domain_p: np.ndarray, probe: np.ndarray) -> np.ndarray:
        reduced = (emb - self.pca_mean) @ self.pca_components.T
        parts = [reduced, domain_p, lexical_features(text), probe]
        if self.probe_center is not None:
            parts.append(domain_probe_products(domain_p[None, :], probe[None, :], self.probe_center, self.probe_scale)[0])
        raw = np.concatenate(parts).astype(np.float32)
        return (raw - self.feat_mean) / self.feat_std

    def p_good(self, x: np.ndarray) -> float:
        return float(self.calibrator(self.mlp.logit(x[None, :]))[0])


def probe_features(mean_logprob: float, min_logprob: float, prompt_tokens: int) -> np.ndarray:
    return np.array([mean_logprob, min_logprob, math.log1p(prompt_tokens)], dtype=np.float32)


def domain_probe_products(domain_p: np.ndarray, probe: np.ndarray, center: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(n, domains x probe features): each domain's probability times each centred, scaled probe feature, so a
    linear head can weigh the probe differently per domain (the base model's confidence means more for code and
    tool calls than for open-ended answers)."""
    z = (probe - center) / scale
    return (domain_p[:, :, None] * z[:, None, :]).reshape(len(domain_p), -1).astype(np.float32)


class Router:
    """Routes one question. Forced mode/modifier always win and are recorded as forced."""

    def __init__(self, settings, embedder: Embedder, domain: DomainClassifier | None, quality: QualityModel | None,
                 registry=None, probe: Callable[[str], tuple[float, float, int]] | None = None,
                 version: str = "", versions=None, benefit: BenefitPolicy | None = None):
        self.settings = settings
        self.embedder = embedder
        self.domain = domain
        self.quality = quality
        self.registry = registry
        self.probe = probe
        self.version = version or (quality.meta.get("version", "") if quality else "") or "untrained"
        self.base_version = self.version  # the shipped quality model; retrained versions adapt it
        self.versions = versions  # runtime.versions.RouterVersionSet: active + canary adaptive layers
        # Accurate only where the domain's modifier is expected to beat the base (held-out gain, then users)
        self.benefit = benefit if benefit is not None else BenefitPolicy(settings)

    # -- decision -------------------------------------------------------------------------------
    def threshold_for(self, domain: str) -> float:
        return float(self.settings.domain_thresholds.get(domain, self.settings.threshold))

    def modifier_for(self, domain: str) -> str | None:
        if self.registry is None:
            return None
        m = self.registry.for_domain(domain)
        return m.name if m is not None else None

    def classify(self, text: str) -> dict[str, float]:
        if self.domain is None:
            return {"general": 1.0}
        return self.domain.probs(text)

    def route(self, text: str, *, session=None, mode: str = "auto", modifier: str | None = None,
              history: list[dict] | None = None, user: str = "", personalized: bool = False) -> RouteDecision:
        t0 = time.perf_counter()
        probs = self.classify(text)
        domain = max(probs, key=probs.get)
        threshold = self.threshold_for(domain)
        reasons: list[str] = []
        use_probe = mode == "auto" and not modifier and self.probe is not None and self.settings.router_probe
        if use_probe and (moot := self._probe_moot(domain, session)):
            use_probe = False  # the first token streams at once instead of after the probe's tokens
            reasons.append(moot)
        conf, probe_ms = self._confidence(text, probs, use_probe, reasons)
        latency = (time.perf_counter() - t0) * 1000 - probe_ms
        d = RouteDecision(mode=FAST, domain=domain, confidence=conf, threshold=threshold, domain_probs=probs,
                          reasons=reasons, latency_ms=latency, probe_ms=probe_ms, router_version=self.version)
        if self.versions is not None:
            self._adapt(d, text, getattr(session, "session_id", "") or "", user if personalized else "")
            d.latency_ms = (time.perf_counter() - t0) * 1000 - probe_ms
        threshold, conf = d.threshold, d.confidence
        by_threshold = False  # Accurate because P < threshold (the only choice the benefit check may undo)
        if modifier:
            d.mode, d.modifier, d.forced = ACCURATE, modifier, True
            d.reasons.append(f"modifier {modifier} forced by the user")
        elif mode == FAST:
            d.forced = True
            d.reasons.append("Fast mode forced by the user")
        elif mode == ACCURATE:
            d.mode, d.forced = ACCURATE, True
            d.reasons.append("Accurate mode forced by the user")
        elif session is not None and domain in getattr(session, "preempt", {}):
            d.mode, d.preempted = ACCURATE, True
            d.reasons.append(f"an earlier escalation in {domain} succeeded in this session: modifier used up front")
        elif self.settings.domain_modes.get(domain) in (FAST, ACCURATE):
            d.mode = self.settings.domain_modes[domain]
            d.reasons.append(f"configured default for {domain}: {d.mode}")
        elif conf >= threshold:
            d.reasons.append(f"P(base good enough)={conf:.2f} >= threshold {threshold:.2f}")
        else:
            d.mode, by_threshold = ACCURATE, True
            d.reasons.append(f"P(base good enough)={conf:.2f} < threshold {threshold:.2f}")
        self._check_benefit(d, session, by_threshold)
        if d.mode == ACCURATE and not d.modifier:
            preempt = getattr(session, "preempt", {}) if session is not None else {}
            d.modifier = preempt.get(domain) if d.preempted else self.modifier_for(domain)
            if d.modifier is None:
                d.fallback = True
                d.reasons.append(f"no {domain} modifier available: the base model answers")
        return d

    def _probe_moot(self, domain: str, session) -> str:
        """Why the probe cannot change the decision (then it is skipped), or "" when it can: the session's
        escalation memory or a configured default decides, or the domain's modifier is not eligible for
        automatic routing (the benefit check turns an Accurate decision Fast whatever the confidence)."""
        if session is not None and domain in (getattr(session, "preempt", {}) or {}):
            return "confidence probe skipped: this session's escalation memory decides"
        if self.settings.domain_modes.get(domain) in (FAST, ACCURATE):
            return "confidence probe skipped: a configured default decides"
        name = self.modifier_for(domain)
        mod = self.registry.get(name) if name else None
        if mod is None:  # Accurate without a modifier still brings Accurate's tools: the probe decides
            return ""
        verdict = self.benefit.judge(mod.domain or domain, mod)
        if verdict is not None and not verdict.eligible:
            return f"confidence probe skipped: the {name} modifier is not eligible, so the answer is Fast either way"
        return ""

    def _check_benefit(self, d: RouteDecision, session, by_threshold: bool) -> None:
        """After the thresholds (shipped or a router version's): an Accurate decision the thresholds made goes
        Fast when the domain's modifier shows no significant gain over the base. The verdict is attached to
        every decision with a modifier to judge (the forced one, session memory's, else the domain's), so the
        cascade and the badge can read it; forced modes and modifiers are never changed."""
        name = d.modifier
        if name is None and d.preempted:
            name = (getattr(session, "preempt", {}) or {}).get(d.domain)
        if name is None:
            name = self.modifier_for(d.domain)
        mod = self.registry.get(name) if (self.registry is not None and name) else None
        verdict = self.benefit.judge(mod.domain or d.domain, mod) if mod is not None else None
        if verdict is None:
            return
        applied = by_threshold and not verdict.eligible
        d.benefit = {**verdict.model_dump(), "applied": applied}
        if applied:
            d.mode = FAST
            d.reasons.append(f"{verdict.reason} — answering Fast")

    def _adapt(self, d: RouteDecision, text: str, session_id: str, user: str) -> None:
        """Apply the router version serving this session (active, or the canary for its share of sessions):
        its logistic correction turns the quality model's P into P(user satisfied | Fast), compared with
        the version's (per-domain, optionally per-user) threshold."""
        layer, arm, version = self.versions.assign(session_id)
        d.canary_arm = arm
        if version:
            d.router_version = version
        if layer is None:
            return
        d.raw_confidence = d.confidence
        try:
            p = float(layer.p_satisfied(d.to_dict(), len(text), FAST))
            key = self.versions.user_key(user) if user else None
            t = float(layer.threshold_for(d.domain, key))
        except Exception as e:  # a broken layer must not break routing: the shipped router decides
            log.error("router version %s failed (%s); using the shipped router", version, e)
            d.raw_confidence = None
            d.reasons.append(f"router version {version} failed: shipped thresholds used")
            return
        d.confidence, d.threshold = p, t
        d.reasons.append(f"router version {version}{f' ({arm} arm)' if arm else ''}: P(base good)="
                         f"{d.raw_confidence:.2f} -> P(satisfied)={p:.2f}")

    def _confidence(self, text: str, probs: dict[str, float], use_probe: bool, reasons: list[str]):
        if self.quality is None:
            reasons.append("no router quality model installed: confidence is the domain classifier's")
            return max(probs.values()) if probs else 0.0, 0.0
        q = self.quality
        emb = self.embedder.embed_one(text)
        dp = np.array([probs.get(lab, 0.0) for lab in q.labels], dtype=np.float32)
        probe_ms = 0.0
        if use_probe:
            t = time.perf_counter()
            try:
                mean_lp, min_lp, n_prompt = self.probe(text)
                probe = probe_features(mean_lp, min_lp, n_prompt)
            except Exception as e:  # the probe is an optimisation; the decision still stands without it
                if type(e).__name__ != "ProbeSkipped":
                    log.warning("router probe failed: %s", e)
                reasons.append(f"confidence probe skipped ({e})")
                probe = q.probe_defaults.copy()
                n = getattr(e, "prompt_tokens", None)
                if n:  # the log-probabilities stay imputed; the length is known
                    probe[PROBE_NAMES.index("probe_prompt_tokens")] = math.log1p(n)
            probe_ms = (time.perf_counter() - t) * 1000
        else:
            probe = q.probe_defaults
        return q.p_good(q.features(emb, text, dp, probe)), probe_ms

    def response_confidence(self, confidence: dict[str, float], decision: RouteDecision) -> float:
        """Calibrated P(good) of a finished answer from its token log-probabilities."""
        mlp = confidence.get("mean_logprob")
        if mlp is None:
            return 0.0
        q = self.quality
        if q is None:
            return float(math.exp(mlp))
        if q.answer is not None and decision.domain_probs:
            dp = np.array([decision.domain_probs.get(lab, 0.0) for lab in q.labels], dtype=np.float32)
            return q.answer.p_good(dp, float(mlp))
        return float(q.response_calibrator(np.array([mlp]))[0])


# -- loading ------------------------------------------------------------------------------------
@dataclass
class RouterArtifacts:
    domain: DomainClassifier | None
    quality: QualityModel | None
    detector: DissatisfactionDetector | None
    version: str
    problems: list[str]


def load_router_artifacts(manifest_path: str | Path, cache_dir: Path, embedder: Embedder) -> RouterArtifacts:
    """Load the classifier, quality model and detector named in the router manifest."""
    problems: list[str] = []
    found: dict[str, Any] = {"domain": None, "quality": None, "detector": None}
    version = ""
    try:
        manifest = read_manifest(manifest_path)
    except ArtifactError as e:
        return RouterArtifacts(None, None, None, "", [str(e)])
    loaders = {"domain": DomainClassifier.load, "detector": DissatisfactionDetector.load}
    for entry in manifest.artifacts:
        if entry.kind not in ("router", "detector"):
            continue
        role = entry.extra.get("role") or ("detector" if entry.kind == "detector" else "quality")
        try:
            path = materialize(entry, manifest.root, cache_dir / "router")
            meta_sha = entry.extra.get("meta_sha256")
            if not meta_sha or sha256_file(path.with_suffix(".json")) != meta_sha:
                raise ArtifactError("metadata JSON missing or its SHA-256 does not match the manifest")
            if role == "quality":
                found["quality"] = QualityModel.load(path)
                version = entry.version or found["quality"].meta.get("version", "")
            else:
                found[role] = loaders[role](path, embedder)
        except (ArtifactError, OSError, KeyError, ValueError) as e:
            problems.append(f"{entry.name}: {e}")
            log.error("router artifact %s refused: %s", entry.name, e)
    return RouterArtifacts(found["domain"], found["quality"], found["detector"], version, problems)
