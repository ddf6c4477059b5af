"""``rebase``: the default modifiers retrained against the compressed base, as an artifact set the app serves.

Adapters are tied to their base's SHA-256 (the runtime refuses a modifier trained for another base), so
a compressed base needs its own modifiers. This phase takes one of ``export_gguf``'s files
(``quant_type``: ``auto`` = the smallest quantized file that passed export_gguf's gate, else the one
that agreed best with PyTorch) and runs the part-1 modifier chain against it in a nested work dir,
``<workdir>/rebase.chain``: ``base`` (that GGUF, dequantized), ``finetune_base`` (off), ``train_lora``,
``evaluate`` (gates recorded, never stopping) and ``publish``. Settings are the ones this work dir's
own ``train_lora``, ``evaluate`` and ``publish`` ran with (read from their manifests), and the training
data are this work dir's ``curate``, ``failures`` and ``distill`` outputs, linked rather than recomputed:
the same examples the embedded base's modifiers learned from, so the base is the only difference.

Output ``artifacts/``: the base GGUF and the modifiers that passed their gates, with a manifest
(DESIGN.md "Artifacts"; the base entry carries export_gguf's agreement and perplexity). Serve it with

    MODROUTE_MODEL=<workdir>/rebase/artifacts/base/<file>.gguf \\
    MODROUTE_MANIFEST=<workdir>/rebase/artifacts/manifest.json .venv/bin/python app.py

Before finishing, the phase opens the runtime engine on that pair, answers one question with each
published modifier, and checks that the embedded base's modifiers are refused on this base.
``verdict.json`` compares the compressed base with the embedded one on the same held-out sets, per
domain (base alone, base + modifier); ``recommend_default`` is true only when the compressed base is
at least as good on every domain. The app's default changes only through ``MODROUTE_MODEL``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import PhaseConfig, build
from pipeline.framework import PhaseContext, PhaseError, execute, now_iso, read_json, write_json

SUMMARY = "retrain + evaluate the modifiers against export_gguf's compressed base; a servable artifact set"
REQUIRES = ("curate", "failures", "distill", "train_lora", "evaluate", "publish", "export_gguf")
CODE = ["pipeline.basemodel", "runtime.artifacts"]
LINKED = ("curate", "failures", "distill")  # training data, shared with this work dir's own modifiers
CHAIN = ("base", "finetune_base", "train_lora", "evaluate", "publish")
SHARED = ("seed", "threads", "llama_threads")


@dataclass
class Config(PhaseConfig):
    quant_type: str = "auto"  # auto | one of export_gguf's types (Q4_1, Q5_K_M, f16, ...)
    allow_failed_gates: bool = False  # publish modifiers that failed their gate against the compressed base
    train_lora: dict[str, Any] = field(default_factory=dict)  # overrides of the settings train_lora ran with
    zstd_level: int = 10  # the compressed base's zstd ratio is measured (round trip verified), not stored


# -- which GGUF --------------------------------------------------------------------------------------
def choose_gguf(export_dir: Path, quant_type: str = "auto") -> tuple[str, Path, dict]:
    """(type, file, its validation) from export_gguf's output."""
    metrics = read_json(export_dir / "metrics.json", {}) or {}
    validation = metrics.get("validation") or {}
    files = {a["quantization"]: export_dir / a["file"]
             for a in (read_json(export_dir / "manifest.json", {}) or {}).get("artifacts", [])
             if a.get("quantization")}
    if not files:
        raise PhaseError(f"rebase: {export_dir} lists no GGUF file")
    if quant_type != "auto":
        if quant_type not in files:
            raise PhaseError(f"rebase: export_gguf wrote no {quant_type} file (it wrote {sorted(files)})")
        return quant_type, files[quant_type], validation.get(quant_type, {})
    gate = metrics.get("gate") or {}
    min_agree, max_ppl = gate.get("min_agreement", 0.95), gate.get("max_ppl_rel_diff", 0.02)
    quantized = [q for q in gate.get("checked") or [] if q in files] or list(files)

    def passed(q: str) -> bool:
        v = validation.get(q) or {}
        a = (v.get("agreement") or {}).get("agreement")
        p = (v.get("perplexity") or {}).get("rel_diff")
        return a is not None and p is not None and a >= min_agree and abs(p) <= max_ppl

    good = [q for q in quantized if passed(q)]
    if good:
        q = min(good, key=lambda t: files[t].stat().st_size)
    else:
        q = max(quantized, key=lambda t: ((validation.get(t) or {}).get("agreement") or {}).get("agreement", 0.0))
    return q, files[q], validation.get(q, {})


