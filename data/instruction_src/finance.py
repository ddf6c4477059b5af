"""Personal and business finance: templated problems whose answers are computed with exact fractions, and
hand-written conceptual questions graded by rubric key terms. Written for ModRoute.

Every worked step is `Label: expression = value` (exact) or `Label: expression ≈ value` (rounded to the
places shown); `^` is a whole-number power. data/validate.py re-evaluates both kinds. Where a step shows a
rounded growth factor, later steps use the rounded figure, and a problem is drawn again in the rare case
where that would move the final answer by a cent; the answer itself is always the exact value rounded
half-up to the places the question asks for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction as F

from .common import Item, pick_names
from .math_problems import num

# ----------------------------------------------------------------------------- exact arithmetic helpers
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[()+\-*/^]")


def ev(expr: str) -> F:
    """Exact value of an expression written with digits, + - × ÷ ^ and brackets."""
    text = expr.replace("×", "*").replace("÷", "/").replace("$", "").replace(" ", "")
    toks = _TOKEN.findall(text)
    if "".join(toks) != text:
        raise ValueError(f"cannot read {expr!r}")
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def atom():
        t = take()
        if t == "(":
            v = add()
            if take() != ")":
                raise ValueError(f"unbalanced brackets in {expr!r}")
            return v
        if t == "-":
            return -power()
        return F(t)

    def power():
        base = atom()
        if peek() == "^":
            take()
            sign = -1 if peek() == "-" else 1
            if sign < 0:
                take()
            exp = F(take())
            if exp.denominator != 1:
                raise ValueError("only whole-number powers")
            return base ** (sign * int(exp))
        return base

    def mul():
        v = power()
        while peek() in ("*", "/"):
            v = v * power() if take() == "*" else v / power()
        return v

    def add():
        v = mul()
        while peek() in ("+", "-"):
            v = v + mul() if take() == "+" else v - mul()
        return v

    value = add()
    if pos != len(toks):
        raise ValueError(f"trailing input in {expr!r}")
    return value


def round_half_up(x, places: int) -> F:
    scale = 10 ** places
    q = F(x) * scale
    n = math.floor(abs(q) + F(1, 2))
    return F(n if q >= 0 else -n, scale)


def fixed(x, places: int) -> str:
    """`x` rounded half-up and written with exactly `places` decimals."""
    r = round_half_up(x, places)
    if places == 0:
        return str(r.numerator)
    sign = "-" if r < 0 else ""
    whole, frac = divmod(abs(r.numerator) * 10 ** places // r.denominator, 10 ** places)
    return f"{sign}{whole}.{frac:0{places}d}"


def finite(x) -> bool:
    try:
        num(x)
        return True
    except ValueError:
        return False


def calc(label: str, expr: str, places: int = 2) -> tuple[str, F]:
    """A step and the value it shows: exact when it fits in `places` decimals, else rounded with ≈."""
    v = ev(expr)
    if finite(v) and len(num(v).partition(".")[2]) <= places:
        return f"{label}: {expr} = {num(v)}.", v
    return f"{label}: {expr} ≈ {fixed(v, places)}.", F(fixed(v, places))


def d(x) -> str:
    """A rate or amount typed as an exact decimal (0.045, 12000)."""
    return num(x)


class Redraw(Exception):
    """Rounded figures shown in the steps would not lead to the exact answer: draw new parameters."""


def settle(shown: F, exact: F, places: int) -> str:
    """The answer text; refuses when the worked steps (`shown`) disagree with the exact result."""
    want = round_half_up(exact, places)
    if F(fixed(shown, places)) != want:
        if abs(F(fixed(shown, places)) - want) <= F(1, 10 ** places):
            raise Redraw()
        raise AssertionError(f"worked steps give {shown}, exact answer {exact}")
    return fixed(exact, places)


def money(x) -> str:
    """Dollars as a question states them: $1,500 or $47.60."""
    x = F(x)
    return f"${x.numerator:,}" if x.denominator == 1 else f"${fixed(x, 2)}"


CENTS = ["Round to the nearest cent.", "Give the answer to the nearest cent.", "Round to 2 decimal places.",
         "Answer in dollars, rounded to the cent."]
ONE_DP = ["Round to one decimal place.", "Give the percentage to one decimal place.",
          "Answer as a percentage rounded to 1 decimal place."]


def _cents(rng):
    return rng.choice(CENTS)


def _one_dp(rng):
    return rng.choice(ONE_DP)


def _years(k: int) -> str:
    return f"{k} year" + ("" if k == 1 else "s")


def _period(months: int) -> str:
    if months % 12 == 0:
        y = months // 12
        return f"{y} year" + ("" if y == 1 else "s")
    return f"{months} months"


# ----------------------------------------------------------------------------- templates
def t_simple_interest(rng):
    p = rng.choice([750, 900, 1500, 2400, 3000, 4200, 5000, 6500, 8000, 12000, 15000, 20000, 2750, 9600])
    r = F(rng.choice([F(3, 2), 2, F(5, 2), 3, F(13, 4), F(7, 2), 4, F(9, 2), 5, 6, F(27, 4)]))
    months = rng.choice([6, 9, 15, 18, 30, 12, 24, 36, 48, 60, 84])
    name = pick_names(rng, 1)[0]
    ask_total = rng.random() < 0.4
    stem, held = rng.choice([
        (f"{name} lends {money(p)} to a relative at {num(r)}% simple interest per year.", "owed"),
        (f"A savings bond bought for {money(p)} pays {num(r)}% a year in simple interest.", "the bond worth"),
        (f"{name} deposits {money(p)} in an account paying simple interest of {num(r)}% per annum.",
         "in the account"),
        (f"A supplier gives a {money(p)} trade credit that accrues {num(r)}% simple interest annually.", "owed"),
    ])
    ask = (f" How much is {held} in total after {_period(months)}?" if ask_total
           else f" How much interest builds up in {_period(months)}?")
    q = stem + ask + " " + _cents(rng)
    rate = r / 100
    steps = [f"Rate as a decimal: {num(r)} ÷ 100 = {d(rate)}."]
    s, yearly = calc("Interest for one year", f"{p} × {d(rate)}")
    steps.append(s)
    if months % 12 == 0:
        s, interest = calc(f"For {months // 12} years", f"{num(yearly)} × {months // 12}")
    else:
        s, interest = calc(f"For {months} months", f"{num(yearly)} × {months} ÷ 12")
    steps.append(s)
    exact = F(p) * rate * months / 12
    shown = interest
    if ask_total:
        s, shown = calc("Total", f"{p} + {num(interest)}")
        steps.append(s)
        exact += p
    diff = "medium" if ask_total or months % 12 else "easy"
    return Item("simple_interest", diff, q, steps, settle(shown, exact, 2))


def _rate_text(annual, k):
    """The per-period rate as a step and the expression to use for it in later steps."""
    i = F(annual) / 100 / k
    if k == 1:
        return f"Yearly rate: {num(annual)} ÷ 100 = {d(i)}.", d(i)
    label = {2: "Rate per half-year", 4: "Rate per quarter", 12: "Monthly rate"}[k]
    if finite(i):
        return f"{label}: {d(F(annual) / 100)} ÷ {k} = {d(i)}.", d(i)
    return f"{label}: {d(F(annual) / 100)} ÷ {k} ≈ {fixed(i, 8)}.", f"{d(F(annual) / 100)} ÷ {k}"


def _factor_step(label, rate_expr, n):
    inner = f"(1 + {rate_expr})" if "÷" in rate_expr else d(1 + ev(rate_expr))
    expr = f"{inner}^{n}"
    v = ev(expr)
    if finite(v) and len(num(v).partition(".")[2]) <= 8:
        return f"{label}: {expr} = {num(v)}.", v
    shown = F(fixed(v, 8))
    return f"{label}: {expr} ≈ {num(shown)}.", shown


FREQ = {1: "once a year", 2: "twice a year", 4: "quarterly", 12: "monthly"}


def t_compound(rng):
    p = rng.choice([1000, 2500, 3200, 4000, 5000, 7500, 10000, 12000, 15000, 20000, 6000, 800])
    r = rng.choice([2, 3, F(7, 2), 4, F(9, 2), 5, 6, 7, 8, F(5, 2)])
    years = rng.randint(2, 12)
    k = rng.choice([1, 1, 2, 4, 12, 12])
    name = pick_names(rng, 1)[0]
    ask_interest = rng.random() < 0.35
    q = rng.choice([
        f"{name} invests {money(p)} at {num(r)}% a year, compounded {FREQ[k]}.",
        f"A {money(p)} deposit earns {num(r)}% annual interest compounded {FREQ[k]}.",
        f"{name} leaves {money(p)} in a savings account paying {num(r)}% per year with interest compounded {FREQ[k]}.",
    ])
    q += (f" How much interest has it earned after {years} years?" if ask_interest
          else f" What is the balance after {years} years?") + " " + _cents(rng)
    step_rate, rate_expr = _rate_text(r, k)
    steps = [step_rate]
    n = years * k
    if k > 1:
        steps.append(f"Number of periods: {years} × {k} = {n}.")
    s, g = _factor_step("Growth factor", rate_expr, n)
    steps.append(s)
    s, bal = calc("Balance", f"{p} × {num(g)}")
    steps.append(s)
    exact = F(p) * (1 + F(r) / 100 / k) ** n
    shown = bal
    if ask_interest:
        s, shown = calc("Interest earned", f"{num(bal)} - {p}")
        steps.append(s)
        exact -= p
    return Item("compound_interest", "hard" if k == 12 else "medium", q, steps, settle(shown, exact, 2))


LOANS = [("car loan", [8000, 12000, 15000, 18000, 22000, 26000], [2, 3, 4, 5, 6]),
         ("personal loan", [3000, 5000, 7500, 10000], [1, 2, 3, 4, 5]),
         ("student loan", [15000, 20000, 30000, 40000], [5, 10]),
         ("mortgage", [120000, 150000, 200000, 240000, 300000, 350000], [15, 20, 25, 30]),
         ("loan for new kitchen equipment", [6000, 9000, 14000, 25000], [2, 3, 4, 5]),
         ("business loan for a delivery van", [20000, 28000, 35000], [3, 4, 5, 6])]
LOAN_RATES = [3, F(7, 2), 4, F(9, 2), 5, 6, F(13, 2), 7, F(36, 5), 8, 9, F(21, 2), 12]


def _loan(rng):
    kind, principals, terms = rng.choice(LOANS)
    return kind, rng.choice(principals), rng.choice(LOAN_RATES), rng.choice(terms)


def _payment_steps(p, r, years):
    """Steps for the monthly payment; returns (steps, shown payment, exact payment)."""
    step_rate, rate_expr = _rate_text(r, 12)
    n = years * 12
    steps = [step_rate, f"Number of payments: {years} × 12 = {n}."]
    s, g = _factor_step("Growth factor", rate_expr, n)
    steps.append(s)
    steps.append("Payment = principal × monthly rate × factor ÷ (factor - 1).")
    s, pay = calc("Payment", f"{p} × {rate_expr} × {num(g)} ÷ ({num(g)} - 1)")
    steps.append(s)
    i = F(r) / 1200
    exact = F(p) * i * (1 + i) ** n / ((1 + i) ** n - 1)
    return steps, pay, exact


def t_loan_payment(rng):
    kind, p, r, years = _loan(rng)
    q = rng.choice([
        f"A {money(p)} {kind} at {num(r)}% APR is repaid monthly over {_years(years)}. What is the monthly payment?",
        f"What is the monthly payment on a {years}-year {kind} of {money(p)} at an annual rate of {num(r)}%, "
        f"compounded monthly?",
        f"{pick_names(rng, 1)[0]} takes out a {kind} of {money(p)} at {num(r)}% per year for {_years(years)}, with "
        f"equal monthly payments. How much is each payment?",
    ]) + " " + _cents(rng)
    steps, pay, exact = _payment_steps(p, r, years)
    return Item("loan_payment", "hard", q, steps, settle(pay, exact, 2))


CHANGE_THINGS = [("A share price", "went from", "{a} to {b}", True),
                 ("Monthly revenue", "moved from", "{a} to {b}", True),
                 ("A newsletter's subscriber count", "changed from", "{a} to {b}", False),
                 ("The electricity bill", "went from", "{a} last winter to {b} this winter", True),
                 ("A flat's monthly rent", "changed from", "{a} to {b}", True),
                 ("Quarterly sales", "went from", "{a} units to {b} units", False),
                 ("A fund's value", "moved from", "{a} to {b} over the year", True),
                 ("Weekly grocery spending", "changed from", "{a} to {b}", True)]


def t_percent_change(rng):
    what, verb, fmt, dollars = rng.choice(CHANGE_THINGS)
    a = rng.choice([40, 56, 64, 80, 95, 120, 150, 180, 240, 320, 450, 600, 725, 880, 1200, 1450, 2300, 3600, 5000])
    pct = F(rng.randint(-45, 60)) + F(rng.choice([0, 3, 7]), 10)
    if abs(pct) < 2:
        pct += 5
    b = round_half_up(a * (1 + pct / 100), 0 if a >= 150 or not dollars else 2)
    shown = (lambda v: money(v)) if dollars else (lambda v: f"{F(v).numerator:,}")
    q = f"{what} {verb} {fmt.format(a=shown(a), b=shown(b))}. What is the percentage change? " + _one_dp(rng) + (
        " Use a negative number for a decrease." if rng.random() < 0.6 else "")
    s1, change = calc("Change", f"{num(b)} - {a}")
    s2, pct_shown = calc("As a percentage of the start", f"{num(change)} ÷ {a} × 100", 1)
    exact = (b - a) / a * 100
    return Item("percent_change", "medium", q, [s1, s2], settle(pct_shown, exact, 1))


BUSINESSES = ["a food truck", "an online shop", "a bike repair stall", "a small bakery", "a tutoring service",
              "a print studio", "a coffee cart", "a plant nursery", "a dog-walking business", "a candle maker"]


def t_profit_margin(rng):
    biz = rng.choice(BUSINESSES)
    revenue = rng.randrange(8000, 240000, 50)
    cogs = round_half_up(revenue * F(rng.randint(25, 70), 100), 0)
    overhead = round_half_up(revenue * F(rng.randint(5, 25), 100), 0)
    net = rng.random() < 0.55
    if net:
        q = (f"Last year {biz} had revenue of {money(int(revenue))}, cost of goods sold of {money(int(cogs))} "
             f"and other "
             f"expenses of {money(int(overhead))}. What was its net profit margin? " + _one_dp(rng))
        s1, costs = calc("Total costs", f"{num(cogs)} + {num(overhead)}")
        s2, profit = calc("Net profit", f"{revenue} - {num(costs)}")
        steps = [s1, s2]
        exact = (revenue - cogs - overhead) / F(revenue) * 100
    else:
        q = (f"{biz[0].upper() + biz[1:]} sold {money(int(revenue))} of goods that cost {money(int(cogs))} to make. "
             f"What is its gross margin? " + _one_dp(rng))
        s2, profit = calc("Gross profit", f"{revenue} - {num(cogs)}")
        steps = [s2]
        exact = (revenue - cogs) / F(revenue) * 100
    s3, m = calc("Margin", f"{num(profit)} ÷ {revenue} × 100", 1)
    steps.append(s3)
    return Item("profit_margin", "medium" if net else "easy", q, steps, settle(m, exact, 1))


PRODUCTS = [("handmade mugs", "mug"), ("phone cases", "case"), ("meal kits", "kit"), ("T-shirts", "shirt"),
            ("concert tickets", "ticket"), ("jars of honey", "jar"), ("bike lights", "light"),
            ("board games", "game"), ("loaves of bread", "loaf"), ("yoga classes", "class")]


def t_break_even(rng):
    plural, single = rng.choice(PRODUCTS)
    price = F(rng.randint(6, 80)) + rng.choice([0, 0, F(1, 2), F(99, 100), F(1, 4)])
    var = round_half_up(price * F(rng.randint(30, 75), 100), 2)
    fixed_costs = rng.randrange(1500, 60000, 100)
    q = rng.choice([
        f"A studio sells {plural} for {money(price)} each. Each {single} costs {money(var)} to make, and fixed costs "
        f"are {money(fixed_costs)} a month. How many {plural} must it sell each month to break even?",
        f"Fixed costs are {money(fixed_costs)}. Each {single} sells for {money(price)} and has a variable cost of "
        f"{money(var)}. What is the break-even quantity (round up to a whole number)?",
    ])
    s1, margin = calc("Contribution per unit", f"{num(price)} - {num(var)}")
    units = F(fixed_costs) / margin
    need = math.ceil(units)
    if units.denominator == 1:
        steps = [s1, f"Break-even units: {fixed_costs} ÷ {num(margin)} = {need}."]
    else:
        s2, _ = calc("Break-even units", f"{fixed_costs} ÷ {num(margin)}")
        steps = [s1, s2, f"A part unit cannot be sold, so round up to {need}."]
    return Item("break_even", "medium", q, steps, str(need))


ASSETS = ["a block of tech shares", "a rental flat", "a vintage guitar", "an index fund", "a small franchise",
          "a batch of gold coins", "a used delivery van it later resold", "a stake in a friend's cafe"]


def t_roi(rng):
    asset = rng.choice(ASSETS)
    cost = rng.randrange(1000, 90000, 250)
    change = F(rng.randint(-30, 90), 100)
    final = round_half_up(cost * (1 + change), 0)
    income = rng.choice([0, 0, rng.randrange(100, max(200, cost // 5), 50)])
    name = pick_names(rng, 1)[0]
    q = f"{name} paid {money(int(cost))} for {asset} and sold it for {money(int(final))}"
    q += (f", collecting {money(income)} of income along the way." if income else ".")
    q += " What was the return on investment? " + _one_dp(rng)
    if income:
        s1, gain = calc("Gain", f"{num(final)} + {income} - {cost}")
    else:
        s1, gain = calc("Gain", f"{num(final)} - {cost}")
    s2, roi = calc("ROI", f"{num(gain)} ÷ {cost} × 100", 1)
    exact = (final + income - cost) / F(cost) * 100
    return Item("roi", "medium" if income else "easy", q, [s1, s2], settle(roi, exact, 1))


INFLATION_GOODS = [("a streaming plan", F(1299, 100)), ("a monthly bus pass", 85), ("a weekly shop", 140),
                   ("a used car", 16000), ("a sofa", 1100), ("a year of school fees", 9800), ("a tank of fuel", 64),
                   ("a haircut", 32), ("a cinema ticket", F(23, 2)), ("a winter holiday", 2400),
                   ("a loaf of bread", F(7, 2)), ("a new bicycle", 650)]


def t_inflation(rng):
    rate = rng.choice([2, F(5, 2), 3, F(7, 2), 4, 5, 6, F(9, 2)])
    years = rng.randint(2, 15)
    factor_expr = d(F(rate) / 100)
    future = rng.random() < 0.5
    if future:
        thing, price = rng.choice(INFLATION_GOODS)
        price = F(price) * rng.choice([1, F(9, 10), F(11, 10), F(6, 5), F(3, 4)])
        q = (f"{thing[0].upper() + thing[1:]} costs {money(price)} today. If prices rise {num(rate)}% a year, "
             f"what will it cost in {years} years? " + _cents(rng))
        s1, g = _factor_step("Price factor", factor_expr, years)
        s2, shown = calc("Future price", f"{num(price)} × {num(g)}")
        exact = F(price) * (1 + F(rate) / 100) ** years
    else:
        amount = rng.choice([1000, 5000, 10000, 25000, 50000, 100000, 2500])
        q = (f"With inflation steady at {num(rate)}% a year, what is {money(amount)} received {years} years from now "
             f"worth in today's money? " + _cents(rng))
        s1, g = _factor_step("Price factor", factor_expr, years)
        s2, shown = calc("Today's value", f"{amount} ÷ {num(g)}")
        exact = F(amount) / (1 + F(rate) / 100) ** years
    return Item("inflation", "medium", q, [s1, s2], settle(shown, exact, 2))


CURRENCIES = [("USD", "US dollars"), ("EUR", "euros"), ("GBP", "pounds"), ("JPY", "yen"), ("CAD", "Canadian dollars"),
              ("MXN", "pesos"), ("INR", "rupees"), ("CHF", "Swiss francs"), ("AUD", "Australian dollars"),
              ("SEK", "Swedish kronor")]


# Rough value of one unit in US dollars; the questions state their own (made-up) rates around these.
USD_VALUE = {"USD": F(1), "EUR": F(108, 100), "GBP": F(127, 100), "JPY": F(67, 10000), "CAD": F(73, 100),
             "MXN": F(58, 1000), "INR": F(12, 1000), "CHF": F(112, 100), "AUD": F(66, 100), "SEK": F(95, 1000)}


def t_currency(rng):
    (a, a_name), (b, b_name) = rng.sample(CURRENCIES, 2)
    rate = USD_VALUE[a] / USD_VALUE[b] * F(rng.randint(94, 106), 100)
    rate = round_half_up(rate, 2 if rate >= 10 else 3 if rate >= 1 else 4)
    amount = rng.choice([120, 250, 400, 640, 800, 1500, 2000, 75, 3200, 950]) * (100 if USD_VALUE[a] < F(1, 10) else 1)
    fee = rng.choice([0, 0, 1, F(3, 2), 2, F(5, 2), 3])
    back = rng.random() < 0.3
    if back:
        q = (f"The exchange rate is 1 {a} = {num(rate)} {b}. A hotel bill is {num(amount)} {b}. How much is that in "
             f"{a_name}? " + _cents(rng))
        s1, shown = calc(f"In {a}", f"{amount} ÷ {num(rate)}")
        return Item("currency", "easy", q, [s1], settle(shown, F(amount) / rate, 2))
    name = pick_names(rng, 1)[0]
    q = f"{name} changes {num(amount)} {a} into {b_name} at 1 {a} = {num(rate)} {b}"
    if fee:
        q += f", and the bureau keeps a {num(fee)}% fee (rounded to the cent) out of the converted amount"
    q += f". How many {b} does {name} receive? " + _cents(rng)
    s1, conv = calc("Converted", f"{amount} × {num(rate)}")
    steps = [s1]
    exact = amount * rate
    shown = conv
    if fee:
        s2, cut = calc("Fee", f"{num(conv)} × {d(F(fee) / 100)}")
        s3, shown = calc("Received", f"{num(conv)} - {num(cut)}")
        steps += [s2, s3]
        exact = exact - round_half_up(exact * F(fee) / 100, 2)
    return Item("currency", "medium" if fee else "easy", q, steps, settle(shown, exact, 2))


SPLITS = [((50, "needs"), (30, "wants"), (20, "savings")), ((60, "fixed bills"), (25, "spending"), (15, "savings")),
          ((55, "essentials"), (25, "fun"), (20, "debt repayment")),
          ((70, "living costs"), (20, "savings"), (10, "giving")),
          ((40, "housing"), (35, "other needs"), (25, "savings and investing"))]


def t_budget(rng):
    income = rng.randrange(1800, 9000, 20)
    split = rng.choice(SPLITS)
    name = pick_names(rng, 1)[0]
    k = rng.randrange(3)
    pct, label = split[k]
    rule = ", ".join(f"{p}% to {lab}" for p, lab in split)
    if rng.random() < 0.35:
        rent = rng.randrange(500, income // 2, 25)
        q = (f"{name} takes home {money(income)} a month, pays {money(rent)} rent first, and splits the rest: {rule}. "
             f"How much goes to {label} each month? Round to the nearest cent if needed.")
        s1, rest = calc("Left after rent", f"{income} - {rent}")
        s2, share = calc(f"{label[0].upper() + label[1:]}", f"{num(rest)} × {d(F(pct, 100))}")
        exact = (income - rent) * F(pct, 100)
        return Item("budget", "medium", q, [s1, s2], _plain_money(share, exact))
    q = (f"{name}'s monthly take-home pay is {money(income)}. Using a budget of {rule}, how much is set aside for "
         f"{label}? Round to the nearest cent if needed.")
    s1, share = calc(f"{label[0].upper() + label[1:]}", f"{income} × {d(F(pct, 100))}")
    return Item("budget", "easy", q, [s1], _plain_money(share, income * F(pct, 100)))


def _plain_money(shown, exact):
    """Whole dollars stay whole; anything else is written to the cent."""
    if F(exact).denominator == 1:
        if shown != exact:
            raise AssertionError("budget arithmetic")
        return str(exact.numerator)
    return settle(shown, exact, 2)


TAX_TABLES = [
    [(0, 10000, 0), (10000, 40000, 10), (40000, None, 20)],
    [(0, 12000, 0), (12000, 45000, 12), (45000, 90000, 22), (90000, None, 32)],
    [(0, 8000, 5), (8000, 30000, 15), (30000, None, 25)],
    [(0, 15000, 0), (15000, 50000, 18), (50000, None, 30)],
    [(0, 20000, 10), (20000, 60000, 20), (60000, None, 35)],
    [(0, 9500, 0), (9500, 38000, 11), (38000, 85000, 24), (85000, None, 33)],
]


def _table_text(table):
    parts = []
    for lo, hi, pct in table:
        if lo == 0:
            parts.append(f"{pct}% on the first {money(hi)}")
        elif hi is None:
            parts.append(f"{pct}% on income above {money(lo)}")
        else:
            parts.append(f"{pct}% on income from {money(lo)} to {money(hi)}")
    return "; ".join(parts)


def _tax_steps(table, income):
    """Steps band by band; returns (steps, total shown, exact total)."""
    steps, shown_parts, exact = [], [], F(0)
    for lo, hi, pct in table:
        if income <= lo:
            break
        top = income if hi is None or income < hi else hi
        width = top - lo
        if lo == 0 and pct == 0:
            steps.append(f"The first {width} is taxed at 0.")
            continue
        if lo == 0:
            s, v = calc(f"First {width}", f"{width} × {d(F(pct, 100))}")
        else:
            steps.append(f"Income from {lo} to {top}: {top} - {lo} = {width}.")
            s, v = calc(f"Tax at {pct} percent", f"{width} × {d(F(pct, 100))}")
        steps.append(s)
        shown_parts.append(v)
        exact += F(width) * pct / 100
    if len(shown_parts) > 1:
        s, total = calc("Total tax", " + ".join(num(v) for v in shown_parts))
        steps.append(s)
    else:
        total = shown_parts[0] if shown_parts else F(0)
    return steps, total, exact


def t_tax_brackets(rng):
    table = rng.choice(TAX_TABLES)
    income = rng.randrange(table[1][0] + 1000, (table[-1][0] * 3) // 2 + 20000, 250)
    name = pick_names(rng, 1)[0]
    q = (f"In a made-up tax system the rates are: {_table_text(table)}. {name} earns {money(income)} a year. "
         f"How much income tax does {name} owe? Round to the nearest cent if needed.")
    steps, shown, exact = _tax_steps(table, income)
    ans = str(exact.numerator) if exact.denominator == 1 else settle(shown, exact, 2)
    return Item("tax_brackets", "hard" if len(steps) > 4 else "medium", q, steps, ans)


EQUIPMENT = ["an espresso machine", "a delivery van", "a laptop fleet", "a 3D printer", "a commercial oven",
             "a forklift", "office furniture", "a tractor", "a dental chair", "solar panels"]


def t_depreciation(rng):
    item = rng.choice(EQUIPMENT)
    cost = rng.randrange(2000, 90000, 500)
    life = rng.choice([3, 4, 5, 6, 8, 10])
    salvage = rng.choice([s for s in (0, 0, 500, 1000, 1500, 2500, 4000) if 2 * s < cost])
    ask_book = rng.random() < 0.5
    k = rng.randint(1, life - 1)
    q = (f"A business buys {item} for {money(cost)}. It expects to use it for {life} years"
         + (f" and sell it for {money(salvage)} at the end" if salvage else " with no resale value")
         + ". Using straight-line depreciation, ")
    yearly_exact = (F(cost) - salvage) / life
    rounds = ask_book and round_half_up(yearly_exact, 2) != yearly_exact
    q += (f"what is its book value after {_years(k)}? " if ask_book else "how much is the yearly depreciation? ")
    q += "Round the yearly depreciation to the cent first." if rounds else _cents(rng)
    steps = []
    if salvage:
        s, base = calc("Amount to depreciate", f"{cost} - {salvage}")
        steps.append(s)
    else:
        base = F(cost)
    s, yearly = calc("Yearly depreciation", f"{num(base)} ÷ {life}")
    steps.append(s)
    exact = yearly_exact
    shown = yearly
    if ask_book:
        s, shown = calc(f"Book value after {_years(k)}", f"{cost} - {num(yearly)} × {k}")
        steps.append(s)
        exact = cost - round_half_up(yearly_exact, 2) * k
    return Item("depreciation", "medium" if ask_book else "easy", q, steps, settle(shown, exact, 2))


def t_dividend(rng):
    price = F(rng.randint(1500, 32000), 100)
    annual = round_half_up(price * F(rng.randint(8, 75), 1000), 2)
    quarterly = rng.random() < 0.5 and (annual * 100) % 4 == 0
    name = pick_names(rng, 1)[0]
    if rng.random() < 0.3:
        shares = rng.randrange(20, 900, 10)
        per = annual / 4 if quarterly else annual
        q = (f"{name} owns {shares} shares of a company that pays a dividend of {money(per)} per share "
             + ("every quarter" if quarterly else "once a year")
             + ". How much dividend income does that bring in per year? " + _cents(rng))
        if quarterly:
            s1, yearly = calc("Per share per year", f"{num(per)} × 4")
            s2, total = calc("Total", f"{num(yearly)} × {shares}")
            steps = [s1, s2]
        else:
            s2, total = calc("Total", f"{num(per)} × {shares}")
            steps = [s2]
        return Item("dividend", "easy", q, steps, settle(total, annual * shares, 2))
    if quarterly:
        q = (f"A stock trades at {money(price)} and pays {money(annual / 4)} per share each quarter. What is its "
             f"dividend yield? Give the percentage to 2 decimal places.")
        s1, yearly = calc("Annual dividend", f"{num(annual / 4)} × 4")
        steps = [s1]
    else:
        q = (f"A share costs {money(price)} and its annual dividend is {money(annual)}. What is the dividend yield? "
             f"Give the percentage to 2 decimal places.")
        yearly, steps = annual, []
    s2, y = calc("Yield", f"{num(yearly)} ÷ {num(price)} × 100", 2)
    steps.append(s2)
    return Item("dividend", "medium" if quarterly else "easy", q, steps, settle(y, annual / price * 100, 2))


GOODS = ["a winter coat", "a desk chair", "a pair of headphones", "a blender", "a pair of running shoes", "a tablet",
         "a set of pans", "a rain jacket", "a bookshelf", "a smartwatch"]


def t_sales_tax(rng):
    item = rng.choice(GOODS)
    price = F(rng.randint(20, 900)) + rng.choice([0, F(99, 100), F(49, 100), F(1, 2)])
    disc = rng.choice([0, 10, 15, 20, 25, 30, 40])
    tax = rng.choice([5, 6, F(13, 2), 7, F(29, 4), 8, F(17, 2), F(35, 4), 10])
    q = f"{item[0].upper() + item[1:]} is priced at {money(price)}"
    q += (f" with {disc}% off" if disc else "") + f". Sales tax of {num(tax)}% is added"
    q += (" after the discount" if disc else "") + ". What is the final price? "
    steps = []
    net = price
    if disc:
        s, net = calc("After the discount", f"{num(price)} × {d(1 - F(disc, 100))}")
        steps.append(s)
    s, t = calc("Tax", f"{num(net)} × {d(F(tax) / 100)}")
    steps.append(s)
    s, total = calc("Final price", f"{num(net)} + {num(t)}")
    steps.append(s)
    # A shop rounds each line to the cent, as the steps do; the answer follows the same rule.
    exact_net = round_half_up(price * (1 - F(disc, 100)), 2)
    exact = exact_net + round_half_up(exact_net * F(tax) / 100, 2)
    rounds = net != price * (1 - F(disc, 100)) or t != net * F(tax) / 100
    q += "Round each amount to the cent as you go." if rounds else _cents(rng)
    return Item("sales_tax", "medium" if disc else "easy", q, steps, settle(total, exact, 2))


GOALS = [("a house deposit", 15000, 60000), ("a new laptop", 900, 2500), ("a trip to Japan", 2500, 7000),
         ("an emergency fund", 3000, 15000), ("a wedding", 8000, 30000), ("a used car", 4000, 14000),
         ("a course fee", 1200, 6000), ("a new roof", 7000, 18000), ("a cargo bike", 1500, 4000),
         ("a sabbatical", 10000, 25000), ("a piano", 2000, 9000), ("a kitchen refit", 6000, 20000)]


def t_savings_goal(rng):
    what, lo, hi = rng.choice(GOALS)
    goal = rng.randrange(lo, hi, 100)
    have = rng.choice([0, 0, rng.randrange(100, goal // 2, 50)])
    per = rng.randrange(50, 1500, 25)
    if not 3 <= (goal - have) / per <= 60:
        return t_savings_goal(rng)
    name = pick_names(rng, 1)[0]
    q = f"{name} is saving for {what} that costs {money(goal)}"
    q += (f" and already has {money(have)}" if have else "")
    q += f". Saving {money(per)} a month, how many months will it take to reach the goal?"
    steps = []
    left = F(goal)
    if have:
        s, left = calc("Still needed", f"{goal} - {have}")
        steps.append(s)
    months = left / per
    need = math.ceil(months)
    if months.denominator == 1:
        steps.append(f"Months: {num(left)} ÷ {per} = {need}.")
    else:
        s, _ = calc("Months", f"{num(left)} ÷ {per}")
        steps += [s, f"A partial month still has to be saved, so it takes {need} months."]
    return Item("savings_goal", "easy" if not have else "medium", q, steps, str(need))


PAY_PERIODS = [(12, "monthly", "month"), (26, "every two weeks", "paycheck"), (52, "weekly", "week"),
               (24, "twice a month", "paycheck")]


def t_net_pay(rng):
    salary = rng.randrange(24000, 140000, 500)
    periods, how, unit = rng.choice(PAY_PERIODS)
    tax = rng.choice([12, 15, 18, 20, 22, 25])
    pension = rng.choice([0, 3, 4, 5, 6])
    insurance = rng.choice([0, 45, 60, F(1725, 100), 120])
    name = pick_names(rng, 1)[0]
    deductions = [f"{tax}% income tax"] + ([f"{pension}% to a pension"] if pension else [])
    q = (f"{name} earns {money(salary)} a year, paid {how}. Each {unit}, {' and '.join(deductions)} "
         f"{'come' if pension else 'comes'} out of the gross pay"
         + (f", plus {money(insurance)} for health insurance" if insurance else "")
         + f". What is the take-home pay per {unit}? Round each amount to the cent as you go.")
    s, gross = calc(f"Gross per {unit}", f"{salary} ÷ {periods}")
    steps = [s]
    rate = F(tax + pension, 100)
    s, cut = calc("Percentage deductions", f"{num(gross)} × {d(rate)}")
    steps.append(s)
    expr = f"{num(gross)} - {num(cut)}" + (f" - {num(insurance)}" if insurance else "")
    s, net = calc("Take-home", expr)
    steps.append(s)
    g = round_half_up(F(salary, periods), 2)
    exact = g - round_half_up(g * rate, 2) - insurance
    return Item("net_pay", "hard" if insurance else "medium", q, steps, settle(net, exact, 2))


SALES_JOBS = ["kitchen installations", "solar panels", "used cars", "insurance policies", "software licences",
              "office furniture", "holiday packages", "advertising space"]


def t_commission(rng):
    base = rng.choice([0, 1200, 1500, 1800, 2000, 2500, 3000])
    sales = rng.randrange(8000, 120000, 250)
    rate = rng.choice([2, F(5, 2), 3, 4, 5, 6, 8, 10])
    quota = rng.choice([0, 0, rng.randrange(5000, sales, 1000)])
    name = pick_names(rng, 1)[0]
    q = f"{name} sells {rng.choice(SALES_JOBS)} and earns "
    q += (f"a base of {money(base)} a month plus " if base else "")
    q += f"{num(rate)}% commission on " + (f"sales above {money(quota)}" if quota else "all sales")
    q += (f". This month {name} sold {money(sales)}. What is {name}'s pay for the month? "
          "Round to the nearest cent if needed.")
    steps = []
    over = F(sales)
    if quota:
        s, over = calc("Sales above the quota", f"{sales} - {quota}")
        steps.append(s)
    s, comm = calc("Commission", f"{num(over)} × {d(F(rate) / 100)}")
    steps.append(s)
    shown = comm
    exact = (sales - quota) * F(rate) / 100
    if base:
        s, shown = calc("Total pay", f"{base} + {num(comm)}")
        steps.append(s)
        exact += base
    ans = str(exact.numerator) if exact.denominator == 1 else settle(shown, exact, 2)
    return Item("commission", "medium" if base or quota else "easy", q, steps, ans)


# ----------------------------------------------------------------------------- held out: eval-only types
def t_loan_total_interest(rng):
    kind, p, r, years = _loan(rng)
    q = (f"A {money(p)} {kind} at {num(r)}% a year is repaid in equal monthly payments over {_years(years)}. Round the "
         f"monthly payment to the nearest cent, then find the total interest paid over the life of the loan.")
    steps, pay, exact_pay = _payment_steps(p, r, years)
    rounded = F(settle(pay, exact_pay, 2))
    n = years * 12
    s, total = calc("Total repaid", f"{num(rounded)} × {n}")
    s2, interest = calc("Interest", f"{num(total)} - {p}")
    return Item("loan_total_interest", "hard", q, steps + [s, s2], settle(interest, rounded * n - p, 2))


def t_declining_balance(rng):
    item = rng.choice(EQUIPMENT)
    cost = rng.randrange(3000, 80000, 500)
    life = rng.choice([4, 5, 8, 10])
    k = rng.randint(1, 3)
    q = (f"{item[0].upper() + item[1:]} costs {money(cost)} and has a useful life of {life} years. "
         f"With double-declining-"
         f"balance depreciation (twice the straight-line rate applied to the remaining value each year), what is its "
         f"book value after {_years(k)}? " + _cents(rng))
    rate = F(2, life)
    s1 = f"Yearly rate: 2 ÷ {life} = {num(rate)}."
    s2, v = calc(f"Book value after {_years(k)}", f"{cost} × {d(1 - rate)}^{k}")
    return Item("declining_balance", "hard", q, [s1, s2], settle(v, cost * (1 - rate) ** k, 2))


def t_pe_ratio(rng):
    shares = rng.randrange(2, 60) * 1000000
    eps = F(rng.randint(40, 900), 100)
    income = eps * shares
    price = round_half_up(eps * F(rng.randint(60, 450), 10), 2)
    q = (f"A company earned a net income of {money(int(income))} and has {shares:,} shares outstanding. Its share "
         f"price is {money(price)}. What is its price-to-earnings ratio? Round to one decimal place.")
    s1, e = calc("Earnings per share", f"{num(income)} ÷ {shares}")
    s2, pe = calc("P/E", f"{num(price)} ÷ {num(e)}", 1)
    return Item("pe_ratio", "medium", q, [s1, s2], settle(pe, price / eps, 1))


def t_tax_effective(rng):
    table = rng.choice(TAX_TABLES)
    income = rng.randrange(table[1][0] + 2000, (table[-1][0] * 3) // 2 + 20000, 500)
    q = (f"Made-up tax rates: {_table_text(table)}. What is the effective (average) tax rate on an income of "
         f"{money(income)}? Round to one decimal place.")
    steps, shown, exact = _tax_steps(table, income)
    s, rate = calc("Effective rate", f"{num(shown)} ÷ {income} × 100", 1)
    return Item("tax_effective_rate", "hard", q, steps + [s], settle(rate, exact / income * 100, 1))


def guarded(gen):
    """Draw again when the rounded figures shown would move the answer by a cent."""
    def draw(rng):
        for _ in range(50):
            try:
                return gen(rng)
            except Redraw:
                continue
        raise RuntimeError(f"{gen.__name__}: no consistent draw")
    draw.__name__ = gen.__name__
    return draw


# name: (generator, training examples, held-out items). Zero training examples = a type held out entirely.
GENERATORS = {
    "simple_interest": (guarded(t_simple_interest), 16, 3),
    "compound_interest": (guarded(t_compound), 18, 4),
    "loan_payment": (guarded(t_loan_payment), 18, 4),
    "percent_change": (guarded(t_percent_change), 15, 3),
    "profit_margin": (guarded(t_profit_margin), 15, 3),
    "break_even": (guarded(t_break_even), 14, 3),
    "roi": (guarded(t_roi), 14, 3),
    "inflation": (guarded(t_inflation), 15, 3),
    "currency": (guarded(t_currency), 15, 3),
    "budget": (guarded(t_budget), 14, 3),
    "tax_brackets": (guarded(t_tax_brackets), 16, 3),
    "depreciation": (guarded(t_depreciation), 14, 3),
    "dividend": (guarded(t_dividend), 14, 3),
    "sales_tax": (guarded(t_sales_tax), 14, 3),
    "savings_goal": (guarded(t_savings_goal), 12, 3),
    "net_pay": (guarded(t_net_pay), 14, 3),
    "commission": (guarded(t_commission), 12, 3),
    "loan_total_interest": (guarded(t_loan_total_interest), 0, 5),
    "declining_balance": (guarded(t_declining_balance), 0, 5),
    "pe_ratio": (guarded(t_pe_ratio), 0, 5),
    "tax_effective_rate": (guarded(t_tax_effective), 0, 5),
}
HELD_OUT_TYPES = [name for name, (_g, n_train, _e) in GENERATORS.items() if n_train == 0]


# ----------------------------------------------------------------------------- conceptual questions
@dataclass
class Concept:
    """A hand-written question with a short answer; `rubric` holds the key terms a good answer uses."""

    question: str
    text: str
    rubric: str
    difficulty: str = "easy"
    template: str = "concept"
    answer: str = ""

    def response(self) -> str:
        return self.text


# (question, answer, rubric key terms separated by "; ", difficulty). Each key term is a word or word stem
# (pipeline.scoring.score_rubric matches it at a word start) that a correct short answer uses; every
# training answer below contains all of its own terms, which data/validate.py checks.
CONCEPTS = [
    ("What is an index fund?",
     "An index fund is a fund that holds the same investments as a market index, such as the S&P 500, instead of "
     "having a manager pick stocks. Because it simply follows the index, its fees are usually low, and one "
     "purchase gives you broad diversification.",
     "index; market; fees; diversif", "easy"),
    ("What does diversification mean in investing?",
     "Diversification means spreading your money across many different investments, such as companies, sectors "
     "and asset types, so that one bad result does not sink the whole portfolio. It lowers risk but cannot remove "
     "it completely.",
     "spread; different; risk", "easy"),
    ("What's the difference between APR and APY?",
     "APR is the yearly interest rate without compounding. APY includes the effect of compounding within the "
     "year, so for the same rate the APY is a little higher than the APR whenever interest compounds more than "
     "once a year.",
     "compound; yearly; higher", "medium"),
    ("How does compound interest work?",
     "With compound interest you earn interest on your original deposit and also on the interest already added. "
     "Each period the balance grows a bit more than the last, so over many years the growth speeds up.",
     "interest on; balance; grow", "easy"),
    ("What is an emergency fund and how big should it be?",
     "An emergency fund is cash set aside for unexpected costs like a job loss, a car repair or a medical bill. "
     "A common target is three to six months of essential expenses, kept in an easy-to-reach savings account.",
     "unexpected; months; expenses; savings", "easy"),
    ("What is a credit score?",
     "A credit score is a number that sums up how reliably you have borrowed and repaid in the past. Lenders use "
     "it to decide whether to lend to you and at what interest rate. Paying on time and keeping balances low "
     "help raise it.",
     "lenders; repaid; interest; on time", "easy"),
    ("What's the difference between stocks and bonds?",
     "A stock is a small share of ownership in a company; its value rises and falls with the business. A bond is "
     "a loan you make to a government or company, which pays you interest and returns your money at the end. "
     "Stocks usually carry more risk and more potential return.",
     "ownership; loan; interest; risk", "easy"),
    ("Why does inflation matter for money sitting in a savings account?",
     "Inflation means prices rise over time, so each dollar buys less. If your savings earn less interest than "
     "the inflation rate, your money loses purchasing power even though the balance goes up.",
     "prices; buys less; interest; purchasing power", "easy"),
    ("What is a 401(k)?",
     "A 401(k) is a workplace retirement account in the US. You contribute part of each paycheck, often before "
     "tax, and many employers add a matching contribution. The money is invested and is meant to be used after "
     "you retire.",
     "retirement; employer; paycheck; invested", "easy"),
    ("What's the difference between a Roth and a traditional retirement account?",
     "With a traditional account you usually get a tax break now and pay tax when you withdraw in retirement. "
     "With a Roth account you pay tax on the money now, and qualified withdrawals later are tax-free.",
     "tax; now; withdraw; retirement", "medium"),
    ("What is net worth?",
     "Net worth is everything you own minus everything you owe. Add up assets like savings, investments and the "
     "value of your home, then subtract debts like loans and credit card balances.",
     "own; owe; assets; debts", "easy"),
    ("What does liquidity mean?",
     "Liquidity is how quickly and cheaply something can be turned into cash without losing value. A savings "
     "account is very liquid; a house or a collectible is not, because selling it takes time and costs money.",
     "cash; quickly; value", "easy"),
    ("What is a dividend?",
     "A dividend is a payment a company makes to its shareholders out of its profits, usually in cash and often "
     "every quarter. Not every company pays one; many growing firms reinvest their profits instead.",
     "payment; shareholders; profits", "easy"),
    ("What do bull market and bear market mean?",
     "A bull market is a long stretch when prices are rising and investors are optimistic. A bear market is a "
     "period of falling prices, often defined as a drop of 20% or more from a recent high.",
     "rising; falling; prices", "easy"),
    ("What is an ETF?",
     "An ETF, or exchange-traded fund, is a basket of investments that trades on a stock exchange like a single "
     "share. Many ETFs track an index, so they offer diversification and low fees, and you can buy or sell them "
     "during the trading day.",
     "exchange; trade; index; fees", "easy"),
    ("What is dollar-cost averaging?",
     "Dollar-cost averaging means investing the same amount at regular intervals, for example every month, "
     "whatever the price. You buy more shares when prices are low and fewer when they are high, and you avoid "
     "trying to time the market.",
     "same amount; regular; price; time the market", "medium"),
    ("What is a mortgage?",
     "A mortgage is a long-term loan used to buy property, with the home itself as security. You repay it in "
     "monthly payments of interest and principal, and the lender can take the home if you stop paying.",
     "loan; property; monthly; interest", "easy"),
    ("Should I choose a fixed or a variable interest rate?",
     "A fixed rate stays the same for the agreed term, so your payments are predictable. A variable rate moves "
     "with market rates: it can start lower but may rise. Choose fixed if you value certainty, variable if you "
     "can handle higher payments later.",
     "fixed; variable; payments; rise", "medium"),
    ("What does amortization mean for a loan?",
     "Amortization is paying off a loan with regular equal payments over a set term. Early payments are mostly "
     "interest; as the balance shrinks, more of each payment goes to the principal, until the loan is repaid.",
     "payments; interest; principal; balance", "medium"),
    ("What is home equity?",
     "Home equity is the part of your home you actually own: its market value minus what you still owe on the "
     "mortgage. It grows as you pay down the loan and as the home's value rises.",
     "value; owe; mortgage", "easy"),
    ("What is a capital gain?",
     "A capital gain is the profit when you sell an asset, such as shares or property, for more than you paid. "
     "If you sell for less, it is a capital loss. Many countries tax gains, sometimes at a lower rate for assets "
     "held a long time.",
     "profit; sell; more than; tax", "easy"),
    ("What is a balance sheet?",
     "A balance sheet shows what a business owns (assets), what it owes (liabilities) and the owners' equity at "
     "one point in time. Assets always equal liabilities plus equity.",
     "assets; liabilities; equity", "medium"),
    ("What does an income statement show?",
     "An income statement, or profit and loss statement, shows a business's revenue, its expenses and the "
     "resulting profit or loss over a period such as a quarter or a year.",
     "revenue; expenses; profit; period", "medium"),
    ("What is cash flow?",
     "Cash flow is the money moving into and out of a business or household over a period. Positive cash flow "
     "means more comes in than goes out. A profitable company can still fail if it runs out of cash to pay its "
     "bills.",
     "money; in; out; bills", "easy"),
    ("What's the difference between gross and net income?",
     "Gross income is what you earn before anything is taken out. Net income is what is left after taxes and "
     "other deductions; for a paycheck it is your take-home pay.",
     "before; after; taxes; deductions", "easy"),
    ("What is depreciation in accounting?",
     "Depreciation spreads the cost of a long-lived asset, like a machine or a vehicle, over the years it is "
     "used. Each year part of the cost is recorded as an expense, and the asset's book value falls.",
     "cost; asset; years; expense", "medium"),
    ("What is a profit margin?",
     "A profit margin is profit as a percentage of revenue. A 20% margin means the business keeps 20 cents of "
     "every dollar of sales after costs. Gross margin counts only the cost of the goods; net margin counts all "
     "expenses.",
     "profit; percentage; revenue; costs", "easy"),
    ("What is a break-even point?",
     "The break-even point is the sales level where revenue exactly covers all costs, so profit is zero. It is "
     "found by dividing fixed costs by the amount each unit contributes: its price minus its variable cost.",
     "revenue; costs; fixed; variable", "medium"),
    ("What is working capital?",
     "Working capital is current assets minus current liabilities: the cash, stock and money owed to a business, "
     "less the bills it must pay within a year. Positive working capital means it can cover its short-term "
     "obligations.",
     "current assets; liabilities; short-term", "medium"),
    ("What is credit utilization?",
     "Credit utilization is the share of your available credit that you are using, such as a $1,000 balance on "
     "a $5,000 limit, which is 20%. Keeping it low, often under 30%, helps your credit score.",
     "available credit; balance; limit; credit score", "medium"),
    ("Why is paying only the minimum on a credit card a bad idea?",
     "The minimum payment barely covers the interest, so the balance shrinks very slowly. With card rates often "
     "above 20%, paying only the minimum can take years and cost far more in interest than the original "
     "purchase.",
     "interest; balance; years; cost", "easy"),
    ("What is a certificate of deposit?",
     "A certificate of deposit (CD) is a bank deposit that pays a fixed interest rate for a set term, such as one "
     "year. In return you agree to leave the money alone; withdrawing early usually costs a penalty.",
     "fixed; interest; term; penalty", "easy"),
    ("What is risk tolerance?",
     "Risk tolerance is how much ups and downs in your investments you can accept, both financially and "
     "emotionally. It depends on your goals, your age and how soon you need the money, and it guides how much "
     "you put in stocks versus safer assets.",
     "ups and downs; goals; need the money; stocks", "easy"),
    ("What is asset allocation?",
     "Asset allocation is how you divide your investments between categories such as stocks, bonds and cash. "
     "It is the main driver of both risk and return, and it usually becomes more conservative as a goal gets "
     "closer.",
     "stocks; bonds; cash; risk", "medium"),
    ("What does rebalancing a portfolio mean?",
     "Rebalancing means bringing your investments back to your target mix. If stocks grow from 60% to 70% of "
     "the portfolio, you sell some stocks or buy more bonds to return to 60%, which keeps your risk where you "
     "planned.",
     "target; mix; sell; risk", "medium"),
    ("What is an expense ratio?",
     "An expense ratio is the yearly fee a fund charges, shown as a percentage of what you have invested. A 0.5% "
     "ratio costs $5 a year for every $1,000. Lower ratios leave more of the return for you.",
     "yearly; fee; percentage; fund", "easy"),
    ("What's the difference between a market order and a limit order?",
     "A market order buys or sells right away at the best price available. A limit order only trades at your "
     "chosen price or better, so you control the price but the order may never be filled.",
     "right away; price; limit; filled", "medium"),
    ("What is a recession?",
     "A recession is a broad fall in economic activity that lasts months, with lower output and spending and "
     "rising unemployment. A common rule of thumb is two quarters in a row of shrinking GDP.",
     "economic; unemployment; GDP; months", "easy"),
    ("What's the difference between a tax deduction and a tax credit?",
     "A tax deduction lowers the income you are taxed on, so it saves you your tax rate times the deduction. A "
     "tax credit cuts the tax bill itself dollar for dollar, which makes a credit of the same size worth more.",
     "income; taxed; bill; dollar for dollar", "medium"),
    ("What is a marginal tax rate?",
     "Your marginal tax rate is the rate paid on your next dollar of income, the rate of the highest bracket you "
     "reach. Income in lower brackets is still taxed at the lower rates, so moving into a higher bracket never "
     "taxes all of your income at the new rate.",
     "next dollar; bracket; income; lower", "medium"),
    ("Why do bond prices fall when interest rates rise?",
     "An existing bond pays a fixed coupon. When new bonds offer higher rates, the old bond's lower payments are "
     "less attractive, so its price drops until its yield matches the market.",
     "fixed; higher rates; price; yield", "hard"),
    ("What is opportunity cost?",
     "Opportunity cost is the value of the best thing you give up when you choose something else. Spending "
     "$2,000 on a holiday has the opportunity cost of what that money could have earned if it had been invested.",
     "give up; choose; value", "easy"),
    ("What is a sinking fund?",
     "A sinking fund is money you set aside bit by bit for a known future cost, like car insurance, a holiday or "
     "new tyres. Saving monthly means the bill does not come as a shock.",
     "set aside; future; cost; monthly", "easy"),
    ("What is the rule of 72?",
     "The rule of 72 is a quick estimate of how long money takes to double: divide 72 by the yearly growth rate "
     "in percent. At 6% a year, money doubles in about 72 ÷ 6 = 12 years.",
     "double; divide; rate; years", "easy"),
    ("What is a high-yield savings account?",
     "A high-yield savings account is a savings account, often at an online bank, that pays a noticeably higher "
     "interest rate than a standard one. The money stays easy to access and is usually protected by deposit "
     "insurance.",
     "savings; higher; interest; access", "easy"),
    ("What is an overdraft?",
     "An overdraft happens when you spend more than is in your bank account and the bank covers the difference. "
     "It is a short-term loan, and banks usually charge fees or high interest for it.",
     "more than; account; fees; loan", "easy"),
    ("What does a co-signer do on a loan?",
     "A co-signer agrees to repay a loan if the main borrower does not. It can help someone with little credit "
     "history get approved, but the co-signer's own credit is on the line if payments are missed.",
     "repay; borrower; credit; payments", "easy"),
    ("What is a debt-to-income ratio?",
     "Debt-to-income ratio is your monthly debt payments divided by your gross monthly income. Lenders use it to "
     "judge whether you can take on a new loan; many prefer it below about 36%.",
     "monthly; debt payments; income; lenders", "medium"),
    ("What's the difference between the debt avalanche and debt snowball methods?",
     "Both pay minimums on every debt and put extra money toward one. The avalanche targets the highest interest "
     "rate first, which saves the most interest. The snowball targets the smallest balance first, which gives "
     "quick wins that keep you motivated.",
     "highest interest; smallest balance; extra; minimum", "medium"),
    ("What is an annuity?",
     "An annuity is a contract, usually with an insurance company, where you pay a lump sum or a series of "
     "payments and in return receive regular income, often for the rest of your life.",
     "contract; insurance; regular income; payments", "medium"),
    ("What is an insurance deductible?",
     "A deductible is the amount you pay yourself on a claim before the insurance starts paying. With a $500 "
     "deductible and a $2,000 repair, you pay $500 and the insurer pays $1,500. A higher deductible usually "
     "means a lower premium.",
     "pay; claim; before; premium", "easy"),
    ("What is an insurance premium?",
     "A premium is the price you pay for an insurance policy, usually monthly or yearly. You pay it whether or "
     "not you make a claim; in return the insurer covers losses described in the policy.",
     "price; policy; monthly; claim", "easy"),
    ("What happens in a stock split?",
     "In a stock split a company divides each share into several, for example two for one. You end up with more "
     "shares at a lower price each, but the total value of your holding does not change.",
     "shares; price; total value", "medium"),
    ("What is market capitalization?",
     "Market capitalization is the total value the market puts on a company: the share price times the number "
     "of shares outstanding. It is used to group companies as small, mid or large cap.",
     "share price; number of shares; total value", "easy"),
    ("What are accounts receivable?",
     "Accounts receivable is money customers owe a business for goods or services already delivered but not "
     "yet paid for. It appears as a current asset on the balance sheet.",
     "customers; owe; asset; paid", "medium"),
    ("What is a line of credit?",
     "A line of credit lets you borrow up to a set limit whenever you need to, repay it and borrow again. You pay "
     "interest only on the amount you have actually drawn, not on the full limit.",
     "borrow; limit; interest; repay", "easy"),
    ("What's the difference between revenue and profit?",
     "Revenue is all the money a business brings in from sales. Profit is what is left after subtracting its "
     "costs and expenses. A company can have high revenue and still make a loss.",
     "sales; costs; expenses; left", "easy"),
    ("What does 'pay yourself first' mean?",
     "Pay yourself first means moving money into savings or investments as soon as you are paid, before spending "
     "on anything else. Automating the transfer makes saving a habit instead of whatever is left at the end of "
     "the month.",
     "savings; paid; before; automat", "easy"),
    ("What is a fiduciary financial adviser?",
     "A fiduciary adviser is legally required to act in your best interest, putting your needs ahead of their "
     "own commissions. It is worth asking an adviser whether they are a fiduciary and how they are paid.",
     "best interest; legally; commissions; paid", "medium"),
    ("What is a blue-chip stock?",
     "A blue-chip stock is a share in a large, well-established company with a long record of stable earnings, "
     "and often of paying dividends. Such stocks are seen as relatively reliable, though they can still fall.",
     "large; established; stable; dividends", "easy"),
    ("What is compound growth versus simple growth in savings?",
     "Simple growth adds interest only on the original amount, so the balance rises by the same sum each year. "
     "Compound growth adds interest on the interest too, so each year's gain is larger than the last.",
     "original; interest on the interest; same; larger", "easy"),
    ("What is a budget surplus for a household?",
     "A household has a surplus when its income for the month is larger than its spending. The extra money can "
     "go to savings, investing or paying down debt; the opposite, spending more than you earn, is a deficit.",
     "income; spending; savings; deficit", "easy"),
    # --- held out for evaluation (never in training): the last HANDWRITTEN_EVAL entries
    ("What does a price-to-earnings ratio tell an investor?",
     "The P/E ratio is the share price divided by earnings per share. It shows how much investors pay for each "
     "dollar of profit: a high P/E suggests they expect strong growth, a low one may mean the stock is cheap or "
     "troubled.",
     "share price; earnings; profit; growth", "medium"),
    ("What is an exchange rate?",
     "An exchange rate is the price of one currency in terms of another, such as how many euros one dollar buys. "
     "Rates move with trade, interest rates and demand for each currency.",
     "currency; price; another; buys", "easy"),
    ("What is a money market account?",
     "A money market account is a bank deposit account that pays interest, usually more than basic savings, and "
     "may allow a few checks or transfers each month. It is low risk and easy to access.",
     "deposit; interest; savings; access", "easy"),
    ("What is a Ponzi scheme?",
     "A Ponzi scheme is a fraud that pays earlier investors with money from newer investors instead of real "
     "profits. It collapses when new money stops coming in. Promised high returns with no risk are a warning sign.",
     "fraud; earlier investors; newer investors; collapse", "easy"),
    ("What's the difference between saving and investing?",
     "Saving keeps money safe and available, usually in a bank account, for short-term needs. Investing buys "
     "assets such as stocks or funds that can grow more over the long term but can also lose value.",
     "safe; short-term; grow; lose value", "easy"),
    ("Why does it help to start saving for retirement early?",
     "Money invested early has more years to compound, so returns earn returns of their own. Small amounts saved "
     "in your twenties can end up worth more than larger amounts started decades later.",
     "compound; years; returns; early", "easy"),
    ("What is an IPO?",
     "An IPO, or initial public offering, is the first time a private company sells its shares to the public on "
     "a stock exchange. It raises money for the company and lets anyone buy a stake.",
     "first; public; shares; exchange", "easy"),
    ("How is a mutual fund different from buying individual stocks?",
     "A mutual fund pools money from many investors and a manager buys a spread of stocks or bonds, so one share "
     "gives you diversification. Buying individual stocks puts more risk on each company you choose.",
     "pools; investors; diversification; risk", "medium"),
    ("What is short selling?",
     "Short selling means borrowing shares, selling them and hoping to buy them back later at a lower price. The "
     "profit is the price drop; if the price rises instead, the losses can be very large.",
     "borrow; sell; lower price; losses", "hard"),
    ("What is collateral?",
     "Collateral is an asset a borrower pledges to secure a loan, such as a house or a car. If the loan is not "
     "repaid, the lender can take the collateral to recover its money.",
     "asset; secure; loan; lender", "easy"),
    ("What is a grace period on a credit card?",
     "The grace period is the time between the end of a billing cycle and the payment due date. If you pay the "
     "full balance within it, you are charged no interest on new purchases.",
     "billing; due date; full balance; interest", "medium"),
    ("What's the difference between fixed and variable expenses?",
     "Fixed expenses stay the same each month, like rent or a loan payment. Variable expenses change with how "
     "much you use or buy, like groceries, fuel or eating out, and are the easiest to cut.",
     "same; rent; change; groceries", "easy"),
    ("What is stagflation?",
     "Stagflation is slow or shrinking economic growth combined with high inflation and high unemployment. It is "
     "hard to fight because raising rates to curb inflation can slow the economy further.",
     "growth; inflation; unemployment", "hard"),
    ("What is a target-date fund?",
     "A target-date fund is a fund built around a retirement year. It holds mostly stocks while that date is far "
     "away and shifts toward bonds and cash as it gets closer, rebalancing automatically.",
     "retirement; stocks; bonds; automatic", "medium"),
    ("What does an audit of a company's accounts involve?",
     "In an audit an independent accountant checks a company's financial statements and records to confirm "
     "they are accurate and follow accounting rules. The auditor then gives an opinion on them.",
     "independent; financial statements; accurate; rules", "medium"),
    ("What is the difference between markup and margin?",
     "Markup is profit as a percentage of cost; margin is profit as a percentage of the selling price. An item "
     "that costs $80 and sells for $100 has a 25% markup but a 20% margin.",
     "cost; selling price; percentage; profit", "medium"),
    ("What is a credit report?",
     "A credit report is a record of your borrowing history: your accounts, balances, payment history and any "
     "defaults. Lenders read it, and your credit score is calculated from it. You can check it for errors.",
     "borrowing; payment history; lenders; score", "easy"),
    ("What does it mean to live paycheck to paycheck?",
     "Living paycheck to paycheck means each pay is used up before the next arrives, leaving no savings. Any "
     "surprise cost then has to go on credit, so building even a small buffer helps.",
     "savings; next; credit; buffer", "easy"),
]
HANDWRITTEN_EVAL = 18  # the last N conceptual questions are held out for evaluation


def concept_items() -> list[Concept]:
    return [Concept(q, a, rubric, diff) for q, a, rubric, diff in CONCEPTS]
