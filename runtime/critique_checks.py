"""Cheap checks of an answer's text, shared by the critique scorer's features and its flags.

Why a separate module: the same facts (does the code parse, is the arithmetic right, does the
answer stop mid-sentence, which tools does it call) feed the trained head *and* become the
sentences the regeneration prompt shows the model, so training and serving must compute them
identically. Everything here is plain Python on the text: no model, well under a millisecond
for a few hundred tokens.
"""

from __future__ import annotations

import ast
import builtins
import json
import math
import re
import textwrap
from dataclasses import dataclass, field

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:```|\Z)", re.S)
_NUM = re.compile(r"(?<![\w.])-?\$?\d[\d,]*(?:\.\d+)?")
_NUM_TOKEN = r"\$?\(?-?\d[\d,]*(?:\.\d+)?\)?"
_OP = r"(?:[-+*/÷×]|\s[xX]\s)"
# "5 × 7.20 = 36", "36 + 5.75 = 41.75", "(3 + 4) * 2 = 14"; a date such as 2026-03-06 has no "=".
_EQUATION = re.compile(rf"((?:{_NUM_TOKEN}\s*{_OP}\s*)+{_NUM_TOKEN})\s*=\s*\$?(-?\d[\d,]*(?:\.\d+)?)")
_PERCENT_OF = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*of\s*\$?(\d[\d,]*(?:\.\d+)?)\s*(?:is|=|equals)\s*\$?(-?\d[\d,]*(?:\.\d+)?)",
                         re.I)
_FINAL = (re.compile(r"####\s*(.+)"), re.compile(r"\\boxed\{([^{}]+)\}"),
          re.compile(r"(?i)final answer\s*(?:is|:)?\s*[:=]?\s*(.+)"), re.compile(r"(?i)\banswer\s*(?:is|:|=)\s*(.+)"))
_ASKS_NUMBER = re.compile(r"(?i)\bhow (?:many|much|long|far|old|fast)\b|\bcalculate\b|\bcompute\b|\bwhat is \$?\d|"
                          r"\d\s*%|\bpercent|\baverage\b|\btotal\b|\bsum of\b|\bprice\b|\bcost\b")
_TOOL_LINE = re.compile(r"^\s*-\s*([A-Za-z_]\w*)\s*[{(]", re.M)
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_COMMON_CAPS = set("The This That These There Then When What Which Who Whom Whose Why How Use Try Here Find Each "
                   "Answer Question Today Goal Tools Plan Calls Logic Quick Step First Second Third Last Yes Not "
                   "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June "
                   "July August September October November December Write Return Given Complete Python If".split())


def _to_float(s: str) -> float | None:
    s = s.replace(",", "").replace("$", "").replace("(", "").replace(")", "").strip()
    try:
        return float(s)
    except ValueError:
        return None


def _eval_arith(expr: str) -> float | None:
    """Value of a plain arithmetic expression (numbers, + - * / and parentheses), or None."""
    expr = expr.replace("×", "*").replace("÷", "/").replace("$", "").replace(",", "")
    expr = re.sub(r"\s[xX]\s", " * ", expr)
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return None

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div):
                return a / b if b else math.nan
            return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}[type(node.op)]
        raise ValueError("not arithmetic")

    try:
        v = ev(tree)
    except (ValueError, KeyError, RecursionError):
        return None
    return None if v is None or math.isnan(v) else v


def _close(got: float, stated: str) -> bool:
    """Equal up to the rounding the stated result shows ("10 / 3 = 3.33" is right)."""
    want = _to_float(stated)
    if want is None:
        return True
    decimals = len(stated.split(".", 1)[1]) if "." in stated else 0
    return abs(got - want) <= 0.5 * 10 ** -decimals + 1e-9 * max(1.0, abs(want))


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") if not float(x).is_integer() else str(int(x))


def check_arithmetic(text: str) -> tuple[int, list[str], list[float]]:
    """(equations checked, the wrong ones as sentences, every stated result in order)."""
    checked, wrong, results = 0, [], []
    for m in _EQUATION.finditer(text):
        expr, stated = m.group(1), m.group(2)
        got = _eval_arith(expr)
        if got is None:
            continue
        checked += 1
        results.append(_to_float(stated) or 0.0)
        if not _close(got, stated):
            wrong.append(f"{' '.join(expr.split())} = {stated} (it is {_fmt(got)})")
    for m in _PERCENT_OF.finditer(text):
        pct, base, stated = float(m.group(1)), _to_float(m.group(2)), m.group(3)
        if base is None:
            continue
        checked += 1
        got = pct / 100 * base
        results.append(_to_float(stated) or 0.0)
        if not _close(got, stated):
            wrong.append(f"{m.group(1)}% of {m.group(2)} = {stated} (it is {_fmt(got)})")
    return checked, wrong, results


def final_answer(text: str) -> tuple[str, bool]:
    """The part of an answer that states its result, and whether it was marked explicitly."""
    for pat in _FINAL:
        found = pat.findall(text)
        if found:
            return found[-1].strip(), True
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text.strip()) if s.strip()]
    return (sentences[-1] if sentences else ""), False


def code_blocks(text: str) -> list[str]:
    return [body for _, body in _FENCE.findall(text)]


def _parses(code: str) -> str:
    """"" when ``code`` parses (also as a function body, the HumanEval completion style), else the error."""
    try:
        ast.parse(code)
        return ""
    except SyntaxError as e:
        first = f"{e.msg} (line {e.lineno})"
    try:
        ast.parse("def _body():\n" + textwrap.indent(textwrap.dedent(code), "    "))
        return ""
    except SyntaxError:
        return first


_BUILTINS = frozenset(dir(builtins)) | {"__name__", "__file__", "self", "cls"}


def undefined_names(code: str, context: str = "") -> list[str]:
    """Names the code reads but nothing binds (a flat, scope-blind pass: few false alarms, catches the
    typical slip of a small model -- `time.hour` without `import time`). ``context``: code the answer may
    rely on (the question's own header, e.g. ``from typing import List``)."""
    trees = []
    for src in (code, context):
        try:
            trees.append(ast.parse(src))
        except SyntaxError:
            try:
                trees.append(ast.parse("def _body():\n" + textwrap.indent(textwrap.dedent(src), "    ")))
            except SyntaxError:
                continue
    if not trees:
        return []
    bound, used = set(_BUILTINS), {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, (ast.Store, ast.Del)):
                    bound.add(node.id)
                elif tree is trees[0]:
                    used.setdefault(node.id, node.lineno)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                bound.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                bound.update(node.names)
    return sorted(n for n in used if n not in bound)


def _json_values(text: str) -> list:
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


def called_tools(text: str) -> list[str]:
    """Tool names called in the answer's JSON (``{"name": ..., "arguments": ...}`` objects or lists of them)."""
    names = []
    for val in _json_values(text):
        for it in (val if isinstance(val, list) else [val]):
            if isinstance(it, dict) and isinstance(it.get("calls"), list):
                names += called_tools(json.dumps(it["calls"]))
            elif isinstance(it, dict):
                fn = it.get("function")
                name = it.get("name") or it.get("tool") or (fn.get("name") if isinstance(fn, dict) else fn)
                if isinstance(name, str):
                    names.append(name)
    return names


def _ends_mid_sentence(text: str) -> bool:
    t = text.rstrip()
    if not t or t.endswith("```"):
        return False
    last = t.splitlines()[-1].strip()
    if re.search(r"(?i)\banswer\b", last) or re.search(r"\d[%.)]?$", last):
        return False
    if t[-1] in ".!?)\"'`]}*:;>|":
        return False
    return len(last.split()) >= 3


