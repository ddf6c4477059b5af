"""The domain classifier on its separately written held-out set, the router report, and the check that keeps
the held-out set apart from the training prompts — with the committed artifacts and the real MiniLM embedder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from runtime.decision import DOMAINS
from runtime.embedder import Embedder
from runtime.router_report import build_report, evaluate_domain
from runtime.router_train import ROUTER_MERGE, read_jsonl

ROOT = Path(__file__).resolve().parent.parent
ROUTER = ROOT / "artifacts" / "router"
HELDOUT = ROOT / "data" / "router" / "domain_heldout.jsonl"
sys.path.insert(0, str(ROOT / "data"))

import validate  # noqa: E402  (data/validate.py)
from prompt_blocks import parse_block  # noqa: E402


def validate_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


@pytest.fixture(scope="module")
def report(embedder, tmp_path_factory):
    return build_report(ROUTER / "manifest.json", tmp_path_factory.mktemp("rc"), embedder)


def test_committed_classifier_meets_090_on_the_heldout_set(report):
    """The shipped classifier, loaded as the app loads it, on prompts written apart from its training data."""
    ev = report.heldout
    assert ev.n == len(read_jsonl(HELDOUT)) >= 240
    routed = [d for d in DOMAINS if d not in ROUTER_MERGE]  # a folded label's prompts count as its target's
    assert ev.merged == ROUTER_MERGE
    assert ev.labels == routed and all(r["n"] >= 30 for r in ev.per_label.values())
    assert list(ev.per_label) == routed
    assert ev.accuracy >= 0.90, f"held-out accuracy {ev.accuracy:.3f}; per domain {ev.per_label}"
    n = len(routed)
    assert sum(map(sum, ev.confusion)) == ev.n and sum(ev.confusion[i][i] for i in range(n)) == round(ev.accuracy * ev.n)


def test_manifest_metrics_are_those_of_the_committed_files(report):
    """The numbers the manifest records were measured on these data files with these weights."""
    entries = {e["name"]: e for e in json.loads((ROUTER / "manifest.json").read_text())["artifacts"]}
    dom = entries["domain-classifier"]["metrics"]["heldout_set"]
    assert dom["sha256"] == validate_sha(HELDOUT) and dom["n"] == report.heldout.n
    assert dom["accuracy"] == report.heldout.accuracy
    q, m = report.quality, entries["router-quality"]["metrics"]
    assert q.n == m["heldout_n"]
    # Same rows, same model; embeddings batched differently may move the 4th decimal.
    for ours, theirs in ((q.brier, "heldout_brier"), (q.auc, "heldout_auc"), (q.auc_domain_prior,
                         "heldout_auc_domain_prior"), (q.brier_domain_prior, "heldout_brier_domain_prior")):
        assert ours == pytest.approx(m[theirs], abs=1e-3), theirs
    # The quality model was trained on the probabilities of the committed classifier, not an older one.
    assert report.router_version == entries["router-quality"]["version"]
    assert entries["router-quality"]["created"] >= entries["domain-classifier"]["created"]


def test_report_prints_every_section(tmp_path):
    out = subprocess.run([sys.executable, "-m", "runtime", "router-report", "--misses", "3"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600,
                         env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT),
                              "MODROUTE_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for section in ("== Domain classifier: held-out set", "confusion matrix", "tagged cases", "misclassified",
                    "== Domain classifier: in-distribution split", "== Quality model", "ECE (15 bins)", "Brier",
                    "AUC", "per-domain base rate"):
        assert section in text, section
    for domain in DOMAINS:
        if domain not in ROUTER_MERGE:
            assert any(line.startswith(domain + " ") for line in text.splitlines()), domain
    assert "labels folded in this classifier (their prompts count as the target's): hard_math -> math" in text
    for case in ("sql", "regex", "go", "javascript", "shell", "proof", "tradeoff", "everyday", "latex"):
        assert any(line.startswith(case + " ") for line in text.splitlines()), case


def test_report_as_json_and_a_clear_error_without_a_heldout_set(report, tmp_path, capsys):
    from runtime.router_report import main

    d = json.loads(json.dumps(report.to_dict()))
    assert d["heldout"]["per_label"]["code"]["n"] >= 30 and d["quality"]["ece_bins"] == 15
    assert main(heldout=str(tmp_path / "missing.jsonl")) == 2
    assert "no held-out set" in capsys.readouterr().err


def test_evaluate_domain_counts_by_hand():
    class Fixed:  # the classifier interface evaluate_domain reads: labels + predict_proba
        labels = ["code", "math", "general"]

        def predict_proba(self, texts):
            return np.array([{"a": [0.8, 0.1, 0.1], "b": [0.2, 0.7, 0.1], "c": [0.6, 0.3, 0.1],
                              "d": [0.1, 0.1, 0.8]}[t] for t in texts])

    rows = [{"text": "a", "label": "code", "case": "sql"}, {"text": "b", "label": "code", "case": "sql"},
            {"text": "c", "label": "math", "case": "proof"}, {"text": "d", "label": "general", "case": ""}]
    ev = evaluate_domain(Fixed(), rows)
    assert ev.accuracy == 0.5 and ev.confusion == [[1, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert ev.per_label["code"] == {"n": 2, "correct": 1, "accuracy": 0.5}
    assert ev.per_case == {"proof": {"n": 1, "correct": 0, "accuracy": 0.0},
                           "sql": {"n": 2, "correct": 1, "accuracy": 0.5}}
    assert [(m.text, m.predicted) for m in ev.misses] == [("b", "math"), ("c", "code")]


def test_shared_ngram_check_finds_a_long_run_and_only_that():
    train = ["How do I remove duplicates from a list but keep the order in Python?", "what is a closure"]
    held = ["remove duplicates from a list, but keep the ORDER please",  # 9 shared words (case, commas ignored)
            "drop repeated items from a list, keep their order",          # paraphrase: no long run
            "duplicates from a list but keep"]                             # exactly 6 words, all shared
    hits = validate.shared_ngrams(held, train, n=6)
    assert [(i, j) for i, j, _ in hits] == [(0, 0), (2, 0)]
    assert hits[1][2] == "duplicates from a list but keep"
    assert [i for i, _, _ in validate.shared_ngrams(held, train, n=9)] == [0]
    assert validate.shared_ngrams(held, train, n=10) == []


def test_committed_heldout_set_passes_its_validation():
    rep = validate.Report()
    train = validate.validate_domain_prompts(rep)
    validate.validate_domain_heldout(rep, train)
    assert rep.errors == [], rep.errors[:5]
    # A training prompt pasted into a longer question is caught.
    long = next(r["text"] for r in train if len(r["text"].split()) >= 8)
    assert validate.shared_ngrams([f"quick one: {long} thanks"], [r["text"] for r in train])


def test_blocks_added_later_move_no_earlier_prompt_between_splits():
    """hard_math (and the math written with it) came after the other prompts were split: building without the
    later blocks and without the relabelling of the math prompts hard_math took over gives every earlier prompt
    the split it has in the committed file, and a relabelled prompt keeps the split it had under math."""
    import build_router
    import router_prompts_broad_src
    import router_prompts_src

    rows = read_jsonl(ROOT / "data" / "router" / "domain_prompts.jsonl")
    before = build_router.domain_rows(build_router.random.Random(build_router.SEED),
                                      router_prompts_src.prompts_by_label())
    broad = {label: [t for t, _ in items] for label, items in router_prompts_broad_src.items_by_label().items()}
    before += build_router.domain_rows(build_router.random.Random(build_router.BROAD_SEED), broad)
    assert rows[:len(before)] == [{**r, "label": label} for r, label in
                                  zip(before, (x["label"] for x in rows), strict=False)]
    relabelled = {**router_prompts_src.RELABELLED, **router_prompts_broad_src.RELABELLED}
    assert relabelled and all(v == "hard_math" for v in relabelled.values())
    changed = [r["text"] for r, now in zip(before, rows, strict=False) if now["label"] != r["label"]]
    assert sorted(changed) == sorted(relabelled)
    n_late = sum(len(v) for v in router_prompts_broad_src.late_items_by_label().values())
    late = rows[len(before):len(before) + n_late]
    for label in router_prompts_broad_src.LATE_PROMPTS:
        block = [r for r in late if r["label"] == label]
        assert 0.15 <= sum(r["split"] == "heldout" for r in block) / len(block) <= 0.25
    # then the retired held-out prompts of math and hard_math, then the extra prompts, each split on its own
    retired = build_router.retired_heldout_rows()
    assert rows[len(before) + n_late:len(before) + n_late + len(retired)] == retired
    import router_prompts_extra_src
    n_extra = sum(len(v) for v in router_prompts_extra_src.items_by_label().values())
    assert len(rows) == len(before) + n_late + len(retired) + n_extra


def test_prompt_blocks_keep_tags_and_multiline_prompts():
    items = parse_block("""
