"""Write data/eval/arithmetic.jsonl: arithmetic and word problems with computed numeric answers.

    .venv/bin/python data/build_arithmetic.py

The evaluation set for Accurate mode's tools (``python -m runtime tools-bench``): one-step arithmetic
(sums, differences, products, exact quotients, percentages, fractions) and 2-3 step word problems whose
wording is written here, not taken from the math training templates. Every answer is computed with exact
fractions and is an integer or a terminating decimal, never rounded. Deterministic (fixed seed); rows are
``{"id", "question", "answer", "steps", "category"}``. A candidate whose question is a word 3-gram Jaccard
>= 0.8 near-copy of a training instruction or of an earlier item is skipped (data/validate.py re-checks).
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from collections.abc import Callable
from fractions import Fraction
from math import ceil
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "eval" / "arithmetic.jsonl"
SEED = 20261201
N_ARITHMETIC = 48
N_WORD = 72
MAX_JACCARD = 0.8

NAMES = ["Amara", "Bilal", "Chen", "Dalia", "Emeka", "Freya", "Goran", "Hana", "Ines", "Jomo", "Kavya", "Luca",
         "Mirela", "Nadia", "Oskar", "Pilar", "Quinn", "Rafael", "Saoirse", "Tendai", "Uma", "Viktor", "Wanjiru",
         "Ximena", "Yusuf", "Zofia"]


def fmt(value: Fraction) -> str | None:
    """Exact decimal string of ``value``; None when it does not terminate (the template re-draws)."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return None
    if value.denominator == 1:
        return str(value.numerator)
    digits = 0
    while (value * 10 ** digits).denominator != 1:
        digits += 1
    scaled = abs(value * 10 ** digits).numerator
    s = str(scaled).rjust(digits + 1, "0")
    return ("-" if value < 0 else "") + s[:-digits] + "." + s[-digits:]


def money(value: Fraction) -> str:
    """How a price is written in a question: $12 or $12.50."""
    return f"${value}" if value.denominator == 1 else f"${float(value):.2f}"


Problem = tuple[str, Fraction, int]  # question, answer, steps
Template = Callable[[random.Random], Problem | None]


# -- one-step (and two-operation) arithmetic ------------------------------------------------------------
def t_add(r: random.Random) -> Problem:
    a, b = r.randint(120, 9800), r.randint(45, 9800)
    return f"What is {a:,} + {b:,}?", Fraction(a + b), 1


def t_sub(r: random.Random) -> Problem:
    a = r.randint(500, 9999)
    b = r.randint(37, a - 1)
    return f"Calculate {a} - {b}.", Fraction(a - b), 1


def t_mul(r: random.Random) -> Problem:
    a, b = r.randint(12, 98), r.randint(11, 79)
    return f"What is {a} × {b}?", Fraction(a * b), 1


def t_div(r: random.Random) -> Problem:
    b, q = r.randint(3, 24), r.randint(12, 140)
    return f"What is {b * q} divided by {b}?", Fraction(q), 1


def t_pct(r: random.Random) -> Problem:
    p = r.choice([5, 10, 12, 15, 20, 25, 30, 35, 40, 45, 60, 75])
    n = r.choice([40, 60, 80, 120, 150, 160, 200, 240, 250, 320, 360, 480, 500, 640, 800])
    return f"What is {p}% of {n}?", Fraction(p * n, 100), 1


def t_frac(r: random.Random) -> Problem | None:
    a, b = r.randint(1, 7), r.choice([2, 4, 5, 8, 10])
    c, d = r.randint(1, 7), r.choice([2, 4, 5, 8, 10])
    if a >= b or c >= d:
        return None
    return f"Add {a}/{b} and {c}/{d}. Give the result as a decimal.", Fraction(a, b) + Fraction(c, d), 1


def t_decimal(r: random.Random) -> Problem:
    a = Fraction(r.randint(101, 4999), 100)
    b = Fraction(r.randint(11, 999), 10)
    return f"What is {float(a):.2f} + {float(b):.1f}?", a + b, 1


def t_two_ops(r: random.Random) -> Problem:
    a, b, c = r.randint(6, 40), r.randint(3, 25), r.randint(5, 90)
    if r.random() < 0.5:
        return f"Compute {a} × {b} - {c}.", Fraction(a * b - c), 2
    return f"Compute ({a} + {c}) × {b}.", Fraction((a + c) * b), 2


ARITHMETIC: list[Template] = [t_add, t_sub, t_mul, t_div, t_pct, t_frac, t_decimal, t_two_ops]


