"""Math word problems with computed answers. Every step is written as `expression = value`, which
data/validate.py re-evaluates with exact fractions, and the final answer is an exact number."""

from __future__ import annotations

from fractions import Fraction as F

from .common import Item, cap, pick_names

ITEMS = [("notebook", "notebooks"), ("pen", "pens"), ("apple", "apples"), ("sandwich", "sandwiches"),
         ("ticket", "tickets"), ("candle", "candles"), ("mug", "mugs"), ("plant", "plants"),
         ("cookie", "cookies"), ("comic book", "comic books"), ("bottle of juice", "bottles of juice"),
         ("pack of stickers", "packs of stickers"), ("bag of rice", "bags of rice"), ("scarf", "scarves")]


def num(x) -> str:
    """Exact decimal text for a Fraction/int; refuses repeating decimals."""
    x = F(x)
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        raise ValueError(f"{x} has no finite decimal form")
    s = f"{float(x):.10f}".rstrip("0").rstrip(".")
    if F(s) != x:
        raise ValueError(f"lost precision formatting {x}")
    return s


def money(x) -> str:
    """Money with two decimals when it has cents."""
    x = F(x)
    return num(x) if x.denominator == 1 else f"{float(x):.2f}"


def _price(rng, lo, hi, cents=True):
    whole = rng.randint(lo, hi)
    if cents and rng.random() < 0.6:
        return F(whole) + F(rng.choice([25, 50, 75, 20, 40, 60, 80]), 100)
    return F(whole)


def t_shopping(rng):
    name = pick_names(rng, 1)[0]
    (s1, p1n), (s2, p2n) = rng.sample(ITEMS, 2)
    a, b = rng.randint(2, 6), rng.randint(1, 5)
    p1, p2 = _price(rng, 1, 9), _price(rng, 1, 12)
    c1, c2 = a * p1, b * p2
    total = c1 + c2
    bill = next(x for x in (10, 20, 50, 100) if x > total)
    change = bill - total
    ask_change = rng.random() < 0.6
    q = rng.choice([
        f"{name} buys {a} {p1n} at ${money(p1)} each and {b} {p2n if b > 1 else s2} at ${money(p2)} each.",
        f"At the market, {name} gets {a} {p1n} for ${money(p1)} apiece and {b} {p2n if b > 1 else s2} for ${money(p2)} apiece.",
    ])
    q += f" {name} pays with a ${bill} bill. How much change should {name} get?" if ask_change else " What is the total cost?"
    steps = [f"{cap(p1n)}: {a} × {money(p1)} = {money(c1)}.",
             f"{cap(p2n if b > 1 else s2)}: {b} × {money(p2)} = {money(c2)}.",
             f"Total: {money(c1)} + {money(c2)} = {money(total)}."]
    if ask_change:
        steps.append(f"Change: {bill} - {money(total)} = {money(change)}.")
        return Item("shopping", "medium", q, steps, num(change))
    return Item("shopping", "easy", q, steps, num(total))


def t_discount(rng):
    price = F(rng.choice([20, 24, 30, 36, 40, 45, 48, 50, 60, 64, 75, 80, 90, 120, 150, 180, 240, 250]))
    pct = rng.choice([10, 15, 20, 25, 30, 40, 50])
    thing = rng.choice(["jacket", "pair of shoes", "lamp", "backpack", "board game", "chair", "blender", "tent"])
    disc = price * pct / 100
    sale = price - disc
    q = rng.choice([f"A {thing} costs ${num(price)}. It is on sale for {pct}% off. What is the sale price?",
                    f"The store takes {pct}% off a ${num(price)} {thing}. How much do you pay?",
                    f"How much does a ${num(price)} {thing} cost after a {pct}% discount?"])
    steps = [f"Discount: {num(price)} × {pct} ÷ 100 = {num(disc)}.", f"Sale price: {num(price)} - {num(disc)} = {num(sale)}."]
    return Item("discount", "easy", q, steps, num(sale))


def t_percent_of(rng):
    pct = rng.choice([5, 12, 15, 20, 25, 30, 35, 40, 45, 60, 75, 80, 120])
    base = rng.choice([40, 60, 80, 120, 140, 160, 180, 200, 240, 250, 260, 300, 320, 360, 400, 480, 500, 640, 800])
    val = F(base * pct, 100)
    kind = rng.choice(["plain", "class", "survey"]) if pct < 100 else "plain"
    if kind == "plain":
        q = rng.choice([f"What is {pct}% of {base}?", f"Calculate {pct} percent of {base}."])
        steps = [f"{base} × {pct} ÷ 100 = {num(val)}."]
        return Item("percent_of", "easy", q, steps, num(val))
    if kind == "class" and pct < 100:
        rest = base - val
        group = rng.choice(["students at a school", "runners in a race", "employees at a company", "members of a club"])
        habit = rng.choice(["walk to school", "finished in under an hour", "work from home", "are under 30"])
        q = f"There are {base} {group}. {pct}% of them {habit}. How many do not?"
        steps = [f"{pct}% of {base}: {base} × {pct} ÷ 100 = {num(val)}.", f"The rest: {base} - {num(val)} = {num(rest)}."]
        return Item("percent_of", "medium", q, steps, num(rest))
    q = f"In a survey of {base} people, {pct}% said yes. How many people said yes?"
    steps = [f"{base} × {pct} ÷ 100 = {num(val)}."]
    return Item("percent_of", "easy", q, steps, num(val))


