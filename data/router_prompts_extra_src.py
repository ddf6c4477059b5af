"""Extra router training prompts (issue 14), written on 7 Dec 2026 after the 9-label classifier scored 0.880
on the fresh math/hard_math held-out set (router_heldout_fresh_src.py). Written for ModRoute by a team member
who had not opened any held-out file; only the aggregate figures were known (math and hard_math confused
both ways, non-English prompts 0.68 across labels). Three parts, tagged:

- ``[non-english]``: 8 prompts per label, each label in 8 languages, so a language predicts no label
  (the earlier non-English prompts sat mostly in the two math labels);
- the math / hard_math line (``boundary`` pairs on the same topic, ``proof`` -- proofs are math --,
  ``typo``, ``latex``, ``multiline``, ``contest``, ``technique``): 40 English prompts per label;
- ``[nearmath]``: 6 prompts per other label that carry numbers (modular exponentiation in code, a mortgage
  payment in finance, a poem about pi in creative) so numbers alone do not mean math.

Six prompts written for this file were left out: each shared a 6-word run with a held-out prompt (found by
validate.py; dropping them can only make the held-out set harder). Format: data/prompt_blocks.py. Label
rules: data/README.md. Split with a generator of its own
(``build_router.EXTRA_SEED``), after every other block.
"""

from prompt_blocks import parse_block

EXTRA: dict[str, str] = {}

EXTRA["code"] = r"""
[non-english] Warum bekomme ich in Python einen KeyError, obwohl ich den Schlüssel vorher mit print() im Dictionary gesehen habe?
[non-english] ¿Cómo hago un LEFT JOIN en SQL para quedarme solo con los clientes que no tienen ningún pedido?
[non-english] Pourquoi mon useEffect dans React s'exécute deux fois au montage du composant ?
[non-english] Jak porównać dwa Stringi w Javie? Operator == zwraca false, chociaż teksty są takie same.
[non-english] Python'da bir listeyi başka bir değişkene atayıp değiştirdiğimde orijinal liste de değişiyor, neden?
[non-english] Come faccio a leggere un file JSON in Node.js e stampare solo un campo?
[non-english] Meu git push é rejeitado com "non-fast-forward". Como resolvo sem perder meus commits?
[non-english] Wat is het verschil tussen een interface en een abstracte klasse in C#?
[nearmath] Write a Python function that computes a^b mod m quickly for a huge exponent b, without calling the built-in pow.
[nearmath] why does my python sum of prices print 0.30000000000000004, and what should I use for money instead of float
[nearmath] Implement the sieve of Eratosthenes in Rust, returning all primes up to n as a Vec<u64>.
[nearmath] C++: my factorial function returns a negative number for 21. What type should I use, or do I need a bigint library?
[nearmath] numpy says "matmul: Input operand 1 has a mismatch in its core dimension 0" when I multiply a (3,2) array by another (3,2) array
[nearmath] write a JavaScript function that checks whether a big integer is a perfect square without floating point errors
"""

EXTRA["reasoning"] = r"""
[non-english] Si todos los gatos son mamíferos y algunos mamíferos nadan, ¿se puede concluir que algunos gatos nadan?
[non-english] "Diese Zeitung lügt nie, das schreibt sie ja selbst." Welcher Denkfehler steckt in diesem Satz?
[non-english] Devinette : plus on lui en enlève, plus il devient grand. Qu'est-ce que c'est ?
[non-english] Qual é a falácia no argumento "se deixarmos os alunos usarem o celular no intervalo, logo vão querer usá-lo durante a prova"?
[non-english] Indovinello: un uomo spinge la sua auto fino a un albergo e capisce subito di essere in bancarotta. Cosa è successo?
[non-english] Als het regent, wordt de straat nat. De straat is nat. Mag ik dan concluderen dat het regent?
[non-english] Anna, Bartek i Celina to lekarz, nauczyciel i kucharz, w nieznanej kolejności. Anna nie jest ani lekarzem, ani kucharzem, a Celina nie jest kucharzem. Kto jest kim?
[non-english] Vad är felet i resonemanget "jag har aldrig skadat mig när jag cyklat utan hjälm, alltså behövs inga cykelhjälmar"?
[nearmath] Eight bags of coins look identical, but in one bag every coin weighs 11 g instead of 10 g. With a digital scale and a single weighing, how do you find that bag?
[nearmath] Three adults and two children must cross a river. The boat carries either one adult or up to two children. How do they all get across?
[nearmath] A clock takes 5 seconds to strike six. How long does it take to strike twelve? My first guess was 10 seconds.
[nearmath] Sudoku help: two cells in a row can only be 3 or 7. Why can I remove 3 and 7 from every other cell in that row?
[nearmath] Amy is older than Ben, Ben is older than Cara, and Dan is younger than Cara but older than Eve. Who is in the middle by age?
"""

