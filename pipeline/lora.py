"""LoRA training on the dense base (peft), and export of adapters and merged models to GGUF.

Shared by ``finetune_base`` and ``train_lora``. The training loop is small and
explicit (AdamW, linear warmup + cosine decay, gradient accumulation,
validation loss every ``eval_every`` steps, early stopping, best checkpoint)
so that it behaves the same on a 2-core CPU and on a GPU. The loss is computed
only on assistant tokens, and the vocabulary projection only runs at those
positions (on a 135M model it is a fifth of the compute).

GGUF layout: llama.cpp's ``convert_hf_to_gguf.py`` permutes the rows of
``q_proj``/``k_proj`` for llama models (rotary layout). A LoRA delta ``B @ A``
on those weights must get the same row permutation, i.e. ``lora_b`` rows are
permuted; everything else maps one to one.
"""

from __future__ import annotations

import logging
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.textdata import chat_messages

log = logging.getLogger("pipeline.lora")

HF_TO_GGUF = {
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_LORA_KEY = re.compile(r"layers\.(\d+)\.((?:self_attn|mlp)\.\w+_proj)\.lora_([AB])\.weight$")


@dataclass
class LoraParams:
    rank: int = 8
    alpha: float = 16.0
    dropout: float = 0.05
    targets: list[str] = field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
                                                        "up_proj", "down_proj"])
    layers: list[int] = field(default_factory=list)  # empty = every layer
    lr: float = 2e-4
    epochs: float = 1.0
    max_steps: int = 0  # optimizer steps; > 0 overrides `epochs` (as in transformers' TrainingArguments)
    batch_size: int = 8
    grad_accum: int = 1
    warmup_ratio: float = 0.06
    min_lr_ratio: float = 0.1  # cosine decays to lr * min_lr_ratio
    weight_decay: float = 0.0
    max_len: int = 256  # tokens per example (prompt + response)
    eval_every: int = 25  # optimizer steps between validation passes
    patience: int = 3  # validation passes without improvement before stopping
    min_delta: float = 0.001
    rehearsal: float = 0.1  # fraction of general examples mixed into the training data
    adapter_dtype: str = "f16"  # GGUF adapter tensors: f16 | f32
    precision: str = "auto"  # matmuls: auto (bf16 autocast where the CPU/GPU has bf16 units) | bf16 | fp32


def lora_params_of(config: Any) -> LoraParams:
    return LoraParams(**{f: getattr(config, f) for f in LoraParams.__dataclass_fields__})


# -- data ------------------------------------------------------------------------------------------
@dataclass
class Encoded:
    input_ids: list[int]
    labels: list[int]  # -100 on prompt tokens


def encode_example(tok, instruction: str, response: str, max_len: int, system_prompt: str = "") -> Encoded:
    """Chat-template tokens (the template the runtime serves with); labels only on the assistant turn."""
    prompt = tok.apply_chat_template(chat_messages(instruction, None, system_prompt), tokenize=False,
                                     add_generation_prompt=True)
    full = tok.apply_chat_template(chat_messages(instruction, response, system_prompt), tokenize=False)
    if not full.startswith(prompt):  # templates that rewrite earlier turns: fall back to concatenation
        full = prompt + response + (tok.eos_token or "")
    p_ids = tok(prompt, add_special_tokens=False)["input_ids"]
    r_ids = tok(full[len(prompt):], add_special_tokens=False)["input_ids"]
    if len(p_ids) > max_len - 16:
        p_ids = p_ids[-(max_len - 16):]
    r_ids = r_ids[:max_len - len(p_ids)]
    return Encoded(p_ids + r_ids, [-100] * len(p_ids) + r_ids)


def collate(batch: list[Encoded], pad_id: int):
    import torch

    n = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), n), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), n), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    for i, e in enumerate(batch):
        k = len(e.input_ids)
        ids[i, :k] = torch.tensor(e.input_ids)
        labels[i, :k] = torch.tensor(e.labels)
        mask[i, :k] = 1
    return ids, labels, mask


