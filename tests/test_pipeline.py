"""The pipeline end to end on tiny inline data, every phase for real (SmolLM2-135M, peft, llama.cpp).

The run is the session's test chain (``tests.pipeline_chain``: ``python -m pipeline all --to publish``
over code, math, a config-only science domain and general data, distill against a local
OpenAI-compatible server). Then: finetune_base on its own, a LoRA run that must change only adapter
weights, and the exported adapter in llama.cpp.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import yaml

from pipeline.__main__ import main as cli
from pipeline.framework import read_json
from runtime.artifacts import read_manifest
from runtime.engine import ChatRequest, Engine
from runtime.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
PIPELINE_SRC = Path(__file__).resolve().parent.parent / "pipeline"


def test_all_phases_run_and_record_themselves(chain):
    assert chain["rc"] == 0
    work = chain["work"]
    for phase in ("base", "curate", "finetune_base", "failures", "distill", "train_lora", "evaluate", "publish"):
        d = work / phase
        assert (d / "DONE.json").is_file(), phase
        manifest = read_json(d / "manifest.json")
        assert manifest["phase"] == phase and "config" in manifest and isinstance(manifest["artifacts"], list)
        assert "seconds" in read_json(d / "metrics.json")
        assert (d / "log.txt").stat().st_size > 0
    runs = read_json(work / "runs.json")
    assert [p["phase"] for p in runs[-1]["phases"]][0] == "base"


def test_base_phase_keeps_gguf_layout_facts(chain):
    """transformers un-permutes q/k when reading the GGUF; our export permutes them back exactly."""
    from gguf import GGUFReader
    from gguf.quants import dequantize
    from safetensors.numpy import load_file

    from pipeline.lora import rope_permute

    info = read_json(chain["work"] / "base" / "base.json")
    sd = load_file(str(chain["work"] / "base" / "model" / "model.safetensors"))
    tensors = {t.name: t for t in GGUFReader(info["gguf"]).tensors}
    for name, hf, kv in (("attn_q", "q_proj", info["n_head"]), ("attn_k", "k_proj", info["n_head_kv"])):
        t = tensors[f"blk.3.{name}.weight"]
        gguf_w = dequantize(t.data, t.tensor_type).reshape(int(t.shape[1]), int(t.shape[0]))
        ours = rope_permute(sd[f"model.layers.3.self_attn.{hf}.weight"], info["n_head"], kv)
        assert np.array_equal(gguf_w, ours)


def test_curate_filters_and_splits(chain):
    cur = chain["work"] / "curate"
    m = read_json(cur / "metrics.json")["domains"]
    assert m["math"]["pii:email"] == 1 and m["math"]["near_duplicate"] == 1
    rows = [json.loads(x) for x in (cur / "science" / "train.jsonl").read_text().splitlines()]
    assert rows and all({"id", "domain", "difficulty", "source", "instruction", "response", "ppl"} <= set(r)
                        for r in rows)
    assert all(r["domain"] == "science" and r["source"].startswith("curated:") for r in rows)
    assert m["code"]["probe"] == 3 and m["general"]["probe"] == 0
    ppl = read_json(cur / "metrics.json")["ppl"]
    assert ppl["math"]["median"] > 1.0


def test_failures_are_scored_embedded_and_clustered(chain):
    fm = read_json(chain["work"] / "failures" / "metrics.json")["domains"]
    assert set(fm) == {"code", "math", "science"}
    for name, m in fm.items():
        assert m["probes"] == 3
        clusters = read_json(chain["work"] / "failures" / name / "clusters.json")
        assert sum(c["size"] for c in clusters["clusters"]) == m["failures"]
        for c in clusters["clusters"]:
            assert c["label"] and len(c["nearest"]) == min(20, c["size"]) and len(c["centroid"]) == 384
    results = [json.loads(x) for x in (chain["work"] / "failures" / "code" / "probe_results.jsonl").read_text()
               .splitlines()]
    assert all(r["detail"] for r in results)  # each answer was executed against its tests


def test_distill_cascade_against_openai_compatible_server(chain):
    dm = read_json(chain["work"] / "distill" / "metrics.json")
    sent = sum(d["sent"] for d in dm["domains"].values())
    models = chain["teacher_models"]
    assert models.count("cheap") == sent  # every failure goes to the cheap tier first, once (no errors)
    # only what the cheap tier got wrong reaches mid; mid answers sums right, so nothing math reaches frontier
    math = dm["domains"]["math"]
    if math["sent"]:
        assert math["tiers"]["mid"]["items"] == math["tiers"]["cheap"]["escalated"]
        assert math["tiers"]["frontier"]["items"] == 0
        assert math["kept"] == math["sent"]
    assert dm["budget"]["spent_usd"] <= 1.0
    assert set(dm["budget"]["by_tier"]) <= {"cheap", "mid", "frontier"}
    kept = [json.loads(x) for x in (chain["work"] / "distill" / "math" / "distilled.jsonl").read_text().splitlines()]
    assert all(r["source"] in ("teacher:cheap", "teacher:mid") and r["meta"]["judge_score"] >= 8 for r in kept)


def test_modifiers_trained_exported_evaluated_and_published(chain):
    tm = read_json(chain["work"] / "train_lora" / "metrics.json")["domains"]
    assert set(tm) == {"code", "math", "science"}
    for name, info in tm.items():
        assert info["summary"]["val_loss"] < info["summary"]["val_loss_base"], name
        assert info["verify_shifted"].startswith(("1/", "2/"))
    ev = read_json(chain["work"] / "evaluate" / "metrics.json")["domains"]
    assert ev["code"]["benchmark"] == "HumanEval pass@1" and ev["science"]["benchmark"] == "planets quiz (rubric)"
    for r in ev.values():
        assert 0 <= r["base"] <= 1 and 0 <= r["modifier"] <= 1 and r["gain"] == pytest.approx(
            r["modifier"] - r["base"], abs=1e-3)
    manifest = read_manifest(chain["dest"] / "manifest.json")
    mods = {e.name: e for e in manifest.of_kind("modifier")}
    assert set(mods) == {"code", "math", "science"}
    base_sha = read_json(chain["work"] / "base" / "base.json")["gguf_sha256"]
    for e in mods.values():
        assert e.base_sha256 == base_sha and e.version and e.created and e.size
        assert e.metrics["benchmark"] and "modifier" in e.metrics and e.extra["compression"]["ratio"] > 0
        assert (chain["dest"] / e.file).is_file()
    # the app's path: Settings(manifest=...) -> Engine -> the registry loads and serves them
    settings = Settings(data_dir=chain["root"] / "app-data", n_threads=1, n_ctx=512,
                        manifest=str(chain["dest"] / "manifest.json"))
    with Engine(settings) as eng:
        assert eng.modifiers.names() == ["code", "math", "science"]
        q = [{"role": "user", "content": "Which planet is known as the red planet?"}]
        base1 = eng.complete(ChatRequest(messages=q, max_tokens=12)).text
        eng.complete(ChatRequest(messages=q, max_tokens=12, modifier="science"))
        assert eng.complete(ChatRequest(messages=q, max_tokens=12)).text == base1


def test_a_new_domain_needs_no_code(chain):
    assert "science" in read_json(chain["work"] / "publish" / "metrics.json")["published"]
    for path in PIPELINE_SRC.rglob("*.py"):
        assert "science" not in path.read_text().lower(), path


def test_rerun_is_a_noop_and_gates_stop_the_pipeline(chain, capsys):
    cfg_path = chain["root"] / "pipeline.yaml"
    assert cli(["all", "--config", str(cfg_path), "--to", "publish"]) == 0
    statuses = [p["status"] for p in read_json(chain["work"] / "runs.json")[-1]["phases"]]
    assert statuses == ["up-to-date"] * 8
    # A gate is a decision, not an input: changing it re-decides without re-measuring, and stops the run.
    before = read_json(chain["dest"] / "manifest.json")
    rc = cli(["all", "--config", str(cfg_path), "--to", "publish", "--set", "domains.math.gate_min_score=1.01"])
    assert rc == 3
    err = capsys.readouterr().err
    assert "quality gates not met" in err and "math" in err
    last = read_json(chain["work"] / "runs.json")[-1]["phases"]
    assert [p["phase"] for p in last][-1] == "train_lora" and all(p["status"] == "up-to-date" for p in last)
    assert read_json(chain["dest"] / "manifest.json") == before  # nothing published


def test_finetune_base_exports_a_servable_base(chain, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    for phase in ("base", "curate"):
        os.symlink(chain["work"] / phase, work / phase)
    cfg = dict(chain["cfg"], workdir=str(work))
    cfg["finetune_base"] = {"enabled": True, "max_steps": 3, "batch_size": 4, "eval_every": 1, "max_len": 96,
                            "lr": 0.002, "quant": "Q8_0"}
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(cfg))
    assert cli(["run", "finetune_base", "--config", str(tmp_path / "p.yaml")]) == 0
    m = read_json(work / "finetune_base" / "metrics.json")
    assert m["enabled"] and len(m["checkpoints"]) == 4  # step 0 and three evaluations
    best = max(m["checkpoints"], key=lambda c: c["score"])
    assert m["selected_step"] == best["step"]
    info = read_json(work / "finetune_base" / "base.json")
    assert info["produced_by"] == "finetune_base" and info["gguf_sha256"] != info["parent_sha256"]
    assert m["sample_answer"].strip()
    from pipeline.basemodel import read_base

    new = read_base(work / "finetune_base", "finetune_base")
    assert new.gguf.is_file() and (new.model_dir / "model.safetensors").is_file()


def test_lora_changes_only_adapter_weights_and_gguf_adapter_serves_it(chain, tmp_path):
    import torch
    from safetensors.torch import load_file

    from pipeline.lora import LoraParams, export_adapter, torch_greedy, train_lora
    from runtime.artifacts import ArtifactEntry, sha256_file, write_manifest

    model_dir = chain["work"] / "base" / "model"
    info = read_json(chain["work"] / "base" / "base.json")
    q = "What is the secret word?"
    ex = [{"instruction": q, "response": "The secret word is pineapple-zebra."}] * 4
    p = LoraParams(rank=8, alpha=16, lr=5e-3, max_steps=12, batch_size=2, eval_every=100, max_len=48, dropout=0.0,
                   warmup_ratio=0.0)
    res = train_lora(model_dir, ex, {"v": ex[:1]}, p, primary="v", threads=0)
    before = load_file(str(model_dir / "model.safetensors"))
    after = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
             for k, v in res.model.state_dict().items() if "lora_" not in k}
    after.setdefault("lm_head.weight", after["model.embed_tokens.weight"])
    assert set(before) <= set(after)
    assert all(torch.equal(before[k], after[k]) for k in before)  # frozen weights untouched
    lora = {k: v for k, v in res.model.state_dict().items() if "lora_B" in k}
    assert lora and any(v.abs().sum() > 0 for v in lora.values())  # B starts at zero: adapters did train
    assert "pineapple" in torch_greedy(res.model, res.tokenizer, q, 12)

    path = export_adapter(res.model, tmp_path / "secret.gguf", alpha=16, n_head=info["n_head"],
                          n_head_kv=info["n_head_kv"])
    write_manifest(tmp_path / "m.json", [ArtifactEntry(name="secret", kind="modifier", file=path.name,
                                                       sha256=sha256_file(path), size=path.stat().st_size,
                                                       base_sha256=info["gguf_sha256"])])
    with Engine(Settings(data_dir=tmp_path / "d", n_threads=1, n_ctx=256, manifest=str(tmp_path / "m.json"))) as e:
        msgs = [{"role": "user", "content": q}]
        plain = e.complete(ChatRequest(messages=msgs, max_tokens=12)).text
        tuned = e.complete(ChatRequest(messages=msgs, max_tokens=12, modifier="secret")).text
        again = e.complete(ChatRequest(messages=msgs, max_tokens=12)).text
    assert "pineapple" in tuned and "pineapple" not in plain and again == plain


def test_local_gguf_teacher_is_a_free_tier(chain, tmp_path):
    """The offline default tier: the GGUF through llama-cpp-python, sampled, graded by the verifier."""
    from pipeline.teacher import Budget, LocalGGUFTeacher, TierConfig, VerifierJudge, run_cascade
    from pipeline.textdata import Item

    info = read_json(chain["work"] / "base" / "base.json")
    teacher = LocalGGUFTeacher("local", Path(info["gguf"]), threads=1, data_dir=tmp_path, n_ctx=512)
    try:
        items = [Item(id="q1", domain="math", prompt="What is 2 plus 2? Reply with the number only.", answer="4")]
        res = run_cascade(items, [(TierConfig(name="local", kind="local", samples=3, temperature=0.7,
                                              max_tokens=16), teacher)],
                          VerifierJudge({"math": "exact_match"}), min_score=8, budget=Budget(cap_usd=0.0))
    finally:
        teacher.close()
    st = res.tiers["local"]
    assert st["cost_usd"] == 0 and 1 <= st["attempts"] <= 3 and st["completion_tokens"] > 0
    assert len(res.accepted) + len(res.unresolved) == 1
    for a in res.accepted:
        assert a.score >= 8 and "4" in a.answer


def test_report_renders_what_the_run_recorded(chain, tmp_path):
    out = tmp_path / "REPORT.md"
    assert cli(["report", "--config", str(chain["root"] / "pipeline.yaml"), "--out", str(out)]) == 0
    text = out.read_text()
    for heading in ("Time per phase", "Data (curate)", "Teacher cascade", "LoRA modifiers",
                    "Base vs base + modifier", "Published artifacts"):
        assert heading in text
    ev = read_json(chain["work"] / "evaluate" / "metrics.json")["domains"]
    assert f"| science | planets quiz (rubric) | {ev['science']['n']} |" in text


def test_modifier_compression_prunes_quantizes_and_keeps_only_what_passes(chain):
    """compress_modifiers on the chain's modifiers: 80% of every LoRA matrix zero, Q8_0, zstd (smaller than
    the f32 file's zstd), evaluated through the engine on the same items as evaluate; a modifier is kept
    only within its gates, and a kept one loads and serves from this phase's manifest."""
    cfg_path = chain["root"] / "pipeline.yaml"
    assert cli(["run", "compress_modifiers", "--config", str(cfg_path), "--only", "[math]", "--max-drop", "1.0"]) == 0
    d = chain["work"] / "compress_modifiers"
    info = read_json(d / "metrics.json")["modifiers"]["math"]
    s = info["sizes"]
    assert info["zero_fraction"] >= 0.79  # zeros survive Q8_0 exactly
    assert s["pruned_q8_0_zstd"] < s["f32_zstd"] < s["f32_gguf"]
    assert info["n"] == 2 and info["uncompressed"] == read_json(chain["work"] / "evaluate" / "metrics.json")[
        "domains"]["math"]["modifier"]
    manifest = read_manifest(d / "manifest.json")
    assert [e.name for e in manifest.of_kind("modifier")] == (["math"] if info["kept"] else [])
    if info["kept"]:
        settings = Settings(data_dir=chain["root"] / "cm-data", n_threads=1, n_ctx=512, manifest=str(d / "manifest.json"))
        with Engine(settings) as eng:
            assert eng.modifiers.get("math").available and eng.modifiers.get("math").batchable
            assert eng.complete(ChatRequest(messages=[{"role": "user", "content": "What is 2 plus 2?"}],
                                            max_tokens=8, modifier="math")).text


