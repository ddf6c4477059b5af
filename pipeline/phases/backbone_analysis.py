"""``backbone_analysis``: how much the published modifiers have in common (could they share a backbone?).

Input: the modifiers of a manifest (``modifiers_manifest``, by default the one the app serves), each a
GGUF LoRA adapter, verified and decompressed like the runtime does (``runtime.artifacts.materialize``).
For every modifier and every adapted weight (layer, module) the delta is ΔW = scale·(alpha/r)·B·A --
llama.cpp's scale, with r read from the tensors (alpha 0 or absent: 1) -- kept in its low-rank factors
(``pipeline.lora_deltas``; a dense recomputation of the largest block checks the algebra and times it).

1. Correlation: the cosine similarity of flattened deltas, per layer (all of a layer's modules flattened
   together) as a modifier x modifier matrix, its mean off the diagonal per layer, the matrix averaged
   over layers, per module type, and over the whole adapter.
2. Shared components: per (layer, module), the top-r singular vectors of the concatenation of the
   modifiers' normalised deltas, and the fraction of each modifier's ‖ΔW‖²_F (summed over blocks) they
   explain, for each r in ``ranks``: output side, input side and both (a shared basis with an r x r core
   per modifier). With the modifier's own top-r (upper bound) and a null (same singular values, random
   singular vectors) beside it. r at or above the stacked rank (k modifiers x their rank) explains all.
3. Outputs: ``metrics.json``, ``backbone.json`` (every (layer, module) matrix), ``report.md`` (tables)
   and ``backbone.png`` (per-layer mean cosine; explained fraction vs r).

Fewer than two modifiers: skipped, saying so (nothing to compare is not a failure of ``pipeline all``).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, PhaseResult, execute, write_json

SUMMARY = "published modifiers compared: per-layer cosine of ΔW=B·A, shared top-r subspace vs own/random; PNG"
REQUIRES: tuple[str, ...] = ()
CODE = ["pipeline.lora_deltas", "pipeline.backbone_analysis_report", "pipeline.pngplot", "runtime.lora_serving",
        "runtime.artifacts"]
BLOCK = re.compile(r"^blk\.(\d+)\.(.+?)(?:\.weight)?$")


@dataclass
class Config(PhaseConfig):
    modifiers_manifest: str = "artifacts/manifest.json"  # the modifiers compared (kind "modifier" entries)
    only: list[str] = field(default_factory=list)  # these modifiers (empty = every one in the manifest)
    ranks: list[int] = field(default_factory=lambda: [1, 2, 4, 8, 16])  # shared components counted
    normalize: bool = True  # each delta scaled to unit norm before the shared SVD (else larger ones dominate)
    null_draws: int = 1  # random-subspace draws averaged for the null (over 210 weights one draw varies by ~0.001)
    dense_check: bool = True  # recompute the largest block from materialised ΔW (checks and times the algebra)


def _inputs(config: Config) -> list[Path]:
    return [Path(config.modifiers_manifest)]


def selected(config: Config) -> list[Any]:
    """The manifest's modifier entries to compare (``only`` keeps its order)."""
    from runtime.artifacts import ArtifactError, read_manifest

    try:
        mods = read_manifest(config.modifiers_manifest).of_kind("modifier")
    except ArtifactError as e:
        raise PhaseError(f"backbone_analysis: {e}") from e
    if config.only:
        unknown = sorted(set(config.only) - {m.name for m in mods})
        if unknown:
            raise PhaseError(f"backbone_analysis: only={config.only}: {unknown} not in {config.modifiers_manifest} "
                             f"(it has {sorted(m.name for m in mods)})")
        mods = sorted((m for m in mods if m.name in config.only), key=lambda m: config.only.index(m.name))
    return mods


def block_key(tensor: str) -> tuple[int, str]:
    """``blk.12.attn_q.weight`` -> (12, "attn_q"); tensors outside the blocks get layer -1."""
    m = BLOCK.match(tensor)
    return (int(m.group(1)), m.group(2)) if m else (-1, tensor.removesuffix(".weight"))


def _adapter(entry, root: Path, cache: Path) -> tuple[dict, dict]:
    """One adapter file's deltas {(layer, module): Delta}, scaled as llama.cpp scales it, and that scale."""
    from pipeline.lora_deltas import Delta
    from runtime.artifacts import ArtifactError, materialize
    from runtime.lora_serving import read_pairs

    try:
        pairs, keys = read_pairs(materialize(entry, root, cache))
    except ArtifactError as err:
        raise PhaseError(f"backbone_analysis: {entry.kind} {entry.name}: {err}") from err
    alpha = keys.get("adapter.lora.alpha") or 0.0
    user = float(entry.scale) if entry.scale else 1.0
    ranks = sorted({a.shape[0] for a, _ in pairs.values()})
    deltas = {block_key(n): Delta.from_lora(a, b, user * alpha / a.shape[0] if alpha else user)
              for n, (a, b) in pairs.items()}
    return deltas, {"alpha": alpha, "rank": ranks, "entry_scale": user,
                    "scale": sorted({round(user * alpha / r if alpha else user, 6) for r in ranks})}


