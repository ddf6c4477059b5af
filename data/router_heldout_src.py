"""A held-out test set for the domain classifier, written apart from its training prompts.

Written for ModRoute by the project team (not copied from any dataset) and never trained on. The
first ~36 prompts of each label were written before the training prompts of issue 14 were
broadened; the old classifier already got 0.91 of them right, so a second, harder batch per label
(the domain implicit: SQL without the word SQL, proofs that say "show" or "demonstrate", money words
in a code trade-off) was added before most of the new training prompts were written. It asks what a new user would ask, in sentence
shapes, topics and vocabulary of its own: other languages and tools than the training prompts,
pasted code and error output, typos, a few questions in Spanish, German, French and Portuguese, and
the cases that went wrong in issue 14 (tagged: SQL, regular expressions, Go, JavaScript and shell
questions are code; proofs are math, olympiad-style ones too; trade-off questions belong to what is
being traded; everyday questions are general). The hard_math block came with that label: two prompts
moved from math, then 40 written after hard_math's first training prompts and apart from them, on other
problems and in other shapes (five proofs written with them are in the math block). Format:
data/prompt_blocks.py. Label rules: data/README.md.
``validate.py`` rejects any prompt here that shares a 6-word run with a training prompt.
"""

from prompt_blocks import parse_block

HELDOUT: dict[str, str] = {}

HELDOUT["code"] = r"""
[sql] Which is faster for checking existence in Postgres, EXISTS or IN with a subquery, and why?
[sql] my query returns duplicate customers after joining orders — how do I get one row per customer with their latest order date?
[sql] What does ROW_NUMBER() OVER (PARTITION BY dept ORDER BY hired_at) actually compute?
[sql] sqlite says "database is locked" when two threads write at once. how do people usually deal with that?
[sql] Is a composite index on (last_name, first_name) used by a query that filters only on first_name?
[regex] regex to pull every hashtag out of a tweet, but not the # inside URLs
[regex] Why does the pattern a.*b grab way more text than I expect, and how do I make it stop at the first b?
[regex] lookahead vs lookbehind — can you show one practical use of each?
<<< [regex]
re.findall(r"(\d+)-(\d+)", "10-20, 30-40")
gives me tuples instead of whole matches?? I just want ["10-20", "30-40"]
>>>
[go] In Go, when should a method have a pointer receiver instead of a value receiver?
[go] golang: how do I cancel a bunch of goroutines as soon as the first one returns an error?
[go] Go modules: what does the replace directive in go.mod do and when is it a bad idea?
<<< [go]
fatal error: concurrent map writes

goroutine 18 [running]:
main.worker(0xc000012345)
my go service dies with this under load. what's the usual fix?
>>>
[javascript] Why does [1, 10, 2].sort() give me [1, 10, 2] in JavaScript?
[javascript] what's event delegation in the DOM and why would I bother
[javascript] Node: is there any real difference between require() and import these days?
[javascript] Promise.all rejects as soon as one fails. How do I wait for all of them and collect the errors?
[javascript] my `this` is undefined inside a setTimeout callback in a class method
[shell] what's the actual difference between "$@" and "$*" in a bash script
[shell] set -euo pipefail — what does each flag protect me from?
[shell] zsh: how do I write a function that takes a directory name and cds into it, with tab completion?
<<< [shell]
$ for f in $(ls *.log); do grep -c ERROR $f; done
grep: app: No such file or directory
grep: 2024.log: No such file or directory
why is it splitting my filenames?
>>>
[tradeoff] ORMs vs hand-written SQL for a mid-sized web app: what do I gain and lose?
[tradeoff] monorepo or one repo per service for a team of six? trade-offs pls
[tradeoff] Is it worth switching our Python service to asyncio, or do threads do the job?
<<< [multiline]
Traceback (most recent call last):
  File "app.py", line 12, in <module>
    total = sum(prices)
TypeError: unsupported operand type(s) for +: 'int' and 'str'
(prices comes from a csv)
>>>
Ruby: proc vs lambda, how do they differ?
PHP keeps saying "Undefined array key" on form submit. How do I check the key exists first?
Rust lifetimes: why does my function returning &str need an 'a on it?
Elixir: when do I use GenServer.call and when GenServer.cast?
In R, what's the tidyverse way to pivot a wide table to long format?
Flutter: setState or a provider for sharing a shopping cart between screens?
[typo] hwo do i make a python clas inherit from two parent clases and wich __init__ gets called
[non-english] ¿Cómo invierto una lista en Python sin usar reverse()?
[non-english] Wie vermeide ich in Java eine NullPointerException, wenn ein Feld fehlt?
why is sizeof(arr) different inside the function I pass the array to? (C)
what's the point of putting a message queue between two microservices instead of just calling the API
[sql] get the top 3 earners in each department from the staff table
[sql] count distinct visitors per day from a page_views table with a visited_at column
[sql] My report query sums order totals per customer but customers with no orders vanish from the result. How do I keep them with 0?
[regex] match words that start with a capital letter but aren't at the start of a sentence
[regex] I need a pattern that accepts 4 to 8 digits, optionally followed by a dash and two letters
[go] my goroutine keeps running after the HTTP client disconnects. how do I notice the disconnect?
[go] the go race detector flags a plain int counter shared by workers — atomic or mutex?
[javascript] the page freezes when I loop over 50k items and update the DOM each time. how can I make it faster
[javascript] why does "undefined is not a function" show up only in Safari?
[javascript] npm install fails with ERESOLVE unable to resolve dependency tree. what now
[shell] how do I find every file over 1GB under /var and sort them by size
[tradeoff] pros and cons of storing money amounts as floats vs integer cents in our database
[tradeoff] what does a context switch between threads cost, and when does a thread pool pay off?
[non-english] Qual é a diferença entre uma classe abstrata e uma interface em Java?
[non-english] Perché il mio script Python dice "IndentationError" se gli spazi sembrano giusti?
convert a hex string like "1F4A" to an integer in C#
Time complexity of two nested loops where the inner one starts at i + 1?
"""