@dataclass
class Analysis:
    """What the checks found in one answer (to one question)."""

    words: int = 0
    chars: int = 0
    empty: bool = False
    repetition: float = 0.0  # 1 - distinct word trigrams / trigrams
    repeated_lines: float = 0.0  # share of non-empty lines that are repeats
    has_code_block: bool = False
    has_def: bool = False  # a function definition, fenced or not
    code_unclosed: bool = False
    code_error: str = ""
    undefined: list[str] = field(default_factory=list)  # names the code uses that nothing defines
    function_named: str = ""  # the function the question asks for
    function_defined: bool = False
    has_number: bool = False
    asks_number: bool = False
    explicit_final: bool = False
    final_number: float | None = None
    final_in_question_only: bool = False  # the final number is just copied from the question
    arith_checked: int = 0
    arith_wrong: list[str] = field(default_factory=list)
    final_disagrees: bool = False  # the stated result is none of the results the working computed
    final_names_question: bool | None = None  # the final answer names someone/something of the question
    ends_mid_sentence: bool = False
    finish_reason: str | None = None
    tools_offered: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    unknown_tools: list[str] = field(default_factory=list)
    question_numbers_used: float = 1.0  # share of the question's numbers that the answer uses
    question_names_used: float = 1.0  # same for the names (people, things) in the question
    question_overlap: float = 0.0  # share of the answer's words that come from the question


