"""The form a LoRA adapter is served in: Q8_0 tensors, rank padded to a multiple of 32.

Why (measured Dec 2026, llama-cpp-python 0.3.36, CPU): with f32 (or f16) adapter tensors, llama.cpp's
float matrix kernels give a sequence slightly different logits in a one-row and a multi-row ubatch
(up to 0.57 apart here), and greedy modifier answers changed between a stream alone and the same
stream batched with others. The base weights (Q4_1) do not have that problem: quantized dot products
are integer sums, exact at any batch size. Served as Q8_0, an adapter's matrices take the same
integer path: 16 of 16 greedy answers under two modifiers were identical alone and batched (f32,
batched: 14-15 of 16), so the batcher can decode a modifier's streams together.

Q8_0 stores blocks of 32 values along a tensor's first dimension; ``lora_b``'s first dimension is the
rank (8 for our modifiers), so the rank is padded with zero rows of A and zero columns of B — B·A is
unchanged. llama.cpp scales an adapter by ``alpha / rank`` with the rank read from the tensors, so
``alpha`` is multiplied by ``padded / rank`` to keep the scale. What changes is the Q8_0 rounding of
A and B (``quantization_error`` reports it; a test bounds it).

The copy is made once per adapter file (its name carries the source's SHA-256 prefix) in the
registry's cache directory, written to a temporary file and renamed, so a crash never leaves a
half-written adapter behind.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

from runtime.artifacts import ArtifactError, sha256_cached

BLOCK = 32
log = logging.getLogger("modroute.modifiers")


class NotQuantizable(ArtifactError):
    """An adapter whose shapes Q8_0 cannot hold (widths not multiples of 32): it is served as it is."""
SERVE_TYPES = ("q8_0", "as-is")
_COPIED_KEYS = ("general.type", "general.name", "adapter.type")


def _field_str(reader, key: str) -> str | None:
    f = reader.fields.get(key)
    if f is None:
        return None
    return bytes(f.parts[f.data[0]]).decode("utf-8", "replace")


def _field_float(reader, key: str) -> float | None:
    f = reader.fields.get(key)
    if f is None:
        return None
    return float(f.parts[f.data[0]][0])


def read_pairs(path: Path) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict]:
    """An adapter's (lora_a, lora_b) pairs as float32 (numpy shapes (r, n_in) and (n_out, r)) and its keys."""
    from gguf import GGUFReader
    from gguf.quants import dequantize

    try:
        reader = GGUFReader(str(path))
    except (ValueError, OSError, IndexError) as e:
        raise ArtifactError(f"not a readable GGUF adapter: {e}") from e
    mats: dict[str, np.ndarray] = {}
    types: set[str] = set()
    for t in reader.tensors:
        types.add(t.tensor_type.name)
        shape = [int(x) for x in reversed(t.shape)]
        mats[t.name] = np.asarray(dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(shape)
    pairs = {}
    for name in mats:
        if name.endswith(".lora_a"):
            base = name[: -len(".lora_a")]
            b = mats.get(base + ".lora_b")
            if b is None:
                raise ArtifactError(f"{base}: lora_a without lora_b")
            pairs[base] = (mats[name], b)
    if not pairs:
        raise ArtifactError("no LoRA tensors (lora_a / lora_b) in the adapter")
    keys = {k: _field_str(reader, k) for k in _COPIED_KEYS}
    keys["general.architecture"] = _field_str(reader, "general.architecture") or "llama"
    keys["adapter.lora.alpha"] = _field_float(reader, "adapter.lora.alpha")
    keys["tensor_types"] = sorted(types)
    return pairs, keys


def is_served_form(path: Path) -> bool:
    from gguf import GGUFReader

    reader = GGUFReader(str(path))
    for t in reader.tensors:
        if t.tensor_type.name != "Q8_0" or int(t.shape[0]) % BLOCK:
            return False
    return True


def _padded(r: int) -> int:
    return -(-r // BLOCK) * BLOCK


def write_q8_0(src: Path, dst: Path) -> dict:
    """Write ``src``'s adapter to ``dst`` as Q8_0 with the rank padded; returns what was done."""
    pairs, keys = read_pairs(src)
    return write_pairs_q8_0(pairs, keys, dst)


def write_pairs_q8_0(pairs: dict[str, tuple[np.ndarray, np.ndarray]], keys: dict, dst: Path) -> dict:
    """(lora_a, lora_b) pairs (numpy shapes (r, n_in), (n_out, r)) as a Q8_0 adapter GGUF, rank padded to
    a multiple of 32 and alpha rescaled; ``keys`` as :func:`read_pairs` returns them. Atomic (temp + rename)."""
    from gguf import GGMLQuantizationType, GGUFWriter
    from gguf.quants import quantize

    ranks = {a.shape[0] for a, _ in pairs.values()}
    for base, (a, b) in pairs.items():
        if a.shape[0] != b.shape[1]:
            raise ArtifactError(f"{base}: rank mismatch a={a.shape} b={b.shape}")
        if a.shape[1] % BLOCK or b.shape[0] % BLOCK:
            raise NotQuantizable(f"{base}: widths {a.shape[1]} x {b.shape[0]} are not multiples of {BLOCK}")
    if len(ranks) != 1:
        raise NotQuantizable(f"adapter tensors have different ranks {sorted(ranks)}")
    rank = ranks.pop()
    padded = _padded(rank)
    alpha = keys.get("adapter.lora.alpha")
    tmp = dst.with_name(dst.name + f".tmp{os.getpid()}-{threading.get_ident()}")
    w = GGUFWriter(str(tmp), keys.get("general.architecture") or "llama")
    for k in _COPIED_KEYS:
        if keys.get(k) is not None:
            w.add_string(k, keys[k])
    if alpha:
        w.add_float32("adapter.lora.alpha", float(alpha) * padded / rank)
    err = 0.0
    q8 = GGMLQuantizationType.Q8_0
    for base, (a, b) in sorted(pairs.items()):
        a_p = np.zeros((padded, a.shape[1]), np.float32)
        a_p[:rank] = a
        b_p = np.zeros((b.shape[0], padded), np.float32)
        b_p[:, :rank] = b
        qa, qb = quantize(a_p, q8), quantize(b_p, q8)
        w.add_tensor(base + ".lora_a", qa, raw_dtype=q8)
        w.add_tensor(base + ".lora_b", qb, raw_dtype=q8)
        err = max(err, quantization_error(a, b, qa, qb, rank))
    try:
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return {"rank": rank, "padded_rank": padded, "tensors": 2 * len(pairs),
            "source_types": keys.get("tensor_types", []), "max_rel_error": err}


def quantization_error(a: np.ndarray, b: np.ndarray, qa: np.ndarray, qb: np.ndarray, rank: int) -> float:
    """Largest relative error of the delta B·A after Q8_0 rounding (Frobenius norm)."""
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize

    q8 = GGMLQuantizationType.Q8_0
    da = dequantize(qa, q8)[:rank]
    db = dequantize(qb, q8)[:, :rank]
    exact = b.astype(np.float64) @ a.astype(np.float64)
    approx = db.astype(np.float64) @ da.astype(np.float64)
    norm = float(np.linalg.norm(exact))
    return float(np.linalg.norm(approx - exact) / norm) if norm else 0.0


def serving_copy(path: Path, cache_dir: Path, serve_type: str = "q8_0") -> tuple[Path, bool]:
    """The file to load for ``path`` and whether its streams may share a decode call (batchable).

    ``serve_type`` "as-is" loads the adapter unchanged (then only Q8_0 adapters are batchable)."""
    if serve_type not in SERVE_TYPES:
        raise ArtifactError(f"unknown adapter serving type {serve_type!r} (one of {', '.join(SERVE_TYPES)})")
    try:
        served = is_served_form(path)
    except (ValueError, OSError, IndexError) as e:
        raise ArtifactError(f"not a readable GGUF adapter: {e}") from e
    if served or serve_type == "as-is":
        return path, served
    cache_dir.mkdir(parents=True, exist_ok=True)
    dst = cache_dir / f"{sha256_cached(path)[:24]}-{path.stem}.q8_0.gguf"
    if not dst.exists():
        try:
            write_q8_0(path, dst)
        except NotQuantizable as e:
            log.warning("%s: served as it is (%s); its streams are decoded one per call", path.name, e)
            return path, False
    return dst, True
