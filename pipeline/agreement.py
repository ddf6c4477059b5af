"""How closely a llama.cpp model (GGUF, optionally with a LoRA adapter) follows the PyTorch model it came from.

One implementation for full-model export (``export_gguf``) and adapter export (``train_lora``).

**Token agreement, teacher-forced.** For each prompt the PyTorch model writes its greedy continuation
(``n_tokens``, fewer if it ends with EOS). The prompt plus that continuation is then fed to llama.cpp in
one pass, and at every continuation position llama.cpp's argmax is compared with PyTorch's greedy token
given the same prefix. Agreement = agreeing positions / all positions, pooled over prompts. Both sides
get the same token ids (the PyTorch tokenizer's), so the number measures the weights and the kernels,
not the tokenizers or chat templates; whether llama.cpp's own tokenizer gives the same ids is reported
separately (``tokenizer_match``).

The free-running alternative -- compare two independently generated greedy answers and count the
matching prefix -- collapses at the first near-tie: one flipped token (e.g. ``-`` vs ``*`` before a
list) and every later position counts as a disagreement although the two models still agree on almost
every next token. ``prefix_agreement`` reports that number next to the teacher-forced one.

**Perplexity** on both sides over the same token ids (scored tokens: those after each text's prompt),
``exp`` of the mean negative log-likelihood pooled over all scored tokens.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class Sequence:
    """Token ids to score; positions from ``n_prompt`` on are the ones that count."""

    ids: list[int]
    n_prompt: int


@dataclass
class AgreementReport:
    agreement: float  # teacher-forced: agreeing positions / positions
    positions: int
    agreed: int
    prompts: int
    prefix_agreement: float  # mean over prompts of (matching prefix before the first divergence) / length
    first_divergence: list[int | None]  # per prompt: first disagreeing position (None = none)
    torch_self_agreement: float  # PyTorch's full-forward argmax vs its own KV-cached greedy tokens
    median_torch_margin_at_disagreement: float | None  # top-1 minus top-2 logit where the two disagree
    tokenizer_match: float | None = None  # prompts llama.cpp tokenizes to the same ids
    method: str = "teacher-forced on the PyTorch greedy continuation"
    examples: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PerplexityReport:
    torch: float
    llama: float
    rel_diff: float  # llama / torch - 1
    tokens: int
    texts: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class LlamaScorer:
    """Logits of every position of a token sequence from llama.cpp (one ``eval`` per sequence)."""

    def __init__(self, gguf: str | Path, *, lora: str | Path | None = None, lora_scale: float = 1.0,
                 n_ctx: int = 1024, threads: int = 1, n_batch: int = 512):
        from runtime.llama_load import open_llama

        # logits_all: every row is needed here; this is a measurement, not the serving path. open_llama: the
        # repacked (AMX) weight buffers segfault in llama_decode on this machine's CPUs (runtime/llama_load.py).
        self.llm = open_llama(str(gguf), lora_path=str(lora) if lora else None, lora_scale=lora_scale,
                         n_ctx=n_ctx, n_batch=min(n_batch, n_ctx), n_threads=threads, n_threads_batch=threads,
                         logits_all=True, verbose=False, seed=0)
        self.n_ctx = n_ctx

    def logits(self, ids: list[int]) -> np.ndarray:
        if len(ids) > self.n_ctx:
            raise ValueError(f"sequence of {len(ids)} tokens does not fit n_ctx {self.n_ctx}")
        self.llm.reset()
        self.llm.eval(ids)
        return np.array(self.llm.scores[:len(ids)], dtype=np.float32)

    def tokenize(self, text: str) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def close(self) -> None:
        self.llm.close()

    def __enter__(self) -> LlamaScorer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def prompt_ids(tok, instruction: str, system_prompt: str = "") -> list[int]:
    """The served chat format (generation prompt included), as PyTorch tokenizes it."""
    from pipeline.textdata import chat_messages

    text = tok.apply_chat_template(chat_messages(instruction, None, system_prompt), tokenize=False,
                                   add_generation_prompt=True)
    return tok(text, add_special_tokens=False)["input_ids"]


def example_sequence(tok, instruction: str, response: str, system_prompt: str = "",
                     max_len: int = 512) -> Sequence:
    """A chat example scored on its assistant tokens (perplexity), as training encodes it."""
    from pipeline.lora import encode_example

    enc = encode_example(tok, instruction, response, max_len, system_prompt)
    n_prompt = next((i for i, x in enumerate(enc.labels) if x != -100), len(enc.labels))
    return Sequence(enc.input_ids, n_prompt)


def _torch_logits(model, ids: list[int]) -> np.ndarray:
    import torch

    with torch.no_grad():
        t = torch.tensor([ids], dtype=torch.long)
        return model(input_ids=t, attention_mask=torch.ones_like(t)).logits[0].float().cpu().numpy()


def torch_continuation(model, tok, ids: list[int], n_tokens: int) -> list[int]:
    """PyTorch's greedy continuation (stops after EOS)."""
    import torch

    t = torch.tensor([ids], dtype=torch.long)
    with torch.no_grad():
        out = model.generate(input_ids=t, attention_mask=torch.ones_like(t), max_new_tokens=n_tokens,
                             do_sample=False, use_cache=True, pad_token_id=tok.pad_token_id or tok.eos_token_id)
    cont = out[0, len(ids):].tolist()
    gen_eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    stops = {tok.eos_token_id, *(gen_eos if isinstance(gen_eos, list) else [gen_eos])} - {None}
    cut = next((i for i, t in enumerate(cont) if t in stops), None)
    return cont if cut is None else cont[:cut + 1]