# -- the nested chain --------------------------------------------------------------------------------
def _ran_with(phase_dir: Path) -> dict:
    cfg = (read_json(phase_dir / "manifest.json", {}) or {}).get("config")
    if cfg is None:
        raise PhaseError(f"rebase: {phase_dir}/manifest.json records no config")
    return dict(cfg)


def _link(src: Path, dst: Path) -> None:
    if dst.is_symlink() or dst.exists():
        if dst.is_symlink() and Path(os.readlink(dst)) == src:
            return
        dst.unlink() if dst.is_symlink() else shutil.rmtree(dst)
    dst.symlink_to(src, target_is_directory=True)


def ran_domains(ctx: PhaseContext) -> dict[str, dict]:
    """The domains as the phases that used them saw them: each phase's recorded config keeps only the domain
    keys it reads (``train_lora`` the per-domain ``lora`` settings, ``publish`` the gates and ``eval_n``), so
    the nested chain gets their union."""
    out: dict[str, dict] = {}
    for phase in ("train_lora", "evaluate", "publish"):
        for name, spec in (_ran_with(ctx.upstream(phase)).get("domains") or {}).items():
            out.setdefault(name, {}).update(spec or {})
    return out


def chain_configs(ctx: PhaseContext, gguf: Path, nested: Path, dest: Path) -> dict[str, PhaseConfig]:
    """The nested phases' configs: what this work dir's own phases ran with, on another base and work dir."""
    from pipeline import phases

    cfg: Config = ctx.config
    domains = ran_domains(ctx)
    shared = {"workdir": str(nested), "domains": domains, "base_gguf": str(gguf),
              **{k: getattr(cfg, k) for k in SHARED}}
    sections = {
        "base": {},
        "finetune_base": {"enabled": False},
        "train_lora": {**_ran_with(ctx.upstream("train_lora")), **cfg.train_lora},
        "evaluate": {**_ran_with(ctx.upstream("evaluate")), "stop_on_gate": False},
        "publish": {**_ran_with(ctx.upstream("publish")), "dest": str(dest),
                    "allow_failed_gates": cfg.allow_failed_gates},
    }
    out = {}
    for name in CHAIN:
        mod = phases.load(name)
        values = {k: v for k, v in sections[name].items() if k not in ("workdir", "domains", "base_gguf", *SHARED)}
        known = {f for f in mod.Config.__dataclass_fields__}
        out[name] = build(mod.Config, {**{k: v for k, v in values.items() if k in known}, **shared},
                          where=f"rebase/{name}")
    return out


def run_chain(ctx: PhaseContext, configs: dict[str, PhaseConfig], nested: Path) -> dict[str, dict]:
    from pipeline import phases

    nested.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        _link(ctx.upstream(name).resolve(), nested / name)
    ran = {}
    for name in CHAIN:
        ctx.log.info("rebase: %s against the compressed base (work dir %s)", name, nested)
        res = phases.load(name).main(configs[name])
        ran[name] = {"status": res.status, "seconds": round(res.seconds, 1),
                     "cpu_seconds": (res.metrics or {}).get("cpu_seconds")}
    return ran


