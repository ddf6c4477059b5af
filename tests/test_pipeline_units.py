"""Pipeline building blocks without models: configs, the phase framework, filters, MinHash,
scorers (with the real sandbox), clustering."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from pipeline.clustering import cluster_embeddings, keyword_labels
from pipeline.config import ConfigError, PhaseConfig, build, deep_merge, parse_sets, phase_values
from pipeline.filters import length_reason, offensive_reason, pii_reason
from pipeline.framework import DONE, PhaseError, execute, read_json
from pipeline.minhash import jaccard, near_duplicates, shingles
from pipeline.phases.finetune_base import selection_score
from pipeline.sandbox import run_python
from pipeline.scoring import (
    answers_match,
    parse_calls,
    score_calls,
    score_calls_strict,
    score_code_tests,
    score_exact_match,
    score_rubric,
)
from pipeline.textdata import Item, standardize


# -- config layering -------------------------------------------------------------------------------
def test_config_layers_defaults_yaml_sets_and_flags(tmp_path):
    from pipeline.__main__ import phase_config

    (tmp_path / "p.yaml").write_text(
        "workdir: w\ndomains:\n  code: {train: c.jsonl, scorer: code_tests}\n"
        "train_lora: {rank: 4, lr: 0.001}\n")
    from pipeline.config import read_yaml

    doc = deep_merge(read_yaml(tmp_path / "p.yaml"), parse_sets(["train_lora.rank=16", "domains.code.eval_n=5"]))
    cfg = phase_config("train_lora", doc, {"lr": 0.5})
    assert (cfg.rank, cfg.lr, cfg.alpha, cfg.workdir) == (16, 0.5, 16.0, "w")  # set > yaml; flag > all; default
    spec = cfg.domain_specs()["code"]
    assert (spec.train, spec.eval_n, spec.scorer) == ("c.jsonl", 5, "code_tests")
    with pytest.raises(ConfigError, match="unknown keys"):
        phase_config("train_lora", {"train_lora": {"rnak": 4}})
    with pytest.raises(ConfigError, match="unknown top-level"):
        phase_values({"trian_lora": {}}, "train_lora", ["train_lora"])
    with pytest.raises(ConfigError, match="expected int"):
        phase_config("train_lora", {"train_lora": {"rank": "many"}})
    with pytest.raises(ConfigError, match="unknown keys"):
        phase_config("curate", {"domains": {"x": {"trian": "a"}}}).domain_specs()


def test_presets_parse_for_every_phase():
    from pipeline import phases
    from pipeline.__main__ import phase_config
    from pipeline.config import read_yaml

    doc = read_yaml(__import__("pipeline.config").config.preset_path("tiny"))
    for name in phases.ORDER:
        cfg = phase_config(name, doc)
        assert cfg.domain_specs()
    assert {"code", "reasoning", "automation", "math"} <= set(cfg.modifier_domains())


# -- framework: no-op re-runs, atomic output, resume -----------------------------------------------
@dataclass
class ToyConfig(PhaseConfig):
    n: int = 3


def _toy_body(calls: list, fail_at: int | None = None):
    def body(ctx):
        done = []
        for i in range(ctx.config.n):
            if ctx.step_done(f"item-{i}"):
                continue
            if fail_at is not None and i == fail_at:
                raise RuntimeError("interrupted")
            calls.append(i)
            (ctx.out / f"item-{i}.txt").write_text(str(i))
            ctx.add_artifact(f"item-{i}", "dataset", f"item-{i}.txt")
            ctx.mark_step(f"item-{i}")
            done.append(i)
        return {"made": done}

    return body


def test_rerun_is_a_noop_and_config_change_reruns(tmp_path):
    calls: list[int] = []
    cfg = ToyConfig(workdir=str(tmp_path))
    r1 = execute("toy", cfg, _toy_body(calls))
    assert r1.status == "done" and calls == [0, 1, 2]
    manifest = read_json(tmp_path / "toy" / "manifest.json")
    assert [a["name"] for a in manifest["artifacts"]] == ["item-0", "item-1", "item-2"]
    assert all(len(a["sha256"]) == 64 and a["size"] == 1 for a in manifest["artifacts"])
    assert (tmp_path / "toy" / "metrics.json").is_file() and (tmp_path / "toy" / "log.txt").is_file()
    r2 = execute("toy", cfg, _toy_body(calls))
    assert r2.status == "up-to-date" and calls == [0, 1, 2]
    r3 = execute("toy", ToyConfig(workdir=str(tmp_path), n=2), _toy_body(calls))
    assert r3.status == "done" and calls == [0, 1, 2, 0, 1]
    assert not (tmp_path / "toy" / "item-2.txt").exists()  # the old output was replaced, not merged


def test_interrupted_phase_resumes_with_same_inputs_and_restarts_with_others(tmp_path):
    calls: list[int] = []
    cfg = ToyConfig(workdir=str(tmp_path), n=4)
    with pytest.raises(RuntimeError, match="interrupted"):
        execute("toy", cfg, _toy_body(calls, fail_at=2))
    assert not (tmp_path / "toy").exists()  # nothing half-written is published
    assert (tmp_path / ".toy.partial" / "item-1.txt").is_file()
    r = execute("toy", cfg, _toy_body(calls))
    assert calls == [0, 1, 2, 3]  # resumed: 0 and 1 were not redone
    assert r.metrics["made"] == [2, 3]
    assert len(read_json(tmp_path / "toy" / "manifest.json")["artifacts"]) == 4
    assert not (tmp_path / ".toy.partial").exists()
    # an interrupted run with other inputs is thrown away, not resumed
    with pytest.raises(RuntimeError):
        execute("toy", ToyConfig(workdir=str(tmp_path), n=5), _toy_body(calls, fail_at=1))
    calls.clear()
    execute("toy", ToyConfig(workdir=str(tmp_path), n=3), _toy_body(calls))
    assert calls == [0, 1, 2]


def test_upstream_phase_must_exist_and_upstream_changes_invalidate(tmp_path):
    cfg = ToyConfig(workdir=str(tmp_path))
    with pytest.raises(PhaseError, match="needs phase 'toy'"):
        execute("child", cfg, _toy_body([]), requires=["toy"])
    execute("toy", cfg, _toy_body([]))
    calls: list[int] = []
    execute("child", cfg, _toy_body(calls), requires=["toy"])
    assert execute("child", cfg, _toy_body(calls), requires=["toy"]).status == "up-to-date"
    (tmp_path / "toy" / DONE).write_text(json.dumps({"key": "changed"}))
    assert execute("child", cfg, _toy_body(calls), requires=["toy"]).status == "done"


# -- data ------------------------------------------------------------------------------------------
def test_standardize_maps_fields_and_tags():
    rec = standardize({"question": "Q?", "response": "A.", "answer": 3, "expected_calls": [{"name": "f"}]},
                      "math", "curated:x.jsonl", 7)
    assert rec == {"id": "math-7", "domain": "math", "difficulty": "unknown", "source": "curated:x.jsonl",
                   "instruction": "Q?", "response": "A.", "answer": 3, "calls": [{"name": "f"}]}
    assert standardize({"instruction": "Q", "response": ""}, "math", "s", 0) is None


def test_filters_catch_pii_and_offensive_text_but_not_placeholders():
    assert pii_reason("mail me at jane.doe@gmail.com") == "pii:email"
    assert pii_reason("send it to user@example.com") is None
    assert pii_reason("call (415) 867-2671 today") == "pii:phone"
    assert pii_reason("Call 555-0142 for the demo") is None
    assert pii_reason("SSN 078-05-1120") == "pii:ssn"
    assert pii_reason("card 4539 1488 0343 6467") == "pii:card"  # passes Luhn
    assert pii_reason("order 1234 5678 9012 3456") is None  # fails Luhn
    assert pii_reason("server at 84.12.33.7") == "pii:ip"
    assert pii_reason("bind to 127.0.0.1 or 192.168.1.10 or 203.0.113.5") is None
    assert pii_reason("key sk-abcdefghijklmnopqrstuvwx1234") == "pii:secret"
    assert offensive_reason("this is shit code") is not None
    assert offensive_reason("add spices and simmer; a fire retardant coating") is None
    assert length_reason("hi", "x", min_instruction=8, max_instruction=100, min_response=1,
                         max_response=10) == "length:instruction_short"


def test_minhash_finds_near_duplicates_at_jaccard_08():
    base = " ".join(f"word{i}" for i in range(60))
    near = base.replace("word59", "other59")  # 58 of 60 trigrams shared: J ~ 0.95
    far = " ".join(f"word{i}" for i in range(0, 60, 2)) + " " + " ".join(f"x{i}" for i in range(30))
    assert jaccard(shingles(base), shingles(near)) > 0.9
    assert jaccard(shingles(base), shingles(far)) < 0.3
    assert near_duplicates([base, near, far, base.upper()]) == [1, 3]
    # decontamination: drop what is near an eval prompt, keep the rest
    assert near_duplicates([far, base], reference=[near]) == [1]
    # the threshold is real: J ~0.87 is a duplicate at 0.8, J ~0.66 is not
    close = " ".join(f"word{i}" for i in range(56)) + " y1 y2 y3 y4"
    half = " ".join(f"word{i}" for i in range(48)) + " " + " ".join(f"y{i}" for i in range(12))
    assert 0.8 < jaccard(shingles(base), shingles(close)) < 0.9
    assert 0.6 < jaccard(shingles(base), shingles(half)) < 0.7
    assert near_duplicates([base, close]) == [1] and near_duplicates([base, half]) == []


# -- scorers ---------------------------------------------------------------------------------------
def test_sandbox_runs_code_with_limits():
    assert run_python("assert 1 + 1 == 2").passed
    r = run_python("assert 1 + 1 == 3")
    assert not r.passed and r.status == "failed" and "AssertionError" in r.detail
    assert run_python("while True: pass", timeout=1.0).status == "timeout"
    assert not run_python("import os\nos.system('true')").passed  # process spawning disabled
    assert not run_python("x = bytearray(2 * 1024**3)", memory_mb=256).passed


def test_code_scorer_runs_humaneval_style_and_assert_tests():
    he = Item("HumanEval/x", "code", "p", tests="def check(candidate):\n    assert candidate(2) == 4\n",
              entry_point="double", extra={"code_prompt": "def double(x):\n    \"\"\"Twice x.\"\"\"\n"})
    assert score_code_tests(he, "```python\ndef double(x):\n    return 2 * x\n```").passed
    assert score_code_tests(he, "    return x * 2\n").passed  # a body continuing the prompt
    assert not score_code_tests(he, "```python\ndef double(x):\n    return x + 1\n```").passed
    plain = Item("c1", "code", "p", tests="assert f(1) == 2", entry_point="f")
    assert score_code_tests(plain, "Here:\n```py\ndef f(x): return x + 1\n```\nDone.").passed


def test_exact_match_rubric_and_calls():
    m = Item("m", "math", "q", answer="1,250")
    assert score_exact_match(m, "So the total is 1250 dollars.").passed
    assert score_exact_match(m, "#### 1250").passed
    assert not score_exact_match(m, "The answer is 125. Then 1250 is wrong").passed
    assert answers_match("Final answer: 0.5", "1/2")
    r = Item("r", "reasoning", "q", answer="odd", rubric=["subtracts one", "states parity"])
    good = score_rubric(r, "5 - 1 = 4... no wait, 6 - 1 = 5 which is odd. Answer: odd")
    bad = score_rubric(r, "Answer: even")
    assert good.passed and not bad.passed and (good.value, bad.value) == (1.0, 0.0)
    # hedging is not answering: the last sentence must state it
    assert not score_rubric(r, "It could be odd. Or it could be even, depending on the count.").passed
    assert score_rubric(r, "Let me think. Five minus one... The number left is odd.").passed
    no_ref = Item("r2", "reasoning", "q", rubric=["mentions photosynthesis", "mentions chlorophyll"])
    assert score_rubric(no_ref, "Photosynthesis uses chlorophyll.").passed
    a = Item("a", "automation", "q", calls=[{"name": "search", "arguments": {"q": "x", "n": 3}},
                                           {"name": "send", "arguments": {"to": "bob"}}])
    text = 'Plan:\n```json\n[{"name": "search", "arguments": {"q": "X", "n": "3"}}, ' \
           '{"function": {"name": "send", "arguments": "{\\"to\\": \\"bob\\"}"}}]\n```'
    assert [c["name"] for c in parse_calls(text)] == ["search", "send"]
    assert score_calls(a, text).passed and score_calls_strict(a, text).passed
    wrong_args = '{"name": "search", "arguments": {"q": "y", "n": 3}}'
    assert score_calls(a, wrong_args).value == pytest.approx(0.5)
    half = score_calls_strict(a, wrong_args)
    assert not half.passed and half.value == pytest.approx(0.25)
    names_only = Item("e", "automation", "q", calls=["get_weather", "send_email"])  # held-out sets list names
    assert score_calls(names_only, '[{"name": "get_weather", "arguments": {}}, {"name": "send_email"}]').passed
    reversed_order = score_calls(names_only, '[{"name": "send_email"}, {"name": "get_weather"}]')
    assert not reversed_order.passed and reversed_order.value == pytest.approx(0.5)


# -- clustering ------------------------------------------------------------------------------------
def test_kmeans_recovers_constructed_clusters_with_high_silhouette():
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(0)
    centers = rng.normal(size=(4, 16)) * 5
    truth = np.repeat(np.arange(4), [12, 9, 7, 5])
    x = centers[truth] + rng.normal(scale=0.3, size=(len(truth), 16))
    clusters, sil = cluster_embeddings(x, k=4, n_init=20, seed=0, nearest=20)
    pred = np.zeros(len(truth), dtype=int)
    for c in clusters:
        pred[c.members] = c.id
    assert adjusted_rand_score(truth, pred) == pytest.approx(1.0)
    assert [c.size for c in clusters] == [12, 9, 7, 5]
    assert sil > 0.8 and all(c.silhouette > 0.8 for c in clusters)
    assert all(len(c.nearest) == min(20, c.size) for c in clusters)
    d = [dist for _, dist in clusters[0].nearest]
    assert d == sorted(d)
    # k is capped by the number of points per cluster wanted
    few, _ = cluster_embeddings(x[:6], k=10, min_per_cluster=3)
    assert len(few) == 2


def test_keyword_labels_name_what_a_cluster_is_about():
    texts = ["Parse the JSON config file", "Read a JSON file and parse it", "parse nested JSON arrays",
             "Compute the prime factors of n", "List prime numbers below n", "Is n a prime?"]
    x = np.array([[1, 0]] * 3 + [[0, 1]] * 3, dtype=float) + np.random.default_rng(0).normal(0, .01, (6, 2))
    clusters, _ = cluster_embeddings(x, k=2, min_per_cluster=1)
    labels = keyword_labels(texts, clusters)
    by_first = {tuple(sorted(c.members))[0]: lab for c, lab in zip(clusters, labels, strict=True)}
    assert "json" in by_first[0] and "prime" in by_first[3]


def test_checkpoint_selection_weights_gain_70_and_retention_30():
    base = {"target": 2.0, "general": 2.0}
    forgets = {"target": 1.0, "general": 3.0}  # gain .5, retention -.5 -> .35 - .15 = .20
    balanced = {"target": 1.3, "general": 2.0}  # gain .35, retention 0 -> .245
    kw = {"gain_weight": 0.7, "retention_weight": 0.3}
    assert selection_score(forgets, base, **kw) == pytest.approx(0.2)
    assert selection_score(balanced, base, **kw) == pytest.approx(0.245)
    assert selection_score(balanced, base, **kw) > selection_score(forgets, base, **kw)


def test_paired_gate_stops_only_what_is_significantly_worse():
    from pipeline.config import DomainSpec
    from pipeline.phases.evaluate import Config, check_gates, p_worse

    assert p_worse([True, False], [False, False]) == (0.5, 1, 0)  # one problem lost: not evidence
    assert p_worse([True] * 5 + [False], [False] * 5 + [True]) == (7 / 64, 5, 1)  # P(X >= 5), X ~ Bin(6, 1/2)
    assert p_worse([True] * 6, [False] * 6)[0] == 1 / 64
    spec = DomainSpec(gate_worse_alpha=0.05)
    lost_one = {"modifier": 0.0, "gain": -0.05, "p_worse": 0.5, "base_only": 1, "modifier_only": 0}
    lost_six = {"modifier": 0.0, "gain": -0.3, "p_worse": 1 / 64, "base_only": 6, "modifier_only": 0}
    assert check_gates("code", lost_one, spec, Config()) == []
    assert "significantly worse" in check_gates("code", lost_six, spec, Config())[0]
    assert check_gates("code", lost_one, DomainSpec(gate_min_gain=0.0), Config())  # the raw gain gate


def test_build_refuses_wrong_types():
    from pipeline.phases.train_lora import Config

    assert build(Config, {"targets": "v_proj,o_proj"}).targets == ["v_proj", "o_proj"]
    with pytest.raises(ConfigError):
        build(Config, {"rank": 1.5})


def test_report_has_a_compression_table_from_what_the_phases_recorded(tmp_path):
    """Part 2 in the report: one row per compression step that ran, numbers taken from its metrics.json."""
    from pipeline.framework import write_json
    from pipeline.report import render

    metrics = {
        "vocab": {"vocab_before": 49152, "vocab_after": 14127, "kept": "trimmed",
                  "perplexity": {"ppl_per_original_token": {"original": 17.17, "trimmed": 17.54}},
                  "bytes_saved": {"file_bytes": 80697688}},
        "prune": {"mask_structure": "2:4", "levels": [0.5, 0.5], "dense": {"score": 0.0783, "size_mb": 269.0},
                  "final": {"score": 0.017, "size_mb": 176.1}},
        "quantize": {"method": {"used": "gptq"}, "scheme": {"bits": 4, "group_size": 64},
                     "gate": {"ratio": 0.706, "passed": False}},
        "export_gguf": {"source_phase": "base", "sizes": {"q5_k_m": 112103328},
                        "validation": {"q5_k_m": {"agreement": {"agreement": 0.888},
                                                  "perplexity": {"llama": 5.7483, "torch": 5.08}}}},
        "compress": {"files": {"base": {"level": 10, "stored": "plain", "raw_bytes": 98362432,
                                        "stored_bytes": 92676545}}},
        "compress_modifiers": {"modifiers": {"math": {"zero_fraction": 0.8, "kept": False, "uncompressed": 0.1,
                                                      "modifier": 0.05, "base": 0.02,
                                                      "sizes": {"f32_gguf": 4913248, "pruned_q8_0_zstd": 978308}}}},
        "recover": {"hard_examples": 32, "kept": "merged", "validation_before": {"ppl": 43.25},
                    "validation_after": {"ppl": 40.12}},
        "rebase": {"quant_type": "Q5_K_M", "source_gguf": "/w/export_gguf/model.q5_k_m.gguf",
                   "base": {"bytes": 112103328},
                   "zstd": {"level": 10, "raw_bytes": 112103328, "zstd_bytes": 100000000, "ratio": 1.121,
                            "round_trip_sha256_match": True},
                   "published": {"math": {"published": True}},
                   "verdict": {"domains": {"math": {"n": 69, "embedded_base": 0.0145, "embedded_modifier": 0.1014,
                                                    "compressed_base": 0.0, "compressed_modifier": 0.0145,
                                                    "compressed_gate_passed": True}},
                               "worse_on": ["math"], "recommend_default": False,
                               "note": "the compressed base is worse on math: the app keeps serving the embedded base"}},
    }
    for phase, m in metrics.items():
        write_json(tmp_path / phase / "metrics.json", {"seconds": 1.0, **m})
    text = render(tmp_path, {})
    assert "## Compression (part 2)" in text
    assert "| vocab | 49152 -> 14127 tokens (trimmed) | perplexity 17.170 -> 17.540 | -80,697,688 B (weights file) |" in text
    assert "| prune | 2:4 levels [0.5, 0.5] | score 0.0783 dense -> 0.0170 |" in text
    assert "0.706 of the input's score (FAIL)" in text
    assert "| export_gguf q5_k_m | from base | agreement 0.888, perplexity 5.748 vs PyTorch 5.080 | 112,103,328 B |" in text
    assert "98,362,432 -> 92,676,545 B" in text and "4,913,248 -> 978,308 B" in text and "not kept" in text
    assert "held-out perplexity 43.250 -> 40.120" in text
    assert "| rebase zstd Q5_K_M | the served compressed base, zstd level 10 | bit-exact (SHA-256) | " \
           "112,103,328 -> 100,000,000 B (1.1210x) |" in text
    assert "## Compressed base with its own modifiers (rebase)" in text and "`model.q5_k_m.gguf` (Q5_K_M" in text
    assert "| math | 69 | 0.015 | 0.101 | 0.000 | 0.015 | pass | published |" in text
    assert "Compression" not in render(tmp_path / "empty", {})  # nothing ran: no section


def test_report_has_the_backbone_comparison_and_the_sign_test(tmp_path):
    """Phase 9's table (bytes, swap, score per domain, independent vs shared) and the evaluate table's
    one-sided p that the modifier is better, both from what the phases recorded."""
    from pipeline.framework import write_json
    from pipeline.report import render

    write_json(tmp_path / "backbone_compare" / "metrics.json", {
        "backbone": {"rank": 8, "examples": {"math": 80, "code": 80}, "rehearsal": 18, "val_loss_base": 1.5,
                     "val_loss": 1.2, "best_step": 160, "steps": 160, "seconds": 400.0},
        "head_layers": [24, 25, 26, 27, 28, 29],
        "swap": {"load_ms": {"shared_backbone": {"shared-backbone": 12.5}},
                 "independent_switch": {"first_token_ms": 40.0, "first_token_ms_p90": 55.0, "decode_tok_s": 70.0},
                 "shared_switch": {"first_token_ms": 44.0, "first_token_ms_p90": 60.0, "decode_tok_s": 65.0}},
        "comparison": {"tolerance": 0.01, "meets": ["math"], "misses": ["code"],
                       "bytes": {"independent_gguf": 9_000_000, "independent_zstd": 8_000_000,
                                 "shared_gguf": 6_000_000, "shared_zstd": 5_000_000},
                       "rows": [{"domain": "math", "n": 69, "base": 0.0145, "independent": 0.1014, "shared": 0.1159,
                                 "diff": 0.0145, "meets_rule": True, "load_ms_independent": 9.0, "load_ms_head": 2.0},
                                {"domain": "code", "n": 20, "base": 0.05, "independent": 0.05, "shared": 0.0,
                                 "diff": -0.05, "meets_rule": False, "load_ms_independent": 9.1,
                                 "load_ms_head": 2.1}]}})
    text = render(tmp_path, {})
    assert "## Shared backbone + heads vs independent modifiers (backbone, backbone_compare)" in text
    assert "| math | 69 | 0.015 | 0.101 | 0.116 | +0.015 | yes | 9.0 | 2.0 |" in text
    assert "| code | 20 | 0.050 | 0.050 | 0.000 | -0.050 | no |" in text
    assert "| shared | 6,000,000 | 5,000,000 | 12.5 | 44.0 / 60.0 | 65.0 |" in text
    assert "Meet the rule: math; miss it: code." in text

    from pipeline.report import _p_better

    assert _p_better({"base_only": 0, "modifier_only": 5}) == 1 / 32
    assert _p_better({"base_only": 3, "modifier_only": 3}) > 0.5 and _p_better({}) is None


def test_the_shipped_table_gives_each_domain_its_auto_mode_and_a_folded_domain_says_so():
    """The committed manifest: eligible modifiers Accurate, the others Fast, and hard_math (folded into math
    by the shipped classifier) routed as math, its modifier only when forced."""
    from pipeline.report import shipped

    rows = {line.split(" | ")[0].lstrip("| "): line.rstrip(" |").split(" | ")[-1]
            for line in shipped(Path(__file__).resolve().parents[1] / "artifacts" / "manifest.json").splitlines() if line.startswith("| ")
            and not line.startswith("| domain") and not line.startswith("|---")}
    assert rows["automation"] == rows["math"] == rows["creative"] == "Accurate"
    assert rows["code"] == rows["reasoning"] == rows["science"] == rows["finance"] == "Fast"
    assert rows["hard_math"] == "as math (not a router label; forced only)"
    unfolded = shipped(Path(__file__).resolve().parents[1] / "artifacts" / "manifest.json", merged={})
    assert "| 0 / 3 | 0.125 | 1.000 | Fast |" in unfolded
