"""Which base downstream phases train and evaluate against: ``finetune_base``'s output when it built
one, else the ``base`` phase's (``finetune_base`` always writes ``base.json`` saying which)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.framework import PhaseContext, read_json


@dataclass
class BaseModel:
    gguf: Path
    gguf_sha256: str
    model_dir: Path
    arch: str
    n_head: int
    n_head_kv: int
    n_layer: int
    produced_by: str


def read_base(phase_dir: Path, produced_by: str) -> BaseModel:
    info = read_json(phase_dir / "base.json")
    if not info:
        raise FileNotFoundError(f"{phase_dir}/base.json missing")
    gguf = Path(info["gguf"])
    model_dir = Path(info["model_dir"])
    return BaseModel(
        gguf=gguf if gguf.is_absolute() else (phase_dir / gguf).resolve(),
        gguf_sha256=info["gguf_sha256"],
        model_dir=model_dir if model_dir.is_absolute() else (phase_dir / model_dir).resolve(),
        arch=info["arch"], n_head=info["n_head"], n_head_kv=info["n_head_kv"], n_layer=info["n_layer"],
        produced_by=info.get("produced_by", produced_by),
    )


def current_base(ctx: PhaseContext) -> BaseModel:
    return read_base(ctx.upstream("finetune_base"), "finetune_base")
