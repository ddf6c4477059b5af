"""The pipeline's test chain: ``python -m pipeline all --to publish`` on tiny inline data, every phase for real
(SmolLM2-135M, peft, llama.cpp), over four domains -- ``code`` (HumanEval), ``math``, a ``science`` domain
that exists only in this config and data, and ``general`` rehearsal data -- with the distill tiers pointing
at a local OpenAI-compatible server. One run per test session (``chain``, registered in conftest), shared by
tests/test_pipeline.py and tests/test_pipeline_rebase.py."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
import yaml

from pipeline.__main__ import main as cli
from tests.test_pipeline_teacher import FakeOpenAI

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def write_jsonl(path: Path, rows: list[dict]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def tiny_data(root: Path) -> dict[str, str]:
    rng = random.Random(0)
    math = []
    for i in range(26):
        a, b = rng.randint(11, 99), rng.randint(11, 99)
        math.append({"id": f"m{i}", "difficulty": "easy", "instruction": f"What is {a} plus {b}?",
                     "response": f"{a} + {b} = {a + b}. The answer is {a + b}.", "answer": str(a + b)})
    math.append({"id": "m-pii", "instruction": "What is 2 plus 2? Reply to jane.roe@gmail.com",
                 "response": "4", "answer": "4"})
    math.append(dict(math[0], id="m-dup"))
    code = []
    for i in range(18):
        k = rng.randint(2, 9)
        code.append({"id": f"c{i}", "difficulty": "easy",
                     "instruction": f"Write a Python function scale_{i}(x) that returns x multiplied by {k}.",
                     "response": f"```python\ndef scale_{i}(x):\n    return x * {k}\n```", "entry_point": f"scale_{i}",
                     "tests": f"assert scale_{i}(3) == {3 * k}\nassert scale_{i}(0) == 0"})
    planets = [("red", "Mars"), ("largest", "Jupiter"), ("ringed", "Saturn"), ("closest to the sun", "Mercury"),
               ("hottest", "Venus"), ("tilted on its side", "Uranus")]
    science = [{"id": f"s{i}", "difficulty": "easy",
                "instruction": f"Quiz {i}: which planet is known as the {d} planet? Say the name.",
                "response": f"The {d} planet is {p}. Answer: {p}", "answer": p}
               for i, (d, p) in enumerate(planets * 3)]
    general = [{"id": f"g{i}", "instruction": f"Suggest a name for a pet goldfish number {i}.",
                "response": f"How about Bubbles the {i}th?"} for i in range(14)]
    d = root / "data"
    return {
        "math": write_jsonl(d / "math.jsonl", math),
        "code": write_jsonl(d / "code.jsonl", code),
        "science": write_jsonl(d / "science.jsonl", science),
        "general": write_jsonl(d / "general.jsonl", general),
        "math_eval": write_jsonl(d / "math_eval.jsonl", [
            {"id": f"me{i}", "question": f"What is {20 + i} plus {31 + i}?", "answer": str(51 + 2 * i)}
            for i in range(2)]),
        "science_eval": write_jsonl(d / "science_eval.jsonl", [
            {"id": "se0", "question": "Which planet is called the red planet?", "answer": "Mars",
             "rubric": "names Mars"},
            {"id": "se1", "question": "Which planet is the largest?", "answer": "Jupiter", "rubric": "names Jupiter"}]),
    }


def chain_config(root: Path, data: dict[str, str], teacher_url: str) -> dict:
    return {
        "workdir": str(root / "work"),
        "threads": 0,  # auto: the cores are shared with other work
        "domains": {
            "code": {"train": data["code"], "eval": "humaneval", "eval_n": 1, "scorer": "code_tests",
                     "benchmark": "HumanEval pass@1", "max_new_tokens": 48},
            "math": {"train": data["math"], "eval": data["math_eval"], "scorer": "exact_match",
                     "benchmark": "sums exact match", "max_new_tokens": 32},
            # A domain no code knows about: a config entry and a dataset.
            "science": {"train": data["science"], "eval": data["science_eval"], "scorer": "rubric",
                        "benchmark": "planets quiz (rubric)", "max_new_tokens": 32},
            "general": {"train": data["general"], "modifier": False},
        },
        "curate": {"probe_n": 3, "val_n": 3, "ppl_max_tokens": 64, "ppl_drop_top": 0.05},
        "failures": {"k": 3, "min_per_cluster": 1},
        "distill": {
            "tiers": [{"name": "cheap", "kind": "openai", "base_url": teacher_url, "model": "cheap",
                       "price_in_per_mtok": 0.1, "price_out_per_mtok": 0.2, "max_tokens": 32},
                      {"name": "mid", "kind": "openai", "base_url": teacher_url, "model": "mid",
                       "price_in_per_mtok": 1.0, "price_out_per_mtok": 2.0, "max_tokens": 32},
                      {"name": "frontier", "kind": "openai", "base_url": teacher_url, "model": "frontier",
                       "price_in_per_mtok": 10.0, "price_out_per_mtok": 30.0, "max_tokens": 32}],
            "budget_usd": 1.0, "retrieve_per_cluster": 2,
        },
        "train_lora": {"max_steps": 4, "batch_size": 4, "eval_every": 2, "max_len": 96, "lr": 0.002,
                       "verify_prompts": 2, "verify_tokens": 12, "fidelity_prompts": 1},
        "publish": {"dest": str(root / "artifacts")},
    }


@pytest.fixture(scope="session")
def chain(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    data = tiny_data(root)
    with FakeOpenAI() as fake:
        cfg = chain_config(root, data, fake.base_url)
        (root / "pipeline.yaml").write_text(yaml.safe_dump(cfg))
        # The original chain (base .. publish); critique, example_bank and maml have their own tests.
        rc = cli(["all", "--config", str(root / "pipeline.yaml"), "--to", "publish"])
        teacher_models = fake.models()
    return {"root": root, "work": root / "work", "dest": root / "artifacts", "rc": rc, "cfg": cfg,
            "teacher_models": teacher_models}
