"""``quantize``: 4-bit weights (W4A16) through llm-compressor -- AWQ where a GPU is, GPTQ on a CPU -- gated on
keeping >= 97% of the unquantized model's score.

Method: ``auto`` picks ``AWQModifier`` (+ a ``QuantizationModifier``) when CUDA is available. llm-compressor
0.14's AWQ fails on a CPU ("Cannot access accelerator device when none is available", measured here), so
on a CPU the phase falls back to ``GPTQModifier`` and says why in its log and ``metrics.method``; with
``probe_awq_on_cpu`` it first tries AWQ for real and records the error it raised. Group size: the
largest of ``group_sizes`` that divides the input width of every targeted Linear (SmolLM2-135M: 576 and
1536 -> 64, as 576 is not a multiple of 128); none fitting is an error naming the widths.

Calibration: ``calibration_samples`` chat-formatted training examples stratified over (domain,
difficulty) (``pipeline.compression_data``), never an eval prompt. Input: the model ``source`` names
(``prune`` by default, or ``base``). GPTQ's error compensation writes into pruned positions; with
``keep_zeros`` the input's zeros are put back after quantizing (exact with a symmetric scheme: 0 is on
the grid), so a 2:4 model stays 2:4; metrics count both.

Score: ``0.4 * quality_a + 0.4 * quality_b`` (the quality part of ``prune``'s grid formula; the size
term would reward quantizing by itself), measured on the unquantized input and on the quantized model;
the gate passes when quantized >= ``gate_ratio`` x unquantized (checked after the phase, like
``evaluate``'s gates: the output stays for inspection, ``stop_on_gate`` stops the pipeline).

Output: ``model/`` -- the compressed-tensors checkpoint (``pack-quantized``, what vLLM/transformers load)
-- and ``dense/``: the same weights dequantized (fake-quantized, float32 on the 4-bit grid) as a plain HF
checkpoint, which llama.cpp's ``convert_hf_to_gguf.py`` reads (it does not read compressed-tensors);
the manifest says which is which (``gguf_source: dense``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipeline.config import PhaseConfig
from pipeline.framework import GateFailed, PhaseContext, PhaseError, execute, read_json, write_json

SUMMARY = "W4A16: AWQ on a GPU, GPTQ on CPU (group size dividing every width); >= 97% of the input's score"
REQUIRES = ("prune",)  # or ("base",) with source: base
CODE = ["pipeline.sparsity", "pipeline.compression_data", "pipeline.lora", "pipeline.basemodel"]
AWQ_CPU_REASON = ("AWQModifier needs an accelerator: llm-compressor 0.14 fails on CPU ('Cannot access accelerator "
                  "device when none is available'); using GPTQ W4A16 instead")


@dataclass
class Config(PhaseConfig):
    source: str = "prune"  # the phase whose model (base.json) is quantized: prune | base
    method: str = "auto"  # auto (AWQ with CUDA, else GPTQ) | awq | gptq
    probe_awq_on_cpu: bool = True  # on CPU, try AWQ first and record its error
    bits: int = 4
    symmetric: bool = True
    group_size: int = 0  # 0 = the largest of group_sizes dividing every targeted width
    group_sizes: list[int] = field(default_factory=lambda: [128, 64, 32, 16])
    keep_zeros: bool = True
    dampening_frac: float = 0.01
    calibration_samples: int = 128
    calibration_max_len: int = 256
    general_domain: str = "general"
    general_heldout: int = 24
    quality_per_domain: int = 16
    quality_max_len: int = 256
    gate_ratio: float = 0.97
    stop_on_gate: bool = True


@dataclass
class MethodChoice:
    method: str  # awq | gptq
    reason: str
    fallback: bool = False


def choose_method(requested: str, cuda: bool) -> MethodChoice:
    """Which quantizer runs, and why (AWQ only on an accelerator)."""
    if requested not in ("auto", "awq", "gptq"):
        raise PhaseError(f"quantize: method must be auto, awq or gptq, not {requested!r}")
    if requested == "gptq":
        return MethodChoice("gptq", "requested")
    if cuda:
        return MethodChoice("awq", "CUDA device present" if requested == "auto" else "requested")
    return MethodChoice("gptq", AWQ_CPU_REASON, fallback=True)


def choose_group_size(widths: set[int] | list[int], candidates: list[int] | tuple[int, ...] = (128, 64, 32, 16),
                      requested: int = 0) -> int:
    """The largest candidate (or the requested size) that divides every input width; an error otherwise."""
    widths = sorted(set(widths))
    if not widths:
        raise PhaseError("quantize: no Linear layers to quantize")
    if requested:
        bad = [w for w in widths if w % requested]
        if bad:
            raise PhaseError(f"quantize: group_size {requested} does not divide input widths {bad} "
                             f"(targeted widths {widths})")
        return requested
    for g in sorted(candidates, reverse=True):
        if all(w % g == 0 for w in widths):
            return g
    raise PhaseError(f"quantize: none of the group sizes {sorted(candidates, reverse=True)} divides every "
                     f"targeted input width {widths}; set group_size to a common divisor or ignore those layers")


def gate(score: float, reference: float, ratio: float = 0.97) -> dict:
    """Passed when ``score >= ratio * reference``."""
    need = ratio * reference
    return {"passed": bool(score >= need), "score": round(score, 6), "reference": round(reference, 6),
            "ratio": round(score / reference, 6) if reference else None, "required_ratio": ratio,
            "reasons": [] if score >= need else [
                f"quantized score {score:.5f} < {ratio:.0%} of the unquantized {reference:.5f} ({need:.5f})"]}


def target_linears(model) -> dict:
    from pipeline.sparsity import group_modules

    return {**group_modules(model, "attention"), **group_modules(model, "ffn")}


def recipe(method: str, scheme, cfg: Config) -> list:
    if method == "awq":
        from llmcompressor.modifiers.quantization import QuantizationModifier
        from llmcompressor.modifiers.transform.awq import AWQModifier

        return [AWQModifier(), QuantizationModifier(config_groups={"group_0": scheme},
                                                                     ignore=["lm_head"])]
    from llmcompressor.modifiers.quantization import GPTQModifier

    return [GPTQModifier(config_groups={"group_0": scheme}, ignore=["lm_head"], dampening_frac=cfg.dampening_frac)]


def _run(model_dir, method, scheme, tok, ds, cfg):
    from llmcompressor import oneshot

    from pipeline.lora import load_dense

    model, _ = load_dense(model_dir, cfg.threads)
    oneshot(model=model, dataset=ds, recipe=recipe(method, scheme, cfg), processor=tok,
            num_calibration_samples=len(ds), max_seq_length=cfg.calibration_max_len, shuffle_calibration_samples=False)
    return model


def _body(ctx: PhaseContext) -> dict:
    import time

    import torch
    from compressed_tensors.quantization import QuantizationArgs, QuantizationScheme
    from compressed_tensors.quantization.lifecycle.forward import fake_quantize

    from pipeline.basemodel import read_base
    from pipeline.compression_data import calibration_dataset, compression_data, measure_quality
    from pipeline.lora import load_dense
    from pipeline.sparsity import nm_violations

    cfg: Config = ctx.config
    src = read_base(ctx.upstream(cfg.source), cfg.source)
    ref, tok = load_dense(src.model_dir, cfg.threads)
    widths = {m.in_features for m in target_linears(ref).values()}
    gs = choose_group_size(widths, cfg.group_sizes, cfg.group_size)
    choice = choose_method(cfg.method, torch.cuda.is_available())
    data = compression_data(cfg, calibration_n=cfg.calibration_samples, general_domain=cfg.general_domain,
                            general_heldout=cfg.general_heldout, domain_per_set=cfg.quality_per_domain, seed=cfg.seed)
    sets = {"general": data.general, "domain": data.domain}
    ds = calibration_dataset(tok, data.calibration, cfg.calibration_max_len)
    scheme = QuantizationScheme(targets=["Linear"], weights=QuantizationArgs(
        num_bits=cfg.bits, type="int", symmetric=cfg.symmetric, strategy="group", group_size=gs))
    ctx.log.info("quantize: %s (%s); W%dA16 group size %d for input widths %s; %d calibration samples %s",
                 choice.method, choice.reason, cfg.bits, gs, sorted(widths), len(ds), data.info["calibration_by_domain"])
    names = list(target_linears(ref))
    zeros_in = {n: (m.weight.detach() == 0) for n, m in target_linears(ref).items()}
    q_ref = measure_quality(ref, tok, sets, cfg.quality_max_len)

    awq_cpu_error = None
    if choice.fallback and cfg.method in ("auto", "awq") and cfg.probe_awq_on_cpu:
        try:
            _run(src.model_dir, "awq", scheme, tok, ds, cfg)
            choice = MethodChoice("awq", "AWQ ran on this CPU (probe succeeded)")
        except Exception as e:  # noqa: BLE001 -- recorded: why AWQ did not run here
            awq_cpu_error = f"{type(e).__name__}: {e}"[:400]
            ctx.log.warning("quantize: AWQ on CPU failed (%s); falling back to GPTQ", awq_cpu_error)
    t0 = time.perf_counter()
    model = _run(src.model_dir, choice.method, scheme, tok, ds, cfg)
    quant_seconds = time.perf_counter() - t0

    # Dequantized weights (exactly what the quantized forward uses), with the input's zeros put back.
    mods = dict(model.named_modules())
    dense_w, restored = {}, 0
    with torch.no_grad():
        for n in names:
            m = mods[n]
            w = fake_quantize(m.weight, m.weight_scale, m.weight_zero_point, m.quantization_scheme.weights)
            if cfg.keep_zeros:
                restored += int(((w != 0) & zeros_in[n]).sum())
                w = w.masked_fill(zeros_in[n], 0.0)
            dense_w[n] = w.detach().clone()
            m.weight.copy_(dense_w[n])
    dense_model, _ = load_dense(src.model_dir, cfg.threads)
    dmods = dict(dense_model.named_modules())
    with torch.no_grad():
        for n in names:
            dmods[n].weight.copy_(dense_w[n])
    q_out = measure_quality(dense_model, tok, sets, cfg.quality_max_len)
    nm_src = sum(1 for n in names if zeros_in[n].any() and nm_violations(ref.get_submodule(n).weight) == 0)
    nm_out = sum(1 for n in names if zeros_in[n].any() and nm_violations(dmods[n].weight) == 0)
    levels = {n: len(torch.unique(dense_w[n][0, :gs])) for n in names[:1]}

    (ctx.out / "dense").mkdir(parents=True, exist_ok=True)
    dense_model.save_pretrained(str(ctx.out / "dense"))
    tok.save_pretrained(str(ctx.out / "dense"))
    model.save_pretrained(str(ctx.out / "model"), save_compressed=True)
    tok.save_pretrained(str(ctx.out / "model"))
    fmt = (read_json(ctx.out / "model" / "config.json") or {}).get("quantization_config", {}).get("format")
    write_json(ctx.out / "base.json", {"gguf": str(src.gguf), "gguf_sha256": src.gguf_sha256, "model_dir": "dense",
                                       "arch": src.arch, "n_head": src.n_head, "n_head_kv": src.n_head_kv,
                                       "n_layer": src.n_layer, "produced_by": "quantize"})

    def score(q):
        return 0.4 * (q["general"]["quality"] or 0.0) + 0.4 * (q["domain"]["quality"] or 0.0)

    g = gate(score(q_out), score(q_ref), cfg.gate_ratio)
    write_json(ctx.out / "gate.json", g)
    metrics = {"source": cfg.source, "method": {"used": choice.method, "reason": choice.reason,
                                                 "fallback": choice.fallback, "awq_cpu_error": awq_cpu_error},
               "scheme": {"bits": cfg.bits, "symmetric": cfg.symmetric, "group_size": gs, "widths": sorted(widths),
                          "activations": 16},
               "calibration": data.info, "quality_unquantized": q_ref, "quality_quantized": q_out, "gate": g,
               "quantize_seconds": round(quant_seconds, 1), "zeros_restored": restored,
               "nm_linears_in": nm_src, "nm_linears_out": nm_out, "grid_levels_first_group": levels,
               "compressed_format": fmt}
    extra = {"base_sha256": src.gguf_sha256, "scheme": metrics["scheme"], "method": choice.method}
    ctx.add_artifact("quantized", "base", "model/model.safetensors", format=f"compressed-tensors/{fmt}",
                     **extra, metrics={"score": g["score"], "ratio": g["ratio"]})
    ctx.add_artifact("quantized-dense", "base", "dense/model.safetensors", format="hf-dense (dequantized)",
                     gguf_source="dense", **extra)
    ctx.log.info("quantize: %s in %.1f s; score %.5f vs unquantized %.5f (ratio %s, gate %s)", choice.method,
                 quant_seconds, g["score"], g["reference"], g["ratio"], "passed" if g["passed"] else "FAILED")
    return metrics


def _inputs(config: PhaseConfig):
    from pipeline.phases.prune import _inputs as data_files

    return data_files(config)


def main(config: Config):
    if config.source not in ("prune", "base"):
        raise PhaseError(f"quantize: source must be prune or base, not {config.source!r}")
    res = execute("quantize", config, _body, requires=(config.source,), inputs=_inputs(config), code=CODE)
    g = read_json(res.dir / "gate.json") or {}
    if not g.get("passed", True):
        msg = "quantize: gate not met: " + "; ".join(g.get("reasons", []))
        if config.stop_on_gate:
            raise GateFailed(msg)
        logging.getLogger("pipeline.quantize").warning("%s (stop_on_gate false: going on)", msg)
    return res
