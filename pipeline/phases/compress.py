"""``compress``: zstd the base GGUF (and optionally modifier GGUFs), with and without a trained dictionary.

For each file a 128 KB dictionary is trained (``zstandard.train_dictionary``) on byte ranges drawn
from every tensor type in the GGUF in proportion to its bytes (the metadata/tokenizer block before
the first tensor counts as one more "type"). The file is then compressed twice at ``level`` with
``zstd_threads`` workers -- plain and with the dictionary -- and each result is decompressed again
and its SHA-256 compared with the input's; a mismatch or a zstd error fails the phase. Frames carry
zstd's content checksum, so a corrupted byte is caught by the decompressor itself, and the manifest
entry carries ``content_sha256`` so the runtime's loader (``runtime.artifacts.materialize``, which
already decompresses with ``dictionary``/``dictionary_sha256``) checks the result too.

Stored: ``<name>.gguf.zst`` -- the dictionary variant only when it plus its dictionary file is
smaller than the plain one (``store: smaller``; ``dictionary`` / ``plain`` force one) -- and
``<name>.dict``. One file in one frame rarely gains more than a dictionary's own size: a dictionary
pays where many small frames share it; metrics give, measured in this run, both ratios
(raw / compressed; for the dictionary also counting the dictionary file), compressed bytes, MB/s
both ways, and a control: the same compression with a random (untrained) dictionary of the same size,
which says how much of a dictionary's effect comes from what it learned.

Measured on the embedded SmolLM2-135M Q4_1 (98 MB, level 10, Dec 2026): with 2 zstd workers plain
1.0614x and the dictionary 1.0614x (1.0599x counting its file), so plain is stored; single-threaded
(``zstd_threads: 0``) the dictionary variant reaches 1.0756x (1.0740x with its file, stored) at
65 MB/s instead of 365 -- but a random 128 KB dictionary gives 1.0756x as well: that gain comes from
zstd's dictionary mode, not from what was trained. Decompression ~0.15 s either way.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, execute, read_json

SUMMARY = "zstd the base GGUF (+ modifiers) plain and with a 128 KB trained dictionary; verified, ratios, MB/s"
REQUIRES: tuple[str, ...] = ()
CODE = ["pipeline.phases.base", "runtime.artifacts"]
METADATA = "metadata"  # the bytes before the first tensor: header, key/values, tokenizer


class CompressionError(PhaseError):
    """Compressed data that does not give back the input (corrupt, or a codec problem)."""


@dataclass
class Config(PhaseConfig):
    level: int = 10
    zstd_threads: int = 2  # zstd workers (0 = zstd's single-threaded mode)
    dict_size: int = 128 * 1024
    sample_bytes: int = 8 * 1024 * 1024  # training material, split over tensor types by their bytes
    sample_size: int = 4096  # bytes per sample
    dict_k: int = 0  # fastcover segment size; 0 (with dict_d 0) = let zstd search (a few seconds per 100 MB)
    dict_d: int = 0
    base: bool = True  # compress the base GGUF (``base_gguf``, default the embedded one)
    modifiers: list[str] = field(default_factory=list)  # further GGUF files (e.g. LoRA adapters)
    trained_modifiers: bool = False  # also the adapters in this work dir's train_lora phase
    store: str = "smaller"  # smaller (the dictionary variant counted with its dictionary file) | dictionary | plain
    random_dict_control: bool = True


def _inputs(config: Config) -> list[Path]:
    from pipeline.phases.base import base_gguf_path

    return ([base_gguf_path(config)] if config.base else []) + [Path(p) for p in config.modifiers]


# -- sampling ---------------------------------------------------------------------------------------
def tensor_regions(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Byte ranges (offset, length) of the file per tensor type name, plus the metadata block."""
    from gguf import GGUFReader

    reader = GGUFReader(str(path))
    regions: dict[str, list[tuple[int, int]]] = {}
    for t in reader.tensors:
        regions.setdefault(t.tensor_type.name, []).append((int(t.data_offset), int(t.n_bytes)))
    first = min((o for rs in regions.values() for o, _ in rs), default=path.stat().st_size)
    if first > 0:
        regions[METADATA] = [(0, first)]
    return regions


def draw_samples(path: Path, regions: dict[str, list[tuple[int, int]]], total: int, size: int,
                 seed: int) -> tuple[list[bytes], dict[str, int]]:
    """``total`` bytes in ``size``-byte samples; each type gets samples in proportion to its bytes
    (at least one), within a type a tensor in proportion to its length, a uniform offset within it."""
    import numpy as np

    rng = np.random.default_rng(seed)
    type_bytes = {k: sum(n for _, n in rs) for k, rs in regions.items() if sum(n for _, n in rs) > 0}
    all_bytes = sum(type_bytes.values())
    samples: list[bytes] = []
    by_type: dict[str, int] = {}
    with open(path, "rb") as f:
        for name in sorted(type_bytes):
            rs = [r for r in regions[name] if r[1] > 0]
            lengths = np.array([n for _, n in rs], dtype=np.float64)
            k = max(1, round(total * type_bytes[name] / all_bytes / size))
            picks = rng.choice(len(rs), size=k, p=lengths / lengths.sum())
            for i in picks:
                off, n = rs[int(i)]
                span = min(size, n)
                f.seek(off + int(rng.integers(0, n - span + 1)))
                samples.append(f.read(span))
            by_type[name] = k
    return samples, by_type


