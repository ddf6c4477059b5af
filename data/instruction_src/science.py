"""School-level science questions, most of them multiple choice (options A-D), written for ModRoute.

Two kinds of items:

- templates whose answers are computed (speed, density, Ohm's law, moles, half-life, unit conversions,
  forces, energy, waves, genetics crosses, counting atoms and subatomic particles, ...). Every computed
  step is written as `expression = value` (data/validate.py re-evaluates them with exact fractions), and the
  distractors are the values that common mistakes give (multiplying instead of dividing, forgetting a
  factor of 2, ...), never the right value;
- hand-written facts across physics, chemistry, biology and earth/space science, each with one correct
  option, three wrong ones and a one- or two-line explanation. The facts held out for evaluation
  (EVAL_FACTS) are different facts, written separately, and never appear in training.

A multiple-choice response reasons in a line or two and ends with `Answer: <letter>`; the item carries
`choices` ({"A": ..., "D": ...}). Short-answer items end with `Answer: <short answer>` and have no choices.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction as F

from .common import Item, pick_names
from .math_problems import num

LETTERS = "ABCD"


def _terminating(x) -> bool:
    try:
        num(x)
        return True
    except ValueError:
        return False


def mc(template, difficulty, stem, correct, wrong, steps, pos) -> Item:
    """A multiple-choice item with the correct option at index ``pos``."""
    wrong = [w for w in dict.fromkeys(wrong) if w != correct]
    if len(wrong) != 3:
        raise ValueError(f"{template}: need 3 distinct wrong options, got {wrong} for {correct!r}")
    options = [_cap(o) for o in wrong[:pos] + [correct] + wrong[pos:]]
    question = stem + "\n" + "\n".join(f"{letter}) {opt}" for letter, opt in zip(LETTERS, options, strict=True))
    return Item(template, difficulty, question, list(steps), LETTERS[pos],
                extra={"choices": dict(zip(LETTERS, options, strict=True))})


def numeric_options(rng, correct, mistakes, unit="", whole=False) -> tuple[str, list[str]]:
    """The correct value and three wrong ones as option texts. ``mistakes`` are values that typical errors
    give; factor-of-ten and doubling slips (or, for counts, ``whole``, neighbouring whole numbers) fill in
    when there are too few distinct ones."""
    correct = F(correct)
    fill = [correct + 1, correct + 2, correct - 1, correct + 3] if whole else \
        [correct * 10, correct / 10, correct * 2, correct / 2, correct + 1]
    pool = []
    for m in list(mistakes) + fill:
        m = F(m)
        ok = (m >= 0 and m.denominator == 1) if whole else (m > 0 and _terminating(m))
        if ok and m != correct and m not in pool:
            pool.append(m)
    head = pool[:len(mistakes)]
    rng.shuffle(head)
    chosen = (head + pool[len(head):])[:3]

    def fmt(v):
        return f"{num(v)} {unit}".strip()

    return fmt(correct), [fmt(v) for v in chosen]


def _ask(rng, template, difficulty, stem, correct, mistakes, steps, unit="", short_share=0.25, whole=False):
    """A computed question: multiple choice most of the time, else short answer with the unit."""
    if rng.random() < short_share:
        answer = f"{num(correct)} {unit}".strip()
        return Item(template, difficulty, stem, steps, answer)
    right, wrong = numeric_options(rng, correct, mistakes, unit, whole)
    return mc(template, difficulty, stem, right, wrong, steps, rng.randrange(4))


# ----------------------------------------------------------------------------- physics templates
MOVERS = ["A cyclist", "A runner", "A toy car", "A train", "A skateboarder", "A horse", "A drone", "A boat",
          "A snail", "A rolling ball", "A tortoise", "A sprinter"]


def t_speed(rng):
    who = rng.choice(MOVERS)
    t = rng.choice([2, 4, 5, 8, 10, 12, 15, 20, 25, 40, 50])
    v = rng.choice([F(1, 2), 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, F(5, 2)])
    d = v * t
    kind = rng.choice(["speed", "speed", "distance", "time"])
    if kind == "speed":
        stem = rng.choice([f"{who} travels {num(d)} m in {t} s. What is its average speed?",
                           f"{who} covers {num(d)} metres in {t} seconds. Find its average speed.",
                           f"In {t} seconds, {who.lower()} moves {num(d)} m. How fast is it going on average?"])
        steps = [f"Speed = distance ÷ time = {num(d)} ÷ {t} = {num(v)} m/s."]
        return _ask(rng, "speed", "easy", stem, v, [d * t, F(t) / d if d else 1, d + t], steps, "m/s")
    if kind == "distance":
        stem = rng.choice([f"{who} moves at a steady {num(v)} m/s for {t} s. What distance does it cover?",
                           f"What distance does {who.lower()} cover in {t} seconds at a constant {num(v)} m/s?"])
        steps = [f"Distance = speed × time = {num(v)} × {t} = {num(d)} m."]
        return _ask(rng, "speed", "easy", stem, d, [v / t, v + t, d / 10 if d > 10 else d * 100], steps, "m")
    stem = rng.choice([f"{who} moving at {num(v)} m/s needs to cover {num(d)} m. How long does it take?",
                       f"How many seconds does {who.lower()} need to travel {num(d)} m at {num(v)} m/s?"])
    steps = [f"Time = distance ÷ speed = {num(d)} ÷ {num(v)} = {t} s."]
    return _ask(rng, "speed", "medium", stem, t, [d * v, v / d if d else 1, d - v if d > v else d + v], steps, "s")


MATERIALS = ["block", "cube of plastic", "stone", "metal bolt", "piece of wood", "rubber ball", "wax candle",
             "glass marble", "cork", "brick", "lump of clay", "bar of soap"]


def t_density(rng):
    thing = rng.choice(MATERIALS)
    vol = rng.choice([5, 8, 10, 20, 25, 40, 50, 80, 100, 125, 200])
    rho = rng.choice([F(1, 4), F(1, 2), F(3, 5), F(4, 5), F(6, 5), F(3, 2), 2, F(5, 2), 3, 4, F(27, 10), F(79, 10)])
    mass = rho * vol
    if not _terminating(mass):
        return t_density(rng)
    kind = rng.choice(["density", "density", "mass", "float"])
    if kind == "density":
        stem = rng.choice([f"A {thing} has a mass of {num(mass)} g and a volume of {vol} cm³. What is its density?",
                           f"What is the density of a {thing} with mass {num(mass)} g and volume {vol} cm³?"])
        steps = [f"Density = mass ÷ volume = {num(mass)} ÷ {vol} = {num(rho)} g/cm³."]
        return _ask(rng, "density", "easy", stem, rho, [mass * vol, F(vol) / mass, mass - vol if mass > vol else
                                                         mass + vol], steps, "g/cm³")
    if kind == "mass":
        stem = f"A {thing} has a density of {num(rho)} g/cm³ and a volume of {vol} cm³. What is its mass?"
        steps = [f"Mass = density × volume = {num(rho)} × {vol} = {num(mass)} g."]
        return _ask(rng, "density", "medium", stem, mass, [F(vol) / rho, rho / vol, rho + vol], steps, "g")
    floats = rho < 1
    stem = (f"A {thing} has a mass of {num(mass)} g and a volume of {vol} cm³. Water has a density of 1 g/cm³. "
            f"What happens when it is placed in water?")
    steps = [f"Density = {num(mass)} ÷ {vol} = {num(rho)} g/cm³.",
             f"That is {'less' if floats else 'more'} than water's 1 g/cm³, so it {'floats' if floats else 'sinks'}."]
    if floats:
        right = "It floats, because its density is less than water's"
        wrong = ["It sinks, because its density is more than water's", "It sinks, because its mass is more than 1 g",
                 "It floats, because its density is more than water's"]
    else:
        right = "It sinks, because its density is more than water's"
        wrong = ["It floats, because its density is less than water's", "It floats, because its volume is large",
                 "It sinks, because its density is less than water's"]
    return mc("density", "medium", stem, right, wrong, steps, rng.randrange(4))


def t_ohm(rng):
    current = rng.choice([F(1, 2), 1, F(3, 2), 2, 3, 4, 5, F(1, 4), F(1, 5), 6])
    resistance = rng.choice([2, 4, 5, 6, 8, 10, 12, 20, 24, 30, 40, 60])
    voltage = current * resistance
    device = rng.choice(["a lamp", "a heater coil", "a resistor", "a small motor", "a torch bulb", "a kettle element"])
    kind = rng.choice(["V", "I", "R"])
    if kind == "V":
        stem = f"A current of {num(current)} A flows through {device} with a resistance of {resistance} Ω. What is the voltage across it?"
        steps = [f"V = I × R = {num(current)} × {resistance} = {num(voltage)} V."]
        return _ask(rng, "ohms_law", "easy", stem, voltage, [F(resistance) / current, current / resistance,
                                                             current + resistance], steps, "V")
    if kind == "I":
        stem = f"{device.capitalize()} with a resistance of {resistance} Ω is connected to {num(voltage)} V. What current flows?"
        steps = [f"I = V ÷ R = {num(voltage)} ÷ {resistance} = {num(current)} A."]
        return _ask(rng, "ohms_law", "medium", stem, current, [voltage * resistance, F(resistance) / voltage,
                                                               voltage + resistance], steps, "A")
    stem = f"There are {num(voltage)} V across {device} and a current of {num(current)} A through it. What is its resistance?"
    steps = [f"R = V ÷ I = {num(voltage)} ÷ {num(current)} = {resistance} Ω."]
    return _ask(rng, "ohms_law", "medium", stem, resistance, [voltage * current, current / voltage,
                                                              voltage - current if voltage > current else voltage + current],
                steps, "Ω")


def t_power(rng):
    voltage = rng.choice([3, 6, 9, 12, 24, 110, 230])
    current = rng.choice([F(1, 2), 1, 2, 3, 4, 5, 10, F(1, 10)])
    power = voltage * current
    device = rng.choice(["A hair dryer", "A fan", "A phone charger", "A toaster", "A lamp", "A drill", "A speaker"])
    if rng.random() < 0.5:
        stem = f"{device} draws {num(current)} A from a {voltage} V supply. What is its power?"
        steps = [f"Power = voltage × current = {voltage} × {num(current)} = {num(power)} W."]
        return _ask(rng, "electric_power", "easy", stem, power, [F(voltage) / current, current / voltage,
                                                                 voltage + current], steps, "W")
    secs = rng.choice([10, 20, 30, 60, 100, 120])
    energy = power * secs
    stem = f"{device} runs at {num(power)} W for {secs} s. How much energy does it use?"
    steps = [f"Energy = power × time = {num(power)} × {secs} = {num(energy)} J."]
    return _ask(rng, "electric_power", "medium", stem, energy, [power / secs, power + secs, energy / 60], steps, "J")


def t_force(rng):
    mass = rng.choice([2, 4, 5, 10, 20, 50, 60, 80, 100, 250, 1000, 1200])
    acc = rng.choice([F(1, 2), 1, 2, 3, 4, 5, 6, 8, 10, F(3, 2)])
    force = mass * acc
    obj = rng.choice(["cart", "box", "sled", "shopping trolley", "car", "canoe", "wagon", "crate"])
    kind = rng.choice(["F", "a", "weight"])
    if kind == "F":
        stem = f"What force is needed to give a {mass} kg {obj} an acceleration of {num(acc)} m/s²?"
        steps = [f"F = m × a = {mass} × {num(acc)} = {num(force)} N."]
        return _ask(rng, "force", "easy", stem, force, [F(mass) / acc, acc / mass, mass + acc], steps, "N")
    if kind == "a":
        stem = f"A net force of {num(force)} N acts on a {mass} kg {obj}. What is its acceleration?"
        steps = [f"a = F ÷ m = {num(force)} ÷ {mass} = {num(acc)} m/s²."]
        return _ask(rng, "force", "medium", stem, acc, [force * mass, F(mass) / force, force - mass if force > mass
                                                         else force + mass], steps, "m/s²")
    where = rng.choice([("Earth", 10), ("the Moon", F(8, 5)), ("Mars", 4), ("Earth", 10)])
    m = rng.choice([2, 5, 10, 15, 20, 40, 50, 60, 75])
    weight = m * where[1]
    stem = (f"What is the weight of a {m} kg {obj} on {where[0]}, where the gravitational field strength is "
            f"{num(where[1])} N/kg?")
    steps = [f"Weight = mass × g = {m} × {num(where[1])} = {num(weight)} N.",
             "Its mass stays the same everywhere; only the weight depends on g."]
    return _ask(rng, "force", "medium", stem, weight, [F(m) / where[1], m, m * 10 if where[1] != 10 else m * F(8, 5)],
                steps, "N")


def t_energy(rng):
    if rng.random() < 0.5:
        m = rng.choice([1, 2, 4, 5, 10, 20, 50, 60, 80])
        v = rng.choice([1, 2, 3, 4, 5, 6, 10, 20])
        ke = F(m * v * v, 2)
        obj = rng.choice(["ball", "bike and rider", "trolley", "cart", "dog", "parcel"])
        stem = f"A {m} kg {obj} moves at {v} m/s. What is its kinetic energy? (KE = ½ × m × v²)"
        steps = [f"v² = {v} × {v} = {v * v}.", f"KE = ½ × m × v² = 0.5 × {m} × {v * v} = {num(ke)} J."]
        return _ask(rng, "energy", "medium", stem, ke, [m * v * v, F(m * v, 2), m * v], steps, "J")
    m = rng.choice([1, 2, 3, 5, 10, 20, 40, 50, 60])
    h = rng.choice([2, 3, 4, 5, 10, 12, 15, 20, 30])
    gpe = m * 10 * h
    obj = rng.choice(["book", "bucket of water", "climber", "crate", "flower pot", "backpack"])
    stem = f"A {m} kg {obj} is lifted {h} m. How much gravitational potential energy does it gain? Use g = 10 N/kg."
    steps = [f"GPE = m × g × h = {m} × 10 × {h} = {gpe} J."]
    return _ask(rng, "energy", "easy", stem, gpe, [m * h, F(m * h, 10), m * 10 + h], steps, "J")


def t_pressure(rng):
    area = rng.choice([F(1, 10), F(1, 4), F(1, 2), 1, 2, 4, 5, 8, 10, F(1, 20)])
    pressure = rng.choice([20, 50, 100, 200, 400, 500, 1000, 2000, 3000, 5000])
    force = pressure * area
    what = rng.choice(["A box", "An elephant's foot", "A crate", "A table leg", "A brick", "A statue"])
    if rng.random() < 0.7:
        stem = f"{what} pushes down with a force of {num(force)} N on an area of {num(area)} m². What pressure does it exert?"
        steps = [f"Pressure = force ÷ area = {num(force)} ÷ {num(area)} = {pressure} Pa."]
        return _ask(rng, "pressure", "medium", stem, pressure, [force * area, area / force if force else 1,
                                                                force], steps, "Pa")
    stem = f"A pressure of {pressure} Pa acts on an area of {num(area)} m². What force is that?"
    steps = [f"Force = pressure × area = {pressure} × {num(area)} = {num(force)} N."]
    return _ask(rng, "pressure", "medium", stem, force, [pressure / area, area / pressure, pressure + area], steps, "N")


def t_wave(rng):
    f = rng.choice([2, 4, 5, 10, 20, 50, 100, 200, 250, 500])
    lam = rng.choice([F(1, 2), 1, 2, 3, 4, 5, F(17, 10), F(34, 100), F(3, 4), 10])
    v = f * lam
    wave = rng.choice(["A water wave", "A sound wave", "A wave on a rope", "A wave on a spring", "A ripple"])
    if rng.random() < 0.6:
        stem = f"{wave} has a frequency of {f} Hz and a wavelength of {num(lam)} m. What is its speed?"
        steps = [f"Wave speed = frequency × wavelength = {f} × {num(lam)} = {num(v)} m/s."]
        return _ask(rng, "wave_speed", "medium", stem, v, [F(f) / lam, lam / f, f + lam], steps, "m/s")
    stem = f"{wave} travels at {num(v)} m/s with a frequency of {f} Hz. What is its wavelength?"
    steps = [f"Wavelength = speed ÷ frequency = {num(v)} ÷ {f} = {num(lam)} m."]
    return _ask(rng, "wave_speed", "medium", stem, lam, [v * f, F(f) / v, v - f if v > f else v + f], steps, "m")


def t_work(rng):
    force = rng.choice([5, 10, 20, 25, 40, 50, 80, 100, 150, 200])
    dist = rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 20])
    work = force * dist
    who = pick_names(rng, 1)[0]
    if rng.random() < 0.5:
        thing = rng.choice(["a sofa", "a box", "a sledge", "a wheelbarrow", "a trolley"])
        stem = f"{who} pushes {thing} with a force of {force} N for {dist} m. How much work is done?"
        steps = [f"Work = force × distance = {force} × {dist} = {work} J."]
        return _ask(rng, "work_power", "easy", stem, work, [F(force, dist), force + dist, F(work, 10)], steps, "J")
    secs = rng.choice([2, 4, 5, 8, 10, 20, 25])
    power = F(work, secs)
    if not _terminating(power):
        return t_work(rng)
    stem = f"A motor does {work} J of work in {secs} s. What is its power?"
    steps = [f"Power = work ÷ time = {work} ÷ {secs} = {num(power)} W."]
    return _ask(rng, "work_power", "medium", stem, power, [work * secs, F(secs, work), work - secs], steps, "W")


def t_moments(rng):
    f1 = rng.choice([10, 20, 30, 40, 50, 60, 100, 120])
    d1 = rng.choice([F(1, 2), 1, 2, 3, 4, F(3, 2), 5])
    d2 = rng.choice([F(1, 4), F(1, 2), 1, 2, 3, 4, 6, 8])
    f2 = f1 * d1 / d2
    if d1 == d2 or not _terminating(f2):
        return t_moments(rng)
    n1, n2 = pick_names(rng, 2)
    if rng.random() < 0.5:
        stem = (f"On a seesaw, {n1} pushes down with {f1} N at {num(d1)} m from the pivot. What force must {n2} "
                f"apply at {num(d2)} m on the other side to balance it?")
    else:
        stem = (f"A {f1} N weight hangs {num(d1)} m from the pivot of a lever. What force, {num(d2)} m from the "
                f"pivot on the other side, balances it?")
    steps = ["Balanced moments: force × distance is equal on both sides.",
             f"Left moment: {f1} × {num(d1)} = {num(f1 * d1)} N m.",
             f"Force = {num(f1 * d1)} ÷ {num(d2)} = {num(f2)} N."]
    return _ask(rng, "moments", "hard", stem, f2, [f1 * d2 / d1, f1 * d1 * d2, f1], steps, "N")


def t_sound_distance(rng):
    t = rng.choice([F(1, 2), 1, F(3, 2), 2, 3, 4, 5, 6, F(5, 2)])
    kind = rng.choice(["echo", "thunder"])
    if kind == "echo":
        d = 340 * t / 2
        who = pick_names(rng, 1)[0]
        stem = (f"{who} shouts towards a cliff and hears the echo {num(t)} s later. Sound travels at 340 m/s. "
                f"How far away is the cliff?")
        steps = [f"The sound goes there and back: 340 × {num(t)} = {num(340 * t)} m in total.",
                 f"Distance to the cliff: {num(340 * t)} ÷ 2 = {num(d)} m."]
        return _ask(rng, "sound_distance", "hard", stem, d, [340 * t, F(340) / t, 340 * t * 2], steps, "m")
    d = 340 * t
    stem = (f"Thunder is heard {num(t)} s after a lightning flash is seen. Sound travels at 340 m/s, and the light "
            f"arrives almost at once. How far away was the lightning?")
    steps = ["The flash arrives almost instantly, so the delay is the sound's travel time.",
             f"Distance = 340 × {num(t)} = {num(d)} m."]
    return _ask(rng, "sound_distance", "medium", stem, d, [d / 2, F(340) / t, d * 2], steps, "m")


def t_convert(rng):
    kind = rng.choice(["kmh", "ms", "kelvin", "celsius", "fahrenheit", "grams", "ml"])
    if kind == "kmh":
        v = rng.choice([18, 36, 54, 72, 90, 108, 126, 144])
        ms = F(v * 1000, 3600)
        stem = f"Convert {v} km/h to m/s."
        steps = ["1 km/h = 1000 m ÷ 3600 s.", f"{v} × 1000 ÷ 3600 = {num(ms)} m/s."]
        return _ask(rng, "unit_conversion", "medium", stem, ms, [v * F(36, 10), F(v, 60), v * 1000], steps, "m/s")
    if kind == "ms":
        v = rng.choice([5, 10, 15, 20, 25, 30, 40])
        kmh = v * F(36, 10)
        stem = f"A car travels at {v} m/s. What is that in km/h?"
        steps = [f"Multiply by 3600 s and divide by 1000 m: {v} × 3600 ÷ 1000 = {num(kmh)} km/h."]
        return _ask(rng, "unit_conversion", "medium", stem, kmh, [F(v * 1000, 3600), v * 60, v * 1000], steps, "km/h")
    if kind == "kelvin":
        c = rng.choice([-40, -20, -10, 0, 15, 20, 27, 37, 50, 100, 127])
        stem = f"What is {c} °C in kelvin?"
        steps = [f"K = °C + 273 = {c} + 273 = {c + 273} K."]
        return _ask(rng, "unit_conversion", "easy", stem, c + 273, [273 - c if c else 0, c + 100, c + 373], steps, "K")
    if kind == "celsius":
        k = rng.choice([200, 250, 273, 300, 310, 350, 373, 400, 500])
        stem = f"A gas is at {k} K. What is its temperature in °C?"
        steps = [f"°C = K - 273 = {k} - 273 = {k - 273} °C."]
        if k - 273 <= 0:
            right = f"{k - 273} °C"
            wrong = [f"{k + 273} °C", f"{273 - k + 10} °C" if k != 273 else "-273 °C", f"{k} °C"]
            if rng.random() < 0.25:
                return Item("unit_conversion", "easy", stem, steps, right)
            return mc("unit_conversion", "easy", stem, right, wrong, steps, rng.randrange(4))
        return _ask(rng, "unit_conversion", "easy", stem, k - 273, [k + 273, k, k - 100], steps, "°C")
    if kind == "fahrenheit":
        c = rng.choice([0, 10, 20, 25, 30, 35, 40, 50, 100])
        f = c * F(9, 5) + 32
        stem = f"Convert {c} °C to °F. (°F = °C × 9/5 + 32)"
        steps = [f"{c} × 9 ÷ 5 = {num(c * F(9, 5))}.", f"{num(c * F(9, 5))} + 32 = {num(f)} °F."]
        return _ask(rng, "unit_conversion", "medium", stem, f, [c * F(9, 5), (c + 32) * F(9, 5), c + 32], steps, "°F")
    if kind == "grams":
        g = rng.choice([250, 500, 750, 1200, 1500, 2500, 3400, 80, 60])
        stem = f"A sample has a mass of {g} g. What is its mass in kilograms?"
        steps = [f"1 kg = 1000 g, so {g} ÷ 1000 = {num(F(g, 1000))} kg."]
        return _ask(rng, "unit_conversion", "easy", stem, F(g, 1000), [F(g, 100), g * 1000, F(g, 10)], steps, "kg")
    ml = rng.choice([250, 330, 500, 750, 1500, 2000, 125, 50])
    stem = f"A beaker holds {ml} mL of water. How many litres is that?"
    steps = [f"1 L = 1000 mL, so {ml} ÷ 1000 = {num(F(ml, 1000))} L."]
    return _ask(rng, "unit_conversion", "easy", stem, F(ml, 1000), [F(ml, 100), F(ml, 10), ml * 1000], steps, "L")


def t_heat(rng):
    m = rng.choice([50, 100, 200, 250, 500, 1000])
    dt = rng.choice([2, 5, 10, 20, 25, 40, 50])
    q = m * F(42, 10) * dt
    stem = (f"How much heat energy warms {m} g of water by {dt} °C? Water's specific heat capacity is "
            f"4.2 J/g°C.")
    steps = [f"Q = m × c × ΔT = {m} × 4.2 × {dt} = {num(q)} J."]
    return _ask(rng, "heat", "hard", stem, q, [m * dt, m * F(42, 10), q / 10], steps, "J")


# ----------------------------------------------------------------------------- chemistry templates
# Rounded atomic masses used in school.
ATOMIC_MASS = {"H": 1, "C": 12, "N": 14, "O": 16, "Na": 23, "Mg": 24, "Al": 27, "S": 32, "K": 39, "Ca": 40,
               "Fe": 56, "Cu": 64, "Zn": 65, "Cl": F(71, 2), "Si": 28, "P": 31}
COMPOUNDS = [("water", "H2O"), ("carbon dioxide", "CO2"), ("methane", "CH4"), ("ammonia", "NH3"),
             ("oxygen gas", "O2"), ("sodium hydroxide", "NaOH"), ("calcium carbonate", "CaCO3"),
             ("glucose", "C6H12O6"), ("sulfuric acid", "H2SO4"), ("magnesium oxide", "MgO"), ("ethanol", "C2H5OH"),
             ("nitrogen gas", "N2"), ("sodium chloride", "NaCl"), ("calcium hydroxide", "Ca(OH)2"),
             ("iron(III) oxide", "Fe2O3"), ("copper(II) sulfate", "CuSO4"), ("propane", "C3H8"),
             ("nitric acid", "HNO3"), ("aluminium oxide", "Al2O3"), ("potassium nitrate", "KNO3"),
             ("zinc oxide", "ZnO"), ("silicon dioxide", "SiO2"), ("hydrogen peroxide", "H2O2"),
             ("ethene", "C2H4"), ("butane", "C4H10"), ("sulfur dioxide", "SO2"), ("magnesium chloride", "MgCl2")]


def parse_formula(formula: str) -> dict[str, int]:
    """Element counts in a formula such as 'Ca(OH)2', in order of first appearance."""
    stack: list[Counter] = [Counter()]
    last: Counter | None = None  # the element or bracketed group a following number multiplies
    for tok in re.findall(r"[A-Z][a-z]?|\d+|\(|\)", formula):
        if tok == "(":
            stack.append(Counter())
            last = None
        elif tok == ")":
            last = stack.pop()
            stack[-1].update(last)
        elif tok.isdigit():
            for el, c in last.items():
                stack[-1][el] += c * (int(tok) - 1)
            last = None
        else:
            last = Counter({tok: 1})
            stack[-1].update(last)
    return dict(stack[0])


def molar_mass(formula: str):
    return sum(ATOMIC_MASS[el] * c for el, c in parse_formula(formula).items())


def _mass_terms(counts):
    return [f"{c} × {num(ATOMIC_MASS[el])}" if c > 1 else num(ATOMIC_MASS[el]) for el, c in counts.items()]


def t_molar_mass(rng):
    name, formula = rng.choice(COMPOUNDS)
    counts = parse_formula(formula)
    mm = molar_mass(formula)
    used = ", ".join(f"{el} = {num(ATOMIC_MASS[el])}" for el in counts)
    stem = rng.choice([f"What is the molar mass of {name} ({formula})? Use {used}.",
                       f"Using {used}, find the relative formula mass of {formula} ({name})."])
    steps = [f"{formula} has " + ", ".join(f"{c} {el}" for el, c in counts.items()) + ".",
             f"{' + '.join(_mass_terms(counts))} = {num(mm)}."]
    plain_sum = sum(ATOMIC_MASS[el] for el in counts)
    return _ask(rng, "molar_mass", "medium", stem, mm, [plain_sum, mm + 16, mm - 1 if mm > 2 else mm + 2], steps,
                "g/mol", short_share=0.3)


def t_moles(rng):
    name, formula = rng.choice(COMPOUNDS)
    mm = molar_mass(formula)
    n = rng.choice([F(1, 10), F(1, 4), F(1, 2), 1, F(3, 2), 2, 3, 4, 5, 10])
    mass = mm * n
    if not _terminating(mass):
        return t_moles(rng)
    if rng.random() < 0.6:
        stem = f"How many moles are in {num(mass)} g of {name} ({formula}, molar mass {num(mm)} g/mol)?"
        steps = [f"Moles = mass ÷ molar mass = {num(mass)} ÷ {num(mm)} = {num(n)} mol."]
        return _ask(rng, "moles", "medium", stem, n, [mass * mm, mm / mass, n * 10], steps, "mol")
    stem = f"What is the mass of {num(n)} mol of {name} ({formula})? Its molar mass is {num(mm)} g/mol."
    steps = [f"Mass = moles × molar mass = {num(n)} × {num(mm)} = {num(mass)} g."]
    return _ask(rng, "moles", "medium", stem, mass, [mm / n, n / mm if _terminating(n / mm) else mm + n, mm], steps, "g")


def t_atoms_in_formula(rng):
    name, formula = rng.choice(COMPOUNDS)
    counts = parse_formula(formula)
    total = sum(counts.values())
    kind = rng.choice(["total", "element"]) if len(counts) > 1 else "total"
    if kind == "total":
        stem = f"How many atoms are there in one molecule or formula unit of {name}, {formula}?"
        steps = [f"{formula} has " + ", ".join(f"{c} {el}" for el, c in counts.items()) + ".",
                 f"Total: {' + '.join(str(c) for c in counts.values())} = {total}." if len(counts) > 1 else
                 f"Total: {total}."]
        wrong = [len(counts), total + 1, total - 1 if total > 2 else total + 2, total * 2]
        return _ask(rng, "atoms_in_formula", "easy", stem, total, wrong, steps, "", short_share=0.3, whole=True)
    el = rng.choice(sorted(counts))
    stem = f"How many {el} atoms are in one unit of {formula} ({name})?"
    steps = [f"{formula} has " + ", ".join(f"{c} {e}" for e, c in counts.items()) + f", so {counts[el]} {el}."]
    wrong = [total, counts[el] + 1, counts[el] * 2, max(1, counts[el] - 1)]
    return _ask(rng, "atoms_in_formula", "easy", stem, counts[el], wrong, steps, "", short_share=0.3, whole=True)


# name, symbol, atomic number, mass number of a common isotope
ELEMENTS = [("hydrogen", "H", 1, 1), ("helium", "He", 2, 4), ("lithium", "Li", 3, 7), ("carbon", "C", 6, 12),
            ("nitrogen", "N", 7, 14), ("oxygen", "O", 8, 16), ("fluorine", "F", 9, 19), ("neon", "Ne", 10, 20),
            ("sodium", "Na", 11, 23), ("magnesium", "Mg", 12, 24), ("aluminium", "Al", 13, 27),
            ("silicon", "Si", 14, 28), ("phosphorus", "P", 15, 31), ("sulfur", "S", 16, 32),
            ("chlorine", "Cl", 17, 35), ("argon", "Ar", 18, 40), ("potassium", "K", 19, 39), ("calcium", "Ca", 20, 40),
            ("iron", "Fe", 26, 56), ("copper", "Cu", 29, 63), ("zinc", "Zn", 30, 65), ("carbon", "C", 6, 14),
            ("uranium", "U", 92, 238), ("iodine", "I", 53, 127), ("silver", "Ag", 47, 108), ("gold", "Au", 79, 197)]


def t_particles(rng):
    name, sym, z, a = rng.choice(ELEMENTS)
    kind = rng.choice(["neutrons", "neutrons", "protons", "electrons", "mass_number"])
    label = f"{name}-{a}"
    if kind == "neutrons":
        stem = f"An atom of {label} ({sym}) has atomic number {z}. How many neutrons does it have?"
        steps = [f"Neutrons = mass number - atomic number = {a} - {z} = {a - z}."]
        return _ask(rng, "subatomic_particles", "medium", stem, a - z, [z, a, a + z], steps, "", short_share=0.3, whole=True)
    if kind == "protons":
        stem = f"{_cap(label)} has mass number {a} and atomic number {z}. How many protons are in its nucleus?"
        steps = ["The atomic number is the number of protons.", f"So there are {z} protons."]
        return _ask(rng, "subatomic_particles", "easy", stem, z, [a, a - z if a - z != z else a + 1, a + z], steps,
                    "", short_share=0.3, whole=True)
    if kind == "electrons":
        stem = f"How many electrons does a neutral atom of {name} (atomic number {z}, mass number {a}) have?"
        steps = ["A neutral atom has as many electrons as protons.", f"Protons = atomic number = {z}, so {z} electrons."]
        return _ask(rng, "subatomic_particles", "easy", stem, z, [a, a - z if a - z != z else a + 1, a + z], steps,
                    "", short_share=0.3, whole=True)
    stem = f"An atom has {z} protons and {a - z} neutrons. What is its mass number?"
    steps = [f"Mass number = protons + neutrons = {z} + {a - z} = {a}.", f"With {z} protons it is {name}."]
    return _ask(rng, "subatomic_particles", "easy", stem, a, [z, a - z if a - z != z else a + 1, a - z + 2 * z + 1],
                steps, "", short_share=0.3, whole=True)


def t_half_life(rng):
    iso = rng.choice(["A radioactive sample", "A sample of iodine-131", "A sample of cobalt-60", "A tracer isotope",
                      "A sample of radon-222", "A sample of technetium-99m"])
    h = rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 20, 30])
    k = rng.choice([1, 2, 3, 4])
    start = rng.choice([16, 32, 64, 80, 96, 160, 200, 320, 400, 800, 1000, 1600])
    left = F(start, 2 ** k)
    if not _terminating(left):
        return t_half_life(rng)
    unit = rng.choice(["days", "hours", "years", "minutes"])
    kind = rng.choice(["left", "left", "time"])
    if kind == "left":
        stem = f"{iso} has a half-life of {h} {unit}. If there are {start} g now, how much is left after {h * k} {unit}?"
        steps = [f"Number of half-lives: {h * k} ÷ {h} = {k}."]
        amount = F(start)
        for _ in range(k):
            steps.append(f"{num(amount)} ÷ 2 = {num(amount / 2)} g.")
            amount /= 2
        return _ask(rng, "half_life", "medium" if k <= 2 else "hard", stem, left,
                    [F(start, 2 * k), start - F(start, 2) * k if start - F(start, 2) * k > 0 else F(start, 3 * k),
                     F(start, 2 ** (k + 1))], steps, "g")
    stem = (f"{iso} has a half-life of {h} {unit}. How long does it take for {start} g to fall to "
            f"{num(left)} g?")
    steps = [f"{start} ÷ {num(left)} = {2 ** k}, which is {k} halving{'s' if k > 1 else ''}.",
             f"Time = {k} × {h} = {h * k} {unit}."]
    return _ask(rng, "half_life", "hard", stem, h * k, [h, h * k * 2, h * 2 ** k if 2 ** k != k else h + 1], steps,
                unit)


def t_ph(rng):
    ph = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, F(11, 2), F(15, 2)])
    what = rng.choice(["A solution", "A cleaning liquid", "A sample of rainwater", "A drink", "A soil sample",
                       "A pond water sample"])
    stem = f"{what} has a pH of {num(ph)}. How is it best described?"
    if ph < 7:
        right = "strongly acidic" if ph <= 3 else "weakly acidic"
        steps = [f"pH below 7 is acidic; {num(ph)} is {'far below' if ph <= 3 else 'a little below'} 7, so it is {right}."]
        wrong = ["neutral", "strongly alkaline" if ph <= 3 else "weakly alkaline",
                 "weakly acidic" if ph <= 3 else "strongly acidic"]
    elif ph == 7:
        right = "neutral"
        steps = ["pH 7 is neither acidic nor alkaline: it is neutral."]
        wrong = ["weakly acidic", "strongly alkaline", "strongly acidic"]
    else:
        right = "strongly alkaline" if ph >= 11 else "weakly alkaline"
        steps = [f"pH above 7 is alkaline (basic); {num(ph)} is {'far above' if ph >= 11 else 'a little above'} 7, so it is {right}."]
        wrong = ["neutral", "strongly acidic" if ph >= 11 else "weakly acidic",
                 "weakly alkaline" if ph >= 11 else "strongly alkaline"]
    return mc("ph_scale", "easy", stem, right, wrong, steps, rng.randrange(4))


# ----------------------------------------------------------------------------- biology template
TRAITS = [("tall", "short", "T", "pea plants"), ("purple flowers", "white flowers", "P", "pea plants"),
          ("brown fur", "white fur", "B", "rabbits"), ("round seeds", "wrinkled seeds", "R", "pea plants"),
          ("black coat", "red coat", "B", "cattle"), ("long wings", "short wings", "W", "fruit flies"),
          ("free earlobes", "attached earlobes", "E", "people"), ("green pods", "yellow pods", "G", "pea plants")]


def t_punnett(rng):
    dom, rec, letter, who = rng.choice(TRAITS)
    low = letter.lower()
    genos = [letter + letter, letter + low, low + low]
    p1, p2 = rng.choice(genos), rng.choice(genos)
    kids = [a + b for a in p1 for b in p2]
    kids = ["".join(sorted(k, key=lambda c: (c.islower(), c))) for k in kids]
    kind = rng.choice(["recessive", "dominant", "hetero"])
    if kind == "recessive":
        count = sum(1 for k in kids if k == low + low)
        target = f"have {rec}"
    elif kind == "dominant":
        count = sum(1 for k in kids if letter in k)
        target = f"have {dom}"
    else:
        count = sum(1 for k in kids if k == letter + low)
        target = f"are heterozygous ({letter}{low})"
    pct = count * 25
    stem = (f"In {who}, the allele for {dom} ({letter}) is dominant over the allele for {rec} ({low}). One parent "
            f"is {p1} and the other is {p2}. What percentage of the offspring are expected to {target}?")
    steps = [f"The four equally likely combinations are {', '.join(kids)}.",
             f"{count} of the 4 {target}: {count} ÷ 4 × 100 = {pct}%."]
    right = f"{pct}%"
    wrong = [f"{p}%" for p in (0, 25, 50, 75, 100) if p != pct]
    rng.shuffle(wrong)
    return mc("punnett", "hard", stem, right, wrong[:3], steps, rng.randrange(4))


# ----------------------------------------------------------------------------- hand-written facts
# One fact a line: difficulty (e/m/h) | question | correct option | three wrong options, ";"-separated |
# explanation (one or two sentences, our own words). "[topic]" lines start a section.
TRAIN_FACTS = """
[physics]
e | What is the SI unit of force? | the newton | the joule; the watt; the pascal | Force is measured in newtons (N); joules measure energy and watts measure power.
e | Which unit is used to measure energy? | joule | newton; ampere; hertz | Energy and work are both measured in joules (J).
e | What does a watt measure? | power, the rate of using energy | electric charge; force; temperature | One watt is one joule of energy transferred every second.
e | Electrical resistance is measured in which unit? | ohms | volts; amperes; watts | Resistance is measured in ohms (Ω).
e | Which unit is used for electric current? | the ampere | the volt; the ohm; the joule | Current, the flow of charge, is measured in amperes (amps).
e | What is measured in hertz? | frequency | wavelength; loudness; mass | One hertz means one wave or cycle every second.
m | Which of these cannot travel through empty space (a vacuum)? | sound | light; radio waves; X-rays | Sound needs particles to vibrate, so it cannot cross a vacuum, while light and other electromagnetic waves can.
m | Through which of these does sound travel fastest? | steel | air; water; a vacuum | Particles in solids are packed closely, so vibrations pass along fastest in solids such as steel.
m | About how fast does light travel in a vacuum? | 300,000 km per second | 300 km per second; 3,000 km per hour; 340 m per second | Light covers about 300,000 km every second; 340 m/s is roughly the speed of sound in air.
m | "An object keeps moving at the same speed in a straight line unless a force acts on it." Which law is this? | Newton's first law | Newton's second law; Newton's third law; the law of conservation of mass | This is Newton's first law, sometimes called the law of inertia.
m | A swimmer pushes the water backwards and moves forwards. Which law explains this? | Newton's third law | Newton's first law; Ohm's law; Hooke's law | Newton's third law: every force has an equal and opposite partner, so the water pushes the swimmer forwards.
m | Which equation is Newton's second law? | force = mass × acceleration | speed = distance ÷ time; voltage = current × resistance; density = mass ÷ volume | Newton's second law links force, mass and acceleration: F = m × a.
e | What force slows down a box sliding across the floor? | friction | magnetism; upthrust; tension | Friction acts between surfaces in contact and opposes the sliding motion.
e | What force pulls objects towards the centre of the Earth? | gravity | friction; magnetism; air resistance | Gravity is the attraction between masses; the Earth's gravity pulls things down towards its centre.
m | A hammer and a feather are dropped together on the airless Moon. What happens? | They land at the same time | The hammer lands first; The feather lands first; The feather floats away | With no air resistance, gravity gives every object the same acceleration, so they fall together.
m | An astronaut travels from Earth to the Moon. What happens to her mass? | It stays the same | It becomes zero; It becomes six times larger; It becomes about one sixth | Mass is the amount of matter and does not change; her weight drops because the Moon's gravity is weaker.
e | What kind of energy does a moving car have because of its motion? | kinetic energy | nuclear energy; sound energy; elastic energy | The energy an object has because it is moving is called kinetic energy.
e | A stretched rubber band stores which kind of energy? | elastic potential energy | kinetic energy; thermal energy; light energy | Stretching or squashing a springy object stores elastic potential energy.
e | What kind of energy is stored in food and batteries? | chemical energy | nuclear energy; kinetic energy; sound energy | Food and batteries store energy in chemical bonds, released by chemical reactions.
m | What does the law of conservation of energy say? | Energy cannot be created or destroyed, only changed from one form to another | Energy is always lost when it is used; Energy can be made from nothing by machines; Only kinetic energy is conserved | The total amount of energy stays the same; it only changes form or moves.
e | What does a solar panel change light into? | electrical energy | chemical energy in food; sound energy; nuclear energy | Solar cells turn the energy of light directly into electricity.
m | Three bulbs are wired in series and one of them breaks. What happens to the other two? | They go out | They get brighter; They stay exactly the same; Only the nearest one goes out | A series circuit has only one path, so a break anywhere stops the current everywhere.
e | Which material is the best conductor of electricity? | copper | rubber; glass; dry wood | Metals such as copper let electric charge flow easily, which is why wires are made of copper.
e | Why are electric cables covered in plastic? | Plastic is an electrical insulator | Plastic conducts electricity well; Plastic makes the current stronger; Plastic is magnetic | Plastic does not let current flow through it, so it keeps the current inside the wire and protects people.
e | What happens when two north poles of magnets are brought together? | They repel | They attract; Nothing happens; They both become south poles | Like poles repel and opposite poles attract.
e | Which of these metals is attracted to a magnet? | iron | copper; aluminium; gold | Iron, nickel and cobalt are magnetic metals; copper, aluminium and gold are not.
m | What happens to a ray of light when it passes at an angle from air into water? | It bends because it slows down | It speeds up and goes straight; It stops completely; It turns into sound | The change of speed at the boundary makes the light bend; this is called refraction.
e | What do we call light bouncing off a mirror? | reflection | refraction; absorption; diffraction | When light bounces off a surface, that is reflection.
m | A glass prism splits white light into a band of colours. What does this show? | White light is a mixture of colours | Glass adds colour to light; Light is made of sound waves; The prism makes new light | Each colour bends by a different amount in the prism, which spreads white light into its colours.
m | Which colour of visible light has the longest wavelength? | red | violet; blue; green | Red light has the longest wavelength of the visible colours and violet the shortest.
h | Which type of electromagnetic wave carries the most energy? | gamma rays | radio waves; microwaves; visible light | The shorter the wavelength, the more energy a wave carries, and gamma rays have the shortest wavelength.
m | Which type of wave does a TV remote control usually use? | infrared | gamma rays; ultraviolet; sound waves | Most remote controls send pulses of infrared light, which we cannot see.
m | What decides the pitch of a sound? | its frequency | its amplitude; its speed; its colour | A higher frequency gives a higher pitch; amplitude affects loudness instead.
m | A drum is hit harder and sounds louder. Which property of the sound wave increased? | amplitude | frequency; wavelength; speed | Louder sounds have larger vibrations, that is, a larger amplitude.
e | What is an echo? | a sound that has reflected off a surface | a sound that gets faster over time; a sound made under water; a sound that cannot be heard | An echo is sound bouncing back from a wall or cliff.
m | A metal spoon in hot soup gets hot at the handle. How does the heat travel along the spoon? | conduction | convection; radiation; evaporation | In solids heat passes from particle to particle by conduction, and metals conduct heat well.
m | How does heat from the Sun reach the Earth through empty space? | radiation | conduction; convection; friction | Only radiation, such as infrared and light, can carry energy across a vacuum.
m | Why does warm air rise above a heater? | It is less dense than the cooler air around it | It is heavier than cool air; Heat always moves downwards; Warm air has no mass | Warm air expands and becomes less dense, so it rises and cooler air moves in: a convection current.
e | At what temperature does pure water boil at sea level? | 100 °C | 0 °C; 50 °C; 212 °C | At normal air pressure pure water boils at 100 °C (212 °F, not 212 °C).
h | What is 0 kelvin, also called absolute zero? | the lowest possible temperature | the temperature at which water freezes; the melting point of iron; room temperature | At 0 K (about -273 °C) particles have the least possible energy; nothing can be colder.
e | What is the fixed point a lever turns around called? | the fulcrum | the load; the effort; the axle | A lever pivots on its fulcrum.
e | A ramp used to push a heavy box onto a truck is which simple machine? | an inclined plane | a pulley; a wheel and axle; a wedge | A ramp is an inclined plane: a longer path that needs a smaller force.
m | Which of these quantities is a vector, having both size and direction? | velocity | speed; mass; temperature | Velocity is speed in a given direction, so it is a vector; mass and temperature have no direction.
m | What is acceleration? | the rate at which velocity changes | the distance travelled in one hour; the force of gravity; the total time of a journey | Acceleration measures how quickly velocity changes, in m/s².
m | In a metal wire, electric current is a flow of which particles? | electrons | protons; neutrons; whole atoms | Free electrons drift through the metal and carry the current.
m | What does a fuse do in an electric plug? | It melts and breaks the circuit if the current is too large | It stores charge for later; It makes the current larger; It changes AC to DC | The thin fuse wire melts when too much current flows, cutting the circuit before wires overheat.
h | Which device changes the voltage of an alternating current supply? | a transformer | a fuse; a diode; a thermometer | Transformers step voltage up for power lines and down for homes; they only work with alternating current.
m | Where does a nuclear power station get its energy from? | splitting large atoms (fission) | burning coal; joining hydrogen atoms (fusion); wind turning blades | Today's nuclear power stations use fission: heavy nuclei such as uranium split and release energy.
e | Which of these is a renewable energy source? | wind | coal; oil; natural gas | Wind keeps being replaced by nature; coal, oil and gas are fossil fuels that run out.
m | Rubbing a balloon on your hair makes it stick to a wall. Why? | Electrons move between the hair and the balloon, charging it | The balloon becomes magnetic; The balloon gets heavier; Air pressure inside the balloon rises | Rubbing transfers electrons, leaving the balloon with a static charge that attracts the wall.
m | Momentum is calculated from which two quantities? | mass and velocity | force and time only; mass and temperature; volume and density | Momentum = mass × velocity.
e | Which instrument measures electric current? | an ammeter | a thermometer; a barometer; a stopwatch | An ammeter, connected in series, measures current in amperes.
m | When does an object float in water? | when its density is less than the density of water | when it is bigger than a pebble; only when it is hollow; when it weighs more than 1 kg | Objects less dense than water float; denser objects sink.
m | A cup of hot tea is left on a table. What happens over time? | It cools until it reaches room temperature | It keeps the same temperature; It gets hotter; It freezes | Heat flows from hotter to colder places until the temperatures are equal.
e | Which mirror is used as a car's side mirror to see a wider view? | a convex mirror | a flat mirror; a concave mirror; a prism | A convex mirror bulges outwards and shows a wider field of view, with smaller images.
[chemistry]
e | What is the chemical symbol for gold? | Au | Go; Gd; Ag | Gold's symbol Au comes from its Latin name, aurum.
e | What is the chemical symbol for iron? | Fe | Ir; In; I | Iron's symbol Fe comes from the Latin ferrum.
e | What is the chemical symbol for sodium? | Na | So; S; Sd | Sodium's symbol Na comes from its Latin name, natrium.
m | Which element has the chemical symbol K? | potassium | krypton; calcium; carbon | K stands for kalium, the Latin name of potassium.
e | What is the chemical formula of water? | H2O | HO2; H2O2; OH | A water molecule has two hydrogen atoms and one oxygen atom.
e | What is the chemical name for table salt? | sodium chloride | calcium carbonate; sodium bicarbonate; potassium nitrate | Table salt is sodium chloride, NaCl.
m | Which gas makes up most of the Earth's atmosphere? | nitrogen | oxygen; carbon dioxide; argon | Air is about 78% nitrogen and 21% oxygen.
e | Which gas is needed for things to burn? | oxygen | nitrogen; helium; carbon dioxide | Burning is a reaction with oxygen; without oxygen a fire goes out.
e | What is the pH of pure water? | 7 | 0; 1; 14 | Pure water is neutral, with a pH of 7.
m | What forms when an acid reacts with a base? | a salt and water | only hydrogen gas; a metal and oxygen; a stronger acid | Acid + base gives salt + water; this is called neutralisation.
e | Lemon juice turns blue litmus paper red. What does this tell you? | Lemon juice is acidic | Lemon juice is alkaline; Lemon juice is neutral; Lemon juice is a metal | Acids turn blue litmus red; lemon juice contains citric acid.
e | Which of these household substances is alkaline (basic)? | soap solution | vinegar; lemon juice; cola | Soapy water has a pH above 7; vinegar, lemon juice and cola are acidic.
e | What is the smallest particle of an element that still has the properties of that element? | an atom | a molecule of water; a cell; a crystal | Elements are made of atoms, and one atom still counts as that element.
e | Which particle in the nucleus has a positive charge? | the proton | the electron; the neutron; the photon | Protons are positive, electrons negative and neutrons have no charge.
e | Which particle in an atom has no electric charge? | the neutron | the proton; the electron; the ion | Neutrons are neutral, which is where their name comes from.
e | Which particles move around the nucleus of an atom? | electrons | protons; neutrons; quarks only | Electrons occupy shells around the tiny nucleus.
m | What does the atomic number of an element tell you? | the number of protons in each atom | the number of neutrons; the mass of the atom; the number of molecules | Each element has its own atomic number, equal to its number of protons.
m | Which of these is a noble gas? | neon | chlorine; oxygen; nitrogen | Neon is in group 0 (group 18), the very unreactive noble gases.
m | Why do elements in the same group of the periodic table react in similar ways? | They have the same number of outer-shell electrons | They have the same mass; They were discovered at the same time; They have the same number of neutrons | Chemical behaviour depends mainly on the outer electrons, which are the same within a group.
e | Which metal is a liquid at room temperature? | mercury | iron; copper; aluminium | Mercury melts at about -39 °C, so it is liquid at room temperature.
m | What does iron need in order to rust? | both water and oxygen | only heat; only salt; carbon dioxide and light | Rust forms when iron reacts with oxygen and water; salt only speeds it up.
m | Dry ice (solid carbon dioxide) turns straight into gas without melting. What is this change called? | sublimation | condensation; freezing; melting | Changing directly from a solid to a gas is sublimation.
e | Water droplets form on the outside of a cold glass. What is this change of state? | condensation | evaporation; melting; sublimation | Water vapour in the air cools on the glass and turns back into liquid.
e | A puddle slowly disappears on a sunny day. What is happening? | The water evaporates | The water freezes; The water condenses; The water turns into salt | Liquid water at the surface turns into water vapour: evaporation.
e | Which method separates sand from water? | filtering | boiling the sand; using a magnet; adding sugar | The filter paper lets the water through but holds back the sand grains.
m | How can you get the salt back from salt water? | Evaporate the water | Filter the salt water; Freeze it and pick out the salt; Use a magnet | Salt is dissolved, so filtering won't work; evaporating the water leaves the salt crystals behind.
e | Which of these is a physical change, not a chemical change? | ice melting | wood burning; iron rusting; bread baking | Melting only changes the state; the water is still water and can freeze again.
e | Which of these is a chemical change? | burning paper | cutting paper; folding paper; wetting paper | Burning makes new substances such as ash, carbon dioxide and water, which cannot easily be turned back.
m | Which gas turns limewater milky? | carbon dioxide | oxygen; hydrogen; nitrogen | Carbon dioxide reacts with limewater to form tiny particles of calcium carbonate, making it cloudy.
m | A lit splint makes a squeaky pop in a test tube. Which gas is present? | hydrogen | oxygen; carbon dioxide; chlorine | Hydrogen burns with a small pop; oxygen would relight a glowing splint instead.
m | A glowing splint bursts back into flame in a test tube. Which gas is in the tube? | oxygen | hydrogen; carbon dioxide; nitrogen | Oxygen helps things burn, so it relights a glowing splint.
h | What happens to electrons in an ionic bond? | They are transferred from one atom to another | They are shared equally between two atoms; They are destroyed; They move into the nucleus | In ionic bonding a metal gives electrons to a non-metal, forming oppositely charged ions.
h | What happens to electrons in a covalent bond? | Pairs of electrons are shared between atoms | Electrons are given away completely; Electrons turn into protons; No electrons are involved | Covalent bonds form when non-metal atoms share pairs of electrons.
m | Diamond and graphite are both made of which element? | carbon | silicon; sulfur; iron | Diamond and graphite are different arrangements of carbon atoms.
e | Which is the lightest element? | hydrogen | helium; oxygen; lithium | Hydrogen has just one proton and is the lightest element.
m | Which element has atomic number 6? | carbon | oxygen; nitrogen; lithium | Carbon atoms have 6 protons.
m | What does a catalyst do to a chemical reaction? | It speeds it up without being used up | It stops the reaction; It is used up as the reaction goes; It always makes more product than possible | A catalyst gives the reaction an easier path and is left unchanged at the end.
m | How does raising the temperature usually affect the rate of a reaction? | It speeds the reaction up | It slows the reaction down; It has no effect; It stops the reaction | Hotter particles move faster and collide more often and with more energy.
m | What is an exothermic reaction? | a reaction that gives out heat | a reaction that takes in heat; a reaction that needs light; a reaction that cannot happen | Exothermic reactions release energy to the surroundings, like burning fuel.
m | Brass is an alloy of copper and which other metal? | zinc | iron; gold; lead | Brass is made by mixing copper with zinc.
e | In salt water, what is the salt called? | the solute | the solvent; the solution; the filtrate | The solute dissolves in the solvent (water) to make the solution.
m | Which metal reacts strongly with water, fizzing and giving off hydrogen? | sodium | gold; copper; silver | Sodium is an alkali metal and reacts vigorously with water.
m | What are the metals in group 1 of the periodic table called? | the alkali metals | the noble gases; the halogens; the transition metals | Group 1 holds lithium, sodium, potassium and the other alkali metals.
m | Which of these elements is a halogen? | chlorine | neon; sodium; calcium | The halogens are group 7 (group 17): fluorine, chlorine, bromine, iodine.
m | What is the formula of ozone? | O3 | O2; CO2; H2O | Ozone molecules are made of three oxygen atoms.
m | Which gas is the main part of natural gas? | methane | hydrogen; oxygen; carbon monoxide | Natural gas is mostly methane, CH4.
h | About how many particles are in one mole of a substance? | 6.02 × 10²³ | 1000; 6.02 × 10³; 100 million | One mole contains Avogadro's number of particles, about 6.02 × 10²³.
m | Which technique separates the coloured dyes in an ink? | chromatography | filtration; magnetism; sieving | In paper chromatography each dye travels a different distance up the paper.
e | Water is made of hydrogen and oxygen joined together. Water is therefore a... | compound | element; mixture of gases; metal | A compound contains two or more elements chemically bonded.
h | What are isotopes? | atoms of the same element with different numbers of neutrons | atoms with different numbers of protons; molecules made of two elements; charged particles in a solution | Isotopes have the same number of protons, so they are the same element, but differ in neutrons.
e | Which gas is used to fill party balloons so that they float? | helium | carbon dioxide; oxygen; chlorine | Helium is much less dense than air and does not burn.
m | Which state of matter has a fixed volume but takes the shape of its container? | liquid | solid; gas; plasma | A liquid keeps its volume but flows to fit the container.
e | Which is a property of most metals? | They conduct heat well | They are brittle; They are always liquid; They do not conduct electricity | Metals are good conductors of heat and electricity, and they are usually shiny and bendable.
[biology]
e | Which part of a cell releases energy from food in respiration? | the mitochondria | the nucleus; the cell wall; the vacuole | Mitochondria carry out aerobic respiration, so they are often called the cell's powerhouses.
e | In which part of a plant cell does photosynthesis take place? | the chloroplasts | the mitochondria; the nucleus; the cell membrane | Chloroplasts hold chlorophyll, which captures the light used in photosynthesis.
e | What is the green pigment in leaves called? | chlorophyll | haemoglobin; melanin; keratin | Chlorophyll absorbs light energy and gives plants their green colour.
e | Which part of the cell contains the genetic information and controls the cell? | the nucleus | the cytoplasm; the cell wall; the ribosome | The nucleus holds the chromosomes made of DNA.
m | Which structure do plant cells have that animal cells do not? | a cell wall | a nucleus; a cell membrane; mitochondria | Plant cells have a rigid cellulose cell wall (and often chloroplasts); animal cells have neither.
e | What does DNA carry? | genetic instructions | oxygen around the body; digested food; electrical signals | DNA carries the genetic code that tells cells how to build proteins.
e | Which blood cells carry oxygen around the body? | red blood cells | white blood cells; platelets; nerve cells | Red blood cells are packed with haemoglobin, which binds oxygen.
e | What is the main job of white blood cells? | fighting infections | carrying oxygen; clotting blood; digesting food | White blood cells destroy germs and make antibodies.
m | Which part of the blood helps a cut to clot? | platelets | red blood cells; plasma water only; white blood cells | Platelets are cell fragments that clump together and help form a clot.
e | How many chambers does the human heart have? | four | two; three; six | The heart has two atria on top and two ventricles below.
m | Which blood vessels carry blood away from the heart? | arteries | veins; capillaries only; lymph vessels | Arteries carry blood away from the heart under high pressure.
m | Where in the lungs does oxygen pass into the blood? | the alveoli | the trachea; the larynx; the ribs | The millions of tiny air sacs called alveoli give a huge surface for gas exchange.
e | What is the largest organ of the human body? | the skin | the liver; the brain; the heart | Skin covers the whole body and is the largest organ by area and weight.
m | In which organ is most digested food absorbed into the blood? | the small intestine | the stomach; the large intestine; the mouth | The small intestine is long and lined with villi that absorb nutrients.
m | The enzyme in saliva starts to digest which food? | starch | fat; protein; vitamins | Salivary amylase breaks starch down into sugars.
e | Which organs filter the blood and make urine? | the kidneys | the lungs; the heart; the pancreas | The kidneys remove waste and excess water from the blood as urine.
m | Which organ makes insulin? | the pancreas | the liver; the stomach; the kidney | The pancreas releases insulin to lower blood sugar.
e | How many bones does an adult human skeleton have? | 206 | 106; 300; 26 | Babies have more bones, but many fuse, leaving 206 in an adult.
m | What connects a muscle to a bone? | a tendon | a ligament; cartilage; a nerve | Tendons join muscles to bones; ligaments join bones to bones.
e | What are nerve cells called? | neurons | platelets; alveoli; villi | Neurons carry electrical signals through the nervous system.
m | How does a vaccine protect you? | It trains the immune system to recognise a germ | It kills every germ in the body at once; It replaces white blood cells; It makes the body warmer | A vaccine shows the immune system a harmless form of the germ, so it can respond fast later.
m | Antibiotics are used to treat infections caused by which microbes? | bacteria | viruses; fungi only; prions | Antibiotics kill bacteria or stop them growing; they do not work on viruses such as the cold.
e | Which of these illnesses is caused by a virus? | the flu | scurvy; tuberculosis; athlete's foot | Influenza is a viral infection; scurvy comes from a lack of vitamin C.
e | Which of these animals is a mammal? | a dolphin | a shark; a penguin; a frog | Dolphins breathe air, are warm-blooded and feed their young on milk.
e | What is an animal that eats only plants called? | a herbivore | a carnivore; an omnivore; a decomposer | Herbivores such as rabbits and cows feed only on plants.
e | What is at the start of almost every food chain? | a green plant or other producer | a top predator; a decomposer; a herbivore | Producers make food from sunlight by photosynthesis, and everything else feeds on them directly or indirectly.
m | Which living things break down dead plants and animals? | decomposers such as fungi and bacteria | producers such as grass; top predators; herbivores | Decomposers break dead matter down and return nutrients to the soil.
e | What is a young frog called? | a tadpole | a cub; a caterpillar; a chick | Frogs hatch as tadpoles, which live in water and breathe with gills.
m | In the life cycle of a butterfly, which stage comes between the caterpillar and the adult? | the pupa (chrysalis) | the egg; the tadpole; the nymph | The caterpillar forms a chrysalis, inside which it changes into an adult butterfly.
m | Which of these animals is cold-blooded? | a lizard | a cat; an owl; a whale | Reptiles such as lizards depend on outside heat to warm their bodies.
e | What do all vertebrates have? | a backbone | feathers; six legs; gills | Vertebrates are animals with a spine: fish, amphibians, reptiles, birds and mammals.
e | Which of these is an invertebrate? | an earthworm | a snake; a salmon; a bat | Earthworms have no backbone.
m | What is the loss of water vapour from a plant's leaves called? | transpiration | respiration; germination; pollination | Water evaporates from leaves through tiny pores called stomata; this is transpiration.
m | Which part of a flower makes pollen? | the anther | the stigma; the ovary; the petal | The anther, on top of the stamen, produces pollen grains.
e | How are dandelion seeds mostly spread? | by the wind | by animals eating them; by exploding pods; by water only | Each dandelion seed has a fluffy parachute that the wind carries away.
e | What do a plant's roots take up from the soil? | water and minerals | sunlight; carbon dioxide only; sugar | Roots absorb water and dissolved minerals and anchor the plant.
m | Mushrooms belong to which group of living things? | fungi | plants; animals; bacteria | Mushrooms are fungi: they cannot photosynthesise and feed on dead or living matter.
m | Who proposed the theory of evolution by natural selection? | Charles Darwin | Isaac Newton; Marie Curie; Louis Pasteur | Darwin published On the Origin of Species in 1859.
h | A plant has the genes Tt, where T (tall) is dominant over t (short). How does it look? | tall | short; half tall and half short; it cannot grow | One dominant allele is enough to show the dominant trait.
m | How many chromosomes are in a normal human body cell? | 46 | 23; 12; 92 | Body cells have 23 pairs, 46 chromosomes in all.
h | How many chromosomes are in a human egg or sperm cell? | 23 | 46; 92; 12 | Sex cells carry one set of 23, so the fertilised egg gets 46.
h | Which type of cell division makes two identical body cells for growth and repair? | mitosis | meiosis; fertilisation; pollination | Mitosis copies the chromosomes and makes two genetically identical cells.
m | Aerobic respiration uses glucose and oxygen. What does it produce? | carbon dioxide and water, releasing energy | oxygen and sugar; only heat; starch and protein | Glucose + oxygen → carbon dioxide + water, with energy released.
h | What builds up in muscles during hard exercise when there is not enough oxygen? | lactic acid | glucose; chlorophyll; carbon monoxide | Without enough oxygen, muscles switch to anaerobic respiration, which makes lactic acid.
m | Yeast ferments sugar when making bread. Which gas makes the dough rise? | carbon dioxide | oxygen; nitrogen; hydrogen | Yeast turns sugar into alcohol and carbon dioxide; the gas bubbles make the dough rise.
m | Which vitamin does the skin make when exposed to sunlight? | vitamin D | vitamin C; vitamin A; vitamin K | Sunlight on the skin lets the body make vitamin D, which helps build strong bones.
m | A lack of which vitamin causes scurvy? | vitamin C | vitamin D; vitamin B12; vitamin E | Sailors once got scurvy on long voyages without fresh fruit, the main source of vitamin C.
e | Which nutrient is the body's main source of energy? | carbohydrates | vitamins; minerals; water | Carbohydrates such as starch and sugar are broken down into glucose for energy.
e | Which nutrient is needed most for growth and repair of the body? | protein | fat; fibre; sugar | Proteins build and repair muscles, skin and other tissues.
e | A polar bear's white fur helps it hide in the snow. What is this adaptation called? | camouflage | hibernation; migration; pollination | Camouflage helps an animal blend into its surroundings.
e | What do we call an animal that hunts and eats other animals? | a predator | a producer; a herbivore; a parasite | Predators, such as owls and wolves, hunt prey.
e | Why do bees visit flowers? | to collect nectar and pollen, carrying pollen between flowers | to lay eggs in the petals; to eat the leaves; to drink rainwater only | As bees feed they move pollen from flower to flower, which pollinates the plants.
m | Some animals spend the winter in a deep sleep with a slowed-down body. What is this called? | hibernation | migration; camouflage; metamorphosis | Hibernating animals save energy when food is scarce.
h | In which part of a cell are proteins made? | the ribosomes | the vacuole; the cell wall; the chloroplasts | Ribosomes read the genetic instructions and join amino acids into proteins.
m | Which gas do plants give out during photosynthesis? | oxygen | carbon dioxide; nitrogen; methane | Photosynthesis uses carbon dioxide and water and releases oxygen.
e | What do plants need to make their own food by photosynthesis? | light, water and carbon dioxide | soil, sugar and oxygen; darkness and heat; only water | Using light energy, plants turn carbon dioxide and water into glucose.
[earth_space]
e | Which planet is closest to the Sun? | Mercury | Venus; Earth; Mars | Mercury is the innermost planet.
e | Which is the largest planet in our solar system? | Jupiter | Saturn; Earth; Neptune | Jupiter is a gas giant more than 11 times wider than Earth.
e | Which planet is known as the Red Planet? | Mars | Venus; Jupiter; Mercury | Iron oxide (rust) in its dust makes Mars look red.
e | Which planet is famous for its large, bright rings? | Saturn | Mars; Mercury; Venus | Saturn's rings are made of countless pieces of ice and rock.
e | About how long does the Earth take to travel once around the Sun? | 365 days | 24 hours; 30 days; 10 years | One orbit takes about 365¼ days, which is why we add a leap day every four years.
e | What causes day and night on Earth? | the Earth spinning on its axis | the Earth going around the Sun; the Moon blocking the Sun; clouds | As the Earth rotates once every 24 hours, each place turns towards and then away from the Sun.
m | What causes the seasons on Earth? | the tilt of the Earth's axis | the Earth's distance from the Moon; the Sun getting hotter and colder; the speed of the Earth's spin | Because of the tilt, each hemisphere gets more direct sunlight for part of the year.
e | Why does the Moon shine? | It reflects light from the Sun | It burns gas like a star; It glows because it is hot; It reflects light from the Earth's cities | The Moon makes no light of its own.
m | What is a solar eclipse? | The Moon passes between the Sun and the Earth | The Earth passes between the Sun and the Moon; The Sun passes behind Jupiter; The Moon stops orbiting | During a solar eclipse the Moon's shadow falls on the Earth.
m | What happens during a lunar eclipse? | The Earth's shadow falls on the Moon | The Moon's shadow falls on the Earth; The Sun's light switches off; The Moon moves behind the Sun | A lunar eclipse happens when the Earth lies between the Sun and the Moon.
m | What mainly causes the tides in the oceans? | the Moon's gravity | the wind; earthquakes; the Earth's magnetic field | The Moon's pull raises bulges of water; the Sun adds a smaller effect.
e | What is the name of the galaxy we live in? | the Milky Way | Andromeda; the Whirlpool; the Orion Nebula | Our solar system is one of billions of star systems in the Milky Way.
e | What kind of object is the Sun? | a star | a planet; a moon; a comet | The Sun is a medium-sized star, a huge ball of hot gas.
m | Which planet is the hottest, even though it is not the closest to the Sun? | Venus | Mercury; Mars; Jupiter | Venus's thick carbon dioxide atmosphere traps heat in a runaway greenhouse effect.
m | Since 2006, Pluto has been classified as what? | a dwarf planet | a star; a moon of Neptune; a comet | Pluto was reclassified as a dwarf planet because it has not cleared its orbit of other objects.
m | In which layer of the atmosphere does almost all weather happen? | the troposphere | the stratosphere; the thermosphere; the exosphere | The troposphere is the lowest layer, where clouds and rain form.
m | What does the ozone layer protect us from? | ultraviolet radiation from the Sun | meteorites; radio waves; cold air from space | Ozone in the stratosphere absorbs much of the Sun's harmful UV light.
m | Which of these gases is a greenhouse gas? | carbon dioxide | nitrogen; argon; helium | Carbon dioxide traps heat in the atmosphere; more of it warms the planet.
m | How do igneous rocks form? | from molten rock that cools and hardens | from layers of sand pressed together; from shells on the sea floor; from ice | Igneous rocks form when magma or lava cools, like granite and basalt.
m | Fossils are most often found in which type of rock? | sedimentary rock | igneous rock; metamorphic rock; volcanic glass | Sedimentary rock forms in layers that can bury and preserve remains.
h | How does metamorphic rock form? | existing rock is changed by heat and pressure | lava cools quickly in the air; sand is blown into dunes; salt crystals grow in water | Heat and pressure deep underground change rocks, such as limestone into marble.
e | What is the thin, rocky outer layer of the Earth called? | the crust | the mantle; the outer core; the inner core | We live on the crust, which is thin compared with the mantle below.
m | Where do most earthquakes happen? | along the edges of tectonic plates | in the middle of deserts; only near the poles; where it rains most | Plates grind, pull apart or push together at their boundaries, releasing energy as earthquakes.
m | Which instrument records earthquake waves? | a seismometer | a barometer; a thermometer; a telescope | A seismometer (seismograph) detects and records ground shaking.
e | What is molten rock called once it comes out of a volcano? | lava | magma; sediment; ash | Below the surface it is magma; at the surface it is lava.
e | In the water cycle, what happens when water vapour cools high in the sky? | It condenses into clouds | It evaporates into space; It turns into salt; It becomes oxygen | Cooling vapour condenses into tiny droplets, which form clouds.
e | What are clouds made of? | tiny water droplets or ice crystals | smoke; water vapour only, which is invisible; cotton-like gas | Clouds are billions of small droplets or ice crystals floating in the air.
m | Which instrument measures air pressure? | a barometer | an anemometer; a rain gauge; a hygrometer | A barometer measures air pressure, which helps forecast the weather.
m | What does an anemometer measure? | wind speed | rainfall; air pressure; humidity | Its spinning cups turn faster in stronger wind.
e | About how much of the Earth's surface is covered by water? | about 71% | about 10%; about 30%; about 99% | Oceans, seas and lakes cover roughly seven tenths of the Earth.
m | Where is most of the Earth's fresh water? | in ice caps and glaciers | in rivers; in lakes; in the clouds | About two thirds of all fresh water is frozen in ice sheets and glaciers.
m | What is the difference between weathering and erosion? | Weathering breaks rock down, and erosion carries the pieces away | They mean exactly the same; Erosion breaks rock, and weathering carries it away; Weathering only happens on the Moon | Weathering breaks rock into pieces, and erosion moves them by water, wind or ice.
m | Coal formed from the remains of what? | plants that lived millions of years ago | dinosaur bones; volcanic lava; sea salt | Ancient swamp plants were buried and slowly turned into coal.
m | About how long does sunlight take to reach the Earth? | about 8 minutes | about 8 seconds; about 8 hours; about 8 days | Light covers the roughly 150 million km in about 8 minutes and 20 seconds.
m | What does a light-year measure? | distance | time; brightness; speed of sound | A light-year is how far light travels in one year, about 9.5 trillion km.
m | Where is the main asteroid belt? | between Mars and Jupiter | between Earth and the Moon; beyond Pluto; inside the Sun | Most asteroids orbit in a belt between Mars and Jupiter.
h | Which way does a comet's tail point? | away from the Sun | always towards the Sun; towards the Earth; straight down | The solar wind and sunlight push the comet's gas and dust away from the Sun.
m | What keeps the planets in orbit around the Sun? | the Sun's gravity | the planets' magnetism; air pressure in space; the solar wind | Gravity pulls each planet towards the Sun and bends its path into an orbit.
h | Why do astronauts float inside an orbiting space station? | They and the station are falling around the Earth together | There is no gravity at all in orbit; The station has fans holding them up; They are lighter than air | In orbit everything falls at the same rate, so the astronauts feel weightless, even though gravity is still strong there.
e | How many planets are in our solar system? | 8 | 9; 7; 12 | Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus and Neptune.
m | What was Pangaea? | a supercontinent that later broke apart | an ancient ocean; a type of volcano; a moon of Jupiter | About 300 million years ago the continents were joined as Pangaea.
m | Where do hurricanes form? | over warm tropical oceans | over cold polar ice; over deserts; in the upper atmosphere only | Warm ocean water gives hurricanes the heat and moisture they need.
m | Why do we see lightning before we hear the thunder? | Light travels much faster than sound | Thunder happens later than the lightning; Sound travels faster than light; Our ears are slower than our eyes | Both happen together, but light reaches us almost instantly while sound takes about 3 seconds per kilometre.
h | Stalactites hang from cave ceilings. What are they mostly made of? | calcium carbonate deposited by dripping water | ice; volcanic glass; iron ore | Water carrying dissolved limestone drips and leaves calcium carbonate behind, building stalactites over thousands of years.
m | Which gas makes up most of the Sun? | hydrogen | oxygen; carbon dioxide; nitrogen | The Sun is about three quarters hydrogen and one quarter helium.
m | Where does the Sun's energy come from? | nuclear fusion of hydrogen into helium | burning coal; chemical reactions with oxygen; radioactive decay of uranium | In the Sun's core, hydrogen nuclei fuse into helium and release huge amounts of energy.
h | What are the Earth's inner and outer core mainly made of? | iron and nickel | granite; water; carbon | The core is mostly iron and nickel; the outer core is liquid and the inner core solid.
m | What is the hardest natural mineral? | diamond | quartz; talc; gold | Diamond is 10 on the Mohs hardness scale; talc is the softest at 1.
e | What is the air's humidity a measure of? | the amount of water vapour in the air | the temperature; the wind direction; the air pressure | High humidity means the air holds a lot of water vapour.
"""

# difficulty | question | answer | explanation
TRAIN_SHORT = """
[physics]
e | What is the SI unit of electric potential difference (voltage)? | the volt | Voltage is measured in volts (V).
m | Name the instrument connected in parallel across a component to measure voltage. | a voltmeter | A voltmeter goes across (in parallel with) the component.
e | What type of energy does a stretched bow store just before the arrow is released? | elastic potential energy | The bent bow stores elastic energy that becomes the arrow's kinetic energy.
m | What is the name for the resistance of air to a moving object? | air resistance (drag) | Air pushes against moving objects; this friction-like force is drag.
m | What property of a wave is the distance from one crest to the next? | wavelength | The wavelength is the length of one complete wave.
[chemistry]
e | What is the chemical symbol for oxygen? | O | Oxygen's symbol is the single letter O.
e | What is the chemical symbol for calcium? | Ca | Calcium is Ca; C alone is carbon.
m | What is the chemical symbol for copper? | Cu | Cu comes from cuprum, the Latin name for copper.
m | Which gas is produced when a metal such as zinc reacts with an acid? | hydrogen | Metal + acid → salt + hydrogen.
m | What name is given to a substance that speeds up a reaction without being used up? | a catalyst | Catalysts are not consumed, so they can be used again.
e | What is the pH of a neutral solution? | 7 | Below 7 is acidic, above 7 alkaline, and exactly 7 neutral.
[biology]
e | What gas do humans breathe out more of than they breathe in? | carbon dioxide | Respiration in our cells produces carbon dioxide, which we breathe out.
e | What is the basic unit of all living things? | the cell | Every living thing is made of one or more cells.
m | What is the name of the tiny pores on a leaf that let gases in and out? | stomata | Stomata open and close to control gas exchange and water loss.
m | What organ pumps blood around the body? | the heart | The heart is a muscular pump with four chambers.
m | What is the process by which green plants make glucose using light? | photosynthesis | Photosynthesis: carbon dioxide + water → glucose + oxygen, powered by light.
e | What do we call an animal that eats both plants and animals? | an omnivore | Bears and humans are omnivores.
[earth_space]
e | What is the name of Earth's natural satellite? | the Moon | The Moon orbits the Earth about once a month.
m | Which layer of the Earth lies between the crust and the core? | the mantle | The mantle is a thick layer of hot rock that flows very slowly.
m | What is the name for molten rock below the Earth's surface? | magma | Magma becomes lava when it erupts.
m | What is the process of water falling from clouds as rain, snow or hail called? | precipitation | Precipitation is any water that falls from the sky.
m | What force holds the Moon in its orbit around the Earth? | gravity | The Earth's gravity keeps pulling the Moon into a curved path.
e | What is the third planet from the Sun? | Earth | Mercury, Venus, then Earth.
"""

# Written after the training facts and apart from them: other facts, never used in training.
EVAL_FACTS = """
[physics]
m | In which unit is electric charge measured? | the coulomb | the volt; the watt; the newton | Charge is measured in coulombs; one ampere is one coulomb flowing each second.
m | Which device turns electrical energy into movement? | an electric motor | a generator; a microphone; a thermometer | A motor uses the force between a current and a magnet to make something spin.
m | What does a bicycle dynamo (a small generator) do? | turns movement into electrical energy | stores electricity for later; turns electricity into heat; measures how fast you ride | Spinning a magnet near a coil of wire generates a current that can light the bike's lamp.
m | How can you make an electromagnet stronger? | wrap more turns of wire around the core | use fewer turns of wire; switch the current off; swap the iron core for wood | More turns, a larger current and an iron core all make an electromagnet stronger.
e | What kind of lens is used in a magnifying glass? | a convex lens | a concave lens; a flat sheet of glass; a mirror | A convex lens bulges outwards and makes nearby objects look bigger.
e | What is the highest point of a wave called? | the crest | the trough; the node; the wavelength | The crest is the top of a wave and the trough the bottom.
m | Why are small gaps left between the sections of a long metal bridge? | Metal expands when it gets hot | Metal shrinks on hot days; Gaps make the bridge lighter; Gaps stop rust | On hot days the metal expands, and the gaps stop the bridge from buckling.
h | A skydiver stops speeding up and falls at a steady speed. Why? | Air resistance has grown until it equals her weight | Gravity has switched off; Her mass has become zero; The air is pushing her upwards faster | When drag balances weight the forces cancel, so she reaches terminal velocity.
m | What mostly decides how long a pendulum takes to swing back and forth? | the length of the string | the mass of the bob; the colour of the bob; the time of day | For small swings the period depends on the length, not the mass.
m | Which surface absorbs heat radiation best? | a dull black surface | a shiny silver surface; a white gloss surface; a mirror | Dark, matt surfaces absorb (and emit) infrared radiation best.
e | Which type of wave is used in hospitals to take pictures of broken bones? | X-rays | radio waves; microwaves; sound waves from drums | X-rays pass through soft tissue but are stopped by bone.
m | Which radiation from the Sun causes sunburn? | ultraviolet | infrared; radio waves; microwaves | UV rays damage skin cells, which is why sunscreen blocks them.
e | In which unit is pressure measured? | the pascal | the joule; the hertz; the ohm | One pascal is a force of one newton on one square metre.
m | A ball is thrown straight up. What is its speed at the very top of its path? | zero, for an instant | its greatest speed; the same as when it was thrown; exactly 10 m/s | It slows as it rises, stops for a moment at the top, then falls.
m | Which force pushes up on a floating boat? | upthrust (buoyancy) | friction; tension; magnetism | Water pushes up on the boat with a force equal to the weight of the water it moves aside.
m | Where does a geothermal power station get its energy? | hot rocks deep underground | the Moon's pull on the sea; burning wood; the wind | Geothermal plants use heat from inside the Earth to make steam.
m | What is different about your reflection in a flat mirror? | left and right appear swapped | it is upside down; it is twice your size; it is further away than the mirror is | A flat mirror gives an upright, same-size image with left and right reversed.
[chemistry]
e | What is the chemical symbol for silver? | Ag | Si; Sv; Au | Silver's symbol comes from its Latin name, argentum.
m | What is the chemical symbol for lead? | Pb | Le; Ld; Pd | Lead is Pb, from the Latin plumbum.
e | Which acid gives vinegar its sour taste? | acetic (ethanoic) acid | citric acid; sulfuric acid; nitric acid | Vinegar is a weak solution of acetic acid.
e | Baking soda fizzes when vinegar is poured on it. What gas are the bubbles? | carbon dioxide | oxygen; hydrogen; nitrogen | The acid reacts with the sodium bicarbonate and releases carbon dioxide.
e | In which state of matter do the particles move fastest and most freely? | gas | solid; liquid; a crystal | Gas particles are far apart and move quickly in all directions.
m | What are the horizontal rows of the periodic table called? | periods | groups; families; columns | Rows are periods and columns are groups.
h | An electric current is passed through water with a little acid added. Which two gases are produced? | hydrogen and oxygen | carbon dioxide and steam; nitrogen and oxygen; helium and hydrogen | Electrolysis splits water into hydrogen at one electrode and oxygen at the other.
m | Which acid does the human stomach make to help digest food? | hydrochloric acid | citric acid; acetic acid; carbonic acid | Stomach acid is dilute hydrochloric acid, which also kills many germs.
h | Which metal is added to steel to make stainless steel? | chromium | gold; lead; sodium | Chromium forms a thin oxide layer that protects the steel from rusting.
m | What is an ion? | an atom or group of atoms that has gained or lost electrons | an atom with extra neutrons; a molecule of water; a kind of metal alloy | Losing electrons makes a positive ion and gaining them a negative one.
e | Which of these is a mixture rather than a pure substance? | air | pure water; carbon dioxide; gold | Air is a mixture of nitrogen, oxygen, argon and other gases.
m | Which element is found in every organic compound? | carbon | nitrogen; iron; sodium | Organic chemistry is the chemistry of carbon compounds.
m | A solution in which no more solute will dissolve is called what? | saturated | dilute; neutral; an alloy | Once a solution is saturated, extra solute stays undissolved.
h | Which of these elements is a semiconductor used to make computer chips? | silicon | sodium; argon; oxygen | Silicon is a metalloid; its conductivity can be controlled, which makes chips possible.
e | What kind of electric charge does an electron carry? | negative | positive; no charge; it switches between both | Electrons are negative and protons positive.
h | Which of these takes in heat from its surroundings (endothermic)? | an instant cold pack | a burning candle; a firework; a chemical hand warmer | An endothermic change absorbs heat, so the cold pack feels cold.
h | Which element is the most common in the Earth's crust, by mass? | oxygen | iron; gold; carbon | Oxygen, bound in minerals such as silicates, makes up almost half the crust.
e | Rust is mainly which compound? | iron oxide | iron chloride; copper sulfate; sodium chloride | Rust is hydrated iron oxide.
[biology]
m | What are the tiny, thin-walled vessels where blood swaps substances with body cells called? | capillaries | arteries; veins; the aorta | Capillary walls are one cell thick, so oxygen and food pass through easily.
m | Which plant tissue carries water up from the roots to the leaves? | xylem | phloem; stomata; chlorophyll | Xylem vessels are hollow tubes that carry water and minerals upwards.
h | Which plant tissue transports sugars made in the leaves? | phloem | xylem; root hairs; the cell wall | Phloem carries dissolved sugars to the parts of the plant that need them.
e | Which teeth at the front of the mouth are used for biting and cutting? | incisors | molars; canines; wisdom teeth | Incisors are flat and sharp; molars at the back grind food.
m | What is the longest bone in the human body? | the femur (thigh bone) | the humerus; the tibia; the radius | The femur runs from the hip to the knee.
m | Which organ produces bile? | the liver | the gallbladder; the pancreas; the kidney | The liver makes bile; the gallbladder only stores it.
m | Which part of the eye controls how much light gets in? | the iris | the retina; the lens; the optic nerve | The coloured iris widens or narrows the pupil.
m | Where are the light-sensitive cells of the eye found? | the retina | the iris; the cornea; the eyelid | The retina at the back of the eye turns light into nerve signals.
e | How many legs does an insect have? | six | eight; four; ten | All insects have six legs and three body parts.
m | Spiders belong to which group of animals? | arachnids | insects; crustaceans; reptiles | Spiders are arachnids, with eight legs and two body parts.
m | How is malaria passed from person to person? | by the bites of mosquitoes | by houseflies landing on food; by rats; by shaking hands | A parasite is carried by some mosquitoes and enters the blood when they bite.
m | Who discovered penicillin, the first antibiotic? | Alexander Fleming | Charles Darwin; Louis Pasteur; Gregor Mendel | Fleming noticed in 1928 that a mould killed the bacteria around it.
h | What is formed when a sperm cell fertilises an egg cell? | a zygote | a gamete; a spore; a chromosome | The zygote is the single fertilised cell that divides to become an embryo.
h | Which type of cell division produces egg and sperm cells? | meiosis | mitosis; binary fission; budding | Meiosis halves the number of chromosomes, giving sex cells with 23.
m | Which sheet of muscle below the lungs contracts to help you breathe in? | the diaphragm | the biceps; the heart; the stomach wall | When the diaphragm contracts and flattens, air is drawn into the lungs.
h | Which glands release adrenaline in a fright? | the adrenal glands | the thyroid gland; the salivary glands; the sweat glands | Adrenaline from the adrenal glands prepares the body for fight or flight.
e | A lion eats only meat. What is it called? | a carnivore | a herbivore; an omnivore; a producer | Carnivores eat other animals.
e | What has happened to the dodo? | It is extinct | It lives only in zoos; It moved to Antarctica; It became a kind of mammal | The dodo died out in the 1600s after people arrived on its island.
m | A drop of iodine is put on a slice of potato and turns blue-black. What does this show? | The potato contains starch | The potato contains fat; The potato contains protein; The potato is acidic | Iodine solution turns blue-black when starch is present.
e | Which of these animals is an amphibian? | a salamander | a lizard; a crocodile; a turtle | Salamanders, like frogs, start life in water and have moist skin.
e | What do a fish's gills do? | take oxygen out of the water | filter sand out of food; help the fish see; make sounds | Water flows over the gills and oxygen passes into the blood.
e | The part of a carrot we eat is which part of the plant? | the root | the stem; the leaf; the flower | A carrot is a swollen root that stores food.
m | What is a gene? | a section of DNA that carries the code for a characteristic | a whole cell; a type of blood; a protein found in food | Genes are lengths of DNA on chromosomes.
e | What is a healthy person's normal body temperature? | about 37 °C | about 27 °C; about 42 °C; about 100 °C | The body keeps itself close to 37 °C.
m | Which organ takes back water from undigested waste before it leaves the body? | the large intestine | the stomach; the liver; the oesophagus | The large intestine absorbs water from what is left after digestion.
[earth_space]
e | Which planet is farthest from the Sun? | Neptune | Uranus; Saturn; Jupiter | Neptune, the eighth planet, orbits farthest out.
m | Which planet spins tipped over on its side? | Uranus | Mars; Venus; Mercury | Uranus's axis is tilted by almost 98 degrees, probably after a huge collision.
m | What is Jupiter's Great Red Spot? | a giant storm | a volcano; an ocean; a crater | The Red Spot is a storm larger than the Earth that has lasted for centuries.
m | What usually causes a tsunami? | an earthquake under the sea | high tides from the Moon; strong sea breezes; melting icebergs | A sudden movement of the sea floor pushes a huge volume of water.
h | What drives the slow movement of tectonic plates? | convection currents in the mantle | the Moon's tides; the wind; the Earth's orbit around the Sun | Hot rock in the mantle rises and cooler rock sinks, dragging the plates.
m | Which of these is a sedimentary rock? | sandstone | granite; marble; basalt | Sandstone is made of sand grains cemented together in layers.
m | What is true about day and night on an equinox? | They are about the same length | Day lasts 24 hours everywhere; Night lasts a whole week; The Sun does not rise | At the equinoxes the Sun is over the equator, so day and night are nearly equal.
m | Around 21 June, what does the Northern Hemisphere have? | its longest day of the year | its shortest day of the year; no daylight at all; an equinox | The June solstice is midsummer in the north and midwinter in the south.
e | Which instrument measures how much rain has fallen? | a rain gauge | a barometer; an anemometer; a seismometer | A rain gauge collects rain so its depth can be measured.
m | Which type of cloud is tall and brings thunderstorms? | cumulonimbus | cirrus; stratus; contrails | Cumulonimbus clouds can tower more than 10 km high.
e | What is fog? | a cloud at ground level | smoke from factories; dust blown by the wind; rain falling slowly | Fog forms when moist air near the ground cools and condenses.
m | What shape of valley does a glacier carve? | a U-shape | a V-shape; a sand dune; a volcano | Moving ice scrapes out wide, steep-sided U-shaped valleys.
e | What is a shooting star? | a small rock burning up in the atmosphere | a star falling to Earth; a comet hitting the Moon; a satellite's headlight | Meteors glow as friction with the air heats them.
m | Apart from the Sun, which is the nearest star to the Earth? | Proxima Centauri | Sirius; Betelgeuse; Polaris | Proxima Centauri is about 4.2 light-years away.
e | Who was the first person to walk on the Moon? | Neil Armstrong | Yuri Gagarin; Buzz Aldrin; John Glenn | Armstrong stepped onto the Moon in July 1969; Aldrin followed him.
m | What is Saturn's largest moon? | Titan | Europa; Io; Phobos | Titan is larger than the planet Mercury and has a thick atmosphere.
m | What shape is the Milky Way? | a spiral | a perfect sphere; a flat ring with nothing in the middle; a cube | The Milky Way is a barred spiral galaxy.
m | Why are the polar regions so cold? | Sunlight reaches them at a low angle and is spread thinly | They are much farther from the Sun; There is no air there; Ice produces cold | Slanted rays spread the same energy over a bigger area.
e | What made most of the craters on the Moon? | impacts from rocks and asteroids | rivers; earthquakes only; wind | Without air or weather to wear them away, impact craters remain for billions of years.
h | Which kind of plate boundary built the Himalayas? | two continental plates colliding | plates moving apart; plates sliding past each other; a hot spot under the ocean | India pushing into Asia crumpled the crust into the highest mountains on Earth.
h | What can form when a very massive star collapses at the end of its life? | a black hole | a planet; a comet; a new moon | Its core can collapse so far that not even light escapes.
m | Why is the sky blue on a clear day? | Air scatters blue light more than other colours | The ocean reflects its colour onto the sky; Space is blue; Clouds are blue | Shorter blue wavelengths bounce around the sky much more than red ones.
"""


def _sections(block: str):
    topic = ""
    for line in block.strip().splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            topic = line[1:-1]
            continue
        yield topic, [p.strip() for p in line.split(" | ")]


DIFFICULTY = {"e": "easy", "m": "medium", "h": "hard"}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def fact_items(block: str, rng) -> list[Item]:
    """Multiple-choice items from a facts block. The correct letter cycles through a shuffled A-D in each run
    of four items, so every letter is right equally often."""
    items, slots = [], []
    for topic, parts in _sections(block):
        diff, question, correct, wrong, why = parts
        if not slots:
            slots = [0, 1, 2, 3]
            rng.shuffle(slots)
        wrong_opts = [_cap(w.strip()) for w in wrong.split(";")]
        items.append(mc(f"fact:{topic}", DIFFICULTY[diff], question, _cap(correct), wrong_opts, [why],
                        slots.pop()))
    return items


def short_items(block: str) -> list[Item]:
    return [Item(f"short:{topic}", DIFFICULTY[diff], question, [why], answer)
            for topic, (diff, question, answer, why) in _sections(block)]


def handwritten_items(rng) -> list[Item]:
    """Training facts (multiple choice and short answer), then the evaluation facts (multiple choice)."""
    return fact_items(TRAIN_FACTS, rng) + short_items(TRAIN_SHORT) + fact_items(EVAL_FACTS, rng)


HANDWRITTEN_EVAL = len(list(_sections(EVAL_FACTS)))

GENERATORS = {
    "speed": (t_speed, 8, 2), "density": (t_density, 7, 2), "ohms_law": (t_ohm, 8, 2),
    "electric_power": (t_power, 5, 1), "force": (t_force, 7, 2), "energy": (t_energy, 6, 2),
    "pressure": (t_pressure, 4, 1), "wave_speed": (t_wave, 5, 1), "work_power": (t_work, 4, 1),
    "moments": (t_moments, 4, 1), "sound_distance": (t_sound_distance, 4, 1),
    "unit_conversion": (t_convert, 9, 2), "heat": (t_heat, 3, 1), "molar_mass": (t_molar_mass, 7, 2),
    "moles": (t_moles, 7, 2), "atoms_in_formula": (t_atoms_in_formula, 5, 1),
    "subatomic_particles": (t_particles, 6, 2), "half_life": (t_half_life, 7, 2), "ph_scale": (t_ph, 4, 1),
    "punnett": (t_punnett, 6, 2),
}
