"""Trimming a byte-level BPE vocabulary: token counts, coverage, the keep-set, the rebuilt tokenizer.

The keep-set is closed under BPE's construction: every kept token keeps the two parts of the merge
that builds it (recursively, down to the 256 byte-level symbols, which are always kept). A merge
survives when its parts and its result are kept, in its original rank. With that closure a text
whose original tokens are all kept tokenizes to exactly the same tokens (at every step the original
lowest-rank applicable merge is a kept one, so it is still the lowest among the kept ones); a text
needing a dropped token falls back to the smaller kept pieces that spell it, and, since every byte
is a token, nothing is ever untokenizable. Ids are renumbered in the original order (``new -> old``
is sorted), so the special tokens at the start of SmolLM2's vocabulary keep their ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Characters and strings that must stay cheap whatever the corpus says (the list).
UNICODE_PUNCTUATION = ("“”‘’„‚«»‹›–—―‐‑…•·¡¿§¶†‡′″‴‰※¦¨´¸ˆ˜©®™°€£¥¢¤₹₽₩¬ ‐‒""〈〉「」『』【】、。，：；！？（）")
MATH_SYMBOLS = ("±×÷∓√∛∜∞∝∂∇∆∑∏∐∫∬∮≈≃≅≡≠≤≥≪≫∈∉∋⊂⊃⊆⊇⊄∪∩∅∧∨¬⊕⊗⊥∥∠∀∃∄∴∵→←↑↓↔⇒⇐⇔↦∘"
                "αβγδεζηθικλμνξοπρστυφχψωΓΔΘΛΞΠΣΦΨΩ½⅓¼¾⅔⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉ℕℤℚℝℂ′")
KEYWORDS = (
    # Python
    "False None True and as assert async await break class continue def del elif else except finally for "
    "from global if import in is lambda nonlocal not or pass raise return try while with yield match case "
    "self print len range int str float list dict set tuple bool open super isinstance "
    # C / C++ / Java / JavaScript / TypeScript / Go / Rust
    "auto char const double enum extern long register short signed sizeof static struct switch typedef "
    "union unsigned void volatile goto default do include define ifdef ifndef endif namespace template "
    "typename public private protected virtual override final abstract interface extends implements new "
    "delete this throw throws catch package function var let undefined null typeof instanceof export "
    "func go chan defer select type map fn mut impl trait pub use mod crate loop where "
    # SQL / shell
    "SELECT FROM WHERE INSERT INTO VALUES UPDATE DELETE CREATE TABLE JOIN ON GROUP BY ORDER HAVING LIMIT "
    "echo then fi esac done export local sudo"
).split()
OPERATORS = ("== != <= >= += -= *= /= %= **= //= &= |= ^= <<= >>= ** // -> => && || :: << >> ++ -- ... "
             "!== === ?? ?. := <> @ # $ ` ~ ^ & | % ; : , . ( ) [ ] { } < > + - * / = ! ? \\ ' \" "
             "''' \"\"\" ``` /* */ <!-- --> #! 0x").split()
CHAT_SAMPLE = [{"role": "system", "content": "You are a helpful assistant."},
               {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
               {"role": "user", "content": "Thanks"}]


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte -> printable character table (what a byte-level BPE vocabulary spells bytes with)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs), strict=True))


# -- counting and coverage ---------------------------------------------------------------------------
def count_tokens(tokenizer, docs: Iterable[str], vocab_size: int, batch: int = 256) -> list[int]:
    """Occurrences of every id over ``docs`` (special-token strings in the text count as those tokens)."""
    counts = [0] * vocab_size
    chunk: list[str] = []

    def flush() -> None:
        for ids in tokenizer(chunk, add_special_tokens=False)["input_ids"]:
            for i in ids:
                counts[i] += 1
        chunk.clear()

    for d in docs:
        chunk.append(d)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return counts


def coverage_curve(counts: Sequence[int], points: Sequence[int] = ()) -> dict[str, Any]:
    """The cumulative share of token occurrences covered by the k most frequent tokens.

    Returns the ids by descending count, the curve sampled at ``points`` (k values; default a log
    grid) and the k needed for the usual thresholds."""
    order = sorted(range(len(counts)), key=lambda i: (-counts[i], i))
    total = sum(counts) or 1
    cum: list[float] = []
    run = 0
    for i in order:
        run += counts[i]
        cum.append(run / total)
    if not points:
        points = sorted({k for k in (1, 10, 100, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000, len(counts))
                         if k <= len(counts)})
    need = {}
    for q in (0.9, 0.95, 0.99, 0.995, 0.999, 1.0):
        need[str(q)] = next((k + 1 for k, c in enumerate(cum) if c >= q - 1e-12), len(counts))
    return {"order": order, "cumulative": cum, "total": sum(counts),
            "seen": sum(1 for c in counts if c > 0),
            "curve": [[k, round(cum[k - 1], 6)] for k in points], "tokens_for": need}


# -- the keep-set ---------------------------------------------------------------------------------------
@dataclass
class BPE:
    """The parts of a ``tokenizer.json`` that trimming touches."""

    data: dict[str, Any]  # the whole tokenizer.json

    @classmethod
    def load(cls, path: Path) -> BPE:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        model = data.get("model", {})
        if model.get("type") != "BPE":
            raise ValueError(f"{path}: a {model.get('type')} tokenizer; vocabulary trimming handles BPE only")
        return cls(data)

    @property
    def vocab(self) -> dict[str, int]:
        return self.data["model"]["vocab"]

    @property
    def merges(self) -> list[tuple[str, str]]:
        return [tuple(m) if isinstance(m, list) else tuple(m.split(" ", 1)) for m in self.data["model"]["merges"]]

    @property
    def added_ids(self) -> list[int]:
        return [t["id"] for t in self.data.get("added_tokens", [])]

    def id_to_token(self) -> dict[int, str]:
        out = {i: t for t, i in self.vocab.items()}
        for t in self.data.get("added_tokens", []):
            out.setdefault(t["id"], t["content"])
        return out

    def byte_ids(self) -> list[int]:
        """The ids of the byte-level symbols the vocabulary has: what spells any input it can spell.

        SmolLM2's lacks 21 of the 256 (bytes never in UTF-8 such as 0xC0/0xF5-0xFF, lead bytes of
        unassigned planes, six control characters): those inputs the original cannot tokenize either."""
        vocab = self.vocab
        ids = [vocab[c] for c in bytes_to_unicode().values() if c in vocab]
        if len(ids) < 128:
            raise ValueError(f"not a byte-level BPE vocabulary: only {len(ids)} of the 256 byte symbols")
        return ids

    def missing_bytes(self) -> list[int]:
        return [b for b, c in bytes_to_unicode().items() if c not in self.vocab]


def required_strings(tokenizer) -> dict[str, list[str]]:
    """Strings whose tokens are always kept, by reason (printable ASCII, punctuation, math, code, chat)."""
    ascii_chars = [chr(c) for c in range(32, 127)] + ["\n", "\t", "\r"]
    words = [w for kw in KEYWORDS + OPERATORS for w in (kw, " " + kw)]
    chat = []
    if getattr(tokenizer, "chat_template", None):
        chat.append(tokenizer.apply_chat_template(CHAT_SAMPLE, tokenize=False, add_generation_prompt=True))
        chat.append(tokenizer.apply_chat_template(CHAT_SAMPLE[1:], tokenize=False, add_generation_prompt=True))
    return {"ascii": ascii_chars + [" " + c for c in ascii_chars],
            "unicode_punctuation": [c for ch in UNICODE_PUNCTUATION for c in (ch, " " + ch)],
            "math": [c for ch in MATH_SYMBOLS for c in (ch, " " + ch)],
            "code": words, "chat_template": chat}


def token_ids_of(tokenizer, strings: Iterable[str]) -> set[int]:
    out: set[int] = set()
    for s in strings:
        out.update(tokenizer(s, add_special_tokens=False)["input_ids"])
    return out


def close_under_merges(keep: set[int], bpe: BPE) -> set[int]:
    """``keep`` plus, recursively, both parts of the merge(s) that build each kept token."""
    vocab = bpe.vocab
    builders: dict[int, list[tuple[int, int]]] = {}
    for a, b in bpe.merges:
        r = vocab.get(a + b)
        if r is not None and a in vocab and b in vocab:
            builders.setdefault(r, []).append((vocab[a], vocab[b]))
    out = set(keep)
    todo = list(keep)
    while todo:
        t = todo.pop()
        for parts in builders.get(t, ()):
            for p in parts:
                if p not in out:
                    out.add(p)
                    todo.append(p)
    return out


def build_keep_set(tokenizer, bpe: BPE, counts: Sequence[int], coverage: float) -> tuple[list[int], dict[str, Any]]:
    """Sorted old ids to keep, and where each group came from (sizes, for the metrics)."""
    curve = coverage_curve(counts)
    k = curve["tokens_for"].get(str(coverage))
    if k is None:
        k = next((i + 1 for i, c in enumerate(curve["cumulative"]) if c >= coverage), len(counts))
    frequent = {i for i in curve["order"][:k] if counts[i] > 0}
    groups: dict[str, set[int]] = {"frequent": frequent, "special_and_added": set(bpe.added_ids),
                                   "byte_symbols": set(bpe.byte_ids())}
    for reason, strings in required_strings(tokenizer).items():
        groups[reason] = token_ids_of(tokenizer, strings)
    keep = set().union(*groups.values())
    closed = close_under_merges(keep, bpe)
    info = {"coverage_target": coverage, "frequent": len(frequent),
            "groups": {n: len(s) for n, s in groups.items()},
            "added_by_closure": len(closed - keep), "keep": len(closed),
            "byte_symbols_absent_from_original": len(bpe.missing_bytes())}
    return sorted(closed), info


# -- the rebuilt tokenizer ------------------------------------------------------------------------------
def _remap_ids(obj: Any, old_to_new: dict[int, int]) -> Any:
    """Rewrites ``ids``/``id`` fields (post-processor special tokens) through the new numbering."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "ids" and isinstance(v, list) and all(isinstance(x, int) for x in v):
                out[k] = [old_to_new[x] for x in v]
            elif k == "id" and isinstance(v, int) and not isinstance(v, bool):
                out[k] = old_to_new[v]
            else:
                out[k] = _remap_ids(v, old_to_new)
        return out
    if isinstance(obj, list):
        return [_remap_ids(v, old_to_new) for v in obj]
    return obj