def train_dictionary(samples: list[bytes], cfg: Config):
    import zstandard as zstd

    return zstd.train_dictionary(cfg.dict_size, samples, k=cfg.dict_k, d=cfg.dict_d, threads=max(cfg.zstd_threads, 1),
                                 level=cfg.level)


# -- compress / verify ------------------------------------------------------------------------------
class _HashSink:
    """A write-only file that hashes and counts (verification and size measurements need no disk)."""

    def __init__(self) -> None:
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, data) -> int:
        self.h.update(data)
        self.n += len(data)
        return len(data)


def compress(src: Path, dest: Path | None, cfg: Config, dictionary=None) -> tuple[int, float]:
    """Compress ``src`` into ``dest`` (None: only count); returns (compressed bytes, seconds)."""
    import zstandard as zstd

    kwargs = {"dict_data": dictionary} if dictionary is not None else {}
    cctx = zstd.ZstdCompressor(level=cfg.level, threads=cfg.zstd_threads, write_checksum=True,
                               write_content_size=True, **kwargs)
    size = src.stat().st_size
    t0 = time.perf_counter()
    with open(src, "rb") as fin:
        if dest is None:
            sink = _HashSink()
            cctx.copy_stream(fin, sink, size=size)
            return sink.n, time.perf_counter() - t0
        with open(dest, "wb") as fout:
            cctx.copy_stream(fin, fout, size=size)
    return dest.stat().st_size, time.perf_counter() - t0


def verify(path: Path, expected_sha256: str, dictionary=None) -> tuple[int, float]:
    """Decompress ``path`` and check the SHA-256 of the result; returns (bytes out, seconds).

    Raises ``CompressionError`` when the data is corrupt or decompresses to anything else."""
    import zstandard as zstd

    dctx = zstd.ZstdDecompressor(dict_data=dictionary) if dictionary is not None else zstd.ZstdDecompressor()
    sink = _HashSink()
    t0 = time.perf_counter()
    try:
        with open(path, "rb") as fin:
            dctx.copy_stream(fin, sink)
    except zstd.ZstdError as e:
        raise CompressionError(f"{path.name}: zstd decompression failed (corrupt file or wrong dictionary): "
                               f"{e}") from e
    seconds = time.perf_counter() - t0
    if sink.h.hexdigest() != expected_sha256:
        raise CompressionError(f"{path.name}: decompressed SHA-256 {sink.h.hexdigest()[:12]}… != input "
                               f"{expected_sha256[:12]}… ({sink.n} bytes out): not storing a wrong file")
    return sink.n, seconds


def _mb_s(nbytes: int, seconds: float) -> float:
    return round(nbytes / 1e6 / max(seconds, 1e-9), 1)


