"""The recover phase on a tiny random Llama: hardest-example selection, the LoRA merge (with a 2:4 mask kept),
and the keep/rollback decision on held-out perplexity."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.framework import PhaseError
from tests.tinylm import make_tiny_model, make_workdir

TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def _prune_24(model, names=("q_proj", "up_proj", "down_proj")) -> list[str]:
    """Zero the 2 smallest |w| of every 4 consecutive inputs (what SparseGPT 2:4 leaves, without the Hessian)."""
    import torch

    pruned = []
    with torch.no_grad():
        for n, m in model.named_modules():
            if isinstance(m, torch.nn.Linear) and n.rsplit(".", 1)[-1] in names:
                w = m.weight
                g = w.reshape(w.shape[0], -1, 4)
                drop = g.abs().argsort(dim=-1)[..., :2]
                g.scatter_(-1, drop, 0.0)
                pruned.append(n)
    return pruned


def _fit(model, tok, records, epochs: int, lr: float = 3e-3) -> None:
    """A few epochs of full fine-tuning (the random model learns the tiny data sets' answers)."""
    import random

    import torch

    from pipeline.lora import batches_by_length, collate, encode_example, response_loss

    torch.manual_seed(0)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    enc = [encode_example(tok, r["instruction"], r["response"], 64) for r in records]
    rng = random.Random(0)
    for _ in range(epochs):
        for batch in batches_by_length(enc, 4, rng):
            loss, _ = response_loss(model, *collate(batch, tok.pad_token_id))
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()


def _pruned_workdir(root, fit_epochs: int = 0):
    """A work dir whose finished ``prune`` phase holds a 2:4-pruned tiny model (base.json as prune writes it);
    with ``fit_epochs`` the model first learns the work dir's training data."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline.textdata import read_jsonl

    work, domains = make_workdir(root)
    model = AutoModelForCausalLM.from_pretrained(str(work / "base" / "model"))
    if fit_epochs:
        tok = AutoTokenizer.from_pretrained(str(work / "base" / "model"))
        _fit(model, tok, [r for d in domains.values() for r in read_jsonl(d["train"])], fit_epochs)
    names = _prune_24(model)
    (work / "prune").mkdir()
    model.save_pretrained(str(work / "prune" / "model"))
    for f in (work / "base" / "model").iterdir():
        if not (work / "prune" / "model" / f.name).exists():  # tokenizer files, chat template
            shutil.copy(f, work / "prune" / "model" / f.name)
    info = json.loads((work / "base" / "base.json").read_text())
    (work / "prune" / "base.json").write_text(json.dumps({**info, "produced_by": "prune"}))
    (work / "prune" / "DONE.json").write_text(json.dumps({"key": "tiny-prune"}))
    return work, domains, names


def _cfg(work, domains, **kw):
    from pipeline.phases import recover

    base = dict(workdir=str(work), domains=domains, threads=1, min_examples=6, max_len=64, quality_max_len=64,
                general_heldout=8, quality_per_domain=8, early_stop_n=8, lr=5e-3, max_steps=12, eval_every=4,
                patience=10, dropout=0.0, precision="fp32")
    return recover.Config(**{**base, **kw})


# -- hard examples ----------------------------------------------------------------------------------
def test_select_hard_takes_the_top_fraction_but_at_least_min_examples():
    from pipeline.phases.recover import select_hard

    nlls = [1.0, 5.0, float("nan"), 3.0, 0.5, 4.0] + [0.1] * 94  # 99 finite
    assert select_hard(nlls, 0.02, 1) == [1, 5]  # ceil(0.02 * 99) = 2, hardest first
    assert select_hard(nlls, 0.02, 4) == [1, 5, 3, 0]
    assert 2 not in select_hard(nlls, 1.0, 0)  # NaN (no response tokens) is never selected


def test_the_clearly_hardest_example_is_selected(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline.phases.recover import example_nll, select_hard

    d = make_tiny_model(tmp_path / "m")
    model, tok = AutoModelForCausalLM.from_pretrained(str(d)), AutoTokenizer.from_pretrained(str(d))
    easy = [{"instruction": f"Say hello {i}", "response": "hello world, the quick brown fox"} for i in range(12)]
    odd = {"instruction": "Say hello 5", "response": "zq#7 Xv!p Kk&& 0o0 ~~ jJ^ wQ"}
    _fit(model, tok, easy, 3)  # the random model learns the easy answers: the odd one's perplexity stands out
    records = easy[:6] + [odd] + easy[6:]
    nlls = example_nll(model, tok, records, 64)
    assert select_hard(nlls, 0.02, 1) == [6]
    assert nlls[6] > max(nlls[:6] + nlls[7:]) + 1.0  # measured: 5.8 vs 3.08


# -- merging ----------------------------------------------------------------------------------------
def _peft(model, seed=1):
    import torch
    from peft import LoraConfig, get_peft_model

    pm = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=["q_proj", "up_proj"],
                                          task_type="CAUSAL_LM"))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for n, p in pm.named_parameters():
            if "lora_" in n:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
    return pm


def _deltas(pm):
    """Module name (as after unloading) -> B @ A * alpha / r, computed by hand from the adapter tensors."""
    out = {}
    for n, m in pm.named_modules():
        if hasattr(m, "lora_A") and "default" in m.lora_A:
            name = n.removeprefix("base_model.model.")
            out[name] = (m.lora_B["default"].weight @ m.lora_A["default"].weight * (8 / 4)).detach().clone()
    return out


def test_merge_is_base_plus_b_a_scale(tmp_path):
    from transformers import AutoModelForCausalLM

    from pipeline.phases.recover import merge

    d = make_tiny_model(tmp_path / "m")
    base = AutoModelForCausalLM.from_pretrained(str(d))
    before = {n: m.weight.detach().clone() for n, m in base.named_modules() if hasattr(m, "weight")}
    pm = _peft(base)
    deltas = _deltas(pm)
    merged, info = merge(pm, {})
    mods = dict(merged.named_modules())
    assert len(deltas) == 4  # q_proj and up_proj in 2 layers
    for n, delta in deltas.items():
        assert float(delta.abs().max()) > 1e-3
        assert mods[n].weight.detach().allclose(before[n] + delta, atol=1e-6), n
    untouched = [n for n in before if n not in deltas and n in mods]
    assert untouched and all(bool((mods[n].weight == before[n]).all()) for n in untouched)
    assert info["masked_linears"] == 0


def test_merge_keeps_the_24_mask(tmp_path):
    import torch
    from transformers import AutoModelForCausalLM

    from pipeline.phases.recover import merge, nm_masks
    from pipeline.sparsity import nm_violations

    d = make_tiny_model(tmp_path / "m")
    base = AutoModelForCausalLM.from_pretrained(str(d))
    pruned = _prune_24(base, names=("q_proj", "down_proj"))
    masks = nm_masks(base, "2:4", TARGETS)
    assert sorted(masks) == sorted(pruned)  # only the Linears that carry the pattern
    before = {n: base.get_submodule(n).weight.detach().clone() for n in masks}
    pm = _peft(base)
    deltas = _deltas(pm)
    merged, info = merge(pm, masks)
    assert info["nonzero_before_reapply"] > 0  # the raw merge did fill the zeros in (q_proj), the mask undid it
    assert info["violations"] == 0 and info["zeros_after"] == info["masked"] > 0
    for n, keep in masks.items():
        w = merged.get_submodule(n).weight.detach()
        assert bool((w[~keep] == 0).all()) and nm_violations(w) == 0
        expect = (before[n] + deltas.get(n, torch.zeros_like(w))) * keep
        assert w.allclose(expect, atol=1e-6), n
    up = "model.layers.0.mlp.up_proj"  # adapted, not pruned: plain W + BA.s
    assert up in deltas and up not in masks


# -- the phase --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pruned(tmp_path_factory):
    return _pruned_workdir(tmp_path_factory.mktemp("recover"))


def test_phase_reads_the_pruned_model_and_export_then_reads_recover(pruned):
    from pipeline.phases import export_gguf, recover
    from pipeline.sparsity import nm_violations

    work, domains, names = pruned
    cfg = _cfg(work, domains)
    assert recover.resolve_input(cfg)[1] == "prune"
    res = recover.main(cfg)
    m = json.loads((res.dir / "metrics.json").read_text())
    assert m["source_phase"] == "prune" and m["hard_examples"] == 6 == len(m["hard_ids"])
    assert m["mask"]["masked_linears"] == len(names) == 6 and m["mask"]["violations"] == 0
    assert m["validation_sets"] == {"general_heldout": 8, "domain_references": 8}
    assert not set(m["hard_ids"]) & {f"g{i}" for i in range(30)} - set(m["hard_ids"])  # ids are pool records
    assert m["kept"] == "merged", m
    assert m["validation_after"]["ppl"] < m["validation_before"]["ppl"]
    assert m["lora"]["selected_step"] > 0
    from transformers import AutoModelForCausalLM

    out = AutoModelForCausalLM.from_pretrained(str(res.dir / "model"))
    src = AutoModelForCausalLM.from_pretrained(str(work / "prune" / "model"))
    for n in names:
        w, w0 = out.get_submodule(n).weight, src.get_submodule(n).weight
        assert bool((w[w0 == 0] == 0).all()) and nm_violations(w) == 0
    assert not bool((out.get_submodule(names[0]).weight == src.get_submodule(names[0]).weight).all())
    assert json.loads((res.dir / "base.json").read_text())["kept"] == "merged"
    ex = export_gguf.Config(workdir=str(work))
    assert export_gguf.resolve_source(ex) == (res.dir / "model", "recover")
    assert recover.resolve_input(cfg)[1] == "prune"  # recover never reads itself


def test_worse_validation_keeps_the_input_byte_identical(tmp_path):
    from pipeline.phases import recover

    work, domains, _ = _pruned_workdir(tmp_path, fit_epochs=8)
    # A model that knows its data, and the last checkpoint of a far too large learning rate: validation
    # perplexity goes up.
    res = recover.main(_cfg(work, domains, lr=0.5, checkpoint="last", max_steps=8))
    m = json.loads((res.dir / "metrics.json").read_text())
    assert m["validation_after"]["ppl"] > m["validation_before"]["ppl"], m
    assert m["kept"] == "input" and m["lora"]["selected_step"] == 8
    src = work / "prune" / "model"
    files = sorted(p.name for p in src.iterdir())
    assert files == sorted(p.name for p in (res.dir / "model").iterdir())
    for f in files:
        assert (src / f).read_bytes() == (res.dir / "model" / f).read_bytes(), f


def test_a_quantized_checkpoint_is_refused(tmp_path):
    from pipeline.phases import recover

    d = make_tiny_model(tmp_path / "q")
    conf = json.loads((d / "config.json").read_text())
    (d / "config.json").write_text(json.dumps({**conf, "quantization_config": {"format": "pack-quantized"}}))
    with pytest.raises(PhaseError, match="cannot be fine-tuned"):
        recover.resolve_input(recover.Config(workdir=str(tmp_path / "w"), source=str(d)))
