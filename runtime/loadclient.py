"""Streaming clients for the load benchmark and the statistics of what they saw (no server, no model here).

A request's SSE stream is folded line by line into a :class:`StreamResult` (first-token time, content, the
server's usage count); a level of N closed-loop clients becomes one :class:`LevelStats`; rounds of the same
level combine into medians.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any


# -- statistics ------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass
class StreamResult:
    """One streamed request as the client saw it."""

    index: int
    status: int = 0
    text: str = ""
    deltas: int = 0  # non-empty content deltas
    usage_tokens: int | None = None  # completion_tokens from the server's usage, when it sends one
    finish_reason: str | None = None
    done_marker: bool = False
    error: str = ""
    t_start: float = 0.0
    t_first: float | None = None
    t_end: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.error and (self.done_marker or self.finish_reason is not None)

    @property
    def tokens(self) -> int:
        return self.usage_tokens if self.usage_tokens is not None else self.deltas

    @property
    def ttft(self) -> float | None:
        return None if self.t_first is None else self.t_first - self.t_start


def parse_sse_line(line: str, res: StreamResult, now: float) -> bool:
    """Fold one SSE line into ``res``; True at the end of the stream (``[DONE]`` or an error event)."""
    if not line.startswith("data:"):
        return False  # comments (": queue position 3"), event names, blank separators
    data = line[5:].strip()
    if data == "[DONE]":
        res.done_marker = True
        return True
    try:
        obj = json.loads(data)
    except json.JSONDecodeError:
        res.error = f"not JSON: {data[:80]!r}"
        return True
    if not isinstance(obj, dict):
        return False
    if obj.get("error"):
        err = obj["error"]
        res.error = err.get("message", "error") if isinstance(err, dict) else str(err)
        return True
    usage = obj.get("usage")
    if isinstance(usage, dict) and isinstance(usage.get("completion_tokens"), int):
        res.usage_tokens = usage["completion_tokens"]
    for choice in obj.get("choices") or []:
        content = (choice.get("delta") or {}).get("content")
        if content:
            if res.t_first is None:
                res.t_first = now
            res.text += content
            res.deltas += 1
        if choice.get("finish_reason"):
            res.finish_reason = choice["finish_reason"]
    return False


@dataclass
class LevelStats:
    clients: int
    requests: int
    completed: int
    tokens: int
    wall_s: float
    tok_s: float
    ttft_p50_s: float | None
    ttft_p95_s: float | None
    mean_tokens: float
    token_count: str  # "usage" | "deltas" | "mixed"
    errors: list[str] = field(default_factory=list)


def aggregate(clients: int, results: list[StreamResult]) -> LevelStats:
    """Aggregate tokens/s over the level's wall time and TTFT percentiles over its completed requests."""
    done = [r for r in results if r.ok]
    tokens = sum(r.tokens for r in done)
    wall = (max(r.t_end for r in results) - min(r.t_start for r in results)) if results else 0.0
    ttfts = [t for r in done if (t := r.ttft) is not None]
    sources = {"usage" if r.usage_tokens is not None else "deltas" for r in done}
    return LevelStats(
        clients=clients, requests=len(results), completed=len(done), tokens=tokens, wall_s=round(wall, 3),
        tok_s=round(tokens / wall, 2) if wall > 0 else 0.0,
        ttft_p50_s=_round(percentile(ttfts, 50)), ttft_p95_s=_round(percentile(ttfts, 95)),
        mean_tokens=round(tokens / len(done), 1) if done else 0.0,
        token_count=sources.pop() if len(sources) == 1 else ("mixed" if sources else "none"),
        errors=[f"request {r.index}: {failure_reason(r)}" for r in results if not r.ok][:5],
    )


def failure_reason(r: StreamResult) -> str:
    if r.error:
        return r.error
    return f"HTTP {r.status}" if r.status != 200 else "stream ended without a finish reason or [DONE]"


def _round(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(x, nd)


# -- clients ---------------------------------------------------------------------------------------
async def stream_request(client, url: str, body: dict[str, Any], index: int, timeout: float = 600.0) -> StreamResult:
    res = StreamResult(index)
    res.t_start = time.perf_counter()
    try:
        async with client.stream("POST", url, json=body, timeout=timeout) as r:
            res.status = r.status_code
            if r.status_code != 200:
                res.error = (await r.aread()).decode(errors="replace")[:200]
                return res
            async for line in r.aiter_lines():
                if parse_sse_line(line, res, time.perf_counter()):
                    break
    except Exception as e:  # counted as a failed request, never raised: the level still reports
        res.error = f"{type(e).__name__}: {e}"
    finally:
        res.t_end = time.perf_counter()
    return res


async def run_level_async(url: str, bodies: list[dict[str, Any]], clients: int) -> list[StreamResult]:
    """``clients`` concurrent closed-loop clients sharing the queue of ``bodies``."""
    import httpx

    pending = list(enumerate(bodies))
    results: list[StreamResult] = []
    limits = httpx.Limits(max_connections=clients + 2, max_keepalive_connections=clients + 2)
    async with httpx.AsyncClient(limits=limits) as client:
        async def worker() -> None:
            while pending:
                i, body = pending.pop(0)
                results.append(await stream_request(client, url, body, i))

        await asyncio.gather(*(worker() for _ in range(clients)))
    return sorted(results, key=lambda r: r.index)


def run_level(url: str, bodies: list[dict[str, Any]], clients: int) -> LevelStats:
    return aggregate(clients, asyncio.run(run_level_async(url, bodies, clients)))


def combine_rounds(stats: list[dict[str, Any]]) -> dict[str, Any]:
    """One cell from its rounds: the median of tok/s and of each first-token percentile; counts added up."""
    if len(stats) == 1:
        return stats[0]
    def med(key: str) -> float | None:
        xs = [st[key] for st in stats if st[key] is not None]
        return round(statistics.median(xs), 3) if xs else None

    sources = {st["token_count"] for st in stats}
    return {
        "clients": stats[0]["clients"], "requests": sum(st["requests"] for st in stats),
        "completed": sum(st["completed"] for st in stats), "tokens": sum(st["tokens"] for st in stats),
        "wall_s": round(sum(st["wall_s"] for st in stats), 3), "tok_s": med("tok_s"),
        "ttft_p50_s": med("ttft_p50_s"), "ttft_p95_s": med("ttft_p95_s"),
        "mean_tokens": round(sum(st["tokens"] for st in stats) / max(1, sum(st["completed"] for st in stats)), 1),
        "token_count": sources.pop() if len(sources) == 1 else "mixed",
        "errors": [e for st in stats for e in st["errors"]][:5],
        "other_cpu_cores": med("other_cpu_cores") if all("other_cpu_cores" in st for st in stats) else None,
        "waited_for_quiet_s": sum(st.get("waited_for_quiet_s") or 0 for st in stats),
        "rounds": [{k: st.get(k) for k in ("tok_s", "ttft_p50_s", "ttft_p95_s", "other_cpu_cores")} for st in stats],
    }
