"""``maml``: a meta-learned LoRA (first-order MAML over task families), and how well it adapts from k shots.

Task families come from the domains' training data (``pipeline.meta.family_of``: math word-problem
templates, reasoning puzzle kinds, code tasks by what they operate on, automation tool sequences).
Some families are held out and never seen in meta-training. FOMAML (``pipeline.meta``) learns a
rank-48 LoRA on q/v from the rest; it is exported as a GGUF adapter (``maml.gguf``) and loaded in
llama.cpp through the runtime's engine, as the app would load a modifier.

Evaluation on each held-out family, with k = 1, 3, 5 support examples (nested: the 1 is among the
3, the 3 among the 5) and the same query examples for every method:

- ``zero_shot``: the base alone;
- ``in_context``: the base with the k support examples as earlier chat turns;
- ``scratch_ft``: a fresh LoRA (peft's init) fine-tuned on the k examples with the inner loop;
- ``meta_ft``: the meta-learned LoRA fine-tuned on them with the same loop (same steps, same lr);
- ``meta_0``: the meta-learned LoRA without any fine-tuning (a diagnostic row).

Answers are generated greedily by llama.cpp (adapters exported to GGUF, hot-swapped) and graded with
the domain's scorer (exact match, offline rubric, executed tests, tool calls); the query loss (per-token
NLL of the reference responses, in PyTorch) is reported beside it because on a 135M model and a few
query items the scores move in coarse steps. The meta adapter is trained against the ``base`` phase's
GGUF, the base the app serves.
"""

from __future__ import annotations

import random
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, execute, write_json
from pipeline.meta import MetaParams

SUMMARY = "FOMAML rank-48 q/v LoRA over task families -> GGUF; held-out families at 1/3/5 shots vs baselines"
REQUIRES = ("base",)
METHODS = ("zero_shot", "in_context", "scratch_ft", "meta_ft")
# Helpers whose code is part of this phase's fingerprint (`pipeline list` reads it for the status column).
CODE = ["pipeline.meta", "pipeline.lora", "pipeline.scoring", "runtime.lora_gguf", "pipeline.basemodel"]


@dataclass
class Config(PhaseConfig, MetaParams):
    enabled: bool = True
    only: list[str] = field(default_factory=list)  # domains to draw families from (default: every modifier domain)
    heldout: list[str] = field(default_factory=list)  # e.g. ["math/discount"]; default: seeded picks
    heldout_per_domain: int = 1
    shots: list[int] = field(default_factory=lambda: [1, 3, 5])
    eval_query: int = 5  # query examples per held-out family (the same for every method and k)
    min_family_size: int = 6  # smaller families are left out of meta-training
    max_len: int = 192  # tokens per example in training and in the query loss
    icl_max_len: int = 1024  # in-context prompts (k examples + the question)
    max_new_tokens: int = 128  # cap on the domain's max_new_tokens when generating
    adapter_dtype: str = "f16"
    n_ctx: int = 2048


def _inputs(config: Config) -> list[Path]:
    specs = config.modifier_domains()
    return [Path(specs[n].train) for n in (config.only or list(specs)) if n in specs and specs[n].train]


def _params(cfg: Config) -> MetaParams:
    return MetaParams(**{f: getattr(cfg, f) for f in MetaParams.__dataclass_fields__})


