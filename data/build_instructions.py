"""Write the instruction/response training sets and the held-out evaluation sets.

    .venv/bin/python data/build_instructions.py

Deterministic (fixed seed). Sources are in data/instruction_src/: hand-written code tasks with hand-computed
tests, hand-written general chat, and templated reasoning / math / tool-use generators whose answers are
computed. Outputs:
  data/instructions/{code,reasoning,automation,math,general}.jsonl
  data/eval/{math,reasoning,automation}.jsonl
  data/instructions/{finance,creative}.jsonl and data/eval/{finance,creative}.jsonl (issue 14)
  data/instructions/{science,hard_math}.jsonl and data/eval/{science,hard_math}.jsonl (issue 14)
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
    creative,
    finance,
    general_chat,
    hard_math,
    math_problems,
    reasoning,
    science,
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
def templated(domain: str, generators: dict, handwritten: list, hand_eval: int, rng: random.Random,
              row_fields: tuple = ()):
    """Returns (train rows, eval items). Eval items are drawn after training so they can avoid it.
    ``row_fields``: keys of ``Item.extra`` copied into a training row when an item has them."""
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
                     "instruction": item.question, "response": item.response(), "answer": item.answer,
                     **{k: item.extra[k] for k in row_fields if k in item.extra}})
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


# ----------------------------------------------------------------------------- finance and creative (issue 14)
def _instruction_sigs(outputs: dict) -> list[set]:
    """Word 3-gram sets of every training instruction built so far (held-out items must stay clear of all)."""
    return [shingles(r["instruction"]) for rel, rows in outputs.items() if rel.startswith("instructions/")
            for r in rows]


def _clear_of(evals: list[dict], other_sigs: list[set], domain: str) -> None:
    """Held-out questions must not be near-copies of another domain's training instructions either (the
    pipeline decontaminates every domain against every held-out set). Checked, not used to choose items,
    so the sets do not depend on what else was built."""
    for e in evals:
        sig = shingles(e["question"])
        if any(jaccard(sig, o) >= EVAL_MAX_JACCARD for o in other_sigs):
            raise RuntimeError(f"{domain}: held-out item {e['id']} is too close to another domain's training data")


def finance_sets(rng: random.Random, other_sigs: list[set] = ()):
    """Templated problems (computed answers) plus hand-written conceptual questions (rubric key terms).
    Types with no training examples are held out entirely; held-out items of the other types avoid every
    training question (Jaccard) and every training (type, answer) pair."""
    train = []
    for name, (gen, n_train, _n_eval) in finance.GENERATORS.items():
        pool, made, tries = Pool(TRAIN_MAX_JACCARD), 0, 0
        while made < n_train:
            tries += 1
            if tries > 5000:
                raise RuntimeError(f"finance/{name}: only {made} distinct examples")
            item = gen(rng)
            text = item.question + "\n" + item.response()
            if not pool.ok(text):
                continue
            pool.add(text)
            made += 1
            train.append((name, item))
    concepts = finance.concept_items()
    hand_train, hand_eval = concepts[:-finance.HANDWRITTEN_EVAL], concepts[-finance.HANDWRITTEN_EVAL:]
    pool = Pool(TRAIN_MAX_JACCARD)
    for c in hand_train:
        text = c.question + "\n" + c.response()
        if not pool.ok(text):
            raise RuntimeError(f"finance: conceptual question too close to another: {c.question!r}")
        pool.add(text)
        train.append(("handwritten", c))
    rows = []
    for i, (name, item) in enumerate(train, start=1):
        source = "modroute-handwritten" if name == "handwritten" else f"modroute-template:{name}"
        rows.append({"id": f"finance-{i:04d}", "domain": "finance", "difficulty": item.difficulty, "source": source,
                     "instruction": item.question, "response": item.response(), "answer": item.answer,
                     "rubric": getattr(item, "rubric", "")})
    train_sigs = [shingles(item.question) for _, item in train]
    seen_answers = {(name, item.answer) for name, item in train}
    items, eval_pool = [], Pool(EVAL_MAX_JACCARD)
    for name, (gen, _n_train, n_eval) in finance.GENERATORS.items():
        made, tries = 0, 0
        while made < n_eval:
            tries += 1
            if tries > 5000:
                raise RuntimeError(f"finance/{name}: only {made} eval items")
            item = gen(rng)
            if (name, item.answer) in seen_answers or not eval_pool.ok(item.question, against=train_sigs):
                continue
            eval_pool.add(item.question)
            items.append(item)
            made += 1
    for c in hand_eval:
        if not eval_pool.ok(c.question, against=train_sigs):
            raise RuntimeError(f"finance: held-out question too close to training: {c.question!r}")
        eval_pool.add(c.question)
        items.append(c)
    evals = [{"id": f"eval-finance-{i:03d}", "question": it.question, "answer": it.answer,
              "rubric": getattr(it, "rubric", "")} for i, it in enumerate(items, start=1)]
    _clear_of(evals, list(other_sigs), "finance")
    return rows, evals


def creative_sets(rng: random.Random, other_sigs: list[set] = ()):
    """Hand-written responses to checkable writing tasks. A response that breaks its own constraints, or
    a near-duplicate, stops the build instead of being dropped: the examples are hand-written."""
    sys.path.insert(0, str(HERE.parent))
    from pipeline.scoring_constraints import constraint_problems, score_constraints
    from pipeline.textdata import Item

    rows, pools = [], {}
    for i, task in enumerate(creative.training_tasks(rng), start=1):
        problems = constraint_problems(task.constraints)
        score = score_constraints(Item(id="", domain="creative", prompt=task.question,
                                       extra={"constraints": task.constraints}), task.response())
        if problems or not score.passed:
            raise RuntimeError(f"creative: {task.question[:60]!r}: {problems or score.detail}")
        pool = pools.setdefault(task.kind, Pool(TRAIN_MAX_JACCARD))
        text = task.question + "\n" + task.response()
        if not pool.ok(text):
            raise RuntimeError(f"creative: near-duplicate example {task.question[:60]!r}")
        pool.add(text)
        rows.append({"id": f"creative-{i:04d}", "domain": "creative", "difficulty": task.difficulty,
                     "source": "modroute-handwritten", "instruction": task.question, "response": task.response(),
                     "constraints": task.constraints})
    train_sigs = [shingles(r["instruction"]) for r in rows]
    evals, eval_pool = [], Pool(EVAL_MAX_JACCARD)
    for j, task in enumerate(creative.eval_tasks(rng), start=1):
        problems = constraint_problems(task.constraints)
        if problems or not eval_pool.ok(task.question, against=train_sigs):
            raise RuntimeError(f"creative: held-out item {task.question[:60]!r}: {problems or 'too close to training'}")
        eval_pool.add(task.question)
        evals.append({"id": f"eval-creative-{j:03d}", "question": task.question, "constraints": task.constraints})
    _clear_of(evals, list(other_sigs), "creative")
    return rows, evals


# ----------------------------------------------------------------------------- science and hard_math (issue 14)
def _check_apart(domain: str, rows: list[dict], evals: list[dict], others: dict) -> None:
    """Held-out items must not be near-copies of any other domain's training instructions, and training
    instructions must not be near-copies of any other domain's held-out questions (the pipeline
    decontaminates every domain against every held-out set). Only checked, never used to choose items, so
    a domain's sets do not depend on what else was built."""
    other_train = [shingles(r["instruction"]) for rel, rs in others.items() if rel.startswith("instructions/")
                   for r in rs]
    other_eval = [shingles(r["question"]) for rel, rs in others.items() if rel.startswith("eval/") for r in rs]
    for e in evals:
        sig = shingles(e["question"])
        if any(jaccard(sig, o) >= EVAL_MAX_JACCARD for o in other_train):
            raise RuntimeError(f"{domain}: held-out item {e['id']} is too close to another domain's training data")
    for r in rows:
        sig = shingles(r["instruction"])
        if any(jaccard(sig, o) >= EVAL_MAX_JACCARD for o in other_eval):
            raise RuntimeError(f"{domain}: training example {r['id']} is too close to another domain's held-out item")