EXTRA["automation"] = r"""
[non-english] ¿Cómo programo que cada viernes a las 17:00 se envíe por correo el informe de ventas a todo mi equipo?
[non-english] Wie richte ich einen Cronjob ein, der jeden Sonntag um 3 Uhr Logdateien löscht, die älter als 30 Tage sind?
[non-english] Je voudrais qu'à chaque réponse à mon Google Form, une ligne soit ajoutée automatiquement dans ma base Notion. Zapier ou Make ?
[non-english] Quero que toda nota fiscal que chega no meu e-mail seja salva automaticamente numa planilha do Google. Como configuro isso?
[non-english] Come faccio a far pubblicare il sito su Netlify da GitHub Actions a ogni push sul branch main?
[non-english] Kan ik met Power Automate elke maandag een herinnering in Teams sturen naar iedereen die zijn uren nog niet heeft ingevuld?
[non-english] Jak ustawić, żeby komputer z Windowsem sam się wyłączał codziennie o 23:30?
[non-english] Her sabah saat 8'de hava durumunu Telegram botuyla bana gönderen bir otomasyonu nasıl kurarım?
"""

EXTRA["math"] = r"""
[non-english] ¿Cómo resuelvo la inecuación 2x - 7 < 3x + 1 y cómo escribo la solución como intervalo?
[non-english] Wie leite ich f(x) = (2x + 1)^5 mit der Kettenregel ab?
[non-english] Comment démontrer que la somme de deux nombres impairs est toujours paire ?
[non-english] Como calculo o desvio padrão dos valores 2, 5, 7 e 10?
[non-english] Come si calcola il determinante di una matrice 3x3 con la regola di Sarrus?
[non-english] Hoe groot is de kans dat je met twee dobbelstenen samen 10 gooit?
[non-english] Jak obliczyć pole koła o średnicy 10 cm?
[non-english] x^2 - 7x + 12 = 0 denklemini çarpanlara ayırarak nasıl çözerim?
[proof] Prove that the sum of any three consecutive integers is a multiple of 3.
[proof] Show that every perfect square leaves a remainder of 0 or 1 when divided by 4.
[proof] demonstrate that 8 divides n^2 - 1 whenever n is odd
[proof] Argue that in any group of 13 people at least two were born in the same month. Why does the argument fail for 12?
[proof] Establish that x^2 + x + 1 > 0 for every real number x.
[proof] Why is it true that every odd number is the difference of two consecutive squares? I want an actual argument, not a list of examples.
[proof] Prove that for all positive reals x, y and z, x^2 + y^2 + z^2 >= xy + yz + zx.
[proof] Olympiad practice: prove that n^4 + 4 is composite for every integer n > 1.
[proof] Show that no integer of the form 8k + 7 can be written as a sum of three perfect squares.
[proof] In a round-robin tournament with no draws, prove that there is a player who, against every other player, either won directly or beat someone who won against that player.
[proof] Prove by strong induction that any postage of 12 cents or more can be made using only 4-cent and 5-cent stamps.
[proof] Show that if two integers are each a sum of two squares, then so is their product.
[latex] Prove that $\sum_{k=0}^{n} \binom{n}{k} = 2^n$, ideally with a counting argument rather than the binomial theorem.
<<< [multiline]
Why is it true that the number of ways to tile a 1 x n strip with 1x1 squares and 1x2 dominoes follows the Fibonacci numbers?
I checked n = 1 to 5 and the pattern holds.
I need a proof for my discrete maths class, not just the pattern.
>>>
[typo] how do i prove 2^n > n^2 for all n bigger than 4, my inductoin step doesnt work
[boundary] how many ways can I pick 4 volunteers out of 11 people?
[boundary] How many different seatings are there for 6 friends around a round table, if rotations of the same arrangement count as one?
[boundary] What's the probability that two dice show the same number?
[boundary] Two buses leave the depot together, one every 12 minutes and the other every 18 minutes. How long until they next leave at the same time?
[boundary] What's the GCD of 252 and 198? Please show the Euclidean algorithm steps.
[boundary] In a class of 30 students, what's the probability that no two of them share a birthday? Ignore leap years; I mainly want to see how the formula is set up.
[boundary] A game costs $1 to play and pays $5 if you roll a six on one die. What's the expected profit per game?
[boundary] Seven people put their names in a hat and each draws one. What's the chance that the first person draws their own name?
[boundary] In a class of 30, 18 play football, 12 play tennis and 5 play both. How many play neither?
[boundary] With Heron's formula, what's the area of a triangle whose sides are 5, 6 and 7?
[boundary] Without solving it, what are the sum and the product of the roots of 2x^2 - 7x + 3 = 0? My textbook says there's a shortcut.
[boundary] Find the minimum value of x^2 - 6x + 11 by completing the square.
[boundary] 30th term of 2, 7, 12, ...?
[boundary] List all the factors of 48 and say how many there are.
[boundary] How many primes less than 60 leave a remainder of 1 when divided by 4?
[boundary] How many ways can 9 runners finish a race if there are no ties?
[latex] Evaluate $\int_1^4 \frac{1}{\sqrt{x}}\,dx$.
[latex] Find the null space of $\begin{pmatrix} 1 & 2 & -1 \\ 2 & 4 & -2 \end{pmatrix}$.
[typo] whats the derivitive of arctan(2x)
[typo] find the varience of 3, 7, 7, 9 and 14 pls
[typo] whats the diffrence between a sequence and a series
[typo] can somone explain what e^(i pi) = -1 actualy means, my teacher called it the most beautiful equation and i just see random symbols
<<< [multiline]
My stats homework:
Heights (cm): 162, 170, 158, 175, 181, 166
Find the sample mean and the sample standard deviation.
Do I divide by 5 or by 6?
>>>
<<< [multiline]
Check my working please.
d/dx [x^2 ln x] = 2x ln x + x
Then I set it to zero to find the minimum for x > 0 and got x = e^(-1/2).
>>>
"""

