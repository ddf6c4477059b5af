"""The text format of the hand-written router prompt sources (``router_*_src.py``).

A block is one prompt per line. ``[tag] text`` marks a prompt as one of the hard cases a set means
to cover (``[sql]``, ``[proof]``, ``[tradeoff]``, ...). A prompt that spans lines (pasted code, an
error message) sits between a line ``<<<`` (or ``<<< [tag]``) and a line ``>>>``; its lines are kept
as written, minus the common indentation.
"""

from __future__ import annotations

import re
import textwrap

_TAG = re.compile(r"^\[([a-z0-9_-]+)\]\s+")


def _split_tag(line: str) -> tuple[str, str]:
    m = _TAG.match(line)
    return (line[m.end():], m.group(1)) if m else (line, "")


def parse_block(block: str) -> list[tuple[str, str]]:
    """Prompts of one block as (text, tag) pairs in file order; tag is "" when none is given."""
    out: list[tuple[str, str]] = []
    lines = block.strip("\n").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        if line.startswith("<<<"):
            _, tag = _split_tag(line[3:].strip() + " x")  # "x": the tag pattern wants text after it
            body = []
            while i < len(lines) and lines[i].strip() != ">>>":
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise ValueError(f"unterminated <<< block starting {body[:1]!r}")
            i += 1
            text = textwrap.dedent("\n".join(body)).strip()
            if not text:
                raise ValueError("empty <<< >>> block")
            out.append((text, tag))
            continue
        if line == ">>>":
            raise ValueError(">>> without <<<")
        out.append(_split_tag(line))
    return out
