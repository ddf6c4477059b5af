"""A compressed base served with modifiers trained for it: prune (SparseGPT 2:4) -> export_gguf -> rebase.

The base is a tiny random Llama with SmolLM2's tokenizer (so the served base's tokenizer block is grafted
into its GGUF, as for the real base); the training data, settings and the embedded base's modifiers are
the session's test chain. ``rebase`` retrains the chain's modifiers against the pruned GGUF in a nested
work dir; the test then opens the runtime engine the way the app does (MODROUTE_MODEL + MODROUTE_MANIFEST
from the phase's ``serve_with``) and checks what it serves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.framework import read_json
from runtime.artifacts import read_manifest, sha256_file
from runtime.engine import ChatRequest, Engine
from runtime.settings import Settings

CHAIN_PHASES = ("curate", "finetune_base", "failures", "distill", "train_lora", "evaluate", "publish")


def _tiny_base(work: Path) -> None:
    """``work/base`` as the base phase writes it, holding a tiny random Llama with the served tokenizer."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from runtime.settings import embedded_model_path

    g = embedded_model_path()
    tok = AutoTokenizer.from_pretrained(str(g.parent), gguf_file=g.name)
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                      bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, tie_word_embeddings=True,
                      initializer_range=0.2)
    d = work / "base" / "model"
    LlamaForCausalLM(cfg).save_pretrained(str(d))
    tok.save_pretrained(str(d))
    (work / "base" / "base.json").write_text(json.dumps({
        "gguf": str(work / "base" / "none.gguf"), "gguf_sha256": "0" * 64, "model_dir": "model", "arch": "llama",
        "n_head": 4, "n_head_kv": 2, "n_layer": 2}))
    (work / "base" / "DONE.json").write_text(json.dumps({"key": "tiny-base"}))


@pytest.fixture(scope="module")
def rebased(chain, tmp_path_factory):
    from pipeline.phases import export_gguf, prune, rebase

    assert chain["rc"] == 0
    root = tmp_path_factory.mktemp("rebase")
    work = root / "work"
    work.mkdir()
    for phase in CHAIN_PHASES:
        os.symlink(chain["work"] / phase, work / phase)
    _tiny_base(work)
    shared = {"workdir": str(work), "domains": chain["cfg"]["domains"], "threads": 1}
    prune.main(prune.Config(**shared, grid=[[0.5, 0.5]], calibration_samples=8, calibration_max_len=48,
                            recovery_steps=2, recovery_samples=8, recovery_max_len=48, general_heldout=4,
                            quality_per_domain=4))
    export_gguf.main(export_gguf.Config(**shared, outtype="f32", quant_types=["Q8_0"], agreement_prompts=2,
                                        agreement_tokens=8, ppl_texts=2, ppl_max_len=64, stop_on_gate=False))
    res = rebase.main(rebase.Config(**shared))
    return {"work": work, "res": res, "metrics": read_json(res.dir / "metrics.json"), "chain": chain}


def test_the_compressed_base_is_export_ggufs_pruned_file(rebased):
    m = rebased["metrics"]
    export = read_json(rebased["work"] / "export_gguf" / "metrics.json")
    assert export["source_phase"] == "prune" and m["quant_type"] == "Q8_0"
    manifest = read_manifest(rebased["res"].dir / "artifacts" / "manifest.json")
    [base] = manifest.of_kind("base")
    assert base.sha256 == sha256_file(Path(m["source_gguf"])) == sha256_file(manifest.root / base.file)
    assert base.metrics["agreement"]["agreement"] == export["validation"]["Q8_0"]["agreement"]["agreement"]
    assert m["zstd"]["round_trip_sha256_match"] and m["zstd"]["ratio"] > 1.0


def test_modifiers_were_retrained_against_it_with_the_chains_data_and_settings(rebased):
    m, nested = rebased["metrics"], rebased["work"] / "rebase.chain"
    assert [p for p in m["chain"]] == ["base", "finetune_base", "train_lora", "evaluate", "publish"]
    assert read_json(nested / "base" / "base.json")["gguf_sha256"] == m["base"]["sha256"]
    for phase in ("curate", "failures", "distill"):  # the same examples as the embedded base's modifiers
        assert (nested / phase).resolve() == (rebased["chain"]["work"] / phase).resolve()
    ran = read_json(nested / "train_lora" / "manifest.json")["config"]
    own = read_json(rebased["chain"]["work"] / "train_lora" / "manifest.json")["config"]
    assert ran["max_steps"] == own["max_steps"] and ran["rank"] == own["rank"] and ran["workdir"] != own["workdir"]
    trained = {a["name"]: a for a in read_json(nested / "train_lora" / "manifest.json")["artifacts"]
               if a["kind"] == "modifier"}
    assert set(trained) == {"code", "math", "science"}
    assert all(a["base_sha256"] == m["base"]["sha256"] for a in trained.values())
    # evaluate measured base vs base + modifier on the compressed base, and the verdict compares bases
    v = m["verdict"]
    assert set(v["domains"]) == set(trained)
    for row in v["domains"].values():
        assert row["compressed_base"] is not None and row["embedded_base"] is not None
    assert v["recommend_default"] == (not v["worse_on"])


