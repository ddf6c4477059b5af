"""``recover``: a LoRA fine-tune of the compressed model on its hardest training examples, merged back into
the weights, kept only when held-out perplexity improves.

Input (``source: auto``): the newest model the compression phases left in this work dir, picked by
``export_gguf.resolve_source`` (``quantize``, then ``prune``, then ``finetune_base``/``base``; ``recover``
itself excluded). ``quantize`` names its ``dense/`` checkpoint in ``base.json`` (the W4A16 weights
dequantized, float32 on the 4-bit grid): that is what is fine-tuned, because its compressed-tensors
``model/`` cannot take gradients. A checkpoint that still carries a ``quantization_config`` is refused.

Hardest examples: the mean response-token NLL of every training record the compression phases draw
from (``pipeline.compression_data``'s pool: the domains' training files minus held-out general examples
and eval prompts; ``max_scored`` > 0 scores a stratified sample of that size); the top ``hard_fraction``
(2%), at least ``min_examples``, are the training set (plus ``rehearsal`` general ones). Training is
``pipeline.lora.train_lora`` (the loop ``train_lora`` and ``finetune_base`` use); its checkpoint is picked
on ``early_stop_n`` other pool examples (``checkpoint: best``, step 0 = the unchanged model, included) or
is the last one (``checkpoint: last``).

Merge: peft's ``merge_and_unload`` (W + B.A.alpha/r). Every targeted Linear whose zeros form an N:M
pattern (``mask_structure``, 2:4; what ``prune`` leaves) has its mask captured before training and
multiplied back after the merge; zeros are counted (``pipeline.sparsity``) and a lost one fails the phase.

Keep or roll back: token-weighted perplexity of the reference answers of the held-out sets the other
compression phases use (general held-out examples + the domains' eval references), both models in fp32.
The merged model is kept only when it is lower by more than ``min_improvement`` (relative); otherwise the
input directory is copied unchanged (byte for byte) and ``kept: input`` recorded with both numbers.

Output: ``model/`` (HF safetensors + tokenizer) and ``base.json`` naming it, which ``export_gguf`` reads.
The merged weights are no longer on the 4-bit grid when the input was quantized: ``export_gguf``
quantizes again (Q5_K_M); running ``quantize`` on it would need ``quantize.source: recover``.

Measured Dec 2 on SmolLM2-135M (prune 2:4 everywhere -> GPTQ W4A16 -> its ``dense/``; tiny preset: 200 records
scored, 32 hardest -- NLL 4.29-6.12 against a median of 2.92; automation 13, general 15, reasoning 4 --, 20
steps r=8 on every projection, 1 thread at load 5-7): held-out perplexity 43.25 -> 40.12 (-7.2%, 48 items),
kept; all 210 Linears carried the 2:4 pattern, the raw merge filled every masked zero and the re-applied
mask zeroed them again (53.7 M zeros before and after); 266 s (112 s of it scoring).
"""

from __future__ import annotations

import math
import os
import random
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, execute, read_json, write_json
from pipeline.lora import LoraParams

SUMMARY = "LoRA on the compressed model's hardest 2% (perplexity), merged (2:4 mask kept), kept if held-out ppl drops"
REQUIRES: tuple[str, ...] = ()
CODE = ["pipeline.lora", "pipeline.sparsity", "pipeline.compression_data", "pipeline.phases.export_gguf"]


@dataclass
class Config(PhaseConfig, LoraParams):
    source: str = "auto"  # auto | quantize | prune | finetune_base | base | a path to an HF model directory
    hard_fraction: float = 0.02
    min_examples: int = 32
    max_scored: int = 0  # score a stratified sample of this many pool records (0 = all)
    early_stop_n: int = 24  # pool records (not hard ones) that pick the checkpoint
    checkpoint: str = "best"  # best (lowest early-stop loss; may be step 0) | last
    mask_structure: str = "2:4"  # N:M pattern whose zeros are kept through the merge | none
    min_improvement: float = 0.0  # relative held-out perplexity drop needed to keep the merged model
    general_domain: str = "general"
    general_heldout: int = 24
    quality_per_domain: int = 16
    quality_max_len: int = 256
    # LoRA defaults for a few dozen examples (LoraParams' are for a domain's training set)
    lr: float = 1e-4
    max_steps: int = 30
    batch_size: int = 4
    eval_every: int = 10
    rehearsal: float = 0.1


def resolve_input(cfg: Config) -> tuple[Path, str | None]:
    from pipeline.phases.export_gguf import SOURCE_PHASES, resolve_source

    model_dir, phase = resolve_source(cfg, tuple(p for p in SOURCE_PHASES if p != "recover"), who="recover")
    qcfg = (read_json(model_dir / "config.json") or {}).get("quantization_config")
    if qcfg:
        kind = qcfg.get("format") or qcfg.get("quant_method")
        raise PhaseError(f"recover: {model_dir} is a quantized checkpoint ({kind}) that cannot be fine-tuned; "
                         "point recover.source at its dense (dequantized) copy")
    return model_dir, phase


