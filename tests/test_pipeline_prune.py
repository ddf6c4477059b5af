"""The prune phase on a tiny random Llama: SparseGPT 2:4 (llm-compressor), the grid score, masked recovery."""

from __future__ import annotations

import json

import pytest

from pipeline.framework import PhaseError
from tests.tinylm import make_tiny_model, make_workdir


def _linears(model, group):
    from pipeline.sparsity import group_modules

    return group_modules(model, group)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from pipeline.phases import prune

    root = tmp_path_factory.mktemp("prune")
    work, domains = make_workdir(root)
    cfg = prune.Config(workdir=str(work), domains=domains, threads=1, grid=[[0.5, 0.5], [0.0, 0.5]],
                       calibration_samples=16, calibration_max_len=64, recovery_steps=6, recovery_lr=1e-3,
                       recovery_samples=16, recovery_max_len=64, general_heldout=8, quality_per_domain=8)
    res = prune.main(cfg)
    return {"res": res, "work": work, "cfg": cfg, "metrics": json.loads((res.dir / "metrics.json").read_text())}


def test_every_group_of_four_has_two_zeros_in_every_pruned_linear(run):
    from transformers import AutoModelForCausalLM

    from pipeline.sparsity import nm_violations

    m = run["metrics"]
    model = AutoModelForCausalLM.from_pretrained(str(run["res"].dir / "model"))  # what quantize/export read
    pruned = [g for g, level in m["levels"].items() if level > 0]
    assert pruned, m["levels"]
    checked = 0
    for g in pruned:
        for name, lin in _linears(model, g).items():
            w = lin.weight.detach()
            groups = (w.reshape(w.shape[0], -1, 4) == 0).sum(-1)
            assert int(groups.min()) >= 2, name
            assert nm_violations(w) == 0
            checked += 1
    assert checked == sum({"attention": 4 * 2, "ffn": 3 * 2}[g] for g in pruned)  # per layer x 2 layers
    # lm_head / embeddings untouched: the pruned checkpoint keeps the base's tied table
    base = AutoModelForCausalLM.from_pretrained(str(run["work"] / "base" / "model"))
    assert bool((base.lm_head.weight == model.lm_head.weight).all())
    assert "quantization_config" not in json.loads((run["res"].dir / "model" / "config.json").read_text())


def test_recovery_kept_every_zero_and_changed_the_kept_weights(run):
    rec = run["metrics"]["recovery"]
    assert rec["steps"] == 6 and rec["mask_violations"] == 0
    assert rec["zeros_after"] >= rec["masked"] > 0


def test_grid_rows_are_scored_by_the_formula_and_the_best_is_chosen(run):
    from pipeline.sparsity import grid_score

    m = run["metrics"]
    assert len(m["grid"]) == 2
    for row in m["grid"]:
        assert row["score"] == pytest.approx(grid_score(row["quality_a"], row["quality_b"], row["size_mb"]), abs=1e-6)
        assert 0 < row["quality_a"] <= 1 and 0 < row["quality_b"] <= 1
    assert m["chosen"]["score"] == max(r["score"] for r in m["grid"])
    assert m["dense_scores_higher"] == (m["dense"]["score"] > m["final"]["score"])
    assert m["grid"][0]["size_mb"] < m["grid"][1]["size_mb"] < m["dense"]["size_mb"]
    assert m["calibration"]["calibration_groups"] >= 4  # 2 general + 3 math difficulties available


def test_grid_score_by_hand():
    from pipeline.sparsity import grid_score

    # (0.4 * 0.5 + 0.4 * 0.25) - 300 / 2000 = 0.2 + 0.1 - 0.15
    assert grid_score(0.5, 0.25, 300.0) == pytest.approx(0.15)
    assert grid_score(1.0, 1.0, 0.0) == pytest.approx(0.8)


def test_sparse_size_by_hand():
    import torch

    from pipeline.sparsity import capture_masks, sparse_size_mb

    model = torch.nn.Sequential(torch.nn.Linear(8, 8, bias=False))
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].weight.view(8, 2, 4)[:, :, :2] = 0  # 2:4
    masks = capture_masks(model, ["0"])
    # 64 weights, 32 kept: 32 values x 2 bytes + 2 index bits x 32 = 64 + 8 bytes
    assert sparse_size_mb(model, masks, 2, (2, 4)) == pytest.approx(72 / 1e6)
    # unstructured accounting: 32 x 2 bytes + 64-bit bitmask = 72 as well; dense = 128
    assert sparse_size_mb(model, {}, 2) == pytest.approx(128 / 1e6)


