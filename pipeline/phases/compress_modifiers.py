"""``compress_modifiers``: the compression path applied to each LoRA modifier -- prune, quantize, zstd --
kept only when the modifier's own evaluation stays within its gate.

For every modifier ``train_lora`` made:

1. **prune**: the ``sparsity`` fraction (default 0.8, the reference design's figure for adapters) of
   each ``lora_a`` and ``lora_b`` matrix with the smallest magnitudes is set to zero;
2. **quantize**: Q8_0, the form the runtime serves modifiers in (:mod:`runtime.lora_serving`: rank
   padded to 32, exact at any batch size); zeros stay exactly zero in Q8_0;
3. **zstd** at ``level`` (the zeros are what compresses), decompressed again and checked by SHA-256;
4. **evaluate** through the runtime engine on the domain's held-out set, exactly as ``evaluate`` does,
   and compare with ``evaluate``'s per-item results for the same items: the compressed modifier is
   kept when it passes the domain's gates against the base (minimum score, minimum gain, not
   significantly worse by the paired test) *and* scores at most ``max_drop`` below the uncompressed
   modifier. A modifier that fails is listed with the reasons and left out of this phase's manifest
   (the uncompressed one stays what ``publish`` ships).

Sizes before and after each step (f32 GGUF, Q8_0 GGUF, zstd) are in the metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, execute, read_json

SUMMARY = "each LoRA modifier pruned (80%), Q8_0, zstd; kept only when its own evaluation stays within its gate"
REQUIRES = ("base", "curate", "finetune_base", "train_lora", "evaluate")
CODE = ["runtime.lora_serving", "pipeline.phases.compress", "pipeline.phases.evaluate", "pipeline.scoring",
        "pipeline.evalsets"]


@dataclass
class Config(PhaseConfig):
    only: list[str] = field(default_factory=list)
    sparsity: float = 0.8  # fraction of each lora_a / lora_b matrix set to zero (smallest magnitudes)
    level: int = 19  # zstd level
    max_drop: float = 0.05  # the compressed modifier may score at most this much below the uncompressed one
    judge: dict = field(default_factory=dict)  # as in evaluate (rubric domains)
    n_ctx: int = 2048


def prune_pairs(pairs: dict[str, tuple[np.ndarray, np.ndarray]], sparsity: float
                ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Magnitude pruning of every matrix: the ``sparsity`` fraction with the smallest |w| becomes 0."""
    if not 0.0 <= sparsity < 1.0:
        raise PhaseError(f"compress_modifiers: sparsity must be in [0, 1), not {sparsity}")

    def prune(m: np.ndarray) -> np.ndarray:
        k = int(round(sparsity * m.size))
        if k == 0:
            return m.copy()
        flat = np.abs(m).ravel()
        cut = np.partition(flat, k - 1)[k - 1]
        out = m.copy()
        out[np.abs(m) <= cut] = 0.0
        return out

    return {name: (prune(a), prune(b)) for name, (a, b) in pairs.items()}


def zero_fraction(path: Path) -> float:
    """Fraction of stored weights that are exactly zero in an adapter GGUF (over the unpadded rank)."""
    from runtime.lora_serving import read_pairs

    pairs, _ = read_pairs(path)
    zeros = total = 0
    for a, b in pairs.values():
        r = int(np.count_nonzero(np.abs(a).sum(axis=1)))  # padded rank rows are all zero
        for m in (a[:r], b[:, :r]):
            zeros += int(m.size - np.count_nonzero(m))
            total += m.size
    return zeros / total if total else 0.0


def _modifiers(ctx: PhaseContext) -> list[dict]:
    cfg: Config = ctx.config
    d = ctx.upstream("train_lora")
    mods = [a for a in (read_json(d / "manifest.json") or {}).get("artifacts", [])
            if a.get("kind") == "modifier" and str(a.get("file", "")).endswith(".gguf")]
    if cfg.only:
        mods = [a for a in mods if a["name"] in cfg.only]
    if not mods:
        raise PhaseError("compress_modifiers: train_lora lists no GGUF modifiers" +
                         (f" named {cfg.only}" if cfg.only else ""))
    return [{**a, "path": d / a["file"]} for a in mods]


