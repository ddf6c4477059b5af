"""The critique scorer: how good is this answer to this question, 0-10, and what is wrong with it.

Accurate mode's generate -> critique -> regenerate loop asks it two things: a score (regenerate
below 7/10) and the reasons, in words the regeneration prompt can carry. The score comes from a
small head trained by the pipeline's ``critique`` phase on answers the project's own judges graded
(executed tests, exact match, tool order, rubric): logistic or one-hidden-layer MLP over

- MiniLM embeddings of question and answer, their element-wise product and their cosine,
- the checks of ``runtime.critique_checks`` (length, repetition, code block present / parses,
  final number, arithmetic, ends mid-sentence, finish reason, tool calls offered / made),
- the domain (one-hot; inferred from the question's embedding when the caller does not say),

-> P(acceptable); score = 10 P. Flags come from the same checks, plus "low similarity" when the
answer is further from the question than most acceptable answers were in training.

The artifact is ``critic.safetensors`` + ``critic.json`` listed (kind ``critic``) in the Accurate-mode
tools manifest (``artifacts/tools/manifest.json``); a corrupt or mismatched one is refused with
``ArtifactError``. Inference is numpy; the cost is the answer's embedding plus well under a
millisecond for checks and head.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from runtime.artifacts import ArtifactError, materialize, read_manifest, sha256_file
from runtime.critique_checks import LEXICAL_NAMES, Analysis, analyse, flag_sentences, lexical_vector
from runtime.embedder import DIM
from runtime.heads import Calibrator, MLPHead, load_arrays

log = logging.getLogger("modroute.critique")

FEATURE_VERSION = 1
CRITIC_DOMAINS = ("code", "math", "reasoning", "automation", "general")
ACCEPTABLE_SCORE = 7.0
BLOCKS = {"question": DIM, "answer": DIM, "product": DIM, "cosine": 1, "lexical": len(LEXICAL_NAMES),
          "domain": len(CRITIC_DOMAINS)}
N_FEATURES = sum(BLOCKS.values())


def block_slices() -> dict[str, slice]:
    """Where each feature block sits in the vector (the pipeline selects blocks by these)."""
    out, i = {}, 0
    for name, n in BLOCKS.items():
        out[name] = slice(i, i + n)
        i += n
    return out


def critic_domain(domain: str | None) -> str | None:
    """The router's domains onto the critic's: open-ended ones (science, finance, creative) are 'general'."""
    if not domain:
        return None
    return domain if domain in CRITIC_DOMAINS else "general"


def feature_vector(question: str, answer: str, q_emb: np.ndarray, a_emb: np.ndarray, domain: str,
                   analysis: Analysis) -> np.ndarray:
    """One row of the head's input (raw, before standardisation). Training and serving both call this."""
    onehot = np.zeros(len(CRITIC_DOMAINS), np.float32)
    onehot[CRITIC_DOMAINS.index(domain)] = 1.0
    cos = float(q_emb @ a_emb) if analysis.words else 0.0
    return np.concatenate([q_emb, a_emb, q_emb * a_emb, [cos], lexical_vector(analysis, question), onehot]
                          ).astype(np.float32)


def feature_matrix(embedder, questions: list[str], answers: list[str], domains: list[str],
                   finish_reasons: list[str | None]) -> np.ndarray:
    """Rows for many answers at once (the pipeline's training set); empty answers embed as zeros."""
    uq = sorted(set(questions))
    qv = dict(zip(uq, embedder.embed(uq), strict=True))
    ua = sorted({a for a in answers if a.strip()})
    av = dict(zip(ua, embedder.embed(ua), strict=True)) if ua else {}
    zero = np.zeros(DIM, np.float32)
    rows = [feature_vector(q, a, qv[q], av.get(a, zero), d, analyse(q, a, f))
            for q, a, d, f in zip(questions, answers, domains, finish_reasons, strict=True)]
    return np.stack(rows) if rows else np.zeros((0, N_FEATURES), np.float32)


