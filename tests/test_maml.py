"""The ``maml`` phase on tiny tasks, for real: SmolLM2-135M's dense copy from the ``base`` phase, peft, llama.cpp.

Three arithmetic task families (plus, minus, times) in one domain; ``times`` is held out. Very few
steps and short sequences: this checks the machinery (families, FOMAML, the four methods x shots
table, GGUF export, the engine loading the adapter), not that meta-learning helps.
"""

from __future__ import annotations

import json
import os
import random

import pytest
import yaml

from pipeline.__main__ import main as cli
from pipeline.framework import read_json
from pipeline.meta import MetaParams, build_families, encode_with_shots, family_of, split_heldout
from pipeline.phases.maml import METHODS
from runtime.engine import ChatRequest, Engine
from runtime.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
OPS = {"plus": (lambda a, b: a + b, "+"), "minus": (lambda a, b: a - b, "-"), "times": (lambda a, b: a * b, "*")}


def arithmetic_rows(n: int = 4) -> list[dict]:
    rng = random.Random(0)
    rows = []
    for op, (fn, sym) in OPS.items():
        for i in range(n):
            a, b = rng.randint(2, 9), rng.randint(2, 9)
            rows.append({"id": f"{op}-{i}", "domain": "math", "source": f"modroute-template:{op}",
                         "instruction": f"What is {a} {op} {b}?", "response": f"{a} {sym} {b} = {fn(a, b)}.\n"
                         f"Answer: {fn(a, b)}", "answer": str(fn(a, b))})
    return rows


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The ``base`` phase, then ``python -m pipeline run maml`` with a tiny config, in a temp work dir."""
    root = tmp_path_factory.mktemp("maml")
    data = root / "math.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in arithmetic_rows()))
    cfg = {
        "workdir": str(root / "work"), "threads": 0,
        "domains": {"math": {"train": str(data), "scorer": "exact_match", "max_new_tokens": 8}},
        "maml": {"heldout": ["math/times"], "shots": [1, 2], "eval_query": 2, "min_family_size": 3,
                 "meta_iters": 2, "meta_batch": 1, "inner_steps": 1, "train_query": 2, "max_len": 48,
                 "icl_max_len": 160, "max_new_tokens": 8, "n_ctx": 512},
    }
    (root / "pipeline.yaml").write_text(yaml.safe_dump(cfg))
    assert cli(["run", "base", "--config", str(root / "pipeline.yaml")]) == 0
    rc = cli(["run", "maml", "--config", str(root / "pipeline.yaml")])
    return {"root": root, "work": root / "work", "rc": rc, "cfg": cfg}


def test_phase_writes_the_comparison_table_for_every_method_and_shot(run):
    assert run["rc"] == 0
    d = run["work"] / "maml"
    m = read_json(d / "metrics.json")
    assert m["algorithm"] == "FOMAML" and m["heldout_families"] == {"math/times": 4}
    assert set(m["train_families"]) == {"math/plus", "math/minus"}  # the held-out family is never trained on
    assert m["params"]["rank"] == 48 and m["params"]["targets"] == ["q_proj", "v_proj"]
    cells = {(r["method"], r["k"]): r for r in m["table"]}
    for method in (*METHODS, "meta_0"):
        for k in (1, 2):
            row = cells[(method, k)]
            assert row["n"] == 2 and 0.0 <= row["score"] <= 1.0 and row["query_loss"] > 0, row
    # zero-shot and the un-adapted meta adapter do not depend on k; fine-tuning took time, prompting did not
    assert cells[("zero_shot", 1)]["query_loss"] == cells[("zero_shot", 2)]["query_loss"]
    assert cells[("scratch_ft", 1)]["adapt_s"] > 0 and cells[("in_context", 1)]["adapt_s"] == 0
    # in-context examples and fine-tuning both see the support set: the query loss moves off the base's
    assert cells[("in_context", 2)]["query_loss"] != cells[("zero_shot", 2)]["query_loss"]
    assert cells[("meta_ft", 2)]["query_loss"] != cells[("meta_0", 2)]["query_loss"]
    fam = m["families"]["math/times"]
    assert set(fam["runs"]) == {"zero_shot@0", "meta_0@0", "in_context@1", "in_context@2", "scratch_ft@1",
                                "scratch_ft@2", "meta_ft@1", "meta_ft@2"}
    rows = [json.loads(line) for line in (d / "results" / "math-times.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and all(set(fam["runs"]) <= set(r) for r in rows)
    assert read_json(d / "table.json") == m["table"]
    assert not (d / ".adapters").exists()  # the per-shot adapters are not kept, only maml.gguf
    history = read_json(d / "meta_history.json")["history"]
    assert len(history) == 2 and {e["family"] for h in history for e in h["episodes"]} <= set(m["train_families"])


def test_first_order_update_changes_only_lora_weights(run):
    import torch
    from safetensors.torch import load_file

    from pipeline.meta import LoraLearner, TaskFamily, meta_train

    model_dir = run["work"] / "base" / "model"
    learner = LoraLearner(model_dir, MetaParams(meta_iters=1, meta_batch=2, inner_steps=2, train_query=2,
                                                outer_lr=1e-2))
    assert learner.trainable == 30 * 48 * (576 + 576 + 576 + 192)  # rank 48 on q (576->576) and v (576->192)
    start = learner.state()
    rows = arithmetic_rows()
    fams = [TaskFamily(f"math/{op}", "math", [r for r in rows if r["id"].startswith(op)]) for op in ("plus", "minus")]
    phi, history = meta_train(learner, fams, [1, 2], 48)
    assert len(history) == 1 and len(history[0]["episodes"]) == 2
    before = load_file(str(model_dir / "model.safetensors"))
    after = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
             for k, v in learner.pm.state_dict().items() if "lora_" not in k}
    after.setdefault("lm_head.weight", after["model.embed_tokens.weight"])
    assert set(before) <= set(after)
    assert all(torch.equal(before[k], after[k]) for k in before)  # frozen base weights untouched
    changed = [n for n in phi if not torch.equal(phi[n], start[n])]
    assert changed and all("lora_" in n for n in phi)
    assert any("lora_B" in n for n in changed)  # B starts at zero: the outer step moved it
    assert all(torch.equal(q, phi[n]) for n, q in learner.named)  # the meta weights are what is left loaded


def test_exported_adapter_loads_in_the_engine_and_acts(run):
    d = run["work"] / "maml"
    info = read_json(run["work"] / "base" / "base.json")
    manifest = read_json(d / "manifest.json")
    entry = next(a for a in manifest["artifacts"] if a["name"] == "maml")
    assert entry["file"] == "maml.gguf" and entry["base_sha256"] == info["gguf_sha256"] and entry["sha256"]
    settings = Settings(data_dir=run["root"] / "serve", n_threads=1, n_ctx=256, manifest=str(d / "manifest.json"))
    with Engine(settings, model_path=info["gguf"], manifest=d / "manifest.json") as eng:
        mod = eng.modifiers.get("maml")
        assert mod is not None and mod.available, mod and mod.reason
        msgs = [{"role": "user", "content": "What is 7 times 8?"}]
        plain = eng.complete(ChatRequest(messages=msgs, max_tokens=8))
        meta = eng.complete(ChatRequest(messages=msgs, max_tokens=8, modifier="maml"))
        again = eng.complete(ChatRequest(messages=msgs, max_tokens=8))
    assert again.token_ids == plain.token_ids  # base -> adapter -> base is the base again
    assert meta.token_ids != plain.token_ids or max(abs(a - b) for a, b in zip(meta.logprobs, plain.logprobs,
                                                                               strict=False)) > 1e-4


def test_task_families_and_held_out_split():
    assert family_of({"source": "modroute-template:discount"}, "math") == "math/discount"
    assert family_of({"source": "modroute-handwritten", "instruction": "Merge two dicts."}, "code") == "code/dict"
    assert family_of({"source": "modroute-handwritten", "instruction": "Reverse each word in a sentence."},
                     "code") == "code/string"
    assert family_of({"source": "modroute-handwritten", "family": "x"}, "reasoning") == "reasoning/x"
    fams, small = build_families({"math": arithmetic_rows(4) + [{"source": "modroute-template:tiny"}]}, 3)
    assert set(fams) == {"math/plus", "math/minus", "math/times"} and small == {"math/tiny": 1}
    train, held = split_heldout(fams, [], 1, 4, random.Random(0))
    assert len(held) == 1 and set(train) | set(held) == set(fams) and not set(train) & set(held)
    with pytest.raises(ValueError, match="smaller than"):
        split_heldout(fams, ["math/plus"], 1, 5, random.Random(0))


def test_in_context_encoding_labels_only_the_last_answer(run):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(run["work"] / "base" / "model"))
    rows = arithmetic_rows()
    plain = encode_with_shots(tok, [], rows[0], 256)
    icl = encode_with_shots(tok, rows[1:3], rows[0], 256)
    assert len(icl.input_ids) > len(plain.input_ids)
    labelled = [t for t in icl.labels if t != -100]
    assert labelled == [t for t in plain.labels if t != -100]  # the same target tokens, more context
    assert tok.decode(labelled).startswith(rows[0]["response"].split("\n")[0])
    short = encode_with_shots(tok, rows[1:3], rows[0], 40)  # too long: the oldest shots are cut, not the answer
    assert len(short.input_ids) <= 40 and [t for t in short.labels if t != -100]


def test_disabled_run_keeps_the_enabled_runs_output(run, capsys):
    """`pipeline all` with `maml.enabled: false` (the tiny preset) must not replace a real run's adapter."""
    d = run["work"] / "maml"
    before = (d / "maml.gguf").read_bytes(), read_json(d / "metrics.json")
    assert cli(["run", "maml", "--config", str(run["root"] / "pipeline.yaml"), "--enabled", "false"]) == 0
    assert '"status": "disabled"' in capsys.readouterr().out
    assert ((d / "maml.gguf").read_bytes(), read_json(d / "metrics.json")) == before