def _compress_file(src: Path, dst: Path, level: int) -> dict:
    from pipeline.phases.compress import Config as ZConfig
    from pipeline.phases.compress import compress, verify
    from runtime.artifacts import sha256_file

    zcfg = ZConfig(level=level, zstd_threads=2)
    nbytes, c_s = compress(src, dst, zcfg)
    sha = sha256_file(src)
    verify(dst, sha, None)
    return {"bytes": nbytes, "content_sha256": sha, "seconds": round(c_s, 3)}


def _evaluate(ctx: PhaseContext, name: str, manifest: Path, base_gguf: Path) -> tuple[list[dict], float]:
    """Per-item scores of the compressed modifier (same items, prompts and scorer as ``evaluate``)."""
    from pipeline.evalsets import eval_items
    from pipeline.phases.failures import make_judge
    from pipeline.scoring import get_scorer
    from pipeline.textdata import chat_messages
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    cfg: Config = ctx.config
    spec = cfg.modifier_domains()[name]
    items = eval_items(name, spec, seed=cfg.seed)
    scorer, judge = get_scorer(spec.scorer), make_judge(cfg, cfg.judge)
    settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=cfg.n_ctx,
                        manifest=str(manifest))
    rows = []
    with Engine(settings, model_path=base_gguf, manifest=manifest) as engine:
        mod = engine.modifiers.get(name)
        if mod is None or not mod.available:
            raise PhaseError(f"compress_modifiers: the compressed {name} does not load: "
                             f"{mod.reason if mod else 'missing'}")
        for it in ctx.progress(items, f"{name} compressed"):
            c = engine.complete(ChatRequest(messages=chat_messages(it.prompt, None, spec.system_prompt),
                                            max_tokens=spec.max_new_tokens, modifier=name, track_confidence=False))
            s = scorer(it, c.text, judge)
            rows.append({"id": it.id, "answer": c.text, "score": round(s.value, 4), "passed": s.passed})
    return rows, (sum(r["score"] for r in rows) / len(rows) if rows else 0.0)


def decide(name: str, spec, evaluated: dict[str, dict], compressed: list[dict], cfg: Config) -> dict:
    """Keep or drop: the domain's gates against the base (paired on the same items) and ``max_drop``."""
    from pipeline.phases.evaluate import Config as EvalConfig
    from pipeline.phases.evaluate import check_gates, p_worse

    ids = [r["id"] for r in compressed if r["id"] in evaluated]
    if not ids:
        raise PhaseError(f"compress_modifiers: {name}: no item in common with evaluate's results")
    by_id = {r["id"]: r for r in compressed}
    base = [evaluated[i]["base"] for i in ids]
    orig = [evaluated[i]["modifier"] for i in ids]
    comp = [by_id[i] for i in ids]
    mean = lambda rs: sum(r["score"] for r in rs) / len(rs)  # noqa: E731
    p, b, c = p_worse([r["passed"] for r in base], [r["passed"] for r in comp])
    result = {"n": len(ids), "base": round(mean(base), 4), "uncompressed": round(mean(orig), 4),
              "modifier": round(mean(comp), 4), "gain": round(mean(comp) - mean(base), 4),
              "p_worse": p, "base_only": b, "modifier_only": c}
    reasons = check_gates(name, result, spec, EvalConfig())
    drop = result["uncompressed"] - result["modifier"]
    if drop > cfg.max_drop + 1e-9:
        reasons.append(f"{name}: compressed scores {result['modifier']:.3f}, {drop:.3f} below the uncompressed "
                       f"{result['uncompressed']:.3f} (max_drop {cfg.max_drop})")
    return {**result, "kept": not reasons, "reasons": reasons}


