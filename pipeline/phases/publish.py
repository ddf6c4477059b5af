"""``publish``: put the modifiers that passed evaluation where the app loads them.

Copies each adapter to ``<dest>/modifiers/`` (zstd-compressed when that saves
at least ``min_ratio``; the ratio is recorded), and writes its entry into
``<dest>/manifest.json`` (DESIGN.md "Artifacts": sha256 of the stored file,
size, base_sha256, version, created, metrics from ``evaluate``), keeping every
entry this pipeline did not produce. Then it opens the runtime engine on the
published manifest and fails unless every published modifier loads. When
``finetune_base`` built a new base, it is published too (kind ``base``) and the
app must be pointed at it (``MODROUTE_MODEL``).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PhaseConfig
from pipeline.framework import PhaseContext, PhaseError, execute, now_iso, read_json, write_json

SUMMARY = "copy passing modifiers (zstd if it helps) into artifacts/ + manifest; verify the app loads them"
REQUIRES = ("base", "finetune_base", "train_lora", "evaluate")


@dataclass
class Config(PhaseConfig):
    dest: str = "artifacts"
    compress: bool = True
    zstd_level: int = 19
    min_ratio: float = 1.05  # store .zst only when it is at least this much smaller
    allow_failed_gates: bool = False


def _body(ctx: PhaseContext) -> dict:
    from pipeline.basemodel import current_base
    from runtime.artifacts import ArtifactEntry, compress_file, sha256_file, write_manifest
    from runtime.engine import Engine
    from runtime.settings import Settings

    cfg: Config = ctx.config
    base = current_base(ctx)
    dest = Path(cfg.dest)
    (dest / "modifiers").mkdir(parents=True, exist_ok=True)
    trained = read_json(ctx.upstream("train_lora") / "manifest.json")["artifacts"]
    train_metrics = read_json(ctx.upstream("train_lora") / "metrics.json", {})
    from pipeline.phases.evaluate import gate_results

    ev = read_json(ctx.upstream("evaluate") / "metrics.json", {})
    # The verdict `evaluate` reached with its gate settings (written by evaluate.main each time it runs).
    gates = read_json(ctx.upstream("evaluate") / "gates.json") or gate_results(cfg, ev, ctx.upstream("evaluate"))
    existing_raw = read_json(dest / "manifest.json", {"artifacts": []}) or {"artifacts": []}
    existing = {(a.get("kind"), a.get("name")): a for a in existing_raw.get("artifacts", [])}
    published: list[ArtifactEntry] = []
    report: dict = {"modifiers": {}}
    for a in trained:
        if a["kind"] != "modifier":
            continue
        name = a["name"]
        gate = gates.get(name, {"passed": True, "reasons": []})
        if not gate["passed"] and not cfg.allow_failed_gates:
            ctx.log.warning("publish: %s not published (gates: %s)", name, gate["reasons"])
            report["modifiers"][name] = {"published": False, "reasons": gate["reasons"]}
            continue
        src = ctx.upstream("train_lora") / a["file"]
        raw_size = src.stat().st_size
        content_sha = sha256_file(src)
        fields = {}
        stored = dest / "modifiers" / f"{name}.gguf"
        ratio = 1.0
        if cfg.compress:
            zst = dest / "modifiers" / f"{name}.gguf.zst"
            tmp = zst.with_name(zst.name + ".tmp")
            compress_file(src, tmp, level=cfg.zstd_level)
            ratio = raw_size / tmp.stat().st_size
            if ratio >= cfg.min_ratio:
                tmp.replace(zst)
                stored = zst
                fields = {"content_sha256": content_sha}
            else:
                tmp.unlink()
        if stored.suffix == ".gguf":
            shutil.copyfile(src, stored.with_name(stored.name + ".tmp"))
            stored.with_name(stored.name + ".tmp").replace(stored)
        for other in (dest / "modifiers" / f"{name}.gguf", dest / "modifiers" / f"{name}.gguf.zst"):
            if other != stored and other.exists():
                other.unlink()
        sha = sha256_file(stored)
        old = existing.get(("modifier", name))
        evm = (ev.get("domains") or {}).get(name, {})
        tm = (train_metrics.get("domains") or {}).get(name, {})
        # The paired counts behind the gate (items only the base / only the modifier passed): the runtime's
        # benefit check (runtime.benefit) needs them for an exact test of "the modifier does better".
        paired = {k: gate[k] for k in ("base_only", "modifier_only", "p_worse") if k in gate}
        metrics = {**evm, **paired, "val_loss_base": a["metrics"].get("val_loss_base"), "val_loss": a["metrics"].get("val_loss"),
                   "general_val_loss_base": a["metrics"].get("general_val_loss_base"),
                   "general_val_loss": a["metrics"].get("general_val_loss")}
        entry = ArtifactEntry(
            name=name, kind="modifier", domain=a.get("domain", name), file=f"modifiers/{stored.name}", sha256=sha,
            size=stored.stat().st_size, base_sha256=a["base_sha256"], version=a.get("version", ""),
            created=old["created"] if old and old.get("sha256") == sha else now_iso(), metrics=metrics, **fields,
            extra={"compression": {"codec": "zstd" if stored.suffix == ".zst" else "none",
                                   "level": cfg.zstd_level if stored.suffix == ".zst" else None,
                                   "raw_bytes": raw_size, "stored_bytes": stored.stat().st_size,
                                   "ratio": round(ratio, 4)},
                   "training": {k: a["metrics"].get(k) for k in ("rank", "alpha", "targets", "steps", "best_step",
                                                                 "train_examples")},
                   "trainable_params": tm.get("trainable_params"), "producer": "pipeline"},
        )
        published.append(entry)
        report["modifiers"][name] = {"published": True, "file": entry.file, "raw_bytes": raw_size,
                                     "stored_bytes": entry.size, "zstd_ratio": round(ratio, 4)}

    new_base = None
    if base.produced_by == "finetune_base":
        (dest / "base").mkdir(parents=True, exist_ok=True)
        target = dest / "base" / f"modroute-base-{base.gguf_sha256[:12]}.gguf"
        if not target.exists():
            shutil.copyfile(base.gguf, target)
        new_base = ArtifactEntry(name="base", kind="base", file=f"base/{target.name}", sha256=base.gguf_sha256,
                                 size=target.stat().st_size, version=published[0].version if published else "",
                                 created=now_iso(), extra={"producer": "pipeline"})
        report["base"] = {"file": new_base.file, "bytes": new_base.size,
                          "note": "set MODROUTE_MODEL to this file: the modifiers were trained against it"}

    names = {e.name for e in published}
    keep = [ArtifactEntry.from_dict(a) for a in existing_raw.get("artifacts", [])
            if not ((a.get("kind") == "modifier" and a.get("name") in names) or
                    (new_base is not None and a.get("kind") == "base"))]
    entries = keep + ([new_base] if new_base else []) + published
    write_manifest(dest / "manifest.json", entries)
    (dest / "manifest.json").chmod(0o644)  # written through mkstemp (0600); the app may run as another user
    write_json(ctx.out / "published-manifest.json", json.loads((dest / "manifest.json").read_text()))

    if published:
        settings = Settings(data_dir=ctx.workdir / ".cache", n_threads=cfg.llama_threads, n_ctx=512,
                            manifest=str(dest / "manifest.json"))
        with Engine(settings, model_path=base.gguf) as eng:
            bad = {e.name: (eng.modifiers.get(e.name).reason if eng.modifiers.get(e.name) else "missing")
                   for e in published if not (eng.modifiers.get(e.name) and eng.modifiers.get(e.name).available)}
        if bad:
            raise PhaseError(f"published modifiers do not load: {bad}")
    report["dest"] = str(dest)
    report["published"] = sorted(names)
    return report


def up_to_date_in_dest(config: Config) -> bool:
    """Whether ``dest`` still holds exactly what the last publish wrote (else publishing again is needed)."""
    from runtime.artifacts import sha256_file

    mine = read_json(Path(config.workdir) / "publish" / "published-manifest.json")
    there = read_json(Path(config.dest) / "manifest.json")
    if not mine or not there:
        return False
    have = {(a.get("kind"), a.get("name")): a.get("sha256") for a in there.get("artifacts", [])}
    for a in mine.get("artifacts", []):
        if a.get("producer") != "pipeline":
            continue
        if have.get((a["kind"], a["name"])) != a["sha256"]:
            return False
        f = Path(config.dest) / a["file"]
        if not f.is_file() or sha256_file(f) != a["sha256"]:
            return False
    return True


def main(config: Config):
    return execute("publish", config, _body, requires=REQUIRES, code=["pipeline.basemodel"],
                   force=not up_to_date_in_dest(config))
