"""Text for compressing the base: calibration samples across domains and difficulty, and the held-out
sets that say how much a compressed model lost.

Calibration (SparseGPT's and GPTQ's Hessians, AWQ's activation scales) and recovery fine-tuning draw
from the domains' *training* files, stratified: the (domain, difficulty) groups are visited round-robin
in a seeded order, so a few hundred samples cover every domain and every difficulty (automation is
mostly medium/hard, general mostly easy -- see ``data/README.md``) instead of mirroring the file sizes.
Prompts that are also held-out eval prompts are never drawn.

Quality is measured on two held-out sets, as ``exp(-mean token NLL)`` of the reference answer given
its prompt under the chat template (1 / perplexity, in (0, 1]; higher is better):

- ``general`` (quality_a): a seeded slice of the general domain's examples, kept out of calibration
  and recovery (``general_heldout`` of them);
- ``domain`` (quality_b): the domains' held-out eval sets (``pipeline.evalsets``), the reference
  being the item's reference response or its answer (HumanEval: prompt + canonical solution); items
  with neither (automation's expected tool calls) are left out and counted.

Perplexity, not the generation scorers of ``evaluate``: a grid search scores several models, and
generating answers to every eval item for each would take tens of minutes per model on 2 cores.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import PhaseConfig


@dataclass
class CompressionData:
    """Calibration / recovery records and the held-out quality sets, with what they contain."""

    calibration: list[dict[str, Any]]
    general: list[dict[str, str]]  # {"instruction", "response"}
    domain: list[dict[str, str]]
    pool: list[dict[str, Any]] = field(default_factory=list)  # every training record calibration may use
    info: dict[str, Any] = field(default_factory=dict)


def _train_records(config: PhaseConfig) -> list[dict[str, Any]]:
    from pipeline.textdata import read_jsonl, standardize

    out = []
    for name, spec in config.domain_specs().items():
        if not spec.train:
            continue
        path = Path(spec.train)
        if not path.is_file():
            raise FileNotFoundError(f"domain {name!r}: training data {path} not found")
        for i, r in enumerate(read_jsonl(path)):
            rec = standardize(r, name, path.name, i)
            if rec:
                out.append(rec)
    return out


def stratified_sample(records: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` records, round-robin over (domain, difficulty) groups in a seeded order; each group shuffled."""
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault((r["domain"], r.get("difficulty") or "unknown"), []).append(r)
    keys = sorted(groups)
    rng.shuffle(keys)
    for k in keys:
        rng.shuffle(groups[k])
    out: list[dict[str, Any]] = []
    depth = 0
    while len(out) < n and any(depth < len(groups[k]) for k in keys):
        for k in keys:
            if depth < len(groups[k]) and len(out) < n:
                out.append(groups[k][depth])
        depth += 1
    return out


def domain_references(config: PhaseConfig, per_domain: int, seed: int) -> tuple[list[dict[str, str]], dict]:
    """(prompt, reference) pairs from every domain's held-out eval set, and how many each gave/skipped."""
    from pipeline.evalsets import eval_items

    pairs, counts = [], {}
    for name, spec in config.domain_specs().items():
        if not spec.eval:
            continue
        items = eval_items(name, spec, seed=seed)
        usable = []
        for it in items:
            ref = it.reference or ("" if it.answer in (None, "") else str(it.answer))
            if ref.strip():
                usable.append({"instruction": it.prompt, "response": ref, "domain": name})
        random.Random(seed).shuffle(usable)
        chosen = usable[:per_domain] if per_domain else usable
        pairs += chosen
        counts[name] = {"used": len(chosen), "no_reference": len(items) - len(usable)}
    return pairs, counts


def compression_data(config: PhaseConfig, *, calibration_n: int, general_domain: str = "general",
                     general_heldout: int = 24, domain_per_set: int = 16, seed: int = 0) -> CompressionData:
    from pipeline.evalsets import eval_texts

    records = _train_records(config)
    held = set(eval_texts(config.domain_specs()))
    records = [r for r in records if r["instruction"] not in held]
    general = [r for r in records if r["domain"] == general_domain]
    random.Random(seed).shuffle(general)
    general_out = general[:general_heldout]
    out_ids = {r["id"] for r in general_out}
    pool = [r for r in records if r["id"] not in out_ids]
    calibration = stratified_sample(pool, calibration_n, seed)
    domain, domain_counts = domain_references(config, domain_per_set, seed)
    info = {
        "calibration_n": len(calibration),
        "calibration_by_domain": dict(Counter(r["domain"] for r in calibration)),
        "calibration_by_difficulty": dict(Counter(r.get("difficulty", "unknown") for r in calibration)),
        "calibration_groups": len({(r["domain"], r.get("difficulty")) for r in calibration}),
        "general_heldout_n": len(general_out),
        "domain_heldout": domain_counts,
    }
    return CompressionData(calibration, [_pair(r) for r in general_out], domain, pool, info)


def _pair(r: dict[str, Any]) -> dict[str, str]:
    return {"instruction": r["instruction"], "response": r["response"]}


def calibration_dataset(tok, records: list[dict[str, Any]], max_len: int):
    """A ``datasets.Dataset`` of chat-template token ids (prompt + response) for llm-compressor's ``oneshot``."""
    from datasets import Dataset

    from pipeline.lora import encode_example

    enc = [encode_example(tok, r["instruction"], r["response"], max_len) for r in records]
    return Dataset.from_dict({"input_ids": [e.input_ids for e in enc],
                              "attention_mask": [[1] * len(e.input_ids) for e in enc]})


def measure_quality(model, tok, sets: dict[str, list[dict[str, str]]], max_len: int = 256) -> dict[str, dict]:
    """Per set: token-weighted mean NLL of the reference answers, perplexity and quality = exp(-NLL)."""
    from pipeline.lora import encode_example, evaluate_loss

    out = {}
    for name, pairs in sets.items():
        if not pairs:
            out[name] = {"n": 0, "nll": None, "ppl": None, "quality": None}
            continue
        enc = [encode_example(tok, p["instruction"], p["response"], max_len) for p in pairs]
        nll = evaluate_loss(model, enc, tok.pad_token_id, batch_size=8)
        out[name] = {"n": len(pairs), "nll": round(nll, 5), "ppl": round(math.exp(min(nll, 50.0)), 4),
                     "quality": round(math.exp(-nll), 6)}
    return out
