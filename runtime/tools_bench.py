"""``python -m runtime tools-bench``: what Accurate mode's tools buy on arithmetic, side by side in one run.

On ``data/eval/arithmetic.jsonl`` (computed numeric answers), per model setting (the base alone, and
with a modifier such as ``math``), each item is answered by:

- ``single``: one greedy path (what Fast mode does);
- ``sc3`` / ``sc5``: self-consistency, 3 / 5 sampled paths (temperature 0.8, top-p 0.9, frequency
  penalty 0.3, seeds 0..N-1) and a majority vote on the final number. The paths run at once, as in
  Accurate mode (the engine batches them), and the latency is their wall time;
- ``critique``: greedy, then the critique scorer; below 7/10 one regeneration with the scorer's flags
  in the prompt (``runtime.critique.feedback_prompt``), greedy (only when a critic is shipped);
- ``fewshot``: greedy with the bank's 3 nearest examples before the question (only with a bank).

Accuracy is the extracted final number against the computed answer (exact, after normalisation).
Each method's latency multiplier is its total wall time over the single path's, items interleaved so
load drift hits every method alike. The machine may be shared: the load average is printed with the
numbers, and only ratios within one run are meant to be compared.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from runtime.consistency import SampledPath, extract_numeric, normalize_number, vote
from runtime.engine import ChatRequest, Engine
from runtime.settings import REPO_ROOT, Settings

DATA = REPO_ROOT / "data" / "eval" / "arithmetic.jsonl"
# The question alone: with a format hint such as "like 'Answer: 42'" the 135M base answered 42 on 14 of 20
# smoke items, and the math modifier was trained on bare questions answered with a final "Answer: <n>" line.
INSTRUCTION = ""
SAMPLING = {"temperature": 0.8, "top_p": 0.9, "frequency_penalty": 0.3}
METHODS = ("single", "sc3", "sc5", "critique", "fewshot")


def load_items(path: str | Path = DATA, limit: int | None = None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _correct(text: str, answer: str) -> bool:
    got = extract_numeric(text)
    return got is not None and got == normalize_number(str(answer))


def _run(engine: Engine, messages: list[dict], modifier: str | None, max_tokens: int, **sampling) -> tuple:
    t0 = time.perf_counter()
    c = engine.complete(ChatRequest(messages, max_tokens=max_tokens, modifier=modifier, **sampling))
    return c, time.perf_counter() - t0


def _paths(engine: Engine, msgs, modifier, max_tokens: int, n: int) -> tuple[list[SampledPath], float]:
    from concurrent.futures import ThreadPoolExecutor

    def one(seed: int) -> SampledPath:
        c, t = _run(engine, msgs, modifier, max_tokens, seed=seed, **SAMPLING)
        return SampledPath(seed, c.text, c.confidence.get("mean_logprob", float("nan")), c.usage["completion_tokens"],
                           None, t)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        paths = list(pool.map(one, range(n)))
    return paths, time.perf_counter() - t0


def bench_item(engine: Engine, item: dict, modifier: str | None, *, max_tokens: int, critic=None, bank=None,
               feedback_prompt=None, n_paths: int = 5, consistency: bool = True) -> dict[str, Any]:
    """Every method on one item; returns per-method {correct, seconds, tokens, ...}."""
    q = item["question"]
    msgs = [{"role": "user", "content": q + INSTRUCTION}]
    out: dict[str, Any] = {"id": item["id"], "answer": item["answer"]}
    greedy, t_greedy = _run(engine, msgs, modifier, max_tokens)
    out["single"] = {"correct": _correct(greedy.text, item["answer"]), "seconds": t_greedy,
                     "tokens": greedy.usage["completion_tokens"], "got": extract_numeric(greedy.text)}

    for n, key in ((3, "sc3"), (n_paths, "sc5")) if consistency else ():
        # As Accurate mode runs them: the n paths at once (batched by the engine), wall time.
        sub, wall = _paths(engine, msgs, modifier, max_tokens, n)
        v = vote(q, sub, kind="numeric")
        out[key] = {"correct": v.answer is not None and v.answer == normalize_number(str(item["answer"])),
                    "seconds": wall, "tokens": sum(p.n_tokens for p in sub),
                    "got": v.answer, "confidence": v.confidence, "unreliable": v.unreliable}

    if critic is not None and feedback_prompt is not None:
        t0 = time.perf_counter()
        crit = critic.score(q, greedy.text, domain="math", finish_reason=greedy.finish_reason)
        final, regen_s, tokens = greedy.text, 0.0, greedy.usage["completion_tokens"]
        if not crit.acceptable:
            prompt = feedback_prompt(q + INSTRUCTION, greedy.text, crit)
            again, regen_s = _run(engine, [{"role": "user", "content": prompt}], modifier, max_tokens)
            final, tokens = again.text, tokens + again.usage["completion_tokens"]
        critique_s = time.perf_counter() - t0 - regen_s
        out["critique"] = {"correct": _correct(final, item["answer"]), "seconds": t_greedy + critique_s + regen_s,
                           "tokens": tokens, "got": extract_numeric(final), "score": crit.score,
                           "regenerated": not crit.acceptable, "critic_ms": critique_s * 1000}

    if bank is not None:
        from runtime.fewshot import format_examples

        t0 = time.perf_counter()
        examples, novelty, _ = bank.lookup(q, 3)
        lookup_s = time.perf_counter() - t0
        c, t = _run(engine, format_examples(examples) + msgs, modifier, max_tokens)
        out["fewshot"] = {"correct": _correct(c.text, item["answer"]), "seconds": lookup_s + t,
                          "tokens": c.usage["completion_tokens"], "got": extract_numeric(c.text),
                          "novelty": novelty, "lookup_ms": lookup_s * 1000}
    return out


def lookup_latency(bank, queries: list[str], k: int = 3) -> dict[str, Any]:
    """p50/p95 of ``bank.lookup`` in ms: new queries (embedding included, as on the request path) and the
    same queries again (embedding cached: the search over the bank alone)."""
    import numpy as np

    bank.lookup("warm-up question", k)
    cold, warm = [], []
    for q in queries:
        cold.append(bank.lookup(q, k)[2])
    for q in queries:
        warm.append(bank.lookup(q, k)[2])

    def pct(xs):
        return {"p50": round(float(np.percentile(xs, 50)), 3), "p95": round(float(np.percentile(xs, 95)), 3)}

    return {"examples": len(bank), "queries": len(queries), "k": k, "with_embedding_ms": pct(cold),
            "search_only_ms": pct(warm), "load_avg": _load()}


def lookup_queries() -> list[str]:
    """Every held-out question in data/eval (never in the bank: it was decontaminated against them)."""
    qs = []
    for path in sorted((REPO_ROOT / "data" / "eval").glob("*.jsonl")):
        qs += [r["question"] for r in load_items(path)]
    return list(dict.fromkeys(qs))


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy and latency multiplier (vs ``single``) per method."""
    base_s = sum(r["single"]["seconds"] for r in rows) or 1e-9
    table = {}
    for m in METHODS:
        have = [r[m] for r in rows if m in r]
        if not have:
            continue
        s = {"accuracy": sum(x["correct"] for x in have) / len(have), "n": len(have),
             "seconds": round(sum(x["seconds"] for x in have), 2),
             "latency_x": round(sum(x["seconds"] for x in have) / base_s, 2),
             "tokens": sum(x["tokens"] for x in have)}
        if m.startswith("sc"):
            s["mean_confidence"] = round(sum(x["confidence"] for x in have) / len(have), 3)
            reliable = [x for x in have if not x["unreliable"]]
            s["reliable"] = len(reliable)
            s["accuracy_when_reliable"] = (round(sum(x["correct"] for x in reliable) / len(reliable), 3)
                                           if reliable else None)
        if m == "critique":
            s["regenerated"] = sum(x["regenerated"] for x in have)
            s["mean_score"] = round(sum(x["score"] for x in have) / len(have), 2)
        if m == "fewshot":
            s["lookup_ms_mean"] = round(sum(x["lookup_ms"] for x in have) / len(have), 2)
        table[m] = s
    return table


