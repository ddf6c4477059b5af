"""The serving engine: one llama.cpp model + context, streamed from the low-level API.

``Llama.create_chat_completion(stream=True)`` spends about half of its time in
Python per token (sampler objects, logits copies, stop-string scans). This
engine keeps the model's own chat template and tokenizer but drives
``llama_decode`` itself: greedy sampling is an argmax over the last logits row,
the sampled token's log-probability comes from that same row (no
``logits_all``), pieces are pre-decoded once per vocabulary, and the KV cache
is reused across requests that share a prefix.

Lifecycle is owned by one ``ExitStack``. One generation runs per context at a
time, behind a fair FIFO queue whose position is reported while waiting.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import logging
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from runtime.artifacts import sha256_cached
from runtime.llama_load import open_llama
from runtime.modifiers import Modifier, ModifierRegistry
from runtime.queue import FairQueue
from runtime.settings import Settings

log = logging.getLogger("modroute.engine")

ROLES = ("system", "user", "assistant")
# Always leave room for at least this many generated tokens, else the request is refused.
MIN_GENERATION_TOKENS = 16


class EngineError(Exception):
    """A generation could not run (server side)."""


class InputError(EngineError):
    """The request itself is wrong; the message says how (maps to HTTP 400)."""


class ContextOverflowError(InputError):
    pass


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
    """Owns the llama.cpp model/context, the modifier registry and the request queue."""

    def __init__(self, settings: Settings | None = None, *, model_path: str | Path | None = None,
                 manifest: str | Path | None = None):
        self.settings = settings or Settings()
        self._model_path = Path(model_path) if model_path else None
        self._manifest = manifest
        self._stack = contextlib.ExitStack()
        self._queue = FairQueue()
        self._llm = None
        self.modifiers: ModifierRegistry | None = None
        self._active_key: tuple[str, float] | None = None
        self._kv_tokens: list[int] = []
        self.started_at = time.time()

    # -- lifecycle -------------------------------------------------------------------------------
    def open(self) -> Engine:
        import llama_cpp

        s = self.settings
        path = self._model_path or s.resolve_model_path()
        self.model_path = Path(path)
        self.base_sha256 = sha256_cached(self.model_path)
        llm = open_llama(
            str(self.model_path),
            extra_buffers=s.extra_buffers,
            n_ctx=s.n_ctx,
            n_batch=s.n_batch,
            n_threads=s.n_threads,
            n_threads_batch=s.n_threads,
            verbose=False,
        )
        self._stack.callback(llm.close)
        self._llm = llm
        self._ctx = llm.ctx
        self._vocab = llama_cpp.llama_model_get_vocab(llm.model)
        self.n_vocab = int(llama_cpp.llama_vocab_n_tokens(self._vocab))
        self.n_ctx = int(llama_cpp.llama_n_ctx(self._ctx))
        self.n_batch = s.n_batch
        self._batch = llama_cpp.llama_batch_init(self.n_batch, 0, 1)
        self._stack.callback(llama_cpp.llama_batch_free, self._batch)
        self._mem = llama_cpp.llama_get_memory(self._ctx)
        self._pieces = self._build_piece_table()
        self._scratch = np.empty(self.n_vocab, dtype=np.float32)
        self._eog = frozenset(t for t in range(self.n_vocab) if llama_cpp.llama_vocab_is_eog(self._vocab, t))
        self._formatter = self._build_formatter()
        manifest = self._manifest if self._manifest is not None else s.manifest
        self.modifiers = ModifierRegistry(manifest, s.cache_dir, self.model_path, self.base_sha256)
        # Registered after llm.close so it runs first: adapters are freed before the model.
        self._stack.callback(self.modifiers.close)
        self.modifiers.attach(llm.model)
        log.info("engine ready: %s (n_ctx=%d, threads=%d, modifiers=%s)", self.model_path.name,
                 self.n_ctx, s.n_threads, self.modifiers.names())
        return self

    def close(self) -> None:
        with self._queue.hold():
            self._stack.close()
            self._llm = None

    def __enter__(self) -> Engine:
        return self.open() if self._llm is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def llama(self):
        """The underlying ``llama_cpp.Llama`` (tokenizer, metadata). Do not generate with it."""
        return self._llm

    @property
    def queue_length(self) -> int:
        return len(self._queue)

    @property
    def busy(self) -> bool:
        return self._queue.busy

    def reload_modifiers(self, manifest_path: str | Path | None = None) -> dict[str, Modifier]:
        """Re-read the manifest (or switch to ``manifest_path``) without restarting. Waits its turn in the
        queue: a stream already running finishes with the adapters it started with, the next one sees these."""
        with self._queue.hold():
            self._apply_adapter(None)
            if manifest_path is not None:
                self.modifiers.manifest_path = Path(manifest_path)
            return self.modifiers.reload()

    # -- setup helpers ---------------------------------------------------------------------------
    def _build_piece_table(self) -> list[bytes]:
        import llama_cpp

        buf = ctypes.create_string_buffer(256)
        pieces = []
        for t in range(self.n_vocab):
            n = llama_cpp.llama_token_to_piece(self._vocab, t, buf, 256, 0, False)
            if n < 0:  # piece longer than the buffer
                big = ctypes.create_string_buffer(-n)
                n = llama_cpp.llama_token_to_piece(self._vocab, t, big, -n, 0, False)
                pieces.append(big.raw[:n])
            else:
                pieces.append(buf.raw[:n])
        return pieces

    def _build_formatter(self):
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        llm = self._llm
        template = llm.metadata.get("tokenizer.chat_template")
        if not template:
            # ChatML, the most common template for small instruct models.
            template = (
                "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
                " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
                "{{ '<|im_start|>assistant\n' }}{% endif %}"
            )
        eos_id, bos_id = llm.token_eos(), llm.token_bos()
        eos = llm._model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = llm._model.token_get_text(bos_id) if bos_id != -1 else ""
        return Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos, stop_token_ids=[eos_id])

    # -- prompt ----------------------------------------------------------------------------------
    def tokenize_chat(self, messages: list[dict[str, str]]) -> list[int]:
        resp = self._formatter(messages=messages)
        return self._llm.tokenize(resp.prompt.encode("utf-8"), add_bos=not resp.added_special, special=True)

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
        return out

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

    # -- adapters / KV ---------------------------------------------------------------------------
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

    def _apply_adapter(self, mod: Modifier | None, scale: float | None = None) -> float:
        """Activate ``mod`` (or none); on any change the KV cache is cleared. Returns ms spent."""
        import llama_cpp

        key = (mod.name, float(scale if scale is not None else mod.scale)) if mod else None
        if key == self._active_key:
            return 0.0
        t0 = time.perf_counter()
        if mod is None:
            rc = llama_cpp.llama_set_adapters_lora(self._ctx, None, 0, None)
        else:
            handles = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(mod.handle)
            scales = (ctypes.c_float * 1)(key[1])
            rc = llama_cpp.llama_set_adapters_lora(self._ctx, handles, 1, scales)
        if rc != 0:
            self._active_key = ("?", 0.0)
            raise EngineError(f"llama.cpp could not set adapters (rc={rc})")
        # The cached keys/values were computed with other weights.
        self._clear_kv()
        self._active_key = key
        return (time.perf_counter() - t0) * 1000

    def _clear_kv(self) -> None:
        import llama_cpp

        llama_cpp.llama_memory_clear(self._mem, True)
        self._kv_tokens = []

    def _decode(self, tokens: list[int], start: int) -> None:
        import llama_cpp

        b = self._batch
        # Chunks of at most n_batch tokens, never a trailing one-token chunk (see _eval_prompt).
        bounds = list(range(0, len(tokens), self.n_batch)) + [len(tokens)]
        if len(bounds) > 2 and bounds[-1] - bounds[-2] == 1:
            bounds[-2] -= 1
        for off, end in zip(bounds, bounds[1:], strict=False):
            chunk = tokens[off:end]
            n = len(chunk)
            last_chunk = off + n == len(tokens)
            for i, tok in enumerate(chunk):
                b.token[i] = tok
                b.pos[i] = start + off + i
                b.n_seq_id[i] = 1
                b.seq_id[i][0] = 0
                b.logits[i] = last_chunk and i == n - 1
            b.n_tokens = n
            rc = llama_cpp.llama_decode(self._ctx, b)
            if rc != 0:
                self._clear_kv()
                raise EngineError(f"llama_decode failed (rc={rc})")

    def _eval_prompt(self, tokens: list[int]) -> int:
        """Bring the KV cache to ``tokens`` reusing the longest cached prefix. Returns reused count.

        The answer must not depend on what the cache held before (other users' questions, the
        router's probe of this very prompt): llama.cpp computes a single-token batch with other
        kernels than a multi-token one (gemv vs gemm), and the rounding difference flipped 3 of 16
        greedy answers between a fresh and a fully cached prompt. So the last prompt token is always
        decoded alone (its logits start the answer), and the rest in batches of two or more tokens.
        """
        import llama_cpp

        cached = self._kv_tokens
        n = 0
        limit = min(len(cached), len(tokens) - 1)  # the last prompt token is always decoded (its logits)
        while n < limit and cached[n] == tokens[n]:
            n += 1
        if len(tokens) - 1 - n == 1:
            n -= 1  # never a one-token batch before the last token
        if n < len(cached) and not llama_cpp.llama_memory_seq_rm(self._mem, 0, n, -1):
            self._clear_kv()
            n = 0
        self._kv_tokens = tokens[:n]
        if len(tokens) - 1 > n:
            self._decode(tokens[n:-1], n)
        self._decode(tokens[-1:], len(tokens) - 1)
        self._kv_tokens = list(tokens)
        return n

    # -- generation ------------------------------------------------------------------------------
    def stream(self, req: ChatRequest) -> Iterator[Event]:
        """Yield Queued*, Started, Token*, Done. Input errors raise InputError before queueing."""
        messages = self._validate(req)
        mod = self._resolve_modifier(req.modifier)
        if self._llm is None:
            raise EngineError("engine is not open")
        max_tokens = req.max_tokens or self.settings.max_tokens
        t_request = time.perf_counter()
        ticket = self._queue.join()
        try:
            last_pos = None
            while not self._queue.wait(ticket, timeout=0.25):
                if req.cancel is not None and req.cancel.is_set():
                    yield self._done_cancelled(mod)
                    return
                pos = self._queue.position(ticket)
                if pos != last_pos:
                    last_pos = pos
                    yield Queued(position=pos)
            if req.cancel is not None and req.cancel.is_set():
                yield self._done_cancelled(mod)
                return
            yield from self._generate(req, messages, mod, max_tokens, t_request)
        finally:
            self._queue.release(ticket)

    def _done_cancelled(self, mod) -> Done:
        return Done("cancelled", "", {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                    {}, 0, mod.name if mod else None, {})

    def _generate(self, req, messages, mod, max_tokens, t_request) -> Iterator[Event]:
        import llama_cpp

        t_slot = time.perf_counter()
        swap_ms = self._apply_adapter(mod, req.lora_scale)
        tokens, dropped, max_tokens = self.fit_prompt(messages, max_tokens)
        cached = self._eval_prompt(tokens)
        t_prompt = time.perf_counter()
        yield Started(len(tokens), cached, dropped, mod.name if mod else None, max_tokens,
                      (t_slot - t_request) * 1000)

        ctx, vocab_n, pieces, eog = self._ctx, self.n_vocab, self._pieces, self._eog
        greedy = req.temperature <= 0
        scratch = self._scratch
        rng = np.random.default_rng(req.seed) if not greedy else None
        penalty = float(req.frequency_penalty or 0.0)
        counts = np.zeros(vocab_n, dtype=np.float64) if penalty and not greedy else None
        track = req.track_confidence
        stops = [s for s in (req.stop or []) if s]
        hold = max((len(s) for s in stops), default=0)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text_parts: list[str] = []
        pending = ""
        out_ids: list[int] = []
        logprobs: list[float] = []
        finish = "length"
        stopped_on_string = False
        t_first = None
        pos = len(tokens)
        kv = self._kv_tokens
        batch = self._batch
        cancel = req.cancel
        while True:
            row = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, -1), shape=(vocab_n,))
            if greedy:
                tok = int(row.argmax())
            else:
                tok = _sample(row, req.temperature, req.top_p, req.top_k, rng, penalty, counts)
                if counts is not None:
                    counts[tok] += 1.0
            lp = None
            if track:
                # log-softmax of the sampled token from this row only; in place, no allocation.
                m = row[tok] if greedy else row.max()
                np.subtract(row, m, out=scratch)
                np.exp(scratch, out=scratch)
                lp = float(row[tok] - m) - math.log(float(scratch.sum()))
            if t_first is None:
                t_first = time.perf_counter()
            if tok in eog:
                finish = "stop"
                break
            out_ids.append(tok)
            if lp is not None:
                logprobs.append(lp)
            piece = decoder.decode(pieces[tok])
            delta = ""
            if piece:
                if stops:
                    pending += piece
                    hit = min((i for i in (pending.find(s) for s in stops) if i >= 0), default=-1)
                    if hit >= 0:
                        delta, pending = pending[:hit], ""
                        if delta:
                            text_parts.append(delta)
                            yield Token(delta, tok, lp)
                        finish, stopped_on_string = "stop", True
                        break
                    keep = _partial_stop_suffix(pending, stops, hold)
                    delta, pending = pending[:len(pending) - keep], pending[len(pending) - keep:]
                else:
                    delta = piece
            if delta:
                text_parts.append(delta)
            yield Token(delta, tok, lp)
            if len(out_ids) >= max_tokens or pos >= self.n_ctx:
                finish = "length"
                break
            if cancel is not None and cancel.is_set():
                finish = "cancelled"
                break
            # One-token decode, inlined: this is the hot loop.
            batch.token[0] = tok
            batch.pos[0] = pos
            batch.n_seq_id[0] = 1
            batch.seq_id[0][0] = 0
            batch.logits[0] = True
            batch.n_tokens = 1
            rc = llama_cpp.llama_decode(ctx, batch)
            if rc != 0:
                self._clear_kv()
                raise EngineError(f"llama_decode failed (rc={rc})")
            kv.append(tok)
            pos += 1
        if not stopped_on_string:
            tail = pending + decoder.decode(b"", final=True)
            if tail:
                text_parts.append(tail)
                yield Token(tail, None, None)
        t_end = time.perf_counter()
        n_out = len(out_ids)
        gen_s = max(t_end - t_prompt, 1e-9)
        conf: dict[str, float] = {}
        if logprobs:
            conf = {
                "mean_logprob": float(np.mean(logprobs)),
                "min_logprob": float(np.min(logprobs)),
                "mean_prob": float(np.mean(np.exp(logprobs))),
                "n": float(len(logprobs)),
            }
        yield Done(
            finish_reason=finish,
            text="".join(text_parts),
            usage={"prompt_tokens": len(tokens), "completion_tokens": n_out,
                   "total_tokens": len(tokens) + n_out, "cached_tokens": cached},
            timings={
                "queue_ms": (t_slot - t_request) * 1000,
                "swap_ms": swap_ms,
                "prompt_ms": (t_prompt - t_slot) * 1000,
                "ttft_ms": ((t_first or t_end) - t_slot) * 1000,
                "total_ms": (t_end - t_request) * 1000,
                "tokens_per_s": n_out / gen_s,
            },
            trimmed_turns=dropped,
            modifier=mod.name if mod else None,
            confidence=conf,
        )

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
            "modifiers": self.modifiers.describe() if self.modifiers else [],
            "queue_length": self.queue_length,
            "busy": self.busy,
            "uptime_s": time.time() - self.started_at,
        }


def _partial_stop_suffix(text: str, stops: list[str], hold: int) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of a stop string."""
    for k in range(min(hold - 1, len(text)), 0, -1):
        suffix = text[-k:]
        if any(s.startswith(suffix) for s in stops):
            return k
    return 0


def _sample(row: np.ndarray, temperature: float, top_p: float, top_k: int, rng, frequency_penalty: float = 0.0,
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
