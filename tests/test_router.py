"""Router, calibration, escalation and session memory — with the real model, embedder and trained heads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from runtime.chat import ChatService, Notice, Routed, Turn, TurnDone
from runtime.decision import ACCURATE, FAST
from runtime.embedder import Embedder
from runtime.engine import ChatRequest, InputError
from runtime.heads import Calibrator, auc, brier, ece
from runtime.memory import SessionStore
from runtime.router import Router, load_router_artifacts
from runtime.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CODE_Q = "Write a Python function that returns the sum of a list of numbers."


@pytest.fixture(scope="session")
def embedder():
    return Embedder()


@pytest.fixture(scope="session")
def arts(embedder, tmp_path_factory):
    a = load_router_artifacts(ROOT / "artifacts" / "router" / "manifest.json", tmp_path_factory.mktemp("rc"), embedder)
    assert a.domain is not None and a.detector is not None, a.problems
    return a


def make_router(engine, embedder, arts, **settings_kw):
    s = Settings(**{**engine.settings.model_dump(), **settings_kw})
    return Router(s, embedder, arts.domain, arts.quality, registry=engine.modifiers, probe=None, version=arts.version)


def test_domain_classifier_and_detector_on_obvious_messages(arts):
    assert arts.domain.probs(CODE_Q)["code"] == max(arts.domain.probs(CODE_Q).values())
    assert max(arts.domain.probs("What is 15% of 240?").items(), key=lambda kv: kv[1])[0] == "math"
    assert arts.detector.dissatisfied_p("that's wrong, try again") > 0.5
    assert arts.detector.dissatisfied_p("thanks! can you add tests?") < 0.5


def test_forced_mode_and_modifier_always_win(engine, embedder, arts):
    # threshold 0: auto would always pick Fast; threshold 1: always Accurate.
    low = make_router(engine, embedder, arts, threshold=0.0)
    high = make_router(engine, embedder, arts, threshold=1.0)
    assert low.route(CODE_Q).mode == FAST and not low.route(CODE_Q).forced
    # alpha, a random test adapter, has no held-out metrics: no gain shown, so the thresholds' Accurate
    # answers Fast (runtime/benefit.py, tests/test_benefit.py) unless unmeasured modifiers are allowed.
    auto_high = high.route(CODE_Q)
    assert auto_high.mode == FAST and auto_high.benefit["applied"] and not auto_high.forced
    assert "alpha modifier: no held-out pass rates" in auto_high.reasons[-1]
    high = make_router(engine, embedder, arts, threshold=1.0, benefit_unmeasured="accurate")
    auto_high = high.route(CODE_Q)
    assert auto_high.mode == ACCURATE and auto_high.modifier == "alpha"  # alpha serves the code domain
    d = high.route(CODE_Q, mode=FAST)
    assert d.mode == FAST and d.forced and d.modifier is None
    d = low.route(CODE_Q, mode=ACCURATE)
    assert d.mode == ACCURATE and d.forced and d.modifier == "alpha"
    d = low.route(CODE_Q, modifier="beta")
    assert d.mode == ACCURATE and d.forced and d.modifier == "beta"
    assert "forced" in d.label
    # Per-domain defaults from config, overridden by a forced mode.
    cfg = make_router(engine, embedder, arts, threshold=0.0, domain_modes={"code": "accurate"})
    assert cfg.route(CODE_Q).mode == ACCURATE
    assert cfg.route(CODE_Q, mode=FAST).mode == FAST
    # Per-domain threshold.
    per = make_router(engine, embedder, arts, threshold=0.0, domain_thresholds={"code": 1.0},
                      benefit_unmeasured="accurate")
    assert per.route(CODE_Q).threshold == 1.0 and per.route(CODE_Q).mode == ACCURATE


def test_missing_modifier_falls_back_to_base_and_says_so(engine, embedder, arts):
    r = make_router(engine, embedder, arts, threshold=1.0)
    d = r.route("Write a short poem about autumn leaves.")
    assert d.domain == "creative" and d.mode == ACCURATE
    assert d.modifier is None and d.fallback
    assert any("no creative modifier" in x for x in d.reasons)
    svc = ChatService(engine, r, arts.detector, SessionStore(), cascade=False)
    events = list(svc.stream_turn(Turn([{"role": "user", "content": "Write a short poem about autumn leaves."}],
                                       max_tokens=12)))
    assert any(isinstance(e, Notice) and "not available" in e.text for e in events)
    done = events[-1]
    assert isinstance(done, TurnDone) and done.decision.fallback and done.text


def test_the_shipped_classifier_folds_hard_math_into_math_and_routes_it_to_the_math_modifier(engine, embedder, arts):
    """hard_math is a label of the data but not yet of the shipped classifier (router_train.ROUTER_MERGE: the
    9-label classifier measured below 0.90 on its held-out set), so a competition problem routes as math: to
    the math modifier (beta here) when Accurate, and the decision names the domain the router chose."""
    from runtime.router_train import ROUTER_MERGE

    assert ROUTER_MERGE == {"hard_math": "math"} and arts.domain.merged == ROUTER_MERGE
    assert "hard_math" not in arts.domain.labels and arts.quality.labels == arts.domain.labels
    question = "How many trailing zeros does 500! have, and how many positive divisors does 2^10 * 3^5 have?"
    probs = arts.domain.probs(question)
    assert max(probs, key=probs.get) == "math"
    everyday = arts.domain.probs("A jacket costs 80 and is 25% off. How much do I pay?")
    assert max(everyday, key=everyday.get) == "math"
    # (beta has no held-out metrics here, so the benefit check is off: tests/test_benefit.py covers it)
    d = make_router(engine, embedder, arts, threshold=1.0, benefit_policy=False).route(question)
    assert d.domain == "math" and d.mode == ACCURATE and d.modifier == "beta" and not d.fallback
    forced = make_router(engine, embedder, arts, threshold=1.0).route(question, modifier="alpha")
    assert forced.modifier == "alpha" and forced.forced and not forced.fallback


def test_chat_rejects_unknown_forced_modifier_and_bad_mode(engine, embedder, arts):
    svc = ChatService(engine, make_router(engine, embedder, arts), arts.detector)
    msgs = [{"role": "user", "content": "hi"}]
    with pytest.raises(InputError, match="unknown modifier"):
        list(svc.stream_turn(Turn(msgs, modifier="nope")))
    with pytest.raises(InputError, match="mode"):
        list(svc.stream_turn(Turn(msgs, mode="turbo")))


def test_escalation_regenerates_with_modifier_explains_and_memory_preempts(engine, embedder, arts):
    r = make_router(engine, embedder, arts, threshold=0.0)  # auto would answer Fast
    svc = ChatService(engine, r, arts.detector, SessionStore(), cascade=False)
    sid = "session-escalation"
    # 64 tokens: at 24 the random test adapter alpha reproduces the base answer word for word, and the ladder
    # (rightly) refuses to repeat it (tests/test_escalation_ladder.py covers that case).
    first = svc.run_turn(Turn([{"role": "user", "content": CODE_Q}], session_id=sid, max_tokens=64))
    assert first.decision.mode == FAST and first.decision.modifier is None
    convo = [{"role": "user", "content": CODE_Q}, {"role": "assistant", "content": first.text},
             {"role": "user", "content": "That's wrong, your function doesn't work. Try again."}]
    events = list(svc.stream_turn(Turn(convo, session_id=sid, max_tokens=64)))
    routed = next(e for e in events if isinstance(e, Routed)).decision
    done = events[-1]
    assert routed.escalated and routed.modifier == "alpha" and routed.mode == ACCURATE
    assert any(isinstance(e, Notice) and "Escalated" in e.text and "alpha" in e.text for e in events)
    assert done.failed_answer == first.text
    # The regenerated answer is the modifier's answer to the ORIGINAL question.
    expect = engine.complete(ChatRequest([{"role": "user", "content": CODE_Q}], max_tokens=64, modifier="alpha"))
    assert done.text == expect.text and done.text != first.text and done.decision.rung == "modifier"
    # The user moves on happily: the escalation succeeded; the next code question uses the modifier up front.
    convo += [{"role": "assistant", "content": done.text},
              {"role": "user", "content": "Thanks! Now write a Python function that reverses a string."}]
    nxt = svc.run_turn(Turn(convo, session_id=sid, max_tokens=16))
    assert nxt.decision.preempted and nxt.decision.modifier == "alpha" and nxt.decision.mode == ACCURATE
    assert "session" in " ".join(nxt.decision.reasons)
    mem = svc.sessions.get(sid).snapshot()
    assert mem["preempt"] == {"code": "alpha"} and mem["escalations"][0]["outcome"] == "succeeded"
    assert len(json.dumps(mem)) < 4096
    # Other sessions are unaffected.
    other = svc.run_turn(Turn([{"role": "user", "content": CODE_Q}], session_id="other", max_tokens=8))
    assert not other.decision.preempted and other.decision.mode == FAST


def test_explicit_wrong_button_escalates_even_without_detector(engine, embedder, arts):
    svc = ChatService(engine, make_router(engine, embedder, arts, threshold=0.0), None, SessionStore(), cascade=False)
    convo = [{"role": "user", "content": "What is 12 times 12?"}, {"role": "assistant", "content": "It is 124."},
             {"role": "user", "content": "This answer is wrong."}]
    done = svc.run_turn(Turn(convo, escalate=True, max_tokens=16))
    assert done.decision.escalated and done.failed_answer == "It is 124."
    assert done.decision.modifier == "beta"  # beta serves math
    assert "marked the answer as wrong" in done.notice


def test_cascade_regenerates_low_confidence_fast_answers(engine, embedder, arts):
    from runtime.chat import Restart

    # With threshold just under 1, auto routing needs P >= 0.999 for Fast; force the first pass Fast via a
    # per-domain mode so the cascade is what moves it to Accurate. alpha has no held-out metrics: allowed
    # here (tests/test_benefit.py: no cascade to a modifier that shows no gain).
    r = make_router(engine, embedder, arts, threshold=0.999, domain_modes={"code": "fast"},
                    benefit_unmeasured="accurate")
    svc = ChatService(engine, r, arts.detector, SessionStore(), cascade=True)
    events = list(svc.stream_turn(Turn([{"role": "user", "content": CODE_Q}], max_tokens=16)))
    assert any(isinstance(e, Restart) for e in events)
    done = events[-1]
    assert done.decision.cascaded and done.decision.modifier == "alpha"
    off = ChatService(engine, r, arts.detector, SessionStore(), cascade=False)
    assert not off.run_turn(Turn([{"role": "user", "content": CODE_Q}], max_tokens=16)).decision.cascaded


def test_calibration_metrics_on_a_hand_checked_example():
    p = np.array([0.1, 0.4, 0.35, 0.8, 0.9, 0.95])
    y = np.array([0, 0, 1, 1, 1, 0])
    # 10 equal-width bins [k/10, (k+1)/10): 0.1->bin1 {y=0}, 0.35->bin3 {1}, 0.4->bin4 {0}, 0.8->bin8 {1},
    # 0.9 and 0.95->bin9 {1, 0}.
    # ECE = 1/6*|0.1-0| + 1/6*|0.35-1| + 1/6*|0.4-0| + 1/6*|0.8-1| + 2/6*|0.925-0.5| = 2.2/6
    expected = 2.2 / 6
    assert ece(p, y) == pytest.approx(expected)
    assert brier(p, y) == pytest.approx(np.mean((p - y) ** 2))
    assert brier(p, y) == pytest.approx((0.01 + 0.16 + 0.4225 + 0.04 + 0.01 + 0.9025) / 6)
    # AUC: pairs (pos, neg) where pos > neg: pos {0.35,0.8,0.9} vs neg {0.1,0.4,0.95}: 1+2+2 = 5 of 9
    assert auc(p, y) == pytest.approx(5 / 9)
    assert ece(np.array([1.0, 0.0]), np.array([1, 0])) == 0.0


def test_platt_and_temperature_calibration_reduce_ece():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, 4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(-z / 3))).astype(int)  # true temperature 3: raw logits overconfident
    raw = 1 / (1 + np.exp(-z))
    t = Calibrator.fit(z, y, "temperature")
    pl = Calibrator.fit(z, y, "platt")
    assert t.a == pytest.approx(1 / 3, rel=0.15)
    assert ece(t(z), y) < ece(raw, y) / 2 and ece(pl(z), y) < ece(raw, y) / 2


def test_route_cli_writes_one_json_line_per_input(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "how do I sort a dict by value in python"}\nnot json\n{"text": "ugh, that is wrong"}\n')
    out = subprocess.run([sys.executable, "-m", "runtime", "route", "--jsonl", str(src)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300,
                         env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT),
                              "MODROUTE_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.strip().splitlines()]
    assert len(lines) == 3 and "error" in lines[1]
    for rec in (lines[0], lines[2]):
        assert {"domain", "domain_probs", "mode", "modifier", "confidence", "dissatisfied_p", "latency_ms"} <= set(rec)
        assert abs(sum(rec["domain_probs"].values()) - 1) < 1e-3
    assert lines[0]["domain"] == "code" and lines[0]["dissatisfied_p"] < 0.5
    assert lines[2]["dissatisfied_p"] > 0.5


def test_open_answers_are_judged_on_content_not_on_hitting_the_cap(embedder):
    from runtime.router_train import judge

    item = {"kind": "open", "text": "Why is the sky blue?", "ref": None}
    sound = ("The sky looks blue because air molecules scatter sunlight, and they scatter short blue "
             "wavelengths much more strongly than red ones (Rayleigh scattering), so blue light")
    assert judge(item, sound, "length", embedder)  # still going at the cap, but sound so far
    assert not judge(item, "blue blue blue " * 30, "length", embedder)  # looping
    assert not judge(item, "My favourite pasta recipe needs garlic, olive oil and parmesan.", "stop", embedder)


def test_math_check_reads_fractions_when_the_reference_is_one():
    from runtime.checks import check_math

    assert check_math("Favourable 3 of 16 outcomes, so the probability is 3/16.", "3/16")
    assert check_math("Answer: 6/32", "3/16") and check_math("about 0.1875", "3/16")
    assert check_math("So P = 1/3 + 1/6 = 1/2. Answer: -1/3", "-1/3")
    assert not check_math("Answer: 5/16", "3/16") and not check_math("3/16.5", "3/16")
    assert not check_math("no number here", "3/16") and not check_math("1/0", "1/0")
    # integer references read the last number, as before (a fraction on the way is not the answer)
    assert check_math("Half of it, 1/2 of 24, is 12", "12") and not check_math("12 ... so 1/2", "0.5")


def test_hard_math_items_come_from_its_training_file_not_its_eval_set():
    """hard_math's eval file is its modifier's held-out set: the labeller must not run on it."""
    from runtime import router_train as rt

    items = [it for it in rt.gather_checkable(limit_per_source=40) if it["domain"] == "hard_math"]
    train = {r["id"]: r for r in rt.read_jsonl(ROOT / "data" / "instructions" / "hard_math.jsonl")}
    held = {r["question"] for r in rt.read_jsonl(ROOT / "data" / "eval" / "hard_math.jsonl")}
    assert len(items) == 40 and all(it["kind"] == "math" for it in items)
    assert all(it["text"] == train[it["id"]]["instruction"] and it["ref"] == train[it["id"]]["answer"]
               for it in items)
    assert not {it["text"] for it in items} & held
    templates = {train[it["id"]]["source"] for it in items}
    assert len(templates) == min(40, len({r["source"] for r in train.values()}))  # one per template first


def test_labeller_resumes_and_relabels_rows_whose_judge_changed(engine, embedder, tmp_path):
    from runtime import router_train as rt

    items = rt.gather_checkable(limit_per_source=2)
    opened = [it for it in items if it["kind"] == "open"]
    assert {it["domain"] for it in opened} == {"science", "finance", "creative", "general"}
    current = [{"id": it["id"], "kind": it["kind"], "domain": it["domain"], "good": 0, "judge": rt.JUDGE_VERSION}
               for it in items if it is not opened[0]]
    stale = {"id": opened[0]["id"], "kind": "open", "domain": opened[0]["domain"], "good": 0}  # judge v1
    out = tmp_path / "labels.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in current + [stale]))
    res = rt.label_quality(engine, embedder, out_path=out, limit_per_source=2, max_tokens=16)
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert res["n"] == len(items) == len(rows) and len({r["id"] for r in rows}) == len(items)
    new = rows[-1]  # only the stale row was generated again, with the open cap and the current judge
    assert new["id"] == opened[0]["id"] and new["judge"] == rt.JUDGE_VERSION
    assert new["max_tokens"] == rt.OPEN_MAX_TOKENS and new["answer"] and new["good"] in (0, 1)


def test_quality_training_picks_a_head_by_cross_validation_and_saves_what_the_router_loads(embedder, arts,
                                                                                          tmp_path):
    """Labels that depend on the domain and on the probe: the trained head must find that signal on the
    held-out split, beat or match the domain base rates, and load back into the same predictions."""
    from runtime import router_train as rt
    from runtime.router import QualityModel, probe_features

    rng = np.random.default_rng(0)
    prompts = [json.loads(x) for x in (ROOT / "data" / "router" / "domain_prompts.jsonl").read_text().splitlines()]
    rows = []
    for i, r in enumerate(prompts[::2][:400]):
        easy = r["label"] in ("creative", "general", "science")
        probe_mean = float(rng.normal(-0.6 if easy else -1.6, 0.5))
        good = int(rng.random() < (0.85 if easy else 0.1) + (0.1 if probe_mean > -1.0 else -0.05))
        rows.append({"id": f"s{i}", "domain": r["label"], "kind": "open", "text": r["text"], "good": good,
                     "probe_mean_logprob": probe_mean, "probe_min_logprob": probe_mean - 1.0,
                     "prompt_tokens": 20 + len(r["text"]) // 4, "response_mean_logprob": probe_mean})
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    m = rt.train_quality(embedder, arts.domain, labels_path=labels, out_dir=tmp_path)
    assert m["head"] in m["cv_brier"] and m["cv_brier"][m["head"]] == min(m["cv_brier"].values())
    assert m["heldout_auc"] >= 0.75 and m["heldout_brier"] <= m["heldout_brier_domain_prior"] + 0.02
    q = QualityModel.load(tmp_path / "quality.safetensors")
    r = rows[0]
    x = q.features(embedder.embed([r["text"]])[0], r["text"], arts.domain.predict_proba([r["text"]])[0],
                   probe_features(r["probe_mean_logprob"], r["probe_min_logprob"], r["prompt_tokens"]))
    assert 0.0 < q.p_good(x) < 1.0 and q.mlp.n_params == m["head_params"]


def test_code_requests_are_checked_by_their_own_tests_in_the_sandbox():
    from runtime.checks import check_code_tests

    r = json.loads((ROOT / "data" / "instructions" / "code.jsonl").read_text().splitlines()[0])
    assert check_code_tests(r["response"], r["entry_point"], r["tests"])  # the reference answer passes
    wrong = f"```python\ndef {r['entry_point']}(*a):\n    return None\n```"
    assert not check_code_tests(wrong, r["entry_point"], r["tests"])
    assert not check_code_tests("Just split the sentence.", r["entry_point"], r["tests"])  # no code
    hang = f"```python\ndef {r['entry_point']}(*a):\n    while True:\n        pass\n```"
    assert not check_code_tests(hang, r["entry_point"], r["tests"], timeout=1.0)  # killed, not hung


def test_a_skipped_probe_still_tells_the_router_how_long_the_prompt_is(engine, embedder, arts):
    """When the model is busy the probe does not run, but the prompt's token count (tokenizing needs no
    context) replaces the training-mean length that would make short questions look like long ones."""
    from runtime.router import probe_features
    from runtime.services import ProbeSkipped, make_probe

    text = "What is the capital of France?"
    probe = make_probe(engine, 6)
    mean_lp, min_lp, n = probe(text)  # idle: it runs
    assert n == len(engine.tokenize_chat([{"role": "user", "content": text}])) and mean_lp <= 0
    with engine.hold():  # someone else holds the model
        assert engine.busy
        with pytest.raises(ProbeSkipped) as skipped:
            probe(text)
        assert skipped.value.prompt_tokens == n
        s = Settings(**engine.settings.model_dump())
        r = Router(s, embedder, arts.domain, arts.quality, registry=engine.modifiers, probe=probe, version="t")
        d = r.route(text)
    assert any("probe skipped" in x for x in d.reasons) and d.probe_ms < 50
    q = arts.quality
    dp = np.array([d.domain_probs[k] for k in q.labels], dtype=np.float32)
    imputed = q.probe_defaults.copy()
    imputed[2] = probe_features(0.0, 0.0, n)[2]
    assert d.confidence == pytest.approx(q.p_good(q.features(embedder.embed_one(text), text, dp, imputed)))
    assert d.confidence != pytest.approx(q.p_good(q.features(embedder.embed_one(text), text, dp, q.probe_defaults)))
