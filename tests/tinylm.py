"""A tiny random Llama (hidden 64, 2 layers) with a small byte-level BPE tokenizer and a chat template,
saved as an HF model directory, and a work dir whose ``base`` phase output points at it -- what the
compression phases read, at a size where SparseGPT/GPTQ run in seconds."""

from __future__ import annotations

import json
from pathlib import Path

CHAT_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
TEXT = ["hello world, the quick brown fox jumps over the lazy dog", "def add(a, b): return a + b",
        "What is 12 + 7? The answer is 19.", "Send an email to bob@example.com about the meeting."]


def make_tiny_model(path: Path, hidden: int = 64, intermediate: int = 128, layers: int = 2, seed: int = 0) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=384, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tk.train_from_iterator(TEXT * 20, trainer)
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<|im_start|>", eos_token="<|im_end|>",
                                  pad_token="<|endoftext|>")
    tok.chat_template = CHAT_TEMPLATE
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=hidden, intermediate_size=intermediate,
                      num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=2,
                      max_position_embeddings=512, tie_word_embeddings=True, bos_token_id=tok.bos_token_id,
                      eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    model = LlamaForCausalLM(cfg)
    model.save_pretrained(str(path))
    tok.save_pretrained(str(path))
    return path


def make_data(root: Path) -> dict:
    """Domains for the tiny work dir: general (no eval) and math (train + eval with answers)."""
    root.mkdir(parents=True, exist_ok=True)
    general = [{"id": f"g{i}", "difficulty": ["easy", "medium"][i % 2], "instruction": f"Say hello number {i}",
                "response": f"hello world {i}, the quick brown fox"} for i in range(30)]
    math = [{"id": f"m{i}", "difficulty": ["easy", "medium", "hard"][i % 3], "instruction": f"What is {i} + 7?",
             "response": f"The answer is {i + 7}.", "answer": str(i + 7)} for i in range(30)]
    ev = [{"id": f"e{i}", "question": f"What is {i} + 12?", "answer": str(i + 12)} for i in range(8)]
    for name, rows in (("general.jsonl", general), ("math.jsonl", math), ("math_eval.jsonl", ev)):
        (root / name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return {"general": {"train": str(root / "general.jsonl"), "modifier": False},
            "math": {"train": str(root / "math.jsonl"), "eval": str(root / "math_eval.jsonl"),
                     "scorer": "exact_match"}}


def make_workdir(root: Path, **model_kw) -> tuple[Path, dict]:
    """A work dir whose finished ``base`` phase holds the tiny model (base.json as the base phase writes it)."""
    work = root / "work"
    model_dir = make_tiny_model(work / "base" / "model", **model_kw)
    (work / "base" / "base.json").write_text(json.dumps({
        "gguf": str(root / "none.gguf"), "gguf_sha256": "0" * 64, "model_dir": "model", "arch": "llama",
        "n_head": 4, "n_head_kv": 2, "n_layer": model_kw.get("layers", 2)}))
    (work / "base" / "DONE.json").write_text(json.dumps({"key": "tiny-base"}))
    assert model_dir.is_dir()
    return work, make_data(root / "data")
