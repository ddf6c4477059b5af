"""Durability with a real writer process: steady load, ``kill -9``, restart.

Each writer is ``python -m telemetry loadgen``, which appends an event id to an ack file only
after the writer has acknowledged it as durable (committed, or fsync'd to the spool). After the
kill, a second process opens the same database and spool and runs to a clean exit. Then every
acknowledged id must be in the database, and no event may be stored twice (interaction queries
are unique strings, so duplicates are counted by content, not only by primary key).

PostgreSQL is reached through a TCP proxy that the test can take down (connections refused,
open ones cut) to play "database stopped mid-run" without touching the real server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from telemetry.store import TelemetryStore
from tests.test_telemetry_support import TcpProxy, pg_schema_url, with_port

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def acked(path: Path) -> list[str]:
    if not path.exists():
        return []
    data = path.read_text()
    return [x for x in data.split("\n")[:-1] if x]  # only whole lines


def start_loadgen(url: str, tmp: Path, tag: str, *, rate: float = 400, count: int | None = None):
    cmd = [sys.executable, "-m", "telemetry", "loadgen", "--url", url, "--spool", str(tmp / "spool.jsonl"),
           "--acks", str(tmp / f"acks-{tag}.txt"), "--rate", str(rate), "--tag", tag, "--retry-max", "0.2"]
    if count is not None:
        cmd += ["--count", str(count)]
    log = tmp / f"loadgen-{tag}.log"  # a file, not a pipe: a chatty child must never block on stderr
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    proc.log = log
    line = proc.stdout.readline()
    assert line.strip() == "ready", (line, log.read_text())
    return proc


def wait_for_acks(path: Path, n: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(acked(path)) < n:
        assert proc.poll() is None, proc.log.read_text()
        assert time.monotonic() < deadline, f"only {len(acked(path))} of {n} acks"
        time.sleep(0.02)


def finish(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, proc.log.read_text()
    return json.loads(out.strip().splitlines()[-1])


def stored(url: str) -> tuple[set[str], int, int]:
    """(ids of every stored event, interactions, distinct interaction queries)."""
    s = TelemetryStore(url)
    with s.engine.connect() as conn:
        ids = set()
        for table in ("interactions", "feedback", "signals"):
            ids |= {r[0] for r in conn.execute(text(f"SELECT id FROM {table}"))}
        n, distinct = conn.execute(text("SELECT count(*), count(DISTINCT query_text) FROM interactions")).one()
    s.close()
    return ids, n, distinct


def spool_is_empty(tmp: Path) -> bool:
    spool = tmp / "spool.jsonl"
    return (not spool.exists() or spool.stat().st_size == 0) and not list(tmp.glob("spool.jsonl.replay-*"))


def test_kill_9_loses_nothing_acknowledged_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'telemetry.db'}"
    first = start_loadgen(url, tmp_path, "a")
    wait_for_acks(tmp_path / "acks-a.txt", 600, first)
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    acked_a = acked(tmp_path / "acks-a.txt")

    second = start_loadgen(url, tmp_path, "b", count=100)
    summary = finish(second)
    ids, n, distinct = stored(url)
    assert set(acked_a) <= ids, f"{len(set(acked_a) - ids)} acknowledged events lost"
    assert n == distinct, "an interaction was stored twice"
    assert set(acked(tmp_path / "acks-b.txt")) <= ids
    assert summary["pending"] == 0 and summary["interactions"] == 100
    assert spool_is_empty(tmp_path)


def test_kill_9_while_the_database_is_down_then_restart_postgres(tmp_path):
    with pg_schema_url() as direct, TcpProxy() as proxy:
        proxy.up()
        via_proxy = with_port(direct, proxy.port)
        TelemetryStore(direct).migrate()

        first = start_loadgen(via_proxy, tmp_path, "a")
        acks = tmp_path / "acks-a.txt"
        wait_for_acks(acks, 300, first)
        proxy.down()  # the database goes away mid-run
        committed_before = len(acked(acks))
        wait_for_acks(acks, committed_before + 400, first)  # ... and acknowledgements continue, via the spool
        assert (tmp_path / "spool.jsonl").exists() or list(tmp_path.glob("spool.jsonl.replay-*"))
        first.send_signal(signal.SIGKILL)  # killed while spooling
        first.wait(30)
        acked_a = acked(acks)
        assert not set(acked_a) <= stored(direct)[0], "events acknowledged while down must have been spooled"

        proxy.up()  # the database is back; a new process replays the spool, then writes its own events
        second = start_loadgen(via_proxy, tmp_path, "b", count=100)
        summary = finish(second)
        ids, n, distinct = stored(direct)
        assert set(acked_a) <= ids, f"{len(set(acked_a) - ids)} acknowledged events lost"
        assert n == distinct, "an interaction was stored twice"
        assert set(acked(tmp_path / "acks-b.txt")) <= ids
        assert summary["replayed"] > 0 and summary["pending"] == 0
        assert spool_is_empty(tmp_path)


def test_database_down_and_back_during_a_run_loses_nothing_postgres(tmp_path):
    """No crash: the same process spools while the database is down and replays when it returns;
    after a clean exit every submitted event is stored exactly once."""
    with pg_schema_url() as direct, TcpProxy() as proxy:
        proxy.up()
        TelemetryStore(direct).migrate()
        proc = start_loadgen(with_port(direct, proxy.port), tmp_path, "c", rate=500, count=1500)
        acks = tmp_path / "acks-c.txt"
        wait_for_acks(acks, 300, proc)
        proxy.down()
        wait_for_acks(acks, len(acked(acks)) + 300, proc)
        proxy.up()
        summary = finish(proc)
        ids, n, distinct = stored(direct)
        assert n == distinct == 1500
        assert set(acked(acks)) == ids and len(ids) == summary["submitted"]
        assert summary["spooled"] > 0 and summary["replayed"] > 0
        assert spool_is_empty(tmp_path)
