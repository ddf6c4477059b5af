"""Routing analytics, export and demo data (issue 9 section 4), on SQLite and PostgreSQL.

Every analytics function is empty (and does not fail) on a fresh database, and plausible on demo
traffic written through the real TelemetryWriter: shares sum to 1 per bucket, reliability bins add
up to the labelled answers, both canary arms are present. Exports in CSV, JSONL and Parquet read
back to what the database holds; free text appears only when asked for and only where the user
consented. The admin handlers refuse callers without the admin token.
"""

from __future__ import annotations

import csv
import json
import os
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import gradio as gr
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from admin.analytics import PLOTS, AnalyticsPanel, compute_view
from admin.auth import AdminAuth, AdminGuard, is_admin_handler
from telemetry import analytics as A
from telemetry.demo import DemoRefused, generate_demo
from telemetry.export import TEXT_COLUMNS, export_telemetry
from telemetry.schema import ESCALATION_OUTCOMES, ChatSession, Escalation, Feedback, Interaction, Signal
from telemetry.store import TelemetryStore
from tests.test_telemetry_support import (  # noqa: F401
    backend_fixture,
    db_url_fixture,
    pg_schema_url,
    store_fixture,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TOKEN = "analytics-test-token"
DEMO = {"days": 14, "sessions": 120, "seed": 7, "now": NOW}


@pytest.fixture(scope="module", params=["sqlite", "postgres"], name="demo_store")
def demo_store_fixture(request, tmp_path_factory):
    """One demo database per backend for the whole module (read-only for the tests that use it)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
        store = TelemetryStore(url)
        generate_demo(store, **DEMO)
        yield store
        store.close()
    else:
        with pg_schema_url() as url:
            store = TelemetryStore(url)
            generate_demo(store, **DEMO)
            yield store
            store.close()


def window(w: str):
    return A.window_bounds(w, now=NOW)


def all_rows(store, table) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table.__table__)).mappings()]


# -- empty database ----------------------------------------------------------------------------------
def test_every_analytics_function_is_empty_on_a_fresh_database(store):
    e = store.engine
    for w in ("24h", "7d", "30d", "all"):
        since, until = window(w)
        b = A.bucket_for(w)
        assert A.routing_mix_over_time(e, since=since, until=until, bucket=b) == []
        assert A.modifier_mix_over_time(e, since=since, until=until, bucket=b) == []
        assert A.labelled_interactions(e, since=since, until=until) == []
        assert A.satisfaction_by(e, "mode", since=since, until=until) == []
        assert A.satisfaction_by(e, "domain", since=since, until=until) == []
        assert A.escalation_rate_over_time(e, since=since, until=until, bucket=b) == []
        assert A.escalation_outcomes(e, since=since, until=until, bucket=b) == []
        assert A.escalation_outcome_totals(e, since=since, until=until) == dict.fromkeys(ESCALATION_OUTCOMES, 0)
        assert A.router_transitions(e, since=since, until=until) == []
        rel = A.reliability_diagram(e, since=since, until=until)
        assert rel == {"router_version": None, "n": 0, "ece": None, "bins": [], "points": []}
    assert A.threshold_history(e) == []
    assert A.live_router_version(e) is None
    assert A.current_canary(e) is None
    assert A.canary_comparison(e) == {"canary": None, "control": None, "started_at": None, "share": None, "arms": []}


def test_the_panel_shows_an_empty_state_for_every_plot_on_a_fresh_database(store):
    view = compute_view(store, "7d", now=NOW)
    assert set(view.frames) == set(PLOTS)
    for name in PLOTS:
        assert view.empty(name), name
        assert "appear" in view.texts[name], (name, view.texts[name])  # says what will appear, and when
    assert "python -m telemetry demo" in view.summary


# -- demo data -------------------------------------------------------------------------------------------
def test_routing_mix_shares_sum_to_one_per_bucket(demo_store):
    e = demo_store.engine
    n_total = demo_store.count("interactions")
    for fn in (A.routing_mix_over_time, A.modifier_mix_over_time):
        rows = fn(e, bucket="day")
        assert rows and sum(r["count"] for r in rows) == n_total
        shares: dict[str, float] = defaultdict(float)
        for r in rows:
            shares[r["bucket"]] += r["share"]
        assert all(abs(s - 1) < 1e-9 for s in shares.values()), shares
        assert len({r["bucket"] for r in rows}) >= 10  # spread over the demo's 14 days
    modes = {r["mode"] for r in A.routing_mix_over_time(e)}
    assert modes == {"Fast", "Accurate"}
    assert {r["modifier"] for r in A.modifier_mix_over_time(e)} == {"base", "code", "math", "automation"}
    since, _ = window("24h")
    hourly = A.routing_mix_over_time(e, since=since, bucket=A.bucket_for("24h"))
    assert hourly and all("T" in r["bucket"] for r in hourly)
    assert sum(r["count"] for r in hourly) < n_total


def test_satisfaction_by_mode_and_domain_is_plausible(demo_store):
    e = demo_store.engine
    rows = A.labelled_interactions(e)
    for by in ("mode", "domain"):
        sat = A.satisfaction_by(e, by, rows=rows)
        assert sum(r["interactions"] for r in sat) == len(rows)
        assert sum(r["labelled"] for r in sat) == sum(r["label"] is not None for r in rows)
        for r in sat:
            assert 0 <= r["satisfied"] <= r["labelled"] <= r["interactions"]
            if r["labelled"]:
                assert 0 <= r["satisfaction"] <= 1
            if r["ratings"]:
                assert 1 <= r["mean_rating"] <= 10
    by_mode = {r["mode"]: r for r in A.satisfaction_by(e, "mode", rows=rows)}
    assert set(by_mode) == {"Fast", "Accurate"}
    assert by_mode["Fast"]["escalated"] > 0 and by_mode["Accurate"]["escalated"] == 0  # only Fast answers escalate
    by_domain = {r["domain"]: r for r in A.satisfaction_by(e, "domain", rows=rows)}
    # The demo's router is over-confident in math: users are less often satisfied there.
    assert by_domain["math"]["satisfaction"] < by_domain["general"]["satisfaction"]


def test_reliability_bins_add_up_to_the_labelled_fast_answers_of_the_live_router(demo_store):
    e = demo_store.engine
    rows = A.labelled_interactions(e)
    rel = A.reliability_diagram(e, rows=rows)
    assert rel["router_version"] == A.live_router_version(e) == "demo-v1"
    expected = [r for r in rows if r["router_version"] == "demo-v1" and r["mode"] == "fast" and not r["forced"]
                and r["label"] is not None]
    assert rel["n"] == len(expected) > 20
    assert len(rel["bins"]) == A.ECE_BINS == 15
    assert sum(b["n"] for b in rel["bins"]) == rel["n"] == sum(p["n"] for p in rel["points"])
    assert sum(b["observed"] * b["n"] for b in rel["points"]) == pytest.approx(sum(r["label"] for r in expected))
    for b in rel["points"]:
        assert b["lo"] <= b["mean_confidence"] <= b["hi"] and 0 <= b["observed"] <= 1
    assert 0 < rel["ece"] <= 1
    # an explicit version works too, and the same rows read from the database give the same table
    assert A.reliability_diagram(e, router_version="demo-v1") == rel
    assert A.reliability_diagram(e, router_version="no-such-version")["n"] == 0


def test_threshold_history_and_transitions(demo_store):
    e = demo_store.engine
    hist = A.threshold_history(e)
    assert {r["version"] for r in hist} == {"demo-v0", "demo-v1", "demo-v2"}
    assert [r["at"] for r in hist] == sorted(r["at"] for r in hist)
    math = {r["version"]: r["threshold"] for r in hist if r["domain"] == "math"}
    assert math == {"demo-v0": 0.75, "demo-v1": 0.85, "demo-v2": 0.90}
    assert {r["status"] for r in hist} == {"retired", "active", "canary"}
    assert all(r["domain"] != "global" or r["threshold"] == 0.8 for r in hist)
    moves = A.router_transitions(e)
    assert len(moves) == 7 and moves == sorted(moves, key=lambda m: m["at"], reverse=True)
    assert ("demo-v1", "canary", "active") in {(m["version"], m["from_status"], m["to_status"]) for m in moves}


def test_escalation_rate_and_outcomes_match_the_escalations_table(demo_store):
    e = demo_store.engine
    escalations = all_rows(demo_store, Escalation)
    interactions = {r["id"]: r for r in all_rows(demo_store, Interaction)}
    rate = A.escalation_rate_over_time(e)
    first = [r for r in interactions.values() if not r["escalated"] and not r["cascaded"]]
    assert sum(r["interactions"] for r in rate) == len(first)
    failed = {x["failed_interaction_id"] for x in escalations}
    assert sum(r["escalated"] for r in rate) == sum(r["id"] in failed for r in first) > 0
    assert all(0 <= r["rate"] <= 1 for r in rate)
    outcomes = A.escalation_outcomes(e)
    assert sum(r["count"] for r in outcomes) == len(escalations)
    assert {r["outcome"] for r in outcomes} <= set(ESCALATION_OUTCOMES)
    shares: dict[str, float] = defaultdict(float)
    for r in outcomes:
        shares[r["bucket"]] += r["share"]
    assert all(abs(s - 1) < 1e-9 for s in shares.values())
    totals = A.escalation_outcome_totals(e)
    assert totals == {o: sum(x["outcome"] == o for x in escalations) for o in ESCALATION_OUTCOMES}
    assert totals["resolved"] > 0 and totals["failed"] > 0


def test_canary_comparison_has_both_arms(demo_store):
    e = demo_store.engine
    cmp = A.canary_comparison(e)
    assert cmp["canary"] == "demo-v2" and cmp["control"] == "demo-v1" and cmp["share"] == pytest.approx(0.2)
    arms = {a["arm"]: a for a in cmp["arms"]}
    assert list(arms) == ["control", "canary"]
    assert arms["canary"]["version"] == "demo-v2" and arms["control"]["version"] == "demo-v1"
    interactions = all_rows(demo_store, Interaction)
    for arm, a in arms.items():
        assert a["interactions"] == sum(r["canary_arm"] == arm and r["created_at"] >= cmp["started_at"]
                                        for r in interactions) > 0
        assert 0 <= a["satisfaction"] <= 1 and 0 <= a["escalation_rate"] <= 1 and a["labelled"] > 0
    assert arms["control"]["sessions"] > arms["canary"]["sessions"]  # 20% of sessions are on the canary
    # the earlier canary (demo-v1 against demo-v0) can be looked at by name
    past = A.canary_comparison(e, "demo-v1")
    assert past["control"] == "demo-v0" and [a["arm"] for a in past["arms"]] == ["control", "canary"]


def test_the_panel_fills_every_plot_from_demo_data(demo_store):
    view = compute_view(demo_store, "30d", now=NOW)
    for name in PLOTS:
        assert not view.empty(name), (name, view.texts[name])
    assert "ECE" in view.texts["reliability"] and "demo-v2" in view.texts["canary"]
    assert str(view.frames["mix_mode"]["time"].dtype).startswith("datetime64")


# -- demo generator ---------------------------------------------------------------------------------------
def test_demo_is_deterministic_and_idempotent(tmp_path):
    dumps = []
    for name in ("a", "b"):
        s = TelemetryStore(f"sqlite:///{tmp_path / name}.db")
        summary = generate_demo(s, days=3, sessions=25, seed=3, now=NOW)
        dumps.append(sorted((r["id"], r["created_at"], r["mode"], r["router_confidence"], r["query_text"])
                            for r in all_rows(s, Interaction)))
        assert summary.interactions == len(dumps[-1])
        if name == "b":  # a second run into the same database adds nothing
            generate_demo(s, days=3, sessions=25, seed=3, now=NOW)
            assert s.count("interactions") == summary.interactions
            assert s.count("escalations") == summary.escalations
        s.close()
    assert dumps[0] == dumps[1]
    assert all("@" not in (q or "") for *_, q in dumps[0])  # e-mail addresses in demo queries were scrubbed


def test_demo_refuses_a_database_with_real_telemetry(store):
    with store.engine.begin() as conn:
        conn.execute(ChatSession.__table__.insert().values(id="real-session", consent=False, started_at=NOW,
                                                           last_seen_at=NOW))
    with pytest.raises(DemoRefused):
        generate_demo(store, days=1, sessions=5, now=NOW)
    assert store.count("interactions") == 0


# -- export ----------------------------------------------------------------------------------------------------
def read_back(path, fmt) -> list[dict]:
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return pq.read_table(path).to_pylist()


def as_time(v, fmt) -> datetime:
    return v if fmt == "parquet" else datetime.fromisoformat(v)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_round_trips_in_each_format(demo_store, tmp_path, fmt):
    since, until = window("7d")
    res = export_telemetry(demo_store.engine, tmp_path / "x", since=since, until=until, fmt=fmt)
    db = {r["id"]: r for r in all_rows(demo_store, Interaction)}
    in_window = {i for i, r in db.items() if r["created_at"] >= since}
    got = read_back(res.files["interactions"], fmt)
    assert {r["id"] for r in got} == in_window and res.rows["interactions"] == len(in_window)
    for r in got[:50]:
        d = db[r["id"]]
        assert as_time(r["created_at"], fmt) == d["created_at"]
        conf = float(r["router_confidence"]) if fmt == "csv" else r["router_confidence"]
        assert conf == d["router_confidence"]
        decision = r["decision"] if fmt == "jsonl" else json.loads(r["decision"])
        assert decision == d["decision"]
        assert r["forced"] in ((("true" if d["forced"] else "false"),) if fmt == "csv" else (d["forced"],))
        assert r["user_id"].startswith("demo-user-")  # pseudonymous ids, as stored
    ratings = read_back(res.files["ratings"], fmt)
    fb = [f for f in all_rows(demo_store, Feedback) if f["interaction_id"] in in_window]
    assert sorted(r["id"] for r in ratings) == sorted(f["id"] for f in fb) and fb
    assert Counter(str(r["rating"] or "") for r in ratings) == Counter(str(f["rating"] or "") for f in fb)
    signals = read_back(res.files["signals"], fmt)
    sg = [s for s in all_rows(demo_store, Signal) if s["interaction_id"] in in_window]
    assert sorted(r["id"] for r in signals) == sorted(s["id"] for s in sg) and sg
    for table, rows in (("interactions", got), ("ratings", ratings), ("signals", signals)):
        for col in TEXT_COLUMNS[table]:
            assert all(col not in r for r in rows), f"{table}.{col} exported without include_text"
    manifest = json.loads(res.manifest.read_text())
    assert manifest["tables"]["interactions"]["rows"] == len(in_window) and manifest["include_text"] is False


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_includes_text_only_when_asked_and_consented(demo_store, tmp_path, fmt):
    res = export_telemetry(demo_store.engine, tmp_path / "x", fmt=fmt, include_text=True)
    db = {r["id"]: r for r in all_rows(demo_store, Interaction)}
    sessions = {r["id"]: r for r in all_rows(demo_store, ChatSession)}
    got = read_back(res.files["interactions"], fmt)
    with_text = 0
    for r in got:
        d = db[r["id"]]
        consented = d["consent"] and sessions[d["session_id"]]["consent"]
        if consented:
            assert r["query_text"] == d["query_text"] and r["query_text"]
            with_text += 1
        else:
            assert r["query_text"] in (None, "") and r["answer_text"] in (None, "")
    assert 0 < with_text < len(got)
    signals = read_back(res.files["signals"], fmt)
    assert any(s["message_text"] for s in signals) and not all(s["message_text"] for s in signals)


def test_export_drops_text_when_the_session_withdrew_consent(store, tmp_path):
    from telemetry.writer import TelemetryWriter

    with TelemetryWriter(store, tmp_path / "spool.jsonl") as w:
        iid = w.record_interaction("s-1", "my question, mail me at bob@example.com", "an answer", {"mode": "fast"},
                                   consent=True, user_id="u-1")
        w.record_signal(iid, "rephrase", session_id="s-1", message="no, I meant something else", consent=True)
        assert w.flush(30)
        res = export_telemetry(store.engine, tmp_path / "before", fmt="jsonl", include_text=True)
        [row] = read_back(res.files["interactions"], "jsonl")
        assert row["query_text"] == "my question, mail me at [EMAIL]"  # scrubbed, as stored
        assert read_back(res.files["signals"], "jsonl")[0]["message_text"] == "no, I meant something else"
        w.record_session("s-1", user_id="u-1", consent=False)  # the user withdrew consent
        assert w.flush(30)
    res = export_telemetry(store.engine, tmp_path / "after", fmt="jsonl", include_text=True)
    [row] = read_back(res.files["interactions"], "jsonl")
    assert row["query_text"] is None and row["answer_text"] is None
    assert read_back(res.files["signals"], "jsonl")[0]["message_text"] is None


def test_export_of_an_empty_database_writes_empty_typed_files(store, tmp_path):
    for fmt in ("csv", "jsonl", "parquet"):
        res = export_telemetry(store.engine, tmp_path / fmt, fmt=fmt)
        assert res.rows == {"interactions": 0, "ratings": 0, "signals": 0}
        assert read_back(res.files["interactions"], fmt) == []
    schema = pq.read_schema(tmp_path / "parquet" / "interactions.parquet")
    assert str(schema.field("created_at").type) == "timestamp[us, tz=UTC]"
    assert str(schema.field("forced").type) == "bool" and "query_text" not in schema.names


def test_export_cli_and_demo_cli(tmp_path, capsys):
    from telemetry.__main__ import main

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["demo", "--url", url, "--days", "2", "--sessions", "10", "--seed", "1"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["sessions"] == 10
    out = tmp_path / "out"
    assert main(["export", "--url", url, "--window", "all", "--format", "parquet", "--out", str(out), "--zip"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert pq.read_table(out / "interactions.parquet").num_rows == summary["rows"]["interactions"] > 0
    with zipfile.ZipFile(summary["zip"]) as z:
        assert sorted(z.namelist()) == ["interactions.parquet", "manifest.json", "ratings.parquet", "signals.parquet"]
    assert main(["export", "--url", url, "--window", "soon", "--out", str(out)]) == 2


# -- the admin panel ------------------------------------------------------------------------------------------
@pytest.fixture(name="panel")
def panel_fixture(demo_store, tmp_path):
    guard = AdminGuard(AdminAuth(TOKEN))
    return AnalyticsPanel(demo_store, guard, data_dir=tmp_path), guard


def test_the_guarded_handlers_refuse_callers_without_the_admin_token(panel):
    _, guard = panel
    assert {"admin_analytics", "admin_export"} <= set(guard.handlers)
    calls = {"admin_analytics": ("7d",), "admin_export": ("7d", "csv", True)}
    for name, args in calls.items():
        fn = guard.handlers[name]
        assert is_admin_handler(fn)
        with pytest.raises(gr.Error, match="Admin access required"):
            fn(None, *args)
        with pytest.raises(gr.Error, match="sign in again"):
            fn("not-the-token", *args)
    # positive control: the same calls with the token succeed (so the refusals above are the guard's)
    out = guard.handlers["admin_analytics"](TOKEN, "30d")
    assert len(out) == 1 + 2 * len(PLOTS)
    path, note = guard.handlers["admin_export"](TOKEN, "30d", "csv", False)
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["interactions.csv", "manifest.json", "ratings.csv", "signals.csv"]
    assert "interactions" in note
    # defaults when the browser sends nothing (the registry test calls every handler with None inputs)
    assert len(guard.handlers["admin_analytics"](TOKEN, None)) == 1 + 2 * len(PLOTS)
    assert guard.handlers["admin_export"](TOKEN, None, None, None)[0].endswith(".zip")


def test_the_panel_builds_inside_blocks_with_its_handlers_wired(panel):
    p, guard = panel
    with gr.Blocks() as demo:
        session = gr.State("")
        p.build(session)
    ids = {b.elem_id for b in demo.blocks.values() if getattr(b, "elem_id", None)}
    expected = {"admin-analytics-window", "admin-analytics-refresh", "admin-analytics-summary",
                "admin-export-button", "admin-export-file", "admin-export-include-text", "admin-export-format",
                "admin-plot-reliability", "admin-plot-canary", "admin-plot-thresholds"}
    assert expected <= ids
    wired = {fn.fn.__modroute_admin__ for fn in demo.fns.values() if is_admin_handler(fn.fn)}
    assert wired == set(guard.handlers)
    unguarded = [fn.name for fn in demo.fns.values() if not is_admin_handler(fn.fn)]
    assert unguarded == []
    # every plot value the handler returns is something its component can serialise
    out = guard.handlers["admin_analytics"](TOKEN, "all")
    for comp, value in zip(p.outputs, out, strict=True):
        if isinstance(comp, gr.LinePlot | gr.BarPlot | gr.ScatterPlot):
            data = comp.postprocess(value["value"])
            assert value["visible"] is True and data.data, comp.elem_id
            assert {comp.x, comp.y} <= set(data.columns)


def test_export_from_the_panel_prunes_old_zips(panel, tmp_path):
    p, _ = panel
    old, _ = p.export("24h", "jsonl", False)
    stale = datetime.now(UTC) - timedelta(hours=2)
    os.utime(old, (stale.timestamp(), stale.timestamp()))
    new, _ = p.export("24h", "jsonl", False)
    assert not os.path.exists(old) and os.path.exists(new)
    assert not [d for d in p.export_root.iterdir() if d.is_dir()]  # work directories are removed