def t_percent_change(rng):
    base = rng.choice([200, 250, 400, 500, 800, 1200, 1500, 2000, 2400, 3000, 4500])
    pct = rng.choice([4, 5, 8, 10, 12, 15, 20, 25, 30])
    up = rng.random() < 0.6
    what = rng.choice([("A town has {b} residents", "population", "grows", "shrinks", "residents"),
                       ("A shop sold {b} items last year", "sales", "rise", "fall", "items"),
                       ("A monthly rent is ${b}", "rent", "goes up", "goes down", "dollars"),
                       ("A website had {b} visitors last week", "traffic", "increases", "decreases", "visitors")])
    change = F(base * pct, 100)
    new = base + change if up else base - change
    q = f"{what[0].format(b=base)}. If the {what[1]} {what[2] if up else what[3]} by {pct}%, what is the new number?"
    q = q.replace("what is the new number", "what is the new amount" if what[4] == "dollars" else "what is the new number")
    steps = [f"Change: {base} × {pct} ÷ 100 = {num(change)}.",
             f"New value: {base} {'+' if up else '-'} {num(change)} = {num(new)}."]
    return Item("percent_change", "medium", q, steps, num(new))


def t_speed(rng):
    kind = rng.choice(["distance", "time", "speed"])
    speed = rng.choice([12, 15, 40, 45, 48, 50, 60, 64, 72, 80, 90, 100, 120])
    hours = F(rng.choice([1, 2, 3, 4, 5, 6])) + rng.choice([0, 0, F(1, 2), F(1, 4), F(3, 4)])
    dist = speed * hours
    who = rng.choice(["A train", "A cyclist", "A bus", "A car", "A delivery van", "A ferry"])
    unit = "km"
    if kind == "distance":
        q = f"{who} travels at {speed} {unit}/h for {num(hours)} hours. How far does it go?"
        steps = [f"Distance = speed × time: {speed} × {num(hours)} = {num(dist)} {unit}."]
        return Item("speed", "easy", q, steps, num(dist))
    if kind == "time":
        q = f"{who} covers {num(dist)} {unit} at a steady {speed} {unit}/h. How many hours does the trip take?"
        steps = [f"Time = distance ÷ speed: {num(dist)} ÷ {speed} = {num(hours)} hours."]
        return Item("speed", "easy", q, steps, num(hours))
    q = f"{who} goes {num(dist)} {unit} in {num(hours)} hours. What is its average speed in {unit}/h?"
    steps = [f"Speed = distance ÷ time: {num(dist)} ÷ {num(hours)} = {speed} {unit}/h."]
    return Item("speed", "easy", q, steps, str(speed))


def t_two_legs(rng):
    s1, s2 = rng.choice([40, 50, 60, 70, 80]), rng.choice([30, 45, 60, 90, 100])
    h1, h2 = rng.choice([1, 2, 3, F(3, 2)]), rng.choice([1, 2, F(1, 2), F(5, 2)])
    d1, d2 = s1 * h1, s2 * h2
    total = d1 + d2
    name = pick_names(rng, 1)[0]
    ask_avg = rng.random() < 0.4 and F(total, 1) / (h1 + h2) == F(total) / (h1 + h2)
    q = (f"{name} drives {_hours(h1)} at {s1} km/h and then {_hours(h2)} at {s2} km/h. ")
    steps = [f"First part: {s1} × {num(h1)} = {num(d1)} km.", f"Second part: {s2} × {num(h2)} = {num(d2)} km.",
             f"Total distance: {num(d1)} + {num(d2)} = {num(total)} km."]
    avg = total / (h1 + h2)
    if ask_avg:
        try:
            avg_text = num(avg)
        except ValueError:
            ask_avg = False
    if ask_avg:
        q += "What is the average speed for the whole trip in km/h?"
        steps.append(f"Total time: {num(h1)} + {num(h2)} = {num(h1 + h2)} hours.")
        steps.append(f"Average speed: {num(total)} ÷ {num(h1 + h2)} = {avg_text} km/h.")
        return Item("two_legs", "hard", q, steps, avg_text)
    q += f"How far does {name} drive in total, in km?" if rng.random() < 0.5 else "What total distance is covered?"
    return Item("two_legs", "medium", q, steps, num(total))


def _hours(h):
    return f"{num(h)} hour" + ("" if h == 1 else "s")


def t_average(rng):
    n = rng.randint(3, 6)
    for _ in range(100):
        vals = [rng.randint(55, 100) for _ in range(n)]
        if (sum(vals) * 4) % n == 0:  # average is a multiple of 0.25
            break
    total = sum(vals)
    avg = F(total, n)
    name = pick_names(rng, 1)[0]
    what = rng.choice(["test scores", "points in the last games", "steps (in hundreds) on recent days",
                       "minutes of practice on recent days"])
    q = f"{name}'s {what} were {', '.join(map(str, vals))}. What is the average?"
    steps = [f"Sum: {' + '.join(map(str, vals))} = {total}.", f"Average: {total} ÷ {n} = {num(avg)}."]
    return Item("average", "easy" if n <= 4 else "medium", q, steps, num(avg))


