"""The ``choice`` scorer: multiple-choice items (options A-D), graded by exact letter match.

An item carries ``answer`` (the correct letter) and ``choices`` ({"A": text, ..., "D": text}) in
``Item.extra`` (``Item.from_record`` puts unknown keys there); without ``choices`` the options are read from
the prompt's "A) text" lines. The chosen letter comes from the model's last "Answer: ..." line (also "the
answer is ...", "correct option: ..."), else from the last line of the answer. It may be written as "B",
"b", "B)", "(B)", "B.", "**B**", "Option B", "B) 12 m/s", or as an option's text ("carbon dioxide").
Two different letters ("A or C") choose nothing; so does text that matches no single option.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pipeline.textdata import Item

if TYPE_CHECKING:
    from pipeline.scoring import Score

LETTERS = ("A", "B", "C", "D")
_OPTION_LINE = re.compile(r"^\s*\(?([A-Da-d])[).:]\s+(.+?)\s*$", re.M)
_MARKER = re.compile(r"(?i)\b(?:final answer|answer|correct (?:option|choice|answer))\s*(?:is|:|=|-)\s*(.+)")
_LEAD = re.compile(r"(?i)^(?:option|choice|letter)\s+")
_LETTER = re.compile(r"^\(?([A-Da-d])\)?(?=$|[\s).:,;!\-])")


def item_choices(item: Item) -> dict[str, str]:
    """The item's options by letter: ``extra['choices']`` (a dict, or a list in A-D order), else the
    prompt's option lines."""
    raw = item.extra.get("choices")
    if isinstance(raw, dict):
        return {str(k).strip().upper(): str(v) for k, v in raw.items() if str(k).strip().upper() in LETTERS}
    if isinstance(raw, list):
        return dict(zip(LETTERS, map(str, raw), strict=False))
    return {m.group(1).upper(): m.group(2) for m in _OPTION_LINE.finditer(item.prompt or "")}


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w%./-]+", " ", s.lower()).split()).strip(" .")


def _by_text(text: str, choices: dict[str, str]) -> str | None:
    """The one option whose text the answer states: equal to it; or, for a bare number, the one option
    with that leading number ("12" for "12 m/s"); or containing it as a phrase when no other option's text
    is in there too (an option contained in a longer matching option does not count)."""
    t = _norm(text)
    if not t:
        return None
    exact = [k for k, v in choices.items() if _norm(v) == t]
    if len(exact) == 1:
        return exact[0]
    if re.fullmatch(r"-?\d+(?:\.\d+)?", t):
        lead = [k for k, v in choices.items() if re.match(rf"{re.escape(t)}(?![\d.])", _norm(v))]
        return lead[0] if len(lead) == 1 else None
    found = {k: _norm(v) for k, v in choices.items()
             if _norm(v) and re.search(rf"(?<![\w.]){re.escape(_norm(v))}(?![\w])", t)}
    kept = [k for k, v in found.items() if not any(v != w and v in w for w in found.values())]
    return kept[0] if len(kept) == 1 else None


def chosen_letter(answer: str, choices: dict[str, str]) -> tuple[str | None, str]:
    """(letter or None, the text it was read from)."""
    marked = _MARKER.findall(answer)
    lines = [ln for ln in answer.strip().splitlines() if ln.strip()]
    text = marked[-1] if marked else (lines[-1] if lines else "")
    text = _LEAD.sub("", text.strip().strip("*_`'\" ")).strip("*_`'\" ")
    if len(text.split()) > 1 and (whole := _by_text(text, choices)) and _norm(text) == _norm(choices[whole]):
        return whole, text  # the option's text itself, even one starting "A ..."
    m = _LETTER.match(text)
    if m:
        letter, rest = m.group(1).upper(), text[m.end():].strip(" ).:,;!-*_")
        if re.match(r"(?i)^(?:or|and|/)\s*\(?[A-D]\b", rest):
            return None, text  # "A or C": no single choice
        bare = not re.match(r"^\(|^.[).:]", text)  # no bracket or punctuation marks it as a letter
        if letter == "A" and bare and rest:
            # "a liquid" / "A gas": the article, unless the words are option A's own text
            other = _by_text(rest, choices)
            if other and other != "A":
                return other, text
            if m.group(1) == "a" and other is None:
                return _by_text(text, choices), text
        return letter, text
    if (by_text := _by_text(text, choices)) is not None:
        return by_text, text
    # "I think B", "so it is (C) oxygen": a bracketed letter, or a capital letter as the last word
    marks = set(re.findall(r"\(([A-D])\)|\b([A-D])\)", text))
    marks = {a or b for a, b in marks}
    if len(marks) == 1:
        return marks.pop(), text
    capitals = set(re.findall(r"(?<![\w'])([A-D])(?![\w'])", text))
    last = re.search(r"(?<![\w'])([A-D])[.!]?$", text)
    return (last.group(1) if last and len(capitals) == 1 else None), text


def score_choice(item: Item, answer: str, judge: Any = None) -> Score:
    """1 when the chosen letter is the item's answer letter, else 0. ``judge`` is not used: the letter is
    either right or wrong."""
    # Imported here so that pipeline.scoring can import this module at its top to register the scorer.
    from pipeline.scoring import Score
    gold = str(item.answer or "").strip().upper()
    if gold not in LETTERS:
        return Score(0.0, False, f"item has no answer letter (got {item.answer!r})")
    letter, text = chosen_letter(answer or "", item_choices(item))
    ok = letter == gold
    return Score(1.0 if ok else 0.0, ok, f"chose {letter or 'nothing'} from {text[:60]!r}, gold {gold}")
