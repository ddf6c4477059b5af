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
                             "items only base / only modifier passed", "p (modifier worse)", "gate"],
                            [[d, v["benchmark"], v["n"], v["base"], v["modifier"], f"{v['gain']:+.3f}",
                              f"{gates.get(d, {}).get('base_only', '—')} / {gates.get(d, {}).get('modifier_only', '—')}",
                              _fmt(gates.get(d, {}).get("p_worse")),
                              "pass" if gates.get(d, {}).get("passed", True) else "FAIL"] for d, v in ev.items()]))
        parts.append("")

    pu = m["publish"].get("modifiers", {})
    if pu:
        parts.append("## Published artifacts (publish)\n")
        parts.append(_table(["modifier", "file", "raw bytes", "stored bytes", "zstd ratio"],
                            [[n, v.get("file", "—"), f"{v.get('raw_bytes', 0):,}", f"{v.get('stored_bytes', 0):,}",
                              v.get("zstd_ratio")] for n, v in pu.items() if v.get("published")]))
        parts.append("")
    return "\n".join(parts) + "\n"