def compress_one(src: Path, out: Path, name: str, cfg: Config, log) -> dict:
    """Both variants of one GGUF, verified; keeps the smaller as ``<name>.gguf.zst``; returns its report."""
    import os

    import zstandard as zstd

    from runtime.artifacts import sha256_file

    raw = src.stat().st_size
    sha = sha256_file(src)
    regions = tensor_regions(src)
    total = min(cfg.sample_bytes, raw)
    samples, by_type = draw_samples(src, regions, total, cfg.sample_size, cfg.seed)
    t0 = time.perf_counter()
    dictionary = train_dictionary(samples, cfg)
    train_s = time.perf_counter() - t0
    dict_path = out / f"{name}.dict"
    dict_path.write_bytes(dictionary.as_bytes())
    dict_bytes = dict_path.stat().st_size
    log.info("compress: %s: %d-byte dictionary trained on %d samples (%s) in %.1f s", name, dict_bytes, len(samples),
             by_type, train_s)

    rows = {}
    for variant, zd in (("plain", None), ("dictionary", dictionary)):
        dest = out / f".{name}.{variant}.zst"
        nbytes, c_s = compress(src, dest, cfg, zd)
        n_out, d_s = verify(dest, sha, zd)
        rows[variant] = {"bytes": nbytes, "ratio": round(raw / nbytes, 5), "compress_mb_s": _mb_s(raw, c_s),
                         "decompress_mb_s": _mb_s(n_out, d_s), "compress_seconds": round(c_s, 3),
                         "decompress_seconds": round(d_s, 3)}
    rows["dictionary"]["ratio_with_dict_file"] = round(raw / (rows["dictionary"]["bytes"] + dict_bytes), 5)
    smaller = rows["dictionary"]["bytes"] + dict_bytes < rows["plain"]["bytes"]
    use_dict = cfg.store == "dictionary" or (cfg.store == "smaller" and smaller)
    chosen = "dictionary" if use_dict else "plain"
    stored = out / f"{name}.gguf.zst"
    os.replace(out / f".{name}.{chosen}.zst", stored)
    (out / f".{name}.{'plain' if use_dict else 'dictionary'}.zst").unlink()
    report = {"file": str(src), "raw_bytes": raw, "sha256": sha, "level": cfg.level, "zstd_threads": cfg.zstd_threads,
              "zstd_version": zstd.ZSTD_VERSION, "plain": rows["plain"], "dictionary": rows["dictionary"],
              "dict_bytes": dict_bytes, "dict_train_seconds": round(train_s, 2), "dict_id": dictionary.dict_id(),
              "samples": len(samples), "sample_bytes": sum(map(len, samples)), "samples_by_type": by_type,
              "type_bytes": {k: sum(n for _, n in rs) for k, rs in regions.items()},
              "dictionary_variant_smaller": smaller, "stored": chosen, "stored_bytes": stored.stat().st_size,
              "stored_ratio": round(raw / (stored.stat().st_size + (dict_bytes if use_dict else 0)), 5)}
    if cfg.random_dict_control:
        rng_dict = zstd.ZstdCompressionDict(os.urandom(dict_bytes), dict_type=zstd.DICT_TYPE_RAWCONTENT)
        nbytes, _ = compress(src, None, cfg, rng_dict)
        report["random_dict_control"] = {"bytes": nbytes, "ratio": round(raw / nbytes, 5)}
    log.info("compress: %s: %d bytes -> plain %d (%.4fx), dictionary %d (%.4fx, %.4fx with the dictionary file); "
             "stored %s", name, raw, rows["plain"]["bytes"], rows["plain"]["ratio"], rows["dictionary"]["bytes"],
             rows["dictionary"]["ratio"], rows["dictionary"]["ratio_with_dict_file"], chosen)
    return report


def _targets(ctx: PhaseContext) -> list[tuple[str, str, Path, dict]]:
    """(name, kind, path, extra manifest fields) of every file to compress."""
    from pipeline.phases.base import base_gguf_path

    cfg: Config = ctx.config
    out: list[tuple[str, str, Path, dict]] = []
    if cfg.base:
        out.append(("base", "base", base_gguf_path(cfg), {}))
    for p in cfg.modifiers:
        path = Path(p).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"compress: modifier file {path} not found")
        out.append((path.name.removesuffix(".gguf"), "modifier", path, {}))
    if cfg.trained_modifiers:
        d = ctx.upstream("train_lora")
        for a in (read_json(d / "manifest.json") or {}).get("artifacts", []):
            if a.get("kind") == "modifier" and str(a.get("file", "")).endswith(".gguf"):
                keep = {k: a[k] for k in ("domain", "base_sha256", "version") if a.get(k)}
                out.append((a["name"], "modifier", d / a["file"], keep))
    names = [n for n, *_ in out]
    if len(set(names)) != len(names):
        raise PhaseError(f"compress: two inputs have the same name ({names}); rename one")
    if not out:
        raise PhaseError("compress: nothing to compress (base false, no modifiers)")
    return out


def _body(ctx: PhaseContext) -> dict:
    cfg: Config = ctx.config
    if cfg.dict_size < 1024 or cfg.sample_size < 8:
        raise PhaseError("compress: dict_size must be >= 1024 bytes and sample_size >= 8")
    if cfg.store not in ("smaller", "dictionary", "plain"):
        raise PhaseError(f"compress: store must be smaller, dictionary or plain, not {cfg.store!r}")
    files = {}
    for name, kind, path, extra in ctx.progress(_targets(ctx), "files"):
        if ctx.step_done(f"file-{name}"):
            files[name] = ctx.step_info(f"file-{name}")
            continue
        rep = compress_one(path, ctx.out, name, cfg, ctx.log)
        fields = {"content_sha256": rep["sha256"], "compression": {
            "codec": "zstd", "level": cfg.level, "raw_bytes": rep["raw_bytes"], "ratio": rep["stored_ratio"],
            "dictionary": rep["stored"] == "dictionary"}}
        if rep["stored"] == "dictionary":
            from runtime.artifacts import sha256_file

            fields.update(dictionary=f"{name}.dict", dictionary_sha256=sha256_file(ctx.out / f"{name}.dict"))
        if kind == "base":
            fields["base_sha256"] = rep["sha256"]
        ctx.add_artifact(name, kind, f"{name}.gguf.zst", **{**extra, **fields})
        files[name] = rep
        ctx.mark_step(f"file-{name}", rep)
    return {"files": files}


def main(config: Config):
    return execute("compress", config, _body, inputs=_inputs(config), code=CODE,
                   requires=("train_lora",) if config.trained_modifiers else ())
