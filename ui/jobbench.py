"""Does the learning loop's job slow down chat? Time between streamed tokens with and without it, one run.

    python -m ui.jobbench [--rounds 3] [--requests 4] [--max-tokens 96] [--sessions 600] [--json]

Starts the real app (API + UI + scheduler, telemetry in a temporary SQLite database filled with
``telemetry.demo`` traffic so the retraining job has labels to fit), then alternates, ``--rounds``
times, two phases on the same prompts (greedy, Fast mode so no adapter swaps differ):

- ``idle``: ``--requests`` streaming chat completions one after another, nothing else running;
- ``job``: the same requests while the real retraining job runs back to back through the scheduler
  (``LearningScheduler.run_now("retrain")``: lease, scheduler_runs row, labels, fit, sweep, artifact).

For every streamed chunk it records the gap since the previous one (the first token's wait is left
out: it is queueing, not streaming) and prints p50/p95/p99 of the gaps per phase and the ratios
job/idle side by side (goal: p95 within 1.2x). Alternating the phases cancels slow drift of the
machine; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

PROMPTS = ["Write a short paragraph about the sea.", "Explain what a lighthouse does.",
           "Describe a walk in the mountains.", "Tell me about libraries."]


def _percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(q / 100 * (len(s) - 1)))))
    return s[k]


def stream_gaps(url: str, prompt: str, max_tokens: int) -> tuple[list[float], int]:
    """Gaps (ms) between content chunks of one streamed answer, and the number of chunks."""
    import httpx

    body = {"model": "modroute", "messages": [{"role": "user", "content": prompt}], "stream": True,
            "max_tokens": max_tokens, "temperature": 0, "mode": "fast"}
    gaps: list[float] = []
    last = None
    n = 0
    with httpx.Client(timeout=600) as client, client.stream("POST", f"{url}/v1/chat/completions", json=body) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            choices = chunk.get("choices") or []
            if not choices or not (choices[0].get("delta") or {}).get("content"):
                continue
            now = time.perf_counter()
            if last is not None:
                gaps.append((now - last) * 1000)
            last = now
            n += 1
    return gaps, n


class JobLoop:
    """Runs the retraining job back to back through the scheduler until stopped."""

    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.stop = threading.Event()
        self.runs: list[dict] = []
        self.thread = threading.Thread(target=self._run, name="jobbench-loop", daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            run_id = self.scheduler.run_now("retrain", "jobbench")
            t0 = time.perf_counter()
            while True:
                st = self.scheduler.run_status(run_id) or {}
                if st.get("status") in ("succeeded", "failed", "skipped"):
                    break
                time.sleep(0.05)
            self.runs.append({"status": st.get("status"), "s": round(time.perf_counter() - t0, 3),
                              "outcome": ((st.get("detail") or {}).get("numbers") or {}).get("status"),
                              "error": (st.get("error") or "")[:200] or None})

    def __enter__(self) -> JobLoop:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(600)


def run(rounds: int = 3, requests: int = 4, max_tokens: int = 96, sessions: int = 600) -> dict:
    from runtime.settings import Settings
    from telemetry.demo import generate_demo
    from telemetry.store import TelemetryStore, sqlite_url_for
    from ui.server import ServerThread, build_app, open_serving

    with tempfile.TemporaryDirectory(prefix="modroute-jobbench-") as tmp:
        url = sqlite_url_for(tmp)
        with TelemetryStore(url) as store:
            demo = generate_demo(store, days=28, sessions=sessions, seed=7)
        # The job must really train (not skip for lack of labels), and never fire on its own here.
        os.environ["MODROUTE_RETRAIN_MIN_LABELS"] = "50"
        os.environ["MODROUTE_RETRAIN_INTERVAL"] = "7d"
        settings = Settings(data_dir=Path(tmp), database_url=url, host="127.0.0.1", admin_token="", max_tokens=max_tokens)
        with open_serving(settings) as serving:
            scheduler = serving.services.scheduler
            if scheduler is None:
                raise RuntimeError("the learning loop did not start (MODROUTE_RETRAIN_ENABLED=false?)")
            app = build_app(serving.services, serving.sink, settings)
            with ServerThread(app) as server:
                prompts = (PROMPTS * ((requests + len(PROMPTS) - 1) // len(PROMPTS)))[:requests]
                stream_gaps(server.url, "Hi", 8)  # warm-up
                gaps: dict[str, list[float]] = {"idle": [], "job": []}
                chunks = {"idle": 0, "job": 0}
                job_runs: list[dict] = []
                for _ in range(rounds):
                    for phase in ("idle", "job"):
                        loop = JobLoop(scheduler) if phase == "job" else None
                        if loop is not None:
                            loop.__enter__()
                            time.sleep(0.2)  # let the first run get going
                        try:
                            for p in prompts:
                                g, n = stream_gaps(server.url, p, max_tokens)
                                gaps[phase] += g
                                chunks[phase] += n
                        finally:
                            if loop is not None:
                                loop.__exit__(None, None, None)
                                job_runs += loop.runs
    out: dict = {"rounds": rounds, "requests_per_phase": requests, "max_tokens": max_tokens,
                 "demo_interactions": demo.interactions, "job_runs": len(job_runs),
                 "job_runs_succeeded": sum(1 for r in job_runs if r["status"] == "succeeded"),
                 "job_outcomes": sorted({str(r["outcome"]) for r in job_runs}),
                 "job_errors": sorted({r["error"] for r in job_runs if r["error"]})[:3],
                 "job_run_s_median": _percentile([r["s"] for r in job_runs], 50)}
    for phase in ("idle", "job"):
        g = gaps[phase]
        out[phase] = {"chunks": chunks[phase], "gaps": len(g), "p50_ms": round(_percentile(g, 50), 2),
                      "p95_ms": round(_percentile(g, 95), 2), "p99_ms": round(_percentile(g, 99), 2)}
    for q in ("p50_ms", "p95_ms", "p99_ms"):
        base = out["idle"][q]
        out[f"ratio_{q[:-3]}"] = round(out["job"][q] / base, 3) if base else None
    out["goal_p95_within_1_2x"] = out["ratio_p95"] is not None and out["ratio_p95"] <= 1.2
    out["loadavg_1m"] = round(os.getloadavg()[0], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ui.jobbench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--requests", type=int, default=4, help="streamed answers per phase and round")
    p.add_argument("--max-tokens", type=int, default=96)
    p.add_argument("--sessions", type=int, default=600, help="demo sessions in the database the job trains on")
    p.add_argument("--json", action="store_true", help="one JSON object (default: also a short table)")
    args = p.parse_args(argv)
    res = run(args.rounds, args.requests, args.max_tokens, args.sessions)
    if args.json:
        print(json.dumps(res))
        return 0
    print(json.dumps(res, indent=2))
    print(f"\ninter-token gap   idle      job     job/idle\n"
          f"p50            {res['idle']['p50_ms']:7.2f}  {res['job']['p50_ms']:7.2f}  {res['ratio_p50']}\n"
          f"p95            {res['idle']['p95_ms']:7.2f}  {res['job']['p95_ms']:7.2f}  {res['ratio_p95']}\n"
          f"p99            {res['idle']['p99_ms']:7.2f}  {res['job']['p99_ms']:7.2f}  {res['ratio_p99']}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
