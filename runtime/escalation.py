"""The escalation ladder: what to try next when the user says an answer was wrong.

Re-running the same prompt with the same modifier at temperature 0 reproduces the rejected answer
word for word (measured: 4 of 4 ask-then-complain conversations). So each complaint about a
question climbs to the next rung not yet tried for that question in this session:

1. ``modifier``    — base alone -> the domain's modifier (skipped when the rejected answer used it);
2. ``critique``    — regenerate with the user's complaint, the rejected answer and the critique
                     scorer's flags in the prompt (``runtime.critique.feedback_prompt``);
3. ``consistency`` — sample N paths and take the majority (``runtime.consistency``);
4. ``exhausted``   — say plainly that nothing better is available and point at the forced-modifier
                     control; never a silent repeat.

An escalated answer is never one of the rejected answers again (compared with whitespace
normalised): a rung that reproduces one is abandoned for the next rung, and the notice says so.
Session memory remembers which rung worked per domain (a rating >= 7, or a follow-up that is not
a complaint) and the next escalation in that domain starts there.

This module only decides; :mod:`runtime.accurate` runs the rungs. State lives in
:class:`~runtime.memory.SessionMemory` (``ladders``), keyed by a hash of the question.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from runtime.memory import SessionMemory

MODIFIER, CRITIQUE, CONSISTENCY, EXHAUSTED = "modifier", "critique", "consistency", "exhausted"
RUNGS = (MODIFIER, CRITIQUE, CONSISTENCY)
RUNG_TITLES = {MODIFIER: "the domain's modifier", CRITIQUE: "self-critique with your feedback",
               CONSISTENCY: "self-consistency (several sampled answers, majority vote)",
               EXHAUSTED: "nothing left to try"}


def normalise(text: str) -> str:
    """Whitespace-normalised text: two answers that differ only in spacing are the same answer."""
    return " ".join(str(text or "").split())


def text_key(text: str) -> str:
    """Short stable hash of normalised text (session memory keeps hashes, not text)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


@dataclass
class LadderState:
    """One question in one session: what answered it, what was rejected, which rungs were tried."""

    key: str
    domain: str = ""
    answered_with: str | None = None  # modifier of the first answer (None = base model)
    tried: list[str] = field(default_factory=list)  # rungs, in the order they were tried
    rejected: list[str] = field(default_factory=list)  # text_key of every rejected answer
    paths: int = 0  # sampled answers of the consistency rung (for the "exhausted" message)

    def reject(self, answer: str) -> None:
        k = text_key(answer)
        if k not in self.rejected:
            self.rejected.append(k)

    def is_rejected(self, answer: str) -> bool:
        return text_key(answer) in self.rejected

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "answered_with": self.answered_with, "tried": list(self.tried),
                "rejected": len(self.rejected), "paths": self.paths}


@dataclass
class Target:
    """What a complaint is about: the original question, its history and every answer rejected so far."""

    question: str
    before: list[dict]  # the conversation before the question
    rejected: list[str]  # assistant answers to this question, oldest first (the last one is being rejected now)
    complaints: list[str]  # the user's complaints about them, oldest first (the last one is this turn)
    why: str = ""

    @property
    def failed(self) -> str:
        return self.rejected[-1]

    @property
    def complaint(self) -> str:
        """All complaints, so a later rung still sees "it fails for 2" after "still wrong"."""
        return " / ".join(c.strip() for c in self.complaints if c.strip())


def find_target(messages: list[dict], is_complaint: Callable[[str], bool]) -> Target | None:
    """The question a complaint (the last user message) is about.

    Walks back over earlier complaint/answer pairs, so the third complaint in
    ``Q, A1, C1, A2, C2, A3, C3`` is about ``Q`` (rejected ``A1..A3``), not about ``C2``."""
    prior = messages[:-1]
    if len(prior) < 2 or prior[-1].get("role") != "assistant":
        return None
    users = [i for i, m in enumerate(prior) if m.get("role") == "user"]
    if not users:
        return None
    complaints = [str(messages[-1].get("content") or "")]
    rejected = [str(prior[-1].get("content") or "")]
    pos = len(users) - 1
    while pos > 0:
        idx = users[pos]
        text = str(prior[idx].get("content") or "")
        answer = prior[idx - 1] if idx > 0 else None
        if answer is None or answer.get("role") != "assistant" or not is_complaint(text):
            break
        complaints.insert(0, text)
        rejected.insert(0, str(answer.get("content") or ""))
        pos -= 1
    idx = users[pos]
    return Target(question=str(prior[idx]["content"]), before=prior[:idx], rejected=rejected, complaints=complaints)


@dataclass
class Plan:
    """The rungs to try for this complaint, in order (always ending with ``exhausted``), and why the
    others were skipped."""

    state: LadderState
    rungs: list[str]
    skipped: list[str] = field(default_factory=list)  # human sentences
    started_from_memory: str = ""  # the rung session memory started at ("" when it did not)