def t_missing_score(rng):
    n = rng.randint(3, 5)
    target = rng.randint(70, 90)
    vals = [rng.randint(60, 100) for _ in range(n)]
    need = target * (n + 1) - sum(vals)
    if not 0 <= need <= 100:
        return t_missing_score(rng)
    name = pick_names(rng, 1)[0]
    q = (f"{name} scored {', '.join(map(str, vals))} on the first {n} quizzes. What score does {name} need on the "
         f"next quiz to average exactly {target}?")
    steps = [f"Needed total: {target} × {n + 1} = {target * (n + 1)}.",
             f"Current total: {' + '.join(map(str, vals))} = {sum(vals)}.",
             f"Needed score: {target * (n + 1)} - {sum(vals)} = {need}."]
    return Item("missing_score", "hard", q, steps, str(need))


def t_ratio(rng):
    a, b = rng.choice([(1, 2), (2, 3), (3, 5), (1, 3), (3, 4), (2, 5), (4, 5), (5, 7)])
    unit = rng.randint(3, 30)
    total = (a + b) * unit
    n1, n2 = pick_names(rng, 2)
    kind = rng.choice(["money", "marbles", "class"])
    if kind == "money":
        q = f"{n1} and {n2} share ${total} in the ratio {a}:{b}. How much does {n2} get?"
        label = f"{n2}'s share"
    elif kind == "marbles":
        q = f"A jar of {total} marbles holds red and blue marbles in the ratio {a}:{b}. How many blue marbles are there?"
        label = "Blue marbles"
    else:
        q = f"A class of {total} has boys and girls in the ratio {a}:{b}. How many girls are there?"
        label = "Girls"
    steps = [f"Total parts: {a} + {b} = {a + b}.", f"One part: {total} ÷ {a + b} = {unit}.",
             f"{label}: {b} × {unit} = {b * unit}."]
    return Item("ratio", "medium", q, steps, str(b * unit))


def t_work_rate(rng):
    a, b = rng.choice([(3, 6), (4, 12), (6, 12), (2, 3), (4, 4), (5, 20), (10, 15), (12, 24), (3, 12), (6, 3),
                       (2, 8), (6, 6), (8, 8), (12, 4)])
    together = F(a * b, a + b)
    who = rng.choice([("Pipe A", "pipe B", "fill a tank", "fill it"), ("Ana", "Ben", "paint a fence", "paint it"),
                      ("One printer", "another printer", "print a batch of flyers", "print it"),
                      ("Kofi", "Lena", "weed the garden", "weed it")])
    q = (f"{who[0]} can {who[2]} in {a} hours and {who[1]} can do it in {b} hours. Working together, how many "
         f"hours do they need to {who[3]}?")
    rate = F(1, a) + F(1, b)
    steps = [f"Per hour together: 1/{a} + 1/{b} = {rate.numerator}/{rate.denominator} of the job.",
             f"Time: 1 ÷ ({rate.numerator}/{rate.denominator}) = {num(together)} hours."]
    return Item("work_rate", "hard", q, steps, num(together))


def t_rectangle(rng):
    length, width = rng.randint(4, 30), rng.randint(2, 20)
    kind = rng.choice(["area", "perimeter", "fence_cost", "tiles"])
    place = rng.choice(["garden", "room", "playground", "parking lot", "patio", "classroom floor"])
    if kind == "area":
        q = f"A rectangular {place} is {length} m long and {width} m wide. What is its area in square meters?"
        steps = [f"Area = length × width: {length} × {width} = {length * width}."]
        return Item("rectangle", "easy", q, steps, str(length * width))
    if kind == "perimeter":
        q = f"What is the perimeter of a rectangular {place} that measures {length} m by {width} m?"
        steps = [f"Perimeter = 2 × (length + width): 2 × ({length} + {width}) = {2 * (length + width)}."]
        return Item("rectangle", "easy", q, steps, str(2 * (length + width)))
    if kind == "fence_cost":
        cost = rng.choice([3, 4, 5, 6, 8, 12, 15])
        per = 2 * (length + width)
        q = (f"A rectangular {place} is {length} m by {width} m. Fencing costs ${cost} per meter. How much does it cost "
             f"to fence all the way around?")
        steps = [f"Perimeter: 2 × ({length} + {width}) = {per} m.", f"Cost: {per} × {cost} = {per * cost}."]
        return Item("rectangle", "medium", q, steps, str(per * cost))
    tile = rng.choice([F(1, 2), F(1, 4), 1])
    area = length * width
    count = F(area) / tile
    q = (f"A {place} is {length} m by {width} m. Each tile covers {num(tile)} square meters. How many tiles are "
         f"needed to cover it exactly?")
    steps = [f"Area: {length} × {width} = {area}.", f"Tiles: {area} ÷ {num(tile)} = {num(count)}."]
    return Item("rectangle", "medium", q, steps, num(count))


