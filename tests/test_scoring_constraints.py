"""The ``constraints`` scorer (pipeline/scoring_constraints.py): each constraint kind, the clean-up of
preambles, partial credit, and agreement with the creative data files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.scoring import Score
from pipeline.scoring_constraints import answer_lines, constraint_problems, score_constraints
from pipeline.textdata import Item

DATA = Path(__file__).resolve().parent.parent / "data"

HAIKU = "Grey breath on the lake\na heron waits, half erased\nthe sun finds its wings"


def item(**constraints) -> Item:
    return Item.from_record({"id": "t", "question": "q", "constraints": constraints}, "creative")


def score(answer: str, **constraints) -> Score:
    return score_constraints(item(**constraints), answer)


# -- lines and preambles ---------------------------------------------------------------------------
def test_line_count_ignores_blank_lines():
    assert score(HAIKU, lines=3).passed
    assert score("\n" + HAIKU.replace("\n", "\n\n") + "\n\n", lines=3).passed
    s = score(HAIKU + "\nand one more", lines=3)
    assert (s.value, s.passed) == (0.0, False)
    assert "4 lines" in s.detail


@pytest.mark.parametrize("preamble", [
    "Here is a haiku about fog:",
    "Here's a haiku:",
    "Sure! Here is a short haiku about the lake.",
    "Sure!\nHere is a haiku about fog:",
    "Certainly.",
    "**Here is your poem:**",
])
def test_leading_preamble_is_dropped(preamble):
    assert score(preamble + "\n" + HAIKU, lines=3).passed


def test_poem_lines_that_open_like_a_preamble_stay():
    poem = "Here is where the kettle sings,\nUnder the stairs the boots pile up,\nGo on in, the door is open."
    assert answer_lines(poem)[0].startswith("Here is where")
    assert score(poem, acrostic="HUG", lines=3).passed


def test_a_single_line_answer_is_never_dropped():
    assert score("Here's to fresh mornings!", lines=1, include=["mornings"]).passed


def test_code_fences_are_ignored():
    assert score("```\n" + HAIKU + "\n```", lines=3).passed


# -- the constraint kinds --------------------------------------------------------------------------
def test_acrostic():
    poem = "Milky light on the roofs,\nOver the town,\n'Only owls awake,'\nNight in its crown."
    assert score(poem, acrostic="MOON").passed
    assert score(poem, acrostic="moon").passed
    assert score("- Milky\n- Over\n- Only\n- Night", acrostic="MOON").passed  # list markers skipped
    assert not score(poem, acrostic="MOOD").passed
    assert not score(poem + "\nNever", acrostic="MOON").passed  # one line per letter


def test_include_whole_words_any_case_plural_ok():
    text = "Two Lanterns drifted down the river's bend."
    assert score(text, include=["lantern", "river"]).passed
    assert not score(text, include=["lantern", "bridge"]).passed
    assert not score("A catalog of hats.", include=["cat"]).passed
    assert score("A paper boat on the pond.", include=["paper boat"]).passed


def test_exclude():
    assert score("A vast restless plain that heaves and sighs.", exclude=["water", "blue"]).passed
    s = score("Blue water everywhere.", exclude=["water", "blue"])
    assert not s.passed and "uses" in s.detail


def test_word_limits_count_hyphenated_and_contracted_words_once():
    six = "Coffee went cold. We didn't notice."
    assert score(six, min_words=6, max_words=6).passed
    assert score("Honey-coloured light, well-worn chairs, warm tea.", max_words=6, min_words=6).passed
    assert not score(six + " Again.", max_words=6).passed
    assert not score("Too short.", min_words=6).passed


def test_max_chars_and_hashtags():
    tweet = "Big news: the sourdough is back! First loaves at 7am. #FreshBread #Saturday"
    assert score(tweet, max_chars=280, min_hashtags=2).passed
    assert not score(tweet, min_hashtags=3).passed
    assert not score("x" * 281, max_chars=280).passed
    assert not score("Call us at no. 5#", min_hashtags=1).passed


def test_ends_with_words():
    couplet = "The city hums beneath the fading light,\nand one by one the windows greet the night."
    assert score(couplet, ends_with_words=["light", "night"]).passed
    assert score(couplet.upper(), ends_with_words=["light", "night"]).passed
    assert not score(couplet, ends_with_words=["night", "light"]).passed
    assert not score(couplet + "\nand more", ends_with_words=["light", "night"]).passed


def test_starts_with_and_ends_with():
    assert score('"Tonight the stars come out."', starts_with="tonight").passed
    assert not score("The stars come out tonight.", starts_with="tonight").passed
    riddle = "I have keys but open no locks. What am I?"
    assert score(riddle, ends_with="?").passed
    assert score('"' + riddle + '"', ends_with="?").passed
    assert not score("I have keys. It is a piano.", ends_with="?").passed


@pytest.mark.parametrize("title,ok", [
    ("The Keeper of the Northern Light", True),
    ("Salt: The Crystal That Built Empires", True),
    ("Where My Grandmother's Roses Grow", True),
    ("Shadows Over Lisbon", True),
    ("The keeper of the Northern Light", False),
    ("of Mice and Men", False),  # a small word still needs a capital when it comes first
    ("Worth Waiting for", False),  # ... or last
    ("From Seed to Supper", True),
])
def test_title_case(title, ok):
    assert score(title, title_case=True).passed is ok


def test_max_words_per_line_skips_list_markers():
    names = "1. The Daily Grind\n2. Bean There\n3. Slow Pour"
    assert score(names, lines=3, max_words_per_line=3).passed
    assert not score("The Daily Grind Coffee\nBean There", max_words_per_line=3).passed


# -- scoring as a whole ----------------------------------------------------------------------------
def test_score_is_the_fraction_of_constraints_met():
    s = score("A cat who was fond of a hat\nwore it.", lines=5, include=["cat", "hat"], max_words=50)
    assert s.value == pytest.approx(2 / 3)
    assert not s.passed
    assert s.detail.startswith("2/3 constraints") and "lines=5" in s.detail
    assert score("", lines=3).value == 0.0


def test_items_without_constraints_and_unknown_keys():
    s = score_constraints(Item(id="x", domain="creative", prompt="q"), HAIKU)
    assert (s.value, s.passed) == (0.0, False) and "no constraints" in s.detail
    s = score(HAIKU, lines=3, rhymes="AABBA")
    assert s.value == 0.5 and not s.passed and "unknown constraint" in s.detail
    assert constraint_problems({"lines": 3, "rhymes": "AABBA"}) == ["unknown constraint 'rhymes'"]
    assert constraint_problems({"include": "cat"}) == ["include must be a non-empty list of words"]
    assert constraint_problems({"lines": 0}) == ["lines must be a positive integer"]
    assert constraint_problems({"title_case": True, "acrostic": "MOON", "max_words": 8}) == []


def test_judge_is_not_consulted():
    class Judge:
        def grade(self, *_):
            raise AssertionError("the constraints scorer must not call a judge")

    assert score_constraints(item(lines=3), HAIKU, judge=Judge()).passed


# -- the data it grades ----------------------------------------------------------------------------
def test_every_creative_training_response_meets_its_constraints():
    rows = [json.loads(line) for line in (DATA / "instructions" / "creative.jsonl").read_text().splitlines()]
    assert len(rows) >= 300
    failed = [r["id"] for r in rows if not score_constraints(Item.from_record(r, "creative"), r["response"]).passed]
    assert failed == []


def test_held_out_creative_items_carry_valid_constraints():
    rows = [json.loads(line) for line in (DATA / "eval" / "creative.jsonl").read_text().splitlines()]
    assert len(rows) >= 80
    for r in rows:
        it = Item.from_record(r, "creative")
        assert it.prompt and constraint_problems(it.extra["constraints"]) == []
        assert score_constraints(it, "").passed is False  # an empty answer never passes
