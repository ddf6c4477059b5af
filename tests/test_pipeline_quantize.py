"""The quantize phase on a tiny random Llama: GPTQ W4A16 on CPU (AWQ fails there: recorded), the group-size
chooser, the 97% gate, and the two outputs (compressed-tensors + a dense dequantized HF checkpoint)."""

from __future__ import annotations

import json

import pytest

from pipeline.framework import GateFailed, PhaseError
from tests.tinylm import make_workdir


def test_group_size_divides_every_width():
    from pipeline.phases.quantize import choose_group_size

    assert choose_group_size({576, 1536}) == 64  # SmolLM2-135M: 576 is not a multiple of 128
    assert choose_group_size([576]) == 64
    assert choose_group_size({2048, 8192}) == 128
    assert choose_group_size({64, 128}) == 64
    assert choose_group_size({96, 1536}, (128, 64, 32, 16)) == 32
    assert choose_group_size({576, 1536}, requested=32) == 32
    for widths, got in (({576, 1536}, 64), ({96, 160}, 32), ({48}, 16)):
        assert all(w % got == 0 for w in widths)
    with pytest.raises(PhaseError, match=r"none of the group sizes \[128, 64, 32, 16\] divides .*\[100, 576\]"):
        choose_group_size({576, 100})
    with pytest.raises(PhaseError, match="group_size 128 does not divide input widths \\[576\\]"):
        choose_group_size({576, 1536}, requested=128)


def test_awq_only_with_an_accelerator():
    from pipeline.phases.quantize import AWQ_CPU_REASON, choose_method

    cpu = choose_method("auto", cuda=False)
    assert (cpu.method, cpu.fallback, cpu.reason) == ("gptq", True, AWQ_CPU_REASON)
    assert choose_method("awq", cuda=False).method == "gptq"
    assert choose_method("auto", cuda=True).method == "awq"
    assert choose_method("gptq", cuda=True).method == "gptq"
    with pytest.raises(PhaseError):
        choose_method("bnb", cuda=False)


def test_gate_at_97_percent():
    from pipeline.phases.quantize import gate

    assert gate(0.97, 1.0)["passed"]
    assert gate(0.2, 0.2)["passed"]
    assert gate(0.98, 1.0, 0.97)["passed"]
    low = gate(0.9699, 1.0, 0.97)
    assert not low["passed"] and "97%" in low["reasons"][0]
    assert not gate(0.5, 0.6)["passed"]  # 83%
    assert gate(0.5, 0.6, 0.8)["passed"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from pipeline.phases import prune, quantize

    root = tmp_path_factory.mktemp("quantize")
    work, domains = make_workdir(root)
    common = {"workdir": str(work), "domains": domains, "threads": 1, "general_heldout": 8, "quality_per_domain": 8}
    prune.main(prune.Config(**common, grid=[[0.5, 0.5]], calibration_samples=8, calibration_max_len=48,
                            recovery_steps=2, recovery_samples=8, recovery_max_len=48))
    cfg = quantize.Config(**common, calibration_samples=8, calibration_max_len=48, gate_ratio=0.0)
    res = quantize.main(cfg)
    return {"res": res, "work": work, "cfg": cfg, "common": common,
            "metrics": json.loads((res.dir / "metrics.json").read_text())}


def test_cpu_run_falls_back_to_gptq_with_the_reason(run):
    m = run["metrics"]["method"]
    assert m["used"] == "gptq" and m["fallback"]
    assert "accelerator" in m["reason"]
    assert "accelerator" in (m["awq_cpu_error"] or "")  # AWQ was tried and its own error recorded
    assert "falling back to GPTQ" in (run["res"].dir / "log.txt").read_text()


def test_outputs_compressed_and_dense_4bit_and_still_2_4(run):
    import torch
    from transformers import AutoModelForCausalLM

    from pipeline.phases.quantize import target_linears
    from pipeline.sparsity import nm_violations

    d = run["res"].dir
    m = run["metrics"]
    assert m["scheme"]["group_size"] == 64 and m["scheme"]["widths"] == [64, 128]
    cfgj = json.loads((d / "model" / "config.json").read_text())
    assert cfgj["quantization_config"]["format"] == "pack-quantized"
    assert "quantization_config" not in json.loads((d / "dense" / "config.json").read_text())
    dense = AutoModelForCausalLM.from_pretrained(str(d / "dense"))
    for name, lin in target_linears(dense).items():
        w = lin.weight.detach()
        assert nm_violations(w) == 0, name  # keep_zeros: the pruned zeros survived GPTQ
        for row in w[:4]:  # symmetric 4-bit: at most 16 levels per group of 64
            for g in row.view(-1, 64):
                assert len(torch.unique(g)) <= 16
    assert m["nm_linears_in"] == m["nm_linears_out"] == 14
    man = json.loads((d / "manifest.json").read_text())
    by = {a["name"]: a for a in man["artifacts"]}
    assert by["quantized-dense"]["gguf_source"] == "dense"
    assert by["quantized"]["format"] == "compressed-tensors/pack-quantized"
    assert json.loads((d / "base.json").read_text())["model_dir"] == "dense"


def test_gate_fails_the_pipeline_when_the_ratio_is_missed(run):
    from pipeline.phases import quantize

    g = run["metrics"]["gate"]
    assert g["passed"] and g["required_ratio"] == 0.0
    with pytest.raises(GateFailed, match="gate not met"):  # no model scores 150% of its own input
        quantize.main(quantize.Config(**run["common"], calibration_samples=8, calibration_max_len=48,
                                      gate_ratio=1.5))
