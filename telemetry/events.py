"""Typed telemetry events, and their conversion to storable records.

An event is built on the request path, so building one does no work beyond copying its
arguments: scrubbing, hashing and consent filtering happen later, on the writer's thread, in
``to_records``. Every event carries an ``id`` generated where it happens (``new_id()``); the
stores insert by that id with "on conflict do nothing" (feedback: "newer wins"), so writing an
event twice — a spool replay, a retry after a lost commit acknowledgement — never duplicates it.

A *record* is what gets stored or spooled: ``{"kind": ..., "id": ..., "row": {...}}`` with
JSON-native values only (times as ISO-8601 strings, UTC), already scrubbed.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telemetry.privacy import Scrubber, text_hash
from telemetry.schema import (
    ESCALATION_OUTCOMES,
    ESCALATION_TRIGGERS,
    ID_LEN,
    MODES,
    SESSION_ID_LEN,
    SIGNAL_KINDS,
    USER_ID_LEN,
)

Record = dict[str, Any]


def new_id() -> str:
    """A fresh event id (UUID4 string): generate it where the event happens, never on replay."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    """UTC ISO-8601 string with offset (naive datetimes are taken as UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()


def clean_text(s: str | None) -> str | None:
    """Text both backends accept: no NUL (PostgreSQL refuses it), no lone surrogates (not UTF-8)."""
    if s is None:
        return None
    if "\x00" in s:
        s = s.replace("\x00", "")
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "replace").decode("utf-8")
    return s


def _scrub(scrubber: Scrubber, s: str | None) -> str | None:
    return scrubber(clean_text(s))


def _jsonable(v: Any, scrubber: Scrubber) -> Any:
    """A JSON-native copy of a routing decision (numpy scalars, tuples, NaN handled; strings scrubbed)."""
    if v is None or isinstance(v, bool | int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, str):
        return _scrub(scrubber, v)
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x, scrubber) for k, x in v.items()}
    if isinstance(v, list | tuple | set):
        return [_jsonable(x, scrubber) for x in v]
    if hasattr(v, "item"):  # numpy scalar
        return _jsonable(v.item(), scrubber)
    if isinstance(v, datetime):
        return iso(v)
    return _scrub(scrubber, str(v))


def check_id(what: str, value: str | None, *, optional: bool = False, max_len: int = ID_LEN) -> None:
    """Ids are checked where the event is built, so a bad one fails the caller at once, on every backend."""
    if value is None and optional:
        return
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise ValueError(f"{what} must be a non-empty string of at most {max_len} characters, got {value!r}")


