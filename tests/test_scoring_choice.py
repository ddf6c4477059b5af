"""The multiple-choice scorer (pipeline/scoring_choice.py) on hand-made answers and on the science sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.scoring import Score
from pipeline.scoring_choice import chosen_letter, item_choices, score_choice
from pipeline.textdata import Item

DATA = Path(__file__).resolve().parent.parent / "data"
CHOICES = {"A": "Oxygen", "B": "Carbon dioxide", "C": "Nitrogen", "D": "Helium"}
PROMPT = "Which gas do plants take in for photosynthesis?\n" + "\n".join(f"{k}) {v}" for k, v in CHOICES.items())


def item(answer="B", choices=CHOICES, prompt=PROMPT):
    rec = {"id": "t", "question": prompt, "answer": answer}
    if choices is not None:
        rec["choices"] = choices
    return Item.from_record(rec, "science")


@pytest.mark.parametrize("text", [
    "Answer: B", "answer: b", "Answer: (B)", "Answer: B)", "Answer: B.", "B", "b", "(b)",
    "**Answer: B**", "Answer: **B**", "Plants take in CO2.\nAnswer: B) Carbon dioxide", "The answer is B",
    "Final answer: option B", "Answer: carbon dioxide", "Answer: Carbon Dioxide.", "The correct choice is (B).",
    "They use carbon dioxide and release oxygen... Answer: A\nNo, wait.\nAnswer: B", "I think B",
])
def test_right_letter_in_many_spellings(text):
    s = score_choice(item(), text)
    assert isinstance(s, Score) and s.passed and s.value == 1.0, s.detail


@pytest.mark.parametrize("text", [
    "Answer: A", "Answer: c", "Answer: (D) Helium", "Answer: oxygen", "Answer: A or B", "Answer: B and C",
    "Both A and C", "I am not sure.", "", "Answer: a gas", "Answer: Answer: E",
])
def test_wrong_ambiguous_or_missing_choice_fails(text):
    s = score_choice(item(), text)
    assert not s.passed and s.value == 0.0, s.detail


def test_last_answer_line_wins():
    assert chosen_letter("Answer: B\nHmm, let me reconsider.\nAnswer: D", CHOICES)[0] == "D"


def test_article_a_is_not_option_a():
    choices = {"A": "A liquid", "B": "A gas", "C": "A solid", "D": "A plasma"}
    assert chosen_letter("Answer: a gas", choices)[0] == "B"
    assert chosen_letter("Answer: A gas", choices)[0] == "B"
    assert chosen_letter("Answer: A", choices)[0] == "A"
    assert chosen_letter("Answer: A) a liquid", choices)[0] == "A"
    plain = {"A": "liquid", "B": "gas", "C": "solid", "D": "plasma"}
    assert chosen_letter("Answer: a gas", plain)[0] == "B"
    assert chosen_letter("Answer: a", plain)[0] == "A"


def test_option_text_with_numbers_and_letters_inside():
    nums = {"A": "120 m/s", "B": "1.2 m/s", "C": "12 m/s", "D": "1200 m/s"}
    assert chosen_letter("Speed = 48 ÷ 4 = 12 m/s.\nAnswer: 12 m/s", nums)[0] == "C"
    assert chosen_letter("Answer: 12", nums)[0] == "C"
    assert chosen_letter("Answer: 1.2 m/s", nums)[0] == "B"
    vit = {"A": "Vitamin A", "B": "Vitamin B12", "C": "Vitamin C", "D": "Vitamin D"}
    assert chosen_letter("Answer: D) Vitamin C", vit)[0] == "D"  # the letter decides
    assert chosen_letter("Answer: vitamin c", vit)[0] == "C"
    longer = {"A": "oxygen", "B": "oxygen and hydrogen", "C": "hydrogen", "D": "neon"}
    assert chosen_letter("Answer: oxygen and hydrogen", longer)[0] == "B"


def test_choices_from_the_prompt_or_a_list():
    no_field = item(choices=None)
    assert item_choices(no_field) == CHOICES
    assert score_choice(no_field, "Answer: carbon dioxide").passed
    as_list = item(choices=list(CHOICES.values()))
    assert item_choices(as_list) == CHOICES
    assert score_choice(as_list, "Answer: Carbon dioxide").passed


def test_item_without_an_answer_letter_is_not_scorable():
    s = score_choice(item(answer=""), "Answer: B")
    assert not s.passed and "no answer letter" in s.detail
    assert not score_choice(item(answer="carbon dioxide"), "Answer: B").passed


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_science_eval_item_is_scored_as_intended():
    rows = _rows(DATA / "eval" / "science.jsonl")
    assert len(rows) >= 80
    for rec in rows:
        it = Item.from_record(rec, "science")
        gold = rec["answer"]
        assert score_choice(it, f"Answer: {gold}").passed, rec["id"]
        assert score_choice(it, f"Answer: {rec['choices'][gold]}").passed, rec["id"]
        assert score_choice(it, f"Answer: {gold}) {rec['choices'][gold]}").passed, rec["id"]
        for wrong in set("ABCD") - {gold}:
            assert not score_choice(it, f"Answer: {wrong}").passed, (rec["id"], wrong)
            assert not score_choice(it, f"Answer: {rec['choices'][wrong]}").passed, (rec["id"], wrong)


def test_science_training_responses_score_full_marks():
    rows = [r for r in _rows(DATA / "instructions" / "science.jsonl") if "choices" in r]
    assert rows
    for rec in rows:
        assert score_choice(Item.from_record(rec, "science"), rec["response"]).passed, rec["id"]
