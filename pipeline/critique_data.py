"""Judged answers for the critique scorer: who answered what, and did the project's judges accept it.

Sources, per question (a held-out eval item or a prompt drawn from a domain's training data):

- ``base`` and ``modifier:<name>``: greedy answers of the served GGUF base alone and with the
  domain's shipped modifier (domains without one -- general -- rotate through the shipped ones);
  generated through the runtime engine and cached in a JSONL keyed by base, adapter, prompt and
  token cap, so a re-run (new head settings, a crash) never generates an answer twice;
- ``reference``: the training data's own response (HumanEval: the canonical solution);
- ``router-labels``: base answers to open-ended prompts already stored in
  ``data/router/quality_labels.jsonl`` (judged again here with the same proxy rubric);
- ``degraded:<kind>``: deliberately broken copies of a good answer -- empty, truncated, repeated,
  another question's answer, a wrong final number -- so the obvious failures are in the data.

Judges: the domain's scorer from ``pipeline.scoring`` (executed tests, exact match, tool order,
rubric); items no scorer can check (general chat) use the router's proxy rubric for open prompts
(``runtime.router_train.judge``: not degenerate and cosine(question, answer) >= 0.35).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.scoring import get_scorer, scorable
from pipeline.textdata import Item, read_jsonl

OPEN = "open-proxy"


@dataclass
class Question:
    qid: str
    domain: str  # critic domain (code | math | reasoning | automation | general)
    item: Item
    scorer: str  # a pipeline.scoring name, or OPEN
    origin: str  # eval | train | router-labels
    max_tokens: int = 192
    system_prompt: str = ""
    answers: list[dict[str, Any]] = field(default_factory=list)


def judge(q: Question, answer: str, embedder) -> tuple[bool, float | None, str]:
    """(acceptable, 0-10 target or None, detail)."""
    if q.scorer == OPEN:
        from runtime.router_train import judge as open_judge

        ok = open_judge({"kind": "open", "text": q.item.prompt}, answer, "", embedder)
        return bool(ok), None, "open proxy rubric (not degenerate, cosine >= 0.35)"
    s = get_scorer(q.scorer)(q.item, answer, None)
    return bool(s.passed), round(10.0 * s.value, 2), s.detail[:200]


def _scorer_for(item: Item, preferred: str) -> str:
    return preferred if scorable(item, preferred) else OPEN


def collect_questions(cfg, specs: dict, critic_domain) -> list[Question]:
    """The questions to answer, per domain: held-out eval items and a seeded sample of training prompts."""
    from pipeline.evalsets import eval_items, humaneval_items

    rng = random.Random(cfg.seed)
    out: list[Question] = []
    for name, spec in specs.items():
        dom = critic_domain(name)
        cap = min(spec.max_new_tokens, cfg.max_tokens) if cfg.max_tokens else spec.max_new_tokens
        if spec.eval and cfg.eval_n >= 0:
            if spec.eval.lower() == "humaneval":
                items = humaneval_items(cfg.humaneval_n) if cfg.humaneval_n > 0 else []  # 0 would mean all
            else:
                from pipeline.config import DomainSpec

                items = eval_items(name, DomainSpec(**{**spec.__dict__, "eval_n": max(cfg.eval_n, 0)}),
                                   seed=cfg.seed)
            for it in items:
                out.append(Question(f"{name}:{it.id}", dom, it, _scorer_for(it, spec.scorer), "eval", cap,
                                    spec.system_prompt))
        n_train = cfg.train_per_domain if spec.modifier else cfg.general_n
        if spec.train and n_train and Path(spec.train).is_file():
            recs = read_jsonl(spec.train)
            recs = rng.sample(recs, min(n_train, len(recs)))
            for i, r in enumerate(recs):
                it = Item.from_record(r, name)
                it.id = it.id or f"{name}-train-{i}"
                out.append(Question(f"{name}:{it.id}", dom, it, _scorer_for(it, spec.probe), "train", cap,
                                    spec.system_prompt))
    return out


def router_label_questions(path: str, n: int, seed: int) -> list[Question]:
    """Open-ended prompts with the base answers the router's labelling run already generated."""
    if not path or not n or not Path(path).is_file():
        return []
    rows = [r for r in read_jsonl(path) if r.get("kind") == "open" and isinstance(r.get("answer"), str)]
    rows = random.Random(seed).sample(rows, min(n, len(rows)))
    out = []
    for r in rows:
        q = Question(f"router:{r['id']}", "general", Item(id=r["id"], domain="general", prompt=r["text"]), OPEN,
                     "router-labels", int(r.get("max_tokens") or 256))
        q.answers.append({"source": "router-labels", "answer": r["answer"], "finish_reason": r.get("finish_reason")})
        out.append(q)
    return out


# -- generation with a cache ---------------------------------------------------------------------
def _cache_key(base_sha: str, adapter_sha: str, q: Question) -> str:
    raw = json.dumps([base_sha, adapter_sha, q.system_prompt, q.item.prompt, q.max_tokens, 0.0])
    return hashlib.sha256(raw.encode()).hexdigest()


