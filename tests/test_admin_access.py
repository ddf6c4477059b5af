"""Admin access is checked on the server for every call: each admin Gradio handler (found in the
Blocks, public or private) and each /admin HTTP route refuses callers without, or with a wrong,
token; without configuration the admin area is disabled, not open.

Handlers are enumerated from the live app, so a handler added later is covered automatically.
"""

from __future__ import annotations

import json
import logging
import uuid

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from admin.auth import AdminAuth, AdminDenied, is_admin_handler
from tests.conftest import ADMIN_TOKEN

WRONG = {"Authorization": "Bearer not-the-admin-token"}
RIGHT = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


# -- helpers --------------------------------------------------------------------------------------
def gradio_call(base: str, fn_index: int, data: list, session: str | None = None, headers: dict | None = None,
                timeout: float = 120) -> tuple[bool, dict]:
    """Call one Blocks function over Gradio's HTTP queue protocol, as the browser does (any fn_index,
    including those hidden from gradio_client). Returns (success, output)."""
    session = session or uuid.uuid4().hex
    r = httpx.post(f"{base}/gradio_api/queue/join", headers=headers, timeout=timeout,
                   json={"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
                         "trigger_id": None})
    r.raise_for_status()
    with httpx.stream("GET", f"{base}/gradio_api/queue/data", params={"session_hash": session}, headers=headers,
                      timeout=timeout) as s:
        for line in s.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return bool(msg.get("success")), msg.get("output") or {}
    raise AssertionError("the event stream ended without a result")


def admin_fns(app) -> list[tuple[int, object]]:
    return [(i, fn) for i, fn in app.state.blocks.fns.items() if is_admin_handler(fn.fn)]


def descendants(block) -> set[int]:
    out = set()
    for child in getattr(block, "children", []) or []:
        out.add(child._id)
        out |= descendants(child)
    return out


def inputs_for(fn) -> list:
    return [None] * len(fn.inputs)


# -- the Gradio side ------------------------------------------------------------------------------
def test_every_handler_that_touches_the_admin_tab_is_guarded(live_server):
    blocks = live_server.app.state.blocks
    console = blocks.modroute["admin"]
    inside = descendants(blocks.modroute["admin_tab"])
    assert inside, "the admin tab has no components"
    unguarded = [fn.name for fn in blocks.fns.values()
                 if any(o._id in inside for o in fn.outputs) and not is_admin_handler(fn.fn)]
    assert unguarded == [], f"handlers writing into the admin tab without the admin guard: {unguarded}"
    wired = {fn.fn.__modroute_admin__ for _, fn in admin_fns(live_server.app)}
    assert wired == set(console.guard.handlers), "every registered admin handler is wired to an event, and only those"
    assert len(admin_fns(live_server.app)) >= 4  # three buttons + the status refresh after sign-in


def test_each_admin_handler_refuses_callers_without_login_or_with_a_wrong_token(live_server):
    base = live_server.url
    for fn_index, fn in admin_fns(live_server.app):
        name = fn.fn.__modroute_admin__
        ok, out = gradio_call(base, fn_index, inputs_for(fn))
        assert not ok and "Admin access required" in out.get("error", ""), (name, out)
        ok, out = gradio_call(base, fn_index, inputs_for(fn), headers=WRONG)
        assert not ok and "token is wrong" in out.get("error", ""), (name, out)
        # Positive control: the same call with the right token succeeds, so the refusals above are the guard's.
        ok, out = gradio_call(base, fn_index, inputs_for(fn), headers=RIGHT)
        assert ok, (name, out)


def test_public_admin_endpoints_refuse_gradio_client_without_the_token(live_server):
    anonymous = Client(live_server.url, verbose=False)
    wrong = Client(live_server.url, verbose=False, headers=WRONG)
    right = Client(live_server.url, verbose=False, headers=RIGHT)
    try:
        check_public_admin_endpoints(live_server, anonymous, wrong, right)
    finally:
        for c in (anonymous, wrong, right):
            c.close()


def check_public_admin_endpoints(live_server, anonymous, wrong, right):
    endpoints = anonymous.view_api(return_format="dict", print_info=False)["named_endpoints"]
    public_admin = sorted(name for name in endpoints if name.lstrip("/").startswith("admin_"))
    registered = {f"/{fn.api_name}" for _, fn in admin_fns(live_server.app) if fn.api_visibility == "public"}
    assert public_admin == sorted(registered) and public_admin
    for name in public_admin:
        args = [None] * len(endpoints[name]["parameters"])
        with pytest.raises(AppError, match="Admin access required"):
            anonymous.predict(*args, api_name=name)
        with pytest.raises(AppError, match="token is wrong"):
            wrong.predict(*args, api_name=name)
        assert right.predict(*args, api_name=name) is not None
    status = right.predict(api_name="/admin_status")
    assert "SmolLM2" in status[0] and "alpha" in json.dumps(status[2])


def test_sign_in_keeps_the_token_in_the_server_session_only(live_server):
    base, app = live_server.url, live_server.app
    fns = app.state.blocks.fns
    sign_in = next(i for i, fn in fns.items() if fn.name == "sign_in")
    status = next(i for i, fn in admin_fns(app) if fn.api_name == "admin_status")
    session = uuid.uuid4().hex
    ok, out = gradio_call(base, sign_in, ["not it"], session=session)
    assert not ok and out["error"] == "Wrong admin token."
    ok, _ = gradio_call(base, status, [None], session=session)
    assert not ok
    ok, out = gradio_call(base, sign_in, [ADMIN_TOKEN], session=session)
    assert ok and out["data"][1]["visible"] is True
    assert ADMIN_TOKEN not in json.dumps(out)  # the session state is never sent back to the browser
    ok, out = gradio_call(base, status, [None], session=session)
    assert ok and "Serving status" in out["data"][0]
    ok, _ = gradio_call(base, status, [None], session=uuid.uuid4().hex)  # another browser: still refused
    assert not ok


