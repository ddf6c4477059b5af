"""Markdown report of a pipeline run, from what the phases recorded (``metrics.json`` and ``runs.json``).

Every number comes from a file the run wrote; nothing is typed in by hand.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

from pipeline.framework import read_json
from pipeline.phases import ORDER


def _fmt(x: Any, nd: int = 3) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def _table(head: list[str], rows: list[list[Any]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in r) + " |" for r in rows]
    return "\n".join(out)


def render(workdir: Path, doc: dict) -> str:
    m = {p: read_json(workdir / p / "metrics.json", {}) or {} for p in ORDER}
    parts = [f"# Pipeline report: `{workdir}`", ""]
    parts.append(f"Machine: {platform.machine()}, {__import__('os').cpu_count()} CPU cores (shared with other "
                 "work while this ran; `load` is the 1-minute load average at the start and end of each phase).")
    parts.append("")

    parts.append("## Time per phase\n")
    rows, total_wall, total_cpu = [], 0.0, 0.0
    for p in ORDER:
        pm = m[p]
        if not pm:
            continue
        total_wall += pm.get("seconds", 0.0)
        total_cpu += pm.get("cpu_seconds", 0.0) or 0.0
        load = pm.get("load_avg") or [None, None]
        rows.append([p, f"{pm.get('seconds', 0):.0f}", _fmt(pm.get("cpu_seconds"), 0),
                     f"{_fmt(load[0], 1)} → {_fmt(load[1], 1)}"])
    rows.append(["**total**", f"**{total_wall:.0f}** ({total_wall / 60:.1f} min)", f"{total_cpu:.0f}", ""])
    parts.append(_table(["phase", "wall s", "CPU s", "load"], rows))
    parts.append("")

    cur = m["curate"].get("domains", {})
    if cur:
        parts.append("## Data (curate)\n")
        reasons = sorted({k for d in cur.values() for k in d if k not in (
            "read", "train", "val", "probe", "difficulty")})
        head = ["domain", "read", *reasons, "train", "val", "probe"]
        parts.append(_table(head, [[d, v.get("read", 0), *[v.get(r, 0) for r in reasons], v.get("train", 0),
                                    v.get("val", 0), v.get("probe", 0)] for d, v in cur.items()]))
        ppl = m["curate"].get("ppl", {})
        if ppl:
            parts.append("\nReference-model perplexity (base model, first tokens of each example): " + "; ".join(
                f"{d} median {v['median']}, kept ≤ {v['cutoff']}" for d, v in ppl.items()) + ".")
        parts.append("")

    fb = m["finetune_base"]
    parts.append("## finetune_base\n")
    if fb.get("enabled"):
        parts.append(f"Selected step {fb['selected_step']} of {fb['steps']} (score {fb['selected_score']}); "
                     f"validation {fb['baseline_val']} → {fb['selected_val']}; GGUF {fb['gguf_bytes']:,} bytes "
                     f"({fb['quant']}).\n")
    else:
        parts.append("Disabled in this run: the modifiers are trained against the embedded base the app serves.\n")

    fa = m["failures"].get("domains", {})
    if fa:
        parts.append("## Failures of the base on probe sets (failures)\n")
        parts.append(_table(["domain", "scorer", "probes", "failed", "base pass rate", "clusters", "silhouette"],
                            [[d, v["scorer"], v["probes"], v["failures"], v["base_pass_rate"], v["k"],
                              v["silhouette"]] for d, v in fa.items()]))
        parts.append("")
        for d, v in fa.items():
            labels = ", ".join(f"{c['label']} ({c['size']}, sil {_fmt(c['silhouette'], 2)})" for c in v["clusters"])
            if labels:
                parts.append(f"- **{d}**: {labels}")
        parts.append("")

    di = m["distill"]
    if di.get("domains"):
        parts.append("## Teacher cascade (distill)\n")
        tiers = sorted({t for v in di["domains"].values() for t in (v.get("tiers") or {})})
        rows = []
        for d, v in di["domains"].items():
            for t in tiers:
                st = (v.get("tiers") or {}).get(t, {})
                rows.append([d, t, st.get("items", 0), st.get("attempts", 0), st.get("accepted", 0),
                             st.get("escalated", 0), st.get("completion_tokens", 0), _fmt(st.get("cost_usd"), 4)])
        parts.append(_table(["domain", "tier", "items", "answers", "accepted (judge ≥ 8)", "not accepted",
                             "completion tokens", "cost $"], rows))
        parts.append("")
        parts.append(_table(["domain", "base failures", "sent to cascade", "kept after dedup", "by source",
                             "focus examples"],
                            [[d, v.get("failures"), v.get("sent"), v.get("kept"),
                              ", ".join(f"{k}: {n}" for k, n in (v.get("by_source") or {}).items()) or "—",
                              v.get("focus")] for d, v in di["domains"].items()]))
        b = di.get("budget", {})
        parts.append(f"\nBudget: cap ${b.get('cap_usd')}, spent ${b.get('spent_usd')} "
                     f"(exhausted: {b.get('exhausted')}).\n")

    tl = m["train_lora"].get("domains", {})
    if tl:
        parts.append("## LoRA modifiers (train_lora)\n")
        rows = []
        for d, v in tl.items():
            s = v["summary"]
            ex = s["train_examples"]
            rows.append([d, f"{ex['total']} ({ex['curated']} curated, {ex['distilled']} teacher, {ex['focus']} focus, "
                            f"{ex['rehearsal']} rehearsal)", f"{s['best_step']}/{s['steps']}",
                         f"{_fmt(s['val_loss_base'])} → {_fmt(s['val_loss'])}",
                         f"{_fmt(s['general_val_loss_base'])} → {_fmt(s['general_val_loss'])}",
                         f"{v['seconds']:.0f}", f"{v['adapter_bytes']:,}", v.get("verify_changed"),
                         _fmt(v.get("lora_agreement_mean"), 2)])
        parts.append(_table(["domain", "training examples", "best step", "val loss", "general val loss", "s",
                             "adapter bytes", "greedy answers changed", "llama.cpp/PyTorch agreement"], rows))
        parts.append("")

    ev = m["evaluate"].get("domains", {})
    if ev:
        parts.append("## Base vs base + modifier on held-out sets (evaluate)\n")
        gates = read_json(workdir / "evaluate" / "gates.json", {}) or {}
        parts.append(_table(["domain", "benchmark", "n", "base", "base + modifier", "gain",
                             "items only base / only modifier passed", "p (modifier worse)", "p (modifier better)",
                             "gate"],
                            [[d, v["benchmark"], v["n"], v["base"], v["modifier"], f"{v['gain']:+.3f}",
                              f"{gates.get(d, {}).get('base_only', '—')} / {gates.get(d, {}).get('modifier_only', '—')}",
                              _fmt(gates.get(d, {}).get("p_worse")), _fmt(_p_better(gates.get(d, {}))),
                              "pass" if gates.get(d, {}).get("passed", True) else "FAIL"] for d, v in ev.items()]))
        parts.append("")

    pu = m["publish"].get("modifiers", {})
    if pu:
        parts.append("## Published artifacts (publish)\n")
        parts.append(_table(["modifier", "file", "raw bytes", "stored bytes", "zstd ratio"],
                            [[n, v.get("file", "—"), f"{v.get('raw_bytes', 0):,}", f"{v.get('stored_bytes', 0):,}",
                              v.get("zstd_ratio")] for n, v in pu.items() if v.get("published")]))
        parts.append("")
    parts += _backbone_analysis(m.get("backbone_analysis") or {})
    parts += _backbone(m.get("backbone_compare") or {})
    parts += _compression(m)
    return "\n".join(parts) + "\n"


def shipped(manifest: str | Path, alpha: float = 0.05, merged: dict[str, str] | None = None) -> str:
    """Every modifier a manifest ships, base vs base + modifier on its held-out items with the paired
    one-sided tests, and whether the router sends its domain to it (``runtime.benefit``'s verdict). A domain
    the shipped classifier folds into another (``merged``, default ``runtime.router_train.ROUTER_MERGE``) is
    not a router label: its questions route as the target's and its modifier answers only when forced."""
    from runtime.artifacts import read_manifest
    from runtime.benefit import judge_held_out
    from runtime.router_train import ROUTER_MERGE

    merged = ROUTER_MERGE if merged is None else merged

    rows = []
    for e in read_manifest(manifest).of_kind("modifier"):
        m = e.metrics or {}
        v = judge_held_out(e.name, e.domain or e.name, m, alpha, unmeasured_eligible=False)
        b, c = m.get("base_only"), m.get("modifier_only")
        worse = _p_better({"base_only": c, "modifier_only": b}) if b is not None and c is not None else None
        rows.append([e.domain or e.name, m.get("benchmark", "—"), m.get("n"), _fmt(m.get("base")), _fmt(m.get("modifier")),
                     f"{m['gain']:+.3f}" if isinstance(m.get("gain"), (int, float)) else "—",
                     f"{b if b is not None else '—'} / {c if c is not None else '—'}",
                     _fmt(_p_better(m)), _fmt(worse),
                     f"as {merged[e.domain]} (not a router label; forced only)" if e.domain in merged
                     else "Accurate" if v.eligible else "Fast"])
    return "\n".join([
        f"## Shipped modifiers (`{manifest}`)\n",
        f"One row per modifier: its held-out items, the paired exact sign tests on the items only one of the two "
        f"passed, and where the router sends the domain's questions in auto mode (Accurate only for a significant "
        f"gain, one-sided p < {alpha:g}; `runtime.benefit`).\n",
        _table(["domain", "benchmark", "n", "base", "base + modifier", "gain", "only base / only modifier passed",
                "p (modifier better)", "p (modifier worse)", "auto mode"], rows), ""])


def _p_better(gate: dict) -> float | None:
    """One-sided exact sign test that the modifier is better (the router's evidence, runtime.benefit)."""
    if "base_only" not in gate or "modifier_only" not in gate:
        return None
    from runtime.benefit import sign_test_p

    return sign_test_p(int(gate["base_only"]), int(gate["modifier_only"]))


def _backbone(b: dict) -> list[str]:
    """Shared backbone + heads vs independent modifiers (``backbone_compare``, from ``backbone``'s heads)."""
    cmp = b.get("comparison") or {}
    if not cmp.get("rows"):
        return []
    bb, sw, by = b.get("backbone") or {}, b.get("swap") or {}, cmp.get("bytes") or {}
    tol = cmp.get("tolerance", 0.01)
    out = ["## Shared backbone + heads vs independent modifiers (backbone, backbone_compare)\n",
           f"Backbone: rank {bb.get('rank')} on every layer, {sum((bb.get('examples') or {}).values())} domain examples "
           f"+ {bb.get('rehearsal')} general (rehearsal), val loss {_fmt(bb.get('val_loss_base'))} → {_fmt(bb.get('val_loss'))} "
           f"(step {bb.get('best_step')}/{bb.get('steps')}, {_fmt(bb.get('seconds'), 0)} s); heads on layers "
           f"{(b.get('head_layers') or ['?'])[0]}-{(b.get('head_layers') or ['?'])[-1]}. Independent scores are the "
           f"manifest's (same held-out items, same engine). Rule: shared ≥ independent × {1 - tol:g}.\n"]
    out.append(_table(["domain", "n", "base", "independent", "shared (backbone + head)", "diff", "meets rule",
                       "load ms independent", "load ms head"],
                      [[r["domain"], r.get("n"), _fmt(r.get("base")), _fmt(r.get("independent")), _fmt(r.get("shared")),
                        "—" if r.get("diff") is None else f"{r['diff']:+.3f}",
                        {True: "yes", False: "no", None: "—"}[r.get("meets_rule")],
                        _fmt(r.get("load_ms_independent"), 1), _fmt(r.get("load_ms_head"), 1)]
                       for r in cmp["rows"]]))
    isw, ssw = sw.get("independent_switch") or {}, sw.get("shared_switch") or {}
    bbl = next(iter((sw.get("load_ms") or {}).get("shared_backbone", {}).values()), None)
    out.append("")
    out.append(_table(["layout", "GGUF bytes", "zstd bytes", "backbone load ms", "first token after a switch ms "
                       "(median / p90)", "decode tok/s with the modifier"],
                      [["independent", f"{by.get('independent_gguf', 0):,}", f"{by.get('independent_zstd', 0):,}", "—",
                        f"{_fmt(isw.get('first_token_ms'), 1)} / {_fmt(isw.get('first_token_ms_p90'), 1)}",
                        _fmt(isw.get("decode_tok_s"), 1)],
                       ["shared", f"{by.get('shared_gguf', 0):,}", f"{by.get('shared_zstd', 0):,}", _fmt(bbl, 1),
                        f"{_fmt(ssw.get('first_token_ms'), 1)} / {_fmt(ssw.get('first_token_ms_p90'), 1)}",
                        _fmt(ssw.get("decode_tok_s"), 1)]]))
    out.append(f"\nMeet the rule: {', '.join(cmp.get('meets') or []) or 'none'}; "
               f"miss it: {', '.join(cmp.get('misses') or []) or 'none'}.\n")
    return out


def _backbone_analysis(b: dict) -> list[str]:
    """What the published modifiers share (the phase's own tables, from its metrics)."""
    if not b.get("modifiers"):
        return []
    from pipeline.backbone_analysis_report import markdown_tables

    return ["## What the modifiers share (backbone_analysis)\n", *markdown_tables(b), ""]


def _get(d: Any, *path: str) -> Any:
    for k in path:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _bytes(n: Any) -> str:
    return f"{n:,}" if isinstance(n, int) else "—"


def _compression(m: dict[str, dict]) -> list[str]:
    """Part 2: each compression phase that ran, its quality figure and its bytes (as recorded)."""
    rows = []
    v = m.get("vocab") or {}
    if v:
        ppl = _get(v, "perplexity", "ppl_per_original_token") or {}
        rows.append(["vocab", f"{_fmt(v.get('vocab_before'))} -> {_fmt(v.get('vocab_after'))} tokens ({v.get('kept', '—')})",
                     f"perplexity {_fmt(ppl.get('original'))} -> {_fmt(ppl.get('trimmed'))}",
                     f"-{_bytes(_get(v, 'bytes_saved', 'file_bytes'))} B (weights file)"])
    pr = m.get("prune") or {}
    if pr:
        rows.append(["prune", f"{pr.get('mask_structure', '—')} levels {pr.get('levels', '—')}",
                     f"score {_fmt(_get(pr, 'dense', 'score'), 4)} dense -> {_fmt(_get(pr, 'final', 'score'), 4)}",
                     f"{_fmt(_get(pr, 'dense', 'size_mb'), 1)} -> {_fmt(_get(pr, 'final', 'size_mb'), 1)} MB (sparse estimate)"])
    q = m.get("quantize") or {}
    if q:
        g = q.get("gate") or {}
        rows.append(["quantize", f"{_get(q, 'method', 'used') or '—'} W{_get(q, 'scheme', 'bits') or '?'}A16, group "
                     f"{_get(q, 'scheme', 'group_size') or '—'}",
                     f"{_fmt(g.get('ratio'))} of the input's score ({'pass' if g.get('passed') else 'FAIL'})", "—"])
    r = m.get("recover") or {}
    if r:
        rows.append(["recover", f"{_fmt(r.get('hard_examples'))} hardest examples, kept {r.get('kept', '—')}",
                     f"held-out perplexity {_fmt(_get(r, 'validation_before', 'ppl'))} -> "
                     f"{_fmt(_get(r, 'validation_after', 'ppl'))}", "—"])
    e = m.get("export_gguf") or {}
    for label, val in (e.get("validation") or {}).items():
        rows.append([f"export_gguf {label}", f"from {e.get('source_phase') or e.get('source', '—')}",
                     f"agreement {_fmt(_get(val, 'agreement', 'agreement'))}, perplexity "
                     f"{_fmt(_get(val, 'perplexity', 'llama'))} vs PyTorch {_fmt(_get(val, 'perplexity', 'torch'))}",
                     f"{_bytes(_get(e, 'sizes', label))} B"])
    for name, f in (_get(m, "compress", "files") or {}).items():
        rows.append([f"compress {name}", f"zstd level {f.get('level', '—')}, stored {f.get('stored', '—')}",
                     "bit-exact (SHA-256)", f"{_bytes(f.get('raw_bytes'))} -> {_bytes(f.get('stored_bytes'))} B"])
    for name, c in (_get(m, "compress_modifiers", "modifiers") or {}).items():
        rows.append([f"compress_modifiers {name}", f"{_fmt(c.get('zero_fraction'), 2)} zeros, Q8_0, zstd; "
                     f"{'kept' if c.get('kept') else 'not kept'}",
                     f"score {_fmt(c.get('uncompressed'))} -> {_fmt(c.get('modifier'))} (base {_fmt(c.get('base'))})",
                     f"{_bytes(_get(c, 'sizes', 'f32_gguf'))} -> {_bytes(_get(c, 'sizes', 'pruned_q8_0_zstd'))} B"])
    rb = m.get("rebase") or {}
    z = rb.get("zstd") or {}
    if z:
        rows.append([f"rebase zstd {rb.get('quant_type', '')}", f"the served compressed base, zstd level {z.get('level')}",
                     "bit-exact (SHA-256)" if z.get("round_trip_sha256_match") else "MISMATCH",
                     f"{_bytes(z.get('raw_bytes'))} -> {_bytes(z.get('zstd_bytes'))} B ({_fmt(z.get('ratio'), 4)}x)"])
    if not rows:
        return []
    return ["## Compression (part 2)\n", _table(["phase", "what", "quality", "bytes"], rows), "", *_rebase(rb)]


def _rebase(rb: dict) -> list[str]:
    """The compressed base with modifiers retrained for it vs the embedded base, on the same held-out items."""
    v = rb.get("verdict") or {}
    if not v:
        return []
    rows = [[d, r.get("n"), _fmt(r.get("embedded_base")), _fmt(r.get("embedded_modifier")), _fmt(r.get("compressed_base")),
             _fmt(r.get("compressed_modifier")), "pass" if r.get("compressed_gate_passed") else "FAIL",
             "published" if _get(rb, "published", d, "published") else "not published"]
            for d, r in (v.get("domains") or {}).items()]
    base = rb.get("base") or {}
    return ["## Compressed base with its own modifiers (rebase)\n",
            f"Base: `{Path(rb.get('source_gguf', '')).name}` ({rb.get('quant_type')}, {_bytes(base.get('bytes'))} B), "
            f"modifiers retrained against it on the same data and settings. {v.get('note', '')}.", "",
            _table(["domain", "n", "embedded base", "embedded + modifier", "compressed base", "compressed + modifier",
                    "gate", "modifier"], rows), ""]
