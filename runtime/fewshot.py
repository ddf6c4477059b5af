"""Few-shot retrieval: worked examples nearest to the question, prepended to the prompt.

A 135M model follows a demonstrated format far better than an instruction; the nearest solved examples
of the project's own datasets show it both the format and the steps. The bank is an artifact (kind
``example-bank``, DESIGN.md "Artifacts"): a safetensors file with the L2-normalised MiniLM embeddings of
each example's instruction (``embeddings``, float16 or float32, one row per example) and a JSON file with
the examples, both checksummed in the manifest. The safetensors metadata carries the SHA-256 of the
example ids in row order, so an embedding file paired with another bank's JSON is refused.

``novelty(query) = 1 - max cosine similarity to the bank``: 0 for a question the bank already holds, ~1
for one unlike anything in it. (Not the distance to the k-th neighbour: with a few near-copies per
template that only measures how many copies there are.) The bank's build records the distribution of
leave-one-out novelty over its own examples; ``should_retrieve`` defaults to that distribution's 90th
percentile, i.e. "farther from the bank than 90% of the bank is from itself".
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from runtime.artifacts import ArtifactEntry, ArtifactError, materialize, read_manifest, sha256_file

KIND = "example-bank"
FORMAT_VERSION = 1
EMBEDDER_NAME = "all-MiniLM-L6-v2"
DEFAULT_THRESHOLD = 0.5  # when a bank records no novelty quantiles


class EmbedderLike(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class Example:
    id: str
    domain: str
    instruction: str
    response: str
    source: str = ""
    score: float = 0.0  # cosine similarity to the query when returned by ``nearest``

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("score")
        return d


def ids_digest(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


class ExampleBank:
    def __init__(self, examples: list[Example], embeddings: np.ndarray, embedder: EmbedderLike,
                 info: dict[str, Any] | None = None):
        emb = np.ascontiguousarray(embeddings, dtype=np.float32)
        if emb.ndim != 2 or emb.shape[0] != len(examples):
            raise ArtifactError(f"example bank: {emb.shape} embeddings for {len(examples)} examples")
        self.examples = examples
        self.embeddings = emb
        self.embedder = embedder
        self.info = dict(info or {})
        self._domains = np.array([e.domain for e in examples])

    def __len__(self) -> int:
        return len(self.examples)

    @property
    def domains(self) -> dict[str, int]:
        names, counts = np.unique(self._domains, return_counts=True)
        return {str(n): int(c) for n, c in zip(names, counts, strict=True)}

    @property
    def default_threshold(self) -> float:
        q = (self.info.get("novelty") or {}).get("p90")
        return float(q) if q is not None else DEFAULT_THRESHOLD

    # -- loading -----------------------------------------------------------------------------------
    @classmethod
    def load(cls, manifest_path: str | Path, cache_dir: str | Path, embedder: EmbedderLike,
             name: str | None = None) -> ExampleBank:
        """The bank listed in ``manifest_path`` (the first ``example-bank`` entry, or ``name``).

        Both files are verified (size, SHA-256) before use; a missing, corrupt or mismatched bank
        raises :class:`ArtifactError` with the reason, so the caller can serve without few-shot.
        """
        manifest = read_manifest(manifest_path)
        entries = [a for a in manifest.of_kind(KIND) if name is None or a.name == name]
        if not entries:
            raise ArtifactError(f"no {KIND} artifact{f' named {name!r}' if name else ''} in {manifest_path}")
        entry = entries[0]
        emb_path = materialize(entry, manifest.root, Path(cache_dir))
        ex_file, ex_sha = entry.extra.get("examples_file"), entry.extra.get("examples_sha256")
        if not ex_file or not ex_sha:
            raise ArtifactError(f"{entry.name}: manifest entry lacks examples_file/examples_sha256")
        ex_entry = ArtifactEntry(name=f"{entry.name}/examples", kind=KIND, file=ex_file, sha256=ex_sha,
                                 size=entry.extra.get("examples_size"))
        ex_path = materialize(ex_entry, manifest.root, Path(cache_dir))
        return cls.from_files(emb_path, ex_path, embedder, name=entry.name)

    @classmethod
    def from_files(cls, embeddings_path: Path, examples_path: Path, embedder: EmbedderLike,
                   name: str = "example_bank") -> ExampleBank:
        from safetensors import SafetensorError, safe_open

        try:
            doc = json.loads(Path(examples_path).read_text(encoding="utf-8"))
            examples = [Example(**{k: str(v) for k, v in e.items() if k in Example.__dataclass_fields__})
                        for e in doc["examples"]]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ArtifactError(f"{name}: cannot read examples {examples_path}: {e}") from e
        if doc.get("format") != FORMAT_VERSION:
            raise ArtifactError(f"{name}: examples format {doc.get('format')!r}, expected {FORMAT_VERSION}")
        try:
            with safe_open(str(embeddings_path), framework="numpy") as f:
                meta = f.metadata() or {}
                emb = f.get_tensor("embeddings")
        except (OSError, SafetensorError, KeyError, ValueError) as e:
            raise ArtifactError(f"{name}: cannot read embeddings {embeddings_path}: {e}") from e
        if meta.get("embedder") != EMBEDDER_NAME or meta.get("embedder") != doc.get("embedder"):
            raise ArtifactError(f"{name}: embeddings from {meta.get('embedder')!r}, examples say "
                                f"{doc.get('embedder')!r}; this runtime embeds with {EMBEDDER_NAME}")
        if meta.get("ids_sha256") != ids_digest([e.id for e in examples]):
            raise ArtifactError(f"{name}: embeddings and examples do not belong together (ids digest differs)")
        emb = emb.astype(np.float32)
        if emb.shape != (len(examples), int(meta.get("dim", emb.shape[-1]))) or not np.isfinite(emb).all():
            raise ArtifactError(f"{name}: embeddings shape {emb.shape} / non-finite values")
        norms = np.linalg.norm(emb, axis=1)
        if len(norms) and np.abs(norms - 1).max() > 0.01:
            raise ArtifactError(f"{name}: embeddings are not unit vectors (max |norm - 1| = "
                                f"{np.abs(norms - 1).max():.3f})")
        return cls(examples, emb, embedder, info={k: v for k, v in doc.items() if k != "examples"})

    # -- queries -----------------------------------------------------------------------------------
    def _query_vec(self, query: str) -> np.ndarray:
        return np.asarray(self.embedder.embed([query])[0], dtype=np.float32)

    def similarities(self, query: str) -> np.ndarray:
        """Cosine similarity of ``query`` to every example (rows are unit vectors)."""
        return self.embeddings @ self._query_vec(query)

    def nearest(self, query: str, k: int = 3, domain: str | None = None) -> list[Example]:
        """The ``k`` most similar examples (of ``domain`` when given), most similar first, ``score`` set."""
        if k <= 0 or not self.examples:
            return []
        return self._top(self.similarities(query), k, domain)

    def _top(self, sims: np.ndarray, k: int, domain: str | None) -> list[Example]:
        if domain is not None:
            sims = np.where(self._domains == domain, sims, -np.inf)
        k = min(k, int(np.isfinite(sims).sum()))
        if k == 0:
            return []
        idx = np.argpartition(-sims, k - 1)[:k]
        idx = idx[np.argsort(-sims[idx], kind="stable")]
        out = []
        for i in idx:
            e = self.examples[int(i)]
            out.append(Example(e.id, e.domain, e.instruction, e.response, e.source, float(sims[i])))
        return out

    def novelty(self, query: str) -> float:
        """``1 - max cosine similarity`` to the bank, in [0, 2] (in practice 0-1 for MiniLM)."""
        if not self.examples:
            return 1.0
        return float(1.0 - self.similarities(query).max())

    def should_retrieve(self, query: str, threshold: float | None = None) -> bool:
        """True when ``query`` is at least ``threshold`` novel (default: the bank's own p90 novelty)."""
        return self.novelty(query) >= (self.default_threshold if threshold is None else threshold)

    def lookup(self, query: str, k: int = 3, domain: str | None = None) -> tuple[list[Example], float, float]:
        """(nearest k, novelty, milliseconds) with one embedding of the query: what the chat service logs
        as ``tools["fewshot"]``."""
        t0 = time.perf_counter()
        sims = self.similarities(query)
        novelty = float(1.0 - sims.max()) if len(sims) else 1.0
        examples = self._top(sims, k, domain) if k > 0 and len(sims) else []
        return examples, novelty, (time.perf_counter() - t0) * 1000


def format_examples(examples: Sequence[Example]) -> list[dict[str, str]]:
    """Chat messages to put before the user's question: one user/assistant pair per example."""
    out: list[dict[str, str]] = []
    for e in examples:
        out.append({"role": "user", "content": e.instruction})
        out.append({"role": "assistant", "content": e.response})
    return out


# -- writing (used by the pipeline's example_bank phase and by tests) -----------------------------------
def write_bank(out_dir: str | Path, examples: Sequence[Example], embeddings: np.ndarray, *, name: str = "example_bank",
               dtype: str = "float16", info: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``<name>.safetensors`` + ``<name>.json`` into ``out_dir``; return the manifest entry (dict)."""
    from safetensors.numpy import save_file

    if dtype not in ("float16", "float32"):
        raise ValueError("dtype must be float16 or float32")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    emb = np.ascontiguousarray(embeddings, dtype=np.float32)
    if emb.shape[0] != len(examples):
        raise ValueError(f"{emb.shape[0]} embeddings for {len(examples)} examples")
    ids = [e.id for e in examples]
    if len(set(ids)) != len(ids):
        raise ValueError("example ids must be unique")
    doc = {"format": FORMAT_VERSION, "embedder": EMBEDDER_NAME, "dim": int(emb.shape[1]), "dtype": dtype,
           **(info or {}), "examples": [e.to_dict() for e in examples]}
    ex_path = out / f"{name}.json"
    tmp = ex_path.with_name(f".{ex_path.name}.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    tmp.replace(ex_path)
    st_path = out / f"{name}.safetensors"
    tmp = st_path.with_name(f".{st_path.name}.tmp")
    save_file({"embeddings": emb.astype(np.float16 if dtype == "float16" else np.float32)}, str(tmp),
              metadata={"embedder": EMBEDDER_NAME, "dim": str(emb.shape[1]), "ids_sha256": ids_digest(ids),
                        "count": str(len(ids))})
    tmp.replace(st_path)
    return {"name": name, "kind": KIND, "file": st_path.name, "sha256": sha256_file(st_path),
            "size": st_path.stat().st_size, "examples_file": ex_path.name, "examples_sha256": sha256_file(ex_path),
            "examples_size": ex_path.stat().st_size}


def leave_one_out_novelty(embeddings: np.ndarray, chunk: int = 512) -> np.ndarray:
    """Each example's novelty with respect to the rest of the bank (1 - its nearest other example)."""
    emb = np.asarray(embeddings, dtype=np.float32)
    out = np.empty(len(emb), dtype=np.float32)
    for s in range(0, len(emb), chunk):
        sims = emb[s:s + chunk] @ emb.T
        for i in range(sims.shape[0]):
            sims[i, s + i] = -np.inf
        out[s:s + chunk] = 1.0 - sims.max(axis=1)
    return out