def trimmed_tokenizer_json(bpe: BPE, keep: Sequence[int]) -> tuple[dict[str, Any], dict[str, int]]:
    """The tokenizer.json restricted to ``keep`` (sorted old ids), and counts of what was removed."""
    old_to_new = {old: new for new, old in enumerate(keep)}
    vocab = {t: old_to_new[i] for t, i in bpe.vocab.items() if i in old_to_new}
    merges = []
    for a, b in bpe.merges:
        if a in vocab and b in vocab and (a + b) in vocab:
            merges.append([a, b])
    data = json.loads(json.dumps(bpe.data))
    data["model"]["vocab"] = vocab
    data["model"]["merges"] = merges
    # A byte-level vocabulary has no <0xNN> tokens for byte fallback to use, so turning it off changes no
    # tokenization; transformers' GGUF reader turns it on, and with it llama.cpp's converter takes the
    # tokenizer for a SentencePiece-style Llama one (model "llama": the GGUF does not load). Off, it
    # writes what SmolLM2's own GGUF has: model "gpt2", pre-tokenizer "smollm".
    fallback = bool(data["model"].get("byte_fallback"))
    if fallback and not any(t.startswith("<0x") and t.endswith(">") and len(t) == 6 for t in vocab):
        data["model"]["byte_fallback"] = False
        fallback = False
    for t in data.get("added_tokens", []):
        if t["id"] not in old_to_new:
            raise ValueError(f"added token {t['content']!r} (id {t['id']}) is not in the keep-set")
        t["id"] = old_to_new[t["id"]]
    if data.get("post_processor"):
        data["post_processor"] = _remap_ids(data["post_processor"], old_to_new)
    return data, {"merges_before": len(bpe.merges), "merges_after": len(merges),
                  "vocab_before": len(bpe.vocab), "vocab_after": len(vocab),
                  "byte_fallback": fallback}


