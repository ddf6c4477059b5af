"""Optional API keys on /v1/* (a second app on the session's services, with keys): 401 without or with a
wrong key, 200 with a right one, a per-key rate limit answering 429 with Retry-After, /healthz open, and no
key anywhere in the logs (uvicorn's access log included) or in an answer."""

from __future__ import annotations

import logging

import httpx
import openai
import pytest

from runtime.settings import Settings
from ui.api_auth import APIAccess, TokenBuckets

KEYS = ["mr-key-alpha-4f9c2d7e1b8a", "mr-key-beta-9e1a6c3b5d2f"]
WRONG = "mr-key-wrong-0a1b2c3d4e5f"
ASK = {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2, "mode": "fast"}


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture(scope="module")
def keyed(serving):
    from fastapi import FastAPI

    from ui.api import install_api
    from ui.server import ServerThread

    app = FastAPI()
    install_api(app, serving.services, access=APIAccess(KEYS, rate_per_min=2))
    records = Records()
    names = ["", "uvicorn", "uvicorn.access", "uvicorn.error", "modroute"]
    with ServerThread(app, log_level="info") as server:  # info: uvicorn's access log is on
        for n in names:
            logging.getLogger(n).addHandler(records)
        server.records = records
        yield server
        for n in names:
            logging.getLogger(n).removeHandler(records)
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)


def chat(server, key: str | None, **kw) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return httpx.post(server.url + "/v1/chat/completions", json={**ASK, **kw}, headers=headers, timeout=120)


def test_keys_rate_limits_and_no_key_in_the_logs(keyed):
    assert httpx.get(keyed.url + "/healthz").status_code == 200  # always open
    answers = []
    for key in (None, WRONG, KEYS[0][:-1], KEYS[0] + "x"):
        r = chat(keyed, key)
        answers.append(r.text)
        assert r.status_code == 401, (key, r.text)
        err = r.json()["error"]
        assert err["code"] == "invalid_api_key" and set(err) == {"message", "type", "param", "code"}
        assert r.headers["www-authenticate"] == "Bearer"
    r = httpx.get(keyed.url + "/v1/models", headers={"Authorization": f"Bearer {WRONG}"})
    assert r.status_code == 401
    r = httpx.post(keyed.url + "/v1/chat/completions", content=b"{}", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401  # not a Bearer token

    ok = chat(keyed, KEYS[0])
    assert ok.status_code == 200, ok.text
    client = openai.OpenAI(base_url=keyed.url + "/v1", api_key=KEYS[0], max_retries=0, timeout=120)
    assert client.chat.completions.create(model="modroute", **{k: v for k, v in ASK.items() if k != "mode"},
                                          extra_body={"mode": "fast"}).choices[0].message.content is not None
    # Two a minute: the third call with the same key waits; the other key has its own bucket.
    limited = chat(keyed, KEYS[0])
    assert limited.status_code == 429, limited.text
    assert 1 <= int(limited.headers["retry-after"]) <= 30
    assert limited.json()["error"]["code"] == "rate_limit_exceeded"
    assert chat(keyed, KEYS[1]).status_code == 200
    with pytest.raises(openai.RateLimitError):
        client.models.list()

    answers += [ok.text, limited.text]
    logged = "\n".join(keyed.records.lines)
    assert "POST /v1/chat/completions" in logged and "401" in logged  # the access log was captured
    for secret in [*KEYS, WRONG, KEYS[0][:-1]]:
        assert secret not in logged
        assert not any(secret in a for a in answers)


def test_wrong_keys_from_one_address_are_slowed_down():
    access = APIAccess(KEYS, rate_per_min=60, clock=lambda: 100.0)
    from fastapi.security import HTTPAuthorizationCredentials

    from ui.api_errors import APIError

    def attempt(key: str) -> int:
        try:
            access.check(HTTPAuthorizationCredentials(scheme="Bearer", credentials=key), "10.0.0.1")
        except APIError as e:
            return e.status
        return 200

    assert [attempt(WRONG) for _ in range(10)] == [401] * 10
    assert attempt(WRONG) == 429 and attempt(KEYS[0]) == 429  # locked out, even with the right key
    assert attempt(KEYS[0]) == 429


def test_token_bucket_refills_at_its_rate():
    now = [0.0]
    b = TokenBuckets(rate_per_min=6, clock=lambda: now[0])  # one every 10 s, six saved up
    assert all(b.take("k") is None for _ in range(6))
    assert b.take("k") == pytest.approx(10.0)
    now[0] = 5.0
    assert b.take("k") == pytest.approx(5.0)
    now[0] = 10.0
    assert b.take("k") is None and b.take("other") is None


def test_the_keys_are_a_secret_of_the_settings(monkeypatch):
    monkeypatch.setenv("MODROUTE_API_KEYS", ",".join(KEYS))
    s = Settings()
    assert all(k not in repr(s) and k not in str(s.model_dump()) for k in KEYS)
    access = APIAccess.from_settings(s)
    assert access.enabled and all(k not in repr(access) for k in KEYS)
    assert not APIAccess.from_settings(Settings(api_keys="")).enabled  # off by default
