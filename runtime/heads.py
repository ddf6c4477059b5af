"""Small numpy models for routing, stored as safetensors + JSON (no pickle).

- ``SoftmaxHead``: multinomial logistic regression (domain classifier, detector);
- ``MLPHead``: ReLU MLP with a single logit output (the router's quality model);
- ``Calibrator``: temperature scaling or Platt scaling of a logit;
- text features: length/complexity measures and hashed word n-grams (stable crc32 hashing).

Training uses scikit-learn; inference is plain numpy so that a routing decision
costs microseconds beyond the embedding.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


# -- persistence --------------------------------------------------------------------------------
def save_arrays(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    from safetensors.numpy import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}, str(path))
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True))


def load_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    from safetensors.numpy import load_file

    arrays = load_file(str(path))
    meta = json.loads(path.with_suffix(".json").read_text())
    return arrays, meta


# -- models -------------------------------------------------------------------------------------
@dataclass
class SoftmaxHead:
    W: np.ndarray  # (C, D)
    b: np.ndarray  # (C,)
    labels: list[str]

    def logits(self, X: np.ndarray) -> np.ndarray:
        return X @ self.W.T + self.b

    def proba(self, X: np.ndarray) -> np.ndarray:
        z = self.logits(X)
        if len(self.labels) == 2 and self.W.shape[0] == 1:
            p1 = 1 / (1 + np.exp(-z[:, 0]))
            return np.stack([1 - p1, p1], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    @classmethod
    def from_sklearn(cls, clf, labels: list[str]) -> SoftmaxHead:
        return cls(np.asarray(clf.coef_, np.float32), np.asarray(clf.intercept_, np.float32), labels)


@dataclass
class MLPHead:
    weights: list[np.ndarray]
    biases: list[np.ndarray]

    def logit(self, X: np.ndarray) -> np.ndarray:
        h = X
        for i, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ W + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0)
        return h[:, 0]

    @property
    def n_params(self) -> int:
        return int(sum(W.size + b.size for W, b in zip(self.weights, self.biases, strict=True)))

    @classmethod
    def from_sklearn(cls, clf) -> MLPHead:
        return cls([np.asarray(w, np.float32) for w in clf.coefs_], [np.asarray(b, np.float32) for b in clf.intercepts_])

    def arrays(self, prefix: str = "mlp") -> dict[str, np.ndarray]:
        out = {}
        for i, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out[f"{prefix}.{i}.W"], out[f"{prefix}.{i}.b"] = W, b
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str = "mlp") -> MLPHead:
        n = len([k for k in arrays if k.startswith(prefix + ".") and k.endswith(".W")])
        return cls([arrays[f"{prefix}.{i}.W"] for i in range(n)], [arrays[f"{prefix}.{i}.b"] for i in range(n)])


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.clip(z, -40, 40)))


@dataclass
class Calibrator:
    """p = sigmoid(a * z + b). Temperature scaling is the special case b = 0, a = 1/T."""

    method: str = "identity"
    a: float = 1.0
    b: float = 0.0

    def __call__(self, z):
        return _sigmoid(self.a * np.asarray(z, dtype=np.float64) + self.b)

    @classmethod
    def fit(cls, z: np.ndarray, y: np.ndarray, method: str) -> Calibrator:
        from scipy.optimize import minimize

        z, y = np.asarray(z, np.float64), np.asarray(y, np.float64)

        def nll(params):
            a, b = (params[0], params[1]) if method == "platt" else (params[0], 0.0)
            p = np.clip(_sigmoid(a * z + b), 1e-9, 1 - 1e-9)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

        x0 = [1.0, 0.0] if method == "platt" else [1.0]
        res = minimize(nll, x0, method="L-BFGS-B")
        a = float(res.x[0])
        return cls(method, a, float(res.x[1]) if method == "platt" else 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "a": self.a, "b": self.b}


# -- calibration metrics ------------------------------------------------------------------------
def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error with equal-width bins over [0, 1] (last bin closed)."""
    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for k in range(bins):
        m = idx == k
        if m.any():
            total += m.sum() / len(p) * abs(p[m].mean() - y[m].mean())
    return float(total)


def brier(p: np.ndarray, y: np.ndarray) -> float:
    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    return float(np.mean((p - y) ** 2))


def auc(p: np.ndarray, y: np.ndarray) -> float:
    p, y = np.asarray(p, np.float64), np.asarray(y, int)
    pos, neg = p[y == 1], p[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    # Mann-Whitney U with ties counted half.
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    allv = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(allv))
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(len(allv))
    r[order] = ranks
    return float((r[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


# -- text features ------------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z0-9_']+|[^\sA-Za-z0-9_]")
CODE_CHARS = set("{}()[];=<>_#`$\\/|&*")
MATH_CHARS = set("+-*/^=%")
LEXICAL_NAMES = ["log_chars", "log_words", "mean_word_len", "digit_ratio", "upper_ratio", "punct_ratio",
                 "code_char_ratio", "has_code_block", "log_numbers", "questions", "log_lines", "log_sentences",
                 "math_ops", "long_word_ratio"]


def within_group_auc(p: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float | None:
    """AUC inside each group (both classes present), averaged weighted by group size: how well ``p`` ranks
    items of the same domain. A score that only knows the domain gets exactly 0.5."""
    p, y, groups = np.asarray(p), np.asarray(y, int), np.asarray(groups)
    total = weight = 0.0
    for g in dict.fromkeys(groups.tolist()):
        m = groups == g
        if 0 < y[m].sum() < m.sum():
            total += auc(p[m], y[m]) * m.sum()
            weight += m.sum()
    return total / weight if weight else None


def lexical_features(text: str) -> np.ndarray:
    n = max(len(text), 1)
    words = text.split()
    nw = max(len(words), 1)
    digits = sum(c.isdigit() for c in text)
    upper = sum(c.isupper() for c in text)
    punct = sum((not c.isalnum()) and not c.isspace() for c in text)
    code = sum(c in CODE_CHARS for c in text)
    numbers = len(re.findall(r"\d+(?:\.\d+)?", text))
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    mathops = len(re.findall(r"\d\s*[-+*/^=%]\s*\d", text))
    return np.array([
        math.log1p(len(text)), math.log1p(len(words)), sum(len(w) for w in words) / nw / 10, digits / n, upper / n,
        punct / n, code / n, float("```" in text or "\n    " in text), math.log1p(numbers), min(text.count("?"), 5) / 5,
        math.log1p(text.count("\n")), math.log1p(sentences), min(mathops, 5) / 5,
        sum(len(w) > 8 for w in words) / nw,
    ], dtype=np.float32)


def hashed_ngrams(text: str, dim: int = 4096) -> np.ndarray:
    """Binary bag of lower-cased word uni- and bi-grams, hashed with crc32 (stable across processes)."""
    toks = [t.lower() for t in _WORD.findall(text)]
    v = np.zeros(dim, dtype=np.float32)
    grams = toks + [a + " " + b for a, b in zip(toks, toks[1:], strict=False)]
    for g in grams:
        v[zlib.crc32(g.encode()) % dim] = 1.0
    norm = np.linalg.norm(v)
    return v / norm if norm else v


@dataclass
class TrainReport:
    metrics: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        return " ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in self.metrics.items())
