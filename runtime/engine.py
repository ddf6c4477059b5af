"""The serving engine: requests in, event streams out; many streams decoded together.

The engine keeps the model's own chat template and tokenizer but drives ``llama_decode`` itself
(:mod:`runtime.llm_context`): greedy sampling is an argmax over a sequence's logits row, the
sampled token's log-probability comes from that same row (no ``logits_all``), pieces are
pre-decoded once per vocabulary. :mod:`runtime.batcher` owns the context: up to ``n_parallel``
streams are decoded together (grouped by modifier), new ones join between steps, and waiting
requests are told their place in line; beyond ``max_queue`` waiting requests are refused
(:class:`BusyError`). Per-stream sampling lives in :mod:`runtime.sampling`.

This module validates requests, fits prompts into the context, and turns a request into a
:class:`~runtime.batcher.Sequence` whose events it yields.
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.artifacts import sha256_cached
from runtime.batcher import BatchScheduler, Sequence
from runtime.llm_context import ModelContext
from runtime.modifiers import Modifier, ModifierRegistry
from runtime.sampling import SamplingParams, TextAssembler, TokenSampler
from runtime.settings import Settings

log = logging.getLogger("modroute.engine")

ROLES = ("system", "user", "assistant")
MAX_TOP_LOGPROBS = 20  # as OpenAI
# Always leave room for at least this many generated tokens, else the request is refused.
MIN_GENERATION_TOKENS = 16


class EngineError(Exception):
    """A generation could not run (server side)."""


class InputError(EngineError):
    """The request itself is wrong; the message says how (maps to HTTP 400)."""


class ContextOverflowError(InputError):
    pass


class BusyError(EngineError):
    """Too many requests are already waiting (the queue bound); try again in ``retry_after_s`` (HTTP 429)."""

    def __init__(self, waiting: int, limit: int, retry_after_s: int):
        self.waiting, self.limit, self.retry_after_s = waiting, limit, max(1, int(retry_after_s))
        super().__init__(f"the server is busy ({waiting} requests waiting, limit {limit}); "
                         f"try again in {self.retry_after_s} s")


class UnknownModifierError(InputError):
    pass


@dataclass
class ChatRequest:
    messages: list[dict[str, Any]]
    max_tokens: int | None = None
    temperature: float = 0.0
    top_p: float = 1.0
    top_k: int = 0
    # Sampling only (temperature > 0): logits -= frequency_penalty * times the token was already generated.
    # Greedy decoding ignores it, so temperature 0 stays the model's argmax whatever this says.
    frequency_penalty: float = 0.0
    seed: int | None = None
    modifier: str | None = None
    lora_scale: float | None = None
    stop: list[str] = field(default_factory=list)
    track_confidence: bool = True
    cancel: threading.Event | None = None
    # OpenAI logprobs: the sampled token's log-probability is always computed (confidence); with
    # top_logprobs > 0 each Token also carries the most likely alternatives from the same logits row.
    top_logprobs: int = 0


# -- events ------------------------------------------------------------------------------------
@dataclass
class Queued:
    position: int  # 1 = next in line


@dataclass
class Started:
    prompt_tokens: int
    cached_tokens: int
    trimmed_turns: int
    modifier: str | None
    max_tokens: int
    queue_ms: float


@dataclass
class Token:
    text: str  # may be "" while a multi-byte character or a possible stop string is pending
    token_id: int | None  # None for the final flush of held-back text
    logprob: float | None
    # (token text, log-probability), most likely first, when the request asked for top_logprobs.
    top_logprobs: list[tuple[str, float]] | None = None


@dataclass
class Done:
    finish_reason: str  # stop | length | cancelled
    text: str
    usage: dict[str, int]
    timings: dict[str, float]
    trimmed_turns: int
    modifier: str | None
    confidence: dict[str, float]


Event = Queued | Started | Token | Done


@dataclass
class Completion:
    text: str
    finish_reason: str
    usage: dict[str, int]
    timings: dict[str, float]
    trimmed_turns: int
    modifier: str | None
    confidence: dict[str, float]
    token_ids: list[int]
    logprobs: list[float]


class Engine:
    """Owns the model context (through the batch scheduler), the modifier registry and admission."""

    def __init__(self, settings: Settings | None = None, *, model_path: str | Path | None = None,
                 manifest: str | Path | None = None):
        self.settings = settings or Settings()
        self._model_path = Path(model_path) if model_path else None
        self._manifest = manifest
        self._stack = contextlib.ExitStack()
        self._llm = None
        self._sched: BatchScheduler | None = None
        self.modifiers: ModifierRegistry | None = None
        self.started_at = time.time()

    # -- lifecycle -------------------------------------------------------------------------------
    def open(self) -> Engine:
        s = self.settings
        path = self._model_path or s.resolve_model_path()
        self.model_path = Path(path)
        self.base_sha256 = sha256_cached(self.model_path)
        mc = ModelContext(s, self.model_path).open()
        self._stack.callback(mc.close)
        self.context = mc
        self._llm = mc.llm
        self.n_vocab, self.n_ctx, self.n_batch = mc.n_vocab, mc.n_ctx, mc.n_batch
        self._pieces, self._eog = mc.pieces, mc.eog
        manifest = self._manifest if self._manifest is not None else s.manifest
        self.modifiers = ModifierRegistry(manifest, s.cache_dir, self.model_path, self.base_sha256,
                                          s.adapter_serve_type)
        # Registered after the context so it runs first: adapters are freed before the model.
        self._stack.callback(self.modifiers.close)
        self.modifiers.attach(mc.llm.model)
        self._sched = BatchScheduler(mc, sys.modules[__name__])
        self._stack.callback(self._sched.shutdown)
        log.info("engine ready: %s (n_ctx=%d, threads=%d, parallel=%d, modifiers=%s)", self.model_path.name,
                 self.n_ctx, s.n_threads, s.n_parallel, self.modifiers.names())
        return self

    def close(self) -> None:
        if self._sched is None:
            return
        with self._sched.hold():
            pass  # running streams finish first
        self._stack.close()
        self._llm = None
        self._sched = None

    def __enter__(self) -> Engine:
        return self.open() if self._llm is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def llama(self):
        """The underlying ``llama_cpp.Llama`` (tokenizer, metadata). Do not generate with it while serving."""
        return self._llm

    @property
    def queue_length(self) -> int:
        """Requests (and maintenance holds) waiting for a slot."""
        return self._sched.waiting if self._sched else 0

    @property
    def active_streams(self) -> int:
        return self._sched.active if self._sched else 0

    @property
    def busy(self) -> bool:
        """A new request would have to wait (every slot in use, someone already waiting, or held)."""
        return self._sched.would_wait() if self._sched else False

    @property
    def scheduler(self) -> BatchScheduler:
        return self._sched

    def hold(self):
        """Exclusive use of the context (maintenance): waits for running streams, admits none meanwhile."""
        return self._sched.hold()

    def clear_cache(self) -> None:
        """Forget cached prompt cells and remembered answers (benchmarks: every run evaluates its prompt)."""
        with self._sched.hold():
            self._sched.forget_caches()

    def reload_modifiers(self, manifest_path: str | Path | None = None) -> dict[str, Modifier]:
        """Re-read the manifest (or switch to ``manifest_path``) without restarting. Waits its turn in the
        queue: streams already running finish with the adapters they started with, the next ones see these."""
        with self._sched.hold():
            self.context.set_adapter(None, None)
            if manifest_path is not None:
                self.modifiers.manifest_path = Path(manifest_path)
            out = self.modifiers.reload()
            self._sched.forget_caches()
            return out

    # -- prompt ----------------------------------------------------------------------------------
    def tokenize_chat(self, messages: list[dict[str, str]]) -> list[int]:
        return self.context.tokenize_chat(messages)
    def _validate(self, req: ChatRequest) -> list[dict[str, str]]:
        if not isinstance(req.messages, list) or not req.messages:
            raise InputError("messages must be a non-empty list")
        out = []
        limit = self.settings.max_message_chars
        for i, m in enumerate(req.messages):
            if not isinstance(m, dict):
                raise InputError(f"messages[{i}] must be an object with 'role' and 'content'")
            role, content = m.get("role"), m.get("content")
            if role not in ROLES:
                raise InputError(f"messages[{i}].role must be one of {', '.join(ROLES)}, got {role!r}")
            if isinstance(content, list):  # OpenAI content parts
                content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
            if not isinstance(content, str):
                raise InputError(f"messages[{i}].content must be a string")
            try:
                content.encode("utf-8")
            except UnicodeEncodeError as e:  # e.g. a lone UTF-16 surrogate ("\ud800") from JSON
                raise InputError(f"messages[{i}].content is not valid Unicode text ({e.reason} at "
                                 f"character {e.start})") from None
            if len(content) > limit:
                raise InputError(
                    f"messages[{i}] is {len(content):,} characters; the limit is {limit:,}. "
                    "Shorten it or split it into several messages."
                )
            out.append({"role": role, "content": content})
        if out[-1]["role"] != "user" or not out[-1]["content"].strip():
            raise InputError("the last message must be a non-empty user message")
        if req.max_tokens is not None and (not isinstance(req.max_tokens, int) or req.max_tokens < 1):
            raise InputError("max_tokens must be a positive integer")
        if not (0.0 <= float(req.temperature) <= 5.0):
            raise InputError("temperature must be between 0 and 5")
        if not (0.0 < float(req.top_p) <= 1.0):
            raise InputError("top_p must be in (0, 1]")
        if not (-2.0 <= float(req.frequency_penalty or 0.0) <= 2.0):
            raise InputError("frequency_penalty must be between -2 and 2")
        if not isinstance(req.top_logprobs, int) or not (0 <= req.top_logprobs <= MAX_TOP_LOGPROBS):
            raise InputError(f"top_logprobs must be an integer between 0 and {MAX_TOP_LOGPROBS}")
        return out

    def check_admission(self) -> None:
        """Raise BusyError when the wait queue is at its bound (``settings.max_queue``)."""
        waiting, limit = self.queue_length, self.settings.max_queue
        if waiting >= limit:
            raise BusyError(waiting, limit, self.retry_after_s())

    def retry_after_s(self) -> int:
        """A rough wait before a refused client should try again: the queue ahead times a typical answer."""
        per = max(0.5, self.settings.max_tokens / 100.0)  # ~100 tok/s aggregate on this class of CPU
        return max(1, math.ceil(per * max(1, self.queue_length) / max(1, self.settings.n_parallel)))

    def fit_prompt(self, messages: list[dict[str, str]], max_tokens: int) -> tuple[list[int], int, int]:
        """Tokens for ``messages`` that fit the context, dropping the oldest turns if needed.

        Keeps a leading system prompt and the last user message. Returns
        (tokens, turns_dropped, max_tokens possibly clamped to the room left).
        """
        system = messages[:1] if messages[0]["role"] == "system" else []
        rest = messages[len(system):]
        budget = self.n_ctx - max_tokens
        # Cheap per-message estimate first, so a long history is not re-tokenised once per dropped turn.
        est = [len(self._llm.tokenize(m["content"].encode(), add_bos=False, special=False)) + 5 for m in rest]
        sys_est = sum(len(self._llm.tokenize(m["content"].encode(), add_bos=False)) + 5 for m in system) + 8
        dropped = 0
        while len(rest) > 1 and sys_est + sum(est) > budget:
            rest, est = rest[1:], est[1:]
            dropped += 1
        while len(rest) > 1 and rest[0]["role"] == "assistant":  # a conversation restarts at a user turn
            rest, est = rest[1:], est[1:]
            dropped += 1
        while True:
            tokens = self.tokenize_chat(system + rest)
            if len(tokens) <= budget or len(rest) <= 1:
                break
            rest = rest[1:]
            dropped += 1
            while len(rest) > 1 and rest[0]["role"] == "assistant":
                rest = rest[1:]
                dropped += 1
        room = self.n_ctx - len(tokens)
        if room < MIN_GENERATION_TOKENS:
            raise ContextOverflowError(
                f"the message is {len(tokens):,} tokens; the context holds {self.n_ctx:,} "
                f"(including room for the answer). Shorten the message."
            )
        return tokens, dropped, min(max_tokens, room)

    def _resolve_modifier(self, name: str | None) -> Modifier | None:
        if not name:
            return None
        mod = self.modifiers.get(name)
        if mod is None:
            raise UnknownModifierError(
                f"unknown modifier {name!r}; available: {', '.join(self.modifiers.names()) or 'none'}"
            )
        if not mod.available:
            raise UnknownModifierError(f"modifier {name!r} is unavailable: {mod.reason}")
        return mod

    # -- generation ------------------------------------------------------------------------------
    def stream(self, req: ChatRequest) -> Iterator[Event]:
        """Yield Queued*, Started, Token*, Done. Input errors raise InputError (and a full queue BusyError)
        before anything is queued."""
        messages = self._validate(req)
        mod = self._resolve_modifier(req.modifier)
        if self._llm is None or self._sched is None:
            raise EngineError("engine is not open")
        self.check_admission()
        tokens, dropped, max_tokens = self.fit_prompt(messages, req.max_tokens or self.settings.max_tokens)
        key = (mod.name, float(req.lora_scale if req.lora_scale is not None else mod.scale)) if mod else None
        params = SamplingParams(req.temperature, req.top_p, req.top_k, req.frequency_penalty, req.seed,
                                req.top_logprobs, req.track_confidence)
        seq = Sequence(prompt=tokens, key=key, mod=mod, sampler=TokenSampler(params, self.n_vocab),
                       text=TextAssembler(list(req.stop or [])), max_tokens=max_tokens,
                       top_logprobs=req.top_logprobs, cancel=req.cancel, info={"trimmed_turns": dropped})
        self._sched.submit(seq)
        try:
            while True:
                try:
                    ev = seq.events.get(timeout=0.25)
                except queue.Empty:
                    continue  # the scheduler sees req.cancel itself and answers with Done
                if isinstance(ev, BaseException):
                    raise ev
                yield ev
                if isinstance(ev, Done):
                    return
        finally:
            seq.abandoned = True  # a consumer that went away: the scheduler frees the slot

    def complete(self, req: ChatRequest) -> Completion:
        """Non-streamed call: the same generation collected."""
        ids, lps = [], []
        done = None
        for ev in self.stream(req):
            if isinstance(ev, Token):
                if ev.token_id is not None:
                    ids.append(ev.token_id)
                    if ev.logprob is not None:
                        lps.append(ev.logprob)
            elif isinstance(ev, Done):
                done = ev
        assert done is not None
        return Completion(done.text, done.finish_reason, done.usage, done.timings, done.trimmed_turns,
                          done.modifier, done.confidence, ids, lps)

    def status(self) -> dict[str, Any]:
        return {
            "model": self.model_path.name if self._llm else None,
            "model_sha256": getattr(self, "base_sha256", ""),
            "n_ctx": getattr(self, "n_ctx", 0),
            "n_parallel": self.settings.n_parallel,
            "modifiers": self.modifiers.describe() if self.modifiers else [],
            "queue_length": self.queue_length,
            "active_streams": self.active_streams,
            "max_queue": self.settings.max_queue,
            "busy": self.busy,
            "uptime_s": time.time() - self.started_at,
        }
