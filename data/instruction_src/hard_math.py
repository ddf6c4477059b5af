"""Competition-style problems with computed answers, written for ModRoute: number theory, counting,
sequences and series, algebra, probability with exact fractions, and geometry with integer answers.

Every generator computes its answer by the method its worked solution shows and checks it against a
second, independent computation (brute-force enumeration, direct simulation or substitution) before the
item is returned, so a wrong formula fails the build instead of reaching the data. Solutions are 3-8 short
steps ending in `Answer: N`, where N is an integer or a reduced fraction `p/q`. Arithmetic that stands on
its own is written as `expression = value`, which data/validate.py re-evaluates exactly.

Types in EVAL_ONLY_GENERATORS are never used in training; they test whether the modifier generalises to
problem types it has not seen.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction as F

from .common import Item, pick_names


class CheckFailed(AssertionError):
    pass


def check(ok: bool, what: str) -> None:
    """The second computation must agree with the worked solution's."""
    if not ok:
        raise CheckFailed(what)


def frac(x) -> str:
    x = F(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def comb(n, k):
    return math.comb(n, k)


def _item(template, difficulty, q, steps, answer) -> Item:
    return Item(template, difficulty, q, steps, frac(answer))


ASK = ["", "", "", "Find ", "Compute ", "Determine "]


def _lead(rng, question: str) -> str:
    """Optionally turns 'What is the X?' into 'Find the X.' for variety."""
    lead = rng.choice(ASK)
    if lead and question.startswith("What is "):
        return lead + question[len("What is "):].rstrip("?") + "."
    return question


# ----------------------------------------------------------------------------- number theory
def g_gcd_lcm(rng):
    g = rng.choice([6, 8, 9, 12, 14, 15, 18, 21, 24, 28, 36])
    a0, b0 = rng.sample([2, 3, 5, 7, 11, 13, 4, 9, 8, 17], 2)
    if math.gcd(a0, b0) != 1:
        return g_gcd_lcm(rng)
    a, b = max(a0, b0) * g, min(a0, b0) * g
    kind = rng.choice(["gcd", "lcm", "other"])
    steps, x, y = [], a, b
    while y:
        q, r = divmod(x, y)
        steps.append(f"{x} = {q} × {y} + {r}.")
        x, y = y, r
    check(x == math.gcd(a, b) == g, "euclid")
    if kind == "gcd":
        q = f"What is the greatest common divisor of {a} and {b}?"
        steps.append(f"The last nonzero remainder is {g}, so gcd({a}, {b}) is {g}.")
        return _item("gcd_lcm", "medium", _lead(rng, q), steps, g)
    lcm = a * b // g
    check(lcm == math.lcm(a, b) and all(lcm % d == 0 for d in (a, b)), "lcm")
    if kind == "lcm":
        q = f"What is the least common multiple of {a} and {b}?"
        steps.append(f"The gcd is {g}, and lcm = product ÷ gcd: {a} × {b} ÷ {g} = {lcm}.")
        return _item("gcd_lcm", "medium", _lead(rng, q), steps, lcm)
    q = (f"Two positive integers have greatest common divisor {g} and least common multiple {lcm}. One of them "
         f"is {a}. What is the other?")
    steps = ["For any two positive integers, gcd × lcm equals their product.",
             f"Product: {g} × {lcm} = {g * lcm}.", f"Other number: {g * lcm} ÷ {a} = {b}."]
    check(math.gcd(a, b) == g and math.lcm(a, b) == lcm, "other number")
    return _item("gcd_lcm", "hard", q, steps, b)


def _cycle(a, m):
    """Residues of a^1, a^2, ... mod m up to the first power that is 1 (a coprime to m)."""
    seen, k, v = [], 1, a % m
    while True:
        seen.append(v)
        if v == 1:
            return seen
        v = v * a % m
        k += 1


def g_mod_power(rng):
    m = rng.choice([5, 7, 9, 11, 13, 8])
    a = rng.randint(2, 12)
    if math.gcd(a, m) != 1 or a % m in (0, 1):
        return g_mod_power(rng)
    cyc = _cycle(a, m)
    if len(cyc) > 6:
        return g_mod_power(rng)
    n = rng.randint(40, 2100)
    k = len(cyc)
    q_, r = divmod(n, k)
    ans = pow(a, n, m)
    check(ans == (cyc[r - 1] if r else 1), "cycle")
    q = rng.choice([f"What is the remainder when {a}^{n} is divided by {m}?",
                    f"Find {a}^{n} mod {m}.", f"What is the remainder of {a} to the power {n} on division by {m}?"])
    steps = ["Powers of " + str(a) + f" mod {m}: " + ", ".join(f"{a}^{i} ≡ {v}" for i, v in enumerate(cyc, 1)) + ".",
             f"So the remainders repeat every {k} powers."]
    if r:
        steps += [f"{n} = {k} × {q_} + {r}.", f"So {a}^{n} ≡ {a}^{r} ≡ {ans} (mod {m})."]
    else:
        steps += [f"{n} = {k} × {q_}, a whole number of cycles.", f"So {a}^{n} ≡ 1 (mod {m})."]
    return _item("mod_power", "hard", q, steps, ans)


def g_units_digit(rng):
    base = rng.randint(12, 3000)
    if base % 10 in (0, 1, 5, 6):
        return g_units_digit(rng)
    n = rng.randint(20, 3000)
    d = base % 10
    cyc = [pow(d, i, 10) for i in range(1, 5)]
    r = n % 4
    ans = cyc[r - 1] if r else cyc[3]
    check(ans == pow(base, n, 10), "units digit")
    q = rng.choice([f"What is the units digit of {base}^{n}?", f"Find the last digit of {base}^{n}.",
                    f"What is the ones digit of {base} raised to the power {n}?"])
    steps = [f"Only the last digit of the base matters: {d}.",
             f"Last digits of powers of {d}: " + ", ".join(map(str, cyc)) + ", repeating every 4.",
             f"{n} = 4 × {n // 4} + {r}." if r else f"{n} = 4 × {n // 4}, a multiple of 4.",
             f"So the units digit is the {['4th', '1st', '2nd', '3rd'][r]} in the cycle: {ans}."]
    return _item("units_digit", "medium", q, steps, ans)


def g_digit_sum(rng):
    kind = rng.choice(["power_minus", "smallest", "mod9"])
    if kind == "power_minus":
        n = rng.randint(8, 60)
        k = rng.randint(2, 999)
        value = 10 ** n - k
        ans = sum(map(int, str(value)))
        kd = len(str(k))
        tail = str(10 ** kd - k).zfill(kd)
        check(ans == 9 * (n - kd) + sum(map(int, tail)), "digit sum pattern")
        q = f"What is the sum of the digits of 10^{n} - {k}?"
        steps = [f"10^{n} - {k} = (10^{n} - 10^{kd}) + (10^{kd} - {k}).",
                 f"10^{n} - 10^{kd} is {n - kd} nines followed by {kd} zeros, and 10^{kd} - {k} = {int(tail)}.",
                 f"So the number is {n - kd} nines followed by {tail}.",
                 f"Digit sum: 9 × {n - kd} + {' + '.join(tail)} = {ans}."]
        return _item("digit_sum", "hard", q, steps, ans)
    if kind == "smallest":
        s = rng.randint(19, 44)
        nines, lead = divmod(s, 9)
        ans = int(str(lead) + "9" * nines) if lead else int("9" * nines)
        check(ans == next(x for x in itertools.count(1) if sum(map(int, str(x))) == s), "smallest digit sum")
        q = f"What is the smallest positive integer whose digits add up to {s}?"
        steps = ["Fewer digits make a smaller number, and each digit is at most 9.",
                 f"{s} = 9 × {nines} + {lead}, so at least {nines + (1 if lead else 0)} digits are needed.",
                 (f"Put the smallest digit first: {lead} followed by {nines} nines." if lead else
                  f"All {nines} digits must be 9."), f"Check: {' + '.join(str(ans))} = {s}."]
        return _item("digit_sum", "medium", q, steps, ans)
    digits = [rng.randint(1, 9) for _ in range(rng.randint(9, 14))]
    number = int("".join(map(str, digits)))
    total = sum(digits)
    ans = number % 9
    check(ans == total % 9, "mod 9")
    q = f"What is the remainder when {number} is divided by 9?"
    steps = ["A number leaves the same remainder mod 9 as the sum of its digits.",
             f"Digit sum: {' + '.join(map(str, digits))} = {total}.",
             f"{total} = 9 × {total // 9} + {total % 9}."]
    return _item("digit_sum", "medium", q, steps, ans)


def g_divisible_count(rng):
    a, b = rng.sample([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15], 2)
    n = rng.choice([100, 200, 250, 300, 500, 600, 1000, 1200, 2000, 2024, 999])
    lcm = math.lcm(a, b)
    na, nb, nab = n // a, n // b, n // lcm
    kind = rng.choice(["or", "neither", "a_not_b"])
    nums = range(1, n + 1)
    steps = [f"Multiples of {a} up to {n}: {na} (since {a} × {na} = {a * na}).",
             f"Multiples of {b}: {nb} (since {b} × {nb} = {b * nb}).",
             f"Multiples of both are multiples of lcm({a}, {b}) = {lcm}: {nab}" +
             (f" (since {lcm} × {nab} = {lcm * nab})." if nab else ".")]
    if kind == "or":
        ans = na + nb - nab
        check(ans == sum(1 for x in nums if x % a == 0 or x % b == 0), "or")
        q = f"How many integers from 1 to {n} are divisible by {a} or {b}?"
        steps.append(f"Inclusion-exclusion: {na} + {nb} - {nab} = {ans}.")
    elif kind == "neither":
        ans = n - (na + nb - nab)
        check(ans == sum(1 for x in nums if x % a and x % b), "neither")
        q = f"How many integers from 1 to {n} are divisible by neither {a} nor {b}?"
        steps.append(f"Divisible by at least one: {na} + {nb} - {nab} = {na + nb - nab}.")
        steps.append(f"Neither: {n} - {na + nb - nab} = {ans}.")
    else:
        ans = na - nab
        check(ans == sum(1 for x in nums if x % a == 0 and x % b), "a not b")
        q = f"How many integers from 1 to {n} are divisible by {a} but not by {b}?"
        steps = steps[:1] + steps[2:] + [f"Remove those: {na} - {nab} = {ans}."]
    return _item("divisible_count", "hard", q, steps, ans)


def _factor(n):
    out, p = {}, 2
    while p * p <= n:
        while n % p == 0:
            out[p] = out.get(p, 0) + 1
            n //= p
        p += 1
    if n > 1:
        out[n] = out.get(n, 0) + 1
    return out


def _pf(f):
    return " × ".join(f"{p}^{e}" if e > 1 else str(p) for p, e in f.items())


def g_num_divisors(rng):
    primes = rng.sample([2, 3, 5, 7, 11], rng.choice([2, 3]))
    n = 1
    for p in sorted(primes):
        n *= p ** rng.randint(1, 4 if p <= 3 else 2)
    if n > 20000 or n < 60:
        return g_num_divisors(rng)
    f = _factor(n)
    kind = rng.choice(["all", "all", "even"]) if 2 in f else "all"
    counts = [e + 1 for e in f.values()]
    if kind == "all":
        ans = math.prod(counts)
        check(ans == sum(1 for d in range(1, n + 1) if n % d == 0), "divisors")
        q = rng.choice([f"How many positive divisors does {n} have?", f"How many positive integers divide {n}?"])
        steps = [f"Prime factorisation: {n} = {_pf(f)}.",
                 "A divisor picks each prime's exponent from 0 up to its exponent in " + str(n) + ".",
                 f"Number of choices: {' × '.join(map(str, counts))} = {ans}."]
        return _item("num_divisors", "medium", q, steps, ans)
    odd = [e + 1 for p, e in f.items() if p != 2]
    ans = f[2] * math.prod(odd)
    check(ans == sum(1 for d in range(2, n + 1, 2) if n % d == 0), "even divisors")
    q = f"How many positive even divisors does {n} have?"
    steps = [f"Prime factorisation: {n} = {_pf(f)}.",
             f"An even divisor uses 2 at least once: {f[2]} choices for the power of 2 (1 to {f[2]}).",
             "The other primes can take any exponent from 0 up.",
             f"Count: {' × '.join(map(str, [f[2]] + odd))} = {ans}."]
    return _item("num_divisors", "hard", q, steps, ans)


def g_trailing_zeros(rng):
    n = rng.randint(26, 400)
    parts, p = [], 5
    while p <= n:
        parts.append((p, n // p))
        p *= 5
    ans = sum(c for _, c in parts)
    s = str(math.factorial(n))
    check(ans == len(s) - len(s.rstrip("0")), "trailing zeros")
    q = rng.choice([f"How many zeros are at the end of {n}!?", f"How many trailing zeros does {n}! have?",
                    f"When {n}! is written out in full, how many zeros does it end with?"])
    steps = ["Each trailing zero needs a factor 10 = 2 × 5, and factors of 2 are plentiful, so count the 5s.",
             *[f"Multiples of {p} up to {n}: {c}." for p, c in parts],
             f"Total factors of 5: {' + '.join(str(c) for _, c in parts)} = {ans}." if len(parts) > 1 else
             f"Total factors of 5: {ans}."]
    return _item("trailing_zeros", "medium", q, steps, ans)


def g_crt(rng):
    """Eval only."""
    mods = rng.choice([(3, 5, 7), (2, 3, 5), (3, 4, 5), (4, 5, 7), (3, 5, 8), (5, 7, 9), (2, 5, 9)])
    rems = [rng.randrange(1, m) if m > 2 else 1 for m in mods]
    M = math.prod(mods)
    ans = next(x for x in range(1, M + 1) if all(x % m == r for m, r in zip(mods, rems, strict=True)))
    m1, m2, m3 = mods
    r1, r2, r3 = rems
    first = [x for x in range(r3, m2 * m3 + 1, m3) if x % m2 == r2 and x > 0][0]
    check(all(ans % m == r for m, r in zip(mods, rems, strict=True)) and ans <= M, "crt")
    q = (f"What is the smallest positive integer that leaves remainder {r1} when divided by {m1}, remainder {r2} "
         f"when divided by {m2}, and remainder {r3} when divided by {m3}?")
    cands = [first + i * m2 * m3 for i in range(m1)]
    steps = [f"Numbers that are {r3} mod {m3}: {r3}, {r3 + m3}, {r3 + 2 * m3}, ...; the first that is {r2} mod {m2} "
             f"is {first}.",
             f"All solutions of the last two conditions are {first} plus multiples of {m2} × {m3} = {m2 * m3}.",
             "Candidates: " + ", ".join(map(str, cands)) + ".",
             f"The first that is {r1} mod {m1} is {ans}."]
    check(ans in cands, "crt candidates")
    return _item("crt", "hard", q, steps, ans)


# ----------------------------------------------------------------------------- counting
WORDS = ["BANANA", "LETTER", "PEPPER", "COOKIE", "BALLOON", "COFFEE", "SUCCESS", "ASSESS", "TOMATO", "LEVEL",
         "ALGEBRA", "GAZEBO", "PARALLEL", "COMMITTEE", "REFERRED", "TATTOO", "BOOKKEEP", "MAMMAL", "CANCEL",
         "ROTATOR", "PUZZLE", "ADDED", "STATISTICS", "ELEVEN", "RECORDER"]


def g_word_arrangements(rng):
    word = rng.choice(WORDS)
    counts = {c: word.count(c) for c in dict.fromkeys(word)}
    n = len(word)
    reps = {c: k for c, k in counts.items() if k > 1}
    denom = math.prod(math.factorial(k) for k in reps.values())
    ans = math.factorial(n) // denom
    if n <= 8:
        check(ans == len(set(itertools.permutations(word))), "word perms")
    else:
        # multinomial built one letter type at a time: choose positions for each letter in turn
        left, ways = n, 1
        for k in counts.values():
            ways *= comb(left, k)
            left -= k
        check(ways == ans, "word multinomial")
    q = rng.choice([f"How many different arrangements of the letters of the word {word} are there?",
                    f"In how many distinct ways can the letters of {word} be arranged in a row?"])
    if not reps:
        steps = [f"{word} has {n} letters and no letter repeats.", "So every ordering gives a different word.",
                 f"Arrangements: {n}! = {ans}."]
        return _item("word_arrangements", "medium", q, steps, ans)
    rep_txt = ", ".join(f"{c} ×{k}" for c, k in reps.items())
    steps = [f"{word} has {n} letters with repeats: {rep_txt}.",
             f"If all letters were different there would be {n}! = {math.factorial(n)} orders.",
             "Swapping identical letters gives the same word, so divide by " +
             " × ".join(f"{k}!" for k in reps.values()) + f" = {denom}.",
             f"{math.factorial(n)} ÷ {denom} = {ans}."]
    return _item("word_arrangements", "hard" if len(reps) > 1 else "medium", q, steps, ans)


def g_committee(rng):
    men, women = rng.randint(4, 9), rng.randint(3, 8)
    k = rng.randint(3, min(5, men + women - 2))
    people = ["m"] * men + ["w"] * women
    subsets = list(itertools.combinations(range(men + women), k))
    kind = rng.choice(["at_least_one", "exactly", "at_least_one"])
    group = rng.choice(["club", "class", "team", "choir", "company"])
    if kind == "at_least_one":
        ans = comb(men + women, k) - comb(men, k)
        check(ans == sum(1 for s in subsets if any(people[i] == "w" for i in s)), "at least one")
        q = (f"A {group} has {men} men and {women} women. In how many ways can a committee of {k} be chosen "
             f"if it must include at least one woman?")
        steps = [f"All committees: C({men + women}, {k}) = {comb(men + women, k)}.",
                 f"Committees with no woman: C({men}, {k}) = {comb(men, k)}.",
                 f"At least one woman: {comb(men + women, k)} - {comb(men, k)} = {ans}."]
        return _item("committee", "hard", q, steps, ans)
    j = rng.randint(1, min(k - 1, women))
    ans = comb(women, j) * comb(men, k - j)
    check(ans == sum(1 for s in subsets if sum(people[i] == "w" for i in s) == j), "exactly")
    q = (f"A {group} has {men} men and {women} women. How many committees of {k} people contain exactly {j} "
         f"wom{'a' if j == 1 else 'e'}n?")
    steps = [f"Choose the women: C({women}, {j}) = {comb(women, j)}.",
             f"Choose the other {k - j} from the men: C({men}, {k - j}) = {comb(men, k - j)}.",
             f"Total: {comb(women, j)} × {comb(men, k - j)} = {ans}."]
    return _item("committee", "medium", q, steps, ans)


def _poly_pow(coeffs, n):
    out = [1]
    for _ in range(n):
        new = [0] * (len(out) + len(coeffs) - 1)
        for i, a in enumerate(out):
            for j, b in enumerate(coeffs):
                new[i + j] += a * b
        out = new
    return out


def g_binomial(rng):
    n = rng.randint(4, 10)
    k = rng.randint(1, n - 1)
    a = rng.choice([1, 2, 3])
    c = rng.choice([1, 2, 3, -1, -2])
    ans = comb(n, k) * a ** k * c ** (n - k)
    check(ans == _poly_pow([c, a], n)[k], "binomial expansion")  # coefficients of (c + a x)^n, lowest first
    ax = "x" if a == 1 else f"{a}x"
    expr = f"({ax} {'+' if c > 0 else '-'} {abs(c)})^{n}"
    q = rng.choice([f"What is the coefficient of x^{k} in the expansion of {expr}?",
                    f"Find the coefficient of x^{k} when {expr} is expanded."])
    steps = [f"The term with x^{k} is C({n}, {k}) × ({ax})^{k} × ({c})^{n - k}.",
             f"C({n}, {k}) = {comb(n, k)}.",
             f"{a}^{k} = {a ** k} and ({c})^{n - k} = {c ** (n - k)}." if a > 1 else f"({c})^{n - k} = {c ** (n - k)}.",
             f"Coefficient: {comb(n, k)} × {a ** k} × {c ** (n - k)} = {ans}." if a > 1 else
             f"Coefficient: {comb(n, k)} × {c ** (n - k)} = {ans}."]
    return _item("binomial_coefficient", "hard", q, steps, ans)


def _paths(w, h, blocked=None):
    grid = [[0] * (h + 1) for _ in range(w + 1)]
    for x in range(w + 1):
        for y in range(h + 1):
            if blocked and (x, y) == blocked:
                continue
            grid[x][y] = 1 if x == y == 0 else (grid[x - 1][y] if x else 0) + (grid[x][y - 1] if y else 0)
    return grid[w][h]


def g_grid_paths(rng):
    w, h = rng.randint(3, 7), rng.randint(2, 6)
    kind = rng.choice(["plain", "through", "through"])
    if kind == "plain":
        ans = comb(w + h, w)
        check(ans == _paths(w, h), "paths")
        q = (f"A path on a grid goes from (0, 0) to ({w}, {h}) using unit steps right or up. How many such paths "
             f"are there?")
        steps = [f"Every path has {w} right steps and {h} up steps, {w + h} in all.",
                 f"A path is fixed by choosing which {w} of the {w + h} steps go right: C({w + h}, {w}) = {ans}."]
        steps.append("Each choice of positions gives exactly one path.")
        return _item("grid_paths", "medium", q, steps, ans)
    px, py = rng.randint(1, w - 1), rng.randint(1, h - 1)
    first, second = comb(px + py, px), comb(w - px + h - py, w - px)
    ans = first * second
    check(ans == _paths(w, h) - _paths_avoiding(w, h, px, py), "paths through")
    q = (f"Moving only right or up one unit at a time, how many paths go from (0, 0) to ({w}, {h}) and pass "
         f"through the point ({px}, {py})?")
    steps = [f"From (0, 0) to ({px}, {py}): C({px + py}, {px}) = {first}.",
             f"From ({px}, {py}) to ({w}, {h}): {w - px} right and {h - py} up, C({w - px + h - py}, {w - px}) = {second}.",
             f"Multiply: {first} × {second} = {ans}."]
    return _item("grid_paths", "hard", q, steps, ans)


def _paths_avoiding(w, h, px, py):
    return _paths(w, h, blocked=(px, py))


def g_together_apart(rng):
    n = rng.randint(4, 7)
    names = pick_names(rng, n)
    a, b = names[0], names[1]
    perms = list(itertools.permutations(range(n)))
    adjacent = sum(1 for p in perms if abs(p.index(0) - p.index(1)) == 1)
    together = 2 * math.factorial(n - 1)
    check(together == adjacent, "together")
    listed = ", ".join(sorted(names))
    if rng.random() < 0.5:
        q = f"{n} friends ({listed}) stand in a line. In how many orders do {a} and {b} stand next to each other?"
        steps = [f"Glue {a} and {b} into one block: that leaves {n - 1} units to order.",
                 f"The units can be ordered in {n - 1}! = {math.factorial(n - 1)} ways.",
                 f"Inside the block, {a} and {b} can swap: 2 ways.",
                 f"Total: 2 × {math.factorial(n - 1)} = {together}."]
        return _item("together_apart", "medium", q, steps, together)
    ans = math.factorial(n) - together
    check(ans == len(perms) - adjacent, "apart")
    q = (f"{n} people ({listed}) sit in a row of {n} chairs. In how many arrangements are {a} and {b} not "
         f"sitting next to each other?")
    steps = [f"All arrangements: {n}! = {math.factorial(n)}.",
             f"With {a} and {b} together (as a block that can be flipped): 2 × {n - 1}! = {together}.",
             f"Not together: {math.factorial(n)} - {together} = {ans}."]
    return _item("together_apart", "hard", q, steps, ans)


def g_inclusion_exclusion(rng):
    """Three overlapping sets; the region sizes are drawn first, so the stated totals are consistent."""
    only = [rng.randint(3, 25) for _ in range(3)]
    pair = [rng.randint(1, 9) for _ in range(3)]  # AB only, AC only, BC only
    triple = rng.randint(1, 6)
    none = rng.randint(0, 20)
    A = only[0] + pair[0] + pair[1] + triple
    B = only[1] + pair[0] + pair[2] + triple
    C = only[2] + pair[1] + pair[2] + triple
    AB, AC, BC = pair[0] + triple, pair[1] + triple, pair[2] + triple
    total = sum(only) + sum(pair) + triple + none
    union = A + B + C - AB - AC - BC + triple
    check(union == sum(only) + sum(pair) + triple, "three-set union")
    subj = rng.choice([("play football", "play tennis", "swim"), ("study French", "study German", "study Spanish"),
                       ("like tea", "like coffee", "like juice"), ("own a cat", "own a dog", "own a bird")])
    kind = rng.choice(["none", "none", "triple"])
    if kind == "none":
        ans = none
        q = (f"In a group of {total} people, {A} {subj[0]}, {B} {subj[1]} and {C} {subj[2]}. {AB} do the first two, "
             f"{AC} the first and third, {BC} the second and third, and {triple} do all three. How many do none of "
             f"the three?")
        steps = [f"At least one: {A} + {B} + {C} - {AB} - {AC} - {BC} + {triple} = {union}.",
                 f"None: {total} - {union} = {ans}."]
        steps.insert(0, "Use inclusion-exclusion for three sets.")
        return _item("inclusion_exclusion", "hard", q, steps, ans)
    ans = triple
    q = (f"Of {total} people, {A} {subj[0]}, {B} {subj[1]} and {C} {subj[2]}; {AB} do the first two, {AC} the first "
         f"and third, and {BC} the second and third. {none} do none of them. How many do all three?")
    steps = [f"People in at least one group: {total} - {none} = {union}.",
             f"Inclusion-exclusion: {union} = {A} + {B} + {C} - {AB} - {AC} - {BC} + (all three).",
             f"{A} + {B} + {C} - {AB} - {AC} - {BC} = {A + B + C - AB - AC - BC}.",
             f"All three: {union} - {A + B + C - AB - AC - BC} = {ans}."]
    return _item("inclusion_exclusion", "hard", q, steps, ans)


POLYGONS = {5: "pentagon", 6: "hexagon", 7: "heptagon", 8: "octagon", 9: "nonagon", 10: "decagon", 12: "dodecagon"}


def g_polygon_counts(rng):
    n = rng.choice(sorted(POLYGONS) + [11, 13, 14, 15, 16, 18, 20])
    shape = POLYGONS.get(n, f"{n}-sided polygon")
    pairs = list(itertools.combinations(range(n), 2))
    kind = rng.choice(["diagonals", "triangles", "round_robin"])
    if kind == "diagonals":
        ans = n * (n - 3) // 2
        check(ans == sum(1 for i, j in pairs if (j - i) % n not in (1, n - 1)), "diagonals")
        q = f"How many diagonals does a convex {shape} have?"
        steps = [f"Each of the {n} vertices joins to {n - 3} others by a diagonal (not itself or its two neighbours).",
                 f"That counts each diagonal twice: {n} × {n - 3} ÷ 2 = {ans}."]
        steps.append("So the polygon has " + str(ans) + " diagonals.")
        return _item("polygon_counts", "medium", q, steps, ans)
    if kind == "triangles":
        ans = comb(n, 3)
        check(ans == sum(1 for _ in itertools.combinations(range(n), 3)), "triangles")
        q = f"How many triangles can be formed using three vertices of a convex {shape}?"
        steps = ["No three vertices of a convex polygon are in a line, so any 3 vertices make a triangle.",
                 f"C({n}, 3) = {n} × {n - 1} × {n - 2} ÷ 6 = {ans}."]
        steps.append("Order of choosing does not matter, hence the division by 6.")
        return _item("polygon_counts", "medium", q, steps, ans)
    times = rng.choice([1, 2])
    ans = comb(n, 2) * times
    check(ans == len(pairs) * times, "round robin")
    q = (f"In a league of {n} teams, every team plays every other team {'once' if times == 1 else 'twice'}. "
         f"How many games are played?")
    steps = [f"Pairs of teams: C({n}, 2) = {n} × {n - 1} ÷ 2 = {comb(n, 2)}."]
    steps.append(f"Each pair plays {times} time{'s' if times > 1 else ''}: {comb(n, 2)} × {times} = {ans}.")
    steps.append("That is the total number of games.")
    return _item("polygon_counts", "medium", q, steps, ans)


def g_digit_strings(rng):
    kind = rng.choice(["distinct", "even_distinct", "at_least_one"])
    if kind == "distinct":
        d = rng.choice([3, 4, 5])
        ans = 9 * math.perm(9, d - 1)
        check(ans == sum(1 for x in range(10 ** (d - 1), 10 ** d) if len(set(str(x))) == d), "distinct digits")
        q = f"How many {d}-digit positive integers have all different digits?"
        choices = [9] + list(range(9, 9 - (d - 1), -1))
        steps = ["The first digit can't be 0: 9 choices.",
                 f"Each later digit avoids the ones used: {', '.join(map(str, choices[1:]))} choices.",
                 f"Total: {' × '.join(map(str, choices))} = {ans}."]
        return _item("digit_strings", "medium", q, steps, ans)
    if kind == "even_distinct":
        ans = sum(1 for x in range(100, 1000) if x % 2 == 0 and len(set(str(x))) == 3)
        zero_last = 9 * 8
        other_last = 4 * 8 * 8
        check(ans == zero_last + other_last, "even distinct")
        q = "How many three-digit even numbers have three different digits?"
        steps = ["Split by the last digit.", f"Last digit 0: 9 × 8 = {zero_last} (first digit 1-9, middle any other).",
                 f"Last digit 2, 4, 6 or 8: 4 × 8 × 8 = {other_last} (first digit not 0 or the last; middle any other).",
                 f"Total: {zero_last} + {other_last} = {ans}."]
        if rng.random() < 0.5:
            return _item("digit_strings", "hard", q, steps, ans)
        ans = sum(1 for x in range(1000, 10000) if x % 2 == 1 and len(set(str(x))) == 4)
        check(ans == 5 * 8 * 8 * 7, "odd distinct 4")
        q = "How many four-digit odd numbers have four different digits?"
        steps = ["Choose the last digit first: 1, 3, 5, 7 or 9, so 5 choices.",
                 "First digit: not 0 and not the last digit, 8 choices.",
                 "Then 8 and 7 choices for the two middle digits.", f"Total: 5 × 8 × 8 × 7 = {ans}."]
        return _item("digit_strings", "hard", q, steps, ans)
    d = rng.choice([3, 4])
    digit = rng.randint(1, 9)
    total = 9 * 10 ** (d - 1)
    without = 8 * 9 ** (d - 1)
    ans = total - without
    check(ans == sum(1 for x in range(10 ** (d - 1), 10 ** d) if str(digit) in str(x)), "at least one digit")
    q = f"How many {d}-digit numbers contain the digit {digit} at least once?"
    steps = [f"All {d}-digit numbers: 9 × {' × '.join(['10'] * (d - 1))} = {total}.",
             f"Without any {digit}: first digit 8 choices (not 0, not {digit}), the others 9 each: "
             f"8 × {' × '.join(['9'] * (d - 1))} = {without}.",
             f"At least one {digit}: {total} - {without} = {ans}."]
    return _item("digit_strings", "hard", q, steps, ans)


def g_stars_bars(rng):
    """Eval only."""
    k = rng.choice([3, 3, 4])
    n = rng.randint(k + 3, 15 if k == 3 else 11)
    positive = rng.random() < 0.5
    var = ["x", "y", "z", "w"][:k]
    lo = 1 if positive else 0
    brute = sum(1 for t in itertools.product(range(lo, n + 1), repeat=k) if sum(t) == n)
    eq = " + ".join(var) + f" = {n}"
    if positive:
        ans = comb(n - 1, k - 1)
        q = f"How many solutions in positive integers does {eq} have?"
        steps = [f"Think of {n} stars in a row with {n - 1} gaps between them.",
                 f"Choosing {k - 1} gaps for bars splits them into {k} positive parts.",
                 f"C({n - 1}, {k - 1}) = {ans}."]
    else:
        ans = comb(n + k - 1, k - 1)
        q = f"How many solutions in non-negative integers does {eq} have?"
        steps = [f"Arrange {n} stars and {k - 1} bars in a row of {n + k - 1} symbols.",
                 f"Each arrangement gives one solution, so choose the bar positions: C({n + k - 1}, {k - 1}) = {ans}."]
        steps.append("Parts may be empty, which is allowed here.")
    check(ans == brute, "stars and bars")
    return _item("stars_bars", "hard", q, steps, ans)


# ----------------------------------------------------------------------------- sequences and series
def g_arith_series(rng):
    k = rng.randint(3, 19)
    lo = rng.randint(10, 300)
    hi = lo + rng.randint(100, 900)
    first = (lo + k - 1) // k * k
    last = hi // k * k
    cnt = (last - first) // k + 1
    total = cnt * (first + last) // 2
    check(total == sum(x for x in range(lo, hi + 1) if x % k == 0), "arith series")
    q = f"What is the sum of all multiples of {k} between {lo} and {hi}, inclusive?"
    steps = [f"First multiple: {first}; last: {last}.",
             f"Number of terms: ({last} - {first}) ÷ {k} + 1 = {cnt}.",
             f"Sum = terms × (first + last) ÷ 2 = {cnt} × ({first} + {last}) ÷ 2 = {total}."]
    return _item("arith_series", "medium", _lead(rng, q), steps, total)


def g_arith_term(rng):
    a1 = rng.randint(-20, 30)
    d = rng.choice([-7, -5, -3, -2, 2, 3, 4, 5, 6, 7, 9, 11])
    i, j = sorted(rng.sample(range(2, 15), 2))
    if j - i < 2:
        return g_arith_term(rng)
    k = rng.randint(20, 60)
    ti, tj, tk = a1 + (i - 1) * d, a1 + (j - 1) * d, a1 + (k - 1) * d
    seq = [a1 + n * d for n in range(k)]
    check(seq[i - 1] == ti and seq[j - 1] == tj and seq[k - 1] == tk, "arith term")
    q = f"In an arithmetic sequence the {_ord(i)} term is {ti} and the {_ord(j)} term is {tj}. What is the {_ord(k)} term?"
    steps = [f"From term {i} to term {j} there are {j - i} steps of the common difference d.",
             f"d = ({tj} - {_p(ti)}) ÷ {j - i} = {d}.",
             f"Term {k} = term {i} + ({k} - {i}) × d = {ti} + {k - i} × {_p(d)} = {tk}."]
    return _item("arith_term", "medium", q, steps, tk)


def _times(k, expr):
    return expr if k == 1 else f"{k}({expr})"


def _coef(k):
    return {1: "", -1: "-"}.get(k, str(k))


def _p(x):
    return f"({x})" if x < 0 else str(x)


def _ord(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def g_geometric(rng):
    a = rng.choice([1, 2, 3, 4, 5, 6])
    r = rng.choice([2, 3, -2, 4, 5])
    kind = rng.choice(["sum", "term"])
    if kind == "sum":
        n = rng.randint(5, 10 if abs(r) <= 3 else 7)
        total = a * (r ** n - 1) // (r - 1)
        check(total == sum(a * r ** i for i in range(n)), "geometric sum")
        q = (f"A geometric sequence starts {a}, {a * r}, {a * r * r}, ... What is the sum of its first {n} terms?")
        steps = [f"First term {a}, common ratio {r}.",
                 "Sum of n terms: a × (r^n - 1) ÷ (r - 1).",
                 f"{r}^{n} = {r ** n}." if r > 0 else f"({r})^{n} = {r ** n}.",
                 f"Sum = {a} × ({r ** n} - 1) ÷ ({r} - 1) = {total}."]
        return _item("geometric", "hard", q, steps, total)
    i, j = rng.choice([(2, 5), (3, 6), (2, 4), (3, 5), (1, 4), (4, 7)])
    k = rng.randint(j + 1, j + 3)
    ti, tj, tk = a * r ** (i - 1), a * r ** (j - 1), a * r ** (k - 1)
    check(tj // ti == r ** (j - i) and tj % ti == 0, "geometric ratio")
    q = f"In a geometric sequence the {_ord(i)} term is {ti} and the {_ord(j)} term is {tj}. What is the {_ord(k)} term?"
    steps = [f"Going from term {i} to term {j} multiplies by r^{j - i}: {tj} ÷ {_p(ti)} = {tj // ti}.",
             f"So r = {r} (the real number with r^{j - i} = {tj // ti}" + (", and the signs of the terms fix it)." if
                                                                           (j - i) % 2 == 0 else ")."),
             f"Term {k} = term {j} × r^{k - j} = {tj} × {_p(r ** (k - j))} = {tk}."]
    if (j - i) % 2 == 0:
        # r^2 = c has two real roots; the problem must pin the sign down, so give the next term too.
        q = q.replace(f"the {_ord(j)} term is {tj}.", f"the {_ord(j)} term is {tj}, and the common ratio is "
                      f"{'positive' if r > 0 else 'negative'}.")
        steps[1] = f"So r = {r}, since the ratio is {'positive' if r > 0 else 'negative'}."
    return _item("geometric", "hard", q, steps, tk)


def g_recurrence(rng):
    a1 = rng.randint(1, 6)
    p = rng.choice([2, 3, 2, -2])
    c = rng.choice([1, 2, 3, -1, -2, 4])
    k = rng.randint(5, 8)
    terms = [a1]
    steps = []
    for n in range(2, k + 1):
        nxt = p * terms[-1] + c
        steps.append(f"a_{n} = {p} × {_p(terms[-1])} {'+' if c >= 0 else '-'} {abs(c)} = {nxt}.")
        terms.append(nxt)
    sim, x = [a1], a1
    for _ in range(k - 1):
        x = p * x + c
        sim.append(x)
    check(sim == terms, "recurrence")
    rule = f"a_(n+1) = {p if p != -1 else '-'}{'' if p == -1 else ' × '}a_n {'+' if c >= 0 else '-'} {abs(c)}"
    q = f"A sequence has a_1 = {a1} and {rule} for n ≥ 1. What is a_{k}?"
    return _item("recurrence", "medium", q, steps, terms[-1])


def g_power_sums(rng):
    n = rng.randint(8, 40)
    kind = rng.choice(["squares", "cubes", "odd", "consecutive_range"])
    if kind == "squares":
        ans = n * (n + 1) * (2 * n + 1) // 6
        check(ans == sum(i * i for i in range(1, n + 1)), "squares")
        q = f"What is 1^2 + 2^2 + 3^2 + ... + {n}^2?"
        steps = ["Use 1^2 + ... + n^2 = n(n + 1)(2n + 1) ÷ 6.",
                 f"With n = {n}: {n} × {n + 1} × {2 * n + 1} ÷ 6 = {ans}."]
        steps.append("The product is divisible by 6, so the sum is a whole number as it must be.")
    elif kind == "cubes":
        n = min(n, 25)
        tri = n * (n + 1) // 2
        ans = tri * tri
        check(ans == sum(i ** 3 for i in range(1, n + 1)), "cubes")
        q = f"What is 1^3 + 2^3 + 3^3 + ... + {n}^3?"
        steps = ["The sum of the first n cubes is the square of 1 + 2 + ... + n.",
                 f"The sum of 1 to {n} is {n} × {n + 1} ÷ 2 = {tri}.", f"Square it: {tri} × {tri} = {ans}."]
    elif kind == "odd":
        ans = n * n
        last = 2 * n - 1
        check(ans == sum(range(1, last + 1, 2)), "odd")
        q = f"What is the sum 1 + 3 + 5 + ... + {last}?"
        steps = [f"These are the odd numbers up to {last}: ({last} + 1) ÷ 2 = {n} terms.",
                 "The sum of the first n odd numbers is n^2.", f"{n} × {n} = {ans}."]
    else:
        lo = rng.randint(11, 60)
        hi = lo + rng.randint(15, 80)
        ans = (hi - lo + 1) * (lo + hi) // 2
        check(ans == sum(range(lo, hi + 1)), "range sum")
        q = f"What is the sum of all integers from {lo} to {hi}?"
        steps = [f"Number of terms: {hi} - {lo} + 1 = {hi - lo + 1}.",
                 f"Pair the first and last: {lo} + {hi} = {lo + hi}.",
                 f"Sum: {hi - lo + 1} × {lo + hi} ÷ 2 = {ans}."]
    return _item("power_sums", "medium", _lead(rng, q), steps, ans)


def g_telescoping(rng):
    """Eval only."""
    n = rng.randint(8, 99)
    gap = rng.choice([1, 1, 2])
    total = sum(F(1, k * (k + gap)) for k in range(1, n + 1))
    if gap == 1:
        ans = F(n, n + 1)
        q = f"What is 1/(1 × 2) + 1/(2 × 3) + 1/(3 × 4) + ... + 1/({n} × {n + 1})? Give the answer as a fraction."
        steps = ["Each term splits: 1/(k(k + 1)) = 1/k - 1/(k + 1).",
                 f"The sum telescopes to 1 - 1/{n + 1}.", f"1 - 1/{n + 1} = {frac(ans)}."]
    else:
        ans = F(1, 2) * (1 + F(1, 2) - F(1, n + 1) - F(1, n + 2))
        q = f"What is 1/(1 × 3) + 1/(2 × 4) + 1/(3 × 5) + ... + 1/({n} × {n + 2})? Give the answer as a fraction."
        steps = ["Each term splits: 1/(k(k + 2)) = (1/k - 1/(k + 2)) ÷ 2.",
                 f"Almost everything cancels, leaving (1 + 1/2 - 1/{n + 1} - 1/{n + 2}) ÷ 2.",
                 f"(1 + 1/2 - 1/{n + 1} - 1/{n + 2}) ÷ 2 = {frac(ans)}."]
    check(ans == total, "telescoping")
    return _item("telescoping", "hard", q, steps, ans)


# ----------------------------------------------------------------------------- algebra
def _lin(a, b, c):
    """'3x - 2y = 7' (coefficients 1 and -1 written without the 1)."""
    def term(k, v, first):
        if k == 0:
            return ""
        sign = "-" if k < 0 else ("" if first else "+")
        mag = "" if abs(k) == 1 else str(abs(k))
        return (f"{sign}{mag}{v}" if first else f" {sign} {mag}{v}")
    return f"{term(a, 'x', True)}{term(b, 'y', False)} = {c}"


def g_linear_system(rng):
    x, y = rng.randint(-9, 12), rng.randint(-9, 12)
    while True:
        a, b, d, e = (rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7]) for _ in range(4))
        det = a * e - b * d
        if det != 0 and (a != d or b != e):
            break
    c, f = a * x + b * y, d * x + e * y
    xs = F(c * e - b * f, det)
    ys = F(a * f - c * d, det)
    check((xs, ys) == (x, y), "cramer")
    kind = rng.choice(["sum", "product", "x"])
    ask = {"sum": "x + y", "product": "xy", "x": "x"}[kind]
    ans = {"sum": x + y, "product": x * y, "x": x}[kind]
    q = f"Solve the system {_lin(a, b, c)} and {_lin(d, e, f)}. What is {ask}?"
    # eliminate y: multiply first by e, second by b
    steps = [f"Eliminate y: multiply the first equation by {_p(e)} and the second by {_p(b)}, then subtract.",
             f"x terms: {_p(a)} × {_p(e)} - {_p(d)} × {_p(b)} = {det}; right sides: {_p(c)} × {_p(e)} - {_p(f)} × {_p(b)} = {c * e - f * b}.",
             f"x = {c * e - f * b} ÷ {_p(det)} = {x}."]
    steps.append(f"From the first equation, y = ({c} - {_p(a)} × {_p(x)}) ÷ {_p(b)} = {y}.")
    if kind != "x":
        steps.append(f"{ask} = {_p(x)} {'+' if kind == 'sum' else '×'} {_p(y)} = {ans}.")
    return _item("linear_system", "medium", q, steps, ans)


def _quad(s, p, var="x"):
    """x^2 - s x + p = 0 written plainly."""
    b = -s
    bt = "" if b == 0 else (f" + {var}" if b == 1 else f" - {var}" if b == -1 else
                             f" + {b}{var}" if b > 0 else f" - {-b}{var}")
    ct = "" if p == 0 else (f" + {p}" if p > 0 else f" - {-p}")
    return f"{var}^2{bt}{ct} = 0"


def g_quadratic(rng):
    r1, r2 = rng.sample([x for x in range(-12, 16) if x != 0], 2)
    s, p = r1 + r2, r1 * r2
    for r in (r1, r2):
        check(r * r - s * r + p == 0, "root")
    kind = rng.choice(["larger", "difference", "squares"])
    eq = _quad(s, p)
    hi, lo = max(r1, r2), min(r1, r2)
    steps = [f"Look for two numbers with sum {s} and product {p}: {lo} and {hi}, since "
             f"{_p(lo)} + {_p(hi)} = {s} and {_p(lo)} × {_p(hi)} = {p}.",
             f"So the equation factors with roots x = {lo} and x = {hi}."]
    if kind == "larger":
        q = f"What is the larger root of {eq}?"
        ans = hi
        steps.append(f"The larger root is {hi}.")
    elif kind == "difference":
        q = f"What is the positive difference between the roots of {eq}?"
        ans = hi - lo
        steps.append(f"Difference: {hi} - {_p(lo)} = {ans}.")
    else:
        q = f"If r and s are the roots of {eq}, what is r^2 + s^2?"
        ans = r1 * r1 + r2 * r2
        check(ans == s * s - 2 * p, "vieta squares")
        steps = [f"By Vieta, r + s = {s} and rs = {p}.",
                 "r^2 + s^2 = (r + s)^2 - 2rs.",
                 f"{_p(s)} × {_p(s)} - 2 × {_p(p)} = {ans}."]
    return _item("quadratic_roots", "hard" if kind == "squares" else "medium", q, steps, ans)


def g_vieta(rng):
    """Roots need not be integers: answers come from the symmetric functions, checked numerically."""
    b = rng.choice([x for x in range(-11, 12) if x != 0])
    c = rng.choice([x for x in range(-15, 16) if x != 0])
    if b * b - 4 * c <= 0 or math.isqrt(b * b - 4 * c) ** 2 == b * b - 4 * c:
        return g_vieta(rng)  # real, irrational roots only (integer roots are the quadratic template's)
    s, p = -b, c
    disc = math.sqrt(b * b - 4 * c)
    roots = ((-b + disc) / 2, (-b - disc) / 2)
    kind = rng.choice(["recip", "squares", "cubes", "shifted"])
    eq = _quad(s, p)
    steps = [f"By Vieta's formulas, r + s = {s} and rs = {p}."]
    if kind == "recip":
        ans = F(s, p)
        numeric = 1 / roots[0] + 1 / roots[1]
        q = f"Let r and s be the roots of {eq}. What is 1/r + 1/s? Give the answer as a fraction in lowest terms."
        steps += ["1/r + 1/s = (r + s) ÷ rs.", f"{s} ÷ {_p(p)} = {frac(ans)}."]
    elif kind == "squares":
        ans = F(s * s - 2 * p)
        numeric = roots[0] ** 2 + roots[1] ** 2
        q = f"Let r and s be the roots of {eq}. Without solving, find r^2 + s^2."
        steps += ["r^2 + s^2 = (r + s)^2 - 2rs.", f"{_p(s)} × {_p(s)} - 2 × {_p(p)} = {frac(ans)}."]
    elif kind == "cubes":
        ans = F(s ** 3 - 3 * p * s)
        numeric = roots[0] ** 3 + roots[1] ** 3
        q = f"The roots of {eq} are r and s. What is r^3 + s^3?"
        steps += ["r^3 + s^3 = (r + s)^3 - 3rs(r + s).",
                  f"{_p(s)} × {_p(s)} × {_p(s)} - 3 × {_p(p)} × {_p(s)} = {frac(ans)}."]
    else:
        ans = F(p + s + 1)
        numeric = (roots[0] + 1) * (roots[1] + 1)
        q = f"If r and s are the roots of {eq}, what is (r + 1)(s + 1)?"
        steps += ["(r + 1)(s + 1) = rs + (r + s) + 1.", f"{p} + {_p(s)} + 1 = {frac(ans)}."]
    check(abs(numeric - float(ans)) < 1e-6 * max(1.0, abs(float(ans))), "vieta numeric")
    return _item("vieta", "hard", q, steps, ans)


def g_function_comp(rng):
    a, b = rng.choice([2, 3, -2, 4, 5, -1]), rng.randint(-9, 9)
    c, d = rng.choice([2, 3, -3, 1, 4]), rng.randint(-9, 9)
    k = rng.randint(-5, 8)

    def f(x):
        return a * x + b

    def g(x):
        return c * x + d

    def show(m, q):
        return f"{'-' if m == -1 else '' if m == 1 else m}x {'+' if q >= 0 else '-'} {abs(q)}"

    kind = rng.choice(["fg", "gf", "ff"])
    if kind == "fg":
        inner, ans = g(k), f(g(k))
        q = f"Let f(x) = {show(a, b)} and g(x) = {show(c, d)}. What is f(g({k}))?"
        steps = [f"g({k}) = {c} × {_p(k)} + {_p(d)} = {inner}.", f"f({inner}) = {a} × {_p(inner)} + {_p(b)} = {ans}."]
        check(ans == (a * c) * k + a * d + b, "fg")
    elif kind == "gf":
        inner, ans = f(k), g(f(k))
        q = f"If f(x) = {show(a, b)} and g(x) = {show(c, d)}, find g(f({k}))."
        steps = [f"f({k}) = {a} × {_p(k)} + {_p(b)} = {inner}.", f"g({inner}) = {c} × {_p(inner)} + {_p(d)} = {ans}."]
        check(ans == (c * a) * k + c * b + d, "gf")
    else:
        inner, ans = f(k), f(f(k))
        q = f"Let f(x) = {show(a, b)}. What is f(f({k}))?"
        steps = [f"f({k}) = {a} × {_p(k)} + {_p(b)} = {inner}.", f"f({inner}) = {a} × {_p(inner)} + {_p(b)} = {ans}."]
        check(ans == a * a * k + a * b + b, "ff")
    steps.insert(0, "Work from the inside out.")
    return _item("function_composition", "medium", q, steps, ans)


def g_exponent_eq(rng):
    base = rng.choice([2, 3, 5])
    m1, m2 = rng.sample([1, 2, 3], 2)  # the two sides are base^m1 and base^m2 written as powers
    x = rng.randint(-4, 9)
    p = rng.randint(-5, 6)
    # (base^m1)^(x + p) = (base^m2)^(x + q): m1 (x + p) = m2 (x + q)  =>  q = (m1 (x + p) - m2 x) / m2
    num_ = m1 * (x + p) - m2 * x
    if num_ % m2:
        return g_exponent_eq(rng)
    q_ = num_ // m2
    left, right = base ** m1, base ** m2
    check(F(left) ** (x + p) == F(right) ** (x + q_), "exponent eq")

    def lin(k):
        return "x" if k == 0 else f"x {'+' if k > 0 else '-'} {abs(k)}"

    q = f"Solve for x: {left}^({lin(p)}) = {right}^({lin(q_)})."
    steps = [f"Write both sides as powers of {base}: {left} = {base}^{m1} and {right} = {base}^{m2}." if m1 != 1 and m2 != 1
             else f"Write both sides as powers of {base}" + (f": {left} = {base}^{m1}." if m1 != 1 else f": {right} = {base}^{m2}."),
             f"Exponents must match: {_times(m1, lin(p))} = {_times(m2, lin(q_))}.",
             f"Expand: {_coef(m1)}x {'+' if m1 * p >= 0 else '-'} {abs(m1 * p)} = {_coef(m2)}x "
             f"{'+' if m2 * q_ >= 0 else '-'} {abs(m2 * q_)}.",
             f"x = ({m2 * q_} - {_p(m1 * p)}) ÷ ({m1} - {m2}) = {x}."]
    return _item("exponent_equation", "medium", q, steps, x)


# ----------------------------------------------------------------------------- probability
def g_two_dice(rng):
    sides = rng.choice([6, 6, 4, 8, 10, 12])
    dice = "dice" if sides == 6 else f"{sides}-sided dice"
    n = sides * sides
    outcomes = list(itertools.product(range(1, sides + 1), repeat=2))
    kind = rng.choice(["sum_eq", "sum_at_least", "product_even", "differ_by", "sum_prime", "shows"])
    if kind == "sum_eq":
        t = rng.randint(3, 2 * sides - 1)
        good = [o for o in outcomes if sum(o) == t]
        q = f"Two fair {dice} are rolled. What is the probability that the sum is {t}?"
        if len(good) <= 6:
            how = f"Pairs with sum {t}: " + ", ".join(f"({a}, {b})" for a, b in good) + f", {len(good)} in all."
        else:
            lo = max(1, t - sides)
            how = f"The first die can be {lo} to {min(sides, t - 1)}, and then the second is fixed: {len(good)} pairs."
            check(len(good) == min(sides, t - 1) - lo + 1, "sum range")
    elif kind == "sum_at_least":
        t = rng.randint(sides + 1, 2 * sides - 1)
        good = [o for o in outcomes if sum(o) >= t]
        q = f"Two fair {dice} are rolled. What is the probability that their sum is at least {t}?"
        by = [sum(1 for o in outcomes if sum(o) == v) for v in range(t, 2 * sides + 1)]
        how = (f"Sums {t} to {2 * sides} occur {', '.join(map(str, by))} ways: {' + '.join(map(str, by))} = "
               f"{len(good)}.")
    elif kind == "product_even":
        good = [o for o in outcomes if (o[0] * o[1]) % 2 == 0]
        odd = sides // 2
        q = f"Two fair {dice} are rolled. What is the probability that the product of the numbers is even?"
        how = (f"The product is odd only when both are odd: {odd} × {odd} = {odd * odd} pairs, so "
               f"{n} - {odd * odd} = {len(good)} are even.")
    elif kind == "differ_by":
        k = rng.randint(1, sides - 2)
        good = [o for o in outcomes if abs(o[0] - o[1]) == k]
        q = f"Two fair {dice} are rolled. What is the probability that the two numbers differ by exactly {k}?"
        how = (f"Pairs with difference {k}: {sides - k} with the first bigger and {sides - k} with the second "
               f"bigger, 2 × {sides - k} = {len(good)}.")
    elif kind == "sum_prime":
        primes = [v for v in range(2, 2 * sides + 1) if all(v % d for d in range(2, v))]
        by = [sum(1 for o in outcomes if sum(o) == v) for v in primes]
        good = [o for o in outcomes if sum(o) in primes]
        q = f"Two fair {dice} are rolled. What is the probability that the sum is a prime number?"
        how = (f"Prime sums {', '.join(map(str, primes))} occur {', '.join(map(str, by))} ways: "
               f"{' + '.join(map(str, by))} = {len(good)}.")
    else:
        k = rng.randint(1, sides)
        good = [o for o in outcomes if k in o]
        q = f"Two fair {dice} are rolled. What is the probability that at least one of them shows a {k}?"
        how = (f"Neither shows {k} in {sides - 1} × {sides - 1} = {(sides - 1) ** 2} outcomes, so "
               f"{n} - {(sides - 1) ** 2} = {len(good)} do.")
    ans = F(len(good), n)
    check(ans == F(sum(1 for o in outcomes if o in good), len(outcomes)), "dice")
    if kind == "shows":
        check(len(good) == 2 * sides - 1, "shows")
    steps = [f"There are {sides} × {sides} = {n} equally likely outcomes.", how,
             f"Probability: {len(good)}/{n} = {frac(ans)}."]
    return _item("two_dice", "medium", q, steps, ans)


def g_draw_two(rng):
    r, b = rng.randint(2, 8), rng.randint(2, 8)
    g = rng.choice([0, 0, rng.randint(1, 5)])
    balls = ["r"] * r + ["b"] * b + ["g"] * g
    n = len(balls)
    pairs = list(itertools.combinations(range(n), 2))
    total = comb(n, 2)
    colours = f"{r} red and {b} blue" if not g else f"{r} red, {b} blue and {g} green"
    kind = rng.choice(["both_red", "same", "different"] if not g else ["same", "both_red"])
    if kind == "both_red":
        good = comb(r, 2)
        brute = sum(1 for i, j in pairs if balls[i] == balls[j] == "r")
        q = f"A bag holds {colours} marbles. Two are drawn at random without replacement. What is the probability both are red?"
        steps = [f"Ways to draw 2 of the {n} marbles: C({n}, 2) = {total}.",
                 f"Ways to draw 2 red: C({r}, 2) = {good}."]
    elif kind == "same":
        parts = [comb(k, 2) for k in (r, b, g) if k >= 2]
        good = sum(parts)
        brute = sum(1 for i, j in pairs if balls[i] == balls[j])
        q = (f"A box contains {colours} balls. Two balls are taken out at random, without replacement. What is the "
             f"probability that they are the same colour?")
        steps = [f"Ways to choose 2 of {n}: C({n}, 2) = {total}.",
                 "Same colour: " + " + ".join(f"C({k}, 2)" for k in (r, b, g) if k >= 2) +
                 (f" = {' + '.join(map(str, parts))} = {good}." if len(parts) > 1 else f" = {good}.")]
    else:
        good = r * b
        brute = sum(1 for i, j in pairs if balls[i] != balls[j])
        q = f"A bag holds {colours} counters. Two are drawn at random without replacement. What is the probability that one is red and one is blue?"
        steps = [f"Ways to choose 2 of {n}: C({n}, 2) = {total}.", f"One red and one blue: {r} × {b} = {good}."]
    check(good == brute, "draw two")
    ans = F(good, total)
    steps.append(f"Probability: {good}/{total} = {frac(ans)}.")
    return _item("draw_two", "hard", q, steps, ans)


def g_coins(rng):
    n = rng.randint(3, 10)
    k = rng.randint(0, n)
    kind = rng.choice(["exactly", "exactly", "at_most"])
    seqs = list(itertools.product("HT", repeat=n))
    if kind == "exactly":
        good = comb(n, k)
        check(good == sum(1 for s in seqs if s.count("H") == k), "coins exactly")
        q = f"A fair coin is flipped {n} times. What is the probability of getting exactly {k} heads?"
        steps = [f"There are 2^{n} = {2 ** n} equally likely sequences.",
                 f"Sequences with exactly {k} heads: C({n}, {k}) = {good}."]
    else:
        k = rng.randint(1, n - 1)
        terms = [comb(n, i) for i in range(k + 1)]
        good = sum(terms)
        check(good == sum(1 for s in seqs if s.count("H") <= k), "coins at most")
        q = f"A fair coin is tossed {n} times. What is the probability of at most {k} heads?"
        steps = [f"There are 2^{n} = {2 ** n} sequences, all equally likely.",
                 f"0 to {k} heads: {' + '.join(map(str, terms))} = {good} sequences."]
    ans = F(good, 2 ** n)
    steps.append(f"Probability: {good}/{2 ** n} = {frac(ans)}.")
    return _item("coins", "medium", q, steps, ans)


def g_at_least_one(rng):
    """Eval only."""
    if rng.random() < 0.5:
        n = rng.randint(2, 4)
        brute = F(sum(1 for t in itertools.product(range(1, 7), repeat=n) if 6 in t), 6 ** n)
        ans = 1 - F(5, 6) ** n
        q = f"A fair die is rolled {n} times. What is the probability of getting at least one six?"
        steps = [f"No six on one roll: 5/6. No six in {n} rolls: {5 ** n}/{6 ** n}.",
                 f"At least one six: 1 - {5 ** n}/{6 ** n} = {frac(ans)}."]
        steps.insert(0, "Count the complement: no six at all.")
    else:
        n = rng.randint(3, 8)
        brute = F(sum(1 for t in itertools.product("HT", repeat=n) if "H" in t), 2 ** n)
        ans = 1 - F(1, 2 ** n)
        q = f"A fair coin is tossed {n} times. What is the probability of at least one head?"
        steps = ["The only way to get no head is all tails.", f"P(all tails) = 1/{2 ** n}.",
                 f"At least one head: 1 - 1/{2 ** n} = {frac(ans)}."]
    check(ans == brute, "at least one")
    return _item("at_least_one", "medium", q, steps, ans)


# ----------------------------------------------------------------------------- geometry
TRIPLES = [(3, 4, 5), (5, 12, 13), (8, 15, 17), (7, 24, 25), (20, 21, 29), (9, 40, 41)]


def g_pythagorean(rng):
    a, b, c = rng.choice(TRIPLES)
    k = rng.randint(1, 6 if c < 20 else 2)
    a, b, c = a * k, b * k, c * k
    if rng.random() < 0.5:
        a, b = b, a
    check(a * a + b * b == c * c, "pythagoras")
    kind = rng.choice(["hyp", "leg", "perimeter", "area"])
    if kind == "hyp":
        q = f"A right triangle has legs {a} and {b}. How long is the hypotenuse?"
        steps = [f"c^2 = {a} × {a} + {b} × {b} = {c * c}.", f"{c} × {c} = {c * c}, so c = {c}."]
        steps.insert(0, "By Pythagoras, c^2 = a^2 + b^2.")
        return _item("pythagorean", "easy" if k == 1 else "medium", q, steps, c)
    if kind == "leg":
        q = f"The hypotenuse of a right triangle is {c} and one leg is {a}. What is the other leg?"
        steps = ["By Pythagoras, b^2 = c^2 - a^2.", f"b^2 = {c} × {c} - {a} × {a} = {b * b}.",
                 f"{b} × {b} = {b * b}, so b = {b}."]
        return _item("pythagorean", "medium", q, steps, b)
    if kind == "perimeter":
        q = f"A right triangle has one leg {a} and hypotenuse {c}. What is its perimeter?"
        steps = [f"Other leg: b^2 = {c} × {c} - {a} × {a} = {b * b}, so b = {b}.",
                 f"Perimeter: {a} + {b} + {c} = {a + b + c}."]
        steps.insert(0, "Find the missing leg first.")
        return _item("pythagorean", "medium", q, steps, a + b + c)
    area = a * b // 2
    check(a * b % 2 == 0, "integer area")
    q = f"A right triangle has hypotenuse {c} and one leg {b}. What is its area?"
    steps = [f"Other leg: {c} × {c} - {b} × {b} = {a * a}, so it is {a}.",
             f"Area = leg × leg ÷ 2 = {a} × {b} ÷ 2 = {area}."]
    steps.insert(0, "The legs are the base and height.")
    return _item("pythagorean", "medium", q, steps, area)


def g_polygon_sides(rng):
    n = rng.choice([5, 6, 8, 9, 10, 12, 15, 18, 20, 24, 30, 36, 40, 45, 60, 72, 90])
    ext = F(360, n)
    inner = 180 - ext
    if ext.denominator != 1:
        return g_polygon_sides(rng)
    check(F(180 * (n - 2), n) == inner, "interior angle")
    kind = rng.choice(["interior", "exterior", "diag"])
    if kind == "interior":
        q = f"Each interior angle of a regular polygon is {inner} degrees. How many sides does it have?"
        steps = [f"Each exterior angle is 180 - {inner} = {ext} degrees.",
                 "The exterior angles of any convex polygon add up to 360 degrees.", f"Sides: 360 ÷ {ext} = {n}."]
        return _item("polygon_sides", "medium", q, steps, n)
    if kind == "exterior":
        q = (f"Each exterior angle of a regular polygon is {ext} degrees. What is the sum of its interior angles, in "
             f"degrees?")
        steps = [f"Number of sides: 360 ÷ {ext} = {n}.", f"Interior angle sum: ({n} - 2) × 180 = {180 * (n - 2)}."]
        steps.insert(0, "Exterior angles of a polygon total 360 degrees.")
        return _item("polygon_sides", "medium", q, steps, 180 * (n - 2))
    d = n * (n - 3) // 2
    check(d == sum(1 for i, j in itertools.combinations(range(n), 2) if (j - i) % n not in (1, n - 1)), "diagonals")
    q = f"A regular polygon has interior angles of {inner} degrees each. How many diagonals does it have?"
    steps = [f"Exterior angle: 180 - {inner} = {ext}, so it has 360 ÷ {ext} = {n} sides.",
             f"Diagonals: {n} × ({n} - 3) ÷ 2 = {d}."]
    steps.insert(0, "First find the number of sides from the angle.")
    return _item("polygon_sides", "hard", q, steps, d)


def _pick_area(pts):
    """Area by Pick's theorem from brute-force lattice counts: an independent check of the shoelace area."""
    (x1, y1), (x2, y2), (x3, y3) = pts

    def cross(ax, ay, bx, by, px, py):
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax)

    boundary = sum(math.gcd(abs(bx - ax), abs(by - ay)) for (ax, ay), (bx, by) in
                   ((pts[0], pts[1]), (pts[1], pts[2]), (pts[2], pts[0])))
    interior = 0
    for px in range(min(x1, x2, x3), max(x1, x2, x3) + 1):
        for py in range(min(y1, y2, y3), max(y1, y2, y3) + 1):
            s = [cross(*pts[0], *pts[1], px, py), cross(*pts[1], *pts[2], px, py), cross(*pts[2], *pts[0], px, py)]
            if all(v > 0 for v in s) or all(v < 0 for v in s):
                interior += 1
    return F(interior) + F(boundary, 2) - 1


def g_shoelace(rng):
    pts = [(rng.randint(-6, 9), rng.randint(-6, 9)) for _ in range(3)]
    (x1, y1), (x2, y2), (x3, y3) = pts
    twice = x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2)
    if twice == 0 or twice % 2:
        return g_shoelace(rng)
    area = abs(twice) // 2
    check(_pick_area(pts) == area, "pick")
    q = f"What is the area of the triangle with vertices ({x1}, {y1}), ({x2}, {y2}) and ({x3}, {y3})?"
    steps = ["Shoelace formula: area = |x1(y2 - y3) + x2(y3 - y1) + x3(y1 - y2)| ÷ 2.",
             f"{_p(x1)} × ({_p(y2)} - {_p(y3)}) + {_p(x2)} × ({_p(y3)} - {_p(y1)}) + {_p(x3)} × ({_p(y1)} - {_p(y2)}) = {twice}.",
             f"Area: {abs(twice)} ÷ 2 = {area}."]
    return _item("shoelace_area", "hard", _lead(rng, q), steps, area)


def g_chord(rng):
    a, b, c = rng.choice(TRIPLES[:5])
    k = rng.randint(1, 4)
    half, dist, r = a * k, b * k, c * k
    if rng.random() < 0.5:
        half, dist = dist, half
    check(half * half + dist * dist == r * r, "chord triangle")
    kind = rng.choice(["radius", "chord", "distance"])
    if kind == "radius":
        q = f"A chord of length {2 * half} is {dist} units from the centre of a circle. What is the radius?"
        steps = ["The perpendicular from the centre bisects the chord, making a right triangle.",
                 f"Half the chord: {2 * half} ÷ 2 = {half}.", f"r^2 = {half} × {half} + {dist} × {dist} = {r * r}, so r = {r}."]
        return _item("circle_chord", "hard", q, steps, r)
    if kind == "chord":
        q = f"A circle has radius {r}. A chord is {dist} units from the centre. How long is the chord?"
        steps = ["The perpendicular from the centre meets the chord at its midpoint.",
                 f"Half-chord squared: {r} × {r} - {dist} × {dist} = {half * half}, so the half-chord is {half}.",
                 f"Chord: 2 × {half} = {2 * half}."]
        return _item("circle_chord", "hard", q, steps, 2 * half)
    q = f"In a circle of radius {r}, a chord has length {2 * half}. How far is the chord from the centre?"
    steps = ["The line from the centre to the chord's midpoint is perpendicular to it.",
             f"Half the chord is {2 * half} ÷ 2 = {half}.",
             f"Distance squared: {r} × {r} - {half} × {half} = {dist * dist}, so the distance is {dist}."]
    return _item("circle_chord", "hard", q, steps, dist)


def g_lattice_segment(rng):
    x1, y1 = rng.randint(-10, 10), rng.randint(-10, 10)
    dx, dy = rng.randint(-30, 30), rng.randint(-30, 30)
    if dx == 0 or dy == 0 or (math.gcd(dx, dy) == 1 and rng.random() < 0.8):
        return g_lattice_segment(rng)
    x2, y2 = x1 + dx, y1 + dy
    g = math.gcd(abs(dx), abs(dy))
    ans = g + 1
    brute = sum(1 for t in range(abs(dx) + 1) if (t * dy) % dx == 0)  # lattice x-steps with integer y
    check(brute == ans, "lattice points")
    q = (f"How many points with integer coordinates lie on the line segment from ({x1}, {y1}) to ({x2}, {y2}), "
         f"including both endpoints?")
    steps = [f"The segment moves {abs(dx)} across and {abs(dy)} up or down.",
             f"gcd({abs(dx)}, {abs(dy)}) = {g}, so it splits into {g} equal step{'s' if g > 1 else ''} of "
             f"({dx // g}, {dy // g}).",
             f"Lattice points: {g} + 1 = {ans}."]
    return _item("lattice_segment", "hard", q, steps, ans)


def g_inradius(rng):
    """Eval only."""
    a, b, c = rng.choice(TRIPLES)
    k = rng.randint(1, 5 if c < 20 else 2)
    a, b, c = a * k, b * k, c * k
    r = F(a + b - c, 2)
    check(r == F(a * b, a + b + c), "inradius two ways")  # area / semiperimeter
    q = f"A right triangle has sides {a}, {b} and {c}. What is the radius of its inscribed circle?"
    steps = [f"Area: {a} × {b} ÷ 2 = {a * b // 2}; semiperimeter: ({a} + {b} + {c}) ÷ 2 = {(a + b + c) // 2}.",
             "Inradius = area ÷ semiperimeter.", f"{a * b // 2} ÷ {(a + b + c) // 2} = {frac(r)}."]
    return _item("inradius", "hard", q, steps, r)


GENERATORS = {
    # number theory
    "gcd_lcm": (g_gcd_lcm, 10, 3), "mod_power": (g_mod_power, 10, 3), "units_digit": (g_units_digit, 9, 2),
    "digit_sum": (g_digit_sum, 10, 3), "divisible_count": (g_divisible_count, 10, 3),
    "num_divisors": (g_num_divisors, 9, 2), "trailing_zeros": (g_trailing_zeros, 8, 2),
    # counting
    "word_arrangements": (g_word_arrangements, 10, 2), "committee": (g_committee, 10, 3),
    "binomial_coefficient": (g_binomial, 10, 2), "grid_paths": (g_grid_paths, 9, 2),
    "together_apart": (g_together_apart, 9, 2), "inclusion_exclusion": (g_inclusion_exclusion, 9, 2),
    "polygon_counts": (g_polygon_counts, 9, 2), "digit_strings": (g_digit_strings, 8, 2),
    # sequences and series
    "arith_series": (g_arith_series, 9, 2), "arith_term": (g_arith_term, 9, 2), "geometric": (g_geometric, 9, 2),
    "recurrence": (g_recurrence, 9, 2), "power_sums": (g_power_sums, 9, 2),
    # algebra
    "linear_system": (g_linear_system, 10, 3), "quadratic_roots": (g_quadratic, 10, 3), "vieta": (g_vieta, 9, 2),
    "function_composition": (g_function_comp, 9, 2), "exponent_equation": (g_exponent_eq, 9, 2),
    # probability
    "two_dice": (g_two_dice, 10, 3), "draw_two": (g_draw_two, 10, 3), "coins": (g_coins, 9, 2),
    # geometry
    "pythagorean": (g_pythagorean, 10, 2), "polygon_sides": (g_polygon_sides, 9, 2),
    "shoelace_area": (g_shoelace, 9, 2), "circle_chord": (g_chord, 8, 2), "lattice_segment": (g_lattice_segment, 8, 2),
}

# Whole problem types that appear only in the held-out set (n_train = 0).
EVAL_ONLY_GENERATORS = {
    "crt": (g_crt, 0, 5), "stars_bars": (g_stars_bars, 0, 5), "telescoping": (g_telescoping, 0, 4),
    "at_least_one": (g_at_least_one, 0, 4), "inradius": (g_inradius, 0, 4),
}
