"""Running a phase: fingerprints, done-markers, atomic output directories, logs, metrics, manifests.

A phase reads its upstream phases' directories under ``workdir`` and writes
``workdir/<phase>/``: its artifacts, ``manifest.json`` (DESIGN.md "Artifacts"
shape plus the config and input fingerprints that produced it), ``metrics.json``
and ``log.txt``. Work happens in ``workdir/.<phase>.partial/`` which is renamed
into place only when the phase succeeds, so a crash never leaves a half-written
phase behind. The partial directory records the fingerprint it belongs to: an
interrupted phase re-run with the same inputs resumes (sub-steps marked done
are skipped), with other inputs it restarts from scratch.

Re-running a finished phase with the same fingerprint (config, upstream
fingerprints, external input files, the phase's own code) is a no-op.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import progress as progress_report
from pipeline.config import PhaseConfig

DONE = "DONE.json"
KEY_FILE = "KEY"


class PhaseError(RuntimeError):
    """A phase cannot run or failed; the message is meant for the operator."""


class GateFailed(PhaseError):
    """A quality gate was not met: the pipeline stops here."""


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_fingerprint(path: Path) -> str:
    from runtime.artifacts import sha256_cached

    if path.is_dir():
        h = hashlib.sha256()
        for p in sorted(path.rglob("*")):
            if p.is_file():
                h.update(str(p.relative_to(path)).encode())
                h.update(sha256_cached(p).encode())
        return h.hexdigest()
    if not path.exists():
        return "missing"
    return sha256_cached(path)


def code_fingerprint(modules: Iterable[str]) -> str:
    h = hashlib.sha256()
    for name in sorted(set(modules)):
        mod = importlib.import_module(name)
        h.update(name.encode())
        h.update(Path(inspect.getfile(mod)).read_bytes())
    return h.hexdigest()


def read_json(path: Path, default: Any = None) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def write_json(path: Path, data: Any) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class PhaseResult:
    phase: str
    status: str  # "done" | "up-to-date"
    dir: Path
    metrics: dict[str, Any]
    seconds: float


@dataclass
class PhaseContext:
    """What a phase body gets: where to write, how to log, what upstream produced."""

    phase: str
    config: PhaseConfig
    workdir: Path
    out: Path  # the partial directory; becomes workdir/<phase> on success
    key: str
    log: logging.Logger
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    resumed: bool = False

    def upstream(self, phase: str) -> Path:
        d = self.workdir / phase
        if not (d / DONE).is_file():
            raise PhaseError(f"phase {self.phase!r} needs phase {phase!r}: run `python -m pipeline run {phase}` "
                             f"with the same workdir ({self.workdir}) first")
        return d

    def add_artifact(self, name: str, kind: str, file: str | Path, **fields_: Any) -> dict[str, Any]:
        """Record an output file (relative to the phase directory); sha256/size are filled in at the end."""
        entry = {"name": name, "kind": kind, "file": str(file), **fields_}
        self.artifacts = [a for a in self.artifacts if a["name"] != name or a["kind"] != kind] + [entry]
        write_json(self.out / ".artifacts.json", self.artifacts)  # survives a kill, for resuming
        return entry

    # -- resumable sub-steps --------------------------------------------------------------------
    def step_done(self, step: str) -> bool:
        return (self.out / ".steps" / f"{step}.done").is_file()

    def mark_step(self, step: str, info: Any = None) -> None:
        write_json(self.out / ".steps" / f"{step}.done", {"at": now_iso(), "info": info})

    def step_info(self, step: str) -> Any:
        return (read_json(self.out / ".steps" / f"{step}.done") or {}).get("info")

    def progress(self, iterable: Iterable, desc: str, total: int | None = None):
        from tqdm.auto import tqdm

        tty = sys.stderr.isatty()
        bar = tqdm(iterable, desc=f"{self.phase}: {desc}", total=total, file=sys.stderr, leave=False,
                   mininterval=0.5 if tty else 10.0, dynamic_ncols=tty)
        # A runner reads how far the loop is (pipeline.progress); a no-op unless it asked for it.
        return progress_report.track(bar, self.phase, desc, total) if progress_report.enabled() else bar


GATE_KEYS = ("gate_min_score", "gate_min_gain", "gate_worse_alpha", "stop_on_gate", "allow_failed_gates")
# Domain keys that only some phases read: changing them must not redo the others.
DOMAIN_KEY_READERS = {"lora": {"train_lora"}, "eval_n": {"evaluate", "publish", "backbone"},
                      "benchmark": {"evaluate", "publish"}}


def _config_dict(config: PhaseConfig, phase: str = "") -> dict[str, Any]:
    """The config as it bears on a phase's output (its fingerprint).

    Left out: ``threads`` (how many cores we had does not change the result) and quality gates, which
    decide whether to go on, not what is produced (changing a gate must not retrain anything); only
    ``publish``, which acts on them, keeps them.
    """
    d = config.to_dict()
    d.pop("threads", None)
    d.pop("llama_threads", None)
    drop = {k for k, readers in DOMAIN_KEY_READERS.items() if phase not in readers}
    if phase != "publish":
        for k in GATE_KEYS:
            d.pop(k, None)
        drop |= set(GATE_KEYS)
    d["domains"] = {n: ({k: v for k, v in spec.items() if k not in drop} if isinstance(spec, dict) else spec)
                    for n, spec in (d.get("domains") or {}).items()}
    return d


def fingerprint(phase: str, config: PhaseConfig, requires: Iterable[str], inputs: Iterable[Path],
                code: Iterable[str]) -> tuple[str, dict[str, Any]]:
    workdir = Path(config.workdir)
    parts: dict[str, Any] = {"phase": phase, "config": _config_dict(config, phase), "upstream": {}, "inputs": {},
                             "code": code_fingerprint(code)}
    for up in requires:
        done = read_json(workdir / up / DONE)
        parts["upstream"][up] = done["key"] if done else None
    for p in inputs:
        parts["inputs"][str(p)] = file_fingerprint(Path(p))
    key = sha256_bytes(json.dumps(parts, sort_keys=True, default=str).encode())
    return key, parts


def is_up_to_date(phase: str, config: PhaseConfig, requires, inputs, code) -> bool:
    key, _ = fingerprint(phase, config, requires, inputs, code)
    done = read_json(Path(config.workdir) / phase / DONE)
    return bool(done and done.get("key") == key)


def execute(phase: str, config: PhaseConfig, body: Callable[[PhaseContext], dict[str, Any]], *,
            requires: Iterable[str] = (), inputs: Iterable[Path] = (), code: Iterable[str] = (),
            force: bool = False) -> PhaseResult:
    """Run ``body`` for ``phase`` unless an identical run already finished; publish its output atomically."""
    t0 = time.perf_counter()
    cpu0 = _cpu_seconds()
    load0 = _load()
    requires = list(requires)
    workdir = Path(config.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for up in requires:
        if not (workdir / up / DONE).is_file():
            raise PhaseError(f"phase {phase!r} needs phase {up!r}: run `python -m pipeline run {up}` with "
                             f"workdir {workdir} first (or `python -m pipeline all`)")
    # The phase's own code and the helpers it names; the framework only runs it.
    code = [body.__module__, *code]
    key, parts = fingerprint(phase, config, requires, inputs, code)
    final = workdir / phase
    log = logging.getLogger(f"pipeline.{phase}")
    done = read_json(final / DONE)
    if done and done.get("key") == key and not force:
        log.info("%s: up to date (fingerprint %s), nothing to do", phase, key[:12])
        progress_report.report(phase, 1.0, "up to date", force=True)
        return PhaseResult(phase, "up-to-date", final, read_json(final / "metrics.json", {}), 0.0)

    partial = workdir / f".{phase}.partial"
    resumed = False
    if partial.is_dir():
        if (partial / KEY_FILE).is_file() and (partial / KEY_FILE).read_text().strip() == key:
            resumed = True
        else:
            shutil.rmtree(partial)
    partial.mkdir(parents=True, exist_ok=True)
    (partial / KEY_FILE).write_text(key)

    handler = logging.FileHandler(partial / "log.txt", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("pipeline")
    root.addHandler(handler)
    runtime_log = logging.getLogger("modroute")
    runtime_log.addHandler(handler)
    ctx = PhaseContext(phase, config, workdir, partial, key, log, resumed=resumed)
    progress_report.report(phase, 0.0, "resuming" if resumed else "starting", force=True)
    prev = read_json(partial / ".artifacts.json")
    if resumed and prev:
        ctx.artifacts = prev
    try:
        log.info("%s: %s (fingerprint %s, workdir %s)", phase, "resuming" if resumed else "starting", key[:12],
                 workdir)
        metrics = body(ctx) or {}
        seconds = time.perf_counter() - t0
        # Wall time depends on who else uses the cores; CPU time and load say how much that was.
        metrics = {**metrics, "seconds": round(seconds, 1), "cpu_seconds": round(_cpu_seconds() - cpu0, 1),
                   "load_avg": [load0, _load()]}
        entries = []
        for a in ctx.artifacts:
            p = partial / a["file"]
            if p.is_file():
                from runtime.artifacts import sha256_file

                a = {**a, "sha256": a.get("sha256") or sha256_file(p), "size": p.stat().st_size}
            entries.append({**a, "created": a.get("created") or now_iso()})
        write_json(partial / "manifest.json", {"phase": phase, "key": key, "created": now_iso(),
                                               "config": _config_dict(config, phase), "inputs": parts["inputs"],
                                               "upstream": parts["upstream"], "artifacts": entries})
        write_json(partial / "metrics.json", metrics)
        write_json(partial / DONE, {"key": key, "finished": now_iso(), "seconds": round(seconds, 1)})
        log.info("%s: done in %.1f s", phase, seconds)
        progress_report.report(phase, 1.0, "done", force=True)
    except BaseException:
        log.exception("%s: failed; partial output kept in %s for resuming", phase, partial)
        raise
    finally:
        root.removeHandler(handler)
        runtime_log.removeHandler(handler)
        handler.close()
    (partial / KEY_FILE).unlink(missing_ok=True)
    shutil.rmtree(partial / ".steps", ignore_errors=True)
    (partial / ".artifacts.json").unlink(missing_ok=True)
    old = workdir / f".{phase}.old"
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(partial, final)
    shutil.rmtree(old, ignore_errors=True)
    return PhaseResult(phase, "done", final, metrics, seconds)
