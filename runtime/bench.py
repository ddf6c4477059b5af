"""Side-by-side throughput benchmark, one process, one run, same prompts, greedy.

Paths measured (interleaved per prompt so drift hits all of them alike):
- raw:    llama-cpp-python ``create_chat_completion(stream=True)`` — what most wrappers use;
- limit:  a minimal low-level loop, ``llama_decode`` + argmax of the last logits row;
- engine: our streaming engine, with and without confidence tracking, and with a modifier.

Throughput is generated tokens / (end - first token), so prompt processing is
reported separately as time to first token. Only ratios are meant to be compared.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from runtime.artifacts import ArtifactEntry, sha256_file
from runtime.engine import ChatRequest, Engine, Token
from runtime.llama_load import open_llama
from runtime.settings import Settings

PROMPTS = [
    "Write a long story about a lighthouse keeper who finds a message in a bottle.",
    "Explain in detail how a compiler turns source code into machine code.",
    "Describe, step by step, how to plan a week-long hiking trip in the mountains.",
]


def _raw_run(llm, messages, max_tokens):
    llm.reset()
    t0 = time.perf_counter()
    t_first = None
    parts = []
    for chunk in llm.create_chat_completion(messages, stream=True, temperature=0.0, max_tokens=max_tokens):
        delta = chunk["choices"][0]["delta"].get("content")
        if delta:
            if t_first is None:
                t_first = time.perf_counter()
            parts.append(delta)
    t_end = time.perf_counter()
    text = "".join(parts)
    n = len(llm.tokenize(text.encode(), add_bos=False, special=False))
    return n, t_end - (t_first or t_end), ((t_first or t_end) - t0) * 1000


def _limit_run(llm, prompt_tokens, n_gen):
    import llama_cpp

    ctx = llm.ctx
    mem = llama_cpp.llama_get_memory(ctx)
    llama_cpp.llama_memory_clear(mem, True)
    n_vocab = llm.n_vocab()
    batch = llama_cpp.llama_batch_init(max(len(prompt_tokens), 1), 0, 1)
    try:
        for i, t in enumerate(prompt_tokens):
            batch.token[i], batch.pos[i], batch.n_seq_id[i] = t, i, 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = i == len(prompt_tokens) - 1
        batch.n_tokens = len(prompt_tokens)
        llama_cpp.llama_decode(ctx, batch)
        pos = len(prompt_tokens)
        t_first = time.perf_counter()
        for _ in range(n_gen):
            row = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, -1), shape=(n_vocab,))
            tok = int(row.argmax())
            batch.token[0], batch.pos[0], batch.n_seq_id[0] = tok, pos, 1
            batch.seq_id[0][0] = 0
            batch.logits[0] = True
            batch.n_tokens = 1
            llama_cpp.llama_decode(ctx, batch)
            pos += 1
        return n_gen, time.perf_counter() - t_first
    finally:
        llama_cpp.llama_batch_free(batch)


def _engine_run(engine: Engine, messages, max_tokens, modifier=None, track=True):
    engine.clear_cache()  # no prefix reuse across runs: every path evaluates the whole prompt
    t0 = time.perf_counter()
    t_first = None
    n = 0
    for ev in engine.stream(ChatRequest(messages, max_tokens=max_tokens, modifier=modifier,
                                        track_confidence=track)):
        if isinstance(ev, Token) and ev.token_id is not None:
            if t_first is None:
                t_first = time.perf_counter()
            n += 1
    t_end = time.perf_counter()
    return n, t_end - (t_first or t_end), ((t_first or t_end) - t0) * 1000


def _ensure_modifier(engine: Engine, workdir: Path) -> str:
    names = engine.modifiers.names()
    if names:
        return names[0]
    from runtime.lora_gguf import random_lora_for_base

    path = random_lora_for_base(engine.model_path, workdir / "bench-random-lora.gguf")
    entry = ArtifactEntry(name="bench-random", kind="modifier", file=path.name, sha256=sha256_file(path),
                          domain="bench", base_sha256=engine.base_sha256)
    mod = engine.modifiers.add(entry, workdir)
    if not mod.available:
        raise RuntimeError(f"bench adapter refused: {mod.reason}")
    return mod.name


def run_bench(settings: Settings | None = None, max_tokens: int = 200, reps: int = 2,
              swaps: int = 200) -> dict:

    settings = settings or Settings()
    with Engine(settings) as engine, tempfile.TemporaryDirectory() as tmp:
        raw = open_llama(str(engine.model_path), extra_buffers=settings.extra_buffers, n_ctx=settings.n_ctx,
                         n_batch=settings.n_batch, n_threads=settings.n_threads, n_threads_batch=settings.n_threads,
                         verbose=False)
        try:
            modifier = _ensure_modifier(engine, Path(tmp))
            acc = {k: [0, 0.0] for k in ("raw", "limit", "engine", "engine_noconf", "modifier")}
            ttft = {"raw": [], "engine": []}
            # Warm-up (page in weights, allocate buffers) on every path.
            warm = [{"role": "user", "content": "Hi"}]
            _raw_run(raw, warm, 8)
            _engine_run(engine, warm, 8)
            for _ in range(reps):
                for prompt in PROMPTS:
                    messages = [{"role": "user", "content": prompt}]
                    n, s, tt = _raw_run(raw, messages, max_tokens)
                    acc["raw"][0] += n
                    acc["raw"][1] += s
                    ttft["raw"].append(tt)
                    n_e, s, tt = _engine_run(engine, messages, max_tokens)
                    acc["engine"][0] += n_e
                    acc["engine"][1] += s
                    ttft["engine"].append(tt)
                    n, s = _limit_run(raw, engine.tokenize_chat(messages), max(n_e, 1))
                    acc["limit"][0] += n
                    acc["limit"][1] += s
                    n, s, _ = _engine_run(engine, messages, max_tokens, track=False)
                    acc["engine_noconf"][0] += n
                    acc["engine_noconf"][1] += s
                    n, s, _ = _engine_run(engine, messages, max_tokens, modifier=modifier)
                    acc["modifier"][0] += n
                    acc["modifier"][1] += s
            tps = {k: (n / s if s > 0 else 0.0) for k, (n, s) in acc.items()}
            # Adapter switch (no KV reset any more: each slot keeps cells made under its own adapter).
            mod = engine.modifiers.get(modifier)
            times = []
            with engine.hold():
                for i in range(swaps):
                    t0 = time.perf_counter()
                    engine.context.set_adapter(mod, (mod.name, mod.scale)) if i % 2 == 0 else \
                        engine.context.set_adapter(None, None)
                    times.append((time.perf_counter() - t0) * 1000)
                engine.context.set_adapter(None, None)
        finally:
            raw.close()
    return {
        "model": engine.model_path.name,
        "threads": settings.n_threads,
        "max_tokens": max_tokens,
        "prompts": len(PROMPTS) * reps,
        "raw_tps": round(tps["raw"], 2),
        "limit_tps": round(tps["limit"], 2),
        "engine_tps": round(tps["engine"], 2),
        "engine_tps_no_confidence": round(tps["engine_noconf"], 2),
        "ratio": round(tps["engine"] / tps["raw"], 3),
        "limit_ratio": round(tps["engine"] / tps["limit"], 3),
        "confidence_cost": round(1 - tps["engine"] / tps["engine_noconf"], 4),
        "ttft_ms_raw": round(statistics.median(ttft["raw"]), 2),
        "ttft_ms_engine": round(statistics.median(ttft["engine"]), 2),
        "swap_ms": round(statistics.median(times), 4),
        "modifier": modifier,
        "modifier_tps": round(tps["modifier"], 2),
    }


def main(as_json: bool, max_tokens: int, reps: int) -> int:
    result = run_bench(max_tokens=max_tokens, reps=reps)
    if as_json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:26s} {v}")
    return 0




def run_router_bench(settings: Settings | None = None, n_probe: int = 20) -> dict:
    """Routing decision latency (embedding + heads, probe excluded) over the held-out prompts, and the
    probe's cost measured separately on the real base model."""
    from runtime.embedder import Embedder
    from runtime.router import Router, load_router_artifacts
    from runtime.router_train import DATA, read_jsonl
    from runtime.services import make_probe

    settings = settings or Settings()
    embedder = Embedder()
    arts = load_router_artifacts(settings.router_manifest, settings.cache_dir, embedder)
    texts = [r["text"] for r in read_jsonl(DATA / "domain_prompts.jsonl") if r.get("split") == "heldout"]
    router = Router(settings, embedder, arts.domain, arts.quality, probe=None, version=arts.version)
    for t in texts[:5]:
        router.route(t + " (warm-up)")
    lat = []
    for t in texts:
        t0 = time.perf_counter()
        router.route(t)
        lat.append((time.perf_counter() - t0) * 1000)
    with Engine(settings) as engine:
        probe = make_probe(engine, settings.probe_tokens)
        probe_ms = []
        for t in texts[:n_probe]:
            engine.clear_cache()
            t0 = time.perf_counter()
            probe(t)
            probe_ms.append((time.perf_counter() - t0) * 1000)
    q = np.percentile
    return {
        "n": len(lat), "decision_ms_p50": round(float(q(lat, 50)), 3), "decision_ms_p95": round(float(q(lat, 95)), 3),
        "decision_ms_p99": round(float(q(lat, 99)), 3), "probe_tokens": settings.probe_tokens,
        "probe_ms_p50": round(float(q(probe_ms, 50)), 2), "probe_ms_p95": round(float(q(probe_ms, 95)), 2),
        "router_version": arts.version or "untrained",
    }


