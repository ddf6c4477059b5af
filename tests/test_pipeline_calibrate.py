"""The ``calibrate`` phase: exact ECE on a hand-checked example, temperature scaling fixing an
over-confident set, Platt scaling recovering a known sigmoid, the reliability PNG, input discovery."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.framework import PhaseError, read_json, write_json
from pipeline.phases import calibrate
from pipeline.pngplot import decode_png


def _write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_ece_with_15_bins_on_a_hand_checked_example():
    p = np.array([0.1, 0.3, 0.31, 0.83, 0.9, 1.0])
    y = np.array([0, 1, 0, 1, 1, 1])
    # Bins of width 1/15: 0.1 -> bin 1; 0.3, 0.31 -> bin 4; 0.83 -> 12; 0.9 -> 13; 1.0 -> the last (14).
    # |conf - acc| per bin: 0.1 (1 item), |0.305 - 0.5| = 0.195 (2), 0.17 (1), 0.1 (1), 0 (1).
    expected = (0.1 + 2 * 0.195 + 0.17 + 0.1 + 0.0) / 6
    s = calibrate.summary(p, y, bins=15)
    assert s["ece"] == pytest.approx(expected, abs=1e-5)  # summary rounds to 5 places
    from runtime.heads import ece

    assert ece(p, y, bins=15) == pytest.approx(expected, abs=1e-12)
    table = calibrate.reliability_table(p, y, bins=15)
    assert [b["n"] for b in table] == [0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    assert table[4]["mean_confidence"] == pytest.approx(0.305) and table[4]["accuracy"] == 0.5
    assert sum(b["n"] / 6 * abs(b["mean_confidence"] - b["accuracy"]) for b in table if b["n"]) == pytest.approx(
        expected, abs=1e-12)
    assert s["brier"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-5)


def test_temperature_scaling_reduces_nll_on_an_over_confident_set(tmp_path):
    rng = np.random.default_rng(3)
    z = rng.normal(0, 1.5, 4000)
    y = (rng.random(4000) < _sigmoid(z)).astype(int)
    conf = _sigmoid(3.0 * z)  # the model reports logits 3x too large
    src = _write(tmp_path / "pairs.jsonl", [{"confidence": float(c), "correct": int(t)} for c, t in zip(conf, y, strict=True)])
    res = calibrate.main(calibrate.Config(workdir=str(tmp_path / "work"), input=str(src)))
    m = res.metrics
    before, after = m["evaluation"]["uncalibrated"], m["evaluation"]["temperature"]
    assert m["params"]["temperature"]["T"] == pytest.approx(3.0, abs=0.35)
    assert after["nll"] < before["nll"] - 0.05
    assert after["ece"] < before["ece"] / 2 and after["brier"] < before["brier"]
    assert (m["fit_n"], m["eval_n"], m["bins"]) == (2800, 1200, 15)
    assert m["chosen"] in ("temperature", "platt")
    # The PNG is a real image with one panel per method; the report points at it.
    img = decode_png((res.dir / "reliability.png").read_bytes())
    assert img.shape[0] > 200 and img.shape[1] > 3 * 200
    colours = {tuple(int(v) for v in px) for px in img.reshape(-1, 3)[::7]}
    assert set(calibrate.COLORS.values()) <= colours
    assert "![reliability diagram](reliability.png)" in (res.dir / "report.md").read_text()
    arts = read_json(res.dir / "manifest.json")["artifacts"]  # a phase manifest: kinds beyond the runtime's
    files = {a["file"] for a in arts if a["kind"] == "report"}
    assert files == {"reliability.png", "report.md"}
    saved = json.loads((res.dir / "calibration.json").read_text())
    assert saved["calibrator"]["method"] == m["chosen"] and len(saved["reliability"]["temperature"]) == 15


def test_platt_scaling_recovers_a_known_sigmoid(tmp_path):
    rng = np.random.default_rng(7)
    z = rng.normal(0, 2.0, 20000)
    y = (rng.random(20000) < _sigmoid(1.7 * z - 0.8)).astype(int)
    src = _write(tmp_path / "pairs.jsonl", [{"logit": float(a), "good": bool(b)} for a, b in zip(z, y, strict=True)])
    res = calibrate.main(calibrate.Config(workdir=str(tmp_path / "work"), input=str(src), heldout_share=0.2))
    platt = res.metrics["params"]["platt"]
    assert platt["a"] == pytest.approx(1.7, abs=0.1) and platt["b"] == pytest.approx(-0.8, abs=0.08)
    ev = res.metrics["evaluation"]
    assert res.metrics["chosen"] == "platt" and ev["platt"]["nll"] < ev["temperature"]["nll"] < ev["uncalibrated"]["nll"]


def test_held_out_predictions_in_the_work_dir_are_found_and_their_split_used(tmp_path):
    work = tmp_path / "work"
    cfg = calibrate.Config(workdir=str(work))
    res = calibrate.main(cfg)
    assert res.status == "skipped" and not (work / "calibrate").exists()
    rng = np.random.default_rng(0)
    rows = [{"logit": float(v), "label": int(rng.random() < _sigmoid(v)), "split": "heldout" if i % 4 == 0 else "train"}
            for i, v in enumerate(rng.normal(0, 1, 200))]
    d = work / "critique"
    d.mkdir(parents=True)
    _write(d / calibrate.PREDICTIONS, rows)
    assert calibrate.find_input(cfg) is None  # not a finished phase yet
    write_json(d / "DONE.json", {"key": "x"})
    res = calibrate.main(cfg)
    assert res.status == "done" and res.metrics["source"] == str(d / calibrate.PREDICTIONS)
    assert (res.metrics["fit_n"], res.metrics["eval_n"]) == (150, 50) and "split field" in res.metrics["split"]
    assert calibrate.main(cfg).status == "up-to-date"


def test_bad_input_is_refused_with_the_line(tmp_path):
    src = _write(tmp_path / "bad.jsonl", [{"confidence": 0.7, "correct": 1}, {"confidence": 0.2, "correct": 2}])
    with pytest.raises(PhaseError, match=r"bad\.jsonl:2: label correct=2 is not 0/1"):
        calibrate.main(calibrate.Config(workdir=str(tmp_path / "w"), input=str(src), min_pairs=1))
    src = _write(tmp_path / "few.jsonl", [{"confidence": 0.7, "correct": 1}] * 5)
    with pytest.raises(PhaseError, match="fewer than min_pairs"):
        calibrate.main(calibrate.Config(workdir=str(tmp_path / "w2"), input=str(src)))
    src = _write(tmp_path / "keys.jsonl", [{"score": 0.7, "ok": 1}, {"score": 0.4, "ok": 0}] * 15)
    with pytest.raises(PhaseError, match="needs a logit"):
        calibrate.main(calibrate.Config(workdir=str(tmp_path / "w3"), input=str(src)))
    res = calibrate.main(calibrate.Config(workdir=str(tmp_path / "w4"), input=str(src), confidence_key="score",
                                          label_key="ok", heldout_share=0.0))
    assert res.status == "done" and res.metrics["split"].startswith("in-sample")
    with pytest.raises(FileNotFoundError, match="not found"):
        calibrate.main(calibrate.Config(workdir=str(tmp_path / "w5"), input=str(tmp_path / "nope.jsonl")))
