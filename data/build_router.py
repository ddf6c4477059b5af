"""Write the router datasets from the hand-written sources next to this file.

    .venv/bin/python data/build_router.py

Outputs (deterministic; ~20% of each label -- and of each kind, for the detector -- is "heldout"):
  data/router/domain_prompts.jsonl    {"text", "label", "split"}  router_prompts_src.py, then router_prompts_broad_src.py
  data/router/dissatisfaction.jsonl   {"text", "label", "split", "kind"}
  data/router/domain_heldout.jsonl    {"text", "label", "case"}   router_heldout_src.py, never trained on

The broadened prompts (issue 14) are split with a generator of their own, after the others, so the
original prompts and the detector's messages keep the splits they had.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import dissatisfaction_src  # noqa: E402
import router_heldout_src  # noqa: E402
import router_prompts_broad_src  # noqa: E402
import router_prompts_src  # noqa: E402

SEED = 20261125
BROAD_SEED = 20261203
HELDOUT_FRACTION = 0.2


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """Write atomically so a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def assign_splits(n: int, rng: random.Random) -> list[str]:
    """Exactly round(n * fraction) heldout positions, chosen at random."""
    k = round(n * HELDOUT_FRACTION)
    heldout = set(rng.sample(range(n), k))
    return ["heldout" if i in heldout else "train" for i in range(n)]


def domain_rows(rng: random.Random, by_label: dict[str, list[str]]) -> list[dict]:
    rows = []
    for label, texts in by_label.items():
        for text, split in zip(texts, assign_splits(len(texts), rng), strict=True):
            rows.append({"text": text, "label": label, "split": split})
    return rows


def heldout_rows() -> list[dict]:
    return [{"text": text, "label": label, "case": case}
            for label, items in router_heldout_src.items_by_label().items() for text, case in items]


def dissatisfaction_rows(rng: random.Random) -> list[dict]:
    groups: dict[tuple[int, str], list[str]] = {}
    for text, label, kind in dissatisfaction_src.messages(SEED):
        groups.setdefault((label, kind), []).append(text)
    rows = []
    for (label, kind), texts in groups.items():
        for text, split in zip(texts, assign_splits(len(texts), rng), strict=True):
            rows.append({"text": text, "label": label, "split": split, "kind": kind})
    rng.shuffle(rows)  # mix kinds so a reader taking the first N lines gets both classes
    return rows


def main() -> None:
    rng = random.Random(SEED)
    domain = domain_rows(rng, router_prompts_src.prompts_by_label())
    detector = dissatisfaction_rows(rng)
    broad = {label: [text for text, _ in items] for label, items in router_prompts_broad_src.items_by_label().items()}
    domain += domain_rows(random.Random(BROAD_SEED), broad)
    heldout = heldout_rows()
    write_jsonl(HERE / "router" / "domain_prompts.jsonl", domain)
    write_jsonl(HERE / "router" / "dissatisfaction.jsonl", detector)
    write_jsonl(HERE / "router" / "domain_heldout.jsonl", heldout)
    print(f"domain_prompts.jsonl: {len(domain)} rows; dissatisfaction.jsonl: {len(detector)} rows; "
          f"domain_heldout.jsonl: {len(heldout)} rows")


if __name__ == "__main__":
    main()