# -- the artifact set --------------------------------------------------------------------------------
def add_base(dest: Path, gguf: Path, qtype: str, validation: dict, source: str) -> dict:
    """Copy the base into ``dest/base/`` and list it in ``dest/manifest.json`` (kind ``base``)."""
    from runtime.artifacts import ArtifactEntry, read_manifest, sha256_file, write_manifest

    (dest / "base").mkdir(parents=True, exist_ok=True)
    sha = sha256_file(gguf)
    target = dest / "base" / f"modroute-base-{qtype.lower()}-{sha[:12]}.gguf"
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(gguf, tmp)
    tmp.replace(target)
    entries = [e for e in read_manifest(dest / "manifest.json").artifacts if e.kind != "base"]
    base = ArtifactEntry(name="base", kind="base", file=f"base/{target.name}", sha256=sha, size=target.stat().st_size,
                         version=sha[:12], created=now_iso(),
                         metrics={k: validation.get(k) for k in ("agreement", "perplexity") if k in validation},
                         extra={"quantization": qtype, "source": source, "producer": "pipeline"})
    write_manifest(dest / "manifest.json", [base, *entries])
    (dest / "manifest.json").chmod(0o644)
    return {"file": base.file, "sha256": sha, "bytes": base.size}


def zstd_ratio(path: Path, level: int, scratch: Path) -> dict:
    import time

    import zstandard

    from runtime.artifacts import compress_file, sha256_file

    zst, back = scratch / (path.name + ".zst"), scratch / (path.name + ".back")
    t0 = time.perf_counter()
    compress_file(path, zst, level=level)
    t1 = time.perf_counter()
    with open(zst, "rb") as fin, open(back, "wb") as fout:
        zstandard.ZstdDecompressor().copy_stream(fin, fout)
    t2 = time.perf_counter()
    same = sha256_file(back) == sha256_file(path)
    out = {"level": level, "raw_bytes": path.stat().st_size, "zstd_bytes": zst.stat().st_size,
           "ratio": round(path.stat().st_size / zst.stat().st_size, 4), "compress_s": round(t1 - t0, 2),
           "decompress_s": round(t2 - t1, 2), "round_trip_sha256_match": same}
    zst.unlink()
    back.unlink()
    if not same:
        raise PhaseError(f"rebase: zstd round trip of {path.name} changed its bytes")
    return out


def check_serving(ctx: PhaseContext, dest: Path, embedded_manifest: Path) -> dict:
    """Open the engine on the artifact set: each published modifier answers; the other base's are refused."""
    from runtime.artifacts import read_manifest
    from runtime.engine import ChatRequest, Engine
    from runtime.settings import Settings

    manifest = read_manifest(dest / "manifest.json")
    base = manifest.of_kind("base")[0]
    mods = [e.name for e in manifest.of_kind("modifier")]
    q = [{"role": "user", "content": "What is 12 plus 30?"}]
    answers: dict[str, str] = {}
    settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=ctx.config.llama_threads, n_ctx=512,
                        manifest=str(dest / "manifest.json"))
    with Engine(settings, model_path=dest / base.file) as eng:
        if eng.base_sha256 != base.sha256:
            raise PhaseError("rebase: the engine serves another file than the manifest's base")
        bad = {m: getattr(eng.modifiers.get(m), "reason", "missing") for m in mods
               if not (eng.modifiers.get(m) and eng.modifiers.get(m).available)}
        if bad:
            raise PhaseError(f"rebase: modifiers do not load on the compressed base: {bad}")
        answers["(base)"] = eng.complete(ChatRequest(messages=q, max_tokens=16)).text
        for m in mods:
            answers[m] = eng.complete(ChatRequest(messages=q, max_tokens=16, modifier=m)).text
    refused = {}
    if embedded_manifest.is_file():
        other = Settings(data_dir=ctx.workdir / ".cache", n_threads=ctx.config.llama_threads, n_ctx=512,
                         manifest=str(embedded_manifest))
        with Engine(other, model_path=dest / base.file) as eng:
            for e in read_manifest(embedded_manifest).of_kind("modifier"):
                m = eng.modifiers.get(e.name)
                if m is not None and m.available and e.base_sha256 != base.sha256:
                    raise PhaseError(f"rebase: {e.name}, trained for another base, was loaded on this one")
                refused[e.name] = getattr(m, "reason", "missing")
    return {"base_sha256": base.sha256, "modifiers": mods, "answers": answers, "embedded_modifiers_refused": refused}