HELDOUT["reasoning"] = r"""
Five runners finished a race. Priya beat Omar, Omar beat Lena, and Zed came right after Priya but ahead of Omar. Jun was last. Give the full finishing order.
A claims "B is a knave." B claims "A and I are the same type." Knights always tell the truth and knaves always lie. Sort them out.
My uncle insists that because the new bridge opened and road accidents fell, the bridge made drivers safer. What else could explain it?
Is it a strawman if someone replies "so you want no rules at all" after I suggest loosening one rule?
"No mammals lay eggs. The platypus lays eggs. So the platypus is not a mammal." The logic looks fine but the conclusion is false. What went wrong?
riddle for you: the more of me there is, the less you see. what am i
A drawer in the dark holds 10 black and 10 white socks. How many must I pull out to be sure of a matching pair?
If every member of the chess club plays piano, and Rosa doesn't play piano, what do we know about Rosa?
What's wrong with "we've always done it this way, so it's the right way"?
Which is the odd one out and why: violin, cello, trumpet, viola
The cook was seen at 8. The driver says he left at 7:30, but his car was in the driveway at 7:45. Which statement has to be false, and what does that tell us?
The horoscope described my week perfectly, so astrology works. Convince me this is bad reasoning.
"Not all birds can fly" — does that mean some birds can fly?
In a village the barber shaves exactly those who don't shave themselves. Who shaves the barber?
[non-english] Si todos los gatos son felinos y algunos felinos son negros, ¿se deduce que algunos gatos son negros?
[non-english] Logikrätsel: Anna, Ben und Carla tragen rote, blaue und grüne Hüte. Anna trägt nicht Rot, Ben trägt Grün. Welche Farbe hat Carlas Hut?
Help me find the weak link: remote work boosts productivity, because our team shipped more features after going remote.
Every time the rooster crows the sun comes up. Is it sound to say the crowing causes the sunrise?
Box 1 says "the gold is not here". Box 2 says "the gold is in box 1". Only one label tells the truth. Where is the gold?
i think my friend is doing the sunk cost thing with his failing restaurant. can u explain that fallacy and whether it fits
What is the "no true Scotsman" move and how do I answer it in a debate?
If "whenever it snows, school closes" is true, and school is open today, did it snow?
riddle: I have cities but no houses, forests but no trees, and water but no fish
My sister is older than me but younger than our cousin, and our cousin is younger than my brother. Line the four of us up by age.
Is a hasty generalization the same thing as a stereotype? Show me the reasoning mistake with an example.
Think it through: if every player on the blue team is taller than every player on the red team, is the shortest blue player taller than the tallest red one?
Spot the broken assumption: "cheaper cars sell more, so if we give ours away we'll sell infinitely many."
<<< [multiline]
Clues:
1. The red house is left of the green house.
2. The doctor lives in the green house.
3. The teacher doesn't live at either end.
Three houses in a row, three people (doctor, teacher, baker). Who lives where?
>>>
Does the fact that a theory can't be falsified make it stronger or weaker as an explanation?
"Everyone who reads this blog is clever; you read it; so you're clever." Valid, sound, both or neither?
Three prisoners, one will be pardoned. The guard tells A that B will be executed. Should A now feel better about his chances?
[typo] wich conclusion folows if some doctors are runners and no runners smoke
Why can't I go from "the dog barked" back to "a stranger came" just because strangers make the dog bark?
A says "C is guilty", B says "I am innocent", C says "A is lying". Exactly one of them tells the truth. Who is guilty?
Two statements on a card: "The other side is false." On the back: "The other side is true." What's going on?
How should I reason about a rumour that three different coworkers told me, when they all heard it from the same person?
My coworker says our sales dropped because of the new logo. What would have to be true for that to hold?
Is "buy now or you'll regret it forever" a fallacy, or just pressure?
Two witnesses disagree about the colour of the getaway car. How should a jury weigh their accounts?
Both of my kids claim the other one started the fight, and I saw neither. How do I reason about who to believe?
If being a poet is enough to get into the club, and Mara isn't in the club, what follows about Mara?
[non-english] Quem está mentindo? Ana diz que Bia mente, e Bia diz que as duas falam a verdade.
[non-english] Raadsel: wat heeft tanden maar kan niet bijten?
[tradeoff] Two arguments for the same policy: one has more evidence, the other rests on fewer assumptions. How do I decide which is stronger?
A box says "all the statements on this box are false". Can that be true?
The job ad says "only applicants with a degree will be considered". Sara has a degree. Will she be considered?
Why does "nothing bad happened last time we skipped the safety check" not show that the check is useless?
"""

