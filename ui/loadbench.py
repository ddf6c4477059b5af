"""Load benchmark of the served API: N concurrent streaming clients on loopback, one bounded run.

    python -m ui.loadbench [--clients 16] [--max-tokens 64] [--mode fast] [--json]

Starts the real app (API + UI, telemetry into a temporary directory) on 127.0.0.1 at a free port,
then, in one process and one run:

1. ``raw``: single-client llama-cpp-python ``create_chat_completion(stream=True)`` on the same
   prompts (the reference every ratio is against, measured like ``python -m runtime bench``);
2. ``solo``: each prompt alone through the server (HTTP + SSE), one after another — its text is
   the expected answer for that prompt (greedy decoding);
3. ``concurrent``: all clients at once, each with its own prompt.

Checks: every concurrent client completes (HTTP 200, a finish reason, ``[DONE]``), completion ids
are unique, and each client's text equals its prompt's solo text (no mixed or lost outputs).
Reports aggregate tokens/s (all completion tokens / wall time of the run) and its ratio to raw
single-client throughput. Exit status 1 if any check fails. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TOPICS = ["the sea", "a lighthouse", "mountains", "a library", "the moon", "a forest", "trains", "coffee", "rain",
          "a city at night", "bees", "the desert", "a violin", "winter", "a garden", "the stars", "bridges",
          "a market", "clouds", "a river"]


def prompts(n: int) -> list[str]:
    return [f"Write a short paragraph about {TOPICS[i % len(TOPICS)]}." + (f" (variant {i // len(TOPICS)})"
                                                                          if i >= len(TOPICS) else "")
            for i in range(n)]


@dataclass
class ClientResult:
    prompt: str
    status: int = 0
    text: str = ""
    chunks: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None
    completion_id: str = ""
    done_marker: bool = False
    error: str = ""
    queue_positions: list[int] = field(default_factory=list)
    t_start: float = 0.0
    t_first: float | None = None
    t_end: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.error and self.done_marker and self.finish_reason is not None


def stream_once(url: str, prompt: str, max_tokens: int, mode: str, timeout: float = 600.0) -> ClientResult:
    import httpx

    res = ClientResult(prompt)
    body = {"model": "modroute", "messages": [{"role": "user", "content": prompt}], "stream": True,
            "max_tokens": max_tokens, "temperature": 0, "mode": mode, "stream_options": {"include_usage": True}}
    res.t_start = time.perf_counter()
    try:
        with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=timeout) as r:
            res.status = r.status_code
            if r.status_code != 200:
                res.error = r.read().decode(errors="replace")[:300]
                return res
            parts = []
            for line in r.iter_lines():
                if line.startswith(": queue position"):
                    res.queue_positions.append(int(line.rsplit(" ", 1)[-1]))
                if not line.startswith("data: "):
                    continue
                data = line[6:]
                if data == "[DONE]":
                    res.done_marker = True
                    break
                obj = json.loads(data)
                if "error" in obj:
                    res.error = obj["error"].get("message", "error")
                    break
                res.completion_id = res.completion_id or obj.get("id", "")
                if obj.get("usage"):
                    res.completion_tokens = obj["usage"]["completion_tokens"]
                for choice in obj.get("choices") or []:
                    delta = choice.get("delta") or {}
                    if delta.get("content"):
                        if res.t_first is None:
                            res.t_first = time.perf_counter()
                        parts.append(delta["content"])
                        res.chunks += 1
                    if choice.get("finish_reason"):
                        res.finish_reason = choice["finish_reason"]
            res.text = "".join(parts)
    except Exception as e:  # reported, never raised: the bench counts errors
        res.error = f"{type(e).__name__}: {e}"
    finally:
        res.t_end = time.perf_counter()
    return res


def raw_single_client_tps(llm, texts: list[str], max_tokens: int) -> tuple[float, float]:
    """tokens/s and median TTFT (ms) of llama-cpp-python's streaming chat completion, one client."""
    from runtime.bench import _raw_run  # the same measurement as `python -m runtime bench`

    n_tot, s_tot, ttfts = 0, 0.0, []
    for text in texts:
        n, s, ttft = _raw_run(llm, [{"role": "user", "content": text}], max_tokens)
        n_tot, s_tot = n_tot + n, s_tot + s
        ttfts.append(ttft)
    return (n_tot / s_tot if s_tot else 0.0), statistics.median(ttfts)


