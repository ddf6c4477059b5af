"""ModifierRegistry against real llama.cpp: refusal of bad adapters, zstd, checksums, reload."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from runtime.artifacts import (
    ArtifactEntry,
    ArtifactError,
    compress_file,
    materialize,
    sha256_file,
    write_manifest,
)
from runtime.engine import ChatRequest, Engine, UnknownModifierError
from runtime.lora_gguf import write_lora_gguf
from runtime.settings import Settings
from tests.conftest import modifier_entry

Q = [{"role": "user", "content": "What is the capital of France?"}]


@pytest.fixture()
def workdir(tmp_path, adapter_dir):
    for f in ("alpha.gguf", "beta.gguf"):
        shutil.copy(adapter_dir / f, tmp_path / f)
    return tmp_path


def open_engine(tmp_path, manifest):
    return Engine(Settings(data_dir=tmp_path / "data", n_threads=2, n_ctx=512, manifest=str(manifest))).open()


def test_bad_adapters_are_refused_and_base_still_answers(workdir, caplog):
    # corrupt: right size, garbage bytes, but the manifest hash matches the garbage (so llama.cpp-level checks matter)
    (workdir / "corrupt.gguf").write_bytes(b"GGUF" + bytes(np.random.default_rng(0).integers(0, 255, 4096, dtype=np.uint8)))
    # truncated: a real adapter cut in half, checksum recorded of the full file
    full = (workdir / "alpha.gguf").read_bytes()
    (workdir / "trunc.gguf").write_bytes(full[: len(full) // 2])
    # wrong base: an adapter for a model with hidden size 64
    rng = np.random.default_rng(0)
    write_lora_gguf(workdir / "otherbase.gguf",
                    {f"blk.{i}.attn_q.weight": (rng.normal(size=(4, 64)), rng.normal(size=(64, 4))) for i in range(2)},
                    alpha=8, arch="llama")
    entries = [
        modifier_entry(workdir, "alpha.gguf", "good"),
        modifier_entry(workdir, "corrupt.gguf", "corrupt"),
        ArtifactEntry(name="trunc", kind="modifier", file="trunc.gguf", sha256=sha256_file(workdir / "alpha.gguf"),
                      size=len(full)),
        modifier_entry(workdir, "otherbase.gguf", "otherbase"),
        modifier_entry(workdir, "beta.gguf", "stale-base", base_sha256="0" * 64),
        ArtifactEntry(name="missing", kind="modifier", file="nope.gguf", sha256="1" * 64),
    ]
    # The truncated file passes the checksum if the manifest was written for it: refused by structure too.
    (workdir / "trunc2.gguf").write_bytes(full[: len(full) // 2])
    entries.append(modifier_entry(workdir, "trunc2.gguf", "trunc-self-consistent"))
    manifest = workdir / "manifest.json"
    write_manifest(manifest, entries)
    caplog.set_level("ERROR")
    with open_engine(workdir, manifest) as e:
        reg = e.modifiers
        assert reg.names() == ["good"]
        reasons = {m["name"]: m["reason"] for m in reg.describe()}
        assert "GGUF" in reasons["corrupt"] or "adapter" in reasons["corrupt"]
        assert "size" in reasons["trunc"]
        assert "another base" in reasons["otherbase"]
        assert "another base" in reasons["stale-base"]
        assert "not found" in reasons["missing"]
        assert reasons["trunc-self-consistent"]
        assert all(f"modifier {n} refused" in caplog.text for n in reasons if n != "good")
        with pytest.raises(UnknownModifierError, match="unavailable"):
            e.complete(ChatRequest(Q, modifier="corrupt"))
        base = e.complete(ChatRequest(Q, max_tokens=16))
        assert base.text and base.modifier is None
        assert e.complete(ChatRequest(Q, max_tokens=16, modifier="good")).modifier == "good"


def test_zstd_modifier_round_trips_with_checksums(workdir, tmp_path):
    import zstandard

    src = workdir / "beta.gguf"
    plain = modifier_entry(workdir, "beta.gguf", "plain")
    compress_file(src, workdir / "beta.gguf.zst", level=10)
    # A trained dictionary, as the pipeline produces for families of adapters.
    samples = [src.read_bytes()[i:i + 4096] for i in range(0, 400_000, 4096)]
    zdict = zstandard.train_dictionary(16_384, samples)
    (workdir / "lora.dict").write_bytes(zdict.as_bytes())
    compress_file(src, workdir / "beta-dict.gguf.zst", level=10, dictionary=zdict.as_bytes())
    content = sha256_file(src)
    entries = [
        plain,
        modifier_entry(workdir, "beta.gguf.zst", "zst", content_sha256=content),
        modifier_entry(workdir, "beta-dict.gguf.zst", "zstdict", content_sha256=content, dictionary="lora.dict",
                       dictionary_sha256=sha256_file(workdir / "lora.dict")),
    ]
    manifest = workdir / "manifest.json"
    write_manifest(manifest, entries)
    with open_engine(workdir, manifest) as e:
        assert e.modifiers.names() == ["plain", "zst", "zstdict"]
        for n in ("zst", "zstdict"):
            m = e.modifiers.get(n)
            assert m.path.parent.name == "modifiers" and sha256_file(m.path) == content
        outs = {n: e.complete(ChatRequest(Q, max_tokens=24, modifier=n)).text for n in ("plain", "zst", "zstdict")}
        assert len(set(outs.values())) == 1

    # A tampered compressed file fails its stored checksum before decompression.
    data = bytearray((workdir / "beta.gguf.zst").read_bytes())
    data[100] ^= 0xFF
    (workdir / "beta.gguf.zst").write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="SHA-256"):
        materialize(entries[1], workdir, tmp_path / "cache2")
    # A stream whose stored hash matches but whose content is wrong is caught by content_sha256.
    bad = ArtifactEntry(name="x", kind="modifier", file="beta.gguf.zst", sha256=sha256_file(workdir / "beta.gguf.zst"),
                        content_sha256=content)
    with pytest.raises(ArtifactError):
        materialize(bad, workdir, tmp_path / "cache3")


def test_reload_picks_up_a_changed_manifest(workdir):
    manifest = workdir / "manifest.json"
    write_manifest(manifest, [modifier_entry(workdir, "alpha.gguf", "alpha")])
    with open_engine(workdir, manifest) as e:
        out_alpha = e.complete(ChatRequest(Q, max_tokens=24, modifier="alpha")).text
        assert e.modifiers.names() == ["alpha"]
        write_manifest(manifest, [modifier_entry(workdir, "beta.gguf", "beta", "math")])
        e.reload_modifiers()
        assert e.modifiers.names() == ["beta"]
        with pytest.raises(UnknownModifierError):
            e.complete(ChatRequest(Q, modifier="alpha"))
        assert e.modifiers.for_domain("math").name == "beta"
        # Put alpha back: same output as before the reloads.
        write_manifest(manifest, [modifier_entry(workdir, "alpha.gguf", "alpha"),
                                  modifier_entry(workdir, "beta.gguf", "beta", "math")])
        e.reload_modifiers()
        assert e.complete(ChatRequest(Q, max_tokens=24, modifier="alpha")).text == out_alpha
        # A broken manifest keeps what is loaded.
        manifest.write_text("{not json")
        e.reload_modifiers()
        assert e.modifiers.names() == ["alpha", "beta"]


def test_manifest_entries_are_validated(tmp_path):
    from runtime.artifacts import read_manifest

    p = tmp_path / "manifest.json"
    p.write_text(json.dumps({"artifacts": [{"name": "a", "kind": "modifier"}, {"name": "b", "kind": "weird",
                                                                               "file": "f", "sha256": "x"},
                                           {"name": "c", "kind": "modifier", "file": "c.gguf", "sha256": "y"}]}))
    m = read_manifest(p)
    assert [a.name for a in m.artifacts] == ["c"]
    p.write_text("[1, 2]")
    with pytest.raises(ArtifactError, match="artifacts"):
        read_manifest(p)
    assert read_manifest(tmp_path / "none.json").artifacts == []


def test_the_shipped_default_modifiers_load_verify_and_change_the_answer(tmp_path):
    """artifacts/manifest.json, as the app loads it by default: every modifier the pipeline published
    is available (checksums, zstd, base fingerprint) and changes the base model's greedy answer."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "artifacts"
    shipped = {a["name"]: a for a in json.loads((root / "manifest.json").read_text())["artifacts"]
               if a["kind"] == "modifier"}
    # one modifier for every domain the router can choose (issue 14); general is the base's own
    assert set(shipped) == {"code", "reasoning", "automation", "math", "science", "finance", "creative", "hard_math"}
    q = [{"role": "user", "content": "A train leaves at 3 pm and travels for 2 hours. When does it arrive?"}]
    with open_engine(tmp_path, root / "manifest.json") as e:
        assert e.modifiers.names() == sorted(shipped), e.modifiers.describe()
        base = e.complete(ChatRequest(q, max_tokens=24)).text
        for name, entry in shipped.items():
            assert entry["domain"] == name and entry["metrics"]["n"] > 0
            assert e.complete(ChatRequest(q, max_tokens=24, modifier=name)).text != base, name
