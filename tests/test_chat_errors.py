"""A turn that fails while generating is recorded (finish_reason "error"), so the canary's error guard
can count failures per router version; the caller still gets the error."""

from __future__ import annotations

import pytest

from runtime.chat import ChatService, Turn
from runtime.engine import EngineError, Token
from runtime.memory import SessionStore
from tests.test_router import arts, embedder, make_router  # noqa: F401  (session fixtures)


class Collect:
    def __init__(self):
        self.records = []

    def record_turn(self, record):
        self.records.append(record)


def test_a_failed_answer_is_recorded_with_finish_reason_error(engine, embedder, arts, monkeypatch):  # noqa: F811
    def broken_stream(req):
        yield Token("Hel", 0, -0.1)
        raise EngineError("llama_decode failed (rc=1)")

    monkeypatch.setattr(engine, "stream", broken_stream)
    sink = Collect()
    svc = ChatService(engine, make_router(engine, embedder, arts), None, SessionStore(), telemetry=sink)
    with pytest.raises(EngineError):
        svc.run_turn(Turn([{"role": "user", "content": "What is 2 + 2?"}], session_id="s-err", max_tokens=8))
    assert len(sink.records) == 1
    rec = sink.records[0]
    assert rec["finish_reason"] == "error" and rec["answer"] == "Hel" and rec["extra"] == {"error": "EngineError"}
    assert rec["session_id"] == "s-err" and rec["decision"]["domain"]