def load_deltas(manifest, entries, cache: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """{modifier: {(layer, module): Delta}} as served, and how each was scaled.

    A head on a shared backbone (an entry naming one in ``backbone``) is served together with it, so its
    delta is the sum of both: the factors side by side, B = [B_head B_bb], A = [A_head; A_bb] (exact)."""
    import numpy as np

    from pipeline.lora_deltas import Delta

    backbones = {e.name: e for e in manifest.of_kind("backbone")}
    loaded: dict[str, tuple[dict, dict]] = {}
    deltas, scales = {}, {}
    for e in entries:
        own, info = _adapter(e, manifest.root, cache)
        bb_name = getattr(e, "backbone", "") or e.extra.get("backbone", "")
        if bb_name:
            if bb_name not in backbones:
                raise PhaseError(f"backbone_analysis: modifier {e.name} names backbone {bb_name!r}, which "
                                 f"{manifest.path} does not list")
            if bb_name not in loaded:
                loaded[bb_name] = _adapter(backbones[bb_name], manifest.root, cache)
            bb, bb_info = loaded[bb_name]
            own = {blk: (Delta(np.concatenate([own[blk].b, bb[blk].b], axis=1),
                               np.concatenate([own[blk].a, bb[blk].a], axis=0)) if blk in own and blk in bb
                         else own.get(blk) or bb[blk]) for blk in sorted(set(own) | set(bb))}
            info = {**info, "backbone": {"name": bb_name, **bb_info}}
        deltas[e.name], scales[e.name] = own, info
    return deltas, scales


def common_blocks(deltas: dict[str, dict]) -> tuple[list[tuple[int, str]], list[str]]:
    """The blocks every modifier adapts (same shapes, or a clear refusal) and the ones only some adapt."""
    sets = [set(d) for d in deltas.values()]
    common = sorted(set.intersection(*sets))
    partial = sorted(set.union(*sets) - set(common))
    for blk in common:
        shapes = {n: d[blk].shape for n, d in deltas.items()}
        if len(set(shapes.values())) > 1:
            raise PhaseError(f"backbone_analysis: block {blk} has different shapes across modifiers {shapes}: "
                             "they were not trained against the same base architecture")
    if not common:
        raise PhaseError("backbone_analysis: the modifiers adapt no weight in common")
    return common, [f"blk.{lay}.{mod}" if lay >= 0 else mod for lay, mod in partial]


def _matrix(names: list[str], m) -> dict[str, dict[str, float]]:
    return {a: {b: round(float(m[i, j]), 4) + 0.0 for j, b in enumerate(names)} for i, a in enumerate(names)}  # no -0.0


def analyse(deltas: dict[str, dict], cfg: Config, log: logging.Logger | None = None) -> dict:
    """Every number of the phase from ``{modifier: {(layer, module): Delta}}`` (no files touched)."""
    import numpy as np

    from pipeline import lora_deltas as ld

    names = list(deltas)
    k = len(names)
    if k < 2:
        raise PhaseError(f"backbone_analysis: needs at least 2 modifiers, got {names}")
    ranks = sorted({int(r) for r in cfg.ranks})
    if not ranks or ranks[0] < 1:
        raise PhaseError(f"backbone_analysis: ranks must be positive integers, not {cfg.ranks}")
    blocks, partial = common_blocks(deltas)
    if partial and log:
        log.warning("backbone_analysis: %d blocks adapted by some modifiers only, left out: %s", len(partial),
                    partial[:8])
    rng = np.random.default_rng(cfg.seed)
    t0, c0 = time.perf_counter(), time.process_time()
    grams: dict[tuple[int, str], np.ndarray] = {}
    null_grams: dict[tuple[int, str], np.ndarray] = {}
    energy = np.zeros(k)
    acc = {s: np.zeros((k, len(ranks))) for s in ld.SIDES}
    null = {s: np.zeros((k, len(ranks))) for s in ld.SIDES}
    own = np.zeros((k, len(ranks)))
    per_layer_acc: dict[int, dict[str, Any]] = {}
    stacked = 0
    for blk in blocks:
        ds = [deltas[n][blk] for n in names]
        grams[blk] = ld.gram(ds)
        fs = [d.svd() for d in ds]
        stacked = max(stacked, sum(len(f.s) for f in fs))
        e = np.array([f.energy for f in fs])
        shared = ld.shared_explained(fs, ranks, cfg.normalize)
        energy += e
        for s in ld.SIDES:
            acc[s] += shared[s]
        own += np.stack([ld.own_explained(f, ranks) for f in fs])
        for draw_i in range(max(cfg.null_draws, 0)):
            rf = [ld.random_like(f, rng) for f in fs]
            rnd = ld.shared_explained(rf, ranks, cfg.normalize)
            for s in ld.SIDES:
                null[s] += rnd[s] / cfg.null_draws
            if draw_i == 0:
                null_grams[blk] = ld.gram(rf)
        la = per_layer_acc.setdefault(blk[0], {"energy": np.zeros(k), "output": np.zeros((k, len(ranks)))})
        la["energy"] += e
        la["output"] += shared["output"]
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0

    def frac(x: np.ndarray) -> np.ndarray:
        return x / np.where(energy > 0, energy, 1.0)[:, None]

    def table(x: np.ndarray) -> dict:
        f = frac(x)
        return {"per_modifier": {n: [round(float(v), 4) for v in f[i]] for i, n in enumerate(names)},
                "mean": [round(float(v), 4) for v in f.mean(axis=0)]}

    layers = sorted({lay for lay, _ in blocks if lay >= 0})
    layer_cos = {lay: ld.cosines(sum(g for (ly, _), g in grams.items() if ly == lay)) for lay in layers}
    modules = sorted({mod for _, mod in blocks})
    block_cos = {blk: ld.cosines(g) for blk, g in grams.items()}
    mean_matrix = np.mean([layer_cos[lay] for lay in layers], axis=0) if layers else ld.cosines(sum(grams.values()))
    overall = ld.cosines(sum(grams.values()))
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    per_layer = [round(ld.mean_off_diagonal(layer_cos[lay]), 4) for lay in layers]
    # What unrelated modifiers would show: per-layer cosines of the null deltas (first draw), as an RMS.
    null_cos = [ld.cosines(sum(g for (ly, _), g in null_grams.items() if ly == lay)) for lay in layers
                if null_grams]
    null_rms = (float(np.sqrt(np.mean([c[i, j] ** 2 for c in null_cos for i, j in pairs])))
                if null_cos and pairs else None)
    metrics = {
        "manifest": cfg.modifiers_manifest, "modifiers": names, "k": k, "blocks": len(blocks), "layers": layers,
        "modules": modules, "blocks_left_out": partial, "ranks": ranks, "stacked_rank": stacked,
        "normalize": cfg.normalize, "null_draws": cfg.null_draws,
        "delta_norm": {n: round(float(np.sqrt(energy[i])), 4) for i, n in enumerate(names)},
        "cosine": {
            "per_layer_mean_offdiag": per_layer,
            "per_layer_range": [[round(float(min(layer_cos[lay][i, j] for i, j in pairs)), 4),
                                 round(float(max(layer_cos[lay][i, j] for i, j in pairs)), 4)] for lay in layers],
            "layer_mean_matrix": _matrix(names, mean_matrix),
            "mean_offdiag": round(ld.mean_off_diagonal(mean_matrix), 4),
            "null_rms_offdiag": round(null_rms, 4) if null_rms is not None else None,
            "whole_adapter_matrix": _matrix(names, overall),
            "per_module_mean_offdiag": {m: round(float(np.mean([ld.mean_off_diagonal(c) for (_, mo), c in
                                                                 block_cos.items() if mo == m])), 4) for m in modules},
            "per_pair_layer_mean": {f"{names[i]}/{names[j]}": round(float(mean_matrix[i, j]), 4) for i, j in pairs},
        },
        "explained": {**{s: table(acc[s]) for s in ld.SIDES}, "own": table(own),
                      "null": {s: table(null[s]) for s in ld.SIDES}},
        "per_layer_explained_output": {str(lay): [round(float(v), 4) for v in (
            v["output"] / np.where(v["energy"] > 0, v["energy"], 1.0)[:, None]).mean(axis=0)]
            for lay, v in sorted(per_layer_acc.items())},
        "lowrank_seconds": round(seconds, 3), "lowrank_cpu_seconds": round(cpu, 3),
    }
    details = {"modifiers": names, "blocks": {f"blk.{lay}.{mod}" if lay >= 0 else mod: {
        "cosine": [[round(float(x), 5) for x in row] for row in block_cos[(lay, mod)]],
        "norm": [round(float(np.sqrt(max(x, 0.0))), 5) for x in np.diag(grams[(lay, mod)])]} for lay, mod in blocks}}
    return {"metrics": metrics, "details": details, "blocks": blocks}


def dense_check(deltas: dict[str, dict], blocks: list, cfg: Config) -> dict:
    """The largest block recomputed from materialised ΔW: largest difference from the factor path, and times."""
    import numpy as np

    from pipeline import lora_deltas as ld

    names = list(deltas)
    ranks = sorted({int(r) for r in cfg.ranks})
    blk = max(blocks, key=lambda b: (np.prod(deltas[names[0]][b].shape), b))
    ds = [deltas[n][blk] for n in names]
    # CPU time as well as wall time: on shared cores the wall clock says more about the neighbours.
    t0, c0 = time.perf_counter(), time.process_time()
    fs = [d.svd() for d in ds]
    cos_lr, ex_lr = ld.cosines(ld.gram(ds)), ld.shared_explained(fs, ranks, cfg.normalize)
    t1, c1 = time.perf_counter(), time.process_time()
    mats = [d.dense() for d in ds]
    cos_d, ex_d = ld.dense_cosines(mats), ld.dense_explained(mats, ranks, cfg.normalize)
    t2, c2 = time.perf_counter(), time.process_time()
    e = np.array([f.energy for f in fs])[:, None]
    diff_ex = max(float(np.max(np.abs(ex_lr[s] - ex_d[s]) / e)) for s in ld.SIDES)
    return {"block": f"blk.{blk[0]}.{blk[1]}", "shape": list(ds[0].shape),
            "max_abs_diff_cosine": float(np.max(np.abs(cos_lr - cos_d))), "max_abs_diff_explained": diff_ex,
            "lowrank_seconds": round(t1 - t0, 4), "dense_seconds": round(t2 - t1, 4),
            "lowrank_cpu_seconds": round(c1 - c0, 4), "dense_cpu_seconds": round(c2 - c1, 4),
            "dense_over_lowrank_cpu": round((c2 - c1) / max(c1 - c0, 1e-3), 1)}


def _body(ctx: PhaseContext) -> dict:
    from pipeline.backbone_analysis_report import draw, report_md
    from runtime.artifacts import read_manifest

    cfg: Config = ctx.config
    entries = selected(cfg)
    t0 = time.perf_counter()
    deltas, scales = load_deltas(read_manifest(cfg.modifiers_manifest), entries, ctx.workdir / ".cache" / "modifiers")
    bases = {e.base_sha256 for e in entries if e.base_sha256}
    if len(bases) > 1:
        raise PhaseError("backbone_analysis: the modifiers were trained against different bases "
                         f"({sorted(b[:12] for b in bases)}): their deltas are not comparable")
    read_s = time.perf_counter() - t0
    from threadpoolctl import threadpool_limits

    # The matrices are (n, k·r) with n <= 1536: BLAS threads only spin. Measured at load 4 on the 2 cores:
    # one SVD of a (1536, 32) matrix 2.2 ms on 1 thread, 74 ms on 2.
    with threadpool_limits(limits=1):
        res = analyse(deltas, cfg, ctx.log)
        m = {**res["metrics"], "scales": scales, "base_sha256": next(iter(bases), ""),
             "read_seconds": round(read_s, 2)}
        if cfg.dense_check:
            m["dense_check"] = dense_check(deltas, res["blocks"], cfg)
    write_json(ctx.out / "backbone.json", res["details"])
    draw(m, ctx.out / "backbone.png")
    (ctx.out / "report.md").write_text(report_md(m), encoding="utf-8")
    for name, file in (("backbone/details", "backbone.json"), ("backbone/plot", "backbone.png"),
                       ("backbone/report", "report.md")):
        ctx.add_artifact(name, "report", file)
    ex = m["explained"]
    ctx.log.info("backbone_analysis: %d modifiers, %d weights; mean cosine %.3f; shared top-%d explains %.3f "
                 "(null %.3f, own %.3f); read %.1f s, analysis %.1f s (%.1f CPU s)", m["k"], m["blocks"],
                 m["cosine"]["mean_offdiag"], m["ranks"][0], ex["output"]["mean"][0],
                 ex["null"]["output"]["mean"][0], ex["own"]["mean"][0], read_s, m["lowrank_seconds"],
                 m["lowrank_cpu_seconds"])
    return m


def main(config: Config):
    entries = selected(config)
    if len(entries) < 2:
        # Nothing to compare is not a failure of `pipeline all`: say so and change nothing.
        logging.getLogger("pipeline.backbone_analysis").warning(
            "backbone_analysis: skipped: %s lists %d modifier(s)%s; the comparison needs at least 2",
            config.modifiers_manifest, len(entries), f" named {config.only}" if config.only else "")
        return PhaseResult("backbone_analysis", "skipped", Path(config.workdir) / "backbone_analysis", {}, 0.0)
    return execute("backbone_analysis", config, _body, inputs=_inputs(config), code=CODE)