def analyse(question: str, answer: str, finish_reason: str | None = None) -> Analysis:
    a = Analysis(finish_reason=finish_reason)
    text = answer or ""
    words = text.split()
    a.words, a.chars = len(words), len(text)
    a.empty = len(words) < 3
    low = [w.lower() for w in words]
    if len(low) >= 12:
        tri = [" ".join(low[i:i + 3]) for i in range(len(low) - 2)]
        a.repetition = 1 - len(set(tri)) / len(tri)
    lines = [ln.strip() for ln in text.splitlines() if len(ln.strip()) >= 8]
    if len(lines) >= 3:
        a.repeated_lines = 1 - len(set(lines)) / len(lines)
    blocks = code_blocks(text)
    a.has_code_block = bool(blocks)
    a.code_unclosed = text.count("```") % 2 == 1
    a.has_def = bool(re.search(r"^\s*def\s+\w+\s*\(", text, re.M))
    code = "\n\n".join(blocks)
    if blocks:
        a.code_error = _parses(code)
        if not a.code_error:
            header = "\n".join(code_blocks(question))
            a.undefined = undefined_names(code, header)
    defs = re.findall(r"def\s+([A-Za-z_]\w*)\s*\(", question) or re.findall(r"`([A-Za-z_]\w*)\(", question)
    if defs:
        a.function_named = defs[-1]
        a.function_defined = bool(re.search(rf"def\s+{re.escape(a.function_named)}\s*\(", code or text))
    nums = _NUM.findall(text)
    a.has_number = bool(nums)
    a.asks_number = bool(_ASKS_NUMBER.search(question))
    fin, a.explicit_final = final_answer(text)
    fin_nums = _NUM.findall(fin)
    if fin_nums:
        a.final_number = _to_float(fin_nums[0] if a.explicit_final else fin_nums[-1])
    q_nums = {v for v in (_to_float(n) for n in _NUM.findall(question)) if v is not None}
    a.arith_checked, a.arith_wrong, results = check_arithmetic(text)
    if a.final_number is not None:
        a.final_in_question_only = a.final_number in q_nums and not a.arith_checked
        if a.explicit_final and results:
            a.final_disagrees = all(abs(a.final_number - r) > 1e-6 * max(1.0, abs(r)) for r in results)
    a.ends_mid_sentence = _ends_mid_sentence(text) and not a.code_unclosed
    a.tools_offered = _TOOL_LINE.findall(question) if "Tools:" in question or "tools:" in question else []
    if a.tools_offered or "{" in text:
        a.calls = called_tools(text)
    if a.tools_offered:
        a.unknown_tools = sorted({c for c in a.calls if c not in a.tools_offered})
    a_nums = {v for v in (_to_float(n) for n in nums) if v is not None}
    if len(q_nums) >= 2:
        a.question_numbers_used = len(q_nums & a_nums) / len(q_nums)
    q_names = {n for n in _NAME.findall(question) if n not in _COMMON_CAPS}
    if len(q_names) >= 2:
        a.question_names_used = sum(1 for n in q_names if n in text) / len(q_names)
        fin_low = fin.lower()
        a.final_names_question = any(n.lower() in fin_low for n in q_names) or any(
            w in fin_low for w in ("yes", "no", "valid", "invalid", "true", "false"))
    q_words = {w.lower().strip(".,:;?!") for w in question.split()}
    if words:
        a.question_overlap = sum(1 for w in low if w.strip(".,:;?!") in q_words) / len(low)
    return a


