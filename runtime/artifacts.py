"""Artifact manifests: read, verify (SHA-256), and materialise (zstd) files.

A manifest is ``{"artifacts": [ {...}, ... ]}`` (see DESIGN.md "Artifacts").
Files may be stored zstd-compressed, optionally with a trained dictionary; they
are decompressed eagerly into a cache directory and verified before use.
Nothing here unpickles anything.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("modroute.artifacts")

KINDS = ("base", "modifier", "backbone", "router", "detector", "example-bank", "critic")


class ArtifactError(Exception):
    """An artifact that must not be used: missing, corrupt, mismatched."""


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


_BASE_SHA_CACHE: dict[tuple[str, int, int], str] = {}


def sha256_cached(path: str | os.PathLike) -> str:
    """SHA-256 of a large, rarely changing file (the base model), memoised by path/size/mtime."""
    st = os.stat(path)
    key = (str(Path(path).resolve()), st.st_size, st.st_mtime_ns)
    if key not in _BASE_SHA_CACHE:
        _BASE_SHA_CACHE[key] = sha256_file(path)
    return _BASE_SHA_CACHE[key]


@dataclass
class ArtifactEntry:
    name: str
    kind: str
    file: str
    sha256: str
    domain: str = ""
    size: int | None = None
    base_sha256: str = ""
    version: str = ""
    created: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    # Optional: zstd dictionary (relative path) and the SHA-256 of the decompressed content.
    dictionary: str = ""
    dictionary_sha256: str = ""
    content_sha256: str = ""
    scale: float | None = None
    # A modifier that is a head on a shared backbone names the backbone entry (kind "backbone"): the two
    # adapters are applied together, each at its own scale.
    backbone: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ArtifactEntry:
        if not isinstance(d, dict):
            raise ArtifactError(f"manifest entry is not an object: {d!r}")
        missing = [k for k in ("name", "kind", "file", "sha256") if not d.get(k)]
        if missing:
            raise ArtifactError(f"manifest entry {d.get('name', '?')!r} lacks {', '.join(missing)}")
        if d["kind"] not in KINDS:
            raise ArtifactError(f"manifest entry {d['name']!r} has unknown kind {d['kind']!r}")
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        kwargs = {k: v for k, v in d.items() if k in known}
        kwargs["extra"] = {k: v for k, v in d.items() if k not in known}
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "extra"}
        d = {k: v for k, v in d.items() if v not in ("", None, {})}
        d.update(self.extra)
        return d


@dataclass
class Manifest:
    path: Path
    artifacts: list[ArtifactEntry]

    @property
    def root(self) -> Path:
        return self.path.parent

    def of_kind(self, kind: str) -> list[ArtifactEntry]:
        return [a for a in self.artifacts if a.kind == kind]


def read_manifest(path: str | os.PathLike) -> Manifest:
    """Parse a manifest. Malformed entries raise; a missing file is an empty manifest."""
    p = Path(path)
    if not p.exists():
        return Manifest(p, [])
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ArtifactError(f"cannot read manifest {p}: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("artifacts"), list):
        raise ArtifactError(f"manifest {p} must be an object with an 'artifacts' list")
    entries: list[ArtifactEntry] = []
    for raw in data["artifacts"]:
        try:
            entries.append(ArtifactEntry.from_dict(raw))
        except ArtifactError as e:
            # One bad entry must not take the others down.
            log.error("manifest %s: skipping entry: %s", p, e)
    return Manifest(p, entries)


def write_manifest(path: str | os.PathLike, entries: list[ArtifactEntry]) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write_bytes(p, json.dumps({"artifacts": [e.to_dict() for e in entries]}, indent=2).encode())


def _atomic_write_bytes(dest: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def materialize(entry: ArtifactEntry, root: Path, cache_dir: Path) -> Path:
    """Return a verified, uncompressed local path for ``entry``.

    Checks size and SHA-256 of the stored file; ``.zst`` files are decompressed
    (with their dictionary if any) into ``cache_dir`` atomically, keyed by the
    stored file's hash, and the content hash is checked when the manifest gives one.
    """
    stored = (root / entry.file).resolve()
    if not stored.is_file():
        raise ArtifactError(f"{entry.name}: file {entry.file} not found")
    size = stored.stat().st_size
    if entry.size is not None and size != entry.size:
        raise ArtifactError(f"{entry.name}: size {size} != manifest size {entry.size} (truncated or replaced?)")
    actual = sha256_file(stored)
    if actual != entry.sha256:
        raise ArtifactError(f"{entry.name}: SHA-256 mismatch (file {actual[:12]}…, manifest {entry.sha256[:12]}…)")
    if not stored.name.endswith(".zst"):
        return stored

    cache_dir.mkdir(parents=True, exist_ok=True)
    out = cache_dir / f"{entry.sha256}-{stored.name[:-4]}"
    if not out.exists():
        import zstandard

        dict_data = None
        if entry.dictionary:
            dpath = (root / entry.dictionary).resolve()
            if not dpath.is_file():
                raise ArtifactError(f"{entry.name}: zstd dictionary {entry.dictionary} not found")
            if entry.dictionary_sha256 and sha256_file(dpath) != entry.dictionary_sha256:
                raise ArtifactError(f"{entry.name}: zstd dictionary SHA-256 mismatch")
            dict_data = zstandard.ZstdCompressionDict(dpath.read_bytes())
        dctx = zstandard.ZstdDecompressor(dict_data=dict_data) if dict_data else zstandard.ZstdDecompressor()
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".part-")
        try:
            with open(stored, "rb") as src, os.fdopen(fd, "wb") as dst:
                dctx.copy_stream(src, dst)
            os.replace(tmp, out)
        except zstandard.ZstdError as e:
            Path(tmp).unlink(missing_ok=True)
            raise ArtifactError(f"{entry.name}: zstd decompression failed: {e}") from e
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    if entry.content_sha256 and sha256_file(out) != entry.content_sha256:
        out.unlink(missing_ok=True)
        raise ArtifactError(f"{entry.name}: decompressed content SHA-256 mismatch")
    return out


def compress_file(src: Path, dest: Path, level: int = 19, dictionary: bytes | None = None) -> Path:
    """zstd-compress ``src`` to ``dest`` (used by the pipeline and by tests)."""
    import zstandard

    params = {"level": level}
    if dictionary is not None:
        params["dict_data"] = zstandard.ZstdCompressionDict(dictionary)
    cctx = zstandard.ZstdCompressor(**params)
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        cctx.copy_stream(fin, fout)
    return dest