def t_conversion(rng):
    kind = rng.choice(["h_to_min", "min_to_h", "km_to_m", "l_to_ml", "kg_to_g", "cm_to_m", "days_to_h", "week_days"])
    if kind == "h_to_min":
        h = F(rng.randint(1, 9)) + rng.choice([0, F(1, 2), F(1, 4), F(3, 4)])
        q = f"How many minutes are there in {num(h)} hours?"
        steps = [f"{num(h)} × 60 = {num(h * 60)}."]
        return Item("conversion", "easy", q, steps, num(h * 60))
    if kind == "min_to_h":
        m = rng.choice([90, 150, 45, 75, 210, 330, 105, 135, 270])
        q = f"Write {m} minutes in hours."
        steps = [f"{m} ÷ 60 = {num(F(m, 60))}."]
        return Item("conversion", "easy", q, steps, num(F(m, 60)))
    if kind == "km_to_m":
        k = F(rng.randint(1, 40), rng.choice([1, 2, 4, 10]))
        q = f"A trail is {num(k)} km long. How many meters is that?"
        steps = [f"{num(k)} × 1000 = {num(k * 1000)}."]
        return Item("conversion", "easy", q, steps, num(k * 1000))
    if kind == "l_to_ml":
        bottles, size = rng.randint(2, 12), rng.choice([250, 330, 500, 750])
        q = f"How many liters of water are in {bottles} bottles of {size} ml each?"
        total = bottles * size
        steps = [f"Total: {bottles} × {size} = {total} ml.", f"In liters: {total} ÷ 1000 = {num(F(total, 1000))}."]
        return Item("conversion", "medium", q, steps, num(F(total, 1000)))
    if kind == "kg_to_g":
        bags, grams = rng.randint(2, 9), rng.choice([125, 250, 400, 500, 750])
        q = f"A baker uses {bags} bags of flour that weigh {grams} g each. How many kilograms is that?"
        total = bags * grams
        steps = [f"Total: {bags} × {grams} = {total} g.", f"In kilograms: {total} ÷ 1000 = {num(F(total, 1000))}."]
        return Item("conversion", "medium", q, steps, num(F(total, 1000)))
    if kind == "cm_to_m":
        pieces, cm = rng.randint(2, 12), rng.choice([15, 25, 40, 75, 120, 150])
        q = f"{pieces} pieces of ribbon are each {cm} cm long. What is their total length in meters?"
        total = pieces * cm
        steps = [f"Total: {pieces} × {cm} = {total} cm.", f"In meters: {total} ÷ 100 = {num(F(total, 100))}."]
        return Item("conversion", "medium", q, steps, num(F(total, 100)))
    if kind == "days_to_h":
        d = rng.randint(2, 14)
        q = f"How many hours are there in {d} days?"
        steps = [f"{d} × 24 = {d * 24}."]
        return Item("conversion", "easy", q, steps, str(d * 24))
    w = rng.randint(2, 12)
    extra = rng.randint(1, 6)
    q = f"How many days are in {w} weeks and {extra} days?"
    steps = [f"{w} × 7 = {w * 7}.", f"{w * 7} + {extra} = {w * 7 + extra}."]
    return Item("conversion", "easy", q, steps, str(w * 7 + extra))