def _body(ctx: PhaseContext) -> dict:
    import torch
    from safetensors.torch import load_file, save_file

    from pipeline.basemodel import read_base
    from pipeline.cpu import CoreWatch
    from pipeline.lora import export_adapter
    from pipeline.meta import LoraLearner, build_families, meta_train, split_heldout
    from pipeline.textdata import read_jsonl

    cfg: Config = ctx.config
    if not cfg.shots or min(cfg.shots) < 1:
        raise ValueError(f"maml.shots must be positive shot counts, got {cfg.shots}")
    base = read_base(ctx.upstream("base"), "base")
    specs = cfg.modifier_domains()
    names = cfg.only or list(specs)
    unknown = [n for n in names if n not in specs or not specs[n].train]
    if unknown:
        raise ValueError(f"maml.only names domains without training data {unknown}; configured: {list(specs)}")
    records = {n: read_jsonl(specs[n].train) for n in names}
    families, small = build_families(records, cfg.min_family_size)
    train_names, held = split_heldout(families, cfg.heldout, cfg.heldout_per_domain,
                                      max(cfg.shots) + cfg.eval_query, random.Random(f"heldout-{cfg.seed}"))
    ctx.log.info("maml: %d meta-training families, held out %s (left out, too small: %d)", len(train_names),
                 held, len(small))
    params = _params(cfg)
    learner = LoraLearner(base.model_dir, params, threads=cfg.threads, seed=cfg.seed)
    cores = CoreWatch(cfg.threads)
    prompts = {n: specs[n].system_prompt for n in names}

    state_file = ctx.out / "meta_state.safetensors"
    if ctx.step_done("meta-train"):
        phi, info = load_file(str(state_file)), ctx.step_info("meta-train")
    else:
        t0 = time.perf_counter()
        phi, history = meta_train(learner, [families[n] for n in train_names], cfg.shots, cfg.max_len,
                                  seed=cfg.seed, threads=cores.threads, system_prompts=prompts,
                                  progress=lambda it, d, t: ctx.progress(it, d, t))
        seconds = time.perf_counter() - t0
        save_file({k: v.contiguous() for k, v in phi.items()}, str(state_file))
        learner.load(phi)
        learner.pm.save_pretrained(str(ctx.out / "peft"))  # safetensors + adapter_config.json
        export_adapter(learner.pm, ctx.out / "maml.gguf", alpha=cfg.alpha, n_head=base.n_head,
                       n_head_kv=base.n_head_kv, arch=base.arch, name="modroute-maml", dtype=cfg.adapter_dtype)
        info = {"seconds": round(seconds, 1), "history": history, "episodes": cfg.meta_iters * cfg.meta_batch}
        write_json(ctx.out / "meta_history.json", info)
        ctx.mark_step("meta-train", info)
    ctx.add_artifact("maml", "modifier", "maml.gguf", domain="meta", base_sha256=base.gguf_sha256,
                     metrics={"rank": cfg.rank, "targets": list(cfg.targets), "train_families": len(train_names)})

    per_family = {}
    for fam_name in held:
        step = "eval-" + fam_name.replace("/", "-")
        if ctx.step_done(step):
            per_family[fam_name] = ctx.step_info(step)
            continue
        res = _evaluate_family(ctx, learner, families[fam_name], specs[families[fam_name].domain], phi, base)
        per_family[fam_name] = res
        ctx.mark_step(step, res)
        torch.set_num_threads(cores.threads())
    shutil.rmtree(ctx.out / ".adapters", ignore_errors=True)
    table = _table(per_family, cfg.shots)
    h = info["history"]
    metrics = {
        "enabled": True, "algorithm": "FOMAML", "params": asdict(params), "trainable_params": learner.trainable,
        "shots": cfg.shots, "eval_query": cfg.eval_query,
        "train_families": {n: len(families[n].examples) for n in train_names},
        "heldout_families": {n: len(families[n].examples) for n in held}, "too_small": small,
        "meta_train": {"seconds": info["seconds"], "episodes": info["episodes"],
                       "query_loss_at_phi_first": h[0]["query_loss_at_phi"] if h else None,
                       "query_loss_at_phi_last": h[-1]["query_loss_at_phi"] if h else None,
                       "query_loss_adapted_first": h[0]["query_loss_adapted"] if h else None,
                       "query_loss_adapted_last": h[-1]["query_loss_adapted"] if h else None},
        "adapter_bytes": (ctx.out / "maml.gguf").stat().st_size,
        "table": table, "families": per_family,
    }
    write_json(ctx.out / "table.json", table)
    return metrics