def bf16_supported() -> bool:
    """bf16 matrix units: AVX512-BF16/AMX on x86 CPUs (2.4x fp32 matmul throughput measured here), or CUDA."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    try:
        flags = open("/proc/cpuinfo").read()
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def autocast(precision: str, model=None):
    """Autocast context for ``precision`` (weights stay fp32; LoRA updates are fp32)."""
    import contextlib

    import torch

    use = precision == "bf16" or (precision == "auto" and bf16_supported())
    if not use:
        return contextlib.nullcontext()
    dev = next(model.parameters()).device.type if model is not None else "cpu"
    return torch.autocast(dev, dtype=torch.bfloat16)


def _to_device(tensors, model):
    dev = next(model.parameters()).device
    return tuple(t.to(dev) for t in tensors)


def response_loss(causal_lm, ids, labels, mask, reduction: str = "mean"):
    """Next-token cross-entropy on labelled positions, projecting to the vocabulary only there."""
    import torch.nn.functional as F

    hidden = causal_lm.model(input_ids=ids, attention_mask=mask).last_hidden_state
    targets = labels[:, 1:]
    sel = targets != -100
    h = hidden[:, :-1][sel]
    logits = causal_lm.lm_head(h).float()
    return F.cross_entropy(logits, targets[sel], reduction=reduction), int(sel.sum())


def batches_by_length(encoded: list[Encoded], batch_size: int, rng: random.Random) -> list[list[Encoded]]:
    """Shuffled batches of similar length (less padding), in random order."""
    idx = list(range(len(encoded)))
    rng.shuffle(idx)
    out = []
    group = batch_size * 8
    for g in range(0, len(idx), group):
        chunk = sorted(idx[g:g + group], key=lambda i: len(encoded[i].input_ids))
        out += [[encoded[i] for i in chunk[k:k + batch_size]] for k in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


# -- training --------------------------------------------------------------------------------------
@dataclass
class Checkpoint:
    step: int
    val: dict[str, float]
    state: dict[str, Any]  # LoRA tensors only (peft state dict)


@dataclass
class TrainResult:
    model: Any  # the peft model, with the selected checkpoint loaded
    tokenizer: Any
    selected: Checkpoint
    baseline: dict[str, float]  # validation losses before training
    history: list[dict[str, Any]]
    checkpoints: list[Checkpoint]
    steps: int
    stopped_early: bool
    trainable_params: int
    train_examples: int
    train_tokens: int
    seconds: float


def load_dense(model_dir: str | Path, threads: int, four_bit: bool = False):
    """The base for training: float32 on CPU; NF4 4-bit (QLoRA) when ``four_bit`` (CUDA + bitsandbytes).
    ``threads`` 0 = the cores free right now."""
    from pipeline.cpu import CoreWatch, prepare_torch_env

    prepare_torch_env()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(CoreWatch(threads).threads(window=0.3))
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    if four_bit:
        from peft import prepare_model_for_kbit_training
        from transformers import BitsAndBytesConfig

        q = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                               bnb_4bit_compute_dtype=torch.bfloat16)
        model = AutoModelForCausalLM.from_pretrained(str(model_dir), quantization_config=q, device_map="auto")
        model = prepare_model_for_kbit_training(model)
    else:
        model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32)
    model.config.use_cache = False
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    return model, tok


def evaluate_loss(causal_lm, encoded: list[Encoded], pad_id: int, batch_size: int = 16,
                  precision: str = "fp32") -> float:
    import torch

    if not encoded:
        return float("nan")
    total, count = 0.0, 0
    was_training = causal_lm.training
    causal_lm.eval()
    with torch.no_grad():
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].input_ids))
        for k in range(0, len(order), batch_size):
            ids, labels, mask = _to_device(collate([encoded[i] for i in order[k:k + batch_size]], pad_id), causal_lm)
            with autocast(precision, causal_lm):
                loss, n = response_loss(causal_lm, ids, labels, mask, reduction="sum")
            total += float(loss)
            count += n
    causal_lm.train(was_training)
    return total / max(count, 1)


def example_nlls(causal_lm, encoded: list[Encoded], pad_id: int, batch_size: int = 16,
                 progress: Callable | None = None, precision: str = "auto") -> list[float]:
    """Mean negative log-likelihood of each example's labelled tokens (perplexity = exp of it)."""
    import torch

    out = [float("nan")] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].input_ids))
    chunks = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    causal_lm.eval()
    with torch.no_grad():
        for chunk in (progress(chunks, "perplexity") if progress else chunks):
            ids, labels, mask = _to_device(collate([encoded[i] for i in chunk], pad_id), causal_lm)
            with autocast(precision, causal_lm):
                losses, _ = response_loss(causal_lm, ids, labels, mask, reduction="none")
            counts = (labels[:, 1:] != -100).sum(dim=1).tolist()
            pos = 0
            for i, c in zip(chunk, counts, strict=True):
                out[i] = float(losses[pos:pos + c].mean()) if c else float("nan")
                pos += c
    return out