def _body(ctx: PhaseContext) -> dict:
    from pipeline.basemodel import current_base
    from pipeline.textdata import read_jsonl, write_jsonl
    from runtime.artifacts import ArtifactEntry, sha256_file, write_manifest
    from runtime.lora_serving import read_pairs, write_pairs_q8_0

    cfg: Config = ctx.config
    base = current_base(ctx)
    specs = cfg.modifier_domains()
    ev_dir = ctx.upstream("evaluate")
    out: dict = {"sparsity": cfg.sparsity, "level": cfg.level, "modifiers": {}}
    for a in ctx.progress(_modifiers(ctx), "modifiers"):
        name = a["name"]
        if ctx.step_done(f"mod-{name}"):
            out["modifiers"][name] = info = ctx.step_info(f"mod-{name}")
        else:
            if name not in specs:
                raise PhaseError(f"compress_modifiers: no domain config for modifier {name}")
            src = Path(a["path"])
            d = ctx.out / name
            d.mkdir(parents=True, exist_ok=True)
            pairs, keys = read_pairs(src)
            q8 = d / f"{name}.q8_0.gguf"
            qinfo = write_pairs_q8_0(prune_pairs(pairs, cfg.sparsity), keys, q8)
            z = _compress_file(q8, d / f"{name}.gguf.zst", cfg.level)
            from pipeline.phases.compress import Config as ZConfig
            from pipeline.phases.compress import compress

            f32_zstd, _ = compress(src, None, ZConfig(level=cfg.level, zstd_threads=2))  # counted, not written
            entry = ArtifactEntry(name=name, kind="modifier", domain=a.get("domain") or name,
                                  file=f"{name}/{name}.gguf.zst", sha256=sha256_file(d / f"{name}.gguf.zst"),
                                  size=z["bytes"], base_sha256=a.get("base_sha256", ""),
                                  content_sha256=z["content_sha256"])
            # Manifest paths are relative to the manifest's directory: this one sits in the phase's output.
            write_manifest(ctx.out / f".eval-{name}.json", [entry])
            rows, _ = _evaluate(ctx, name, ctx.out / f".eval-{name}.json", base.gguf)
            write_jsonl(d / "results.jsonl", rows)
            evaluated = {r["id"]: r for r in read_jsonl(ev_dir / name / "results.jsonl")}
            verdict = decide(name, specs[name], evaluated, rows, cfg)
            info = {"sizes": {"f32_gguf": src.stat().st_size, "f32_zstd": f32_zstd,
                              "q8_0_gguf": q8.stat().st_size, "pruned_q8_0_zstd": z["bytes"]},
                    "zero_fraction": round(zero_fraction(q8), 4), "quantization": qinfo, **verdict,
                    "file": entry.file, "sha256": entry.sha256, "content_sha256": entry.content_sha256,
                    "domain": entry.domain, "base_sha256": entry.base_sha256}
            q8.unlink()
            ctx.mark_step(f"mod-{name}", info)
            out["modifiers"][name] = info
        s = info["sizes"]
        ctx.log.info("compress_modifiers: %s: %d B f32 -> %d B pruned Q8_0 zstd (%.1fx; %.0f%% zeros); score %.3f "
                     "(uncompressed %.3f, base %.3f): %s", name, s["f32_gguf"], s["pruned_q8_0_zstd"],
                     s["f32_gguf"] / s["pruned_q8_0_zstd"], 100 * info["zero_fraction"], info["modifier"],
                     info["uncompressed"], info["base"], "kept" if info["kept"] else "; ".join(info["reasons"]))
        if info["kept"]:
            ctx.add_artifact(name, "modifier", info["file"], domain=info["domain"], base_sha256=info["base_sha256"],
                             content_sha256=info["content_sha256"],
                             compression={"codec": "zstd", "level": cfg.level, "pruned": cfg.sparsity,
                                          "quantized": "Q8_0"},
                             metrics={k: info[k] for k in ("n", "base", "uncompressed", "modifier", "gain")})
    return out


def main(config: Config):
    return execute("compress_modifiers", config, _body, requires=REQUIRES, code=CODE)
