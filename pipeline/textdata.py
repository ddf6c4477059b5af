"""The standard example format and JSONL I/O.

Every dataset the pipeline reads or writes is JSONL with one example per line:

    {"id", "domain", "difficulty", "source", "instruction", "response",
     optional "answer" (math/reasoning), "entry_point" + "tests" (code),
     "calls" (automation: the expected tool calls), "rubric", "meta"}

Held-out eval files may name the prompt ``question`` and the calls
``expected_calls``; ``Item`` normalises both shapes for scoring.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("pipeline.data")

STANDARD_KEYS = ("id", "domain", "difficulty", "source", "instruction", "response")
OPTIONAL_KEYS = ("answer", "entry_point", "tests", "calls", "rubric", "choices", "constraints", "meta")


def read_jsonl(path: str | Path, *, strict: bool = False) -> list[dict[str, Any]]:
    """Records of a JSONL file; malformed lines are skipped with a warning (or raise if ``strict``)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                if strict:
                    raise ValueError(f"{path}:{n}: not JSON: {e}") from e
                log.warning("%s:%d: skipping malformed line (%s)", path, n, e)
                continue
            if not isinstance(rec, dict):
                log.warning("%s:%d: skipping non-object line", path, n)
                continue
            out.append(rec)
    return out


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    os.replace(tmp, path)
    return n


def standardize(rec: dict[str, Any], domain: str, source: str, index: int) -> dict[str, Any] | None:
    """Map a raw record to the standard format; None when it has no instruction or response."""
    instruction = rec.get("instruction") or rec.get("question") or rec.get("prompt") or ""
    response = rec.get("response") or rec.get("output") or rec.get("completion") or ""
    if not isinstance(instruction, str) or not isinstance(response, str):
        return None
    if not instruction.strip() or not response.strip():
        return None
    out = {
        "id": str(rec.get("id") or f"{domain}-{index}"),
        "domain": str(rec.get("domain") or domain),
        "difficulty": str(rec.get("difficulty") or "unknown"),
        "source": str(rec.get("source") or source),
        "instruction": instruction.strip(),
        "response": response.strip(),
    }
    if out["domain"] != domain:  # the file decides which modifier an example trains
        out["meta"] = {"declared_domain": out["domain"]}
        out["domain"] = domain
    for k in OPTIONAL_KEYS:
        if k in rec and rec[k] not in (None, "", []):
            if k == "meta" and "meta" in out:
                out["meta"] = {**rec["meta"], **out["meta"]} if isinstance(rec["meta"], dict) else out["meta"]
            else:
                out[k] = rec[k]
    if "calls" not in out and rec.get("expected_calls"):
        out["calls"] = rec["expected_calls"]
    return out


@dataclass
class Item:
    """A scorable prompt: from a held-out eval file, a probe drawn from training data, or HumanEval."""

    id: str
    domain: str
    prompt: str
    reference: str = ""  # a reference response, when known
    answer: Any = None
    tests: str | None = None
    entry_point: str | None = None
    calls: list[Any] | None = None
    rubric: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_record(cls, rec: dict[str, Any], domain: str) -> Item:
        prompt = rec.get("instruction") or rec.get("question") or rec.get("prompt") or ""
        calls = rec.get("expected_calls", rec.get("calls"))
        known = {"id", "domain", "instruction", "question", "prompt", "response", "answer", "tests", "test",
                 "entry_point", "expected_calls", "calls", "rubric"}
        return cls(
            id=str(rec.get("id", "")),
            domain=domain,
            prompt=str(prompt),
            reference=str(rec.get("response") or ""),
            answer=rec.get("answer"),
            tests=rec.get("tests") or rec.get("test"),
            entry_point=rec.get("entry_point"),
            calls=calls,
            rubric=rec.get("rubric"),
            extra={k: v for k, v in rec.items() if k not in known},
        )

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "domain": self.domain, "prompt": self.prompt}
        for k in ("reference", "answer", "tests", "entry_point", "calls", "rubric"):
            v = getattr(self, k)
            if v not in (None, "", []):
                d[k] = v
        if self.extra:
            d["extra"] = self.extra
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Item:
        return cls(id=d["id"], domain=d["domain"], prompt=d["prompt"], reference=d.get("reference", ""),
                   answer=d.get("answer"), tests=d.get("tests"), entry_point=d.get("entry_point"),
                   calls=d.get("calls"), rubric=d.get("rubric"), extra=d.get("extra") or {})


def chat_messages(instruction: str, response: str | None = None, system_prompt: str = "") -> list[dict[str, str]]:
    """The conversation a model sees in training and in serving (same template both ways)."""
    msgs = []
    if system_prompt:
        msgs.append({"role": "system", "content": system_prompt})
    msgs.append({"role": "user", "content": instruction})
    if response is not None:
        msgs.append({"role": "assistant", "content": response})
    return msgs


def iter_chunks(seq: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]