def _evaluate_family(ctx: PhaseContext, learner, fam, spec, phi, base) -> dict:
    """All methods x shots on one held-out family: adaptation and query loss in PyTorch, then answers
    from llama.cpp with every adapter exported to GGUF, graded with the domain's scorer."""
    from pipeline.lora import export_adapter
    from pipeline.scoring import get_scorer
    from pipeline.textdata import Item, chat_messages, write_jsonl
    from runtime.artifacts import ArtifactEntry, sha256_file, write_manifest
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    cfg: Config = ctx.config
    rng = random.Random(f"{cfg.seed}-{fam.name}")
    pool = list(fam.examples)
    rng.shuffle(pool)
    kmax = max(cfg.shots)
    support, query = pool[:kmax], pool[kmax:kmax + cfg.eval_query]
    sp = spec.system_prompt
    enc_q = learner.encode(query, cfg.max_len, system_prompt=sp)
    tmp = ctx.out / ".adapters" / fam.name.replace("/", "-")
    tmp.mkdir(parents=True, exist_ok=True)
    runs: dict[str, dict] = {}  # "<method>@<k>" -> {loss, adapt_s, adapter, shots}

    def export(label: str) -> str:
        path = export_adapter(learner.pm, tmp / f"{label}.gguf", alpha=cfg.alpha, n_head=base.n_head,
                              n_head_kv=base.n_head_kv, arch=base.arch, name=f"maml-eval-{label}",
                              dtype=cfg.adapter_dtype)
        return path.name

    with learner.pm.disable_adapter():
        runs["zero_shot@0"] = {"loss": learner.loss(enc_q), "adapt_s": 0.0, "adapter": None, "shots": 0}
        for k in cfg.shots:
            enc_icl = [learner.encode([r], cfg.icl_max_len, shots=support[:k], system_prompt=sp)[0] for r in query]
            runs[f"in_context@{k}"] = {"loss": learner.loss(enc_icl, batch_size=2), "adapt_s": 0.0,
                                       "adapter": None, "shots": k}
    learner.load(phi)
    runs["meta_0@0"] = {"loss": learner.loss(enc_q), "adapt_s": 0.0, "adapter": export("meta_0"), "shots": 0}
    for k in cfg.shots:
        enc_s = learner.encode(support[:k], cfg.max_len, system_prompt=sp)
        for method, start in (("scratch_ft", learner.initial), ("meta_ft", phi)):
            t0 = time.perf_counter()
            inner = learner.adapt(start, enc_s)
            dt = time.perf_counter() - t0
            label = f"{method}@{k}"
            runs[label] = {"loss": learner.loss(enc_q), "adapt_s": round(dt, 2), "inner_losses": inner,
                           "adapter": export(label.replace("@", "-")), "shots": k}
    ctx.log.info("maml: %s query loss %s", fam.name, {k: round(v["loss"], 4) for k, v in runs.items()})

    entries = []
    for r in runs.values():
        if r["adapter"]:
            p = tmp / r["adapter"]
            entries.append(ArtifactEntry(name=p.stem, kind="modifier", domain="meta", file=p.name,
                                         sha256=sha256_file(p), size=p.stat().st_size, base_sha256=base.gguf_sha256))
    write_manifest(tmp / "manifest.json", entries)
    scorer = get_scorer(spec.scorer)
    items = [Item.from_record(r, fam.domain) for r in query]
    max_tokens = min(spec.max_new_tokens, cfg.max_new_tokens)
    settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=cfg.n_ctx,
                        manifest=str(tmp / "manifest.json"))
    rows = [{"id": it.id, "family": fam.name} for it in items]
    with Engine(settings, model_path=base.gguf, manifest=tmp / "manifest.json") as eng:
        for label, r in ctx.progress(list(runs.items()), f"{fam.name} answers"):
            name = Path(r["adapter"]).stem if r["adapter"] else None
            if name is not None:
                mod = eng.modifiers.get(name)
                if mod is None or not mod.available:
                    raise RuntimeError(f"llama.cpp refused the exported adapter {name}: "
                                       f"{mod.reason if mod else 'not registered'}")
            shots = support[:r["shots"]] if label.startswith("in_context") else []
            t0 = time.perf_counter()
            values, passes, tokens = [], 0, 0
            for row, it in zip(rows, items, strict=True):
                msgs = ([{"role": "system", "content": sp}] if sp else []) + [
                    m for s in shots for m in chat_messages(s["instruction"], s["response"])] + \
                    chat_messages(it.prompt)
                c = eng.complete(ChatRequest(messages=msgs, max_tokens=max_tokens, modifier=name,
                                             track_confidence=False))
                s = scorer(it, c.text, None)
                values.append(s.value)
                passes += s.passed
                tokens += len(c.token_ids)
                row[label] = {"answer": c.text, "score": round(s.value, 4), "passed": s.passed, "detail": s.detail,
                              "token_ids": c.token_ids[:16]}
            r.update(score=round(sum(values) / len(values), 4), pass_rate=round(passes / len(values), 4),
                     gen_s=round(time.perf_counter() - t0, 2), gen_tokens=tokens, n=len(values))
    # The meta adapter as llama.cpp serves it must act: on some prompt its greedy tokens (first 16) differ.
    changed = sum(row["meta_0@0"]["token_ids"] != row["zero_shot@0"]["token_ids"] for row in rows)
    for row in rows:
        for v in row.values():
            if isinstance(v, dict):
                v.pop("token_ids", None)
    write_jsonl(ctx.out / "results" / f"{fam.name.replace('/', '-')}.jsonl", rows)
    shutil.rmtree(tmp, ignore_errors=True)  # ~5 MB per adapter; only maml.gguf is kept
    for r in runs.values():
        r["loss"] = round(r["loss"], 4)
        r.pop("adapter")
    return {"domain": fam.domain, "scorer": spec.scorer, "size": len(fam.examples), "n_query": len(items),
            "meta_0_changed_answers": f"{changed}/{len(rows)}", "runs": runs}