# -- hard examples -----------------------------------------------------------------------------------
def select_hard(nlls: list[float], fraction: float, min_examples: int) -> list[int]:
    """Indices of the highest-NLL examples, hardest first: ``ceil(fraction * n)``, at least ``min_examples``."""
    scored = [i for i, x in enumerate(nlls) if math.isfinite(x)]
    k = min(len(scored), max(min_examples, math.ceil(fraction * len(scored))))
    return sorted(scored, key=lambda i: (-nlls[i], i))[:k]


def example_nll(model, tok, records: list[dict[str, Any]], max_len: int, progress=None) -> list[float]:
    from pipeline.lora import encode_example, example_nlls

    enc = [encode_example(tok, r["instruction"], r["response"], max_len) for r in records]
    return example_nlls(model, enc, tok.pad_token_id, batch_size=8, progress=progress, precision="fp32")


def heldout_perplexity(model, tok, pairs: list[dict[str, str]], max_len: int) -> dict[str, float]:
    """Token-weighted NLL / perplexity of the reference answers (fp32: both models measured the same way)."""
    from pipeline.lora import encode_example, evaluate_loss

    enc = [encode_example(tok, p["instruction"], p["response"], max_len) for p in pairs]
    nll = evaluate_loss(model, enc, tok.pad_token_id, batch_size=8, precision="fp32")
    return {"n": len(pairs), "nll": round(nll, 6), "ppl": round(math.exp(min(nll, 50.0)), 5)}


# -- masks and merging ---------------------------------------------------------------------------------
def nm_masks(model, structure: str, targets: list[str]) -> dict[str, Any]:
    """Keep-masks of the targeted Linears whose zeros already form the N:M pattern (a pruned model's)."""
    import torch

    from pipeline.sparsity import capture_masks, nm_violations

    if structure in ("", "none", "0:0"):
        return {}
    n, m = (int(x) for x in structure.split(":"))
    names = [name for name, mod in model.named_modules()
             if isinstance(mod, torch.nn.Linear) and name.rsplit(".", 1)[-1] in targets
             and mod.weight.shape[1] % m == 0 and nm_violations(mod.weight, n, m) == 0]
    return capture_masks(model, names)


def merge(pm, masks: dict[str, Any]) -> tuple[Any, dict[str, int]]:
    """peft merge (W + B.A.scale), then every mask multiplied back; zeros counted, a lost one is an error."""
    import torch

    from pipeline.sparsity import SparsityViolation, zeros_count

    model = pm.merge_and_unload()
    raw = zeros_count(model, masks) if masks else {"violations": 0}
    mods = dict(model.named_modules())
    with torch.no_grad():
        for n, keep in masks.items():
            mods[n].weight.mul_(keep)
    after = zeros_count(model, masks) if masks else {"zeros": 0, "masked": 0, "violations": 0}
    if after["violations"] or after["zeros"] < after["masked"]:
        raise SparsityViolation(f"recover: {after['violations']} masked weights non-zero after the merge")
    return model, {"masked_linears": len(masks), "masked": after["masked"], "zeros_after": after["zeros"],
                   "nonzero_before_reapply": raw["violations"], "violations": after["violations"]}


