"""An answer is handed over only once its record is durable: ``TelemetryWriter.wait_durable`` with
group commit, the timeout path (answer delivered, flagged ``durable: False``), and the spool cap
(raw text refused when full, nothing acknowledged dropped, /healthz and admin status say so) —
on SQLite and real PostgreSQL where the database matters."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager

from telemetry import TelemetrySettings, open_telemetry
from telemetry.store import TelemetryStore
from telemetry.writer import TelemetryWriter
from tests.test_telemetry_support import (  # noqa: F401  (fixtures)
    backend_fixture,
    db_url_fixture,
    pg_url_fixture,
    store_fixture,
)
from tests.test_telemetry_writer import DEAD_PG, turn, wait_until


@contextmanager
def database_blocked(db_url: str):
    """Another client holds a write lock, so the writer's commit waits until the block is lifted."""
    if db_url.startswith("sqlite"):
        conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("COMMIT")
            conn.close()
    else:
        other = TelemetryStore(db_url)
        with other.engine.connect() as conn:
            tx = conn.begin()
            conn.exec_driver_sql("LOCK TABLE sessions IN EXCLUSIVE MODE")  # blocks the session upsert
            try:
                yield
            finally:
                tx.rollback()
        other.close()


def test_a_waiter_returns_once_its_row_is_committed_without_lingering(store, db_url, tmp_path):
    # A linger far longer than the wait: only a batch cut for the waiter can make it in time.
    w = TelemetryWriter(store, tmp_path / "spool.jsonl", flush_interval_s=120)
    iid = turn(w, 1)
    assert w.wait_durable([iid], timeout=60)
    check = TelemetryStore(db_url)  # a separate connection sees the committed row
    row = check.interaction(iid)
    assert row is not None and row["session_id"] == "sess"
    with check.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sessions WHERE id = 'sess'").scalar() == 1
    check.close()
    assert w.wait_durable([iid], timeout=0.01)  # already acknowledged: nothing to wait for
    st = w.close()
    assert st["durable_timeouts"] == 0 and st["committed"] == 1


def test_concurrent_waiters_share_one_commit(store, db_url, tmp_path):
    """24 turns finish while a commit is stuck: they all ride on the next one, not 24 commits."""
    w = TelemetryWriter(store, tmp_path / "spool.jsonl")
    results: dict[int, bool] = {}

    def one_turn(n: int) -> None:
        iid = turn(w, n)
        results[n] = w.wait_durable([iid], timeout=120)

    with database_blocked(db_url):
        threads = [threading.Thread(target=one_turn, args=(n,)) for n in range(24)]
        for t in threads:
            t.start()
        wait_until(lambda: w.stats()["durable_waiters"] == 24, 60, "24 turns waiting")
        assert w.stats()["committed"] == 0
    for t in threads:
        t.join(120)
    assert results == {n: True for n in range(24)}
    st = w.close()
    assert st["committed"] == 24 and st["batches"] <= 2, st  # the stuck batch, then everyone else together
    assert store.count("interactions") == 24


def test_timeout_returns_false_counts_it_and_a_later_wait_succeeds(store, db_url, tmp_path):
    w = TelemetryWriter(store, tmp_path / "spool.jsonl", durable_timeout_s=0.3)
    with database_blocked(db_url):
        iid = turn(w, 1)
        assert w.wait_durable([iid]) is False  # the writer's default timeout
        st = w.stats()
        assert st["durable_timeouts"] == 1 and st["pending"] == 1
    assert w.wait_durable([iid], timeout=60)
    w.close()
    assert store.interaction(iid) is not None


def test_open_telemetry_passes_the_cap_and_the_timeout(tmp_path):
    from runtime.settings import Settings

    ts = TelemetrySettings(telemetry_spool_max_bytes=1 << 16, telemetry_durable_timeout_s=3.5)
    store, writer = open_telemetry(Settings(data_dir=tmp_path), telemetry_settings=ts)
    assert (writer.spool_max_bytes, writer.durable_timeout_s) == (1 << 16, 3.5)
    st = writer.close()
    assert st["spool_full"] is False and st["spool_max_bytes"] == 1 << 16
    store.close()


# -- the answer flag, through the real chat service and model -----------------------------------------
def _chat(serving, sink):
    from runtime.chat import ChatService

    s = serving.services
    return ChatService(s.engine, s.router, telemetry=sink, cascade=False)


def _ask(chat, text: str):
    from runtime.chat import Turn

    return chat.run_turn(Turn(messages=[{"role": "user", "content": text}], mode="fast", max_tokens=4,
                              session_id="durable-test", consent=True))


def test_the_answer_says_whether_its_record_is_durable(serving, tmp_path):
    from ui.telemetry_sink import TelemetrySink

    db = tmp_path / "t.db"
    store = TelemetryStore(f"sqlite:///{db}")
    store.migrate()
    w = TelemetryWriter(store, tmp_path / "spool.jsonl")
    chat = _chat(serving, TelemetrySink(w, store, durable_timeout_s=0.3))
    done = _ask(chat, "Say hi.")
    assert done.extra["durable"] is True
    assert store.interaction(done.interaction_id) is not None  # before anyone flushed

    with database_blocked(f"sqlite:///{db}"):
        late = _ask(chat, "Say bye.")
    assert late.text and late.extra["durable"] is False  # delivered anyway, and flagged
    assert w.stats()["durable_timeouts"] == 1
    assert w.flush(60)
    w.close()
    assert store.interaction(late.interaction_id) is not None
    store.close()