def test_the_runtime_serves_the_compressed_base_with_its_modifiers_on_top(rebased, tmp_path, monkeypatch):
    m = rebased["metrics"]
    published = [n for n, p in m["published"].items() if p.get("published")]
    gates = m["gates"]
    assert published and set(published) == {n for n, g in gates.items() if g["passed"]}
    monkeypatch.setenv("MODROUTE_MODEL", m["serve_with"]["MODROUTE_MODEL"])
    monkeypatch.setenv("MODROUTE_MANIFEST", m["serve_with"]["MODROUTE_MANIFEST"])
    monkeypatch.setenv("MODROUTE_DATA_DIR", str(tmp_path / "data"))
    settings = Settings(n_threads=1, n_ctx=256)
    assert Path(settings.model) == Path(m["serve_with"]["MODROUTE_MODEL"])
    msgs = [{"role": "user", "content": "What is 21 plus 21?"}]
    with Engine(settings) as eng:
        assert eng.base_sha256 == m["base"]["sha256"]
        plain = eng.complete(ChatRequest(messages=msgs, max_tokens=8))
        assert plain.token_ids
        for name in published:
            mod = eng.modifiers.get(name)
            assert mod is not None and mod.available, (name, getattr(mod, "reason", None))
            out = eng.complete(ChatRequest(messages=msgs, max_tokens=8, modifier=name))
            assert out.token_ids and out.modifier == name
    # The embedded base's modifiers are tied to another SHA-256: refused on this base, with the reason.
    refused = m["serving"]["embedded_modifiers_refused"]
    assert refused and all("another base" in r for r in refused.values()), refused


def test_rerun_is_a_noop(rebased):
    from pipeline.phases import rebase

    res = rebase.main(rebase.Config(workdir=str(rebased["work"]), domains=rebased["chain"]["cfg"]["domains"],
                                    threads=1))
    assert res.status == "up-to-date"


def test_the_nested_chain_gets_every_domain_setting_the_phases_ran_with(tmp_path):
    """Each phase's recorded config keeps only the domain keys it reads (train_lora the per-domain LoRA
    settings, publish the gates): the nested phases must get all of them, as the work dir's own phases did."""
    import logging

    from pipeline.framework import PhaseContext, write_json
    from pipeline.phases import rebase

    ran = {"train_lora": {"max_steps": 60, "rank": 8,
                          "domains": {"math": {"train": "m.jsonl", "eval": "e.jsonl", "lora": {"max_steps": 100}}}},
           "evaluate": {"stop_on_gate": True, "domains": {"math": {"train": "m.jsonl", "eval": "e.jsonl", "eval_n": 5}}},
           "publish": {"dest": "artifacts", "domains": {"math": {"train": "m.jsonl", "eval": "e.jsonl", "eval_n": 5,
                                                                 "gate_worse_alpha": 0.05}}}}
    work = tmp_path / "work"
    for phase, cfg in ran.items():
        write_json(work / phase / "DONE.json", {"key": phase})
        write_json(work / phase / "manifest.json", {"config": {"workdir": str(work), **cfg}})
    ctx = PhaseContext("rebase", rebase.Config(workdir=str(work)), work, tmp_path / "out", "k", logging.getLogger("t"))
    configs = rebase.chain_configs(ctx, tmp_path / "c.gguf", tmp_path / "nested", tmp_path / "dest")
    math = configs["train_lora"].domain_specs()["math"]
    assert math.lora == {"max_steps": 100} and math.eval_n == 5 and math.gate_worse_alpha == 0.05
    assert configs["train_lora"].max_steps == 60 and configs["train_lora"].workdir == str(tmp_path / "nested")
    assert configs["evaluate"].stop_on_gate is False  # recorded, never stopping the nested chain
    assert configs["publish"].dest == str(tmp_path / "dest") and configs["base"].base_gguf == str(tmp_path / "c.gguf")
