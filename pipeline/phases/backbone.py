"""``backbone``: one shared LoRA backbone for every domain plus a small head per domain (Phase 9).

1. The backbone: a LoRA (``backbone.*`` settings, every layer) trained on a mix of every modifier domain's
   curated training split (``per_domain`` examples each) plus ``rehearsal`` general examples; validation
   on a few examples of each domain's validation split.
2. The backbone is merged into the base's weights; each head is a low-rank LoRA on the last
   ``head_layers`` layers only (``head.*``), trained on that merged model -- the backbone frozen -- with
   the domain's curated data, as ``train_lora`` trains an independent modifier.
3. Exported in llama.cpp's GGUF LoRA format and written as a servable manifest (``serve-manifest.json``):
   one ``backbone`` entry and one ``modifier`` entry per head naming it; the runtime applies a head
   together with its backbone (two adapters, a scale each). ``MODROUTE_MANIFEST`` pointed at that file
   serves the shared layout.
4. Each head is evaluated through the runtime's engine on the domain's held-out set (as ``evaluate``).
   The comparison with the independent modifiers (score per domain, bytes, load and switch times) is the
   next phase, ``backbone_compare``: it is cheap, and re-runs alone when the independent set changes.

The training data is the curated split only (no teacher or failure-focus examples, which ``train_lora``
adds): this phase needs ``curate`` but not ``failures``/``distill``, so it can run in a workdir of its own.
"""

from __future__ import annotations

import gc
import random
from dataclasses import asdict, dataclass, field

from pipeline.config import PhaseConfig, build
from pipeline.framework import PhaseContext, execute
from pipeline.lora import LoraParams

SUMMARY = "shared LoRA backbone on all domains + small per-domain heads (backbone frozen); vs independent modifiers"
REQUIRES = ("base", "curate", "finetune_base")
BACKBONE_NAME = "shared-backbone"


def _backbone_defaults() -> dict:
    return {"rank": 8, "alpha": 16, "max_steps": 160, "lr": 0.001, "batch_size": 4, "eval_every": 40,
            "max_len": 512, "rehearsal": 0.1}


def _head_defaults() -> dict:
    return {"rank": 4, "alpha": 8, "targets": ["q_proj", "v_proj", "o_proj", "down_proj"], "max_steps": 40,
            "lr": 0.001, "batch_size": 4, "eval_every": 10, "max_len": 512, "rehearsal": 0.1}


@dataclass
class Config(PhaseConfig):
    enabled: bool = True
    only: list[str] = field(default_factory=list)  # these modifier domains (default: every one)
    general_domain: str = "general"
    per_domain: int = 80  # curated examples of each domain in the backbone's mix
    val_per_domain: int = 4  # validation examples of each domain for the backbone's early stopping
    backbone: dict = field(default_factory=_backbone_defaults)  # LoraParams overrides for the backbone
    head: dict = field(default_factory=_head_defaults)  # LoraParams overrides for every head
    head_layers: int = 6  # heads train the last N layers only
    n_ctx: int = 2048


def _params(overrides: dict, where: str) -> LoraParams:
    return build(LoraParams, {**asdict(LoraParams()), **(overrides or {})}, where=where)


