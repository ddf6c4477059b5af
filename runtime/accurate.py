"""Accurate mode's tools around one answer, and the escalation ladder's rungs that use them.

- few-shot retrieval (``runtime.fewshot``): the k nearest worked examples go before the question as
  chat turns when the question is far from the bank (novelty >= threshold) in Accurate mode, or when
  the user asks (``use_examples``) or supplies examples;
- self-consistency (``runtime.consistency``): N sampled paths and a majority vote, when the user asks,
  when an Accurate-mode question looks hard (``is_hard``), or as the ladder's rung 3;
- the self-critique loop (``runtime.critique``): generate -> score -> regenerate with the scorer's
  flags (and the user's complaint) while the score is below 7, up to ``max_critique_rounds``
  (Accurate-mode answers; 0 turns it off).

Streaming, decided here: a single candidate streams live; when a later candidate replaces it, a
``Restart(reason)`` tells the client to discard what it showed (as the cascade does) and the new
one streams. Sampled self-consistency paths are never streamed: only the voted answer is sent, in
one ``Token``. A turn whose client cannot take text back (``Turn.restartable`` false: a streaming
API client that did not opt in to ``modroute.restart``) gets the critique loop only when it asks
(``max_critique_rounds``), as with the cascade; then, and in an escalation, every candidate that
may be replaced is buffered and only the final answer is streamed. An answer nothing can replace
streams live.

A tool whose artifact is missing is unavailable, and says so (``AccurateTools.problems``, the
decision's reasons, the ladder's notice); it never breaks a turn.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import Any

from runtime.accurate_tools import AccurateTools, drain, pump
from runtime.decision import ACCURATE, RouteDecision
from runtime.engine import Done, Token
from runtime.escalation import CRITIQUE, EXHAUSTED, MODIFIER, EscalationLadder, Plan, Target, normalise
from runtime.events import Notice, Restart, Routed

MAX_CRITIQUE_ROUNDS = 3
__all__ = ["AccurateRunner", "AccurateTools", "Answer", "Candidate", "MAX_CRITIQUE_ROUNDS", "followup_text"]


@dataclass
class Candidate:
    text: str
    done: Done | None  # None: a rejected answer from the conversation (not generated here)
    conf: float = 0.0


@dataclass
class Answer:
    done: Done
    conf: float
    decision: RouteDecision
    notice: str = ""


# gen(messages, decision, *, live, **sampling) -> yields TurnEvents, returns (Done, confidence) or None
Gen = Callable[..., Generator[Any, None, tuple[Done, float] | None]]


class AccurateRunner:
    """One turn's tool runs. ``gen`` is ChatService's generation (engine stream + error records)."""

    def __init__(self, tools: AccurateTools, gen: Gen, turn: Any, ladder: EscalationLadder | None = None):
        self.tools, self.gen, self.turn = tools, gen, turn
        self.ladder = ladder or EscalationLadder()
        self.buffer = not getattr(turn, "restartable", True)
        self.shown: str | None = None  # text of the candidate on the user's screen (None: nothing shown)
        self.generations = 0
        self.tokens = 0
        self.t0 = time.perf_counter()

    # -- settings of this turn -------------------------------------------------------------------
    def rounds(self, decision: RouteDecision) -> int:
        r = self.turn.max_critique_rounds
        if r is None and self.buffer:
            return 0  # like the cascade: a stream that cannot take text back is not delayed unless it asks
        r = self.tools.max_critique_rounds if r is None else r
        return max(0, min(MAX_CRITIQUE_ROUNDS, int(r))) if decision.mode == ACCURATE else 0

    def n_paths(self) -> int:
        return int(self.turn.n_paths or self.tools.n_paths)

    # -- the normal answer -----------------------------------------------------------------------
    def answer(self, messages: list[dict], decision: RouteDecision, question: str, *,
               auto_consistency: bool = True) -> Generator[Any, None, Answer | None]:
        tools: dict[str, Any] = {}
        reasons = list(decision.reasons)
        messages = self._fewshot(messages, question, decision, tools, reasons)
        sc_why = self._consistency_wanted(question, decision, auto_consistency, reasons)
        if sc_why:
            cand = yield from self._consistency(messages, question, decision, tools, sc_why)
        else:
            rounds = self.rounds(decision)
            # Buffered only when the critique may replace it and the client cannot take text back.
            cand = yield from self._generate(messages, decision,
                                             live=not (self.buffer and rounds and self.tools.critic is not None))
            if cand is not None and rounds and cand.done.finish_reason != "cancelled":
                if self.tools.critic is None:
                    reasons.append(f"self-critique off: {self.tools.unavailable('critique') or 'no scorer'}")
                else:
                    cand = yield from self._critique_loop(messages, question, decision, cand, rounds, tools)
        if cand is None:
            return None
        yield from self._show(cand.text, "")
        return self._answer(cand, replace(decision, reasons=reasons, tools={**decision.tools, **tools}))

    # -- escalation ------------------------------------------------------------------------------
    def climb(self, target: Target, plan: Plan, decision: RouteDecision, why: str,
              modifier: str | None) -> Generator[Any, None, Answer | None]:
        """Try the plan's rungs in order until one gives an answer that was not rejected before."""
        state = plan.state
        reproduced: list[str] = []
        extra = ""
        for rung in plan.rungs:
            if rung != EXHAUSTED and rung not in state.tried:
                state.tried.append(rung)
            ladder_info = {"tried": list(state.tried), "reproduced": list(reproduced), "skipped": plan.skipped}
            d = replace(decision, rung=rung, tools={**decision.tools, "ladder": ladder_info})
            if rung != MODIFIER and state.answered_with and modifier is None:
                d = replace(d, modifier=state.answered_with)
            note = self.ladder.notice(rung, why, state, modifier=modifier, plan=plan, complaint=target.complaint,
                                      extra=extra)
            if rung == CRITIQUE and self.tools.critic is None:
                note += (f" The critique scorer is unavailable ({self.tools.problems.get('critique', 'not installed')}),"
                         " so only your feedback guided the regeneration.")
            yield Routed(d)
            yield Notice(note)
            if rung == EXHAUSTED:
                text = self.ladder.exhausted_text(state, modifier=modifier)
                yield from self._show(text, "nothing left to try")
                done = Done("stop", text, {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}, {}, 0,
                            None, {})
                return Answer(done, 0.0, replace(d, modifier=None), note)
            messages = target.before + [{"role": "user", "content": target.question}]
            if rung == MODIFIER:
                result = yield from self.answer(messages, d, target.question, auto_consistency=False)
                cand = Candidate(result.done.text, result.done, result.conf) if result else None
                d = result.decision if result else d
            elif rung == CRITIQUE:
                cand = yield from self._critique_rung(messages, target, d, state.is_rejected)
            else:
                state.paths = self.n_paths()
                cand = yield from self._consistency(messages, target.question, d, d.tools, "the escalation ladder",
                                                    avoid=state.is_rejected)
            if cand is None:
                return None
            if cand.done is not None and cand.done.finish_reason == "cancelled":
                return self._answer(cand, d, note)
            if state.is_rejected(cand.text):
                reproduced.append(rung)
                extra = f"The {rung} rung reproduced an answer you already rejected, so I moved on to the next rung."
                continue
            state.answered_with = d.modifier
            d.tools["ladder"] = {**ladder_info, "tried": list(state.tried)}
            yield from self._show(cand.text, "")
            return self._answer(cand, d, note)
        return None  # unreachable: every plan ends with EXHAUSTED

    def _critique_rung(self, messages: list[dict], target: Target, d: RouteDecision, avoid: Callable[[str], bool]):
        """Regenerate with the complaint and the rejected answer in the prompt; then the usual loop."""
        rejected = Candidate(target.failed, None)
        rounds = max(1, self.rounds(replace(d, mode=ACCURATE)))
        cand = yield from self._critique_loop(messages, target.question, d, rejected, rounds, d.tools,
                                              complaint=target.complaint, force=True, avoid=avoid)
        return cand

    # -- tools -------------------------------------------------------------------------------------
    def _fewshot(self, messages: list[dict], question: str, decision: RouteDecision, tools: dict,
                 reasons: list[str]) -> list[dict]:
        turn, bank = self.turn, self.tools.bank
        if turn.examples:
            turns: list[dict] = []
            for e in turn.examples:
                turns += [{"role": "user", "content": e["input"]}, {"role": "assistant", "content": e["output"]}]
            tools["fewshot"] = {"k": len(turn.examples), "source": "user"}
            reasons.append(f"{len(turn.examples)} example(s) supplied by the user prepended")
            return _prepend(messages, turns)
        if turn.use_examples is False or (turn.use_examples is None and decision.mode != ACCURATE):
            return messages
        if bank is None:
            if turn.use_examples:
                why = self.tools.unavailable("fewshot")
                tools["fewshot"] = {"k": 0, "available": False, "why": why}
                reasons.append(f"examples requested but unavailable ({why})")
            return messages
        domain = decision.domain if decision.domain in bank.domains else None
        examples, novelty, ms = bank.lookup(question, self.tools.fewshot_k, domain)
        threshold = self.tools.novelty_threshold
        threshold = bank.default_threshold if threshold is None else threshold
        use = bool(turn.use_examples) or novelty >= threshold
        tools["fewshot"] = {"k": len(examples) if use else 0, "novelty": round(novelty, 4),
                            "threshold": round(float(threshold), 4), "ms": round(ms, 2),
                            "source": "requested" if turn.use_examples else "novelty",
                            "ids": [e.id for e in examples] if use else []}
        if not use or not examples:
            return messages
        reasons.append(f"{len(examples)} nearest worked examples prepended "
                       f"({'you asked' if turn.use_examples else f'novelty {novelty:.2f} >= {threshold:.2f}'})")
        return _prepend(messages, self.tools.format_examples(examples))

    def _consistency_wanted(self, question: str, decision: RouteDecision, auto: bool, reasons: list[str]) -> str:
        want = self.turn.self_consistency
        if want is False:
            return ""
        sc = self.tools.consistency
        if want:
            if sc is None:
                reasons.append(f"self-consistency requested but unavailable ({self.tools.unavailable('consistency')})")
                return ""
            return "you asked for it"
        if not auto or sc is None or decision.mode != ACCURATE:
            return ""
        hard = sc.hard_reasons(question)
        return "the question looks hard: " + ", ".join(hard) if hard else ""

    def _consistency(self, messages: list[dict], question: str, decision: RouteDecision, tools: dict, why: str,
                     avoid: Callable[[str], bool] | None = None):
        """N sampled paths (not streamed), majority vote; the winner is shown with its agreement."""
        n = self.n_paths()
        sc = self.tools.consistency
        yield Notice(f"Self-consistency ({why}): sampling {n} answers and keeping the one most of them agree on.")
        paths: dict[int, Candidate] = {}
        counting = threading.Lock()

        def work(put: Callable[[Any], None]):
            def generate(seed: int, temperature: float, top_p: float, frequency_penalty: float):
                g = self.gen(messages, decision, live=False, temperature=temperature, top_p=top_p,
                             frequency_penalty=frequency_penalty, seed=seed)
                res = drain(g, put)
                with counting:  # paths run in parallel threads
                    self.generations += 1
                if res is None:
                    return "", float("nan"), 0
                done, conf = res
                with counting:
                    self.tokens += int(done.usage.get("completion_tokens", 0))
                paths[seed] = Candidate(done.text, done, conf)
                return done.text, done.confidence.get("mean_logprob", float("nan")), \
                    done.usage.get("completion_tokens", 0)

            return sc.self_consistency(generate, question, n=n, embedder=self.tools.embedder)

        result = yield from pump(work, self.turn.cancel)
        chosen = next((p for p in result.paths if p.get("chosen")), None)
        cand = paths.get(chosen["seed"]) if chosen else None
        if cand is None:
            cand = next((c for c in paths.values() if c.text == result.text), None)
        if cand is None:
            return None
        if avoid is not None and avoid(cand.text):
            # Same vote, other wording: the lowest-perplexity path of the winning group that was not rejected.
            group = sorted((p for p in result.paths if p.get("answer") == chosen.get("answer")),
                           key=lambda p: p.get("perplexity", math.inf))
            alt = next((paths[p["seed"]] for p in group if p["seed"] in paths and not avoid(paths[p["seed"]].text)),
                       None)
            cand = alt or cand
        info = result.tools()
        tools["consistency"] = {**info, "votes": result.votes, "tie_broken": result.tie_broken,
                                "seconds": round(result.seconds, 2)}
        msg = f"{result.agreeing} of {result.n} sampled answers agree ({result.confidence:.0%})"
        if result.unreliable:
            msg += " — unreliable: the sampled answers disagree, so treat this answer with caution"
        yield Notice(msg + ".")
        if self.turn.cancel is not None and self.turn.cancel.is_set() and cand.done is not None:
            cand = Candidate(cand.text, replace(cand.done, finish_reason="cancelled"), cand.conf)
        return cand

    def _critique_loop(self, messages: list[dict], question: str, decision: RouteDecision, first: Candidate,
                       rounds: int, tools: dict, *, complaint: str | None = None, force: bool = False,
                       avoid: Callable[[str], bool] | None = None):
        """Score, and regenerate with the feedback while unacceptable, at most ``rounds`` times. ``force``: the
        first candidate is a rejected answer: at least one regeneration, and it is never chosen.

        Two prompt shapes: the structured ``feedback_prompt`` (question, rejected answer, numbered problems)
        first; when a regeneration comes back word for word as an answer already seen, the next one is asked
        as a follow-up to that answer (complaint and flags as the user's next turn), which a small chat model
        answers as "here is a corrected version" instead of copying. In the ladder's critique rung such a
        repeat does not use up the round (once), so the rung gets a real second attempt before the ladder
        moves on."""
        critic, feedback = self.tools.critic, self.tools.feedback_prompt
        cands, scores, flags, shapes = [first], [], [], []
        score_ms, shape, retried = 0.0, "prompt", False

        def judge(c: Candidate):
            nonlocal flags, score_ms
            if critic is None:
                return None
            crit = critic.score(question, c.text, domain=decision.domain,
                                finish_reason=c.done.finish_reason if c.done else None)
            scores.append(round(float(crit.score), 2))
            flags = list(crit.flags)
            score_ms += float(getattr(crit, "ms", 0.0))
            return crit

        cur, crit = first, judge(first)
        regen = 0
        while True:
            good = crit is not None and crit.acceptable
            if regen >= rounds or (good and not (force and regen == 0)) or (crit is None and regen > 0):
                break
            if force and regen == 0 and not retried:  # the ladder's notice already said why
                if self.shown is not None:
                    yield Restart("regenerating with your feedback")
                    self.shown = None
            elif not (force and regen == 0):
                why = f"; {flags[0]}" if flags else ""
                yield from self._announce(f"Self-critique: the answer scored {crit.score:.1f}/10{why}. "
                                          f"Regenerating with that feedback (round {regen + 1} of {rounds}).")
            if shape == "prompt":
                ask = messages[:-1] + [{"role": "user", "content": feedback(question, cur.text, crit, complaint)}]
            else:
                ask = messages + [{"role": "assistant", "content": cur.text},
                                  {"role": "user", "content": followup_text(complaint, flags)}]
            nxt = yield from self._generate(ask, decision)
            if nxt is None:
                return None
            shapes.append(shape)
            seen = {normalise(c.text) for c in cands}
            repeated = normalise(nxt.text) in seen or (avoid is not None and avoid(nxt.text))
            if nxt.done.finish_reason == "cancelled":
                cands.append(nxt)
                judge(nxt)
                break
            if repeated:
                shape = "followup"
                if force and regen == 0 and not retried:
                    retried = True
                    yield from self._announce("The regeneration repeated the rejected answer word for word; asking "
                                              "again, as a follow-up to that answer.")
                    continue
            cands.append(nxt)
            cur, crit = nxt, judge(nxt)
            regen += 1
        pool = list(range(1 if force else 0, len(cands))) or [0]
        if avoid is not None:  # an answer the user already rejected is never chosen while another exists
            pool = [j for j in pool if not avoid(cands[j].text)] or pool
        if scores and len(scores) == len(cands):
            best = max(pool, key=lambda j: (scores[j], j))
        else:
            best = pool[-1]
        tools["critique"] = {"rounds": len(cands) - 1, "scores": scores, "flags": flags[:3], "chosen": best,
                             "accepted": bool(scores) and scores[best] >= 7.0, "ms": round(score_ms, 2),
                             "scorer": critic is not None, "complaint": bool(complaint), "prompts": shapes}
        if critic is None:
            tools["critique"]["why"] = self.tools.unavailable("critique") or "no critique scorer"
        return cands[best]

    # -- streaming ---------------------------------------------------------------------------------
    def _generate(self, messages: list[dict], decision: RouteDecision, live: bool | None = None, **sampling):
        """One candidate; streamed unless ``live`` is False (default: unless the turn buffers candidates)."""
        live = not self.buffer if live is None else live
        if self.shown is not None and live:  # never append a new candidate to the old text
            yield Restart("regenerating")
            self.shown = None
        res = yield from self.gen(messages, decision, live=live, **sampling)
        self.generations += 1
        if res is None:
            return None
        done, conf = res
        self.tokens += int(done.usage.get("completion_tokens", 0))
        if live:
            self.shown = done.text
        return Candidate(done.text, done, conf)

    def _announce(self, reason: str):
        """Tell the user why a new candidate is coming; discard the one on screen first."""
        if self.shown is not None:
            yield Restart(reason)
            self.shown = None
        yield Notice(reason)

    def _show(self, text: str, reason: str):
        """Make ``text`` the answer on screen: nothing to do when it is already there (streamed live)."""
        if self.shown == text:
            return
        if self.shown is not None:
            yield Restart(reason or "a better answer replaces the one shown")
        self.shown = text
        if text:
            yield Token(text, None, None)

    def _answer(self, cand: Candidate, decision: RouteDecision, notice: str = "") -> Answer:
        done = cand.done or Done("stop", cand.text, {}, {}, 0, decision.modifier, {})
        if self.generations > 1:
            timings = {**done.timings, "total_ms": (time.perf_counter() - self.t0) * 1000,
                       "generations": float(self.generations)}
            done = replace(done, timings=timings)
            decision = replace(decision, tools={**decision.tools, "cost": {"generations": self.generations,
                                                                         "completion_tokens": self.tokens}})
        return Answer(done, cand.conf, decision, notice)


# -- helpers ---------------------------------------------------------------------------------------
def followup_text(complaint: str | None, flags: list[str]) -> str:
    """The critique as the user's next turn after the answer (the follow-up prompt shape)."""
    head = complaint.strip().rstrip(".!") + "." if complaint and complaint.strip() else "That answer is not right."
    problems = " Problems: " + "; ".join(flags[:3]) + "." if flags else ""
    return f"{head}{problems} Please write a corrected, complete answer."


def _prepend(messages: list[dict], turns: list[dict]) -> list[dict]:
    """Example turns after any leading system messages, before the conversation."""
    i = 0
    while i < len(messages) and messages[i].get("role") == "system":
        i += 1
    return messages[:i] + list(turns) + messages[i:]
