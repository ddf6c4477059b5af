"""The admin console's pipeline side (issue 11 s.2 and s.5): audit trail, rate-limited sign-in, the Space's
front matter, and (acceptance) a real pipeline phase launched, watched and cancelled from the admin tab.

Non-admins being refused by every handler here is ``tests/test_admin_access.py``'s registry test (it
enumerates every guarded handler, these included).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import yaml

from admin.audit import AuditTrail, audit, audit_rows, recent, scrub
from admin.auth import AdminAuth, AdminDenied, AdminGuard, AttemptLimiter, Principal
from tests.conftest import ADMIN_TOKEN

ROOT = Path(__file__).resolve().parent.parent
FAKE_HF_TOKEN = "hf_FAKEfakeFAKE0123456789abcdefSECRET"
RIGHT = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WRONG = {"Authorization": "Bearer not-the-admin-token"}


@pytest.fixture
def store(tmp_path):
    from telemetry.store import TelemetryStore, sqlite_url_for

    with TelemetryStore(sqlite_url_for(tmp_path)) as s:
        s.migrate()
        yield s


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


# -- the audit trail --------------------------------------------------------------------------------------
def test_audit_rows_are_written_newest_first_and_never_hold_secrets(store, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", FAKE_HF_TOKEN)
    monkeypatch.setenv("MODROUTE_ADMIN_TOKEN", ADMIN_TOKEN)
    first = audit(store, "alice", "admin_pipeline_launch", target="job-1", client="10.0.0.1",
                  detail={"phase": "base", "hf_token": FAKE_HF_TOKEN, "note": f"used {FAKE_HF_TOKEN} and {ADMIN_TOKEN}",
                          "args": ["Bearer abc.def", "hf_abcdefghijklmnop"], "api_key": "k"})
    second = audit(store, "anonymous", "GET /admin/status", outcome="refused", detail={"reason": "no token"})
    rows = recent(store)
    assert [r["id"] for r in rows] == [second, first]
    assert rows[1]["actor"] == "alice" and rows[1]["target"] == "job-1" and rows[1]["client"] == "10.0.0.1"
    dumped = repr(rows) + repr(audit_rows(rows))
    for secret in (FAKE_HF_TOKEN, ADMIN_TOKEN, "abc.def", "hf_abcdefghijklmnop"):
        assert secret not in dumped
    assert rows[1]["detail"]["phase"] == "base" and rows[1]["detail"]["hf_token"] == "[redacted]"
    with pytest.raises(ValueError, match="outcome"):
        audit(store, "alice", "x", outcome="maybe")
    assert audit(None, "alice", "x") is None  # telemetry off: logged only
    assert scrub({"nested": {"password": "p", "ok": 1}}) == {"nested": {"password": "[redacted]", "ok": 1}}


def test_the_audit_hook_never_breaks_the_action_when_the_database_is_gone(caplog):
    from sqlalchemy.exc import OperationalError

    class Down:
        @property
        def engine(self):
            raise OperationalError("connect", {}, Exception(f"server closed the connection ({FAKE_HF_TOKEN})"))

    AuditTrail(Down())("alice", "admin_status", outcome="ok")  # no exception
    assert "not written" in caplog.text and FAKE_HF_TOKEN not in caplog.text


def test_the_guard_audits_every_call_with_its_outcome_and_target():
    entries = []
    auth = AdminAuth(ADMIN_TOKEN)
    auth.audit_hook = lambda actor, action, **kw: entries.append({"actor": actor, "action": action, **kw})
    guard = AdminGuard(auth)

    @guard.handler("admin_launch_thing")
    def launch(principal: Principal, what: str | None):
        if what == "bad":
            raise RuntimeError("it broke")
        principal.note(target="job-7", phase=what)
        return "ok"

    @guard.handler("admin_watch_thing")
    def watch(principal: Principal):
        yield "a"
        yield "b"

    assert launch(ADMIN_TOKEN, "base") == "ok"
    with pytest.raises(RuntimeError):
        launch(ADMIN_TOKEN, "bad")
    with pytest.raises(Exception, match="Admin access required"):
        launch(None, "base")
    with pytest.raises(Exception, match="sign in again"):
        launch("wrong", "base")
    assert list(watch(ADMIN_TOKEN)) == ["a", "b"]
    summary = [(e["actor"], e["action"], e["outcome"], e["target"]) for e in entries]
    assert summary == [("token-admin", "admin_launch_thing", "ok", "job-7"),
                       ("token-admin", "admin_launch_thing", "failed", None),
                       ("anonymous", "admin_launch_thing", "refused", None),
                       ("unknown", "admin_launch_thing", "refused", None),
                       ("token-admin", "admin_watch_thing", "ok", None)]
    assert entries[0]["detail"] == {"phase": "base"} and entries[1]["detail"]["error"] == "it broke"


# -- rate limiting --------------------------------------------------------------------------------------
def test_the_limiter_locks_a_client_after_five_failures_in_five_minutes():
    clock = Clock()
    lim = AttemptLimiter(clock=clock)
    for _ in range(4):
        lim.failed("1.2.3.4")
        clock.t += 10
    assert lim.retry_after("1.2.3.4") is None
    lim.failed("1.2.3.4")
    assert lim.retry_after("1.2.3.4") == 300 - 40  # until the oldest failure leaves the window
    assert lim.retry_after("5.6.7.8") is None  # per client
    clock.t += 261
    assert lim.retry_after("1.2.3.4") is None  # one more try is allowed again
    lim.succeeded("1.2.3.4")
    for _ in range(4):
        lim.failed("1.2.3.4")
    assert lim.retry_after("1.2.3.4") is None  # a right token reset the count
    small = AttemptLimiter(clock=clock, max_clients=3)
    for i in range(10):
        small.failed(f"c{i}")
    assert len(small._failures) <= 3  # bounded memory under address spraying


def test_wrong_tokens_lock_out_even_the_right_one_with_a_retry_time():
    clock = Clock()
    auth = AdminAuth(ADMIN_TOKEN, limiter=AttemptLimiter(clock=clock))
    entries = []
    auth.audit_hook = lambda actor, action, **kw: entries.append((actor, action, kw["outcome"], kw["client"]))
    for _ in range(5):
        with pytest.raises(AdminDenied, match="wrong"):
            auth.authenticate(headers=WRONG, client="9.9.9.9")
    with pytest.raises(AdminDenied) as e:
        auth.authenticate(headers=RIGHT, client="9.9.9.9")
    assert e.value.status == 429 and re.fullmatch(r"Too many attempts; try again in 300 s\.", e.value.message)
    with pytest.raises(AdminDenied, match="Too many attempts"):
        auth.sign_in(ADMIN_TOKEN, "9.9.9.9")
    assert auth.authenticate(headers=RIGHT, client="8.8.8.8").name == "token-admin"  # others unaffected
    clock.t += 301
    assert auth.sign_in(ADMIN_TOKEN, "9.9.9.9").name == "token-admin"
    assert entries == [("unknown", "sign_in", "refused", "9.9.9.9"), ("token-admin", "sign_in", "ok", "9.9.9.9")]


def test_rate_limiting_over_http_gradio_and_the_sign_in_box(serving, caplog):
    """A fresh app (its own limiter): wrong Bearer tokens on /admin/*, then the sign-in box and a guarded
    Gradio call from the same client are refused with the time to wait, also with the right token."""
    from tests.test_admin_access import admin_fns, gradio_call
    from ui.server import ServerThread, build_app

    app = build_app(serving.services, serving.sink, serving.settings)
    with ServerThread(app) as server:
        for _ in range(3):
            assert httpx.get(server.url + "/admin/status", headers=WRONG).status_code == 403
        fns = app.state.blocks.fns
        sign_in = next(i for i, fn in fns.items() if fn.name == "sign_in")
        status = next(i for i, fn in admin_fns(app) if fn.api_name == "admin_status")
        ok, out = gradio_call(server.url, status, [None], headers=WRONG)
        assert not ok and "token is wrong" in out["error"]
        ok, out = gradio_call(server.url, sign_in, ["guess"])
        assert not ok and out["error"] == "Wrong admin token."
        r = httpx.get(server.url + "/admin/status", headers=RIGHT)  # 5 failures: locked, even the right token
        assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
        wait = int(r.headers["retry-after"])
        assert 0 < wait <= 300 and f"try again in {wait} s" in r.json()["error"]["message"]
        ok, out = gradio_call(server.url, sign_in, [ADMIN_TOKEN])
        assert not ok and out["error"].startswith("Too many attempts; try again in ")
        ok, out = gradio_call(server.url, status, [None], headers=RIGHT)
        assert not ok and "Too many attempts" in out["error"]
    refused = [e for e in recent(serving.sink.store, 50) if e["outcome"] == "refused"]
    assert {"sign_in", "admin_status", "GET /admin/status"} <= {e["action"] for e in refused}
    assert ADMIN_TOKEN not in caplog.text


# -- the Space ------------------------------------------------------------------------------------------
def test_readme_front_matter_declares_a_gradio_space_matching_the_pins():
    text = (ROOT / "README.md").read_text()
    assert text.startswith("---\n")
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    req = (ROOT / "requirements.txt").read_text()
    pinned = re.search(r"^gradio\[oauth\]==([\d.]+)", req, re.M)
    assert pinned, "gradio[oauth] is pinned (OAuth sign-in on a Space needs authlib + itsdangerous)"
    assert meta["sdk"] == "gradio" and str(meta["sdk_version"]) == pinned.group(1)
    assert meta["app_file"] == "app.py" and (ROOT / meta["app_file"]).is_file()
    assert meta["hf_oauth"] is True and str(meta["python_version"]).startswith("3.")
    assert len(meta["short_description"]) <= 60 and meta["title"]
    assert "## Deploy as a Space" in text
    for name in ("HF_TOKEN", "MODROUTE_ADMIN_USERS", "MODROUTE_ADMIN_TOKEN", "MODROUTE_DATA_DIR",
                 "MODROUTE_DATABASE_URL"):
        assert name in text.split("## Deploy as a Space", 1)[1].split("\n## ", 1)[0], name


def test_on_a_space_the_app_listens_where_the_proxy_expects_it(monkeypatch):
    from runtime.settings import Settings
    from ui.server import listen_address

    for k in ("SYSTEM", "GRADIO_SERVER_NAME", "GRADIO_SERVER_PORT", "MODROUTE_HOST", "MODROUTE_PORT"):
        monkeypatch.delenv(k, raising=False)
    assert listen_address(Settings()) == ("127.0.0.1", 7860)
    monkeypatch.setenv("SYSTEM", "spaces")
    assert listen_address(Settings()) == ("0.0.0.0", 7860)
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7861")
    assert listen_address(Settings()) == ("0.0.0.0", 7861)
    assert listen_address(Settings(host="127.0.0.1", port=9000)) == ("127.0.0.1", 9000)  # explicit wins
