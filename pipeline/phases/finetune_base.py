"""``finetune_base``: a better base for every modifier, at our scale (off in the tiny preset).

LoRA on the dense base over the curated target-domain data with a share of
general data rehearsed (``rehearsal``, default 10%) so it does not forget;
validation loss on the target domains and on general data after every
``eval_every`` steps; early stopping on the target loss; the checkpoint kept is
the one maximising ``0.7 * target gain + 0.3 * general retention`` (relative
validation-loss changes from the untrained base). The adapter is merged and the
model written as a GGUF (metadata and tokenizer from the served GGUF, q/k rows
in llama.cpp's rotary layout) and quantized by llama.cpp; the runtime loads it
before the phase finishes. QLoRA (4-bit) is used when a CUDA GPU and
bitsandbytes are present; on a CPU this is plain LoRA.

Always writes ``base.json``: downstream phases train and evaluate against the
base it names (the new one, or the original when disabled).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, execute, write_json
from pipeline.lora import LoraParams

SUMMARY = "optional: LoRA-finetune the base on curated data (70% gain / 30% retention), merge, export GGUF"
REQUIRES = ("base", "curate")


@dataclass
class Config(PhaseConfig, LoraParams):
    enabled: bool = False
    target_domains: list[str] = field(default_factory=list)  # empty = every modifier domain
    general_domain: str = "general"
    max_train: int = 0  # cap on target examples (0 = all)
    gain_weight: float = 0.7
    retention_weight: float = 0.3
    quant: str = "Q8_0"  # llama.cpp quantization of the exported GGUF (F16 = none)


def selection_score(val: dict[str, float], baseline: dict[str, float], *, gain_weight: float,
                    retention_weight: float) -> float:
    """``gain_weight * target gain + retention_weight * general retention`` from validation losses."""
    gain = (baseline["target"] - val["target"]) / baseline["target"]
    retention = (baseline["general"] - val["general"]) / baseline["general"] if "general" in val else 0.0
    return gain_weight * gain + retention_weight * retention


def _body(ctx: PhaseContext) -> dict:
    from pipeline.basemodel import read_base
    from pipeline.textdata import read_jsonl

    cfg: Config = ctx.config
    base_dir = ctx.upstream("base")
    base = read_base(base_dir, "base")
    if not cfg.enabled:
        write_json(ctx.out / "base.json", {"gguf": str(base.gguf), "gguf_sha256": base.gguf_sha256,
                                           "model_dir": os.path.relpath(base.model_dir, ctx.workdir / "finetune_base"),
                                           "arch": base.arch, "n_head": base.n_head, "n_head_kv": base.n_head_kv,
                                           "n_layer": base.n_layer, "produced_by": "base"})
        ctx.log.info("finetune_base: disabled; downstream phases use the base as is")
        return {"enabled": False}

    from pipeline.lora import export_model_gguf, lora_params_of, mix_rehearsal, train_lora
    from runtime.artifacts import sha256_file

    cur = ctx.upstream("curate")
    specs = cfg.domain_specs()
    targets = cfg.target_domains or [n for n, s in specs.items() if s.modifier]
    rng = random.Random(cfg.seed)
    train, val_target = [], []
    for d in targets:
        if not (cur / d / "train.jsonl").is_file():
            raise FileNotFoundError(f"finetune_base: no curated data for domain {d!r}")
        train += read_jsonl(cur / d / "train.jsonl")
        val_target += read_jsonl(cur / d / "val.jsonl")
    if cfg.max_train and len(train) > cfg.max_train:
        train = rng.sample(train, cfg.max_train)
    general_train = read_jsonl(cur / cfg.general_domain / "train.jsonl") if (
        cur / cfg.general_domain / "train.jsonl").is_file() else []
    val_general = read_jsonl(cur / cfg.general_domain / "val.jsonl") if (
        cur / cfg.general_domain / "val.jsonl").is_file() else []
    mixed = mix_rehearsal(train, general_train, cfg.rehearsal, rng)
    params = lora_params_of(cfg)
    qlora = _cuda_with_bnb()
    ctx.log.info("finetune_base: %d target + %d rehearsal examples, targets %s, %s", len(train),
                 len(mixed) - len(train), targets, "QLoRA 4-bit" if qlora else "LoRA (no CUDA/bitsandbytes)")

    def select(ck, baseline):
        return selection_score(ck.val, baseline, gain_weight=cfg.gain_weight, retention_weight=cfg.retention_weight)

    res = train_lora(base.model_dir, mixed, {"target": val_target, "general": val_general}, params,
                     primary="target", threads=cfg.threads, seed=cfg.seed, select=select,
                     progress=ctx.progress, keep_all=True, four_bit=qlora)
    if qlora:  # merge into full-precision weights, not into the 4-bit ones
        from peft import PeftModel

        from pipeline.lora import load_dense

        dense, _ = load_dense(base.model_dir, cfg.resolved_threads())
        res.model.save_pretrained(str(ctx.out / "adapter"))
        merged = PeftModel.from_pretrained(dense, str(ctx.out / "adapter")).merge_and_unload()
    else:
        merged = res.model.merge_and_unload()
    merged.save_pretrained(str(ctx.out / "model"))
    res.tokenizer.save_pretrained(str(ctx.out / "model"))
    gguf_path = ctx.out / "base.gguf"
    export_model_gguf(merged, base.gguf, gguf_path, quant=cfg.quant, threads=cfg.resolved_threads(),
                      name=f"modroute-finetuned-{base.gguf.stem}")
    sha = sha256_file(gguf_path)
    sample = _check_serves(gguf_path, ctx)
    write_json(ctx.out / "base.json", {"gguf": "base.gguf", "gguf_sha256": sha, "model_dir": "model",
                                       "arch": base.arch, "n_head": base.n_head, "n_head_kv": base.n_head_kv,
                                       "n_layer": base.n_layer, "produced_by": "finetune_base",
                                       "parent_sha256": base.gguf_sha256})
    sel = res.selected
    metrics = {
        "enabled": True, "qlora": qlora, "targets": targets, "train_examples": len(train),
        "rehearsal_examples": len(mixed) - len(train), "steps": res.steps, "stopped_early": res.stopped_early,
        "selected_step": sel.step, "baseline_val": res.baseline, "selected_val": sel.val,
        "selected_score": round(select(sel, res.baseline), 5),
        "checkpoints": [{"step": c.step, "val": c.val, "score": round(select(c, res.baseline), 5)}
                        for c in res.checkpoints],
        "gguf_bytes": gguf_path.stat().st_size, "quant": cfg.quant, "sample_answer": sample,
    }
    ctx.add_artifact("base", "base", "base.gguf", base_sha256=base.gguf_sha256, metrics={
        "selected_val": sel.val, "baseline_val": res.baseline, "quant": cfg.quant})
    return metrics


def _cuda_with_bnb() -> bool:
    try:
        import torch

        if not torch.cuda.is_available():
            return False
        import bitsandbytes  # noqa: F401
    except ImportError:
        return False
    return True


def _check_serves(gguf_path: Path, ctx: PhaseContext) -> str:
    """The new base must load in the runtime engine and answer."""
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=ctx.config.llama_threads, n_ctx=512,
                        manifest="")
    with Engine(settings, model_path=gguf_path, manifest="") as eng:
        c = eng.complete(ChatRequest(messages=[{"role": "user", "content": "What is 2 + 3?"}], max_tokens=24))
    if not c.text.strip():
        raise RuntimeError("the exported base GGUF loads but produced no text")
    ctx.log.info("finetune_base: exported GGUF answers: %r", c.text[:80])
    return c.text


def main(config: Config):
    return execute("finetune_base", config, _body, requires=REQUIRES,
                   code=["pipeline.lora", "pipeline.basemodel"])
