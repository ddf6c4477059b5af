"""Per-session memory: a few KB of what happened in this conversation.

After an escalation in a domain succeeds (the user moves on instead of
complaining again, or rates the answer well), later questions of that domain
in the same session go to the modifier pre-emptively, and the next escalation
in that domain starts at the ladder rung that worked (``rung_start``). The
escalation ladder's per-question state (``ladders``: hashes only, no text) and
the hashes of messages that were complaints live here too.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field

from runtime.escalation import MODIFIER, RUNGS, LadderState, text_key

MAX_LADDERS = 8  # questions per session whose escalation state is kept


@dataclass
class SessionMemory:
    session_id: str
    modifiers_used: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # domain -> dissatisfied follow-ups
    escalations: deque = field(default_factory=lambda: deque(maxlen=16))  # dicts: domain, modifier, outcome
    confidences: deque = field(default_factory=lambda: deque(maxlen=16))
    preempt: dict[str, str] = field(default_factory=dict)  # domain -> modifier
    rung_start: dict[str, str] = field(default_factory=dict)  # domain -> ladder rung that worked there
    ladders: OrderedDict = field(default_factory=OrderedDict)  # question key -> LadderState (LRU)
    complaints: deque = field(default_factory=lambda: deque(maxlen=32))  # text_key of complaint messages
    pending_escalation: dict | None = None
    last_question: str = ""
    last_domain: str = ""
    touched: float = field(default_factory=time.time)

    def note_turn(self, domain: str, modifier: str | None, confidence: float) -> None:
        self.touched = time.time()
        if modifier:
            self.modifiers_used[modifier] += 1
        self.confidences.append(round(float(confidence), 3))
        self.last_domain = domain

    def note_answer(self, question: str, domain: str, modifier: str | None) -> None:
        """A question answered normally: what answered it (the ladder skips a modifier already used)."""
        key = text_key(question)
        state = self.ladders.get(key)
        if state is None:
            self.remember_ladder(LadderState(key=key, domain=domain, answered_with=modifier))
        else:  # asked again: the newest answer is the one a complaint will be about
            state.answered_with, state.domain = modifier, domain
            self.ladders.move_to_end(key)

    def remember_ladder(self, state: LadderState) -> None:
        self.ladders[state.key] = state
        self.ladders.move_to_end(state.key)
        while len(self.ladders) > MAX_LADDERS:
            self.ladders.popitem(last=False)

    def note_complaint(self, text: str) -> None:
        self.complaints.append(text_key(text))

    def is_known_complaint(self, text: str) -> bool:
        return text_key(text) in self.complaints

    @property
    def knows_history(self) -> bool:
        """Whether this session saw earlier turns (else a conversation's past is inferred from its text)."""
        return bool(self.ladders) or bool(self.complaints)

    def note_escalation(self, domain: str, modifier: str | None, rung: str = MODIFIER) -> None:
        self.failures[domain] += 1
        esc = {"domain": domain, "modifier": modifier, "rung": rung, "outcome": "pending",
               "at": round(time.time(), 1)}
        self.escalations.append(esc)
        self.pending_escalation = esc

    def resolve_pending(self, succeeded: bool) -> None:
        """Called on the next user signal after an escalation (a rating, a follow-up, another complaint)."""
        esc = self.pending_escalation
        if esc is None:
            return
        esc["outcome"] = "succeeded" if succeeded else "failed"
        rung = esc.get("rung", MODIFIER)
        if succeeded and esc["modifier"] and rung == MODIFIER:
            self.preempt[esc["domain"]] = esc["modifier"]
        if succeeded and rung in RUNGS:
            # The next escalation in this domain starts at the rung that worked (the modifier is rung 1:
            # starting there is the default, and pre-emption already applies it up front).
            if rung == MODIFIER:
                self.rung_start.pop(esc["domain"], None)
            else:
                self.rung_start[esc["domain"]] = rung
        self.pending_escalation = None

    def snapshot(self) -> dict:
        return {
            "modifiers_used": dict(self.modifiers_used),
            "failures": dict(self.failures),
            "escalations": list(self.escalations),
            "recent_confidences": list(self.confidences),
            "preempt": dict(self.preempt),
            "rung_start": dict(self.rung_start),
            "ladders": {k: v.to_dict() for k, v in self.ladders.items()},
        }


class SessionStore:
    """Bounded LRU of SessionMemory objects, thread-safe."""

    def __init__(self, max_sessions: int = 10_000, ttl_s: float = 24 * 3600):
        self._items: OrderedDict[str, SessionMemory] = OrderedDict()
        self._lock = threading.Lock()
        self.max_sessions = max_sessions
        self.ttl_s = ttl_s

    def get(self, session_id: str) -> SessionMemory:
        now = time.time()
        with self._lock:
            mem = self._items.get(session_id)
            if mem is None or now - mem.touched > self.ttl_s:
                mem = SessionMemory(session_id)
                self._items[session_id] = mem
            self._items.move_to_end(session_id)
            while len(self._items) > self.max_sessions:
                self._items.popitem(last=False)
            return mem

    def __len__(self) -> int:
        return len(self._items)