HELDOUT["automation"] = r"""
Every time a PDF lands in my Downloads, move it to Documents/Receipts and rename it with today's date
Can you make my Mac empty the trash every Sunday night?
pipe new Webflow form submissions into Pipedrive as deals
When a new episode of my favourite podcast is out, download it to my NAS
[shell] write a bash loop that pings each of our 40 printers every morning and emails IT the list of dead ones
set up a nightly job that dumps the mysql database, gzips it and pushes it to backblaze b2
auto-label incoming Gmail from my kids' school and forward it to my wife
I want the thermostat to drop to 17 degrees when everyone's phone has left the house
make a Slack slash command that creates a Linear issue from the message text
The nightly sync to Salesforce keeps dying with a 401 once the token expires. How do I make the job refresh the token and carry on?
Please remind me every 2 hours during work to stand up and stretch
Schedule a message in Teams for Monday 8am telling my team the office is closed
Automatically convert every .heic photo I AirDrop to my laptop into jpg
Notify #oncall in Slack when the Datadog monitor for checkout latency fires, and page whoever is on PagerDuty
GitLab CI: run the database migration check at 3am every night and post the result to Mattermost
<<< [multiline]
Goal: every Friday at 5pm, export the week's closed tickets from Freshdesk and email the CSV to ops@acme.io.
Tools: freshdesk_search, csv_write, send_email
Which calls, in which order?
>>>
Python script that pulls my Strava runs each night and appends them to a Notion table
Can Outlook file every email with "PO#" in the subject into a Purchasing folder by itself?
rotate the nginx logs weekly and throw away anything older than a month
How do I get Home Assistant to text me if the freezer door has been open for more than 3 minutes?
If the webhook to our ERP answers 503, queue the order and retry every 5 minutes for up to an hour
Every new Shopify customer should get tagged in Klaviyo and receive a 10% coupon two days later
Turn my phone to silent at 10pm and back on at 7am every day
sync a shared Dropbox folder into our Google Drive team folder every hour
Build an Airflow DAG that runs the three extraction scripts in parallel and then the loader
[non-english] Quiero que cada lunes a las 9 se envíe automáticamente un correo a mi equipo con el resumen de ventas
[non-english] Comment programmer une sauvegarde automatique de mon dossier Photos tous les soirs ?
[typo] can u set up smth so when my ebay item sells it auto emails the buyer the tracking numbr
Use the Google Sheets API to append a row each time a Twilio SMS comes in
cron question: how would I run something on the first Monday of each month?
Create ServiceNow tickets automatically from monitoring alerts, one per host, no duplicates
Run a PowerShell job at logon that maps the team's network drives
launchd: keep my little sync script running on macOS and restart it if it crashes
automatically share new uploads from our YouTube channel to our Facebook page
Trigger a Vercel redeploy whenever someone edits content in Contentful
Email me each morning with any of our domains that expire within 30 days
Move all my Thursday meetings to Friday and tell the attendees why
When a new hire is added in BambooHR, create their Google account and invite them to the #welcome Slack channel
Each night, grab the newest invoices from our accounting API and drop them into the shared drive as PDFs
I keep forgetting to submit my hours. Ping me on Teams every Thursday at 4 unless I've already done it.
Hook our Stripe refunds up to a Google Sheet so finance sees them without asking
When my Tesla is below 30% charge at 9pm, remind me to plug it in
[non-english] Hoe laat ik elke ochtend automatisch de verkoopcijfers naar mijn team mailen?
[non-english] Vorrei che ogni venerdì il sistema archiviasse da solo le email più vecchie di 30 giorni
[typo] evry time sum1 fills my google form can it auto make a calendar invite 4 them
Kick off the data export job on the first of every month and tell me in Slack when it's done or if it fails
Book a table for four at an Italian place near the office for Friday at 7 and put it in my calendar
the zap that copies Gmail leads to HubSpot failed 12 times last night with 'rate limit exceeded' — make it wait and try again
"""