def _table(per_family: dict[str, dict], shots: list[int]) -> list[dict]:
    """Macro averages over the held-out families: one row per method and shot count (zero-shot and the
    un-adapted meta adapter do not depend on k; they appear under every k for side-by-side reading)."""
    out = []
    for k in shots:
        for method in (*METHODS, "meta_0"):
            key = f"{method}@{k}" if method in ("in_context", "scratch_ft", "meta_ft") else f"{method}@0"
            rs = [f["runs"][key] for f in per_family.values() if key in f["runs"]]
            if not rs:
                continue
            n = sum(r["n"] for r in rs)
            out.append({
                "method": method, "k": k, "families": len(rs), "n": n,
                "score": round(sum(r["score"] for r in rs) / len(rs), 4),
                "pass_rate": round(sum(r["pass_rate"] * r["n"] for r in rs) / n, 4),
                "query_loss": round(sum(r["loss"] for r in rs) / len(rs), 4),
                "adapt_s": round(sum(r["adapt_s"] for r in rs) / len(rs), 2),
                "gen_s_per_item": round(sum(r["gen_s"] for r in rs) / n, 3),
            })
    return out


LABELS = {"zero_shot": "(a) zero-shot base", "in_context": "(b) in-context, k examples in the prompt",
          "scratch_ft": "(c) fresh LoRA fine-tuned on the k examples", "meta_ft": "(d) meta LoRA fine-tuned on them",
          "meta_0": "meta LoRA, not fine-tuned"}


def report_section(m: dict) -> str:
    """Markdown for REPORT.md from the phase's metrics.json (every number from the run)."""
    shots = m["shots"]
    cells = {(r["method"], r["k"]): r for r in m["table"]}
    head = ["method", *[f"{k}-shot score / query loss" for k in shots], "adapt s (k=max)", "answer s/item (k=max)"]
    rows = []
    for method in (*METHODS, "meta_0"):
        rs = [cells.get((method, k)) for k in shots]
        last = rs[-1] or {}
        rows.append("| " + " | ".join([LABELS[method], *[f"{r['score']:.3f} / {r['query_loss']:.3f}" if r else "—"
                                                          for r in rs],
                                       f"{last.get('adapt_s', 0):.1f}", f"{last.get('gen_s_per_item', 0):.2f}"]) + " |")
    fam_rows = []
    for name, f in m["families"].items():
        runs = f["runs"]
        k = max(shots)
        fam_rows.append(f"| {name} | {f['scorer']} | {f['n_query']} | " + " | ".join(
            f"{runs[key]['score']:.2f} / {runs[key]['loss']:.3f}" for key in
            ("zero_shot@0", f"in_context@{k}", f"scratch_ft@{k}", f"meta_ft@{k}")) + " |")
    mt = m["meta_train"]
    return "\n".join([
        "| " + " | ".join(head) + " |", "|" + "---|" * len(head), *rows, "",
        f"Per held-out family at k = {max(shots)} (score / query loss):", "",
        "| family | scorer | query items | (a) zero-shot | (b) in-context | (c) scratch | (d) meta |",
        "|---|---|---|---|---|---|---|", *fam_rows, "",
        f"Meta-training: {mt['episodes']} episodes over {len(m['train_families'])} families in {mt['seconds']:.0f} s; "
        f"query loss of the episodes at the meta weights {mt['query_loss_at_phi_first']} (first outer step) -> "
        f"{mt['query_loss_at_phi_last']} (last), after the inner loop {mt['query_loss_adapted_first']} -> "
        f"{mt['query_loss_adapted_last']}. Phase wall time {m.get('seconds', 0):.0f} s, CPU {m.get('cpu_seconds', 0):.0f} s, "
        f"load average {m.get('load_avg')}. Adapter: {m['adapter_bytes']:,} bytes "
        f"({m['trainable_params']:,} LoRA parameters).",
    ])


def main(config: Config):
    if not config.enabled:
        # Not a run: leave whatever an enabled run produced in place (`pipeline all` must not replace it).
        import logging

        from pipeline.framework import PhaseResult, read_json

        logging.getLogger("pipeline.maml").info("maml: disabled (maml.enabled false); run it with --enabled true")
        d = Path(config.workdir) / "maml"
        return PhaseResult("maml", "disabled", d, read_json(d / "metrics.json", {}) or {}, 0.0)
    return execute("maml", config, _body, requires=REQUIRES, inputs=_inputs(config), code=CODE)
