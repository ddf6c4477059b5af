"""The admin console's pipeline side (issue 11 s.2 and s.5): audit trail, rate-limited sign-in, the Space's
front matter, and (acceptance) a real pipeline phase launched, watched and cancelled from the admin tab.

Non-admins being refused by every handler here is ``tests/test_admin_access.py``'s registry test (it
enumerates every guarded handler, these included).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
from pathlib import Path

import httpx
import pytest
import yaml

from admin.audit import AuditTrail, audit, audit_rows, recent, scrub
from admin.auth import AdminAuth, AdminDenied, AdminGuard, Principal
from admin.ratelimit import AttemptLimiter
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
        assert httpx.get(server.url + "/admin/status", headers=RIGHT).status_code == 200
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
    entries = recent(serving.sink.store, 50)
    refused = [e for e in entries if e["outcome"] == "refused"]
    assert {"sign_in", "admin_status", "GET /admin/status"} <= {e["action"] for e in refused}
    assert any(e["action"] == "GET /admin/status" and e["outcome"] == "ok" and e["actor"] == "token-admin"
               and e["client"] == "127.0.0.1" for e in entries)
    assert any("Too many attempts" in (e["detail"] or {}).get("reason", "") for e in refused)
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


# -- the generated form ----------------------------------------------------------------------------------
def test_the_form_comes_from_the_phase_dataclasses_and_sends_only_what_changed():
    import typing

    from admin.pipeline_form import field_kind, form_fields, overrides, preset_values, shown

    fields = form_fields()
    by = {(f.phase, f.name): f for f in fields}
    kinds = {k: by[k].kind for k in [("train_lora", "rank"), ("train_lora", "lr"), ("train_lora", "targets"),
                                     ("curate", "pii_filter"), ("", "domains"), ("", "seed"), ("publish", "dest")]}
    assert kinds == {("train_lora", "rank"): "int", ("train_lora", "lr"): "float", ("train_lora", "targets"): "yaml",
                     ("curate", "pii_filter"): "bool", ("", "domains"): "yaml", ("", "seed"): "int",
                     ("publish", "dest"): "str"}
    assert by[("evaluate", "gate_min_score")].optional and ("", "workdir") not in by  # workdir: its own box
    assert field_kind(typing.Literal["q8_0", "q4_0"]) == ("choice", False, ["q8_0", "q4_0"])
    assert field_kind(int | None) == ("int", True, None)
    base = preset_values("tiny")
    values = [shown(f, base[f.phase][f.name]) for f in fields]  # what the form shows for the preset
    assert overrides(fields, "train_lora", "tiny", values) == {}
    values[fields.index(by[("train_lora", "rank")])] = 16
    values[fields.index(by[("train_lora", "targets")])] = "[q_proj, v_proj]"
    values[fields.index(by[("curate", "max_tokens")])] = 1  # another phase's field: not sent
    values[fields.index(by[("", "seed")])] = 7
    assert overrides(fields, "train_lora", "tiny", values) == {"rank": 16, "targets": ["q_proj", "v_proj"], "seed": 7}
    values[fields.index(by[("train_lora", "rank")])] = 1.5
    with pytest.raises(ValueError, match=r"train_lora\.rank: expected a whole number"):
        overrides(fields, "train_lora", "tiny", values)
    values[fields.index(by[("train_lora", "rank")])] = 16
    values[fields.index(by[("", "domains")])] = "{code: [unclosed"
    with pytest.raises(ValueError, match=r"shared\.domains: not valid YAML"):
        overrides(fields, "train_lora", "tiny", values)


# -- acceptance: a real phase launched, watched and cancelled from the admin tab, surviving a restart ------
@pytest.fixture(scope="module")
def console_settings(tmp_path_factory, adapter_dir, base_path):
    from runtime.settings import Settings
    from telemetry.store import sqlite_url_for
    from tests.conftest import alpha_beta_manifest

    data = tmp_path_factory.mktemp("console")
    return Settings(data_dir=data, n_threads=2, n_ctx=1024, database_url=sqlite_url_for(data),
                    admin_token=ADMIN_TOKEN, hf_token=FAKE_HF_TOKEN, max_tokens=8,
                    manifest=str(alpha_beta_manifest(adapter_dir, base_path, "console-manifest.json")))


@contextlib.contextmanager
def console(settings):
    """One app lifetime: services + telemetry + runners (resumed from the job table), served on loopback."""
    from gradio_client import Client

    from ui.server import ServerThread, build_app, open_serving

    with open_serving(settings, learning=False) as serving:
        app = build_app(serving.services, serving.sink, settings)
        with ServerThread(app) as server:
            client = Client(server.url, headers=RIGHT, verbose=False)
            try:
                yield server, serving, client, app
            finally:
                client.close()


def launch(client, **given):
    """Call "Launch" like the browser: the generated form's fields keep the values it shows (the preset's);
    optional fields showing no value are sent as None."""
    params = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/admin_pipeline_launch"]
    kwargs = {p["parameter_name"]: p["parameter_default"] if p["parameter_has_default"] else None
              for p in params["parameters"]}
    return client.predict(**{**kwargs, **given}, api_name="/admin_pipeline_launch")


def run_to_end(client, job_id: str, seen: list, until=None) -> list:
    """Follow "Watch" (a generator endpoint) like the browser does; ``until(outputs)`` may act mid-run."""
    job = client.submit(job_id, api_name="/admin_pipeline_watch")
    acted = False
    deadline = time.monotonic() + 900
    while not job.done():
        outs = job.outputs()
        if until is not None and not acted and outs and until(outs):
            acted = True
        assert time.monotonic() < deadline, "the watch never ended"
        time.sleep(0.2)
    outs = job.outputs()
    seen.extend(outs)
    return outs


def test_acceptance_a_real_phase_from_the_admin_tab_progress_logs_cancel_restart(console_settings, caplog,
                                                                                  monkeypatch):
    caplog.set_level(logging.INFO)
    monkeypatch.setenv("HF_TOKEN", FAKE_HF_TOKEN)
    seen: list = []  # every output any handler returned, for the secret grep at the end
    with console(console_settings) as (server, serving, client, app):
        # Only known phases, paths inside the work root, values the phase's dataclass accepts: clear refusals.
        from gradio_client.exceptions import AppError

        params = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/admin_pipeline_launch"]
        domains = next(p["parameter_name"] for p in params["parameters"] if p["label"].startswith("domains (yaml)"))
        for given, expected in (({"phase": "nope"}, "nope"),
                                ({"phase": "base", "workdir": "../../etc"}, "outside the pipeline work root"),
                                ({"phase": "base", domains: "{code: [unclosed"}, "shared.domains: not valid YAML"),
                                ({"phase": "base", domains: "{code: {scorer: x, colour: red}}"}, "unknown keys")):
            try:
                out = launch(client, **given)
            except AppError as e:
                assert expected in str(e), (given, str(e))
                seen.append(str(e))
            else:
                pytest.fail(f"{given} launched: {out}")
        # Launch the real `base` phase (GGUF -> dense safetensors) with the tiny preset into its own work dir.
        msg, picked, rows = launch(client, phase="base", workdir="accept")
        seen += [msg, picked, rows]
        job_id = re.search(r"as job `(\w+)`", msg).group(1)
        assert picked["value"] == job_id and "estimated" in msg  # the job picker now shows it
        assert [r for r in rows["data"] if r[0] == job_id][0][4] == "running"
        outs = run_to_end(client, job_id, seen)
        running = [o for o in outs if "running" in o[1]]
        assert running, "the watch showed the job while it ran"
        assert all("<progress" in o[0] and re.search(r"\d+%", o[0]) for o in outs)
        last_html, last_status, last_log, table = outs[-1]
        assert "succeeded" in last_status and ">100%<" in last_html.replace("<b>", ">").replace("</b>", "<")
        assert "python -m pipeline run base" in last_log and "base: done" in last_log, last_log
        work = Path(console_settings.data_dir) / "pipeline" / "accept"
        assert (work / "base" / "DONE.json").is_file() and (work / "base" / "model" / "model.safetensors").is_file()
        assert [r for r in table["data"] if r[0] == job_id][0][4:6] == ["succeeded", "100%"]
        report = client.predict(job_id, api_name="/admin_pipeline_report")
        seen.append(report)
        assert report.startswith("# Pipeline report") and "| base |" in report

        # A second run, cancelled while it works: the whole process group goes.
        msg, picked, _ = launch(client, phase="base", workdir="cancelme")
        seen.append(msg)
        cancel_id = picked["value"]
        pid = serving.services.pipeline.book.get(cancel_id)["outputs"]["pid"]
        said = []

        def cancel_when_running(outs):
            if "running" not in outs[-1][1] or "pipeline run base" not in outs[-1][2]:
                return False
            said.append(client.predict(cancel_id, api_name="/admin_pipeline_cancel"))
            return True

        outs = run_to_end(client, cancel_id, seen, until=cancel_when_running)
        seen += said
        assert said and "is cancelled" in said[0][0], said
        assert "cancelled" in outs[-1][1] and "cancelled by" in outs[-1][1]
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)
        assert not (Path(console_settings.data_dir) / "pipeline" / "cancelme" / "base" / "DONE.json").exists()

        # The audit table has both launches and the cancel, with who and on what.
        note, audit_table = client.predict(200, api_name="/admin_audit")
        seen += [note, audit_table]
        entries = [(r[1], r[2], r[3], r[4]) for r in audit_table["data"]]
        assert ("token-admin", "admin_pipeline_launch", job_id, "ok") in entries
        assert ("token-admin", "admin_pipeline_launch", cancel_id, "ok") in entries
        assert ("token-admin", "admin_pipeline_cancel", cancel_id, "ok") in entries
        page = httpx.get(server.url + "/config").text + httpx.get(server.url + "/").text

    # Restart: a second app on the same data dir and database still lists both jobs, as they ended.
    with console(console_settings) as (server, serving, client, app):
        rows, choices = client.predict(api_name="/admin_pipeline_jobs")
        seen += [rows, choices]
        status = {r[0]: r[4] for r in rows["data"]}
        assert status[job_id] == "succeeded" and status[cancel_id] == "cancelled", status
        assert client.predict(job_id, api_name="/admin_pipeline_report").startswith("# Pipeline report")
        book_rows = serving.services.pipeline.book.list()
        audit_rows_ = recent(serving.sink.store, 500)
        page += httpx.get(server.url + "/config").text

    # HF_TOKEN (a recognisable fake, in the settings and the environment) appears nowhere.
    logs = "".join(p.read_text(errors="replace") for p in
                   (Path(console_settings.data_dir) / "pipeline" / "jobs").rglob("*.txt"))
    for where, text in {"logs": caplog.text, "job logs": logs, "job table": repr(book_rows),
                        "audit table": repr(audit_rows_), "handler outputs": json.dumps(seen, default=str),
                        "page": page}.items():
        assert FAKE_HF_TOKEN not in text, where
    assert "admin_pipeline_launch" in caplog.text  # the grep looked at real log output


# -- Publish and the Hub section, against a local stand-in for the Hub ----------------------------------------
def test_publish_button_and_hub_section_against_a_fake_hub(console_settings, tmp_path, adapter_dir, base_path,
                                                          monkeypatch, caplog):
    """A finished run is published from the Pipeline section (one commit, tagged), the Hub section checks the
    repo, lists its revisions and loads one; Hub failures (401 on the commit, a revision that does not exist)
    come back as clear messages and are audited as failed. The token is sent to the Hub and shown nowhere."""
    import huggingface_hub.constants as C

    from admin.tab import AdminConsole
    from tests.hubfake import FakeModelHub
    from tests.test_publish import make_run
    from ui.server import open_serving

    caplog.set_level(logging.INFO)
    monkeypatch.setattr(C, "HF_HUB_OFFLINE", False)
    run = make_run(tmp_path, adapter_dir, base_path, version="2026-12-03-tab")
    outputs: list = []
    with FakeModelHub(token=FAKE_HF_TOKEN) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        settings = console_settings.model_copy(update={"hub_repo": "acme/served", "hub_timeout": 5})
        with open_serving(settings, learning=False) as serving:
            console = AdminConsole(serving.services, serving.sink, AdminAuth(ADMIN_TOKEN), settings.beta_tasks)
            call = console.guard.handlers
            book = serving.services.pipeline.book
            job = book.create(phase="all", runner="local", status="succeeded", config={"document": {}},
                              outputs={"workdir": str(run)}, created_by="token-admin")
            running = book.create(phase="base", runner="local", status="failed", config={"document": {}},
                                  outputs={"workdir": str(run)})

            assert "### Hub: `acme/served`" in call["admin_hub_state"](ADMIN_TOKEN)[0]
            hub.fail("POST", r"/api/models/acme/served/commit/", 401, message="Invalid credentials")
            said = call["admin_pipeline_publish"](ADMIN_TOKEN, job, "acme/served", "v1", True)
            outputs.append(said)
            assert said.startswith("❌ Not published") and "401" in said and "acme/served" in said, said
            said = call["admin_pipeline_publish"](ADMIN_TOKEN, running, "acme/served", "v1", True)
            assert "only a succeeded run" in said
            said = call["admin_pipeline_publish"](ADMIN_TOKEN, job, "acme/served", "v1", True)
            outputs.append(said)
            assert said.startswith("✅ Published") and "tagged `v1`" in said, said
            repo = hub.repos["acme/served"]
            assert repo.tags["v1"] == repo.branches["main"] and "README.md" in repo.commits[repo.tags["v1"]].files
            assert book.get(job)["outputs"]["published"]["tag"] == "v1"

            checked = call["admin_hub_check"](ADMIN_TOKEN)
            outputs.append(checked)
            assert checked[0].startswith("✅"), checked[0]
            choices, note = call["admin_hub_revisions"](ADMIN_TOKEN)
            outputs.append([choices, note])
            assert "v1" in [c[1] for c in choices["choices"]] and "revision(s)" in note
            loaded = call["admin_hub_load"](ADMIN_TOKEN, "v1")
            outputs.append(loaded)
            assert loaded[0].startswith("✅") and "acme/served" in loaded[1], loaded
            missing = call["admin_hub_load"](ADMIN_TOKEN, "no-such-tag")
            outputs.append(missing)
            assert missing[0].startswith("❌ Checking acme/served failed: revision 'no-such-tag' does not exist"), missing
            assert missing[0].count("does not exist") == 1
            assert any(r.authorization == f"Bearer {FAKE_HF_TOKEN}" for r in hub.requests)  # used, as a header

            entries = {(e["action"], e["outcome"], e["target"]) for e in recent(serving.sink.store, 100)}
            assert ("admin_pipeline_publish", "failed", "acme/served") in entries
            assert ("admin_pipeline_publish", "ok", "acme/served") in entries
            assert ("admin_hub_load", "ok", "acme/served@v1") in entries
            assert ("admin_hub_load", "failed", "acme/served@no-such-tag") in entries
            audit_text = repr(recent(serving.sink.store, 500)) + repr(book.list())
    for where, text in {"logs": caplog.text, "outputs": json.dumps(outputs, default=str),
                        "tables": audit_text}.items():
        assert FAKE_HF_TOKEN not in text, where


def test_hf_jobs_from_the_tab_flavors_with_prices_launch_watch_and_clear_errors(console_settings, monkeypatch,
                                                                               caplog):
    """The Pipeline section on the HF Jobs runner, against a local stand-in for the Jobs API: the hardware
    picker lists flavors with their prices and defaults to a GPU for a GPU phase, a launch sends the token as a
    job secret only, the watch follows the remote job to its end, and refusals are sentences."""
    import gradio as gr
    import huggingface_hub.constants as C

    from admin.tab import AdminConsole
    from tests.hubfake import FakeJobsHub
    from ui.server import open_serving

    caplog.set_level(logging.INFO)
    monkeypatch.setattr(C, "HF_HUB_OFFLINE", False)
    monkeypatch.delenv("MODROUTE_CODE_REPO", raising=False)
    outputs: list = []
    with FakeJobsHub(token=FAKE_HF_TOKEN) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        with open_serving(console_settings, learning=False) as serving:
            console = AdminConsole(serving.services, serving.sink, AdminAuth(ADMIN_TOKEN), console_settings.beta_tasks)
            call = console.guard.handlers
            picker, note = call["admin_pipeline_flavors"](ADMIN_TOKEN, "hf_jobs", "maml")
            outputs.append([picker, note])
            assert picker["value"] == "a10g-small" and "default for maml: `a10g-small`" in note
            assert all(re.search(r" — \$\d+\.\d\d/h$", label) for label, _ in picker["choices"]), picker["choices"]
            assert call["admin_pipeline_flavors"](ADMIN_TOKEN, "hf_jobs", "base")[0]["value"] == "cpu-upgrade"

            def launch_remote(**kw):
                args = {"phase": "base", "preset": "tiny", "workdir": "remote", "runner": "hf_jobs",
                        "flavor": "cpu-upgrade", "hub_repo": "alice/runs", "force": False, **kw}
                return call["admin_pipeline_launch"](ADMIN_TOKEN, *args.values())

            with pytest.raises(gr.Error, match="MODROUTE_CODE_REPO"):
                launch_remote()
            monkeypatch.setenv("MODROUTE_CODE_REPO", "https://git.example.org/modroute.git")
            with pytest.raises(gr.Error, match="name the Hub repo"):
                launch_remote(hub_repo="")
            with pytest.raises(gr.Error, match="unknown Jobs flavor 'gpu-9000'; available: "):
                launch_remote(flavor="gpu-9000")
            hub.fail("POST", r"^/api/jobs/alice$", 401)
            with pytest.raises(gr.Error, match=r"Cannot launch base: the Hub refused the token \(401\)"):
                launch_remote()
            msg, picked, rows = launch_remote()
            outputs += [msg, rows]
            job_id = picked["value"]
            row = serving.services.pipeline.book.get(job_id)
            assert row["flavor"] == "cpu-upgrade" and row["cost_estimate_usd"] > 0 and "on hf_jobs" in msg
            (remote,) = hub.posted.values()
            assert remote["flavor"] == "cpu-upgrade" and remote["secrets"] == {"HF_TOKEN": FAKE_HF_TOKEN}
            assert FAKE_HF_TOKEN not in json.dumps(remote.get("environment", {})) + json.dumps(remote["arguments"])
            hub.add_log(row["remote_id"], "== base: done (21.0 s)")
            hub.set_stage(row["remote_id"], "COMPLETED", running_secs=600)
            watched = list(call["admin_pipeline_watch"](ADMIN_TOKEN, job_id))
            outputs += watched
            assert "succeeded" in watched[-1][1] and "base: done" in watched[-1][2]
            assert "cost $" in watched[-1][1]  # the final cost, from the flavor's price and the running time
            book_rows = repr(serving.services.pipeline.book.list())
    for where, text in {"logs": caplog.text, "outputs": json.dumps(outputs, default=str), "job table": book_rows}.items():
        assert FAKE_HF_TOKEN not in text, where
