"""Reasoning examples: templated puzzles whose answers are computed (and, where it matters, checked by
brute force), plus hand-written riddles, family puzzles and cause-effect questions."""

from __future__ import annotations

import itertools

from .common import Item, cap, join_and, pick_names

WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
INTROS = ["", "", "Logic puzzle: ", "Here's a puzzle. ", "Try this one. ", "Quick reasoning question. ",
          "Use the clues to answer. ", "Think it through step by step. "]


def _intro(rng):
    return rng.choice(INTROS)


def _clue_block(rng, clues):
    style = rng.randrange(3)
    if style == 0:
        return " ".join(cap(c) + "." for c in clues)
    if style == 1:
        return "\n".join(f"- {cap(c)}." for c in clues)
    return "\n".join(f"{i}. {cap(c)}." for i, c in enumerate(clues, start=1))


# ----------------------------------------------------------------------------- ordering / comparisons
COLORS = ["red", "blue", "green", "yellow", "black", "white", "orange", "purple"]

ORDER_ATTRS = [
    dict(more="{a} is taller than {b}", less="{a} is shorter than {b}", top="tallest", bottom="shortest",
         second="second tallest", order="tallest to shortest", who="Who is"),
    dict(more="{a} is older than {b}", less="{a} is younger than {b}", top="oldest", bottom="youngest",
         second="second oldest", order="oldest to youngest", who="Who is"),
    dict(more="{a} runs faster than {b}", less="{a} runs slower than {b}", top="fastest runner",
         bottom="slowest runner", second="second fastest runner", order="fastest to slowest", who="Who is"),
    dict(more="{a} got to the party before {b}", less="{a} got to the party after {b}", top="first to arrive",
         bottom="last to arrive", second=None, order="first to last arrival", who="Who is"),
    dict(more="{a} scored more points than {b}", less="{a} scored fewer points than {b}", top="top scorer",
         bottom="lowest scorer", second=None, order="most to fewest points", who="Who is"),
    dict(more="the {a} box is heavier than the {b} box", less="the {a} box is lighter than the {b} box",
         top="heaviest", bottom="lightest", second="second heaviest", order="heaviest to lightest",
         who="Which box is", objects="box"),
    dict(more="the {a} suitcase weighs more than the {b} suitcase",
         less="the {a} suitcase weighs less than the {b} suitcase", top="heaviest", bottom="lightest",
         second="second heaviest", order="heaviest to lightest", who="Which suitcase is", objects="suitcase"),
    dict(more="{a} earns more than {b}", less="{a} earns less than {b}", top="highest earner",
         bottom="lowest earner", second=None, order="highest to lowest pay", who="Who is"),
    dict(more="{a} lives closer to the school than {b}", less="{a} lives farther from the school than {b}",
         top="closest to the school", bottom="farthest from the school", second=None,
         order="closest to farthest", who="Who lives"),
]


def gen_ordering(rng):
    attr = rng.choice(ORDER_ATTRS)
    n = rng.choice([3, 4, 4, 5])
    objects = attr.get("objects")
    entities = rng.sample(COLORS, n) if objects else pick_names(rng, n)
    order = entities[:]  # order[0] is the "top"
    clues, converted = [], None
    for hi, lo in zip(order, order[1:], strict=False):
        if rng.random() < 0.5:
            clues.append(attr["more"].format(a=hi, b=lo))
        else:
            clue = attr["less"].format(a=lo, b=hi)
            clues.append(clue)
            converted = converted or (clue, attr["more"].format(a=hi, b=lo))
    if n >= 4 and rng.random() < 0.3:  # a redundant but true clue
        i, j = sorted(rng.sample(range(n), 2))
        if j - i > 1:
            clues.append(attr["more"].format(a=order[i], b=order[j]))
    rng.shuffle(clues)

    def label(e):
        return f"the {e} {objects}" if objects else e

    kinds = ["top", "bottom"] + (["second"] if attr["second"] else [])
    kind = rng.choice(kinds)
    target = {"top": order[0], "bottom": order[-1], "second": order[1]}[kind]
    word = attr[kind]
    question_line = f"{attr['who']} the {word}?" if attr["who"] != "Who lives" else f"Who lives {word}?"
    q = _intro(rng) + _clue_block(rng, clues) + "\n" + question_line
    steps = []
    if converted:
        steps.append(f"\"{cap(converted[0])}\" is the same as \"{converted[1]}\".")
    steps.append(f"Chaining the comparisons gives the order from {attr['order']}: "
                 + ", ".join(label(e) for e in order) + ".")
    if kind == "top":
        steps.append(f"{cap(label(target))} comes first, so {label(target)} is the {word}.")
    elif kind == "bottom":
        steps.append(f"{cap(label(target))} comes last, so {label(target)} is the {word}.")
    else:
        steps.append(f"{cap(label(target))} is in second place.")
    answer = label(target)
    return Item("ordering", {3: "easy", 4: "medium", 5: "hard"}[n], q, steps, answer,
                rubric=f"Identifies {answer} as the {word}")


# ----------------------------------------------------------------------------- seating in a row
def _seat_name(s, n):
    if s == 1:
        return "the far left"
    if s == n:
        return "the far right"
    return f"seat {s}"


def gen_seating(rng):
    for _ in range(200):
        item = _try_seating(rng)
        if item:
            return item
    raise RuntimeError("could not build a seating puzzle")


