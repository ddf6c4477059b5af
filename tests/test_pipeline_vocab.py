"""The ``vocab`` phase on a tiny random Llama with the real SmolLM2 tokenizer (from the embedded GGUF):
the keep-set, round trips, remapping exactness, the rollback decision and rule, GGUF conversion."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from pipeline import vocabmodel, vocabtrim
from pipeline.framework import read_json
from pipeline.phases import vocab

KW = {"skip_special_tokens": False, "clean_up_tokenization_spaces": False}


@pytest.fixture(scope="module")
def tok_dir(tmp_path_factory) -> Path:
    """The served base's tokenizer, as the ``base`` phase saves it (transformers reads it from the GGUF)."""
    from transformers import AutoTokenizer

    from runtime.settings import embedded_model_path

    gguf = embedded_model_path()
    d = tmp_path_factory.mktemp("smollm2-tokenizer")
    AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name).save_pretrained(str(d))
    return d


@pytest.fixture(scope="module")
def tiny_model(tok_dir, tmp_path_factory) -> Path:
    import shutil

    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=49152, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                      tie_word_embeddings=True, bos_token_id=1, eos_token_id=2)
    d = tmp_path_factory.mktemp("tiny-llama")
    LlamaForCausalLM(cfg).save_pretrained(str(d))
    for p in tok_dir.iterdir():
        shutil.copy2(p, d / p.name)
    return d


def _cfg(work: Path, model: Path, **kw) -> vocab.Config:
    base = {"workdir": str(work), "model_dir": str(model), "training_data": False, "threads": 1,
            "corpus": ["data/instructions/*.jsonl", "README.md"], "ppl_texts": 4, "ppl_chars": 400}
    return vocab.Config(**{**base, **kw})


@pytest.fixture(scope="module")
def run(tiny_model, tmp_path_factory):
    from transformers import AutoTokenizer

    work = tmp_path_factory.mktemp("work")
    res = vocab.main(_cfg(work, tiny_model, max_ppl_rise=10.0))
    out = res.dir
    return {"res": res, "out": out, "keep": read_json(out / "keep_ids.json"), "src": tiny_model,
            "orig": AutoTokenizer.from_pretrained(str(tiny_model)),
            "trim": AutoTokenizer.from_pretrained(str(out / "model"))}


def test_keep_set_holds_ascii_specials_chat_template_and_bytes(run):
    keep, orig = set(run["keep"]), run["orig"]
    m = run["res"].metrics
    assert not m["rolled_back"] and m["vocab_after"] == len(keep) < 49152 / 2
    for c in map(chr, range(32, 127)):
        assert set(orig(c, add_special_tokens=False)["input_ids"]) <= keep, repr(c)
    assert set(orig.all_special_ids) | set(orig.added_tokens_decoder) <= keep
    chat = orig.apply_chat_template(vocabtrim.CHAT_SAMPLE, tokenize=False, add_generation_prompt=True)
    assert set(orig(chat, add_special_tokens=False)["input_ids"]) <= keep
    assert set(vocabtrim.BPE.load(run["src"] / "tokenizer.json").byte_ids()) <= keep
    # Special tokens keep their ids; the trimmed tokenizer renders the chat template to the same text.
    trim = run["trim"]
    for t in ("<|im_start|>", "<|im_end|>", "<|endoftext|>"):
        assert trim.convert_tokens_to_ids(t) == orig.convert_tokens_to_ids(t)
    assert trim.decode(trim(chat, add_special_tokens=False)["input_ids"], **KW) == chat
    assert m["keep_set"]["covers"] >= 0.995 and m["keep_set"]["coverage_at_frequent"] >= 0.995
    # Every kept token can still be produced: it is a byte symbol, an added token, or a kept merge's result.
    tj = json.loads((run["out"] / "model" / "tokenizer.json").read_text())
    made = {a + b for a, b in tj["model"]["merges"]}
    assert all(a in tj["model"]["vocab"] and b in tj["model"]["vocab"] for a, b in tj["model"]["merges"])
    atoms = set(vocabtrim.bytes_to_unicode().values()) | {t["content"] for t in tj["added_tokens"]}
    assert all(t in made or t in atoms for t in tj["model"]["vocab"])
    assert sorted(tj["model"]["vocab"].values()) == list(range(len(keep)))


