"""What the batch scheduler works on: a :class:`Sequence` (one generation: prompt, sampling, events and
the scheduler's bookkeeping for it) and a :class:`Slot` (one KV stream of the context and the cells it holds)."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any

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