def _handwritten_apart(domain: str, rows: list[dict], hand_eval: list, train_sigs: list[set]) -> None:
    """Hand-written items are not drawn at random, so a near-duplicate stops the build instead of being
    dropped: among the training items (question + response, as the templates' pools) and between each
    held-out item and every training question."""
    pool = Pool(TRAIN_MAX_JACCARD)
    for r in rows:
        if r["source"] != "modroute-handwritten":
            continue
        text = r["instruction"] + "\n" + r["response"]
        if not pool.ok(text):
            raise RuntimeError(f"{domain}: hand-written example too close to another: {r['instruction'][:70]!r}")
        pool.add(text)
    eval_pool = Pool(EVAL_MAX_JACCARD)
    for it in hand_eval:
        if not eval_pool.ok(it.question, against=train_sigs):
            raise RuntimeError(f"{domain}: held-out item too close to training: {it.question[:70]!r}")
        eval_pool.add(it.question)


def _numbers(question: str) -> tuple[str, ...]:
    """The numbers of a question's stem (before any options), in order: its parameters (the whole stem
    when it has no numbers, e.g. a genetics cross)."""
    stem = re.split(r"\nA\) ", question, maxsplit=1)[0]
    return tuple(re.findall(r"\d+(?:\.\d+)?", stem)) or (normalize(stem),)


