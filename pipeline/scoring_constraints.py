"""The ``constraints`` scorer: creative-writing answers graded by machine-checkable constraints.

An item carries ``constraints`` (a held-out record's ``constraints`` field, which ``Item.from_record``
keeps in ``item.extra``), e.g. ``{"lines": 3, "include": ["lantern"]}``. Each constraint key is one check;
the score is the fraction of checks satisfied and ``passed`` means all of them are. What is checked:

- ``lines`` / ``min_lines`` / ``max_lines``: the number of non-empty lines.
- ``acrostic``: one line per letter, and the first letter of each line spells the word.
- ``include`` / ``exclude``: every listed word (or phrase) appears / none does; whole words, any case,
  a plural or possessive ending allowed ("river" matches "rivers" and "river's").
- ``max_words`` / ``min_words``: words are runs of letters and digits (inner ' and - keep a word whole).
- ``max_chars``: characters of the answer after clean-up, newlines included.
- ``max_words_per_line``: every line, without a list marker ("1.", "-"), has at most that many words.
- ``ends_with_words``: one line per word, and line i ends with word i.
- ``starts_with``: the first word; ``ends_with``: the last characters (e.g. "?"), closing quotes ignored.
- ``title_case``: every word starts with a capital, except short joining words ("of", "the") inside.
- ``min_hashtags``: at least that many ``#tags``.

Clean-up before checking: code fences and blank lines are dropped, and so are up to two leading lines
that introduce the answer rather than belong to it ("Sure!", "Here is a haiku about rain:"). A line
counts as such a preamble when something follows it and it is a bare "Sure!" / "Certainly." or opens
like one ("here is", "sure", "certainly", ...) and either ends with a colon or names the kind of text
("haiku", "poem", "slogan", ...). A poem line such as "Here is the harbour, grey and still" stays.
An answer with no words fails every check (``exclude`` or ``max_words`` alone would pass it). An unknown
constraint key fails its check, so a typo in a data file cannot pass silently.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.scoring import Score
from pipeline.textdata import Item

_PREAMBLE_OPEN = re.compile(
    r"^(?:here(?:'s|’s| is| are| goes)|sure|certainly|of course|okay|ok|absolutely|happy to|"
    r"i(?:'d| would) be happy|below is)\b", re.I)
_INTERJECTION = re.compile(r"^(?:sure|certainly|of course|okay|ok|absolutely)(?: thing)?[.!,]*$", re.I)
_TASK_NOUN = re.compile(
    r"\b(?:haiku|poems?|limericks?|acrostic|couplet|verse|story|slogans?|taglines?|tweet|titles?|"
    r"names|riddle|description|version|attempt|draft)\b", re.I)
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_CLOSERS = "\"'”’)]*_ "
# Joining words that Title Case leaves in lower case when they are not the first or last word.
SMALL_WORDS = frozenset("a an the and but or nor for so yet of in on at to by up as via with from into onto "
                        "over per than off out".split())
KNOWN = frozenset({"lines", "min_lines", "max_lines", "acrostic", "include", "exclude", "max_words", "min_words",
                   "max_chars", "max_words_per_line", "ends_with_words", "starts_with", "ends_with",
                   "title_case", "min_hashtags"})


def _is_preamble(line: str) -> bool:
    s = line.strip().strip("*_").strip()
    if _INTERJECTION.match(s):
        return True
    return bool(_PREAMBLE_OPEN.match(s)) and (s.endswith(":") or bool(_TASK_NOUN.search(s)))


def answer_lines(answer: str) -> list[str]:
    """The answer's non-empty lines after clean-up (fences and a leading preamble removed)."""
    lines = [ln.rstrip() for ln in str(answer).replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln.strip() and not ln.strip().startswith("```")]
    for _ in range(2):
        if len(lines) > 1 and _is_preamble(lines[0]):
            lines = lines[1:]
    return lines


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _contains(text: str, phrase: str) -> bool:
    parts = [re.escape(p) for p in str(phrase).lower().split()]
    if not parts:
        return False
    pat = r"(?<![a-z0-9])" + r"[\s-]+".join(parts) + r"(?:s|es|'s|’s)?(?![a-z0-9])"
    return re.search(pat, text.lower()) is not None


def _first_letter(line: str) -> str:
    m = re.search(r"[A-Za-z]", _LIST_MARKER.sub("", line))
    return m.group(0).upper() if m else ""


def _last_word(line: str) -> str:
    ws = words(line)
    return ws[-1].lower() if ws else ""


