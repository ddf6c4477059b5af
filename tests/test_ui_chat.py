"""The chat tab's handlers on the real services and telemetry (no browser): streaming into the
conversation state, bad input, regenerate, stop, "this answer is wrong", cascades and ratings."""

from __future__ import annotations

import threading
import time

import pytest
from gradio_client import Client
from sqlalchemy import select

from ui.chat import WRONG_MESSAGE, ChatState, ChatTab, conversation, render
from ui.present import BADGE_CLASS

CONTROLS = ("Auto", "Auto", 0.0, 40, False)  # mode, modifier, temperature, max tokens, consent


@pytest.fixture()
def tab(serving):
    return ChatTab(serving.services, serving.sink)


def run(gen) -> list:
    return list(gen)


def wait_for(fn, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def rows(serving, table, **where):
    serving.sink.writer.flush(30)
    t = table.__table__
    q = select(t)
    for k, v in where.items():
        q = q.where(t.c[k] == v)
    with serving.sink.store.engine.connect() as c:
        return [dict(r) for r in c.execute(q).mappings()]


def test_respond_endpoint_streams_text_then_the_badge(live_server):
    client = Client(live_server.url, verbose=False)
    try:
        job = client.submit("What is 2+2?", "Auto", api_name="/respond")
        job.result(timeout=300)
        outputs = job.outputs()
        assert len(outputs) >= 2 and "tok/s" in outputs[-1] and "confidence" in outputs[-1]
        forced = client.predict("Hi", "alpha", api_name="/respond")
        assert "modifier alpha" in forced and "forced" in forced
    finally:
        client.close()


def test_send_streams_into_the_conversation_and_records_the_interaction(tab, serving):
    from telemetry.schema import Interaction

    state = ChatState()
    updates = run(tab.send("Write one sentence about rivers.", state, *CONTROLS, None))
    chat, state, box = updates[-1]
    assert box == ""
    ex = state.exchanges[0]
    assert ex.answered and ex.answer and ex.label and ex.timings["tokens_per_s"] > 0
    # The answer grew over several updates before the final one; the badge is there from the decision on.
    texts = [u[0][-1]["content"] for u in updates if u[0] and u[0][-1]["role"] == "assistant"]
    assert len({t.split("\n\n<span")[0] for t in texts}) >= 3
    assert chat[-1]["content"].startswith(ex.answer) and BADGE_CLASS in chat[-1]["content"]
    assert "tok/s" in chat[-1]["content"]
    stored = wait_for(lambda: rows(serving, Interaction, id=ex.interaction_id))
    assert stored[0]["session_id"] == state.session_id and stored[0]["query_chars"] == len(ex.user)
    assert stored[0]["query_text"] is None  # no consent: no raw text kept
    # The next turn sees the conversation.
    assert conversation(state.exchanges) == [{"role": "user", "content": ex.user},
                                             {"role": "assistant", "content": ex.answer}]


def test_bad_input_in_the_chat_is_explained_and_the_chat_keeps_working(tab, serving):
    state = ChatState()
    chat, state, _ = run(tab.send("   ", state, *CONTROLS, None))[-1]
    assert state.exchanges == [] and chat == []
    chat, state, _ = run(tab.send("a" * 200_000, state, *CONTROLS, None))[-1]
    ex = state.exchanges[-1]
    assert "limit is 32,000" in ex.error and not ex.interaction_id and "⚠️" in chat[-1]["content"]
    assert conversation(state.exchanges) == []  # the failed message is not sent again
    chat, state, _ = run(tab.send("Hello!", state, *CONTROLS, None))[-1]
    assert state.exchanges[-1].answered and len(conversation(state.exchanges)) == 2


def test_regenerate_replaces_the_last_answer_and_records_the_signal(tab, serving):
    from telemetry.schema import Signal

    state = ChatState()
    _, state, _ = run(tab.send("Name a colour.", state, *CONTROLS, None))[-1]
    first = state.exchanges[0].interaction_id
    _, state = run(tab.regenerate(state, *CONTROLS, None))[-1]
    assert len(state.exchanges) == 1 and state.exchanges[0].answered
    assert state.exchanges[0].interaction_id != first
    assert wait_for(lambda: rows(serving, Signal, interaction_id=first, kind="regenerate"))


def test_stop_cancels_the_running_answer(tab, serving):
    from telemetry.schema import Signal

    state = ChatState()
    last = []

    def chat():
        for update in tab.send("Write a very long story about a dragon.", state, "Fast", "Auto", 0.0, 1500, False,
                               None):
            last.append(update)

    t = threading.Thread(target=chat)
    t.start()
    wait_for(lambda: state.exchanges and len(state.exchanges[0].answer) > 20)
    tab.stop(state)
    t.join(120)
    ex = state.exchanges[0]
    assert ex.finish_reason == "cancelled" and "stopped" in last[-1][0][-1]["content"]
    assert wait_for(lambda: rows(serving, Signal, interaction_id=ex.interaction_id, kind="stop"))


def test_this_answer_is_wrong_escalates_and_a_good_rating_teaches_the_session(tab, serving):
    from telemetry.schema import Escalation, Feedback

    state = ChatState()
    _, state, _ = run(tab.send("What is 17*23?", state, "Fast", "Auto", 0.0, 24, False, None))[-1]
    flagged = state.exchanges[0]
    assert flagged.answered and "Fast" in flagged.label
    chat, state = run(tab.flag_wrong(state, 0.0, 24, False, None))[-1]
    ex = state.exchanges[-1]
    assert ex.user == WRONG_MESSAGE and ex.answered and "escalated" in ex.label and "modifier beta" in ex.label
    assert any("Escalated" in n for n in ex.notices)
    assert any(m.get("metadata", {}).get("title") for m in chat)  # the notice is a collapsible block
    esc = wait_for(lambda: rows(serving, Escalation, failed_interaction_id=flagged.interaction_id))
    assert esc[0]["trigger"] == "user" and esc[0]["new_interaction_id"] == ex.interaction_id
    assert esc[0]["modifier"] == "beta"

    # Rating the escalated answer well tells session memory the escalation worked (note_rating).
    _, caption, msg = tab.save_rating(state, 9, "better", None)
    assert "9/10" in msg and "answer #2" in caption
    session = serving.services.sessions.get(state.session_id)
    assert session.preempt.get("math") == "beta"
    _, _, msg = tab.save_rating(state, 6, "", None)
    assert msg.startswith("✅ Changed: 6/10")
    fb = wait_for(lambda: [r for r in rows(serving, Feedback, interaction_id=ex.interaction_id) if r["rating"] == 6])
    assert len(fb) == 1 and fb[0]["comment"] == "better" and fb[0]["user_id"] == f"anon:{state.session_id}"


def test_a_cascade_discards_the_streamed_fast_answer(tab, serving, monkeypatch):
    """A low-confidence Fast answer is regenerated in Accurate mode: the page keeps only the new text."""
    from telemetry.schema import Escalation

    monkeypatch.setitem(serving.settings.domain_modes, "math", "fast")  # the router picks Fast for math
    # beta, a random test adapter, has no held-out metrics: without this no cascade would use it (runtime/benefit.py)
    monkeypatch.setattr(serving.settings, "benefit_unmeasured", "accurate")
    state = ChatState()
    updates = run(tab.send("What is 17*23?", state, *CONTROLS, None))
    ex = state.exchanges[0]
    assert "cascaded" in ex.label and "modifier beta" in ex.label, ex.label
    assert any("regenerated with the beta modifier" in n for n in ex.notices)
    assert any("Regenerating" in (u[0][-1]["content"] if u[0] else "") for u in updates)
    final = render(state)[0][-1]["content"]
    assert final.startswith(ex.answer + "\n\n<span")  # one answer, not the fast one followed by the new one
    esc = wait_for(lambda: rows(serving, Escalation, new_interaction_id=ex.interaction_id))
    assert esc[0]["trigger"] == "cascade" and esc[0]["failed_interaction_id"] != ex.interaction_id


def test_rating_needs_an_answer_and_a_valid_value(tab):
    import gradio as gr

    state = ChatState()
    with pytest.raises(gr.Error, match="no answer to rate"):
        tab.save_rating(state, 7, "", None)
    _, state, _ = run(tab.send("Hi", state, "Fast", "Auto", 0.0, 8, False, None))[-1]
    for bad in (None, 0, 11, "x"):
        with pytest.raises(gr.Error):
            tab.save_rating(state, bad, "", None)


def test_badge_details_name_the_router_version_and_the_canary_arm():
    from runtime.decision import RouteDecision
    from ui.present import tool_details

    d = RouteDecision(mode="fast", domain="general", confidence=0.9, threshold=0.8)
    assert tool_details(d) == []
    d.router_version, d.canary_arm = "router-20261201", "canary"
    assert tool_details(d) == ["router router-20261201 (canary arm)"]
    d.canary_arm = ""
    assert tool_details(d) == ["router router-20261201"]


def test_badge_details_say_why_a_question_the_router_found_hard_answered_fast():
    from runtime.decision import RouteDecision
    from ui.present import tool_details

    reason = "code modifier: no significant gain on held-out (HumanEval: 0.05 -> 0.00, n=20, p=1)"
    d = RouteDecision(mode="fast", domain="code", confidence=0.3, threshold=0.8,
                      benefit={"modifier": "code", "eligible": False, "applied": True, "reason": reason})
    assert tool_details(d) == [f"{reason} → Fast"] and "modifier not expected to help" in d.label
    d.benefit["applied"] = False  # judged but not applied (forced, or the thresholds said Fast anyway)
    assert tool_details(d) == [] and "expected" not in d.label


def test_the_server_reads_users_satisfaction_per_domain_and_mode_for_the_benefit_check(serving):
    policy = serving.services.router.benefit
    assert policy.stats is not None and policy.refresh()  # from the serving telemetry database, no error
