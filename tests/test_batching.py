"""Continuous batching on the real model: identical greedy answers alone and batched (also with
different modifiers in flight at once), cancelled streams free their cells, groups take turns within
the stated bound, the wait queue is bounded, and a remembered greedy start is replayed, not re-decoded."""

from __future__ import annotations

import threading

import pytest

from runtime.engine import BusyError, ChatRequest, Done, Engine, Queued, Token
from runtime.settings import Settings

PROMPTS = ["Name three colors of the rainbow.", "What is 15% of 80?", "Write a haiku about autumn.",
           "Explain photosynthesis in one sentence."]
CASES = [(p, m) for p in PROMPTS for m in (None, "alpha", "beta")][:8]


def req(prompt: str, modifier: str | None = None, n: int = 32, **kw) -> ChatRequest:
    return ChatRequest([{"role": "user", "content": prompt}], max_tokens=n, modifier=modifier, **kw)


def run_together(engine, requests: list[ChatRequest]):
    out: list = [None] * len(requests)
    errors: list = []
    gate = threading.Barrier(len(requests))

    def one(i):
        try:
            gate.wait()
            out[i] = engine.complete(requests[i])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    return out


def test_greedy_answers_are_identical_alone_and_batched_across_modifiers(engine):
    alone = []
    for p, m in CASES:
        engine.clear_cache()  # alone and from a cold cache
        alone.append(engine.complete(req(p, m)))
    sched = engine.scheduler
    engine.clear_cache()
    sched.max_wait_steps = sched.groups_seen = sched.max_adapter_rows = 0
    steps = sched.steps
    together = run_together(engine, [req(p, m) for p, m in CASES])
    for (p, m), a, b in zip(CASES, alone, together, strict=True):
        assert b.text == a.text and b.token_ids == a.token_ids, (p, m)
        assert b.modifier == m
    # The eight streams shared decode steps: far fewer steps than tokens.
    tokens = sum(c.usage["completion_tokens"] for c in together)
    assert sched.steps - steps < tokens * 0.75
    # Modifier streams shared decode calls too (Q8_0 serving copies, runtime/lora_serving.py).
    assert sched.max_adapter_rows >= 2
    # Fairness: three groups (base, alpha, beta) took turns; no stream with work waited more than G-1 steps.
    assert 1 <= sched.groups_seen <= 3 and sched.max_wait_steps <= sched.groups_seen - 1


