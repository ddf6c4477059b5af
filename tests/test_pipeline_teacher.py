"""The teacher cascade against a real local HTTP server speaking the OpenAI chat completions API.

Only the network boundary is faked: ``FakeOpenAI`` is an ``http.server`` in a thread that answers
``POST /v1/chat/completions`` like an OpenAI-compatible endpoint (per-model behaviour, usage counts,
429/500 responses with ``Retry-After``). The client, retries, judge, budget and cascade are ours, for real.
"""

from __future__ import annotations

import json
import re
import time
from http.server import BaseHTTPRequestHandler

import pytest

from pipeline.teacher import (
    Budget,
    BudgetExceeded,
    LLMJudge,
    OpenAIEndpoint,
    TeacherError,
    TierConfig,
    VerifierJudge,
    run_cascade,
)
from pipeline.textdata import Item
from tests.hubfake import LocalHTTPServer


def _sum_answer(prompt: str, wrong: bool) -> str:
    nums = re.findall(r"\d+", prompt)
    if "plus" not in prompt or len(nums) < 2:
        return "I only know sums."
    a, b = int(nums[0]), int(nums[1])
    return f"{a} + {b} = {a + b + (1 if wrong else 0)}. The answer is {a + b + (1 if wrong else 0)}."


class FakeOpenAI(LocalHTTPServer):
    """An OpenAI-compatible chat endpoint. Models:

    - ``cheap``: answers sums, wrong whenever the first number is odd;
    - ``mid`` / ``frontier``: always right;
    - ``judge``: replies "Score: N" with N taken from the answer's last digit (a deterministic stand-in);
    - ``synth``: writes JSON-lines tasks.
    ``fail_first`` makes the first N requests fail with ``fail_status`` (and ``Retry-After: 0``).
    """

    def __init__(self, fail_first: int = 0, fail_status: int = 429):
        self.requests: list[dict] = []
        self.times: list[float] = []
        self.fail_first, self.fail_status = fail_first, fail_status
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                fake.requests.append({"path": self.path, "body": body, "auth": self.headers.get("authorization")})
                fake.times.append(time.monotonic())
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "not found"}})
                if len(fake.requests) <= fake.fail_first:
                    return self._send(fake.fail_status, {"error": {"message": "try later", "type": "rate_limit"}},
                                      {"Retry-After": "0"})
                prompt = body["messages"][-1]["content"]
                model = body["model"]
                if model == "cheap":
                    first = int((re.findall(r"\d+", prompt) or ["0"])[0])
                    text = _sum_answer(prompt, wrong=first % 2 == 1)
                elif model in ("mid", "frontier"):
                    text = _sum_answer(prompt, wrong=False)
                elif model == "judge":
                    m = re.search(r"Answer to grade:\s*(.*)", prompt, re.S)
                    digits = re.findall(r"\d", m.group(1) if m else "")
                    text = f"Score: {digits[-1] if digits else 0}\nBecause."
                elif model == "synth":
                    text = "\n".join(json.dumps({"instruction": f"What is {i} plus 9?", "response":
                                                 f"The answer is {i + 9}.", "answer": str(i + 9)}) for i in range(3))
                else:
                    return self._send(404, {"error": {"message": f"model {model} not found"}})
                pt, ct = len(prompt.split()), len(text.split())
                self._send(200, {"id": "cmpl-1", "object": "chat.completion", "created": 0, "model": model,
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": text}}],
                                 "usage": {"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct}})

            def _send(self, status, obj, headers=None):
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        super().__init__(Handler)
        self.base_url = self.url + "/v1"

    def models(self) -> list[str]:
        return [r["body"]["model"] for r in self.requests]


def sums(n: int) -> list[Item]:
    return [Item(id=f"s{i}", domain="math", prompt=f"What is {10 + i} plus {3}?", answer=str(13 + i))
            for i in range(n)]


def endpoint(fake, model, budget, **kw):
    return OpenAIEndpoint(model, fake.base_url, model, "MODROUTE_TEST_KEY", price_in=kw.pop("price_in", 1.0),
                          price_out=kw.pop("price_out", 2.0), budget=budget, max_retries=kw.pop("max_retries", 3),
                          backoff_s=0.01, timeout_s=10, requests_per_minute=kw.pop("rpm", 0), **kw)


def tiers_for(fake, budget, names=("cheap", "mid", "frontier")):
    return [(TierConfig(name=n, max_tokens=32), endpoint(fake, n, budget)) for n in names]


def test_cascade_escalates_only_what_the_cheaper_tier_failed(monkeypatch):
    monkeypatch.setenv("MODROUTE_TEST_KEY", "sk-test-123")
    with FakeOpenAI() as fake:
        budget = Budget(cap_usd=1.0)
        judge = VerifierJudge({"math": "exact_match"})
        res = run_cascade(sums(6), tiers_for(fake, budget), judge, min_score=8, budget=budget)
    # cheap is wrong for odd first numbers (11, 13, 15): exactly those go to mid; nothing reaches frontier
    cheap_ids = {a.item.id for a in res.accepted if a.tier == "cheap"}
    mid_ids = {a.item.id for a in res.accepted if a.tier == "mid"}
    assert cheap_ids == {"s0", "s2", "s4"} and mid_ids == {"s1", "s3", "s5"}
    assert fake.models() == ["cheap"] * 6 + ["mid"] * 3
    assert res.tiers["cheap"]["escalated"] == 3 and res.tiers["mid"]["escalated"] == 0
    assert res.tiers["frontier"]["items"] == 0 and not res.unresolved
    assert all(r["auth"] == "Bearer sk-test-123" for r in fake.requests)
    # cost accounting per tier, from the usage the server reported
    for tier in ("cheap", "mid"):
        st = res.tiers[tier]
        assert st["cost_usd"] == pytest.approx((st["prompt_tokens"] * 1.0 + st["completion_tokens"] * 2.0) / 1e6)
        assert st["cost_usd"] > 0
    assert budget.total == pytest.approx(res.tiers["cheap"]["cost_usd"] + res.tiers["mid"]["cost_usd"])


def test_budget_cap_stops_requests_before_they_are_sent():
    with FakeOpenAI() as fake:
        # Worst case per request (32 completion tokens at $2000/M + the prompt) is ~$0.07 and a request
        # really costs ~$0.023: with a $0.1 cap the third request could overshoot, so it is never sent.
        budget = Budget(cap_usd=0.1)
        tiers = [(TierConfig(name="cheap", max_tokens=32), endpoint(fake, "cheap", budget, price_in=1000.0,
                                                                     price_out=2000.0))]
        res = run_cascade(sums(6), tiers, VerifierJudge({"math": "exact_match"}), min_score=8, budget=budget)
    assert res.budget_exhausted
    assert len(fake.requests) == 2
    assert budget.total <= 0.1
    assert len(res.accepted) + len(res.unresolved) == 6
    with pytest.raises(BudgetExceeded):
        budget.reserve("cheap", 0.5)


def test_free_tiers_need_no_budget_and_priced_tiers_do():
    with FakeOpenAI() as fake:
        budget = Budget(cap_usd=0.0)
        priced = endpoint(fake, "mid", budget)
        with pytest.raises(BudgetExceeded):
            priced.complete([{"role": "user", "content": "What is 1 plus 2?"}], max_tokens=8, temperature=0)
        free = endpoint(fake, "mid", budget, price_in=0.0, price_out=0.0)
        assert "3" in free.complete([{"role": "user", "content": "What is 1 plus 2?"}], max_tokens=8,
                                    temperature=0).text
    assert len(fake.requests) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retries_with_backoff_on_rate_limits_and_server_errors(status):
    with FakeOpenAI(fail_first=2, fail_status=status) as fake:
        ep = endpoint(fake, "mid", Budget(cap_usd=1.0))
        reply = ep.complete([{"role": "user", "content": "What is 4 plus 5?"}], max_tokens=8, temperature=0)
    assert "9" in reply.text
    assert ep.stats["retries"] == 2 and ep.stats["requests"] == 3 and len(fake.requests) == 3


def test_gives_up_after_max_retries_and_the_item_escalates():
    with FakeOpenAI(fail_first=3, fail_status=503) as fake:
        budget = Budget(cap_usd=1.0)
        tiers = [(TierConfig(name="cheap", max_tokens=16), endpoint(fake, "cheap", budget, max_retries=2)),
                 (TierConfig(name="mid", max_tokens=16), endpoint(fake, "mid", budget))]
        res = run_cascade(sums(1), tiers, VerifierJudge({"math": "exact_match"}), min_score=8, budget=budget)
    assert res.tiers["cheap"]["errors"] == 1
    assert [a.tier for a in res.accepted] == ["mid"]


def test_client_errors_are_not_retried():
    with FakeOpenAI() as fake:
        ep = endpoint(fake, "no-such-model", Budget(cap_usd=1.0))
        with pytest.raises(TeacherError, match="404"):
            ep.complete([{"role": "user", "content": "hi"}], max_tokens=4, temperature=0)
    assert len(fake.requests) == 1


def test_rate_limit_spaces_requests():
    with FakeOpenAI() as fake:
        ep = endpoint(fake, "mid", Budget(cap_usd=1.0), rpm=600)  # one request per 0.1 s
        for _ in range(3):
            ep.complete([{"role": "user", "content": "What is 1 plus 1?"}], max_tokens=4, temperature=0)
    gaps = [b - a for a, b in zip(fake.times, fake.times[1:], strict=False)]
    assert min(gaps) >= 0.08  # lower bound only: the limiter never sends early


def test_llm_judge_filter_keeps_only_scores_of_eight_or_more():
    with FakeOpenAI() as fake:
        budget = Budget(cap_usd=1.0)
        judge = LLMJudge(endpoint(fake, "judge", budget))
        # The fake judge's score is the answer's last digit: "...= 19" -> 9 (kept), "... = 14" -> 4 (rejected)
        items = [Item(id="a", domain="reasoning", prompt="What is 10 plus 9?"),
                 Item(id="b", domain="reasoning", prompt="What is 11 plus 3?")]
        res = run_cascade(items, [(TierConfig(name="mid", max_tokens=16), endpoint(fake, "mid", budget))], judge,
                          min_score=8, budget=budget)
    assert [a.item.id for a in res.accepted] == ["a"] and [u.id for u in res.unresolved] == ["b"]
    assert res.accepted[0].score == 9
    assert "judge" in budget.spent and budget.spent["judge"] > 0
