"""Write the router datasets from the hand-written sources next to this file.

    .venv/bin/python data/build_router.py

Outputs (deterministic; ~20% of each label -- and of each kind, for the detector -- is "heldout"):
  data/router/domain_prompts.jsonl    {"text", "label", "split"}  router_prompts_src.py, then router_prompts_broad_src.py
  data/router/dissatisfaction.jsonl   {"text", "label", "split", "kind"}
  data/router/domain_heldout.jsonl    {"text", "label", "case"}   router_heldout_src.py, never trained on
                                      (math and hard_math: router_heldout_fresh_src.py, see RETIRED_HELDOUT)

The broadened prompts (issue 14) are split with a generator of their own, after the others, so the
original prompts and the detector's messages keep the splits they had. Blocks written later still
(``router_prompts_broad_src.LATE_PROMPTS``: the hard_math label, and more math written with it) are
split last, one generator per block, so adding one reshuffles no other prompt's split. Prompts a source
relabels (its ``RELABELLED`` dict: math prompts that turned out to be competition-style) stay in their
old block, so the splits are drawn over the same lists as before, and only their label changes.

The first held-out prompts of math and hard_math were seen while the hard_math data was chosen
(data/README.md); they are training prompts now (``RETIRED_HELDOUT``, split last with a generator of
their own), and those two labels' held-out prompts are router_heldout_fresh_src.py's.
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
import router_heldout_fresh_src  # noqa: E402
import router_heldout_src  # noqa: E402
import router_prompts_broad_src  # noqa: E402
import router_prompts_extra_src  # noqa: E402
import router_prompts_src  # noqa: E402

SEED = 20261125
BROAD_SEED = 20261203
# the later blocks of router_prompts_broad_src.LATE_PROMPTS, each split with a generator of its own
LATE_SEEDS = {"hard_math": 20261204, "math": 20261205}
HELDOUT_FRACTION = 0.2
# labels whose first held-out prompts (router_heldout_src) were seen while their training data was chosen:
# those prompts are training data, split with this seed; the labels' held-out set is router_heldout_fresh_src
RETIRED_HELDOUT = ("math", "hard_math")
RETIRED_SEED = 20261207
EXTRA_SEED = 20261208  # router_prompts_extra_src.py, split last


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


def domain_rows(rng: random.Random, by_label: dict[str, list[str]],
                relabelled: dict[str, str] | None = None) -> list[dict]:
    """Rows with splits drawn per label in ``by_label`` order; a text in ``relabelled`` keeps the split
    drawn in its block and takes the new label."""
    relabelled = relabelled or {}
    missing = set(relabelled) - {t for texts in by_label.values() for t in texts}
    if missing:
        raise ValueError(f"RELABELLED names prompts that are not in the source: {sorted(missing)}")
    rows = []
    for label, texts in by_label.items():
        for text, split in zip(texts, assign_splits(len(texts), rng), strict=True):
            rows.append({"text": text, "label": relabelled.get(text, label), "split": split})
    return rows


def heldout_rows() -> list[dict]:
    fresh = router_heldout_fresh_src.items_by_label()
    if set(fresh) != set(RETIRED_HELDOUT):
        raise ValueError(f"router_heldout_fresh_src has {sorted(fresh)}, RETIRED_HELDOUT {sorted(RETIRED_HELDOUT)}")
    first = router_heldout_src.items_by_label()
    return [{"text": text, "label": label, "case": case}
            for label, items in {**first, **fresh}.items() for text, case in items]


def retired_heldout_rows() -> list[dict]:
    """The retired held-out prompts as training rows (~20% of them in domain_prompts' own held-out split)."""
    first = router_heldout_src.items_by_label()
    return domain_rows(random.Random(RETIRED_SEED), {label: [t for t, _ in first[label]] for label in RETIRED_HELDOUT})


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
    domain = domain_rows(rng, router_prompts_src.prompts_by_label(), router_prompts_src.RELABELLED)
    detector = dissatisfaction_rows(rng)
    broad = {label: [text for text, _ in items] for label, items in router_prompts_broad_src.items_by_label().items()}
    domain += domain_rows(random.Random(BROAD_SEED), broad, router_prompts_broad_src.RELABELLED)
    for label, items in router_prompts_broad_src.late_items_by_label().items():
        if label not in LATE_SEEDS:
            raise ValueError(f"LATE_PROMPTS[{label!r}] has no seed in build_router.LATE_SEEDS")
        domain += domain_rows(random.Random(LATE_SEEDS[label]), {label: [text for text, _ in items]})
    domain += retired_heldout_rows()
    extra = {label: [text for text, _ in items] for label, items in router_prompts_extra_src.items_by_label().items()}
    domain += domain_rows(random.Random(EXTRA_SEED), extra)
    heldout = heldout_rows()
    write_jsonl(HERE / "router" / "domain_prompts.jsonl", domain)
    write_jsonl(HERE / "router" / "dissatisfaction.jsonl", detector)
    write_jsonl(HERE / "router" / "domain_heldout.jsonl", heldout)
    print(f"domain_prompts.jsonl: {len(domain)} rows; dissatisfaction.jsonl: {len(detector)} rows; "
          f"domain_heldout.jsonl: {len(heldout)} rows")


if __name__ == "__main__":
    main()
