"""First-order MAML (FOMAML) over task families, for a LoRA on the dense base.

A *task family* is a group of examples that share one way of being solved: a math word-problem
template, a reasoning puzzle kind, a kind of code task (string / list / dict / class / number), an
automation tool sequence. An *episode* draws k support examples and a disjoint query set from one
family. Meta-learning looks for LoRA weights ``phi`` from which a few optimizer steps on the support
set give a low loss on the query set.

FOMAML (Finn et al. 2017, first-order variant; cf. Nichol et al. 2018): for each episode copy
``phi`` into the adapter, take ``inner_steps`` steps on the support loss, take the query loss's
gradient *at the adapted weights* and use it, averaged over the meta-batch, as the gradient of
``phi`` for an outer Adam step. The second-order term (differentiating through the inner loop) is
dropped, which is what makes it affordable on a CPU: an episode costs ``inner_steps + 1``
forward/backward passes and no more memory than plain LoRA training.

Only the LoRA tensors ever receive gradients or optimizer steps; the base weights stay frozen
(``tests/test_maml.py`` checks them against the ``base`` phase's safetensors).
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.lora import Encoded, autocast, collate, encode_example, response_loss

log = logging.getLogger("pipeline.meta")


# -- task families ---------------------------------------------------------------------------------
_CODE_KINDS = (  # first match wins: a "class" task that takes a dict is a class task
    ("class", re.compile(r"\bclass\b|`[A-Z][A-Za-z]+`")),
    ("dict", re.compile(r"\bdict(?:ionar(?:y|ies))?s?\b|\bmapping\b|\bkeys?\b", re.I)),
    ("string", re.compile(r"\bstrings?\b|\btext\b|\bwords?\b|\bsentences?\b|\bcharacters?\b|\bletters?\b|"
                          r"\bvowels?\b|\(s\)|\(word\)|\(text\)", re.I)),
    ("list", re.compile(r"\blists?\b|\barrays?\b|\bnums\b|\bitems\b|\bgrid\b|\bmatrix\b|\bsequence\b", re.I)),
    ("number", re.compile(r"\bintegers?\b|\bnumbers?\b|\bdigits?\b|\(n\)|\bprime\b|\bfactorial\b", re.I)),
)


def family_of(rec: dict[str, Any], domain: str) -> str:
    """The family an example belongs to, ``domain/kind``.

    An explicit ``family`` field wins; template-generated examples (``source: modroute-template:NAME``)
    are grouped by template; code tasks (all handwritten here) by what they operate on, from keywords
    in the instruction; anything else by its ``source``.
    """
    if rec.get("family"):
        return f"{domain}/{rec['family']}"
    source = str(rec.get("source") or "")
    if source.startswith("modroute-template:"):
        return f"{domain}/{source.split(':', 1)[1]}"
    if domain == "code" or rec.get("entry_point"):
        text = str(rec.get("instruction") or "")
        for kind, pat in _CODE_KINDS:
            if pat.search(text):
                return f"{domain}/{kind}"
        return f"{domain}/other"
    return f"{domain}/{source.removeprefix('modroute-') or 'misc'}"


@dataclass
class TaskFamily:
    name: str  # "math/discount"
    domain: str
    examples: list[dict[str, Any]]


def build_families(records: dict[str, list[dict[str, Any]]], min_size: int) -> tuple[dict[str, TaskFamily],
                                                                                        dict[str, int]]:
    """``{domain: records}`` -> families with at least ``min_size`` examples, and the sizes of those left out."""
    groups: dict[str, TaskFamily] = {}
    for domain, recs in records.items():
        for r in recs:
            name = family_of(r, domain)
            groups.setdefault(name, TaskFamily(name, domain, [])).examples.append(r)
    kept = {n: f for n, f in sorted(groups.items()) if len(f.examples) >= min_size}
    small = {n: len(f.examples) for n, f in sorted(groups.items()) if len(f.examples) < min_size}
    return kept, small


def split_heldout(families: dict[str, TaskFamily], heldout: list[str], per_domain: int, min_eval_size: int,
                  rng: random.Random) -> tuple[list[str], list[str]]:
    """(meta-training families, held-out families). A held-out family needs ``min_eval_size`` examples
    (the largest support set plus the query set). Named ones must exist and be that large; without
    names, ``per_domain`` seeded picks per domain, never a domain's last family (nothing would be left
    to meta-train on in that domain)."""
    if heldout:
        bad = [h for h in heldout if h not in families or len(families[h].examples) < min_eval_size]
        if bad:
            sizes = {n: len(f.examples) for n, f in families.items() if len(f.examples) >= min_eval_size}
            raise ValueError(f"held-out families {bad} are unknown or smaller than {min_eval_size} examples; "
                             f"usable: {sizes}")
        held = list(heldout)
    else:
        held = []
        by_domain: dict[str, list[str]] = {}
        for n, f in families.items():
            by_domain.setdefault(f.domain, []).append(n)
        for names in by_domain.values():
            big = sorted(n for n in names if len(families[n].examples) >= min_eval_size)
            held += rng.sample(big, min(per_domain, len(big), len(names) - 1))
    train = [n for n in families if n not in held]
    if not train:
        raise ValueError("no task families left for meta-training after holding out " + ", ".join(held))
    if not held:
        raise ValueError(f"no family has the {min_eval_size} examples a held-out family needs")
    return train, held


# -- encoding --------------------------------------------------------------------------------------
def encode_with_shots(tok, shots: list[dict[str, Any]], rec: dict[str, Any], max_len: int,
                      system_prompt: str = "") -> Encoded:
    """``rec`` as the last turn of a chat whose earlier turns are the ``shots`` (in-context examples);
    labels only on ``rec``'s response. Without shots this is ``pipeline.lora.encode_example``."""
    if not shots:
        return encode_example(tok, rec["instruction"], rec["response"], max_len, system_prompt)
    msgs = [{"role": "system", "content": system_prompt}] if system_prompt else []
    for s in shots:
        msgs += [{"role": "user", "content": s["instruction"]}, {"role": "assistant", "content": s["response"]}]
    msgs.append({"role": "user", "content": rec["instruction"]})
    prompt = tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    full = tok.apply_chat_template(msgs + [{"role": "assistant", "content": rec["response"]}], tokenize=False)
    if not full.startswith(prompt):
        full = prompt + rec["response"] + (tok.eos_token or "")
    p_ids = tok(prompt, add_special_tokens=False)["input_ids"]
    r_ids = tok(full[len(prompt):], add_special_tokens=False)["input_ids"]
    if len(p_ids) > max_len - 16:
        p_ids = p_ids[-(max_len - 16):]  # the oldest shots go first
    r_ids = r_ids[:max_len - len(p_ids)]
    return Encoded(p_ids + r_ids, [-100] * len(p_ids) + r_ids)


