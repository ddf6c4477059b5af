"""The escalation ladder with the real model, router, detector, Accurate-mode tools and telemetry.

Acceptance (issue 10): the first answer already used the domain's modifier; "that's wrong, it fails
for 2" gives a different answer through the critique rung, with the complaint in the regeneration
prompt the engine received; the next complaint climbs to self-consistency; after that the user is
told plainly that nothing is left to try (never a repeat); session memory starts at the rung that
worked; telemetry rows carry the rung. Plus: a rung that reproduces the rejected answer is
abandoned for the next one, the critique loop stops at ``max_critique_rounds``, and the ladder's
pure logic (walking back over complaints, skip rules, stateless inference).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from runtime.accurate import AccurateTools
from runtime.chat import ChatService, Notice, Restart, Turn, TurnDone
from runtime.critique import Critique, feedback_prompt
from runtime.decision import ACCURATE, FAST
from runtime.embedder import Embedder
from runtime.escalation import (
    CONSISTENCY,
    CRITIQUE,
    EXHAUSTED,
    MODIFIER,
    EscalationLadder,
    LadderState,
    find_target,
    normalise,
)
from runtime.memory import SessionMemory, SessionStore
from runtime.router import Router, load_router_artifacts
from runtime.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PRIME_Q = "Write a Python function is_prime(n) that returns True when n is prime."
SUM_Q = "Write a Python function that returns the sum of a list of numbers."
MAX_TOKENS = 40


# -- fixtures ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def embedder():
    return Embedder()


@pytest.fixture(scope="module")
def arts(embedder, tmp_path_factory):
    a = load_router_artifacts(ROOT / "artifacts" / "router" / "manifest.json", tmp_path_factory.mktemp("rc"), embedder)
    assert a.domain is not None and a.detector is not None, a.problems
    return a


@pytest.fixture(scope="module")
def tools(engine, embedder):
    """What the shipped tools manifest holds (the real critique scorer when it is published there)."""
    return AccurateTools.load(engine.settings, embedder)


def router_for(engine, embedder, arts, **kw) -> Router:
    s = Settings(**{**engine.settings.model_dump(), **kw})
    return Router(s, embedder, arts.domain, arts.quality, registry=engine.modifiers, probe=None, version=arts.version)


@pytest.fixture()
def captured(engine, monkeypatch):
    """Every ChatRequest the engine receives (its stream wrapped: prompts are asserted on)."""
    requests = []
    real = engine.stream

    def stream(req):
        requests.append(req)
        return real(req)

    monkeypatch.setattr(engine, "stream", stream)
    return requests


@pytest.fixture()
def telemetry(tmp_path):
    from telemetry import open_telemetry
    from telemetry.store import sqlite_url_for
    from ui.telemetry_sink import TelemetrySink

    settings = Settings(data_dir=tmp_path, database_url=sqlite_url_for(tmp_path))
    store, writer = open_telemetry(settings)
    try:
        yield TelemetrySink(writer, store)
    finally:
        writer.close()
        store.close()


def turn_events(svc: ChatService, convo: list[dict], sid: str, max_tokens: int = MAX_TOKENS,
                **kw) -> tuple[TurnDone, list]:
    events = list(svc.stream_turn(Turn(list(convo), session_id=sid, max_tokens=max_tokens, **kw)))
    done = events[-1]
    assert isinstance(done, TurnDone)
    return done, events


def notices(events: list) -> list[str]:
    return [e.text for e in events if isinstance(e, Notice)]


def user_prompts(requests) -> list[str]:
    return [m["content"] for r in requests for m in r.messages if m["role"] == "user"]


# -- acceptance ------------------------------------------------------------------------------------------
def test_acceptance_complaints_climb_the_ladder_and_never_repeat(engine, embedder, arts, tools, captured, telemetry,
                                                                 capsys):
    from telemetry.schema import Escalation, Interaction

    assert tools.unavailable("consistency") == "" and tools.unavailable("critique") == ""
    # The router answers code in Accurate mode with the code modifier (alpha) from the first answer on.
    svc = ChatService(engine, router_for(engine, embedder, arts, domain_modes={"code": ACCURATE}), arts.detector,
                      SessionStore(), telemetry=telemetry, cascade=False, tools=tools)
    sid = "acceptance"
    convo = [{"role": "user", "content": PRIME_Q}]
    first, _ = turn_events(svc, convo, sid)
    assert first.decision.mode == ACCURATE and first.decision.modifier == "alpha" and first.decision.rung == ""
    answers, log = [first.text], [("question", PRIME_Q, first)]

    # 1. "that's wrong, it fails for 2": the modifier was already used -> critique, with the complaint in the prompt.
    complaint = "that's wrong, it fails for 2"
    convo += [{"role": "assistant", "content": first.text}, {"role": "user", "content": complaint}]
    captured.clear()
    r1, ev1 = turn_events(svc, convo, sid)
    assert r1.decision.escalated and r1.decision.rung == CRITIQUE
    assert r1.failed_answer == first.text
    assert normalise(r1.text) != normalise(first.text)
    assert "critique rung" in r1.notice and complaint in r1.notice
    prompts = user_prompts(captured)
    assert any(complaint in p for p in prompts), prompts  # the complaint reached the model
    assert any(first.text.strip()[:60] in p for p in prompts)  # and so did the rejected answer
    assert all(r.modifier == "alpha" for r in captured)
    crit = r1.decision.tools["critique"]
    assert crit["rounds"] >= 1 and crit["complaint"] and crit["scorer"] == (tools.critic is not None)
    answers.append(r1.text)
    log.append(("complaint", complaint, r1))

    # 2. Still wrong -> self-consistency: 5 sampled paths, their agreement shown to the user.
    convo += [{"role": "assistant", "content": r1.text}, {"role": "user", "content": "still wrong, try again"}]
    captured.clear()
    r2, ev2 = turn_events(svc, convo, sid)
    assert r2.decision.rung == CONSISTENCY and r2.failed_answer == r1.text
    assert normalise(r2.text) not in {normalise(a) for a in answers}
    sc = r2.decision.tools["consistency"]
    assert sc["n"] == 5 and 0 < sc["agreeing"] <= 5 and sc["confidence"] == pytest.approx(sc["agreeing"] / 5, abs=1e-3)
    assert any(f"{sc['agreeing']} of 5 sampled answers agree" in n for n in notices(ev2))
    assert len(captured) == 5 and {(r.temperature, r.top_p, r.frequency_penalty) for r in captured} == {(0.8, 0.9, 0.3)}
    assert not any(isinstance(e, Restart) for e in ev2)  # sampled paths are never streamed, only the winner
    answers.append(r2.text)
    log.append(("complaint", "still wrong, try again", r2))

    # 3 and 4. Nothing left: said plainly (no generation at all), never a repeat of an answer.
    for complaint in ("wrong again", "nope, still wrong"):
        convo += [{"role": "assistant", "content": answers[-1]}, {"role": "user", "content": complaint}]
        captured.clear()
        r, ev = turn_events(svc, convo, sid)
        assert r.decision.rung == EXHAUSTED and not captured
        assert "nothing better is available" in r.text and "modifier" in r.text and "5 sampled answers" in r.text
        assert "self-critique" in r.text and "alpha" in r.text
        assert normalise(r.text) not in {normalise(a) for a in answers[:3]}
        answers.append(r.text)
        log.append(("complaint", complaint, r))

    # Telemetry: interactions.rung via the decision, escalations.rung via the sink.
    telemetry.writer.flush(30)
    ids = [d.interaction_id for _, _, d in log]
    with telemetry.store.engine.connect() as c:
        rows = {r["id"]: r for r in c.execute(select(Interaction.__table__).where(
            Interaction.__table__.c.id.in_(ids))).mappings()}
        escs = c.execute(select(Escalation.__table__).where(Escalation.__table__.c.session_id == sid)).mappings().all()
    assert [rows[i]["rung"] for i in ids] == [None, CRITIQUE, CONSISTENCY, EXHAUSTED, EXHAUSTED]
    expected = zip(ids[1:], [CRITIQUE, CONSISTENCY, EXHAUSTED, EXHAUSTED], strict=True)
    assert sorted((e["new_interaction_id"], e["rung"]) for e in escs) == sorted(expected)
    assert {e["failed_interaction_id"] for e in escs} == set(ids[:4])
    with capsys.disabled():  # the conversation, for the record (pytest -s shows it too)
        print("\n-- acceptance conversation --")
        for kind, text, d in log:
            print(f"[{kind}] {text!r}\n  rung={d.decision.rung or '-'} modifier={d.decision.modifier} "
                  f"tools={ {k: v for k, v in d.decision.tools.items() if k != 'ladder'} }\n  notice={d.notice!r}\n"
                  f"  answer={normalise(d.text)[:160]!r}")


def test_session_memory_starts_at_the_rung_that_worked(engine, embedder, arts, tools, captured):
    svc = ChatService(engine, router_for(engine, embedder, arts, domain_modes={"code": ACCURATE}), arts.detector,
                      SessionStore(), cascade=False, tools=tools)
    sid = "memory"
    # Kept small: 3 sampled paths, no critique loop on first answers (the critique rung still runs one round).
    kw = {"max_tokens": 24, "n_paths": 3, "max_critique_rounds": 0}
    convo = [{"role": "user", "content": PRIME_Q}]
    first, _ = turn_events(svc, convo, sid, **kw)
    convo += [{"role": "assistant", "content": first.text}, {"role": "user", "content": "that's wrong, it fails for 2"}]
    r1, _ = turn_events(svc, convo, sid, **kw)
    convo += [{"role": "assistant", "content": r1.text}, {"role": "user", "content": "still wrong, try again"}]
    r2, _ = turn_events(svc, convo, sid, **kw)
    assert (r1.decision.rung, r2.decision.rung) == (CRITIQUE, CONSISTENCY)
    # A natural follow-up: the consistency rung worked for code in this session.
    convo += [{"role": "assistant", "content": r2.text},
              {"role": "user", "content": "Thanks! Now write a Python function that reverses a string."}]
    nxt, _ = turn_events(svc, convo, sid, **kw)
    session = svc.sessions.get(sid)
    assert session.rung_start == {"code": CONSISTENCY} and session.escalations[-1]["outcome"] == "succeeded"
    # The next complaint in code starts there (self-critique is skipped) and says why.
    convo += [{"role": "assistant", "content": nxt.text}, {"role": "user", "content": "that's wrong"}]
    captured.clear()
    r3, _ = turn_events(svc, convo, sid, **kw)
    assert r3.decision.rung == CONSISTENCY and "worked for code earlier in this session" in r3.notice
    assert len(captured) == 3  # straight to the sampled paths: no critique regeneration first
    assert r3.decision.tools["ladder"]["tried"] == [CONSISTENCY]
    # A good rating (>= 7) teaches it too, through ChatService.note_rating.
    svc.note_rating(sid, 8)
    assert session.rung_start == {"code": CONSISTENCY} and len(str(session.snapshot())) < 4096


def test_a_rung_that_reproduces_the_rejected_answer_is_abandoned_and_said(engine, embedder, arts, tools, captured):
    """The measured defect: at 24 greedy tokens the (random test) code modifier answers word for word as the
    base did. The ladder notices, says so, discards the streamed repeat and climbs to self-critique."""
    svc = ChatService(engine, router_for(engine, embedder, arts, threshold=0.0), arts.detector, SessionStore(),
                      cascade=False, tools=tools)
    convo = [{"role": "user", "content": SUM_Q}]
    first = svc.run_turn(Turn(list(convo), session_id="repro", max_tokens=24, max_critique_rounds=0))
    assert first.decision.mode == FAST and first.decision.modifier is None
    convo += [{"role": "assistant", "content": first.text}, {"role": "user", "content": "This answer is wrong."}]
    events = list(svc.stream_turn(Turn(convo, session_id="repro", max_tokens=24, max_critique_rounds=0,
                                       escalate=True)))
    done = events[-1]
    assert done.decision.rung == CRITIQUE and normalise(done.text) != normalise(first.text)
    assert done.decision.tools["ladder"]["reproduced"] == [MODIFIER]
    assert any("modifier rung reproduced an answer you already rejected" in n for n in notices(events))
    kinds = [type(e).__name__ for e in events]
    assert "Restart" in kinds and kinds.index("Restart") < len(kinds) - 1  # the repeat was taken back
    # What the client kept is the new answer only.
    shown = ""
    for e in events:
        if isinstance(e, Restart):
            shown = ""
        elif type(e).__name__ == "Token":
            shown += e.text
    assert shown == done.text


def test_a_stateless_conversation_without_the_scorer_still_climbs_and_says_so(engine, embedder, arts, captured):
    """A client that sends the whole conversation with no session (a fresh session each request) and a server
    without the critique scorer: earlier complaints are read from the text, the modifier is inferred as used
    (the router picks it for code), and the critique rung runs on the complaint alone, saying so."""
    import runtime.consistency as consistency

    tools = AccurateTools(feedback_prompt=feedback_prompt, consistency=consistency, embedder=embedder,
                          problems={"critique": "no critique scorer in the manifest"})
    svc = ChatService(engine, router_for(engine, embedder, arts, domain_modes={"code": ACCURATE}), arts.detector,
                      SessionStore(), cascade=False, tools=tools)
    convo = [{"role": "user", "content": PRIME_Q}, {"role": "assistant", "content": "def is_prime(n): return n > 1"},
             {"role": "user", "content": "that's wrong, it fails for 4"}]
    done, events = turn_events(svc, convo, "", max_tokens=16)
    assert done.decision.rung == CRITIQUE and done.failed_answer == "def is_prime(n): return n > 1"
    assert "critique scorer is unavailable (no critique scorer in the manifest)" in done.notice
    assert "it fails for 4" in captured[0].messages[-1]["content"]
    assert done.decision.tools["critique"]["scorer"] is False and not done.decision.tools["critique"]["scores"]
    # Two complaints in the text, no session: one rung is assumed used up per earlier complaint.
    convo += [{"role": "assistant", "content": done.text}, {"role": "user", "content": "still wrong"}]
    captured.clear()
    again, _ = turn_events(svc, convo, "", max_tokens=16, n_paths=3)
    assert again.decision.rung == CONSISTENCY and len(captured) == 3
    assert again.decision.tools["ladder"]["tried"] == [CRITIQUE, CONSISTENCY]


# -- the critique loop's bound ---------------------------------------------------------------------------
class ScriptedCritic:
    """A stand-in with the CritiqueScorer protocol (``score(question, answer, *, domain, finish_reason)``):
    the real scorer cannot be made to reject every answer on demand, and this test is only about the bound."""

    def __init__(self, accept_from: int | None = None):
        self.accept_from, self.calls = accept_from, 0

    def score(self, question, answer, *, domain=None, finish_reason=None) -> Critique:
        self.calls += 1
        ok = self.accept_from is not None and self.calls > self.accept_from
        return Critique(score=8.0 if ok else 2.0, acceptable=ok, flags=[] if ok else ["the answer is incomplete"])


@pytest.mark.parametrize("rounds,accept_from,generations", [(2, None, 3), (0, None, 1), (3, 1, 2)])
def test_the_critique_loop_stops_at_max_critique_rounds(engine, embedder, arts, captured, rounds, accept_from,
                                                        generations):
    critic = ScriptedCritic(accept_from)
    tools = AccurateTools(critic=critic, feedback_prompt=feedback_prompt, embedder=embedder)
    svc = ChatService(engine, router_for(engine, embedder, arts), arts.detector, SessionStore(), cascade=False,
                      tools=tools)
    events = list(svc.stream_turn(Turn([{"role": "user", "content": "What is 15% of 80?"}], mode=ACCURATE,
                                       max_tokens=16, max_critique_rounds=rounds)))
    done = events[-1]
    assert len(captured) == generations
    assert sum(isinstance(e, Restart) for e in events) == generations - 1
    if rounds == 0:
        assert "critique" not in done.decision.tools and critic.calls == 0
        return
    c = done.decision.tools["critique"]
    assert c["rounds"] == generations - 1 and len(c["scores"]) == generations
    assert all("answer is incomplete" in r.messages[-1]["content"] for r in captured[1:])  # the flags went in
    assert done.timings["generations"] == generations
    if accept_from is not None:
        assert c["accepted"] and c["scores"] == [2.0, 8.0]  # stopped early: acceptable after one round


def test_max_critique_rounds_and_paths_are_validated(engine, embedder, arts):
    from runtime.engine import InputError

    svc = ChatService(engine, router_for(engine, embedder, arts), arts.detector)
    msgs = [{"role": "user", "content": "hi"}]
    for kw in ({"max_critique_rounds": 4}, {"max_critique_rounds": -1}, {"n_paths": 2}, {"n_paths": 11},
               {"examples": [{"input": "a"}]}):
        with pytest.raises(InputError):
            list(svc.stream_turn(Turn(msgs, **kw)))


# -- the ladder's own logic (no model) -------------------------------------------------------------------
def test_find_target_walks_back_over_complaints():
    convo = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "Q"},
             {"role": "assistant", "content": "A1"}, {"role": "user", "content": "C1"},
             {"role": "assistant", "content": "A2"}, {"role": "user", "content": "C2"},
             {"role": "assistant", "content": "A3"}, {"role": "user", "content": "C3"}]
    t = find_target(convo, lambda text: text.startswith("C"))
    assert t.question == "Q" and t.rejected == ["A1", "A2", "A3"] and t.complaints == ["C1", "C2", "C3"]
    assert t.before == convo[:1] and t.failed == "A3" and t.complaint == "C1 / C2 / C3"
    # Without knowing C1/C2 were complaints, the last user message before the answer is the question.
    assert find_target(convo, lambda text: False).question == "C2"
    assert find_target([{"role": "user", "content": "hi"}], lambda t: True) is None


def test_plan_skips_used_missing_and_remembered_rungs():
    ladder = EscalationLadder()
    ok = {"critique": "", "consistency": ""}
    base = LadderState(key="k", domain="math")
    assert ladder.plan(base, modifier="beta", available=ok).rungs == [MODIFIER, CRITIQUE, CONSISTENCY, EXHAUSTED]
    used = replace(base, answered_with="beta")
    p = ladder.plan(used, modifier="beta", available=ok)
    assert p.rungs == [CRITIQUE, CONSISTENCY, EXHAUSTED] and "already used the beta modifier" in p.skipped[0]
    # Another modifier was forced for the first answer: the domain's own is still worth a try.
    assert ladder.plan(replace(base, answered_with="alpha"), modifier="beta", available=ok).rungs[0] == MODIFIER
    assert ladder.plan(base, modifier=None, available=ok).rungs[0] == CRITIQUE
    missing = ladder.plan(used, modifier="beta", available={"critique": "no critique scorer", "consistency": ""})
    assert missing.rungs == [CONSISTENCY, EXHAUSTED] and any("unavailable" in s for s in missing.skipped)
    remembered = ladder.plan(base, modifier="beta", available=ok, start_at=CONSISTENCY)
    assert remembered.rungs == [CONSISTENCY, EXHAUSTED] and remembered.started_from_memory == CONSISTENCY
    done = replace(used, tried=[CRITIQUE, CONSISTENCY], paths=5)
    assert ladder.plan(done, modifier="beta", available=ok).rungs == [EXHAUSTED]
    text = ladder.exhausted_text(done, modifier="beta")
    assert text.startswith("I have tried the beta modifier, a self-critique with your feedback and 5 sampled answers")
    # A stateless client: each earlier complaint used up the next rung of the plan.
    fresh = LadderState(key="k2", domain="math")
    ladder.infer_tried(fresh, [MODIFIER, CRITIQUE, CONSISTENCY, EXHAUSTED], 2)
    assert fresh.tried == [MODIFIER, CRITIQUE]


def test_rejected_answers_compare_with_whitespace_normalised_and_memory_stays_small():
    s = SessionMemory("s")
    for i in range(20):
        s.note_answer(f"question {i}", "math", None)
    assert len(s.ladders) == 8  # bounded: a few KB per session
    st = next(iter(s.ladders.values()))
    st.reject("The answer  is\n 12.")
    assert st.is_rejected("The answer is 12.") and not st.is_rejected("The answer is 13.")
    s.note_escalation("math", "beta", CRITIQUE)
    s.resolve_pending(succeeded=True)
    assert s.rung_start == {"math": CRITIQUE} and s.preempt == {}
    s.note_escalation("math", "beta", MODIFIER)
    s.resolve_pending(succeeded=True)
    assert s.rung_start == {} and s.preempt == {"math": "beta"}
    s.note_escalation("math", None, EXHAUSTED)
    s.resolve_pending(succeeded=True)
    assert s.rung_start == {}
    assert time.time() - s.touched < 60