# -- word problems (2-3 steps) ---------------------------------------------------------------------------
def w_boxes(r: random.Random) -> Problem:
    per, mon, tue = r.randint(6, 24), r.randint(5, 30), r.randint(5, 30)
    item = r.choice(["muffins", "candles", "jars of jam", "tea bags", "soap bars"])
    return (f"A workshop packs {per} {item} in each box. On Monday it fills {mon} boxes and on Tuesday it fills "
            f"{tue} boxes. How many {item} did it pack over the two days?", Fraction(per * (mon + tue)), 2)


def w_pages(r: random.Random) -> Problem | None:
    name = r.choice(NAMES)
    per, days = r.randint(12, 45), r.randint(3, 9)
    total = per * days + r.randint(15, 300)
    return (f"{name} is reading a {total}-page novel and reads {per} pages every day for {days} days. How many "
            f"pages does {name} still have to read?", Fraction(total - per * days), 2)


def w_wages(r: random.Random) -> Problem | None:
    name = r.choice(NAMES)
    rate = Fraction(r.choice([1150, 1200, 1350, 1425, 1500, 1675, 1800]), 100)
    h1, h2 = r.randint(3, 8), r.randint(2, 7)
    spent = r.randint(15, 60)
    pay = rate * (h1 + h2)
    if spent >= pay:
        return None
    return (f"{name} earns {money(rate)} an hour. {name} works {h1} hours on Saturday and {h2} hours on Sunday, "
            f"then spends ${spent} on groceries. How much of the weekend's pay is left?", pay - spent, 3)


def w_tank(r: random.Random) -> Problem | None:
    rate, minutes = r.randint(8, 45), r.randint(4, 20)
    cap = rate * minutes + r.randint(20, 400)
    return (f"A water tank holds {cap} litres and starts empty. A pump adds {rate} litres per minute. After "
            f"{minutes} minutes, how many more litres are needed to fill the tank?", Fraction(cap - rate * minutes), 2)


def w_fence(r: random.Random) -> Problem:
    length, width = r.randint(6, 40), r.randint(4, 30)
    cost = r.choice([3, 4, 5, 6, 7, 8, 9, 12, 15])
    return (f"A rectangular yard is {length} m long and {width} m wide. Fencing costs ${cost} per metre. What does "
            f"it cost to fence all the way around the yard?", Fraction(2 * (length + width) * cost), 3)


def w_buses(r: random.Random) -> Problem | None:
    students, adults, seats = r.randint(60, 260), r.randint(4, 14), r.choice([28, 30, 35, 40, 45, 52])
    people = students + adults
    if people % seats == 0:
        return None  # the rounding up is the point of the problem
    return (f"{students} students and {adults} teachers are going on a field trip. Each bus has {seats} seats. "
            f"What is the smallest number of buses they need?", Fraction(ceil(people / seats)), 2)


def w_trains(r: random.Random) -> Problem | None:
    a, x, b, y = r.randint(120, 400), r.randint(3, 9), r.randint(80, 300), r.randint(2, 8)
    if a * x <= b * y:
        return None
    return (f"The red ferry carries {a} passengers per crossing and makes {x} crossings a day. The blue ferry "
            f"carries {b} passengers per crossing and makes {y} crossings a day. How many more passengers does "
            f"the red ferry carry each day?", Fraction(a * x - b * y), 3)


def w_savings(r: random.Random) -> Problem:
    name = r.choice(NAMES)
    weekly, weeks, start = r.choice([5, 8, 10, 12, 15, 20, 25]), r.randint(3, 16), r.randint(10, 120)
    goal = start + weekly * weeks
    return (f"{name} has ${start} and puts ${weekly} aside every week. After how many weeks will {name} have "
            f"exactly ${goal}?", Fraction(weeks), 2)


def w_laps(r: random.Random) -> Problem | None:
    times = [r.randint(52, 95) for _ in range(r.choice([3, 4]))]
    avg = Fraction(sum(times), len(times))
    if fmt(avg) is None:
        return None
    listed = ", ".join(str(t) for t in times[:-1]) + f" and {times[-1]}"
    return (f"A swimmer's lap times were {listed} seconds. What was the mean lap time in seconds?", avg, 2)


def w_recipe(r: random.Random) -> Problem | None:
    p, q = r.choice([2, 4, 5, 6, 8]), r.choice([3, 5, 10, 12, 15, 20])
    grams = r.choice([150, 180, 200, 240, 250, 300, 320, 360, 400])
    if p == q:
        return None
    value = Fraction(grams, p) * q
    if fmt(value) is None:
        return None
    return (f"A soup for {p} people needs {grams} grams of lentils. How many grams of lentils are needed to make "
            f"the same soup for {q} people?", value, 2)


