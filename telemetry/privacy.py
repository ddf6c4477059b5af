"""PII and secret scrubbing, applied to every piece of free text before it is stored or spooled.

``scrub(text)`` replaces, in this order:

- secrets: private-key blocks, JWTs, provider tokens (Hugging Face ``hf_…``, OpenAI/Anthropic
  ``sk-…``, AWS access key ids ``AKIA…``/``ASIA…``, GitHub ``ghp_…``/``github_pat_…``, Slack
  ``xox?-…``, Google ``AIza…``, Stripe ``sk_live_…``), ``Bearer …`` headers, credentials in URLs,
  ``password=…``/``api_key: "…"`` style assignments with a literal value, and long random-looking
  hex or base64 strings (a hex string right after "sha256", "commit", "checksum", … is a digest,
  not a secret, and is kept) -> ``[SECRET]``
- e-mail addresses -> ``[EMAIL]``
- payment card numbers: 13-19 digits with a known issuer prefix that pass the Luhn check -> ``[CARD]``
- IBANs that pass the mod-97 check -> ``[IBAN]``; US social security numbers written ``123-45-6789``
  (never-issued ranges excepted) -> ``[SSN]``
- IPv4 and IPv6 addresses -> ``[IP]``, except dotted numbers that are versions in context
  ("version 1.2.3.4", "v1.2.3.4", "numpy==1.2.3.4", "Python 3.11.7") and addresses that identify
  nobody (loopback ``127.0.0.1``/``::1``, ``0.0.0.0``)
- phone numbers: international (``+``), North-American ``(415) 555-0132`` shapes, European trunk
  formats (``020 7946 0958``, ``06 12 34 56 78``) and any digit run after "phone"/"call me at"/… ->
  ``[PHONE]``

It deliberately keeps dates, times, version numbers, UUIDs, code, file paths and ordinary numbers:
the table in ``tests/test_telemetry_privacy.py`` lists the cases both ways. A scrubber is a
best-effort filter, which is why raw text is also stored only with the user's consent and purged
after the retention period.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

EMAIL, PHONE, CARD, IP, SECRET = "[EMAIL]", "[PHONE]", "[CARD]", "[IP]", "[SECRET]"
IBAN, SSN = "[IBAN]", "[SSN]"

# -- secrets ------------------------------------------------------------------------------------
_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
_TOKEN_PREFIXES = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"hf_[A-Za-z0-9]{20,}"
    r"|sk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}"
    r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"
    r"|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|github_pat_[A-Za-z0-9_]{40,}"
    r"|glpat-[A-Za-z0-9_-]{20,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|AIza[0-9A-Za-z_-]{35}"
    r"|npm_[A-Za-z0-9]{36}"
    r")(?![A-Za-z0-9])"
)
_BEARER = re.compile(r"(?i)(\b(?:bearer|token|basic)\s+)([A-Za-z0-9._~+/-]{16,}=*)")
_URL_CREDENTIALS = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)([^\s/@]+)(@)")
# key = value where value is a literal: quoted, or a bare run containing a digit or symbol.
_ASSIGNMENT = re.compile(
    r"(?i)((?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|"
    r"access[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key|token)[\w.-]*[\"']?\s*[:=]\s*)"
    r"(?:(\"|')([^\"'\s]{6,})\2|([^\s\"'(),;\[\]{}]{6,})(?=[\s,;]|$))"
)
_HEX_RUN = re.compile(r"(?<![A-Za-z0-9_/.-])[0-9a-fA-F]{32,}(?![A-Za-z0-9_/.-])")
_DIGEST_CONTEXT = re.compile(
    r"(?i)(?:sha-?(?:1|224|256|384|512)|md5|commit|checksum|digest|hash|revision|rev|blob|tree|etag|"
    r"object|@)[\s:=#\"'`(]*$"
)
_B64_RUN = re.compile(r"(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_=-])")

# -- e-mail ---------------------------------------------------------------------------------------
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])(?!git@)[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w-])"
)

# -- cards ------------------------------------------------------------------------------------------
_CARD_CANDIDATE = re.compile(r"(?<![\d.,-])\d(?:[ -]?\d){12,18}(?![\d.,]\d|\d)")
_CARD_PREFIX = re.compile(
    r"^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|3(?:0[0-5]|[68])|6(?:011|5|4[4-9]|2)|35(?:2[89]|[3-8]\d)|5[06-9]|6\d)"
)

# -- bank accounts and national ids --------------------------------------------------------------
# IBAN: country, 2 check digits, 11-30 alphanumerics, written compact or in groups of four; kept
# only when the ISO 13616 mod-97 check passes.
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")
# US social security number, written with dashes (a bare 9-digit run is too often something else);
# area 000, 666 and 9xx, group 00 and serial 0000 are never issued.
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")

# -- IP addresses ----------------------------------------------------------------------------------
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
_VERSION_CONTEXT = re.compile(
    r"(?i)(?:\bversion|\bver\.?|\brelease|\bbuild|\bpython|\bnode|\bjava|\bv|==|>=|<=|~=|!=|\^|~|\bpatch|"
    r"\bupgrade(?:d)?\s+to|\bdowngrade(?:d)?\s+to|\bbump(?:ed)?\s+to)\s*$"
)
_IPV6_CANDIDATE = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?:/\d{1,3})?(?![\w:])")

# -- phones --------------------------------------------------------------------------------------------
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?!\w)")
_PHONE_NANP = re.compile(r"(?<![\w.-])(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w.-]?\d)")
_PHONE_TRUNK = re.compile(
    r"(?<![\w.-])(?:0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}|0\d(?:[\s.]\d{2}){4}|0\d{4}\s\d{6})(?![\w.-]?\d)"
)
_PHONE_CONTEXT = re.compile(
    r"(?i)(\b(?:phone|tel|telephone|mobile|cell|fax|whatsapp|call me(?: at| on)?|text me(?: at| on)?|"
    r"reach me at|my number(?: is)?)\b[\s:,=-]{0,4})(\+?\(?\d[\d\s().-]{5,18}\d)"
)


_TOKEN_HINTS = ("hf_", "sk-", "sk_", "rk_", "pk_", "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ghp_", "gho_",
                "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "AIza", "npm_")
_ASSIGNMENT_HINTS = ("pass", "pwd", "secret", "key", "token")
_PHONE_HINTS = ("phone", "tel", "mobile", "cell", "fax", "whatsapp", "call me", "text me", "reach me", "my number")
_DROP_DIGITS = str.maketrans("", "", "0123456789")
_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
_WORDISH = re.compile(r"[A-Za-z][a-z]{2,}")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _entropy(s: str) -> float:
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


@dataclass
class ScrubResult:
    text: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.counts)


class Scrubber:
    """Replaces PII and secrets in free text; see the module docstring for what and why."""

    def scrub(self, text: str) -> ScrubResult:
        counts: Counter[str] = Counter()
        if not text:
            return ScrubResult(text or "", {})

        long_text = len(text) > 4096

        def sub(pattern: re.Pattern, repl, s: str, label: str) -> str:
            def f(m: re.Match) -> str:
                out = repl(m) if callable(repl) else repl
                if out != m.group(0):
                    counts[label] += 1
                return out

            if long_text:
                # A regex pass holds the GIL; on long text, let other threads (a streaming answer)
                # in between passes instead of after the whole scrub.
                time.sleep(0)
            return pattern.sub(f, s)

        # Cheap substring/digit-count gates (C speed) decide which regexes can match at all:
        # most text skips most patterns, which keeps the writer thread at thousands of events/s.
        t = text
        low = t.lower()
        if "private key" in low:
            t = sub(_PRIVATE_KEY, SECRET, t, "secret")
        if "eyJ" in t:
            t = sub(_JWT, SECRET, t, "secret")
        if any(p in t for p in _TOKEN_HINTS):
            t = sub(_TOKEN_PREFIXES, SECRET, t, "secret")
        if "://" in t and "@" in t:
            t = sub(_URL_CREDENTIALS, lambda m: m.group(1) + SECRET + m.group(3), t, "secret")
        if "bearer" in low or "token" in low or "basic" in low:
            t = sub(_BEARER, self._bearer, t, "secret")
        if ("=" in t or ":" in t) and any(k in low for k in _ASSIGNMENT_HINTS):
            t = sub(_ASSIGNMENT, self._assignment, t, "secret")
        if "@" in t:
            t = sub(_EMAIL_RE, EMAIL, t, "email")
        digits = len(t) - len(t.translate(_DROP_DIGITS))
        if digits >= 9 and "-" in t:
            t = sub(_SSN, SSN, t, "ssn")
        if digits >= 4 and len(t) >= 15:
            t = sub(_IBAN, self._iban, t, "iban")
        if digits >= 13:
            t = sub(_CARD_CANDIDATE, self._card, t, "card")
        if digits >= 4 and "." in t:
            t = sub(_IPV4, self._ipv4, t, "ip")
        if "::" in t or t.count(":") >= 7:
            t = sub(_IPV6_CANDIDATE, self._ipv6, t, "ip")
        if digits >= 7:
            if any(k in low for k in _PHONE_HINTS):
                t = sub(_PHONE_CONTEXT,
                        lambda m: m.group(1) + PHONE if _digit_count(m.group(2)) >= 7 else m.group(0), t, "phone")
            if "+" in t:
                t = sub(_PHONE_INTL, lambda m: PHONE if 8 <= _digit_count(m.group(0)) <= 15 else m.group(0),
                        t, "phone")
            t = sub(_PHONE_NANP, PHONE, t, "phone")
            t = sub(_PHONE_TRUNK, PHONE, t, "phone")
        if len(t) >= 32:
            t = sub(_HEX_RUN, self._hex, t, "secret")
            t = sub(_B64_RUN, self._b64, t, "secret")
        return ScrubResult(t, dict(counts))

    def __call__(self, text: str | None) -> str | None:
        return None if text is None else self.scrub(text).text

    # -- per-pattern decisions ----------------------------------------------------------------
    @staticmethod
    def _bearer(m: re.Match) -> str:
        value = m.group(2)
        # "token limit", "basic understanding": a credential has digits or mixed case
        if not (re.search(r"\d", value) or (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value))):
            return m.group(0)
        return m.group(1) + SECRET

    @staticmethod
    def _assignment(m: re.Match) -> str:
        quoted, bare = m.group(3), m.group(4)
        if quoted is not None:
            if quoted.startswith("[") or quoted.lower() in {"password", "changeme", "secret", "xxxxxx", "******"}:
                return m.group(0)
            return m.group(1) + m.group(2) + SECRET + m.group(2)
        # A bare value must look like a literal secret, not an expression or identifier.
        if not re.search(r"\d", bare) or bare.isdigit() or bare.startswith(("[", "$", "os.", "env")) or "." in bare:
            return m.group(0)
        return m.group(1) + SECRET

    @staticmethod
    def _card(m: re.Match) -> str:
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        if not 13 <= len(digits) <= 19 or not _CARD_PREFIX.match(digits) or not luhn_ok(digits):
            return raw
        if len(set(digits)) == 1:
            return raw
        # mixed separators ("1234-5678 9012") are rarely a card; consistent groups or none are
        seps = set(re.sub(r"\d", "", raw))
        if len(seps) > 1:
            return raw
        return CARD

    @staticmethod
    def _iban(m: re.Match) -> str:
        raw = m.group(0)
        compact = raw.replace(" ", "")
        if not 15 <= len(compact) <= 34:
            return raw
        rearranged = compact[4:] + compact[:4]
        number = "".join(str(int(c, 36)) for c in rearranged)
        return IBAN if int(number) % 97 == 1 else raw

    @staticmethod
    def _ipv4(m: re.Match) -> str:
        addr = m.group(0).split("/")[0]
        try:
            ip = ipaddress.IPv4Address(addr)
        except ValueError:
            return m.group(0)
        if ip.is_loopback or ip in _THIS_NETWORK:  # 127.0.0.1, 0.0.0.0 (and "0.14.0.1" versions) say nothing
            return m.group(0)
        before = m.string[max(0, m.start() - 24): m.start()]
        if _VERSION_CONTEXT.search(before):
            return m.group(0)
        return IP

    @staticmethod
    def _ipv6(m: re.Match) -> str:
        cand = m.group(0)
        addr = cand.split("/")[0].split("%")[0]
        if not re.search(r"\d", addr) or addr.count(":") < 2:
            return cand
        groups = [g for g in addr.split(":") if g]
        if len(groups) < 3 and (not groups or max(map(len, groups)) < 3):
            return cand  # "::2", "1::3": Python slices, not addresses
        before, after = m.string[max(0, m.start() - 4): m.start()], m.string[m.end(): m.end() + 1]
        if before.endswith("[") and not before.endswith("://[") and after == "]" and len(groups) < 3:
            return cand  # items[100::200]
        try:
            ip = ipaddress.IPv6Address(addr)
        except ValueError:
            return cand
        if ip.is_loopback or ip.is_unspecified:
            return cand
        return IP

    @staticmethod
    def _hex(m: re.Match) -> str:
        before = m.string[max(0, m.start() - 24): m.start()]
        if _DIGEST_CONTEXT.search(before):
            return m.group(0)
        return SECRET

    @staticmethod
    def _b64(m: re.Match) -> str:
        s = m.group(0)
        core = s.rstrip("=")
        classes = sum(bool(re.search(p, core)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
        if classes < 3 or sum(c.isdigit() for c in core) < 3:
            return s
        if _entropy(core) < 4.0:
            return s
        # Identifiers, model names and paths are made of words ("meta-llama/Llama-3.2-1B-Instruct"):
        # random keys have few runs of 3+ letters in word shape.
        if sum(map(len, _WORDISH.findall(core))) > 0.45 * len(core):
            return s
        return SECRET


def _digit_count(s: str) -> int:
    return sum(c.isdigit() for c in s)


_DEFAULT = Scrubber()


def scrub(text: str) -> str:
    """``text`` with PII and secrets replaced by ``[EMAIL]``, ``[PHONE]``, ``[CARD]``, ``[IBAN]``, ``[SSN]``,
    ``[IP]``, ``[SECRET]``."""
    return _DEFAULT.scrub(text).text


def normalize_for_hash(text: str) -> str:
    return " ".join(text.lower().split())


def text_hash(text: str, key: bytes = b"") -> str:
    """Stable hash of already-scrubbed text: lets dashboards count repeats without keeping the text.

    With a key (``MODROUTE_TELEMETRY_HASH_KEY``) it is an HMAC, so short common queries cannot
    be recovered from the database by hashing guesses.
    """
    data = normalize_for_hash(text).encode("utf-8")
    if key:
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()