[sql] top 3 per group?
plain one
<<< [go]
panic: boom
  goroutine 1
>>>
""")
    assert items == [("top 3 per group?", "sql"), ("plain one", ""), ("panic: boom\n  goroutine 1", "go")]
    with pytest.raises(ValueError):
        parse_block("<<<\nnever closed")


def test_train_domain_records_the_heldout_set_it_never_fits_on(embedder, tmp_path):
    """A small real fit: the held-out set's accuracy, size and hash land in the manifest and the sidecar."""
    from runtime import router_train as rt

    rows = read_jsonl(ROOT / "data" / "router" / "domain_prompts.jsonl")
    small = [r for lab in ("code", "math", "general") for r in [x for x in rows if x["label"] == lab][:40]]
    data = tmp_path / "prompts.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in small))
    held = [r for r in read_jsonl(HELDOUT) if r["label"] in ("code", "math", "general")]
    heldout = tmp_path / "heldout.jsonl"
    heldout.write_text("".join(json.dumps(r) + "\n" for r in held))
    m = rt.train_domain(embedder, data=data, out_dir=tmp_path, heldout_set=heldout)
    hs = m["heldout_set"]
    assert hs["n"] == len(held) and hs["sha256"] == validate_sha(heldout) and set(hs["per_label_accuracy"]) == \
        {"code", "math", "general"} and 0.0 <= hs["accuracy"] <= 1.0
    assert m["train_n"] == sum(r["split"] == "train" for r in small)  # the held-out set is not in training
    entry = json.loads((tmp_path / "manifest.json").read_text())["artifacts"][0]
    assert entry["metrics"] == m and entry["name"] == "domain-classifier"
    assert json.loads((tmp_path / "domain.json").read_text())["metrics"]["heldout_set"] == hs


