"""Self-consistency: answer extraction, the vote and its tie-break, hard-question detection, the path
bounds, clustering of open answers with the real MiniLM, and a run on the real SmolLM2-135M engine;
the engine's frequency penalty (sampling only)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from runtime.consistency import (
    SampledPath,
    cluster_open,
    engine_generator,
    extract_choice,
    extract_numeric,
    hard_reasons,
    is_hard,
    normalize_number,
    parse_choices,
    self_consistency,
    vote,
)
from runtime.engine import ChatRequest, InputError
from runtime.sampling import sample as _sample


@pytest.mark.parametrize("text, expected", [
    ("Cookies: 5 × 7.20 = 36.\nAnswer: 8.25", "8.25"),
    ("So the total is 1,200 apples.", "1200"),
    ("The answer is $17.00.", "17"),
    ("Answer: **1,234.50**", "1234.5"),
    ("She eats 3/4 of the cake.", "0.75"),
    ("Each gets 1/3.", "1/3"),
    ("It needs 2 1/2 cups.", "2.5"),
    ("It is -5 degrees outside.", "-5"),
    ("#### 72", "72"),
    ("\\boxed{3/4}", "0.75"),
    ("The answer is 12. I checked it in 3 steps.", "12"),  # a marked answer beats the last number
    ("First 4 + 5 = 9, then 9 × 2 = 18", "18"),
    ("15% of 80", "80"),
    ("No number here.", None),
    ("", None),
])
def test_extract_numeric(text, expected):
    assert extract_numeric(text) == expected


def test_normalize_number_is_exact():
    assert normalize_number("0.10") == normalize_number(".1") == normalize_number("1/10") == "0.1"
    assert normalize_number("$1,000.000") == "1000"
    assert normalize_number("7/0") is None and normalize_number("-") is None


def test_extract_choice_and_options():
    q = "Which is the capital of France?\nA) London\nB) Paris\nC) Rome\nD) Madrid"
    options = parse_choices(q)
    assert options == {"A": "London", "B": "Paris", "C": "Rome", "D": "Madrid"}
    assert parse_choices("Pick one: (A) red (B) blue (C) green") == {"A": "red", "B": "blue", "C": "green"}
    assert parse_choices("What is a dog?") == {}
    assert extract_choice("I think the answer is B.") == "B"
    assert extract_choice("The answer is (c)") == "C"
    assert extract_choice("The answer is a dog") is None  # an article, not an option
    assert extract_choice("(A) is wrong because ... so (B)") == "B"
    assert extract_choice("D") == "D"
    assert extract_choice("It must be Paris.", options) == "B"  # only the option's text is quoted
    assert extract_choice("Answer: E", "ABCD") is None


@pytest.mark.parametrize("question, hard", [
    ("Prove that the square root of 2 is irrational.", True),
    ("Derive the formula for the sum of the first n integers.", True),
    ("Show that the product of two odd numbers is odd.", True),
    ("Explain step by step how you would plan a move.", True),
    ("Tom has 3 boxes with 12 pens each and gives away 7 pens. How many pens does he have left?", True),
    ("A train leaves at 3 pm at 60 mph; another leaves at 4 pm at 80 mph. When will the second catch up?", True),
    ("Priya reads 20 pages a day. How many pages does she read in 6 days if she skips one day?", True),
    ("What is 15% of 80?", False),
    ("What is 2 + 2?", False),
    ("Hi!", False),
    ("Write a Python function that reverses a string.", False),
    ("What's the capital of Peru?", False),
])
def test_is_hard(question, hard):
    assert is_hard(question) is hard, hard_reasons(question)


def test_long_multi_sentence_questions_are_hard_but_tool_lists_do_not_count():
    long_q = ("My team is moving offices next month and the schedule keeps slipping because the landlord has not "
              "finished the wiring. We have three moving companies to choose from. Each one quotes differently: one "
              "charges by the hour, one by the volume of furniture, and one a flat fee with insurance included. Our "
              "budget is fixed but the date is not. What should we weigh first, and why?")
    assert not is_hard(long_q[:150])
    assert "long multi-sentence question" in hard_reasons(long_q)
    tools = "Goal: email the report.\nTools:\n" + "\n".join(f"- tool_{i} {{\"a\": \"string\"}}. Does X." for i in range(30))
    assert not is_hard(tools)


def paths(*specs: tuple[str, float]) -> list[SampledPath]:
    return [SampledPath(i, text, lp, 10, None) for i, (text, lp) in enumerate(specs)]


def test_majority_vote_over_normalised_numbers():
    ps = paths(("So it costs $1,200.", -0.9), ("Answer: 1200", -0.5), ("Total: 1200.00 dollars", -0.7),
               ("Answer: 1100", -0.1), ("I am not sure.", -0.2))
    c = vote("A TV costs $1000 plus 20% tax. What is the total?", ps, kind="numeric")
    assert c.answer == "1200" and c.agreeing == 3 and c.n == 5
    assert c.confidence == pytest.approx(0.6) and not c.unreliable
    assert c.votes == {"1200": 3, "1100": 1, "none": 1}
    assert c.text == "Answer: 1200"  # the lowest-perplexity path of the winning group
    assert [p["chosen"] for p in c.paths] == [False, True, False, False, False]
    assert c.tools() == {"n": 5, "agreeing": 3, "confidence": 0.6, "unreliable": False, "kind": "numeric",
                         "answer": "1200"}


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2)])
def test_tie_broken_by_lowest_perplexity_whatever_the_order(order):
    specs = [("Answer: 7", -1.2), ("Answer: 7", -1.0), ("Answer: 9", -0.3), ("Answer: 9", -2.5)]
    c = vote("What is 3 + 4?", paths(*[specs[i] for i in order]), kind="numeric")
    assert c.answer == "9" and c.tie_broken and c.agreeing == 2
    assert c.confidence == 0.5 and c.unreliable  # <= 0.5 is flagged
    chosen = [p for p in c.paths if p["chosen"]]
    assert len(chosen) == 1 and chosen[0]["perplexity"] == pytest.approx(math.exp(0.3), rel=1e-3)


def test_choice_questions_vote_on_the_letter():
    q = "Which planet is largest?\nA) Mars\nB) Jupiter\nC) Venus"
    ps = paths(("The answer is B.", -1.0), ("Jupiter, so B)", -0.8), ("Answer: (a)", -0.1))
    c = vote(q, ps)
    assert c.kind == "choice" and c.answer == "B" and c.agreeing == 2


def test_numeric_kind_without_any_number_falls_back_to_comparing_meaning():
    class CountingEmbedder:  # the real one is tested below; this one only shows the fallback is taken
        calls = 0

        def embed(self, texts):
            CountingEmbedder.calls += 1
            return np.array([[1.0, 0.0]] * len(texts))

    c = vote("How many moons?", paths(("I don't know.", -1.0), ("Hard to say.", -0.5), ("No idea.", -0.7)),
             kind="numeric", embedder=CountingEmbedder())
    assert c.kind == "open" and CountingEmbedder.calls == 1 and c.agreeing == 3


@pytest.fixture(scope="module")
def embedder():
    from runtime.embedder import Embedder

    return Embedder()


def test_dbscan_groups_paraphrases_and_separates_different_answers(embedder):
    texts = ["The capital of France is Paris.", "Paris is the capital city of France.",
             "France's capital is Paris, a city on the Seine.", "Berlin is the capital of Germany.",
             "You should water the plant twice a week."]
    labels = cluster_open(texts, embedder)
    assert labels[0] == labels[1] == labels[2]
    assert len({labels[0], labels[3], labels[4]}) == 3
    ps = paths(*[(t, -1.0 - 0.1 * i) for i, t in enumerate(texts)])
    c = vote("What is the capital of France?", ps, embedder=embedder)
    assert c.kind == "open" and c.agreeing == 3 and c.answer is None
    assert c.text == texts[0]  # highest mean logprob among the three paraphrases


def test_path_count_must_be_3_to_10():
    calls = []

    def generate(seed, temperature, top_p, frequency_penalty):
        calls.append(seed)
        return "Answer: 1", -0.5, 3

    for bad in (0, 2, 11, 2.5, True, "5"):
        with pytest.raises(ValueError, match="between 3 and 10"):
            self_consistency(generate, "What is 1?", n=bad)
    with pytest.raises(ValueError, match="kind"):
        self_consistency(generate, "What is 1?", n=3, kind="vibes")
    assert calls == []
    c = self_consistency(generate, "What is 1 + 0?", n=10, seed=40)
    assert calls == list(range(40, 50)) and c.confidence == 1.0


def test_generate_receives_the_sampling_settings():
    seen = []

    def generate(seed, temperature, top_p, frequency_penalty):
        seen.append((seed, temperature, top_p, frequency_penalty))
        return f"Answer: {seed % 2}", -0.1 * seed, 4

    c = self_consistency(generate, "What is 5 - 4?", n=5)
    assert seen == [(i, 0.8, 0.9, 0.3) for i in range(5)]
    assert c.votes == {"0": 3, "1": 2} and c.answer == "0" and c.text == "Answer: 0"


# -- the real model ---------------------------------------------------------------------------------
def test_self_consistency_on_the_real_model(engine):
    msgs = [{"role": "user", "content": "What is 6 times 7? Reply with the number."}]
    generate = engine_generator(engine, msgs, max_tokens=8)
    c = self_consistency(generate, msgs[0]["content"], n=3)
    assert c.n == 3 and [p["seed"] for p in c.paths] == [0, 1, 2]
    assert all(0 < p["tokens"] <= 8 and math.isfinite(p["perplexity"]) for p in c.paths)
    chosen = next(p for p in c.paths if p["chosen"])
    assert generate(chosen["seed"], 0.8, 0.9, 0.3)[0] == c.text  # seeded: the chosen path is reproducible
    assert sum(c.votes.values()) == 3 and c.confidence == c.agreeing / 3


def test_frequency_penalty_changes_sampled_output_but_not_greedy(engine):
    q = [{"role": "user", "content": "List the days of the week, then list them again."}]
    greedy = engine.complete(ChatRequest(q, max_tokens=16)).text
    assert engine.complete(ChatRequest(q, max_tokens=16, frequency_penalty=1.5)).text == greedy

    def sampled(penalty):
        return engine.complete(ChatRequest(q, max_tokens=24, temperature=0.8, top_p=0.9, seed=3,
                                           frequency_penalty=penalty)).text

    plain = sampled(0.0)
    assert sampled(0.0) == plain  # same seed, same text
    assert sampled(2.0) != plain
    with pytest.raises(InputError, match="frequency_penalty"):
        list(engine.stream(ChatRequest(q, frequency_penalty=3.0)))


def test_sampler_penalty_subtracts_per_earlier_use():
    row = np.full(300, -20.0, dtype=np.float32)
    row[0], row[1] = 10.0, 9.0
    counts = np.zeros(300)
    rng = np.random.default_rng(0)
    assert {_sample(row, 0.05, 1.0, 0, rng) for _ in range(20)} == {0}
    counts[0] = 2  # 10 - 2 * 1.0 = 8 < 9
    assert {_sample(row, 0.05, 1.0, 0, rng, 1.0, counts) for _ in range(20)} == {1}
    assert {_sample(row, 0.05, 1.0, 0, rng, 0.0, counts) for _ in range(20)} == {0}
