"""``python -m runtime``: chat from the terminal, benchmark the engine."""

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

    if args.cmd == "bench":
        from runtime.bench import main as bench_main

        return bench_main(args.json, args.max_tokens, args.reps)
    return 1


if __name__ == "__main__":
    sys.exit(main())
