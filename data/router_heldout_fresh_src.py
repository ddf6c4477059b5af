"""A second held-out set for math and hard_math, written after the first one had been seen.

The first held-out prompts of these two labels (``router_heldout_src.HELDOUT["math"]`` and
``["hard_math"]``) were looked at while the hard_math training prompts were being chosen (data/README.md
says how), so they no longer measured phrasings the classifier had not been fitted to. They went into
training (``build_router.RETIRED_HELDOUT``), and these 50 + 50 prompts replaced them: written on 7 Dec 2026
by a team member who had not read the router's training data or its earlier held-out set, from the label
rules in data/README.md alone, and scored once after the training data was final. Tags: proofs (math,
whatever their topic), borderline items (still math: one-step counting, an LCM, the birthday problem;
still hard_math: condition counting that sounds simple), technique and contest-practice framings,
typos, other languages, LaTeX and pasted multi-line problems. Format: data/prompt_blocks.py.
``validate.py`` rejects any prompt here that shares a 6-word run with a training prompt.
"""

from prompt_blocks import parse_block

FRESH: dict[str, str] = {}
FRESH["math"] = r"""
[everyday] what's 15% of 240
[everyday] A jacket is $85 and it's 30% off. How much do I actually pay?
[everyday] I drove 380 miles on 11.5 gallons, what's my mpg
[everyday] how much is an 18 percent tip on a $64.50 bill?
[word-problem] A train leaves at 2:15 pm and travels 210 km at 70 km/h. What time does it arrive?
[word-problem] Mia can paint the back fence alone in 5 hours; her brother would need 8. If they start together at noon, at what time are they done?
[ratio] Split $360 between two people in the ratio 4:5.
[conversion] How many cups are in 3 liters?
[conversion] convert 135 degrees to radians
[algebra] solve 3x - 7 = 2x + 5
[algebra] Factor x^2 - 5x - 14 completely.
[calculus] Differentiate e^(2x) · cos x for me — I keep fumbling the product rule on this one.
[calculus] can you explain what a limit actually means, like intuitively, without the epsilon stuff
[calculus] Find the maximum value of f(x) = -2x^2 + 12x - 5 and the x where it happens.
[linear-algebra] Find the eigenvalues of the matrix [[2, 1], [1, 2]].
[statistics] What's the difference between standard deviation and variance, and why do we square the deviations?
[statistics] quiz scores this term were 6, 9, 9, 12, 14, 17. need mean, median, mode
[trig] If sin θ = 3/5 and θ is in the second quadrant, what is cos θ?
[geometry] Volume of a cylinder with radius 4 cm and height 10 cm?
[geometry] My triangular garden bed has edges of 5 ft, 6 ft and 7 ft. How many square feet of mulch does it need to cover?
[concept] Why does a graph have to pass the horizontal line test before the function gets an inverse?
[concept] Why is 0! equal to 1? It seems like it should be 0.
[typo] how do i simplfy (x^2 - 9)/(x + 3)
[typo] whats the formual for compound intrest if its monthly
[typo] how to find the slpoe of a line thru (2,3) and (6,11)
[typo] integrl of 1/(x^2+1) dx pls
[typo] wat is 7/8 divded by 3/4
[non-english] ¿Cómo se calcula el área de un círculo de radio 6 cm?
[non-english] Wie löse ich die Gleichung 2x² − 8 = 0?
[non-english] Quelle est la dérivée de ln(x² + 1) ?
[non-english] Como calculo a média ponderada das notas 7, 8 e 9 com pesos 2, 3 e 5?
[latex] Using integration by parts, find $\int_0^{2} x\, e^{-x/2}\, dx$.
[latex] Solve the system $\begin{cases} 2x + y = 7 \\ x - 3y = -7 \end{cases}$
[proof] Argue rigorously that log₂(3) is not rational — what goes wrong if 2^(p/q) = 3?
[proof] Establish, for each positive integer n, that 1·2 + 2·3 + … + n(n+1) = n(n+1)(n+2)/3.
[proof] Whatever integer m you pick, m^2(m^2 − 1) comes out a multiple of 12. Prove it.
[proof] euclid's argument: why can't there be a biggest prime? write it out properly
[proof] If p, q, r are positive with p + q + r = 3, show that pq + qr + rp ≤ 3.
[proof] Ten darts land inside an equilateral triangle whose sides measure 3. Prove some pair of darts is no more than 1 unit apart.
[proof] Prove $\sum_{k=1}^{n} k^3 = \left(\frac{n(n+1)}{2}\right)^2$ by induction.
[proof] olympiad-style: squares mod 8 are only 0, 1 or 4 — use that to prove no number 8m + 7 splits into three squares
[borderline] How many different 3-person committees can be chosen from 10 people?
[borderline] what is the least common multiple of 12 and 18
[borderline] In a room of 30 people, what's the chance at least two share a birthday?
[borderline] A spinner has five equal sections labeled 1, 2, 3, 5 and 9. On average, what does one spin land on?
[borderline] Seven kids join hands in a ring for a game. If rotating the ring gives the same ring, how many different rings are possible?
[borderline] chance that a pair of dice totals 10?
<<< [multiline]
Homework 4, problem 2
A rectangular garden is 3 m longer than it is wide. Its area is 70 m^2.
(a) Write an equation for the width w.
(b) Find the dimensions of the garden.
>>>
<<< [multiline]
Given the data below, find the least-squares line of best fit y = mx + b:
x: 1   2   3   4   5
y: 2.1 3.9 6.2 8.1 9.8
>>>
<<< [multiline]
Q3. Let A be an n x n real matrix with A^2 = A.
Show that every eigenvalue of A is either 0 or 1.
>>>
"""
FRESH["hard_math"] = r"""
[number-theory] 7^1000 leaves what remainder upon division by 19?
[number-theory] Written out in full, 13^402 ends in which two-digit pair?
[number-theory] How many positive divisors of 10800 are perfect squares?
[number-theory] In base 10, 1500! finishes with an unbroken block of zeros. How long is that block?
[number-theory] Take the number 10^40 − 123 and add its digits together. Result?
[diophantine] Which positive integer pairs (m, n) make m² − n² equal to 231? Count them.
[crt] Grandma's cookie tin: counting the cookies out by 4s leaves 3, by 5s leaves 4, by 7s leaves 2. What's the least number the tin could hold?
[number-theory] What is the largest possible value of gcd(n^2 + 3, (n+1)^2 + 3) as n ranges over the positive integers?
[counting] How many distinct arrangements are there of the letters of COMMITTEE?
[counting] In how many arrangements of the letters of ALGEBRA are the two A's not next to each other?
[circular] 4 married couples sit around a round table. How many seatings have every husband next to his wife?
[lattice] A courier walks only east or north along a street grid from corner (0,0) to corner (7,5), but the intersection at (4,2) is closed for roadwork. How many routes remain?
[inclusion-exclusion] Raffle tickets are numbered 1 through 1050. A ticket wins if its number is a multiple of none of 2, 3, 5. How many winners?
[derangement] Seven letters go into seven addressed envelopes at random. What is the probability that exactly two land in the right envelope?
[probability] Four fair dice are rolled. What's the probability that the product of the numbers shown is a perfect square?
[sequence] Define u_1 = 1/2 and u_{k+1} = u_k(u_k + 1). What is the integer part of 1/(u_1+1) + 1/(u_2+1) + ... + 1/(u_{100}+1)?
[telescoping] Evaluate 1/(√1+√2) + 1/(√2+√3) + ... + 1/(√99+√100).
[vieta] Name the three zeros of the cubic x^3 + 2x^2 − 7x + 3 p, q and r. What's p/(qr) + q/(rp) + r/(pq)?
[algebra] if x + 1/x = 4 then what is x^5 + 1/x^5
[functional] A function g on the reals obeys 3g(x) − g(1 − x) = x² everywhere. Determine g(4).
[am-gm] Find the minimum of (x^2 + 7)/sqrt(x^2 + 3) over all real x.
[geometry] Triangle ABC has AB = 10, AC = 17, BC = 21. What is its inradius?
[geometry] Point P lies inside rectangle ABCD with PA = 3, PB = 4 and PC = 5. Find PD.
[contest] AMC 10 practice: how many positive integers n ≤ 1000 make n^2 + n + 1 divisible by 7?
[technique] what's the trick for knowing when a counting problem wants complementary counting instead of direct casework?
[technique] How do I get better at olympiad number theory? I freeze whenever a problem involves orders mod p.
[technique] For remainders of huge powers, when do I use Fermat, when Euler, and when should I split the modulus with CRT?
[technique] Any tips for the last five problems of the AMC 12? I always run out of time around #20.
[technique] Explain the roots of unity filter and the kinds of contest counting problems where it shows up.
[technique] How does Burnside's lemma help count necklaces, and which AIME problems actually need it?
[contest] I'm training for HMMT — give me a hard combinatorics problem and walk me through the solution.
[technique] stars and bars makes sense but how do I handle upper bounds on the variables?
[borderline] Call a 5-digit number climbing if each digit is bigger than the one before it, like 13579. How many climbing numbers exist?
[borderline] A vending machine accepts nickels, dimes and quarters only. Count the coin combinations that total exactly 75 cents.
[borderline] How many 5-digit numbers have digit sum 9?
[borderline] Twelve parking spots sit in a row; four cars arrive and no two may park in neighboring spots. How many sets of occupied spots are possible?
[borderline] 10 identical candies go to 4 kids, every kid gets at least one and nobody gets more than 4. How many ways?
[typo] whats the remaindr when 2^100 + 3^100 is divded by 7
[typo] arangements of TENNESSEE where the two S's stay side by side, how many r there
[typo] find the numbr of integer solutions (x,y) to xy = 2x + 3y
[typo] probabilty that a random permutation of 1..6 has no fixed points?
[typo] add up every positve m for which m^2 + 10m - 20 comes out a perfect sqare
[non-english] Si divido 7^2025 entre 13, ¿qué residuo obtengo?
[non-english] Wie viele Möglichkeiten gibt es, 8 Personen an einen runden Tisch zu setzen, wenn zwei bestimmte Personen nicht nebeneinander sitzen dürfen?
[non-english] Pour quelles valeurs entières de m le nombre m − 3 est-il un diviseur de m² + 4 ?
[non-english] Qual è l'ultima cifra di 2023^2023?
[latex] For how many integers $k$ with $1 \le k \le 500$ is $k$ a multiple of $\lfloor \sqrt[3]{k} \rfloor$?
<<< [multiline]
AIME practice set, #7
A bag holds 5 red and 7 blue marbles. Marbles are drawn one at a time without
replacement until both colors have appeared. The expected number of draws is m/n
in lowest terms. Find m + n.
>>>
<<< [multiline]
Problem 3.
The sequence (a_n) satisfies a_0 = 2, a_1 = 5 and
a_{n+2} = 5a_{n+1} - 6a_n for n >= 0.
Find the remainder when a_{2024} is divided by 100.
>>>
<<< [multiline]
Evaluate
$$\sum_{n=2}^{\infty} \frac{1}{n^3 - n}$$
and give your answer as a reduced fraction.
>>>
"""


def items_by_label() -> dict[str, list[tuple[str, str]]]:
    """Each label's (text, tag) pairs in file order."""
    return {label: parse_block(block) for label, block in FRESH.items()}