def _try_seating(rng):
    n = rng.choice([4, 4, 5])
    people = pick_names(rng, n)
    seat_of = {p: i + 1 for i, p in enumerate(people)}  # true arrangement, seats 1..n left to right
    order = people[:]
    rng.shuffle(order)
    fixed: dict[str, int] = {}
    clues, checks, steps = [], [], []
    for idx, p in enumerate(order):
        s = seat_of[p]
        free = sorted(set(range(1, n + 1)) - set(fixed.values()))
        if len(free) == 1:
            steps.append(f"{p} takes the only seat left, seat {s}.")
            fixed[p] = s
            continue
        options = []
        if s in (1, n):
            side = "left" if s == 1 else "right"
            options.append(("end", f"{p} sits at the far {side}", lambda a, p=p, s=s: a[p] == s,
                            f"{p} is at the far {side}, so {p} is in seat {s}."))
        if idx > 0 or rng.random() < 0.3:
            options.append(("seat", f"{p} sits in seat {s}, counting from the left",
                            lambda a, p=p, s=s: a[p] == s, f"{p} is in seat {s}."))
        for q, qs in fixed.items():
            if s == qs + 1:
                options.append(("right_of", f"{p} sits immediately to the right of {q}",
                                lambda a, p=p, q=q: a[p] == a[q] + 1,
                                f"{q} is in seat {qs}, so {p} is in seat {s}."))
            if s == qs - 1:
                options.append(("left_of", f"{p} sits immediately to the left of {q}",
                                lambda a, p=p, q=q: a[p] == a[q] - 1,
                                f"{q} is in seat {qs}, so {p} is in seat {s}."))
            near = [f for f in free if abs(f - qs) == 1]
            if near == [s]:
                options.append(("next_to", f"{p} sits next to {q}", lambda a, p=p, q=q: abs(a[p] - a[q]) == 1,
                                f"The only free seat next to {q} (seat {qs}) is seat {s}, so {p} sits there."))
            far = [f for f in free if abs(f - qs) != 1]
            if far == [s]:
                options.append(("not_next_to", f"{p} does not sit next to {q}",
                                lambda a, p=p, q=q: abs(a[p] - a[q]) != 1,
                                f"Of the free seats {join_and(map(str, free))}, only seat {s} is not next to "
                                f"{q}, so {p} sits there."))
        if len(free) == 2:
            other = free[0] if free[1] == s else free[1]
            where = _seat_name(other, n)
            text = f"{p} does not sit at {where}" if other in (1, n) else f"{p} is not in seat {other}"
            options.append(("not_seat", text, lambda a, p=p, o=other: a[p] != o,
                            f"Seats {free[0]} and {free[1]} are free and {p} is not in seat {other}, so {p} is "
                            f"in seat {s}."))
        if not options:
            return None
        # Prefer relational clues; direct seat numbers make puzzles trivial.
        weights = [0.3 if kind == "seat" else 1.0 for kind, *_ in options]
        kind, text, check, step = rng.choices(options, weights=weights)[0]
        clues.append(text)
        checks.append(check)
        steps.append(step)
        fixed[p] = s
    # The deduction above is forced step by step; confirm uniqueness by brute force anyway.
    solutions = [perm for perm in itertools.permutations(range(1, n + 1))
                 if all(check(dict(zip(people, perm, strict=True))) for check in checks)]
    if len(solutions) != 1:
        return None
    seating = sorted(people, key=seat_of.get)
    qkind = rng.choice(["left", "right", "seat", "right_of", "left_of"])
    if qkind == "left":
        question, answer = "Who sits at the far left?", seating[0]
    elif qkind == "right":
        question, answer = "Who sits at the far right?", seating[-1]
    elif qkind == "seat":
        k = rng.randrange(2, n)
        question, answer = f"Who sits in seat {k}?", seating[k - 1]
    elif qkind == "right_of":
        k = rng.randrange(0, n - 1)
        question, answer = f"Who sits immediately to the right of {seating[k]}?", seating[k + 1]
    else:
        k = rng.randrange(1, n)
        question, answer = f"Who sits immediately to the left of {seating[k]}?", seating[k - 1]
    setting = rng.choice([f"{join_and(sorted(people))} sit in a row of {n} seats, numbered 1 to {n} from left to right.",
                          f"{n} friends, {join_and(sorted(people))}, sit side by side on a bench (seats 1-{n}, left to right).",
                          f"At a cinema, {join_and(sorted(people))} take seats 1 to {n} in one row (seat 1 is on the left)."])
    shown = clues[:]
    rng.shuffle(shown)
    q = _intro(rng) + setting + "\n" + _clue_block(rng, shown) + "\n" + question
    steps.append("Left to right: " + ", ".join(seating) + ".")
    return Item("seating", "medium" if n == 4 else "hard", q, steps, answer,
                rubric=f"Names {answer}; the seating from left to right is {', '.join(seating)}")


# ----------------------------------------------------------------------------- syllogisms and conditionals
NONSENSE = ["blickets", "wugs", "zorbs", "fendles", "glips", "tovs", "snarks", "daxes", "quibbles", "morps",
            "plonks", "yerbs", "grelts", "vorns"]
GROUPS = ["painters", "engineers", "musicians", "gardeners", "chess players", "early risers", "cyclists",
          "teachers", "poets", "swimmers", "bakers", "pilots", "students", "collectors", "hikers", "coffee lovers",
          "tennis fans", "night owls", "volunteers", "drummers"]

CONDITIONALS = [
    ("it rains", "it does not rain", "the picnic is cancelled", "the picnic is not cancelled",
     "we go to the museum", "we do not go to the museum"),
    ("the alarm goes off", "the alarm does not go off", "Jonas wakes up", "Jonas does not wake up",
     "Jonas catches the early bus", "Jonas does not catch the early bus"),
    ("the shop is open", "the shop is not open", "Mia buys bread", "Mia does not buy bread",
     "Mia makes sandwiches", "Mia does not make sandwiches"),
    ("the battery is charged", "the battery is not charged", "the drone can fly", "the drone cannot fly",
     "we can film the lake", "we cannot film the lake"),
    ("Sam finishes his homework", "Sam does not finish his homework", "Sam can play football",
     "Sam cannot play football", "Sam sees his friends", "Sam does not see his friends"),
    ("the password is correct", "the password is not correct", "the door unlocks", "the door does not unlock",
     "the lights switch on", "the lights do not switch on"),
    ("the train is late", "the train is not late", "Priya misses the meeting", "Priya does not miss the meeting",
     "Priya's boss reschedules", "Priya's boss does not reschedule"),
    ("the oven is hot", "the oven is not hot", "the bread bakes", "the bread does not bake",
     "the kitchen smells of bread", "the kitchen does not smell of bread"),
    ("the plant gets sunlight", "the plant gets no sunlight", "the plant grows", "the plant does not grow",
     "the plant flowers", "the plant does not flower"),
    ("the team wins today", "the team does not win today", "the team reaches the final",
     "the team does not reach the final", "the fans celebrate", "the fans do not celebrate"),
    ("the fee is paid", "the fee is not paid", "the account stays active", "the account does not stay active",
     "Lena keeps her discount", "Lena does not keep her discount"),
    ("the road is icy", "the road is not icy", "the school bus is delayed", "the school bus is not delayed",
     "classes start late", "classes do not start late"),
    ("the server crashes", "the server does not crash", "the website goes offline",
     "the website does not go offline", "customers call support", "customers do not call support"),
    ("Omar waters the garden", "Omar does not water the garden", "the tomatoes ripen",
     "the tomatoes do not ripen", "Omar makes salsa", "Omar does not make salsa"),
]

SYLLOGISM_FORMS = {
    # name: (premises, conclusion, valid, explanation)
    "barbara": (["All {A} are {B}", "All {B} are {C}"], "All {A} are {C}", True,
                "Every one of the {A} is among the {B}, and every one of the {B} is among the {C}, so every one "
                "of the {A} must be among the {C}."),
    "celarent": (["All {A} are {B}", "No {B} are {C}"], "No {A} are {C}", True,
                 "The {A} are all inside the group of {B}, and no {B} is a {Cs}, so no {As} can be a {Cs}."),
    "darii": (["Some {A} are {B}", "All {B} are {C}"], "Some {A} are {C}", True,
              "The {A} that are {B} are also {C}, because all {B} are {C}. So some {A} are {C}."),
    "ferio": (["Some {A} are {B}", "No {B} are {C}"], "Some {A} are not {C}", True,
              "The {A} that are {B} cannot be {C}, since no {B} are {C}. So some {A} are not {C}."),
    "undistributed": (["All {A} are {B}", "All {C} are {B}"], "All {A} are {C}", False,
                      "Both the {A} and the {C} are inside the group of {B}, but they could be completely "
                      "different parts of it. Nothing forces the {A} to be {C}."),
    "conversion": (["All {A} are {B}"], "All {B} are {A}", False,
                   "All {A} being {B} doesn't mean the reverse: there can be {B} that are not {A}."),
    "some_some": (["Some {A} are {B}", "Some {B} are {C}"], "Some {A} are {C}", False,
                  "The {B} that are {A} and the {B} that are {C} might be different ones, so no {As} has to be "
                  "a {Cs}."),
    "no_no": (["No {A} are {B}", "No {B} are {C}"], "No {A} are {C}", False,
              "Knowing that the {A} and the {C} are both separate from the {B} says nothing about whether the "
              "{A} and the {C} overlap."),
}

