"""``python -m runtime router-report``: how the committed router does on data it never trained on.

- the domain classifier on the held-out set written apart from its training prompts
  (data/router/domain_heldout.jsonl): per-domain accuracy, a confusion matrix, accuracy on the
  hard cases the set tags (SQL, regex, proofs, trade-offs, ...), and the same per-domain accuracy
  on the in-distribution split of the training file (domain_prompts.jsonl, split "heldout");
- the quality model on the held-out slice of its labels (data/router/quality_labels.jsonl, the
  split ``router_train.quality_splits`` keeps out of training and calibration): ECE (15 bins),
  Brier and AUC, next to the baseline that predicts each domain's good rate on the training slice.

Everything is computed from the artifacts the router manifest lists, loaded the way the app loads
them, so the numbers are those of the router that serves.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from runtime.heads import auc, brier, ece, within_group_auc
from runtime.router_train import DATA, quality_splits, read_jsonl

HELDOUT = DATA / "domain_heldout.jsonl"
PROMPTS = DATA / "domain_prompts.jsonl"
QUALITY_LABELS = DATA / "quality_labels.jsonl"
ECE_BINS = 15


@dataclass
class Miss:
    text: str
    label: str
    predicted: str
    p: float
    case: str = ""


@dataclass
class DomainEval:
    """Accuracy of the domain classifier on one labelled set."""

    source: str
    labels: list[str]
    n: int
    accuracy: float
    per_label: dict[str, dict[str, float]]  # label -> {"n", "correct", "accuracy"}
    confusion: list[list[int]]  # rows: true label, columns: predicted, in ``labels`` order
    per_case: dict[str, dict[str, float]] = field(default_factory=dict)  # tagged hard cases
    misses: list[Miss] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)  # labels the classifier folds into another


@dataclass
class QualityEval:
    """The quality model on the held-out slice of its labels, and the per-domain base-rate baseline."""

    source: str
    n: int
    good_rate: float
    ece: float
    brier: float
    auc: float | None
    auc_domain_prior: float | None
    brier_domain_prior: float
    ece_domain_prior: float
    within_domain_auc: float | None = None  # AUC inside each domain, size-weighted; the base rate scores 0.5
    # the answer model (P(good) once the answer exists: what the cascade reads); None without one
    answer: dict[str, float | None] | None = None
    ece_bins: int = ECE_BINS


def _rate(correct: int, n: int) -> dict[str, float]:
    return {"n": n, "correct": correct, "accuracy": round(correct / n, 4) if n else float("nan")}


def evaluate_domain(clf, rows: list[dict[str, Any]], source: str = "") -> DomainEval:
    """``clf``: anything with ``labels`` and ``predict_proba(texts)`` (runtime.router.DomainClassifier)."""
    labels = list(clf.labels)
    merged = getattr(clf, "merged", {}) or {}  # a folded label's prompts count as their target's
    rows = [{**r, "label": merged.get(r["label"], r["label"])} for r in rows]
    rows = [r for r in rows if r["label"] in labels]
    if not rows:
        raise ValueError(f"{source or 'the set'}: no rows with a known label")
    p = clf.predict_proba([r["text"] for r in rows])
    pred = p.argmax(1)
    true = np.array([labels.index(r["label"]) for r in rows])
    conf = np.zeros((len(labels), len(labels)), dtype=int)
    np.add.at(conf, (true, pred), 1)
    per_label = {lab: _rate(int(conf[i, i]), int(conf[i].sum())) for i, lab in enumerate(labels) if conf[i].sum()}
    cases: dict[str, list[bool]] = {}
    for r, t, q in zip(rows, true, pred, strict=True):
        if r.get("case"):
            cases.setdefault(r["case"], []).append(bool(t == q))
    misses = [Miss(r["text"], r["label"], labels[q], round(float(p[i, q]), 3), r.get("case", ""))
              for i, (r, t, q) in enumerate(zip(rows, true, pred, strict=True)) if t != q]
    return DomainEval(source, labels, len(rows), round(float((pred == true).mean()), 4), per_label,
                      conf.tolist(), {c: _rate(sum(v), len(v)) for c, v in sorted(cases.items())}, misses,
                      dict(merged))


def evaluate_quality(embedder, domain_clf, quality, labels_path: Path = QUALITY_LABELS) -> QualityEval:
    """Score the held-out slice with the quality model as the router does (same features, same calibrator)."""
    from runtime.router import probe_features

    rows = read_jsonl(labels_path)
    y = np.array([int(r["good"]) for r in rows])
    tr, _, held = quality_splits(y)
    texts = [rows[i]["text"] for i in held]
    emb = embedder.embed(texts)
    dom = domain_clf.predict_proba(texts)
    # The quality model's columns follow its own label order; the classifier's may differ.
    dom = dom[:, [domain_clf.labels.index(lab) for lab in quality.labels]]
    p = np.array([quality.p_good(quality.features(emb[k], texts[k], dom[k], probe_features(
        rows[i]["probe_mean_logprob"], rows[i]["probe_min_logprob"], rows[i]["prompt_tokens"])))
        for k, i in enumerate(held)])
    yh = y[held]
    doms = np.array([r["domain"] for r in rows])
    overall = float(y[tr].mean())
    rate = {d: float(y[tr][doms[tr] == d].mean()) if (doms[tr] == d).any() else overall for d in set(doms)}
    prior = np.array([rate[d] for d in doms[held]])
    both = 0 < yh.sum() < len(yh)
    answer = None
    if quality.answer is not None:
        pa = np.array([quality.answer.p_good(dom[k], rows[i]["response_mean_logprob"]) for k, i in enumerate(held)])
        w = within_group_auc(pa, yh, doms[held])
        answer = {"ece": round(ece(pa, yh, ECE_BINS), 4), "brier": round(brier(pa, yh), 4),
                  "auc": round(auc(pa, yh), 4) if both else None, "within_domain_auc": None if w is None else round(w, 4)}
    return QualityEval(
        source=str(labels_path), n=len(held), good_rate=round(float(yh.mean()), 4),
        ece=round(ece(p, yh, ECE_BINS), 4), brier=round(brier(p, yh), 4),
        auc=round(auc(p, yh), 4) if both else None, auc_domain_prior=round(auc(prior, yh), 4) if both else None,
        brier_domain_prior=round(brier(prior, yh), 4), ece_domain_prior=round(ece(prior, yh, ECE_BINS), 4),
        within_domain_auc=None if (w := within_group_auc(p, yh, doms[held])) is None else round(w, 4), answer=answer)


# -- text ---------------------------------------------------------------------------------------
def _short(label: str) -> str:
    return label[:5]


def format_domain(ev: DomainEval, title: str, confusion: bool = True, misses: int = 0) -> list[str]:
    out = [f"== {title}", f"source: {ev.source}   n={ev.n}   accuracy={ev.accuracy:.3f}"]
    if ev.merged:
        out.append("labels folded in this classifier (their prompts count as the target's): "
                   + ", ".join(f"{a} -> {b}" for a, b in ev.merged.items()))
    out += ["", f"{'domain':<12}{'n':>5}{'correct':>9}{'accuracy':>10}"]
    out += [f"{lab:<12}{int(r['n']):>5}{int(r['correct']):>9}{r['accuracy']:>10.3f}" for lab, r in ev.per_label.items()]
    if confusion:
        out += ["", "confusion matrix (rows: true domain, columns: predicted)",
                f"{'':<12}" + "".join(f"{_short(lab):>7}" for lab in ev.labels)]
        out += [f"{lab:<12}" + "".join(f"{v:>7}" for v in row) for lab, row in zip(ev.labels, ev.confusion, strict=True)]
    if ev.per_case:
        out += ["", "tagged cases", f"{'case':<14}{'n':>5}{'correct':>9}{'accuracy':>10}"]
        out += [f"{c:<14}{int(r['n']):>5}{int(r['correct']):>9}{r['accuracy']:>10.3f}" for c, r in ev.per_case.items()]
    if misses and ev.misses:
        out += ["", f"misclassified ({len(ev.misses)}; first {min(misses, len(ev.misses))})"]
        for m in ev.misses[:misses]:
            text = " ".join(m.text.split())
            out.append(f"  {m.label} -> {m.predicted} ({m.p:.2f}){' [' + m.case + ']' if m.case else ''}: "
                       f"{text[:100]}{'...' if len(text) > 100 else ''}")
    return out + [""]


def format_quality(q: QualityEval) -> list[str]:
    def f(v):
        return "n/a" if v is None else f"{v:.3f}"

    return [f"== Quality model: held-out slice of {q.source}",
            f"n={q.n}   good rate={q.good_rate:.3f}", "",
            f"{'':<28}{'ECE (' + str(q.ece_bins) + ' bins)':>16}{'Brier':>8}{'AUC':>8}{'AUC in domain':>15}",
            f"{'quality model':<28}{q.ece:>16.3f}{q.brier:>8.3f}{f(q.auc):>8}{f(q.within_domain_auc):>15}",
            f"{'per-domain base rate':<28}{q.ece_domain_prior:>16.3f}{q.brier_domain_prior:>8.3f}"
            f"{f(q.auc_domain_prior):>8}{'0.500':>15}"] + ([
            f"{'answer model (cascade)':<28}{q.answer['ece']:>16.3f}{q.answer['brier']:>8.3f}{f(q.answer['auc']):>8}"
            f"{f(q.answer['within_domain_auc']):>15}",
            "(the quality model decides before the answer, from the question and the probe; the answer model "
            "scores the finished answer)"] if q.answer else []) + [""]


@dataclass
class RouterReport:
    router_version: str
    domain_version: str
    heldout: DomainEval
    in_distribution: DomainEval | None
    quality: QualityEval | None
    problems: list[str]

    def text(self, misses: int = 0) -> str:
        out = [f"router report   quality model {self.router_version or 'none'}   "
               f"domain classifier {self.domain_version or 'none'}", ""]
        out += [f"warning: {p}" for p in self.problems]
        out += format_domain(self.heldout, "Domain classifier: held-out set (written apart, never trained on)",
                             misses=misses)
        if self.in_distribution is not None:
            out += format_domain(self.in_distribution, "Domain classifier: in-distribution split of the training "
                                 "file", confusion=False, misses=misses)
        out += format_quality(self.quality) if self.quality else ["== Quality model: not installed", ""]
        return "\n".join(out).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_report(manifest: Path | str, cache_dir: Path, embedder, heldout: Path = HELDOUT,
                 prompts: Path | None = PROMPTS, labels: Path | None = QUALITY_LABELS) -> RouterReport:
    from runtime.router import load_router_artifacts

    arts = load_router_artifacts(manifest, cache_dir, embedder)
    if arts.domain is None:
        raise RuntimeError("no domain classifier could be loaded: " + "; ".join(arts.problems or ["none listed"]))
    held = evaluate_domain(arts.domain, read_jsonl(heldout), str(heldout))
    ind = None
    if prompts is not None and Path(prompts).exists():
        rows = [r for r in read_jsonl(prompts) if r.get("split") == "heldout"]
        ind = evaluate_domain(arts.domain, rows, f"{prompts} (split heldout)") if rows else None
    q = None
    if arts.quality is not None and labels is not None and Path(labels).exists():
        q = evaluate_quality(embedder, arts.domain, arts.quality, Path(labels))
    return RouterReport(arts.version, arts.domain.meta.get("version", ""), held, ind, q, list(arts.problems))


def main(heldout: str | None = None, manifest: str | None = None, as_json: bool = False, misses: int = 0) -> int:
    import sys

    from runtime.embedder import Embedder
    from runtime.settings import Settings

    settings = Settings()
    path = Path(heldout) if heldout else HELDOUT
    if not path.exists():
        print(f"error: no held-out set at {path} (build it: python data/build_router.py)", file=sys.stderr)
        return 2
    try:
        rep = build_report(manifest or settings.router_manifest, settings.cache_dir, Embedder(), path)
    except (RuntimeError, ValueError, KeyError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(rep.to_dict()) if as_json else rep.text(misses), end="" if not as_json else "\n")
    return 0
