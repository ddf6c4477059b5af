"""Few-shot retrieval: nearest examples of a constructed bank (real MiniLM), novelty, corrupt banks
refused, the shipped bank, and the example_bank phase on a tiny config."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from runtime.artifacts import ArtifactError
from runtime.fewshot import Example, ExampleBank, format_examples, leave_one_out_novelty, write_bank

REPO = Path(__file__).resolve().parent.parent
BANK = [
    Example("code-1", "code", "Write a Python function that reverses a list.", "def rev(xs):\n    return xs[::-1]"),
    Example("code-2", "code", "How do I read a text file line by line in Python?", "with open(p) as f:\n    for line in f: ..."),
    Example("code-3", "code", "Write a function that checks whether a string is a palindrome.", "def pal(s): return s == s[::-1]"),
    Example("math-1", "math", "A shirt costs $20 and is 15% off. What is the sale price?", "20 × 0.85 = 17\nAnswer: 17"),
    Example("math-2", "math", "What is the average of 4, 8 and 12?", "(4 + 8 + 12) / 3 = 8\nAnswer: 8"),
    Example("math-3", "math", "A car drives 120 km in 2 hours. What is its speed?", "120 / 2 = 60\nAnswer: 60"),
    Example("general-1", "general", "Good morning!", "Good morning! How can I help?"),
    Example("general-2", "general", "Can you suggest a name for my cat?", "How about Miso?"),
]


@pytest.fixture(scope="module")
def embedder():
    from runtime.embedder import Embedder

    return Embedder()


def write_manifest(root: Path, entry: dict, others: list[dict] | None = None) -> Path:
    m = root / "manifest.json"
    m.write_text(json.dumps({"artifacts": (others or []) + [entry]}))
    return m


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("bank")
    emb = embedder.embed([e.instruction for e in BANK])
    entry = write_bank(root, BANK, emb, info={"novelty": {"p90": 0.6}})
    write_manifest(root, entry)
    return root


@pytest.fixture(scope="module")
def bank(bank_dir, embedder):
    return ExampleBank.load(bank_dir / "manifest.json", bank_dir / "cache", embedder)


def test_nearest_returns_the_closest_examples_first(bank):
    got = bank.nearest("write python code to reverse the order of a list", k=3)
    assert [e.id for e in got][0] == "code-1"
    assert all(e.domain == "code" for e in got)
    assert got[0].score >= got[1].score >= got[2].score
    speed = bank.nearest("A train travels 300 km in 3 hours; how fast is it going?", k=1)
    assert speed[0].id == "math-3"
    only_math = bank.nearest("Write a Python function that reverses a list.", k=2, domain="math")
    assert len(only_math) == 2 and {e.domain for e in only_math} == {"math"}
    assert bank.nearest("anything", k=0) == [] and len(bank.nearest("anything", k=50)) == len(BANK)
    assert bank.nearest("anything", k=2, domain="nope") == []


def test_novelty_is_higher_off_distribution(bank):
    inside = bank.novelty("Write a Python function that reverses a list.")
    near = bank.novelty("In Python, how can I reverse a list?")
    off = bank.novelty("What is the boiling point of ethanol at sea level in kelvin?")
    assert inside == pytest.approx(0.0, abs=0.01)
    assert inside < near < off
    assert bank.should_retrieve("What is the boiling point of ethanol at sea level in kelvin?", threshold=near + 0.05)
    assert not bank.should_retrieve("In Python, how can I reverse a list?", threshold=near + 0.05)
    assert bank.default_threshold == 0.6  # the bank's own p90 leave-one-out novelty
    examples, novelty, ms = bank.lookup("Good morning to you", k=2)
    assert examples[0].id == "general-1" and novelty == pytest.approx(bank.novelty("Good morning to you")) and ms > 0


def test_format_examples_makes_user_assistant_pairs(bank):
    msgs = format_examples(bank.nearest("What is the mean of 3, 5 and 7?", k=2))
    assert [m["role"] for m in msgs] == ["user", "assistant", "user", "assistant"]
    assert msgs[0]["content"] == BANK[4].instruction and msgs[1]["content"] == BANK[4].response


def test_leave_one_out_novelty_excludes_self():
    emb = np.eye(3, dtype=np.float32)
    emb = np.vstack([emb, emb[0]])  # row 3 duplicates row 0
    assert leave_one_out_novelty(emb).tolist() == pytest.approx([0.0, 1.0, 1.0, 0.0])


def test_corrupt_or_mismatched_banks_are_refused(tmp_path, bank_dir, embedder):
    import shutil

    for name in ("example_bank.safetensors", "example_bank.json", "manifest.json"):
        shutil.copy(bank_dir / name, tmp_path / name)
    entry = json.loads((tmp_path / "manifest.json").read_text())["artifacts"][0]
    st = tmp_path / "example_bank.safetensors"
    data = bytearray(st.read_bytes())
    data[-3] ^= 0xFF
    st.write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="SHA-256 mismatch"):
        ExampleBank.load(tmp_path / "manifest.json", tmp_path / "cache", embedder)

    # Files that are intact but belong to different banks: the ids digest catches it.
    other = tmp_path / "other"
    emb = embedder.embed([e.instruction for e in BANK[:3]])
    e2 = write_bank(other, [Example(f"x{i}", e.domain, e.instruction, e.response) for i, e in enumerate(BANK[:3])], emb)
    mixed = {**e2, "file": "../example_bank.safetensors"}
    shutil.copy(bank_dir / "example_bank.safetensors", st)
    mixed["sha256"], mixed["size"] = entry["sha256"], entry["size"]
    write_manifest(other, mixed)
    with pytest.raises(ArtifactError, match="do not belong together"):
        ExampleBank.load(other / "manifest.json", tmp_path / "cache", embedder)

    write_manifest(tmp_path, {k: v for k, v in entry.items() if k != "examples_sha256"})
    with pytest.raises(ArtifactError, match="examples_file"):
        ExampleBank.load(tmp_path / "manifest.json", tmp_path / "cache", embedder)
    with pytest.raises(ArtifactError, match="no example-bank"):
        ExampleBank.load(tmp_path / "missing.json", tmp_path / "cache", embedder)


def test_the_shipped_bank_loads_and_covers_the_domains(tmp_path, embedder):
    bank = ExampleBank.load(REPO / "artifacts" / "tools" / "manifest.json", tmp_path, embedder)
    assert len(bank) >= 1000
    assert len(bank.domains) >= 5 and min(bank.domains.values()) >= 100
    assert bank.embeddings.dtype == np.float32 and bank.embeddings.shape[1] == 384
    got = bank.nearest("A pack of 6 pens costs $4.50. How much do 10 pens cost?", k=3)
    assert {e.domain for e in got} == {"math"}
    eval_q = json.loads((REPO / "data" / "eval" / "arithmetic.jsonl").read_text().splitlines()[0])["question"]
    assert all(e.instruction != eval_q for e in bank.nearest(eval_q, k=5))


def test_example_bank_phase_on_a_tiny_config(tmp_path):
    from pipeline.framework import read_json
    from pipeline.phases import example_bank

    data = tmp_path / "data"
    data.mkdir()
    math = [{"id": f"m{i}", "instruction": f"A box holds {i + 3} eggs. How many eggs are in {i + 2} boxes?",
             "response": f"{i + 3} × {i + 2} = {(i + 3) * (i + 2)}\nAnswer: {(i + 3) * (i + 2)}"} for i in range(6)]
    math.append(dict(math[0], id="m-dup"))
    math.append({"id": "m-long", "instruction": "Add these. " + "1 + " * 600 + "1", "response": "601"})
    math.append({"id": "m-eval", "instruction": "Quinn has 7 kites and buys 5 more kites at the fair today. How many kites now?",
                 "response": "7 + 5 = 12\nAnswer: 12"})
    general = [{"id": f"g{i}", "instruction": f"Suggest a name for a goldfish with {c} fins.",
                "response": f"How about {n}?"} for i, (c, n) in enumerate([("red", "Ruby"), ("blue", "Sky"),
                                                                          ("gold", "Sunny")])]
    for name, rows in (("math", math), ("general", general)):
        (data / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    ev = data / "eval.jsonl"
    ev.write_text(json.dumps({"id": "e1", "question": "Quinn has 7 kites and buys 5 more kites at the fair today. "
                                                      "How many kites now?", "answer": "12"}) + "\n")
    dest = tmp_path / "tools"
    dest.mkdir()
    # Another tool's entry (a kind this runtime does not know yet) must survive untouched.
    other = {"name": "critic", "kind": "critique-scorer", "file": "critic.safetensors", "sha256": "ab" * 32}
    (dest / "manifest.json").write_text(json.dumps({"artifacts": [other]}))
    cfg = example_bank.Config(workdir=str(tmp_path / "work"), threads=1, dest=str(dest), max_instruction_chars=400,
                              decontaminate_against=[str(ev)], min_examples=5, min_domains=2,
                              domains={"math": {"train": str(data / "math.jsonl")},
                                       "general": {"train": str(data / "general.jsonl"), "modifier": False}})
    res = example_bank.main(cfg)
    assert res.status == "done"
    m = res.metrics
    assert m["examples"] == 9 and m["domains"] == {"math": 6, "general": 3}
    f = m["filters"]["math"]
    assert f["near_duplicate"] == 1 and f["eval_contamination"] == 1 and f["length:instruction_long"] == 1
    assert m["dtype_check"]["max_cos_error"] < 1e-3
    arts = json.loads((dest / "manifest.json").read_text())["artifacts"]
    assert arts[0] == other and [a["kind"] for a in arts] == ["critique-scorer", "example-bank"]
    assert read_json(Path(cfg.workdir) / "example_bank" / "manifest.json")["artifacts"][0]["sha256"] == arts[1]["sha256"]
    assert example_bank.main(cfg).status == "up-to-date"
    (dest / "example_bank.json").unlink()  # someone removed the published copy: the phase publishes again
    assert example_bank.main(cfg).status == "done" and (dest / "example_bank.json").is_file()
    with pytest.raises(Exception, match="min_examples"):
        example_bank.main(example_bank.Config(**{**cfg.__dict__, "min_examples": 50, "dest": ""}))
