"""Open a llama.cpp model (``llama_cpp.Llama``) with control over its extra weight buffers.

llama.cpp repacks weights into "extra" CPU buffer types when the CPU supports them (AMX on Intel
Sapphire Rapids and newer, the AARCH64/x86 repack buffers elsewhere). On this project's CI machines
(Xeon with amx_tile/amx_int8/amx_bf16), llama-cpp-python 0.3.36 built from source with the default
native flags puts the Q4_1 SmolLM2 weights in the AMX buffer and then **segfaults in the first
``llama_decode``** (measured Dec 2026: a plain ``Llama(...)("Hello", max_tokens=8)`` crashes; the same
call with ``use_extra_bufts=False`` answers). ``Llama()`` has no argument for this, so the model
parameters are adjusted while the model loads: ``llama_model_default_params`` is wrapped for the
duration of the constructor, under a lock, so no other load in the process sees the change.

``MODROUTE_EXTRA_BUFFERS=true`` turns the repacked buffers back on (for CPUs where they work).
"""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.Lock()


def open_llama(model_path: str, *, extra_buffers: bool = False, **kwargs: Any):
    """``llama_cpp.Llama(model_path=..., **kwargs)``, with llama.cpp's extra buffer types off unless asked."""
    import llama_cpp
    import llama_cpp.llama_cpp as lib

    if extra_buffers:
        return llama_cpp.Llama(model_path=model_path, **kwargs)
    with _LOCK:
        original = lib.llama_model_default_params

        def without_extra_buffers():
            params = original()
            if hasattr(params, "use_extra_bufts"):
                params.use_extra_bufts = False
            return params

        lib.llama_model_default_params = without_extra_buffers
        try:
            return llama_cpp.Llama(model_path=model_path, **kwargs)
        finally:
            lib.llama_model_default_params = original