def run(clients: int = 16, max_tokens: int = 64, mode: str = "fast", raw_prompts: int = 4) -> dict:
    from runtime.bench import _raw_run
    from runtime.llama_load import open_llama
    from runtime.settings import Settings
    from ui.server import ServerThread, build_app, open_serving

    with tempfile.TemporaryDirectory(prefix="modroute-loadbench-") as tmp:
        # Loopback only, a throwaway data dir (telemetry included: it is on the serving path).
        settings = Settings(data_dir=Path(tmp), database_url="", host="127.0.0.1", admin_token="")
        texts = prompts(clients)
        with open_serving(settings) as serving:
            engine = serving.services.engine
            llm = open_llama(str(engine.model_path), extra_buffers=settings.extra_buffers, n_ctx=settings.n_ctx,
                             n_batch=settings.n_batch, n_threads=settings.n_threads,
                             n_threads_batch=settings.n_threads, verbose=False)
            _raw_run(llm, [{"role": "user", "content": "Hi"}], 8)  # warm-up
            # Raw throughput before and after the served runs: other load on the machine drifts.
            raw_before, raw_ttft = raw_single_client_tps(llm, texts[:raw_prompts], max_tokens)
            app = build_app(serving.services, serving.sink, settings)
            with ServerThread(app, host="127.0.0.1", port=0) as server:
                stream_once(server.url, "Hi", 8, mode)  # warm-up
                solo = [stream_once(server.url, t, max_tokens, mode) for t in texts]
                solo_tokens = sum(r.completion_tokens for r in solo)
                solo_time = sum(r.t_end - (r.t_first or r.t_end) for r in solo)

                results: list[ClientResult | None] = [None] * clients
                barrier = threading.Barrier(clients)

                def client(i: int) -> None:
                    barrier.wait()
                    results[i] = stream_once(server.url, texts[i], max_tokens, mode)

                threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                conc = [r for r in results if r is not None]
            raw_after, _ = raw_single_client_tps(llm, texts[:raw_prompts], max_tokens)
            llm.close()
        raw_tps = (raw_before + raw_after) / 2
        t0 = min(r.t_start for r in conc)
        t1 = max(r.t_end for r in conc)
        tokens = sum(r.completion_tokens for r in conc)
        aggregate = tokens / (t1 - t0) if t1 > t0 else 0.0
        errors = [f"client {i}: {r.error or r.status or 'incomplete'}" for i, r in enumerate(conc) if not r.ok]
        mismatched = [i for i, r in enumerate(conc) if r.ok and solo[i].ok and r.text != solo[i].text]
        ids = [r.completion_id for r in conc if r.completion_id]
        waits = [(r.t_first or r.t_end) - r.t_start for r in conc]
        return {
            "clients": clients,
            "max_tokens": max_tokens,
            "mode": mode,
            "threads": settings.n_threads,
            "raw_single_client_tps": round(raw_tps, 2),
            "raw_tps_before_after": [round(raw_before, 2), round(raw_after, 2)],
            "raw_ttft_ms": round(raw_ttft, 1),
            "served_single_client_tps": round(solo_tokens / solo_time, 2) if solo_time else 0.0,
            "served_single_client_ratio": round(solo_tokens / solo_time / raw_tps, 3) if solo_time and raw_tps
            else None,
            "aggregate_tps": round(aggregate, 2),
            "ratio_to_raw_single_client": round(aggregate / raw_tps, 3) if raw_tps else None,
            "completion_tokens": tokens,
            "wall_s": round(t1 - t0, 2),
            "completed": sum(r.ok for r in conc),
            "errors": errors,
            "unique_ids": len(set(ids)) == len(conc),
            "mixed_or_changed_outputs": mismatched,
            "max_queue_position_seen": max((max(r.queue_positions) for r in conc if r.queue_positions), default=0),
            "first_token_wait_s": {"median": round(statistics.median(waits), 2), "max": round(max(waits), 2)},
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ui.loadbench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=16, help="concurrent streaming clients (1-64)")
    ap.add_argument("--max-tokens", type=int, default=64, help="tokens per answer (bounded run)")
    ap.add_argument("--mode", choices=("fast", "accurate", "auto"), default="fast",
                    help="fast = the base model, measures serving overhead (default); auto adds routing")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 1 <= args.max_tokens <= 512:
        ap.error("--clients must be 1-64 and --max-tokens 1-512 (the benchmark is bounded)")
    result = run(args.clients, args.max_tokens, args.mode)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:30s} {v}")
    ok = result["completed"] == args.clients and not result["errors"] and result["unique_ids"] \
        and not result["mixed_or_changed_outputs"]
    print("PASS: all clients completed, no mixed outputs" if ok else "FAIL", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
