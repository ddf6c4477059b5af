"""One interface for running pipeline phases anywhere: ``RunSpec`` in, a job id out, then status/logs/cancel.

- ``RunSpec``: which phase (or ``all``), a preset and config overrides validated by the phase's own
  dataclass (unknown keys and wrong types are refused with the config layer's message), a work directory
  confined to the pipeline work root, the runner, the hardware flavor and the Hub repo for outputs.
- ``Runner``: ``submit(spec) -> job_id``, ``status(job_id) -> JobStatus``, ``logs(job_id, tail)``,
  ``cancel(job_id)``, and ``reattach(job_id)`` after an app restart. Jobs live in a ``JobBook``.
- ``PipelineRunners``: the runners an app has, by name, over one ``JobBook`` (what the admin tab calls);
  ``resume`` re-attaches every job that was queued or running when the app stopped.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline import phases
from pipeline.config import SHARED_KEYS, ConfigError, build, deep_merge, phase_values, preset_path, read_yaml
from pipeline.runners.catalog import ALL, PhaseInfo, hardware_for, list_phases, phase_names

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Config keys whose values are file or directory paths (at any depth: domains.*.train, distill tiers' gguf, ...).
PATH_KEYS = ("workdir", "base_gguf", "dest", "modifiers_manifest", "router_labels", "train", "eval", "gguf",
             "decontaminate_against")
NOT_PATHS = ("", "humaneval")
JOBS_DIR = "jobs"  # under the work root: one directory per local job (log, config, progress)


def default_work_root() -> Path:
    return Path(os.environ.get("MODROUTE_PIPELINE_ROOT") or PROJECT_ROOT / "var" / "pipeline")


class RunnerError(RuntimeError):
    """A run cannot be launched, followed or cancelled; the message is meant for the admin."""

    def __init__(self, message: str, *, status_code: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


class RunSpec(BaseModel):
    """What to run and where. Validated against the phase's dataclass when built (see ``resolve``)."""

    model_config = ConfigDict(extra="forbid")

    phase: str = Field(description=f"a phase name ({', '.join(phases.ORDER)}) or '{ALL}'")
    preset: str | None = Field(default="tiny", description="a preset from pipeline/presets/, or None")
    config: dict[str, Any] = Field(default_factory=dict, description=(
        "overrides: the phase's dataclass fields (flat) for one phase; a pipeline document (shared keys + one "
        "section per phase) for 'all'"))
    workdir: str | None = Field(default=None, description=(
        "relative to the pipeline work root; default: the preset's directory name there (tiny -> <root>/tiny)"))
    runner: str = Field(default="local", description="local | hf_jobs")
    flavor: str | None = Field(default=None, description="HF Jobs hardware; default: GPU for AWQ/large LoRA, else CPU")
    hub_repo: str | None = Field(default=None, description="Hub model repo (owner/name) the job pushes outputs to")
    force: bool = Field(default=False, description="run the phase even if it is up to date (one phase only)")
    from_phase: str | None = Field(default=None, description="with 'all': first phase")
    to_phase: str | None = Field(default=None, description="with 'all': last phase")

    @field_validator("phase")
    @classmethod
    def _known_phase(cls, v: str) -> str:
        if v != ALL and v not in phases.ORDER:
            raise ValueError(f"unknown phase {v!r}; phases: {', '.join(phases.ORDER)}, or {ALL!r}")
        return v

    @field_validator("from_phase", "to_phase")
    @classmethod
    def _known_bound(cls, v: str | None) -> str | None:
        if v is not None and v not in phases.ORDER:
            raise ValueError(f"unknown phase {v!r}; phases: {', '.join(phases.ORDER)}")
        return v

    @field_validator("hub_repo")
    @classmethod
    def _repo_id(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        from huggingface_hub.utils import HFValidationError, validate_repo_id

        try:
            validate_repo_id(v)
        except HFValidationError as e:
            raise ValueError(f"{v!r} is not a Hub repo id (owner/name): {e}") from e
        if "/" not in v:
            raise ValueError(f"{v!r}: give owner/name")
        return v

    @model_validator(mode="after")
    def _valid_config(self, info) -> RunSpec:
        ctx = info.context or {}
        try:
            self.resolve(Path(ctx.get("work_root") or default_work_root()),
                         Path(ctx.get("project_root") or PROJECT_ROOT))
        except RunnerError as e:
            raise ValueError(str(e)) from None
        return self

    @classmethod
    def parse(cls, data: dict[str, Any], work_root: Path | None = None,
              project_root: Path | None = None) -> RunSpec:
        """``model_validate`` with the work root in context; errors become one ``RunnerError`` sentence."""
        try:
            return cls.model_validate(data, context={"work_root": work_root, "project_root": project_root})
        except ValidationError as e:
            raise RunnerError("; ".join(_error_text(err) for err in e.errors())) from None

    def resolve(self, work_root: Path, project_root: Path = PROJECT_ROOT) -> ResolvedRun:
        """The pipeline document this spec runs, every phase's config built from it, paths checked."""
        try:
            return _resolve(self, Path(work_root), Path(project_root))
        except ConfigError as e:
            raise RunnerError(str(e)) from None


def _error_text(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    loc = ".".join(str(x) for x in err.get("loc", ()))
    return f"{loc}: {msg}" if loc else msg


@dataclass
class ResolvedRun:
    spec: RunSpec
    document: dict[str, Any]  # the pipeline YAML the CLI is given (workdir absolute)
    workdir: Path
    phases: list[str]  # in run order
    hardware: str  # cpu | gpu

    def argv(self, config_file: str | Path) -> list[str]:
        """Arguments after ``python -m pipeline`` (never a shell string)."""
        if self.spec.phase == ALL:
            out = [ALL, "--config", str(config_file)]
            if self.spec.from_phase:
                out += ["--from", self.spec.from_phase]
            if self.spec.to_phase:
                out += ["--to", self.spec.to_phase]
            return out
        return ["run", self.spec.phase, "--config", str(config_file)] + (["--force"] if self.spec.force else [])

    def portable_document(self, workdir: str) -> dict[str, Any]:
        """The same document with ``workdir`` replaced (e.g. a path inside a remote job's checkout)."""
        return {**copy.deepcopy(self.document), "workdir": workdir}


def _inside(p: Path, roots: Iterable[Path]) -> bool:
    return any(p == r or p.is_relative_to(r) for r in roots)


def _check_paths(node: Any, roots: list[Path], project_root: Path, where: str = "") -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            key = f"{where}.{k}" if where else str(k)
            if k in PATH_KEYS and k != "workdir":
                for value in (v if isinstance(v, list) else [v]):
                    if isinstance(value, str) and value.strip().lower() not in NOT_PATHS:
                        p = Path(value).expanduser()
                        p = (p if p.is_absolute() else project_root / p).resolve()
                        if not _inside(p, roots):
                            raise ConfigError(f"{key}: {value!r} is outside the project ({project_root}) and the "
                                              f"pipeline work root ({roots[-1]})")
            else:
                _check_paths(v, roots, project_root, key)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_paths(v, roots, project_root, f"{where}[{i}]")


def _resolve(spec: RunSpec, work_root: Path, project_root: Path) -> ResolvedRun:
    root = work_root.resolve()
    project_root = project_root.resolve()
    doc = read_yaml(preset_path(spec.preset)) if spec.preset else {}
    over = copy.deepcopy(spec.config or {})
    if not isinstance(over, dict):
        raise ConfigError("config overrides must be a mapping")
    wd_raw = spec.workdir
    if wd_raw is None and "workdir" in over:
        wd_raw = over.pop("workdir")
    over.pop("workdir", None)
    if spec.phase == ALL:
        doc = deep_merge(doc, over)
        names = phase_names(spec.from_phase, spec.to_phase)
        if not names:
            raise ConfigError(f"from_phase {spec.from_phase!r} comes after to_phase {spec.to_phase!r}")
    else:
        if spec.from_phase or spec.to_phase:
            raise ConfigError("from_phase/to_phase go with phase 'all'")
        shared = {k: v for k, v in over.items() if k in SHARED_KEYS}
        section = {k: v for k, v in over.items() if k not in SHARED_KEYS}
        doc = deep_merge(doc, {**shared, spec.phase: deep_merge(doc.get(spec.phase) or {}, section)})
        names = [spec.phase]
    if wd_raw is None and isinstance(doc.get("workdir"), str) and doc["workdir"]:
        # The preset's directory name, under this work root (with the default root: the preset's own path).
        wd_raw = Path(doc["workdir"]).name
    if not wd_raw or not isinstance(wd_raw, str):
        raise ConfigError("no workdir: give one (relative to the pipeline work root)")
    wd = Path(wd_raw).expanduser()
    wd = (wd if wd.is_absolute() else root / wd).resolve()
    if not wd.is_relative_to(root) or wd == root or wd.is_relative_to(root / JOBS_DIR):
        raise ConfigError(f"workdir {wd_raw!r} resolves to {wd}, outside the pipeline work root {root} "
                          f"(or the root itself / its {JOBS_DIR}/ directory)")
    doc["workdir"] = str(wd)
    _check_paths(doc, [project_root, root], project_root)
    hardware = "cpu"
    for name in names:
        mod = phases.load(name)
        cfg = build(mod.Config, phase_values(doc, name, phases.ORDER), where=name)
        cfg.domain_specs()  # unknown domain keys fail here, not in the job
        if hardware_for(name, cfg) == "gpu":
            hardware = "gpu"
    return ResolvedRun(spec=spec, document=doc, workdir=wd, phases=names, hardware=hardware)


# -- what runners report ----------------------------------------------------------------------------------
class JobStatus(BaseModel):
    job_id: str
    phase: str
    runner: str
    status: str = Field(description="queued | running | succeeded | failed | cancelled")
    progress: float | None = Field(default=None, description="0..1, from the phase's progress reports")
    progress_desc: str = ""
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    seconds: float | None = Field(default=None, description="running time so far, or in all")
    flavor: str | None = None
    cost_estimate_usd: float | None = None
    cost_usd: float | None = None
    error: str | None = None
    remote_id: str | None = None
    artifact_uri: str | None = None
    revision: str | None = None
    workdir: str | None = None
    created_by: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed", "cancelled")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> JobStatus:
        from pipeline.runners.book import utcnow

        started, finished = row.get("started_at"), row.get("finished_at")
        seconds = ((finished or utcnow()) - started).total_seconds() if started else None
        out = row.get("outputs") or {}
        return cls(job_id=row["id"], phase=row["phase"], runner=row["runner"], status=row["status"],
                   progress=row.get("progress"), progress_desc=out.get("progress_desc", ""),
                   created_at=row.get("created_at"), started_at=started, finished_at=finished,
                   seconds=round(seconds, 1) if seconds is not None else None, flavor=row.get("flavor"),
                   cost_estimate_usd=row.get("cost_estimate_usd"), cost_usd=row.get("cost_usd"),
                   error=row.get("error"), remote_id=row.get("remote_id"), artifact_uri=row.get("artifact_uri"),
                   revision=row.get("revision"), workdir=out.get("workdir"), created_by=row.get("created_by"))


class Flavor(BaseModel):
    name: str
    pretty_name: str
    cpu: str = ""
    ram: str = ""
    gpu: str | None = Field(default=None, description="e.g. '1x A10G (24 GB)'; None for CPU flavors")
    price_per_hour_usd: float


class CostEstimate(BaseModel):
    flavor: str
    price_per_hour_usd: float
    expected_seconds: float
    basis: str = Field(description="where the expected duration comes from")
    cost_usd: float


def overall_progress(record: dict[str, Any] | None, names: list[str]) -> tuple[float | None, str]:
    """A progress record of one phase -> (fraction of the whole run, description)."""
    if not record or record.get("phase") not in names:
        return None, ""
    i = names.index(record["phase"])
    frac = (i + float(record.get("fraction") or 0.0)) / len(names)
    desc = f"{record['phase']}: {record.get('desc', '')}".strip()
    if len(names) > 1:
        desc = f"[{i + 1}/{len(names)}] {desc}"
    return round(min(1.0, frac), 4), desc


@runtime_checkable
class Runner(Protocol):
    name: str

    def submit(self, spec: RunSpec, *, created_by: str | None = None) -> str: ...

    def status(self, job_id: str) -> JobStatus: ...

    def logs(self, job_id: str, tail: int = 200) -> str: ...

    def cancel(self, job_id: str, *, by: str | None = None) -> JobStatus: ...

    def reattach(self, job_id: str) -> JobStatus: ...

    def flavors(self) -> list[Flavor]: ...

    def estimate(self, spec: RunSpec) -> CostEstimate: ...


class PipelineRunners:
    """The app's runners by name over one ``JobBook``: what the admin "Pipeline" tab calls."""

    def __init__(self, book, runners: Iterable[Runner]) -> None:
        self.book = book
        self.runners: dict[str, Runner] = {r.name: r for r in runners}

    def phases(self) -> list[PhaseInfo]:
        return list_phases()

    def runner(self, name: str) -> Runner:
        if name not in self.runners:
            raise RunnerError(f"unknown runner {name!r}; configured: {', '.join(self.runners) or 'none'}")
        return self.runners[name]

    def _job_runner(self, job_id: str) -> Runner:
        row = self.book.get(job_id)
        if row is None:
            raise RunnerError(f"no pipeline job {job_id!r}")
        return self.runner(row["runner"])

    def submit(self, spec: RunSpec | dict[str, Any], *, created_by: str | None = None) -> str:
        if not isinstance(spec, RunSpec):
            spec = RunSpec.parse(spec)
        return self.runner(spec.runner).submit(spec, created_by=created_by)

    def status(self, job_id: str) -> JobStatus:
        return self._job_runner(job_id).status(job_id)

    def logs(self, job_id: str, tail: int = 200) -> str:
        return self._job_runner(job_id).logs(job_id, tail=tail)

    def cancel(self, job_id: str, *, by: str | None = None) -> JobStatus:
        return self._job_runner(job_id).cancel(job_id, by=by)

    def jobs(self, *, status: str | None = None, limit: int = 50) -> list[JobStatus]:
        """Newest first, as stored (``status(job_id)`` refreshes one)."""
        return [JobStatus.from_row(r) for r in self.book.list(status=status, limit=limit)]

    def flavors(self, runner: str = "hf_jobs") -> list[Flavor]:
        return self.runner(runner).flavors()

    def estimate(self, spec: RunSpec) -> CostEstimate:
        return self.runner(spec.runner).estimate(spec)

    def resume(self) -> list[JobStatus]:
        return resume(self.book, self.runners.values())


def resume(book, runners: Iterable[Runner]) -> list[JobStatus]:
    """After an app restart: re-attach every queued/running job to its runner (``book``: a JobBook or a store).

    A local job whose process is gone is marked with the reason; a remote job is polled again. A job whose
    runner this app does not have is reported as stored, with a note, and left for an app that has it.
    """
    from pipeline.runners.book import JobBook

    if not isinstance(book, JobBook):
        book = JobBook(book)
    by_name = {r.name: r for r in runners}
    out = []
    for row in book.active():
        r = by_name.get(row["runner"])
        if r is None:
            st = JobStatus.from_row(row)
            st.error = f"runner {row['runner']!r} is not configured in this app: status not refreshed"
            out.append(st)
            continue
        try:
            out.append(r.reattach(row["id"]))
        except RunnerError as e:
            st = JobStatus.from_row(book.get(row["id"]) or row)
            st.error = str(e)
            out.append(st)
    return out


def expected_seconds(book, names: list[str], flavor: str | None) -> tuple[float, str]:
    """How long a run of ``names`` should take on ``flavor``: the median of earlier succeeded jobs of the same
    phase and flavor, else the tiny preset's measured time on 2 CPU cores (an upper bound for most flavors)."""
    import statistics

    from pipeline.runners.catalog import TINY_CPU_SECONDS

    if len(names) > 1:
        past = book.durations(ALL, flavor) if book is not None else []
        if past:
            return statistics.median(past), f"median of {len(past)} earlier '{ALL}' jobs on {flavor}"
    total, bases = 0.0, set()
    for name in names:
        past = book.durations(name, flavor) if book is not None else []
        if past:
            total += statistics.median(past)
            bases.add(f"earlier jobs on {flavor}")
        else:
            total += TINY_CPU_SECONDS.get(name, 600)
            bases.add("the tiny preset's time on 2 CPU cores")
    return total, " + ".join(sorted(bases))


def code_revision(project_root: Path = PROJECT_ROOT) -> tuple[str | None, bool]:
    """(commit of the checkout, whether it has uncommitted changes to tracked files); (None, False) outside git."""
    import subprocess

    try:
        sha = subprocess.run(["git", "-C", str(project_root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(project_root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=30, check=True).stdout.strip() != ""
    except (OSError, subprocess.SubprocessError):
        return None, False
    return (sha or None), dirty
