"""The beta program: the admin's task list, testers' ratings stored as telemetry, and the admin report
(average rating, win rate against the reference, NPS) per domain and per mode."""

from __future__ import annotations

import json

import gradio as gr
import httpx
import pytest

from admin.beta import (
    TaskListError,
    beta_session_id,
    load_tasks,
    nps,
    parse_tasks,
    report,
    summarize,
    task_of_session,
)
from runtime.decision import DOMAINS
from runtime.settings import Settings
from tests.conftest import ADMIN_TOKEN


def test_the_default_task_list_has_twenty_tasks_across_domains():
    tasks = load_tasks(Settings().beta_tasks)
    assert len(tasks.tasks) == 20 and len(tasks.domains) >= 6 and set(tasks.domains) <= set(DOMAINS)
    assert all(t.prompt and t.reference for t in tasks.tasks)


@pytest.mark.parametrize("data, problem", [
    ({"tasks": []}, "at least one task"),
    ({"tasks": [{"id": "a", "domain": "code", "prompt": "p", "reference": "r"}] * 2}, "used twice"),
    ({"tasks": [{"id": "a", "domain": "cooking", "prompt": "p", "reference": "r"}]}, "domain must be one of"),
    ({"tasks": [{"id": "a", "domain": "code", "prompt": "p", "reference": ""}]}, "non-empty prompt and reference"),
    ({"tasks": [{"id": "bad id!", "domain": "code", "prompt": "p", "reference": "r"}]}, "letters, digits"),
])
def test_a_bad_task_list_is_refused_with_a_clear_message(data, problem):
    with pytest.raises(TaskListError, match=problem):
        parse_tasks(data, "tasks.json")


def test_task_lists_load_from_json_or_yaml(tmp_path):
    (tmp_path / "t.yaml").write_text("version: v2\ntasks:\n  - {id: m1, domain: math, prompt: '1+1?', reference: '2'}\n")
    assert load_tasks(tmp_path / "t.yaml").get("m1").reference == "2"
    (tmp_path / "t.json").write_text("{not json")
    with pytest.raises(TaskListError, match="not valid JSON"):
        load_tasks(tmp_path / "t.json")
    with pytest.raises(TaskListError, match="cannot read"):
        load_tasks(tmp_path / "missing.json")


def test_nps_win_rate_and_average():
    assert nps([10, 9, 8, 7, 6, 1]) == pytest.approx(100 * (2 - 2) / 6)
    assert nps([10, 10, 9]) == 100 and nps([1, 6]) == -100 and nps([]) is None
    s = summarize([{"rating": 9, "preferred": True}, {"rating": 6, "preferred": False},
                   {"rating": 10, "preferred": None}, {"rating": None, "preferred": True}])
    assert s["answers"] == 4 and s["ratings"] == 3 and s["avg_rating"] == pytest.approx(25 / 3, abs=0.01)
    assert s["win_rate"] == pytest.approx(2 / 3, abs=0.001) and s["nps"] == pytest.approx(100 * (2 - 1) / 3, abs=0.1)
    assert (s["promoters"], s["passives"], s["detractors"]) == (2, 0, 1)


def test_report_groups_by_the_tasks_domain_and_the_routed_mode():
    tasks = parse_tasks({"tasks": [{"id": "c1", "domain": "code", "prompt": "p", "reference": "r"},
                                   {"id": "m1", "domain": "math", "prompt": "p", "reference": "r"}]})
    sid = beta_session_id("c1")
    assert task_of_session(sid) == "c1" and len(sid) <= 64 and task_of_session("abc") is None
    rows = [{"session_id": beta_session_id("c1"), "mode": "fast", "domain": "general", "rating": 9, "preferred": True},
            {"session_id": beta_session_id("c1"), "mode": "accurate", "domain": "code", "rating": 5,
             "preferred": False},
            {"session_id": beta_session_id("m1"), "mode": "accurate", "domain": "math", "rating": 10,
             "preferred": True}]
    rep = report(rows, tasks)
    by_domain = {r["domain"]: r for r in rep["by_domain"]}
    assert set(by_domain) == {"code", "math"}  # the admin's domain, not the router's guess
    assert by_domain["code"]["avg_rating"] == 7.0 and by_domain["code"]["win_rate"] == 0.5
    assert by_domain["code"]["nps"] == 0.0 and by_domain["math"]["nps"] == 100.0
    by_mode = {r["mode"]: r for r in rep["by_mode"]}
    assert by_mode["accurate"]["ratings"] == 2 and by_mode["fast"]["win_rate"] == 1.0
    assert rep["overall"]["ratings"] == 3 and rep["tasks"] == 2


