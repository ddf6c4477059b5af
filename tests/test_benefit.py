"""Modifier benefit (issue 14): Accurate only where the domain's modifier is expected to beat the base.

Unit tests of the policy (the paired sign test on hand-checked numbers, the pass-count bounds, the users'
satisfaction bound and when it takes over), the telemetry counts it reads on SQLite and PostgreSQL, and
the real router + chat service on the real model: a question the thresholds send to Accurate answers Fast
when its modifier shows no significant gain — saying so — while forcing still gets the modifier."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest

from runtime.benefit import (
    BenefitPolicy,
    difference_lower_bound,
    held_out_evidence,
    judge_held_out,
    paired_p_range,
    sign_test_p,
    wilson_interval,
)
from runtime.modifiers import Modifier
from runtime.settings import Settings
from tests.test_router import arts, embedder  # noqa: F401  (session fixtures: real router artifacts)
from tests.test_telemetry_support import backend_fixture, db_url_fixture, store_fixture  # noqa: F401

# Metrics as published in artifacts/manifest.json on 2026-11-25 (copied: the pipeline may republish it).
CODE = {"benchmark": "HumanEval pass@1 (problems 0-19)", "scorer": "code_tests", "n": 20, "base": 0.05,
        "modifier": 0.0, "gain": -0.05, "base_pass_rate": 0.05, "modifier_pass_rate": 0.0}
REASONING = {"benchmark": "data/eval/reasoning.jsonl, rubric judge", "scorer": "rubric", "n": 68, "base": 0.1176,
             "modifier": 0.1765, "gain": 0.0588, "base_pass_rate": 0.1176, "modifier_pass_rate": 0.1765}
AUTOMATION = {"benchmark": "data/eval/automation.jsonl, tool-call accuracy", "scorer": "calls", "n": 66,
              "base": 0.0, "modifier": 0.2909, "gain": 0.2909, "base_pass_rate": 0.0, "modifier_pass_rate": 0.1212}
MATH = {"benchmark": "data/eval/math.jsonl, exact-match accuracy", "scorer": "exact_match", "n": 69,
        "base": 0.0145, "modifier": 0.1014, "gain": 0.087, "base_pass_rate": 0.0145, "modifier_pass_rate": 0.1014}


def settings(tmp_path, **kw) -> Settings:
    return Settings(data_dir=tmp_path, **kw)


def mod(name: str, domain: str, metrics: dict | None) -> Modifier:
    return Modifier(name=name, domain=domain, status="ready", sha256="0" * 64, metrics=metrics or {})


# -- the paired test --------------------------------------------------------------------------------------
def test_sign_test_p_on_hand_checked_examples():
    # 1 item only the base passed, 7 only the modifier: P(X >= 7), X ~ Bin(8, 1/2) = (C(8,7) + C(8,8)) / 256
    assert sign_test_p(1, 7) == pytest.approx(9 / 256)
    assert sign_test_p(0, 4) == pytest.approx(1 / 16)
    assert sign_test_p(2, 2) == pytest.approx(11 / 16)  # (6 + 4 + 1) / 16
    assert sign_test_p(1, 0) == 1.0 and sign_test_p(0, 0) == 1.0  # worse, or no discordant item at all


def test_pass_count_bounds_are_the_extremes_over_every_table_with_those_margins(monkeypatch):
    import runtime.benefit as benefit

    for n in (1, 5, 12):
        for kb, km in itertools.product(range(n + 1), repeat=2):
            ps = [sign_test_p(b, c) for b in range(n + 1) for c in range(n + 1)
                  if 0 <= kb - b and 0 <= km - c and kb - b == km - c and kb + c <= n]  # both-pass = kb - b
            assert paired_p_range(n, kb, km) == pytest.approx((min(ps), max(ps))), (n, kb, km)
            monkeypatch.setattr(benefit, "ENUMERATE_UP_TO", 0)  # the large-n path: only the two extremes
            assert paired_p_range(n, kb, km) == pytest.approx((min(ps), max(ps))), (n, kb, km)
            monkeypatch.undo()


def test_the_published_modifiers_are_judged_from_their_held_out_pass_counts():
    code = judge_held_out("code", "code", CODE, 0.05, False)
    assert not code.eligible and code.source == "held-out"
    assert (code.held_out.base_passed, code.held_out.modifier_passed, code.held_out.p) == (1, 0, 1.0)
    assert code.reason == ("code modifier: no significant gain on held-out "
                           "(HumanEval pass@1 (problems 0-19): 0.05 -> 0.00, n=20, p=1)")
    # 8/68 -> 12/68: at best (no item lost) 4 discordant items all for the modifier, p = 1/16 >= 0.05.
    reasoning = judge_held_out("reasoning", "reasoning", REASONING, 0.05, False)
    assert not reasoning.eligible and reasoning.held_out.p_min == pytest.approx(1 / 16)
    assert reasoning.held_out.p == pytest.approx(sign_test_p(8, 12)) and "pairing not stored" in reasoning.reason
    # 0/66 -> 8/66 passed: the base passed nothing, so the pairing is known: p = 2^-8.
    automation = judge_held_out("automation", "automation", AUTOMATION, 0.05, False)
    assert automation.eligible and automation.held_out.p == automation.held_out.p_min == pytest.approx(1 / 256)
    assert "passed 0 -> 8" in automation.reason  # its score (partial credit) is not its pass rate
    # 1/69 -> 7/69: p is 1/64 (the base's one item also passed) or 9/256 (lost): significant either way.
    math_ = judge_held_out("math", "math", MATH, 0.05, False)
    assert math_.eligible and (math_.held_out.p_min, math_.held_out.p) == pytest.approx((1 / 64, 9 / 256))
    assert not judge_held_out("math", "math", MATH, 0.01, False).eligible  # alpha is a setting


def test_stored_discordant_counts_make_p_exact_and_an_undecidable_gain_is_not_shown():
    exact, _ = held_out_evidence({**MATH, "base_only": 1, "modifier_only": 7})
    assert exact.exact and exact.p == exact.p_min == pytest.approx(9 / 256)
    inconsistent, _ = held_out_evidence({**MATH, "base_only": 0, "modifier_only": 7})  # 7 - 0 != 7 - 1
    assert not inconsistent.exact
    # 2/20 -> 7/20: p = 1/32 if no item was lost, 1/16 if one was: the stored figures cannot show a gain.
    v = judge_held_out("x", "code", {"n": 20, "base_pass_rate": 0.1, "modifier_pass_rate": 0.35}, 0.05, False)
    assert not v.eligible and (v.held_out.p_min, v.held_out.p) == pytest.approx((1 / 32, sign_test_p(2, 7)))
    assert "significant only under some of those pairings" in v.reason


def test_a_modifier_without_held_out_pass_rates_is_unmeasured(tmp_path):
    v = judge_held_out("alpha", "code", {"val_loss": 0.9}, 0.05, False)
    assert not v.eligible and v.source == "unmeasured" and "no held-out pass rates" in v.reason
    assert judge_held_out("alpha", "code", {}, 0.05, True).eligible
    assert held_out_evidence({"n": 20, "base_pass_rate": 0.123, "modifier_pass_rate": 0.2})[0] is None  # not k/20
    policy = BenefitPolicy(settings(tmp_path, benefit_unmeasured="accurate"))
    assert policy.judge("code", mod("alpha", "code", None)).eligible
    assert BenefitPolicy(settings(tmp_path, benefit_policy=False)).judge("code", mod("code", "code", CODE)) is None


# -- users' satisfaction ------------------------------------------------------------------------------------
def test_newcombe_bound_on_the_published_example():
    # Newcombe (1998), example (a): 56/70 vs 48/80, 95% interval of the difference by method 10 = 0.0524 to 0.3339.
    assert difference_lower_bound(56, 70, 48, 80, 1.959964) == pytest.approx(0.0524, abs=1e-4)
    assert wilson_interval(56, 70, 1.959964) == pytest.approx((0.6918, 0.8770), abs=1e-4)


def rows(domain: str, fast: tuple[int, int], accurate: tuple[int, int], modifier: str) -> list[dict]:
    return [{"domain": domain, "mode": "fast", "modifier": None, "labelled": fast[0], "satisfied": fast[1]},
            {"domain": domain, "mode": "accurate", "modifier": modifier, "labelled": accurate[0],
             "satisfied": accurate[1]},
            # Accurate answers of the base (a fallback) or of another modifier are not this modifier's.
            {"domain": domain, "mode": "accurate", "modifier": None, "labelled": 500, "satisfied": 500}]


def test_enough_labelled_answers_in_both_modes_override_the_held_out_figure(tmp_path):
    seen = []
    data = {"rows": rows("code", (40, 14), (40, 34), "code") + rows("math", (50, 40), (45, 36), "math")}

    def stats(since):
        seen.append(since)
        return data["rows"]

    policy = BenefitPolicy(settings(tmp_path), stats=stats)
    code, math_ = mod("code", "code", CODE), mod("math", "math", MATH)
    assert policy.judge("code", code).source == "held-out"  # nothing read yet
    assert policy.refresh()
    assert seen[-1] is not None and abs(seen[-1] - (datetime.now(UTC) - timedelta(days=30))) < timedelta(minutes=1)
    v = policy.judge("code", code)  # users were clearly happier with it: 85% vs 35%
    assert v.eligible and v.source == "users" and v.users.accurate_labelled == 40 and v.held_out.p == 1.0
    assert v.users.difference == pytest.approx(34 / 40 - 14 / 40)
    assert v.users.lower_bound == pytest.approx(difference_lower_bound(34, 40, 14, 40, 1.6448536), abs=1e-6)
    assert v.users.lower_bound > 0
    assert "users" in v.reason and "(n=40)" in v.reason
    w = policy.judge("math", math_)  # 80% either way: no gain for users, whatever the held-out set said
    assert not w.eligible and w.source == "users" and w.users.lower_bound < 0

    # Too little data in one mode (29 < 30 labelled): the held-out figure decides.
    data["rows"] = rows("code", (40, 14), (29, 29), "code")
    policy.refresh()
    assert policy.judge("code", code).source == "held-out" and not policy.judge("code", code).eligible
    # ... unless the threshold is lowered.
    policy.settings = settings(tmp_path, benefit_min_labelled=20)
    assert policy.judge("code", code).source == "users"

    # Telemetry unreachable: the last counts keep serving.
    def down(since):
        raise ConnectionError("database down")

    policy.stats = down
    assert not policy.refresh() and policy.judge("code", code).source == "users"


def test_the_background_refresh_reads_telemetry_until_closed(tmp_path):
    import threading

    reads = threading.Semaphore(0)

    def stats(since):
        reads.release()
        return rows("code", (40, 14), (40, 34), "code")

    policy = BenefitPolicy(settings(tmp_path, benefit_refresh_s=0.01), stats=stats).start()
    assert reads.acquire(timeout=30) and reads.acquire(timeout=30)  # at once, then every benefit_refresh_s
    policy.close()
    assert policy._thread is None and policy.counts("code", "code") == ((40, 14), (40, 34))


def test_telemetry_counts_per_domain_and_mode_from_labelled_interactions(store):
    from telemetry.analytics import satisfaction_by_domain_mode
    from telemetry.events import EscalationEvent, FeedbackEvent, InteractionEvent, SignalEvent
    from telemetry.privacy import Scrubber

    t0 = datetime.now(UTC) - timedelta(hours=1)

    def ix(mode, modifier, minute, **kw):
        d = {"mode": mode, "domain": "code", "modifier": modifier, "confidence": 0.5, "threshold": 0.8, **kw}
        return InteractionEvent("sess-b", "q", "a", d, created_at=t0 + timedelta(minutes=minute))

    fast_ok, fast_bad, fast_unrated = ix("fast", None, 1), ix("fast", None, 2), ix("fast", None, 3)
    acc_ok, acc_forced_ok = ix("accurate", "code", 4), ix("accurate", "code", 5, forced=True)
    superseded = ix("fast", None, 6)  # a cascade replaced it: the user never saw it
    regenerated = ix("accurate", "code", 7, escalated=True)  # an answer to a complaint: not counted
    events = [fast_ok, fast_bad, fast_unrated, acc_ok, acc_forced_ok, superseded, regenerated,
              FeedbackEvent(fast_ok.id, "u", rating=9), FeedbackEvent(fast_bad.id, "u", rating=2),
              FeedbackEvent(acc_ok.id, "u", rating=8), SignalEvent(acc_forced_ok.id, "copy"),
              FeedbackEvent(superseded.id, "u", rating=1), EscalationEvent(superseded.id, "cascade"),
              FeedbackEvent(regenerated.id, "u", rating=1)]
    store.write_records([r for ev in events for r in ev.to_records(Scrubber())])
    got = {(r["mode"], r["modifier"]): (r["answers"], r["labelled"], r["satisfied"])
           for r in satisfaction_by_domain_mode(store.engine, since=t0)}
    assert got == {("fast", None): (3, 2, 1), ("accurate", "code"): (2, 2, 2)}
    assert satisfaction_by_domain_mode(store.engine, since=t0 + timedelta(hours=2)) == []
    policy = BenefitPolicy(Settings(benefit_min_labelled=2),
                           stats=lambda since: satisfaction_by_domain_mode(store.engine, since=since))
    assert policy.refresh() and policy.counts("code", "code") == ((2, 1), (2, 2))
    assert policy.judge("code", mod("code", "code", CODE)).source == "users"


# -- the real router and chat service ---------------------------------------------------------------------
CODE_Q = "Write a Python function that returns the sum of a list of numbers."
MATH_Q = "What is 15% of 240?"


@pytest.fixture(scope="module")
def judged_engine(tmp_path_factory, adapter_dir, base_path):
    """The real base with alpha serving code (measured like the published code modifier: no gain) and beta
    serving math (measured like the published math modifier: a significant gain)."""
    from runtime.artifacts import sha256_cached, write_manifest
    from runtime.engine import Engine
    from tests.conftest import modifier_entry

    base_sha = sha256_cached(base_path)
    manifest = adapter_dir / "benefit-manifest.json"
    write_manifest(manifest, [modifier_entry(adapter_dir, "alpha.gguf", "alpha", "code", base_sha256=base_sha,
                                             metrics=CODE),
                              modifier_entry(adapter_dir, "beta.gguf", "beta", "math", base_sha256=base_sha,
                                             metrics=MATH)])
    s = Settings(data_dir=tmp_path_factory.mktemp("benefit"), n_threads=2, n_ctx=1024, n_parallel=2,
                 manifest=str(manifest))
    with Engine(s) as e:
        yield e


def router(engine, a, versions=None, benefit=None, **kw):
    from runtime.router import Router

    s = Settings(**{**engine.settings.model_dump(), "threshold": 1.0, **kw})  # the thresholds want Accurate
    return Router(s, a.domain.embedder, a.domain, a.quality, registry=engine.modifiers, probe=None,
                  version=a.version, versions=versions, benefit=benefit)


def test_a_question_for_a_modifier_without_gain_answers_fast_and_says_why(judged_engine, arts):  # noqa: F811
    from runtime.chat import ChatService, Turn
    from runtime.decision import ACCURATE, FAST
    from runtime.engine import ChatRequest
    from runtime.memory import SessionStore
    from ui.present import tool_details

    r = router(judged_engine, arts)
    d = r.route(CODE_Q)
    assert d.domain == "code" and d.mode == FAST and d.modifier is None and not d.forced
    assert any("P(base good enough)" in x and "< threshold 1.00" in x for x in d.reasons)  # thresholds first
    assert d.reasons[-1] == ("alpha modifier: no significant gain on held-out (HumanEval pass@1 (problems 0-19): "
                             "0.05 -> 0.00, n=20, p=1) — answering Fast")
    assert d.benefit["applied"] and not d.benefit["eligible"] and d.benefit["held_out"]["p"] == 1.0
    routing = json.loads(json.dumps(d.to_dict()))  # what the API returns as `routing`
    assert routing["benefit"]["modifier"] == "alpha" and routing["benefit"]["held_out"]["n"] == 20
    assert "modifier not expected to help" in d.label and tool_details(d)[0].startswith("alpha modifier: no")

    # Through the chat service, with the cascade on: the base's own answer, not regenerated with alpha.
    N = 64  # at fewer tokens the random test adapter alpha still says what the base says
    svc = ChatService(judged_engine, r, arts.detector, SessionStore(), cascade=True)
    done = svc.run_turn(Turn([{"role": "user", "content": CODE_Q}], max_tokens=N))
    base = judged_engine.complete(ChatRequest([{"role": "user", "content": CODE_Q}], max_tokens=N))
    assert done.decision.mode == FAST and not done.decision.cascaded and done.text == base.text
    assert any("not regenerated: the alpha modifier shows no significant gain" in x for x in done.decision.reasons)

    # Forcing Accurate or the modifier still gets it (UI and API pass these through Turn).
    alpha = judged_engine.complete(ChatRequest([{"role": "user", "content": CODE_Q}], max_tokens=N,
                                               modifier="alpha"))
    for forced in (Turn([{"role": "user", "content": CODE_Q}], mode=ACCURATE, max_tokens=N),
                   Turn([{"role": "user", "content": CODE_Q}], modifier="alpha", max_tokens=N)):
        f = svc.run_turn(forced)
        assert f.decision.mode == ACCURATE and f.decision.forced and f.decision.modifier == "alpha"
        assert f.text == alpha.text and f.text != base.text and not f.decision.benefit["applied"]

    # A modifier with a significant held-out gain is used as the thresholds say.
    m = r.route(MATH_Q)
    assert m.domain == "math" and m.mode == ACCURATE and m.modifier == "beta"
    assert m.benefit["eligible"] and not m.benefit["applied"] and m.benefit["held_out"]["p"] == pytest.approx(9 / 256)
    # With the policy off, Accurate means the modifier again (the old behaviour).
    off = router(judged_engine, arts, benefit_policy=False).route(CODE_Q)
    assert off.mode == ACCURATE and off.modifier == "alpha" and off.benefit is None


def test_the_check_applies_after_a_router_versions_thresholds(judged_engine, arts, tmp_path):  # noqa: F811
    from runtime.decision import ACCURATE, FAST
    from runtime.versions import RouterVersionSet
    from tests.test_router_versions import layer, saved

    doubt = {**saved(tmp_path, layer("v-doubt", -6.0)), "status": "active", "activated_at": "1"}
    versions = RouterVersionSet(lambda: [doubt])
    versions.refresh()
    r = router(judged_engine, arts, versions=versions, threshold=0.8)  # P(satisfied | Fast) = 0.0025 < 0.8
    d = r.route(CODE_Q)
    assert d.router_version == "v-doubt" and d.confidence < 0.01 and d.mode == FAST and d.benefit["applied"]
    assert [x for x in d.reasons if "router version v-doubt" in x] and "answering Fast" in d.reasons[-1]
    assert r.route(MATH_Q).mode == ACCURATE and r.route(MATH_Q).router_version == "v-doubt"


def test_users_satisfaction_read_from_telemetry_can_make_the_modifier_eligible(judged_engine, arts, tmp_path):  # noqa: F811
    """The whole chain on a real SQLite store: labelled answers -> counts -> policy -> routing decision."""
    from runtime.decision import ACCURATE
    from telemetry.analytics import satisfaction_by_domain_mode
    from telemetry.events import FeedbackEvent, InteractionEvent
    from telemetry.privacy import Scrubber
    from telemetry.store import TelemetryStore, sqlite_url_for

    store = TelemetryStore(sqlite_url_for(tmp_path))
    store.migrate()
    events = []
    for i in range(60):  # 30 Fast answers, 10 of them rated well; 30 with alpha, 27 rated well
        accurate = i >= 30
        d = {"mode": "accurate" if accurate else "fast", "domain": "code", "modifier": "alpha" if accurate else None,
             "confidence": 0.5, "threshold": 0.8}
        ev = InteractionEvent(f"s{i}", "q", "a", d, created_at=datetime.now(UTC) - timedelta(days=1))
        good = (i - 30 < 27) if accurate else i < 10
        events += [ev, FeedbackEvent(ev.id, f"u{i}", rating=9 if good else 2)]
    store.write_records([r for ev in events for r in ev.to_records(Scrubber())])
    r = router(judged_engine, arts)
    r.benefit = BenefitPolicy(r.settings, stats=lambda since: satisfaction_by_domain_mode(store.engine, since=since))
    assert r.route(CODE_Q).mode != ACCURATE  # before the counts are read: the held-out figure
    assert r.benefit.refresh()
    d = r.route(CODE_Q)
    assert d.mode == ACCURATE and d.modifier == "alpha" and d.benefit["source"] == "users"
    assert d.benefit["users"]["accurate_labelled"] == 30 and d.benefit["users"]["lower_bound"] > 0
    store.close()


def test_the_probe_is_skipped_where_it_cannot_change_the_answer(judged_engine, arts):  # noqa: F811
    """In auto mode a domain whose modifier is not eligible answers Fast whatever the probe says, so its first
    token streams at once; where the modifier may be used (or the policy is off) the probe still runs."""
    from runtime.decision import FAST
    from runtime.router import Router

    calls: list[str] = []

    def probe(text):
        calls.append(text)
        return -0.5, -2.0, 12

    def make(**kw):
        s = Settings(**{**judged_engine.settings.model_dump(), "threshold": 1.0, **kw})
        return Router(s, arts.domain.embedder, arts.domain, arts.quality, registry=judged_engine.modifiers,
                      probe=probe, version=arts.version)

    d = make().route(CODE_Q)
    assert calls == [] and d.mode == FAST and d.probe_ms == 0.0
    assert "confidence probe skipped: the alpha modifier is not eligible, so the answer is Fast either way" in d.reasons
    assert make().route(MATH_Q).modifier == "beta" and calls == [MATH_Q]
    make(benefit_policy=False).route(CODE_Q)
    assert calls == [MATH_Q, CODE_Q]
    make().route(CODE_Q, mode="fast")  # forced modes never probe, as before
    assert calls == [MATH_Q, CODE_Q]
