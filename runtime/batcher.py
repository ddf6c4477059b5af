"""Continuous batching: one scheduler thread owns the llama.cpp context and every sequence's slot.

Requests never touch the context. ``Engine.stream`` hands the scheduler a :class:`Sequence` and
reads its event queue; between decode steps the scheduler admits waiting sequences into free slots
(first come, first served), prefills their prompts in chunks, and decodes one token for every
running stream of one *group* per step. A group is the set of streams using the same adapter
(modifier and scale, or none): llama.cpp applies LoRA adapters per context, so only streams of one
group can share a ``llama_decode``. Groups take turns round-robin, so with G active groups a stream
that has work gets a step at least once every G scheduler steps (``max_wait_steps`` records the
largest gap seen; tests check it against G). With one KV stream per sequence, llama.cpp puts only
runs of consecutive sequence ids into one ubatch, so a group's streams are placed side by side
(:func:`runtime.slots.choose_slot`).

Prompts are prefilled in chunks of at most ``PREFILL_CHUNK`` tokens; each step the group's waiting
prompts send their next chunks in one call (up to ``PREFILL_CHUNK`` tokens in all, the oldest
always), each chunk in a ubatch of its own, so running streams keep flowing while long prompts are
read. A prompt's last token is always decoded with the group's step (one row per sequence, like
every generated token), never inside a chunk, and no chunk is a single token: what a sequence
contributes to each ubatch is then the same alone or batched. Quantized weights (the base's Q4_1,
the modifiers' Q8_0 serving copies, :mod:`runtime.lora_serving`) compute the same at any row count,
so greedy answers are identical alone and batched; f32/f16 adapters do not, and their streams are
decoded one per call.

A finished stream's slot is free at once. Its cells stay in its own KV stream as a prefix cache
until the slot is reused (a new request takes the free slot whose cache shares the longest prefix
under the same adapter when that prefix is at least ``LONG_PREFIX`` tokens, a conversation's earlier
turns; shorter shared starts, such as the system prompt, give way to keeping groups side by side); a
cancelled or failed stream's cells are removed at once. Wherever a request lands, when another slot
(free or running, same adapter) holds a longer shared prefix than its own, that slot's stream is
copied into it first (:func:`runtime.slots.copy_prefix`): a burst of requests reads the system
prompt once, not once per slot. A greedy answer cut by ``max_tokens`` is remembered (token ids and
log-probabilities): a later greedy request for the same prompt and adapter whose slot holds (or can
copy) those cells replays the tokens instead of decoding them again — how the router's probe becomes
the start of a Fast answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from typing import Any

import numpy as np

from runtime.llm_context import DecodeError, ModelContext
from runtime.sampling import top_logprobs
from runtime.sequence import Sequence, Slot, done_event
from runtime.slots import LONG_PREFIX, choose_slot, copy_prefix

__all__ = ["BatchScheduler", "LONG_PREFIX", "Slot"]  # tests import these from here

log = logging.getLogger("modroute.engine")

PREFILL_CHUNK = 256
CONTINUATIONS = 64  # greedy answers remembered for replay


class _Hold:
    def __init__(self) -> None:
        self.granted = threading.Event()


class BatchScheduler:
    def __init__(self, mc: ModelContext, events: Any):
        self.mc = mc
        self.ev = events  # the engine module's event classes (Queued, Started, Token, Done)
        self.slots = [Slot(i) for i in range(mc.n_parallel)]
        self._cond = threading.Condition()
        self._waiting: deque[Sequence | _Hold] = deque()
        self._held: _Hold | None = None
        self._rotation: list[tuple | None] = []
        self._continuations: OrderedDict[tuple, tuple[list[int], list[float]]] = OrderedDict()
        self._scratch = np.empty(mc.n_vocab, dtype=np.float32)
        self._stop = False
        self.steps = 0
        self.max_wait_steps = 0  # the largest number of steps a stream with work waited for its group's turn
        self.groups_seen = 0  # the most groups active at once when that wait was recorded
        self.max_adapter_rows = 0  # the most streams under one modifier decoded in one call
        self.prefix_copies = 0  # prompts that started from a prefix copied from another slot's stream
        self._thread = threading.Thread(target=self._run, name="modroute-batcher", daemon=True)
        self._thread.start()

    # -- called from request threads -------------------------------------------------------------
    def submit(self, seq: Sequence) -> None:
        seq.t_submit = time.perf_counter()
        with self._cond:
            self._waiting.append(seq)
            self._cond.notify_all()

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)

    @property
    def active(self) -> int:
        with self._cond:
            return sum(s.seq is not None for s in self.slots)

    def would_wait(self) -> bool:
        with self._cond:
            return bool(self._held or self._waiting or all(s.seq is not None for s in self.slots))

    def hold(self) -> _HoldContext:
        """Exclusive use of the context (maintenance: reloading modifiers, closing): waits its turn in the
        line, then until every running stream has finished; nothing is admitted while it is held."""
        return _HoldContext(self)

    def _acquire(self) -> _Hold:
        h = _Hold()
        with self._cond:
            self._waiting.append(h)
            self._cond.notify_all()
        h.granted.wait()
        return h

    def _release(self, h: _Hold) -> None:
        with self._cond:
            if self._held is h:
                self._held = None
            self._cond.notify_all()

    def shutdown(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout=30)

    def forget_caches(self) -> None:
        """After a modifier reload: cached cells and remembered answers were made with other weights."""
        for s in self.slots:
            if s.seq is None:
                self.mc.seq_clear(s.index)
                s.kv_tokens, s.kv_key = [], None
        self._continuations.clear()
        self.mc.forget_adapter()

    def slot_cells(self, index: int) -> int:
        """Cells a slot holds (for tests and status): positions 0..pos_max."""
        return self.mc.seq_pos_max(index) + 1

    # -- the scheduler thread --------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and not self._has_work():
                    self._cond.wait(timeout=0.25)
                    self._drop_cancelled_waiting()
                if self._stop:
                    break
                self._admit()
            try:
                self._step()
            except Exception as e:  # never let the thread die: fail the streams of this step instead
                log.exception("batch step failed")
                for s in self.slots:
                    if s.seq is not None and s.seq.state in ("prefill", "decode"):
                        self._fail(s.seq, e)
        for s in self.slots:
            if s.seq is not None:
                self._finish(s.seq, "cancelled")
        with self._cond:
            for item in self._waiting:
                if isinstance(item, Sequence):
                    item.events.put(self._done(item, "cancelled"))
                else:
                    item.granted.set()
            self._waiting.clear()

    def _has_work(self) -> bool:
        if any(s.seq is not None for s in self.slots):
            return True
        if not self._waiting:
            return False
        if self._held is not None:
            return False
        return True

    def _drop_cancelled_waiting(self) -> None:
        for item in [x for x in self._waiting if isinstance(x, Sequence) and x.cancelled()]:
            self._waiting.remove(item)
            item.state = "done"
            item.events.put(self._done(item, "cancelled"))

    def _admit(self) -> None:
        """Under the lock: waiting sequences into free slots, FIFO; holds once nothing runs."""
        self._drop_cancelled_waiting()
        while self._waiting and self._held is None:
            head = self._waiting[0]
            if isinstance(head, _Hold):
                if any(s.seq is not None for s in self.slots):
                    break
                self._waiting.popleft()
                self._held = head
                head.granted.set()
                break
            free = [s for s in self.slots if s.seq is None]
            if not free:
                break
            self._waiting.popleft()
            self._place(head, free)
        for i, item in enumerate(self._waiting, 1):
            if isinstance(item, Sequence) and item.last_position != i:
                item.last_position = i
                item.events.put(self.ev.Queued(position=i))

    def _place(self, seq: Sequence, free: list[Slot]) -> None:
        seq.t_admit = time.perf_counter()
        replay = self._continuations.get((tuple(seq.prompt), seq.key)) if self._replayable(seq) else None
        target = seq.prompt + replay[0] if replay else seq.prompt

        def shared(slot: Slot) -> int:
            if slot.kv_key != seq.key:
                return 0
            n, kv, limit = 0, slot.kv_tokens, min(len(slot.kv_tokens), len(target) - 1)
            while n < limit and kv[n] == target[n]:
                n += 1
            return n

        slot = self._choose_slot(seq, free, shared)
        n = self._copy_prefix(slot, shared)
        if replay and n < len(target) - 1:  # the cells are gone: generate normally
            replay, target = None, seq.prompt
            n = shared(slot)
        if len(target) - 1 - n == 1 and n > 0:
            n -= 1  # never a one-token chunk before the last token
        if n < len(slot.kv_tokens) and not self.mc.seq_keep(slot.index, n):
            self.mc.seq_clear(slot.index)
            n = 0
        slot.kv_tokens = slot.kv_tokens[:n]
        slot.kv_key = seq.key
        slot.seq, seq.slot = seq, slot
        seq.target, seq.cached, seq.done_upto = target, n, n
        seq.last_step = self.steps
        if replay:
            self._replay(seq, *replay)
            if seq.state == "done":
                return
        if n >= len(target) - 1:
            self._ready(seq)
        else:
            seq.state = "prefill"

    def _copy_prefix(self, slot: Slot, shared) -> int:
        n, copied = copy_prefix(self.mc, self.slots, slot, shared)
        self.prefix_copies += copied
        return n

    def _choose_slot(self, seq: Sequence, free: list[Slot], shared) -> Slot:
        return choose_slot(self.slots, seq.key, free, shared)

    def _replayable(self, seq: Sequence) -> bool:
        return seq.sampler.greedy and not seq.top_logprobs and seq.sampler.p.track_confidence

    def _replay(self, seq: Sequence, ids: list[int], lps: list[float]) -> None:
        """Emit a remembered greedy start (its cells are in the slot) as if just decoded."""
        seq.t_prompt = seq.t_first = time.perf_counter()
        self._started(seq)
        for tok, lp in zip(ids, lps, strict=True):
            seq.out_ids.append(tok)
            seq.logprobs.append(lp)
            delta, stopped = seq.text.feed(self.mc.pieces[tok])
            if stopped:
                if delta:
                    seq.events.put(self.ev.Token(delta, tok, lp))
                self._finish(seq, "stop")
                return
            seq.events.put(self.ev.Token(delta, tok, lp))
            if len(seq.out_ids) >= seq.max_tokens:
                self._finish(seq, "length")
                return
        seq.info["replayed_tokens"] = len(ids)

    def _ready(self, seq: Sequence) -> None:
        seq.state = "decode"
        seq.pending = seq.target[-1]
        seq.pending_pos = len(seq.target) - 1

    def _step(self) -> None:
        """One scheduler step: the next group in rotation gets a prefill chunk and a decode step."""
        with self._cond:
            running = [s.seq for s in self.slots if s.seq is not None]
            for seq in running:
                if seq.cancelled():
                    self._finish(seq, "cancelled")
            running = [s.seq for s in self.slots if s.seq is not None]
            if not running:
                return
            keys = list(dict.fromkeys(seq.key for seq in sorted(running, key=lambda q: q.t_admit)))
            self._rotation = [k for k in self._rotation if k in keys] + [k for k in keys if k not in self._rotation]
            key = self._rotation.pop(0)
            self._rotation.append(key)
        group = [seq for seq in running if seq.key == key]
        self.steps += 1
        for seq in running:  # fairness bookkeeping: how long has each stream with work waited?
            if seq.key == key:
                wait = self.steps - seq.last_step - 1
                if wait > self.max_wait_steps:
                    self.max_wait_steps, self.groups_seen = wait, len(keys)
                seq.last_step = self.steps
        t0 = time.perf_counter()
        if self.mc.set_adapter(group[0].mod, key):
            dt = (time.perf_counter() - t0) * 1000
            for seq in group:
                seq.swap_ms += dt
        prefilling = sorted((seq for seq in group if seq.state == "prefill"), key=lambda q: q.t_admit)
        if prefilling:
            self._prefill_chunks(prefilling)
        decoding = [seq for seq in group if seq.state == "decode"]
        if decoding:
            self._decode_step(decoding)

    def _next_chunk(self, seq: Sequence) -> tuple[int, int]:
        end = len(seq.target) - 1  # the last prompt token goes with the decode step
        start = seq.done_upto
        stop = min(end, start + PREFILL_CHUNK)
        if end - stop == 1:
            stop -= 1  # never leave a one-token chunk behind
        return start, stop

    def _prefill_chunks(self, waiting: list[Sequence]) -> None:
        """One call with the next chunk of as many prompts as fit in PREFILL_CHUNK tokens (the oldest always).
        Rows go in descending sequence id: llama.cpp then gives each prompt's chunk a ubatch of its own, so
        a chunk is computed exactly as it is for that prompt alone (consecutive ids would be cut to equal
        lengths and share ubatches)."""
        chosen, budget = [], PREFILL_CHUNK
        for seq in waiting:
            start, stop = self._next_chunk(seq)
            if chosen and stop - start > budget:
                continue
            chosen.append((seq, start, stop))
            budget -= stop - start
            if budget <= 0:
                break
        rows = []
        for seq, start, stop in sorted(chosen, key=lambda c: -c[0].slot.index):
            rows += [(tok, start + i, seq.slot.index, False) for i, tok in enumerate(seq.target[start:stop])]
        try:
            self.mc.decode(rows)
        except DecodeError as e:
            for seq, _, _ in chosen:
                self._fail(seq, e)
            return
        for seq, start, stop in chosen:
            seq.slot.kv_tokens.extend(seq.target[start:stop])
            seq.done_upto = stop
            if stop >= len(seq.target) - 1:
                self._ready(seq)

    def _decode_step(self, group: list[Sequence]) -> None:
        mod = group[0].mod
        if mod is not None and not mod.batchable:
            # An f32/f16 adapter (MODROUTE_ADAPTER_SERVE_TYPE=as-is): each stream in its own call. With float
            # adapter tensors a sequence's logits differ between a one- and a multi-row ubatch (up to 0.57
            # measured) and greedy answers changed between alone and batched; one row per call is what a
            # stream alone gets. Q8_0 adapters (the default serving form) batch exactly like the base.
            for seq in group:
                self._decode_rows([seq])
            return
        self._decode_rows(group)

    def _decode_rows(self, group: list[Sequence]) -> None:
        group = sorted(group, key=lambda q: q.slot.index)  # runs of consecutive ids share a ubatch
        rows = [(seq.pending, seq.pending_pos, seq.slot.index, True) for seq in group]
        if group[0].key is not None and len(rows) > self.max_adapter_rows:
            self.max_adapter_rows = len(rows)
        try:
            self.mc.decode(rows)
        except DecodeError as e:
            for seq in group:
                self._fail(seq, e)
            return
        now = time.perf_counter()
        for i, seq in enumerate(group):
            seq.slot.kv_tokens.append(seq.pending)
            if not seq.started:
                seq.t_prompt = now
            self._emit(seq, self.mc.logits_row(i))

    def _emit(self, seq: Sequence, row: np.ndarray) -> None:
        mc = self.mc
        tok, lp = seq.sampler.choose(row, self._scratch)
        top = top_logprobs(row, seq.top_logprobs, mc.pieces) if seq.top_logprobs else None
        if not seq.started:
            seq.t_first = time.perf_counter()
            self._started(seq)
        if tok in mc.eog:
            self._finish(seq, "stop")
            return
        seq.out_ids.append(tok)
        if lp is not None:
            seq.logprobs.append(lp)
        delta, stopped = seq.text.feed(mc.pieces[tok])
        if stopped:
            if delta:
                seq.events.put(self.ev.Token(delta, tok, lp, top))
            self._finish(seq, "stop")
            return
        seq.events.put(self.ev.Token(delta, tok, lp, top))
        if len(seq.out_ids) >= seq.max_tokens or seq.pending_pos + 1 >= mc.n_ctx:
            self._finish(seq, "length")
        elif seq.cancelled():
            self._finish(seq, "cancelled")
        else:
            seq.pending = tok
            seq.pending_pos += 1

    def _started(self, seq: Sequence) -> None:
        seq.started = True
        seq.events.put(self.ev.Started(len(seq.prompt), seq.cached, seq.info.get("trimmed_turns", 0),
                                       seq.mod.name if seq.mod else None, seq.max_tokens,
                                       (seq.t_admit - seq.t_submit) * 1000))

    def _finish(self, seq: Sequence, reason: str) -> None:
        tail = seq.text.flush()
        if tail:
            seq.events.put(self.ev.Token(tail, None, None))
        slot = seq.slot
        if slot is not None:
            slot.seq, slot.last_used = None, time.perf_counter()
            if reason == "cancelled":
                self.mc.seq_clear(slot.index)  # a cancelled stream's cells are freed at once
                slot.kv_tokens, slot.kv_key = [], None
        if (reason == "length" and seq.sampler.greedy and seq.out_ids
                and len(seq.logprobs) == len(seq.out_ids) and not seq.top_logprobs):
            k = (tuple(seq.prompt), seq.key)
            self._continuations[k] = (list(seq.out_ids), list(seq.logprobs))
            self._continuations.move_to_end(k)
            while len(self._continuations) > CONTINUATIONS:
                self._continuations.popitem(last=False)
        seq.state = "done"
        seq.events.put(self._done(seq, reason))

    def _fail(self, seq: Sequence, error: Exception) -> None:
        from runtime.engine import EngineError

        slot = seq.slot
        if slot is not None:
            slot.seq = None
            self.mc.seq_clear(slot.index)
            slot.kv_tokens, slot.kv_key = [], None
        seq.state = "done"
        seq.events.put(EngineError(str(error)))

    def _done(self, seq: Sequence, reason: str):
        return done_event(seq, reason, self.ev.Done)


class _HoldContext:
    def __init__(self, sched: BatchScheduler) -> None:
        self.sched = sched
        self.h: _Hold | None = None

    def __enter__(self) -> None:
        self.h = self.sched._acquire()

    def __exit__(self, *exc) -> None:
        self.sched._release(self.h)
