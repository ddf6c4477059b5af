"""``backbone_compare``: the shared backbone + heads (``backbone``) vs the independent modifiers, side by side.

Score per domain (the heads' held-out scores from ``backbone`` against the independent modifiers' manifest
metrics: the same items through the same engine), bytes, adapter load times and the first token after a
switch (``pipeline.backbone_compare``), and the reference design's rule per domain (shared within
``tolerance`` of independent). Its input is ``modifiers_manifest``: when the independent set changes only
this phase re-runs, not the training.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, execute, read_json, write_json

SUMMARY = "shared backbone + heads vs independent modifiers: score per domain, bytes, load/switch ms, 1% rule"
REQUIRES = ("backbone", "finetune_base")


@dataclass
class Config(PhaseConfig):
    modifiers_manifest: str = "artifacts/manifest.json"  # the independent modifiers compared with
    tolerance: float = 0.01  # a domain meets the rule when shared >= independent * (1 - tolerance)
    swap_repeats: int = 5


def _body(ctx: PhaseContext) -> dict:
    from pipeline.backbone_compare import compare, swap_timings
    from pipeline.basemodel import read_base

    cfg: Config = ctx.config
    bb_dir = ctx.upstream("backbone")
    bb = read_json(bb_dir / "metrics.json", {}) or {}
    if bb.get("skipped") or not bb.get("domains"):
        return {"skipped": f"backbone did not build a shared layout ({bb.get('skipped', 'no heads')})"}
    base = read_base(ctx.upstream("finetune_base"), "finetune_base")
    names = list(bb["domains"])
    shared = {n: (v.get("eval") or {}) for n, v in bb["domains"].items()}
    serve = bb_dir / "serve-manifest.json"
    swap = swap_timings(base, serve, cfg.modifiers_manifest, names, ctx.workdir / ".cache", repeats=cfg.swap_repeats)
    comparison = compare(shared, serve, cfg.modifiers_manifest, names, swap, ctx.workdir / ".cache", cfg.tolerance)
    write_json(ctx.out / "comparison.json", comparison)
    return {"backbone": bb.get("backbone"), "head_layers": bb.get("head_layers"), "swap": swap,
            "comparison": comparison}


def _inputs(config: Config):
    from pathlib import Path

    p = Path(config.modifiers_manifest)
    return [p] if p.is_file() else []


def main(config: Config):
    return execute("backbone_compare", config, _body, requires=REQUIRES,
                   inputs=_inputs(config), code=["pipeline.backbone_compare", "pipeline.basemodel"])