EXTRA["science"] = r"""
[non-english] ¿Por qué el cielo se pone rojo al atardecer?
[non-english] Warum leitet Kupfer den Strom besser als Eisen?
[non-english] Pourquoi les étoiles scintillent-elles alors que les planètes, non ?
[non-english] O que acontece com os elétrons numa ligação covalente?
[non-english] Perché l'acqua bolle a una temperatura più bassa in montagna?
[non-english] Hoe werkt een mRNA-vaccin in het lichaam?
[non-english] Jak działa reakcja łańcuchowa w reaktorze jądrowym?
[non-english] Depremler neden olur, yer kabuğundaki levhalar nasıl hareket eder?
[nearmath] A 2 kg ball is dropped from 20 m. How fast is it moving just before it hits the ground, ignoring air resistance?
[nearmath] How many grams of CO2 come out when 10 g of propane burns completely?
[nearmath] What's the pH of a 0.005 M HCl solution, and why can I treat the acid as fully dissociated?
[nearmath] A 1200 kg car goes from 0 to 27 m/s in 9 seconds. What average net force acts on it?
[nearmath] carbon-14 has a half-life of 5730 years, so how old is a bone with 25% of its C-14 left
[nearmath] How much energy does it take to heat 2 litres of water from 20 °C to boiling?
"""