# -- the phase ------------------------------------------------------------------------------------------
def _body(ctx: PhaseContext) -> dict:
    import time

    from pipeline.compression_data import compression_data, stratified_sample
    from pipeline.lora import load_dense, lora_params_of, mix_rehearsal, train_lora

    cfg: Config = ctx.config
    if not 0 < cfg.hard_fraction <= 1 or cfg.checkpoint not in ("best", "last"):
        raise PhaseError("recover: hard_fraction must be in (0, 1] and checkpoint best | last")
    model_dir, phase = resolve_input(cfg)
    t0 = time.perf_counter()
    data = compression_data(cfg, calibration_n=0, general_domain=cfg.general_domain,
                            general_heldout=cfg.general_heldout, domain_per_set=cfg.quality_per_domain, seed=cfg.seed)
    validation = data.general + data.domain
    if not validation:
        raise PhaseError("recover: no held-out examples (general held-out or domain eval references) to validate on")
    pool = data.pool if not cfg.max_scored else stratified_sample(data.pool, cfg.max_scored, cfg.seed + 2)
    model, tok = load_dense(model_dir, cfg.threads)
    masks = nm_masks(model, cfg.mask_structure, list(cfg.targets))
    before = heldout_perplexity(model, tok, validation, cfg.quality_max_len)
    nlls = example_nll(model, tok, pool, cfg.max_len, progress=ctx.progress)
    del model
    hard_idx = select_hard(nlls, cfg.hard_fraction, cfg.min_examples)
    hard = [pool[i] for i in hard_idx]
    hard_ids = {r["id"] for r in hard}
    rest = [r for r in pool if r["id"] not in hard_ids]
    rng = random.Random(cfg.seed)
    early = rng.sample(rest, min(cfg.early_stop_n, len(rest)))
    early_ids = {r["id"] for r in early}
    general = [r for r in rest if r["domain"] == cfg.general_domain and r["id"] not in early_ids]
    train = mix_rehearsal(hard, general, cfg.rehearsal, rng)
    finite = sorted(x for x in nlls if math.isfinite(x))
    ctx.log.info("recover: %s (%s); %d pool records scored (NLL median %.3f), %d hardest (NLL >= %.3f) + %d "
                 "rehearsal; held-out ppl %.4f on %d", model_dir, phase or "path", len(pool), finite[len(finite) // 2],
                 len(hard), nlls[hard_idx[-1]], len(train) - len(hard), before["ppl"], len(validation))
    score_seconds = round(time.perf_counter() - t0, 1)

    select = (lambda c, b: c.step) if cfg.checkpoint == "last" else None
    res = train_lora(model_dir, train, {"early_stop": early, "hard": hard}, lora_params_of(cfg), primary="early_stop",
                     threads=cfg.threads, seed=cfg.seed, select=select, progress=ctx.progress)
    merged, mask_info = merge(res.model, masks)
    merged.eval()
    after = heldout_perplexity(merged, tok, validation, cfg.quality_max_len)
    keep = after["nll"] < before["nll"] and after["ppl"] < before["ppl"] * (1 - cfg.min_improvement)
    out_dir = ctx.out / "model"
    if keep:
        merged.config.use_cache = True
        merged.save_pretrained(str(out_dir))
        tok.save_pretrained(str(out_dir))
    else:
        shutil.copytree(model_dir, out_dir, dirs_exist_ok=True)
    src_info = read_json(ctx.workdir / phase / "base.json") if phase else None
    write_json(ctx.out / "base.json", {**(src_info or {}), "model_dir": "model", "produced_by": "recover",
                                       "kept": "merged" if keep else "input",
                                       "parent_model_dir": os.path.relpath(model_dir, ctx.out)})
    rel = (after["ppl"] - before["ppl"]) / before["ppl"]
    ctx.log.info("recover: held-out perplexity %.4f -> %.4f (%+.2f%%): %s", before["ppl"], after["ppl"], 100 * rel,
                 "merged model kept" if keep else "input kept unchanged")
    metrics = {"source": str(model_dir), "source_phase": phase, "kept": "merged" if keep else "input",
               "validation_before": before, "validation_after": after, "validation_rel_change": round(rel, 6),
               "validation_sets": {"general_heldout": len(data.general), "domain_references": len(data.domain)},
               "scored": len(pool), "pool": len(data.pool), "hard_examples": len(hard),
               "hard_nll_min": round(nlls[hard_idx[-1]], 5), "hard_nll_max": round(nlls[hard_idx[0]], 5),
               "pool_nll_median": round(finite[len(finite) // 2], 5),
               "hard_by_domain": dict(sorted(Counter(r["domain"] for r in hard).items())),
               "hard_ids": [r["id"] for r in hard], "train_examples": len(train), "early_stop_examples": len(early),
               "lora": {"steps": res.steps, "selected_step": res.selected.step, "baseline_val": res.baseline,
                        "selected_val": res.selected.val, "trainable_params": res.trainable_params,
                        "stopped_early": res.stopped_early, "seconds": round(res.seconds, 1),
                        "history": res.history},
               "mask": mask_info, "score_seconds": score_seconds}
    ctx.add_artifact("recovered", "base", "model/model.safetensors", format="hf-dense", kept=metrics["kept"],
                     source=str(model_dir), metrics={"ppl_before": before["ppl"], "ppl_after": after["ppl"]})
    return metrics


def _requires(cfg: Config) -> tuple[str, ...]:
    try:
        _, phase = resolve_input(cfg)
    except PhaseError:
        return ("base",) if cfg.source == "auto" else ((cfg.source,) if "/" not in cfg.source else ())
    return (phase,) if phase else ()


def _inputs(cfg: Config) -> list[Path]:
    from pipeline.phases.export_gguf import SOURCE_PHASES

    return ([Path(cfg.source)] if cfg.source not in ("auto", *SOURCE_PHASES) else []) + cfg.domain_files()


def main(config: Config):
    return execute("recover", config, _body, requires=_requires(config), inputs=_inputs(config), code=CODE)
