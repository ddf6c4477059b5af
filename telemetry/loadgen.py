"""A steady stream of realistic telemetry events, for soak runs and the kill -9 durability test.

``python -m telemetry loadgen --url URL --spool FILE --acks FILE --rate 300 [--count N] [--tag T]``

Every event id is appended to ``--acks`` only once the writer has acknowledged it as durable
(committed, or fsync'd to the spool), so after any crash the file lists exactly what must be in
the database once a writer has run again. Interaction queries are ``<tag>-<n>`` (stored, with
consent), which lets a checker count duplicates by content rather than by id. SIGTERM (or
reaching ``--count``) closes the writer cleanly and prints one JSON summary line.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path


def main(args) -> int:
    from telemetry.store import TelemetryStore
    from telemetry.writer import TelemetryWriter

    ack_fd = os.open(args.acks, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def on_durable(ids: list[str]) -> None:
        os.write(ack_fd, "".join(i + "\n" for i in ids).encode())  # one write: whole lines

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    store = TelemetryStore(args.url)
    writer = TelemetryWriter(store, Path(args.spool), on_durable=on_durable, retry_initial_s=0.1,
                             retry_max_s=args.retry_max, flush_interval_s=0.02)
    print("ready", flush=True)
    decision = {"mode": "fast", "domain": "general", "domain_probs": {"general": 0.9, "code": 0.1},
                "modifier": None, "confidence": 0.91, "threshold": 0.8, "reasons": ["short question"],
                "latency_ms": 4.2, "forced": False, "escalated": False, "preempted": False,
                "router_version": "loadgen"}
    t0 = time.monotonic()
    n = 0
    while not stop.is_set() and (args.count is None or n < args.count):
        iid = writer.record_interaction(f"{args.tag}-session-{n // 20}", f"{args.tag}-{n}",
                                        "A short answer, mail me at a@b.io.", decision, consent=True,
                                        usage={"prompt_tokens": 20, "completion_tokens": 9},
                                        timings={"total_ms": 120.0, "tokens_per_s": 75.0})
        if n % 4 == 0:
            writer.record_feedback(iid, f"user-{n}", rating=1 + n % 10, liked=n % 8 == 0)
        if n % 5 == 0:
            writer.record_signal(iid, "continuation")
        n += 1
        delay = t0 + n / args.rate - time.monotonic()
        if delay > 0:
            stop.wait(delay)
    stats = writer.close()
    store.close()
    os.close(ack_fd)
    print(json.dumps({"interactions": n, **stats}), flush=True)
    return 0


def add_arguments(p) -> None:
    p.add_argument("--url", required=True)
    p.add_argument("--spool", required=True)
    p.add_argument("--acks", required=True)
    p.add_argument("--rate", type=float, default=300.0, help="interactions per second (plus feedback/signals)")
    p.add_argument("--count", type=int, default=None, help="stop after this many interactions")
    p.add_argument("--tag", default="load")
    p.add_argument("--retry-max", type=float, default=0.5, help="longest back-off between database retries")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    sys.exit(main(parser.parse_args()))
