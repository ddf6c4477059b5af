"""Telemetry benchmark, both backends side by side in one run.

``python -m telemetry bench [--events 20000] [--backends sqlite,postgres] [--postgres-url URL] [--json]``

Per backend it prints:

- ``writer_events_per_s``: events (70% interactions with a 2 KB answer, 20% signals, 10% ratings)
  submitted as fast as possible and acknowledged as committed, divided by the time until the
  last commit (the queue is sized so that nothing spills to the spool);
- ``sync_events_per_s``: the naive alternative measured in the same run — one transaction per
  event, as a request handler writing inline would do — and ``speedup`` = writer / sync;
- ``turn_overhead_us``: what recording one chat turn adds to the request path
  (``record_interaction`` with a realistic decision dict and answer), p50/p99/max over calls made
  while the writer thread is busy committing, and ``sync_turn_ms`` for comparison (the inline commit);
- ``durable_turns``: what waiting for durability adds to a turn (``wait_durable``, the wait a chat
  turn does before its last byte): for 1, 8 and 24 concurrent simulated turns (threads, each
  recording an interaction, waiting for it, pausing a random 0..``--durable-think-ms``, again),
  p50/p99/max of record + wait in ms, and ``commits_per_turn`` — well under 1 under concurrency
  when group commit works (concurrent turns share one commit/fsync).

``load_avg`` is the machine's 1-minute load average at the start: numbers from a busy machine say so.

PostgreSQL runs in a throw-away schema of the given database, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/modroute_test"

QUERY = "How do I read a CSV file with pandas and compute the mean of one column, grouped by another?"
ANSWER = ("Use pandas: `df = pd.read_csv('data.csv')` then `df.groupby('city')['price'].mean()`. " * 24)[:2000]
DECISION = {"mode": "accurate", "domain": "code",
            "domain_probs": {"code": 0.81, "general": 0.07, "math": 0.05, "reasoning": 0.03, "automation": 0.02,
                             "science": 0.01, "finance": 0.005, "creative": 0.005},
            "modifier": "code", "confidence": 0.62, "threshold": 0.8,
            "reasons": ["P(base good enough)=0.62 < 0.80", "domain code -> modifier code"],
            "latency_ms": 9.7, "forced": False, "escalated": False, "preempted": False, "router_version": "r-2026-11"}
USAGE = {"prompt_tokens": 41, "completion_tokens": 187, "total_tokens": 228}
TIMINGS = {"total_ms": 2650.0, "ttft_ms": 140.0, "tokens_per_s": 72.5}


def _pg_schema_url(base: str) -> tuple[str, Any]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, connect_args={"connect_timeout": 5})
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop():
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def _submit_mix(writer, n: int) -> None:
    last = None
    for i in range(n):
        r = i % 10
        if r < 7 or last is None:
            last = writer.record_interaction(f"bench-{i // 50}", QUERY, ANSWER, DECISION, consent=True,
                                             usage=USAGE, timings=TIMINGS, response_confidence=0.7)
        elif r < 9:
            writer.record_signal(last, "continuation", score=0.1)
        else:
            writer.record_feedback(last, f"user-{i}", rating=1 + i % 10)


def _pct(sorted_ms: list[float], q: float) -> float:
    return round(sorted_ms[min(len(sorted_ms) - 1, max(0, int(len(sorted_ms) * q + 0.5) - 1))], 3)


def _durable_clients(writer, clients: int, turns_per_thread: int, think_ms: float, seed: int) -> list[tuple[float, bool]]:
    """``clients`` threads, started together, each running turns that record and wait: (ms, durable) per turn."""
    results: list[tuple[float, bool]] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        start.wait()
        for _ in range(turns_per_thread):
            time.sleep(rng.uniform(0, think_ms) / 1000)
            t = time.perf_counter()
            iid = writer.record_interaction(f"durable-{clients}-{k}", QUERY, ANSWER, DECISION, consent=True,
                                            usage=USAGE, timings=TIMINGS, response_confidence=0.7)
            ok = writer.wait_durable([iid], 60)
            ms = (time.perf_counter() - t) * 1000
            with lock:
                results.append((ms, ok))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def bench_durable_turns(store, spool_path: Path, concurrency: list[int], turns_per_thread: int,
                        think_ms: float, seed: int = 0) -> dict[str, Any]:
    """Added latency of a turn that waits until its interaction is durable, per level of concurrency."""
    from telemetry.writer import TelemetryWriter

    out: dict[str, Any] = {}
    writer = TelemetryWriter(store, spool_path)
    try:
        writer.record_interaction("warm-up", QUERY, ANSWER, DECISION, consent=True)
        writer.flush(60)
        for c in concurrency:
            before = writer.stats()
            t0 = time.perf_counter()
            results = _durable_clients(writer, c, turns_per_thread, think_ms, seed)
            wall = time.perf_counter() - t0
            st = writer.stats()
            commits = st["batches"] - before["batches"]
            lat = sorted(ms for ms, _ in results)
            out[str(c)] = {"turns": len(lat), "p50_ms": _pct(lat, 0.5), "p99_ms": _pct(lat, 0.99),
                           "max_ms": round(lat[-1], 3), "commits": commits,
                           "commits_per_turn": round(commits / len(lat), 3),
                           "not_durable": sum(not ok for _, ok in results),
                           "spooled": st["spooled"] - before["spooled"], "turns_per_s": round(len(lat) / wall, 1)}
    finally:
        writer.close()
    return out


def bench_backend(url: str, events: int, latency_calls: int, sync_events: int,
                  durable: dict[str, Any] | None = None) -> dict[str, Any]:
    from telemetry.events import InteractionEvent
    from telemetry.privacy import Scrubber
    from telemetry.store import TelemetryStore
    from telemetry.writer import TelemetryWriter

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="telemetry-bench-") as tmp:
        store = TelemetryStore(url)
        store.migrate()
        scrubber = Scrubber()

        # naive: one transaction per event, on the caller's thread
        recs = [InteractionEvent(f"sync-{i // 50}", QUERY, ANSWER, DECISION, consent=True).to_records(scrubber)
                for i in range(sync_events)]
        t = time.perf_counter()
        for r in recs:
            store.write_records(r)
        sync_s = time.perf_counter() - t
        out["sync_events_per_s"] = round(sync_events / sync_s, 1)
        out["sync_turn_ms"] = round(sync_s / sync_events * 1000, 3)

        # the writer, sustained
        writer = TelemetryWriter(store, Path(tmp) / "spool.jsonl", max_queue_events=events + 10,
                                 max_queue_bytes=1 << 34)
        _submit_mix(writer, 200)
        writer.flush()
        before = writer.stats()
        t = time.perf_counter()
        _submit_mix(writer, events)
        submit_s = time.perf_counter() - t
        assert writer.flush(600), "writer did not acknowledge in time"
        total_s = time.perf_counter() - t
        st = writer.stats()
        out["events"] = events
        out["writer_events_per_s"] = round(events / total_s, 1)
        out["submit_events_per_s"] = round(events / submit_s, 1)
        out["committed"] = st["committed"] - before["committed"]
        out["spooled"] = st["spooled"] - before["spooled"]
        out["batches"] = st["batches"] - before["batches"]
        out["speedup"] = round(out["writer_events_per_s"] / out["sync_events_per_s"], 2)

        # request-path cost of one chat turn while the writer is busy with a backlog
        _submit_mix(writer, min(events, 5000))
        lat = []
        for _ in range(latency_calls):
            t = time.perf_counter_ns()
            writer.record_interaction("bench-turn", QUERY, ANSWER, DECISION, consent=True, usage=USAGE,
                                      timings=TIMINGS, response_confidence=0.7)
            lat.append((time.perf_counter_ns() - t) / 1000)
            time.sleep(0.0002)
        writer.close()
        store.close()
        lat.sort()
        out["turn_overhead_us"] = {"p50": round(statistics.median(lat), 1),
                                   "p99": round(lat[int(len(lat) * 0.99) - 1], 1), "max": round(lat[-1], 1),
                                   "calls": latency_calls}
        out["turn_overhead_ratio_vs_sync"] = round(out["turn_overhead_us"]["p50"] / 1000 / out["sync_turn_ms"], 4)

        if durable is not None:
            store = TelemetryStore(url)
            try:
                out["durable_turns"] = bench_durable_turns(store, Path(tmp) / "durable-spool.jsonl", **durable)
            finally:
                store.close()
    return out


def run(args) -> int:
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    result: dict[str, Any] = {"target_turn_overhead_ms": 1.0, "load_avg": round(os.getloadavg()[0], 2),
                              "cpus": os.cpu_count()}
    durable = None
    if args.durable_turns > 0:
        durable = {"concurrency": [int(x) for x in args.durable_concurrency.split(",") if x.strip()],
                   "turns_per_thread": args.durable_turns, "think_ms": args.durable_think_ms}
    for b in backends:
        drop = None
        try:
            if b == "sqlite":
                tmp = tempfile.mkdtemp(prefix="telemetry-bench-db-")
                url = f"sqlite:///{tmp}/bench.db"
            elif b == "postgres":
                url, drop = _pg_schema_url(args.postgres_url)
            else:
                raise ValueError(f"unknown backend {b!r}")
            result[b] = bench_backend(url, args.events, args.latency_calls, args.sync_events, durable)
        except Exception as e:  # report and go on with the other backend
            result[b] = {"error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}
        finally:
            if drop:
                drop()
    if args.json:
        print(json.dumps(result))
    else:
        for b in backends:
            r = result[b]
            if "error" in r:
                print(f"{b:9s} error: {r['error']}")
                continue
            lat = r["turn_overhead_us"]
            print(f"{b:9s} writer {r['writer_events_per_s']:>9,.0f} events/s  |  one commit per event "
                  f"{r['sync_events_per_s']:>7,.0f} events/s  (x{r['speedup']})  |  per-turn overhead "
                  f"p50 {lat['p50']:.1f} us, p99 {lat['p99']:.1f} us, max {lat['max']:.0f} us "
                  f"(inline commit: {r['sync_turn_ms']:.2f} ms)")
            for c, d in r.get("durable_turns", {}).items():
                print(f"{b:9s} waiting for durability, {c:>3s} concurrent turns: added p50 {d['p50_ms']:.2f} ms, "
                      f"p99 {d['p99_ms']:.2f} ms, max {d['max_ms']:.1f} ms  |  {d['commits']} commits for "
                      f"{d['turns']} turns ({d['commits_per_turn']:.2f} per turn)")
        print("target: under 1 ms added per chat turn on the request path (before the durability wait); "
              f"1-minute load average at start: {result['load_avg']} on {result['cpus']} CPUs")
    return 0


def add_arguments(p) -> None:
    p.add_argument("--events", type=int, default=20000)
    p.add_argument("--latency-calls", type=int, default=2000)
    p.add_argument("--sync-events", type=int, default=500)
    p.add_argument("--durable-turns", type=int, default=40,
                   help="turns per simulated client in the durability-wait measurement (0: skip it)")
    p.add_argument("--durable-concurrency", default="1,8,24", help="concurrent simulated turns, comma-separated")
    p.add_argument("--durable-think-ms", type=float, default=2.0,
                   help="each simulated client pauses a random 0..this long between turns")
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--postgres-url", default=os.environ.get("MODROUTE_BENCH_POSTGRES_URL", DEFAULT_PG))
    p.add_argument("--json", action="store_true")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
