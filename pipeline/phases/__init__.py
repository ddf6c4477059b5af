"""The pipeline's phases, in run order. Each module has ``Config`` (a dataclass), ``main(config)``,
``SUMMARY`` and ``REQUIRES``; importing one is cheap (heavy imports live inside ``main``)."""

from __future__ import annotations

import importlib
from types import ModuleType

ORDER = ["base", "curate", "finetune_base", "failures", "distill", "train_lora", "evaluate", "publish",
         "backbone_analysis", "backbone", "backbone_compare", "critique", "example_bank", "maml", "compress", "calibrate", "vocab", "prune",
         "quantize", "recover", "export_gguf", "compress_modifiers", "rebase"]


def load(name: str) -> ModuleType:
    if name not in ORDER:
        raise KeyError(f"unknown phase {name!r}; phases: {', '.join(ORDER)}")
    return importlib.import_module(f"pipeline.phases.{name}")
