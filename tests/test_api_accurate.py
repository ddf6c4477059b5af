"""Accurate mode's tools through the OpenAI-compatible API (the real server): field validation with clear
400s, self-consistency on request (``routing.tools.consistency``), user-supplied few-shot examples in the
prompt, and an escalation streamed to a client that cannot take text back (only the final answer is sent)."""

from __future__ import annotations

import json

import httpx
import pytest

URL = "/v1/chat/completions"
Q = [{"role": "user", "content": "What is 15% of 80?"}]


def post(live_server, body: dict) -> httpx.Response:
    return httpx.post(live_server.url + URL, json=body, timeout=300)


@pytest.mark.parametrize("field,value,param,code", [
    ("max_critique_rounds", 4, "max_critique_rounds", "invalid_value"),
    ("max_critique_rounds", -1, "max_critique_rounds", "invalid_value"),
    ("max_critique_rounds", "2", "max_critique_rounds", "invalid_type"),
    ("max_critique_rounds", True, "max_critique_rounds", "invalid_type"),
    ("self_consistency", "yes", "self_consistency", "invalid_type"),
    ("n_paths", 2, "n_paths", "invalid_value"),
    ("n_paths", 11, "n_paths", "invalid_value"),
    ("n_paths", 5.0, "n_paths", "invalid_type"),
    ("use_examples", 1, "use_examples", "invalid_type"),
    ("examples", "2+2=4", "examples", "invalid_type"),
    ("examples", [{"input": "2+2"}], "examples[0].output", "missing_required_parameter"),
    ("examples", [{"input": "2+2", "output": 4}], "examples[0].output", "invalid_type"),
    ("examples", [{"input": "", "output": "4"}], "examples[0].input", "invalid_value"),
    ("examples", [{"input": "a", "output": "b"}] * 17, "examples", "invalid_value"),
])
def test_tool_fields_are_validated_with_clear_errors(live_server, field, value, param, code):
    r = post(live_server, {"messages": Q, "max_tokens": 4, field: value})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["param"] == param and err["code"] == code and err["type"] == "invalid_request_error"
    assert param.split("[")[0].split(".")[0] in err["message"] and "Traceback" not in err["message"]


def test_healthz_says_which_tools_are_on(live_server, serving):
    tools = httpx.get(live_server.url + "/healthz").json()["accurate_tools"]
    assert tools["consistency"] == "ok" and tools["fewshot"] == "ok"  # both ship in artifacts/tools
    assert tools["critique"] == ("ok" if serving.services.tools.critic is not None else
                                 serving.services.tools.problems["critique"])


def test_self_consistency_on_request_reports_its_vote(live_server, serving):
    r = post(live_server, {"messages": Q, "max_tokens": 16, "mode": "fast", "self_consistency": True, "n_paths": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    sc = body["routing"]["tools"]["consistency"]
    assert sc["n"] == 3 and 1 <= sc["agreeing"] <= 3 and sc["confidence"] == pytest.approx(sc["agreeing"] / 3, abs=1e-3)
    assert sc["unreliable"] == (sc["confidence"] <= 0.5)
    assert any("of 3 sampled answers agree" in n for n in body["modroute"]["notices"])
    assert body["choices"][0]["message"]["content"].strip()
    assert body["routing"]["rung"] == ""
    # Off on request: no vote, however hard the question looks.
    r = post(live_server, {"messages": Q, "max_tokens": 8, "mode": "fast", "self_consistency": False})
    assert "consistency" not in r.json()["routing"]["tools"]


def test_user_examples_go_into_the_prompt(live_server, serving, monkeypatch):
    engine = serving.services.engine
    seen = []
    real = engine.stream

    def stream(req):
        seen.append(req)
        return real(req)

    monkeypatch.setattr(engine, "stream", stream)
    examples = [{"input": "What is 10% of 50?", "output": "10% of 50 is 5."}]
    r = post(live_server, {"messages": Q, "max_tokens": 8, "mode": "fast", "examples": examples,
                           "max_critique_rounds": 0})
    assert r.status_code == 200, r.text
    assert r.json()["routing"]["tools"]["fewshot"] == {"k": 1, "source": "user"}
    msgs = seen[-1].messages
    assert msgs[:2] == [{"role": "user", "content": "What is 10% of 50?"},
                        {"role": "assistant", "content": "10% of 50 is 5."}] and msgs[-1] == Q[0]


def test_a_streamed_escalation_sends_only_the_final_answer(live_server, serving):
    """A streaming client that did not opt in to ``modroute.restart`` never receives text it must discard:
    the ladder's candidates are buffered and only the answer it settles on is streamed."""
    q = "Write a Python function is_prime(n) that returns True when n is prime."
    sid = "api-stream-escalation"
    first = post(live_server, {"messages": [{"role": "user", "content": q}], "max_tokens": 24, "mode": "accurate",
                               "session_id": sid}).json()
    answer = first["choices"][0]["message"]["content"]
    assert first["routing"]["modifier"] == "alpha"
    convo = [{"role": "user", "content": q}, {"role": "assistant", "content": answer},
             {"role": "user", "content": "that's wrong, it fails for 2"}]
    chunks = []
    with httpx.stream("POST", live_server.url + URL, json={"messages": convo, "max_tokens": 24, "stream": True,
                                                            "session_id": sid}, timeout=300) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                chunks.append(json.loads(line[6:]))
    assert not any("restart" in (c.get("modroute") or {}) for c in chunks)
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c.get("choices"))
    final = next(c for c in chunks if c.get("choices") and c["choices"][0]["finish_reason"])
    routing = final["routing"]
    assert routing["escalated"] and routing["rung"] in ("critique", "consistency", "exhausted")
    assert " ".join(text.split()) != " ".join(answer.split()) and text.strip()
    assert any(routing["rung"] in n for n in final["modroute"]["notices"])
