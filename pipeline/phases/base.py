"""``base``: the served GGUF base -> dense PyTorch weights for training.

transformers dequantizes the GGUF (``gguf_file=``); the GGUF quantizer is
detached before ``save_pretrained`` (it refuses otherwise). The output records
the GGUF's path and SHA-256, so everything trained downstream names the exact
file the runtime serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, execute, write_json

SUMMARY = "GGUF base -> PyTorch safetensors (dense) + tokenizer, with the GGUF's SHA-256"
REQUIRES: tuple[str, ...] = ()


@dataclass
class Config(PhaseConfig):
    pass


def base_gguf_path(config: PhaseConfig) -> Path:
    if config.base_gguf:
        p = Path(config.base_gguf).expanduser()
        if not p.is_file():
            raise FileNotFoundError(f"base_gguf {p} not found")
        return p
    from runtime.settings import embedded_model_path

    return embedded_model_path()


def _body(ctx: PhaseContext) -> dict:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from pipeline.cpu import prepare_torch_env

    prepare_torch_env()
    import torch
    from gguf import GGUFReader
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from runtime.artifacts import sha256_cached

    gguf = base_gguf_path(ctx.config)
    torch.set_num_threads(ctx.config.resolved_threads())  # prepare_torch_env ran before the import above
    ctx.log.info("base: loading %s through transformers (dequantizing)", gguf)
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    # The weights are dense now; the GGUF quantizer only blocks serialisation.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    out = ctx.out / "model"
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    reader = GGUFReader(str(gguf))
    arch = reader.fields["general.architecture"].contents()
    info = {
        "gguf": str(gguf.resolve()),
        "gguf_sha256": sha256_cached(gguf),
        "arch": arch,
        "n_head": int(reader.fields[f"{arch}.attention.head_count"].contents()),
        "n_head_kv": int(reader.fields[f"{arch}.attention.head_count_kv"].contents()),
        "n_layer": int(reader.fields[f"{arch}.block_count"].contents()),
        "model_dir": "model",
        "params": sum(p.numel() for p in model.parameters()),
    }
    write_json(ctx.out / "base.json", info)
    ctx.add_artifact("base", "base", "model/model.safetensors", base_sha256=info["gguf_sha256"],
                     gguf=info["gguf"], arch=arch)
    return {"params": info["params"], "n_layer": info["n_layer"], "gguf_sha256": info["gguf_sha256"]}


def main(config: Config):
    return execute("base", config, _body, inputs=[base_gguf_path(config)])