def test_a_tester_works_through_tasks_and_the_admin_sees_the_report(serving, live_server):
    from telemetry.schema import ChatSession
    from ui.beta import PREFER_MODEL, PREFER_REFERENCE, BetaState, BetaTab

    beta = BetaTab(serving.services, serving.sink, serving.settings.beta_tasks)
    by_id = {t.id: t for t in beta.tasks.tasks}
    state = BetaState()
    with pytest.raises(gr.Error, match="tester name"):
        list(beta.ask(by_id["math-02"].label, "", state, None))
    with pytest.raises(gr.Error, match="answer to the task first"):
        beta.submit(state, 7, PREFER_MODEL, "", "tess", None)

    given = {"math-02": (9, PREFER_MODEL), "code-01": (6, PREFER_REFERENCE), "general-01": (10, PREFER_MODEL)}
    for task_id, (rating, prefer) in given.items():
        label = by_id[task_id].label
        state, prompt, *_ = beta.choose(label, state)
        assert by_id[task_id].prompt in prompt
        updates = list(beta.ask(label, "tess", state, None))
        state, answer, reference = updates[-1]
        assert state.interaction_id and "modroute-badge" in answer and reference["visible"] is True
        assert reference["value"] == by_id[task_id].reference
        state, msg, progress = beta.submit(state, rating, prefer, f"comment on {task_id}", "tess", None)
        assert f"{rating}/10" in msg
    assert "3 of 20" in progress
    assert beta.next_task(state) == by_id["general-02"].label  # the next task not rated yet
    # Changing a rating updates it (still one rating per tester and answer).
    state, *_ = beta.submit(state, 8, PREFER_MODEL, "", "tess", None)

    serving.sink.writer.flush(30)
    with serving.sink.store.engine.connect() as c:
        from sqlalchemy import select

        clients = {r.client for r in c.execute(select(ChatSession.__table__.c.client)
                                                .where(ChatSession.__table__.c.id.like("beta:%")))}
    assert clients == {"beta"}

    r = httpx.get(live_server.url + "/admin/beta/report", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert r.status_code == 200, r.text
    rep = r.json()
    # Other tests may add beta ratings to the same database: check this tester's tasks exactly, and
    # that every grouping accounts for all ratings.
    by_task = {t["task"]: t for t in rep["by_task"]}
    assert by_task["math-02"]["avg_rating"] == 9 and by_task["math-02"]["win_rate"] == 1.0
    assert by_task["math-02"]["nps"] == 100.0
    assert by_task["code-01"]["avg_rating"] == 6 and by_task["code-01"]["win_rate"] == 0.0
    assert by_task["code-01"]["nps"] == -100.0
    assert by_task["general-01"]["avg_rating"] == 8 and by_task["general-01"]["nps"] == 0.0  # 10 changed to 8
    by_domain = {d["domain"]: d for d in rep["by_domain"]}
    assert {"math", "code", "general"} <= set(by_domain)  # the tasks' domains, as the admin defined them
    total = rep["overall"]["ratings"]
    assert total >= 3
    assert sum(d["ratings"] for d in rep["by_domain"]) == total == sum(m["ratings"] for m in rep["by_mode"])
    assert {m["mode"] for m in rep["by_mode"]} <= {"fast", "accurate"}
    json.dumps(rep)
