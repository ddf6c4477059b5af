"""``distill``: training examples aimed at the base's failures, from a teacher cascade.

For each modifier domain, the prompts the base failed (``failures``) go through
the configured tiers (cheap -> mid -> frontier, OpenAI-compatible endpoints or a
local GGUF), each answer graded by the judge; an answer scoring >= ``min_score``
(8/10) becomes a training example, the rest escalate to the next tier. With an
LLM judge configured, the first tier also writes ``synthetic_per_cluster`` new
tasks per failure cluster (kept only when the judge scores them >= 8).
Budget cap and per-tier costs come from ``pipeline.teacher``.

Offline (the default) the teacher is a local GGUF through llama-cpp-python,
sampled several times per prompt, and the judge is the domain's verifier
(tests / exact answer / expected calls): rejection sampling keeps only answers
that check out. The curated datasets supply the bulk of the training data: the
``retrieve_per_cluster`` curated examples nearest each failure centroid are
marked as focus examples, which ``train_lora`` oversamples. Teacher examples
are deduplicated (MinHash, Jaccard 0.8) among themselves and against the
curated training data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, execute, write_json

SUMMARY = "teacher cascade (cheap -> mid -> frontier, judge >= 8/10, budget) on failures; focus examples"
REQUIRES = ("base", "curate", "finetune_base", "failures")

SYNTH_PROMPT = """A small model failed tasks like these:

{examples}

Write {n} new tasks of the same kind (different topics and numbers), each with a correct, complete \
answer in the style a helpful assistant would give. Reply with one JSON object per line: \
{{"instruction": "...", "response": "...", "answer": "<final answer, if there is a single one>"}}"""


def _default_tiers() -> list[dict]:
    return [{"name": "local", "kind": "local", "samples": 3, "temperature": 0.7, "max_tokens": 256}]


@dataclass
class Config(PhaseConfig):
    tiers: list[dict] = field(default_factory=_default_tiers)  # TierConfig entries, cheapest first
    judge: dict = field(default_factory=lambda: {"kind": "verifier"})  # JudgeConfig
    min_score: float = 8.0
    budget_usd: float = 0.0  # cap on money spent across tiers and judge (0: free tiers only)
    max_items_per_domain: int = 0  # failures sent to the cascade per domain (0 = all)
    synthetic_per_cluster: int = 0  # needs an LLM judge
    retrieve_per_cluster: int = 8
    dedup_threshold: float = 0.8
    n_ctx: int = 2048


def _build_tiers(cfg: Config, base_gguf: Path, budget, ctx: PhaseContext):
    from pipeline.config import build
    from pipeline.teacher import LocalGGUFTeacher, OpenAIEndpoint, TierConfig

    tiers = []
    for i, raw in enumerate(cfg.tiers):
        tc = build(TierConfig, raw, where=f"distill.tiers[{i}]")
        if tc.kind == "local":
            client = LocalGGUFTeacher(tc.name, Path(tc.gguf) if tc.gguf else base_gguf,
                                      threads=cfg.llama_threads, data_dir=ctx.workdir / ".cache",
                                      n_ctx=cfg.n_ctx)
        elif tc.kind == "openai":
            client = OpenAIEndpoint(tc.name, tc.base_url, tc.model, tc.api_key_env, price_in=tc.price_in_per_mtok,
                                    price_out=tc.price_out_per_mtok, budget=budget, max_retries=tc.max_retries,
                                    backoff_s=tc.backoff_s, timeout_s=tc.timeout_s,
                                    requests_per_minute=tc.requests_per_minute, max_backoff_s=tc.max_backoff_s)
        else:
            raise ValueError(f"distill.tiers[{i}]: kind must be 'local' or 'openai', got {tc.kind!r}")
        tiers.append((tc, client))
    return tiers


def _judge(cfg: Config, budget):
    from pipeline.config import build
    from pipeline.teacher import JudgeConfig, LLMJudge, OpenAIEndpoint, VerifierJudge

    jc = build(JudgeConfig, cfg.judge, where="distill.judge")
    verifier = VerifierJudge({n: s.probe for n, s in cfg.domain_specs().items()})
    if jc.kind == "verifier":
        return verifier
    if jc.kind != "openai":
        raise ValueError(f"distill.judge.kind must be 'verifier' or 'openai', got {jc.kind!r}")
    ep = OpenAIEndpoint("judge", jc.base_url, jc.model, jc.api_key_env, price_in=jc.price_in_per_mtok,
                        price_out=jc.price_out_per_mtok, budget=budget, max_retries=jc.max_retries,
                        backoff_s=jc.backoff_s, timeout_s=jc.timeout_s, requests_per_minute=jc.requests_per_minute)
    return LLMJudge(ep, verifier)


def synthesize(client, tc, domain: str, cluster_id: int, examples: list[str], n: int, seed: int):
    """Ask a tier for ``n`` new tasks like ``examples``; returns Items whose reference is the teacher's answer."""
    from pipeline.scoring import _json_values
    from pipeline.teacher import TeacherError
    from pipeline.textdata import Item

    prompt = SYNTH_PROMPT.format(examples="\n---\n".join(e[:500] for e in examples), n=n)
    try:
        reply = client.complete([{"role": "user", "content": prompt}], max_tokens=max(tc.max_tokens, 256 * n),
                                temperature=tc.temperature, seed=seed)
    except TeacherError:
        return []
    items = []
    for j, obj in enumerate(v for v in _json_values(reply.text) if isinstance(v, dict)):
        if isinstance(obj.get("instruction"), str) and isinstance(obj.get("response"), str):
            items.append(Item(id=f"{domain}-synth-c{cluster_id}-{seed}-{j}", domain=domain,
                              prompt=obj["instruction"], reference=obj["response"], answer=obj.get("answer"),
                              extra={"cluster": cluster_id, "synthetic": tc.name}))
    return items[:n]


