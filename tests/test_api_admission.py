"""Back-pressure on a real engine with a small queue bound (its own engine and API, sharing the session's
router and tools): 64 concurrent clients get 429s with Retry-After beyond the bound and zero 5xx, every
admitted request completes; a streaming client that waits sees its queue position as a chunk; the chat tab
says "busy, try again in N s" and loses nothing."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import httpx
import pytest

from runtime.chat import ChatService
from runtime.engine import Engine
from runtime.memory import SessionStore

URL = "/v1/chat/completions"
MAX_QUEUE = 2


@pytest.fixture(scope="module")
def small(serving):
    """Services around a second engine: one decoding stream, at most MAX_QUEUE waiting, short answers."""
    from fastapi import FastAPI

    from ui.api import install_api
    from ui.server import ServerThread

    base = serving.services
    settings = serving.settings.model_copy(update={"max_queue": MAX_QUEUE, "n_parallel": 1, "max_tokens": 8,
                                                   "n_ctx": 1024})
    with Engine(settings) as engine:
        sessions = SessionStore()
        chat = ChatService(engine, base.router, None, sessions, cascade=False, tools=base.tools)
        services = replace(base, settings=settings, engine=engine, chat=chat, sessions=sessions, telemetry=None)
        app = FastAPI()
        install_api(app, services)
        with ServerThread(app) as server:
            server.services = services
            yield server


def body(text: str, stream: bool, max_tokens: int = 8) -> dict:
    return {"messages": [{"role": "user", "content": text}], "max_tokens": max_tokens, "mode": "fast",
            "stream": stream}


def one_client(url: str, i: int, start: threading.Barrier) -> dict:
    stream = i % 2 == 0
    out = {"i": i, "stream": stream, "complete": False}
    start.wait()
    with httpx.Client(timeout=120) as c, c.stream("POST", url + URL, json=body(f"Question {i}: name a fruit.",
                                                                              stream)) as r:
        out["status"], out["retry_after"] = r.status_code, r.headers.get("retry-after")
        if r.status_code != 200:
            out["error"] = json.loads(r.read())["error"]
        elif stream:
            lines = list(r.iter_lines())
            events = [json.loads(x[6:]) for x in lines if x.startswith("data: {")]
            out["complete"] = ("data: [DONE]" in lines and not any("error" in e for e in events)
                               and any(e["choices"] and e["choices"][0]["finish_reason"] for e in events))
        else:
            choice = json.loads(r.read())["choices"][0]
            out["complete"] = bool(choice["finish_reason"] and choice["message"]["content"])
    return out


def test_64_clients_against_a_queue_bound_of_2(small):
    start = threading.Barrier(64)
    results: list[dict] = []
    lock = threading.Lock()

    def run(i):
        r = one_client(small.url, i, start)
        with lock:
            results.append(r)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert len(results) == 64
    statuses = [r["status"] for r in results]
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {200, 429}, statuses
    refused = [r for r in results if r["status"] == 429]
    admitted = [r for r in results if r["status"] == 200]
    assert refused and len(admitted) >= 1 + MAX_QUEUE, (len(refused), len(admitted))
    for r in refused:
        assert r["retry_after"] and int(r["retry_after"]) >= 1, r
        assert r["error"]["code"] == "server_busy" and r["error"]["type"] == "rate_limit_error", r
        assert f"try again in {r['retry_after']} s" in r["error"]["message"]
    assert any(r["stream"] for r in refused), "a streaming request is refused before its stream starts"
    assert all(r["complete"] for r in admitted), [r for r in admitted if not r["complete"]]
    # Nothing is left behind: the engine is idle again.
    engine = small.services.engine
    deadline = time.monotonic() + 30
    while (engine.busy or engine.queue_length) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not engine.busy and engine.queue_length == 0
    assert httpx.get(small.url + "/healthz").status_code == 200


class Hog:
    """A long streamed answer holding the (single) decoding slot until closed."""

    def __init__(self, url: str, tokens: int = 400):
        self.started = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(url, tokens), daemon=True)
        self.thread.start()

    def _run(self, url: str, tokens: int) -> None:
        with httpx.stream("POST", url + URL, json=body("Write a very long story about the sea.", True, tokens),
                          timeout=120) as r:
            for line in r.iter_lines():
                if '"content"' in line:
                    self.started.set()
                if self.stop.is_set():
                    break  # closing the connection cancels the generation
        self.started.set()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(60)


def wait_until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_a_waiting_stream_sees_its_queue_position_as_a_chunk(small):
    hog = Hog(small.url)
    try:
        assert hog.started.wait(60)
        comments, positions = [], []
        with httpx.stream("POST", small.url + URL, json=body("Hello!", True), timeout=120) as r:
            assert r.status_code == 200
            for line in r.iter_lines():
                if line.startswith(": queue position"):
                    comments.append(int(line.rsplit(" ", 1)[-1]))
                elif line.startswith("data: {"):
                    chunk = json.loads(line[6:])
                    if "queue_position" in chunk.get("modroute", {}):
                        assert chunk["choices"][0]["delta"] == {} and chunk["object"] == "chat.completion.chunk"
                        positions.append(chunk["modroute"]["queue_position"])
                        break
        assert positions == [1] and comments == [1]
    finally:
        hog.close()


def test_the_chat_tab_says_busy_and_keeps_the_message(small):
    from ui.chat import ChatState, ChatTab

    engine = small.services.engine
    tab = ChatTab(small.services, None)
    controls = ("Fast", "Auto", 0.0, 8, False)
    hogs = [Hog(small.url)]
    try:
        assert hogs[0].started.wait(60)
        hogs += [Hog(small.url) for _ in range(MAX_QUEUE)]
        wait_until(lambda: engine.queue_length >= MAX_QUEUE)
        state = ChatState()
        chat, state, box = list(tab.send("What is the capital of France?", state, *controls, None))[-1]
        ex = state.exchanges[-1]
        assert ex.busy and ex.error.startswith("The server is busy — try again in ") and ex.error.endswith(" s.")
        assert box == "What is the capital of France?"  # the message is back in the box
        assert "The server is busy" in chat[-1]["content"]
    finally:
        for h in hogs:
            h.close()
    wait_until(lambda: not engine.busy and engine.queue_length == 0)
    chat, state, box = list(tab.send("What is the capital of France?", state, *controls, None))[-1]
    assert box == "" and len(state.exchanges) == 1 and state.exchanges[0].answered  # it replaced the refusal