def run_probe_bench(settings: Settings | None = None, n: int = 24, reps: int = 2) -> dict:
    """Routing overhead on time to first token: auto mode (route + probe) vs forced Fast, fresh prompts.

    Each prompt starts from a cold cache on both paths. In auto mode the probe's greedy tokens are
    the start of a Fast answer, replayed instead of decoded again, so the overhead is the routing work
    (embedding, heads) and the probe's extra tokens before the decision. Only prompts the router sent
    to Fast are compared (Accurate answers use a modifier: a different generation)."""
    from runtime.chat import Turn
    from runtime.router_train import DATA, read_jsonl
    from runtime.services import create_services

    settings = settings or Settings()
    rows = [r for r in read_jsonl(DATA / "domain_prompts.jsonl") if r.get("split") == "heldout"]
    # Domains the base usually answers well enough itself (the router sends them to Fast).
    texts = [r["text"] for r in rows if r.get("label") in ("science", "finance", "general", "creative")]
    services = create_services(settings)
    try:
        chat, engine = services.chat, services.engine

        def first_token_ms(text: str, mode: str) -> tuple[float, float, str, int]:
            engine.clear_cache()
            t0 = time.perf_counter()
            first = sixth = None
            k = 0
            routed = ""
            replayed = 0
            for ev in chat.stream_turn(Turn([{"role": "user", "content": text}], mode=mode, max_tokens=16,
                                            cascade=False)):
                name = type(ev).__name__
                if name == "Routed":
                    routed = ev.decision.mode
                elif isinstance(ev, Token) and ev.token_id is not None:
                    k += 1
                    now = time.perf_counter()
                    first = first or now
                    if k == settings.probe_tokens:
                        sixth = now
                elif name == "TurnDone":
                    replayed = int(ev.timings.get("replayed_tokens", 0))
            end = time.perf_counter()
            return (((first or end) - t0) * 1000, ((sixth or end) - t0) * 1000, routed, replayed)

        for t in texts[:3]:  # warm-up: embedder, heads, pages
            first_token_ms(t + " (warm-up)", "auto")
        auto, fast, auto6, fast6, replays = [], [], [], [], []
        for _ in range(reps):
            for t in texts[:n]:
                a, a6, routed, rep = first_token_ms(t, "auto")
                if routed != "fast":
                    continue
                f, f6, _, _ = first_token_ms(t, "fast")
                auto.append(a)
                auto6.append(a6)
                fast.append(f)
                fast6.append(f6)
                replays.append(rep)
    finally:
        services.close()
    med = statistics.median
    return {
        "prompts_routed_fast": len(auto), "probe_tokens": settings.probe_tokens,
        "ttft_ms_auto_p50": round(med(auto), 1) if auto else None,
        "ttft_ms_forced_fast_p50": round(med(fast), 1) if fast else None,
        "routing_overhead_ms_p50": round(med([a - f for a, f in zip(auto, fast, strict=True)]), 1) if auto else None,
        "time_to_probe_tokens_ms_auto_p50": round(med(auto6), 1) if auto else None,
        "time_to_probe_tokens_ms_fast_p50": round(med(fast6), 1) if auto else None,
        "replayed_tokens_p50": med(replays) if replays else 0,
    }
