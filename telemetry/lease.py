"""A database lease: one holder of a named job at a time, across threads, processes and replicas.

APScheduler's persistent job stores are not a lock: several schedulers sharing one store can each
decide a job is due and run it (its FAQ: a job store "must never be shared between schedulers").
The lease is what makes a job body run once. It is a row in ``leases`` (name, owner, token,
acquired_at, expires_at), taken atomically on SQLite and PostgreSQL alike:

- a conditional ``UPDATE ... WHERE name = :n AND (expires_at < :now OR owner = :me)`` takes an
  expired (or our own) lease; the database serializes concurrent updates of one row, so exactly one
  contender sees ``rowcount == 1`` (PostgreSQL re-checks the WHERE on the row version the winner
  committed);
- when no row exists yet, ``INSERT ... ON CONFLICT DO NOTHING``: a concurrent insert makes ours a
  no-op instead of an error, so losing is clean.

Every acquisition bumps ``token`` (a fencing counter): a holder that was presumed dead and comes
back finds its token stale, so ``renew()`` fails and the job must stop. A holder killed with
``kill -9`` never releases; its lease is free once ``expires_at`` passes. While a job runs, a
renewer thread extends the lease every ``ttl/3``; a failed renewal sets ``lost``, which jobs check
(``JobContext.progress`` raises ``LeaseLost``).

Times are the clients' UTC clocks: replicas need clocks synchronised to well under ``ttl``.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from telemetry.schema import Lease as LeaseRow

log = logging.getLogger("modroute.telemetry.lease")

LEASES = LeaseRow.__table__


class LeaseLost(RuntimeError):
    """The lease was taken by someone else (or expired unrenewed) while its job ran: stop."""


class LeaseUnavailable(RuntimeError):
    """Another holder has the lease; ``holder`` is its row (owner, token, expires_at)."""

    def __init__(self, name: str, holder: dict[str, Any] | None):
        owner = (holder or {}).get("owner", "?")
        super().__init__(f"lease {name!r} is held by {owner}")
        self.holder = holder


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


class Lease:
    """``Lease(engine, "retrain", owner, ttl_s)``; ``acquire()`` / ``renew()`` / ``release()``, or::

        with Lease(engine, "retrain", owner, 900) as lease:   # raises LeaseUnavailable if held
            ...                                             # renewed in the background every ttl/3
            if lease.lost.is_set(): stop

    ``owner`` must be unique per holder (e.g. host:pid:run), since the owner may re-take its own lease.
    """

    def __init__(self, engine: Engine, name: str, owner: str, ttl_s: float):
        if ttl_s <= 0:
            raise ValueError("lease ttl must be positive")
        self.engine = engine
        self.name = name
        self.owner = owner[:128]
        self.ttl_s = float(ttl_s)
        self.token: int | None = None  # fencing token of our current acquisition
        self.expires_at: datetime | None = None
        self.previous: dict[str, Any] | None = None  # the row we took over (owner, token, expires_at), if any
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"Lease({self.name!r}, owner={self.owner!r}, token={self.token})"

    # -- primitives ----------------------------------------------------------------------------
    def _insert(self):
        dialect = self.engine.dialect.name
        return (sqlite_dialect.insert if dialect == "sqlite" else pg_dialect.insert)(LEASES)

    def holder(self) -> dict[str, Any] | None:
        """The lease row as it is now (owner, token, acquired_at, expires_at), or None if never taken."""
        with self.engine.connect() as conn:
            row = conn.execute(select(LEASES).where(LEASES.c.name == self.name)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        out["acquired_at"], out["expires_at"] = _aware(out["acquired_at"]), _aware(out["expires_at"])
        return out

    def acquire(self) -> bool:
        """Take the lease if it is free, expired, or already ours; True when we hold it now."""
        now = _now()
        expires = now + timedelta(seconds=self.ttl_s)
        c = LEASES.c
        # SQLite: take the write lock up front (a read-then-write transaction in WAL mode fails with
        # SQLITE_BUSY_SNAPSHOT instead of waiting); PostgreSQL: lock the row we read.
        with self.engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn, conn.begin():
            # Who held it before (for the caller's bookkeeping: e.g. marking a dead holder's run).
            q = select(c.owner, c.token, c.expires_at).where(c.name == self.name)
            if conn.dialect.name == "postgresql":
                q = q.with_for_update()
            before = conn.execute(q).mappings().first()
            if before is not None:
                stmt = (update(LEASES)
                        .where(c.name == self.name, or_(c.expires_at < now, c.owner == self.owner))
                        .values(owner=self.owner, token=c.token + 1, acquired_at=now, expires_at=expires)
                        .returning(c.token))
                token = conn.execute(stmt).scalar()
            else:
                stmt = (self._insert().values(name=self.name, owner=self.owner, token=1, acquired_at=now,
                                              expires_at=expires)
                        .on_conflict_do_nothing(index_elements=["name"]).returning(LEASES.c.token))
                token = conn.execute(stmt).scalar()
        if token is None:
            return False
        self.token, self.expires_at = int(token), expires
        self.previous = None
        if before is not None and before["owner"] != self.owner:
            self.previous = {"owner": before["owner"], "token": before["token"],
                             "expires_at": _aware(before["expires_at"])}
        self.lost.clear()
        return True

    def renew(self) -> bool:
        """Extend our lease by ``ttl``; False if it is no longer ours (taken over): the job must stop.

        Raises SQLAlchemy errors when the database cannot be reached (the renewer retries then)."""
        if self.token is None:
            return False
        now = _now()
        expires = now + timedelta(seconds=self.ttl_s)
        c = LEASES.c
        with self.engine.begin() as conn:
            res = conn.execute(update(LEASES).where(c.name == self.name, c.owner == self.owner,
                                                    c.token == self.token).values(expires_at=expires))
        if res.rowcount != 1:
            self.lost.set()
            return False
        self.expires_at = expires
        return True

    def release(self) -> None:
        """Give the lease up now (expire it), if it is still ours; safe to call twice."""
        self.stop_renewing()
        if self.token is None:
            return
        c = LEASES.c
        try:
            with self.engine.begin() as conn:
                conn.execute(update(LEASES).where(c.name == self.name, c.owner == self.owner,
                                                  c.token == self.token)
                             .values(expires_at=datetime(1970, 1, 1, tzinfo=UTC)))
        except sa_exc.SQLAlchemyError as e:  # it expires by itself
            log.warning("lease %s: release failed (%s); it expires at %s", self.name, type(e).__name__,
                        self.expires_at)
        self.token = None

    # -- background renewal ----------------------------------------------------------------------
    def start_renewing(self, every_s: float | None = None) -> None:
        """Renew every ``ttl/3`` in a daemon thread until ``release()``; sets ``lost`` if we lose it."""
        if self._renewer is not None:
            return
        self._stop.clear()
        period = every_s or self.ttl_s / 3
        self._renewer = threading.Thread(target=self._renew_loop, args=(period,), daemon=True,
                                         name=f"lease-{self.name}")
        self._renewer.start()

    def stop_renewing(self) -> None:
        t, self._renewer = self._renewer, None
        if t is not None:
            self._stop.set()
            if t is not threading.current_thread():
                t.join()

    def _renew_loop(self, period: float) -> None:
        while not self._stop.wait(period):
            try:
                if not self.renew():
                    log.error("lease %s (token %s) was taken over by another holder", self.name, self.token)
                    return
            except sa_exc.SQLAlchemyError as e:
                # Database unreachable: keep trying; past our expiry someone else may have it.
                if self.expires_at is not None and _now() >= self.expires_at:
                    log.error("lease %s expired while the database was unreachable (%s)", self.name,
                              type(e).__name__)
                    self.lost.set()
                    return

    # -- context manager -------------------------------------------------------------------------
    def __enter__(self) -> Lease:
        if not self.acquire():
            raise LeaseUnavailable(self.name, self.holder())
        self.start_renewing()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


__all__ = ["Lease", "LeaseLost", "LeaseUnavailable", "LEASES"]