@dataclass
class Reference:
    """PyTorch's side of one prompt, computed once and compared with any number of GGUFs."""

    prompt: list[int]
    cont: list[int]  # greedy continuation (KV-cached generate)
    self_agreed: int  # positions where a full forward pass gives the same argmax
    margins: list[float]  # PyTorch's top-1 minus top-2 logit per continuation position
    text: str = ""  # the prompt as text (for the tokenizer check)


def torch_references(model, tok, prompts: list[list[int]], n_tokens: int, *, texts: list[str] | None = None,
                     progress=None) -> list[Reference]:
    refs = []
    items = list(zip(prompts, texts or [""] * len(prompts), strict=True))
    for p, text in (progress(items, "PyTorch greedy") if progress else items):
        cont = torch_continuation(model, tok, p, n_tokens)
        if not cont:
            continue
        tl = _torch_logits(model, p + cont)[len(p) - 1:len(p) + len(cont) - 1]
        top2 = np.partition(tl, -2, axis=1)[:, -2:]
        refs.append(Reference(p, cont, int((tl.argmax(axis=1) == np.array(cont)).sum()),
                              [round(float(x), 4) for x in top2[:, 1] - top2[:, 0]], text))
    return refs


def token_agreement(refs: list[Reference], scorer: LlamaScorer, *, tok=None, progress=None,
                    keep_examples: int = 3) -> AgreementReport:
    """Teacher-forced greedy agreement of ``scorer`` (llama.cpp) with the PyTorch references (module doc)."""
    agreed = positions = self_agreed = 0
    prefix, first_div, margins, examples = [], [], [], []
    for r in (progress(refs, "agreement") if progress else refs):
        full, n = r.prompt + r.cont, len(r.prompt)
        llama_top = scorer.logits(full)[n - 1:len(full) - 1].argmax(axis=1)
        ok = llama_top == np.array(r.cont)
        agreed += int(ok.sum())
        positions += len(r.cont)
        self_agreed += r.self_agreed
        bad = np.flatnonzero(~ok)
        first_div.append(int(bad[0]) if len(bad) else None)
        prefix.append((int(bad[0]) if len(bad) else len(r.cont)) / len(r.cont))
        margins += [r.margins[j] for j in bad]
        if tok is not None and len(examples) < keep_examples:
            examples.append({"prompt_tokens": n, "tokens": len(r.cont), "agreed": int(ok.sum()),
                             "first_divergence": first_div[-1],
                             "torch": tok.decode(r.cont, skip_special_tokens=False)[:300],
                             "llama_at_divergence": tok.decode([int(llama_top[bad[0]])]) if len(bad) else None,
                             "torch_at_divergence": tok.decode([r.cont[bad[0]]]) if len(bad) else None})
    texts = [r for r in refs if r.text]
    tok_match = round(sum(scorer.tokenize(r.text) == r.prompt for r in texts) / len(texts), 4) if texts else None
    nan = float("nan")
    return AgreementReport(
        agreement=round(agreed / positions, 5) if positions else nan, positions=positions, agreed=agreed,
        prompts=len(first_div), prefix_agreement=round(float(np.mean(prefix)), 5) if prefix else nan,
        first_divergence=first_div, torch_self_agreement=round(self_agreed / positions, 5) if positions else nan,
        median_torch_margin_at_disagreement=round(float(np.median(margins)), 4) if margins else None,
        tokenizer_match=tok_match, examples=examples)


def _nll(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    x = logits.astype(np.float64)
    m = x.max(axis=1, keepdims=True)
    lse = np.log(np.exp(x - m).sum(axis=1)) + m[:, 0]
    return lse - x[np.arange(len(targets)), targets]


def _scored(seqs: list[Sequence]) -> list[Sequence]:
    return [s for s in seqs if 1 <= s.n_prompt < len(s.ids)]


def torch_nll(model, seqs: list[Sequence], progress=None) -> tuple[float, int]:
    """Summed negative log-likelihood of the scored tokens under PyTorch, and how many there were."""
    total, count = 0.0, 0
    seqs = _scored(seqs)
    for s in (progress(seqs, "PyTorch perplexity") if progress else seqs):
        targets = np.array(s.ids[s.n_prompt:])
        total += float(_nll(_torch_logits(model, s.ids)[s.n_prompt - 1:-1], targets).sum())
        count += len(targets)
    return total, count


def perplexity(torch_side: tuple[float, int], scorer: LlamaScorer, seqs: list[Sequence],
               progress=None) -> PerplexityReport:
    """Perplexity of the same tokens under PyTorch (``torch_nll``) and llama.cpp (pooled over scored tokens)."""
    seqs = _scored(seqs)
    total, count = 0.0, 0
    for s in (progress(seqs, "llama.cpp perplexity") if progress else seqs):
        targets = np.array(s.ids[s.n_prompt:])
        total += float(_nll(scorer.logits(s.ids)[s.n_prompt - 1:-1], targets).sum())
        count += len(targets)
    t_total, t_count = torch_side
    if not count or count != t_count:
        raise ValueError(f"perplexity: {count} llama.cpp tokens vs {t_count} PyTorch tokens")
    pt, pl = math.exp(t_total / count), math.exp(total / count)
    return PerplexityReport(torch=round(pt, 5), llama=round(pl, 5), rel_diff=round(pl / pt - 1, 6), tokens=count,
                            texts=len(seqs))


def context_for(seqs: list[list[int]], extra: int = 0) -> int:
    """An n_ctx that holds the longest sequence (+ ``extra`` generated tokens), rounded up to 256."""
    need = max((len(s) for s in seqs), default=1) + extra + 8
    return int(math.ceil(need / 256) * 256)
