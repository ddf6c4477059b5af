"""``prune``: SparseGPT (llm-compressor's ``SparseGPTModifier``) 2:4 sparsity on the dense base, a grid over
attention / feed-forward sparsity scored by the reference formula, and recovery fine-tuning that keeps the mask.

Attention (q/k/v/o) and feed-forward (gate/up/down) Linears are pruned to their own levels, each by its
own ``SparseGPTModifier`` in one ``oneshot`` pass (``lm_head`` and the tied embeddings never). With an
N:M ``mask_structure`` (default ``2:4``) a level is 0 (that group stays dense) or N/M; with ``0:0`` it is
any unstructured fraction. Every candidate of ``grid`` ([attention, ffn] pairs) is pruned one-shot from
the dense model on the same calibration samples and scored

    score = (0.4 * quality_a + 0.4 * quality_b) - size_MB / 2000

with quality_a = exp(-NLL) of held-out general examples and quality_b = exp(-NLL) of the domains'
held-out eval references (``pipeline.compression_data``: 1 / perplexity, higher is better) and size_MB
the model stored sparse at 16 bits (``pipeline.sparsity.sparse_size_mb``: the 2:4 layout is
(values / 2) + 2 index bits per kept value). That size is what a sparse format would store; the HF
checkpoint written here is dense (llm-compressor saves 2:4 dense; the sparse compressed format was
removed upstream) and GGUF is dense too, so downstream files do not shrink from sparsity alone.

The best candidate is then recovered: ``recovery_steps`` of AdamW on the pruned Linears with the mask
kept (``pipeline.sparsity.masked_finetune``; zeros counted before and after, a lost zero fails the
phase). ``schedule: gradual`` re-prunes the winner from the dense model in ``gradual_stages`` steps of a
cubic schedule (Zhu & Gupta 2017: level * (1 - (1 - k/K)^3); unstructured before the last stage, the
configured structure at the last, earlier zeros preserved), the recovery steps split between stages.

Output: ``model/`` (dense HF safetensors + tokenizer, no quantization config: ``quantize`` and GGUF
export read it like the base's) and ``base.json`` naming it (``pipeline.basemodel.read_base`` reads it).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from fractions import Fraction

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, execute, write_json

SUMMARY = "SparseGPT 2:4 on attention / FFN, grid scored by 0.4qa+0.4qb-MB/2000, masked recovery fine-tune"
REQUIRES = ("base",)
CODE = ["pipeline.sparsity", "pipeline.compression_data", "pipeline.lora", "pipeline.basemodel"]


@dataclass
class Config(PhaseConfig):
    mask_structure: str = "2:4"  # N:M, or 0:0 (unstructured)
    attention_sparsity: float = 0.5  # used when `grid` is empty
    ffn_sparsity: float = 0.5
    grid: list[list[float]] = field(default_factory=lambda: [[0.5, 0.5], [0.0, 0.5], [0.5, 0.0]])
    schedule: str = "oneshot"  # oneshot | gradual
    gradual_stages: int = 3
    calibration_samples: int = 64
    calibration_max_len: int = 256
    dampening_frac: float = 0.01
    block_size: int = 128
    recovery_steps: int = 20
    recovery_lr: float = 2e-5
    recovery_batch_size: int = 4
    recovery_max_len: int = 256
    recovery_samples: int = 256  # drawn like the calibration samples, with another seed
    general_domain: str = "general"
    general_heldout: int = 24  # general examples kept out of calibration/recovery for quality_a
    quality_per_domain: int = 16  # eval items per domain for quality_b (0 = all)
    quality_max_len: int = 256
    value_bytes: int = 2  # bytes per stored value in size_MB (16-bit)


def parse_structure(s: str) -> tuple[int, int]:
    try:
        n, m = (int(x) for x in str(s).split(":"))
    except ValueError as e:
        raise PhaseError(f"prune: mask_structure must be N:M (e.g. 2:4) or 0:0, not {s!r}") from e
    if (n, m) != (0, 0) and not 0 < n < m:
        raise PhaseError(f"prune: mask_structure {s!r}: need 0 < N < M (or 0:0 for unstructured)")
    return n, m


def check_level(level: float, structure: tuple[int, int], what: str) -> None:
    n, m = structure
    if n:
        if level not in (0, 0.0) and Fraction(level).limit_denominator(1000) != Fraction(n, m):
            raise PhaseError(f"prune: {what} sparsity {level} is not possible with mask {n}:{m}: use 0 (dense) "
                             f"or {n / m:g}, or mask_structure 0:0 for unstructured levels")
    elif not 0 <= level < 1:
        raise PhaseError(f"prune: {what} sparsity {level} must be in [0, 1)")


def candidates(cfg: Config) -> list[dict[str, float]]:
    structure = parse_structure(cfg.mask_structure)
    raw = cfg.grid or [[cfg.attention_sparsity, cfg.ffn_sparsity]]
    out = []
    for pair in raw:
        if len(pair) != 2:
            raise PhaseError(f"prune: grid entries are [attention, ffn] pairs, got {pair!r}")
        c = {"attention": float(pair[0]), "ffn": float(pair[1])}
        for g, level in c.items():
            check_level(level, structure, g)
        if c not in out:
            out.append(c)
    return out


def gradual_levels(level: float, stages: int) -> list[float]:
    """Cubic schedule: level * (1 - (1 - k/K)^3) for k = 1..K (the last equals ``level``)."""
    return [round(level * (1 - (1 - k / stages) ** 3), 6) for k in range(1, stages + 1)]


def sparsegpt(model, tok, dataset, levels: dict[str, float], structure: str, cfg: Config, *,
              preserve: bool = False) -> None:
    """One ``oneshot`` pass: a ``SparseGPTModifier`` per target group with a non-zero level."""
    from llmcompressor import oneshot
    from llmcompressor.modifiers.pruning import SparseGPTModifier

    from pipeline.sparsity import GROUPS

    recipe = [SparseGPTModifier(sparsity=level, mask_structure=structure, targets=[GROUPS[g]], ignore=["lm_head"],
                                dampening_frac=cfg.dampening_frac, block_size=cfg.block_size,
                                preserve_sparsity_mask=preserve)
              for g, level in levels.items() if level > 0]
    if recipe:
        oneshot(model=model, dataset=dataset, recipe=recipe, processor=tok, num_calibration_samples=len(dataset),
                max_seq_length=cfg.calibration_max_len, shuffle_calibration_samples=False)


def pruned_names(model, levels: dict[str, float]) -> list[str]:
    from pipeline.sparsity import group_modules

    return [n for g, level in levels.items() if level > 0 for n in group_modules(model, g)]


def _evaluate(model, tok, sets, masks, cfg: Config, nm) -> dict:
    from pipeline.compression_data import measure_quality
    from pipeline.sparsity import grid_score, sparse_size_mb

    q = measure_quality(model, tok, sets, cfg.quality_max_len)
    size = sparse_size_mb(model, masks, cfg.value_bytes, nm)
    qa, qb = q["general"]["quality"] or 0.0, q["domain"]["quality"] or 0.0
    zeros = sum(int((~k).sum()) for k in masks.values())
    total = sum(k.numel() for k in masks.values())
    return {"quality": q, "quality_a": qa, "quality_b": qb, "size_mb": size,
            "score": round(grid_score(qa, qb, size), 6),
            "target_sparsity": round(zeros / total, 6) if total else 0.0}


def _body(ctx: PhaseContext) -> dict:
    import time

    import torch

    from pipeline.basemodel import read_base
    from pipeline.compression_data import calibration_dataset, compression_data, stratified_sample
    from pipeline.lora import load_dense
    from pipeline.sparsity import (
        RecoveryParams,
        SparsityViolation,
        capture_masks,
        masked_finetune,
        nm_violations,
    )

    cfg: Config = ctx.config
    nm = parse_structure(cfg.mask_structure)
    cands = candidates(cfg)
    if cfg.schedule not in ("oneshot", "gradual"):
        raise PhaseError(f"prune: schedule must be oneshot or gradual, not {cfg.schedule!r}")
    base_dir = ctx.upstream("base")
    base = read_base(base_dir, "base")
    dense, tok = load_dense(base.model_dir, cfg.threads)
    data = compression_data(cfg, calibration_n=cfg.calibration_samples, general_domain=cfg.general_domain,
                            general_heldout=cfg.general_heldout, domain_per_set=cfg.quality_per_domain, seed=cfg.seed)
    if not data.general or not data.domain:
        raise PhaseError(f"prune: quality_a needs held-out {cfg.general_domain!r} examples and quality_b domain eval "
                         f"sets with references; got {len(data.general)} and {len(data.domain)}")
    sets = {"general": data.general, "domain": data.domain}
    calib = calibration_dataset(tok, data.calibration, cfg.calibration_max_len)
    ctx.log.info("prune: %d calibration samples over %d (domain, difficulty) groups %s; quality sets general %d, "
                 "domain %d", len(calib), data.info["calibration_groups"], data.info["calibration_by_domain"],
                 len(data.general), len(data.domain))
    dense_eval = _evaluate(dense, tok, sets, {}, cfg, nm)
    ctx.log.info("prune: dense: score %.5f (qa %.5f, qb %.5f, %.1f MB)", dense_eval["score"], dense_eval["quality_a"],
                 dense_eval["quality_b"], dense_eval["size_mb"])

    grid_rows, best, best_model = [], None, None
    for c in ctx.progress(cands, "grid", total=len(cands)):
        t0 = time.perf_counter()
        model = copy.deepcopy(dense)
        sparsegpt(model, tok, calib, c, cfg.mask_structure if nm[0] else "0:0", cfg)
        masks = capture_masks(model, pruned_names(model, c))
        row = {"levels": c, **_evaluate(model, tok, sets, masks, cfg, nm), "seconds": round(time.perf_counter() - t0, 1)}
        grid_rows.append(row)
        ctx.log.info("prune: grid %s: score %.5f (qa %.5f, qb %.5f, %.1f MB, %.1f s)", c, row["score"],
                     row["quality_a"], row["quality_b"], row["size_mb"], row["seconds"])
        if best is None or row["score"] > best["score"]:
            best, best_model = row, model
        else:
            del model
    levels = best["levels"]
    names = pruned_names(dense, levels)
    recovery = RecoveryParams(steps=cfg.recovery_steps, lr=cfg.recovery_lr, batch_size=cfg.recovery_batch_size,
                              max_len=cfg.recovery_max_len)
    rec_data = stratified_sample(data.pool, cfg.recovery_samples, cfg.seed + 1)
    stages = []
    t0 = time.perf_counter()
    if cfg.schedule == "gradual" and cfg.gradual_stages > 1 and names:
        model = copy.deepcopy(dense)
        per_group = {g: gradual_levels(lv, cfg.gradual_stages) for g, lv in levels.items()}
        for k in range(cfg.gradual_stages):
            last = k == cfg.gradual_stages - 1
            stage_levels = {g: per_group[g][k] for g in levels}
            sparsegpt(model, tok, calib, stage_levels, cfg.mask_structure if last and nm[0] else "0:0", cfg,
                      preserve=k > 0)
            masks = capture_masks(model, names)
            steps = cfg.recovery_steps // cfg.gradual_stages + (cfg.recovery_steps % cfg.gradual_stages if last else 0)
            rec = masked_finetune(model, tok, rec_data, masks,
                                  RecoveryParams(**{**recovery.__dict__, "steps": steps}), seed=cfg.seed + k,
                                  progress=ctx.progress, log=ctx.log)
            stages.append({"levels": stage_levels, "structure": cfg.mask_structure if last else "0:0",
                           "recovery": rec})
        recovered = stages[-1]["recovery"]
    else:
        model = best_model
        masks = capture_masks(model, names)
        recovered = masked_finetune(model, tok, rec_data, masks, recovery, seed=cfg.seed, progress=ctx.progress,
                                    log=ctx.log)
    masks = capture_masks(model, names)
    final = _evaluate(model, tok, sets, masks, cfg, nm)
    if nm[0]:
        mods = dict(model.named_modules())
        bad = {n: v for n in names if (v := nm_violations(mods[n].weight, *nm))}
        if bad:
            raise SparsityViolation(f"prune: {nm[0]}:{nm[1]} pattern broken in {len(bad)} Linears: {bad}")

    # Save through a fresh copy of the base: only the pruned Linears differ, and no llm-compressor state
    # (recipes, compression hooks, quantization config) leaks into the checkpoint.
    from transformers import AutoModelForCausalLM

    out_model = AutoModelForCausalLM.from_pretrained(str(base.model_dir), dtype=torch.float32)
    fresh, pruned = dict(out_model.named_modules()), dict(model.named_modules())
    with torch.no_grad():
        for n in names:
            fresh[n].weight.copy_(pruned[n].weight)
    out_dir = ctx.out / "model"
    out_model.save_pretrained(str(out_dir))
    tok.save_pretrained(str(out_dir))
    write_json(ctx.out / "base.json", {"gguf": str(base.gguf), "gguf_sha256": base.gguf_sha256, "model_dir": "model",
                                       "arch": base.arch, "n_head": base.n_head, "n_head_kv": base.n_head_kv,
                                       "n_layer": base.n_layer, "produced_by": "prune",
                                       "parent_model_dir": os.path.relpath(base.model_dir, ctx.out)})
    metrics = {"mask_structure": cfg.mask_structure, "schedule": cfg.schedule, "levels": levels,
               "calibration": data.info, "dense": dense_eval, "grid": grid_rows, "chosen": best,
               "recovery": recovered, "gradual_stages": stages, "final": final,
               "recovery_seconds": round(time.perf_counter() - t0, 1), "pruned_linears": len(names),
               "checkpoint_format": "dense HF safetensors (zeros stored as zeros)",
               "size_note": "size_mb = sparse storage at value_bytes per value; the checkpoint itself is dense"}
    ctx.add_artifact("pruned", "base", "model/model.safetensors", base_sha256=base.gguf_sha256,
                     sparsity={"structure": cfg.mask_structure, "levels": levels,
                               "target_sparsity": final["target_sparsity"]},
                     format="hf-dense", metrics={k: final[k] for k in ("quality_a", "quality_b", "size_mb", "score")})
    metrics["dense_scores_higher"] = dense_eval["score"] > final["score"]
    ctx.log.info("prune: chose %s; after recovery score %.5f (qa %.5f, qb %.5f), dense %.5f", levels, final["score"],
                 final["quality_a"], final["quality_b"], dense_eval["score"])
    if metrics["dense_scores_higher"]:
        ctx.log.warning("prune: by the grid formula the unpruned model scores higher (%.5f > %.5f): the sparsity "
                        "costs more quality than its size saves", dense_eval["score"], final["score"])
    return metrics


def main(config: Config):
    return execute("prune", config, _body, requires=REQUIRES, inputs=_inputs(config), code=CODE)


def _inputs(config: PhaseConfig):
    return config.domain_files()
