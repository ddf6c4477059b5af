"""``calibrate``: temperature and Platt scaling of a confidence, fitted on labelled (confidence, correct) pairs.

Input: JSONL, one pair per line -- a ``logit`` (or a probability ``confidence``, turned into its
log-odds) and whether the answer was ``correct`` (0/1); the key names are configurable, and rows
with a ``split`` of ``heldout``/``test`` are the evaluation set when present (else a seeded
``heldout_share`` of the rows). ``input`` empty: the ``heldout_predictions.jsonl`` that a finished
phase of this work dir wrote (no phase writes one yet; ``runtime/router_train.py`` keeps its held-out
router predictions in memory only), and with neither the phase is skipped, saying what to provide.
A top-1 confidence of a classifier is calibrated as a binary event ("this answer is right").

Both calibrators are fitted on the fit split (``runtime.heads.Calibrator``: p = sigmoid(a z + b),
temperature is b = 0, T = 1/a) and measured on the evaluation split before and after: ECE (equal-width
bins, 15 by default; ``runtime.heads.ece``), Brier score and NLL. The calibrator with the lowest NLL
on the fit split is the one recommended (``chosen``), the identity included. Outputs:
``calibration.json`` (parameters, metrics, the input's SHA-256), ``reliability.png`` (one panel per
method: accuracy per bin, the gap to the bin's mean confidence, the diagonal) and ``report.md``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.config import PhaseConfig
from pipeline.framework import DONE, PhaseContext, PhaseError, PhaseResult, execute, write_json

if TYPE_CHECKING:
    import numpy as np

SUMMARY = "temperature + Platt scaling on labelled (confidence, correct) pairs; ECE/Brier/NLL before-after; PNG"
REQUIRES: tuple[str, ...] = ()
CODE = ["runtime.heads", "pipeline.pngplot"]
PREDICTIONS = "heldout_predictions.jsonl"  # what a phase writes for this one to find
CONFIDENCE_KEYS = ("confidence", "p", "prob", "router_confidence")
LOGIT_KEYS = ("logit", "z")
LABEL_KEYS = ("correct", "label", "good", "y")
HELDOUT_SPLITS = ("heldout", "test")
EPS = 1e-6
METHODS = ("uncalibrated", "temperature", "platt")
COLORS = {"uncalibrated": (214, 96, 77), "temperature": (67, 147, 195), "platt": (77, 172, 38)}


@dataclass
class Config(PhaseConfig):
    input: str = ""  # JSONL of labelled pairs; empty = a finished phase's heldout_predictions.jsonl here
    confidence_key: str = ""  # empty = the first present of confidence, p, prob, router_confidence
    logit_key: str = ""  # empty = the first present of logit, z (a logit wins over a confidence)
    label_key: str = ""  # empty = the first present of correct, label, good, y
    heldout_share: float = 0.3  # evaluation share when rows carry no split (0 = evaluate in-sample)
    bins: int = 15
    min_pairs: int = 20


def find_input(config: Config) -> Path | None:
    if config.input:
        return Path(config.input).expanduser()
    from pipeline.phases import ORDER

    for phase in ORDER:
        d = Path(config.workdir) / phase
        if (d / DONE).is_file() and (d / PREDICTIONS).is_file():
            return d / PREDICTIONS
    return None


def _inputs(config: Config) -> list[Path]:
    p = find_input(config)
    return [p] if p is not None else []


# -- data -------------------------------------------------------------------------------------------
def _pick(row: dict, wanted: str, defaults: tuple[str, ...]):
    for k in ((wanted,) if wanted else defaults):
        if row.get(k) is not None:
            return k, row[k]
    return None, None


def load_pairs(path: Path, cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(logits, labels, is_heldout) from a JSONL file; a malformed line is an error naming it."""
    import numpy as np

    if not path.is_file():
        raise FileNotFoundError(f"calibrate: input {path} not found")
    z, y, held = [], [], []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise PhaseError(f"calibrate: {path}:{i}: not JSON ({e})") from e
        _, logit = _pick(row, cfg.logit_key, LOGIT_KEYS)
        ck, conf = (None, None) if logit is not None else _pick(row, cfg.confidence_key, CONFIDENCE_KEYS)
        lk, label = _pick(row, cfg.label_key, LABEL_KEYS)
        if (logit is None and conf is None) or label is None:
            raise PhaseError(f"calibrate: {path}:{i}: needs a logit ({cfg.logit_key or '/'.join(LOGIT_KEYS)}) or a "
                             f"confidence ({cfg.confidence_key or '/'.join(CONFIDENCE_KEYS)}) and a 0/1 label "
                             f"({cfg.label_key or '/'.join(LABEL_KEYS)})")
        if label not in (0, 1, True, False):
            raise PhaseError(f"calibrate: {path}:{i}: label {lk}={label!r} is not 0/1")
        if logit is None and not 0.0 <= float(conf) <= 1.0:
            raise PhaseError(f"calibrate: {path}:{i}: confidence {ck}={conf!r} is outside [0, 1]")
        if logit is None:
            c = min(max(float(conf), EPS), 1 - EPS)
            logit = np.log(c / (1 - c))
        z.append(float(logit))
        y.append(int(label))
        held.append(str(row.get("split", "")).lower() in HELDOUT_SPLITS)
    return np.array(z), np.array(y), np.array(held, bool)


