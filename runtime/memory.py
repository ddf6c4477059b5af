"""Per-session memory: a few KB of what happened in this conversation.

After an escalation in a domain succeeds (the user moves on instead of
complaining again, or rates the answer well), later questions of that domain
in the same session go to the modifier pre-emptively.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field


@dataclass
class SessionMemory:
    session_id: str
    modifiers_used: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # domain -> dissatisfied follow-ups
    escalations: deque = field(default_factory=lambda: deque(maxlen=16))  # dicts: domain, modifier, outcome
    confidences: deque = field(default_factory=lambda: deque(maxlen=16))
    preempt: dict[str, str] = field(default_factory=dict)  # domain -> modifier
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

    def note_escalation(self, domain: str, modifier: str | None) -> None:
        self.failures[domain] += 1
        esc = {"domain": domain, "modifier": modifier, "outcome": "pending", "at": round(time.time(), 1)}
        self.escalations.append(esc)
        self.pending_escalation = esc

    def resolve_pending(self, succeeded: bool) -> None:
        """Called on the next user signal after an escalation."""
        esc = self.pending_escalation
        if esc is None:
            return
        esc["outcome"] = "succeeded" if succeeded else "failed"
        if succeeded and esc["modifier"]:
            self.preempt[esc["domain"]] = esc["modifier"]
        self.pending_escalation = None

    def snapshot(self) -> dict:
        return {
            "modifiers_used": dict(self.modifiers_used),
            "failures": dict(self.failures),
            "escalations": list(self.escalations),
            "recent_confidences": list(self.confidences),
            "preempt": dict(self.preempt),
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
