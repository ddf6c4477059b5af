"""Shared backbone + heads vs independent modifiers, side by side: bytes, swap times, score per domain.

- bytes: the GGUF files as exported and as stored (zstd level 19, what ``publish`` ships);
- load ms: ``llama_adapter_lora_init`` of each adapter in the form the runtime serves it (Q8_0, rank
  padded; ``runtime.lora_serving``), median of ``repeats``; for the shared layout the backbone loads once,
  and a head's own load is what a new domain costs;
- switch: time to the first token of a short prompt right after switching to the modifier (the engine
  sets the adapters, then prefills), median over rounds through every domain; and greedy decode speed
  with the modifier active (a head decodes with two adapters, an independent modifier with one);
- score: the shared head's held-out score against the independent modifier's (the manifest's metrics,
  measured on the same items by ``evaluate``); a domain meets the rule when
  ``shared >= independent * (1 - tolerance)``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

PROMPT = "Explain in one sentence what you can help with."


def _served(path: Path, cache: Path) -> Path:
    from runtime.lora_serving import serving_copy

    return serving_copy(path, cache / "modifiers-served", "q8_0")[0]


def _independent_files(modifiers_manifest: str, names: list[str], cache: Path) -> dict[str, Path]:
    from runtime.artifacts import materialize, read_manifest

    m = read_manifest(modifiers_manifest)
    return {e.name: materialize(e, m.root, cache / "modifiers") for e in m.of_kind("modifier") if e.name in names}


def _load_ms(model_ptr, path: Path, repeats: int) -> float:
    import llama_cpp

    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        h = llama_cpp.llama_adapter_lora_init(model_ptr, str(path).encode())
        times.append((time.perf_counter() - t0) * 1000)
        if not h:
            raise RuntimeError(f"llama.cpp refused {path}")
        llama_cpp.llama_adapter_lora_free(h)
    return round(statistics.median(times), 2)


def _switch(base_gguf: Path, manifest: Path, names: list[str], cache: Path, repeats: int) -> dict[str, Any]:
    """Rounds through every modifier: first token right after a switch, and greedy decode speed."""
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    settings = Settings(data_dir=cache, n_threads=2, n_ctx=1024, manifest=str(manifest))
    first, swap, speed = [], [], []
    msgs = [{"role": "user", "content": PROMPT}]
    with Engine(settings, model_path=base_gguf, manifest=manifest) as eng:
        eng.complete(ChatRequest(messages=msgs, max_tokens=1))  # warm-up
        for r in range(repeats):
            for name in names:
                t0 = time.perf_counter()
                c = eng.complete(ChatRequest(messages=msgs, max_tokens=1, modifier=name, track_confidence=False))
                first.append((time.perf_counter() - t0) * 1000)
                swap.append(c.timings.get("swap_ms", 0.0))
                if r == 0:
                    c = eng.complete(ChatRequest(messages=msgs, max_tokens=32, modifier=name,
                                                 track_confidence=False))
                    speed.append(c.timings.get("tokens_per_s", 0.0))
    return {"first_token_ms": round(statistics.median(first), 1),
            "first_token_ms_p90": round(sorted(first)[int(0.9 * (len(first) - 1))], 1),
            "swap_ms": round(statistics.median(swap), 3), "decode_tok_s": round(statistics.median(speed), 1),
            "n": len(first)}


def swap_timings(base, serve_manifest: Path, modifiers_manifest: str, names: list[str], cache: Path,
                 repeats: int = 5) -> dict[str, Any]:
    """Load and switch times of both layouts, on the same base and machine, one after the other."""
    import llama_cpp

    from runtime.artifacts import read_manifest

    cache = Path(cache)
    shared = read_manifest(serve_manifest)
    shared_files = {e.name: shared.root / e.file for e in shared.artifacts}
    indep_files = _independent_files(modifiers_manifest, names, cache)
    llama_cpp.llama_backend_init()
    params = llama_cpp.llama_model_default_params()
    model = llama_cpp.llama_model_load_from_file(str(base.gguf).encode(), params)
    try:
        load_shared = {n: _load_ms(model, _served(p, cache), repeats) for n, p in shared_files.items()}
        load_indep = {n: _load_ms(model, _served(p, cache), repeats) for n, p in indep_files.items()}
    finally:
        llama_cpp.llama_model_free(model)
    backbone = [e.name for e in shared.artifacts if e.kind == "backbone"]
    heads = [n for n in names if n in load_shared]
    out = {
        "load_ms": {"shared_backbone": {n: load_shared[n] for n in backbone}, "shared_heads": {
            n: load_shared[n] for n in heads}, "independent": load_indep},
        "shared_switch": _switch(base.gguf, serve_manifest, heads, cache, repeats),
    }
    if indep_files:
        out["independent_switch"] = _switch(base.gguf, Path(modifiers_manifest), list(indep_files), cache, repeats)
    return out


def _zstd_size(path: Path) -> int:
    import zstandard

    return len(zstandard.ZstdCompressor(level=19).compress(path.read_bytes()))


def compare(shared_eval: dict[str, dict], serve_manifest: Path, modifiers_manifest: str, names: list[str],
            swap: dict[str, Any], cache: Path, tolerance: float = 0.01) -> dict[str, Any]:
    from runtime.artifacts import materialize, read_manifest

    shared = read_manifest(serve_manifest)
    indep = read_manifest(modifiers_manifest) if Path(modifiers_manifest).is_file() else None
    by_name = {e.name: e for e in (indep.of_kind("modifier") if indep else [])}
    rows = []
    for name in names:
        s = shared_eval.get(name) or {}
        e = by_name.get(name)
        m = (e.metrics if e else {}) or {}
        ind, sh = m.get("modifier"), s.get("score")
        same_items = bool(e) and m.get("n") == s.get("n")
        meets = None if ind is None or sh is None else bool(sh >= ind * (1 - tolerance) - 1e-12)
        rows.append({"domain": name, "n": s.get("n"), "base": m.get("base"), "independent": ind, "shared": sh,
                     "diff": None if ind is None or sh is None else round(sh - ind, 4),
                     "same_items": same_items, "meets_rule": meets,
                     "load_ms_independent": swap.get("load_ms", {}).get("independent", {}).get(name),
                     "load_ms_head": swap.get("load_ms", {}).get("shared_heads", {}).get(name)})
    shared_bytes = {e.name: (shared.root / e.file).stat().st_size for e in shared.artifacts}
    shared_zst = {e.name: _zstd_size(shared.root / e.file) for e in shared.artifacts}
    indep_bytes, indep_zst = {}, {}
    if indep:
        for name, e in by_name.items():  # decompressed once already, by swap_timings (same cache)
            if name in names:
                indep_bytes[name] = materialize(e, indep.root, Path(cache) / "modifiers").stat().st_size
                indep_zst[name] = (indep.root / e.file).stat().st_size
    return {
        "rows": rows, "tolerance": tolerance,
        "meets": [r["domain"] for r in rows if r["meets_rule"]],
        "misses": [r["domain"] for r in rows if r["meets_rule"] is False],
        "bytes": {"shared_gguf": sum(shared_bytes.values()), "shared_zstd": sum(shared_zst.values()),
                  "independent_gguf": sum(indep_bytes.values()), "independent_zstd": sum(indep_zst.values()),
                  "shared_files": shared_bytes, "independent_files": indep_bytes},
    }