HELDOUT["math"] = r"""
[proof] Show that the product of any two odd integers is odd.
[proof] How would I prove there's no largest even number?
[proof] prove that n^3 - n is divisible by 6 for every integer n
[proof] Can you give me a proof by contradiction that log2(3) is irrational?
[proof] Prove the triangle inequality |a + b| <= |a| + |b| for real numbers.
[proof] Why is every group of prime order cyclic? I'd like the proof, not just the statement.
[proof] Use induction to show the sum of the first n cubes equals (n(n+1)/2)^2.
I need 18 percent of 350, quick
Is the matrix [[1,2],[2,4]] invertible? why not
Find the area enclosed between y = x^2 and y = 2x.
What's the chance that two people in a room of 23 share a birthday?
A town of 20,000 grows 3% a year. What's its population after 5 years?
Convert 150 pounds to kilograms
What's the partial derivative of x^2 y + sin(y) with respect to y?
find the equation of the tangent line to y = ln x at x = e
<<< [multiline]
Solve this system:
  x + y + z = 6
  2x - y + z = 3
  x + 2y - z = 2
>>>
How do I tell whether a series converges? e.g. the sum of 1/n^2
variance of a binomial distribution with n = 20 and p = 0.3?
[non-english] ¿Cuánto es la raíz cúbica de 343?
[non-english] Wie berechne ich das Volumen einer Kugel mit Radius 4 cm?
[typo] wats the anser to 3x - 2 = 2x + 9 i keep gettin 7
Laplace transform of t*e^(-t)?
How many ways can 4 people be seated around a round table?
what does it mean for a function to be continuous but not differentiable? an example would help
A right triangle has a 35 degree angle and a hypotenuse of 10. How long is the side opposite that angle?
write (1 + i)^8 in a + bi form
A cyclist rides at 18 km/h for 40 minutes and then at 24 km/h for 20 minutes. What's the average speed?
which is bigger, 5/7 or 7/10?
round 3.14159 to two decimal places
What's the rank of the matrix with rows (1,2,3), (2,4,6), (1,0,1)?
On average, how many rolls of a die does it take to get a six?
volume of a cylinder 5 cm across and 12 cm tall
the sum of three consecutive even numbers is 78. what are they
Why does multiplying two negative numbers give a positive number?
[proof] show that the sum of two rational numbers is rational
[proof] why is there no biggest prime? convince me rigorously
[proof] demonstrate that sqrt(3) can't be written as a fraction
[proof] I have to show that every tree with n vertices has n - 1 edges
[proof] How do I prove that a function is injective? Say f(x) = 3x + 7.
[proof] Prove that between any two real numbers there is a rational number.
[proof] Is there an integer n for which n^2 + n + 1 is a multiple of 5? Prove your answer.
[proof] Demonstrate that the sum of the squares of three odd numbers is never a perfect square.
[proof] A friend claims 2^n + 1 is never divisible by 7. True? Justify it.
[proof] Show that if p > 3 is prime then p^2 - 1 is a multiple of 24.
[proof] Competition warm-up: why is n^3 + (n+1)^3 + (n+2)^3 always divisible by 9?
[non-english] Quanto fa la derivata di x^2 * e^x?
[non-english] Hoeveel is 3/4 gedeeld door 2/3?
A phone plan costs 25 a month plus 10 cents a minute. How many minutes can I talk for 40?
If a pizza is cut into 8 slices and I eat 3, what percent is left?
chance of exactly two heads in four tosses of a fair coin?
"""