# -- the HTTP side --------------------------------------------------------------------------------
def admin_routes(app) -> list:
    """The admin router's routes; and no /admin path is served by anything else (checked via OpenAPI)."""
    routes = list(app.state.admin_router.routes)
    served = {p for p in app.openapi()["paths"] if p.startswith("/admin")}
    assert served == {r.path for r in routes}, f"/admin routes outside the guarded router: {served}"
    return routes


def test_each_admin_http_route_refuses_without_or_with_a_wrong_token(live_server):
    app = live_server.app
    routes = admin_routes(app)
    assert {r.path for r in routes} >= {"/admin/status", "/admin/beta/report"}
    guard = app.state.admin_router.require_admin
    for route in routes:
        assert any(d.call is guard for d in route.dependant.dependencies), route.path
        for method in route.methods - {"HEAD"}:
            url = live_server.url + route.path
            r = httpx.request(method, url)
            assert r.status_code == 401 and r.json()["error"]["code"] == "admin_required", (route.path, r.text)
            assert r.headers.get("www-authenticate") == "Bearer"
            r = httpx.request(method, url, headers=WRONG)
            assert r.status_code == 403 and "wrong" in r.json()["error"]["message"], (route.path, r.text)
            r = httpx.request(method, url, headers={"Authorization": f"Basic {ADMIN_TOKEN}"})
            assert r.status_code == 401
            r = httpx.request(method, url, headers=RIGHT)
            assert r.status_code == 200, (route.path, r.text)
    status = httpx.get(live_server.url + "/admin/status", headers=RIGHT).json()
    assert status["model"].startswith("SmolLM2") and status["router_version"]
    mods = {m["name"]: m for m in status["modifiers"]}
    assert set(mods) == {"alpha", "beta"} and all(len(m["sha256"]) == 64 and m["size"] > 0 for m in mods.values())
    assert status["queue_length"] == 0 and status["uptime_s"] > 0


def test_without_configuration_admin_is_disabled_not_open(serving):
    from ui.server import ServerThread, build_app

    settings = serving.settings.model_copy(update={"admin_token": "", "admin_users": "someone"})
    app = build_app(serving.services, serving.sink, settings)  # a second app on the same services
    with ServerThread(app) as server:
        for headers in (None, WRONG, RIGHT):
            r = httpx.get(server.url + "/admin/status", headers=headers)
            assert r.status_code == 403 and r.json()["error"]["code"] == "admin_disabled", r.text
            for fn_index, fn in admin_fns(app):
                ok, out = gradio_call(server.url, fn_index, inputs_for(fn), headers=headers)
                assert not ok and "disabled" in out["error"], out
        config = httpx.get(server.url + "/config").json()
        ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
        assert "admin-token" not in ids  # no sign-in box to guess at


def test_admin_auth_rules():
    assert not AdminAuth().enabled
    with pytest.raises(AdminDenied) as e:
        AdminAuth().authenticate(headers=RIGHT)
    assert e.value.status == 403 and "disabled" in e.value.message
    auth = AdminAuth(token=ADMIN_TOKEN)
    assert auth.authenticate(headers=RIGHT).via == "token"
    assert auth.authenticate(session_token=ADMIN_TOKEN).name == "token-admin"
    for creds in ({"headers": WRONG}, {"session_token": "nope"}, {}, {"headers": {"Authorization": "Bearer "}}):
        with pytest.raises(AdminDenied):
            auth.authenticate(**creds)
    assert ADMIN_TOKEN not in repr(auth)
    # OAuth allowlists are honoured only on a Space (elsewhere Gradio mocks OAuth with the local Hub login).
    local = AdminAuth(users=["Alice"], on_space=False)
    assert not local.enabled
    with pytest.raises(AdminDenied):
        local.authenticate(oauth_username="alice")
    space = AdminAuth(users=["Alice", " bob "], on_space=True)
    assert space.authenticate(oauth_username="alice").via == "oauth"
    assert space.authenticate(oauth_username="BOB").name == "BOB"
    with pytest.raises(AdminDenied, match="not an admin"):
        space.authenticate(oauth_username="mallory")


def test_oauth_session_is_read_from_the_request_and_expires():
    import time

    import gradio as gr
    from starlette.requests import Request

    def request(info):
        scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"",
                 "session": {"oauth_info": info} if info is not None else {}}
        return gr.Request(Request(scope))

    space = AdminAuth(users=["alice"], on_space=True)
    fresh = {"userinfo": {"preferred_username": "alice"}, "expires_at": time.time() + 3600}
    assert space.from_gradio(request(fresh), None).name == "alice"
    expired = {**fresh, "expires_at": time.time() - 1}
    with pytest.raises(AdminDenied):
        space.from_gradio(request(expired), None)
    with pytest.raises(AdminDenied):
        space.from_gradio(request({"userinfo": {"preferred_username": "mallory"}}), None)


def test_the_token_never_reaches_the_logs(live_server, caplog):
    caplog.set_level(logging.DEBUG)
    httpx.get(live_server.url + "/admin/status", headers={"Authorization": "Bearer guess-" + ADMIN_TOKEN})
    httpx.get(live_server.url + "/admin/status", headers=RIGHT)
    sign_in = next(i for i, fn in live_server.app.state.blocks.fns.items() if fn.name == "sign_in")
    gradio_call(live_server.url, sign_in, [ADMIN_TOKEN + "x"])
    assert "admin access refused" in caplog.text.lower() or "sign-in refused" in caplog.text.lower()
    assert ADMIN_TOKEN not in caplog.text
