"""What can be launched: the phases, their config fields (for a generated form), and what hardware they want.

Everything here comes from the phase registry (``pipeline.phases``) and the phases' dataclasses, so a new
phase or a new config field shows up without touching the runners.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

from pydantic import BaseModel, Field

from pipeline import phases

ALL = "all"
# Phases that train weights: a GPU pays off when the LoRA is large (these defaults are the tiny preset's scale,
# measured at ~1 s per step on 2 CPU cores, DESIGN.md). AWQ quantization needs a GPU whatever the size
# (llm-compressor's AWQModifier fails on CPU).
LORA_PHASES = ("finetune_base", "train_lora", "maml")
LARGE_LORA_RANK = 16
LARGE_LORA_STEPS = 200
# Wall seconds per phase for the tiny preset on 2 shared CPU cores (pipeline/REPORT.md; maml from its tests):
# the fallback for a cost estimate when no earlier job of that phase has finished.
TINY_CPU_SECONDS = {"base": 23, "curate": 48, "finetune_base": 600, "failures": 128, "distill": 93,
                    "train_lora": 1026, "evaluate": 569, "publish": 6, "critique": 300, "example_bank": 60,
                    "maml": 900, "backbone_analysis": 9, "backbone": 2476, "backbone_compare": 60}


class FieldInfo(BaseModel):
    name: str
    type: str = Field(description="the annotation, e.g. int, float | None, list[str], dict")
    default: Any = Field(default=None, description="JSON-able default value")
    shared: bool = Field(default=False, description="a key shared by every phase (top level of a pipeline YAML)")


class PhaseInfo(BaseModel):
    name: str
    summary: str
    requires: list[str]
    hardware: str = Field(description="cpu | gpu: what the phase wants at its default config")
    fields: list[FieldInfo]


def _type_name(tp: Any) -> str:
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        value = f.default
    elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        value = f.default_factory()  # type: ignore[misc]
    else:
        return None
    return json.loads(json.dumps(value, default=str))


def config_fields(phase: str) -> list[FieldInfo]:
    from pipeline.config import SHARED_KEYS

    cls = phases.load(phase).Config
    hints = typing.get_type_hints(cls)
    return [FieldInfo(name=f.name, type=_type_name(hints[f.name]), default=_default(f), shared=f.name in SHARED_KEYS)
            for f in dataclasses.fields(cls)]


def phase_names(start: str | None = None, stop: str | None = None) -> list[str]:
    order = phases.ORDER
    lo = order.index(start) if start else 0
    hi = order.index(stop) if stop else len(order) - 1
    return order[lo:hi + 1]


def hardware_for(phase: str, config: Any) -> str:
    """``gpu`` for AWQ and for large LoRA runs, ``cpu`` otherwise (``config``: the phase's dataclass)."""
    mod = phases.load(phase)
    declared = getattr(mod, "HARDWARE", None)  # a phase may say so itself
    if declared in ("cpu", "gpu"):
        return declared
    if "awq" in json.dumps(dataclasses.asdict(config), default=str).lower():
        return "gpu"
    if phase in LORA_PHASES and getattr(config, "enabled", True):
        rank = int(getattr(config, "rank", 0) or 0)
        steps = int(getattr(config, "max_steps", 0) or getattr(config, "meta_iters", 0) or 0)
        if phase == "maml" or rank >= LARGE_LORA_RANK or steps >= LARGE_LORA_STEPS:
            return "gpu"
    return "cpu"


def list_phases() -> list[PhaseInfo]:
    """Every phase in run order (defaults from its dataclass), then ``all``."""
    out = []
    for name in phases.ORDER:
        mod = phases.load(name)
        out.append(PhaseInfo(name=name, summary=mod.SUMMARY, requires=list(mod.REQUIRES),
                             hardware=hardware_for(name, mod.Config()), fields=config_fields(name)))
    from pipeline.config import SHARED_KEYS

    shared = [f for f in config_fields(phases.ORDER[0]) if f.name in SHARED_KEYS]
    out.append(PhaseInfo(name=ALL, summary="every phase in order (finished, unchanged phases are skipped)",
                         requires=[], hardware="gpu" if any(p.hardware == "gpu" for p in out) else "cpu",
                         fields=shared))
    return out
