"""``export_gguf`` on a tiny random Llama (SmolLM2's 49,152-token vocabulary, hidden 64, 2 layers): HF ->
GGUF f32 -> Q8_0, token agreement and perplexity computed on both sides, the gate fails the phase, and
the agreement measure itself separates the right model from a different one."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.framework import GateFailed, read_json
from pipeline.phases import export_gguf

SMALL = {"agreement_prompts": 3, "agreement_tokens": 12, "ppl_texts": 3, "ppl_max_len": 96}


def _tiny_llama(path: Path, tok, seed: int) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    # initializer_range 0.2: logits far from flat, so greedy choices are not near-ties
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, bos_token_id=1,
                      eos_token_id=2, tie_word_embeddings=True, initializer_range=0.2)
    LlamaForCausalLM(cfg).save_pretrained(str(path))
    tok.save_pretrained(str(path))
    return path


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    """Two tiny models with the tokenizer transformers rebuilds from the embedded GGUF (as the base phase's)."""
    from transformers import AutoTokenizer

    from runtime.settings import embedded_model_path

    g = embedded_model_path()
    tok = AutoTokenizer.from_pretrained(str(g.parent), gguf_file=g.name)
    root = tmp_path_factory.mktemp("tiny")
    return {"a": _tiny_llama(root / "a", tok, 0), "b": _tiny_llama(root / "b", tok, 1), "template": g}


@pytest.fixture(scope="module")
def ggufs(models, tmp_path_factory) -> dict[str, Path]:
    """f32 GGUFs of both tiny models (converter + the base GGUF's tokenizer, as the phase does)."""
    from pipeline import gguf_convert, gguf_files

    root = tmp_path_factory.mktemp("gguf")
    out = {}
    for k in ("a", "b"):
        gguf_convert.convert(models[k], root / f"{k}.raw.gguf", outtype="f32")
        out[k] = gguf_files.graft_tokenizer(root / f"{k}.raw.gguf", models["template"], root / f"{k}.gguf")
    return out


def _cfg(tmp_path: Path, models, **kw) -> export_gguf.Config:
    values = {"workdir": str(tmp_path / "work"), "source": str(models["a"]), "outtype": "f32",
              "quant_types": ["Q8_0"], "tokenizer_gguf": str(models["template"]), **SMALL, **kw}
    return export_gguf.Config(**values)


def test_export_validates_f32_and_quantized_against_pytorch(tmp_path, models):
    # a random model amplifies rounding (Q8_0 measured 0.89 on it): the gate here only needs a number
    res = export_gguf.main(_cfg(tmp_path, models, min_agreement=0.5))
    m = res.metrics
    assert set(m["validation"]) == {"f32", "Q8_0"}
    f32, q8 = m["validation"]["f32"], m["validation"]["Q8_0"]
    # f32 in llama.cpp computes what PyTorch computes: every greedy token agrees
    assert f32["agreement"]["agreement"] == 1.0 and f32["agreement"]["positions"] == 3 * 12
    assert f32["agreement"]["torch_self_agreement"] == 1.0
    assert abs(f32["perplexity"]["rel_diff"]) < 2e-3  # f32 kernels differ in summation order only
    assert 0.5 <= q8["agreement"]["agreement"] <= 1 and q8["agreement"]["positions"] == 3 * 12
    for v in (f32, q8):
        p = v["perplexity"]
        assert p["tokens"] > 0 and p["texts"] == 3 and p["torch"] > 1 and p["llama"] > 1
        assert p["rel_diff"] == pytest.approx(p["llama"] / p["torch"] - 1, abs=1e-5)
        # llama.cpp tokenizes the prompts like PyTorch: the base GGUF's tokenizer was grafted in
        assert v["agreement"]["tokenizer_match"] == 1.0
    assert m["convert"]["converter_tokenizer"]["tokenizer.ggml.model"] == "llama"  # what the converter wrote
    assert m["convert"]["tokenizer"]["tokenizer.ggml.model"] == "gpt2"
    q = m["quantize"]["Q8_0"]
    assert q["tensors"]["Q8_0"] >= 14 and q["file_bytes"] == (res.dir / "model.q8_0.gguf").stat().st_size
    assert q["file_bytes"] < m["sizes"]["f32"]
    assert m["gate"]["passed"] and m["gate"]["checked"] == ["Q8_0"]
    manifest = read_json(res.dir / "manifest.json")
    assert {a["file"] for a in manifest["artifacts"]} == {"model.f32.gguf", "model.q8_0.gguf"}
    assert all(a["sha256"] and a["size"] for a in manifest["artifacts"])


def test_gate_fails_the_phase(tmp_path, models):
    # Q4_0 cannot reproduce the f32 perplexity exactly, so a zero tolerance must stop the phase
    cfg = _cfg(tmp_path, models, quant_types=["Q4_0"], validate_unquantized=False, max_ppl_rel_diff=0.0)
    with pytest.raises(GateFailed, match="perplexity"):
        export_gguf.main(cfg)
    work = Path(cfg.workdir)
    assert not (work / "export_gguf" / "DONE.json").exists()
    val = read_json(work / ".export_gguf.partial" / "validation.json")
    assert not val["gate"]["passed"] and val["validation"]["Q4_0"]["perplexity"]["rel_diff"] != 0


def test_agreement_is_measured_not_assumed(models, ggufs):
    """The GGUF of model b scored against model a's greedy tokens: low agreement, other perplexity."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline import agreement

    out = ggufs["b"]
    tok = AutoTokenizer.from_pretrained(str(models["a"]))
    model = AutoModelForCausalLM.from_pretrained(str(models["a"]), dtype=torch.float32).eval()
    prompts = [agreement.prompt_ids(tok, q) for q in ("Name three colours.", "What is 7 times 8?")]
    refs = agreement.torch_references(model, tok, prompts, 12)
    seqs = [agreement.example_sequence(tok, "Say hi.", "Hi there, nice to meet you.")]
    with agreement.LlamaScorer(out, n_ctx=256) as sc:
        rep = agreement.token_agreement(refs, sc, tok=tok)
        ppl = agreement.perplexity(agreement.torch_nll(model, seqs), sc, seqs)
    assert rep.positions == 24 and rep.agreement < 0.5
    assert rep.first_divergence[0] is not None and rep.examples[0]["llama_at_divergence"] is not None
    assert abs(ppl.rel_diff) > 0.05


def test_prefix_metric_collapses_where_teacher_forcing_does_not():
    """One flipped token early: the old prefix measure drops to ~0, the teacher-forced one stays high."""
    import numpy as np

    from pipeline.agreement import Reference, token_agreement

    class FlipOnce:
        """llama.cpp stand-in whose argmax follows the reference except at one position."""

        def __init__(self, ref, flip):
            self.ref, self.flip = ref, flip

        def logits(self, ids):
            x = np.zeros((len(ids), 8), dtype=np.float32)
            n = len(self.ref.prompt)
            for i, t in enumerate(self.ref.cont):
                x[n - 1 + i, (t + 1) % 8 if i == self.flip else t] = 1.0
            return x

        def tokenize(self, text):
            return []

    ref = Reference(prompt=[1, 2, 3], cont=[4, 5, 6, 7, 4, 5, 6, 7, 4, 5], self_agreed=10, margins=[1.0] * 10)
    rep = token_agreement([ref], FlipOnce(ref, 1))
    assert rep.agreement == 0.9 and rep.prefix_agreement == 0.1 and rep.first_divergence == [1]


def test_adapter_export_is_checked_by_the_same_measure(tmp_path, models, ggufs):
    """A random LoRA on model a, exported as train_lora exports it (q/k rows permuted), followed token for token
    by llama.cpp with the adapter; the base GGUF without it does not follow the adapted model."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline import agreement
    from pipeline.lora import export_adapter

    tok = AutoTokenizer.from_pretrained(str(models["a"]))
    model = AutoModelForCausalLM.from_pretrained(str(models["a"]), dtype=torch.float32).eval()
    pm = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "k_proj", "v_proj", "down_proj"],
                                          lora_dropout=0.0, task_type="CAUSAL_LM"))
    torch.manual_seed(3)
    with torch.no_grad():
        for n, w in pm.named_parameters():
            if "lora_B" in n:
                w.normal_(0, 0.5)  # peft starts B at zero: make the adapter act
    pm.eval()
    path = export_adapter(pm, tmp_path / "a.lora.gguf", alpha=8, n_head=4, n_head_kv=2, dtype="f32")
    prompts = [agreement.prompt_ids(tok, q) for q in ("List two fruits.", "Why is the sky blue?")]
    refs = agreement.torch_references(pm, tok, prompts, 12)
    with agreement.LlamaScorer(ggufs["a"], lora=path, n_ctx=256) as sc:
        with_adapter = agreement.token_agreement(refs, sc)
    with agreement.LlamaScorer(ggufs["a"], n_ctx=256) as sc:
        without = agreement.token_agreement(refs, sc)
    # f32 adapter matrices take llama.cpp's float kernels: a near-tie (margin < 0.05) may flip
    assert with_adapter.positions == 24 and with_adapter.agreement >= 0.9
    assert (with_adapter.median_torch_margin_at_disagreement or 0) < 0.05
    assert without.agreement <= with_adapter.agreement - 0.3