HELDOUT["science"] = r"""
How do noise-cancelling headphones actually cancel sound?
why does a spoon look bent in a glass of water
Neutron star vs pulsar — are they different things?
How do tardigrades survive in outer space?
Why do we need leap years — what's the Earth doing that makes a year 365.24 days?
Why are some rocks magnetic?
[everyday] What happens chemically when bread dough rises?
How can photons have momentum if they have no mass?
What are prions and why are they so hard to destroy?
Why does breathing helium make your voice squeaky?
Explain how a lithium-ion battery stores energy
Why do giraffes have such long necks, from an evolutionary point of view?
How deep into the ocean does sunlight reach?
Why are there no green stars?
what is Schrödinger's cat really about
How do fireflies make light?
What is the Coriolis effect, and does it really decide which way a toilet flushes?
How do the kidneys filter blood?
Why do metals conduct electricity while plastic doesn't?
what is a quasar
why does the same side of the moon always face us
Why do some undersea earthquakes cause tsunamis and others don't?
What are gut bacteria actually doing for us?
How do we know how old the universe is?
[non-english] ¿Qué es un agujero de gusano en física?
[non-english] Warum leitet Salzwasser Strom besser als reines Wasser?
[typo] wat makes a magnet loose its magnetism if u heat it up
<<< [multiline]
My chemistry textbook says:
  2H2 + O2 -> 2H2O   ΔH = -572 kJ
What does the negative sign tell me about the reaction?
>>>
How do trees pull water all the way up to leaves 100 metres high?
Why is the speed of light the same for every observer?
What do white blood cells do during an infection?
Why does a compass point north, and does magnetic north move?
Why do humans get two sets of teeth?
How do hailstones grow so big?
What is antimatter and why is there so little of it around?
Why does uranium decay while lead stays put?
what's actually inside a cloud, is it gas or liquid water?
how do bats find insects in total darkness
why don't oil and water mix?
What would happen to a human on Mars without a spacesuit?
How do jellyfish live without a brain?
Why does a metal spoon get hot in soup faster than a wooden one?
[non-english] Come fanno le piante a sapere quando fiorire?
[non-english] Waarom is de zee zout?
Why is the inside of the Earth still hot after billions of years?
What's happening in a star when it becomes a red giant?
"""