def train_lora(model_dir: str | Path, train: list[dict[str, Any]], val_sets: dict[str, list[dict[str, Any]]],
               p: LoraParams, *, primary: str, threads: int, seed: int = 0, system_prompt: str = "",
               select: Callable[[Checkpoint, dict[str, float]], float] | None = None,
               progress: Callable | None = None, keep_all: bool = False, four_bit: bool = False) -> TrainResult:
    """Train one LoRA adapter; return the checkpoint with the best ``select`` score.

    ``select(checkpoint, baseline)`` is maximised (default: lowest ``primary`` validation loss); early
    stopping watches the ``primary`` validation loss. ``threads`` 0 = adapt to the cores other processes
    leave free, re-checked at every validation.
    """
    import torch
    from peft import LoraConfig, get_peft_model, get_peft_model_state_dict, set_peft_model_state_dict

    from pipeline.cpu import CoreWatch

    t0 = time.perf_counter()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    model, tok = load_dense(model_dir, threads, four_bit)
    cores = CoreWatch(threads)
    pad_id = tok.pad_token_id
    enc_train = [encode_example(tok, r["instruction"], r["response"], p.max_len, system_prompt) for r in train]
    enc_train = [e for e in enc_train if any(x != -100 for x in e.labels)]
    enc_val = {k: [encode_example(tok, r["instruction"], r["response"], p.max_len, system_prompt) for r in v]
               for k, v in val_sets.items() if v}
    if not enc_train:
        raise ValueError("no training examples")
    cfg = LoraConfig(r=p.rank, lora_alpha=p.alpha, lora_dropout=p.dropout, target_modules=list(p.targets),
                     layers_to_transform=list(p.layers) or None, bias="none", task_type="CAUSAL_LM")
    pm = get_peft_model(model, cfg)
    base = pm.get_base_model()
    trainable = [q for q in pm.parameters() if q.requires_grad]
    n_trainable = sum(q.numel() for q in trainable)
    opt = torch.optim.AdamW(trainable, lr=p.lr, weight_decay=p.weight_decay)
    micro_per_epoch = math.ceil(len(enc_train) / p.batch_size)
    steps_from_epochs = max(1, math.ceil(micro_per_epoch * p.epochs / p.grad_accum))
    total = p.max_steps if p.max_steps > 0 else steps_from_epochs
    warm = max(1, int(total * p.warmup_ratio)) if p.warmup_ratio > 0 else 0

    def lr_lambda(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        prog = (step - warm) / max(1, total - warm)
        return p.min_lr_ratio + (1 - p.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, prog)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    rng = random.Random(seed)

    def snapshot() -> dict[str, Any]:
        return {k: v.detach().clone() for k, v in get_peft_model_state_dict(pm).items()}

    def validate() -> dict[str, float]:
        return {k: round(evaluate_loss(base, v, pad_id, precision=p.precision), 5) for k, v in enc_val.items()}

    baseline = validate()
    log.info("LoRA: %d train examples, %d steps (batch %d x accum %d), %s trainable params, bf16 autocast %s; "
             "baseline val %s", len(enc_train), total, p.batch_size, p.grad_accum, f"{n_trainable:,}",
             p.precision == "bf16" or (p.precision == "auto" and bf16_supported()), baseline)
    score = select or (lambda c, b: -c.val.get(primary, float("inf")))
    history: list[dict[str, Any]] = [{"step": 0, "val": baseline, "seconds": round(time.perf_counter() - t0, 1)}]
    first = Checkpoint(0, baseline, snapshot())
    best, best_score = first, score(first, baseline)
    checkpoints = [first] if keep_all else []
    best_primary, bad_evals = baseline.get(primary, float("inf")), 0
    stopped_early = False
    tokens_seen = 0
    queue: list[list[Encoded]] = []
    running, running_n = 0.0, 0
    pm.train()
    steps_iter = range(1, total + 1)
    if progress:
        steps_iter = progress(steps_iter, "steps", total)
    step = 0
    for step in steps_iter:
        for _ in range(p.grad_accum):
            if not queue:
                queue = batches_by_length(enc_train, p.batch_size, rng)
            ids, labels, mask = _to_device(collate(queue.pop(), pad_id), base)
            with autocast(p.precision, base):
                loss, _ = response_loss(base, ids, labels, mask)
            (loss / p.grad_accum).backward()
            running += float(loss.detach())
            running_n += 1
            tokens_seen += int(mask.sum())
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if step % p.eval_every == 0 or step == total:
            n_threads = cores.threads()
            if n_threads != torch.get_num_threads():
                torch.set_num_threads(n_threads)
            val = validate()
            ck = Checkpoint(step, val, snapshot())
            s = score(ck, baseline)
            rec = {"step": step, "lr": round(sched.get_last_lr()[0], 8), "train_loss": round(running / running_n, 5),
                   "val": val, "select_score": round(s, 5), "seconds": round(time.perf_counter() - t0, 1),
                   "threads": n_threads}
            history.append(rec)
            log.info("LoRA step %d/%d: %s", step, total, rec)
            running, running_n = 0.0, 0
            if keep_all:
                checkpoints.append(ck)
            if s > best_score:
                best, best_score = ck, s
            cur = val.get(primary, float("inf"))
            if cur < best_primary - p.min_delta:
                best_primary, bad_evals = cur, 0
            else:
                bad_evals += 1
                if bad_evals >= p.patience:
                    stopped_early = True
                    log.info("LoRA: early stop at step %d (no %s improvement in %d evaluations)", step, primary,
                             bad_evals)
                    break
    set_peft_model_state_dict(pm, best.state)
    pm.eval()
    return TrainResult(pm, tok, best, baseline, history, checkpoints or [best], step, stopped_early, n_trainable,
                       len(enc_train), tokens_seen, time.perf_counter() - t0)


def mix_rehearsal(target: list[dict[str, Any]], general: list[dict[str, Any]], fraction: float,
                  rng: random.Random) -> list[dict[str, Any]]:
    """Training mix where ``fraction`` of the examples are general ones (rehearsal against forgetting)."""
    if fraction <= 0 or not general:
        return list(target)
    n_general = round(len(target) * fraction / (1 - fraction))
    picks = [general[rng.randrange(len(general))] for _ in range(n_general)] if n_general > len(general) else \
        rng.sample(general, n_general)
    mixed = list(target) + picks
    rng.shuffle(mixed)
    return mixed


# -- export ----------------------------------------------------------------------------------------
def rope_permute(w: np.ndarray, n_head: int, n_head_kv: int | None = None) -> np.ndarray:
    """llama.cpp's ``permute`` from convert_hf_to_gguf.py (rows of q/k into its rotary layout)."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def peft_to_gguf_tensors(state: dict[str, Any], n_head: int, n_head_kv: int) -> dict[str, tuple[np.ndarray,
                                                                                                   np.ndarray]]:
    """peft LoRA state dict -> {``blk.N.attn_q.weight``: (lora_a (r, in), lora_b (out, r))} in GGUF layout."""
    pairs: dict[str, dict[str, np.ndarray]] = {}
    for k, v in state.items():
        m = _LORA_KEY.search(k)
        if not m:
            raise ValueError(f"unexpected LoRA tensor {k!r} (only attention/MLP projections can be exported)")
        layer, module, ab = m.groups()
        name = f"blk.{layer}.{HF_TO_GGUF[module]}.weight"
        pairs.setdefault(name, {})[ab] = v.detach().float().cpu().numpy()
    out = {}
    for name, d in pairs.items():
        a, b = d["A"], d["B"]
        if ".attn_q." in name:
            b = rope_permute(b, n_head, n_head)
        elif ".attn_k." in name:
            b = rope_permute(b, n_head, n_head_kv)
        out[name] = (a, b)
    return out


def export_adapter(pm, path: str | Path, *, alpha: float, n_head: int, n_head_kv: int, arch: str = "llama",
                   name: str = "modroute-lora", dtype: str = "f16") -> Path:
    from peft import get_peft_model_state_dict

    from runtime.lora_gguf import write_lora_gguf

    tensors = peft_to_gguf_tensors(get_peft_model_state_dict(pm), n_head, n_head_kv)
    return write_lora_gguf(path, tensors, alpha=alpha, arch=arch, name=name, dtype=dtype)


_GGUF_TO_HF_GLOBAL = {"token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
                      "output.weight": "lm_head.weight"}
_GGUF_TO_HF_BLOCK = {"attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
                     **{v: k for k, v in HF_TO_GGUF.items()}}


def export_model_gguf(model, template_gguf: str | Path, out_path: str | Path, *, quant: str = "Q8_0",
                      threads: int = 1, name: str = "") -> Path:
    """Write a dense llama model as a GGUF the runtime can serve, taking metadata and tokenizer from the
    GGUF it was loaded from; then quantize it with llama.cpp (``quant``: Q8_0, Q4_1, Q5_K_M, ... or F16)."""
    import gguf
    import llama_cpp

    out_path = Path(out_path)
    reader = gguf.GGUFReader(str(template_gguf))
    arch = reader.fields["general.architecture"].contents()
    n_head = int(reader.fields[f"{arch}.attention.head_count"].contents())
    n_head_kv = int(reader.fields[f"{arch}.attention.head_count_kv"].contents())
    sd = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}
    f16_path = out_path.with_name(out_path.stem + ".f16.gguf") if quant.upper() != "F16" else out_path
    w = gguf.GGUFWriter(str(f16_path), arch)
    for fld in reader.fields.values():
        if fld.name == gguf.Keys.General.ARCHITECTURE or fld.name.startswith("GGUF."):
            continue
        val_type = fld.types[0]
        sub_type = fld.types[-1] if val_type == gguf.GGUFValueType.ARRAY else None
        value = fld.contents()
        if fld.name == "general.file_type":
            value = int(gguf.LlamaFileType.MOSTLY_F16)
        elif fld.name == "general.name" and name:
            value = name
        w.add_key_value(fld.name, value, val_type, sub_type=sub_type)
    for t in reader.tensors:
        if t.name in _GGUF_TO_HF_GLOBAL:
            hf = _GGUF_TO_HF_GLOBAL[t.name]
        else:
            m = re.fullmatch(r"blk\.(\d+)\.(\w+)\.weight", t.name)
            if not m or m.group(2) not in _GGUF_TO_HF_BLOCK:
                raise ValueError(f"cannot map GGUF tensor {t.name} to the PyTorch model")
            hf = f"model.layers.{m.group(1)}.{_GGUF_TO_HF_BLOCK[m.group(2)]}.weight"
        arr = sd[hf]
        if t.name.endswith(".attn_q.weight"):
            arr = rope_permute(arr, n_head, n_head)
        elif t.name.endswith(".attn_k.weight"):
            arr = rope_permute(arr, n_head, n_head_kv)
        arr = np.ascontiguousarray(arr, dtype=np.float32 if arr.ndim == 1 else np.float16)
        w.add_tensor(t.name, arr)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    if f16_path == out_path:
        return out_path
    ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{quant.upper()}", None)
    if ftype is None:
        raise ValueError(f"unknown quantization {quant!r} (llama.cpp has no LLAMA_FTYPE_MOSTLY_{quant.upper()})")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = max(1, threads)
    rc = llama_cpp.llama_model_quantize(str(f16_path).encode(), str(out_path).encode(), params)
    f16_path.unlink(missing_ok=True)
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize failed (rc={rc})")
    return out_path


def torch_greedy(pm, tok, instruction: str, max_new_tokens: int = 32, system_prompt: str = "") -> str:
    """Greedy answer from the PyTorch model (to compare with what llama.cpp serves)."""
    import torch

    prompt = tok.apply_chat_template(chat_messages(instruction, None, system_prompt), tokenize=False,
                                     add_generation_prompt=True)
    ids = tok(prompt, add_special_tokens=False, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        out = pm.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                          do_sample=False, use_cache=True, pad_token_id=tok.pad_token_id)
    return tok.decode(out[0, ids.shape[1]:], skip_special_tokens=True)