# -- the learner -----------------------------------------------------------------------------------
@dataclass
class MetaParams:
    rank: int = 48
    alpha: float = 96.0
    targets: list[str] = field(default_factory=lambda: ["q_proj", "v_proj"])
    inner_steps: int = 4
    inner_lr: float = 3e-3
    inner_optimizer: str = "adam"  # adam | sgd (fresh state per episode)
    outer_lr: float = 1e-3
    meta_iters: int = 12
    meta_batch: int = 2  # episodes per outer step
    train_query: int = 4  # query examples per meta-training episode
    precision: str = "auto"


class LoraLearner:
    """One peft LoRA on the dense base whose weights are swapped in and out as plain tensor dicts:
    the meta weights, a fresh initialisation, or an adapted copy, all on the same module tree."""

    def __init__(self, model_dir: str | Path, p: MetaParams, *, threads: int = 0, seed: int = 0):
        import torch
        from peft import LoraConfig, get_peft_model

        from pipeline.lora import load_dense

        self.p = p
        torch.manual_seed(seed)
        model, self.tok = load_dense(model_dir, threads)
        cfg = LoraConfig(r=p.rank, lora_alpha=p.alpha, lora_dropout=0.0, target_modules=list(p.targets),
                         bias="none", task_type="CAUSAL_LM")
        self.pm = get_peft_model(model, cfg)
        self.base = self.pm.get_base_model()
        self.named = [(n, q) for n, q in self.pm.named_parameters() if q.requires_grad]
        if not self.named or any("lora_" not in n for n, _ in self.named):
            raise RuntimeError("only LoRA tensors may be trainable")
        self.params = [q for _, q in self.named]
        self.pad_id = self.tok.pad_token_id
        self.initial = self.state()  # peft's init (B = 0): what "a fresh LoRA" starts from

    @property
    def trainable(self) -> int:
        return sum(q.numel() for q in self.params)

    def state(self) -> dict[str, Any]:
        return {n: q.detach().clone() for n, q in self.named}

    def load(self, state: dict[str, Any]) -> None:
        import torch

        with torch.no_grad():
            for n, q in self.named:
                q.copy_(state[n])

    def encode(self, recs: list[dict[str, Any]], max_len: int, shots: list[dict[str, Any]] | None = None,
               system_prompt: str = "") -> list[Encoded]:
        enc = [encode_with_shots(self.tok, shots or [], r, max_len, system_prompt) for r in recs]
        return [e for e in enc if any(x != -100 for x in e.labels)]

    def _loss(self, enc: list[Encoded]):
        ids, labels, mask = collate(enc, self.pad_id)
        with autocast(self.p.precision, self.base):
            loss, _ = response_loss(self.base, ids, labels, mask)
        return loss

    def loss(self, enc: list[Encoded], batch_size: int = 8) -> float:
        """Mean per-token NLL of the responses (no gradients)."""
        from pipeline.lora import evaluate_loss

        return evaluate_loss(self.base, enc, self.pad_id, batch_size=batch_size, precision=self.p.precision)

    def adapt(self, start: dict[str, Any], support: list[Encoded]) -> list[float]:
        """Load ``start`` and take ``inner_steps`` optimizer steps on the whole support set (one batch).
        The same loop is the inner loop of meta-training and the fine-tuning of methods (c) and (d)."""
        import torch

        self.load(start)
        opt = (torch.optim.Adam(self.params, lr=self.p.inner_lr) if self.p.inner_optimizer == "adam"
               else torch.optim.SGD(self.params, lr=self.p.inner_lr))
        self.pm.train()
        losses = []
        for _ in range(self.p.inner_steps):
            opt.zero_grad(set_to_none=True)
            loss = self._loss(support)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.params, 1.0)
            opt.step()
            losses.append(round(float(loss.detach()), 5))
        opt.zero_grad(set_to_none=True)
        return losses

    def query_grad(self, query: list[Encoded]) -> tuple[float, list[Any]]:
        """The query loss and its gradient at the current (adapted) weights: FOMAML's outer gradient."""
        for q in self.params:
            q.grad = None
        loss = self._loss(query)
        loss.backward()
        grads = [q.grad.detach().clone() for q in self.params]
        for q in self.params:
            q.grad = None
        return float(loss.detach()), grads


