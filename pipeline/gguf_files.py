"""GGUF file surgery and llama.cpp quantization for full-model export.

``graft_tokenizer``: ``convert_hf_to_gguf.py`` rebuilds the vocabulary from the HF tokenizer files. The
tokenizer that transformers reconstructs from a GGUF (the ``base`` phase's) is a byte-level BPE marked
``byte_fallback`` with a ``Sequence`` decoder, which the converter takes for a Llama/SentencePiece
vocabulary (``tokenizer.ggml.model = llama``, pre ``default``); llama.cpp then aborts
(``unordered_map::at``) on the first ``tokenize``. The served base GGUF has the right block
(``gpt2``/``smollm``, eos 2), so it is copied over: same token list, same ids, so the weights still fit.

``quantize``: ``llama_model_quantize`` with ``llama_model_quantize_default_params()``; what llama.cpp
actually chose per tensor (k-quants fall back where a row is not a multiple of 256) is read back
from the output.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

TOKENIZER_PREFIX = "tokenizer."


def _copy_field(writer, fld) -> None:
    import gguf

    val_type = fld.types[0]
    sub_type = fld.types[-1] if val_type == gguf.GGUFValueType.ARRAY else None
    writer.add_key_value(fld.name, fld.contents(), val_type, sub_type=sub_type)


def tokenizer_fields(path: Path) -> dict[str, Any]:
    """The scalar tokenizer keys of a GGUF (not the token lists), for reports."""
    from gguf import GGUFReader

    r = GGUFReader(str(path))
    return {k: f.contents() for k, f in r.fields.items() if k.startswith(TOKENIZER_PREFIX)
            and k not in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type",
                          "tokenizer.ggml.scores", "tokenizer.chat_template")}


def token_count(path: Path) -> int:
    from gguf import GGUFReader

    f = GGUFReader(str(path)).fields.get("tokenizer.ggml.tokens")
    return len(f.data) if f is not None else 0


def graft_tokenizer(src: Path, template: Path, out: Path) -> Path:
    """``src`` with every ``tokenizer.*`` key replaced by ``template``'s; tensors copied byte for byte."""
    import gguf

    reader = gguf.GGUFReader(str(src))
    tmpl = gguf.GGUFReader(str(template))
    n_src = len(reader.fields["tokenizer.ggml.tokens"].data) if "tokenizer.ggml.tokens" in reader.fields else None
    n_tmpl = len(tmpl.fields["tokenizer.ggml.tokens"].data)
    if n_src is not None and n_src != n_tmpl:
        raise ValueError(f"cannot take the tokenizer of {template.name}: {n_tmpl} tokens, the model has {n_src}")
    arch = reader.fields["general.architecture"].contents()
    w = gguf.GGUFWriter(str(out), arch, endianess=reader.endianess)
    for fld in reader.fields.values():
        if fld.name == gguf.Keys.General.ARCHITECTURE or fld.name.startswith("GGUF.") or \
                fld.name.startswith(TOKENIZER_PREFIX):
            continue
        _copy_field(w, fld)
    for fld in tmpl.fields.values():
        if fld.name.startswith(TOKENIZER_PREFIX):
            _copy_field(w, fld)
    for t in reader.tensors:
        w.add_tensor_info(t.name, t.data.shape, t.data.dtype, t.data.nbytes, t.tensor_type)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    for t in reader.tensors:
        w.write_tensor_data(t.data, tensor_endianess=reader.endianess)
    w.close()
    return out


def tensor_types(path: Path) -> dict[str, Any]:
    """What a GGUF holds: bytes and tensor count per type, and which matrices got which type."""
    from gguf import GGUFReader

    r = GGUFReader(str(path))
    count: Counter = Counter()
    nbytes: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    for t in r.tensors:
        ty = t.tensor_type.name
        count[ty] += 1
        nbytes[ty] += int(t.n_bytes)
        kind = t.name.split(".")[-2] if t.name.startswith("blk.") else t.name.removesuffix(".weight")
        by_kind.setdefault(kind, Counter())[ty] += 1
    return {"tensors": dict(count), "type_bytes": dict(nbytes),
            "by_tensor": {k: dict(v) for k, v in sorted(by_kind.items())},
            "row_widths": sorted({int(t.shape[0]) for t in r.tensors if len(t.shape) >= 2})}


def quantize(src: Path, out: Path, qtype: str, threads: int = 1) -> Path:
    """``llama_model_quantize`` ``src`` (f16/f32 GGUF) to ``qtype`` (Q5_K_M, Q4_K_M, Q8_0, Q4_1, ...)."""
    import llama_cpp

    ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{qtype.upper()}", None)
    if ftype is None:
        known = sorted(k.removeprefix("LLAMA_FTYPE_MOSTLY_") for k in dir(llama_cpp)
                       if k.startswith("LLAMA_FTYPE_MOSTLY_"))
        raise ValueError(f"unknown quantization type {qtype!r}; llama.cpp knows {', '.join(known)}")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = max(1, threads)
    rc = llama_cpp.llama_model_quantize(str(src).encode(), str(out).encode(), params)
    if rc != 0 or not out.is_file():
        raise RuntimeError(f"llama_model_quantize {src.name} -> {qtype} failed (rc={rc})")
    return out
