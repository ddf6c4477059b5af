"""Rate limiting of admin token guesses, per client address, in memory (see ``admin.auth``).

The sign-in box, ``Authorization: Bearer`` on ``/admin/*`` and guarded Gradio calls all count wrong tokens in
one :class:`AttemptLimiter` (one per ``AdminAuth``; ``ui.server.build_app`` shares it between HTTP and Gradio).
A process restart forgets the counts; several replicas count separately.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

MAX_FAILURES = 5
FAILURE_WINDOW_S = 300.0


class AttemptLimiter:
    """Wrong tokens per client address in a sliding window, in memory (per process).

    ``max_failures`` wrong tokens within ``window_s`` lock the client out until the oldest leaves the
    window; while locked even the right token is refused (otherwise guessing could go on). A right
    token resets the client's count.
    """

    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = FAILURE_WINDOW_S,
                 clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(client: str | None) -> str:
        return client or "unknown"

    def _live(self, key: str, now: float) -> deque[float]:
        q = self._failures.get(key)
        if q is None:
            return deque()
        while q and q[0] <= now - self.window_s:
            q.popleft()
        if not q:
            self._failures.pop(key, None)
        return q

    def retry_after(self, client: str | None) -> int | None:
        """Seconds until this client may try again, or None when it may try now."""
        with self._lock:
            now = self.clock()
            q = self._live(self._key(client), now)
            if len(q) < self.max_failures:
                return None
            return max(1, math.ceil(q[0] + self.window_s - now))

    def failed(self, client: str | None) -> None:
        with self._lock:
            now = self.clock()
            key = self._key(client)
            q = self._live(key, now)
            if len(self._failures) >= self.max_clients and key not in self._failures:
                for k in list(self._failures):  # drop expired clients before admitting one more
                    self._live(k, now)
                if len(self._failures) >= self.max_clients:
                    self._failures.pop(next(iter(self._failures)))
            q.append(now)
            self._failures[key] = q

    def succeeded(self, client: str | None) -> None:
        with self._lock:
            self._failures.pop(self._key(client), None)


def too_many_message(seconds: int) -> str:
    return f"Too many attempts; try again in {seconds} s."


def client_address(request: Any) -> str | None:
    """The caller's address for rate limiting and the audit log.

    On a Hugging Face Space every request comes through its proxy, which appends the real client to
    ``X-Forwarded-For``: there the last entry is used (earlier ones are whatever the client sent).
    Elsewhere the socket's peer address (behind your own proxy, run uvicorn with ``--proxy-headers``).
    """
    if request is None:
        return None
    try:
        if os.environ.get("SYSTEM") == "spaces":
            headers = getattr(request, "headers", None) or {}
            forwarded = headers.get("x-forwarded-for") or headers.get("X-Forwarded-For") or ""
            last = forwarded.split(",")[-1].strip()
            if last:
                return last[:128]
        client = getattr(request, "client", None)
        host = getattr(client, "host", None) if client is not None else None
    except (AttributeError, KeyError):
        return None
    return str(host)[:128] if host else None