def sample_episode(fam: TaskFamily, k: int, n_query: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    picks = rng.sample(fam.examples, min(len(fam.examples), k + n_query))
    return picks[:k], picks[k:]


def meta_train(learner: LoraLearner, families: list[TaskFamily], shots: list[int], max_len: int, *,
               seed: int = 0, progress: Callable | None = None, threads: Callable[[], int] | None = None,
               system_prompts: dict[str, str] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """FOMAML from peft's initialisation; returns the meta weights and one history row per outer step.

    Each episode draws a family, a shot count ``k`` from ``shots`` (so meta-training sees the shot counts
    it is evaluated with), k support and ``train_query`` query examples.
    """
    import torch

    p = learner.p
    rng = random.Random(f"fomaml-{seed}")
    phi = learner.state()
    learner.load(phi)
    outer = torch.optim.Adam(learner.params, lr=p.outer_lr)
    history = []
    t0 = time.perf_counter()
    its = range(1, p.meta_iters + 1)
    for it in (progress(its, "meta-iterations", p.meta_iters) if progress else its):
        if threads is not None:
            n = threads()
            if n != torch.get_num_threads():
                torch.set_num_threads(n)
        acc = [torch.zeros_like(q) for q in learner.params]
        rows = []
        for _ in range(p.meta_batch):
            fam = families[rng.randrange(len(families))]
            k = rng.choice(shots)
            sup, qry = sample_episode(fam, k, p.train_query, rng)
            sp = (system_prompts or {}).get(fam.domain, "")
            enc_s, enc_q = learner.encode(sup, max_len, system_prompt=sp), learner.encode(qry, max_len, system_prompt=sp)
            if not enc_s or not enc_q:
                continue
            learner.load(phi)
            before = learner.loss(enc_q)
            inner = learner.adapt(phi, enc_s)
            after, grads = learner.query_grad(enc_q)
            for a, g in zip(acc, grads, strict=True):
                a.add_(g)
            rows.append({"family": fam.name, "k": k, "query_loss_at_phi": round(before, 4),
                         "query_loss_adapted": round(after, 4), "support_loss": inner})
        if not rows:
            continue
        learner.load(phi)
        for q, a in zip(learner.params, acc, strict=True):
            q.grad = a / len(rows)
        torch.nn.utils.clip_grad_norm_(learner.params, 1.0)
        outer.step()
        outer.zero_grad(set_to_none=True)
        phi = learner.state()
        rec = {"iter": it, "episodes": rows, "seconds": round(time.perf_counter() - t0, 1),
               "query_loss_at_phi": round(sum(r["query_loss_at_phi"] for r in rows) / len(rows), 4),
               "query_loss_adapted": round(sum(r["query_loss_adapted"] for r in rows) / len(rows), 4),
               "threads": torch.get_num_threads()}
        history.append(rec)
        log.info("FOMAML %d/%d: query loss at phi %.4f, after %d inner steps %.4f (%s)", it, p.meta_iters,
                 rec["query_loss_at_phi"], p.inner_steps, rec["query_loss_adapted"],
                 ", ".join(f"{r['family']} k={r['k']}" for r in rows))
    learner.load(phi)
    return phi, history
