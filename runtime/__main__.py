"""``python -m runtime``: chat from the terminal, benchmark the engine and the served API."""

from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m runtime", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)

    chat = sub.add_parser("chat", help="stream one answer to the terminal")
    chat.add_argument("prompt")
    chat.add_argument("--modifier", default=None, help="LoRA modifier name from the manifest")
    chat.add_argument("--system", default=None, help="system prompt")
    chat.add_argument("--max-tokens", type=int, default=None)
    chat.add_argument("--temperature", type=float, default=0.0)
    chat.add_argument("--stats", action="store_true", help="print usage and timings to stderr")

    bench = sub.add_parser("bench", help="engine vs raw llama-cpp-python vs the decode limit, side by side")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--max-tokens", type=int, default=200)
    bench.add_argument("--reps", type=int, default=2)

    rb = sub.add_parser("router-bench", help="routing decision latency p50/p95 (probe reported separately)")
    rb.add_argument("--json", action="store_true")
    pb = sub.add_parser("probe-bench", help="time to first token: auto (route + probe) vs forced Fast, fresh prompts")
    pb.add_argument("--prompts", type=int, default=24)
    pb.add_argument("--reps", type=int, default=2)
    pb.add_argument("--json", action="store_true")

    route = sub.add_parser("route", help="route JSON lines {\"text\": ...} -> one decision per line")
    route.add_argument("--jsonl", required=True, help="input file, or - for stdin")
    route.add_argument("--probe", action="store_true", help="also run the base-model confidence probe")

    rr = sub.add_parser("router-report", help="held-out accuracy per domain, confusion matrix, quality ECE/Brier/AUC")
    rr.add_argument("--heldout", default=None, help="held-out JSONL (default data/router/domain_heldout.jsonl)")
    rr.add_argument("--manifest", default=None, help="router manifest (default: the settings')")
    rr.add_argument("--misses", type=int, default=0, metavar="N", help="also list the first N misclassified prompts")
    rr.add_argument("--json", action="store_true", help="print one JSON object")

    train = sub.add_parser("train-router", help="train router parts from data/router (reproducible)")
    train.add_argument("part", choices=["domain", "detector", "label", "quality", "all"])
    train.add_argument("--limit", type=int, default=30, help="label: prompts per source")
    train.add_argument("--max-tokens", type=int, default=128, help="label: answer length")
    train.add_argument("--out", default=None, help="artifact directory (default artifacts/router)")
    train.add_argument("--unmerged", action="store_true",
                       help="domain: keep every label (no router_train.ROUTER_MERGE), e.g. hard_math apart from math")

    tb = sub.add_parser("tools-bench", help="Accurate-mode tools on data/eval/arithmetic.jsonl, side by side")
    tb.add_argument("--limit", type=int, default=None, help="first N items only")
    tb.add_argument("--modifier", action="append", default=None, help="'none' (base) or a modifier; repeatable")
    tb.add_argument("--max-tokens", type=int, default=160)
    tb.add_argument("--json", action="store_true")
    tb.add_argument("--out", default=None, help="also write every item's results as JSON to this file")
    tb.add_argument("--no-critique", action="store_true")
    tb.add_argument("--no-fewshot", action="store_true")
    tb.add_argument("--no-consistency", action="store_true")
    tb.add_argument("--lookup-only", action="store_true", help="only the example bank's lookup latency p50/p95")
    tb.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: the settings')")

    lb = sub.add_parser("loadbench", help="ours vs llama_cpp.server vs C++ llama-server under 1-16 streaming clients")
    lb.add_argument("--levels", default="1,4,8,16", help="concurrent clients per level, comma-separated")
    lb.add_argument("--requests", type=int, default=16, help="requests per level (the same prompts for every server)")
    lb.add_argument("--max-tokens", type=int, default=64)
    lb.add_argument("--servers", default="ours,llama_cpp.server,llama-server", help="comma-separated subset")
    lb.add_argument("--scenarios", default="base,modifiers", help="base, modifiers, or both")
    lb.add_argument("--threads", type=int, default=2, help="decoding threads of every server")
    lb.add_argument("--llama-server", default=None,
                    help="llama-server binary (default .cache/llama-server/bin/llama-server, or MODROUTE_LLAMA_SERVER)")
    lb.add_argument("--ours-dir", default=None,
                    help="run our server's app.py from this checkout (e.g. an export of another commit); default: this one")
    lb.add_argument("--rounds", type=int, default=1,
                    help="run every server this many times in turn; each cell is the median (spreads outside load)")
    lb.add_argument("--ignore-eos", action="store_true",
                    help="send ignore_eos to the servers that honour it (default: to none, so all do the same work)")
    lb.add_argument("--quiet-wait", type=float, default=0.0, metavar="SECONDS",
                    help="before each level wait up to this long for other processes to leave the cores (0 = off)")
    lb.add_argument("--out", default=None, metavar="FILE",
                    help="also keep the JSON results so far in FILE, rewritten after every level")
    lb.add_argument("--json", action="store_true", help="print one JSON object")

    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    if args.cmd == "chat":
        from runtime.engine import ChatRequest, Done, Engine, InputError, Token

        messages = ([{"role": "system", "content": args.system}] if args.system else []) + [
            {"role": "user", "content": args.prompt}
        ]
        with Engine() as engine:
            try:
                for ev in engine.stream(ChatRequest(messages, max_tokens=args.max_tokens,
                                                    temperature=args.temperature, modifier=args.modifier)):
                    if isinstance(ev, Token):
                        sys.stdout.write(ev.text)
                        sys.stdout.flush()
                    elif isinstance(ev, Done):
                        sys.stdout.write("\n")
                        if args.stats:
                            print(f"[{ev.finish_reason}] modifier={ev.modifier} usage={ev.usage} "
                                  f"timings={ {k: round(v, 2) for k, v in ev.timings.items()} }", file=sys.stderr)
            except InputError as e:
                print(f"error: {e}", file=sys.stderr)
                return 2
        return 0

    if args.cmd == "route":
        return _route(args)

    if args.cmd == "router-bench":
        import json

        from runtime.bench import run_router_bench

        res = run_router_bench()
        print(json.dumps(res) if args.json else "\n".join(f"{k:20s} {v}" for k, v in res.items()))
        return 0

    if args.cmd == "probe-bench":
        import json

        from runtime.bench import run_probe_bench

        res = run_probe_bench(n=args.prompts, reps=args.reps)
        print(json.dumps(res) if args.json else "\n".join(f"{k:34s} {v}" for k, v in res.items()))
        return 0

    if args.cmd == "train-router":
        return _train(args)

    if args.cmd == "router-report":
        from runtime.router_report import main as report_main

        return report_main(args.heldout, args.manifest, args.json, args.misses)

    if args.cmd == "tools-bench":
        from runtime.tools_bench import main as tools_main

        return tools_main(args.limit, args.modifier, args.max_tokens, args.json, args.out, not args.no_critique,
                          not args.no_fewshot, args.lookup_only, args.threads, not args.no_consistency)

    if args.cmd == "loadbench":
        from runtime.loadbench import SCENARIOS, SERVERS
        from runtime.loadbench import main as loadbench_main

        try:
            levels = [int(x) for x in args.levels.split(",") if x.strip()]
        except ValueError:
            ap.error(f"--levels must be comma-separated integers, got {args.levels!r}")
        servers = [x.strip() for x in args.servers.split(",") if x.strip()]
        scenarios = [x.strip() for x in args.scenarios.split(",") if x.strip()]
        if not levels or not all(1 <= n <= 64 for n in levels) or not 1 <= args.requests <= 256 \
                or not 1 <= args.max_tokens <= 512 or not 1 <= args.rounds <= 10:
            ap.error("--levels must be 1-64 each, --requests 1-256, --max-tokens 1-512 and --rounds 1-10 "
                     "(the run is bounded)")
        for given, known, flag in ((servers, SERVERS, "--servers"), (scenarios, SCENARIOS, "--scenarios")):
            if not given or set(given) - set(known):
                ap.error(f"{flag}: expected some of {', '.join(known)}, got {', '.join(given) or 'nothing'}")
        return loadbench_main(levels, args.requests, args.max_tokens, servers, scenarios, args.threads, args.json,
                              args.llama_server, args.ours_dir, args.rounds, args.ignore_eos, args.quiet_wait,
                              args.out)

    if args.cmd == "bench":
        from runtime.bench import main as bench_main

        return bench_main(args.json, args.max_tokens, args.reps)
    return 1


