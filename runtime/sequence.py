"""What the batch scheduler works on: a :class:`Sequence` (one generation: prompt, sampling, events and
the scheduler's bookkeeping for it), a :class:`Slot` (one KV stream of the context and the cells it holds)
and the ``Done`` event a finished sequence reports (:func:`done_event`)."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from runtime.modifiers import Modifier
from runtime.sampling import TextAssembler, TokenSampler


@dataclass
class Slot:
    index: int
    kv_tokens: list[int] = field(default_factory=list)  # tokens whose cells are in this slot's stream
    kv_key: tuple | None = None
    seq: Sequence | None = None
    last_used: float = 0.0


@dataclass
class Sequence:
    """One generation: what to evaluate, how to sample, where its events go."""

    prompt: list[int]
    key: tuple | None
    mod: Modifier | None
    sampler: TokenSampler
    text: TextAssembler
    max_tokens: int
    top_logprobs: int = 0
    cancel: threading.Event | None = None
    info: dict[str, Any] = field(default_factory=dict)  # trimmed_turns etc., echoed in Started/Done
    events: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)
    # scheduler state
    target: list[int] = field(default_factory=list)
    slot: Slot | None = None
    state: str = "waiting"  # waiting | prefill | decode | done
    done_upto: int = 0  # tokens of target whose cells are in place
    pending: int = -1  # the token decoded next (its logits give the next token)
    pending_pos: int = 0
    cached: int = 0
    out_ids: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    abandoned: bool = False
    last_position: int = 0
    started: bool = False
    t_submit: float = 0.0
    t_admit: float = 0.0
    t_prompt: float = 0.0
    t_first: float = 0.0
    swap_ms: float = 0.0
    last_step: int = 0

    def cancelled(self) -> bool:
        return self.abandoned or (self.cancel is not None and self.cancel.is_set())


def done_event(seq: Sequence, reason: str, done_cls):
    """The sequence's ``Done``: text, usage, timings (ms, from submit / admission) and answer confidence."""
    t_end = time.perf_counter()
    n_out = len(seq.out_ids)
    conf: dict[str, float] = {}
    if seq.logprobs:
        lps = np.asarray(seq.logprobs)
        conf = {"mean_logprob": float(lps.mean()), "min_logprob": float(lps.min()),
                "mean_prob": float(np.exp(lps).mean()), "n": float(len(lps))}
    admitted = seq.t_admit or t_end
    prompt_done = seq.t_prompt or t_end
    timings = {
        "queue_ms": (admitted - seq.t_submit) * 1000,
        "swap_ms": seq.swap_ms,
        "prompt_ms": (prompt_done - admitted) * 1000,
        "ttft_ms": ((seq.t_first or t_end) - admitted) * 1000,
        "total_ms": (t_end - seq.t_submit) * 1000,
        "tokens_per_s": n_out / max(t_end - prompt_done, 1e-9),
    }
    if "replayed_tokens" in seq.info:
        timings["replayed_tokens"] = float(seq.info["replayed_tokens"])
    n_prompt = len(seq.prompt)
    return done_cls(
        finish_reason=reason, text=seq.text.text,
        usage={"prompt_tokens": n_prompt, "completion_tokens": n_out, "total_tokens": n_prompt + n_out,
               "cached_tokens": seq.cached},
        timings=timings if seq.t_admit else {}, trimmed_turns=seq.info.get("trimmed_turns", 0),
        modifier=seq.mod.name if seq.mod else None, confidence=conf)