def test_a_stream_cancelled_mid_batch_frees_its_cells_and_the_others_finish_unchanged(engine):
    refs = []
    for p in PROMPTS[:3]:
        engine.clear_cache()
        refs.append(engine.complete(req(p, n=48)).text)
    engine.clear_cache()
    cancel = threading.Event()
    results: dict[int, Done] = {}
    received: dict[int, int] = {}

    def one(i):
        n = 0
        for ev in engine.stream(req(PROMPTS[i], n=48, cancel=cancel if i == 1 else None)):
            if isinstance(ev, Token) and ev.token_id is not None:
                n += 1
                if i == 1 and n == 4:
                    cancel.set()
            if isinstance(ev, Done):
                results[i] = ev
        received[i] = n

    threads = [threading.Thread(target=one, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert results[1].finish_reason == "cancelled"
    assert 4 <= results[1].usage["completion_tokens"] == received[1] < 48  # what was sent is what is counted
    assert results[0].text == refs[0] and results[2].text == refs[2]
    sched = engine.scheduler
    holding = [s for s in sched.slots if sched.slot_cells(s.index) > 0]
    # The two finished streams keep their cells as a prefix cache; the cancelled one's were removed.
    assert len(holding) == 2 and all(s.seq is None for s in sched.slots)
    assert engine.active_streams == 0


def test_a_remembered_greedy_start_is_replayed_not_decoded_again(engine):
    engine.clear_cache()
    q = req("Write a short paragraph about the moon.", n=64)
    fresh = engine.complete(q)
    engine.clear_cache()
    probe = engine.complete(req("Write a short paragraph about the moon.", n=6))  # as the router's probe
    answer = engine.complete(q)
    assert answer.timings.get("replayed_tokens") == 6
    assert answer.text == fresh.text and answer.token_ids == fresh.token_ids
    assert answer.token_ids[:6] == probe.token_ids and answer.logprobs[:6] == probe.logprobs
    # Sampling never replays.
    sampled = engine.complete(req("Write a short paragraph about the moon.", n=8, temperature=0.7, seed=3))
    assert "replayed_tokens" not in sampled.timings


def test_a_prompt_starts_from_a_prefix_copied_from_another_slot_and_answers_the_same(engine):
    """The system prompt's cells held by one slot are copied into the slot a new request takes (each slot
    has its own KV stream), under the same adapter only; the answer is the one computed from scratch."""
    q = "Name two planets of the solar system."
    engine.clear_cache()
    cold = engine.complete(req(q, n=24))
    cold_alpha = engine.complete(req(q, "alpha", n=24))
    engine.clear_cache()
    sched = engine.scheduler
    copies = sched.prefix_copies
    started = threading.Event()
    results: dict[str, object] = {}

    def long_running():  # holds its slot (and the system prompt's cells) while the others are placed
        for ev in engine.stream(req("Write a long story about a dragon.", n=96)):
            if isinstance(ev, Token):
                started.set()
            if isinstance(ev, Done):
                results["long"] = ev

    t = threading.Thread(target=long_running)
    t.start()
    assert started.wait(120)
    results["base"] = engine.complete(req(q, n=24))
    results["alpha"] = engine.complete(req(q, "alpha", n=24))
    t.join(300)
    base, alpha = results["base"], results["alpha"]
    assert base.text == cold.text and base.token_ids == cold.token_ids
    assert base.usage["cached_tokens"] >= 8 and sched.prefix_copies == copies + 1
    # Nothing under the alpha adapter was cached: the base's cells are not used for it.
    assert alpha.usage["cached_tokens"] == 0
    assert alpha.text == cold_alpha.text and alpha.token_ids == cold_alpha.token_ids
    assert results["long"].finish_reason in ("length", "stop")


@pytest.fixture(scope="module")
def tiny_engine(tmp_path_factory):
    """One slot and a wait queue of one: the third concurrent request is refused."""
    s = Settings(data_dir=tmp_path_factory.mktemp("tiny"), n_threads=2, n_ctx=512, n_parallel=1, max_queue=1,
                 manifest="", max_tokens=64)
    with Engine(s) as e:
        yield e


def test_the_wait_queue_is_bounded_and_waiting_requests_see_their_place(tiny_engine):
    e = tiny_engine
    first = e.stream(req("Count from one to fifty.", n=64))
    assert not isinstance(next(first), Queued)  # admitted at once
    events = []
    second = threading.Thread(target=lambda: events.extend(e.stream(req("Say hello.", n=4))))
    second.start()
    while e.queue_length < 1:
        threading.Event().wait(0.01)
    assert e.busy
    with pytest.raises(BusyError) as busy:
        next(e.stream(req("One more?", n=4)))
    assert busy.value.retry_after_s >= 1 and "busy" in str(busy.value)
    list(first)
    second.join(120)
    assert isinstance(events[0], Queued) and events[0].position == 1
    assert isinstance(events[-1], Done) and events[-1].usage["completion_tokens"] > 0
    assert not e.busy and e.queue_length == 0


def test_slots_keep_each_group_side_by_side():
    """llama.cpp batches only runs of consecutive sequence ids: streams of one group get adjacent slots,
    a new group starts in the middle of the largest free gap, a long cached prefix still wins."""
    from types import SimpleNamespace

    from runtime.batcher import LONG_PREFIX, BatchScheduler, Slot

    sched = SimpleNamespace(slots=[Slot(i) for i in range(16)])

    def place(key, shared=lambda s: 0):
        seq = SimpleNamespace(key=key)
        free = [s for s in sched.slots if s.seq is None]
        slot = BatchScheduler._choose_slot(sched, seq, free, shared)
        slot.seq = seq
        return slot.index

    order = ["a", "b", "a", "b", "a", "c", "b", "a", "c", "b"]
    placed = {}
    for key in order:
        placed.setdefault(key, []).append(place(key))
    for key, idx in placed.items():
        idx.sort()
        assert idx == list(range(idx[0], idx[0] + len(idx))), (key, placed)  # one run of consecutive ids
    assert placed["a"][0] == 0 and 8 in placed["b"]  # a from the start, b from the middle of the free gap
    # A free slot that holds a long cached prefix (a conversation) is taken even away from its group.
    sched.slots[15].kv_tokens = list(range(LONG_PREFIX))
    assert place("a", shared=lambda s: LONG_PREFIX if s.index == 15 else 0) == 15
