"""``backbone_analysis`` on three tiny GGUF LoRA modifiers built from orthonormal rank-1 parts, so every
cosine and explained fraction is known exactly: in layer 0, ``a`` and ``b`` share one of their two
components and ``c`` shares none; in layer 1 nothing is shared and ``b`` has a dominant component."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.framework import PhaseError, read_json
from pipeline.phases import backbone_analysis as ba
from pipeline.pngplot import decode_png
from runtime.artifacts import KINDS, ArtifactEntry, compress_file, sha256_file, write_manifest
from runtime.lora_gguf import write_lora_gguf

SHAPES = {"attn_q": (32, 32), "ffn_up": (48, 32)}  # module: (n_out, n_in)
# layer -> modifier -> [(coefficient, index of the orthonormal pair u_t v_tᵀ)]
PARTS = {0: {"a": [(3, 1), (3, 2)], "b": [(3, 1), (3, 3)], "c": [(3, 4), (3, 5)]},
         1: {"a": [(3, 1), (3, 2)], "b": [(4, 3), (3, 4)], "c": [(3, 5), (3, 6)]}}
ALPHA = {"a": 4.0, "b": 2.0, "c": 0.0}  # rank 2: scales 2, 1 and (no alpha, as llama.cpp) 1


def _bases(n: int, seed: int) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, 7)))
    return q


def write_adapter(path: Path, parts: dict[int, list[tuple[float, int]]], alpha: float) -> Path:
    """Per layer, ΔW = Σ c·u_t v_tᵀ in every module (the same orthonormal u_t, v_t in every modifier)."""
    tensors = {}
    for layer, terms in parts.items():
        for module, (n_out, n_in) in SHAPES.items():
            u, v = _bases(n_out, n_out), _bases(n_in, 100 + n_in)
            scale = alpha / len(terms) if alpha else 1.0
            b = np.stack([c * u[:, t] for c, t in terms], axis=1) / scale  # the file holds B before scaling
            a = np.stack([v[:, t] for _, t in terms])
            tensors[f"blk.{layer}.{module}.weight"] = (a, b)
    return write_lora_gguf(path, tensors, alpha=alpha)


def _entry(root: Path, path: Path, name: str, kind: str = "modifier", **fields) -> ArtifactEntry:
    return ArtifactEntry(name=name, kind=kind, file=str(path.relative_to(root)), sha256=sha256_file(path),
                         size=path.stat().st_size, base_sha256="x" * 64, **fields)


def write_modifiers(root: Path, names=("a", "b", "c")) -> Path:
    (root / "modifiers").mkdir(parents=True)
    entries = []
    for name in names:
        path = write_adapter(root / "modifiers" / f"{name}.gguf", {lay: p[name] for lay, p in PARTS.items()},
                             ALPHA[name])
        fields = {}
        if name == "b":  # stored as the app stores it: zstd, decompressed and checked when read
            zst = compress_file(path, path.with_name("b.gguf.zst"), level=3)
            fields = {"content_sha256": sha256_file(path)}
            path.unlink()
            path = zst
        entries.append(_entry(root, path, name, **fields))
    write_manifest(root / "manifest.json", entries)
    return root / "manifest.json"


def test_known_structure_gives_exact_cosines_and_explained_fractions(tmp_path):
    manifest = write_modifiers(tmp_path / "artifacts")
    res = ba.main(ba.Config(workdir=str(tmp_path / "work"), modifiers_manifest=str(manifest), ranks=[1, 6, 16]))
    # (r = 2 is left out: in layer 1 four components tie for second place, so no answer is the right one)
    assert res.status == "done"
    m = read_json(tmp_path / "work" / "backbone_analysis" / "metrics.json")
    assert (m["modifiers"], m["blocks"], m["layers"], m["stacked_rank"]) == (["a", "b", "c"], 4, [0, 1], 6)
    # ‖ΔW‖_F: 2 blocks x 18 + 2 blocks x 18 (a, c) and 2 x 18 + 2 x 25 (b): the alpha/r scales were applied
    assert m["delta_norm"] == pytest.approx({"a": 72 ** 0.5, "b": 86 ** 0.5, "c": 72 ** 0.5}, abs=1e-3)
    assert m["scales"]["a"]["scale"] == [2.0] and m["scales"]["c"]["scale"] == [1.0]

    cos = m["cosine"]
    assert cos["per_layer_mean_offdiag"] == pytest.approx([0.5 / 3, 0.0], abs=1e-4)  # layer 0: only a-b, 9/18
    assert cos["layer_mean_matrix"]["a"]["b"] == pytest.approx(0.25, abs=1e-4)
    assert cos["layer_mean_matrix"]["b"]["c"] == pytest.approx(0.0, abs=1e-4)
    assert cos["whole_adapter_matrix"]["a"]["b"] == pytest.approx(18 / (72 * 86) ** 0.5, abs=1e-4)
    assert cos["per_module_mean_offdiag"] == pytest.approx({"attn_q": 0.5 / 6, "ffn_up": 0.5 / 6}, abs=1e-4)

    ex = m["explained"]
    # r=1: layer 0's shared direction is u1 (in a and b), layer 1's is b's dominant u3 (16 of its 25)
    expected = {"a": 18 / 72, "b": (2 * 9 + 2 * 16) / 86, "c": 0.0}
    for side in ("output", "input", "both"):
        got = {n: v[0] for n, v in ex[side]["per_modifier"].items()}
        assert got == pytest.approx(expected, abs=1e-3), side
        assert all(v[1] == pytest.approx(1.0, abs=1e-4) for v in ex[side]["per_modifier"].values())  # r = 6
    assert ex["output"]["mean"][0] == pytest.approx(sum(expected.values()) / 3, abs=1e-3)
    assert m["per_layer_explained_output"]["0"][0] == pytest.approx(1 / 3, abs=1e-3)
    assert ex["own"]["per_modifier"]["a"][:2] == pytest.approx([0.5, 1.0], abs=1e-4)
    assert ex["own"]["per_modifier"]["b"][0] == pytest.approx((2 * 9 + 2 * 16) / 86, abs=1e-4)
    for side in ("output", "both"):
        null = ex["null"][side]["mean"]
        assert all(0.0 <= x <= o + 1e-9 for x, o in zip(null, ex["own"]["mean"], strict=True))
    assert 0 < cos["null_rms_offdiag"] < 0.5

    dc = m["dense_check"]
    assert dc["block"] == "blk.1.ffn_up" and dc["max_abs_diff_cosine"] < 1e-9 and dc["max_abs_diff_explained"] < 1e-9

    out = tmp_path / "work" / "backbone_analysis"
    png = decode_png((out / "backbone.png").read_bytes())
    assert png.shape[2] == 3 and (png != 255).any()
    md = (out / "report.md").read_text()
    assert "| a | 1.000 | 0.250 | 0.000 |" in md
    from pipeline.report import render

    assert "## What the modifiers share (backbone_analysis)" in render(tmp_path / "work", {})


def test_normalisation_decides_who_owns_the_shared_subspace():
    from pipeline.lora_deltas import Delta

    rng = np.random.default_rng(0)
    u, v = np.linalg.qr(rng.standard_normal((16, 2)))[0], np.linalg.qr(rng.standard_normal((12, 2)))[0]
    big = Delta.from_lora(v[:, :1].T, 10 * u[:, :1], 1.0)  # 10 u1 v1ᵀ
    small = Delta.from_lora(v[:, 1:].T, 2 * u[:, 1:], 1.0)  # 2 u2 v2ᵀ, orthogonal to it
    deltas = {"big": {(0, "attn_q"): big}, "small": {(0, "attn_q"): small}}
    raw = ba.analyse(deltas, ba.Config(ranks=[1], normalize=False, null_draws=0))["metrics"]["explained"]
    got = {n: v[0] for n, v in raw["output"]["per_modifier"].items()}
    assert got == pytest.approx({"big": 1.0, "small": 0.0}, abs=1e-6)
    # Normalised, the two tie; whichever wins, the mean is one half.
    norm = ba.analyse(deltas, ba.Config(ranks=[1], null_draws=0))["metrics"]["explained"]
    assert norm["output"]["mean"] == pytest.approx([0.5], abs=1e-6)


def test_refusals_and_skip(tmp_path):
    from pipeline.lora_deltas import Delta

    d = lambda n_out: Delta.from_lora(np.ones((1, 4)), np.ones((n_out, 1)), 1.0)  # noqa: E731
    with pytest.raises(PhaseError, match="different shapes"):
        ba.analyse({"x": {(0, "attn_q"): d(4)}, "y": {(0, "attn_q"): d(5)}}, ba.Config())
    with pytest.raises(PhaseError, match="no weight in common"):
        ba.analyse({"x": {(0, "attn_q"): d(4)}, "y": {(1, "attn_q"): d(4)}}, ba.Config())
    manifest = write_modifiers(tmp_path / "artifacts", names=("a",))
    res = ba.main(ba.Config(workdir=str(tmp_path / "work"), modifiers_manifest=str(manifest)))
    assert res.status == "skipped" and not (tmp_path / "work" / "backbone_analysis").exists()
    with pytest.raises(PhaseError, match="not in"):
        ba.main(ba.Config(workdir=str(tmp_path / "work"), modifiers_manifest=str(manifest), only=["a", "zz"]))


@pytest.mark.skipif("backbone" not in KINDS, reason="the runtime has no shared-backbone artifacts")
def test_a_head_on_a_shared_backbone_is_compared_as_served(tmp_path):
    """Heads 3·u2v2ᵀ and 3·u3v3ᵀ share nothing; served with the backbone 3·u1v1ᵀ they share half."""
    root = tmp_path / "artifacts"
    (root / "m").mkdir(parents=True)
    bb = write_adapter(root / "m" / "bb.gguf", {0: [(3, 1)], 1: [(3, 1)]}, 0.0)
    heads = {n: write_adapter(root / "m" / f"{n}.gguf", {0: [(3, t)], 1: [(3, t)]}, 0.0)
             for n, t in (("x", 2), ("y", 3))}
    entries = [_entry(root, bb, "shared", kind="backbone"),
               *(_entry(root, p, n, backbone="shared") for n, p in heads.items())]
    write_manifest(root / "manifest.json", entries)
    ba.main(ba.Config(workdir=str(tmp_path / "work"), modifiers_manifest=str(root / "manifest.json"),
                      null_draws=1, dense_check=False))
    m = read_json(tmp_path / "work" / "backbone_analysis" / "metrics.json")
    assert m["cosine"]["per_layer_mean_offdiag"] == pytest.approx([0.5, 0.5], abs=1e-4)
    assert m["delta_norm"]["x"] == pytest.approx(72 ** 0.5, abs=1e-4)  # 4 blocks x (9 + 9)
    assert m["scales"]["x"]["backbone"]["name"] == "shared"


def test_registered_after_publish_and_required_by_nothing():
    from pipeline import phases
    from pipeline.__main__ import make_parser
    from pipeline.runners import list_phases

    assert phases.ORDER.index("publish") < phases.ORDER.index("backbone_analysis")
    assert not any("backbone_analysis" in phases.load(p).REQUIRES for p in phases.ORDER)
    cat = {p.name: p for p in list_phases()}
    assert cat["backbone_analysis"].hardware == "cpu" and cat["backbone_analysis"].requires == []
    args = make_parser().parse_args(["run", "backbone_analysis", "--modifiers-manifest", "x/manifest.json"])
    assert args.phase == "backbone_analysis"