def test_round_trip_ascii_exact_unicode_sample_and_same_text_as_original(run):
    orig, trim = run["orig"], run["trim"]
    m = run["res"].metrics
    v = m["validation"]
    assert v["ascii"] > 20 and v["ascii_exact"] == v["ascii"] and v["unk_tokens"] == 0
    assert v["same_as_original_decode"] == v["texts"]
    assert abs(v["tokens_per_word_change"]) <= 0.05
    texts = vocabtrim.probe_strings(seed=7, n=300) + ["def f(x):\n    return x ** 2  # ∑ café 🚀\n"]
    exact = 0
    for text in texts:
        ids_o = orig(text, add_special_tokens=False)["input_ids"]
        ids_t = trim(text, add_special_tokens=False)["input_ids"]
        back = trim.decode(ids_t, **KW)
        assert back == orig.decode(ids_o, **KW)
        exact += back == text
        if text.isascii():
            assert back == text
    assert exact / len(texts) >= 0.999
    # A word built from dropped tokens still tokenizes, into more (kept) pieces.
    rare = "Thermodynamicallyantidisestablishmentarianism Pneumonoultramicroscopic"
    ids_o, ids_t = orig(rare)["input_ids"], trim(rare)["input_ids"]
    assert len(ids_t) > len(ids_o) and trim.decode(ids_t, **KW) == rare


def test_kept_tokens_logits_equal_the_originals(run):
    import torch
    from transformers import AutoModelForCausalLM

    orig, trim, keep = run["orig"], run["trim"], run["keep"]
    text = "Write a Python function that returns the sum of a list of numbers."
    ids_o = orig(text, add_special_tokens=False)["input_ids"]
    ids_t = trim(text, add_special_tokens=False)["input_ids"]
    old_to_new = {o: n for n, o in enumerate(keep)}
    assert ids_t == [old_to_new[i] for i in ids_o]  # a text of kept tokens tokenizes identically
    a = AutoModelForCausalLM.from_pretrained(str(run["src"]), dtype=torch.float32).eval()
    b = AutoModelForCausalLM.from_pretrained(str(run["out"] / "model"), dtype=torch.float32).eval()
    assert b.config.vocab_size == len(keep) and b.config.tie_word_embeddings
    assert b.get_output_embeddings().weight.data_ptr() == b.get_input_embeddings().weight.data_ptr()
    with torch.no_grad():
        la = a(input_ids=torch.tensor([ids_o])).logits[0]
        lb = b(input_ids=torch.tensor([ids_t])).logits[0]
    assert torch.allclose(lb, la[:, keep], atol=1e-5, rtol=0)
    assert not torch.allclose(lb, la[:, : len(keep)], atol=1e-3)  # the test can tell a wrong mapping


def test_bytes_saved_match_rows_and_file_sizes(run):
    b = run["res"].metrics["bytes_saved"]
    assert b["tied"] and b["matrices"] == 1 and b["hidden"] == 64 and b["dtype_bytes"] == 4
    assert b["embedding_bytes"] == (49152 - len(run["keep"])) * 64 * 4
    assert abs(b["file_bytes"] - b["embedding_bytes"]) < 4096  # the rest is the safetensors header


def test_rollback_decision():
    assert vocabmodel.should_roll_back(10.0, 10.31)
    assert not vocabmodel.should_roll_back(10.0, 10.29)
    assert not vocabmodel.should_roll_back(10.0, 9.0)
    assert vocabmodel.should_roll_back(10.0, math.nan) and vocabmodel.should_roll_back(10.0, math.inf)
    assert vocabmodel.should_roll_back(10.0, 10.2, max_rise=0.01)