EXTRA["finance"] = r"""
[non-english] ¿Me conviene una hipoteca a tipo fijo o variable si pienso quedarme unos 20 años en la casa?
[non-english] Was ist ein ETF-Sparplan und lohnt er sich für Anfänger mit 100 Euro im Monat?
[non-english] Comment fonctionne l'assurance-vie en France pour transmettre un capital à ses enfants ?
[non-english] Vale a pena antecipar parcelas do financiamento do carro para pagar menos juros?
[non-english] Come si compila il 730 se oltre allo stipendio ho anche un reddito da lavoro autonomo?
[non-english] Hoe werkt de box 3-belasting op spaargeld en beleggingen?
[non-english] Czy opłaca się nadpłacać kredyt hipoteczny, czy lepiej inwestować nadwyżkę?
[non-english] Enflasyon yüksekken birikimlerimi altında mı yoksa döviz hesabında mı tutmalıyım?
[nearmath] If I put $5,000 in a savings account at 4.5% compounded monthly, what will it be worth in 10 years?
[nearmath] What's the monthly payment on a $250,000 30-year mortgage at 6.2%, and how much interest do I pay in total?
[nearmath] On a $20k car loan at 7% over 5 years, how much of my first payment is interest and how much is principal?
[nearmath] If I invest $300 a month for 25 years and average 7% a year, roughly how much will I end up with?
[nearmath] What's the CAGR of a portfolio that grew from $40k to $65k over 6 years?
[nearmath] My credit card charges 22% APR and my index fund might return 7%. Should I pay off the card before investing more?
"""

EXTRA["creative"] = r"""
[non-english] Schreib eine kurze Gutenachtgeschichte über einen kleinen Drachen, der Angst im Dunkeln hat.
[non-english] Invente un slogan accrocheur pour une boulangerie bio de quartier.
[non-english] Escreva a letra de uma música sobre a saudade de casa de quem foi morar no exterior.
[non-english] Scrivi un haiku su un temporale d'estate in campagna.
[non-english] Schrijf een grappig gedicht voor mijn oma, die 80 wordt.
[non-english] Napisz wierszyk na pożegnanie koleżanki z pracy, która przechodzi na emeryturę.
[non-english] Fantastik bir roman için beş tane büyülü kılıç ismi uydurur musun?
[nearmath] Write a poem about pi whose lines keep getting longer, the way its digits never end.
[nearmath] Write a short story about a mathematician who discovers a number that shouldn't exist.
[nearmath] a limerick about a kid who hates fractions
[nearmath] Write a love letter from the number zero to the number one.
[nearmath] haiku about dividing by zero
[nearmath] Write a funny rap battle between calculus and statistics.
"""

EXTRA["general"] = r"""
[non-english] ¿Qué le puedo regalar a mi suegra por su cumpleaños si todavía no la conozco mucho?
[non-english] Dans quel quartier loger à Barcelone pour un premier voyage ?
[non-english] Wie bekomme ich Kalkflecken von der Duschwand weg?
[non-english] Quais documentos eu preciso para tirar o passaporte pela primeira vez?
[non-english] La carbonara tradizionale si fa con la panna o senza?
[non-english] Hoe kan ik beter omgaan met stress op mijn werk?
[non-english] Jak długo gotować jajko na miękko?
[non-english] İstanbul'da bir günde nereleri gezebilirim?
[nearmath] how much should I tip on an $86 dinner in the US, 15 or 20 percent?
[nearmath] Roughly how many calories are in a whole avocado?
[nearmath] I'm doubling a lasagne recipe for 12 guests. Do I need to double the baking time too?
[nearmath] Is 10,000 steps a day an actual health recommendation or just a marketing number?
[nearmath] How many hours of sleep does a 7-year-old need?
[nearmath] How many litres of water should I really drink per day?
"""

