"""The Pipeline tab's config form, generated from the phases' dataclasses.

One typed Gradio component per field (int/float -> Number, bool -> Checkbox, str -> Textbox, Literal/Enum ->
Dropdown, lists/dicts -> YAML text), filled in with the chosen preset's values; :func:`overrides` turns what the
browser sends back into the fields an admin changed, which ``RunSpec`` then validates with the phase's dataclass.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from typing import Any

import gradio as gr
import yaml

NO_PRESET = "(none)"
HIDDEN_SHARED = ("workdir",)  # its own box: relative to the pipeline work root
_UNCHANGED = object()


# -- the form: one component per dataclass field -------------------------------------------------------------
@dataclasses.dataclass
class FormField:
    phase: str  # "" for the keys shared by every phase
    name: str
    kind: str  # int | float | bool | str | choice | yaml
    optional: bool = False
    choices: list[Any] | None = None
    component: Any = None


def field_kind(tp: Any) -> tuple[str, bool, list[Any] | None]:
    """(widget kind, None allowed, choices) for a dataclass annotation."""
    optional = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = len(args) < len(typing.get_args(tp))
        tp = args[0] if len(args) == 1 else Any
    if typing.get_origin(tp) is typing.Literal:
        return "choice", optional, list(typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "choice", optional, [m.value for m in tp]
    if tp is bool:
        return "bool", optional, None
    if tp is int:
        return "int", optional, None
    if tp is float:
        return "float", optional, None
    if tp is str:
        return "str", optional, None
    return "yaml", optional, None  # lists, dicts, nested dataclasses: YAML text parsed by the config layer


def form_fields() -> list[FormField]:
    from pipeline import phases
    from pipeline.config import SHARED_KEYS, PhaseConfig

    out: list[FormField] = []
    hints = typing.get_type_hints(PhaseConfig)
    for f in dataclasses.fields(PhaseConfig):
        if f.name not in HIDDEN_SHARED:
            out.append(FormField("", f.name, *field_kind(hints[f.name])))
    for name in phases.ORDER:
        cls = phases.load(name).Config
        hints = typing.get_type_hints(cls)
        out += [FormField(name, f.name, *field_kind(hints[f.name])) for f in dataclasses.fields(cls)
                if f.name not in SHARED_KEYS]
    return out


def presets() -> list[str]:
    from pipeline.config import PRESETS_DIR

    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def preset_values(preset: str | None) -> dict[str, dict[str, Any]]:
    """Every phase's resolved config for a preset (dataclass defaults < preset), by phase then field;
    the shared keys under ``""`` (as the first phase sees them)."""
    from pipeline import phases
    from pipeline.config import SHARED_KEYS, build, phase_values, preset_path, read_yaml

    doc = read_yaml(preset_path(preset)) if preset and preset != NO_PRESET else {}
    out: dict[str, dict[str, Any]] = {}
    for name in phases.ORDER:
        cfg = build(phases.load(name).Config, phase_values(doc, name, phases.ORDER), where=name)
        out[name] = {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)}
    out[""] = {k: v for k, v in out[phases.ORDER[0]].items() if k in SHARED_KEYS}
    return out


def shown(f: FormField, value: Any) -> Any:
    """A config value as its component shows it."""
    if f.kind == "yaml":
        if dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)
        flow = not (isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values()))
        return yaml.safe_dump(value, default_flow_style=flow, sort_keys=False, width=100).strip()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def parsed(f: FormField, raw: Any) -> Any:
    """A component's value as a config value (``_UNCHANGED`` when the browser sent nothing)."""
    where = f"{f.phase or 'shared'}.{f.name}"
    if raw is None:
        return None if f.optional and f.kind in ("int", "float", "choice") else _UNCHANGED
    if f.kind == "bool":
        return bool(raw)
    if f.kind in ("int", "float"):
        if isinstance(raw, str) and not raw.strip():
            return None if f.optional else _UNCHANGED
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: {raw!r} is not a number") from None
        if f.kind == "int":
            if not number.is_integer():
                raise ValueError(f"{where}: expected a whole number, got {raw!r}")
            return int(number)
        return number
    if f.kind == "yaml":
        text = str(raw)
        if not text.strip():
            return _UNCHANGED
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise ValueError(f"{where}: not valid YAML ({str(e).splitlines()[0]})") from None
    return str(raw)


def overrides(fields: list[FormField], phase: str, preset: str | None, values: tuple) -> dict[str, Any]:
    """The fields of ``phase`` (and the shared ones) whose value differs from the preset's."""
    base = preset_values(preset)
    out: dict[str, Any] = {}
    for f, raw in zip(fields, values, strict=False):
        if f.phase not in ("", phase):
            continue
        value = parsed(f, raw)
        if value is _UNCHANGED:
            continue
        current = base[f.phase or ""][f.name] if f.phase else base[""].get(f.name)
        if dataclasses.is_dataclass(current):
            current = dataclasses.asdict(current)
        if isinstance(current, enum.Enum):
            current = current.value
        if value != current:
            out[f.name] = value
    return out


def component(f: FormField, value: Any):
    """The Gradio component for one field, showing ``value``."""
    label, eid = f"{f.name} ({f.kind}{', optional' if f.optional else ''})", f"pipeline-f-{f.phase or 'shared'}-{f.name}"
    value = shown(f, value)
    if f.kind == "bool":
        return gr.Checkbox(value=bool(value), label=label, elem_id=eid)
    if f.kind in ("int", "float"):
        return gr.Number(value=value, precision=0 if f.kind == "int" else None, label=label, elem_id=eid)
    if f.kind == "choice":
        return gr.Dropdown(choices=f.choices, value=value, label=label, elem_id=eid)
    lines = min(12, max(1, str(value).count("\n") + 1)) if f.kind == "yaml" else 1
    return gr.Textbox(value="" if value is None else str(value), label=label + (" — YAML" if f.kind == "yaml" else ""),
                      lines=lines, max_lines=max(lines, 30), elem_id=eid)