class EscalationLadder:
    """Decides the rung; :mod:`runtime.accurate` runs it. Stateless itself: state is in the session."""

    def state_for(self, session: SessionMemory, target: Target, domain: str) -> tuple[LadderState, bool]:
        """The ladder state of the target question (created when this session has none: a stateless API
        client, or a question asked before a restart). Second value: whether it was already known."""
        key = text_key(target.question)
        state = session.ladders.get(key)
        known = state is not None
        if state is None:
            state = LadderState(key=key, domain=domain)
            session.remember_ladder(state)
        state.domain = state.domain or domain
        for answer in target.rejected:
            state.reject(answer)
        return state, known

    def plan(self, state: LadderState, *, modifier: str | None, available: dict[str, str],
             start_at: str | None = None) -> Plan:
        """``modifier``: the domain's modifier (None: none is available). ``available``: rung -> "" when
        it can run, else why not. ``start_at``: the rung that worked for this domain before in this session."""
        skipped: list[str] = []
        rungs: list[str] = []
        start = RUNGS.index(start_at) if start_at in RUNGS else 0
        for i, rung in enumerate(RUNGS):
            if rung in state.tried:
                continue
            if rung == MODIFIER:
                if modifier is None:
                    skipped.append("no modifier is available for this domain")
                    continue
                if state.answered_with == modifier:
                    skipped.append(f"the rejected answer already used the {modifier} modifier")
                    continue
            if available.get(rung, ""):
                skipped.append(f"{RUNG_TITLES[rung]} is unavailable ({available[rung]})")
                continue
            if i < start:
                skipped.append(f"{RUNG_TITLES[rung]} skipped: {RUNG_TITLES[start_at]} worked for "
                               f"{state.domain} earlier in this session")
                continue
            rungs.append(rung)
        return Plan(state, rungs + [EXHAUSTED], skipped, start_at if start and start_at in rungs else "")

    @staticmethod
    def infer_tried(state: LadderState, plan_rungs: list[str], earlier_complaints: int) -> None:
        """A session that never saw this question (stateless API client) still sees the earlier complaints
        in the conversation: assume each of them used up the next rung of the plan."""
        for rung in plan_rungs[:max(0, earlier_complaints)]:
            if rung != EXHAUSTED and rung not in state.tried:
                state.tried.append(rung)

    # -- what the user is told --------------------------------------------------------------------
    @staticmethod
    def notice(rung: str, why: str, state: LadderState, *, modifier: str | None, plan: Plan,
               complaint: str = "", extra: str = "") -> str:
        """Which rung, and why this one (``why``: what triggered the escalation)."""
        head = f"Escalated to the {rung} rung — {why}."
        if rung == MODIFIER:
            body = (f"Your previous answer came from the base model, so I answered your question again with the "
                    f"{modifier} modifier ({state.domain}).")
        elif rung == CRITIQUE:
            used = f"the {state.answered_with} modifier" if state.answered_with else "the base model"
            quoted = f' ("{_clip(complaint, 80)}")' if complaint else ""
            body = (f"Answering the same way again ({used}) would repeat the rejected answer, so I regenerated it "
                    f"with your feedback{quoted} and the rejected answer in the prompt.")
        elif rung == CONSISTENCY:
            body = ("Self-critique was already tried for this question, so I sampled several answers and kept the "
                    "one most of them agree on.")
        else:
            body = ""
        if plan.started_from_memory == rung:
            body += f" Started at this rung because it worked for {state.domain} earlier in this session."
        # Only what the user could not guess: a tool that is missing.
        missing = [s for s in plan.skipped if "unavailable" in s]
        if missing and rung != EXHAUSTED:
            body += " (" + "; ".join(missing) + ".)"
        return " ".join(x for x in (extra, head, body) if x)

    @staticmethod
    def exhausted_text(state: LadderState, *, modifier: str | None) -> str:
        """The plain answer when every rung has been tried: what was tried, and what the user can do."""
        done: list[str] = []
        mod = modifier or state.answered_with
        if mod and (MODIFIER in state.tried or state.answered_with):
            done.append(f"the {mod} modifier")
        elif not mod:
            done.append("the base model (no modifier exists for this domain)")
        if CRITIQUE in state.tried:
            done.append("a self-critique with your feedback")
        if CONSISTENCY in state.tried:
            done.append(f"{state.paths or 'several'} sampled answers")
        tried = ", ".join(done[:-1]) + (" and " if len(done) > 1 else "") + done[-1] if done else "what I could"
        return (f"I have tried {tried} for this question; nothing better is available. You can force a "
                "modifier in Routing controls (or the API's `modifier` field), or rephrase the question with "
                "more detail about what is wrong.")


def _clip(text: str, n: int) -> str:
    text = normalise(text)
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"
