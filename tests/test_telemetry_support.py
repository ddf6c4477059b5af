"""Fixtures shared by the telemetry tests (imported by them; this module has no tests of its own).

``db_url`` runs a test once on SQLite (a file in tmp_path) and once on the real PostgreSQL at
127.0.0.1:5432 (``MODROUTE_TEST_POSTGRES_URL``, default database ``modroute_test``, created if
missing), each PostgreSQL test in a fresh schema that is dropped afterwards. If PostgreSQL is not
reachable the test fails and says how to start it (``telemetry/ci_prepare_postgres.sh``); set
``MODROUTE_TEST_POSTGRES_URL=skip`` to skip those runs deliberately.

``TcpProxy`` sits between a writer and PostgreSQL so a test can take "the database" down (the
port refuses connections, open ones are cut) and bring it back, without touching the real server.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
import uuid
import warnings
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("MODROUTE_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/modroute_test")


def _conninfo(url, dbname: str | None = None) -> dict:
    u = make_url(url)
    out = {"host": u.host or "127.0.0.1", "port": u.port or 5432, "user": u.username or "postgres",
           "dbname": dbname or u.database, "connect_timeout": 5}
    if u.password:
        out["password"] = u.password
    return out


@functools.cache
def _ensure_pg_database() -> str | None:
    """None when the test database is ready, else why not."""
    import psycopg

    dbname = make_url(PG_URL).database
    try:
        with psycopg.connect(**_conninfo(PG_URL, "postgres"), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
                try:
                    conn.execute(f'CREATE DATABASE "{dbname}"')
                except psycopg.errors.DuplicateDatabase:
                    pass
    except psycopg.OperationalError as e:
        return str(e).strip().splitlines()[0]
    return None


def require_postgres() -> None:
    if PG_URL == "skip":
        pytest.skip("MODROUTE_TEST_POSTGRES_URL=skip")
    problem = _ensure_pg_database()
    if problem:
        pytest.fail(f"PostgreSQL for the telemetry tests is not reachable at {PG_URL} ({problem}); "
                    "start it with `bash telemetry/ci_prepare_postgres.sh`", pytrace=False)


@contextmanager
def pg_schema_url(base: str = PG_URL, port: int | None = None):
    """URL of a fresh, empty schema (set as search_path), dropped on exit; ``port`` reroutes (a proxy)."""
    import psycopg

    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(**_conninfo(base), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    if port is not None:
        url = url.set(port=port)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**_conninfo(base), autocommit=True) as conn:
            # never hang a test run on a lock some leftover connection holds: leave the schema then
            conn.execute("SET lock_timeout = '10s'")
            try:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            except psycopg.errors.LockNotAvailable:
                warnings.warn(f"test schema {schema} left behind (locked)", stacklevel=1)


def with_port(url: str, port: int) -> str:
    return make_url(url).set(port=port).render_as_string(hide_password=False)


# Fixtures carry a `name=` so test modules can import them without shadowing (ruff F811).
@pytest.fixture(params=["sqlite", "postgres"], name="backend")
def backend_fixture(request) -> str:
    return request.param


@pytest.fixture(name="db_url")
def db_url_fixture(backend, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'telemetry.db'}"
    else:
        with pg_schema_url() as url:
            yield url


@pytest.fixture(name="pg_url")
def pg_url_fixture():
    with pg_schema_url() as url:
        yield url


@pytest.fixture(name="store")
def store_fixture(db_url):
    from telemetry.store import TelemetryStore

    s = TelemetryStore(db_url)
    s.migrate()
    yield s
    s.close()


class TcpProxy:
    """A loopback TCP forwarder that can refuse connections ("database down") and accept again."""

    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 5432)):
        self.upstream = upstream
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._listener: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def up(self) -> TcpProxy:
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.port))
        ls.listen(64)
        ls.settimeout(0.1)
        self._listener = ls
        self._stop.clear()
        self._thread = threading.Thread(target=self._accept, args=(ls,), daemon=True)
        self._thread.start()
        return self

    def down(self) -> None:
        """Stop listening (new connections are refused) and cut every open connection."""
        self._stop.set()
        if self._thread:
            self._thread.join()
        if self._listener:
            self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, set()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def _accept(self, ls: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                client, _ = ls.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            server.settimeout(None)
            with self._lock:
                self._conns.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc) -> None:
        self.down()
