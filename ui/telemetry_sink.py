"""The bridge from the chat service (and the UI/API's feedback) to ``telemetry``'s writer.

``ChatService`` hands every finished turn to ``record_turn(record)`` (the dict built in
``ChatService._record``); this maps it onto ``TelemetryWriter.record_interaction`` and links what
the record implies: a cascade (a superseded Fast answer regenerated in Accurate mode) and an
escalation (the previous answer in the session was wrong) become escalation rows pointing at
the failed interaction, with the escalation ladder's rung. Ratings, likes and implicit signals
from the UI and the HTTP API go through :meth:`rate` and :meth:`signal`, so there is one place
that knows the telemetry API.

Everything here only queues events (microseconds, no I/O); the writer scrubs, applies consent,
batches and survives a database outage. One current rating per (user, interaction) is the
store's job: a changed rating updates the row.

The one exception is :meth:`durable`: ChatService calls it after ``record_turn`` and before it
hands the final answer over, so an answer a client received is committed (or fsync'd to the
spool) first — a ``kill -9`` right after the last byte must not lose the id the client may rate.
Concurrent turns share the writer's commits (group commit), so the wait is about one commit.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

log = logging.getLogger("modroute.ui.telemetry")

_REMEMBER = 10_000  # recent interaction ids kept in memory (known ids for /v1/feedback, per-session links)


class UnknownInteraction(LookupError):
    pass


class TelemetrySink:
    def __init__(self, writer: Any, store: Any = None, *, durable_timeout_s: float | None = None):
        self.writer = writer
        self.store = store
        # None: the writer's own default (TelemetrySettings.telemetry_durable_timeout_s via open_telemetry)
        self.durable_timeout_s = durable_timeout_s
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, dict[str, Any]] = OrderedDict()  # interaction id -> summary
        self._last_in_session: OrderedDict[str, str] = OrderedDict()  # session -> last answered interaction
        self._superseded: dict[str, tuple[str, float | None]] = {}  # session -> (superseded id, its confidence)

    # -- ChatService's TelemetrySink protocol --------------------------------------------------------
    def record_turn(self, record: dict[str, Any]) -> str:
        """Queue the turn's interaction (with its session row) and the links it implies; returns the
        interaction id, which is also the event id :meth:`durable` waits for."""
        iid, session_id = record["id"], record["session_id"]
        decision = record.get("decision") or {}
        extra = record.get("extra") or {}
        query = record.get("query")
        if query is None:  # an older ChatService that pre-filters text itself
            query = record.get("query_text") or ""
        answer = record.get("answer")
        if answer is None:
            answer = record.get("answer_text") or ""
        consent = bool(record.get("consent"))
        self.writer.record_interaction(
            session_id, query, answer, decision, consent=consent, user_id=record.get("user") or None,
            usage=record.get("usage"), timings=record.get("timings"),
            response_confidence=record.get("response_confidence"), finish_reason=record.get("finish_reason"),
            interaction_id=iid)
        with self._lock:
            previous = self._last_in_session.get(session_id)
            superseded = self._superseded.pop(session_id, None)
            self._remember(iid, session_id, decision)
            if extra.get("superseded"):
                # The Fast answer the user never saw: the cascade's regeneration will point at it.
                self._superseded[session_id] = (iid, record.get("response_confidence"))
                return iid
            self._last_in_session[session_id] = iid
            self._last_in_session.move_to_end(session_id)
            while len(self._last_in_session) > _REMEMBER:
                self._last_in_session.popitem(last=False)
        if superseded is not None and "cascade_from_confidence" in extra:
            self.writer.record_escalation(
                superseded[0], "cascade", session_id=session_id, new_interaction_id=iid,
                domain=decision.get("domain"), modifier=decision.get("modifier"),
                failed_response_confidence=superseded[1], consent=consent)
        elif record.get("failed_answer") is not None and previous is not None:
            trigger = record.get("escalation_trigger") or "detector"
            # The rung (modifier | critique | consistency | exhausted) lets the retraining job learn which
            # escalations succeed; interactions.rung carries it too, through the decision.
            self.writer.record_escalation(
                previous, trigger, session_id=session_id, new_interaction_id=iid, domain=decision.get("domain"),
                modifier=decision.get("modifier"), failed_answer=record.get("failed_answer"), consent=consent,
                rung=decision.get("rung") or None)
        return iid

    def durable(self, interaction_id: str, timeout: float | None = None) -> bool:
        """Block until the interaction recorded by :meth:`record_turn` (and its session row) is
        durable; False if it was never recorded here, was lost, or ``timeout`` passed (the writer
        logs that loudly and counts it in ``stats()["durable_timeouts"]``)."""
        with self._lock:
            if interaction_id not in self._recent:
                return False
        if timeout is None:
            timeout = self.durable_timeout_s
        return bool(self.writer.wait_durable([interaction_id], timeout))

    def _remember(self, iid: str, session_id: str, decision: dict) -> None:
        self._recent[iid] = {"session_id": session_id, "mode": decision.get("mode"),
                             "domain": decision.get("domain"), "modifier": decision.get("modifier")}
        while len(self._recent) > _REMEMBER:
            self._recent.popitem(last=False)

    # -- sessions, feedback, signals -----------------------------------------------------------------
    def session(self, session_id: str, *, user_id: str | None = None, client: str | None = None,
                consent: bool = False, personalized: bool | None = None) -> None:
        self.writer.record_session(session_id, user_id=user_id, client=client, consent=consent,
                                   personalized=personalized)

    def known(self, interaction_id: str) -> bool:
        """Recorded by this process, or present in the database."""
        with self._lock:
            if interaction_id in self._recent:
                return True
        if self.store is None:
            return False
        try:
            return self.store.interaction(interaction_id) is not None
        except Exception as e:  # the database may be down; the writer spools, so accept the id
            log.warning("telemetry: cannot look up interaction %s (%s); accepting it", interaction_id, e)
            return True

    def session_of(self, interaction_id: str) -> str | None:
        with self._lock:
            seen = self._recent.get(interaction_id)
        if seen is not None:
            return seen["session_id"]
        if self.store is None:
            return None
        try:
            row = self.store.interaction(interaction_id)
        except Exception:
            return None
        return row["session_id"] if row else None

    def rate(self, interaction_id: str, user_id: str, *, rating: int | None = None, liked: bool | None = None,
             preferred: bool | None = None, comment: str | None = None, consent: bool = False) -> str:
        """Record (or change) this user's feedback on an interaction. ValueError for a bad rating."""
        if not interaction_id:
            raise UnknownInteraction("no answer to rate")
        comment = (comment or "").strip() or None
        return self.writer.record_feedback(interaction_id, user_id, rating=rating, liked=liked, preferred=preferred,
                                           comment=comment, consent=consent or comment is not None)

    def signal(self, interaction_id: str, kind: str, *, session_id: str | None = None,
               score: float | None = None) -> None:
        if not interaction_id:
            return
        try:
            self.writer.record_signal(interaction_id, kind, session_id=session_id, score=score)
        except Exception:  # a lost implicit signal must never break the UI
            log.exception("telemetry: could not record %s signal", kind)

    def stats(self) -> dict[str, Any]:
        try:
            return self.writer.stats()
        except Exception as e:
            return {"error": str(e)}