def t_savings(rng):
    name = pick_names(rng, 1)[0]
    per, weeks = rng.choice([5, 8, 10, 12, 15, 20, 25, 30]), rng.randint(4, 20)
    start = rng.choice([0, 0, 15, 40, 60, 100])
    spend = rng.randint(10, per * weeks // 2)
    saved = per * weeks
    have = start + saved
    q = (f"{name} has ${start} and saves ${per} every week for {weeks} weeks. Then {name} spends ${spend} on a "
         f"{rng.choice(['bike helmet', 'concert ticket', 'video game', 'pair of boots', 'birthday gift'])}. "
         f"How much money is left?") if start else (
        f"{name} saves ${per} a week for {weeks} weeks and then spends ${spend}. How much is left?")
    steps = [f"Saved: {per} × {weeks} = {saved}."]
    if start:
        steps.append(f"With the starting money: {start} + {saved} = {have}.")
    steps.append(f"After spending: {have} - {spend} = {have - spend}.")
    return Item("savings", "medium", q, steps, str(have - spend))


def t_recipe(rng):
    amount = rng.choice([F(1, 2), F(3, 4), 1, F(3, 2), 2, 3, F(5, 2)])
    base = rng.choice([2, 4, 6, 8, 12])
    target = rng.choice([x for x in (3, 4, 6, 8, 10, 12, 16, 18, 20, 24) if x != base])
    need = amount * target / base
    try:
        need_text = num(need)
    except ValueError:
        return t_recipe(rng)
    ing = rng.choice([("cups of flour", "pancakes"), ("cups of sugar", "cookies"), ("cups of milk", "muffins"),
                      ("eggs", "servings of omelette"), ("cups of rice", "people"), ("liters of stock", "bowls of soup")])
    if ing[0] == "eggs" and need.denominator != 1:
        return t_recipe(rng)
    q = f"A recipe uses {num(amount)} {ing[0]} for {base} {ing[1]}. How much is needed for {target} {ing[1]}?"
    steps = [f"The amount grows in proportion to the number of {ing[1]}.",
             f"Needed: {num(amount)} × {target} ÷ {base} = {need_text}."]
    return Item("recipe", "medium", q, steps, need_text)


def _finite(x):
    try:
        num(x)
        return True
    except ValueError:
        return False


def t_interest(rng):
    p = rng.choice([500, 800, 1000, 1200, 1500, 2000, 2500, 4000, 5000, 10000])
    r = rng.choice([2, 3, 4, 5, F(5, 2), 6, 8])
    t = rng.randint(1, 6)
    interest = F(p) * r * t / 100
    ask_total = rng.random() < 0.5
    q = f"${p} is invested at {num(r)}% simple interest per year for {t} years. " + (
        "What is the total amount at the end?" if ask_total else "How much interest does it earn?")
    steps = [f"Interest = principal × rate × time ÷ 100: {p} × {num(r)} × {t} ÷ 100 = {num(interest)}."]
    if ask_total:
        steps.append(f"Total: {p} + {num(interest)} = {num(p + interest)}.")
        return Item("interest", "medium", q, steps, num(p + interest))
    return Item("interest", "easy", q, steps, num(interest))


def t_consecutive(rng):
    k = rng.choice([2, 3, 4, 5])
    first = rng.randint(1, 60)
    odd = rng.random() < 0.3
    if odd:
        first = first * 2 + 1
        nums = [first + 2 * i for i in range(k)]
        kind = "consecutive odd numbers"
    else:
        nums = [first + i for i in range(k)]
        kind = "consecutive whole numbers"
    total = sum(nums)
    ask = rng.choice(["smallest", "largest"])
    q = f"The sum of {k} {kind} is {total}. What is the {ask} of them?"
    gap = 2 if odd else 1
    offsets = sum(gap * i for i in range(k))
    steps = [f"Call the smallest n. The numbers add up to {k}n + {offsets}.",
             f"{total} - {offsets} = {total - offsets}, and {total - offsets} ÷ {k} = {first}.",
             f"The numbers are {', '.join(map(str, nums))}."]
    ans = nums[0] if ask == "smallest" else nums[-1]
    return Item("consecutive", "hard", q, steps, str(ans))


def t_linear(rng):
    a = rng.randint(2, 12)
    x = rng.randint(-10, 20)
    b = rng.randint(-30, 40)
    c = a * x + b
    var = rng.choice(["x", "y", "n", "k"])
    sign = "+" if b >= 0 else "-"
    q = rng.choice([f"Solve for {var}: {a}{var} {sign} {abs(b)} = {c}", f"Find {var} if {a}{var} {sign} {abs(b)} = {c}."])
    if b >= 0:
        steps = [f"Subtract {b} from both sides: {c} - {b} = {c - b}."]
    else:
        steps = [f"Add {abs(b)} to both sides: {c} + {abs(b)} = {c - b}."]
    steps.append(f"Divide by {a}: {c - b} ÷ {a} = {x}.")
    return Item("linear", "medium", q, steps, str(x))


def t_fraction_of(rng):
    num_, den = rng.choice([(1, 2), (1, 3), (2, 3), (1, 4), (3, 4), (2, 5), (3, 5), (5, 6), (3, 8), (7, 10)])
    total = den * rng.randint(3, 20)
    part = total * num_ // den
    thing = rng.choice([("a box of", "chocolates", "were eaten"), ("a class of", "students", "passed the test"),
                        ("an orchard of", "trees", "are apple trees"), ("a shelf of", "books", "are novels"),
                        ("a playlist of", "songs", "are rock songs")])
    ask_rest = rng.random() < 0.5
    q = f"In {thing[0]} {total} {thing[1]}, {num_}/{den} {thing[2]}. " + (
        f"How many {thing[1]} is that?" if not ask_rest else f"How many {thing[1]} are left over (not in that group)?")
    steps = [f"{total} ÷ {den} = {total // den}.", f"{total // den} × {num_} = {part}."]
    if ask_rest:
        steps.append(f"The rest: {total} - {part} = {total - part}.")
        return Item("fraction_of", "medium", q, steps, str(total - part))
    return Item("fraction_of", "easy", q, steps, str(part))


def t_elapsed(rng):
    start = rng.randint(6 * 60, 15 * 60)
    start -= start % 5
    dur = rng.randint(25, 400)
    dur -= dur % 5
    end = start + dur
    sh, sm = divmod(start, 60)
    eh, em = divmod(end, 60)
    event = rng.choice(["A hike", "A shift", "A study session", "A road trip", "A baking class", "A rehearsal"])
    q = f"{event} starts at {sh}:{sm:02d} and ends at {eh}:{em:02d} the same day. How many minutes long is it?"
    steps = [f"Start: {sh} × 60 + {sm} = {start} minutes after midnight.",
             f"End: {eh} × 60 + {em} = {end} minutes after midnight.",
             f"Length: {end} - {start} = {dur}."]
    return Item("elapsed", "medium", q, steps, str(dur))


def t_reading(rng):
    per = rng.choice([12, 15, 18, 20, 24, 25, 30, 35, 40])
    days = rng.randint(4, 25)
    pages = per * days
    name = pick_names(rng, 1)[0]
    q = rng.choice([f"A book has {pages} pages. If {name} reads {per} pages a day, how many days will it take to finish?",
                    f"{name} reads {per} pages every day. How many days to get through a {pages}-page novel?"])
    steps = [f"{pages} ÷ {per} = {days}."]
    return Item("reading", "easy", q, steps, str(days))


def t_buses(rng):
    cap_ = rng.choice([12, 20, 25, 30, 40, 45, 50])
    people = rng.randint(cap_ + 1, cap_ * 8)
    if people % cap_ == 0:
        people += rng.randint(1, cap_ - 1)
    need = -(-people // cap_)
    thing = rng.choice([("students", "buses", "seats"), ("guests", "tables", "seats"), ("books", "boxes", "books"),
                        ("eggs", "cartons", "eggs"), ("hikers", "vans", "seats")])
    q = (f"{people} {thing[0]} need {thing[1]}, and each one holds {cap_} {thing[2]}. What is the smallest number of "
         f"{thing[1]} needed?")
    steps = [f"{people} ÷ {cap_} = {num(F(people, cap_))}" if _finite(F(people, cap_))
             else f"{cap_} × {need - 1} = {cap_ * (need - 1)}, which is less than {people}.",
             f"With {need - 1} {thing[1]} there is room for only {cap_ * (need - 1)}, so {need} are needed."]
    if steps[0].startswith(f"{people} ÷"):
        steps[0] += "."
    return Item("buses", "medium", q, steps, str(need))


def t_tip(rng):
    bill = F(rng.randint(20, 180)) + rng.choice([0, F(1, 2), F(1, 4), F(3, 4)])
    pct = rng.choice([10, 15, 18, 20, 25])
    tip = bill * pct / 100
    if (tip * 100).denominator != 1:
        return t_tip(rng)
    people = rng.choice([1, 1, 2, 4, 5])
    total = bill + tip
    q = f"A dinner bill is ${money(bill)}. They add a {pct}% tip."
    steps = [f"Tip: {money(bill)} × {pct} ÷ 100 = {num(tip)}.", f"Total: {money(bill)} + {num(tip)} = {num(total)}."]
    if people > 1 and (total * 100 / people).denominator == 1:
        q += f" The total is split evenly between {people} people. How much does each person pay?"
        steps.append(f"Each: {num(total)} ÷ {people} = {num(total / people)}.")
        return Item("tip", "medium", q, steps, num(total / people))
    q += " What is the total?"
    return Item("tip", "easy", q, steps, num(total))


def t_ages(rng):
    k = rng.randint(2, 6)
    child = rng.randint(3, 14)
    parent = k * child
    total = parent + child
    pair = rng.choice([("A mother", "her son"), ("A father", "his daughter"), ("An aunt", "her niece"),
                       ("A grandfather", "his grandson")])
    q = f"{pair[0]} is {k} times as old as {pair[1]}. Together they are {total} years old. How old is the younger one?"
    steps = [f"Think in parts: {k} + 1 = {k + 1} parts make {total} years.", f"One part: {total} ÷ {k + 1} = {child}."]
    return Item("ages", "medium", q, steps, str(child))


def t_order_ops(rng):
    a, b, c, d = rng.randint(2, 30), rng.randint(2, 9), rng.randint(5, 15), rng.randint(1, 4)
    form = rng.choice(["a + b × (c - d)", "(a + b) × d - c", "a × b - c ÷ d", "a - b + c × d"])
    if form == "a + b × (c - d)":
        expr = f"{a} + {b} × ({c} - {d})"
        steps = [f"Brackets first: {c} - {d} = {c - d}.", f"Then multiply: {b} × {c - d} = {b * (c - d)}.",
                 f"Finally add: {a} + {b * (c - d)} = {a + b * (c - d)}."]
        ans = a + b * (c - d)
    elif form == "(a + b) × d - c":
        expr = f"({a} + {b}) × {d} - {c}"
        steps = [f"Brackets first: {a} + {b} = {a + b}.", f"Multiply: {a + b} × {d} = {(a + b) * d}.",
                 f"Subtract: {(a + b) * d} - {c} = {(a + b) * d - c}."]
        ans = (a + b) * d - c
    elif form == "a × b - c ÷ d":
        c = d * rng.randint(2, 9)
        expr = f"{a} × {b} - {c} ÷ {d}"
        steps = [f"Multiply and divide first: {a} × {b} = {a * b} and {c} ÷ {d} = {c // d}.",
                 f"Then subtract: {a * b} - {c // d} = {a * b - c // d}."]
        ans = a * b - c // d
    else:
        expr = f"{a} - {b} + {c} × {d}"
        steps = [f"Multiply first: {c} × {d} = {c * d}.", f"Then left to right: {a} - {b} = {a - b}.",
                 f"{a - b} + {c * d} = {a - b + c * d}."]
        ans = a - b + c * d
    q = rng.choice([f"Calculate {expr}.", f"What is {expr}?", f"Evaluate {expr} using the order of operations."])
    return Item("order_ops", "easy", q, steps, str(ans))


def t_circle(rng):
    r = rng.choice([2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20])
    kind = rng.choice(["area", "circumference"])
    obj, unit = rng.choice([("rug", "m"), ("pond", "m"), ("pizza", "cm"), ("table top", "dm"), ("flower bed", "m"),
                            ("clock face", "cm"), ("running track field", "m"), ("mirror", "cm"), ("trampoline", "m")])
    if kind == "area":
        q = rng.choice([f"A circular {obj} has a radius of {r} {unit}. Using π = 3.14, what is its area in square {unit}?",
                        f"Find the area of a round {obj} with radius {r} {unit} (use 3.14 for π).",
                        f"How much surface does a circular {obj} of radius {r} {unit} cover? Take π as 3.14."])
        val = F(314, 100) * r * r
        steps = [f"Area = π × r × r: 3.14 × {r} × {r} = {num(val)}."]
    else:
        q = rng.choice([f"Using π = 3.14, what is the circumference of a circular {obj} with radius {r} {unit}?",
                        f"How far is it around a round {obj} whose radius is {r} {unit}? Use π = 3.14.",
                        f"A circular {obj} has radius {r} {unit}. With π = 3.14, find its perimeter."])
        val = 2 * F(314, 100) * r
        steps = [f"Circumference = 2 × π × r: 2 × 3.14 × {r} = {num(val)}."]
    return Item("circle", "easy", q, steps, num(val))


def t_unit_price(rng):
    count = rng.choice([3, 4, 5, 6, 8, 10, 12])
    each = F(rng.randint(2, 40), 4)
    price = each * count
    want = rng.choice([x for x in (2, 5, 7, 9, 15, 20) if x != count])
    item = rng.choice(["bagels", "pencils", "oranges", "postcards", "batteries", "limes"])
    q = f"{count} {item} cost ${money(price)}. At the same price each, how much do {want} {item} cost?"
    steps = [f"One costs {money(price)} ÷ {count} = {num(each)}.", f"{want} cost {want} × {num(each)} = {num(each * want)}."]
    return Item("unit_price", "medium", q, steps, num(each * want))


def t_wages(rng):
    rate = rng.choice([12, 14, 15, 16, 18, 20, 22, 25])
    base_h = rng.choice([20, 30, 35, 40])
    extra = rng.randint(1, 10)
    mult = F(3, 2)
    name = pick_names(rng, 1)[0]
    q = (f"{name} earns ${rate} an hour for the first {base_h} hours of a week and time-and-a-half after that. "
         f"How much does {name} earn for a {base_h + extra}-hour week?")
    over_rate = rate * mult
    steps = [f"Regular pay: {base_h} × {rate} = {base_h * rate}.",
             f"Overtime rate: {rate} × 1.5 = {num(over_rate)}.",
             f"Overtime pay: {extra} × {num(over_rate)} = {num(extra * over_rate)}.",
             f"Total: {base_h * rate} + {num(extra * over_rate)} = {num(base_h * rate + extra * over_rate)}."]
    return Item("wages", "hard", q, steps, num(base_h * rate + extra * over_rate))


def t_temperature(rng):
    start = rng.randint(-15, 10)
    rise = rng.randint(3, 20)
    fall = rng.randint(2, 15)
    place = rng.choice(["In the morning", "At 6 a.m.", "At dawn", "At midnight"])
    q = (f"{place} the temperature was {start}°C. It rose {rise} degrees by noon and then fell {fall} degrees by "
         f"evening. What was the evening temperature in °C?")
    noon = start + rise
    steps = [f"Noon: {start} + {rise} = {noon}.", f"Evening: {noon} - {fall} = {noon - fall}."]
    return Item("temperature", "easy", q, steps, str(noon - fall))


def t_polygon(rng):
    n = rng.randint(5, 12)
    names = {5: "pentagon", 6: "hexagon", 7: "heptagon", 8: "octagon", 9: "nonagon", 10: "decagon",
             11: "11-sided polygon", 12: "dodecagon"}
    regular = rng.random() < 0.5 and (180 * (n - 2)) % n == 0
    total = 180 * (n - 2)
    if regular:
        q = f"What is the size of each interior angle of a regular {names[n]}, in degrees?"
        steps = [f"Sum of interior angles: ({n} - 2) × 180 = {total}.", f"Each angle: {total} ÷ {n} = {total // n}."]
        return Item("polygon", "medium", q, steps, str(total // n))
    q = f"What is the sum of the interior angles of a {names[n]}, in degrees?"
    steps = [f"A polygon with n sides has (n - 2) × 180 degrees: ({n} - 2) × 180 = {total}."]
    return Item("polygon", "easy", q, steps, str(total))


def t_square_from_area(rng):
    side = rng.randint(3, 25)
    area = side * side
    q = f"A square field has an area of {area} square meters. What is its perimeter in meters?"
    steps = [f"The side is the square root of {area}, which is {side}, because {side} × {side} = {area}.",
             f"Perimeter: 4 × {side} = {4 * side}."]
    return Item("square_area", "medium", q, steps, str(4 * side))


HANDWRITTEN = [
    ("What is 17 × 24?", ["17 × 20 = 340.", "17 × 4 = 68.", "340 + 68 = 408."], "408", "easy"),
    ("Divide 1,476 by 12.", ["12 × 100 = 1200, leaving 1476 - 1200 = 276.", "12 × 23 = 276.", "100 + 23 = 123."],
     "123", "medium"),
    ("What is 3/4 + 5/8, written as a decimal?",
     ["Common denominator 8: 3/4 = 6/8.", "6/8 + 5/8 = 11/8.", "11 ÷ 8 = 1.375."], "1.375", "medium"),
    ("A phone plan costs $25 a month plus $0.10 per text. Last month the bill was $31.80. How many texts were sent?",
     ["Texts cost 31.80 - 25 = 6.80.", "6.80 ÷ 0.10 = 68."], "68", "medium"),
    ("A rectangle's length is 3 times its width, and its perimeter is 64 cm. What is its area?",
     ["Perimeter = 2 × (3w + w) = 8w, so w = 64 ÷ 8 = 8.", "Length = 3 × 8 = 24.", "Area = 24 × 8 = 192."],
     "192", "hard"),
    ("The price of a game went from $40 to $50. By what percent did it increase?",
     ["Increase: 50 - 40 = 10.", "Percent: 10 ÷ 40 × 100 = 25."], "25", "medium"),
    ("How many seconds are there in a day?", ["24 × 60 = 1440 minutes.", "1440 × 60 = 86400 seconds."], "86400",
     "easy"),
    ("A car uses 6 liters of fuel per 100 km. How much fuel does it need for 350 km?",
     ["Fuel per km: 6 ÷ 100 = 0.06.", "For 350 km: 350 × 0.06 = 21."], "21", "medium"),
    ("Two numbers add up to 50 and their difference is 14. What is the larger number?",
     ["Larger + smaller = 50 and larger - smaller = 14.", "Adding: 2 × larger = 50 + 14 = 64.", "64 ÷ 2 = 32."],
     "32", "hard"),
    ("What is the mean of the first ten positive whole numbers?",
     ["1 + 10 = 11, and the ten numbers form 5 such pairs: 5 × 11 = 55.", "Mean: 55 ÷ 10 = 5.5."], "5.5", "medium"),
    ("Round 4.6 × 3.5 to one decimal place.", ["4.6 × 3.5 = 16.1.", "It already has one decimal place."], "16.1",
     "easy"),
    ("A tank holds 240 liters and is 3/8 full. How many more liters fit?",
     ["Water now: 240 × 3 ÷ 8 = 90.", "Space left: 240 - 90 = 150."], "150", "medium"),
    ("What is 2 to the power of 12?", ["Two to the 10th power is 1024.",
                                        "Two more doublings: 1024 × 4 = 4096."], "4096", "easy"),
    ("A shirt is marked up 40% from a cost of $15. What is the selling price?",
     ["Markup: 15 × 40 ÷ 100 = 6.", "Price: 15 + 6 = 21."], "21", "easy"),
    ("How many minutes are there between 10:50 and 14:05?",
     ["From 10:50 to 14:50 is 4 hours, which is 4 × 60 = 240 minutes.", "14:05 is 45 minutes before 14:50.",
      "240 - 45 = 195."], "195", "medium"),
]


def handwritten_items():
    return [Item("handwritten", d, q, list(steps), ans) for q, steps, ans, d in HANDWRITTEN]


GENERATORS = {
    "shopping": (t_shopping, 12, 3), "discount": (t_discount, 10, 3), "percent_of": (t_percent_of, 10, 3),
    "percent_change": (t_percent_change, 8, 2), "speed": (t_speed, 10, 3), "two_legs": (t_two_legs, 6, 2),
    "average": (t_average, 8, 3), "missing_score": (t_missing_score, 5, 2), "ratio": (t_ratio, 8, 3),
    "work_rate": (t_work_rate, 6, 2), "rectangle": (t_rectangle, 10, 3), "conversion": (t_conversion, 10, 3),
    "savings": (t_savings, 7, 2), "recipe": (t_recipe, 7, 2), "interest": (t_interest, 7, 2),
    "consecutive": (t_consecutive, 6, 2), "linear": (t_linear, 10, 3), "fraction_of": (t_fraction_of, 8, 2),
    "elapsed": (t_elapsed, 6, 2), "reading": (t_reading, 5, 2), "buses": (t_buses, 6, 2), "tip": (t_tip, 7, 2),
    "ages": (t_ages, 6, 2), "order_ops": (t_order_ops, 8, 3), "circle": (t_circle, 6, 2),
    "unit_price": (t_unit_price, 6, 2), "wages": (t_wages, 5, 2), "temperature": (t_temperature, 5, 2),
    "polygon": (t_polygon, 5, 2), "square_area": (t_square_from_area, 4, 1),
}
