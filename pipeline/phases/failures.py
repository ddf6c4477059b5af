"""``failures``: where the base fails, grouped into themes.

Runs the served base (GGUF, llama.cpp, greedy) on each modifier domain's probe
set from ``curate``, scores every answer with the domain's probe scorer (code
executed against its tests in a sandboxed subprocess, numbers by exact match,
tool calls by call matching, others by rubric), embeds the failed prompts with
MiniLM, clusters them with KMeans (k-means++, ``n_init`` restarts, ``k`` per
domain, default 10, capped by the number of failures), and reports the
silhouette of each cluster, the ``nearest`` examples to each centroid and a
label (from the judge model when one is configured, else distinctive keywords).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, execute, write_json

SUMMARY = "run the base on probe sets, mark failures, embed (MiniLM), KMeans clusters with labels"
REQUIRES = ("base", "curate", "finetune_base")


@dataclass
class Config(PhaseConfig):
    k: int = 10
    n_init: int = 20
    nearest: int = 20
    min_per_cluster: int = 3  # k is capped at failures // min_per_cluster
    probe_n: int = 0  # 0 = every probe curate wrote
    n_ctx: int = 2048
    judge: dict = field(default_factory=dict)  # optional JudgeConfig (kind: openai) for rubric scoring and labels


def make_judge(cfg: PhaseConfig, judge_cfg: dict, budget=None):
    """The configured LLM judge, or None (offline: rubric/keyword scoring)."""
    if not judge_cfg or judge_cfg.get("kind", "verifier") == "verifier":
        return None
    from pipeline.config import build
    from pipeline.teacher import Budget, JudgeConfig, LLMJudge, OpenAIEndpoint, VerifierJudge

    jc = build(JudgeConfig, judge_cfg, where="judge")
    budget = budget or Budget(cap_usd=float(judge_cfg.get("budget_usd", 0.0)))
    ep = OpenAIEndpoint("judge", jc.base_url, jc.model, jc.api_key_env, price_in=jc.price_in_per_mtok,
                        price_out=jc.price_out_per_mtok, budget=budget, max_retries=jc.max_retries,
                        backoff_s=jc.backoff_s, timeout_s=jc.timeout_s, requests_per_minute=jc.requests_per_minute)
    scorers = {n: s.probe for n, s in cfg.domain_specs().items()}
    return LLMJudge(ep, VerifierJudge(scorers))


def _body(ctx: PhaseContext) -> dict:
    import numpy as np

    from pipeline.basemodel import current_base
    from pipeline.clustering import cluster_embeddings, keyword_labels
    from pipeline.scoring import get_scorer
    from pipeline.textdata import Item, chat_messages, read_jsonl, write_jsonl
    from runtime.embedder import Embedder
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    cfg: Config = ctx.config
    base = current_base(ctx)
    cur = ctx.upstream("curate")
    specs = cfg.modifier_domains()
    judge = make_judge(cfg, cfg.judge)
    settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=cfg.n_ctx,
                        manifest="")
    metrics: dict = {"domains": {}}
    engine = None
    try:
        for name, spec in specs.items():
            out = ctx.out / name
            if ctx.step_done(f"probe-{name}"):
                continue
            items = [Item.from_record(r, name) for r in read_jsonl(cur / name / "probe.jsonl")]
            if cfg.probe_n:
                items = items[:cfg.probe_n]
            if engine is None:
                engine = Engine(settings, model_path=base.gguf, manifest="").open()
            scorer = get_scorer(spec.probe)
            rows = []
            for it in ctx.progress(items, f"{name} probes"):
                c = engine.complete(ChatRequest(messages=chat_messages(it.prompt, None, spec.system_prompt),
                                                max_tokens=spec.max_new_tokens, track_confidence=False))
                s = scorer(it, c.text, judge)
                rows.append({"item": it.to_dict(), "answer": c.text, "score": round(s.value, 4),
                             "passed": s.passed, "detail": s.detail})
            write_jsonl(out / "probe_results.jsonl", rows)
            ctx.mark_step(f"probe-{name}")
    finally:
        if engine is not None:
            engine.close()

    embedder = Embedder(threads=cfg.resolved_threads())
    for name in specs:
        out = ctx.out / name
        rows = read_jsonl(out / "probe_results.jsonl")
        failed = [r for r in rows if not r["passed"]]
        texts = [r["item"]["prompt"] for r in failed]
        x = embedder.embed(texts) if texts else np.zeros((0, 384), dtype=np.float32)
        clusters, sil = cluster_embeddings(x, cfg.k, n_init=cfg.n_init, seed=cfg.seed, nearest=cfg.nearest,
                                           min_per_cluster=cfg.min_per_cluster)
        labels = keyword_labels(texts, clusters)
        if judge is not None and clusters:
            labels = [_judge_label(judge, [texts[i] for i, _ in c.nearest[:8]]) or kw
                      for c, kw in zip(clusters, labels, strict=True)]
        cluster_of = {}
        report = []
        for c, label in zip(clusters, labels, strict=True):
            c.label = label
            for i in c.members:
                cluster_of[i] = c.id
            report.append({"id": c.id, "label": label, "size": c.size,
                           "silhouette": None if c.silhouette is None else round(c.silhouette, 4),
                           "nearest": [{"id": failed[i]["item"]["id"], "distance": round(d, 4),
                                        "prompt": texts[i][:300]} for i, d in c.nearest],
                           "centroid": c.centroid})
        write_jsonl(out / "failures.jsonl", [{**r["item"], "cluster": cluster_of.get(i, 0), "base_answer": r["answer"],
                                              "base_score": r["score"]} for i, r in enumerate(failed)])
        np.save(out / "embeddings.npy", x, allow_pickle=False)
        write_json(out / "clusters.json", {"silhouette": sil, "clusters": report})
        ctx.add_artifact(f"{name}/failures", "dataset", f"{name}/failures.jsonl", domain=name, rows=len(failed))
        ctx.add_artifact(f"{name}/clusters", "report", f"{name}/clusters.json", domain=name)
        n = len(rows)
        metrics["domains"][name] = {
            "probes": n, "failures": len(failed), "base_pass_rate": round(1 - len(failed) / n, 4) if n else None,
            "scorer": specs[name].probe, "k": len(clusters), "silhouette": None if sil is None else round(sil, 4),
            "clusters": [{"id": r["id"], "label": r["label"], "size": r["size"], "silhouette": r["silhouette"]}
                         for r in report],
        }
        ctx.log.info("failures: %s %d/%d failed, %d clusters, silhouette %s", name, len(failed), n, len(clusters),
                     sil)
    return metrics


def _judge_label(judge, examples: list[str]) -> str:
    prompt = ("These tasks were all answered wrongly by a small model. Name the common theme in 3 to 6 words. "
              "Reply with the theme only.\n\n" + "\n---\n".join(e[:400] for e in examples))
    try:
        reply = judge.endpoint.complete([{"role": "user", "content": prompt}], max_tokens=24, temperature=0.0)
    except Exception as e:  # a label is nice to have; keywords stand in
        import logging

        logging.getLogger("pipeline.failures").warning("judge label failed: %s", e)
        return ""
    return reply.text.strip().splitlines()[0][:80] if reply.text.strip() else ""


def main(config: Config):
    return execute("failures", config, _body, requires=REQUIRES,
                   code=["pipeline.clustering", "pipeline.scoring", "pipeline.sandbox", "pipeline.basemodel"])
