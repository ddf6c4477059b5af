"""``curate``: one clean instruction/response dataset per domain, in the standard format.

Filters, in order, each counted per domain: malformed records, length bounds
(characters, then tokens under the chat template), PII, offensive content,
MinHash near-duplicates (Jaccard >= 0.8, across all domains, first kept) and
near-duplicates of any held-out eval prompt (decontamination), then a
reference-model perplexity filter (the dense base scores each response given
its instruction; the most surprising tail per domain is dropped).
Each domain is split into ``probe`` (what ``failures`` runs the base on),
``val`` (early stopping) and ``train``.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, execute

SUMMARY = "filter + dedup + decontaminate + perplexity-filter the domain datasets; split probe/val/train"
REQUIRES = ("base",)


@dataclass
class Config(PhaseConfig):
    min_instruction_chars: int = 2  # "Hi!" is a fine chat turn
    max_instruction_chars: int = 4000
    min_response_chars: int = 1
    max_response_chars: int = 8000
    max_tokens: int = 512  # prompt + response under the chat template; longer examples are dropped
    pii_filter: bool = True
    offensive_filter: bool = True
    dedup_threshold: float = 0.8
    decontaminate: bool = True  # drop near-duplicates of held-out eval prompts
    max_per_domain: int = 0  # 0 = all; otherwise a seeded sample (taken before the perplexity filter)
    ppl_filter: bool = True
    ppl_max_tokens: int = 256  # tokens scored per example
    ppl_drop_top: float = 0.05  # per domain, drop this fraction with the highest perplexity
    ppl_max: float = 1000.0  # and any example above this perplexity
    ppl_batch: int = 16
    probe_n: int = 32  # per modifier domain: examples the base is tested on in `failures`
    val_n: int = 24  # per domain: validation examples


def _inputs(config: Config) -> list[Path]:
    return config.domain_files()


def _body(ctx: PhaseContext) -> dict:
    from pipeline import filters
    from pipeline.basemodel import read_base
    from pipeline.evalsets import eval_texts
    from pipeline.minhash import near_duplicates
    from pipeline.scoring import scorable
    from pipeline.textdata import Item, read_jsonl, standardize, write_jsonl

    cfg: Config = ctx.config
    specs = cfg.domain_specs()
    if not specs:
        raise ValueError("no domains configured")
    rng = random.Random(cfg.seed)
    reasons: dict[str, Counter] = {d: Counter() for d in specs}
    rejected: list[dict] = []
    records: list[dict] = []
    for name, spec in specs.items():
        if not spec.train:
            continue
        path = Path(spec.train)
        if not path.is_file():
            raise FileNotFoundError(f"domain {name!r}: dataset {path} not found")
        raw = read_jsonl(path)
        reasons[name]["read"] = len(raw)
        for i, r in enumerate(raw):
            rec = standardize(r, name, f"curated:{path.name}", i)
            why = None
            if rec is None:
                why = "malformed"
            else:
                why = filters.length_reason(rec["instruction"], rec["response"],
                                            min_instruction=cfg.min_instruction_chars,
                                            max_instruction=cfg.max_instruction_chars,
                                            min_response=cfg.min_response_chars, max_response=cfg.max_response_chars)
                text = rec["instruction"] + "\n" + rec["response"]
                if not why and cfg.pii_filter:
                    why = filters.pii_reason(text)
                if not why and cfg.offensive_filter:
                    why = filters.offensive_reason(text)
            if why:
                reasons[name][why.split(":")[0] if why.startswith("offensive") else why] += 1
                rejected.append({"domain": name, "id": (rec or r).get("id"), "reason": why})
            else:
                records.append(rec)

    # Near-duplicates across all domains, and against every held-out eval prompt.
    refs = eval_texts(specs) if cfg.decontaminate else []
    texts = [r["instruction"] + "\n" + r["response"] for r in records]
    drop_dup = set(near_duplicates(texts, cfg.dedup_threshold))
    drop_contam = set()
    if refs:
        drop_contam = set(near_duplicates([r["instruction"] for r in records], cfg.dedup_threshold,
                                          reference=refs)) - drop_dup
    kept = []
    for i, r in enumerate(records):
        if i in drop_dup or i in drop_contam:
            why = "near_duplicate" if i in drop_dup else "eval_contamination"
            reasons[r["domain"]][why] += 1
            rejected.append({"domain": r["domain"], "id": r["id"], "reason": why})
        else:
            kept.append(r)
    ctx.log.info("curate: %d records after rule filters, %d near-duplicates, %d eval-contaminated", len(records),
                 len(drop_dup), len(drop_contam))

    base = read_base(ctx.upstream("base"), "base")
    from pipeline.lora import encode_example, example_nlls, load_dense

    model, tok = load_dense(base.model_dir, cfg.resolved_threads())
    by_domain: dict[str, list[dict]] = {d: [] for d in specs}
    for r in kept:
        n_tok = len(encode_example(tok, r["instruction"], r["response"], 10**9).input_ids)
        if n_tok > cfg.max_tokens:
            reasons[r["domain"]]["length:tokens"] += 1
            rejected.append({"domain": r["domain"], "id": r["id"], "reason": "length:tokens"})
            continue
        r["tokens"] = n_tok
        by_domain[r["domain"]].append(r)
    for name in by_domain:
        if cfg.max_per_domain and len(by_domain[name]) > cfg.max_per_domain:
            reasons[name]["sampled_out"] += len(by_domain[name]) - cfg.max_per_domain
            by_domain[name] = rng.sample(by_domain[name], cfg.max_per_domain)

    ppl_stats = {}
    if cfg.ppl_filter:
        for name, recs in by_domain.items():
            if not recs:
                continue
            enc = [encode_example(tok, r["instruction"], r["response"], cfg.ppl_max_tokens) for r in recs]
            nll = example_nlls(model, enc, tok.pad_token_id, cfg.ppl_batch,
                               progress=lambda it, d, n=name: ctx.progress(it, f"{n} perplexity"))
            ppl = [math.exp(min(x, 50.0)) if x == x else float("inf") for x in nll]
            n_drop = int(len(recs) * cfg.ppl_drop_top)
            worst = set(sorted(range(len(recs)), key=lambda i: -ppl[i])[:n_drop])
            keep = []
            for i, (r, p) in enumerate(zip(recs, ppl, strict=True)):
                r["ppl"] = round(p, 3)
                if i in worst or p > cfg.ppl_max:
                    reasons[name]["perplexity"] += 1
                    rejected.append({"domain": name, "id": r["id"], "reason": f"perplexity:{p:.1f}"})
                else:
                    keep.append(r)
            order = sorted(ppl)
            limit = max((r["ppl"] for r in keep), default=0.0)
            by_domain[name] = keep
            ppl_stats[name] = {"median": round(order[len(order) // 2], 2), "cutoff": round(limit, 2),
                               "max": round(order[-1], 2)}
            ctx.log.info("curate: %s perplexity median %.2f, cutoff %.2f", name, order[len(order) // 2], limit)
    del model

    metrics: dict = {"domains": {}, "ppl": ppl_stats}
    for name, spec in specs.items():
        recs = by_domain.get(name, [])
        rng.shuffle(recs)
        probe = []
        if spec.modifier:
            able = [r for r in recs if scorable(Item.from_record(r, name), spec.probe)]
            probe = able[:cfg.probe_n]
        probe_ids = {r["id"] for r in probe}
        rest = [r for r in recs if r["id"] not in probe_ids]
        val, train = rest[:cfg.val_n], rest[cfg.val_n:]
        d = ctx.out / name
        for split, rows in (("train", train), ("val", val), ("probe", probe)):
            write_jsonl(d / f"{split}.jsonl", rows)
            ctx.add_artifact(f"{name}/{split}", "dataset", f"{name}/{split}.jsonl", domain=name, rows=len(rows))
        stats = dict(reasons[name])
        stats.update({"train": len(train), "val": len(val), "probe": len(probe),
                      "difficulty": dict(Counter(r["difficulty"] for r in recs))})
        metrics["domains"][name] = stats
        ctx.log.info("curate: %s -> %s", name, stats)
    write_jsonl(ctx.out / "rejected.jsonl", rejected)
    metrics["rejected"] = len(rejected)
    return metrics


def main(config: Config):
    return execute("curate", config, _body, requires=REQUIRES, inputs=_inputs(config),
                   code=["pipeline.filters", "pipeline.minhash", "pipeline.textdata", "pipeline.evalsets",
                         "pipeline.lora"])