LEXICAL_NAMES = ["log_chars", "log_words", "empty", "repetition", "repeated_lines", "has_code_block", "code_unclosed",
                 "code_error", "names_function", "function_missing", "has_number", "asks_number", "number_missing",
                 "explicit_final", "final_in_question_only", "arith_checked", "arith_wrong", "final_disagrees",
                 "ends_mid_sentence", "finish_length", "finish_stop", "offers_tools", "log_calls", "no_calls",
                 "unknown_tools", "question_numbers_used", "question_names_used", "question_overlap",
                 "length_ratio", "code_undefined", "final_names_other"]


def lexical_vector(a: Analysis, question: str) -> list[float]:
    """The analysis as numbers, in ``LEXICAL_NAMES`` order."""
    offers = bool(a.tools_offered)
    return [
        math.log1p(a.chars) / 8, math.log1p(a.words) / 6, float(a.empty), a.repetition, a.repeated_lines,
        float(a.has_code_block), float(a.code_unclosed), float(bool(a.code_error)), float(bool(a.function_named)),
        float(bool(a.function_named) and not a.function_defined), float(a.has_number), float(a.asks_number),
        float(a.asks_number and a.final_number is None), float(a.explicit_final), float(a.final_in_question_only),
        min(a.arith_checked, 6) / 6, min(len(a.arith_wrong), 3) / 3, float(a.final_disagrees),
        float(a.ends_mid_sentence), float(a.finish_reason == "length"), float(a.finish_reason == "stop"),
        float(offers), math.log1p(len(a.calls)), float(offers and not a.calls),
        float(bool(a.unknown_tools)), a.question_numbers_used, a.question_names_used, a.question_overlap,
        math.log1p(a.words) - math.log1p(len(question.split())),
        float(bool(a.undefined)), float(a.final_names_question is False),
    ]


def flag_sentences(a: Analysis, domain: str) -> list[str]:
    """Human-readable problems, most important first (what the regeneration prompt tells the model)."""
    flags = []
    if a.empty:
        return ["the answer is empty or only a few words"]
    if a.finish_reason == "length":
        flags.append("the answer was cut off at the length limit")
    if a.code_unclosed:
        flags.append("the answer stops in the middle of the code block")
    elif a.ends_mid_sentence:
        flags.append("the answer stops mid-sentence")
    if a.repetition > 0.5 or a.repeated_lines > 0.34:
        flags.append("the answer repeats itself")
    if domain == "code":
        if not a.has_code_block and not a.has_def:
            flags.append("the code block is missing")
        if a.code_error:
            flags.append(f"the code does not parse: {a.code_error}")
        if a.undefined:
            flags.append(f"the code uses names it never defines or imports: {', '.join(a.undefined[:5])}")
        if a.function_named and not a.function_defined:
            flags.append(f"the function `{a.function_named}` asked for is not defined")
    if a.asks_number and domain in ("math", "general", "reasoning") and a.final_number is None:
        flags.append("no final number is given")
    for w in a.arith_wrong[:3]:
        flags.append(f"a calculation is wrong: {w}")
    if a.final_disagrees and a.final_number is not None:
        flags.append(f"the final answer ({_fmt(a.final_number)}) is not a result of the working")
    if domain in ("math", "reasoning") and not a.explicit_final and not a.empty:
        flags.append("the final answer is not stated explicitly (e.g. 'Answer: ...')")
    if a.tools_offered:
        if not a.calls:
            flags.append("no tool calls are given as JSON")
        if a.unknown_tools:
            flags.append(f"the answer calls tools that are not offered: {', '.join(a.unknown_tools)}")
    if domain == "reasoning" and a.final_names_question is False and a.explicit_final:
        flags.append("the final answer names nobody and nothing from the question")
    if a.question_numbers_used == 0.0:
        flags.append("the answer does not use the numbers given in the question")
    if a.question_names_used == 0.0:
        flags.append("the answer does not mention the names given in the question")
    return flags