def test_math_and_hard_math_are_scored_on_the_set_written_after_the_first_was_seen():
    """The first held-out prompts of math and hard_math were looked at while hard_math's training data was
    chosen: they are training prompts now, and those labels' held-out rows are the fresh set's, all of them."""
    import build_router
    import router_heldout_fresh_src
    import router_heldout_src

    held = read_jsonl(HELDOUT)
    fresh = router_heldout_fresh_src.items_by_label()
    assert set(fresh) == set(build_router.RETIRED_HELDOUT) == {"math", "hard_math"}
    for label, items in fresh.items():
        assert [(r["text"], r["case"]) for r in held if r["label"] == label] == items and len(items) == 50
    train = {r["text"] for r in read_jsonl(ROOT / "data" / "router" / "domain_prompts.jsonl")}
    first = router_heldout_src.items_by_label()
    assert all(t in train for label in build_router.RETIRED_HELDOUT for t, _ in first[label])
    assert not any(r["text"] in train for r in held)


def test_the_answer_model_beats_knowing_the_domain(report):
    """Once the answer exists, its mean log-probability read per domain carries signal the domain alone does
    not: the shipped answer model (the cascade's P(good)) beats each domain's base rate on the held-out labels."""
    q = report.quality
    assert q.answer is not None
    assert q.answer["auc"] > q.auc_domain_prior and q.answer["brier"] < q.brier_domain_prior, (q.answer, q)
    assert q.answer["within_domain_auc"] > 0.55


def test_the_cascade_confidence_reads_the_log_probability_per_domain(embedder, tmp_path):
    """A confident code answer is likelier right than a hesitant one; a very confident open-ended answer is
    likelier a degenerate loop. One calibration curve for every domain could not say both."""
    from runtime.decision import RouteDecision
    from runtime.router import Router, load_router_artifacts
    from runtime.settings import Settings

    a = load_router_artifacts(ROUTER / "manifest.json", tmp_path, embedder)
    r = Router(Settings(manifest=""), embedder, a.domain, a.quality)

    def p(domain: str, mean_logprob: float) -> float:
        d = RouteDecision(mode="fast", domain=domain, confidence=0.5, threshold=0.8,
                          domain_probs={lab: float(lab == domain) for lab in a.domain.labels})
        return r.response_confidence({"mean_logprob": mean_logprob}, d)

    assert p("code", -0.1) > p("code", -1.0)
    assert p("creative", -0.1) < p("creative", -1.0)
    assert 0.0 <= p("general", -0.5) <= 1.0
