"""OpenAI fields honoured or refused, never silently ignored (the real server): a 400 naming each refused
field, neutral values accepted, a lone UTF-16 surrogate is a 400 (not a 500), ``logprobs`` / ``top_logprobs``
in OpenAI's shape from the real model (plain and streamed), and the request body documented in the OpenAPI
schema."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

URL = "/v1/chat/completions"
HI = [{"role": "user", "content": "hi"}]


def post(live_server, body, **kw) -> httpx.Response:
    return httpx.post(live_server.url + URL, json=body, timeout=120, **kw)


@pytest.mark.parametrize("field,value,param,code", [
    ("n", 2, "n", "unsupported_value"),
    ("tools", [{"type": "function", "function": {"name": "f", "parameters": {}}}], "tools", "unsupported_parameter"),
    ("tool_choice", "auto", "tool_choice", "unsupported_parameter"),
    ("functions", [{"name": "f", "parameters": {}}], "functions", "unsupported_parameter"),
    ("function_call", {"name": "f"}, "function_call", "unsupported_parameter"),
    ("response_format", {"type": "json_object"}, "response_format", "unsupported_value"),
    ("response_format", {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}, "response_format",
     "unsupported_value"),
    ("presence_penalty", 0.5, "presence_penalty", "unsupported_parameter"),
    ("logit_bias", {"50256": -100}, "logit_bias", "unsupported_parameter"),
    ("audio", {"voice": "alloy", "format": "wav"}, "audio", "unsupported_parameter"),
    ("modalities", ["text", "audio"], "modalities", "unsupported_value"),
    ("prediction", {"type": "content", "content": "x"}, "prediction", "unsupported_parameter"),
    ("reasoning_effort", "high", "reasoning_effort", "unsupported_parameter"),
    ("verbosity", "low", "verbosity", "unsupported_parameter"),
    ("web_search_options", {}, "web_search_options", "unsupported_parameter"),
    ("frequency_penalty", 0.5, "frequency_penalty", "unsupported_value"),  # greedy: it would do nothing
    ("top_logprobs", 3, "top_logprobs", "invalid_value"),  # without logprobs
    ("top_logprobs", 21, "top_logprobs", "invalid_value"),
    ("best_of", 2, "best_of", "unknown_parameter"),  # not an OpenAI chat field at all
])
@pytest.mark.parametrize("stream", [False, True])
def test_a_refused_field_is_a_400_naming_it(live_server, field, value, param, code, stream):
    r = post(live_server, {"messages": HI, field: value, "stream": stream, "max_tokens": 2})
    assert r.status_code == 400, (field, r.text[:300])
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["type"] == "invalid_request_error"
    assert err["param"] == param and err["code"] == code, err
    assert field in err["message"], err


def test_tool_calls_in_a_message_are_refused_and_their_null_fields_accepted(live_server):
    echoed = {"role": "assistant", "content": "Hello!", "refusal": None, "annotations": [], "audio": None,
              "function_call": None, "tool_calls": None}  # what the official client's message.model_dump() gives
    r = post(live_server, {"messages": [*HI, echoed, {"role": "user", "content": "Say it again."}], "max_tokens": 2,
                           "mode": "fast"})
    assert r.status_code == 200, r.text[:300]
    called = {**echoed, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}
    r = post(live_server, {"messages": [*HI, called, {"role": "user", "content": "Go on."}]})
    assert r.status_code == 400 and r.json()["error"]["param"] == "messages[1].tool_calls", r.text[:300]


def test_neutral_values_and_fields_without_effect_are_accepted(live_server):
    r = post(live_server, {"messages": HI, "max_tokens": 4, "mode": "fast", "n": 1, "tools": [], "tool_choice": "none",
                           "response_format": {"type": "text"}, "presence_penalty": 0, "frequency_penalty": 0.0,
                           "logit_bias": {}, "user": "u-42", "store": False, "metadata": {"k": "v"},
                           "service_tier": "auto", "parallel_tool_calls": True, "modalities": ["text"],
                           "stream_options": {"include_usage": True}, "prompt_cache_key": "p", "audio": None})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["choices"][0]["message"]["content"]
    # frequency_penalty is honoured when sampling.
    r = post(live_server, {"messages": HI, "max_tokens": 4, "mode": "fast", "temperature": 0.8, "seed": 3,
                           "frequency_penalty": 1.0})
    assert r.status_code == 200, r.text[:300]


@pytest.mark.parametrize("where,body,param", [
    ("message", '{"messages": [{"role": "user", "content": "hello \\ud800 world"}]}', "messages[0].content"),
    ("low half", '{"messages": [{"role": "user", "content": "x\\udc00"}], "stream": true}', "messages[0].content"),
    ("history", '{"messages": [{"role": "system", "content": "\\udfff"}, {"role": "user", "content": "hi"}]}',
     "messages[0].content"),
    ("user", '{"messages": [{"role": "user", "content": "hi"}], "user": "\\ud83d"}', "user"),
    ("example", '{"messages": [{"role": "user", "content": "hi"}], "examples": [{"input": "\\ud800", "output": "x"}]}',
     "examples[0].input"),
    ("stop", '{"messages": [{"role": "user", "content": "hi"}], "stop": ["\\udbff"]}', "stop[0]"),
])
def test_a_lone_surrogate_is_a_400_not_a_500(live_server, where, body, param):
    r = httpx.post(live_server.url + URL, content=body.encode(), headers={"Content-Type": "application/json"},
                   timeout=60)
    assert r.status_code == 400, (where, r.status_code, r.text[:300])
    err = r.json()["error"]
    assert err["param"] == param and err["code"] == "invalid_value" and "surrogate" in err["message"], err


def test_a_surrogate_pair_is_text_and_the_runtime_refuses_a_lone_one_too(live_server, serving):
    from runtime.chat import Turn
    from runtime.engine import InputError

    pair = '{"messages": [{"role": "user", "content": "Say \\ud83d\\ude00"}], "max_tokens": 2, "mode": "fast"}'
    r = httpx.post(live_server.url + URL, content=pair.encode(), headers={"Content-Type": "application/json"},
                   timeout=120)
    assert r.status_code == 200, r.text[:300]
    # Every client of the runtime (the chat tab too) gets an input error, not a crash in the router.
    with pytest.raises(InputError, match="surrogate"):
        list(serving.services.chat.stream_turn(Turn(messages=[{"role": "user", "content": "a\ud800"}])))


def check_entries(entries: list[dict], content: str, k: int) -> None:
    assert entries, "no logprobs"
    for e in entries:
        assert set(e) == {"token", "logprob", "bytes", "top_logprobs"}
        assert e["logprob"] <= 0.0 and len(e["top_logprobs"]) == k
        lps = [t["logprob"] for t in e["top_logprobs"]]
        assert all(x <= 0.0 for x in lps) and lps == sorted(lps, reverse=True)
        if k:  # greedy: the sampled token is the most likely one
            assert e["logprob"] == pytest.approx(lps[0], abs=1e-4) and e["token"] == e["top_logprobs"][0]["token"]
    # The entries are exactly the answer's tokens.
    assert b"".join(bytes(e["bytes"]) for e in entries).decode("utf-8") == content


def test_logprobs_and_top_logprobs_from_the_real_model(live_server):
    body = {"messages": [{"role": "user", "content": "Name three colours."}], "max_tokens": 12, "mode": "fast",
            "temperature": 0, "logprobs": True, "top_logprobs": 3}
    plain = post(live_server, body).json()
    choice = plain["choices"][0]
    check_entries(choice["logprobs"]["content"], choice["message"]["content"], 3)

    with httpx.stream("POST", live_server.url + URL, json={**body, "stream": True}, timeout=120) as r:
        chunks = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
    streamed, text = [], ""
    for c in chunks:
        ch = c["choices"][0] if c.get("choices") else {}
        if ch.get("delta", {}).get("content"):
            assert ch["logprobs"] and ch["logprobs"]["content"], ch  # every content chunk carries its tokens
            streamed += ch["logprobs"]["content"]
            text += ch["delta"]["content"]
    assert text == choice["message"]["content"]
    check_entries(streamed, text, 3)
    assert [e["token"] for e in streamed] == [e["token"] for e in choice["logprobs"]["content"]]
    assert [e["logprob"] for e in streamed] == pytest.approx([e["logprob"] for e in choice["logprobs"]["content"]],
                                                             abs=1e-5)


def test_logprobs_through_the_official_client(live_server):
    client = openai.OpenAI(base_url=live_server.url + "/v1", api_key="unused", max_retries=0, timeout=120)
    r = client.chat.completions.create(model="modroute", messages=[{"role": "user", "content": "Hi"}], max_tokens=6,
                                       logprobs=True, extra_body={"mode": "fast"})
    content = r.choices[0].logprobs.content
    assert content and all(t.logprob <= 0 and t.top_logprobs == [] for t in content)
    assert "".join(t.token for t in content) == r.choices[0].message.content
    plain = client.chat.completions.create(model="modroute", messages=[{"role": "user", "content": "Hi"}],
                                           max_tokens=4, extra_body={"mode": "fast"})
    assert plain.choices[0].logprobs is None


def test_logprobs_with_self_consistency_is_refused(live_server):
    r = post(live_server, {"messages": HI, "logprobs": True, "self_consistency": True})
    assert r.status_code == 400 and r.json()["error"]["param"] == "logprobs", r.text[:300]


def test_the_openapi_schema_documents_the_request_body(live_server):
    spec = httpx.get(live_server.url + "/api-openapi.json", timeout=30).json()
    op = spec["paths"]["/v1/chat/completions"]["post"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert schema["required"] == ["messages"] and schema.get("additionalProperties") is False
    props = schema["properties"]
    for name in ("messages", "model", "stream", "max_tokens", "temperature", "top_p", "seed", "stop", "logprobs",
                 "top_logprobs", "n", "response_format", "mode", "modifier", "session_id", "max_critique_rounds",
                 "examples"):
        assert name in props, name
    assert "Refused" in props["tools"]["description"] and "Only 1" in props["n"]["description"]
    assert props["top_logprobs"]["anyOf"][0]["maximum"] == 20
    assert {"400", "401", "429"} <= set(op["responses"]) and "422" not in op["responses"]
    assert "APIKey" in spec["components"]["securitySchemes"]


def test_logprobs_of_an_answer_chosen_among_buffered_candidates_are_null_and_say_why(live_server, serving):
    if serving.services.tools.critic is None:
        pytest.skip("no critique scorer: candidates are not buffered")
    # A stream that cannot take text back buffers the critique loop's candidates: their tokens never stream.
    body = {"messages": [{"role": "user", "content": "Write a python function that adds two numbers."}],
            "stream": True, "max_tokens": 8, "modifier": "alpha", "max_critique_rounds": 1, "logprobs": True}
    with httpx.stream("POST", live_server.url + URL, json=body, timeout=300) as r:
        chunks = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
    content = [c["choices"][0] for c in chunks if c.get("choices") and c["choices"][0]["delta"].get("content")]
    assert content and all(ch["logprobs"] is None for ch in content)
    final = next(c for c in chunks if c.get("choices") and c["choices"][0]["finish_reason"])
    assert any(n.startswith("logprobs: not available") for n in final["modroute"]["notices"])
