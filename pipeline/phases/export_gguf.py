"""``export_gguf``: a PyTorch (HF) model directory -> GGUF (llama.cpp), quantized, validated against PyTorch.

Source (``source: auto``): the newest compression phase that finished in this work dir (``recover``,
``quantize``, then ``prune``), else ``finetune_base``, else ``base``; or a phase name, or a path to an HF model
directory. Steps: ``convert_hf_to_gguf.py`` from the pinned llama-cpp-python sdist
(``pipeline.gguf_convert``, which also handles vocabulary-trimmed models) writes ``outtype`` (f16);
when the model has the base's vocabulary, the tokenizer block of the served base GGUF is grafted in
(``pipeline.gguf_files``: the converter misreads the tokenizer transformers rebuilt from a GGUF as a
SentencePiece one, and llama.cpp then aborts on the first tokenize); ``llama_model_quantize`` writes each of ``quant_types`` (Q5_K_M), and what llama.cpp did per
tensor is recorded (width-576 rows are not multiples of 256: k-quants fall back there).

Validation of every GGUF written (``pipeline.agreement``, the same code that checks LoRA adapters):
teacher-forced greedy token agreement with the PyTorch model over ``agreement_prompts`` prompts x
``agreement_tokens`` tokens, and perplexity of both on ``ppl_texts`` held-out chat examples. The gate
(``min_agreement`` 0.95, ``max_ppl_rel_diff`` 2%) applies to the quantized files; with
``stop_on_gate`` a miss fails the phase (metrics and ``validation.json`` stay in the partial dir).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import GateFailed, PhaseContext, PhaseError, execute, read_json, write_json

SUMMARY = "HF model (last compression phase or base) -> GGUF f16 -> Q5_K_M; token agreement + perplexity vs PyTorch"
REQUIRES: tuple[str, ...] = ()
CODE = ["pipeline.agreement", "pipeline.gguf_files", "pipeline.gguf_convert"]
COMPRESSION_PHASES = ("recover", "quantize", "prune")  # newest first
SOURCE_PHASES = (*COMPRESSION_PHASES, "finetune_base", "base")
REPO = Path(__file__).resolve().parents[2]
DEFAULT_PROMPTS = [f"data/instructions/{d}.jsonl" for d in ("general", "code", "reasoning", "automation", "math")]


@dataclass
class Config(PhaseConfig):
    source: str = "auto"  # auto | recover | quantize | prune | finetune_base | base | a path to an HF model directory
    outtype: str = "f16"  # convert_hf_to_gguf --outtype: f32 | f16 | bf16 | q8_0
    quant_types: list[str] = field(default_factory=lambda: ["Q5_K_M"])
    tokenizer_gguf: str = "auto"  # auto = the base phase's GGUF when there is one | none | a GGUF path
    validate_unquantized: bool = True  # also measure the outtype GGUF (a reference for the quantized ones)
    agreement_prompts: int = 100
    agreement_tokens: int = 100
    ppl_texts: int = 50
    ppl_max_len: int = 256
    prompt_files: list[str] = field(default_factory=lambda: list(DEFAULT_PROMPTS))
    system_prompt: str = ""
    min_agreement: float = 0.95
    max_ppl_rel_diff: float = 0.02
    stop_on_gate: bool = True
    name: str = "model"  # output files <name>.<type>.gguf


# -- where the model comes from ----------------------------------------------------------------------
def _phase_model_dir(d: Path) -> Path | None:
    info = read_json(d / "base.json")
    if info and info.get("model_dir"):
        p = Path(info["model_dir"])
        return p if p.is_absolute() else d / p
    for cand in (d / "model", d):
        if (cand / "config.json").is_file():
            return cand
    return None


def resolve_source(cfg: Config, phases: tuple[str, ...] = SOURCE_PHASES, who: str = "export_gguf"
                   ) -> tuple[Path, str | None]:
    """(HF model directory, upstream phase or None for a path); ``phases`` newest first (``recover`` reads
    its input through this too, without itself)."""
    workdir = Path(cfg.workdir)
    done = [p for p in phases if (workdir / p / "DONE.json").is_file()]
    if cfg.source == "auto":
        if not done:
            raise PhaseError(f"{who}: no model in {workdir}: run `python -m pipeline run base` (or a compression "
                             f"phase) first, or set {who}.source to an HF model directory")
        phase = done[0]
    elif cfg.source in phases:
        if cfg.source not in done:
            raise PhaseError(f"{who}: source {cfg.source!r} has not run in {workdir}")
        phase = cfg.source
    else:
        p = Path(cfg.source).expanduser()
        if not (p / "config.json").is_file():
            raise PhaseError(f"{who}: {p} is not an HF model directory (no config.json)")
        return p, None
    d = _phase_model_dir(workdir / phase)
    if d is None:
        raise PhaseError(f"{who}: phase {phase!r} finished but {workdir / phase} holds no HF model directory")
    return d, phase


def _tokenizer_template(cfg: Config) -> Path | None:
    if cfg.tokenizer_gguf in ("", "none"):
        return None
    if cfg.tokenizer_gguf != "auto":
        return Path(cfg.tokenizer_gguf).expanduser()
    for phase in ("finetune_base", "base"):
        info = read_json(Path(cfg.workdir) / phase / "base.json")
        if info and info.get("gguf"):
            return Path(info["gguf"])
    return None


def _files(cfg: Config) -> list[Path]:
    out = []
    for f in cfg.prompt_files:
        p = Path(f)
        out.append(p if p.is_absolute() or p.is_file() else REPO / p)
    return out


def select_items(cfg: Config) -> tuple[list[dict], list[dict]]:
    """(agreement prompts, perplexity examples): disjoint, interleaved over the files, seeded."""
    from pipeline.textdata import read_jsonl

    pools = []
    for p in _files(cfg):
        if not p.is_file():
            raise PhaseError(f"export_gguf: prompt file {p} not found")
        rows = [r for r in read_jsonl(p) if r.get("instruction")]
        random.Random(f"{cfg.seed}-{p.name}").shuffle(rows)
        pools.append(rows)
    mixed = [pool[i] for i in range(max(map(len, pools), default=0)) for pool in pools if i < len(pool)]
    prompts = mixed[:cfg.agreement_prompts]
    texts = [r for r in mixed[cfg.agreement_prompts:] if r.get("response")][:cfg.ppl_texts]
    if len(prompts) < cfg.agreement_prompts or len(texts) < cfg.ppl_texts:
        raise PhaseError(f"export_gguf: {len(mixed)} items in {cfg.prompt_files}; need {cfg.agreement_prompts} "
                         f"prompts + {cfg.ppl_texts} perplexity texts")
    return prompts, texts


# -- the phase -----------------------------------------------------------------------------------------
def _convert(ctx: PhaseContext, model_dir: Path) -> tuple[Path, dict]:
    from pipeline import gguf_convert, gguf_files

    cfg: Config = ctx.config
    out = ctx.out / f"{cfg.name}.{cfg.outtype.lower()}.gguf"
    if ctx.step_done("convert") and out.is_file():
        return out, ctx.step_info("convert")
    raw = ctx.out / f".{cfg.name}.converted.gguf"
    t0 = time.perf_counter()
    gguf_convert.convert(model_dir, raw, outtype=cfg.outtype)
    info = {"convert_seconds": round(time.perf_counter() - t0, 2), "converter": str(gguf_convert.llama_cpp_dir()),
            "converter_tokenizer": gguf_files.tokenizer_fields(raw)}
    template = _tokenizer_template(cfg)
    n_raw, n_tmpl = (gguf_files.token_count(raw), gguf_files.token_count(template)) if template else (0, 0)
    if template is not None and n_raw == n_tmpl:
        gguf_files.graft_tokenizer(raw, template, out)
        raw.unlink()
        info["tokenizer_from"] = str(template)
    else:
        raw.rename(out)
        info["tokenizer_from"] = "convert_hf_to_gguf" + (
            f" (vocabulary of {n_raw} tokens, {template.name} has {n_tmpl})" if template else "")
    info["tokenizer"] = gguf_files.tokenizer_fields(out)
    ctx.log.info("export_gguf: %s -> %s (%.1f MB) in %.1f s; tokenizer from %s", model_dir, out.name,
                 out.stat().st_size / 1e6, info["convert_seconds"], info["tokenizer_from"])
    ctx.mark_step("convert", info)
    return out, info


def _validate(ctx: PhaseContext, gguf: Path, refs, seqs, torch_side, n_ctx: int, tok) -> dict:
    from pipeline.agreement import LlamaScorer, perplexity, token_agreement

    cfg: Config = ctx.config
    t0 = time.perf_counter()
    with LlamaScorer(gguf, n_ctx=n_ctx, threads=cfg.llama_threads) as sc:
        agr = token_agreement(refs, sc, tok=tok, progress=lambda it, d: ctx.progress(it, f"{gguf.name} {d}"))
        ppl = perplexity(torch_side, sc, seqs, progress=lambda it, d: ctx.progress(it, f"{gguf.name} {d}"))
    return {"agreement": agr.to_dict(), "perplexity": ppl.to_dict(), "seconds": round(time.perf_counter() - t0, 1)}


def _body(ctx: PhaseContext) -> dict:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from pipeline.cpu import prepare_torch_env

    prepare_torch_env()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline import agreement, gguf_files

    cfg: Config = ctx.config
    if not 0 < cfg.min_agreement <= 1 or cfg.max_ppl_rel_diff < 0:
        raise PhaseError("export_gguf: min_agreement must be in (0, 1] and max_ppl_rel_diff >= 0")
    model_dir, phase = resolve_source(cfg)
    prompts, texts = select_items(cfg)
    f16, conv = _convert(ctx, model_dir)
    outputs = {cfg.outtype.lower(): f16}
    quant: dict = {}
    for q in cfg.quant_types:
        dest = ctx.out / f"{cfg.name}.{q.lower()}.gguf"
        t0 = time.perf_counter()
        gguf_files.quantize(f16, dest, q, threads=cfg.resolved_threads())
        quant[q] = {"seconds": round(time.perf_counter() - t0, 2), "file_bytes": dest.stat().st_size,
                    **gguf_files.tensor_types(dest)}
        ctx.log.info("export_gguf: %s %.1f MB in %.1f s, tensor types %s", q, dest.stat().st_size / 1e6,
                     quant[q]["seconds"], quant[q]["tensors"])
        outputs[q] = dest

    torch.set_num_threads(cfg.resolved_threads())
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32).eval()
    prompt_texts = [tok.apply_chat_template([*([{"role": "system", "content": cfg.system_prompt}]
                                               if cfg.system_prompt else []),
                                             {"role": "user", "content": r["instruction"]}],
                                            tokenize=False, add_generation_prompt=True) for r in prompts]
    prompt_ids = [tok(t, add_special_tokens=False)["input_ids"] for t in prompt_texts]
    seqs = [agreement.example_sequence(tok, r["instruction"], r["response"], cfg.system_prompt, cfg.ppl_max_len)
            for r in texts]
    t0 = time.perf_counter()
    refs = agreement.torch_references(model, tok, prompt_ids, cfg.agreement_tokens, texts=prompt_texts,
                                      progress=lambda it, d: ctx.progress(it, d))
    torch_side = agreement.torch_nll(model, seqs, progress=lambda it, d: ctx.progress(it, d))
    torch_seconds = round(time.perf_counter() - t0, 1)
    del model
    n_ctx = agreement.context_for([r.prompt + r.cont for r in refs] + [s.ids for s in seqs])

    validation = {}
    for label, path in outputs.items():
        if label == cfg.outtype.lower() and not cfg.validate_unquantized:
            continue
        validation[label] = _validate(ctx, path, refs, seqs, torch_side, n_ctx, tok)
        a, p = validation[label]["agreement"], validation[label]["perplexity"]
        ctx.log.info("export_gguf: %s agreement %.4f (%d positions, prefix %.3f), perplexity torch %.4f llama %.4f "
                     "(%+.2f%%)", label, a["agreement"], a["positions"], a["prefix_agreement"], p["torch"], p["llama"],
                     100 * p["rel_diff"])
    gated = [q for q in cfg.quant_types if q in validation] or list(validation)
    failures = []
    for label in gated:
        a, p = validation[label]["agreement"], validation[label]["perplexity"]
        if not a["agreement"] >= cfg.min_agreement:
            failures.append(f"{label}: token agreement {a['agreement']:.4f} < {cfg.min_agreement}")
        if not abs(p["rel_diff"]) <= cfg.max_ppl_rel_diff:
            failures.append(f"{label}: perplexity {p['llama']:.4f} vs PyTorch {p['torch']:.4f} "
                            f"({100 * p['rel_diff']:+.2f}%, limit {100 * cfg.max_ppl_rel_diff:.1f}%)")
    metrics = {"source": str(model_dir), "source_phase": phase, "convert": conv, "quantize": quant,
               "validation": validation, "torch_seconds": torch_seconds, "n_ctx": n_ctx,
               "sizes": {k: v.stat().st_size for k, v in outputs.items()},
               "gate": {"min_agreement": cfg.min_agreement, "max_ppl_rel_diff": cfg.max_ppl_rel_diff,
                        "checked": gated, "failures": failures, "passed": not failures}}
    write_json(ctx.out / "validation.json", metrics)
    if failures and cfg.stop_on_gate:
        raise GateFailed("export_gguf: " + "; ".join(failures))
    template = _tokenizer_template(cfg)
    derived = {"derived_from_gguf": str(template)} if template else {}
    for label, path in outputs.items():
        ctx.add_artifact(f"{cfg.name}-{label.lower()}", "base", path.name, quantization=label,
                         source=str(model_dir), **derived,
                         metrics={k: validation[label][k] for k in ("agreement", "perplexity")}
                         if label in validation else {})
    return metrics


def _requires(cfg: Config) -> tuple[str, ...]:
    try:
        _, phase = resolve_source(cfg)
    except PhaseError:
        return ("base",) if cfg.source == "auto" else ((cfg.source,) if "/" not in cfg.source else ())
    return (phase,) if phase else ()


def main(config: Config):
    requires = _requires(config)
    inputs = [Path(config.source)] if not requires and config.source != "auto" else []
    return execute("export_gguf", config, _body, requires=requires, inputs=[*inputs, *_files(config)], code=CODE)
