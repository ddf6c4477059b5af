"""The shared-backbone layout (issue 14 s.3): the ``backbone`` phase on the session's test chain, and the
runtime serving a head together with its backbone (two adapters, a scale each)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.framework import read_json
from runtime.artifacts import ArtifactEntry, read_manifest, write_manifest
from runtime.engine import ChatRequest, Engine
from runtime.modifiers import ModifierRegistry
from runtime.settings import Settings, embedded_model_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared(chain):
    from pipeline.phases import backbone, backbone_compare

    assert chain["rc"] == 0
    cfg = backbone.Config(
        workdir=str(chain["work"]), domains=chain["cfg"]["domains"], threads=0, per_domain=8, val_per_domain=2,
        backbone={"rank": 4, "alpha": 8, "max_steps": 3, "batch_size": 4, "eval_every": 3, "max_len": 96,
                  "lr": 0.002},
        head={"rank": 2, "alpha": 4, "targets": ["q_proj", "v_proj"], "max_steps": 2, "batch_size": 4,
              "eval_every": 2, "max_len": 96, "lr": 0.002},
        head_layers=2)
    res = backbone.main(cfg)
    cmp = backbone_compare.main(backbone_compare.Config(
        workdir=str(chain["work"]), domains=chain["cfg"]["domains"], threads=0,
        modifiers_manifest=str(chain["dest"] / "manifest.json"), swap_repeats=1))
    return {"dir": res.dir, "metrics": {**read_json(res.dir / "metrics.json"), **read_json(cmp.dir / "metrics.json")},
            "cmp_dir": cmp.dir, "chain": chain}


def test_backbone_phase_builds_and_compares(shared):
    m, d = shared["metrics"], shared["dir"]
    assert m["backbone"]["steps"] == 3 and m["backbone"]["val_loss"] is not None
    assert set(m["domains"]) == {"code", "math", "science"}
    # heads are low-rank LoRAs on the last two layers only (SmolLM2-135M has 30)
    from gguf import GGUFReader

    layers = {int(t.name.split(".")[1]) for t in GGUFReader(str(d / "heads" / "math.gguf")).tensors}
    assert layers == {28, 29} and m["head_layers"] == [28, 29]
    bb_layers = {int(t.name.split(".")[1]) for t in GGUFReader(str(d / "backbone.gguf")).tensors}
    assert bb_layers == set(range(30))
    cmp = m["comparison"]
    rows = {r["domain"]: r for r in cmp["rows"]}
    indep = {e.name: e.metrics for e in read_manifest(shared["chain"]["dest"] / "manifest.json").of_kind("modifier")}
    for name, row in rows.items():
        assert row["same_items"] and row["n"] == indep[name]["n"]
        assert row["independent"] == indep[name]["modifier"] and 0.0 <= row["shared"] <= 1.0
        assert row["meets_rule"] == (row["shared"] >= row["independent"] * 0.99 - 1e-12)
        assert row["load_ms_head"] > 0 and row["load_ms_independent"] > 0
    b = cmp["bytes"]
    assert b["shared_gguf"] == sum(p.stat().st_size for p in [d / "backbone.gguf", *(d / "heads").glob("*.gguf")])
    assert b["independent_gguf"] > 0 and b["shared_zstd"] < b["shared_gguf"]
    sw = m["swap"]
    assert set(sw["load_ms"]["shared_backbone"]) == {"shared-backbone"}
    assert sw["shared_switch"]["n"] == 3 and sw["independent_switch"]["n"] == 3
    assert json.loads((shared["cmp_dir"] / "comparison.json").read_text())["rows"] == cmp["rows"]
    for name in rows:  # the heads' scores are the backbone phase's evaluation
        assert rows[name]["shared"] == m["domains"][name]["eval"]["score"]


def test_runtime_applies_head_and_backbone_together(shared, tmp_path):
    d = shared["dir"]
    serve = d / "serve-manifest.json"
    entries = read_manifest(serve).artifacts
    kinds = {e.name: (e.kind, e.backbone) for e in entries}
    assert kinds["shared-backbone"] == ("backbone", "") and kinds["math"] == ("modifier", "shared-backbone")
    # the same head without its backbone, for comparison
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(d / "heads" / "math.gguf", alone / "math.gguf")
    math = next(e for e in entries if e.name == "math")
    write_manifest(alone / "manifest.json", [ArtifactEntry(name="math", kind="modifier", domain="math",
                                                           file="math.gguf", sha256=math.sha256)])
    q = [{"role": "user", "content": "What is 23 plus 34?"}]
    outs = {}
    for label, manifest in (("stacked", serve), ("head alone", alone / "manifest.json")):
        s = Settings(data_dir=tmp_path / "cache", n_threads=2, n_ctx=512, manifest=str(manifest))
        with Engine(s, manifest=manifest) as eng:
            mod = eng.modifiers.get("math")
            assert mod.available
            assert (mod.backbone.name if mod.backbone else None) == ("shared-backbone" if label == "stacked" else None)
            assert "shared-backbone" not in {m["name"] for m in eng.modifiers.describe()}  # not choosable alone
            c = eng.complete(ChatRequest(messages=q, max_tokens=12, modifier="math"))
            assert c.modifier == "math"
            outs[label] = (c.token_ids, [round(x, 3) for x in c.logprobs])
            if label == "stacked":
                base = eng.complete(ChatRequest(messages=q, max_tokens=12))
                outs["base"] = (base.token_ids, [round(x, 3) for x in base.logprobs])
    assert outs["stacked"] != outs["head alone"] and outs["stacked"] != outs["base"]


def test_a_head_without_its_backbone_is_refused_with_a_reason(shared, tmp_path):
    d = shared["dir"]
    entries = [e for e in read_manifest(d / "serve-manifest.json").artifacts if e.kind != "backbone"]
    for e in entries:
        shutil.copy(d / e.file, tmp_path / Path(e.file).name)
        e.file = Path(e.file).name
    write_manifest(tmp_path / "manifest.json", entries)
    g = embedded_model_path()
    from runtime.artifacts import sha256_cached

    reg = ModifierRegistry(tmp_path / "manifest.json", tmp_path / "cache", g, sha256_cached(g))
    reg.reload()
    mod = reg.get("math")
    assert not mod.available and "backbone 'shared-backbone' is not in the manifest" in mod.reason
    assert reg.names() == []