def run(limit: int | None = None, modifiers: list[str | None] | None = None, max_tokens: int = 160,
        data: str | Path = DATA, critique: bool = True, fewshot: bool = True, progress: bool = True,
        threads: int | None = None, consistency: bool = True) -> dict[str, Any]:
    from runtime.embedder import Embedder

    # On shared cores llama.cpp's spinning thread pool collapses (see pipeline/cpu.py): one thread can be
    # several times faster than two there, so the thread count is a flag and is reported.
    settings = Settings(n_threads=threads) if threads else Settings()
    items = load_items(data, limit)
    embedder = Embedder()
    embedder.embed(["warm-up"])
    tools_manifest = getattr(settings, "tools_manifest", str(REPO_ROOT / "artifacts" / "tools" / "manifest.json"))
    notes = []
    critic = feedback_prompt = bank = None
    if critique:
        try:
            from runtime.critique import CritiqueScorer
            from runtime.critique import feedback_prompt as fp

            critic = CritiqueScorer.load(tools_manifest, settings.cache_dir, embedder)
            feedback_prompt = fp if critic is not None else None
            if critic is None:
                notes.append("critique: no critic in the tools manifest")
        except Exception as e:  # noqa: BLE001 - an unavailable tool is reported, the rest still runs
            notes.append(f"critique: unavailable ({type(e).__name__}: {e})")
    if fewshot:
        try:
            from runtime.fewshot import ExampleBank

            bank = ExampleBank.load(tools_manifest, settings.cache_dir, embedder)
        except Exception as e:  # noqa: BLE001
            notes.append(f"fewshot: unavailable ({type(e).__name__}: {e})")
    result: dict[str, Any] = {"data": str(data), "items": len(items), "max_tokens": max_tokens, "sampling": SAMPLING,
                              "load_avg_start": _load(), "cpu_count": os.cpu_count(), "threads": settings.n_threads,
                              "notes": notes, "settings": {}}
    t_start = time.perf_counter()
    with Engine(settings) as engine:
        for mod in modifiers or [None]:
            rows = []
            t0 = time.perf_counter()
            for i, item in enumerate(items, 1):
                rows.append(bench_item(engine, item, mod, max_tokens=max_tokens, critic=critic, bank=bank,
                                       feedback_prompt=feedback_prompt, consistency=consistency))
                if progress:
                    done = summarize(rows)
                    print(f"[{mod or 'base'}] {i}/{len(items)} " + " ".join(
                        f"{m}={v['accuracy']:.2f}" for m, v in done.items()), file=sys.stderr, flush=True)
            result["settings"][mod or "base"] = {"summary": summarize(rows), "seconds": round(time.perf_counter() - t0, 1),
                                                 "rows": rows}
    result["seconds"] = round(time.perf_counter() - t_start, 1)
    result["load_avg_end"] = _load()
    return result