CONDITIONAL_FORMS = {
    "modus_ponens": (["If {P}, then {Q}", "{P}"], "{Q}", True,
                     "The rule says that when {P}, {Q}. It is given that {P}, so {Q}."),
    "modus_tollens": (["If {P}, then {Q}", "{nQ}"], "{nP}", True,
                      "If {P}, then {Q} would follow. But {nQ}, so it cannot be that {P}."),
    "chain": (["If {P}, then {Q}", "If {Q}, then {R}"], "If {P}, then {R}", True,
              "The first rule takes us from \"{P}\" to \"{Q}\", and the second from \"{Q}\" to \"{R}\". "
              "Linking them: if {P}, then {R}."),
    "disjunctive": (["Either {P} or {Q}", "{nP}"], "{Q}", True,
                    "One of the two options must hold. The first one doesn't, so the second one does."),
    "affirm_consequent": (["If {P}, then {Q}", "{Q}"], "{P}", False,
                          "This affirms the consequent: {Q} could have happened for some other reason, so it "
                          "does not prove that {P}."),
    "deny_antecedent": (["If {P}, then {Q}", "{nP}"], "{nQ}", False,
                        "This denies the antecedent: the rule only says what happens when {P}. When that is not "
                        "the case, {Q} might still happen."),
}


def _singular(plural):
    if plural.endswith("xes"):
        return plural[:-2]
    if plural.endswith("s"):
        return plural[:-1]
    return plural


def _lower_first(text):
    """Lower-case a leading quantifier or 'If', but keep names like 'Jonas' capitalized."""
    if text.split()[0] in ("All", "No", "Some", "If", "Either", "The", "It", "We"):
        return text[0].lower() + text[1:]
    return text


def gen_syllogism(rng):
    if rng.random() < 0.55:
        name = rng.choice(list(SYLLOGISM_FORMS))
        premises, conclusion, valid, why = SYLLOGISM_FORMS[name]
        pool = NONSENSE if rng.random() < 0.5 else GROUPS
        a, b, c = rng.sample(pool, 3)
        fill = dict(A=a, B=b, C=c, As=_singular(a), Cs=_singular(c))
        prem = [p.format(**fill) for p in premises]
        concl = conclusion.format(**fill)
        why = why.format(**fill)
    else:
        name = rng.choice(list(CONDITIONAL_FORMS))
        premises, conclusion, valid, why = CONDITIONAL_FORMS[name]
        p, np_, q, nq, r, _nr = rng.choice(CONDITIONALS)
        fill = dict(P=p, nP=np_, Q=q, nQ=nq, R=r)
        prem = [x.format(**fill) for x in premises]
        concl = conclusion.format(**fill)
        why = why.format(**fill)
    frame = rng.choice([
        ("Assume these statements are true:\n{prem}\nDoes it follow that {concl_l}?", "follow"),
        ("Premises: {prem_inline} Conclusion: {concl}. Is the argument valid?", "valid"),
        ("{prem_inline} Can we conclude that {concl_l}?", "follow"),
        ("Is this reasoning valid? {prem_inline} Therefore, {concl_l}.", "valid"),
        ("Given: {prem_inline} Must it be true that {concl_l}?", "follow"),
    ])
    prem_inline = " ".join(cap(x) + "." for x in prem)
    q = frame[0].format(prem="\n".join(f"- {cap(x)}." for x in prem), prem_inline=prem_inline,
                        concl=cap(concl), concl_l=_lower_first(concl))
    answer = "Yes" if valid else "No"
    verdict = ("So the conclusion follows: the argument is valid." if valid
               else "So the conclusion does not follow: the argument is invalid.")
    steps = [cap(why), verdict]
    rubric = ("Says yes: the conclusion follows (valid)" if valid
              else "Says no: the conclusion does not follow (invalid)")
    return Item("syllogism", "medium" if name in ("undistributed", "some_some", "no_no", "affirm_consequent",
                                                  "deny_antecedent", "ferio") else "easy",
                q, steps, answer, rubric=rubric, extra={"form": name})


# ----------------------------------------------------------------------------- knights and knaves
KK_STATEMENTS = [
    ("we are both {knaves}", lambda me, other: not me and not other),
    ("at least one of us is a {knave}", lambda me, other: (not me) or (not other)),
    ("{other} is a {knave}", lambda me, other: not other),
    ("{other} is a {knight}", lambda me, other: other),
    ("we are the same kind", lambda me, other: me == other),
    ("we are different kinds", lambda me, other: me != other),
    ("{other} and I are both {knights}", lambda me, other: me and other),
    ("I am a {knave} or {other} is a {knight}", lambda me, other: (not me) or other),
]
KK_TERMS = [
    dict(knight="knight", knave="knave", knights="knights", knaves="knaves",
         setup="On an island, knights always tell the truth and knaves always lie."),
    dict(knight="truth-teller", knave="liar", knights="truth-tellers", knaves="liars",
         setup="In a village, truth-tellers never lie and liars never tell the truth."),
]


def gen_knights(rng):
    terms = rng.choice(KK_TERMS)
    a, b = pick_names(rng, 2)
    for _ in range(100):
        sa = rng.choice(KK_STATEMENTS)
        sb = rng.choice(KK_STATEMENTS) if rng.random() < 0.6 else None
        consistent = []
        for va, vb in itertools.product([True, False], repeat=2):
            ok = sa[1](va, vb) == va and (sb is None or sb[1](vb, va) == vb)
            if ok:
                consistent.append((va, vb))
        if len(consistent) == 1:
            break
    else:
        raise RuntimeError("no unique knights puzzle")
    va, vb = consistent[0]

    def kind(v):
        return terms["knight"] if v else terms["knave"]

    text_a = sa[0].format(other=b, **terms)
    text_b = sb[0].format(other=a, **terms) if sb else None
    says = f"{a} says: \"{cap(text_a)}.\""
    if sb:
        says += f" {b} says: \"{cap(text_b)}.\""
    q = _intro(rng) + terms["setup"] + " " + says + f" What are {a} and {b}?"
    steps = ["Check all four cases."]
    for xa, xb in itertools.product([True, False], repeat=2):
        problems = []
        truth_a = sa[1](xa, xb)
        if truth_a != xa:
            problems.append(f"{a}'s statement would be {'true' if truth_a else 'false'}")
        if sb:
            truth_b = sb[1](xb, xa)
            if truth_b != xb:
                problems.append(f"{b}'s statement would be {'true' if truth_b else 'false'}")
        label = f"{a} {kind(xa)}, {b} {kind(xb)}:"
        if problems:
            steps.append(f"- {label} impossible, {' and '.join(problems)}.")
        else:
            steps.append(f"- {label} every statement fits.")
    answer = f"{a} is a {kind(va)} and {b} is a {kind(vb)}"
    return Item("knights_knaves", "hard" if sb else "medium", q, steps, answer,
                rubric=f"States that {a} is a {kind(va)} and {b} is a {kind(vb)}")


