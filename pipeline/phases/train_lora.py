"""``train_lora``: one LoRA modifier per domain, exported as a GGUF adapter and checked in llama.cpp.

Training data per domain: the curated training split, plus the teacher's
examples from ``distill`` and the curated examples nearest the base's failure
clusters (both repeated ``*_weight`` times), plus ``rehearsal`` (10%) general
examples against forgetting. Validation loss on the domain's held-out
validation split drives early stopping and picks the best checkpoint; the
general validation loss is reported alongside.

The adapter is written in llama.cpp's GGUF LoRA format (``lora_b`` rows of q/k
permuted into llama.cpp's rotary layout), then loaded by the runtime's engine
exactly as the app would load it: the phase fails unless llama.cpp accepts it
and it changes greedy answers. It also records how closely llama.cpp with the
adapter follows the PyTorch model it was trained as: teacher-forced greedy token agreement
(``pipeline.agreement``, shared with ``export_gguf``; the earlier free-running prefix measure collapsed
after the first near-tie -- the 0.29 of the automation modifier in REPORT.md).
"""

from __future__ import annotations

import gc
import random
from dataclasses import asdict, dataclass, field

from pipeline.config import PhaseConfig, build
from pipeline.framework import PhaseContext, execute, now_iso, write_json
from pipeline.lora import LoraParams

SUMMARY = "peft LoRA per modifier domain (+teacher/focus data, 10% rehearsal) -> GGUF adapter, verified"
REQUIRES = ("base", "curate", "finetune_base", "failures", "distill")


@dataclass
class Config(PhaseConfig, LoraParams):
    only: list[str] = field(default_factory=list)  # train these domains only (default: every modifier domain)
    general_domain: str = "general"
    max_train: int = 0  # cap on curated target examples per domain (0 = all)
    distilled_weight: int = 2
    focus_weight: int = 2
    verify_prompts: int = 4
    verify_tokens: int = 48
    fidelity_prompts: int = 2
    version: str = ""  # default: the date and fingerprint
    n_ctx: int = 2048


def build_training_set(cur, dist, name: str, cfg: Config, rng: random.Random,
                       rehearsal: float) -> tuple[list[dict], dict]:
    from pipeline.lora import mix_rehearsal
    from pipeline.textdata import read_jsonl

    train = read_jsonl(cur / name / "train.jsonl")
    if cfg.max_train and len(train) > cfg.max_train:
        train = rng.sample(train, cfg.max_train)
    by_id = {r["id"]: r for r in read_jsonl(cur / name / "train.jsonl")}
    distilled = read_jsonl(dist / name / "distilled.jsonl") if (dist / name / "distilled.jsonl").is_file() else []
    focus_ids = []
    if (dist / name / "focus.jsonl").is_file():
        focus_ids = list(dict.fromkeys(f["id"] for f in read_jsonl(dist / name / "focus.jsonl")))
    focus = [by_id[i] for i in focus_ids if i in by_id]
    target = train + distilled * cfg.distilled_weight + focus * cfg.focus_weight
    general = read_jsonl(cur / cfg.general_domain / "train.jsonl") if (
        cur / cfg.general_domain / "train.jsonl").is_file() else []
    mixed = mix_rehearsal(target, general, rehearsal, rng)
    return mixed, {"curated": len(train), "distilled": len(distilled), "focus": len(focus),
                   "rehearsal": len(mixed) - len(target), "total": len(mixed)}