EXTRA["hard_math"] = r"""
[non-english] ¿Cuántos divisores positivos de 3600 son cuadrados perfectos?
[non-english] Auf wie viele Arten können 8 Gäste an einem runden Tisch sitzen, wenn zwei bestimmte Gäste nicht nebeneinander sitzen wollen?
[non-english] Quel est le reste de la division de 2^2026 par 11 ?
[non-english] Quantas soluções inteiras não negativas tem a + b + c + d = 15 com a ≤ 3?
[non-english] Olimpiadi di matematica: trovare tutte le coppie di interi positivi (x, y) tali che x^2 - y^2 = 105.
[non-english] Oefenopgave wiskundeolympiade: hoeveel getallen van 1 tot en met 1000 zijn door geen van 2, 3 en 7 deelbaar?
[non-english] Ile jest liczb trzycyfrowych, których cyfry (czytane od lewej) tworzą ciąg arytmetyczny?
[non-english] x + 1/x = 4 ise x^5 + 1/x^5 kaçtır?
[boundary] Eleven people are seated at a round table. Count the ways to choose 4 of them with no two chosen people sitting side by side.
[boundary] Three married couples are seated around a circular table. How many seatings keep every husband away from his wife?
[boundary] trailing zeros of 372!
[boundary] Find the smallest positive integer n with n ≡ 3 (mod 5), n ≡ 4 (mod 7) and n ≡ 2 (mod 9).
[boundary] What is the expected number of rolls of a fair die until every face has shown up at least once?
[boundary] Seven people at a gift swap each draw a name from a hat. What's the probability that nobody draws their own name?
[boundary] How many integers from 1 to 2000 are divisible by 4 or by 6 but not by 9?
[boundary] A triangle has sides 10, 17 and 21. Find the radius of its inscribed circle.
[boundary] The roots of x^3 - 6x^2 + 5x - 1 = 0 are a, b and c. Find 1/a^2 + 1/b^2 + 1/c^2.
[boundary] If x - 1/x = 3, what is x^4 + 1/x^4?
[boundary] Find the minimum of 2x + 8/x^2 for x > 0.
[boundary] a_1 = 1, a_2 = 2 and a_n = a_(n-1) / a_(n-2) for n >= 3. What is a_2026?
[boundary] How many divisors of 10^6 are multiples of 100 but are not perfect squares?
[boundary] Find all pairs of positive integers (x, y) with xy = 2x + 3y + 4.
[boundary] How many different words can be made by rearranging all the letters of REFEREE?
[boundary] How many up-and-right lattice paths go from (0,0) to (6,6) without ever rising above the line y = x?
[boundary] In how many ways can 15 identical stickers be handed out to 4 kids so that each kid gets at least 1 and at most 6?
[boundary] What is the largest amount of postage that cannot be made from 5-cent and 8-cent stamps?
[boundary] Add up the digits of 10^50 - 37.
[boundary] What's the last digit of 17^2026 + 23^2026?
[boundary] Count the tilings of a 1 x 12 strip by 1x1 squares and 1x2 dominoes.
[latex] Find a closed form for $\sum_{k=0}^{n} k^2 \binom{n}{k}$ and evaluate it for $n = 10$.
[latex] $\sum_{k=1}^{30} \frac{1}{k(k+1)(k+2)}$ = ?
[latex] Find $5^{2^{20}} \bmod 13$.
[latex] If $a + b = 5$ and $a^3 + b^3 = 35$, find $a^5 + b^5$.
[typo] wats 11^2026 mod 12, is there a trick
[typo] how many ways to sit 5 boys and 3 girls in a row so no 2 girls are next to eachother
[typo] probabilty that 4 dice add up to 14, is there a faster way than listing everything
[typo] whats the sum of all the divsors of 2024
[contest] AMC 10 practice: the mean of five different positive integers is 12 and their median is 10. How large can the biggest one be?
[contest] Math league problem: f(x + y) = f(x) + f(y) + 2xy for all reals x and y, and f(1) = 3. Find f(10).
[technique] How do I get faster at AIME geometry? Which books or drills actually help?
[technique] When does the roots of unity filter help in counting problems? Show it on a small example.
[technique] My daughter is in a middle-school math league and keeps getting stuck on "how many ways" problems with a condition attached, like no two people adjacent or every box non-empty. What's a systematic way to attack these, and should she learn stars and bars and complementary counting first?
<<< [multiline]
Practice set for the regional olympiad, problem 4:
How many positive integers n <= 2025 leave remainder 1 when divided by 3, by 4 and by 5?
I found 33 but the key says 34.
>>>
<<< [multiline]
A frog starts on step 0 and jumps up 1 or 2 steps at a time, but it never lands on step 7.
How many ways can it reach step 12?
My attempt: f(n) = f(n-1) + f(n-2) with f(7) = 0, but my answer of 89 seems too big.
>>>
<<< [multiline]
Contest practice (counting):
A 5-letter password uses the letters A to Z.
How many passwords have at least one repeated letter?
My work: 26^5 - 26*25*24*23*22. Is that really all there is to it?
>>>
"""


def items_by_label() -> dict[str, list[tuple[str, str]]]:
    """Each label's (text, tag) pairs in file order."""
    return {label: parse_block(block) for label, block in EXTRA.items()}
