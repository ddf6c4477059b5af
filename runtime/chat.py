"""One chat turn end to end: route -> answer (Accurate mode's tools) -> (cascade | escalate) -> remember -> record.

The UI and the HTTP API both call :class:`ChatService`; neither makes a routing
decision itself. A turn is a stream of events:

- ``Routed(decision)``: the decision, before any token (the badge can show at once), again when it changes;
- ``Notice(text)``: something the user should be told (escalation rung, cascade, fallback, tool results);
- ``Restart(reason)``: discard the text streamed so far (a cascade, a critique round or a rung replaces it);
- the engine's ``Queued`` / ``Started`` / ``Token`` events;
- ``TurnDone``: final text, decision, usage, timings, response confidence, interaction id.

Accurate mode's tools (few-shot, self-consistency, the critique loop) run in :mod:`runtime.accurate`;
a complaint climbs the escalation ladder (:mod:`runtime.escalation`) instead of re-running the same
prompt, which reproduced the rejected answer word for word.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from runtime.accurate import MAX_CRITIQUE_ROUNDS, AccurateRunner, AccurateTools, Answer
from runtime.decision import ACCURATE, FAST, RouteDecision
from runtime.engine import BusyError, ChatRequest, Done, Engine, InputError, Queued, Started, Token
from runtime.escalation import EscalationLadder, Target, find_target
from runtime.events import Notice, Restart, Routed
from runtime.memory import SessionMemory, SessionStore

log = logging.getLogger("modroute.chat")

MODES_IN = ("auto", FAST, ACCURATE)


def is_unicode(text: str) -> bool:
    """False for a string holding a lone surrogate (JSON and JavaScript can carry one; UTF-8 cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class RouterLike(Protocol):
    version: str

    def route(self, text: str, *, session: SessionMemory | None = None, mode: str = "auto",
              modifier: str | None = None, history: list[dict] | None = None, user: str = "",
              personalized: bool = False) -> RouteDecision: ...

    def response_confidence(self, confidence: dict[str, float], decision: RouteDecision) -> float: ...


class DetectorLike(Protocol):
    def dissatisfied_p(self, text: str) -> float: ...


class TelemetrySink(Protocol):
    """Where finished turns go. A sink may also have ``durable(interaction_id) -> bool``: it is then
    called before the final answer is handed over and should block until the record would survive
    a crash (False when it gave up waiting). Duck-typed, so runtime/ never imports telemetry/."""

    def record_turn(self, record: dict[str, Any]) -> Any: ...


@dataclass
class Turn:
    messages: list[dict[str, Any]]  # the conversation, ending with the new user message
    session_id: str = ""
    mode: str = "auto"  # auto | fast | accurate
    modifier: str | None = None  # forced modifier
    temperature: float = 0.0
    max_tokens: int | None = None
    consent: bool = False  # store raw text
    user: str = ""
    cancel: threading.Event | None = None
    escalate: bool = False  # the user pressed "this answer is wrong": redo the previous question
    interaction_id: str = ""  # record the final answer under this id (an API completion id known up front)
    cascade: bool | None = None  # None = the service default; a streaming API turn cannot take text back
    top_p: float = 1.0
    seed: int | None = None
    stop: list[str] = field(default_factory=list)  # stop strings (not part of the answer)
    personalized: bool = False  # the user opted in to personalised routing thresholds
    # Accurate mode's tools (None = the service's default / automatic choice):
    max_critique_rounds: int | None = None  # critique -> regenerate rounds on Accurate answers, 0-3 (0 = off)
    self_consistency: bool | None = None  # True: always; None: hard questions in Accurate mode; False: never
    n_paths: int | None = None  # sampled paths for self-consistency, 3-10
    examples: list[dict] | None = None  # few-shot examples supplied by the user: {"input", "output"}
    use_examples: bool | None = None  # True: retrieve examples; None: when the question is novel (Accurate)
    restartable: bool = True  # the client can discard streamed text on Restart (else candidates are buffered)
    frequency_penalty: float = 0.0  # when sampling (temperature > 0)
    top_logprobs: int = 0  # alternatives per token on each Token (the sampled token's logprob is always there)


@dataclass
class TurnDone:
    interaction_id: str
    decision: RouteDecision
    text: str
    finish_reason: str
    usage: dict[str, int]
    timings: dict[str, float]
    response_confidence: float
    notice: str = ""
    failed_answer: str | None = None
    trimmed_turns: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


TurnEvent = Routed | Notice | Restart | Queued | Started | Token | TurnDone
__all__ = ["ChatService", "Notice", "Restart", "Routed", "Turn", "TurnDone", "TurnEvent"]


class ChatService:
    def __init__(self, engine: Engine, router: RouterLike, detector: DetectorLike | None = None,
                 sessions: SessionStore | None = None, telemetry: TelemetrySink | None = None,
                 cascade: bool = True, dissatisfied_threshold: float = 0.5, tools: AccurateTools | None = None):
        self.engine = engine
        self.router = router
        self.detector = detector
        self.sessions = sessions if sessions is not None else SessionStore()  # an empty store is falsy
        self.telemetry = telemetry
        self.cascade = cascade
        self.dissatisfied_threshold = dissatisfied_threshold
        self.tools = tools if tools is not None else AccurateTools()  # none loaded: every tool unavailable
        self.ladder = EscalationLadder()

    # ------------------------------------------------------------------------------------------
    def stream_turn(self, turn: Turn) -> Iterator[TurnEvent]:
        if turn.mode not in MODES_IN:
            raise InputError(f"mode must be one of {', '.join(MODES_IN)}, got {turn.mode!r}")
        if turn.modifier and self.engine.modifiers.get(turn.modifier) is None:
            raise InputError(
                f"unknown modifier {turn.modifier!r}; available: {', '.join(self.engine.modifiers.names()) or 'none'}"
            )
        messages = [m for m in (turn.messages or []) if isinstance(m, dict)]
        if not messages or messages[-1].get("role") != "user" or not str(messages[-1].get("content") or "").strip():
            raise InputError("the last message must be a non-empty user message")
        for i, m in enumerate(messages):
            if not is_unicode(str(m.get("content") or "")):
                raise InputError(f"message {i + 1} contains a lone UTF-16 surrogate, which is not valid Unicode text")
        self._check_tools(turn)
        session = self.sessions.get(turn.session_id or uuid.uuid4().hex)
        text = str(messages[-1]["content"])
        runner = AccurateRunner(self.tools, self._generator(turn, session), turn, self.ladder)

        target = self._escalation_target(turn, messages, session)
        if target is not None:
            yield from self._escalate(turn, session, target, runner)
            return
        # A normal follow-up after an escalation means the escalation worked.
        if session.pending_escalation is not None:
            session.resolve_pending(succeeded=True)

        decision = self.router.route(text, session=session, mode=turn.mode, modifier=turn.modifier,
                                     history=messages[:-1], **self._who(turn))
        decision = self._ensure_available(decision)
        yield Routed(decision)
        if decision.fallback:
            yield Notice(f"The {decision.domain} modifier is not available; the base model answers.")
        answer = yield from runner.answer(messages, decision, text)
        if answer is None:
            return
        done, conf, decision = answer.done, answer.conf, answer.decision
        cascade = self.cascade if turn.cascade is None else turn.cascade
        wants_cascade = (cascade and decision.mode == FAST and not decision.forced
                         and done.finish_reason != "cancelled" and conf < decision.threshold)
        if wants_cascade and not decision.modifier_may_help:  # the modifier would not do better: keep this answer
            decision.reasons.append(f"answer confidence {conf:.0%} < {decision.threshold:.0%}, not regenerated: the "
                                    f"{decision.benefit['modifier']} modifier shows no significant gain")
        elif wants_cascade:
            accurate = self.router.route(text, session=session, mode=ACCURATE, history=messages[:-1],
                                         **self._who(turn))
            accurate = self._ensure_available(replace(accurate, forced=False, cascaded=True))
            if accurate.modifier:
                note = (f"The fast answer's confidence was {conf:.0%} (below {decision.threshold:.0%}); "
                        f"regenerated with the {accurate.modifier} modifier.")
                self._record(turn, session, decision, done, conf, extra={"superseded": True})
                yield Restart(note)
                runner.shown = None
                yield Routed(accurate)
                yield Notice(note)
                answer = yield from runner.answer(messages, accurate, text)
                if answer is None:
                    return
                session.note_answer(text, answer.decision.domain, answer.decision.modifier)
                yield self._finish(turn, session, answer.decision, answer.done, answer.conf, notice=note,
                                   extra={"cascade_from_confidence": answer.conf})
                return
        session.note_answer(text, decision.domain, decision.modifier)
        yield self._finish(turn, session, decision, done, conf)

    def _check_tools(self, turn: Turn) -> None:
        r = turn.max_critique_rounds
        if r is not None and (isinstance(r, bool) or not isinstance(r, int) or not 0 <= r <= MAX_CRITIQUE_ROUNDS):
            raise InputError(f"max_critique_rounds must be an integer from 0 to {MAX_CRITIQUE_ROUNDS}, got {r!r}")
        n = turn.n_paths
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 3 <= n <= 10):
            raise InputError(f"n_paths must be an integer from 3 to 10, got {n!r}")
        for i, e in enumerate(turn.examples or []):
            if not isinstance(e, dict) or not isinstance(e.get("input"), str) or not isinstance(e.get("output"), str):
                raise InputError(f"examples[{i}] must be an object with string 'input' and 'output'")

    # ------------------------------------------------------------------------------------------
    def _escalation_target(self, turn: Turn, messages: list[dict], session: SessionMemory) -> Target | None:
        """The question this turn complains about (with every answer rejected so far), or None."""
        if not turn.escalate and (turn.mode != "auto" or turn.modifier or self.detector is None):
            return None
        p = None if turn.escalate else self.detector.dissatisfied_p(str(messages[-1]["content"]))
        if p is not None and p < self.dissatisfied_threshold:
            return None
        target = find_target(messages, lambda t: self._was_complaint(t, session))
        if target is None:
            return None
        if session.pending_escalation is not None:
            session.resolve_pending(succeeded=False)
        target.why = "you marked the answer as wrong" if p is None else f"your message sounded dissatisfied (p={p:.2f})"
        return target

    def _was_complaint(self, text: str, session: SessionMemory) -> bool:
        """Was an earlier user message a complaint? This session remembers its own; a conversation it never
        saw (a stateless API client) is read with the detector."""
        if session.is_known_complaint(text):
            return True
        if session.knows_history or self.detector is None:
            return False
        return self.detector.dissatisfied_p(text) >= self.dissatisfied_threshold

    def _escalate(self, turn: Turn, session: SessionMemory, target: Target, runner: AccurateRunner):
        question, before = target.question, target.before
        base = self.router.route(question, session=session, mode=ACCURATE, history=before, **self._who(turn))
        decision = self._ensure_available(replace(base, escalated=True, forced=False, preempted=False))
        modifier = decision.modifier
        state, known = self.ladder.state_for(session, target, decision.domain)
        if not known:  # what answered it is unknown here: the router's own choice is the best guess
            auto = self.router.route(question, session=session, history=before, **self._who(turn))
            state.answered_with = auto.modifier if auto.mode == ACCURATE else None
        available = {"critique": self.tools.unavailable("critique"),
                     "consistency": self.tools.unavailable("consistency")}
        start = session.rung_start.get(decision.domain)
        plan = self.ladder.plan(state, modifier=modifier, available=available, start_at=start)
        if not known and len(target.rejected) > 1:
            self.ladder.infer_tried(state, plan.rungs, len(target.rejected) - 1)
            plan = self.ladder.plan(state, modifier=modifier, available=available, start_at=start)
        session.note_complaint(str(turn.messages[-1]["content"]))
        answer: Answer | None = yield from runner.climb(target, plan, decision, target.why, modifier)
        if answer is None:
            return
        d = answer.decision
        session.note_escalation(d.domain, d.modifier, d.rung)
        yield self._finish(turn, session, d, answer.done, answer.conf, notice=answer.notice,
                           failed_answer=target.failed, question=question)

    @staticmethod
    def _who(turn: Turn) -> dict[str, Any]:
        return {"user": turn.user, "personalized": turn.personalized}

    def _ensure_available(self, d: RouteDecision) -> RouteDecision:
        if d.modifier and (m := self.engine.modifiers.get(d.modifier)) is not None and m.available:
            return d
        if d.modifier or d.mode == ACCURATE:
            reasons = d.reasons + [f"modifier {d.modifier or d.domain} unavailable: base model answers"]
            return replace(d, modifier=None, fallback=True, reasons=reasons)
        return d

    def _generator(self, turn: Turn, session: SessionMemory):
        def gen(messages: list[dict], decision: RouteDecision, *, live: bool = True, **sampling):
            return self._generate(turn, messages, decision, session, live=live, **sampling)

        return gen

    def _generate(self, turn: Turn, messages: list[dict], decision: RouteDecision, session: SessionMemory, *,
                  live: bool = True, **sampling):
        """One engine generation; ``live`` False keeps its tokens back (a candidate that may be replaced);
        ``sampling`` overrides the turn's temperature / top_p / seed / frequency_penalty (sampled paths)."""
        opts = {"temperature": turn.temperature, "top_p": turn.top_p, "seed": turn.seed,
                "frequency_penalty": turn.frequency_penalty, **sampling}
        req = ChatRequest(messages=messages, max_tokens=turn.max_tokens, stop=list(turn.stop),
                          modifier=decision.modifier, cancel=turn.cancel, top_logprobs=turn.top_logprobs, **opts)
        done = None
        partial: list[str] = []
        try:
            for ev in self.engine.stream(req):
                if isinstance(ev, Done):
                    done = ev
                else:
                    if isinstance(ev, Token):
                        partial.append(ev.text)
                        if not live:
                            continue
                    yield ev
        except (InputError, BusyError):  # the request's fault, or a full queue: not a failed answer
            raise
        except Exception as e:
            # A failed answer is data too: the canary's error guard counts them per router version.
            failed = Done("error", "".join(partial), {}, {}, 0, decision.modifier, {})
            self._record(turn, session, decision, failed, 0.0, extra={"error": type(e).__name__})
            raise
        if done is None:
            return None
        conf = self.router.response_confidence(done.confidence, decision) if done.confidence else 0.0
        return done, conf

    def _finish(self, turn: Turn, session: SessionMemory, decision: RouteDecision, done: Done, conf: float,
                notice: str = "", failed_answer: str | None = None, question: str | None = None,
                extra: dict | None = None) -> TurnDone:
        session.note_turn(decision.domain, decision.modifier, conf)
        interaction_id, recorded = self._record(turn, session, decision, done, conf, failed_answer=failed_answer,
                                                question=question, notice=notice, extra=extra,
                                                interaction_id=turn.interaction_id)
        extra = dict(extra or {})
        if self.telemetry is not None:
            # The answer is handed over only after its record is durable (or the sink gave up waiting:
            # the answer still goes out, flagged), so an id a client holds is never lost in a crash.
            extra["durable"] = recorded and self._durable(interaction_id)
        return TurnDone(interaction_id, decision, done.text, done.finish_reason, done.usage, done.timings, conf,
                        notice=notice, failed_answer=failed_answer, trimmed_turns=done.trimmed_turns,
                        extra=extra)

    def _durable(self, interaction_id: str) -> bool:
        hook = getattr(self.telemetry, "durable", None)
        if hook is None:  # a sink without the hook makes no durability promise to wait for
            return True
        try:
            return bool(hook(interaction_id))
        except Exception:  # telemetry must never break a chat turn
            log.exception("telemetry: could not wait for interaction %s to be durable", interaction_id)
            return False

    def _record(self, turn: Turn, session: SessionMemory, decision: RouteDecision, done: Done, conf: float,
                failed_answer: str | None = None, question: str | None = None, notice: str = "",
                extra: dict | None = None, interaction_id: str = "") -> tuple[str, bool]:
        """Hand the turn to the sink: (interaction id, whether the sink took it)."""
        interaction_id = interaction_id or uuid.uuid4().hex
        if self.telemetry is None:
            return interaction_id, False
        q = question if question is not None else str(turn.messages[-1]["content"])
        record = {
            "id": interaction_id,
            "session_id": session.session_id,
            "user": turn.user,
            "time": time.time(),
            "query_hash": hashlib.sha256(q.encode()).hexdigest(),
            "query_text": q if turn.consent else None,
            "answer_text": done.text if turn.consent else None,
            "consent": turn.consent,
            # Raw text for a sink that scrubs and applies consent itself (telemetry/ does): it needs the
            # text for the query hash and lengths even when none of it may be stored.
            "query": q,
            "answer": done.text,
            "escalation_trigger": ("user" if turn.escalate else "detector") if failed_answer is not None else None,
            "decision": decision.to_dict(),
            "finish_reason": done.finish_reason,
            "usage": done.usage,
            "timings": done.timings,
            "response_confidence": conf,
            "failed_answer": failed_answer,
            "notice": notice,
            "extra": extra or {},
        }
        try:
            self.telemetry.record_turn(record)
        except Exception:  # telemetry must never break a chat turn
            log.exception("telemetry: could not record interaction %s", interaction_id)
            return interaction_id, False
        return interaction_id, True

    # ------------------------------------------------------------------------------------------
    def run_turn(self, turn: Turn) -> TurnDone:
        """Non-streamed convenience: the final TurnDone of :meth:`stream_turn`."""
        done = None
        for ev in self.stream_turn(turn):
            if isinstance(ev, TurnDone):
                done = ev
        if done is None:
            raise InputError("the request was cancelled before it produced an answer")
        return done

    def note_rating(self, session_id: str, rating: int) -> None:
        """A good rating after an escalation counts as its success (session memory pre-empts next time)."""
        session = self.sessions.get(session_id)
        if session.pending_escalation is not None:
            session.resolve_pending(succeeded=rating >= 7)