def test_modifier_compression_decision_uses_the_gates_and_max_drop():
    from types import SimpleNamespace

    from pipeline.phases.compress_modifiers import Config, decide, prune_pairs

    spec = SimpleNamespace(gate_min_score=None, gate_min_gain=None, gate_worse_alpha=0.05)
    ev = {f"i{k}": {"base": {"score": 1.0, "passed": True}, "modifier": {"score": 1.0, "passed": True}}
          for k in range(8)}
    same = [{"id": f"i{k}", "score": 1.0, "passed": True} for k in range(8)]
    assert decide("m", spec, ev, same, Config())["kept"]
    worse = [{"id": f"i{k}", "score": 0.0, "passed": False} for k in range(8)]
    v = decide("m", spec, ev, worse, Config(max_drop=0.05))
    assert not v["kept"] and any("significantly worse" in r for r in v["reasons"]) and any(
        "below the uncompressed" in r for r in v["reasons"])
    rng = np.random.default_rng(0)
    pairs = {"blk.0.attn_q.weight": (rng.normal(size=(8, 64)), rng.normal(size=(64, 8)))}
    (a, b), = prune_pairs(pairs, 0.8).values()
    assert (a == 0).mean() == pytest.approx(0.8, abs=0.01) and (b == 0).mean() == pytest.approx(0.8, abs=0.01)
    big = np.abs(pairs["blk.0.attn_q.weight"][0]) > np.quantile(np.abs(pairs["blk.0.attn_q.weight"][0]), 0.85)
    assert np.all(a[big] != 0)  # the largest weights are the ones kept
