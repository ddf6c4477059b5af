"""``evaluate``: base vs base+modifier on each domain's held-out set, and the quality gates.

Both runs use the served GGUF base through the runtime engine (greedy), the
modifier hot-swapped in from ``train_lora``'s manifest exactly as the app does.
Scores per domain: HumanEval pass@1 (code, executed in a sandboxed subprocess),
exact-match accuracy (math), call accuracy (automation) and rubric scores
(reasoning, new domains); the benchmark name comes from the domain config.
Gates (per domain, or the defaults here) stop the pipeline when a modifier does not
meet them: ``gate_min_score`` (modifier score), ``gate_min_gain`` (modifier minus
base) and ``gate_worse_alpha``: the modifier is significantly worse than the base
on the same items (one-sided exact McNemar test on per-item pass/fail, p < alpha).
A small held-out set makes raw gains noisy -- on 20 HumanEval problems one
problem is 0.05 -- and the paired test stops only what the data shows is worse.
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
    gate_worse_alpha: float | None = None
    stop_on_gate: bool = True
    judge: dict = field(default_factory=dict)  # optional LLM judge (JudgeConfig, kind: openai) for rubric domains
    n_ctx: int = 2048


def _inputs(config: Config):
    from pathlib import Path

    return [Path(s.eval) for s in config.modifier_domains().values() if s.eval and s.eval.lower() != "humaneval"]


def p_worse(base_passed: list[bool], modifier_passed: list[bool]) -> tuple[float, int, int]:
    """One-sided exact McNemar test that the modifier passes fewer items than the base.

    Returns (p, b, c): b = items only the base passed, c = items only the modifier passed;
    p = P(X >= b) for X ~ Binomial(b + c, 1/2).
    """
    from math import comb

    b = sum(1 for x, y in zip(base_passed, modifier_passed, strict=True) if x and not y)
    c = sum(1 for x, y in zip(base_passed, modifier_passed, strict=True) if y and not x)
    n = b + c
    if n == 0:
        return 1.0, 0, 0
    return sum(comb(n, k) for k in range(b, n + 1)) / 2**n, b, c


def check_gates(name: str, result: dict, spec, cfg: Config) -> list[str]:
    """Reasons the modifier fails its gates (empty = passes)."""
    min_score = spec.gate_min_score if spec.gate_min_score is not None else cfg.gate_min_score
    min_gain = spec.gate_min_gain if spec.gate_min_gain is not None else cfg.gate_min_gain
    alpha = spec.gate_worse_alpha if spec.gate_worse_alpha is not None else cfg.gate_worse_alpha
    reasons = []
    if alpha is not None and "p_worse" in result and result["p_worse"] < alpha:
        reasons.append(f"{name}: modifier significantly worse than the base (only the base passed "
                       f"{result['base_only']} items, only the modifier {result['modifier_only']}; "
                       f"p = {result['p_worse']:.3g} < {alpha})")
    if min_score is not None and result["modifier"] < min_score:
        reasons.append(f"{name}: modifier score {result['modifier']:.3f} < gate_min_score {min_score}")
    if min_gain is not None and result["gain"] < min_gain - 1e-9:
        reasons.append(f"{name}: gain {result['gain']:+.3f} < gate_min_gain {min_gain:+}")
    return reasons


def _body(ctx: PhaseContext) -> dict:
    from pipeline.basemodel import current_base
    from pipeline.evalsets import eval_items
    from pipeline.phases.failures import make_judge
    from pipeline.textdata import write_jsonl
    from runtime.engine import Engine
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
            rows = {it.id: {"id": it.id} for it in items}
            totals = {}
            for label, modifier in (("base", None), ("modifier", name)):
                answered, vals = answer_items(engine, ctx.progress(items, f"{name} {label}"), spec, modifier, judge)
                for r in answered:
                    rows[r.pop("id")][label] = r
                totals[label] = (sum(vals) / len(vals), sum(r["passed"] for r in answered) / len(vals))
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


def answer_items(engine, items, spec, modifier: str | None, judge) -> tuple[list[dict], list[float]]:
    """Answer held-out items greedily (the domain's system prompt and token cap) with ``modifier`` (None = the
    base) and score them: one record per item (id, answer, score rounded, passed, detail) and the raw scores."""
    from pipeline.scoring import get_scorer
    from pipeline.textdata import chat_messages
    from runtime.engine import ChatRequest

    scorer = get_scorer(spec.scorer)
    records, values = [], []
    for it in items:
        c = engine.complete(ChatRequest(messages=chat_messages(it.prompt, None, spec.system_prompt),
                                        max_tokens=spec.max_new_tokens, modifier=modifier, track_confidence=False))
        s = scorer(it, c.text, judge)
        values.append(s.value)
        records.append({"id": it.id, "answer": c.text, "score": round(s.value, 4), "passed": s.passed,
                        "detail": s.detail})
    return records, values


def gate_results(cfg: PhaseConfig, metrics: dict, eval_dir=None) -> dict[str, dict]:
    """Gates of the current config applied to measured results (gates are not part of any fingerprint:
    changing one re-decides, it never re-measures). ``eval_dir`` holds the per-item results."""
    from pipeline.textdata import read_jsonl

    specs = cfg.domain_specs()
    defaults = cfg if isinstance(cfg, Config) else Config()
    out = {}
    for name, result in (metrics.get("domains") or {}).items():
        if name not in specs:
            continue
        result = dict(result)
        rows = read_jsonl(eval_dir / name / "results.jsonl") if eval_dir and (
            eval_dir / name / "results.jsonl").is_file() else []
        if rows:
            p, b, c = p_worse([r["base"]["passed"] for r in rows], [r["modifier"]["passed"] for r in rows])
            result.update({"p_worse": p, "base_only": b, "modifier_only": c})
        reasons = check_gates(name, result, specs[name], defaults)
        out[name] = {"passed": not reasons, "reasons": reasons,
                     **{k: result[k] for k in ("p_worse", "base_only", "modifier_only") if k in result}}
    return out


def main(config: Config):
    res = execute("evaluate", config, _body, requires=REQUIRES, inputs=_inputs(config),
                  code=["pipeline.scoring", "pipeline.sandbox", "pipeline.evalsets", "pipeline.basemodel"])
    gates = gate_results(config, read_json(res.dir / "metrics.json", {}), res.dir)
    write_json(res.dir / "gates.json", gates)
    reasons = [r for g in gates.values() for r in g["reasons"]]
    if reasons and config.stop_on_gate:
        raise GateFailed("quality gates not met: " + "; ".join(reasons))
    return res
