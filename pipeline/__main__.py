"""Command line: ``python -m pipeline list | run PHASE | all``.

    python -m pipeline list [--preset tiny | --config FILE]
    python -m pipeline run PHASE --config FILE [--set phase.key=value ...] [--<field> VALUE ...] [--force]
    python -m pipeline all --preset tiny [--set ...] [--from PHASE] [--to PHASE]

Configs layer: the phase dataclass defaults < the YAML file (shared keys at the
top level, one section per phase) < ``--set`` < the phase's own flags.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from pipeline import phases
from pipeline.config import (
    ConfigError,
    add_flags,
    build,
    deep_merge,
    flag_values,
    parse_sets,
    phase_values,
    preset_path,
    read_yaml,
)
from pipeline.framework import DONE, GateFailed, PhaseError, is_up_to_date, read_json, write_json


def load_document(args) -> dict:
    doc = {}
    if getattr(args, "preset", None):
        doc = read_yaml(preset_path(args.preset))
    if getattr(args, "config", None):
        doc = deep_merge(doc, read_yaml(args.config))
    doc = deep_merge(doc, parse_sets(getattr(args, "set", None) or []))
    return only_domains(doc, getattr(args, "only_domains", None))


def only_domains(doc: dict, names: str | None) -> dict:
    """Keep the named modifier domains (comma list) and every rehearsal-only one (``modifier: false``).

    A run in its own workdir can then build some domains of a preset; ``publish`` keeps the manifest's
    other entries, so the artifacts of several such runs add up.
    """
    if not names:
        return doc
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    domains = doc.get("domains") or {}
    unknown = sorted(set(wanted) - set(domains))
    if unknown:
        raise ConfigError(f"--only-domains: unknown {unknown}; the config has {sorted(domains)}")
    kept = {n: d for n, d in domains.items()
            if n in wanted or (isinstance(d, dict) and d.get("modifier") is False)}
    return {**doc, "domains": kept}


def phase_config(name: str, doc: dict, flags: dict | None = None):
    mod = phases.load(name)
    values = deep_merge(phase_values(doc, name, phases.ORDER), flags or {})
    return build(mod.Config, values, where=name)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="pipeline YAML (shared keys + one section per phase)")
    p.add_argument("--preset", help="a preset from pipeline/presets/ (e.g. tiny)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override, e.g. train_lora.rank=16 or workdir=work/x (repeatable)")
    p.add_argument("--only-domains", dest="only_domains", metavar="A,B",
                   help="build only these modifier domains (rehearsal-only domains stay); use its own workdir")


def make_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description="ModRoute's offline pipeline.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p_list = sub.add_parser("list", help="phases, in order, with their status for a config")
    _common(p_list)
    p_run = sub.add_parser("run", help="run one phase")
    run_sub = p_run.add_subparsers(dest="phase", required=True, metavar="PHASE")
    for name in phases.ORDER:
        mod = phases.load(name)
        pp = run_sub.add_parser(name, help=mod.SUMMARY.replace("%", "%%"), description=(mod.__doc__ or "").strip(),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        _common(pp)
        pp.add_argument("--force", action="store_true", help="run even if up to date")
        add_flags(pp, mod.Config)
    p_all = sub.add_parser("all", help="run every phase in order (finished, unchanged phases are skipped)")
    _common(p_all)
    p_all.add_argument("--from", dest="start", choices=phases.ORDER, help="first phase to run")
    p_all.add_argument("--to", dest="stop", choices=phases.ORDER, help="last phase to run")
    p_rep = sub.add_parser("report", help="markdown report of a finished run (timings, data, scores, sizes)")
    _common(p_rep)
    p_rep.add_argument("--out", help="write to this file instead of stdout")
    p_rep.add_argument("--manifest", help="also a table of every modifier this manifest ships (e.g. artifacts/manifest.json)")
    p_show = sub.add_parser("show-config", help="print the resolved config of a phase as JSON")
    p_show.add_argument("phase", choices=phases.ORDER)
    _common(p_show)
    return ap


def _setup_logging() -> None:
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    h = logging.StreamHandler(sys.stderr)
    h.setFormatter(fmt)
    for name in ("pipeline", "modroute"):
        lg = logging.getLogger(name)
        lg.setLevel(logging.INFO)
        lg.addHandler(h)
        lg.propagate = False


def cmd_list(args) -> int:
    doc = load_document(args) if (args.config or args.preset or args.set) else {}
    for name in phases.ORDER:
        mod = phases.load(name)
        status = ""
        if doc:
            cfg = phase_config(name, doc)
            done = read_json(Path(cfg.workdir) / name / DONE)
            if not done:
                status = "not run"
            else:
                try:
                    fresh = is_up_to_date(name, cfg, mod.REQUIRES, _phase_inputs(mod, cfg), _phase_code(mod))
                except Exception:  # noqa: BLE001 - status display only
                    fresh = False
                status = f"{'done' if fresh else 'stale'} ({done.get('seconds', '?')} s)"
        print(f"{name:14s} {status:18s} {mod.SUMMARY}")
    return 0


def _phase_inputs(mod, cfg):
    fn = getattr(mod, "_inputs", None)
    if fn is not None:
        return fn(cfg)
    if mod.__name__.endswith(".base"):
        return [mod.base_gguf_path(cfg)]
    return []


def _phase_code(mod) -> list[str]:
    # Mirrors what each phase's main() passes to execute(); used for the status column only.
    extra = {
        "curate": ["pipeline.filters", "pipeline.minhash", "pipeline.textdata", "pipeline.evalsets", "pipeline.lora"],
        "finetune_base": ["pipeline.lora", "pipeline.basemodel"],
        "failures": ["pipeline.clustering", "pipeline.scoring", "pipeline.sandbox", "pipeline.basemodel"],
        "distill": ["pipeline.teacher", "pipeline.minhash", "pipeline.scoring", "pipeline.basemodel"],
        "train_lora": ["pipeline.lora", "pipeline.basemodel"],
        "evaluate": ["pipeline.scoring", "pipeline.sandbox", "pipeline.evalsets", "pipeline.basemodel"],
        "publish": ["pipeline.basemodel"],
        "example_bank": ["pipeline.filters", "pipeline.minhash", "pipeline.textdata", "pipeline.evalsets",
                         "runtime.fewshot"],
    }.get(mod.__name__.rsplit(".", 1)[-1], getattr(mod, "CODE", []))  # or the phase's own CODE list
    return [mod.__name__, *extra]


def run_phase(name: str, doc: dict, flags: dict | None = None, force: bool = False):
    mod = phases.load(name)
    cfg = phase_config(name, doc, flags)
    if force:
        import pipeline.framework as fw

        done = Path(cfg.workdir) / name / fw.DONE
        done.unlink(missing_ok=True)
    return mod.main(cfg)


def cmd_run(args) -> int:
    mod = phases.load(args.phase)
    doc = load_document(args)
    res = run_phase(args.phase, doc, flag_values(args, mod.Config), force=args.force)
    print(json.dumps({"phase": res.phase, "status": res.status, "dir": str(res.dir),
                      "seconds": round(res.seconds, 1)}))
    return 0


def cmd_all(args) -> int:
    if not (args.preset or args.config):
        raise ConfigError("`all` needs --preset NAME or --config FILE")
    doc = load_document(args)
    order = phases.ORDER
    lo = order.index(args.start) if args.start else 0
    hi = order.index(args.stop) if args.stop else len(order) - 1
    rows = []
    t0 = time.perf_counter()
    workdir = Path(phase_config(order[0], doc).workdir)
    try:
        for name in order[lo:hi + 1]:
            res = run_phase(name, doc)
            rows.append({"phase": name, "status": res.status, "seconds": round(res.seconds, 1),
                         "cpu_seconds": (res.metrics or {}).get("cpu_seconds") if res.status == "done" else 0.0,
                         "load_avg": (res.metrics or {}).get("load_avg") if res.status == "done" else None})
            print(f"== {name}: {res.status} ({res.seconds:.1f} s)", file=sys.stderr)
    finally:
        total = time.perf_counter() - t0
        summary = {"finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "total_seconds": round(total, 1),
                   "phases": rows}
        history = read_json(workdir / "runs.json", []) or []
        write_json(workdir / "runs.json", history + [summary])
    for r in rows:
        print(f"{r['phase']:14s} {r['status']:11s} {r['seconds']:8.1f} s")
    print(f"{'total':14s} {'':11s} {total:8.1f} s")
    return 0


def cmd_report(args) -> int:
    from pipeline.report import render

    doc = load_document(args)
    text = render(Path(phase_config("base", doc).workdir), doc)
    if args.manifest:
        from pipeline.report import shipped

        text = shipped(args.manifest) + "\n" + text
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


def cmd_show(args) -> int:
    cfg = phase_config(args.phase, load_document(args))
    print(json.dumps(cfg.to_dict(), indent=2, default=str))
    return 0


def main(argv: list[str] | None = None) -> int:
    from pipeline import progress

    code = 1  # an exception escaping main is a failure
    try:
        code = _main(argv)
    except SystemExit as e:  # argparse: --help (0) or bad arguments (2)
        code = e.code if isinstance(e.code, int) else 1
        raise
    finally:
        progress.finish(code)  # for a runner that cannot wait() for this process (pipeline.progress)
    return code


def _main(argv: list[str] | None) -> int:
    args = make_parser().parse_args(argv)
    _setup_logging()
    from pipeline.cpu import prepare_torch_env

    prepare_torch_env()
    try:
        return {"list": cmd_list, "run": cmd_run, "all": cmd_all, "report": cmd_report,
                "show-config": cmd_show}[args.cmd](args)
    except GateFailed as e:
        print(f"pipeline stopped: {e}", file=sys.stderr)
        return 3
    except (ConfigError, PhaseError, FileNotFoundError) as e:
        print(f"pipeline error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