def _title_case_ok(text: str) -> tuple[bool, str]:
    ws = [w for w in words(text) if w[0].isalpha()]
    if not ws:
        return False, "no words"
    bad = []
    for i, w in enumerate(ws):
        inner = 0 < i < len(ws) - 1
        if inner and w.lower() in SMALL_WORDS:
            continue
        if not w[0].isupper():
            bad.append(w)
    return not bad, (f"not capitalised: {bad}" if bad else "")


def check_constraint(key: str, want: Any, lines: list[str]) -> tuple[bool, str]:
    """One constraint against the cleaned lines: (satisfied, what was found)."""
    text = "\n".join(lines)
    n = len(lines)
    if key == "lines":
        return n == int(want), f"{n} lines"
    if key == "min_lines":
        return n >= int(want), f"{n} lines"
    if key == "max_lines":
        return n <= int(want), f"{n} lines"
    if key == "acrostic":
        got = "".join(_first_letter(ln) for ln in lines)
        return got == str(want).upper(), f"initials {got!r}"
    if key in ("include", "exclude"):
        listed = [want] if isinstance(want, str) else list(want)
        found = [w for w in listed if _contains(text, w)]
        if key == "include":
            missing = [w for w in listed if w not in found]
            return bool(listed) and not missing, (f"missing {missing}" if missing else "all present")
        return not found, (f"uses {found}" if found else "none used")
    if key in ("max_words", "min_words"):
        c = len(words(text))
        return (c <= int(want)) if key == "max_words" else (c >= int(want)), f"{c} words"
    if key == "max_chars":
        return len(text) <= int(want), f"{len(text)} chars"
    if key == "max_words_per_line":
        counts = [len(words(_LIST_MARKER.sub("", ln))) for ln in lines]
        return bool(counts) and max(counts) <= int(want), f"words per line {counts}"
    if key == "ends_with_words":
        want_l = [str(w).lower() for w in want]
        got = [_last_word(ln) for ln in lines]
        return got == want_l, f"line endings {got}"
    if key == "starts_with":
        ws = words(text)
        got = ws[0].lower() if ws else ""
        return got == str(want).lower(), f"first word {got!r}"
    if key == "ends_with":
        tail = text.rstrip(_CLOSERS)
        return tail.endswith(str(want)), f"ends {tail[-10:]!r}"
    if key == "title_case":
        ok, why = _title_case_ok(text)
        return ok == bool(want), why or "title case"
    if key == "min_hashtags":
        c = len(re.findall(r"(?<![\w#])#\w+", text))
        return c >= int(want), f"{c} hashtags"
    return False, "unknown constraint"


def constraints_of(item: Item) -> dict[str, Any]:
    c = item.extra.get("constraints") if isinstance(item.extra, dict) else None
    return c if isinstance(c, dict) else {}


def score_constraints(item: Item, answer: str, judge: Any = None) -> Score:
    """Fraction of the item's constraints the answer satisfies; passed when all are. ``judge`` is unused:
    every constraint is checked by code."""
    cons = constraints_of(item)
    if not cons:
        return Score(0.0, False, "item has no constraints")
    lines = answer_lines(answer or "")
    if not words("\n".join(lines)):
        return Score(0.0, False, f"0/{len(cons)} constraints: empty answer")
    results = {k: check_constraint(k, v, lines) for k, v in cons.items()}
    ok = sum(1 for good, _ in results.values() if good)
    failed = [f"{k}={cons[k]!r} ({why})" for k, (good, why) in results.items() if not good]
    detail = f"{ok}/{len(cons)} constraints" + (": failed " + "; ".join(failed) if failed else "")
    return Score(ok / len(cons), ok == len(cons), detail[:300])


def constraint_problems(constraints: Any) -> list[str]:
    """What is wrong with a ``constraints`` value itself (for data validation): unknown keys, bad types."""
    if not isinstance(constraints, dict) or not constraints:
        return ["constraints must be a non-empty object"]
    out = []
    for k, v in constraints.items():
        if k not in KNOWN:
            out.append(f"unknown constraint {k!r}")
        elif k in ("include", "exclude", "ends_with_words"):
            if not (isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v)):
                out.append(f"{k} must be a non-empty list of words")
        elif k in ("acrostic", "starts_with", "ends_with"):
            if not (isinstance(v, str) and v.strip()):
                out.append(f"{k} must be a non-empty string")
        elif k == "title_case":
            if v is not True:
                out.append("title_case must be true")
        elif not (isinstance(v, int) and not isinstance(v, bool) and v > 0):
            out.append(f"{k} must be a positive integer")
    return out
