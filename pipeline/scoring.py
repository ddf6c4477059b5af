"""Scorers: how an answer to an ``Item`` is graded, by name (``DomainSpec.scorer``).

Each scorer returns a ``Score`` with a value in [0, 1] and ``passed``.
A new domain picks one of these by name in its config; no code change.

- ``code_tests``: extract the Python code, run it with the item's tests in a sandboxed
  subprocess (HumanEval ``check(candidate)`` style or plain asserts). HumanEval pass@1.
- ``exact_match``: the final number (or short answer) equals the reference answer.
- ``calls``: the tools called in the answer's JSON, in order, against the expected calls
  (``calls_strict`` also compares arguments).
- ``rubric``: with a judge model configured, the judge grades against the rubric (0-10);
  without one, an offline rubric judge: the reference answer must be what the answer states
  (explicitly, or in its last sentence); rubric key terms only grade items without a reference.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.sandbox import run_python
from pipeline.textdata import Item


@dataclass
class Score:
    value: float
    passed: bool
    detail: str = ""


# -- code -------------------------------------------------------------------------------------------
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:```|\Z)", re.S)


def extract_code(text: str) -> str:
    """The Python code in a model answer: fenced blocks first (python ones preferred), else the text."""
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(text)]
    py = [b for lang, b in blocks if lang in ("python", "py", "python3")]
    chosen = py or [b for _, b in blocks]
    if chosen:
        return "\n\n".join(b.strip("\n") for b in chosen)
    return text


def build_program(item: Item, answer: str) -> str:
    code = extract_code(answer)
    entry = item.entry_point or ""
    header = item.extra.get("code_prompt", "")  # HumanEval: the signature + docstring the model completes
    if header and entry and not re.search(rf"^\s*def\s+{re.escape(entry)}\s*\(", code, re.M):
        program = header + code  # the answer continues the function body
    else:
        imports = "\n".join(ln for ln in header.splitlines() if ln.startswith(("import ", "from ")))
        program = (imports + "\n\n" if imports else "") + code
    tests = item.tests or ""
    program += "\n\n" + tests + "\n"
    if entry and re.search(r"^def\s+check\s*\(", tests, re.M):
        program += f"\ncheck({entry})\n"
    return program


def score_code_tests(item: Item, answer: str, judge: Any = None) -> Score:
    if not item.tests:
        return Score(0.0, False, "item has no tests")
    res = run_python(build_program(item, answer), timeout=float(item.extra.get("timeout", 6.0)))
    return Score(1.0 if res.passed else 0.0, res.passed, res.status + (f": {res.detail}" if res.detail else ""))


# -- numbers / short answers ------------------------------------------------------------------------
_NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?|-?\.\d+")


def _to_number(s: str) -> float | None:
    s = s.strip().replace(",", "").replace("$", "").rstrip(".%")
    try:
        if "/" in s:
            a, b = s.split("/", 1)
            return float(a) / float(b)
        return float(s)
    except (ValueError, ZeroDivisionError):
        return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def final_answer(text: str) -> tuple[str, bool]:
    """The part of an answer that states the result, and whether it was marked explicitly
    ('#### x', '\\boxed{x}', 'answer is x') rather than taken from the last sentence."""
    for pat in (r"####\s*(.+)", r"\\boxed\{([^{}]+)\}", r"(?i)final answer\s*(?:is|:)?\s*[:=]?\s*(.+)",
                r"(?i)\banswer\s*(?:is|:|=)\s*(.+)"):
        found = re.findall(pat, text)
        if found:
            return found[-1].strip(), True
    sentences = [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    return (sentences[-1] if sentences else ""), False


def _norm_text(s: Any) -> str:
    return " ".join(re.sub(r"[^a-z0-9.\-/ ]+", " ", str(s).lower()).split()).strip(" .")


def answers_match(answer_text: str, gold: Any) -> bool:
    """Numeric gold: the stated number equals it (first number of an explicit answer, else the last
    number of the last sentence). Text gold: it appears as a phrase in the final answer."""
    gold_s = str(gold).strip()
    gold_n = _to_number(gold_s)
    fin, explicit = final_answer(answer_text)
    if gold_n is not None:
        nums = _NUM.findall(fin)
        if not nums:
            return False
        got = _to_number(nums[0] if explicit else nums[-1])
        return got is not None and abs(got - gold_n) <= 1e-6 * max(1.0, abs(gold_n))
    g = _norm_text(gold_s)
    return bool(g) and bool(re.search(rf"(?<![a-z0-9]){re.escape(g)}(?![a-z0-9])", _norm_text(fin)))


def score_exact_match(item: Item, answer: str, judge: Any = None) -> Score:
    if item.answer in (None, ""):
        return Score(0.0, False, "item has no reference answer")
    ok = answers_match(answer, item.answer)
    return Score(1.0 if ok else 0.0, ok, f"final={final_answer(answer)[0][:60]!r} gold={item.answer!r}")


# -- tool calls ------------------------------------------------------------------------------------
def _json_values(text: str) -> list[Any]:
    """Every JSON object/array that can be decoded from ``text`` (fenced or inline)."""
    dec = json.JSONDecoder()
    out, i = [], 0
    while i < len(text):
        j = min((k for k in (text.find("{", i), text.find("[", i)) if k >= 0), default=-1)
        if j < 0:
            break
        try:
            val, end = dec.raw_decode(text, j)
            out.append(val)
            i = end
        except json.JSONDecodeError:
            i = j + 1
    return out


def _as_call(obj: Any) -> dict[str, Any] | None:
    if not isinstance(obj, dict):
        return None
    if "function" in obj and isinstance(obj["function"], dict):
        obj = obj["function"]
    name = obj.get("name") or obj.get("tool") or (obj.get("function") if isinstance(obj.get("function"), str)
                                                   else None)
    if not isinstance(name, str):
        return None
    args = obj.get("arguments", obj.get("args", obj.get("parameters", {})))
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except json.JSONDecodeError:
            args = {"_raw": args}
    return {"name": name, "arguments": args if isinstance(args, dict) else {"_value": args}}


def parse_calls(text: str) -> list[dict[str, Any]]:
    calls = []
    for val in _json_values(text):
        items = val if isinstance(val, list) else [val]
        for it in items:
            if isinstance(it, dict) and isinstance(it.get("calls"), list):
                calls.extend(c for c in map(_as_call, it["calls"]) if c)
            else:
                c = _as_call(it)
                if c:
                    calls.append(c)
    return calls


def _norm_value(v: Any) -> Any:
    if isinstance(v, str):
        n = _to_number(v)
        return n if n is not None and re.fullmatch(r"\s*-?[\d,.]+\s*", v) else " ".join(v.lower().split())
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dict):
        return {str(k): _norm_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_norm_value(x) for x in v]
    return v


def _lcs(a: list[str], b: list[str]) -> int:
    dp = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            dp[i + 1][j + 1] = dp[i][j] + 1 if x == y else max(dp[i][j + 1], dp[i + 1][j])
    return dp[-1][-1]


def _expected_calls(item: Item) -> list[dict[str, Any]]:
    """Expected calls as dicts; a bare tool name (held-out sets list names only) has no arguments."""
    out = []
    for c in item.calls or []:
        if isinstance(c, str):
            out.append({"name": c, "arguments": None})
        else:
            call = _as_call(c)
            if call:
                out.append(call)
    return out


def score_calls(item: Item, answer: str, judge: Any = None) -> Score:
    """Tool-call accuracy: the tools called, in order (longest common subsequence over the longer list).
    Passed = exactly the expected sequence of tools. Arguments are reported, not scored: much of them is
    free text (subjects, messages) with many right answers; ``calls_strict`` scores them too."""
    expected = _expected_calls(item)
    if not expected:
        return Score(0.0, False, "item has no expected calls")
    got = parse_calls(answer)
    names_e, names_g = [c["name"] for c in expected], [c["name"] for c in got]
    value = _lcs(names_e, names_g) / max(len(names_e), len(names_g))
    return Score(value, names_e == names_g, f"expected {names_e}, got {names_g}")


def score_calls_strict(item: Item, answer: str, judge: Any = None) -> Score:
    """Like ``calls`` but each call must also have the expected arguments (name-only match = half credit)."""
    expected = _expected_calls(item)
    if not expected:
        return Score(0.0, False, "item has no expected calls")
    got = parse_calls(answer)
    used = [False] * len(got)
    credit = 0.0
    for exp in expected:
        best, best_j = 0.0, -1
        for j, g in enumerate(got):
            if used[j] or g["name"] != exp["name"]:
                continue
            same = exp["arguments"] is None or _norm_value(g["arguments"]) == _norm_value(exp["arguments"])
            c = 1.0 if same else 0.5
            if c > best:
                best, best_j = c, j
            if c == 1.0:
                break
        if best_j >= 0:
            used[best_j] = True
            credit += best
    value = credit / max(len(expected), len(got))
    return Score(value, value >= 0.999, f"{len(got)} calls, {credit:g}/{len(expected)} matched")


# -- rubric ----------------------------------------------------------------------------------------
_STOP = set("a an the of to in on and or for with is are be by as at it its this that from must should "
            "answer answers mention mentions explain explains state states correct correctly".split())


def rubric_terms(rubric: Any) -> list[str]:
    if rubric in (None, ""):
        return []
    parts = rubric if isinstance(rubric, list) else re.split(r"[;\n]|\. ", str(rubric))
    terms = []
    for p in parts:
        words = [w for w in re.findall(r"[a-z0-9]+", str(p).lower()) if w not in _STOP and len(w) > 2]
        terms.extend(words)
    return sorted(set(terms))


def score_rubric(item: Item, answer: str, judge: Any = None) -> Score:
    """With a judge model: its 0-10 grade against the rubric. Offline, when the item has a reference
    answer (the rubrics here read "Identifies X as ..."): 1 if the answer states it -- explicitly
    ("Answer: X") or in its last sentence -- else 0. Rubric key terms earn no credit then: they
    reward answers that mention every option. Without a reference answer: the share of rubric terms."""
    if judge is not None:
        s10 = judge.grade(item, answer)
        return Score(s10 / 10.0, s10 >= 8, f"judge {s10:g}/10")
    terms = rubric_terms(item.rubric)
    low = answer.lower()
    coverage = (sum(1 for t in terms if re.search(rf"\b{re.escape(t)}", low)) / len(terms)) if terms else 0.0
    if item.answer not in (None, ""):
        ok = answers_match(answer, item.answer)
        return Score(1.0 if ok else 0.0, ok, f"answer {'ok' if ok else 'wrong'} "
                                             f"(final: {final_answer(answer)[0][:60]!r}), rubric terms {coverage:.0%}")
    return Score(coverage, coverage >= 0.6, f"rubric terms {coverage:.0%}")


def score_choice(item: Item, answer: str, judge: Any = None) -> Score:
    """Multiple choice: the chosen letter against ``answer`` (``pipeline.scoring_choice``)."""
    from pipeline.scoring_choice import score_choice as score

    return score(item, answer, judge)


def score_constraints(item: Item, answer: str, judge: Any = None) -> Score:
    """Creative writing graded by its machine-checkable ``constraints`` (``pipeline.scoring_constraints``)."""
    from pipeline.scoring_constraints import score_constraints as score

    return score(item, answer, judge)


Scorer = Callable[[Item, str, Any], Score]

SCORERS: dict[str, Scorer] = {
    "code_tests": score_code_tests,
    "exact_match": score_exact_match,
    "calls": score_calls,
    "calls_strict": score_calls_strict,
    "rubric": score_rubric,
    "choice": score_choice,
    "constraints": score_constraints,
}


def get_scorer(name: str) -> Scorer:
    try:
        return SCORERS[name]
    except KeyError:
        raise ValueError(f"unknown scorer {name!r}; available: {', '.join(sorted(SCORERS))}") from None


def scorable(item: Item, scorer: str) -> bool:
    """Whether ``item`` carries what ``scorer`` needs (tests, answer, calls, rubric)."""
    return {
        "code_tests": bool(item.tests),
        "exact_match": item.answer not in (None, ""),
        "calls": bool(item.calls),
        "calls_strict": bool(item.calls),
        "rubric": item.answer not in (None, "") or bool(item.rubric),
        "choice": item.answer not in (None, ""),
        "constraints": bool(item.extra.get("constraints")),
    }.get(scorer, False)
