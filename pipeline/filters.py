"""Quality filters used by ``curate``: length bounds, PII, offensive content.

Each filter returns the reason it rejects a record (or ``None``) so the curate
phase can report how many examples each rule removed. Placeholders that
documentation uses on purpose (``user@example.com``, 192.0.2.x, 555-01xx
numbers, private IPs in config snippets) are not personal data and pass.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b")
_PLACEHOLDER_DOMAINS = re.compile(r"@([A-Za-z0-9-]+\.)*(example|test|invalid|localhost|example\.com|acme)"
                                  r"(\.[a-z]{2,})?$", re.I)
_PHONE = re.compile(r"(?<![\w.])(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w.])"
                    r"|(?<![\w.])\+\d{1,3}[ .-]\d{2,4}[ .-]\d{3,4}[ .-]\d{3,4}(?![\w.])")
_SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){13,19}(?![\d-])")
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_SECRET = re.compile(r"\b(?:sk-[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{30,}|xox[bp]-[A-Za-z0-9-]{20,}"
                     r"|hf_[A-Za-z]{30,})\b")


def _luhn_ok(digits: str) -> bool:
    total, alt = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if alt:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
        alt = not alt
    return total % 10 == 0


def _public_ip(parts: tuple[str, ...]) -> bool:
    try:
        a, b, c, d = (int(x) for x in parts)
    except ValueError:
        return False
    if max(a, b, c, d) > 255:
        return False
    if a in (0, 10, 127) or a >= 224 or (a == 192 and b == 168) or (a == 172 and 16 <= b <= 31):
        return False
    if (a, b) == (169, 254) or (a, b, c) in ((192, 0, 2), (198, 51, 100), (203, 0, 113)):
        return False  # link-local and the documentation ranges (RFC 5737)
    if a == b == c == d or (b == c == d == 0):
        return False
    return True


def pii_reason(text: str) -> str | None:
    """The kind of personal data or secret found in ``text``, or None."""
    for m in _EMAIL.finditer(text):
        if not _PLACEHOLDER_DOMAINS.search(m.group(0)):
            return "pii:email"
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if "55501" not in digits and not re.fullmatch(r"(\d)\1+", digits[-7:]):
            return "pii:phone"
    if _SSN.search(text):
        return "pii:ssn"
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and len(set(digits)) > 2 and _luhn_ok(digits):
            return "pii:card"
    for m in _IPV4.finditer(text):
        if _public_ip(m.groups()):
            return "pii:ip"
    if _SECRET.search(text):
        return "pii:secret"
    return None


@lru_cache(maxsize=1)
def _offensive_pattern() -> re.Pattern[str]:
    # The term list is stored rot13-encoded so that the repository does not read as a list of slurs.
    raw = (Path(__file__).with_name("offensive_terms.rot13")).read_text(encoding="utf-8")
    terms = [codecs.decode(t.strip(), "rot13") for t in raw.splitlines() if t.strip() and not t.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?:s|es|ed|ing|er|ers)?\b",
                      re.I)


def offensive_reason(text: str) -> str | None:
    m = _offensive_pattern().search(text)
    return f"offensive:{codecs.encode(m.group(0).lower(), 'rot13')}" if m else None


def length_reason(instruction: str, response: str, *, min_instruction: int, max_instruction: int,
                  min_response: int, max_response: int) -> str | None:
    if len(instruction) < min_instruction:
        return "length:instruction_short"
    if len(instruction) > max_instruction:
        return "length:instruction_long"
    if len(response) < min_response:
        return "length:response_short"
    if len(response) > max_response:
        return "length:response_long"
    return None