class AnswerCache:
    """Generated answers, appended as they come (JSONL, one object per answer)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.rows: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            for r in read_jsonl(self.path):
                self.rows[r["key"]] = r
        self.hits = self.misses = 0

    def get(self, key: str) -> dict[str, Any] | None:
        r = self.rows.get(key)
        self.hits += r is not None
        return r

    def put(self, key: str, row: dict[str, Any]) -> None:
        self.misses += 1
        row = {"key": key, **row}
        self.rows[key] = row
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


@dataclass
class Shipped:
    """A modifier as the manifest lists it (enough to key the cache without loading the model)."""

    name: str
    domain: str
    sha256: str


def generate_answers(questions: list[Question], cache: AnswerCache, base_sha: str, shipped: list[Shipped],
                     open_engine, progress=lambda x, d: x) -> dict:
    """Base and modifier answers for every question; the engine is opened only when the cache misses."""
    from pipeline.textdata import chat_messages
    from runtime.engine import ChatRequest

    by_domain = {m.domain: m for m in shipped}
    engine = None
    tokens = seconds = 0.0
    try:
        for i, q in enumerate(progress(questions, "answers")):
            if q.origin == "router-labels":
                continue
            mod = by_domain.get(q.item.domain)
            if mod is None and shipped:  # no modifier of its own (general): each shipped one in turn
                mod = shipped[i % len(shipped)]
            for m in (None, mod) if mod is not None else (None,):
                source = f"modifier:{m.name}" if m else "base"
                key = _cache_key(base_sha, m.sha256 if m else "", q)
                row = cache.get(key)
                if row is None:
                    if engine is None:
                        engine = open_engine()
                    c = engine.complete(ChatRequest(messages=chat_messages(q.item.prompt, None, q.system_prompt),
                                                    max_tokens=q.max_tokens, modifier=m.name if m else None,
                                                    track_confidence=False))
                    row = {"qid": q.qid, "source": source, "answer": c.text, "finish_reason": c.finish_reason,
                           "tokens": c.usage.get("completion_tokens", 0),
                           "seconds": round(c.timings.get("total_ms", 0.0) / 1000, 3)}
                    cache.put(key, row)
                    tokens += row["tokens"]
                    seconds += row["seconds"]
                q.answers.append({"source": source, "answer": row["answer"], "finish_reason": row["finish_reason"]})
    finally:
        if engine is not None:
            engine.close()
    return {"generated": cache.misses, "cached": cache.hits, "generated_tokens": int(tokens),
            "generation_seconds": round(seconds, 1),
            "tokens_per_s": round(tokens / seconds, 1) if seconds else None}


def add_references(questions: list[Question]) -> int:
    n = 0
    for q in questions:
        ref = q.item.reference
        if not ref:
            continue
        if q.item.extra.get("code_prompt"):  # HumanEval: prompt + canonical solution
            ref = f"```python\n{ref.rstrip()}\n```"
        q.answers.append({"source": "reference", "answer": ref, "finish_reason": "stop"})
        n += 1
    return n


# -- deliberately degraded answers ---------------------------------------------------------------
_LAST_NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?!.*\d)", re.S)


def _truncate(text: str, rng: random.Random) -> str | None:
    words = text.split(" ")
    if len(words) < 8:
        return None
    cut = " ".join(words[:max(3, int(len(words) * rng.uniform(0.3, 0.7)))]).rstrip(" .!?\n")
    return cut if cut and cut[-1].isalnum() else cut.rstrip(".,;:!?") or None


def _repeat(text: str, rng: random.Random) -> str | None:
    lines = [ln for ln in text.splitlines() if len(ln.split()) >= 3] or [text]
    first = re.split(r"(?<=[.!?])\s+", lines[0].strip())[0]
    if len(first.split()) < 3:
        return None
    return " ".join([first] * rng.randint(5, 9))


def _wrong_number(text: str, rng: random.Random) -> str | None:
    """The last number changed -- in the last equation and the final line alike, as a model's slip."""
    m = _LAST_NUM.search(text)
    if not m:
        return None
    old = m.group(0)
    try:
        val = float(old.replace(",", ""))
    except ValueError:
        return None
    new = val + rng.choice([-3, -2, -1, 1, 2, 5, 10]) if rng.random() < 0.7 else val * rng.choice([2, 0.5, 10])
    new_s = f"{new:g}" if "." in old or not float(new).is_integer() else str(int(new))
    if new_s == old:
        return None
    if rng.random() < 0.5:  # the working and the answer both carry the slip
        return re.sub(rf"(?<![\d.]){re.escape(old)}(?![\d.])", new_s, text)
    return text[:m.start()] + new_s + text[m.end():]


DEGRADATIONS = ("empty", "truncated", "repeated", "other", "wrong_number")


def add_degraded(questions: list[Question], share: float, seed: int) -> dict[str, int]:
    """Broken copies of a good answer for a ``share`` of the questions; their label is decided later
    (empty, repeated, truncated, other are unacceptable by construction; wrong_number by the judge)."""
    rng = random.Random(seed + 17)
    by_domain: dict[str, list[Question]] = {}
    for q in questions:
        by_domain.setdefault(q.domain, []).append(q)
    counts = dict.fromkeys(DEGRADATIONS, 0)
    for q in questions:
        if rng.random() >= share:
            continue
        good = [a for a in q.answers if a.get("acceptable")] or [a for a in q.answers if len(a["answer"].split()) >= 8]
        if not good:
            continue
        src = rng.choice(good)["answer"]
        kinds = [k for k in DEGRADATIONS if k != "wrong_number" or re.search(r"\d", src)]
        kind = rng.choice(kinds)
        finish = None
        if kind == "empty":
            text = rng.choice(["", " ", "Sure.", "I"])
        elif kind == "truncated":
            text, finish = _truncate(src, rng), rng.choice(["length", None])
        elif kind == "repeated":
            text, finish = _repeat(src, rng), rng.choice(["length", None])
        elif kind == "other":
            donors = [o for o in by_domain[q.domain] if o is not q and o.answers]
            text = rng.choice(rng.choice(donors).answers)["answer"] if donors else None
        else:
            text = _wrong_number(src, rng)
        if text is None or text == src:
            continue
        if kind not in ("truncated", "repeated"):
            finish = "stop"
        q.answers.append({"source": f"degraded:{kind}", "answer": text, "finish_reason": finish})
        counts[kind] += 1
    return counts