# ----------------------------------------------------------------------------- analogies
ANALOGY_RELATIONS = {
    "opposite": ("{a} is the opposite of {b}, and the opposite of {c} is {d}.",
                 [("hot", "cold"), ("tall", "short"), ("early", "late"), ("full", "empty"), ("light", "dark"),
                  ("ancient", "modern"), ("generous", "stingy"), ("victory", "defeat"), ("expand", "shrink"),
                  ("rough", "smooth"), ("wet", "dry"), ("loud", "quiet"), ("arrive", "depart"),
                  ("fragile", "sturdy"), ("accept", "refuse"), ("rare", "common"), ("shallow", "deep")]),
    "young": ("{Ba} is a young {a}, and a young {c} is called {da}.",
              [("dog", "puppy"), ("cat", "kitten"), ("cow", "calf"), ("sheep", "lamb"), ("horse", "foal"),
               ("frog", "tadpole"), ("kangaroo", "joey"), ("goose", "gosling"), ("bear", "cub"),
               ("deer", "fawn"), ("owl", "owlet"), ("swan", "cygnet"), ("goat", "kid")]),
    "tool": ("{Aa} works with {ba}; {ca} works with {da}.",
             [("painter", "brush"), ("carpenter", "hammer"), ("surgeon", "scalpel"), ("photographer", "camera"),
              ("tailor", "needle"), ("astronomer", "telescope"), ("barber", "razor"), ("gardener", "trowel"),
              ("fisherman", "rod"), ("drummer", "drumstick"), ("chemist", "test tube")]),
    "part": ("{Aa} is part of {ba}, just as {ca} is part of {da}.",
             [("petal", "flower"), ("page", "book"), ("wheel", "bicycle"), ("key", "keyboard"),
              ("branch", "tree"), ("finger", "hand"), ("brick", "wall"), ("chapter", "novel"),
              ("lens", "camera"), ("room", "house"), ("string", "guitar"), ("scene", "play")]),
    "home": ("{Aa} lives in {ba}, and {ca} lives in {da}.",
             [("bee", "hive"), ("bird", "nest"), ("spider", "web"), ("horse", "stable"), ("rabbit", "burrow"),
              ("bear", "den"), ("pig", "sty"), ("fox", "den"), ("ant", "anthill"), ("monk", "monastery")]),
    "capital": ("{b} is the capital of {a}, and the capital of {c} is {d}.",
                [("France", "Paris"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"), ("Canada", "Ottawa"),
                 ("Egypt", "Cairo"), ("Peru", "Lima"), ("Norway", "Oslo"), ("Australia", "Canberra"),
                 ("Italy", "Rome"), ("Spain", "Madrid"), ("Argentina", "Buenos Aires"), ("Ghana", "Accra"),
                 ("Poland", "Warsaw"), ("Vietnam", "Hanoi")]),
    "use": ("You use {aa} to {b}, and you use {ca} to {d}.",
            [("knife", "cut"), ("pen", "write"), ("shovel", "dig"), ("broom", "sweep"), ("needle", "sew"),
             ("oven", "bake"), ("ladder", "climb"), ("key", "unlock"), ("towel", "dry"), ("map", "navigate"),
             ("whistle", "signal")]),
    "group": ("A group of {a} is {ba}, and a group of {c} is {da}.",
              [("wolves", "pack"), ("lions", "pride"), ("ships", "fleet"), ("geese", "gaggle"), ("birds", "flock"),
               ("cows", "herd"), ("fish", "school"), ("bees", "swarm")]),
    "measure": ("{Ba} measures {a}, and {c} is measured with {da}.",
                [("temperature", "thermometer"), ("weight", "scale"), ("time", "clock"), ("length", "ruler"),
                 ("air pressure", "barometer"), ("speed", "speedometer"), ("direction", "compass"),
                 ("earthquakes", "seismograph")]),
    "degree": ("{b} is a stronger form of {a}, and a stronger form of {c} is {d}.",
               [("warm", "hot"), ("cool", "freezing"), ("big", "enormous"), ("happy", "ecstatic"),
                ("tired", "exhausted"), ("hungry", "starving"), ("small", "tiny"), ("angry", "furious"),
                ("drizzle", "downpour"), ("like", "love"), ("breeze", "gale")]),
}


def _article(word):
    return ("an " if word[0].lower() in "aeiou" else "a ") + word


def gen_analogy(rng):
    rel = rng.choice(list(ANALOGY_RELATIONS))
    template, pairs = ANALOGY_RELATIONS[rel]
    (a, b), (c, d) = rng.sample(pairs, 2)
    q = rng.choice([
        f"{a} is to {b} as {c} is to what?",
        f"Complete the analogy: {a} : {b} :: {c} : ?",
        f"Fill in the blank: {a} is to {b} as {c} is to ___.",
        f"Analogy question: {cap(a)} goes with {b} the way {c} goes with what?",
    ])
    q = _intro(rng) + cap(q)
    fill = {}
    for key, word in (("a", a), ("b", b), ("c", c), ("d", d)):
        fill[key] = word
        fill[key + "a"] = _article(word)
        fill[key.upper() + "a"] = cap(_article(word))
    steps = [cap(template.format(**fill))]
    return Item("analogy", "easy", q, steps, d, rubric=f"Gives {d}")


# ----------------------------------------------------------------------------- counting arguments
def gen_counting(rng):
    kind = rng.choice(["handshakes", "round_robin", "line", "fence", "socks", "socks_each", "cuts", "knockout",
                       "stairs", "months"])
    if kind == "handshakes":
        n = rng.randint(4, 25)
        who = rng.choice(["people at a meeting", "players on a team", "guests at a dinner", "new colleagues"])
        q = f"{n} {who} each shake hands with every other person exactly once. How many handshakes are there?"
        ans = n * (n - 1) // 2
        steps = [f"Each of the {n} people shakes {n - 1} hands: {n} × {n - 1} = {n * (n - 1)}.",
                 f"That counts every handshake twice, so divide by 2: {n * (n - 1)} ÷ 2 = {ans}."]
        diff = "medium"
    elif kind == "round_robin":
        n = rng.randint(4, 16)
        twice = rng.random() < 0.4
        q = (f"In a league of {n} teams, every team plays every other team "
             f"{'twice (home and away)' if twice else 'once'}. How many games are played?")
        pairs = n * (n - 1) // 2
        ans = pairs * (2 if twice else 1)
        steps = [f"The number of pairs of teams is {n} × {n - 1} ÷ 2 = {pairs}."]
        if twice:
            steps.append(f"Each pair plays twice: {pairs} × 2 = {ans}.")
        diff = "medium"
    elif kind == "line":
        a, b = rng.randint(2, 20), rng.randint(2, 20)
        name = pick_names(rng, 1)[0]
        place = rng.choice(["a queue", "a line at the bakery", "a row of runners", "a line of students"])
        q = f"In {place}, {name} is number {a} from the front and number {b} from the back. How many people are in it?"
        ans = a + b - 1
        steps = [f"There are {a - 1} people ahead of {name} and {b - 1} behind.",
                 f"Total: {a - 1} + {b - 1} + 1 = {ans} (adding {name} once)."]
        diff = "medium"
    elif kind == "fence":
        gap = rng.choice([2, 3, 4, 5, 10])
        sections = rng.randint(3, 20)
        length = gap * sections
        thing = rng.choice([("fence", "posts"), ("path", "lamps"), ("street", "trees")])
        q = (f"A straight {thing[0]} is {length} meters long with {thing[1]} every {gap} meters, including one at "
             f"each end. How many {thing[1]} are there?")
        ans = sections + 1
        steps = [f"The gaps: {length} ÷ {gap} = {sections}.",
                 f"There is one more {thing[1][:-1]} than gaps: {sections} + 1 = {ans}."]
        diff = "medium"
    elif kind == "socks":
        k = rng.randint(2, 6)
        colors = rng.sample(["black", "white", "grey", "blue", "red", "green", "brown"], k)
        q = (f"A drawer holds lots of loose socks in {k} colors ({join_and(colors)}). In the dark, how many socks "
             f"must you take to be sure of getting two of the same color?")
        ans = k + 1
        steps = [f"With {k} socks you could get one of each color and no pair.",
                 f"The next sock must match one of them, so {k} + 1 = {ans} socks guarantee a pair."]
        diff = "medium"
    elif kind == "socks_each":
        x, y = rng.randint(3, 15), rng.randint(3, 15)
        while x == y:
            y = rng.randint(3, 15)
        c1, c2 = rng.sample(["red", "blue", "green", "yellow", "white", "black"], 2)
        obj = rng.choice(["marbles", "gloves", "balls", "pens"])
        q = (f"A bag has {x} {c1} {obj} and {y} {c2} {obj}. Without looking, how many must you take out to be "
             f"sure you have at least one of each color?")
        big = max(x, y)
        ans = big + 1
        big_color = c1 if x > y else c2
        steps = [f"In the worst case you first take all {big} {big_color} {obj}.",
                 f"The next one must be the other color: {big} + 1 = {ans}."]
        diff = "hard"
    elif kind == "cuts":
        pieces = rng.randint(3, 12)
        minutes = rng.randint(2, 9)
        obj = rng.choice(["log", "rope", "board", "ribbon", "cake roll"])
        q = f"It takes {minutes} minutes to make one cut through a {obj}. How long does it take to cut it into {pieces} pieces?"
        ans = (pieces - 1) * minutes
        steps = [f"{pieces} pieces need {pieces} - 1 = {pieces - 1} cuts.",
                 f"Time: {pieces - 1} × {minutes} = {ans} minutes."]
        diff = "medium"
    elif kind == "knockout":
        n = rng.choice([8, 16, 32, 64, 12, 20, 24, 100])
        sport = rng.choice(["tennis", "chess", "table tennis", "badminton", "darts"])
        q = (f"A knockout {sport} tournament starts with {n} players. Every match eliminates exactly one player. "
             f"How many matches are needed to find the champion?")
        ans = n - 1
        steps = ["Every match knocks out exactly one player, and all players but the champion must be knocked out.",
                 f"So the number of matches is {n} - 1 = {ans}."]
        diff = "medium"
    elif kind == "stairs":
        a = rng.randint(1, 3)
        b = rng.randint(a + 2, 12)
        secs = rng.choice([10, 12, 15, 20, 30])
        name = pick_names(rng, 1)[0]
        q = (f"{name} climbs from floor {a} to floor {b}. Going up one floor takes {secs} seconds. How many "
             f"seconds does the climb take?")
        ans = (b - a) * secs
        steps = [f"From floor {a} to floor {b} is {b} - {a} = {b - a} floors, not {b}.",
                 f"Time: {b - a} × {secs} = {ans} seconds."]
        diff = "easy"
    else:
        k = rng.choice([2, 3])
        q = (f"What is the smallest number of people you need in a group to be certain that at least {k} of them "
             f"were born in the same month?")
        ans = 12 * (k - 1) + 1
        steps = [f"With {12 * (k - 1)} people, every month could have exactly {k - 1} birthday{'s' if k > 2 else ''}.",
                 f"One more person forces a month to have {k}: {12 * (k - 1)} + 1 = {ans}."]
        diff = "hard"
    q = _intro(rng) + q
    return Item("counting", diff, q, steps, str(ans), rubric=f"Gives {ans}")


# ----------------------------------------------------------------------------- calendar and clock
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _hhmm(total):
    total %= 24 * 60
    return f"{total // 60:02d}:{total % 60:02d}"


def gen_calendar(rng):
    kind = rng.choice(["days_later", "days_ago", "relative", "same_month", "meeting_end", "trip_length",
                       "timezone", "age_when"])
    if kind == "days_later":
        start = rng.choice(WEEK)
        n = rng.randint(8, 400)
        end = WEEK[(WEEK.index(start) + n) % 7]
        q = rng.choice([f"Today is {start}. What day of the week will it be in {n} days?",
                        f"If today is a {start}, which weekday is it {n} days from now?"])
        steps = [f"Weeks repeat every 7 days: {n} = 7 × {n // 7} + {n % 7}.",
                 f"Move {n % 7} day(s) forward from {start}: {end}."]
        ans, diff = end, "medium"
    elif kind == "days_ago":
        start = rng.choice(WEEK)
        n = rng.randint(8, 200)
        end = WEEK[(WEEK.index(start) - n) % 7]
        q = f"Today is {start}. What day of the week was it {n} days ago?"
        steps = [f"{n} = 7 × {n // 7} + {n % 7}, so only {n % 7} day(s) matter.",
                 f"Go back {n % 7} day(s) from {start}: {end}."]
        ans, diff = end, "medium"
    elif kind == "relative":
        known_offset, known_word = rng.choice([(-2, "the day before yesterday"), (-1, "yesterday"),
                                               (1, "tomorrow"), (2, "the day after tomorrow")])
        ask_offset, ask_word = rng.choice([(o, w) for o, w in [(-2, "the day before yesterday"), (-1, "yesterday"),
                                                                (0, "today"), (1, "tomorrow"),
                                                                (2, "the day after tomorrow")] if o != known_offset])
        known_day = rng.choice(WEEK)
        today = WEEK[(WEEK.index(known_day) - known_offset) % 7]
        ans = WEEK[(WEEK.index(today) + ask_offset) % 7]
        verb = "was" if known_offset < 0 else "is"
        ask_phrase = {-2: "was the day before yesterday", -1: "was yesterday", 0: "is it today", 1: "is tomorrow",
                      2: "is the day after tomorrow"}[ask_offset]
        q = f"If {known_word} {verb} {known_day}, what day {ask_phrase}?"
        steps = [f"{cap(known_word)} is {abs(known_offset)} day(s) {'before' if known_offset < 0 else 'after'} "
                 f"today, so today is {today}."]
        if ask_offset != 0:
            steps.append(f"{cap(ask_word)} is {abs(ask_offset)} day(s) {'before' if ask_offset < 0 else 'after'} "
                         f"today: {ans}.")
        ans, diff = ans, "medium"
    elif kind == "same_month":
        m = rng.randrange(12)
        d1 = rng.randint(1, 10)
        d2 = rng.randint(d1 + 5, MONTH_DAYS[m])
        day1 = rng.choice(WEEK)
        diff_days = d2 - d1
        ans = WEEK[(WEEK.index(day1) + diff_days) % 7]
        q = f"{MONTHS[m]} {d1} is a {day1}. What day of the week is {MONTHS[m]} {d2} in the same year?"
        steps = [f"{MONTHS[m]} {d2} is {d2} - {d1} = {diff_days} days later.",
                 f"{diff_days} = 7 × {diff_days // 7} + {diff_days % 7}, so move {diff_days % 7} day(s) from "
                 f"{day1}: {ans}."]
        diff = "medium"
    elif kind == "meeting_end":
        start = rng.randint(7 * 60, 20 * 60)
        start -= start % 5
        dur = rng.choice([25, 40, 45, 50, 75, 90, 95, 105, 130, 150, 200])
        event = rng.choice(["A meeting", "A film", "A workshop", "A flight", "A football match", "A lecture"])
        q = f"{event} starts at {_hhmm(start)} and lasts {dur} minutes. At what time does it end?"
        h, m = divmod(dur, 60)
        ans = _hhmm(start + dur)
        steps = [f"{dur} minutes is {h} hour(s) and {m} minute(s).",
                 f"{_hhmm(start)} plus {h} h {m} min is {ans}."]
        diff = "easy" if dur < 60 else "medium"
    elif kind == "trip_length":
        start = rng.randint(5 * 60, 14 * 60)
        start -= start % 5
        dur = rng.randint(40, 560)
        dur -= dur % 5
        end = start + dur
        city_a, city_b = rng.sample(["Lyon", "Porto", "Bergen", "Cork", "Ghent", "Basel", "Turin", "Graz"], 2)
        q = f"A train leaves {city_a} at {_hhmm(start)} and arrives in {city_b} at {_hhmm(end)} the same day. How long is the trip?"
        h, m = divmod(dur, 60)
        ans = f"{h} h {m} min"
        steps = [f"From {_hhmm(start)} to {_hhmm(start + h * 60)} is {h} hour(s).",
                 f"From {_hhmm(start + h * 60)} to {_hhmm(end)} is {m} minute(s)."]
        diff = "medium"
    elif kind == "timezone":
        ahead = rng.randint(1, 9)
        base = rng.randint(0, 23)
        a, b = rng.sample(["Arden", "Belmar", "Corvia", "Dunmore", "Eskar", "Fenwick"], 2)
        q = (f"The town of {b} is {ahead} hours ahead of {a}. When it is {base:02d}:00 in {a}, what time is it "
             f"in {b}?")
        total = base + ahead
        ans = f"{total % 24:02d}:00"
        steps = [f"Add {ahead} hours: {base} + {ahead} = {total}."]
        if total >= 24:
            steps.append(f"That passes midnight, so it is {total} - 24 = {total - 24}, i.e. {ans} the next day.")
        diff = "easy" if total < 24 else "medium"
    else:
        name = pick_names(rng, 1)[0]
        future = rng.randint(2, 9)
        age_then = rng.randint(15, 60)
        now = age_then - future
        past = rng.randint(2, min(12, now - 1))
        ans_age = now - past
        q = f"In {future} years {name} will be {age_then}. How old was {name} {past} years ago?"
        steps = [f"Now {name} is {age_then} - {future} = {now}.",
                 f"{past} years ago: {now} - {past} = {ans_age}."]
        ans, diff = str(ans_age), "easy"
    q = _intro(rng) + q
    return Item("calendar", diff, q, steps, ans, rubric=f"Gives {ans}")


# ----------------------------------------------------------------------------- directions
COMPASS = ["north", "east", "south", "west"]


def gen_directions(rng):
    start = rng.choice(COMPASS)
    turns = [rng.choice(["right", "left", "around", "right", "left"]) for _ in range(rng.randint(2, 5))]
    idx = COMPASS.index(start)
    steps = [f"Start facing {start}."]
    for t in turns:
        idx = (idx + {"right": 1, "left": -1, "around": 2}[t]) % 4
        desc = "turn around" if t == "around" else f"turn {t}"
        steps.append(f"After a {desc}: {COMPASS[idx]}.")
    turn_text = ", then ".join("turn around" if t == "around" else f"turn {t}" for t in turns)
    who, final = rng.choice([("You are", "are you"), ("A robot is", "is the robot"), ("A hiker is", "is the hiker"),
                             ("Maya is", "is Maya"), ("A guard is", "is the guard")])
    q = f"{who} facing {start}. The turns, in order: {turn_text}. Which direction {final} facing now?"
    q = _intro(rng) + q
    return Item("directions", "easy" if len(turns) <= 3 else "medium", q, steps, COMPASS[idx],
                rubric=f"Gives {COMPASS[idx]}")


# ----------------------------------------------------------------------------- odd one out
CATEGORIES = {
    "fruits": ["apple", "banana", "cherry", "mango", "grape", "pear", "plum", "kiwi", "peach", "apricot"],
    "vehicles": ["bus", "bicycle", "tram", "truck", "scooter", "ferry", "taxi", "van"],
    "planets": ["Mars", "Venus", "Jupiter", "Saturn", "Neptune", "Mercury", "Uranus"],
    "musical instruments": ["violin", "trumpet", "piano", "flute", "cello", "drum", "harp", "clarinet"],
    "metals": ["iron", "copper", "silver", "zinc", "tin", "aluminium", "nickel"],
    "kitchen utensils": ["spatula", "whisk", "ladle", "colander", "peeler", "grater"],
    "birds": ["sparrow", "eagle", "robin", "pigeon", "parrot", "heron", "crow", "swan"],
    "sports played with a ball": ["tennis", "football", "basketball", "volleyball", "golf", "rugby"],
    "units of length": ["meter", "inch", "mile", "kilometer", "foot", "yard"],
    "colors": ["crimson", "teal", "violet", "amber", "navy", "olive"],
    "programming languages": ["Python", "Java", "Rust", "Go", "Ruby", "Kotlin"],
    "oceans": ["Atlantic", "Pacific", "Indian", "Arctic", "Southern"],
}
SINGULAR = {"fruits": "a fruit", "vehicles": "a vehicle", "planets": "a planet",
            "musical instruments": "a musical instrument", "metals": "a metal",
            "kitchen utensils": "a kitchen utensil", "birds": "a bird", "sports played with a ball": "a ball sport",
            "units of length": "a unit of length", "colors": "a color", "programming languages": "a programming language",
            "oceans": "an ocean"}
CONFUSABLE = {("units of length", "metals"), ("metals", "planets"), ("colors", "fruits"), ("fruits", "colors"),
              ("colors", "programming languages"), ("metals", "programming languages"),
              ("metals", "colors"), ("colors", "metals"), ("planets", "programming languages"),
              ("programming languages", "planets"), ("birds", "programming languages")}


def gen_odd_one_out(rng):
    while True:
        cat, other = rng.sample(list(CATEGORIES), 2)
        if (cat, other) not in CONFUSABLE:
            break
    members = rng.sample(CATEGORIES[cat], 3)
    odd = rng.choice([w for w in CATEGORIES[other] if w not in CATEGORIES[cat]])
    words = members + [odd]
    rng.shuffle(words)
    q = rng.choice([f"Which is the odd one out: {', '.join(words)}?",
                    f"Find the word that doesn't belong: {', '.join(words)}.",
                    f"One of these is not like the others: {', '.join(words)}. Which one?"])
    steps = [f"{cap(join_and(members))} are all {cat}.", f"{cap(odd)} is not {SINGULAR[cat]}."]
    return Item("odd_one_out", "easy", _intro(rng) + q, steps, odd, rubric=f"Picks {odd}")


# ----------------------------------------------------------------------------- weight comparisons
MATERIALS = ["feathers", "bricks", "iron", "cotton", "sand", "popcorn", "gold", "water", "apples", "paper"]


def gen_heavier(rng):
    m1, m2 = rng.sample(MATERIALS, 2)
    kind = rng.choice(["same", "convert_g", "convert_oz"])
    if kind == "same":
        unit = rng.choice(["kilogram", "pound", "ton", "gram"])
        q = f"Which is heavier: a {unit} of {m1} or a {unit} of {m2}?"
        steps = [f"Both are exactly one {unit}, and a {unit} is a measure of weight (mass).",
                 "What the material is doesn't matter, only the amount."]
        ans = "neither, they weigh the same"
        rubric = "Says they weigh the same"
        diff = "easy"
    elif kind == "convert_g":
        kg = rng.randint(1, 9)
        grams = kg * 1000 + rng.choice([-1, 1]) * rng.choice([100, 200, 250, 400, 500, 750])
        q = f"Which weighs more: {kg} kg of {m1} or {grams} g of {m2}?"
        steps = [f"Convert to grams: {kg} kg = {kg * 1000} g.",
                 f"Compare {kg * 1000} g with {grams} g."]
        ans = f"the {kg} kg of {m1}" if kg * 1000 > grams else f"the {grams} g of {m2}"
        rubric = f"Picks {ans}"
        diff = "medium"
    else:
        lb = rng.randint(1, 6)
        oz = lb * 16 + rng.choice([-1, 1]) * rng.choice([2, 4, 6, 8])
        q = f"Which is heavier: {lb} pound(s) of {m1} or {oz} ounces of {m2}? (1 pound = 16 ounces)"
        steps = [f"{lb} pound(s) = {lb} × 16 = {lb * 16} ounces.", f"Compare {lb * 16} oz with {oz} oz."]
        ans = f"the {lb} pound(s) of {m1}" if lb * 16 > oz else f"the {oz} ounces of {m2}"
        rubric = f"Picks {ans}"
        diff = "medium"
    return Item("heavier", diff, _intro(rng) + q, steps, ans, rubric=rubric)


# ----------------------------------------------------------------------------- sequences
def gen_sequence(rng):
    kind = rng.choice(["arith", "geom", "squares", "alt", "fib", "letters", "diffs"])
    if kind == "arith":
        a, d = rng.randint(-10, 30), rng.choice([2, 3, 4, 5, 6, 7, 9, 11, -3, -4])
        seq = [a + d * i for i in range(5)]
        nxt = a + 5 * d
        steps = [f"Each term changes by {d:+d}.", f"{seq[-1]} {'+' if d > 0 else '-'} {abs(d)} = {nxt}."]
    elif kind == "geom":
        a, r = rng.randint(1, 6), rng.choice([2, 3])
        seq = [a * r ** i for i in range(5)]
        nxt = a * r ** 5
        steps = [f"Each term is {r} times the previous one.", f"{seq[-1]} × {r} = {nxt}."]
    elif kind == "squares":
        s = rng.randint(1, 8)
        seq = [(s + i) ** 2 for i in range(5)]
        nxt = (s + 5) ** 2
        steps = [f"These are the squares {', '.join(f'{s + i}²' for i in range(5))}.",
                 f"Next is {s + 5}² = {nxt}."]
    elif kind == "alt":
        a, x, y = rng.randint(1, 20), rng.randint(2, 9), rng.randint(1, 6)
        seq = [a]
        for i in range(5):
            seq.append(seq[-1] + (x if i % 2 == 0 else -y))
        nxt = seq[-1] + (x if 5 % 2 == 0 else -y)
        seq = seq[:6]
        steps = [f"The steps alternate: +{x}, -{y}, +{x}, ...",
                 f"The next step is -{y}: {seq[-1]} - {y} = {nxt}."]
    elif kind == "fib":
        a, b = rng.randint(1, 5), rng.randint(1, 7)
        seq = [a, b]
        while len(seq) < 6:
            seq.append(seq[-1] + seq[-2])
        nxt = seq[-1] + seq[-2]
        steps = ["Each term is the sum of the two before it.", f"{seq[-2]} + {seq[-1]} = {nxt}."]
    elif kind == "letters":
        step = rng.choice([2, 3, 4])
        start = rng.randint(0, 25 - 5 * step)
        letters = [chr(ord("A") + start + step * i) for i in range(5)]
        seq = letters
        nxt = chr(ord("A") + start + step * 5)
        steps = [f"Each letter skips ahead {step} places in the alphabet.",
                 f"{step} places after {letters[-1]} is {nxt}."]
    else:
        a, d0 = rng.randint(1, 10), rng.randint(1, 4)
        seq = [a]
        for i in range(5):
            seq.append(seq[-1] + d0 + i)
        nxt = seq[-1] + d0 + 5
        steps = [f"The differences grow by one each time: {', '.join(str(d0 + i) for i in range(5))}.",
                 f"The next difference is {d0 + 5}: {seq[-1]} + {d0 + 5} = {nxt}."]
    shown = ", ".join(str(x) for x in seq)
    q = rng.choice([f"What comes next in the sequence {shown}, ...?", f"Continue the pattern: {shown}, ?",
                    f"Find the next term: {shown}"])
    return Item("sequence", "easy" if kind in ("arith", "letters") else "medium", _intro(rng) + q, steps,
                str(nxt), rubric=f"Gives {nxt}")


# ----------------------------------------------------------------------------- hand-written
HANDWRITTEN = [
    ("What has keys but can't open a single lock?",
     ["It has to be something with 'keys' that aren't door keys.", "A piano has keys you press to play notes."],
     "a piano", "Answers a piano (or keyboard)"),
    ("Sally has 3 brothers. Each of her brothers has 2 sisters. How many sisters does Sally have?",
     ["Each brother's 2 sisters are the same two girls for every brother.", "One of them is Sally herself."],
     "1", "Says Sally has 1 sister"),
    ("If you overtake the runner in second place, what place are you in?",
     ["You pass the person in second, so you take their spot.", "The leader is still ahead of you."],
     "second place", "Says second place, not first"),
    ("A farmer has 17 sheep. All but 9 run away. How many sheep are left?",
     ["'All but 9' means 9 did not run away."], "9", "Gives 9"),
    ("How many months of the year have 28 days?",
     ["Every month has at least 28 days; February just stops there."], "all 12", "Says all 12 months"),
    ("Mary's father has five daughters: Nana, Nene, Nini and Nono. What is the fifth daughter's name?",
     ["The puzzle is about Mary's father, so Mary is one of his daughters.", "The four names listed are the others."],
     "Mary", "Answers Mary"),
    ("A doctor gives you three pills and tells you to take one every half hour. How long until you've taken them all?",
     ["Take the first pill at time 0, the second after 30 minutes and the third after 60 minutes."],
     "1 hour", "Says one hour (60 minutes)"),
    ("What gets wetter the more it dries?",
     ["Something used for drying becomes wet while it works.", "A towel gets wetter as it dries you."],
     "a towel", "Answers a towel"),
    ("Ravi's only brother has a son. The son's father's only sibling is Ravi. How is the son related to Ravi?",
     ["The son's father is Ravi's brother.", "The son of your brother is your nephew."],
     "his nephew", "Says nephew"),
    ("Ana's mother's brother is Carlos. What is Carlos to Ana?",
     ["Your mother's brother is your uncle."], "her uncle", "Says uncle"),
    ("Maria is married to Tom, and Tom's father is Pedro. What is Pedro to Maria?",
     ["Pedro is the father of Maria's husband.", "Your spouse's father is your father-in-law."],
     "her father-in-law", "Says father-in-law"),
    ("Jin's grandfather has exactly two children: Jin's mother and Jin's aunt Sue. Sue has a daughter, Mia. How are Jin and Mia related?",
     ["Jin's mother and Sue are sisters.", "Children of siblings are cousins."], "cousins", "Says cousins"),
    ("A woman says: 'That boy is the son of my mother's only child.' Who is the boy to her?",
     ["Her mother's only child is the woman herself.", "So the boy is her own son."], "her son", "Says her son"),
    ("If Kim's daughter is Lu's mother, what is Kim to Lu?",
     ["Kim is the mother of Lu's mother.", "Your mother's mother is your grandmother."],
     "Lu's grandmother", "Says grandmother"),
    ("The milk left on the kitchen counter overnight smelled sour in the morning, but the milk in the fridge was fine. What is the most likely cause?",
     ["The only difference is where the milk was stored.",
      "Bacteria grow much faster at room temperature than in the cold, and they make milk sour."],
     "bacteria grew because the milk was warm", "Says bacteria grew faster at room temperature"),
    ("Every plant on the sunny windowsill is growing well, while the same kind of plants in a dark corner are pale and thin. What explains the difference?",
     ["The plants are the same kind, so the setting is the likely cause.",
      "Plants need light for photosynthesis; without it they grow pale and weak."],
     "the lack of light in the corner", "Names lack of sunlight as the cause"),
    ("After a road was built through a forest, the number of deer hit by cars in that area went from zero to twelve a year. What most likely caused the change?",
     ["Before the road there were no cars there to hit deer.", "The new road brought traffic into the deer's habitat."],
     "the new road and its traffic", "Attributes it to the new road/traffic"),
    ("A shop's ice cream sales and its sunscreen sales both rise every July. Does selling ice cream cause people to buy sunscreen?",
     ["Both go up at the same time of year.", "Hot, sunny weather drives both, so it is a common cause, not one causing the other."],
     "No, hot weather causes both", "Says no and names hot/sunny weather as a common cause"),
    ("A phone's battery drains much faster since an app was installed, and it drains normally again when the app is removed. What is the likely cause?",
     ["The change appears with the app and disappears without it.", "That points to the app using a lot of power."],
     "the app", "Says the app drains the battery"),
    ("Which conclusion is best supported? 'Every time the dog hears the doorbell, it barks. The dog is barking now.'",
     ["The dog may bark for other reasons too, like a squirrel or another dog.",
      "So the barking doesn't prove the doorbell rang; it's only possible."],
     "The doorbell may have rung, but it isn't certain", "Says it is not certain the doorbell rang"),
    ("A riddle: I have cities, but no houses; forests, but no trees; water, but no fish. What am I?",
     ["Something that shows cities, forests and water without the real things.", "A map does that."],
     "a map", "Answers a map"),
    ("What can you hold in your right hand but never in your left hand?",
     ["A hand can hold almost anything except itself.",
      "Your right hand can hold your left hand, but your left hand can never hold itself."],
     "your left hand", "Answers your left hand (or left elbow)"),
    ("The more you take, the more you leave behind. What are they?",
     ["Taking them leaves a trail behind you.", "Footsteps: each step you take leaves a footprint."],
     "footsteps", "Answers footsteps"),
    ("A man pushes his car to a hotel and tells the owner he's bankrupt. Why?",
     ["Pushing a car to a hotel isn't normal in real life.", "It makes sense in the board game Monopoly, where the car is a token."],
     "he is playing Monopoly", "Says it's a game of Monopoly"),
    ("What word is spelled wrong in every dictionary?",
     ["The question is a word trick.", "The word 'wrong' is always spelled W-R-O-N-G."], "wrong", "Answers 'wrong'"),
    ("A rooster lays an egg on the peak of a barn roof. Which side does it roll down?",
     ["Roosters are male chickens.", "Roosters don't lay eggs, so there is no egg."], "neither, roosters don't lay eggs",
     "Says roosters don't lay eggs"),
    ("Two fathers and two sons go fishing. Each catches one fish, and they bring home three fish. How?",
     ["One person can be both a father and a son.", "A grandfather, his son and his grandson are two fathers and two sons."],
     "there are only three people: grandfather, father and son", "Explains three people (grandfather, father, son)"),
    ("You're in a race and pass the person in last place. What place are you in?",
     ["If someone is last, nobody is behind them to pass them.", "So the situation is impossible."],
     "it's impossible", "Says it's impossible to pass the last person"),
    ("A box contains only red and blue balls. Exactly one ball is drawn and it is not red. What color is it?",
     ["There are only two colors.", "Not red means blue."], "blue", "Says blue"),
    ("All the guests at Noor's party either like tea or coffee, and nobody likes both. Ivan doesn't like coffee. What does Ivan like?",
     ["Every guest likes exactly one of tea or coffee.", "Ivan doesn't like coffee, so he likes tea."],
     "tea", "Says tea"),
    ("A clock gains no time and loses no time, but it shows the right time only twice a day. What kind of clock is it?",
     ["A working clock is right all the time.", "A stopped analog clock is right twice a day, when the real time matches its hands."],
     "a stopped clock", "Says a stopped clock"),
    ("The day after a holiday the office gets twice the usual emails. The IT team concludes the email server doubles messages after holidays. What's a better explanation?",
     ["People don't send work emails during the holiday.", "The messages pile up and are sent the next day, so more emails is expected."],
     "backlog from the holiday", "Explains it as a backlog from the day off"),
    ("Lisa is 8 and her brother is 3 years older. How old will her brother be when Lisa is 20?",
     ["The age gap stays the same: 3 years.", "When Lisa is 20, her brother is 20 + 3 = 23."], "23", "Gives 23"),
    ("What can travel around the world while staying in a corner?",
     ["It sits in the corner of something that travels.", "A stamp stays in the corner of an envelope."], "a stamp",
     "Answers a stamp"),
    ("Forward I am heavy, backward I am not. What am I?",
     ["Read the word backwards.", "'ton' backwards is 'not'."], "ton", "Answers 'ton'"),
    ("If all roses are flowers and some flowers fade quickly, can we conclude that some roses fade quickly?",
     ["The flowers that fade quickly might all be other flowers.", "So the premises don't guarantee it."],
     "No", "Says no, it doesn't follow"),
    ("Every student in the art club also plays chess. Ola plays chess. Is Ola in the art club?",
     ["The club members are a subset of the chess players.", "Playing chess doesn't mean being in the club."],
     "Not necessarily", "Says not necessarily"),
    ("A lamp turns on whenever the switch is up. The lamp is off. What can you say about the switch?",
     ["If the switch were up, the lamp would be on.", "The lamp is off, so the switch is not up."],
     "the switch is not up", "Says the switch is not up (down)"),
    ("A jar has 3 cookies. You take away 2. How many cookies do you have?",
     ["The question asks how many you have, not how many are left in the jar.", "You took 2."], "2", "Gives 2"),
    ("Three friends are a doctor, a teacher and a chef. Ana is not the doctor. Ben is the teacher. What is Ana?",
     ["Ben is the teacher, so Ana is either the doctor or the chef.", "Ana is not the doctor, so she is the chef."],
     "the chef", "Says Ana is the chef"),
    ("Which is longer: a week or 150 hours?",
     ["A week has 7 × 24 = 168 hours.", "168 hours is more than 150."], "a week", "Says a week"),
    ("You are driving a bus with 10 passengers. At the first stop 4 get off and 2 get on. What color are the bus driver's eyes?",
     ["The question starts by saying that you are driving the bus.", "So the driver is you."],
     "the same color as your own eyes", "Says the driver is the reader, so their own eye color"),
    ("An electrician, a plumber and a painter each own exactly one of a van, a bike and a car. The plumber doesn't own the van. The painter owns the bike. Who owns the car?",
     ["The painter has the bike, so the van and car go to the electrician and the plumber.",
      "The plumber doesn't own the van, so the plumber owns the car."],
     "the plumber", "Says the plumber owns the car"),
    ("If it takes 5 machines 5 minutes to make 5 gadgets, how long do 100 machines need to make 100 gadgets?",
     ["Each machine makes one gadget in 5 minutes.", "100 machines working at once make 100 gadgets in the same 5 minutes."],
     "5 minutes", "Gives 5 minutes"),
    ("A lily pad patch doubles in size every day and covers the pond on day 30. On which day did it cover half the pond?",
     ["It doubles each day, so the day before full it was half.", "30 - 1 = 29."], "day 29", "Gives day 29"),
    ("Kai says: 'I always lie.' Can that statement be true?",
     ["If it were true, Kai would be lying while saying it, so it would be false.",
      "So it can't be true; at most Kai lies sometimes."], "No", "Says no, it is self-contradictory"),
]


def handwritten_items():
    items = []
    for q, steps, ans, rubric in HANDWRITTEN:
        items.append(Item("handwritten", "medium", q, list(steps), ans, rubric=rubric))
    return items


GENERATORS = {
    "ordering": (gen_ordering, 34, 7),
    "seating": (gen_seating, 30, 6),
    "syllogism": (gen_syllogism, 40, 8),
    "knights_knaves": (gen_knights, 22, 5),
    "analogy": (gen_analogy, 36, 6),
    "counting": (gen_counting, 36, 7),
    "calendar": (gen_calendar, 40, 8),
    "directions": (gen_directions, 14, 3),
    "odd_one_out": (gen_odd_one_out, 16, 3),
    "heavier": (gen_heavier, 12, 3),
    "sequence": (gen_sequence, 20, 4),
}
HANDWRITTEN_EVAL = 8  # the last N hand-written items are held out for evaluation
