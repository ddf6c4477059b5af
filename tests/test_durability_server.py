"""Acceptance (issue 9, section 0): an answer a client received is never lost.

``python app.py`` (the real server: embedded model, router, SQLite telemetry in a temporary data
dir) takes a burst of concurrent API requests, streaming and not; once several answers have reached
their clients it is killed with SIGKILL at a random moment (the seed is printed; set
``MODROUTE_TEST_SEED`` to replay one). Restarted on the same data dir, every completion id that any
client received in full — the final SSE chunk, or the JSON response — must be in the database
exactly once, and ``/v1/feedback`` must accept it (200, not 404).

The server writes to a log file, not a pipe: a chatty child must never block on a full pipe.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int, tag: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "MODROUTE_DATA_DIR": str(data),
           "MODROUTE_HOST": "127.0.0.1", "MODROUTE_PORT": str(port), "MODROUTE_N_CTX": "2048",
           "MODROUTE_MAX_TOKENS": "16", "MODROUTE_N_THREADS": "2", "MODROUTE_DATABASE_URL": "",
           "MODROUTE_ADMIN_TOKEN": "", "MODROUTE_TELEMETRY_SPOOL": ""}
    log = data.parent / f"server-{tag}.log"
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    proc.log = log
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, f"server {tag} exited during start-up:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"server {tag} did not start:\n{log.read_text()[-3000:]}"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)


class Clients:
    """Concurrent API clients; ``received`` holds every completion id a client got in full."""

    def __init__(self, url: str, n: int):
        self.url = url
        self.received: list[str] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._one, args=(i,), daemon=True) for i in range(n)]

    def start(self) -> Clients:
        for t in self.threads:
            t.start()
        return self

    def _got(self, completion_id: str) -> None:
        with self.lock:
            self.received.append(completion_id)

    def _one(self, i: int) -> None:
        body = {"model": "modroute", "messages": [{"role": "user", "content": f"Question {i}: name a fruit and a color."}],
                "max_tokens": 16, "stream": i % 2 == 0}
        try:
            with httpx.Client(timeout=httpx.Timeout(120, connect=10)) as client:
                if not body["stream"]:
                    r = client.post(self.url + "/v1/chat/completions", json=body)
                    r.raise_for_status()
                    self._got(r.json()["id"])
                    return
                with client.stream("POST", self.url + "/v1/chat/completions", json=body) as r:
                    r.raise_for_status()
                    for line in r.iter_lines():
                        if not line.startswith("data: ") or line == "data: [DONE]":
                            continue
                        chunk = json.loads(line[6:])
                        if chunk.get("choices") and chunk["choices"][0].get("finish_reason"):
                            self._got(chunk["id"])  # the final chunk: the client holds the whole answer
        except (httpx.HTTPError, json.JSONDecodeError, KeyError) as e:  # the server was killed under it
            with self.lock:
                self.errors.append(f"request {i}: {type(e).__name__}")

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))


def stored_counts(db: Path, ids: list[str]) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {i: conn.execute("SELECT count(*) FROM interactions WHERE id = ?", (i,)).fetchone()[0] for i in ids}
    finally:
        conn.close()


def test_every_answer_a_client_received_survives_kill_9(tmp_path):
    seed = int(os.environ.get("MODROUTE_TEST_SEED") or random.SystemRandom().randrange(1 << 30))
    print(f"durability seed: MODROUTE_TEST_SEED={seed}")
    rng = random.Random(seed)
    kill_after = rng.randint(3, REQUESTS // 2)  # answers received before the kill
    # ... plus a random moment shortly after: the most recent answer's record is then at its youngest,
    # where a writer that acknowledges after the response has gone out would lose it.
    extra_delay = rng.uniform(0.0, 0.03)
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    server = start_server(data, port, "first")
    try:
        clients = Clients(url, REQUESTS).start()
        deadline = time.monotonic() + 120
        while clients.count() < kill_after:
            assert server.poll() is None, server.log.read_text()[-3000:]
            assert time.monotonic() < deadline, f"only {clients.count()} answers:\n{server.log.read_text()[-3000:]}"
            time.sleep(0.005)
        time.sleep(extra_delay)
        server.send_signal(signal.SIGKILL)
        server.wait(30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(30)
    clients.join(30)
    received = list(clients.received)
    print(f"kill -9 after {kill_after} answers + {extra_delay * 1000:.0f} ms: {len(received)} of {REQUESTS} "
          f"answers received in full, {len(clients.errors)} requests cut off")
    assert len(received) >= kill_after and len(set(received)) == len(received)

    second = start_server(data, port, "second")
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            refused = {}
            for cid in received:
                r = client.post("/v1/feedback", json={"completion_id": cid, "rating": 8})
                if r.status_code != 200:
                    refused[cid] = (r.status_code, r.text[:200])
        assert not refused, f"{len(refused)} of {len(received)} received answers unknown after the restart: {refused}"
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(60)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait(30)

    counts = stored_counts(data / "modroute.db", [c.removeprefix("chatcmpl-") for c in received])
    missing = [i for i, n in counts.items() if n == 0]
    assert not missing, f"{len(missing)} of {len(received)} answers the clients hold are not in the database (seed {seed})"
    assert all(n == 1 for n in counts.values()), counts