# -- the spool cap ---------------------------------------------------------------------------------
def _fill_spool_while_down(tmp_path, cap: int):
    """Consented turns into a capped spool while the database is down, until the spool is full."""
    down = TelemetryWriter(TelemetryStore(DEAD_PG), tmp_path / "spool.jsonl", retry_initial_s=60,
                           spool_max_bytes=cap)
    before_full: list[str] = []
    while not down.stats()["spool_full"]:
        iid = turn(down, len(before_full))
        assert down.wait_durable([iid], timeout=30)  # fsync'd to the spool counts as durable
        before_full.append(iid)
        assert len(before_full) < 1000, "the spool never became full"
    return down, before_full


def test_a_full_spool_refuses_raw_text_and_drops_nothing(store, tmp_path):
    down, before_full = _fill_spool_while_down(tmp_path, cap=8192)
    after_full = [turn(down, 1000 + n) for n in range(10)]
    fid = down.record_feedback(after_full[0], "u1", rating=3, comment="a comment", consent=True)
    assert down.wait_durable(after_full + [fid], timeout=30)
    st = down.close()
    assert st["spool_full"] and st["spool_bytes"] >= 8192 and st["spool_max_bytes"] == 8192
    assert st["text_refused"] == 11 and st["lost"] == 0 and st["spooled"] == len(before_full) + 11

    w = TelemetryWriter(store, tmp_path / "spool.jsonl", spool_max_bytes=8192)  # the database is back
    assert w.drain(60)
    st = w.close()
    assert st["spool_full"] is False and st["spool_bytes"] == 0
    assert store.count("interactions") == len(before_full) + 10  # every acknowledged record is there
    for iid in before_full:
        assert store.interaction(iid)["answer_text"]  # stored before the cap: text kept
    for iid in after_full:
        row = store.interaction(iid)
        assert row["consent"] and row["query_text"] is None and row["answer_text"] is None
        assert row["query_hash"] and row["answer_chars"] > 0  # the non-text facts are still there
    (fb,) = store.feedback_for(after_full[0])
    assert fb["rating"] == 3 and fb["comment"] is None


def test_healthz_and_admin_status_say_the_spool_is_full(serving, tmp_path):
    from admin.status import status_markdown, status_report
    from ui.api import ChatAPI
    from ui.telemetry_sink import TelemetrySink

    down, _ = _fill_spool_while_down(tmp_path, cap=4096)
    sink = TelemetrySink(down)
    try:
        resp = ChatAPI(serving.services, sink).healthz()
        body = json.loads(resp.body)
        assert resp.status_code == 200 and body["status"] == "degraded"
        assert body["telemetry"]["spool_full"] is True and body["telemetry"]["spool_max_bytes"] == 4096
        assert any("spool full" in w for w in body["warnings"])
        md = status_markdown(status_report(serving.services, sink))
        assert "spool FULL" in md
    finally:
        down.close()

    healthy = TelemetryWriter(TelemetryStore(f"sqlite:///{tmp_path / 'ok.db'}"), tmp_path / "ok-spool.jsonl",
                              spool_max_bytes=4096)
    try:
        body = json.loads(ChatAPI(serving.services, TelemetrySink(healthy)).healthz().body)
        assert body["status"] == "ok" and body["warnings"] == [] and body["telemetry"]["spool_full"] is False
        assert "spool FULL" not in status_markdown(status_report(serving.services, TelemetrySink(healthy)))
    finally:
        healthy.close()


def test_no_cap_means_never_full(tmp_path):
    w = TelemetryWriter(TelemetryStore(DEAD_PG), tmp_path / "spool.jsonl", retry_initial_s=60)
    ids = [turn(w, n) for n in range(30)]
    assert w.wait_durable(ids, timeout=30)
    st = w.close()
    assert st["spool_full"] is False and st["text_refused"] == 0 and st["spooled"] == 30


def test_bench_measures_the_durability_wait_and_group_commit():
    import os
    import subprocess
    import sys

    from tests.test_telemetry_support import PG_URL, require_postgres
    from tests.test_telemetry_writer import ROOT

    backends = ["sqlite"]
    if PG_URL != "skip":
        require_postgres()
        backends.append("postgres")
    out = subprocess.run([sys.executable, "-m", "telemetry", "bench", "--events", "50", "--latency-calls", "20",
                          "--sync-events", "10", "--durable-turns", "5", "--durable-concurrency", "1,24", "--json",
                          "--backends", ",".join(backends), "--postgres-url", PG_URL], cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "load_avg" in result
    for b in backends:
        d = result[b]["durable_turns"]
        assert set(d) == {"1", "24"}, result[b]
        assert d["1"]["turns"] == 5 and d["24"]["turns"] == 120
        assert all(x["not_durable"] == 0 and x["spooled"] == 0 for x in d.values())
        assert d["1"]["commits"] == 5  # one turn at a time: one commit each
        assert d["24"]["commits"] < 120  # concurrent turns share commits
        assert 0 < d["24"]["p50_ms"] <= d["24"]["p99_ms"] <= d["24"]["max_ms"]