def _route(args) -> int:
    import json
    import time

    from runtime.embedder import Embedder
    from runtime.router import Router, load_router_artifacts
    from runtime.settings import Settings

    settings = Settings()
    embedder = Embedder()
    embedder.embed(["warm-up"])
    arts = load_router_artifacts(settings.router_manifest, settings.cache_dir, embedder)
    for p in arts.problems:
        print(f"warning: {p}", file=sys.stderr)
    engine = None
    probe = None
    registry = None
    if args.probe:
        from runtime.engine import Engine
        from runtime.services import make_probe

        engine = Engine(settings).open()
        probe, registry = make_probe(engine, settings.probe_tokens), engine.modifiers
    else:
        registry = _registry_without_model(settings)
    router = Router(settings, embedder, arts.domain, arts.quality, registry=registry, probe=probe,
                    version=arts.version)
    src = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
    try:
        for n, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)["text"]
                if not isinstance(text, str):
                    raise TypeError("text must be a string")
            except (ValueError, KeyError, TypeError) as e:
                print(json.dumps({"line": n, "error": f"expected {{\"text\": ...}}: {e}"}))
                continue
            t0 = time.perf_counter()
            d = router.route(text)
            dis = arts.detector.dissatisfied_p(text) if arts.detector else None
            print(json.dumps({
                "text": text, "domain": d.domain, "domain_probs": {k: round(v, 4) for k, v in d.domain_probs.items()},
                "mode": d.mode, "modifier": d.modifier, "confidence": round(d.confidence, 4),
                "dissatisfied_p": None if dis is None else round(dis, 4),
                "latency_ms": round((time.perf_counter() - t0) * 1000 - d.probe_ms, 3),
                "probe_ms": round(d.probe_ms, 3),
            }), flush=True)
    finally:
        if src is not sys.stdin:
            src.close()
        if engine is not None:
            engine.close()
    return 0