HELDOUT["finance"] = r"""
Is it dumb to keep $40k in a checking account earning nothing?
How does a Roth conversion ladder work for early retirees?
Limit order vs market order: when do I use which?
How is the interest on a car loan worked out each month?
should I take the lump sum or the monthly pension from my old employer?
What does "basis points" mean when people talk about rate hikes?
How do I figure out my effective tax rate?
What's a fair way to split bills with a partner who earns twice what I do?
What is vesting, and what happens to unvested RSUs if I quit?
freelancer here: LLC or S-corp, which is better for taxes?
Explain what a bond ladder is.
[tradeoff] Prepay the mortgage or max out the 401k — which wins for someone in their 40s?
Why do lenders care about my credit utilization?
What's a covered call strategy and what's the catch?
accounting q: a customer paid us a year up front, is that revenue yet?
What are the tax consequences of swapping one cryptocurrency for another?
SEP IRA or solo 401k for a self-employed designer?
[non-english] Lohnt sich ein ETF-Sparplan mit 50 Euro im Monat?
[non-english] ¿Conviene pagar la hipoteca antes de tiempo o invertir ese dinero?
[typo] whats the diffrence btwn a savings acount and a money market acount
<<< [multiline]
Here's my monthly budget:
  Rent 1400
  Car 450
  Groceries 600
  Subscriptions 85
Take-home pay is 3900. Where should the rest go?
>>>
How do currency-hedged ETFs work?
What does a company's free cash flow tell investors?
how do share buybacks benefit shareholders?
What happens to a stock price on the ex-dividend date?
What's the smartest place to park money for a house down payment I'll need in three years?
Should I hang on to my employer's stock after it vests?
What is the debt-to-equity ratio used for?
How do payday loans trap people in debt?
What's a sensible stock/bond mix for someone who retires in 2 years?
I received a 1099-B and have no idea what to do with it
Why would anyone buy a bond with a negative yield?
[tradeoff] Consolidating three credit cards into one personal loan: worth it or a trap?
How does an audit differ from a review engagement?
Dividend stocks or growth stocks for a 30 year old?
[non-english] Vale a pena ter um fundo de emergência em dólar morando no Brasil?
is $1,200 a month too much for a car payment on a $70k salary?
what does it mean that my fund "tracks the S&P 500"?
[tradeoff] High-deductible health plan with an HSA vs a PPO: what are the trade-offs money-wise?
my company offers an ESPP with a 15% discount. should I join?
How much of my paycheck goes to Social Security and Medicare?
[non-english] Come funziona il TFR e conviene lasciarlo in azienda o in un fondo pensione?
[non-english] Is het slim om extra af te lossen op mijn hypotheek?
The quarterly report shows revenue up but cash down. How is that possible?
Why does my bank charge a foreign transaction fee and how do I avoid it?
"""

