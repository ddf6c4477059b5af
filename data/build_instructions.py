"""Write the instruction/response training sets and the held-out evaluation sets.

    .venv/bin/python data/build_instructions.py

Deterministic (fixed seed). Sources are in data/instruction_src/: hand-written code tasks with hand-computed
tests, hand-written general chat, and templated reasoning / math / tool-use generators whose answers are
computed. Outputs:
  data/instructions/{code,reasoning,automation,math,general}.jsonl
  data/eval/{math,reasoning,automation}.jsonl
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from instruction_src import (  # noqa: E402  # noqa: E402
    automation,
    code_dicts_math,
    code_extra,
    code_lists,
    code_misc,
    code_strings,
    general_chat,
    math_problems,
    reasoning,
)

SEED = 1125
# Training examples of one template must stay clearly apart (the pipeline removes near-duplicates at Jaccard 0.8).
TRAIN_MAX_JACCARD = 0.7
# An evaluation item must not be a near-copy of anything in training.
EVAL_MAX_JACCARD = 0.8


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def shingles(text: str, n: int = 3) -> set:
    words = normalize(text).split()
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


class Pool:
    """Accepts candidates that are neither exact nor near duplicates of what was accepted before."""

    def __init__(self, limit: float):
        self.limit = limit
        self.seen: set[str] = set()
        self.sigs: list[set] = []

    def ok(self, text: str, against: list[set] | None = None) -> bool:
        key = normalize(text)
        if key in self.seen:
            return False
        sig = shingles(text)
        for other in (self.sigs if against is None else self.sigs + against):
            if jaccard(sig, other) >= self.limit:
                return False
        return True

    def add(self, text: str) -> None:
        self.seen.add(normalize(text))
        self.sigs.append(shingles(text))


# ----------------------------------------------------------------------------- code
def code_rows(rng: random.Random) -> list[dict]:
    tasks = code_strings.TASKS + code_lists.TASKS + code_dicts_math.TASKS + code_misc.TASKS + code_extra.TASKS
    rows = []
    for task in tasks:
        response = f"{task.explanation}\n\n```python\n{task.code}\n```"
        m = re.search(rf"^assert ({re.escape(task.entry_point)}\(.*\)) == (.+)$", task.tests, flags=re.M)
        if m and len(m.group(0)) < 110 and rng.random() < 0.5:
            response += f"\n\nFor example, `{m.group(1)}` returns `{m.group(2)}`."
        rows.append({
            "id": f"code-{task.slug}", "domain": "code", "difficulty": task.difficulty,
            "source": "modroute-handwritten", "instruction": task.instruction, "response": response,
            "entry_point": task.entry_point, "tests": task.tests,
        })
    return rows


# ----------------------------------------------------------------------------- templated answers
def templated(domain: str, generators: dict, handwritten: list, hand_eval: int, rng: random.Random):
    """Returns (train rows, eval items). Eval items are drawn after training so they can avoid it."""
    train, train_sigs = [], []
    pools = {}
    for name, (gen, n_train, _n_eval) in generators.items():
        pool = pools[name] = Pool(TRAIN_MAX_JACCARD)
        made, tries = 0, 0
        while made < n_train:
            tries += 1
            if tries > 5000:
                raise RuntimeError(f"{domain}/{name}: only {made} distinct examples")
            item = gen(rng)
            text = item.question + "\n" + item.response()
            if not pool.ok(text):
                continue
            pool.add(text)
            made += 1
            train.append((name, item))
    hand_train = handwritten[:len(handwritten) - hand_eval]
    hand_test = handwritten[len(handwritten) - hand_eval:]
    train += [("handwritten", it) for it in hand_train]
    rows = []
    for i, (name, item) in enumerate(train, start=1):
        source = "modroute-handwritten" if name == "handwritten" else f"modroute-template:{name}"
        rows.append({"id": f"{domain}-{i:04d}", "domain": domain, "difficulty": item.difficulty, "source": source,
                     "instruction": item.question, "response": item.response(), "answer": item.answer})
        train_sigs.append(shingles(item.question))
    # Held-out: same generators, fresh parameters, checked against every training question.
    eval_items = []
    eval_pool = Pool(EVAL_MAX_JACCARD)
    for name, (gen, _n_train, n_eval) in generators.items():
        made, tries = 0, 0
        while made < n_eval:
            tries += 1
            if tries > 5000:
                raise RuntimeError(f"{domain}/{name}: only {made} eval items")
            item = gen(rng)
            if not eval_pool.ok(item.question, against=train_sigs):
                continue
            eval_pool.add(item.question)
            eval_items.append(item)
            made += 1
    eval_items += hand_test
    return rows, eval_items


def reasoning_sets(rng):
    rows, items = templated("reasoning", reasoning.GENERATORS, reasoning.handwritten_items(),
                            reasoning.HANDWRITTEN_EVAL, rng)
    evals = [{"id": f"eval-reasoning-{i:03d}", "question": it.question, "answer": it.answer, "rubric": it.rubric}
             for i, it in enumerate(items, start=1)]
    return rows, evals


def math_sets(rng):
    hand = math_problems.handwritten_items()
    rows, items = templated("math", math_problems.GENERATORS, hand, 0, rng)
    evals = [{"id": f"eval-math-{i:03d}", "question": it.question, "answer": it.answer}
             for i, it in enumerate(items, start=1)]
    return rows, evals


# ----------------------------------------------------------------------------- automation
def automation_sets(rng, n_train=330, n_eval=66):
    rows, pool = [], Pool(TRAIN_MAX_JACCARD)
    scenarios = automation.SCENARIOS
    i, tries = 0, 0
    while len(rows) < n_train:
        tries += 1
        if tries > 20000:
            raise RuntimeError("automation: not enough distinct examples")
        ex = automation.make_example(rng, scenario=scenarios[i % len(scenarios)])
        if not pool.ok(ex["instruction"] + "\n" + ex["response"]):
            continue
        i += 1
        pool.add(ex["instruction"] + "\n" + ex["response"])
        rows.append({"id": f"automation-{len(rows) + 1:04d}", "domain": "automation", "difficulty": ex["difficulty"],
                     "source": f"modroute-template:{ex['template']}", "instruction": ex["instruction"],
                     "response": ex["response"], "calls": ex["calls"]})
    train_sigs = [shingles(r["instruction"]) for r in rows]
    evals, eval_pool, i, tries = [], Pool(EVAL_MAX_JACCARD), 0, 0
    while len(evals) < n_eval:
        tries += 1
        if tries > 20000:
            raise RuntimeError("automation: not enough eval items")
        ex = automation.make_example(rng, scenario=scenarios[i % len(scenarios)])
        if not eval_pool.ok(ex["instruction"], against=train_sigs):
            continue
        i += 1
        eval_pool.add(ex["instruction"])
        evals.append({"id": f"eval-automation-{len(evals) + 1:03d}", "question": ex["instruction"],
                      "expected_calls": [c["name"] for c in ex["calls"]]})
    return rows, evals


# ----------------------------------------------------------------------------- general
def general_rows():
    return [{"id": f"general-{i:03d}", "domain": "general", "difficulty": difficulty, "source": "modroute-handwritten",
             "instruction": instruction, "response": response}
            for i, (_kind, difficulty, instruction, response) in enumerate(general_chat.GENERAL, start=1)]


def main() -> None:
    rng = random.Random(SEED)
    outputs = {}
    outputs["instructions/code.jsonl"] = code_rows(random.Random(SEED + 1))
    outputs["instructions/reasoning.jsonl"], outputs["eval/reasoning.jsonl"] = reasoning_sets(random.Random(SEED + 2))
    outputs["instructions/math.jsonl"], outputs["eval/math.jsonl"] = math_sets(random.Random(SEED + 3))
    outputs["instructions/automation.jsonl"], outputs["eval/automation.jsonl"] = automation_sets(random.Random(SEED + 4))
    outputs["instructions/general.jsonl"] = general_rows()
    del rng
    for rel, rows in outputs.items():
        write_jsonl(HERE / rel, rows)
        print(f"{rel}: {len(rows)}")


if __name__ == "__main__":
    main()
