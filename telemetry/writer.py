"""``TelemetryWriter(store, spool_path)``: records events without ever blocking a streaming answer.

Use::

    writer = TelemetryWriter(store, data_dir / "telemetry-spool.jsonl")
    iid = new_id()                                # known before the answer streams, e.g. for ratings
    writer.record_interaction(session_id, query, answer, decision.to_dict(), interaction_id=iid,
                              consent=user_consented, usage=done.usage, timings=done.timings,
                              response_confidence=p_good)
    writer.record_feedback(iid, user_id, rating=7)            # a later change updates, never duplicates
    writer.record_signal(iid, "rephrase", session_id=session_id, score=0.93)
    esc = writer.record_escalation(iid, "user", session_id=session_id, modifier="code",
                                   failed_answer=answer, consent=user_consented)
    writer.record_escalation_outcome(esc, "resolved", new_interaction_id=iid2)
    writer.close()                                # flushes everything (also registered at exit)

Each ``record_*`` builds a typed event (``telemetry.events``; ``submit(event)`` takes one directly)
and puts it on a bounded in-memory queue: a few microseconds, no I/O, no lock held by I/O. One
background thread drains the queue in batches (up to ``batch_size`` events, or whatever arrived
within ``flush_interval_s``), scrubs and consent-filters the text, and commits each batch in one
transaction. Writes are idempotent by event id, so any retry or replay is harmless.

If the database cannot be reached, batches go to the spool: an append-only JSONL file next to the
database, fsync'd, replayed in order (before newer events) once the database answers again —
by this process, or by the next one to open the same spool after a crash. If the queue is full
(the database is slow and the spool cannot keep up), the caller appends its event to the spool
itself rather than dropping it or waiting. One process at a time may own a spool (``flock``).

**Acknowledged as durable** means one of: the transaction holding the event has committed (SQLite
with ``synchronous=FULL``, or PostgreSQL), or the event's record is in the spool file and the
file has been fsync'd. (A record the database refuses on its merits — a constraint, never a
connection problem — goes to ``<spool>.rejected.jsonl``, fsync'd, and is logged as an error;
that too is acknowledged, since nothing more can be done automatically.) It is exposed as:

- ``on_durable(ids)`` — a callback, run on the writer thread, with the ids just acknowledged;
- ``wait_durable(ids, timeout)`` — True once those events are acknowledged. A chat turn calls it
  before the last byte of its answer goes out, so an answer a client holds is never lost;
- ``flush(timeout)`` — returns True once every event submitted before the call is acknowledged;
- ``drain(timeout)`` — returns True once, additionally, nothing is left in the spool (all in the DB);
- ``stats()`` — counters, queue length, spool size and cap, whether the database is up, the last error.

(``on_durable`` runs on the writer thread: it must be quick and must not call ``flush``/``drain``.)

**Group commit.** While anyone waits (``wait_durable`` or ``flush``), the writer does not linger for
a fuller batch: it cuts one at once, but takes everything queued by then. Turns that finish while a
commit is in flight therefore share the next commit (one fsync) instead of paying one each —
``python -m telemetry bench`` prints commits per turn under 1, 8 and 24 concurrent turns.

Events that were only queued are lost if the process is killed (``kill -9``) before the next
batch is acknowledged — a window of at most ``flush_interval_s`` plus one commit; nobody who waited
for an event with ``wait_durable`` can lose it.

**Spool cap.** When the spool holds ``spool_max_bytes`` or more it is *full*: ``stats()`` says so
(``spool_full``), a loud error is logged once, and new events are spooled with their consented raw
text removed (counted as ``text_refused``). Nothing already acknowledged is ever dropped.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from telemetry.events import (
    EVENT_TYPES,
    EscalationEvent,
    EscalationOutcomeEvent,
    Event,
    FeedbackEvent,
    InteractionEvent,
    Record,
    SessionEvent,
    SignalEvent,
    iso,
    new_id,
    utcnow,
)
from telemetry.privacy import Scrubber
from telemetry.spool import Spool, SpoolBusyError, strip_raw_text
from telemetry.store import TelemetryStore, is_record_error

__all__ = ["TelemetryWriter", "WriterClosedError", "Spool", "SpoolBusyError"]

log = logging.getLogger("modroute.telemetry.writer")

_LOST_REMEMBERED = 10_000  # ids of lost events kept so wait_durable can say "never durable"


class WriterClosedError(RuntimeError):
    pass


def _approx_size(ev: Event) -> int:
    n = 256
    for name in ("query", "answer", "comment", "message", "failed_answer"):
        v = getattr(ev, name, None)
        if v:
            n += len(v)
    return n


class TelemetryWriter:
    def __init__(self, store: TelemetryStore, spool_path: str | os.PathLike, *,
                 max_queue_events: int = 10_000, max_queue_bytes: int = 64 << 20, batch_size: int = 500,
                 flush_interval_s: float = 0.05, retry_initial_s: float = 0.5, retry_max_s: float = 15.0,
                 on_durable: Callable[[list[str]], None] | None = None, scrubber: Scrubber | None = None,
                 hash_key: bytes = b"", spool_max_bytes: int | None = None, durable_timeout_s: float = 10.0):
        self.store = store
        self.spool = Spool(spool_path)
        self.max_queue_events = max_queue_events
        self.max_queue_bytes = max_queue_bytes
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.retry_initial_s = retry_initial_s
        self.retry_max_s = retry_max_s
        self.on_durable = on_durable
        self.scrubber = scrubber or Scrubber()
        self.hash_key = hash_key
        self.spool_max_bytes = spool_max_bytes  # None: no cap
        self.durable_timeout_s = durable_timeout_s  # the default wait of wait_durable

        self._cv = threading.Condition()
        self._queue: deque[tuple[int, Event, int]] = deque()
        self._queued_bytes = 0
        self._seq = 0
        self._pending: set[int] = set()  # submitted, not yet acknowledged
        self._seq_of: dict[str, int] = {}  # event id -> seq, while pending (what wait_durable waits for)
        self._lost: OrderedDict[str, None] = OrderedDict()  # recently lost ids: never durable
        self._waiters = 0  # threads in wait_durable: the writer cuts batches at once
        self._overflow_unsynced: list[tuple[int, str]] = []
        self._flush_requests = 0
        self._closing = False
        self._closed = False
        self._stats: Counter[str] = Counter()
        self._db_up: bool | None = None
        self._retry_delay = retry_initial_s
        self._next_retry = 0.0
        self._last_error: str | None = None
        self._spool_pending = self.spool.has_data()
        self._spool_full = False
        self._check_spool_full()
        self._thread = threading.Thread(target=self._run, name="telemetry-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # -- request path -------------------------------------------------------------------------------
    def submit(self, event: Event) -> str:
        """Queue an event; never blocks on I/O. Returns the event id."""
        if not isinstance(event, EVENT_TYPES):
            raise TypeError(f"not a telemetry event: {type(event).__name__}")
        size = _approx_size(event)
        with self._cv:
            if self._closing:
                raise WriterClosedError("the telemetry writer is closed")
            self._seq += 1
            seq = self._seq
            self._pending.add(seq)
            self._seq_of[event.id] = seq
            self._stats["submitted"] += 1
            if len(self._queue) < self.max_queue_events and self._queued_bytes + size <= self.max_queue_bytes:
                self._queue.append((seq, event, size))
                self._queued_bytes += size
                if len(self._queue) in (1, self.batch_size):  # start the linger timer / cut a full batch
                    self._cv.notify()
                return event.id
        self._overflow(seq, event)
        return event.id

    def _overflow(self, seq: int, event: Event) -> None:
        # Queue full: the database is far behind. Spool from the caller's thread (a buffered write,
        # no fsync: the writer thread syncs and acknowledges it) rather than drop or wait.
        try:
            records = self._prepare_one(event)
            self._refuse_text_if_full(records)
            self.spool.append(records, sync=False)
        except Exception as e:  # disk full, unserializable event: say so loudly, keep serving
            log.error("telemetry event %s could not be queued or spooled: %s", event.id, e)
            with self._cv:
                self._pending.discard(seq)
                self._forget(event.id, seq, lost=True)
                self._stats["lost"] += 1
                self._last_error = f"overflow spool failed: {e}"
                self._cv.notify_all()
            return
        with self._cv:
            self._spool_pending = True
            self._overflow_unsynced.append((seq, event.id))
            self._stats["overflowed"] += 1
            self._cv.notify()

    def record_session(self, session_id: str, *, user_id: str | None = None, client: str | None = None,
                       consent: bool = False, personalized: bool | None = None) -> str:
        return self.submit(SessionEvent(session_id, user_id=user_id, client=client, consent=consent,
                                        personalized=personalized))

    def record_interaction(self, session_id: str, query: str, answer: str, decision: Mapping[str, Any], *,
                           consent: bool = False, user_id: str | None = None,
                           usage: Mapping[str, Any] | None = None, timings: Mapping[str, Any] | None = None,
                           response_confidence: float | None = None, finish_reason: str | None = None,
                           interaction_id: str | None = None, created_at: datetime | None = None) -> str:
        """One answered turn. ``usage``/``timings`` are the engine's ``Done.usage``/``Done.timings``
        (prompt/completion tokens; total_ms, ttft_ms, tokens_per_s)."""
        usage = usage or {}
        timings = timings or {}
        return self.submit(InteractionEvent(
            session_id=session_id, query=query, answer=answer, decision=decision, consent=consent,
            user_id=user_id, latency_ms=timings.get("total_ms"), ttft_ms=timings.get("ttft_ms"),
            prompt_tokens=usage.get("prompt_tokens"), completion_tokens=usage.get("completion_tokens"),
            tokens_per_s=timings.get("tokens_per_s"), response_confidence=response_confidence,
            finish_reason=finish_reason, id=interaction_id or new_id(), created_at=created_at or utcnow()))

    def record_feedback(self, interaction_id: str, user_id: str, *, rating: int | None = None,
                        liked: bool | None = None, preferred: bool | None = None, comment: str | None = None,
                        consent: bool = False) -> str:
        """Raises ValueError at once for a rating outside 1..10."""
        return self.submit(FeedbackEvent(interaction_id, user_id, rating=rating, liked=liked, preferred=preferred,
                                         comment=comment, consent=consent))

    def record_signal(self, interaction_id: str, kind: str, *, session_id: str | None = None,
                      score: float | None = None, message: str | None = None, consent: bool = False) -> str:
        return self.submit(SignalEvent(interaction_id, kind, session_id=session_id, score=score, message=message,
                                       consent=consent))

    def record_escalation(self, failed_interaction_id: str, trigger: str, *, session_id: str | None = None,
                          new_interaction_id: str | None = None, domain: str | None = None,
                          modifier: str | None = None, failed_answer: str | None = None,
                          failed_response_confidence: float | None = None, consent: bool = False,
                          escalation_id: str | None = None, rung: str | None = None) -> str:
        return self.submit(EscalationEvent(
            failed_interaction_id, trigger, session_id=session_id, new_interaction_id=new_interaction_id,
            domain=domain, modifier=modifier, failed_answer=failed_answer,
            failed_response_confidence=failed_response_confidence, consent=consent, rung=rung,
            id=escalation_id or new_id()))

    def record_escalation_outcome(self, escalation_id: str, outcome: str, *,
                                  new_interaction_id: str | None = None) -> str:
        return self.submit(EscalationOutcomeEvent(escalation_id, outcome, new_interaction_id=new_interaction_id))

    # -- acknowledgement ---------------------------------------------------------------------------
    def wait_durable(self, event_ids: Iterable[str], timeout: float | None = None) -> bool:
        """Block until the events with these ids are acknowledged as durable; False on timeout
        (``timeout`` defaults to ``durable_timeout_s``) or if one of them was lost.

        Only these events are waited for, not everything submitted later; since batches are cut in
        order, in practice it also waits for whatever was queued before them. Ids this writer is not
        holding (already acknowledged, or never submitted here) have nothing to wait for. A timeout
        is logged as an error and counted in ``stats()["durable_timeouts"]``.
        """
        ids = list(event_ids)
        timeout = self.durable_timeout_s if timeout is None else timeout
        with self._cv:
            if any(i in self._lost for i in ids):
                return False
            seqs = [s for i in ids if (s := self._seq_of.get(i)) is not None]
            if not seqs:
                return True
            self._waiters += 1
            self._cv.notify_all()  # a lingering writer cuts its batch now
            try:
                ok = self._cv.wait_for(lambda: not any(s in self._pending for s in seqs), timeout)
            finally:
                self._waiters -= 1
            if ok and any(i in self._lost for i in ids):
                ok = False
            if not ok:
                self._stats["durable_timeouts"] += 1
                queued, db_up, err = len(self._queue), self._db_up, self._last_error
        if not ok:
            log.error("telemetry: %d event(s) not durable after %.1f s (%s); the answer is delivered anyway "
                      "and may be lost in a crash (queued %d, database up %s, last error %s)",
                      len(ids), timeout, ", ".join(ids[:3]), queued, db_up, err)
        return ok

    def flush(self, timeout: float | None = None) -> bool:
        """Block until every event submitted before this call is acknowledged as durable."""
        with self._cv:
            target = self._seq
            self._flush_requests += 1
            self._cv.notify_all()
            try:
                return self._cv.wait_for(lambda: min(self._pending, default=target + 1) > target, timeout)
            finally:
                self._flush_requests -= 1

    def drain(self, timeout: float | None = None) -> bool:
        """Like ``flush``, and also wait until the spool is empty (everything is in the database)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self.flush(timeout):
            return False
        with self._cv:
            self._next_retry = 0.0  # try the database now rather than at the next back-off step
            self._cv.notify_all()
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            return self._cv.wait_for(lambda: not self._spool_pending and not self._queue, left)

    def pending(self) -> int:
        with self._cv:
            return len(self._pending)

    def stats(self) -> dict[str, Any]:
        with self._cv:
            out: dict[str, Any] = {k: self._stats.get(k, 0) for k in (
                "submitted", "committed", "spooled", "replayed", "rejected", "overflowed", "lost", "batches",
                "text_refused", "durable_timeouts")}
            out.update(queued=len(self._queue), pending=len(self._pending), db_up=self._db_up,
                       spool_pending=self._spool_pending, last_error=self._last_error,
                       durable_waiters=self._waiters)
        out["spool_bytes"] = self._check_spool_full()
        out["spool_max_bytes"] = self.spool_max_bytes
        out["spool_full"] = self._spool_full
        return out

    # -- spool cap ----------------------------------------------------------------------------------
    def _check_spool_full(self) -> int:
        """Update the spool-full state from the spool's size (logged when it changes); returns the size."""
        size = self.spool.size_bytes()
        full = self.spool_max_bytes is not None and size >= self.spool_max_bytes
        with self._cv:
            changed, self._spool_full = full != self._spool_full, full
        if changed and full:
            log.error("TELEMETRY SPOOL FULL: %s holds %d bytes (cap %d) while the database is unreachable; "
                      "new events are spooled WITHOUT consented raw text until it drains. Nothing stored is "
                      "dropped.", self.spool.path, size, self.spool_max_bytes)
        elif changed:
            log.warning("telemetry spool below its cap again (%d of %d bytes); raw text is kept again",
                        size, self.spool_max_bytes)
        return size

    def _refuse_text_if_full(self, records: list[Record]) -> None:
        """Before spooling: once the spool is full, the records go in without their raw text."""
        if self.spool_max_bytes is None:
            return
        self._check_spool_full()
        if self._spool_full and (n := strip_raw_text(records)):
            with self._cv:
                self._stats["text_refused"] += n

    # -- shutdown -----------------------------------------------------------------------------------
    def close(self, timeout: float | None = 60.0) -> dict[str, Any]:
        """Stop accepting events, write everything queued (database, else spool), try one last replay."""
        with self._cv:
            if self._closed:
                return self.stats()
            self._closing = True
            self._cv.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("telemetry writer did not finish within %.0f s; %d events not acknowledged",
                      timeout or 0, self.pending())
        with self._cv:
            self._closed = True
        stats = self.stats()
        self.spool.close()
        atexit.unregister(self.close)
        return stats

    def __enter__(self) -> TelemetryWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writer thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        failures = 0
        while True:
            with self._cv:
                linger_until = None
                while True:
                    now = time.monotonic()
                    if self._closing or self._overflow_unsynced or len(self._queue) >= self.batch_size:
                        break
                    if self._queue:
                        if self._flush_requests or self._waiters:
                            break  # someone is waiting: no lingering, but the batch takes all queued
                        linger_until = linger_until or now + self.flush_interval_s
                        if now >= linger_until:
                            break
                        self._cv.wait(linger_until - now)
                    elif self._spool_pending:
                        if now >= self._next_retry:
                            break
                        self._cv.wait(min(self._next_retry - now, 1.0))
                    else:
                        self._cv.wait()
                batch = [self._queue.popleft() for _ in range(min(self.batch_size, len(self._queue)))]
                self._queued_bytes -= sum(b[2] for b in batch)
                overflow, self._overflow_unsynced = self._overflow_unsynced, []
                closing = self._closing
            try:
                if overflow:
                    self.spool.sync()
                    self._acknowledge(overflow, "spooled")
                    overflow = []
                self._process([(seq, ev) for seq, ev, _ in batch])
                failures = 0
            except Exception as e:
                # Never let the thread die (telemetry would stop silently) and never drop the batch:
                # what was not acknowledged goes back to the front of the queue and is retried.
                failures += 1
                if failures == 1 or failures % 100 == 0:
                    log.exception("telemetry writer error (attempt %d); retrying", failures)
                with self._cv:
                    self._last_error = f"{type(e).__name__}: {e}"
                    for item in reversed([b for b in batch if b[0] in self._pending]):
                        self._queue.appendleft(item)
                        self._queued_bytes += item[2]
                    self._overflow_unsynced[:0] = [o for o in overflow if o[0] in self._pending]
                time.sleep(min(0.1 * 2 ** min(failures, 6), 5.0))
            if closing:
                with self._cv:
                    if self._queue or self._overflow_unsynced:
                        continue
                if self._spool_pending:
                    self._replay()  # one last attempt; what is left stays spooled for the next start
                return

    def _prepare_one(self, ev: Event) -> list[Record]:
        return ev.to_records(self.scrubber, self.hash_key)

    def _process(self, batch: list[tuple[int, Event]]) -> None:
        prepared = self._prepare(batch)
        if self._spool_pending and time.monotonic() >= self._next_retry:
            # A replay can take long (a big spool, a database that times out): acknowledge this batch
            # first by spooling it behind what is already there (order kept, one fsync), so no turn
            # waiting for durability waits for the replay too.
            if prepared:
                self._to_spool(prepared)
            self._replay()
            return
        if not prepared:
            return
        acks = [(seq, eid) for seq, eid, _ in prepared]
        if self._spool_pending or (self._db_up is False and time.monotonic() < self._next_retry):
            self._to_spool(prepared)
            return
        records = [r for _, _, recs in prepared for r in recs]
        try:
            self.store.ensure_migrated()
            self.store.write_records(records)
        except Exception as e:
            if is_record_error(e):
                self._write_isolated(prepared)
                self._db_is_up()
                return
            self._db_is_down(e)
            self._to_spool(prepared)
            return
        self._db_is_up()
        self._acknowledge(acks, "committed")

    def _prepare(self, batch: list[tuple[int, Event]]) -> list[tuple[int, str, list[Record]]]:
        """Scrubbed records per event; an event that cannot be converted is set aside (rejected)."""
        prepared: list[tuple[int, str, list[Record]]] = []
        for seq, ev in batch:
            time.sleep(0)  # scrubbing holds the GIL: let request threads in between events
            try:
                prepared.append((seq, ev.id, self._prepare_one(ev)))
            except Exception as e:
                log.error("telemetry event %s could not be prepared: %s", ev.id, e)
                # never the event's repr: it holds the raw, unscrubbed text
                self.spool.reject([{"event": type(ev).__name__, "id": ev.id, "reason": f"prepare failed: {e}",
                                    "at": iso(utcnow())}])
                self._acknowledge([(seq, ev.id)], "rejected")
        return prepared

    def _to_spool(self, prepared: list[tuple[int, str, list[Record]]]) -> None:
        records = [r for _, _, recs in prepared for r in recs]
        self._refuse_text_if_full(records)
        self.spool.append(records, sync=True)
        with self._cv:
            self._spool_pending = True
        self._acknowledge([(seq, eid) for seq, eid, _ in prepared], "spooled")

    def _write_isolated(self, prepared: list[tuple[int, str, list[Record]]]) -> None:
        """A batch was refused for its data: write event by event, reject only the offenders."""
        for seq, eid, recs in prepared:
            try:
                self.store.write_records(recs)
            except Exception as e:
                if not is_record_error(e):
                    self._db_is_down(e)
                    self._to_spool([(seq, eid, recs)])
                    continue
                log.error("telemetry event %s refused by the database: %s", eid, e)
                self.spool.reject([{"record": r, "reason": str(e)[:500], "at": iso(utcnow())} for r in recs])
                self._acknowledge([(seq, eid)], "rejected")
                continue
            self._acknowledge([(seq, eid)], "committed")

    def _replay(self) -> bool:
        """Write spooled records to the database, oldest first. True when the spool is empty."""
        rejected: list[dict[str, Any]] = []

        def bad_line(line: bytes, reason: str) -> None:
            rejected.append({"line": line.decode("utf-8", "replace"), "reason": f"unreadable spool line: {reason}"})

        try:
            self.store.ensure_migrated()
            for seg in self.spool.take():
                n = 0
                for chunk in self.spool.read(seg, self.batch_size, bad_line):
                    try:
                        self.store.write_records(chunk)
                    except Exception as e:
                        if not is_record_error(e):
                            raise
                        for rec in chunk:
                            try:
                                self.store.write_records([rec])
                            except Exception as e2:
                                if not is_record_error(e2):
                                    raise
                                rejected.append({"record": rec, "reason": str(e2)[:500]})
                    n += len(chunk)
                if rejected:
                    for r in rejected:
                        r["at"] = iso(utcnow())
                    log.error("%d spooled telemetry records refused; kept in %s", len(rejected),
                              self.spool.rejected_path)
                    self.spool.reject(rejected)
                    with self._cv:
                        self._stats["rejected"] += len(rejected)
                    rejected = []
                self.spool.remove(seg)
                with self._cv:
                    self._stats["replayed"] += n
                log.info("replayed %d spooled telemetry records from %s", n, seg.name)
        except Exception as e:
            if rejected:
                self.spool.reject(rejected)
            self._db_is_down(e)
            return False
        self._db_is_up()
        self._check_spool_full()
        with self._cv:
            self._spool_pending = self.spool.has_data()
            self._cv.notify_all()
            return not self._spool_pending

    def _db_is_up(self) -> None:
        with self._cv:
            if self._db_up is False:
                log.info("telemetry database reachable again (%r)", self.store)
            self._db_up = True
            self._retry_delay = self.retry_initial_s
            self._next_retry = 0.0

    def _db_is_down(self, e: BaseException) -> None:
        with self._cv:
            if self._db_up is not False:
                log.warning("telemetry database unreachable (%r): %s; spooling to %s", self.store,
                            str(e).splitlines()[0][:300] if str(e) else type(e).__name__, self.spool.path)
            self._db_up = False
            self._last_error = f"{type(e).__name__}: {str(e).splitlines()[0][:300] if str(e) else ''}"
            self._next_retry = time.monotonic() + self._retry_delay
            self._retry_delay = min(self._retry_delay * 2, self.retry_max_s)

    def _acknowledge(self, items: list[tuple[int, str]], how: str) -> None:
        with self._cv:
            for seq, eid in items:
                self._pending.discard(seq)
                self._forget(eid, seq)
            self._stats[how] += len(items)
            if how in ("committed", "spooled"):
                self._stats["batches"] += 1
            self._cv.notify_all()
        if self.on_durable is not None and items:
            try:
                self.on_durable([eid for _, eid in items])
            except Exception:
                log.exception("on_durable callback failed")

    def _forget(self, event_id: str, seq: int, *, lost: bool = False) -> None:
        """Drop an acknowledged (or lost) event from the id map; the caller holds ``_cv``."""
        if self._seq_of.get(event_id) == seq:
            del self._seq_of[event_id]
        if lost:
            self._lost[event_id] = None
            while len(self._lost) > _LOST_REMEMBERED:
                self._lost.popitem(last=False)
