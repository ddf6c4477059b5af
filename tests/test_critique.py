"""The critique scorer: the pipeline phase end to end on a tiny config, the shipped artifact on
hand-written answers, its flags, refusal of corrupt artifacts, and the regeneration prompt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from runtime.artifacts import ArtifactError, sha256_file
from runtime.critique import ACCEPTABLE_SCORE, Critique, CritiqueScorer, feedback_prompt
from runtime.critique_checks import analyse, check_arithmetic
from runtime.embedder import Embedder

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "artifacts" / "tools" / "manifest.json"

LAMP = "A lamp costs $30. It is on sale for 40% off. What is the sale price?"
LAMP_GOOD = "Discount: 30 × 40 ÷ 100 = 12.\nSale price: 30 - 12 = 18.\nAnswer: 18"
LAMP_WRONG = "Discount: 30 × 40 ÷ 100 = 12.\nSale price: 30 - 12 = 16.\nAnswer: 16"
LAMP_TRUNCATED = "To find the sale price we first work out how much the discount is, and then we"
WORDS = ("Write a Python function `word_lengths(sentence)` that returns a list with the length of each word. "
         "Words are separated by whitespace.")
WORDS_GOOD = ("Split on whitespace and take the length of each piece.\n\n```python\ndef word_lengths(sentence):\n"
              "    return [len(word) for word in sentence.split()]\n```")
WORDS_CUT = "Split on whitespace.\n\n```python\ndef word_lengths(sentence):\n    return [len(word) for word in sen"
WORDS_PROSE = "You could split the sentence into its words and count the letters of each of the words one by one."
PLANTS = "How do I keep houseplants alive?"
PLANTS_GOOD = ("Water them when the top few centimetres of soil are dry, give them bright indirect light, use pots "
               "with drainage holes, and feed them lightly in spring and summer.")
PLANTS_OFF = "The Treaty of Westphalia was signed in 1648 and ended the Thirty Years' War in the Holy Roman Empire."


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(threads=1)


@pytest.fixture(scope="module")
def shipped(embedder, tmp_path_factory) -> CritiqueScorer:
    scorer = CritiqueScorer.load(TOOLS, tmp_path_factory.mktemp("critic-cache"), embedder)
    assert scorer is not None, f"no critic entry in {TOOLS}"
    return scorer


# -- the shipped artifact --------------------------------------------------------------------------
@pytest.mark.parametrize("question,domain,good,bads", [
    (LAMP, "math", LAMP_GOOD, ["", LAMP_TRUNCATED, LAMP_WRONG]),
    (WORDS, "code", WORDS_GOOD, ["", WORDS_CUT, WORDS_PROSE]),
    (PLANTS, "general", PLANTS_GOOD, ["", PLANTS_OFF]),
])
def test_shipped_scores_good_above_bad(shipped, question, domain, good, bads):
    g = shipped.score(question, good, domain=domain, finish_reason="stop")
    assert isinstance(g, Critique) and 0.0 <= g.score <= 10.0 and g.acceptable == (g.score >= ACCEPTABLE_SCORE)
    for bad in bads:
        b = shipped.score(question, bad, domain=domain)
        assert b.score < g.score, (bad, b, g)
        assert b.flags, f"no flag for a degraded answer: {bad!r} -> {b}"


def test_shipped_flags_name_the_problem(shipped):
    def flags(q, a, **kw):
        return " | ".join(shipped.score(q, a, **kw).flags)

    assert "empty" in flags(LAMP, "", domain="math")
    assert "stops mid-sentence" in flags(LAMP, LAMP_TRUNCATED, domain="math")
    assert "no final number" in flags(LAMP, LAMP_TRUNCATED, domain="math")
    assert "30 - 12 = 16 (it is 18)" in flags(LAMP, LAMP_WRONG, domain="math")
    assert "code block is missing" in flags(WORDS, WORDS_PROSE, domain="code")
    assert "middle of the code" in flags(WORDS, WORDS_CUT, domain="code")
    assert "cut off at the length limit" in flags(WORDS, WORDS_CUT, domain="code", finish_reason="length")
    looping = " ".join(["Water the plant every day."] * 8)
    assert "repeats itself" in flags(PLANTS, looping, domain="general")
    assert "low similarity" in flags(PLANTS, PLANTS_OFF, domain="general")
    assert shipped.score(LAMP, LAMP_GOOD, domain="math").flags == []


def test_shipped_infers_the_domain(shipped):
    assert shipped.score(LAMP, LAMP_GOOD).domain == "math"
    assert shipped.score(WORDS, WORDS_GOOD).domain == "code"
    assert shipped.score(LAMP, LAMP_GOOD, domain="finance").domain == "general"  # router domains map onto the critic's


def test_feedback_prompt_carries_complaint_and_flags(shipped):
    c = shipped.score(LAMP, LAMP_WRONG, domain="math")
    text = feedback_prompt(LAMP, LAMP_WRONG, c, complaint="that's wrong, it should be cheaper")
    assert "that's wrong, it should be cheaper" in text
    assert LAMP in text and LAMP_WRONG in text
    for f in c.flags:
        assert f[1:] in text
    assert "30 - 12 = 16 (it is 18)" in text
    plain = feedback_prompt(LAMP, "x" * 5000, None, complaint=None, max_answer_chars=100)
    assert "The user said" not in plain and "[...]" in plain and len(plain) < 800


def test_arithmetic_checks():
    checked, wrong, results = check_arithmetic("10 / 3 = 3.33 and 5 × 7.20 = 36, 2 + 2 = 5; on 2026-03-06 = today")
    assert checked == 3 and results == [3.33, 36.0, 5.0]
    assert wrong == ["2 + 2 = 5 (it is 4)"]
    a = analyse(LAMP, "Discount: 30 × 40 ÷ 100 = 12.\nSale price: 30 - 12 = 18.\nAnswer: 20")
    assert a.final_disagrees and a.explicit_final and a.final_number == 20


# -- corrupt / mismatched artifacts ------------------------------------------------------------------
def _copy_tools(tmp_path: Path) -> Path:
    d = tmp_path / "tools"
    d.mkdir(parents=True)
    doc = json.loads(TOOLS.read_text())
    critic = [a for a in doc["artifacts"] if a["kind"] == "critic"]
    for name in ("critic.safetensors", "critic.json"):
        shutil.copyfile(TOOLS.parent / name, d / name)
    (d / "manifest.json").write_text(json.dumps({"artifacts": critic}))
    return d


def test_corrupt_artifacts_are_refused(tmp_path, embedder):
    d = _copy_tools(tmp_path)
    assert CritiqueScorer.load(d / "manifest.json", tmp_path / "c0", embedder) is not None
    weights = d / "critic.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="SHA-256"):
        CritiqueScorer.load(d / "manifest.json", tmp_path / "c1", embedder)

    d = _copy_tools(tmp_path / "b")
    meta = json.loads((d / "critic.json").read_text())
    (d / "critic.json").write_text(json.dumps({**meta, "cos_low": {}}))
    with pytest.raises(ArtifactError, match="metadata JSON"):
        CritiqueScorer.load(d / "manifest.json", tmp_path / "c2", embedder)

    # A sidecar that matches the manifest but was written for other features: refused too.
    d = _copy_tools(tmp_path / "c")
    (d / "critic.json").write_text(json.dumps({**meta, "feature_version": 999}))
    doc = json.loads((d / "manifest.json").read_text())
    doc["artifacts"][0]["meta_sha256"] = sha256_file(d / "critic.json")
    (d / "manifest.json").write_text(json.dumps(doc))
    with pytest.raises(ArtifactError, match="feature version"):
        CritiqueScorer.load(d / "manifest.json", tmp_path / "c3", embedder)


def test_no_critic_is_none(tmp_path, embedder):
    assert CritiqueScorer.load(tmp_path / "missing.json", tmp_path, embedder) is None
    (tmp_path / "m.json").write_text(json.dumps({"artifacts": []}))
    assert CritiqueScorer.load(tmp_path / "m.json", tmp_path, embedder) is None


# -- the pipeline phase ------------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # a 4-unit MLP on ~40 rows
def test_phase_end_to_end(tmp_path):
    """A handful of prompts through the real engine and shipped modifiers, a tiny head, published next
    to another tool's entry (kept); a re-run is a no-op and new head settings reuse the cached answers."""
    from pipeline.__main__ import phase_config
    from pipeline.phases import critique

    dest = tmp_path / "tools"
    dest.mkdir()
    other = {"name": "examples", "kind": "example-bank", "file": "bank.safetensors", "sha256": "ab" * 32}
    (dest / "manifest.json").write_text(json.dumps({"artifacts": [other]}))
    doc = {
        "workdir": str(tmp_path / "work"), "seed": 0,
        "domains": {
            "code": {"train": "data/instructions/code.jsonl", "scorer": "code_tests", "max_new_tokens": 16},
            "math": {"train": "data/instructions/math.jsonl", "eval": "data/eval/math.jsonl",
                     "scorer": "exact_match", "max_new_tokens": 16},
            "general": {"train": "data/instructions/general.jsonl", "modifier": False, "max_new_tokens": 16},
        },
        "critique": {"eval_n": 2, "humaneval_n": 0, "train_per_domain": 2, "general_n": 2, "router_labels_n": 4,
                     "cv_folds": 2, "c_grid": [0.1], "mlp_hidden": 4, "mlp_alpha": [1.0], "heldout_share": 0.3,
                     "degraded_share": 1.0, "dest": str(dest)},
    }
    res = critique.main(phase_config("critique", doc))
    assert res.status == "done"
    m = res.metrics
    assert m["generation"]["generated"] > 0 and m["degraded"]["empty"] + m["degraded"]["truncated"] > 0
    assert m["sources"]["model"] > 0 and m["sources"]["reference"] > 0 and m["sources"]["router-labels"] > 0
    held = m["heldout"]
    for k in ("accuracy@7", "brier", "base_rate", "majority_accuracy", "per_domain", "per_source"):
        assert k in held
    assert held["score_matches_batch"] and held["n"] > 0
    assert set(m["cv_brier"]) == {"logistic C=0.1", "logistic, no embeddings, C=0.1", "mlp 4 alpha=1"}
    entries = json.loads((dest / "manifest.json").read_text())["artifacts"]
    assert [e["kind"] for e in entries] == ["example-bank", "critic"] and entries[0] == other
    scorer = CritiqueScorer.load(dest / "manifest.json", tmp_path / "cache", Embedder(threads=1))
    assert scorer is not None and scorer.version == m["version"]
    assert 0.0 <= scorer.score(LAMP, LAMP_GOOD).score <= 10.0

    assert critique.main(phase_config("critique", doc)).status == "up-to-date"
    doc["critique"]["c_grid"] = [1.0]
    again = critique.main(phase_config("critique", doc))
    assert again.status == "done" and again.metrics["generation"]["generated"] == 0
    assert again.metrics["generation"]["cached"] == m["generation"]["generated"]