HELDOUT["creative"] = r"""
Write a poem about my grandmother's kitchen
Pitch me three ideas for a graphic novel about climate refugees
Name ideas for a yoga studio by the sea
Write a limerick about a forgetful astronaut
Draft a spooky short story set in an abandoned shopping mall, under 300 words
Give my fantasy villain a name and a terrifying catchphrase
Compose a short poem to read at my dog's memorial
Write the chorus of a song about leaving your hometown
I'd like a pun for the name of my plant shop
write a toast for my parents' 40th anniversary
Write a haiku about a traffic jam
Write a scene where a chess grandmaster realises her opponent is a ghost
I need a slogan for a vegan ice cream brand
I'm writing an old-style blues song, give me a verse about a broken-down truck
Rewrite the Happy Birthday lyrics for my coworker who loves spreadsheets
Invent three alien species for my tabletop RPG, one quirk each
Write a children's rhyme that teaches the days of the week
Give me a title and a back-cover blurb for a romance novel set in a ski resort
<<< [multiline]
Here's my opening line:
  "The rain had opinions that night."
Continue the story for two paragraphs, keep the tone wry.
>>>
Write an ode to my old bicycle
Write a short monologue for a villain who is actually a vending machine
Describe a city built inside a giant tree, for my novel
write a riddle whose answer is "a shadow"
Write a funny Christmas card message for my boss
[non-english] Escribe un poema corto sobre el mar en invierno
[non-english] Écris une petite histoire pour enfants sur un hérisson qui rêve de voler
[typo] cn u write a funy poem abt my roommate who never does the dishes
A catchy name for my true-crime YouTube channel?
Write a mock-epic introduction for my friend's fantasy football draft night
Write dialogue for two knights arguing about who forgot the map
Make up a newspaper headline from the year 2300
Write a story about a retired superhero who now works at a library
Script a 30-second radio ad for a time-travel travel agency
Give me a metaphor for starting a new job
Write a short prose poem about the last train home
Compose a wedding vow that mentions our love of hiking and bad puns
Write a free-verse piece in the voice of a lost umbrella
need something clever to write on a cake for my brother's graduation
describe my messy living room as if it were a crime scene in a noir novel
come up with a rhyme to help me remember the planets in order
Write a short speech a dragon would give at a job interview
I want a spooky name for the haunted house we're building in our garage for Halloween
[non-english] Scrivi una filastrocca sul gatto che ruba il pesce
[non-english] Schrijf een kort gedicht over fietsen in de regen
Give me a plot where the detective is the one who lost their memory
Draft a cheeky Instagram caption for a picture of my sourdough fail
"""

HELDOUT["general"] = r"""
[everyday] How do I fold a fitted sheet without losing my mind?
[everyday] What should I wear to a job interview at a startup?
What's a good age to let kids walk to school on their own?
[everyday] how do I make a grilled cheese extra crispy
Is it rude to bring my own wine to a dinner party?
Two days in Edinburgh — what should I not miss?
How do I get my toddler to sleep in her own bed?
[everyday] what's the quickest safe way to defrost chicken
[everyday] my shoes stink, how do I fix that
[tradeoff] Train or driving for a 5-hour trip with a dog — what are the trade-offs?
[tradeoff] Electric kettle or just the stove: is a kettle worth the counter space?
What's the proper way to introduce two people at a party?
[everyday] how long can cooked rice sit out before it's unsafe?
Who invented the telephone?
About how many people live in Australia?
whats the longest river in africa
[everyday] how do I make my apartment smell nice
my neighbour's tree hangs over my yard, am I allowed to trim it?
How do I say no to extra work without sounding lazy?
hey, what's up? just wanted to chat for a bit
I'm nervous about flying next week, any tips to stay calm?
[everyday] How often should I wash my bedsheets?
Is it okay to give a 2-year-old honey?
[everyday] what should I eat before a morning run
[everyday] how to remove sticky label residue from a glass jar
What is the dress code "smart casual" supposed to mean?
recommend a cozy series to binge this weekend
[non-english] ¿Qué puedo cocinar para cenar con huevos, patatas y cebolla?
[non-english] Was kann man bei Regen in Hamburg unternehmen?
[non-english] Comment dire poliment à un collègue qu'il parle trop fort ?
[typo] wat r some good gifts for a 10 yr old who liks dinosaurs
<<< [multiline]
Packing list so far:
- passport
- charger
- 3 shirts
Going to Morocco for 10 days in March. What am I forgetting?
>>>
[tradeoff] Living downtown vs in the suburbs with two kids — what are the trade-offs?
[tradeoff] Paper books or an e-reader for someone who reads a lot on trips?
Can I keep a goldfish in a bowl or does it need a proper tank?
[everyday] How do I clean the inside of a microwave quickly?
how do I leave a group chat without being rude
[tradeoff] sandwiches or wraps for a picnic with kids, which travel better?
how do I tell my landlord the heater broke without sounding rude
How do I get from the airport to central Madrid?
is it weird to wear white to someone else's wedding
[everyday] how do I keep a cut avocado from turning brown
[everyday] can I freeze cooked pasta?
[everyday] why does my bread go moldy so fast and how do I store it
[non-english] Como tiro uma mancha de café da camisa branca?
[non-english] Cosa posso regalare a mia madre per il suo compleanno?
What are the opening hours of most shops in Germany on Sundays?
Who was the first woman to win a Nobel Prize?
[everyday] is it safe to eat eggs after the date on the box?
"""