def w_price_change(r: random.Random) -> Problem | None:
    price = r.choice([20, 24, 30, 36, 40, 45, 48, 50, 60, 64, 80])
    pct = r.choice([5, 10, 15, 20, 25, 30])
    coupon = r.choice([2, 3, 4, 5, 6, 8])
    up = r.random() < 0.5
    after = price * (1 + Fraction(pct, 100) * (1 if up else -1))
    return (f"A lamp costs ${price}. Its price is {'raised' if up else 'cut'} by {pct}%, and then a ${coupon} coupon "
            f"is taken off. What is the final price in dollars?", after - coupon, 3)


def w_ride(r: random.Random) -> Problem:
    speed, hours, extra = r.randint(12, 28), r.choice([2, 3, 4, 5]), r.randint(5, 40)
    return (f"A cyclist rides at {speed} km/h for {hours} hours, stops for lunch, and then rides another {extra} km. "
            f"How many kilometres did the cyclist ride altogether?", Fraction(speed * hours + extra), 2)


def w_share(r: random.Random) -> Problem | None:
    friends, each, gift = r.randint(3, 9), r.randint(8, 30), r.randint(1, 6)
    if gift >= each:
        return None
    return (f"{friends} friends split {friends * each} marbles equally, and then each of them gives {gift} marbles "
            f"to a younger cousin. How many marbles does each friend have now?", Fraction(each - gift), 2)


def w_unit_price(r: random.Random) -> Problem | None:
    pack, want = r.choice([4, 5, 8, 10, 20, 25]), r.randint(3, 30)
    price = Fraction(r.randint(150, 2400), 100)
    value = price / pack * want
    if fmt(value) is None or pack == want:
        return None
    return (f"A pack of {pack} pencils costs {money(price)}. At the same price per pencil, how much do {want} "
            f"pencils cost in dollars?", value, 2)


def w_stock(r: random.Random) -> Problem | None:
    start, sold, delivered, broken = r.randint(80, 400), r.randint(20, 150), r.randint(10, 120), r.randint(1, 15)
    if sold >= start:
        return None
    end = start - sold + delivered - broken
    return (f"A shop has {start} mugs in stock. It sells {sold}, receives a delivery of {delivered}, and finds "
            f"{broken} broken ones that it throws away. How many mugs are left in stock?", Fraction(end), 3)


WORD: list[Template] = [w_boxes, w_pages, w_wages, w_tank, w_fence, w_buses, w_trains, w_savings, w_laps, w_recipe,
                        w_price_change, w_ride, w_share, w_unit_price, w_stock]


# -- build ----------------------------------------------------------------------------------------------
def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def shingles(text: str, n: int = 3) -> set:
    words = normalize(text).split()
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _training_signatures() -> list[set]:
    sigs = []
    for path in sorted((HERE / "instructions").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sigs.append(shingles(json.loads(line)["instruction"]))
    return sigs


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    train = _training_signatures()
    rows: list[dict] = []
    sigs: list[set] = []
    seen: set[str] = set()
    for category, templates, count in (("arithmetic", ARITHMETIC, N_ARITHMETIC), ("word", WORD, N_WORD)):
        made, attempts = 0, 0
        while made < count:
            attempts += 1
            if attempts > count * 200:
                raise RuntimeError(f"{category}: could not draw {count} distinct problems")
            template = templates[made % len(templates)]
            drawn = template(rng)
            if drawn is None:
                continue
            question, answer, steps = drawn
            text = fmt(answer)
            key = normalize(question)
            if text is None or key in seen:
                continue
            sig = shingles(question)
            # Same-template word problems differ only in names and numbers; keep them apart from each
            # other and from anything the model was trained on.
            if any(jaccard(sig, s) >= MAX_JACCARD for s in sigs) or any(jaccard(sig, s) >= MAX_JACCARD
                                                                     for s in train):
                continue
            seen.add(key)
            sigs.append(sig)
            made += 1
            rows.append({"id": f"eval-arith-{len(rows) + 1:03d}", "question": question, "answer": text,
                         "steps": steps, "category": f"{category}:{template.__name__[2:]}"})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def main() -> int:
    rows = build()
    write_jsonl(OUT, rows)
    by_steps: dict[int, int] = {}
    for r in rows:
        by_steps[r["steps"]] = by_steps.get(r["steps"], 0) + 1
    print(f"{OUT.relative_to(HERE.parent)}: {len(rows)} problems, by steps {dict(sorted(by_steps.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