def test_perplexity_is_compared_in_one_unit_for_both_tokenizations():
    o = {"nll": 100.0, "tokens": 50, "words": 20, "bytes": 100}
    t = {"nll": 101.0, "tokens": 60, "words": 20, "bytes": 100}  # more tokens, slightly more NLL
    c = vocabmodel.compare_perplexity(o, t)
    assert c["rise"] == pytest.approx(math.exp(1 / 50) - 1)
    assert c["ppl_per_original_token"]["original"] == pytest.approx(math.exp(2.0))
    assert c["ppl_per_word"]["rise"] == pytest.approx(math.exp(1 / 20) - 1) and c["ppl_per_byte"]["rise"] < c["rise"]
    assert c["ppl_own_token"]["trimmed"] < c["ppl_own_token"]["original"]  # why own tokens would mislead
    assert not vocabmodel.should_roll_back(c["ppl_per_original_token"]["original"], c["ppl_per_original_token"]["trimmed"])
    with pytest.raises(ValueError):
        vocabmodel.compare_perplexity(o, {**t, "bytes": 99})


def test_phase_keeps_the_original_model_when_perplexity_rises(tiny_model, tmp_path):
    from runtime.artifacts import sha256_file

    # Any finite perplexity is "higher" than 1% of the original's: the rule must roll back.
    res = vocab.main(_cfg(tmp_path / "work", tiny_model, max_ppl_rise=-0.99, validation_docs=50, probes=20))
    m = res.metrics
    assert m["rolled_back"] and m["kept"] == "original" and "perplexity" in m["reasons"][0]
    assert m["perplexity"]["original"]["words"] == m["perplexity"]["trimmed"]["words"] > 0
    model = res.dir / "model"
    assert json.loads((model / "config.json").read_text())["vocab_size"] == 49152
    assert sha256_file(model / "model.safetensors") == sha256_file(tiny_model / "model.safetensors")
    assert read_json(res.dir / "vocab.json")["rolled_back"] is True
    assert not (res.dir / "trimmed").exists()


def test_trimmed_model_converts_to_gguf_with_the_same_tokens(run, tmp_path):
    import llama_cpp
    from gguf import GGUFReader

    from pipeline.gguf_convert import convert

    out = convert(run["out"] / "model", tmp_path / "trimmed.gguf", outtype="f32")
    reader = GGUFReader(str(out))
    tokens = reader.fields["tokenizer.ggml.tokens"]
    assert len(tokens.data) == len(run["keep"])
    assert bytes(reader.fields["tokenizer.ggml.pre"].parts[-1]).decode() == "smollm"
    llm = llama_cpp.Llama(model_path=str(out), vocab_only=True, verbose=False)
    trim = run["trim"]
    for text in ("Hello world, this is a test.", "def f(x):\n    return x ** 2", "naïve café — 東京 🚀"):
        assert llm.tokenize(text.encode(), add_bos=False, special=True) == trim(text, add_special_tokens=False)["input_ids"]


def test_phase_is_registered_for_the_cli_and_the_runners(tmp_path):
    from pipeline import phases
    from pipeline.__main__ import make_parser, phase_config
    from pipeline.runners import list_phases

    assert phases.ORDER.index("vocab") < phases.ORDER.index("prune")
    cat = {p.name: p for p in list_phases()}
    assert cat["vocab"].requires == ["base"] and cat["vocab"].hardware == "cpu"
    assert {"coverage", "max_ppl_rise", "corpus"} <= {f.name for f in cat["vocab"].fields}
    args = make_parser().parse_args(["run", "vocab", "--coverage", "0.99"])
    assert args.phase == "vocab"
    cfg = phase_config("vocab", {"workdir": str(tmp_path), "vocab": {"max_ppl_rise": 0.05}})
    assert (cfg.coverage, cfg.max_ppl_rise, cfg.source) == (0.995, 0.05, "base")