def split(n: int, held: np.ndarray, share: float, seed: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Indices (fit, eval) and how they were chosen."""
    import numpy as np

    if held.any() and not held.all():
        return np.flatnonzero(~held), np.flatnonzero(held), "the rows' split field"
    if share <= 0:
        idx = np.arange(n)
        return idx, idx, "in-sample (heldout_share 0)"
    perm = np.random.default_rng(seed).permutation(n)
    k = max(1, int(round(n * share)))
    return np.sort(perm[k:]), np.sort(perm[:k]), f"seeded random {share:.0%} held out (seed {seed})"


# -- metrics ----------------------------------------------------------------------------------------
def nll(p: np.ndarray, y: np.ndarray) -> float:
    import numpy as np

    p = np.clip(np.asarray(p, np.float64), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def reliability_table(p: np.ndarray, y: np.ndarray, bins: int = 15) -> list[dict]:
    """Equal-width bins on [0, 1] (the binning of ``runtime.heads.ece``: a confidence of 1.0 is in the last)."""
    import numpy as np

    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    out = []
    for k in range(bins):
        m = idx == k
        out.append({"lo": round(k / bins, 6), "hi": round((k + 1) / bins, 6), "n": int(m.sum()),
                    "mean_confidence": float(p[m].mean()) if m.any() else None,
                    "accuracy": float(y[m].mean()) if m.any() else None})
    return out


def summary(p: np.ndarray, y: np.ndarray, bins: int) -> dict:
    import numpy as np

    from runtime.heads import brier, ece

    return {"ece": round(ece(p, y, bins=bins), 5), "brier": round(brier(p, y), 5), "nll": round(nll(p, y), 5),
            "mean_confidence": round(float(np.mean(p)), 5), "accuracy": round(float(np.mean(y)), 5), "n": len(y)}


# -- the reliability diagram ------------------------------------------------------------------------
def draw_reliability(tables: dict[str, list[dict]], eces: dict[str, float], path: Path, size: int = 240) -> Path:
    """One panel per method: bars = accuracy per bin, pale overlay = gap up/down to the bin's mean
    confidence, grey diagonal = perfect calibration; ECE printed top left; ticks at 0, 0.5, 1."""
    from pipeline.pngplot import Canvas

    left, top, gap, bottom = 36, 28, 24, 30
    cv = Canvas(left + len(tables) * (size + gap), top + size + bottom)
    for i, (method, table) in enumerate(tables.items()):
        x0, y1 = left + i * (size + gap), top + size  # plot origin (bottom left)

        def px(u: float, v: float, x0=x0, y1=y1) -> tuple[float, float]:
            return x0 + u * size, y1 - v * size

        for t in (0.25, 0.5, 0.75):
            cv.line(*px(t, 0), *px(t, 1), (232, 232, 232))
            cv.line(*px(0, t), *px(1, t), (232, 232, 232))
        color = COLORS.get(method, (120, 120, 120))
        pale = tuple(int(c + (255 - c) * 0.6) for c in color)
        for b in table:
            if not b["n"]:
                continue
            (xa, _), (xb, _) = px(b["lo"], 0), px(b["hi"], 0)
            cv.rect(xa + 1, px(0, b["accuracy"])[1], xb - 1, y1, color)
            lo_v, hi_v = sorted((b["accuracy"], b["mean_confidence"]))
            cv.rect(xa + 1, px(0, hi_v)[1], xb - 1, px(0, lo_v)[1], pale)
        cv.line(*px(0, 0), *px(1, 1), (150, 150, 150))
        cv.line(*px(0, 0), *px(1, 0), (0, 0, 0), 2)
        cv.line(*px(0, 0), *px(0, 1), (0, 0, 0), 2)
        for t, label in ((0.0, "0"), (0.5, "0.5"), (1.0, "1")):
            x, _ = px(t, 0)
            cv.text(int(x) - 2 * len(label) * 2, y1 + 8, label)
            _, y = px(0, t)
            cv.text(x0 - 8 - len(label) * 8, int(y) - 5, label)
        cv.rect(x0, 6, x0 + 14, 20, color)  # the panel's colour key, then its ECE
        cv.text(x0 + 22, 8, f"{eces[method]:.3f}")
    return cv.save(path)


# -- the phase --------------------------------------------------------------------------------------
def _body(ctx: PhaseContext) -> dict:
    from runtime.artifacts import sha256_file
    from runtime.heads import Calibrator

    cfg: Config = ctx.config
    if not 2 <= cfg.bins <= 100:
        raise PhaseError(f"calibrate: bins must be between 2 and 100, not {cfg.bins}")
    source = find_input(cfg)
    z, y, held = load_pairs(source, cfg)
    if len(y) < cfg.min_pairs:
        raise PhaseError(f"calibrate: {source} has {len(y)} labelled pairs, fewer than min_pairs {cfg.min_pairs}")
    if y.min() == y.max():
        raise PhaseError(f"calibrate: every label in {source} is {int(y[0])}; calibration needs both outcomes")
    fit, ev, how = split(len(y), held, cfg.heldout_share, cfg.seed)
    temp = Calibrator.fit(z[fit], y[fit], "temperature")
    platt = Calibrator.fit(z[fit], y[fit], "platt")
    cals = {"uncalibrated": Calibrator(), "temperature": temp, "platt": platt}
    fit_nll = {m: round(nll(c(z[fit]), y[fit]), 5) for m, c in cals.items()}
    chosen = min(fit_nll, key=fit_nll.get)
    probs = {m: c(z[ev]) for m, c in cals.items()}
    evaluation = {m: summary(p, y[ev], cfg.bins) for m, p in probs.items()}
    tables = {m: reliability_table(p, y[ev], cfg.bins) for m, p in probs.items()}
    draw_reliability(tables, {m: evaluation[m]["ece"] for m in METHODS}, ctx.out / "reliability.png")
    params = {"temperature": {"a": temp.a, "b": 0.0, "T": (1 / temp.a) if temp.a else None},
              "platt": {"a": platt.a, "b": platt.b}}
    result = {"source": str(source), "source_sha256": sha256_file(source), "n": len(y), "fit_n": len(fit),
              "eval_n": len(ev), "split": how, "bins": cfg.bins, "chosen": chosen,
              "calibrator": cals[chosen].to_dict(), "params": params, "fit_nll": fit_nll,
              "evaluation": evaluation, "reliability": tables}
    write_json(ctx.out / "calibration.json", result)
    (ctx.out / "report.md").write_text(_report(result), encoding="utf-8")
    ctx.add_artifact("calibration", "calibrator", "calibration.json", metrics=evaluation[chosen])
    ctx.add_artifact("calibration/reliability", "report", "reliability.png")
    ctx.add_artifact("calibration/report", "report", "report.md")
    ctx.log.info("calibrate: %d pairs (%s); ECE %.4f -> temperature %.4f (T=%.3g), Platt %.4f; chosen %s", len(y),
                 how, evaluation["uncalibrated"]["ece"], evaluation["temperature"]["ece"], params["temperature"]["T"],
                 evaluation["platt"]["ece"], chosen)
    return {k: result[k] for k in ("source", "n", "fit_n", "eval_n", "split", "bins", "chosen", "params",
                                   "fit_nll", "evaluation")} | {"reliability_png": "reliability.png"}


def _report(r: dict) -> str:
    t = r["params"]["temperature"]
    lines = [
        "# Calibration", "",
        f"{r['n']} labelled pairs from `{r['source']}` (SHA-256 {r['source_sha256'][:12]}…); fitted on {r['fit_n']}, "
        f"measured on {r['eval_n']} ({r['split']}). ECE over {r['bins']} equal-width bins.", "",
        "| method | parameters | ECE | Brier | NLL | mean confidence | accuracy |", "|---|---|---|---|---|---|---|",
    ]
    desc = {"uncalibrated": "identity", "temperature": f"T = {t['T']:.4g}" if t["T"] else "a = 0",
            "platt": f"a = {r['params']['platt']['a']:.4g}, b = {r['params']['platt']['b']:.4g}"}
    for m in METHODS:
        e = r["evaluation"][m]
        lines.append(f"| {m}{' (chosen)' if m == r['chosen'] else ''} | {desc[m]} | {e['ece']:.4f} | {e['brier']:.4f} "
                     f"| {e['nll']:.4f} | {e['mean_confidence']:.3f} | {e['accuracy']:.3f} |")
    lines += ["", f"Chosen by the lowest NLL on the fit split: **{r['chosen']}**.", "",
              "![reliability diagram](reliability.png)", "",
              "Reliability diagram, panels left to right: uncalibrated (red), temperature (blue), Platt (green); "
              "x = confidence, y = accuracy, bars = accuracy per bin, pale = gap to the bin's mean confidence, "
              "grey line = perfect calibration; the number over each panel is its ECE.", ""]
    return "\n".join(lines)


def main(config: Config):
    if find_input(config) is None:
        # Nothing to calibrate is not a failure of `pipeline all`: say what to provide and change nothing.
        logging.getLogger("pipeline.calibrate").warning(
            "calibrate: skipped: no labelled pairs (set calibrate.input to a JSONL of {logit|confidence, correct} "
            "rows, or let a phase write %s into the work dir)", PREDICTIONS)
        d = Path(config.workdir) / "calibrate"
        return PhaseResult("calibrate", "skipped", d, {}, 0.0)
    return execute("calibrate", config, _body, inputs=_inputs(config), code=CODE)