def render(result: dict[str, Any]) -> str:
    lines = [f"tools-bench: {result['items']} items of {Path(result['data']).name}, max_tokens {result['max_tokens']}, "
             f"{result['seconds']} s, load average {result['load_avg_start']} -> {result['load_avg_end']} "
             f"on {result['cpu_count']} cores, llama.cpp threads {result.get('threads')}"]
    lines += [f"note: {n}" for n in result["notes"]]
    header = f"{'setting':10s} {'method':9s} {'accuracy':>8s} {'latency x':>9s} {'tokens':>7s}  notes"
    lines += ["", header, "-" * len(header)]
    for name, s in result["settings"].items():
        for m, v in s["summary"].items():
            extra = ""
            if m.startswith("sc"):
                extra = (f"mean confidence {v['mean_confidence']:.2f}; reliable {v['reliable']}/{v['n']}"
                         + (f" at {v['accuracy_when_reliable']:.2f}" if v["accuracy_when_reliable"] is not None else ""))
            elif m == "critique":
                extra = f"regenerated {v['regenerated']}/{v['n']}, mean score {v['mean_score']}"
            elif m == "fewshot":
                extra = f"lookup {v['lookup_ms_mean']} ms mean"
            lines.append(f"{name:10s} {m:9s} {v['accuracy']:8.3f} {v['latency_x']:9.2f} {v['tokens']:7d}  {extra}")
    return "\n".join(lines)


def main(limit: int | None, modifiers: list[str], max_tokens: int, as_json: bool, out: str | None,
         critique: bool = True, fewshot: bool = True, lookup_only: bool = False, threads: int | None = None,
         consistency: bool = True) -> int:
    if lookup_only:
        from runtime.embedder import Embedder
        from runtime.fewshot import ExampleBank

        settings = Settings()
        embedder = Embedder()
        manifest = getattr(settings, "tools_manifest", str(REPO_ROOT / "artifacts" / "tools" / "manifest.json"))
        res = lookup_latency(ExampleBank.load(manifest, settings.cache_dir, embedder), lookup_queries())
        print(json.dumps(res) if as_json else "\n".join(f"{k:18s} {v}" for k, v in res.items()))
        return 0
    mods = [None if m in ("none", "base", "") else m for m in (modifiers or ["none"])]
    result = run(limit, mods, max_tokens, critique=critique, fewshot=fewshot, threads=threads, consistency=consistency)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    if as_json:
        print(json.dumps({k: v for k, v in result.items() if k != "settings"}
                         | {"settings": {n: s["summary"] for n, s in result["settings"].items()}}, default=str))
    else:
        print(render(result))
    return 0
