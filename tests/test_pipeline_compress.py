"""The ``compress`` phase on a tiny GGUF written with the gguf package: both variants verified, the
stored file loads through the runtime's loader (with and without a dictionary), corruption is caught."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.framework import read_json
from pipeline.phases import compress
from runtime.artifacts import ArtifactEntry, ArtifactError, materialize, read_manifest, sha256_file

TYPES = {"F32", "F16", "Q8_0", "Q4_1", compress.METADATA}


def tiny_gguf(path: Path, seed: int = 0, layers: int = 2) -> Path:
    """~0.7 MB: F32 norms, F16, Q8_0 and Q4_1 matrices, a 2,000-token vocabulary in the metadata."""
    from gguf import GGMLQuantizationType, GGUFWriter
    from gguf.quants import quantize

    rng = np.random.default_rng(seed)
    w = GGUFWriter(str(path), "llama")
    w.add_block_count(layers)
    w.add_token_list([f"tok{i}" for i in range(2000)])
    for i in range(layers):
        w.add_tensor(f"blk.{i}.attn_norm.weight", rng.normal(1, 0.1, 256).astype(np.float32))
        w.add_tensor(f"blk.{i}.ffn_up.weight", rng.normal(0, 0.02, (256, 256)).astype(np.float16))
        for name, qt in (("attn_q", GGMLQuantizationType.Q8_0), ("ffn_down", GGMLQuantizationType.Q4_1)):
            q = quantize(rng.normal(0, 0.02, (512, 256)).astype(np.float32), qt)
            w.add_tensor(f"blk.{i}.{name}.weight", q, raw_dtype=qt)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def _cfg(tmp_path: Path, gguf: Path, **kw) -> compress.Config:
    # A fixed fastcover k/d: zstd's parameter search is not what these tests are about.
    return compress.Config(workdir=str(tmp_path / "work"), base_gguf=str(gguf), dict_k=256, dict_d=8, **kw)


@pytest.fixture()
def gguf_file(tmp_path) -> Path:
    return tiny_gguf(tmp_path / "tiny.gguf")


def test_samples_come_from_every_tensor_type_in_proportion(gguf_file):
    regions = compress.tensor_regions(gguf_file)
    assert set(regions) == TYPES
    sizes = {k: sum(n for _, n in rs) for k, rs in regions.items()}
    assert sum(sizes.values()) == gguf_file.stat().st_size  # tensors + metadata cover the file
    samples, by_type = compress.draw_samples(gguf_file, regions, total=400 * 1024, size=1024, seed=0)
    total = sum(sizes.values())
    for k, n in by_type.items():
        assert n == max(1, round(400 * 1024 * sizes[k] / total / 1024))
    assert len(samples) == sum(by_type.values()) and all(len(s) <= 1024 for s in samples)
    data = gguf_file.read_bytes()
    assert all(s in data for s in samples[:20])  # real byte ranges of the file


def test_phase_measures_both_variants_and_the_runtime_loads_the_result(tmp_path, gguf_file):
    res = compress.main(_cfg(tmp_path, gguf_file))
    rep = res.metrics["files"]["base"]
    raw = gguf_file.stat().st_size
    assert rep["raw_bytes"] == raw and rep["sha256"] == sha256_file(gguf_file)
    for v in ("plain", "dictionary"):
        assert rep[v]["ratio"] == pytest.approx(raw / rep[v]["bytes"], rel=1e-4)
        assert rep[v]["compress_mb_s"] > 0 and rep[v]["decompress_mb_s"] > 0
    assert rep["dict_bytes"] == 128 * 1024 == (res.dir / "base.dict").stat().st_size
    assert rep["dictionary"]["ratio_with_dict_file"] == pytest.approx(
        raw / (rep["dictionary"]["bytes"] + rep["dict_bytes"]), rel=1e-4)
    assert set(rep["samples_by_type"]) == TYPES
    # 0.7 MB in one frame cannot gain 128 KB from a dictionary: the plain variant is kept.
    assert rep["stored"] == "plain" and rep["stored_bytes"] == rep["plain"]["bytes"]
    assert "random_dict_control" in rep
    manifest = read_manifest(res.dir / "manifest.json")
    (entry,) = manifest.artifacts
    assert (entry.kind, entry.file, entry.dictionary, entry.content_sha256) == (
        "base", "base.gguf.zst", "", rep["sha256"])
    out = materialize(entry, manifest.root, tmp_path / "cache")
    assert sha256_file(out) == sha256_file(gguf_file)
    assert compress.main(_cfg(tmp_path, gguf_file)).status == "up-to-date"


def test_dictionary_variant_is_stored_and_needs_its_dictionary(tmp_path, gguf_file):
    mod = tiny_gguf(tmp_path / "adapter-a.gguf", seed=7, layers=1)
    res = compress.main(_cfg(tmp_path, gguf_file, store="dictionary", modifiers=[str(mod)], random_dict_control=False))
    manifest = read_manifest(res.dir / "manifest.json")
    by_name = {e.name: e for e in manifest.artifacts}
    assert set(by_name) == {"base", "adapter-a"} and by_name["adapter-a"].kind == "modifier"
    for name, src in (("base", gguf_file), ("adapter-a", mod)):
        e = by_name[name]
        assert e.dictionary == f"{name}.dict" and e.dictionary_sha256 == sha256_file(res.dir / e.dictionary)
        assert res.metrics["files"][name]["stored"] == "dictionary"
        assert sha256_file(materialize(e, manifest.root, tmp_path / "cache")) == sha256_file(src)
    # Without its dictionary the frame does not decode: the loader refuses, it never guesses.
    e = by_name["base"]
    bare = ArtifactEntry(name="base", kind="base", file=e.file, sha256=e.sha256, size=e.size,
                         content_sha256=e.content_sha256)
    with pytest.raises(ArtifactError, match="decompression failed"):
        materialize(bare, manifest.root, tmp_path / "cache-bare")
    # A dictionary that is not the one it was stored with is refused by its checksum.
    (res.dir / "base.dict").write_bytes((res.dir / "adapter-a.dict").read_bytes())
    with pytest.raises(ArtifactError, match="dictionary SHA-256 mismatch"):
        materialize(e, manifest.root, tmp_path / "cache-swapped")


def test_a_flipped_byte_is_detected_never_a_silently_wrong_file(tmp_path, gguf_file):
    res = compress.main(_cfg(tmp_path, gguf_file, random_dict_control=False))
    stored = res.dir / "base.gguf.zst"
    sha_in = sha256_file(gguf_file)
    assert compress.verify(stored, sha_in)[0] == gguf_file.stat().st_size
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x40
    stored.write_bytes(bytes(data))
    with pytest.raises(compress.CompressionError, match=r"base\.gguf\.zst: (zstd decompression failed|decompressed SHA)"):
        compress.verify(stored, sha_in)
    (entry,) = read_manifest(res.dir / "manifest.json").artifacts
    with pytest.raises(ArtifactError, match="SHA-256 mismatch"):  # the stored file's own checksum
        materialize(entry, res.dir, tmp_path / "cache")
    # Even with the manifest rewritten to the corrupted file's hash, decoding or the content hash fails.
    forged = ArtifactEntry(name="base", kind="base", file=entry.file, sha256=sha256_file(stored),
                           size=stored.stat().st_size, content_sha256=entry.content_sha256)
    with pytest.raises(ArtifactError, match="decompression failed|content SHA-256 mismatch"):
        materialize(forged, res.dir, tmp_path / "cache2")
    assert not list((tmp_path / "cache2").glob("*tiny*")) and not list((tmp_path / "cache2").glob("*base*"))
    # A wrong expected hash (the codec round trip giving other bytes) is an error too.
    with pytest.raises(compress.CompressionError, match="decompressed SHA-256"):
        compress.verify(_fresh(tmp_path, gguf_file), "0" * 64)


def _fresh(tmp_path: Path, gguf_file: Path) -> Path:
    dest = tmp_path / "fresh.zst"
    compress.compress(gguf_file, dest, compress.Config(zstd_threads=0, level=3))
    return dest


def test_phases_are_registered_for_the_cli_and_the_runners(tmp_path):
    from pipeline import phases
    from pipeline.__main__ import make_parser, phase_config
    from pipeline.runners import list_phases

    assert {"compress", "calibrate"} <= set(phases.ORDER)
    cat = {p.name: p for p in list_phases()}
    assert cat["compress"].hardware == "cpu" and cat["calibrate"].requires == []
    assert "level" in {f.name for f in cat["compress"].fields}
    args = make_parser().parse_args(["run", "compress", "--level", "3", "--zstd-threads", "1"])
    assert args.phase == "compress"
    cfg = phase_config("compress", {"workdir": str(tmp_path), "compress": {"level": 3}})
    assert (cfg.level, cfg.zstd_threads, cfg.dict_size) == (3, 2, 131072)
    assert read_json(tmp_path / "compress" / "DONE.json") is None