def verdict(embedded: dict, compressed: dict, gates: dict) -> dict:
    """Per domain, the embedded vs the compressed base on the same held-out items."""
    rows, worse = {}, []
    for name, c in (compressed.get("domains") or {}).items():
        e = (embedded.get("domains") or {}).get(name) or {}
        row = {"n": c.get("n"), "embedded_base": e.get("base"), "embedded_modifier": e.get("modifier"),
               "compressed_base": c.get("base"), "compressed_modifier": c.get("modifier"),
               "compressed_gate_passed": (gates.get(name) or {}).get("passed")}
        best_e = max(v for v in (e.get("base"), e.get("modifier")) if v is not None) if e else None
        best_c = max(v for v in (c.get("base"), c.get("modifier")) if v is not None)
        row.update(best_embedded=best_e, best_compressed=best_c)
        if best_e is None or best_c < best_e:
            worse.append(name)
        rows[name] = row
    return {"domains": rows, "worse_on": worse, "recommend_default": bool(rows) and not worse,
            "note": ("the compressed base is at least as good on every domain" if rows and not worse else
                     f"the compressed base is worse on {', '.join(worse) or 'every domain'}: the app keeps serving "
                     f"the embedded base by default; the compressed one is selectable with MODROUTE_MODEL")}


def _body(ctx: PhaseContext) -> dict:
    cfg: Config = ctx.config
    qtype, gguf, validation = choose_gguf(ctx.upstream("export_gguf"), cfg.quant_type)
    ctx.log.info("rebase: base %s (%s, %.1f MB)", gguf.name, qtype, gguf.stat().st_size / 1e6)
    nested = ctx.workdir / "rebase.chain"
    dest = ctx.out / "artifacts"
    configs = chain_configs(ctx, gguf, nested, dest)
    chain = run_chain(ctx, configs, nested)
    export = read_json(ctx.upstream("export_gguf") / "metrics.json", {}) or {}
    base = add_base(dest, gguf, qtype, validation, str(export.get("source_phase") or export.get("source") or ""))
    # The embedded base's modifiers: what this work dir's own publish wrote.
    serving = check_serving(ctx, dest, Path(_ran_with(ctx.upstream("publish"))["dest"]) / "manifest.json")
    compressed = read_json(nested / "evaluate" / "metrics.json", {}) or {}
    gates = read_json(nested / "evaluate" / "gates.json", {}) or {}
    v = verdict(read_json(ctx.upstream("evaluate") / "metrics.json", {}) or {}, compressed, gates)
    write_json(ctx.out / "verdict.json", v)
    published = (read_json(nested / "publish" / "metrics.json", {}) or {}).get("modifiers") or {}
    ctx.add_artifact("base", "base", f"artifacts/{base['file']}", quantization=qtype)
    for name, p in published.items():
        if p.get("published"):
            ctx.add_artifact(name, "modifier", f"artifacts/{p['file']}", base_sha256=base["sha256"])
    ctx.log.info("rebase: %s", v["note"])
    return {"quant_type": qtype, "source_gguf": str(gguf), "base": base,
            "zstd": zstd_ratio(gguf, cfg.zstd_level, ctx.out), "chain": chain, "serving": serving,
            "published": published, "verdict": v, "gates": gates,
            "serve_with": {"MODROUTE_MODEL": str(ctx.workdir / "rebase" / "artifacts" / base["file"]),
                           "MODROUTE_MANIFEST": str(ctx.workdir / "rebase" / "artifacts" / "manifest.json")}}


def main(config: Config):
    return execute("rebase", config, _body, requires=REQUIRES, code=CODE)