def write_tokenizer(src_dir: Path, dest_dir: Path, data: dict[str, Any], old_to_new: dict[int, int]) -> None:
    """tokenizer.json plus the tokenizer's other files, with any ``*_token_id`` renumbered."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    (dest_dir / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    for name in ("tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "chat_template.json"):
        p = src_dir / name
        if not p.is_file():
            continue
        if name.endswith(".json"):
            cfg = json.loads(p.read_text(encoding="utf-8"))
            for key, val in list(cfg.items()):
                if key.endswith("_token_id") and isinstance(val, int):
                    cfg[key] = old_to_new[val]
            (dest_dir / name).write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            (dest_dir / name).write_bytes(p.read_bytes())


# -- validation -------------------------------------------------------------------------------------
def words(text: str) -> int:
    return len(text.split())


def validate(original, trimmed, texts: Sequence[str], unk_id: int | None) -> dict[str, Any]:
    """Round trips and tokens per word of ``trimmed`` against ``original`` on ``texts``.

    Decoding never cleans up spaces (that is lossy by design); special-token strings stay."""
    kw = {"skip_special_tokens": False, "clean_up_tokenization_spaces": False}
    res = {"texts": len(texts), "ascii": 0, "ascii_exact": 0, "unicode": 0, "unicode_exact": 0,
           "same_as_original_decode": 0, "original_exact": 0, "unk_tokens": 0, "words": 0, "tokens_original": 0, "tokens_trimmed": 0,
           "failures": []}
    for text in texts:
        ids_o = original(text, add_special_tokens=False)["input_ids"]
        ids_t = trimmed(text, add_special_tokens=False)["input_ids"]
        back = trimmed.decode(ids_t, **kw)
        exact = back == text
        kind = "ascii" if text.isascii() else "unicode"
        res[kind] += 1
        res[f"{kind}_exact"] += exact
        res["same_as_original_decode"] += back == original.decode(ids_o, **kw)
        res["original_exact"] += original.decode(ids_o, **kw) == text
        if unk_id is not None:  # an unknown-token id the text did not spell out itself
            res["unk_tokens"] += max(0, ids_t.count(unk_id) - text.count(trimmed.convert_ids_to_tokens(unk_id)))
        res["words"] += words(text)
        res["tokens_original"] += len(ids_o)
        res["tokens_trimmed"] += len(ids_t)
        if not exact and len(res["failures"]) < 5:
            res["failures"].append(text[:120])
    w = max(res["words"], 1)
    res["tokens_per_word_original"] = round(res["tokens_original"] / w, 4)
    res["tokens_per_word_trimmed"] = round(res["tokens_trimmed"] / w, 4)
    res["tokens_per_word_change"] = round(res["tokens_trimmed"] / max(res["tokens_original"], 1) - 1, 5)
    res["ascii_exact_share"] = res["ascii_exact"] / res["ascii"] if res["ascii"] else 1.0
    res["unicode_exact_share"] = res["unicode_exact"] / res["unicode"] if res["unicode"] else 1.0
    return res


def probe_strings(seed: int, n: int = 200) -> list[str]:
    """Inputs the corpus may never show: every printable ASCII character, control bytes, random code
    points from many scripts and planes (emoji, CJK, combining marks) -- none may be untokenizable."""
    import random

    rng = random.Random(seed)
    out = ["".join(chr(c) for c in range(32, 127)), "\t\n\r\x0b\x0c\x00\x01\x7f", " ".join(MATH_SYMBOLS),
           UNICODE_PUNCTUATION, "naïve café — “quoted” … 東京 😀 👩‍💻 ∑ x² ≤ ∞"]
    ranges = [(0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF), (0x900, 0x97F),
              (0x0E00, 0x0E7F), (0x2000, 0x2BFF), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3),
              (0x1F300, 0x1FAFF), (0x10000, 0x1FFFF)]
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            lo, hi = rng.choice(ranges)
            parts.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 6))))
        out.append(rng.choice([" ", "", "\n"]).join(parts))
    return out