@dataclass
class Critique:
    """The scorer's verdict on one answer."""

    score: float  # 0-10 (10 x P(acceptable))
    acceptable: bool  # score >= 7
    flags: list[str] = field(default_factory=list)  # reasons, for the regeneration prompt and the badge
    domain: str = ""
    similarity: float = 0.0  # cosine of question and answer embeddings
    ms: float = 0.0  # time spent scoring (embedding included)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class CritiqueScorer:
    """A loaded critic head. Thread-safe: inference only reads its arrays."""

    def __init__(self, head: MLPHead, feat_mean: np.ndarray, feat_std: np.ndarray, centroids: np.ndarray,
                 meta: dict[str, Any], embedder, calibrator: Calibrator | None = None, version: str = ""):
        self.head, self.feat_mean, self.feat_std = head, feat_mean, feat_std
        self.centroids = centroids  # (len(CRITIC_DOMAINS), DIM): mean question embedding per domain
        self.meta, self.embedder = meta, embedder
        self.calibrator = calibrator or Calibrator()
        self.version = version or meta.get("version", "")
        self.cos_low: dict[str, float] = {k: float(v) for k, v in (meta.get("cos_low") or {}).items()}

    # -- loading ------------------------------------------------------------------------------
    @classmethod
    def from_files(cls, path: str | Path, embedder, version: str = "") -> CritiqueScorer:
        """``critic.safetensors`` with its ``critic.json`` beside it; refuses anything that does not fit."""
        path = Path(path)
        try:
            arrays, meta = load_arrays(path)
        except Exception as e:  # safetensors raises its own error types on a corrupt header
            raise ArtifactError(f"critic {path.name}: cannot read ({type(e).__name__}: {e})") from e
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ArtifactError(f"critic {path.name}: feature version {meta.get('feature_version')!r}, this runtime "
                                f"computes version {FEATURE_VERSION}: retrain it (pipeline phase `critique`)")
        if list(meta.get("domains") or []) != list(CRITIC_DOMAINS) or meta.get("lexical") != LEXICAL_NAMES:
            raise ArtifactError(f"critic {path.name}: its domains/lexical features differ from this runtime's")
        try:
            head = MLPHead.from_arrays(arrays)
            mean, std, cent = arrays["feat_mean"], arrays["feat_std"], arrays["centroids"]
        except KeyError as e:
            raise ArtifactError(f"critic {path.name}: array {e} missing") from e
        if not head.weights or head.weights[0].shape[0] != N_FEATURES or mean.shape != (N_FEATURES,) or \
                std.shape != (N_FEATURES,) or cent.shape != (len(CRITIC_DOMAINS), DIM) or \
                head.weights[-1].shape[1] != 1:
            raise ArtifactError(f"critic {path.name}: array shapes do not match {N_FEATURES} features")
        if not all(np.isfinite(w).all() for w in head.weights) or not np.isfinite(std).all() or (std <= 0).any():
            raise ArtifactError(f"critic {path.name}: non-finite weights")
        cal = Calibrator(**meta["calibrator"]) if meta.get("calibrator") else None
        return cls(head, mean, std, cent, meta, embedder, cal, version)

    @classmethod
    def load(cls, manifest_path: str | Path, cache_dir: str | Path, embedder) -> CritiqueScorer | None:
        """The critic listed in the tools manifest; None when there is none (no manifest, no entry).

        Raises ``ArtifactError`` when the entry exists but its files are missing, corrupt or do not
        match the manifest (SHA-256 of the weights and of the JSON sidecar) or this runtime."""
        manifest = read_manifest(manifest_path)
        entries = manifest.of_kind("critic")
        if not entries:
            return None
        entry = sorted(entries, key=lambda e: (e.created, e.version))[-1]
        path = materialize(entry, manifest.root, Path(cache_dir) / "tools")
        meta_sha = entry.extra.get("meta_sha256")
        side = path.with_suffix(".json")
        if not meta_sha or not side.is_file() or sha256_file(side) != meta_sha:
            raise ArtifactError(f"{entry.name}: metadata JSON missing or its SHA-256 does not match the manifest")
        scorer = cls.from_files(path, embedder, entry.version)
        log.info("critique scorer %s loaded (%s)", scorer.version, scorer.meta.get("head", "?"))
        return scorer

    # -- scoring ------------------------------------------------------------------------------
    def infer_domain(self, q_emb: np.ndarray) -> str:
        return CRITIC_DOMAINS[int(np.argmax(self.centroids @ q_emb))]

    def p_acceptable(self, X: np.ndarray) -> np.ndarray:
        """P(acceptable) for raw feature rows (the pipeline evaluates the saved head with this)."""
        z = self.head.logit((X - self.feat_mean) / self.feat_std)
        return np.asarray(self.calibrator(z), np.float64)

    def score(self, question: str, answer: str, *, domain: str | None = None,
              finish_reason: str | None = None) -> Critique:
        t0 = time.perf_counter()
        a = analyse(question, answer, finish_reason)
        if a.words:
            q_emb, a_emb = self.embedder.embed([question, answer])
        else:
            q_emb, a_emb = self.embedder.embed_one(question), np.zeros(DIM, np.float32)
        dom = critic_domain(domain) or self.infer_domain(q_emb)
        x = feature_vector(question, answer, q_emb, a_emb, dom, a)
        p = float(self.p_acceptable(x[None, :])[0])
        score = round(10.0 * p, 2)
        cos = float(x[block_slices()["cosine"]][0])
        flags = flag_sentences(a, dom)
        low = self.cos_low.get(dom)
        if a.words and low is not None and cos < low:
            flags.append("the answer does not address the question (low similarity)")
        acceptable = score >= ACCEPTABLE_SCORE
        if not acceptable and not flags:
            flags.append(f"the critique model rates it {score:.1f}/10: similar answers to similar questions were "
                         "usually judged wrong; check it step by step")
        return Critique(score=score, acceptable=acceptable, flags=flags, domain=dom, similarity=round(cos, 4),
                        ms=(time.perf_counter() - t0) * 1000)