def _registry_without_model(settings):
    """Modifier names/domains from the manifest (verified) without loading llama.cpp."""
    from runtime.artifacts import sha256_cached
    from runtime.modifiers import ModifierRegistry

    base = settings.resolve_model_path()
    reg = ModifierRegistry(settings.manifest, settings.cache_dir, base, sha256_cached(base))
    reg.reload()
    return reg


def _train(args) -> int:
    import json
    from pathlib import Path

    from runtime import router_train as rt
    from runtime.embedder import Embedder
    from runtime.router import DomainClassifier

    out = Path(args.out) if args.out else rt.OUT
    embedder = Embedder()
    parts = ["domain", "detector", "label", "quality"] if args.part == "all" else [args.part]
    for part in parts:
        if part == "domain":
            res = rt.train_domain(embedder, out_dir=out, merge={} if args.unmerged else None)
        elif part == "detector":
            res = rt.train_detector(embedder, out_dir=out)
        elif part == "label":
            from runtime.engine import Engine
            from runtime.settings import Settings

            with Engine(Settings(manifest="")) as engine:
                res = rt.label_quality(engine, embedder, limit_per_source=args.limit, max_tokens=args.max_tokens)
        else:
            clf = DomainClassifier.load(out / "domain.safetensors", embedder)
            res = rt.train_quality(embedder, clf, out_dir=out)
        print(json.dumps({part: res}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
