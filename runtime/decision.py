"""The routing decision: one small dataclass the UI shows and telemetry stores as-is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FAST, ACCURATE = "fast", "accurate"
MODES = (FAST, ACCURATE)
# New domains go at the end, so the older ones keep their positions; stored artifacts name their labels
# and features, so they load whatever the order (runtime.adaptive widens a layer that predates a domain).
DOMAINS = ("code", "reasoning", "automation", "math", "science", "finance", "creative", "general", "hard_math")


@dataclass
class RouteDecision:
    mode: str  # fast | accurate
    domain: str
    confidence: float  # calibrated P(base answer is good enough)
    threshold: float
    modifier: str | None = None  # the LoRA used in Accurate mode (None = base)
    domain_probs: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    probe_ms: float = 0.0
    forced: bool = False
    escalated: bool = False
    preempted: bool = False  # session memory chose the modifier up front
    cascaded: bool = False  # a low-confidence Fast answer was regenerated in Accurate mode
    fallback: bool = False  # Accurate wanted but the modifier was missing: base answered
    router_version: str = ""
    canary_arm: str = ""  # control | canary while a canary version is being tried ("" otherwise)
    raw_confidence: float | None = None  # the quality model's P before the adaptive layer (None: no layer)
    rung: str = ""  # escalation rung that produced the answer: modifier | critique | consistency | exhausted
    tools: dict[str, Any] = field(default_factory=dict)  # what Accurate mode's tools did (critique, consistency, fewshot)
    # runtime.benefit's verdict on the domain's (or the forced) modifier, plus "applied": True when it turned
    # the router's Accurate into Fast (None: no modifier to judge, or the policy is off)
    benefit: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["confidence"] = round(float(self.confidence), 4)
        if self.raw_confidence is not None:
            d["raw_confidence"] = round(float(self.raw_confidence), 4)
        d["domain_probs"] = {k: round(float(v), 4) for k, v in self.domain_probs.items()}
        d["latency_ms"] = round(self.latency_ms, 3)
        d["probe_ms"] = round(self.probe_ms, 3)
        return d

    @property
    def benefit_applied(self) -> bool:
        """The router wanted Accurate, but the domain's modifier shows no significant gain: Fast."""
        return bool(self.benefit and self.benefit.get("applied"))

    @property
    def modifier_may_help(self) -> bool:
        """False when the domain's modifier is judged not to beat the base (no automatic move to it)."""
        return not self.benefit or bool(self.benefit.get("eligible", True))

    @property
    def label(self) -> str:
        """Short human text, e.g. 'Accurate · code · modifier code · 42% < 80%'."""
        parts = ["Accurate" if self.mode == ACCURATE else "Fast", self.domain]
        parts.append(f"modifier {self.modifier}" if self.modifier else "base model")
        cmp = ">=" if self.confidence >= self.threshold else "<"
        parts.append(f"confidence {self.confidence:.0%} {cmp} {self.threshold:.0%}")
        flags = [n for n, on in (("forced", self.forced), ("escalated", self.escalated),
                                 ("pre-empted by session memory", self.preempted),
                                 ("cascaded", self.cascaded), ("fallback to base", self.fallback),
                                 ("modifier not expected to help", self.benefit_applied)) if on]
        return " · ".join(parts + flags)
