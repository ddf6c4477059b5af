"""Sparse weights: which Linears a pruning targets, N:M checks, sparse storage size, and fine-tuning
that keeps every pruned weight at zero.

The mask of a pruned weight is where it is zero right after pruning. Recovery fine-tuning keeps it
two ways: each masked weight's gradient is multiplied by its mask (so AdamW's moments stay zero
there and its update is exactly zero, weight decay included), and the mask is multiplied into the
weight again after every optimizer step. Then zeros are counted: a masked position that is not zero
any more is an error, never a silent loss of sparsity.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ATTENTION = r"re:.*self_attn\.(q|k|v|o)_proj$"
FFN = r"re:.*mlp\.(gate|up|down)_proj$"
GROUPS = {"attention": ATTENTION, "ffn": FFN}


class SparsityViolation(RuntimeError):
    """A weight that should be zero is not (a mask was lost), or an N:M group has too few zeros."""


def group_modules(model, group: str) -> dict[str, Any]:
    """Name -> Linear module of one target group ("attention" | "ffn")."""
    import torch

    pat = re.compile(GROUPS[group][3:])
    return {n: m for n, m in model.named_modules() if isinstance(m, torch.nn.Linear) and pat.match(n)}


def nm_violations(weight, n: int = 2, m: int = 4) -> int:
    """Groups of ``m`` consecutive input weights (along each row) with fewer than ``n`` zeros."""
    w = weight.detach()
    rows, cols = w.shape
    if cols % m:
        raise ValueError(f"input width {cols} is not a multiple of {m}")
    zeros = (w.reshape(rows, cols // m, m) == 0).sum(dim=-1)
    return int((zeros < n).sum())


def capture_masks(model, names: list[str]) -> dict[str, Any]:
    """Name -> bool tensor, True where the weight is kept (non-zero)."""
    mods = dict(model.named_modules())
    return {n: (mods[n].weight.detach() != 0) for n in names}


def zeros_count(model, masks: dict[str, Any]) -> dict[str, int]:
    """Zeros now, and masked positions that are no longer zero (must be 0)."""
    mods = dict(model.named_modules())
    zeros = violations = 0
    for n, keep in masks.items():
        w = mods[n].weight.detach()
        zeros += int((w == 0).sum())
        violations += int(((w != 0) & ~keep).sum())
    return {"zeros": zeros, "masked": sum(int((~k).sum()) for k in masks.values()), "violations": violations}


def sparse_size_mb(model, masks: dict[str, Any], value_bytes: int = 2, nm: tuple[int, int] | None = None) -> float:
    """Size in MB (1e6 bytes) of the model stored sparse at ``value_bytes`` per value (16-bit by default).

    A masked weight costs the cheaper of: dense; a bitmask (1 bit per position) + its non-zeros; or, when
    every group of ``nm`` = (n, m) holds n zeros or more, (m-n)/m of its values + 2 index bits per kept
    value (the compressed 2:4 layout). Every other tensor (tied ones once) is dense.
    """
    mods = dict(model.named_modules())
    masked_ids = {id(mods[n].weight) for n in masks}
    total = 0.0
    seen = set()
    for p in model.parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        if id(p) not in masked_ids:
            total += p.numel() * value_bytes
    for n in masks:
        w = mods[n].weight.detach()
        numel, nnz = w.numel(), int((w != 0).sum())
        options = [numel * value_bytes, nnz * value_bytes + numel / 8]
        if nm and nm[0] > 0 and w.shape[1] % nm[1] == 0 and nm_violations(w, *nm) == 0:
            kept = numel * (nm[1] - nm[0]) / nm[1]
            options.append(kept * value_bytes + kept * 2 / 8)
        total += min(options)
    return round(total / 1e6, 6)


def grid_score(quality_a: float, quality_b: float, size_mb: float) -> float:
    """The reference formula: ``(0.4 * quality_a + 0.4 * quality_b) - size_MB / 2000``."""
    return (0.4 * quality_a + 0.4 * quality_b) - size_mb / 2000


@dataclass
class RecoveryParams:
    steps: int = 20
    lr: float = 2e-5
    batch_size: int = 4
    max_len: int = 256
    weight_decay: float = 0.0


def masked_finetune(model, tok, records: list[dict[str, Any]], masks: dict[str, Any], p: RecoveryParams, *,
                    seed: int = 0, progress: Callable | None = None, log=None) -> dict[str, Any]:
    """Fine-tune the masked Linears (everything else frozen) on ``records``; every masked zero stays zero."""
    import torch

    from pipeline.lora import batches_by_length, collate, encode_example, response_loss

    if p.steps <= 0 or not records:
        return {"steps": 0, "skipped": "no steps" if p.steps <= 0 else "no data"}
    mods = dict(model.named_modules())
    params = []
    hooks = []
    for p_ in model.parameters():
        p_.requires_grad_(False)
    for n, keep in masks.items():
        w = mods[n].weight
        w.requires_grad_(True)
        params.append((w, keep))
        hooks.append(w.register_hook(lambda g, k=keep: g * k))
    before = zeros_count(model, masks)
    opt = torch.optim.AdamW([w for w, _ in params], lr=p.lr, weight_decay=p.weight_decay)
    rng = random.Random(seed)
    enc = [encode_example(tok, r["instruction"], r["response"], p.max_len) for r in records]
    batches: list = []
    losses = []
    t0 = time.perf_counter()
    model.train()
    steps = range(p.steps)
    for _ in (progress(steps, "recovery") if progress else steps):
        if not batches:
            batches = batches_by_length(enc, p.batch_size, rng)
        ids, labels, mask = collate(batches.pop(), tok.pad_token_id)
        loss, _ = response_loss(model, ids, labels, mask)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for w, keep in params:
                w.mul_(keep)
        losses.append(float(loss.detach()))
    model.eval()
    for h in hooks:
        h.remove()
    for w, _ in params:
        w.requires_grad_(False)
    after = zeros_count(model, masks)
    if after["violations"] or after["zeros"] < before["masked"]:
        raise SparsityViolation(f"recovery fine-tuning lost sparsity: {after['violations']} masked weights are "
                                f"non-zero ({before['zeros']} zeros before, {after['zeros']} after)")
    if log:
        log.info("recovery: %d steps, loss %.4f -> %.4f, zeros %d -> %d, 0 masked weights changed", p.steps,
                 losses[0], losses[-1], before["zeros"], after["zeros"])
    head = losses[: max(1, len(losses) // 4)]
    tail = losses[-max(1, len(losses) // 4):]
    return {"steps": p.steps, "seconds": round(time.perf_counter() - t0, 1), "loss_first": round(losses[0], 5),
            "loss_last": round(losses[-1], 5), "loss_first_quarter": round(sum(head) / len(head), 5),
            "loss_last_quarter": round(sum(tail) / len(tail), 5), "zeros_before": before["zeros"],
            "zeros_after": after["zeros"], "masked": before["masked"], "mask_violations": after["violations"],
            "finite": all(math.isfinite(x) for x in losses)}