def _body(ctx: PhaseContext) -> dict:
    from pipeline.basemodel import current_base
    from pipeline.lora import export_adapter, mix_rehearsal, train_lora
    from pipeline.textdata import read_jsonl

    cfg: Config = ctx.config
    if not cfg.enabled:
        return {"skipped": "disabled (backbone.enabled: false)"}
    base = current_base(ctx)
    cur = ctx.upstream("curate")
    specs = cfg.modifier_domains()
    names = cfg.only or list(specs)
    unknown = [n for n in names if n not in specs]
    if unknown:
        raise ValueError(f"backbone.only names unknown modifier domains {unknown}; configured: {list(specs)}")
    if len(names) < 2:
        raise ValueError("a shared backbone needs at least two modifier domains")
    general = read_jsonl(cur / cfg.general_domain / "train.jsonl") if (
        cur / cfg.general_domain / "train.jsonl").is_file() else []
    bb_params = _params(cfg.backbone, "backbone.backbone")
    head_layers = list(range(max(0, base.n_layer - cfg.head_layers), base.n_layer))
    head_params = _params({**(cfg.head or {}), "layers": head_layers}, "backbone.head")
    metrics: dict = {"domains": {}, "head_layers": head_layers}

    # 1. the backbone, merged into the base for the heads
    merged_dir = ctx.out / "merged"
    if ctx.step_done("backbone"):
        metrics["backbone"] = ctx.step_info("backbone")
    else:
        rng = random.Random(f"{cfg.seed}-backbone")
        mix, val, counts = [], [], {}
        for name in names:
            rows = read_jsonl(cur / name / "train.jsonl")
            picked = rng.sample(rows, min(cfg.per_domain, len(rows)))
            mix += picked
            counts[name] = len(picked)
            val += read_jsonl(cur / name / "val.jsonl")[:cfg.val_per_domain]
        mixed = mix_rehearsal(mix, general, bb_params.rehearsal, rng)
        ctx.log.info("backbone: %d examples (%s + %d general)", len(mixed), counts, len(mixed) - len(mix))
        res = train_lora(base.model_dir, mixed, {"domain": val}, bb_params, primary="domain", threads=cfg.threads,
                         seed=cfg.seed, progress=lambda it, d, t: ctx.progress(it, f"backbone {d}", t))
        path = export_adapter(res.model, ctx.out / "backbone.gguf", alpha=bb_params.alpha, n_head=base.n_head,
                              n_head_kv=base.n_head_kv, arch=base.arch, name=f"modroute-{BACKBONE_NAME}",
                              dtype=bb_params.adapter_dtype)
        merged = res.model.merge_and_unload()
        merged.save_pretrained(str(merged_dir))
        res.tokenizer.save_pretrained(str(merged_dir))
        info = {"examples": counts, "rehearsal": len(mixed) - len(mix), "val_loss_base": res.baseline.get("domain"),
                "val_loss": res.selected.val.get("domain"), "best_step": res.selected.step, "steps": res.steps,
                "seconds": round(res.seconds, 1), "trainable_params": res.trainable_params,
                "adapter_bytes": path.stat().st_size, "rank": bb_params.rank, "targets": list(bb_params.targets)}
        metrics["backbone"] = info
        ctx.mark_step("backbone", info)
        del res, merged
        gc.collect()
    ctx.add_artifact(BACKBONE_NAME, "backbone", "backbone.gguf", base_sha256=base.gguf_sha256)

    # 2. one head per domain on the merged (frozen) backbone
    for name in names:
        step = f"head-{name}"
        if not ctx.step_done(step):
            rng = random.Random(f"{cfg.seed}-head-{name}")
            train = mix_rehearsal(read_jsonl(cur / name / "train.jsonl"), general, head_params.rehearsal, rng)
            val = {"domain": read_jsonl(cur / name / "val.jsonl")}
            res = train_lora(merged_dir, train, val, head_params, primary="domain", threads=cfg.threads,
                             seed=cfg.seed, system_prompt=specs[name].system_prompt,
                             progress=lambda it, d, t, n=name: ctx.progress(it, f"head {n} {d}", t))
            path = export_adapter(res.model, ctx.out / "heads" / f"{name}.gguf", alpha=head_params.alpha,
                                  n_head=base.n_head, n_head_kv=base.n_head_kv, arch=base.arch,
                                  name=f"modroute-{name}-head", dtype=head_params.adapter_dtype)
            ctx.mark_step(step, {"val_loss_backbone": res.baseline.get("domain"),
                                 "val_loss": res.selected.val.get("domain"), "best_step": res.selected.step,
                                 "steps": res.steps, "seconds": round(res.seconds, 1),
                                 "trainable_params": res.trainable_params, "adapter_bytes": path.stat().st_size})
            del res
            gc.collect()
        metrics["domains"][name] = {"head": ctx.step_info(step)}
        ctx.add_artifact(name, "modifier", f"heads/{name}.gguf", domain=name, backbone=BACKBONE_NAME,
                         base_sha256=base.gguf_sha256)
    serve = _write_serve_manifest(ctx, base)

    # 3. evaluate every head with its backbone, through the engine the app serves with
    shared = _evaluate(ctx, cfg, base, serve, names, specs)
    for name in names:
        metrics["domains"][name]["eval"] = shared[name]
    return metrics


def _write_serve_manifest(ctx: PhaseContext, base):
    """The shared layout as the runtime loads it (sha256s filled in now, not at the phase's end)."""
    from runtime.artifacts import ArtifactEntry, sha256_file, write_manifest

    entries = []
    for a in ctx.artifacts:
        p = ctx.out / a["file"]
        fields = {k: v for k, v in a.items() if k in ("domain", "backbone", "base_sha256")}
        entries.append(ArtifactEntry(name=a["name"], kind=a["kind"], file=a["file"], sha256=sha256_file(p),
                                     size=p.stat().st_size, **fields))
    path = ctx.out / "serve-manifest.json"
    write_manifest(path, entries)
    return path


def _evaluate(ctx: PhaseContext, cfg: Config, base, manifest, names, specs) -> dict:
    from pipeline.evalsets import eval_items
    from pipeline.phases.evaluate import answer_items
    from pipeline.phases.failures import make_judge
    from pipeline.textdata import write_jsonl
    from runtime.engine import Engine
    from runtime.settings import Settings

    out, engine = {}, None
    judge = make_judge(cfg, {"kind": "verifier"})
    settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=cfg.n_ctx,
                        manifest=str(manifest))
    try:
        for name in names:
            step = f"eval-{name}"
            if ctx.step_done(step):
                out[name] = ctx.step_info(step)
                continue
            spec = specs[name]
            items = eval_items(name, spec, seed=cfg.seed)
            if not items:
                out[name] = {"n": 0}
                continue
            if engine is None:
                engine = Engine(settings, model_path=base.gguf, manifest=manifest).open()
            mod = engine.modifiers.get(name)
            if mod is None or not mod.available:
                raise RuntimeError(f"backbone: head {name} is not servable: {mod.reason if mod else 'missing'}")
            answered, vals = answer_items(engine, ctx.progress(items, f"eval {name}"), spec, name, judge)
            write_jsonl(ctx.out / "eval" / f"{name}.jsonl",
                        [{k: r[k] for k in ("id", "answer", "score", "passed")} for r in answered])
            out[name] = {"n": len(items), "score": round(sum(vals) / len(vals), 4),
                         "pass_rate": round(sum(r["passed"] for r in answered) / len(vals), 4), "scorer": spec.scorer}
            ctx.mark_step(step, out[name])
            ctx.log.info("backbone: %s shared score %.3f (n=%d)", name, out[name]["score"], len(items))
    finally:
        if engine is not None:
            engine.close()
    return out


def main(config: Config):
    return execute("backbone", config, _body, requires=REQUIRES,
                   code=["pipeline.lora", "pipeline.phases.evaluate", "pipeline.scoring", "pipeline.evalsets",
                         "runtime.lora_gguf", "runtime.modifiers"])
