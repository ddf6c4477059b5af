"""The background writer: batching, acknowledgement, spooling while the database is down, replay
without duplicates, overflow, refused records, shutdown — on SQLite and real PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from telemetry import open_telemetry
from telemetry.events import InteractionEvent, new_id
from telemetry.privacy import Scrubber
from telemetry.store import TelemetryStore
from telemetry.writer import Spool, SpoolBusyError, TelemetryWriter, WriterClosedError
from tests.test_telemetry_support import (  # noqa: F401  (fixtures)
    TcpProxy,
    backend_fixture,
    db_url_fixture,
    pg_url_fixture,
    store_fixture,
    with_port,
)

ROOT = Path(__file__).resolve().parent.parent
DEAD_PG = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1
DECISION = {"mode": "fast", "domain": "general", "domain_probs": {"general": 1.0}, "modifier": None,
            "confidence": 0.9, "threshold": 0.8, "reasons": [], "latency_ms": 3.0, "forced": False,
            "escalated": False, "preempted": False, "router_version": "r1"}


def wait_until(cond, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def turn(writer, n, **kw):
    return writer.record_interaction("sess", f"question {n} from bob@example.org", f"answer {n}", DECISION,
                                     consent=True, **kw)


def test_records_every_kind_and_acknowledges_each_id(store, tmp_path):
    acked: list[str] = []
    w = TelemetryWriter(store, tmp_path / "spool.jsonl", on_durable=acked.extend)
    ids = [w.record_session("sess", user_id="alice", client="ui", consent=True)]
    iid = turn(w, 1, usage={"prompt_tokens": 7, "completion_tokens": 3},
               timings={"total_ms": 90.0, "ttft_ms": 12.0, "tokens_per_s": 71.0}, response_confidence=0.8)
    ids += [iid, w.record_feedback(iid, "alice", rating=7, comment="ok", consent=True),
            w.record_signal(iid, "dismissal", session_id="sess", score=0.9, message="never mind")]
    esc = w.record_escalation(iid, "detector", session_id="sess", modifier="general", failed_answer="answer 1")
    ids += [esc, w.record_escalation_outcome(esc, "resolved", new_interaction_id="later")]
    assert w.flush(30)
    assert sorted(acked) == sorted(ids)
    row = store.interaction(iid)
    assert (row["prompt_tokens"], row["ttft_ms"], row["tokens_per_s"], row["response_confidence"]) == (7, 12.0, 71.0,
                                                                                                     0.8)
    assert row["query_text"] == "question 1 from [EMAIL]"
    assert store.feedback_for(iid)[0]["rating"] == 7
    assert store.escalation_rate(by=())[0]["escalated"] == 1
    with store.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT outcome, new_interaction_id, failed_answer_text FROM escalations")).one() \
            == ("resolved", "later", None)  # no consent: the failed answer text is not kept
        assert conn.execute(text("SELECT message_text FROM signals")).scalar() is None
        assert conn.execute(text("SELECT user_id, client FROM sessions")).one() == ("alice", "ui")
    st = w.close()
    assert (st["submitted"], st["committed"], st["spooled"], st["pending"]) == (6, 6, 0, 0)


def test_close_writes_everything_still_queued(store, tmp_path):
    w = TelemetryWriter(store, tmp_path / "spool.jsonl", flush_interval_s=60, batch_size=10_000)
    for n in range(300):
        turn(w, n)
    assert w.stats()["queued"] > 0  # lingering for a batch that would take a minute to fill
    w.close()
    assert store.count("interactions") == 300
    with pytest.raises(WriterClosedError):
        turn(w, 0)
    w.close()  # idempotent


def test_database_down_mid_run_spools_and_replays_nothing_lost(tmp_path):
    """Writer -> proxy -> PostgreSQL; the proxy refuses connections for a while, twice."""
    from tests.test_telemetry_support import pg_schema_url

    with pg_schema_url() as direct, TcpProxy() as proxy:
        store = TelemetryStore(with_port(direct, proxy.port))
        proxy.up()
        store.migrate()
        w = TelemetryWriter(store, tmp_path / "spool.jsonl", retry_initial_s=0.05, retry_max_s=0.2)
        for n in range(20):
            turn(w, n)
        assert w.flush(30) and w.stats()["committed"] == 20

        proxy.down()
        for n in range(20, 70):
            turn(w, n)
        assert w.flush(30)
        st = w.stats()
        assert st["db_up"] is False and st["spooled"] == 50 and st["spool_pending"]
        spooled = b"".join(p.read_bytes() for p in [tmp_path / "spool.jsonl", *Spool.segments(w.spool)]
                           if p.exists())
        assert spooled.count(b'"kind":"interaction"') == 50
        assert b"bob@example.org" not in spooled and b"[EMAIL]" in spooled  # scrubbed before spooling

        proxy.up()
        assert w.drain(30)
        check = TelemetryStore(direct)
        assert check.count("interactions") == 70

        proxy.down()  # and once more, then shut down while it is still down
        for n in range(70, 90):
            turn(w, n)
        st = w.close()
        assert st["pending"] == 0 and st["spool_bytes"] > 0

        proxy.up()  # the next process replays what the last one spooled
        w2 = TelemetryWriter(TelemetryStore(with_port(direct, proxy.port)), tmp_path / "spool.jsonl")
        assert w2.drain(30)
        w2.close()
        with check.engine.connect() as conn:
            from sqlalchemy import text

            n, distinct = conn.execute(text("SELECT count(*), count(DISTINCT query_text) FROM interactions")).one()
        assert n == distinct == 90
        check.close()
        store.close()


def test_spool_replay_is_idempotent_even_when_replayed_twice(store, tmp_path):
    spool = tmp_path / "spool.jsonl"
    down = TelemetryWriter(TelemetryStore(DEAD_PG), spool, retry_initial_s=60)
    ids = [turn(down, n) for n in range(30)]
    fid = down.record_feedback(ids[0], "u1", rating=2)
    down.record_feedback(ids[0], "u1", rating=9)
    st = down.close()
    assert st["spooled"] == 32 and st["committed"] == 0
    # a crash after committing a segment but before deleting it means it is replayed again
    data = spool.read_bytes()
    spool.write_bytes(data + data)
    w = TelemetryWriter(store, spool)
    assert w.drain(30)
    w.close()
    assert store.count("interactions") == 30 and store.count("feedback") == 1
    (fb,) = store.feedback_for(ids[0])
    assert (fb["id"], fb["rating"], fb["revision"]) == (fid, 9, 2)
    assert not spool.exists() or spool.stat().st_size == 0
    assert not list(tmp_path.glob("spool.jsonl.replay-*"))


def test_torn_last_line_is_skipped_and_corrupt_lines_are_kept_aside(store, tmp_path):
    spool = tmp_path / "spool.jsonl"
    scrub = Scrubber()
    evs = [InteractionEvent("s", f"q{n}", "a", DECISION, consent=True) for n in range(3)]
    lines = Spool.encode([r for ev in evs[:2] for r in ev.to_records(scrub)])
    tail = Spool.encode(evs[2].to_records(scrub))
    spool.write_bytes(lines + b'{"kind": "interaction", "row": {broken\n' + tail[: len(tail) // 2])
    w = TelemetryWriter(store, spool)
    assert w.drain(30)
    w.close()
    assert store.count("interactions") == 2
    rejected = [json.loads(x) for x in (tmp_path / "spool.jsonl.rejected.jsonl").read_text().splitlines()]
    assert len(rejected) == 1 and "broken" in rejected[0]["line"]


def test_a_refused_record_is_set_aside_and_the_rest_of_its_batch_commits(store, tmp_path):
    w = TelemetryWriter(store, tmp_path / "spool.jsonl", flush_interval_s=0.5)
    iid = turn(w, 1)
    w.record_escalation_outcome(new_id(), "resolved")  # no such escalation
    w.record_signal(iid, "copy")
    assert w.flush(30)
    st = w.close()
    assert (st["committed"], st["rejected"]) == (2, 1)
    assert store.count("interactions") == 1 and store.count("signals") == 1
    (line,) = (tmp_path / "spool.jsonl.rejected.jsonl").read_text().splitlines()
    assert "not found" in json.loads(line)["reason"]


def test_full_queue_spools_from_the_caller_instead_of_blocking_or_dropping(tmp_path):
    db = tmp_path / "t.db"
    store = TelemetryStore(f"sqlite:///{db}")
    store.migrate()
    w = TelemetryWriter(store, tmp_path / "spool.jsonl", max_queue_events=5, batch_size=2, flush_interval_s=0.001)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database
    turn(w, 0)
    wait_until(lambda: w.stats()["queued"] == 0, what="the writer to take the first event")
    submitter = threading.Thread(target=lambda: [turn(w, n) for n in range(1, 21)])
    submitter.start()
    submitter.join(20)
    assert not submitter.is_alive(), "submit blocked while the database was locked"
    st = w.stats()
    assert st["overflowed"] >= 15 and st["queued"] <= 5
    blocker.execute("COMMIT")
    blocker.close()
    assert w.drain(60)
    w.close()
    assert store.count("interactions") == 21
    store.close()


def test_one_writer_per_spool(store, tmp_path):
    w = TelemetryWriter(store, tmp_path / "spool.jsonl")
    with pytest.raises(SpoolBusyError):
        TelemetryWriter(store, tmp_path / "spool.jsonl")
    w.close()
    TelemetryWriter(store, tmp_path / "spool.jsonl").close()  # free again after close


def test_open_telemetry_uses_the_data_dir_by_default(tmp_path, monkeypatch):
    from runtime.settings import Settings

    monkeypatch.delenv("MODROUTE_DATABASE_URL", raising=False)
    data = tmp_path / "var"
    store, writer = open_telemetry(Settings(data_dir=data))
    assert store.url.database == str((data / "modroute.db").resolve())
    turn(writer, 1)
    assert writer.flush(30)
    writer.close()
    assert store.count("interactions") == 1 and store.applied_migrations()
    assert writer.spool.path == (data / "telemetry-spool.jsonl").resolve()
    store.close()


def test_open_telemetry_starts_with_the_database_down(tmp_path):
    from runtime.settings import Settings

    store, writer = open_telemetry(Settings(data_dir=tmp_path, database_url=DEAD_PG))
    turn(writer, 1)
    assert writer.flush(30)
    st = writer.close()
    assert st["spooled"] == 1 and st["db_up"] is False and "OperationalError" in st["last_error"]
    store.close()


def test_open_telemetry_on_postgres(pg_url, tmp_path):
    from runtime.settings import Settings

    store, writer = open_telemetry(Settings(data_dir=tmp_path, database_url=pg_url))
    iid = turn(writer, 1)
    writer.record_feedback(iid, "u", rating=10)
    assert writer.flush(30)
    writer.close()
    assert store.backend == "postgresql" and store.rating_distribution()[10] == 1
    store.close()


def test_bench_prints_events_per_second_and_turn_overhead_for_both_backends():
    from tests.test_telemetry_support import PG_URL, require_postgres

    backends = ["sqlite"]
    if PG_URL != "skip":
        require_postgres()
        backends.append("postgres")
    out = subprocess.run([sys.executable, "-m", "telemetry", "bench", "--events", "300", "--latency-calls", "100",
                          "--sync-events", "30", "--json", "--backends", ",".join(backends),
                          "--postgres-url", PG_URL], cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    for b in backends:
        r = result[b]
        assert "error" not in r, r
        assert r["writer_events_per_s"] > 0 and r["sync_events_per_s"] > 0
        assert (r["committed"], r["spooled"]) == (300, 0)
        assert set(r["turn_overhead_us"]) == {"p50", "p99", "max", "calls"}
        assert r["speedup"] == pytest.approx(r["writer_events_per_s"] / r["sync_events_per_s"], rel=0.02)


def test_an_unexpected_failure_retries_the_batch_instead_of_dropping_it(tmp_path):
    """The spool directory vanishes while the database is down: nothing can be written, so the
    batch stays queued (not acknowledged) and is retried until the directory is back."""
    import shutil

    spool_dir = tmp_path / "spool"
    w = TelemetryWriter(TelemetryStore(DEAD_PG), spool_dir / "spool.jsonl", retry_initial_s=60)
    shutil.rmtree(spool_dir)
    ids = [turn(w, n) for n in range(10)]
    wait_until(lambda: w.stats()["last_error"] and "FileNotFoundError" in w.stats()["last_error"],
               what="the spool write to fail")
    assert w.pending() == 10 and not w.flush(0.01)
    spool_dir.mkdir()
    assert w.flush(30)
    st = w.close()
    assert (st["spooled"], st["lost"], st["pending"]) == (10, 0, 0)
    spooled = (spool_dir / "spool.jsonl").read_text()
    assert all(i in spooled for i in ids)


def test_ids_are_checked_where_the_event_is_built(store, tmp_path):
    w = TelemetryWriter(store, tmp_path / "spool.jsonl")
    with pytest.raises(ValueError, match="session_id"):
        w.record_interaction("s" * 65, "q", "a", DECISION)
    with pytest.raises(ValueError, match="interaction_id"):
        w.record_feedback("", "u", rating=5)
    api_id = "chatcmpl-" + "x" * 40  # an OpenAI-style completion id known before the answer streams
    w.record_interaction("sess", "q", "a", DECISION, interaction_id=api_id)
    w.record_feedback(api_id, "u", rating=6)
    assert w.flush(30)
    w.close()
    assert store.feedback_for(api_id)[0]["rating"] == 6


def test_replicas_sharing_a_data_dir_get_their_own_spool(tmp_path):
    from runtime.settings import Settings

    settings = Settings(data_dir=tmp_path)
    (s1, w1), (s2, w2) = open_telemetry(settings), open_telemetry(settings)
    assert w1.spool.path.name == "telemetry-spool.jsonl" and w2.spool.path.name == "telemetry-spool.1.jsonl"
    turn(w1, 1)
    turn(w2, 2)
    for w in (w1, w2):
        w.close()
    assert s1.count("interactions") == 2
    s1.close()
    s2.close()