HELDOUT["hard_math"] = r"""
how many zeros are at the end of 100 factorial
what's 7^100 mod 5
A 2 by 10 strip gets tiled with 1 by 2 dominoes. How many tilings are possible?
Count the strings made of 5 pairs of parentheses that are correctly balanced.
Which ordered pairs (x, y) of positive integers solve 1/x + 1/y = 1/8?
what are the last three digits of 3^400
How many of the integers from 1 to 255 have exactly four 1s in their binary representation?
If every whole number from 1 through 100 is written down, what is the total of all the digits used?
How many five-digit palindromes are multiples of 3?
What is the 100th digit after the decimal point of 1/7?
22! leaves what remainder on division by 23?
p, q and r are the roots of x^3 - 2x^2 + 3x - 4. Compute p^2 + q^2 + r^2.
Eight rooks are placed on a chessboard so that no two attack each other. How many placements are there?
Roll four dice. What's the chance that the largest number showing is exactly 5?
For how many n between 1 and 100 is n^2 + 1 a multiple of 5?
What is the biggest k such that 2^k divides 50!?
In how many ways can 60 be written as a sum of two primes, order not mattering?
Add up every positive integer below 100 that shares no factor with 100. What do you get?
My kid's math league asked: what's the smallest number with exactly 10 divisors?
Need the count of seven-digit phone numbers whose digits never decrease from left to right.
Shuffle the letters A to E at random: what's the probability that A comes before B and B before C?
Which is larger, 2^300 or 3^200, and how can I argue it without a calculator?
Find the minimum of (a + b)(1/a + 1/b) over positive a and b, and say when it is attained.
A bag holds tiles numbered 1 through 10 and I draw three. What's the chance the middle value is 5?
How many triangles with integer side lengths have perimeter 15?
What is 1 + 11 + 111 + ... + 111111111, nine ones in the last term?
Choose a random divisor of 720. How likely is it to be a perfect square?
[typo] hw from math circle: how many squares of any size on a 5x5 grid?? i counted 25
[typo] whats the remiander of 10^10 + 10^100 + 10^1000 when divided by 7
[typo] is there a quick way to count how many numbers under 1000 have no digit 5 in them
[non-english] ¿Cuál es el resto de dividir 2^50 entre 9?
[non-english] Wie viele verschiedene Wörter kann man aus den Buchstaben von ANANAS bilden?
[non-english] Trouver tous les entiers n tels que n + 4 divise n^2 + 10.
[non-english] Quantos números de quatro algarismos distintos são pares?
[non-english] Quanti sono i sottoinsiemi di {1, ..., 12} la cui somma degli elementi è pari?
[non-english] Hoeveel getallen tussen 1 en 100 hebben precies drie delers?
[latex] $\prod_{k=2}^{50} \left(1 - \frac{1}{k^2}\right)$ = ?
[latex] Find all $n$ with $\varphi(n) = 12$.
[latex] Determine $\lfloor \sqrt{1} \rfloor + \lfloor \sqrt{2} \rfloor + \dots + \lfloor \sqrt{50} \rfloor$.
[latex] What is the remainder when $\binom{100}{50}$ is divided by 3?
<<< [multiline]
Team round practice:
From a club of 15 students we pick a president, a vice-president and then a 4-person committee from the rest.
Ana and Ben refuse to serve together. Count the options.
>>>
<<< [multiline]
Sequence: 1, 3, 7, 15, 31, ...
(a) a formula for the nth term?
(b) the remainder of the 2024th term mod 9?
>>>
"""


def items_by_label() -> dict[str, list[tuple[str, str]]]:
    """Each label's (text, tag) pairs in file order."""
    return {label: parse_block(block) for label, block in HELDOUT.items()}
