"""``evaluate``: base vs base+modifier on each domain's held-out set, and the quality gates.

Both runs use the served GGUF base through the runtime engine (greedy), the
modifier hot-swapped in from ``train_lora``'s manifest exactly as the app does.
Scores per domain: HumanEval pass@1 (code, executed in a sandboxed subprocess),
exact-match accuracy (math), call accuracy (automation) and rubric scores
(reasoning, new domains); the benchmark name comes from the domain config.
Gates (``gate_min_score`` / ``gate_min_gain`` per domain, or the defaults here)
stop the pipeline when a modifier does not meet them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config import PhaseConfig
from pipeline.framework import GateFailed, PhaseContext, execute, read_json, write_json

SUMMARY = "base vs base+modifier on held-out sets (HumanEval pass@1, exact match, rubric); quality gates"
REQUIRES = ("base", "curate", "finetune_base", "train_lora")


@dataclass
class Config(PhaseConfig):
    only: list[str] = field(default_factory=list)
    gate_min_score: float | None = None  # defaults for domains without their own gate
    gate_min_gain: float | None = None
    stop_on_gate: bool = True
    judge: dict = field(default_factory=dict)  # optional LLM judge (JudgeConfig, kind: openai) for rubric domains
    n_ctx: int = 2048


def _inputs(config: Config):
    from pathlib import Path

    return [Path(s.eval) for s in config.modifier_domains().values() if s.eval and s.eval.lower() != "humaneval"]


def check_gates(name: str, result: dict, spec, cfg: Config) -> list[str]:
    """Reasons the modifier fails its gates (empty = passes)."""
    min_score = spec.gate_min_score if spec.gate_min_score is not None else cfg.gate_min_score
    min_gain = spec.gate_min_gain if spec.gate_min_gain is not None else cfg.gate_min_gain
    reasons = []
    if min_score is not None and result["modifier"] < min_score:
        reasons.append(f"{name}: modifier score {result['modifier']:.3f} < gate_min_score {min_score}")
    if min_gain is not None and result["gain"] < min_gain - 1e-9:
        reasons.append(f"{name}: gain {result['gain']:+.3f} < gate_min_gain {min_gain:+}")
    return reasons


def _body(ctx: PhaseContext) -> dict:
    from pipeline.basemodel import current_base
    from pipeline.evalsets import eval_items
    from pipeline.phases.failures import make_judge
    from pipeline.scoring import get_scorer
    from pipeline.textdata import chat_messages, write_jsonl
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    cfg: Config = ctx.config
    base = current_base(ctx)
    manifest = ctx.upstream("train_lora") / "manifest.json"
    specs = cfg.modifier_domains()
    names = cfg.only or list(specs)
    judge = make_judge(cfg, cfg.judge)
    settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=cfg.n_ctx,
                        manifest=str(manifest))
    metrics: dict = {"domains": {}}
    engine = None
    try:
        for name in names:
            spec = specs[name]
            if ctx.step_done(f"eval-{name}"):
                metrics["domains"][name] = ctx.step_info(f"eval-{name}")
                continue
            items = eval_items(name, spec, seed=cfg.seed)
            if not items:
                ctx.log.warning("evaluate: %s has no held-out set; skipped", name)
                continue
            if engine is None:
                engine = Engine(settings, model_path=base.gguf, manifest=manifest).open()
            mod = engine.modifiers.get(name)
            if mod is None or not mod.available:
                raise RuntimeError(f"evaluate: modifier {name} is not available: {mod.reason if mod else 'missing'}")
            scorer = get_scorer(spec.scorer)
            rows = {it.id: {"id": it.id} for it in items}
            totals = {}
            for label, modifier in (("base", None), ("modifier", name)):
                vals, passes = [], 0
                for it in ctx.progress(items, f"{name} {label}"):
                    c = engine.complete(ChatRequest(messages=chat_messages(it.prompt, None, spec.system_prompt),
                                                    max_tokens=spec.max_new_tokens, modifier=modifier,
                                                    track_confidence=False))
                    s = scorer(it, c.text, judge)
                    vals.append(s.value)
                    passes += s.passed
                    rows[it.id][label] = {"answer": c.text, "score": round(s.value, 4), "passed": s.passed,
                                          "detail": s.detail}
                totals[label] = (sum(vals) / len(vals), passes / len(vals))
            write_jsonl(ctx.out / name / "results.jsonl", rows.values())
            ctx.add_artifact(f"{name}/results", "report", f"{name}/results.jsonl", domain=name)
            result = {
                "benchmark": spec.benchmark or f"{name} held-out ({spec.scorer})", "scorer": spec.scorer,
                "n": len(items), "base": round(totals["base"][0], 4), "modifier": round(totals["modifier"][0], 4),
                "gain": round(totals["modifier"][0] - totals["base"][0], 4),
                "base_pass_rate": round(totals["base"][1], 4), "modifier_pass_rate": round(totals["modifier"][1], 4),
            }
            metrics["domains"][name] = result
            ctx.mark_step(f"eval-{name}", result)
            ctx.log.info("evaluate: %s %s: base %.3f -> modifier %.3f (n=%d)", name, result["benchmark"],
                         result["base"], result["modifier"], len(items))
    finally:
        if engine is not None:
            engine.close()
    return metrics


def gate_results(cfg: PhaseConfig, metrics: dict) -> dict[str, dict]:
    """Gates of the current config applied to measured results (gates are not part of any fingerprint:
    changing one re-decides, it never re-measures)."""
    specs = cfg.domain_specs()
    defaults = cfg if isinstance(cfg, Config) else Config()
    out = {}
    for name, result in (metrics.get("domains") or {}).items():
        if name in specs:
            reasons = check_gates(name, result, specs[name], defaults)
            out[name] = {"passed": not reasons, "reasons": reasons}
    return out


def main(config: Config):
    res = execute("evaluate", config, _body, requires=REQUIRES, inputs=_inputs(config),
                  code=["pipeline.scoring", "pipeline.sandbox", "pipeline.evalsets", "pipeline.basemodel"])
    gates = gate_results(config, read_json(res.dir / "metrics.json", {}))
    write_json(res.dir / "gates.json", gates)
    reasons = [r for g in gates.values() for r in g["reasons"]]
    if reasons and config.stop_on_gate:
        raise GateFailed("quality gates not met: " + "; ".join(reasons))
    return res
