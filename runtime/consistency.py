"""Self-consistency: sample several reasoning paths, vote on their final answers.

A small model's single greedy answer to a multi-step problem is often one slip away from right; sampled
paths slip in different places, so the answer most paths agree on is more often correct (Wang et al.,
"Self-Consistency Improves Chain of Thought Reasoning", 2022). Answers are compared by what they conclude,
not by their wording:

- numeric questions: the final number, normalised (``"1,200"`` = ``"1200"``, ``"$17.00"`` = ``"17"``,
  ``"3/4"`` = ``"0.75"``);
- multiple choice: the chosen letter;
- open questions: clusters of MiniLM embeddings (DBSCAN, cosine, eps 0.3, every path in some cluster).
  Embeddings group answers that *say the same kind of thing*: "Paris" and "Lyon" as the capital of France
  are 0.76 similar and land in one cluster, so an open-question vote measures agreement in substance and
  wording, not factual agreement.

Ties between equally large groups go to the group holding the lowest-perplexity path (exp(-mean logprob),
the model's own likelihood of what it wrote, before any frequency penalty), and that path is the answer
shown. ``confidence = agreeing / N``; at or below 0.5 the result is flagged unreliable.

The module needs no engine: the caller passes ``generate(seed, temperature, top_p, frequency_penalty) ->
(text, mean_logprob, n_tokens)``. :func:`engine_generator` builds one from an :class:`~runtime.engine.Engine`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any, Protocol

import numpy as np

MIN_PATHS, MAX_PATHS = 3, 10
KINDS = ("numeric", "choice", "open")
DBSCAN_EPS = 0.3

Generate = Callable[[int, float, float, float], tuple[str, float, int]]


class EmbedderLike(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


# -- hard-question detection --------------------------------------------------------------------------
_PROOF = re.compile(r"\b(prove|proof|derive|derivation|show that|demonstrate that|justify|step[- ]by[- ]step)\b",
                    re.I)
_QUANTITY_Q = re.compile(
    r"\b(how (many|much|long|far|fast|old)|in total|altogether|total|difference|how many more|average|"
    r"rate|per (hour|day|week|minute|second|item|person)|remain(s|ing)?|left( over)?|change|catch up|"
    r"what time|when will|how soon|profit|cost|earn(s|ed)?|split|share|mean|final|smallest|largest|fewest|"
    r"minimum|maximum|number of)\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:/\d+)?%?")
_NUMBER_WORDS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|"
                           r"thousand|dozen|twice|half|double|triple|quarter)\b", re.I)
_STEP_CUES = re.compile(r"\b(then|after|each|every|more than|less than|fewer|times as|remaining|left|"
                        r"again|later|another|both|per|if|except|skips?|an? (day|week|month|year|hour|minute))\b",
                        re.I)
_SENTENCE = re.compile(r"[^.!?]+[.!?]")
LONG_WORDS, LONG_SENTENCES = 60, 4


def hard_reasons(question: str) -> list[str]:
    """Why ``question`` looks hard enough to be worth several sampled paths (empty: it does not).

    Cheap patterns only (this runs on every Accurate-mode turn): an explicit proof/derivation or
    step-by-step request; a word problem with several quantities and a question about a total,
    difference, rate or remainder; a long multi-sentence question. Code blocks and list lines (tool
    catalogues) do not count towards length.
    """
    text = question or ""
    reasons = []
    if m := _PROOF.search(text):
        reasons.append(f"asks to {m.group(0).lower()}")
    prose = "\n".join(line for line in re.sub(r"```.*?```", " ", text, flags=re.S).splitlines()
                      if not re.match(r"\s*([-*{\[]|\d+\.\s)", line))
    numbers = len(_NUMBER.findall(prose)) + len(_NUMBER_WORDS.findall(prose))
    if _QUANTITY_Q.search(prose) and (numbers >= 3 or (numbers >= 2 and _STEP_CUES.search(prose))):
        reasons.append("multi-step word problem")
    words = len(prose.split())
    if words >= LONG_WORDS and len(_SENTENCE.findall(prose)) >= LONG_SENTENCES:
        reasons.append("long multi-sentence question")
    return reasons


def is_hard(question: str) -> bool:
    """True when :func:`hard_reasons` finds a reason (proof, multi-step word problem, long question)."""
    return bool(hard_reasons(question))


# -- answer extraction --------------------------------------------------------------------------------
_NUM_TOKEN = re.compile(r"(?<![\w.,/])-?\d+ \d+/\d+(?![\d/])"  # mixed number: 2 1/2
                        r"|(?<![\w.,/])(?:-\s?)?\$?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:\s?/\s?\d+)?%?"
                        r"|(?<![\w.,/])-?\.\d+")
_MARKED = re.compile(r"(?:answer\s*(?:is|:|=)|final answer\s*(?:is|:)?|result\s*(?:is|:)|####|\\boxed\{)"
                     r"\s*[*(]*\s*", re.I)


def normalize_number(raw: str) -> str | None:
    """Canonical string of a number: integers plain, terminating decimals without trailing zeros,
    other fractions as ``p/q``; currency signs, thousands separators and ``%`` dropped."""
    s = raw.strip().replace("$", "").replace("%", "").replace(",", "")
    mixed = re.fullmatch(r"(-?)(\d+) (\d+)/(\d+)", s)
    s = s.replace(" ", "")
    if not s or s in "-.":
        return None
    try:
        if mixed:
            sign, whole, num, den = mixed.groups()
            value = (int(whole) + Fraction(int(num), int(den))) * (-1 if sign else 1)
        elif "/" in s:
            num, den = s.split("/", 1)
            value = Fraction(Fraction(num), Fraction(den))
        else:
            value = Fraction(s)
    except (ValueError, ZeroDivisionError):
        return None
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:  # terminating decimal: exact digits, no float rounding
        digits = 0
        while (value * 10 ** digits).denominator != 1:
            digits += 1
        scaled = value * 10 ** digits
        sign = "-" if scaled < 0 else ""
        whole = str(abs(scaled.numerator)).rjust(digits + 1, "0")
        return f"{sign}{whole[:-digits]}.{whole[-digits:]}"
    return f"{value.numerator}/{value.denominator}"


def extract_numeric(text: str) -> str | None:
    """The final numeric answer of ``text``, normalised (see :func:`normalize_number`), or None.

    An explicitly marked answer wins ("Answer: 12", "the answer is $17.00", "#### 5", ``\\boxed{3/4}``,
    the last such marker); otherwise the last number in the text.
    """
    if not text:
        return None
    marked = None
    for m in _MARKED.finditer(text):
        hit = _NUM_TOKEN.search(text, m.end(), min(len(text), m.end() + 40))
        if hit and not text[m.end():hit.start()].strip(" *($:=\t").strip():
            marked = hit.group(0)
    if marked is not None:
        return normalize_number(marked)
    tokens = _NUM_TOKEN.findall(text)
    for raw in reversed(tokens):
        value = normalize_number(raw)
        if value is not None:
            return value
    return None


_CHOICE_LINE = re.compile(r"(?:^|\n|\s)\(?([A-Ja-j])[).:]\s+(\S[^\n]*?)(?=\s+\(?[A-Ja-j][).:]\s|\n|$)")


def parse_choices(question: str) -> dict[str, str]:
    """Options of a multiple-choice question (``A) ...``, ``(B) ...``, ``C. ...``) as letter -> text;
    empty unless at least two consecutive letters from A are found."""
    found: dict[str, str] = {}
    for m in _CHOICE_LINE.finditer(question or ""):
        letter = m.group(1).upper()
        if letter not in found:
            found[letter] = m.group(2).strip()
    letters = []
    for i in range(len(found)):
        letter = chr(ord("A") + i)
        if letter not in found:
            break
        letters.append(letter)
    return {k: found[k] for k in letters} if len(letters) >= 2 else {}


def extract_choice(text: str, choices: Sequence[str] | Mapping[str, str] | None = None) -> str | None:
    """The option letter ``text`` settles on, upper-case, or None.

    ``choices``: the valid letters (``"ABCD"`` or a list), or a mapping letter -> option text (then an
    answer that only quotes one option's text also counts). Default A-D. Order of evidence: a marked
    answer ("Answer: B", "the answer is (c)", "option D"), then a parenthesised/bracketed letter or
    ``B)`` / ``B.`` at the start of a line (the last one), then an answer that is just the letter.
    """
    if not text:
        return None
    options: Mapping[str, str] = choices if isinstance(choices, Mapping) else {}
    letters = "".join(k.upper() for k in (options.keys() if options else (choices or "ABCD")))
    cls = f"[{letters}{letters.lower()}]"
    # A lower-case letter counts only in brackets: "the answer is a dog" names no option.
    marked = list(re.finditer(rf"(?i:answer\s*(?:is|:)?|option|choice|choose|pick)\s*[:\-]?\s*"
                              rf"(?:\(\s*({cls})\s*\)|\*{{0,2}}([{letters}])\b(?![\w']))", text))
    if marked:
        m = marked[-1]
        return (m.group(1) or m.group(2)).upper()
    bracketed = list(re.finditer(rf"(?:\(({cls})\)|\[({cls})\]|(?:^|\n)\s*({cls})[).:](?:\s|$))", text))
    if bracketed:
        m = bracketed[-1]
        return next(g for g in m.groups() if g).upper()
    bare = text.strip().strip(".*:!) (")
    if len(bare) == 1 and bare.upper() in letters:
        return bare.upper()
    if options:
        low = text.lower()
        hits = [k for k, v in options.items() if v and v.lower().strip(". ") in low]
        if len(hits) == 1:
            return hits[0].upper()
    return None


def cluster_open(texts: Sequence[str], embedder: EmbedderLike, eps: float = DBSCAN_EPS) -> list[int]:
    """Cluster label per text: DBSCAN on MiniLM embeddings, cosine distance, ``min_samples=1`` (so
    there is no noise: a lone answer is a cluster of one). Labels are renumbered in order of first use."""
    from sklearn.cluster import DBSCAN

    if not texts:
        return []
    vecs = np.asarray(embedder.embed([t.strip() or "(empty)" for t in texts]), dtype=np.float64)
    labels = DBSCAN(eps=eps, min_samples=1, metric="cosine").fit_predict(vecs)
    order: dict[int, int] = {}
    return [order.setdefault(int(lab), len(order)) for lab in labels]


_ASKS_NUMBER = re.compile(r"\b(calculate|compute|solve|evaluate|what is|what's|total|sum|product|difference|"
                          r"percent|average|mean|change|cost|left|remain)\b|[%+*/×÷=^]|\d\s*-\s*\d", re.I)


def detect_kind(question: str, texts: Sequence[str]) -> str:
    """``choice`` if the question lists options; ``numeric`` if it mentions numbers or asks how
    many/much and most paths end in a number; otherwise ``open``."""
    if parse_choices(question):
        return "choice"
    q = question or ""
    asks_number = bool(re.search(r"\bhow (many|much|long|far|old)\b", q, re.I)) or (
        bool(re.search(r"\d", q)) and bool(_ASKS_NUMBER.search(q)))
    if asks_number and texts:
        found = sum(extract_numeric(t) is not None for t in texts)
        if found * 2 > len(texts):
            return "numeric"
    return "open"


# -- the vote -----------------------------------------------------------------------------------------
@dataclass
class SampledPath:
    seed: int
    text: str
    mean_logprob: float
    n_tokens: int
    extracted: str | None  # the answer the path votes for (number, letter, or "cluster-<k>")
    seconds: float = 0.0

    @property
    def perplexity(self) -> float:
        return math.exp(-self.mean_logprob) if self.mean_logprob == self.mean_logprob else float("inf")


@dataclass
class Consistency:
    """The outcome of :func:`self_consistency`; ``tools()`` is what ``RouteDecision.tools`` stores."""

    text: str  # the lowest-perplexity path of the winning group: what the user is shown
    answer: str | None  # the winning extracted answer (number, letter) or None for open questions
    confidence: float  # agreeing / n
    unreliable: bool  # confidence <= 0.5
    votes: dict[str, int]  # extracted answer (or "cluster-k") -> paths voting for it; "none" = no answer found
    paths: list[dict[str, Any]] = field(default_factory=list)  # per path: seed, answer, perplexity, tokens, chars
    kind: str = "open"
    n: int = 0
    agreeing: int = 0
    tie_broken: bool = False  # several groups had the top count; perplexity decided
    seconds: float = 0.0

    def tools(self) -> dict[str, Any]:
        return {"n": self.n, "agreeing": self.agreeing, "confidence": round(self.confidence, 3),
                "unreliable": self.unreliable, "kind": self.kind, "answer": self.answer}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def vote(question: str, paths: Sequence[SampledPath], *, kind: str | None = None,
         embedder: EmbedderLike | None = None) -> Consistency:
    """Majority vote over already sampled ``paths`` (fills each path's ``extracted``)."""
    if not paths:
        raise ValueError("vote needs at least one path")
    texts = [p.text for p in paths]
    kind = kind or detect_kind(question, texts)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "numeric":
        keys = [extract_numeric(t) for t in texts]
    elif kind == "choice":
        options = parse_choices(question) or None
        keys = [extract_choice(t, options) for t in texts]
    else:
        keys = []
    if kind != "open" and all(k is None for k in keys):
        kind = "open"  # nothing to count: fall back to comparing what the paths say
    if kind == "open":
        if embedder is None:
            from runtime.embedder import Embedder

            embedder = Embedder()
        keys = [f"cluster-{c}" for c in cluster_open(texts, embedder)]
    for p, k in zip(paths, keys, strict=True):
        p.extracted = k
    groups: dict[str, list[SampledPath]] = {}
    for p in paths:
        if p.extracted is not None:
            groups.setdefault(p.extracted, []).append(p)
    votes = {k: len(v) for k, v in groups.items()}
    missing = sum(p.extracted is None for p in paths)
    if missing:
        votes["none"] = missing
    n = len(paths)
    if groups:
        top = max(len(v) for v in groups.values())
        tied = [k for k, v in groups.items() if len(v) == top]
        winner = min(tied, key=lambda k: min(p.perplexity for p in groups[k]))
        best = min(groups[winner], key=lambda p: p.perplexity)
        agreeing, answer = top, (None if kind == "open" else winner)
    else:  # unreachable for open; kept for safety
        tied, best, agreeing, answer = [], min(paths, key=lambda p: p.perplexity), 0, None
    confidence = agreeing / n
    summary = [{"seed": p.seed, "answer": p.extracted, "perplexity": round(p.perplexity, 3),
                "mean_logprob": round(p.mean_logprob, 4), "tokens": p.n_tokens, "chars": len(p.text),
                "seconds": round(p.seconds, 3), "chosen": p is best} for p in paths]
    return Consistency(text=best.text, answer=answer, confidence=confidence, unreliable=confidence <= 0.5,
                       votes=votes, paths=summary, kind=kind, n=n, agreeing=agreeing, tie_broken=len(tied) > 1)


def self_consistency(generate: Generate, question: str, *, n: int = 5, temperature: float = 0.8, top_p: float = 0.9,
                     frequency_penalty: float = 0.3, embedder: EmbedderLike | None = None, kind: str | None = None,
                     seed: int = 0, parallel: bool = True) -> Consistency:
    """Sample ``n`` paths (seeds ``seed .. seed+n-1``) with ``generate`` and vote (see :func:`vote`).
    ``parallel``: call ``generate`` for all paths at once, from ``n`` threads (it must be thread-safe).

    ``kind`` forces the extraction (``numeric`` | ``choice`` | ``open``); None detects it from the
    question and the paths. ``n`` must be 3-10: fewer cannot out-vote a single slip, more costs more than
    the vote gains on this hardware (each path is a full generation).
    """
    import time

    if isinstance(n, bool) or not isinstance(n, int) or not MIN_PATHS <= n <= MAX_PATHS:
        raise ValueError(f"self-consistency needs n between {MIN_PATHS} and {MAX_PATHS} paths, got {n!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    t0 = time.perf_counter()

    def one(i: int) -> SampledPath:
        t = time.perf_counter()
        text, mean_logprob, n_tokens = generate(seed + i, temperature, top_p, frequency_penalty)
        lp = float(mean_logprob) if mean_logprob is not None else float("nan")
        return SampledPath(seed + i, text or "", lp, int(n_tokens or 0), None, time.perf_counter() - t)

    if parallel:
        # All paths at once: the engine decodes concurrent streams of one modifier in one batch, so N paths
        # cost far less than N generations one after another (each path keeps its own seeded sampler, so
        # the paths are the same as sequential ones).
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=n, thread_name_prefix="sc-path") as pool:
            paths = list(pool.map(one, range(n)))
    else:
        paths = [one(i) for i in range(n)]
    result = vote(question, paths, kind=kind, embedder=embedder)
    result.seconds = time.perf_counter() - t0
    return result


def engine_generator(engine: Any, messages: list[dict[str, Any]], *, max_tokens: int | None = None,
                     modifier: str | None = None, stop: list[str] | None = None) -> Generate:
    """A ``generate`` callable over an :class:`~runtime.engine.Engine` (each call one queued request)."""
    from runtime.engine import ChatRequest

    def generate(seed: int, temperature: float, top_p: float, frequency_penalty: float) -> tuple[str, float, int]:
        c = engine.complete(ChatRequest(messages, max_tokens=max_tokens, temperature=temperature, top_p=top_p,
                                        frequency_penalty=frequency_penalty, seed=seed, modifier=modifier,
                                        stop=list(stop or [])))
        return c.text, c.confidence.get("mean_logprob", float("nan")), c.usage.get("completion_tokens", 0)

    return generate
