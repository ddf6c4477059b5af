"""Write LoRA adapters in llama.cpp's GGUF adapter format with the ``gguf`` package.

Layout (as llama.cpp's ``convert_lora_to_gguf.py`` writes it): keys
``general.type=adapter``, ``adapter.type=lora``, ``adapter.lora.alpha``; tensors
``blk.N.<name>.weight.lora_a`` with numpy shape (r, n_in) and ``.lora_b`` with
shape (n_out, r) — the same layout as peft's ``lora_A``/``lora_B`` weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DEFAULT_TARGETS = ("attn_q", "attn_v", "ffn_up", "ffn_down")


def write_lora_gguf(path: str | Path, tensors: dict[str, tuple[np.ndarray, np.ndarray]], *, alpha: float,
                    arch: str = "llama", name: str = "modroute-lora", dtype: str = "f32") -> Path:
    """A llama.cpp LoRA adapter (same keys as convert_lora_to_gguf.py), tensors in f32 or f16.

    ``tensors`` maps a base weight name (``blk.0.attn_q.weight``) to (lora_a, lora_b)."""
    import gguf

    np_dtype = {"f16": np.float16, "f32": np.float32}[dtype]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    w = gguf.GGUFWriter(str(path), arch)
    w.add_string("general.type", "adapter")
    w.add_string("general.name", name)
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", float(alpha))
    for base_name, (a, b) in sorted(tensors.items()):
        if a.shape[0] != b.shape[1]:
            raise ValueError(f"{base_name}: rank mismatch a={a.shape} b={b.shape}")
        w.add_tensor(f"{base_name}.lora_a", np.ascontiguousarray(a, dtype=np_dtype))
        w.add_tensor(f"{base_name}.lora_b", np.ascontiguousarray(b, dtype=np_dtype))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def random_lora_for_base(base_gguf: str | Path, path: str | Path, *, rank: int = 8, alpha: float = 16.0,
                         strength: float = 0.05, seed: int = 0,
                         targets: tuple[str, ...] = DEFAULT_TARGETS) -> Path:
    """A random adapter that fits ``base_gguf`` (for benchmarks and tests: it changes outputs)."""
    from gguf import GGUFReader

    reader = GGUFReader(str(base_gguf))
    arch_field = reader.fields["general.architecture"]
    arch = bytes(arch_field.parts[arch_field.data[0]]).decode()
    rng = np.random.default_rng(seed)
    tensors = {}
    for t in reader.tensors:
        parts = t.name.split(".")
        if len(parts) == 4 and parts[0] == "blk" and parts[2] in targets and parts[3] == "weight":
            n_in, n_out = int(t.shape[0]), int(t.shape[1])
            a = rng.normal(0, 1 / np.sqrt(n_in), size=(rank, n_in))
            b = rng.normal(0, strength, size=(n_out, rank))
            tensors[t.name] = (a, b)
    if not tensors:
        raise ValueError(f"no target tensors {targets} in {base_gguf}")
    return write_lora_gguf(path, tensors, alpha=alpha, arch=arch, name=f"random-r{rank}-s{seed}")