def test_masked_finetune_keeps_zeros_where_plain_training_would_not(tmp_path):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline.sparsity import RecoveryParams, capture_masks, group_modules, masked_finetune, zeros_count

    d = make_tiny_model(tmp_path / "m")
    tok = AutoTokenizer.from_pretrained(str(d))
    model = AutoModelForCausalLM.from_pretrained(str(d))
    names = list(group_modules(model, "ffn")) + list(group_modules(model, "attention"))
    mods = dict(model.named_modules())
    with torch.no_grad():
        for n in names:  # 2:4 by magnitude
            w = mods[n].weight
            g = w.view(w.shape[0], -1, 4)
            idx = g.abs().topk(2, dim=-1, largest=False).indices
            g.scatter_(-1, idx, 0.0)
    masks = capture_masks(model, names)
    kept_before = {n: mods[n].weight.detach().clone() for n in names}
    recs = [{"instruction": f"What is {i} + 7?", "response": f"The answer is {i + 7}."} for i in range(12)]
    rec = masked_finetune(model, tok, recs, masks, RecoveryParams(steps=4, lr=1e-2, batch_size=4, max_len=48))
    assert rec["mask_violations"] == 0 and zeros_count(model, masks)["violations"] == 0
    assert rec["zeros_after"] >= rec["masked"] == sum(int((~k).sum()) for k in masks.values())
    changed = sum(int((mods[n].weight != kept_before[n]).sum()) for n in names)
    assert changed > rec["masked"] // 2  # the kept weights did train

    # The same training without the mask moves the zeros: the check above is not vacuous.
    opt = torch.optim.AdamW([mods[n].weight for n in names], lr=1e-2)
    from pipeline.lora import collate, encode_example, response_loss

    ids, labels, mask = collate([encode_example(tok, r["instruction"], r["response"], 48) for r in recs[:4]],
                                tok.pad_token_id)
    for n in names:
        mods[n].weight.requires_grad_(True)
    loss, _ = response_loss(model, ids, labels, mask)
    loss.backward()
    opt.step()
    assert zeros_count(model, masks)["violations"] > 0


def test_levels_are_checked_against_the_structure():
    from pipeline.phases import prune

    with pytest.raises(PhaseError, match="not possible with mask 2:4"):
        prune.candidates(prune.Config(grid=[[0.3, 0.5]]))
    assert prune.candidates(prune.Config(grid=[[0.3, 0.6]], mask_structure="0:0")) == [
        {"attention": 0.3, "ffn": 0.6}]
    with pytest.raises(PhaseError, match="N:M"):
        prune.parse_structure("two-four")
    levels = prune.gradual_levels(0.5, 3)
    assert levels[-1] == 0.5 and levels == sorted(levels) and levels[0] > 0


def test_gradual_schedule_ends_in_2_4_with_zeros_kept(tmp_path):
    from transformers import AutoModelForCausalLM

    from pipeline.phases import prune
    from pipeline.sparsity import nm_violations

    work, domains = make_workdir(tmp_path)
    cfg = prune.Config(workdir=str(work), domains=domains, threads=1, grid=[[0.0, 0.5]], schedule="gradual",
                       gradual_stages=2, calibration_samples=8, calibration_max_len=48, recovery_steps=4,
                       recovery_lr=1e-3, recovery_samples=8, recovery_max_len=48, general_heldout=6,
                       quality_per_domain=4)
    res = prune.main(cfg)
    m = json.loads((res.dir / "metrics.json").read_text())
    assert [s["structure"] for s in m["gradual_stages"]] == ["0:0", "2:4"]
    assert all(s["recovery"]["mask_violations"] == 0 for s in m["gradual_stages"])
    model = AutoModelForCausalLM.from_pretrained(str(res.dir / "model"))
    assert all(nm_violations(lin.weight) == 0 for lin in _linears(model, "ffn").values())
    assert all(bool((lin.weight != 0).all()) for lin in _linears(model, "attention").values())