def feedback_prompt(question: str, answer: str, critique: Critique | None, complaint: str | None = None, *,
                    max_answer_chars: int = 1200) -> str:
    """The regeneration request: the question, the rejected answer, what the scorer flagged and the
    user's complaint. Small models follow a short numbered list better than prose, so that is the shape."""
    prev = (answer or "").strip()
    if len(prev) > max_answer_chars:
        prev = prev[:max_answer_chars].rstrip() + " [...]"
    parts = [f"Question:\n{question.strip()}", f"Previous answer (rejected):\n{prev or '(empty)'}"]
    problems = []
    if complaint and complaint.strip():
        problems.append(f"The user said: \"{complaint.strip()}\"")
    if critique is not None:
        problems += [f[0].upper() + f[1:] for f in critique.flags]
        if not critique.flags:
            problems.append(f"A reviewer rated it {critique.score:.1f}/10")
    if problems:
        parts.append("Problems with the previous answer:\n" + "\n".join(f"{i}. {p}" for i, p in enumerate(problems, 1)))
    parts.append("Write a new, complete answer to the question that fixes these problems. Do not repeat the "
                 "previous answer; check each step and state the final result clearly.")
    return "\n\n".join(parts)


def benchmark_ms(scorer: CritiqueScorer, pairs: list[tuple[str, str]], repeats: int = 3) -> dict[str, Any]:
    """Per-call latency after the embedder's warm-up: a new answer (embedding included), and the same
    answer again (embeddings cached: checks + head only)."""
    scorer.score(*pairs[0])
    fresh, cached = [], []
    for r in range(repeats):
        for i, (q, a) in enumerate(pairs):
            a = f"{a}\n(v{r}.{i})"  # a text the embedder has not seen: a cache miss, like a new answer
            t0 = time.perf_counter()
            scorer.score(q, a)
            t1 = time.perf_counter()
            scorer.score(q, a)
            t2 = time.perf_counter()
            fresh.append((t1 - t0) * 1000)
            cached.append((t2 - t1) * 1000)
    return {"new_answer_ms_median": round(float(np.median(fresh)), 2),
            "new_answer_ms_p90": round(float(np.percentile(fresh, 90)), 2),
            "checks_and_head_ms_median": round(float(np.median(cached)), 3), "calls": len(fresh)}
