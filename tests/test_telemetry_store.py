"""Schema, migrations, idempotent writes, queries and retention — each on SQLite and on real PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, inspect, select, text

from telemetry import migrations
from telemetry.events import EscalationEvent, FeedbackEvent, InteractionEvent, SignalEvent, new_id
from telemetry.privacy import Scrubber
from telemetry.queries import outcome_label, reliability
from telemetry.schema import metadata
from telemetry.store import RecordError, TelemetryStore
from tests.test_telemetry_support import backend_fixture, db_url_fixture, store_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SCRUB = Scrubber()
DAY1 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
DAY2 = datetime(2026, 1, 11, 9, 30, tzinfo=UTC)


def decision(mode="fast", domain="general", confidence=0.9, modifier=None, **flags):
    return {"mode": mode, "domain": domain, "domain_probs": {domain: 0.8}, "modifier": modifier,
            "confidence": confidence, "threshold": 0.8, "reasons": ["test"], "latency_ms": 5.0,
            "forced": False, "escalated": False, "preempted": False, "router_version": "r1", **flags}


def write(store, *events):
    recs = [r for ev in events for r in ev.to_records(SCRUB)]
    store.write_records(recs)
    return recs


def interaction(query="q", at=DAY1, **kw):
    return InteractionEvent("s1", query, "answer", decision(**kw), consent=True, created_at=at)


# -- migrations ---------------------------------------------------------------------------------------
def test_migrate_from_blank_records_named_migrations_in_order(db_url):
    s = TelemetryStore(db_url)
    assert s.applied_migrations() == []
    assert s.migrate() == migrations.names() == ["m001_initial", "m002_operations", "m003_retention",
                                                 "m004_learning_loop", "m005_escalation_rungs",
                                                 "m006_admin_console"]
    assert s.applied_migrations() == migrations.names()
    assert s.migrate() == []  # idempotent
    s.close()


def test_migrated_database_matches_the_models(store):
    """The frozen migration DDL and the live sqlmodel classes describe the same schema."""
    insp = inspect(store.engine)
    for name, model in metadata.tables.items():
        cols = {c["name"]: c for c in insp.get_columns(name)}
        assert set(cols) == {c.name for c in model.columns}, name
        for c in model.columns:
            got = cols[c.name]
            assert bool(got["nullable"]) == bool(c.nullable) or c.primary_key, (name, c.name)
            want = getattr(c.type, "impl", c.type)  # sqlmodel's AutoString/UTCDateTime decorate String/DateTime
            assert got["type"].python_type is want.python_type, (name, c.name, got["type"])
            if store.backend == "postgresql" and want.python_type is datetime:
                assert got["type"].timezone, (name, c.name)
        want_ix = {ix.name for ix in model.indexes}
        assert {ix["name"] for ix in insp.get_indexes(name)} >= want_ix, name
        want_uq = {u.name for u in model.constraints if u.__class__.__name__ == "UniqueConstraint"}
        assert {u["name"] for u in insp.get_unique_constraints(name)} >= want_uq, name


@pytest.mark.parametrize("previous", migrations.names()[:-1])
def test_upgrade_from_previous_schema_keeps_rows(db_url, previous):
    s = TelemetryStore(db_url)
    assert s.migrate(target=previous)[-1] == previous
    iid, fid, sid, eid = new_id(), new_id(), new_id(), new_id()
    with s.engine.begin() as conn:
        md = MetaData()
        t = {n: Table(n, md, autoload_with=conn) for n in ("sessions", "interactions", "feedback", "signals",
                                                           "escalations")}
        before_m003 = migrations.names().index(previous) < migrations.names().index("m003_retention")
        assert ("text_purged_at" in t["interactions"].c) is not before_m003
        conn.execute(t["sessions"].insert().values(id="old-s", consent=True, started_at=DAY1, last_seen_at=DAY1))
        conn.execute(t["interactions"].insert().values(
            id=iid, session_id="old-s", created_at=DAY1, query_hash="h" * 64, query_chars=5, answer_chars=6,
            consent=True, query_text="hello", answer_text="answer", mode="fast", domain="general",
            router_confidence=0.91, forced=False, escalated=False, preempted=False, cascaded=False,
            decision={"mode": "fast"}))
        conn.execute(t["feedback"].insert().values(
            id=fid, interaction_id=iid, user_id="u1", rating=8, created_at=DAY1, updated_at=DAY1, revision=1))
        conn.execute(t["signals"].insert().values(id=sid, interaction_id=iid, kind="copy", created_at=DAY1))
        conn.execute(t["escalations"].insert().values(
            id=eid, failed_interaction_id=iid, trigger="user", outcome="pending", created_at=DAY1))
    applied = s.migrate()
    assert applied == migrations.names()[migrations.names().index(previous) + 1:]
    row = s.interaction(iid)
    assert row["query_text"] == "hello" and row["decision"] == {"mode": "fast"} and row["text_purged_at"] is None
    assert row["created_at"] == DAY1
    assert [f["rating"] for f in s.feedback_for(iid)] == [8]
    assert s.count("signals") == 1 and s.count("escalations") == 1
    # the upgraded database takes new writes and answers queries
    write(s, interaction("new one", at=DAY2), FeedbackEvent(iid, "u1", rating=9, created_at=DAY2))
    assert s.count("interactions") == 2
    assert [f["rating"] for f in s.feedback_for(iid)] == [9]
    assert s.rating_distribution()[9] == 1
    s.close()


def test_refuses_a_database_written_by_newer_code(store):
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_migrations (name, applied_at) VALUES ('m999_future', :t)"),
                     {"t": DAY1})
    with pytest.raises(migrations.MigrationError, match="m999_future"):
        TelemetryStore(store.url).migrate()


def _migrate_at_once(stores) -> list[list[str]]:
    """Run ``migrate()`` on every store in its own thread at the same time; the names each applied."""
    results, errors = [], []

    def run(s):
        try:
            results.append(s.migrate())
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    return results


def test_concurrent_migrations_apply_each_step_once(db_url):
    stores = [TelemetryStore(db_url) for _ in range(3)]
    results = _migrate_at_once(stores)
    assert sorted(n for r in results for n in r) == sorted(migrations.names())
    assert stores[0].applied_migrations() == migrations.names()
    for s in stores:
        s.close()


def test_many_processes_opening_a_new_sqlite_file_at_once_all_get_wal(tmp_path):
    # SQLite answers "PRAGMA journal_mode=WAL" with "database is locked" at once (no busy
    # handler) when connections open a new file together: 18 of 200 such starts failed before
    # the store retried it.
    for i in range(25):
        stores = [TelemetryStore(f"sqlite:///{tmp_path}/race{i}.db") for _ in range(3)]
        _migrate_at_once(stores)
        with stores[0].engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        for s in stores:
            s.close()


def test_sqlite_is_wal_with_full_sync_and_foreign_keys(tmp_path):
    s = TelemetryStore(f"sqlite:///{tmp_path}/sub/dir/t.db")  # parent dirs are created
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    s.close()


def test_unsupported_url_is_refused_clearly():
    with pytest.raises(ValueError, match="unsupported telemetry database"):
        TelemetryStore("mysql://u@h/db")


def test_nothing_connects_at_import_or_construction(tmp_path):
    code = ("import telemetry, telemetry.store, telemetry.writer, telemetry.queries, telemetry.retention, "
            "telemetry.bench, telemetry.loadgen, telemetry.migrations, telemetry.__main__\n"
            "s = telemetry.store.TelemetryStore('postgresql+psycopg://postgres@127.0.0.1:1/none')\n"
            "print(repr(s))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MODROUTE_DATA_DIR": str(tmp_path / "var"),
           "MODROUTE_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "127.0.0.1:1/none" in out.stdout
    assert not (tmp_path / "var").exists()


# -- idempotent writes ------------------------------------------------------------------------------------
def test_writing_the_same_events_twice_changes_nothing(store):
    ev = interaction("hello")
    sig = SignalEvent(ev.id, "copy", session_id="s1")
    esc = EscalationEvent(ev.id, "user", session_id="s1", modifier="code", failed_answer="bad", consent=True)
    recs = write(store, ev, sig, esc)
    store.write_records(recs)
    store.write_records(recs[::-1])  # a replay in another order, too
    assert [store.count(t) for t in ("sessions", "interactions", "signals", "escalations")] == [1, 1, 1, 1]


def test_feedback_keeps_one_current_rating_per_user_and_interaction(store):
    ev = interaction()
    write(store, ev)
    first = FeedbackEvent(ev.id, "u1", rating=5, comment="meh", consent=True, created_at=DAY1)
    write(store, first)
    write(store, FeedbackEvent(ev.id, "u1", rating=8, created_at=DAY1 + timedelta(minutes=1)))
    write(store, first)  # the old event replayed late must not roll the change back
    write(store, FeedbackEvent(ev.id, "u1", liked=True, created_at=DAY1 + timedelta(minutes=2)))
    write(store, FeedbackEvent(ev.id, "u2", rating=3, created_at=DAY1 + timedelta(minutes=3)))
    rows = store.feedback_for(ev.id)
    assert [(r["user_id"], r["rating"], r["liked"], r["comment"], r["revision"]) for r in rows] == [
        ("u1", 8, True, "meh", 3), ("u2", 3, None, None, 1)]
    assert rows[0]["id"] == first.id


def test_feedback_validates_at_the_call_site():
    with pytest.raises(ValueError, match="1 to 10"):
        FeedbackEvent("i", "u", rating=11)
    with pytest.raises(ValueError, match="1 to 10"):
        FeedbackEvent("i", "u", rating=0)
    with pytest.raises(ValueError, match="signal kind"):
        SignalEvent("i", "angry")
    with pytest.raises(ValueError, match="trigger"):
        EscalationEvent("i", "whim")


def test_check_constraint_guards_ratings_in_the_database_too(store):
    ev = interaction()
    write(store, ev)
    bad = {"kind": "feedback", "id": new_id(), "row": {
        "id": new_id(), "interaction_id": ev.id, "user_id": "u", "rating": 11, "liked": None, "preferred": None,
        "comment": None, "created_at": DAY1.isoformat(), "updated_at": DAY1.isoformat(), "revision": 1}}
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as err:
        store.write_records([bad])
    assert "hidden" in str(err.value)  # errors and logs never echo user text as statement parameters


def test_sessions_merge_and_an_unknown_escalation_outcome_is_refused(store):
    a = InteractionEvent("s9", "q1", "a", decision(), user_id=None, created_at=DAY1)
    b = InteractionEvent("s9", "q2", "a", decision(), user_id="alice", created_at=DAY2)
    write(store, b, a)
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT user_id, started_at, last_seen_at FROM sessions WHERE id='s9'")).one()
    assert row.user_id == "alice"
    from telemetry.events import EscalationOutcomeEvent

    with pytest.raises(RecordError, match="not found"):
        write(store, EscalationOutcomeEvent(new_id(), "resolved"))


def test_text_is_stored_only_with_consent_and_always_scrubbed(store):
    no = InteractionEvent("s1", "my card is 4111 1111 1111 1111", "ok", decision(), consent=False)
    yes = InteractionEvent("s1", "mail me at bob@example.org", "sure, bob@example.org", decision(), consent=True)
    write(store, no, yes)
    a, b = store.interaction(no.id), store.interaction(yes.id)
    assert a["query_text"] is None and a["answer_text"] is None
    assert a["query_chars"] == len(no.query) and len(a["query_hash"]) == 64
    assert b["query_text"] == "mail me at [EMAIL]" and b["answer_text"] == "sure, [EMAIL]"
    assert "4111" not in json.dumps(a, default=str) and "bob@" not in json.dumps(b, default=str)


def test_decision_dict_becomes_columns_and_json(store):
    d = decision(mode="Accurate", domain="code", confidence=0.42, modifier="code-lora", forced=True,
                 preempted=True, cascaded=True, reasons=["user email x@y.io asked"])
    ev = InteractionEvent("s1", "q", "a", d, latency_ms=1234.5, tokens_per_s=70.1,
                          response_confidence=0.66, prompt_tokens=12, completion_tokens=34, finish_reason="stop")
    write(store, ev)
    row = store.interaction(ev.id)
    assert (row["mode"], row["domain"], row["modifier"], row["router_confidence"], row["threshold"]) == (
        "accurate", "code", "code-lora", 0.42, 0.8)
    assert row["forced"] and row["preempted"] and row["cascaded"] and not row["escalated"]
    assert (row["router_version"], row["route_latency_ms"], row["latency_ms"], row["tokens_per_s"]) == (
        "r1", 5.0, 1234.5, 70.1)
    assert (row["prompt_tokens"], row["completion_tokens"], row["response_confidence"]) == (12, 34, 0.66)
    assert row["decision"]["domain_probs"] == {"code": 0.8}
    assert row["decision"]["reasons"] == ["user email [EMAIL] asked"]


# -- queries ----------------------------------------------------------------------------------------------
@pytest.fixture
def dataset(store):
    """Eight turns over two days with ratings, likes, signals and escalations (expected numbers below)."""
    i = {n: None for n in range(1, 9)}
    i[1] = interaction("q1", DAY1, domain="general", confidence=0.9)
    i[2] = interaction("q2", DAY1, domain="code", confidence=0.85)
    i[3] = interaction("q3", DAY1, mode="accurate", domain="code", confidence=0.85, modifier="code", escalated=True)
    i[4] = interaction("q4", DAY1, domain="math", confidence=0.95)
    i[5] = interaction("q5", DAY2, mode="accurate", domain="math", confidence=0.5, modifier="math")
    i[6] = interaction("q6", DAY2, domain="general", confidence=0.82, forced=True)
    i[7] = interaction("q7", DAY2, domain="general", confidence=0.88)
    i[8] = interaction("q8", DAY2, mode="accurate", domain="code", confidence=0.4, modifier="code", preempted=True)
    write(store, *i.values())
    write(store,
          FeedbackEvent(i[1].id, "u1", rating=9), FeedbackEvent(i[2].id, "u1", rating=3),
          FeedbackEvent(i[3].id, "u1", rating=8), FeedbackEvent(i[5].id, "u1", liked=False),
          FeedbackEvent(i[6].id, "u1", rating=6), FeedbackEvent(i[8].id, "u2", rating=10, liked=True),
          FeedbackEvent(i[8].id, "u3", rating=7),
          SignalEvent(i[4].id, "copy"), SignalEvent(i[7].id, "rephrase", score=0.97),
          EscalationEvent(i[2].id, "user", new_interaction_id=i[3].id, domain="code", modifier="code"),
          EscalationEvent(i[7].id, "detector", domain="general", modifier="general"))
    return store, i


def test_routing_mix_per_day_and_mode(dataset):
    store, _ = dataset
    rows = store.routing_mix(bucket="day", by=("mode",))
    got = [(r["bucket"], r["mode"], r["count"], r["share"], r["forced"], r["preempted"]) for r in rows]
    assert got == [("2026-01-10", "accurate", 1, 0.25, 0, 0), ("2026-01-10", "fast", 3, 0.75, 0, 0),
                   ("2026-01-11", "accurate", 2, 0.5, 0, 1), ("2026-01-11", "fast", 2, 0.5, 1, 0)]
    hours = store.routing_mix(bucket="hour", by=())
    assert [(r["bucket"], r["count"]) for r in hours] == [("2026-01-10T12:00", 4), ("2026-01-11T09:00", 4)]
    only_day2 = store.routing_mix(since=DAY2 - timedelta(hours=1), by=("modifier",))
    assert {r["modifier"]: r["count"] for r in only_day2} == {None: 2, "code": 1, "math": 1}
    with pytest.raises(ValueError):
        store.routing_mix(by=("query_text",))


def test_satisfaction_by_mode(dataset):
    store, _ = dataset
    rows = {r["mode"]: r for r in store.satisfaction(by=("mode",))}
    fast, acc = rows["fast"], rows["accurate"]
    assert (fast["interactions"], fast["ratings"], fast["mean_rating"]) == (5, 3, 6.0)
    assert (fast["negative_signals"], fast["positive_signals"], fast["escalated"]) == (1, 1, 2)
    assert fast["escalation_rate"] == pytest.approx(0.4) and fast["like_rate"] is None
    assert (acc["interactions"], acc["ratings"], acc["likes"], acc["dislikes"]) == (3, 3, 1, 1)
    assert acc["mean_rating"] == pytest.approx(25 / 3) and acc["like_rate"] == 0.5
    by_domain = {(r["mode"], r["domain"]): r["interactions"] for r in store.satisfaction()}
    assert by_domain == {("accurate", "code"): 2, ("accurate", "math"): 1, ("fast", "code"): 1,
                         ("fast", "general"): 3, ("fast", "math"): 1}


def test_rating_distribution(dataset):
    store, _ = dataset
    assert store.rating_distribution() == {1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1}
    assert store.rating_distribution(mode="accurate") == {**dict.fromkeys(range(1, 11), 0), 7: 1, 8: 1, 10: 1}
    assert sum(store.rating_distribution(domain="code").values()) == 4
    assert sum(store.rating_distribution(until=DAY2).values()) == 3


def test_calibration_data_labels_outcomes(dataset):
    store, i = dataset
    rows = store.calibration_data()
    labels = {r["interaction_id"]: r["label"] for r in rows}
    assert labels == {i[1].id: 1, i[2].id: 0, i[3].id: 1, i[4].id: 1, i[5].id: 0, i[7].id: 0, i[8].id: 1}
    assert i[6].id not in labels  # forced: the router did not decide it
    fast = store.calibration_data(mode="fast")
    assert sorted((r["router_confidence"], r["label"]) for r in fast) == [(0.85, 0), (0.88, 0), (0.9, 1), (0.95, 1)]
    rel = reliability(fast, bins=10)
    assert rel["n"] == 4
    assert rel["ece"] == pytest.approx(0.5 * abs(0.865 - 0) + 0.5 * abs(0.925 - 1))
    b8, b9 = rel["bins"][8], rel["bins"][9]
    assert (b8["n"], b8["observed"], b9["n"], b9["observed"]) == (2, 0.0, 2, 1.0)
    everything = store.calibration_data(labelled_only=False, include_forced=True)
    assert len(everything) == 8 and {r["label"] for r in everything if r["interaction_id"] == i[6].id} == {None}


def test_outcome_label_rules():
    base = dict(mean_rating=None, likes=0, dislikes=0, negative_signals=0, positive_signals=0, escalated_from=False)
    assert outcome_label(**base) is None
    assert outcome_label(**{**base, "mean_rating": 5.5}) is None
    assert outcome_label(**{**base, "mean_rating": 7}) == 1
    assert outcome_label(**{**base, "mean_rating": 4}) == 0
    assert outcome_label(**{**base, "mean_rating": 9, "negative_signals": 1}) == 0  # negative evidence wins
    assert outcome_label(**{**base, "likes": 1, "escalated_from": True}) == 0


def test_escalation_rate(dataset):
    store, _ = dataset
    rows = {r["domain"]: r for r in store.escalation_rate(by=("domain",))}
    assert (rows["code"]["interactions"], rows["code"]["escalated"], rows["code"]["by_user"]) == (2, 1, 1)
    assert rows["general"]["rate"] == pytest.approx(1 / 3) and rows["general"]["by_detector"] == 1
    assert rows["math"]["rate"] == 0
    (overall,) = store.escalation_rate(by=())
    assert (overall["interactions"], overall["escalated"]) == (7, 2)
    assert overall["rate"] == pytest.approx(2 / 7)
    write(store, interaction("q9", DAY2, mode="accurate", cascaded=True))  # a regeneration, not a first answer
    assert store.escalation_rate(by=())[0]["interactions"] == 7
    assert sum(r["cascaded"] for r in store.routing_mix(by=())) == 1


# -- retention --------------------------------------------------------------------------------------------
def test_retention_purges_old_raw_text_and_keeps_aggregates(store):
    from apscheduler.schedulers.background import BackgroundScheduler

    from telemetry.retention import JOB_ID, run_retention, schedule_retention

    now = datetime(2026, 3, 1, tzinfo=UTC)
    old, new = now - timedelta(days=40), now - timedelta(days=1)
    a = InteractionEvent("s1", "old question", "old answer", decision(), consent=True, created_at=old)
    b = InteractionEvent("s1", "new question", "new answer", decision(), consent=True, created_at=new)
    write(store, a, b,
          FeedbackEvent(a.id, "u1", rating=4, comment="old comment", consent=True, created_at=old),
          SignalEvent(a.id, "rephrase", message="no, I meant X", consent=True, created_at=old),
          EscalationEvent(a.id, "user", failed_answer="old answer", consent=True, created_at=old))
    before = store.satisfaction(), store.calibration_data()
    detail = run_retention(store, 30, now=now)
    assert detail["purged"] == {"interactions": 1, "feedback": 1, "signals": 1, "escalations": 1}
    ra, rb = store.interaction(a.id), store.interaction(b.id)
    assert ra["query_text"] is None and ra["answer_text"] is None and ra["text_purged_at"] == now
    assert ra["query_hash"] and ra["query_chars"] == len("old question")
    assert rb["query_text"] == "new question" and rb["text_purged_at"] is None
    assert store.feedback_for(a.id)[0]["comment"] is None and store.feedback_for(a.id)[0]["rating"] == 4
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT message_text FROM signals")).scalar() is None
        assert conn.execute(text("SELECT failed_answer_text FROM escalations")).scalar() is None
    assert (store.satisfaction(), store.calibration_data()) == before
    assert run_retention(store, 30, now=now)["purged"] == dict.fromkeys(detail["purged"], 0)
    runs = store.scheduler_runs(job=JOB_ID)
    assert [r["status"] for r in runs] == ["succeeded", "succeeded"] and runs[0]["detail"]["days"] == 30

    sched = BackgroundScheduler()
    sched.start(paused=True)
    try:
        schedule_retention(sched, store, 30)
        schedule_retention(sched, store, 14)  # replaces, never duplicates
        jobs = sched.get_jobs()
        assert [j.id for j in jobs] == [JOB_ID] and jobs[0].args[1] == 14
    finally:
        sched.shutdown(wait=False)


# -- operations tables ----------------------------------------------------------------------------------
def test_router_versions_scheduler_runs_and_pipeline_jobs(store):
    store.add_router_version("r1", threshold=0.8, dataset="prompts-v1", dataset_version="abc", status="active",
                             metrics={"ece": 0.04})
    store.add_router_version("r2", threshold=0.78, domain_thresholds={"code": 0.9}, dataset="prompts-v2")
    store.set_router_status("r2", "active")
    assert {v["version"]: v["status"] for v in store.router_versions()} == {"r1": "retired", "r2": "active"}
    active = store.active_router_version()
    assert active["version"] == "r2" and active["domain_thresholds"] == {"code": 0.9}
    with pytest.raises(KeyError):
        store.set_router_status("nope", "active")

    run = store.start_scheduler_run("retrain", detail={"window_days": 7})
    store.finish_scheduler_run(run, "failed", error="not enough labels")
    (r,) = store.scheduler_runs("retrain")
    assert (r["status"], r["error"], r["detail"]) == ("failed", "not enough labels", {"window_days": 7})
    assert r["finished_at"] >= r["started_at"]

    store.upsert_pipeline_job("j1", phase="lora", runner="local", status="queued", config={"r": 8})
    store.upsert_pipeline_job("j1", phase="lora", runner="local", status="running", remote_id="pid-42")
    store.upsert_pipeline_job("j1", phase="lora", runner="local", status="succeeded", outputs={"file": "a.gguf"})
    (j,) = store.pipeline_jobs()
    assert (j["status"], j["remote_id"], j["config"], j["outputs"]) == ("succeeded", "pid-42", {"r": 8},
                                                                        {"file": "a.gguf"})
    assert j["started_at"] and j["finished_at"] >= j["started_at"]


def test_store_reads_back_what_select_sees(store):
    """Times round-trip as aware UTC on both backends."""
    ev = interaction(at=datetime(2026, 5, 1, 23, 59, 59, 123456, tzinfo=UTC))
    write(store, ev)
    with store.engine.connect() as conn:
        from telemetry.schema import Interaction

        got = conn.execute(select(Interaction.__table__.c.created_at)).scalar_one()
    assert got == ev.created_at and got.tzinfo is not None