def _body(ctx: PhaseContext) -> dict:
    import numpy as np

    from pipeline.basemodel import current_base
    from pipeline.framework import read_json
    from pipeline.minhash import near_duplicates
    from pipeline.teacher import Budget, LLMJudge, run_cascade
    from pipeline.textdata import Item, read_jsonl, write_jsonl
    from runtime.embedder import Embedder

    cfg: Config = ctx.config
    base = current_base(ctx)
    cur, fail_dir = ctx.upstream("curate"), ctx.upstream("failures")
    budget = Budget(cap_usd=cfg.budget_usd)
    judge = _judge(cfg, budget)
    specs = cfg.modifier_domains()
    tiers = None
    metrics: dict = {"domains": {}, "tiers": {}}
    try:
        for name in specs:
            out = ctx.out / name
            if ctx.step_done(f"cascade-{name}"):
                metrics["domains"][name] = ctx.step_info(f"cascade-{name}")
                continue
            failed = read_jsonl(fail_dir / name / "failures.jsonl")
            items = []
            for r in failed:
                it = Item.from_dict(r)
                it.extra = {**it.extra, "cluster": r.get("cluster", 0)}
                items.append(it)
            if cfg.max_items_per_domain:
                items = items[:cfg.max_items_per_domain]
            if tiers is None:
                tiers = _build_tiers(cfg, base.gguf, budget, ctx)
            synth = []
            if cfg.synthetic_per_cluster and isinstance(judge, LLMJudge) and not budget.exhausted:
                clusters = (read_json(fail_dir / name / "clusters.json") or {}).get("clusters", [])
                tc, client = tiers[0]
                for c in clusters:
                    synth += synthesize(client, tc, name, c["id"], [e["prompt"] for e in c["nearest"][:6]],
                                        cfg.synthetic_per_cluster, cfg.seed + c["id"])
            accepted_rows = []
            # Synthetic tasks carry the teacher's own answer: only the judge decides whether they stay.
            for it in synth:
                try:
                    s = judge.grade(it, it.reference)
                except Exception as e:  # noqa: BLE001 - budget or endpoint errors end synthesis, not the phase
                    ctx.log.warning("distill: judging synthetic task failed: %s", e)
                    break
                if s >= cfg.min_score:
                    accepted_rows.append(_example(it, it.reference, f"synthetic:{it.extra['synthetic']}", s))
            res = run_cascade(items, tiers, judge, min_score=cfg.min_score, budget=budget, seed=cfg.seed,
                              progress=lambda it, d, n=name: ctx.progress(it, f"{n} {d}"))
            accepted_rows += [_example(a.item, a.answer, f"teacher:{a.tier}", a.score) for a in res.accepted]
            curated_train = read_jsonl(cur / name / "train.jsonl")
            drop = set(near_duplicates([r["instruction"] + "\n" + r["response"] for r in accepted_rows],
                                       cfg.dedup_threshold,
                                       reference=[r["instruction"] + "\n" + r["response"] for r in curated_train]))
            kept = [r for i, r in enumerate(accepted_rows) if i not in drop]
            write_jsonl(out / "distilled.jsonl", kept)
            per_tier: dict[str, int] = {}
            for r in kept:
                per_tier[r["source"]] = per_tier.get(r["source"], 0) + 1
            info = {"failures": len(failed), "sent": len(items), "synthetic_proposed": len(synth),
                    "accepted": len(accepted_rows), "near_duplicates": len(drop), "kept": len(kept),
                    "by_source": per_tier, "unresolved": len(res.unresolved), "tiers": res.tiers}
            metrics["domains"][name] = info
            ctx.mark_step(f"cascade-{name}", info)
            ctx.log.info("distill: %s -> %s", name, {k: v for k, v in info.items() if k != "tiers"})
    finally:
        for _, client in tiers or []:
            if hasattr(client, "close"):
                client.close()

    # Focus examples: curated training examples nearest each failure cluster's centroid.
    embedder = Embedder(threads=cfg.resolved_threads())
    for name in specs:
        out = ctx.out / name
        clusters = (read_json(fail_dir / name / "clusters.json") or {}).get("clusters", [])
        train = read_jsonl(cur / name / "train.jsonl")
        focus = []
        if clusters and train and cfg.retrieve_per_cluster:
            x = embedder.embed([r["instruction"] for r in train])
            for c in clusters:
                cen = np.asarray(c["centroid"], dtype=np.float32)
                d = np.linalg.norm(x - cen, axis=1)
                for i in np.argsort(d)[:cfg.retrieve_per_cluster]:
                    focus.append({"id": train[int(i)]["id"], "cluster": c["id"], "label": c["label"],
                                  "distance": round(float(d[i]), 4)})
        write_jsonl(out / "focus.jsonl", focus)
        metrics["domains"].setdefault(name, {})["focus"] = len({f["id"] for f in focus})
        ctx.add_artifact(f"{name}/distilled", "dataset", f"{name}/distilled.jsonl", domain=name,
                         rows=metrics["domains"][name].get("kept", 0))
    tiers_total: dict[str, dict] = {}
    for info in metrics["domains"].values():
        for tname, st in (info.get("tiers") or {}).items():
            agg = tiers_total.setdefault(tname, {})
            for k, v in st.items():
                if isinstance(v, (int, float)):
                    agg[k] = round(agg.get(k, 0) + v, 6)
    metrics["tiers"] = tiers_total
    metrics["budget"] = {"cap_usd": cfg.budget_usd, "spent_usd": round(budget.total, 6),
                         "by_tier": {k: round(v, 6) for k, v in budget.spent.items()},
                         "exhausted": budget.exhausted}
    write_json(ctx.out / "costs.json", metrics["budget"])
    return metrics


def _example(item, response: str, source: str, score: float) -> dict:
    rec = {"id": f"{item.id}-{source.replace(':', '-')}", "domain": item.domain,
           "difficulty": str(item.extra.get("difficulty", "unknown")), "source": source,
           "instruction": item.prompt, "response": response.strip(),
           "meta": {"judge_score": round(score, 2), "cluster": item.extra.get("cluster")}}
    for k in ("answer", "tests", "entry_point", "calls", "rubric"):
        v = getattr(item, k)
        if v not in (None, "", []):
            rec[k] = v
    return rec


def main(config: Config):
    return execute("distill", config, _body, requires=REQUIRES,
                   code=["pipeline.teacher", "pipeline.minhash", "pipeline.scoring", "pipeline.basemodel"])
