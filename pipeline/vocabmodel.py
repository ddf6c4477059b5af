"""The model side of vocabulary trimming: embedding/output rows remapped, perplexity, the rollback rule.

Only the rows of the vocabulary-sized matrices change (``embed_tokens`` and, when not tied,
``lm_head``): row ``new`` of the trimmed matrix is row ``keep[new]`` of the original, everything
else is copied bit for bit. A kept token's logit therefore is the original's for the same hidden
state; only the softmax's normaliser loses the dropped tokens' terms.

Perplexity is compared on the same texts in one unit for both models (``compare_perplexity``): the
two tokenizers split some texts differently, and each model's per-own-token figure would reward the
tokenizer that produces more (easier) tokens.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

VOCAB_TENSORS = ("embed_tokens.weight", "lm_head.weight", "wte.weight")
TOKEN_ID_KEYS = ("bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id")


def should_roll_back(ppl_original: float, ppl_trimmed: float, max_rise: float = 0.03) -> bool:
    """Keep the original model when the trimmed one's perplexity is more than ``max_rise`` higher."""
    if not math.isfinite(ppl_trimmed):
        return True
    return ppl_trimmed > ppl_original * (1.0 + max_rise)


def _remap_token_ids(cfg: dict[str, Any], old_to_new: dict[int, int]) -> dict[str, Any]:
    out = dict(cfg)
    for key in TOKEN_ID_KEYS:
        val = out.get(key)
        if isinstance(val, bool) or val is None:
            continue
        if isinstance(val, int):
            out[key] = old_to_new[val] if val in old_to_new else None
        elif isinstance(val, list):
            out[key] = [old_to_new[v] for v in val if v in old_to_new]
    return out


def remap_model(src: Path, dest: Path, keep: Sequence[int]) -> dict[str, Any]:
    """Writes ``dest``: ``src``'s safetensors with the vocabulary rows ``keep`` (old ids, in new order),
    config.json / generation_config.json with ``vocab_size`` and token ids renumbered."""
    import torch
    from safetensors import safe_open
    from safetensors.torch import save_file

    src, dest = Path(src), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    cfg = json.loads((src / "config.json").read_text(encoding="utf-8"))
    old_vocab = int(cfg["vocab_size"])
    if max(keep) >= old_vocab:
        raise ValueError(f"keep-set names id {max(keep)} but the model has {old_vocab} rows")
    old_to_new = {old: new for new, old in enumerate(keep)}
    index = torch.tensor(list(keep), dtype=torch.long)
    files = sorted(src.glob("*.safetensors"))
    if not files:
        raise FileNotFoundError(f"no *.safetensors in {src}")
    rows: dict[str, dict[str, Any]] = {}
    total = 0
    for f in files:
        tensors = {}
        with safe_open(str(f), framework="pt") as fh:
            meta = fh.metadata() or {"format": "pt"}
            for name in fh.keys():
                t = fh.get_tensor(name)
                if name.endswith(VOCAB_TENSORS) and t.dim() == 2 and t.shape[0] == old_vocab:
                    t = t.index_select(0, index).contiguous()
                    rows[name] = {"hidden": int(t.shape[1]), "dtype_bytes": t.element_size(),
                                  "rows_dropped": old_vocab - len(keep)}
                tensors[name] = t
                total += t.numel() * t.element_size()
        save_file(tensors, str(dest / f.name), metadata=meta)
    if not rows:
        raise ValueError(f"no embedding/output matrix with {old_vocab} rows in {src}")
    idx = src / "model.safetensors.index.json"
    if idx.is_file():
        data = json.loads(idx.read_text(encoding="utf-8"))
        data.setdefault("metadata", {})["total_size"] = total
        (dest / idx.name).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    cfg = _remap_token_ids(cfg, old_to_new)
    cfg["vocab_size"] = len(keep)
    (dest / "config.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    gen = src / "generation_config.json"
    if gen.is_file():
        g = _remap_token_ids(json.loads(gen.read_text(encoding="utf-8")), old_to_new)
        (dest / gen.name).write_text(json.dumps(g, indent=2) + "\n", encoding="utf-8")
    saved = sum(r["rows_dropped"] * r["hidden"] * r["dtype_bytes"] for r in rows.values())
    return {"matrices": rows, "tied": bool(cfg.get("tie_word_embeddings", False)), "vocab_before": old_vocab,
            "vocab_after": len(keep), "embedding_bytes_saved": saved,
            "safetensors_bytes_before": sum(f.stat().st_size for f in files),
            "safetensors_bytes_after": sum((dest / f.name).stat().st_size for f in files)}


def text_nll(model, tokenizer, texts: Sequence[str], start_id: int, max_len: int = 4096,
             progress=None) -> dict[str, Any]:
    """Total NLL of ``texts`` under ``model`` with ``tokenizer``'s tokens, and the texts' size in tokens,
    words and UTF-8 bytes. Each text is scored after ``start_id`` so that its first token is predicted
    too, whatever tokenizer produced it."""
    import torch

    nll = 0.0
    n_tokens = n_words = n_bytes = 0
    seq = progress(texts, "perplexity", len(texts)) if progress else texts
    model.eval()
    with torch.no_grad():
        for text in seq:
            ids = tokenizer(text, add_special_tokens=False)["input_ids"]
            if not ids:
                continue
            if len(ids) > max_len:  # both models must score the same text: the caller cuts texts by characters
                raise ValueError(f"a perplexity text has {len(ids)} tokens > max_len {max_len}; cut texts shorter")
            x = torch.tensor([[start_id, *ids]])
            logits = model(input_ids=x).logits[0, :-1].float()
            lp = torch.log_softmax(logits, dim=-1)
            nll -= float(lp.gather(1, x[0, 1:, None]).sum())
            n_tokens += len(ids)
            n_words += max(len(text.split()), 1)
            n_bytes += len(text.encode("utf-8"))
    return {"nll": nll, "tokens": n_tokens, "words": n_words, "bytes": n_bytes}


def compare_perplexity(original: dict[str, Any], trimmed: dict[str, Any]) -> dict[str, Any]:
    """Perplexities of the same texts, normalised by one unit for both models.

    The decision figure is per *original* token: exp(NLL / the original tokenizer's token count) for
    both, so the original's figure is its ordinary perplexity and the trimmed model's is what that
    same measurement gives when it spells some words with more tokens. (Per own token would reward
    the trimmed model for its extra, easier tokens.) Per word and per byte are reported beside it: the
    relative rise of exp(NLL/units) grows with NLL per unit, so a coarser unit reports a larger rise
    for the same NLL difference."""
    if original["words"] != trimmed["words"] or original["bytes"] != trimmed["bytes"]:
        raise ValueError("the two models were scored on different texts")
    out: dict[str, Any] = {"original": original, "trimmed": trimmed,
                           "nll_rise": trimmed["nll"] / max(original["nll"], 1e-9) - 1}
    for unit, n in (("original_token", original["tokens"]), ("word", original["words"]),
                    ("byte", original["bytes"])):
        po = math.exp(original["nll"] / max(n, 1))
        pt = math.exp(trimmed["nll"] / max(n, 1))
        out[f"ppl_per_{unit}"] = {"original": po, "trimmed": pt, "rise": pt / po - 1}
    out["ppl_own_token"] = {"original": math.exp(original["nll"] / max(original["tokens"], 1)),
                            "trimmed": math.exp(trimmed["nll"] / max(trimmed["tokens"], 1))}
    out["rise"] = out["ppl_per_original_token"]["rise"]
    return out