def _body(ctx: PhaseContext) -> dict:
    from pipeline.basemodel import current_base
    from pipeline.lora import export_adapter, lora_params_of, train_lora
    from pipeline.textdata import read_jsonl
    from runtime.artifacts import ArtifactEntry, sha256_file, write_manifest
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    cfg: Config = ctx.config
    base = current_base(ctx)
    cur, dist = ctx.upstream("curate"), ctx.upstream("distill")
    specs = cfg.modifier_domains()
    names = cfg.only or list(specs)
    unknown = [n for n in names if n not in specs]
    if unknown:
        raise ValueError(f"train_lora.only names unknown modifier domains {unknown}; configured: {list(specs)}")
    version = cfg.version or f"{now_iso()[:10]}-{ctx.key[:8]}"
    base_params = lora_params_of(cfg)
    metrics: dict = {"domains": {}, "version": version}
    for name in names:
        spec = specs[name]
        step = f"train-{name}"
        if ctx.step_done(step):
            info = ctx.step_info(step)
            metrics["domains"][name] = info
            ctx.add_artifact(name, "modifier", f"{name}/{name}.gguf", domain=name, base_sha256=base.gguf_sha256,
                             version=version, metrics=info["summary"])
            continue
        rng = random.Random(f"{cfg.seed}-{name}")
        params = build(LoraParams, {**asdict(base_params), **spec.lora}, where=f"domains.{name}.lora")
        mixed, mix_counts = build_training_set(cur, dist, name, cfg, rng, params.rehearsal)
        val = {"domain": read_jsonl(cur / name / "val.jsonl")}
        if (cur / cfg.general_domain / "val.jsonl").is_file():
            val["general"] = read_jsonl(cur / cfg.general_domain / "val.jsonl")
        ctx.log.info("train_lora: %s data %s", name, mix_counts)
        res = train_lora(base.model_dir, mixed, val, params, primary="domain", threads=cfg.threads,
                         seed=cfg.seed, system_prompt=spec.system_prompt,
                         progress=lambda it, d, t, n=name: ctx.progress(it, f"{n} {d}", t))
        out = ctx.out / name
        res.model.save_pretrained(str(out / "peft"))  # safetensors + adapter_config.json
        gguf_path = export_adapter(res.model, out / f"{name}.gguf", alpha=params.alpha, n_head=base.n_head,
                                   n_head_kv=base.n_head_kv, arch=base.arch, name=f"modroute-{name}",
                                   dtype=params.adapter_dtype)

        # The adapter as the runtime loads it: via a manifest, checked against the base.
        tmp_manifest = out / "verify-manifest.json"
        write_manifest(tmp_manifest, [ArtifactEntry(name=name, kind="modifier", domain=name, file=gguf_path.name,
                                                    sha256=sha256_file(gguf_path), size=gguf_path.stat().st_size,
                                                    base_sha256=base.gguf_sha256)])
        settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=cfg.n_ctx,
                            manifest=str(tmp_manifest))
        prompts = [r["instruction"] for r in val["domain"][:max(cfg.verify_prompts, cfg.fidelity_prompts)]]
        with Engine(settings, model_path=base.gguf, manifest=tmp_manifest) as eng:
            mod = eng.modifiers.get(name)
            if mod is None or not mod.available:
                raise RuntimeError(f"llama.cpp refused the exported adapter for {name}: "
                                   f"{mod.reason if mod else 'not registered'}")

            def answer(prompt, modifier, system_prompt=spec.system_prompt):
                from pipeline.textdata import chat_messages

                return eng.complete(ChatRequest(messages=chat_messages(prompt, None, system_prompt),
                                                max_tokens=cfg.verify_tokens, modifier=modifier))

            pairs = [(answer(p, None), answer(p, name)) for p in prompts[:cfg.verify_prompts]]
            changed = sum(b.token_ids != m.token_ids for b, m in pairs)
            # Same greedy tokens can still come with other probabilities: that also shows the adapter acts.
            shifted = sum(b.token_ids != m.token_ids or max((abs(x - y) for x, y in zip(b.logprobs, m.logprobs,
                                                                                         strict=False)), default=0)
                          > 1e-3 for b, m in pairs)
            if pairs and not shifted:
                raise RuntimeError(f"the {name} adapter loads in llama.cpp but does not change the model's outputs")
        tmp_manifest.unlink()
        fidelity = _fidelity(res, base.gguf, gguf_path, prompts[:cfg.fidelity_prompts], spec.system_prompt, cfg)
        sel = res.selected
        summary = {
            "val_loss_base": res.baseline.get("domain"), "val_loss": sel.val.get("domain"),
            "general_val_loss_base": res.baseline.get("general"), "general_val_loss": sel.val.get("general"),
            "best_step": sel.step, "steps": res.steps, "train_examples": mix_counts,
            "rank": params.rank, "alpha": params.alpha, "targets": list(params.targets), "lr": params.lr,
        }
        info = {
            "summary": summary, "stopped_early": res.stopped_early, "trainable_params": res.trainable_params,
            "train_tokens": res.train_tokens, "seconds": round(res.seconds, 1), "history": res.history,
            "adapter_bytes": gguf_path.stat().st_size, "verify_changed": f"{changed}/{len(pairs)}",
            "verify_shifted": f"{shifted}/{len(pairs)}",
            "fidelity": fidelity,
            # teacher-forced, pooled over the fidelity prompts' positions (pipeline.agreement)
            "lora_agreement_mean": fidelity["lora"]["agreement"] if fidelity else None,
            "base_agreement": fidelity["base"]["agreement"] if fidelity else None,
        }
        write_json(out / "train_metrics.json", info)
        metrics["domains"][name] = info
        ctx.add_artifact(name, "modifier", f"{name}/{name}.gguf", domain=name, base_sha256=base.gguf_sha256,
                         version=version, metrics=summary)
        ctx.mark_step(step, info)
        ctx.log.info("train_lora: %s val %.4f -> %.4f (step %d/%d), changed %d/%d, llama/torch agreement %s",
                     name, summary["val_loss_base"], summary["val_loss"], sel.step, res.steps, changed, len(pairs),
                     info["lora_agreement_mean"])
        del res
        gc.collect()
    return metrics


def _fidelity(res, base_gguf, adapter, prompts: list[str], system_prompt: str, cfg: Config) -> dict:
    """How closely llama.cpp + the exported adapter follows the PyTorch model it was trained as, and the
    base alone its dequantized self: teacher-forced greedy agreement (``pipeline.agreement``, the same
    measure as ``export_gguf``)."""
    from pipeline.agreement import LlamaScorer, context_for, prompt_ids, token_agreement, torch_references

    if not prompts:
        return {}
    pids = [prompt_ids(res.tokenizer, p, system_prompt) for p in prompts]
    lora_refs = torch_references(res.model, res.tokenizer, pids, cfg.verify_tokens)
    with res.model.disable_adapter():
        base_refs = torch_references(res.model, res.tokenizer, pids, cfg.verify_tokens)
    n_ctx = context_for([r.prompt + r.cont for r in lora_refs + base_refs])
    out = {}
    for label, refs, lora in (("lora", lora_refs, adapter), ("base", base_refs, None)):
        with LlamaScorer(base_gguf, lora=lora, n_ctx=n_ctx, threads=cfg.llama_threads) as sc:
            out[label] = token_agreement(refs, sc, tok=res.tokenizer).to_dict()
    return out


def main(config: Config):
    return execute("train_lora", config, _body, requires=REQUIRES,
                   code=["pipeline.lora", "runtime.lora_gguf", "pipeline.basemodel"])
