"""Per-stream token choice and text: sampling from one logits row, log-probabilities, stop strings.

Everything here works on the single logits row llama.cpp returns for one sequence, so streams
batched together keep independent sampling state (temperature, top-p/top-k, seed, penalties, stop
strings) and the log-probabilities the router's confidence features use (no ``logits_all``).
"""

from __future__ import annotations

import codecs
import math
from dataclasses import dataclass, field

import numpy as np


@dataclass
class SamplingParams:
    temperature: float = 0.0
    top_p: float = 1.0
    top_k: int = 0
    frequency_penalty: float = 0.0
    seed: int | None = None
    top_logprobs: int = 0
    track_confidence: bool = True


class TokenSampler:
    """One stream's sampler: greedy is the row's argmax; otherwise numpy sampling with its own RNG."""

    def __init__(self, params: SamplingParams, n_vocab: int):
        self.p = params
        self.greedy = params.temperature <= 0
        self.rng = np.random.default_rng(params.seed) if not self.greedy else None
        self.penalty = float(params.frequency_penalty or 0.0)
        self.counts = np.zeros(n_vocab, dtype=np.float64) if self.penalty and not self.greedy else None

    def choose(self, row: np.ndarray, scratch: np.ndarray) -> tuple[int, float | None]:
        """The next token and (when tracked) its log-probability under the model's distribution."""
        if self.greedy:
            tok = int(row.argmax())
        else:
            p = self.p
            tok = sample(row, p.temperature, p.top_p, p.top_k, self.rng, self.penalty, self.counts)
            if self.counts is not None:
                self.counts[tok] += 1.0
        lp = token_logprob(row, tok, scratch, row[tok] if self.greedy else None) if self.p.track_confidence else None
        return tok, lp


def token_logprob(row: np.ndarray, tok: int, scratch: np.ndarray, row_max: float | None = None) -> float:
    """log-softmax of ``tok`` from this row only; in place in ``scratch``, no allocation."""
    m = row.max() if row_max is None else row_max
    np.subtract(row, m, out=scratch)
    np.exp(scratch, out=scratch)
    return float(row[tok] - m) - math.log(float(scratch.sum()))


def top_logprobs(row: np.ndarray, k: int, pieces: list[bytes]) -> list[tuple[str, float]]:
    """The ``k`` most likely tokens of a logits row with their log-probabilities (log-softmax of the row)."""
    r = row.astype(np.float64)
    m = r.max()
    lse = m + math.log(float(np.exp(r - m).sum()))
    idx = np.argpartition(-r, k)[:k]
    idx = idx[np.argsort(-r[idx], kind="stable")]
    return [(pieces[int(i)].decode("utf-8", "replace"), float(r[i] - lse)) for i in idx]


def sample(row: np.ndarray, temperature: float, top_p: float, top_k: int, rng, frequency_penalty: float = 0.0,
           counts: np.ndarray | None = None) -> int:
    logits = row.astype(np.float64)
    if counts is not None and frequency_penalty:
        # Before temperature, as OpenAI's frequency_penalty: each earlier use of a token lowers its logit.
        logits -= frequency_penalty * counts
    logits /= max(temperature, 1e-6)
    if top_k and top_k < logits.size:
        idx = np.argpartition(-logits, top_k)[:top_k]
    else:
        idx = np.argpartition(-logits, min(256, logits.size - 1))[:256]  # the tail carries ~no mass
    sub = logits[idx]
    order = np.argsort(-sub)
    idx, sub = idx[order], sub[order]
    p = np.exp(sub - sub[0])
    p /= p.sum()
    if top_p < 1.0:
        cut = int(np.searchsorted(np.cumsum(p), top_p)) + 1
        idx, p = idx[:cut], p[:cut] / p[:cut].sum()
    return int(idx[rng.choice(len(idx), p=p)])


@dataclass
class TextAssembler:
    """Token pieces -> text deltas: incremental UTF-8, and stop strings held back until they cannot match.

    ``feed`` returns (delta, stopped). Once a stop string appears the text before it is the last delta.
    ``flush`` returns what is still held back at the end (nothing after a stop string).
    """

    stops: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    stopped: bool = False

    def __post_init__(self) -> None:
        self.stops = [s for s in self.stops if s]
        self._hold = max((len(s) for s in self.stops), default=0)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, piece: bytes) -> tuple[str, bool]:
        text = self._decoder.decode(piece)
        if not text:
            return "", False
        if not self.stops:
            self.parts.append(text)
            return text, False
        pending = self._pending + text
        hit = min((i for i in (pending.find(s) for s in self.stops) if i >= 0), default=-1)
        if hit >= 0:
            delta, self._pending, self.stopped = pending[:hit], "", True
        else:
            keep = _partial_stop_suffix(pending, self.stops, self._hold)
            delta, self._pending = pending[:len(pending) - keep], pending[len(pending) - keep:]
        if delta:
            self.parts.append(delta)
        return delta, self.stopped

    def flush(self) -> str:
        if self.stopped:
            return ""
        tail = self._pending + self._decoder.decode(b"", final=True)
        self._pending = ""
        if tail:
            self.parts.append(tail)
        return tail

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _partial_stop_suffix(text: str, stops: list[str], hold: int) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of a stop string."""
    for k in range(min(hold - 1, len(text)), 0, -1):
        suffix = text[-k:]
        if any(s.startswith(suffix) for s in stops):
            return k
    return 0