def _num(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _int(v: Any) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


@dataclass(slots=True)
class SessionEvent:
    session_id: str
    user_id: str | None = None
    client: str | None = None  # ui | api | beta
    consent: bool = False
    personalized: bool | None = None  # opted in to personalised routing (None: unchanged)
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        check_id("session_id", self.session_id, max_len=SESSION_ID_LEN)
        check_id("user_id", self.user_id, optional=True, max_len=USER_ID_LEN)

    def to_records(self, scrubber: Scrubber, hash_key: bytes = b"") -> list[Record]:
        t = iso(self.created_at)
        return [{"kind": "session", "id": self.session_id, "row": {
            "id": self.session_id, "user_id": self.user_id, "client": str(self.client)[:32] if self.client else None,
            "consent": bool(self.consent), "personalized": self.personalized,
            "started_at": t, "last_seen_at": t}}]


@dataclass(slots=True)
class InteractionEvent:
    """One answered turn. ``decision`` is ``RouteDecision.to_dict()``: its important fields become
    columns and the whole dict is kept as JSON. The event keeps references to its arguments until
    the writer thread converts it: pass values you do not mutate afterwards (``to_dict()`` is fresh)."""

    session_id: str
    query: str
    answer: str
    decision: Mapping[str, Any]
    consent: bool = False
    user_id: str | None = None
    latency_ms: float | None = None
    ttft_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    tokens_per_s: float | None = None
    response_confidence: float | None = None
    finish_reason: str | None = None
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        check_id("interaction id", self.id)
        check_id("session_id", self.session_id, max_len=SESSION_ID_LEN)
        check_id("user_id", self.user_id, optional=True, max_len=USER_ID_LEN)

    def to_records(self, scrubber: Scrubber, hash_key: bytes = b"") -> list[Record]:
        t = iso(self.created_at)
        d = dict(self.decision or {})
        mode = str(d.get("mode") or "fast").lower()
        if mode not in MODES:
            mode = "accurate" if "acc" in mode else "fast"
        query = _scrub(scrubber, self.query or "")
        answer = _scrub(scrubber, self.answer or "")
        session = {"kind": "session", "id": self.session_id, "row": {
            "id": self.session_id, "user_id": self.user_id, "client": None, "consent": bool(self.consent),
            "personalized": None, "started_at": t, "last_seen_at": t}}
        row = {
            "id": self.id, "session_id": self.session_id, "created_at": t,
            "query_hash": text_hash(query, hash_key),
            "query_chars": len(self.query or ""), "answer_chars": len(self.answer or ""),
            "consent": bool(self.consent),
            "query_text": query if self.consent else None,
            "answer_text": answer if self.consent else None,
            "mode": mode,
            "domain": (str(d["domain"])[:32] if d.get("domain") else None),
            "modifier": (str(d["modifier"])[:64] if d.get("modifier") else None),
            "router_confidence": _num(d.get("confidence")),
            "threshold": _num(d.get("threshold")),
            "forced": bool(d.get("forced", False)),
            "escalated": bool(d.get("escalated", False)),
            "preempted": bool(d.get("preempted", False)),
            "cascaded": bool(d.get("cascaded", False)),
            "router_version": (str(d["router_version"])[:64] if d.get("router_version") else None),
            "canary_arm": (str(d["canary_arm"])[:16] if d.get("canary_arm") else None),
            "rung": (str(d["rung"])[:32] if d.get("rung") else None),
            "tools": (_jsonable(d["tools"], scrubber) if d.get("tools") else None),
            "route_latency_ms": _num(d.get("latency_ms")),
            "latency_ms": _num(self.latency_ms), "ttft_ms": _num(self.ttft_ms),
            "prompt_tokens": _int(self.prompt_tokens), "completion_tokens": _int(self.completion_tokens),
            "tokens_per_s": _num(self.tokens_per_s), "response_confidence": _num(self.response_confidence),
            "finish_reason": (str(self.finish_reason)[:16] if self.finish_reason else None),
            "decision": _jsonable(d, scrubber),
        }
        return [session, {"kind": "interaction", "id": self.id, "row": row}]


@dataclass(slots=True)
class FeedbackEvent:
    """A user's rating/like/comment on an interaction. Fields left ``None`` keep their stored value;
    the newest event (by ``created_at``) wins, so replays and late arrivals never roll a change back."""

    interaction_id: str
    user_id: str
    rating: int | None = None
    liked: bool | None = None
    preferred: bool | None = None
    comment: str | None = None
    consent: bool = False
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.rating is not None:
            if isinstance(self.rating, bool) or int(self.rating) != self.rating or not 1 <= self.rating <= 10:
                raise ValueError(f"rating must be an integer from 1 to 10, got {self.rating!r}")
            self.rating = int(self.rating)
        check_id("interaction_id", self.interaction_id)
        if not self.user_id:
            raise ValueError("feedback needs a user id (use the session id for anonymous users)")
        check_id("user_id", self.user_id, max_len=USER_ID_LEN)

    def to_records(self, scrubber: Scrubber, hash_key: bytes = b"") -> list[Record]:
        t = iso(self.created_at)
        return [{"kind": "feedback", "id": self.id, "row": {
            "id": self.id, "interaction_id": self.interaction_id, "user_id": self.user_id,
            "rating": self.rating, "liked": self.liked, "preferred": self.preferred,
            "comment": _scrub(scrubber, self.comment) if (self.consent and self.comment) else None,
            "created_at": t, "updated_at": t, "revision": 1}}]


@dataclass(slots=True)
class SignalEvent:
    """An implicit signal about an answer: one of ``SIGNAL_KINDS``. ``message`` is the user's
    follow-up text that produced it (stored only with consent); ``score`` the detector's probability."""

    interaction_id: str
    kind: str
    session_id: str | None = None
    score: float | None = None
    message: str | None = None
    consent: bool = False
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.kind not in SIGNAL_KINDS:
            raise ValueError(f"unknown signal kind {self.kind!r}; expected one of {', '.join(SIGNAL_KINDS)}")
        check_id("interaction_id", self.interaction_id)
        check_id("session_id", self.session_id, optional=True, max_len=SESSION_ID_LEN)

    def to_records(self, scrubber: Scrubber, hash_key: bytes = b"") -> list[Record]:
        return [{"kind": "signal", "id": self.id, "row": {
            "id": self.id, "interaction_id": self.interaction_id, "session_id": self.session_id,
            "kind": self.kind, "score": _num(self.score),
            "message_text": _scrub(scrubber, self.message) if (self.consent and self.message) else None,
            "created_at": iso(self.created_at)}}]


@dataclass(slots=True)
class EscalationEvent:
    """A failed answer regenerated with a modifier. The failed answer is kept for learning
    (scrubbed, with consent); ``new_interaction_id`` is the regenerated answer, if already known."""

    failed_interaction_id: str
    trigger: str  # user | detector | cascade
    session_id: str | None = None
    new_interaction_id: str | None = None
    domain: str | None = None
    modifier: str | None = None
    failed_answer: str | None = None
    failed_response_confidence: float | None = None
    outcome: str = "pending"
    consent: bool = False
    rung: str | None = None  # the ladder's rung: modifier | critique | consistency | exhausted
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.trigger not in ESCALATION_TRIGGERS:
            raise ValueError(f"unknown escalation trigger {self.trigger!r}; expected {', '.join(ESCALATION_TRIGGERS)}")
        if self.outcome not in ESCALATION_OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}; expected {', '.join(ESCALATION_OUTCOMES)}")
        check_id("failed_interaction_id", self.failed_interaction_id)
        check_id("new_interaction_id", self.new_interaction_id, optional=True)
        check_id("session_id", self.session_id, optional=True, max_len=SESSION_ID_LEN)
        check_id("escalation id", self.id)

    def to_records(self, scrubber: Scrubber, hash_key: bytes = b"") -> list[Record]:
        return [{"kind": "escalation", "id": self.id, "row": {
            "id": self.id, "session_id": self.session_id, "failed_interaction_id": self.failed_interaction_id,
            "new_interaction_id": self.new_interaction_id, "trigger": self.trigger,
            "domain": str(self.domain)[:32] if self.domain else None,
            "modifier": str(self.modifier)[:64] if self.modifier else None,
            "failed_answer_text": _scrub(scrubber, self.failed_answer) if (self.consent and self.failed_answer) else None,
            "failed_response_confidence": _num(self.failed_response_confidence),
            "outcome": self.outcome, "created_at": iso(self.created_at), "resolved_at": None,
            "rung": str(self.rung)[:32] if self.rung else None}}]


@dataclass(slots=True)
class EscalationOutcomeEvent:
    """What became of an escalation (e.g. the user was satisfied with the regenerated answer)."""

    escalation_id: str
    outcome: str
    new_interaction_id: str | None = None
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.outcome not in ESCALATION_OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}; expected {', '.join(ESCALATION_OUTCOMES)}")
        check_id("escalation_id", self.escalation_id)
        check_id("new_interaction_id", self.new_interaction_id, optional=True)

    def to_records(self, scrubber: Scrubber, hash_key: bytes = b"") -> list[Record]:
        return [{"kind": "escalation_outcome", "id": self.id, "row": {
            "id": self.escalation_id, "outcome": self.outcome, "new_interaction_id": self.new_interaction_id,
            "resolved_at": iso(self.created_at)}}]


Event = SessionEvent | InteractionEvent | FeedbackEvent | SignalEvent | EscalationEvent | EscalationOutcomeEvent
EVENT_TYPES = (SessionEvent, InteractionEvent, FeedbackEvent, SignalEvent, EscalationEvent, EscalationOutcomeEvent)