def _fresh_evals(domain: str, generators: dict, rng: random.Random, rows: list[dict], accept=lambda item: True):
    """Held-out draws from the templates: never a training question's parameters (the numbers in its stem)
    for the same template, and never a near-copy (Jaccard) of any training question."""
    train_sigs = [shingles(r["instruction"]) for r in rows]
    used = {(r["source"], _numbers(r["instruction"])) for r in rows}
    items, eval_pool = [], Pool(EVAL_MAX_JACCARD)
    for name, (gen, _n_train, n_eval) in generators.items():
        made, tries = 0, 0
        while made < n_eval:
            tries += 1
            if tries > 5000:
                raise RuntimeError(f"{domain}/{name}: only {made} eval items")
            item = gen(rng)
            if not accept(item) or (f"modroute-template:{name}", _numbers(item.question)) in used \
                    or not eval_pool.ok(item.question, against=train_sigs):
                continue
            eval_pool.add(item.question)
            items.append(item)
            made += 1
    return items


def science_sets(rng: random.Random, others: dict | None = None):
    """Templates with computed answers (multiple choice or short answer) and hand-written facts. Held-out
    items are all multiple choice: fresh draws of the templates plus facts written apart from training."""
    hand = science.handwritten_items(rng)
    hand_eval = hand[len(hand) - science.HANDWRITTEN_EVAL:]
    train_only = {name: (gen, n_train, 0) for name, (gen, n_train, _n_eval) in science.GENERATORS.items()}
    rows, _ = templated("science", train_only, hand, science.HANDWRITTEN_EVAL, rng, row_fields=("choices",))
    train_sigs = [shingles(r["instruction"]) for r in rows]
    _handwritten_apart("science", rows, hand_eval, train_sigs)
    items = _fresh_evals("science", science.GENERATORS, rng, rows, accept=lambda item: "choices" in item.extra)
    items += hand_eval
    evals = [{"id": f"eval-science-{i:03d}", "question": it.question, "answer": it.answer,
              "choices": it.extra["choices"]} for i, it in enumerate(items, start=1)]
    _check_apart("science", rows, evals, others or {})
    return rows, evals


def hard_math_sets(rng: random.Random, others: dict | None = None):
    """Competition-style templates; the EVAL_ONLY types contribute held-out items only."""
    generators = {**hard_math.GENERATORS, **hard_math.EVAL_ONLY_GENERATORS}
    rows, _ = templated("hard_math", {name: (gen, n, 0) for name, (gen, n, _e) in generators.items()}, [], 0, rng)
    items = _fresh_evals("hard_math", generators, rng, rows)
    evals = [{"id": f"eval-hard_math-{i:03d}", "question": it.question, "answer": it.answer}
             for i, it in enumerate(items, start=1)]
    _check_apart("hard_math", rows, evals, others or {})
    return rows, evals


def main() -> None:
    rng = random.Random(SEED)
    outputs = {}
    outputs["instructions/code.jsonl"] = code_rows(random.Random(SEED + 1))
    outputs["instructions/reasoning.jsonl"], outputs["eval/reasoning.jsonl"] = reasoning_sets(random.Random(SEED + 2))
    outputs["instructions/math.jsonl"], outputs["eval/math.jsonl"] = math_sets(random.Random(SEED + 3))
    outputs["instructions/automation.jsonl"], outputs["eval/automation.jsonl"] = automation_sets(random.Random(SEED + 4))
    outputs["instructions/general.jsonl"] = general_rows()
    outputs["instructions/finance.jsonl"], outputs["eval/finance.jsonl"] = finance_sets(
        random.Random(SEED + 11), _instruction_sigs(outputs))
    outputs["instructions/creative.jsonl"], outputs["eval/creative.jsonl"] = creative_sets(
        random.Random(SEED + 12), _instruction_sigs(outputs))
    outputs["instructions/science.jsonl"], outputs["eval/science.jsonl"] = science_sets(
        random.Random(SEED + 13), outputs)
    outputs["instructions/hard_math.jsonl"], outputs["eval/hard_math.jsonl"] = hard_math_sets(
        random.Random(SEED + 14), outputs)
    del rng
    for rel, rows in outputs.items():
        write_jsonl(HERE / rel, rows)
        print(f"{rel}: {len(rows)}")


if __name__ == "__main__":
    main()
