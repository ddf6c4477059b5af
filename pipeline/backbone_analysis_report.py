"""What ``backbone_analysis`` found, as markdown tables (its ``report.md`` and ``pipeline.report``'s section)
and a PNG: per-layer mean cosine between the modifiers' deltas; explained fraction vs r."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SHARED_COLOR, INPUT_COLOR, BOTH_COLOR = (67, 147, 195), (230, 150, 30), (77, 172, 38)
OWN_COLOR, NULL_COLOR = (150, 150, 150), (214, 96, 77)


def _md_table(head: list[str], rows: list[list[Any]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|",
            *("| " + " | ".join(c if isinstance(c, str) else f"{c:.3f}" for c in r) + " |" for r in rows)]


def markdown_tables(m: dict) -> list[str]:
    """The cosine matrix and the explained-fraction table (also rendered by ``pipeline.report``)."""
    names, ranks, ex = m["modifiers"], m["ranks"], m["explained"]
    cos = m["cosine"]["layer_mean_matrix"]
    out = [f"Cosine similarity of the modifiers' ΔW, per layer (all modules of a layer flattened), mean over "
           f"{len(m['layers'])} layers; mean off the diagonal **{m['cosine']['mean_offdiag']:.3f}** "
           f"(whole adapter flattened: {_whole_offdiag(m):.3f}; unrelated deltas with the same spectra: "
           f"RMS {_fmt(m['cosine'].get('null_rms_offdiag'))}).", "",
           *_md_table(["", *names], [[a, *[cos[a][b] for b in names]] for a in names]), "",
           f"Fraction of each modifier's ‖ΔW‖² (summed over {m['blocks']} weights) inside the top-r components "
           f"shared by the {m['k']} modifiers (SVD of the concatenated {'normalised ' if m['normalize'] else ''}"
           f"deltas per weight; output side). Stacked rank {m['stacked_rank']}: r ≥ that explains all.", ""]
    rows = [[n, *ex["output"]["per_modifier"][n]] for n in names]
    rows += [["**mean, output side**", *ex["output"]["mean"]], ["mean, input side", *ex["input"]["mean"]],
             ["mean, both sides (U_r C V_rᵀ)", *ex["both"]["mean"]],
             ["null: same spectra, random directions (output)", *ex["null"]["output"]["mean"]],
             ["null (input side)", *ex["null"]["input"]["mean"]], ["null (both sides)", *ex["null"]["both"]["mean"]],
             ["own top-r (upper bound)", *ex["own"]["mean"]]]
    out += _md_table(["modifier", *[f"r={r}" for r in ranks]], rows)
    mods = m["cosine"]["per_module_mean_offdiag"]
    pl = m["cosine"]["per_layer_mean_offdiag"]
    if pl:
        lo, hi = min(range(len(pl)), key=pl.__getitem__), max(range(len(pl)), key=pl.__getitem__)
        out += ["", f"Per layer, mean off-diagonal cosine: {pl[lo]:.3f} (layer {m['layers'][lo]}) to "
                    f"{pl[hi]:.3f} (layer {m['layers'][hi]}). Per module (mean over layers): "
                + ", ".join(f"{k} {v:.3f}" for k, v in mods.items()) + "."]
    return out


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}"


def _whole_offdiag(m: dict) -> float:
    w = m["cosine"]["whole_adapter_matrix"]
    vals = [w[a][b] for a in w for b in w if a != b]
    return sum(vals) / len(vals)


def report_md(m: dict) -> str:
    dc = m.get("dense_check") or {}
    lines = ["# Backbone analysis", "",
             f"{m['k']} modifiers from `{m['manifest']}`: {', '.join(m['modifiers'])}; scales (alpha/r): "
             + ", ".join(f"{n} {s['scale']}" for n, s in m["scales"].items()) + "; ‖ΔW‖_F: "
             + ", ".join(f"{n} {v:.2f}" for n, v in m["delta_norm"].items()) + ".", "", *markdown_tables(m), ""]
    lines += ["| layer | mean off-diagonal cosine | min pair | max pair | explained at r=" + str(m["ranks"][0])
              + " (output side) |", "|---|---|---|---|---|"]
    for i, lay in enumerate(m["layers"]):
        lo, hi = m["cosine"]["per_layer_range"][i]
        lines.append(f"| {lay} | {m['cosine']['per_layer_mean_offdiag'][i]:.3f} | {lo:.3f} | {hi:.3f} | "
                     f"{m['per_layer_explained_output'][str(lay)][0]:.3f} |")
    lines += ["", "![backbone](backbone.png)", "",
              "Left: mean off-diagonal cosine per layer (black; grey band: lowest to highest pair), x = layer. "
              "Right: mean explained fraction vs r (evenly spaced r = " + ", ".join(map(str, m["ranks"]))
              + "): shared output side (blue), input side (orange), both sides (green), own top-r (grey), "
              "null, output side (red).", ""]
    if dc:
        lines.append(f"Check: {dc['block']} {dc['shape']} recomputed from dense ΔW: largest difference "
                     f"{dc['max_abs_diff_cosine']:.1e} (cosine), {dc['max_abs_diff_explained']:.1e} (explained); "
                     f"{dc['dense_cpu_seconds']:.2f} CPU s dense vs {dc['lowrank_cpu_seconds']:.3f} from the factors "
                     f"({dc['dense_over_lowrank_cpu']}x; wall {dc['dense_seconds']:.2f} vs "
                     f"{dc['lowrank_seconds']:.3f} s).")
    lines.append(f"Timing: reading {m['read_seconds']:.2f} s, analysis from the factors {m['lowrank_seconds']:.2f} s "
                 f"({m['lowrank_cpu_seconds']:.2f} CPU s).")
    return "\n".join(lines) + "\n"


def _num(cv, x: int, y: int, v: float) -> None:
    """A tick label; the canvas font has no minus sign, so a negative number gets a drawn dash."""
    s = f"{abs(v):.2g}" if abs(v) < 1 else f"{abs(v):.1f}"
    if v < 0:
        cv.rect(x - 8, y + 4, x - 2, y + 6, (0, 0, 0))
    cv.text(x, y, s)


def draw(m: dict, path: Path, w: int = 300, h: int = 200) -> Path:
    from pipeline.pngplot import Canvas

    left, top, gap, bottom = 44, 16, 56, 28
    cv = Canvas(left + 2 * w + gap + 10, top + h + bottom)
    pl, rng = m["cosine"]["per_layer_mean_offdiag"], m["cosine"]["per_layer_range"]
    lo = min(0.0, min((r[0] for r in rng), default=0.0))
    hi = max(0.05, max((r[1] for r in rng), default=0.0))

    def axes(x0: int, ylo: float, yhi: float, ticks: list[float]) -> None:
        for t in ticks:
            y = top + h - (t - ylo) / (yhi - ylo) * h
            cv.line(x0, y, x0 + w, y, (232, 232, 232))
            _num(cv, x0 - 36, int(y) - 5, t)
        cv.line(x0, top + h, x0 + w, top + h, (0, 0, 0), 2)
        cv.line(x0, top, x0, top + h, (0, 0, 0), 2)

    def py(v: float, ylo: float, yhi: float) -> float:
        return top + h - (v - ylo) / (yhi - ylo) * h

    axes(left, lo, hi, sorted({lo, 0.0, hi}))
    n = max(len(pl) - 1, 1)
    px = [left + i / n * w for i in range(len(pl))]
    for i in range(len(pl)):
        cv.rect(px[i] - 2, py(rng[i][1], lo, hi), px[i] + 2, py(rng[i][0], lo, hi), (200, 200, 200))
    for i in range(len(pl) - 1):
        cv.line(px[i], py(pl[i], lo, hi), px[i + 1], py(pl[i + 1], lo, hi), (0, 0, 0), 2)
    for lay, x in ((m["layers"][0], px[0]), (m["layers"][-1], px[-1])) if pl else ():
        cv.text(int(x) - 4, top + h + 8, str(lay))

    x0 = left + w + gap
    axes(x0, 0.0, 1.0, [0.0, 0.5, 1.0])
    ranks, ex = m["ranks"], m["explained"]
    nr = max(len(ranks) - 1, 1)
    rx = [x0 + i / nr * w for i in range(len(ranks))]
    for vals, color in ((ex["own"]["mean"], OWN_COLOR), (ex["null"]["output"]["mean"], NULL_COLOR),
                        (ex["both"]["mean"], BOTH_COLOR), (ex["input"]["mean"], INPUT_COLOR),
                        (ex["output"]["mean"], SHARED_COLOR)):
        for i in range(len(ranks)):
            y = py(vals[i], 0.0, 1.0)
            cv.rect(rx[i] - 3, y - 3, rx[i] + 3, y + 3, color)
            if i + 1 < len(ranks):
                cv.line(rx[i], y, rx[i + 1], py(vals[i + 1], 0.0, 1.0), color, 2)
    for r, x in zip(ranks, rx, strict=True):
        cv.text(int(x) - 4 * len(str(r)), top + h + 8, str(r))
    return cv.save(path)
