"""More hand-written training prompts for the domain classifier (issue 14: a router that generalises).

Written for ModRoute by the project team (not copied from any dataset), after the held-out set in
``router_heldout_src.py`` and apart from it: same label rules (data/README.md), other questions.
``router_prompts_src.py`` reads like short chat messages in English; these widen what a new user
types: SQL, regular expressions, Go, JavaScript/TypeScript, shell and a dozen other languages and
tools; proofs; trade-off questions filed under what is being traded; everyday questions that sound
like science or like a writing request; one-liners up to several sentences with pasted code, error
output or data; casual text with typos; a few prompts in Spanish, German, French, Portuguese,
Italian and Dutch. Format: data/prompt_blocks.py (tags here are notes for the reader only).

LATE_PROMPTS came later, with the hard_math label: competition-style problems with an answer (number
theory, counting, probability by counting, sequences, contest algebra and geometry), as opposed to the
everyday and coursework math of the math block, and more math written with them (proofs, olympiad-style
ones included, stay math). data/build_router.py splits each late block with a generator of its own,
after everything else, so adding them moved no other prompt between train and heldout.
"""

from prompt_blocks import parse_block

PROMPTS: dict[str, str] = {}

PROMPTS["code"] = r"""
[sql] postgres: how do I find rows in orders that have no matching row in payments?
[sql] SELECT COUNT(*) and SELECT COUNT(email) give me different numbers on the same table. Why?
[sql] mysql: update a column using values from another table in one statement
[sql] what's the difference between WHERE and HAVING
[sql] How do I write a recursive CTE that walks an employee -> manager hierarchy?
[sql] My AVG() ignores the NULL rows and the number looks too high. How do I count NULL as zero?
[sql] total sales per month in SQL when the column is a timestamp
[sql] T-SQL: delete duplicate rows but keep the one with the smallest id
[sql] Why does WHERE name LIKE '%abc%' do a full table scan, and can any index help?
[sql] EXPLAIN ANALYZE says "Seq Scan on users (cost=0.00..431.00 rows=10000)". What am I looking at?
[sql] how to do an upsert in postgres, insert or update if the key exists
[sql] sql: percentage of the total per category in a single query
[sql] BigQuery: unnest an array column so every element gets its own row
[sql] which transaction isolation level stops two requests from booking the same seat twice?
<<< [sql]
SELECT price * qty AS total FROM order_items WHERE total > 100;
ERROR:  column "total" does not exist
why can't I use my alias in the WHERE?
>>>
[sql] can I store a list of tags in one column or do I really need a join table?
[sql] Oracle: what's the equivalent of LIMIT 10?
[regex] Regular expression for an email address that is good enough for a signup form?
[regex] python re: replace every run of whitespace with a single space
[regex] regex for a date like 2024-01-31 that rejects 2024-13-45
[regex] What do \b and \B mean in a regular expression?
[regex] my JS regex with the g flag matches every other time when I call .test() in a loop. why??
[regex] named capture groups in Python regex, how do they work
[regex] regex to validate a hex colour such as #fff or #a1b2c3
[regex] split a string on commas that aren't inside double quotes
[regex] sed: turn "Lovelace, Ada" into "Ada Lovelace" with a capture group
[regex] Why does (a+)+$ take forever on a long string of a's followed by a b?
[regex] what is the difference between re.match, re.search and re.fullmatch
[go] Go: slices vs arrays, and why did append change my other slice too?
[go] read a huge file line by line in golang without loading it all
[go] golang interfaces are satisfied implicitly. How do I check at compile time that my type implements one?
[go] unbuffered vs buffered channels in Go — when exactly does a send block?
[go] how do I write table-driven tests in Go
[go] what does defer do in Go, and in what order do deferred calls run?
[go] Go generics: write a Map function that works over any slice
[go] my Go struct comes back empty after json.Unmarshal, the fields are lowercase
[go] using context.WithTimeout inside an HTTP handler in Go
[go] errors.Is vs errors.As in go
[go] Go: why does the select statement pick a random ready case?
<<< [go]
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2f1b]
goroutine 1 [running]:
main.(*Server).handle(0x0, ...)
what does this mean, the server pointer is nil?
>>>
[javascript] JS: difference between map, forEach and reduce on an array?
[javascript] why does typeof null return "object"
[javascript] deep-clone an object in JavaScript without lodash
[javascript] javascript for...in vs for...of
[javascript] what is hoisting in JS? my variable is undefined instead of throwing
[javascript] How do I remove an event listener that I added with an anonymous function?
[javascript] explain the JavaScript event loop: microtasks vs macrotasks
[javascript] my fetch works in Postman but the browser blocks it with a CORS error. What is going on?
[javascript] TypeScript: type vs interface, which one should I use?
[javascript] format a number as currency in JavaScript, like $1,234.50
[javascript] js: sum a value across an array of objects grouped by a key
[javascript] Vue 3: computed property or a watcher?
[javascript] React warns "Each child in a list should have a unique key prop". Does it matter?
<<< [javascript]
Uncaught TypeError: Cannot read properties of null (reading 'addEventListener')
    at main.js:3:27
const btn = document.querySelector('#save');
btn.addEventListener('click', save);
>>>
[javascript] express: my error-handling middleware never runs. does the order of app.use matter?
[javascript] what does "use strict" change in javascript
[javascript] How do I debounce an input in React so it doesn't fire a request on every keystroke?
[shell] bash: how do I check whether a variable is empty or unset?
[shell] what does 2>&1 mean at the end of a shell command
[shell] read a file line by line in bash without losing the leading spaces
[shell] bash arrays: how do I append to one and loop over it?
[shell] single quotes vs double quotes in bash, what's the difference
[shell] awk: print the second column of a CSV when the third column is greater than 100
[shell] how do I test the exit status $? of the previous command in an if?
[shell] grep -E vs grep -P?
[shell] bash: get the directory the running script lives in
[shell] integer arithmetic in bash: $(( )) vs expr vs let
[shell] fish shell complains about export FOO=bar, how do I set a variable there
[shell] xargs: run a command once per input line with that line as the argument
<<< [shell]
./deploy.sh: line 7: [: too many arguments
line 7 is:   if [ $BRANCH == main ]; then
>>>
[shell] what's the difference between source script.sh and ./script.sh
[shell] how do I write a here-document that doesn't expand $variables
python: why does my default argument list keep growing between calls?
what's the difference between `is` and `==` in python
sort a list of tuples by the second element
what is __slots__ for in a Python class
pandas keeps giving me SettingWithCopyWarning. What does it want from me?
<<<
  File "report.py", line 40, in build
    row["region"]
KeyError: 'region'
the key is definitely in the CSV header, I checked
>>>
python f-string: a float with 2 decimals and thousands separators
read command-line arguments with argparse, including an optional flag
what's a context manager and how do I write one with contextlib?
Java: checked vs unchecked exceptions, when do I use which?
Kotlin: what does a data class generate for me?
C: what does the volatile keyword actually do?
C++: why does a base class need a virtual destructor?
C++ templates: "undefined reference" when I put the template definition in a .cpp file
C#: async void vs async Task
Rust: String vs &str, when do I use each?
Rust: share a Vec between threads, do I need Arc<Mutex<...>>?
Swift: what's a retain cycle and how does [weak self] fix it?
Haskell: foldl vs foldr, which one for a long list?
Scala: pattern matching on case classes, small example please
Julia: why is the first call of my function so slow and the second one fast?
MATLAB: vectorize a for loop that fills an array with the squares of 1..n
Lua: how do tables work as both arrays and dictionaries?
Perl: what does $_ mean?
Dart: final vs const
Clojure: what is a lazy sequence and when does it get realized?
git: squash my last 3 commits into one
what do the <<<<<<< HEAD and >>>>>>> markers in a merge conflict mean?
webpack vs vite for a new frontend project?
CMake: how do I link my executable against a library I built?
Makefile error: "*** missing separator. Stop."
Dockerfile: CMD vs ENTRYPOINT
set up the VS Code debugger for a Node app
gdb: set a breakpoint on a line and print a variable
valgrind reports "definitely lost: 48 bytes in 1 blocks". What does that mean?
mock vs stub vs fake in unit tests?
good naming convention for boolean variables?
[tradeoff] REST vs gRPC between internal services, what are the trade-offs?
[tradeoff] SQL or NoSQL for a chat app? pros and cons
[tradeoff] is it worth adding TypeScript to an existing JavaScript codebase?
[tradeoff] tabs vs spaces, does it actually matter
[tradeoff] microservices or a monolith for a two-person startup?
[tradeoff] cache it in Redis or just in memory inside the process? what do I lose either way
[tradeoff] Postgres vs MongoDB for storing user events, cost and performance wise
[tradeoff] recursion or iteration here, which is better for performance?
[tradeoff] Kafka or RabbitMQ for a background job queue?
[tradeoff] We keep arguing about exceptions vs returning error codes in our C++ library. What are the arguments on each side?
[non-english] ¿Qué diferencia hay entre una lista y una tupla en Python?
[non-english] Comment lire un fichier texte ligne par ligne en Java ?
[non-english] Warum gibt meine JavaScript-Funktion undefined zurück, obwohl ich etwas berechne?
[non-english] Como faço um loop por um dicionário em Python?
[non-english] Come si dichiara un array di interi in C?
[non-english] Hoe schrijf ik een functie in Go die een error teruggeeft?
[typo] y does my js code say "x is not defined" when i declared it rite above
[typo] halp my python list changes when i chnage the copy
[typo] cant get my c program to compile, says implicit declaration of function printf
[typo] pls explain pointers, i dont get them at all
[typo] sql qury to get top 5 products by sales??
[typo] how 2 make a button in html do somthing when clicked
[typo] idk why my for loop runs one time too many
I'm building a small inventory app in Django. Every time I save the form the price loses its decimals. The model uses FloatField. What should I change?
We have a Node script that processes 2 million CSV rows and it runs out of memory halfway. It uses readFileSync and split("\n"). How should I restructure it?
Our API returns dates as strings and the frontend shows them in the wrong time zone. Where should the conversion happen, server or client?
I inherited a 3000-line PHP file with no tests. Where do I even start refactoring it?
code review please: is there anything wrong with catching Exception everywhere and just logging it?
how do I compute a running average in a streaming loop without keeping all the numbers? (python)
write a function that counts how many times each word appears in a text file
matrix multiplication in numpy: @ vs np.dot vs np.matmul
"""

PROMPTS["reasoning"] = r"""
Four colleagues ordered coffee. Nia didn't order tea, the person who ordered juice sat next to Omar, and Pete ordered the same as Nia. Who could have ordered juice?
If 3 cats catch 3 mice in 3 minutes, how many cats are needed to catch 100 mice in 100 minutes?
Is "a famous actor recommends this vitamin, so it must work" an appeal to authority?
Everyone at the party either knew the host or came with someone who did. Zoe knew nobody. What follows about Zoe?
what's an ad hominem? my cousin keeps using it on me at family dinners
Some programmers are musicians. All musicians are night owls. Can we say some programmers are night owls?
A man has a fox, a chicken and a sack of grain, but this time the boat holds two items. Does the puzzle get trivial?
riddle: what runs but never walks, has a mouth but never talks
Name the flaw: "If we let students redo one test, soon they'll want to redo every test, and grades will mean nothing."
Which statement must be true if "some apples are red" and "no red things are blue"?
Carlos is older than Dana, Dana is older than Eli, and Eli is older than Fay. Is Carlos older than Fay? How sure can we be?
Red herring vs strawman, what's the difference?
Three doors, three labels, every label lies. Door A says "treasure", door B says "empty", door C says "A is empty". Where's the treasure?
my boss said "nobody complained, so the new policy is working". what's wrong with that logic?
If it is Tuesday in two days' time, what day was it three days ago?
Six friends sit around a round table. Uma is opposite Vic, Wes is to Uma's right, and Xia is opposite Wes. Where can Yan and Zoe sit?
Explain survivorship bias with the planes-in-the-war example.
Does correlation between hours of TV and lower grades prove TV causes bad grades? What would?
Five houses, five pets, and the person with the parrot lives next to the green house. I'm lost — how do I set up the grid?
tu quoque: "you smoke too, so you can't tell me to quit." Is that a fallacy?
Four cards show A, K, 4 and 7. Rule: if a card has a vowel on one side it has an even number on the other. Which cards must you turn over?
Begging the question vs raising the question, which one is the fallacy?
A clock shows 3:15. After the hour hand moves a quarter turn, what time is it?
Can you explain why the unexpected hanging paradox is a paradox at all?
The lawyer said her client couldn't be guilty because he's a devoted father. Is that relevant?
Only one of these is true: "Ivy took the cake", "Jon took the cake", "Jon didn't take it". Who took the cake?
If all squares are rhombuses and some rhombuses are not squares, is every rhombus with right angles a square?
Which is the weakest link in this chain: phones distract drivers, distracted drivers crash, so phones should be banned in all cars?
Two guards at a fork, one always lies. Is there a question that works even if I don't know which road they guard?
Explain Simpson's paradox with a hospital example, I only want the reasoning not the formulas
What conclusion can you draw: no one who skips practice plays on Saturday, and Lena plays on Saturday
odd one out: Mercury, Venus, Moon, Mars, Jupiter
what comes next: O, T, T, F, F, S, S, ?
Moving the goalposts: how do I recognise it in an argument?
A prince must pick the heaviest of 9 rings with a balance, using only two weighings. How?
Equivocation: how does "nothing is better than happiness; a cheese sandwich is better than nothing" trick you?
I keep getting this one wrong: if Ella's mother is my mother's only daughter, who is Ella to me?
riddle: the person who built it doesn't want it, the one who bought it doesn't need it
Is it cherry-picking if I only quote the two studies that support my point?
Which is logically stronger: "all" or "most"? Can "most A are B" and "most B are C" give "some A are C"?
Sorites paradox: one grain isn't a heap, adding one grain never makes a heap. Where does it fail?
Peter says "Quinn is lying", Quinn says "Rosa is lying", Rosa says "Peter and Quinn are both lying". Who is honest?
How do I tell a valid argument from a sound one?
In a race of 10, Tim passed 3 people and was then passed by 2. He started 6th. Where did he finish?
Newcomb's problem: one box or two boxes, and why do smart people disagree?
Why is "everybody is buying it" not a good reason to buy it? Name the fallacy.
Constraint puzzle: Talk A must be before Talk B, Talk C must be last, and Talk D can't be next to Talk A. Find an order.
If no spies wear hats and some diplomats wear hats, can a diplomat be a spy?
the teacher's claim is "every student who studied passed". Jo failed. What can we conclude about Jo?
Analyse this ad: "9 out of 10 dentists recommend our toothpaste." What questions should I ask?
riddle: what can you catch but not throw
You meet two islanders. The first says "we are both liars". What is each of them?
A rope ladder hangs over a ship's side with rungs 20 cm apart. The tide rises 60 cm. How many rungs are now under water? Think carefully.
How is inductive reasoning different from abductive reasoning? A detective example would help.
My friend argues that since the universe is fine-tuned, someone must have tuned it. Which premises could a critic challenge?
Zeno says Achilles can never catch the tortoise. Where is the reasoning wrong?
If exactly two of Ana, Ben and Cy are lying and Ana says "Ben is honest", what can you deduce?
<<< [multiline]
Clues:
- Three boxes hold a pen, a key and a coin.
- The pen is not in the blue box.
- The coin is in the box left of the red box.
- The green box is on the far right.
Boxes from left to right are blue, red, green. What's in each?
>>>
<<< [multiline]
Premise 1: If the alarm was set, the guard heard it.
Premise 2: The guard didn't hear anything.
Conclusion: The alarm wasn't set.
Valid? Which rule is this?
>>>
<<< [multiline]
Argument from a forum post:
"Organic food sales went up and so did autism diagnoses. Therefore organic food causes autism."
Break down everything wrong with it.
>>>
[non-english] Si ningún pez vuela y algunos animales que vuelan son aves, ¿qué podemos concluir sobre los peces?
[non-english] Qui dit la vérité ? Alice dit que Bruno ment, Bruno dit que Chloé ment, Chloé dit que les deux mentent.
[non-english] Rätsel: Was hat einen Kopf und einen Fuß, aber keinen Körper?
[non-english] Questo ragionamento è valido? Tutti i gatti miagolano, Fufi miagola, quindi Fufi è un gatto.
[typo] wats the flaw in my freinds argument, he says if u cant prove aliens dont exist they must exist
[typo] cant solve this riddle: what goes up but never comes down
[typo] is this valid or nah: all dogs bark, rex barks, so rex is a dog
[typo] pls help with logic puzle, 3 ppl, one always lies, one always truths, one random
[typo] which one is the fallacy when sombody says everyone does it so its fine
We flipped a coin 5 times and got heads every time. My brother says tails is now more likely. Who is right and why?
If I say "I always lie", am I lying right now?
What's the difference between a contradiction and a contrary? For example "all cats are black" vs "no cats are black".
Why doesn't "most people in prison had breakfast today" tell us anything about breakfast and crime?
A farmer says every time he plants beans, his neighbour's tomatoes grow better. What else could be going on?
Who is the odd one out: Shakespeare, Dickens, Mozart, Austen? Explain.
If a plane crashes exactly on the border of two countries, where do they bury the survivors?
A bag has socks of 4 colours. How many must I take out, without looking, to be sure of 3 of the same colour?
What is the difference between "all X are not Y" and "not all X are Y"?
Which assumption does "we should build more roads because traffic is bad" rely on?
A brother and sister: the boy says "I'm a girl", the girl says "I'm a boy". At least one of them is lying. Who is who?
What is a false analogy? Is "a company is like a family" one?
My teacher says that because I can't think of a counterexample, the claim is proven. Is she right?
Three switches, three bulbs in another room, but now you can enter the room twice. What's the easiest strategy?
Everyone who attended the meeting signed the list. Mo's name isn't on the list. Did Mo attend?
"""


PROMPTS["automation"] = r"""
[shell] write a bash script that compresses yesterday's log files every night and deletes ones older than 14 days
[shell] a shell script to mirror my Documents folder to the external drive whenever it's plugged in
[shell] loop over all the servers in hosts.txt every morning, run df -h on each and mail me the results
[shell] cron + rsync: push the website folder to the backup box at 1am
every hour check if the VPN is up and reconnect it if it dropped
Make Windows Task Scheduler run my cleanup.bat every Sunday at 6pm
systemd service that restarts my bot automatically if it crashes
Zapier: when a Calendly meeting is booked, add the person to a Google Sheet and send them a prep doc
Make.com: watch a Gmail label and push every new message into a Notion database
n8n workflow: new GitHub release -> post release notes to Discord
Power Automate flow: when a file is added to the SharePoint folder, ask my manager to approve it in Teams
IFTTT recipe that logs every time I arrive at the gym
Google Apps Script to send a reminder email to everyone who hasn't filled in the sheet by Friday
GitHub Actions: build and push a Docker image to the registry on every tag
Set up a scheduled GitLab pipeline that runs the full test suite every night
Ansible: rotate the SSH keys on all 30 web servers once a quarter
use Terraform Cloud to apply the staging plan automatically when the PR is merged
When a Typeform survey score is below 5, open a support ticket in Freshdesk and alert the account owner
forward texts with verification codes from my old phone to my new one automatically
[tool-use] Plan the tool calls: look up the customer's latest order, then email them the tracking link
[tool-use] You can call get_weather(city) and send_sms(to, text). Text me if it will rain in Oslo tomorrow.
[tool-use] search the calendar for free slots next week and propose three meeting times to the client
[tool-use] create a Jira ticket for every unread email labelled "bug report" and reply with the ticket number
[tool-use] the send_email call returned 550 mailbox not found for dana@ — find her current address in the contacts and retry
[tool-use] The API keeps answering 429 with retry_after_seconds=30. What should the next steps of my job be?
[tool-use] my integration's access token expired (401) halfway through the batch. How should the workflow recover?
[tool-use] upload_file timed out twice. retry once more with a longer timeout, then tell the user if it still fails
<<< [tool-use]
Goal: every weekday at 8:00, post yesterday's signups count to #growth.
Tools: db_query {"sql": "string"}, slack_post {"channel": "string", "text": "string"}
Log so far:
1. slack_post({"channel": "#growht", ...}) -> {"error": "404 channel_not_found"}
What now?
>>>
<<< [multiline]
My zap history:
  Step 2 (Google Sheets: Create Row) - Error: "The app returned 'Rate Limit Exceeded'"
  Step 3 (Slack: Send Message) - Skipped
How do I make it wait and continue instead of stopping?
>>>
<<< [multiline]
crontab -l
0 2 * * * /home/pi/backup.sh
The backup never happens but running ./backup.sh by hand works. The script uses rclone.
>>>
Every time a customer leaves a 1-star review on Trustpilot, create a task in Asana for the support lead
auto-generate an invoice in QuickBooks when a deal is marked won in Pipedrive
send a thank-you DM to anyone who follows our company account on X
when the temperature sensor in the server room goes above 27C, switch on the spare fan and email facilities
save every Spotify song I like into a spreadsheet with the date
water the garden with the smart valve for 10 minutes at dawn unless it rained
turn off all the lights when the last person leaves the house
sync my Garmin workouts to Strava and then into a training log sheet every evening
every Monday, pull last week's Google Analytics numbers into a slide deck and share it with the team
scrape the job board every morning for "data engineer" roles in Lisbon and email me new ones
download my bank statement PDF every month and file it in the right Drive folder
nightly: export the Salesforce opportunities to CSV and load them into Snowflake
alert me on Telegram when the price of a flight to Tokyo drops below 700 euros
monitor our SSL certificates and open a ticket 14 days before any of them expires
auto-assign pull requests to reviewers on the team in rotation
post a message in #releases whenever the deploy to production finishes
automatically add a "needs triage" label to new issues that have no label after an hour
delete Slack files older than a year to stay under the storage limit
when an employee is offboarded in Okta, remove them from all shared Google Drives
Schedule the weekly newsletter to go out every Thursday at 10am from Mailchimp
Set an alarm for 6:15 tomorrow and remind me to take the cake out of the freezer tonight
Add "renew passport" to my to-do list for the first of next month
text my sister happy birthday at midnight on the 14th
send the meeting notes to everyone who attended once the recording is transcribed
put my calendar on "busy" whenever I'm in a focus block in Clockwise
make a desktop shortcut that opens my five work websites at once
Excel macro that pulls the numbers from every sheet into a summary sheet when I click a button
AutoHotkey: type my email signature when I press Ctrl+Alt+S
Keyboard Maestro macro to resize every new window to half the screen
UiPath bot to copy data from the legacy desktop app into our web CRM
Playwright script that logs into the supplier portal every morning and downloads the new price list
Use the Dropbox API to move files older than 90 days to an archive folder
hook up a Raspberry Pi camera to upload a timelapse frame to S3 every 10 minutes
every 30 minutes, check the queue length in RabbitMQ and scale the workers up if it's over 1000
run database vacuum every Sunday night and post the duration to Slack
Orchestrate: fetch the files from SFTP, validate them, load them into the warehouse, then email a summary — what tool should run this?
Prefect vs cron for a handful of nightly data jobs?
[typo] how do i make my computr turn off by itself at midnight
[typo] can u automaticly send my rent reciept to my landlord every month
[typo] wanna set up somethin that texts me when my package is out for delivery
[typo] auto backup my phone pics to google photos evry nite pls
[typo] make a reminder 4 my meds at 8am and 8pm evryday
[non-english] ¿Cómo hago para que mi ordenador haga una copia de seguridad automática cada noche?
[non-english] Ich möchte, dass jede neue Bestellung aus Shopify automatisch in unsere Buchhaltung übertragen wird.
[non-english] Comment envoyer automatiquement un rappel Slack à l'équipe chaque lundi à 9 h ?
[non-english] Como faço para que os anexos do Gmail sejam salvos sozinhos no Google Drive?
[non-english] Vorrei programmare un promemoria ogni giorno alle 18 per annaffiare le piante
[non-english] Kan ik elke nacht automatisch een back-up van mijn website laten maken?
Every time our Stripe payout lands, record it in Xero and tag the matching invoices as paid
If a new lead comes in from the website after hours, send them an auto-reply and create a callback task for 9am
connect our Zendesk to Slack so urgent tickets show up in #support-urgent
sync contacts between my iPhone and our company Outlook address book every night
Every Friday afternoon archive the week's Slack #announcements into a Google Doc
I'd like my PC to start the game server at 6pm and stop it at 1am on weekdays
remind me every 3 months to change the water filter
Set up an auto-responder on our info@ inbox that sends the FAQ link and says we'll reply within a day
auto-merge Dependabot PRs when the tests pass
Create a GitHub Action that comments on a PR with the bundle size difference
Run a Lighthouse check on our homepage every night and alert us if the score drops below 80
Every morning at 6, refresh the Power BI dataset and email the dashboard link to sales
my automation copies new Airtable rows to Mailchimp but sends duplicates when a row is edited. how do I stop it?
Whenever I star an email, add it as a task in Todoist with a link back to the email
Queue up social posts from a Google Sheet and publish one every weekday at noon
When a form submission includes a file, virus-scan it first and only then save it to the shared drive
"""

PROMPTS["math"] = r"""
[proof] prove that the sum of two even numbers is even
[proof] show that there are infinitely many primes of the form 4k + 3 — or at least sketch why
[proof] Prove by contradiction that there is no smallest positive rational number.
[proof] How do I prove that sqrt(5) is irrational?
[proof] prove that 2^n > n for every natural number n, by induction
[proof] Prove that the sum of the angles of any convex polygon with n sides is (n - 2) * 180 degrees.
[proof] Show that if n^2 is even then n is even.
[proof] Prove that every integer greater than 1 has a prime factor.
[proof] Prove that the composition of two injective functions is injective.
[proof] proof that a bounded monotone sequence converges
[proof] Show that the set of real numbers is uncountable (Cantor's diagonal argument).
[proof] prove that the determinant of a product of matrices is the product of the determinants, for 2x2 at least
[proof] Prove that 11 divides 10^n - (-1)^n for all n.
[proof] show the harmonic series 1 + 1/2 + 1/3 + ... diverges
[proof] How do you prove the Pythagorean theorem with similar triangles?
[proof] Prove that the intersection of two subgroups is a subgroup.
[proof] is my proof ok? I said n(n+1) is even because one of n, n+1 is even
[proof] Prove that any two consecutive Fibonacci numbers are coprime.
[proof] prove that a graph with every vertex of degree at least 2 contains a cycle
[proof] epsilon-delta proof that lim x->2 of 3x - 1 is 5
Compute 48% of 1250
What is 7/8 minus 2/5?
Solve 4x - 9 = 2x + 15
find x when 5^(x-1) = 125
simplify (3x^2 - 12) / (x + 2)
Solve the quadratic 2x^2 + 3x - 2 = 0
differentiate cos(3x) * e^(2x)
integrate x^2 * ln(x) dx by parts
Evaluate the definite integral of 1/x from 1 to e^3.
find the second derivative of y = x^4 - 3x^2
What's the limit of (1 + 1/n)^n as n goes to infinity?
Find the maximum of f(x) = -x^2 + 6x - 5
Solve dy/dx = x*y with y(0) = 2
what's the inverse of the matrix [[2,1],[5,3]]
Find the eigenvectors of [[3,0],[0,-1]]
What is the dot product of (2, -1, 4) and (3, 5, 1)?
Are the vectors (1,0,2), (0,1,1) and (1,1,3) linearly independent?
What's the median of 14, 3, 9, 21, 7, 10?
calculate the sample standard deviation of 6, 8, 10, 12
Two dice are rolled. What is the probability the product is even?
If P(A) = 0.4, P(B) = 0.5 and they are independent, what is P(A or B)?
What's the expected number of heads in 10 flips of a coin that lands heads 30% of the time?
A test is 95% accurate and 1% of people have the disease. If I test positive, what's the chance I have it? Bayes please
How many ways can a president, a secretary and a treasurer be chosen from 12 members?
How many 5-card hands contain exactly two aces?
In how many ways can 10 identical candies be shared among 3 children?
what is 13 mod 4, and why is -13 mod 4 different?
Find all integer solutions to 3x + 5y = 1
is 1001 divisible by 7? show the division
What is the LCM of 8, 14 and 20?
Convert 0.45 repeating into a fraction.
A circle has area 50 square cm. What is its radius?
What's the surface area of a sphere with diameter 10?
Find the area of a regular hexagon with side 4.
two sides of a triangle are 7 and 10 with a 60 degree angle between them. find the third side
What is sin(75 degrees) exactly?
solve sin(x) = 1/2 for x between 0 and 2 pi
Convert the polar point (4, pi/3) to Cartesian coordinates.
A car uses 6.5 litres per 100 km. How much fuel for a 340 km trip?
A jacket is 120 with 35% off. What do I pay?
I scored 42 out of 60. What percentage is that?
Prices went up 8% and then down 8%. Am I back where I started?
Split 540 in the ratio 2:3:4.
A recipe for 4 uses 300 g of flour. How much for 7 people?
If I type 45 words a minute, how long for a 2,000-word essay?
A tap fills a bath in 12 minutes and the drain empties it in 20. How long to fill it with the drain open?
A train leaves at 9:40 and the journey takes 2 h 35 min. When does it arrive?
Convert 3.5 hours into minutes and seconds.
How many square feet are in 40 square metres?
what's 5 miles in kilometres
Estimate the square root of 200 without a calculator.
What is the 10th term of the geometric sequence 5, 10, 20, ...?
Sum of the arithmetic series 3 + 7 + 11 + ... + 99?
What's the value of 0! and why?
Explain what a derivative means geometrically.
What is a vector space, in simple terms?
Why is the area under a curve the integral? intuition please
what does the notation sigma from i=1 to n of i^2 mean, and what's its closed form?
$\int_0^{\pi} \sin^2 x \, dx$ = ?
$\frac{d}{dx}\left(\frac{x^2+1}{x-1}\right)$
<<< [multiline]
Find x and y:
  3x - 2y = 4
  x + 4y = 13
I got x = 3, y = 2.5 but I'm not sure.
>>>
<<< [multiline]
A = [[1, 2], [3, 4]]
B = [[2, 0], [1, 2]]
What are AB and BA, and why are they different?
>>>
<<< [multiline]
Data: 12, 15, 11, 18, 20, 15, 14
Find the mean, the median, the mode and the range.
>>>
[typo] wat is 3 quarters of 96
[typo] how do u do long divison, like 936 / 12
[typo] i got confused, is the derivitive of x^2 just 2x
[typo] probabilty of picking 2 red balls from 4 red 6 blue no replacment
[typo] helpp solve 2(x+4)=3x-1 i keep gettin it wrong
[typo] whats the formula for area of a circel again
[non-english] ¿Cuál es la derivada de ln(x^2 + 1)?
[non-english] Wie viel sind 15 Prozent von 80?
[non-english] Comment résoudre l'équation 2x + 3 = 11 ?
[non-english] Qual é a área de um triângulo com base 8 e altura 5?
[non-english] Quante sono le combinazioni di 3 elementi presi da 7?
[non-english] Hoe bereken ik de omtrek van een cirkel met straal 3?
Is zero even, odd, or neither?
Why does a negative exponent mean a fraction?
Why can't you take the square root of a negative number in the reals?
What is the difference between permutations and combinations, with an example?
"""

PROMPTS["science"] = r"""
How does a prism split white light into colours?
how does a laser produce such a narrow beam
What's the difference between AC and DC current, physically?
Why do objects of different mass fall at the same rate in a vacuum?
what is terminal velocity
How does a rocket move in space if there's nothing to push against?
What is the uncertainty principle actually saying?
How do atomic clocks keep time so precisely?
Why is absolute zero the coldest possible temperature?
What is plasma, the fourth state of matter?
how does a hydrogen fuel cell make electricity
Why does iron rust faster near the sea?
What makes an acid strong or weak?
Why does hydrogen peroxide fizz on a cut?
what are polymers and why is plastic so hard to break down
How does chlorophyll absorb light?
What is the difference between endothermic and exothermic processes in the body?
why is DNA a double helix and what holds the two strands together
How do viruses hijack a cell to make copies of themselves?
What are the main differences between plant and animal cells?
How do hormones travel around the body and find their target?
Why do some people get sunburned faster, at the level of skin cells?
what does the liver actually do
How do our eyes see colour?
How does the brain store memories?
Why do we dream, according to neuroscience?
How do seeds know when to germinate?
What's the difference between an ecosystem and a biome?
why did the dinosaurs go extinct
How does a caterpillar turn into a butterfly inside the chrysalis?
What is convergent evolution? give an animal example
How do whales hold their breath for so long?
What are red dwarfs and how long do they live?
Why is Jupiter's Great Red Spot still spinning after centuries?
How do we know what distant planets' atmospheres are made of?
What is the cosmic microwave background?
Why does Saturn have rings?
What happens at the event horizon of a black hole?
How does the solar wind affect Earth?
what causes a meteor shower
How do mountains form?
Why do geysers erupt on a schedule?
What's the difference between magma and lava?
How does the jet stream influence the weather?
Why is the Atlantic getting wider every year?
How are diamonds formed deep underground?
What is permafrost and why does its thawing matter?
What causes monsoons?
how are sand dunes formed and why do they move
Why does the ocean have layers of different temperatures?
What's the science behind a thunderstorm?
[everyday] why does popcorn pop?
[everyday] why does milk go sour, what are the bacteria doing?
[everyday] why do my glasses fog up when I come inside in winter?
[everyday] Why does a fizzy drink go flat faster when it's warm?
[everyday] why do our fingers wrinkle in the bath
[everyday] why does a shaken soda explode when opened, physics-wise?
[everyday] how does a pressure cooker cook food faster?
[everyday] Why does cutting onions under water help? What's the chemistry?
<<< [multiline]
Lab data, pendulum length vs period:
  0.25 m  1.0 s
  1.00 m  2.0 s
  2.25 m  3.0 s
What physical law does this show, and why?
>>>
<<< [multiline]
My textbook says: "Enzyme activity drops sharply above 40°C."
Why would heat stop an enzyme working? Is it reversible?
>>>
<<< [multiline]
Balanced equation we got in class:
  CH4 + 2O2 -> CO2 + 2H2O
Why is it called combustion and where does the energy come from?
>>>
[typo] how dose the heart know when to beat faster
[typo] y is the moon sometimes visable during the day
[typo] wat is a black hole made of
[typo] how do plant's breath at night
[typo] explain newtons 2nd law simple plz
[non-english] ¿Cómo se forman las estrellas?
[non-english] Warum ist der Himmel nachts dunkel, wenn es so viele Sterne gibt?
[non-english] Pourquoi les feuilles des arbres sont-elles vertes ?
[non-english] Como funciona a fotossíntese nas plantas?
[non-english] Perché la luna ha le fasi?
[non-english] Hoe ontstaat een regenboog?
What is Avogadro's number and why is it so big?
Why does the Moon cause tides on both sides of the Earth?
How do X-rays pass through skin but not bone?
What is the difference between nuclear radiation and the radiation from a phone?
Why are some animals cold-blooded and others warm-blooded?
What is the standard model of particle physics?
How does a nuclear reactor avoid a runaway chain reaction?
Why is water called the universal solvent?
How does echolocation work in dolphins?
what's the difference between mass and weight
What would happen if the Sun suddenly disappeared?
Why is it colder at the top of a mountain if it's closer to the sun?
How do scientists know the Earth's magnetic field flips?
What is a neutrino and why is it so hard to detect?
"""

PROMPTS["finance"] = r"""
[tradeoff] pay cash for the car or take the 3.9% dealer financing and keep my savings invested?
[tradeoff] Roth or traditional IRA if I expect a higher income later in my career?
[tradeoff] lump-sum investing vs spreading it over 12 months, what do the numbers say?
[tradeoff] buy a house now with 5% down and PMI, or wait two years to save 20%?
[tradeoff] Is it worth paying a 1% advisory fee for a managed portfolio versus doing index funds myself?
[tradeoff] fixed or variable rate mortgage when rates might fall next year?
[tradeoff] should my LLC pay me a salary or take distributions, tax-wise?
[tradeoff] term vs whole life insurance — which one makes more financial sense?
[tradeoff] Keep my old 401k where it is or roll it into an IRA?
[tradeoff] Credit card rewards: cash back or travel points for someone who flies twice a year?
How do I calculate the return on a rental property?
What's a capital loss carryover?
how does an ETF stay close to the value of the stocks it holds?
What does a negative P/E ratio mean?
what's the difference between preferred and common stock
How do I value a company using discounted cash flow?
What is a convertible note in startup funding?
Explain the difference between a Roth 401k and an after-tax 401k contribution.
What does it mean when the yield curve is flat?
How does a high inflation rate affect bond funds?
What is a stock's beta telling me?
What's the difference between a bull spread and a bear spread?
explain futures contracts like I run a farm
how do I invest in commodities without buying barrels of oil
Are municipal bonds tax-free?
what is the expense of holding cash when inflation is 4%
How do I pick between a 15% and a 20% down payment?
What is the rule of 72?
What is a sinking fund and how many should I have?
what's a good credit utilization ratio
How long do late payments stay on my credit report?
What's the difference between a hard and a soft credit check?
What does it mean to be "house poor"?
How should I prioritise paying off a 22% credit card versus a 4% student loan?
How does a home equity line of credit work?
What's the difference between a deduction and a credit on my taxes?
Do I have to pay tax on money I receive as a gift?
How does the standard deduction work?
what is the alternative minimum tax
Can I contribute to an IRA if I already have a 401k at work?
I moved states mid-year. How do I file taxes in both?
how does VAT work for a small online shop selling to other EU countries?
How do I pay myself from a sole proprietorship?
What's the difference between a balance sheet and a P&L?
how do I calculate gross margin vs net margin
What is accrued revenue?
How do I depreciate a company laptop over three years?
What is a chart of accounts?
how do I reconcile my business bank account each month
What's deferred tax and why is it on the balance sheet?
What is a cap table?
How do venture capital firms make money?
What happens to my shares if the company I invest in gets acquired?
what is a dividend yield and is 8% too good to be true?
What does it mean to short a currency?
why did the stock drop even though earnings beat expectations?
How do I read an options chain?
What's the difference between a stablecoin and bitcoin, financially?
Is staking crypto taxable income?
What is a Health Savings Account's triple tax advantage?
How much life insurance do I need with two kids and a mortgage?
What does my deductible mean on health insurance?
Is renters insurance worth it?
How do I start an emergency fund if I live paycheck to paycheck?
How much should I spend on rent relative to my income?
how do I build credit with no credit history?
What's a secured credit card?
Should I keep my money in a high-yield savings account or a money market fund?
how does compound interest work on a savings account that pays monthly?
I'm 40 with nothing saved for retirement. What should I do first?
How does a pension differ from a 401k?
what is a target retirement number and how do I work mine out?
Explain the 4% withdrawal rule.
<<< [multiline]
My paycheck:
  Gross 5,200.00
  Federal tax -612.40
  Social Security -322.40
  Medicare -75.40
  401k -260.00
Why is my take-home so much lower than I expected?
>>>
<<< [multiline]
Portfolio right now:
  US total market fund 70%
  International fund 10%
  Bonds 20%
I'm 33. Is this too conservative or too aggressive?
>>>
<<< [multiline]
Loan A: 10,000 at 6.5% for 5 years
Loan B: 10,000 at 5.9% for 7 years
Which costs me less overall, and how should I think about the monthly payment?
>>>
[typo] shud i put my bonus in stocks or pay of my car lol
[typo] whats a index fund and y does every1 say buy them
[typo] how do taxs work if i have 2 jobs
[typo] is it bad to only pay the minimun on my credit card
[typo] explan dividends to me like im 12
[non-english] ¿Qué es un fondo indexado y cómo empiezo a invertir?
[non-english] Wie funktioniert die Abgeltungsteuer auf Aktiengewinne?
[non-english] Est-ce que je devrais rembourser mon prêt étudiant avant d'investir ?
[non-english] Como funciona o Tesouro Direto para quem está começando?
[non-english] Conviene aprire un conto deposito o investire in ETF?
[non-english] Wat is het verschil tussen sparen en beleggen?
What is the difference between a broker and a market maker?
Why do companies issue bonds instead of just borrowing from a bank?
What's a SPAC?
"""

PROMPTS["creative"] = r"""
Write a poem about the sound of a kettle on a winter morning
write a short story where the last human on Earth hears a knock at the door
Give me five names for a hot sauce brand with a volcano theme
a limerick about a penguin who moves to the desert
Write a haiku sequence about a night shift at a hospital
compose a lullaby for a baby born during a thunderstorm
Write a sonnet to my favourite pair of boots
Write a rap battle between Newton and Einstein, keep it friendly
Invent a legend about why owls stay awake at night
Write a fairy tale about a baker who bakes dreams into bread
Describe a rainy market in Hanoi in lush, sensory prose
Give my detective a signature quirk and a catchphrase
Write the first page of a cozy fantasy novel about a librarian witch
write a bedtime story about a sleepy cloud for a 3 year old
Create a backstory for a cyberpunk mercenary with a soft spot for stray cats
Write a short horror story that takes place entirely in a group chat
write an apology letter from my dog for eating the couch
Write a love poem that never uses the word love
Brainstorm titles for my memoir about growing up on a fishing boat
Name ideas for a board game café in a university town
Come up with a tagline for a dentist who wants to seem friendly
Slogan for a bike-sharing scheme in a hilly city
Write ad copy for a Facebook post announcing our bakery's new croissant
Write a product description for a handmade leather notebook, a bit poetic
Write a jingle for a car wash called Suds & Shine
Come up with a punny name for a cheese shop
Write a speech for my grandfather's 90th birthday party, funny and warm
Help me write a eulogy for my aunt who loved gardening and terrible jokes
Write a retirement card message for a teacher who taught for 35 years
Draft a toast for my best friend's engagement party
Write vows for a beach wedding, under a minute to read aloud
Write a funny poem for a farewell card for a coworker moving to Canada
Write song lyrics about missing someone who lives across an ocean
Write a chorus for an upbeat summer pop song
Write a country song verse about a dog named Biscuit
Write a spoken-word piece about growing up bilingual
Write a scene where two astronauts argue over the last coffee on the station
Write a dialogue between the sun and the moon about who works harder
Write a monologue for a tired superhero at a therapy session
Write a sketch where a medieval knight tries to use a smartphone
Give me three plot twists for a heist story
Pitch a TV series about a family running a haunted hotel
Give me a premise for a mystery set on a night train across Europe
Describe a magic system based on music
Invent a sport played on the moon and describe its rules
Worldbuilding: describe the capital city of an underwater empire
Create three villains for a kids' cartoon about recycling
Write a riddle for an escape room where the answer is "a candle"
Make up a tongue twister about a tiny turtle
Write a Valentine's card poem for my wife of 20 years
Write a funny poem about my toddler's bedtime negotiations
Write a limerick for my colleague who always brings cake on Fridays
Write a silly song about socks for a preschool class
Write a ghost story for a sleepover that's spooky but not too scary
Continue this story: "The map had one island that wasn't there yesterday."
Rewrite this paragraph so it sounds like a Victorian novel: "I went to the shop and bought milk."
Turn my shopping list into a haiku: bananas, coffee, bin bags
Rewrite my bio to sound more adventurous
Write a short poem in the style of Emily Dickinson about a bus stop
Write a parody of a nature documentary narrating my cat's breakfast
Write a mock movie trailer voiceover for my family's camping trip
Write an epic poem about the office printer that always jams
write a 50-word story about a lost key
write a micro-fiction piece using only dialogue
Write a poem about moving house, with a hopeful ending
Give me a name for my golden retriever that sounds like a Victorian gentleman
Give me ten names for a sci-fi space station
Come up with names for a café that's also a bike repair shop
Suggest a title for my photo exhibition about city rooftops
Write a witty caption for a photo of my dog in a raincoat
Write a motivational quote for a team starting a hard project
Write a fun invitation for my kid's dinosaur-themed 6th birthday
Write a short poem to go with a bouquet of sunflowers
Write a scary story in exactly 100 words
Compose a short ballad about a sailor who never learned to swim
<<< [multiline]
Here's my draft opening:
  "Mara had always hated the sea, which was a problem, because she lived on a boat."
Write the next paragraph in the same tone.
>>>
<<< [multiline]
Poem so far:
  The city hums in amber light,
  the buses sigh and roll away,
Finish it with two more verses that rhyme.
>>>
<<< [multiline]
Characters: a grumpy lighthouse keeper, a runaway circus seal.
Setting: a storm on the Cornish coast.
Write the scene where they meet.
>>>
[typo] can u write a poem abt my best freind moving away
[typo] need a funy name for my fantasy footbal team
[typo] write me a storry about a dragon who cant breath fire
[typo] giv me a cute caption for my cat pic
[typo] rite a short rap abt pizza lol
[non-english] Escribe un cuento corto sobre un robot que aprende a bailar
[non-english] Schreib mir ein lustiges Gedicht über meinen Hund
[non-english] Écris un poème sur l'automne à Paris
[non-english] Escreva uma história curta sobre um gato detetive
[non-english] Scrivi una breve poesia sul mare d'estate
[non-english] Verzin een grappige naam voor mijn bakkerij
"""

PROMPTS["general"] = r"""
[everyday] how long do I cook a soft-boiled egg at high altitude?
[everyday] what's the best way to store fresh herbs so they last?
[everyday] how do I get rid of the smell in my fridge
[everyday] is it safe to reheat rice the next day?
[everyday] can I put a cast iron pan in the dishwasher
[everyday] how do I get limescale off my shower head
[everyday] what's a good temperature for a bedroom to sleep well
[everyday] how do I stop my glasses from fogging up with a mask
[everyday] is it ok to mix bleach and vinegar for cleaning? (I think not?)
[everyday] how do I know if a watermelon is ripe
[everyday] how long can I keep leftover soup in the fridge
[everyday] how should I store potatoes and onions
[everyday] what's the fastest way to cool down a hot car
[everyday] should I put ice on a sprained ankle or heat
[everyday] how do I get candle wax off a tablecloth
[everyday] why does my dog eat grass and should I stop him
[everyday] how often should I water a snake plant
[everyday] how do I keep mosquitoes away on the balcony without chemicals
[everyday] how do I get my sourdough starter to rise more
[everyday] how do I tell if eggs are still fresh
[gift] gift ideas for a coworker I don't know well, under $20
[gift] what should I bring as a host gift to a dinner in Japan
[gift] my dad has everything. what do I get him for his 70th?
[gift] ideas for a first anniversary present that isn't jewellery
[party] how do I plan a surprise party without the person finding out
[party] what food should I serve at a kids' birthday party for 15 children
[party] how many bottles of wine for a party of 30 people
[party] fun games for a family reunion with all ages
[card] what do you write in a sympathy card for a coworker
[card] what's an appropriate message for a baby shower card
[tradeoff] hotel or Airbnb for a family of five in Rome?
[tradeoff] should I drive or take the train from Munich to Vienna?
[tradeoff] gas or induction stove for a small apartment kitchen?
[tradeoff] city bike or e-bike for a 10 km commute?
[tradeoff] Is it better to buy a real Christmas tree or a fake one?
[tradeoff] should I learn Spanish with an app or with a tutor?
[tradeoff] cat or rabbit for a small flat with kids?
[tradeoff] should I take the morning flight or the red-eye?
[tradeoff] hardwood floors or carpet in a bedroom, what are the pros and cons?
[tradeoff] is a standing desk worth it or just a fad?
what's the capital of Australia
Which country has the most islands?
when did the Berlin Wall fall?
how many players are on a rugby team
what's the national animal of Scotland
who is the author of The Hobbit
What's the biggest desert in the world?
which ocean is the deepest
When was the first Olympic Games held?
How many time zones does Russia have?
what does RSVP stand for
what does "bless you" after a sneeze come from
What's the difference between a crocodile and an alligator?
how do I introduce myself at a new job
how do I ask for a raise without sounding greedy
what should I say when someone tells me their pet died
how do I make new friends in my 30s
how do I deal with a coworker who takes credit for my work
my teenager won't talk to me, any advice?
how do I get my baby to stop waking up at 5am
how do I potty train a puppy
how much exercise does a border collie need
What's a good morning routine if I want to feel less rushed?
how can I get better at remembering things I read
tips for packing light for a two-week trip
what to do on a layover in Singapore for 8 hours
Is it safe to drink tap water in Mexico City?
what's the best time to see the northern lights in Norway
How early should I arrive at the airport for an international flight?
what are some fun things to do in Chicago in winter
what should I know before visiting a temple in Thailand
how do I change a flat tire
how do I hang a heavy mirror on drywall
what's the easiest way to paint a room without making a mess
how do I reset my router
how do I back up photos from my phone to my laptop (just once)
how do I make a good first impression at a job interview
What are good questions to ask at the end of an interview?
is it OK to wear sneakers to the office
how do I stop biting my nails
how can I drink more water during the day
I can't sleep before big days, any tips?
what's a healthy snack for work
how do I start meditating
thanks a lot, that was helpful!
hello! how's your day going?
can you tell me a bit about yourself?
good night, talk tomorrow
what's your opinion on cats vs dogs?
how are you doing today
lol that's funny
<<< [multiline]
Shopping list for a week of dinners for two:
- pasta, tomatoes, onions
- chicken thighs
- rice
What else should I add so we eat something different every night?
>>>
<<< [multiline]
Our weekend in Porto:
Saturday: Ribeira, Livraria Lello
Sunday: ???
What should we do on Sunday if it rains?
>>>
<<< [multiline]
Moving checklist:
1. book the van
2. change address
3. ...
What am I missing for moving out of a rented flat?
>>>
[typo] wats a good movie to watch tonite
[typo] how do i get gum out of my hair
[typo] im so tired all the time any tips
[typo] hw long do i boil pasta
[typo] whats the best way to clean white sneekers
[typo] recomend a book like harry potter for adults
[non-english] ¿Qué puedo hacer un domingo en Madrid?
[non-english] Wie bekomme ich Rotweinflecken aus der Tischdecke?
[non-english] Quelle est la meilleure façon de bien dormir ?
[non-english] O que levar numa viagem de praia com crianças?
[non-english] Come si prepara un buon caffè con la moka?
[non-english] Wat is een leuk uitje voor een regenachtige dag met kinderen?
"""


# Blocks written after the prompts above were split (data/build_router.py gives each a generator of its
# own, so adding them moved no earlier prompt between train and heldout): the hard_math label, and math
# prompts written with it to mark the line between the two from the math side (textbook proofs,
# coursework in LaTeX and other languages, one-step counting and probability).
LATE_PROMPTS: dict[str, str] = {}

LATE_PROMPTS["hard_math"] = r"""
What is the remainder when 3^2024 is divided by 7?
find the last two digits of 7^2023
What's the units digit of 13^47 + 17^29?
How many positive divisors does 7200 have?
What is the sum of all positive divisors of 360?
Find the smallest n such that n! ends in exactly 25 zeros.
How many trailing zeros does 2025! have?
How many integers from 1 to 1000 are divisible by none of 2, 3 and 5?
Find all pairs of positive integers (x, y) with 7x + 11y = 200.
What is the smallest positive integer that leaves remainder 2 when divided by 3, 4, 5 or 6 and is a multiple of 7?
Find the largest prime factor of 2^20 - 1.
Compute Euler's totient of 1001.
Use Fermat's little theorem to get 2^100 mod 13
How many perfect squares divide 10!?
What is gcd(2^48 - 1, 2^36 - 1)?
For how many integers n is (n + 12)/(n - 3) an integer?
Find all primes p for which p^2 + 2 is also prime.
What is the last digit of 2024^2024 when it is written in base 7?
How many ordered triples of positive integers (a, b, c) satisfy abc = 2000?
What is the remainder when 1! + 2! + 3! + ... + 100! is divided by 12?
How many three-digit numbers have digits adding up to 12?
What's the smallest positive integer whose digits multiply to 360?
Find the number of positive integers below 10^4 that are perfect squares or perfect cubes.
How many distinct arrangements of the letters in MISSISSIPPI are there?
In how many ways can the letters of STATISTICS be arranged if the three S's must stay together?
How many ways can 8 people sit in a row if two of them refuse to sit next to each other?
Five couples sit at a round table. In how many ways can they sit so that every couple is side by side?
How many non-negative integer solutions does x + y + z + w = 12 have?
Count the lattice paths from (0,0) to (5,4) made of unit steps right and up that avoid the point (2,2).
How many ways are there to choose 3 numbers from 1 to 20 so that their sum is even?
How many subsets of {1, 2, ..., 10} contain no two consecutive numbers?
Count the binary strings of length 10 with no two consecutive 1s.
Six letters go into six addressed envelopes at random. In how many ways does no letter end up in its own envelope?
How many rectangles are there on an 8×8 chessboard?
Ten points lie on a circle and every pair is joined by a chord, with no three chords meeting at one inside point. How many intersection points are inside the circle?
How many triangles can be formed from 12 points in a plane if 5 of them lie on one line and no other three are collinear?
A committee of 5 is chosen from 7 men and 6 women and must have at least 2 of each. How many committees are possible?
How many 4-digit numbers have strictly increasing digits?
How many positive integers up to 10,000 have digits that sum to 9?
In how many ways can the faces of a cube be painted with 6 different colours, one per face, if rotations count as the same?
How many ways can 12 identical balls go into 4 distinct boxes if every box gets at least 2?
How many 3×3 matrices with entries 0 or 1 have exactly one 1 in each row and each column?
A regular 20-gon: how many diagonals does it have, and how many of them pass through the centre?
How many positive integers less than 1000 contain at least one digit 7?
Three fair dice are rolled. What is the probability that the sum is 10?
Which is more likely: at least one six in four rolls of a die, or at least one double six in 24 rolls of two dice?
What is the probability that a 5-card poker hand is a full house?
Two cards are drawn from a deck without replacement. What is the probability both are hearts, given that at least one is a heart?
A fair coin is flipped 10 times. What is the probability that no two heads come up in a row?
An urn has 5 red, 4 blue and 3 green balls and 3 are drawn. What's the probability they are all different colours?
If I pick a random integer from 1 to 100, what's the probability it's divisible by 3 or by 7?
Two numbers are picked without replacement from {1, 2, ..., 9}. What's the probability that their product is a perfect square?
A point is chosen at random inside a square of side 2. What is the probability that it lies within distance 1 of the centre?
a_1 = 1 and a_(n+1) = 2a_n + 1. What is a_10?
Compute 1/(1·3) + 1/(3·5) + ... + 1/(99·101).
Find 1^2 + 2^2 + ... + 50^2.
What is the sum of all three-digit multiples of 7?
What is the remainder when the 100th Fibonacci number is divided by 5?
Evaluate floor(1/3) + floor(2/3) + ... + floor(100/3).
Find 1·2 + 2·3 + 3·4 + ... + 20·21.
The 3rd term of a geometric sequence is 12 and the 6th is 96. What is the sum of its first 8 terms?
An arithmetic sequence has a_5 = 17 and a_12 = 45. Which term equals 101?
If r and s are the roots of x^2 - 7x + 3 = 0, find r^2 + s^2 and r^3 + s^3.
x + 1/x = 5, what is x^3 + 1/x^3?
f(x) + 2f(1 - x) = 3x for every real x. Find f(5).
What is the remainder when x^100 is divided by x^2 - 1?
What's the minimum value of x + 9/x for x > 0? AM-GM I guess?
If a + b + c = 6, ab + bc + ca = 11 and abc = 6, find a^2 + b^2 + c^2 and a^3 + b^3 + c^3.
How many pairs of positive integers (x, y) satisfy x^2 - y^2 = 45?
A polynomial leaves remainder 3 when divided by x - 1 and remainder 5 when divided by x - 2. What is its remainder when divided by (x - 1)(x - 2)?
f is linear and f(f(x)) = 4x + 9. Find every possible f.
How many right triangles with integer sides have a leg of length 12?
A right triangle has integer sides and perimeter 60. What can its hypotenuse be?
How many lattice points lie on the circle x^2 + y^2 = 65?
Each interior angle of a regular polygon is 156 degrees. How many sides does it have?
Triangle with vertices (1,2), (7,5) and (4,11): find its area and the number of lattice points strictly inside it.
Chords AB and CD of a circle meet at P, with AP = 4, PB = 9 and CP = 6. Find PD.
In square ABCD with side 12, E is the midpoint of CD and AE meets the diagonal BD at F. What is the area of triangle DEF?
AMC 10 style: how many positive integers n <= 100 make n^2 + n + 1 a multiple of 7?
AIME-style: find the number of positive integers less than 1000 that equal 7 times the sum of their digits
olympiad number theory: find all positive integers n such that 2^n + 1 is divisible by 3
When should I use complementary counting instead of inclusion-exclusion? Show me on a competition problem.
Give me a hard counting problem to practise for a math olympiad, and hide the answer.
Explain the stars and bars method with a worked example.
How does Legendre's formula count the power of 3 in 100!?
What's the trick for problems like "find the remainder of a huge power"? I'm training for math competitions.
Can you walk me through a pigeonhole argument for a number theory contest problem?
[typo] remainder of 2^100 divded by 7?? how do u even start
[typo] how many ways to arange the letters in BOOKKEEPER
[typo] help w/ this combinatorics q: 4 boys 4 girls alternate in a row how many ways
[typo] amc question i cant get: how many 3 digit numbers have digit sum 15
[typo] wats the trick for finding last digit of 3^999
[typo] number of divisors of 2^4*3^3*5 ? is it just multiply the exponents+1
[typo] probabilty that 2 dice show diffrent numbers and the sum is 8
[typo] stuck on recurrence a(n)=a(n-1)+a(n-2), a1=1 a2=3, whats a10
[typo] pls check: i said 50! has 12 trailing zeros, is that rite
[typo] how mny positive integers < 500 are coprime to 500
[typo] x+y=10 xy=21 find x^3+y^3 quick pls
I'm coaching a middle-school math team and one practice problem is driving me crazy: how many ways can you climb a staircase of 15 steps if each move is one, two or three steps at a time, and you are never allowed two 3-step moves in a row? I'd love the method, not just the number.
Here's a question from last year's school competition that nobody could solve: the numbers 1, 2, 3, ..., 20 are written on a board, and at each step you erase two numbers a and b and write a + b + ab instead. After nineteen steps one number is left. What is it, and why doesn't the order matter?
2^2024 mod 5?
derangements of 5 objects
C(20,10) mod 7?
trailing zeros in 1000!
[non-english] ¿Cuántos divisores positivos tiene 720?
[non-english] ¿De cuántas maneras se pueden ordenar las letras de la palabra PAPAYA?
[non-english] Wie viele Möglichkeiten gibt es, 10 gleiche Kugeln auf 4 Kisten zu verteilen?
[non-english] Welchen Rest lässt 5^100 bei Division durch 13?
[non-english] Combien y a-t-il de nombres à trois chiffres dont la somme des chiffres vaut 10 ?
[non-english] Quantos zeros tem no final de 200!?
[non-english] Qual é a probabilidade de obter soma 9 lançando três dados?
[non-english] Quanti sono i numeri interi da 1 a 1000 divisibili per 3 o per 5?
[non-english] In quanti modi si possono scegliere 4 numeri da 1 a 15 senza che due siano consecutivi?
[non-english] Hoeveel positieve delers heeft 1000?
[non-english] Wat is de rest als 3^50 gedeeld wordt door 8?
[latex] $\sum_{k=0}^{10} \binom{10}{k}^2$ = ?
[latex] Find $n$ such that $\binom{n}{2} = 105$.
[latex] Compute $7^{2024} \bmod 100$.
[latex] Find the number of ordered pairs $(a, b)$ of positive integers with $\operatorname{lcm}(a, b) = 72$.
[latex] If $x^2 - 5x + 1 = 0$, compute $x^4 + \frac{1}{x^4}$.
[latex] How large can $\gcd(n^2 + 1, (n+1)^2 + 1)$ be?
[latex] How many solutions does $x_1 + x_2 + x_3 = 20$ have with every $x_i \ge 2$?
[latex] Find the coefficient of $x^5$ in $(1 + 2x)^{10}$.
[latex] Evaluate $\sum_{n=1}^{99} \frac{1}{\sqrt{n} + \sqrt{n+1}}$.
<<< [multiline]
I'm practising for a math olympiad. Problem:
Find all positive integers n such that n^2 + 2n + 12 is a perfect square.
My idea was to complete the square but I got stuck.
>>>
<<< [multiline]
Problem 3 (counting):
How many 6-digit strings of 0s and 1s contain the block 11 somewhere?
My answer: 43. The book agrees but I don't see why my method works.
>>>
<<< [multiline]
a_1 = 3
a_n = 3^(a_(n-1))
What is the last digit of a_2024?
>>>
<<< [multiline]
Need help checking my solution.
Q: How many integers from 1 to 600 are divisible by 4, 6 or 10?
My work: 150 + 100 + 60 - 50 - 30 - 20 + 10 = 220
>>>
What is the remainder when 2^2025 + 3^2025 is divided by 5?
Find the last digit of 1^1 + 2^2 + 3^3 + ... + 10^10.
How many zeros does 30! end in when it is written in base 12?
What is the smallest prime that divides 3^11 + 5^13?
How many positive integers n up to 1000 have an odd number of positive divisors?
2^29 has nine different digits. Which digit from 0 to 9 is missing?
Solve the congruence 17x ≡ 3 (mod 29).
How many integers between 100 and 999 are divisible by 3 but contain no digit 3?
What is the largest integer that divides n^4 - n^2 for every integer n?
Is 2^32 + 1 prime? If not, find a factor.
Write 2025 in base 3 and give the sum of its digits.
How many solutions does x^2 ≡ 1 (mod 120) have with 0 <= x < 120?
How many ways can the letters of ARRANGE be arranged so that the two R's are not next to each other?
How many ways are there to pick 4 cards from a standard deck so that every suit appears once?
How many 7-digit numbers use only the digits 1, 2 and 3, with each of them appearing at least once?
How many different necklaces of 6 beads can be made from 2 colours if rotations count as the same?
Four married couples sit at a round table with men and women alternating. How many seatings are there?
In how many ways can a 4×4 board be coloured black and white so that every row and every column has exactly two black squares?
How many triangles with vertices among the vertices of a regular hexagon share no side with the hexagon?
How many onto functions are there from a 5-element set to a 3-element set?
Three points are chosen at random on a circle. What is the probability that the triangle they form contains the centre?
I roll a die until a 6 comes up. What is the probability that it takes an even number of rolls?
Two people each flip 3 fair coins. What's the probability they get the same number of heads?
What is the probability that a 5-card hand has exactly one pair?
A box of 12 bulbs has 3 defective ones and 4 are taken at random. Find the probability that at least one is defective.
The letters of LEVEL are shuffled at random. How likely is the result to be a palindrome?
What is the 2025th term of 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, ...?
a_1 = 2 and a_(n+1) = a_n + 2n. What is a_50?
What's the sum of all integers from 1 to 1000 that are multiples of neither 3 nor 5?
What is 1 + 2 + 4 + ... + 2^20 modulo 7?
Evaluate 1·1! + 2·2! + 3·3! + ... + 10·10!.
Express F_1 + F_2 + ... + F_20 as a single Fibonacci number minus something.
If x + y = 7 and x^2 + y^2 = 29, find x^4 + y^4.
Both roots of x^2 + px + q = 0 are integers and p + q = 198. Find the roots.
What is the remainder when x^2025 + 1 is divided by x^2 + x + 1?
For how many real numbers a does x^2 + ax + 6a = 0 have only integer roots?
A circle is inscribed in a right triangle with legs 20 and 21. What is its radius?
How many isosceles triangles with integer sides have perimeter 30?
The diagonals of a rhombus are 10 and 24. What is the radius of the circle inscribed in it?
What does "WLOG" mean in olympiad solutions, and when is it allowed?
How do generating functions help count the ways to make change? A contest example please.
Explain the Chinese remainder theorem through a worked competition problem.
Which number theory theorems should I know cold before the AIME?
[typo] cant figure out how many zeros 125! ends with, i got 28
[typo] math team q: sum of all 4 digit numbers using digits 1,2,3,4 once each??
[typo] wat is the coefficent of x^3 in (x+2)^7
[typo] my olympiad book says 'by pigeonhole' and skips like 3 steps, can someone fill them in
[typo] lol how many ways to make change for a dollar with pennies nickels dimes quarters
[typo] mod arithmetic help: 5^2025 mod 11 ??
[latex] Find the number of integer solutions of $x^2 - y^2 = 2024$.
[latex] Compute $\sum_{k=1}^{50} k \binom{50}{k}$.
[latex] How many 3-element subsets of $\{1, 2, \dots, 12\}$ have a sum divisible by 3?
[latex] Solve $x^3 \equiv 1 \pmod{13}$.
<<< [multiline]
Olympiad training set, problem 7.
Let S(n) be the digit sum of n. Find S(S(S(4444^4444))).
The hint says use mod 9 but I don't get the bounds.
>>>
<<< [multiline]
I tried this one for an hour:
How many 10-letter strings of A and B have no three A's in a row?
I keep double counting.
>>>
Mathcounts-style: how many positive three-digit integers have digits whose product is 24?
HMMT-style: find all positive integers n for which n^2 + 9n + 30 is a perfect square.
UKMT challenge question: what is the smallest positive multiple of 9 written only with the digits 1 and 0?
How many positive integers up to 2025 are one more than a multiple of 4 and one less than a multiple of 5?
What is 123456789 × 987654321 modulo 9?
How many positive integers below 1000 can be written as a difference of two perfect squares?
In how many ways can 10 be written as an ordered sum of positive integers?
In how many ways can 5 identical red balls and 3 identical blue balls be lined up with no two blue balls adjacent?
A die is rolled three times. What is the probability that the three results are strictly increasing?
What is the expected number of fixed points of a random permutation of 10 elements?
Two different integers are chosen from 1 to 20. What's the probability that their sum is divisible by 4?
Find the sum of all positive divisors of 2^10 × 3^2.
What is the product of all the positive divisors of 36?
How many integers n with 1 <= n <= 500 satisfy gcd(n, 30) = 1?
A sequence has a_(n+2) = a_(n+1) - a_n, a_1 = 1 and a_2 = 3. Find a_2025.
f(x) = x^2 + bx + c has two consecutive integers as roots and f(0) = 30. What can b be?
Add up the squares of the four roots of x^4 - 3x^3 + 2x - 7 = 0.
A right triangle has perimeter 30 and area 30. How long is its hypotenuse?
[latex] Find the remainder of $2^{2^{10}}$ modulo 7.
[latex] Let $S = \sum_{k=1}^{20} k^3$. Find $S \bmod 11$.
[latex] How many positive integers $n \le 100$ have $\tau(n) = 4$?
[typo] need help w number theory hw: find n so that n^2+1 is divisble by n+1
[typo] combinatorics: how many ways to seat 6 ppl in a row so 2 friends are always together
[typo] prep for maths olympiad, what is 3^200 mod 7 and how do u do these fast
"""

LATE_PROMPTS["math"] = r"""
[proof] Prove that the square of an odd number is odd.
[proof] Show that the angles of a triangle sum to 180 degrees using a line parallel to one side.
[proof] Use induction to prove 1 + 2 + ... + n = n(n+1)/2.
[proof] Prove that the empty set is a subset of every set.
[proof] Show that a differentiable function is continuous.
[proof] prove that the inverse of a bijection is a bijection
[proof] Prove that the diagonals of a parallelogram bisect each other.
[proof] my calculus teacher said e is irrational. how is that proved?
[latex] $\int x e^{2x} \, dx$
[latex] Find $\lim_{x \to 0} \frac{1 - \cos x}{x^2}$.
[latex] Solve $\frac{x}{2} + \frac{x}{3} = 10$.
[latex] $\frac{d}{dx} \sin(x^2)$
[latex] Compute $\det \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}$.
[latex] Simplify $\sqrt{50} + \sqrt{18}$.
[non-english] ¿Cuál es la integral de 1/x?
[non-english] Was ist die Ableitung von x^3?
How many ways can 6 people stand in a line?
What's the probability of rolling a 4 on a fair die?
What is the probability of drawing a red card from a standard deck?
How many outfits can I make from 4 shirts and 3 pairs of trousers?
What's 10 choose 3?
What is the greatest common factor of 36 and 60?
List the prime factors of 84.
What does mod mean on my calculator?
What's the formula for the nth term of an arithmetic sequence?
Solve x^2 + 6x + 9 = 0.
Expand (x + 3)^3.
What is the sum of the angles in a pentagon?
Find the volume of a sphere of radius 3.
A bike costs 400 after a 20% price increase. What did it cost before?
[typo] how do i add fractons with diffrent denominators
[typo] is 91 a prime number or not
[typo] whats the mean vs median again
[typo] derivitive of 5x^2 + 3x pls
[proof] Prove from the definition that the derivative of x^2 is 2x.
[proof] Show that every convergent sequence is bounded.
[proof] Prove that a matrix with two equal rows has determinant zero.
[proof] Prove that the three medians of a triangle meet in one point.
[proof] Use induction to show that 3^n >= 2n + 1 for every n >= 0.
[proof] Prove De Morgan's laws for two sets.
[proof] Show that the composition of two linear maps is linear.
[proof] Derive the quadratic formula by completing the square.
[proof] why is log(ab) = log(a) + log(b)? a proof please
[proof] Prove that the base angles of an isosceles triangle are equal.
[proof] Show that n^5 - n is divisible by 30 for all integers n.
[proof] Prove that 7 divides 2^(3n) - 1 for every positive integer n.
[proof] Show that x^2 + y^2 = 4003 has no solutions in integers.
[proof] prove that among any five integers there are three whose sum is a multiple of 3
[proof] Show that 1/1^2 + 1/2^2 + ... + 1/n^2 < 2 for every positive integer n.
[proof] Prove that (a + b)(b + c)(c + a) >= 8abc for positive reals a, b, c.
[proof] Show that the product of four consecutive integers, plus one, is always a perfect square.
[proof] Prove that among any six integers some two differ by a multiple of 5.
[typo] olympiad prep, how do i show 3 divides n^3 + 2n for every n
[non-english] Montrer que 5 divise 2^(4n) - 1 pour tout entier n ≥ 1.
[proof] Let $a_1 = 2$ and $a_{n+1} = a_n^2 - a_n + 1$. Show that the $a_n$ are pairwise coprime.
[proof] Prove that n^2 + 3n + 5 is never divisible by 121.
[proof] Show that among any 10 points in a unit square, some two are at most sqrt(2)/3 apart.
[proof] Prove that if a + b + c = 0 then a^3 + b^3 + c^3 = 3abc.
<<< [proof]
Prove:
for positive reals a, b, c with abc = 1,
a + b + c >= 3.
I know AM-GM but how do I write it up properly?
>>>
What is the modulus of the complex number 3 - 4i?
Find the limit of (2n + 1)/(n - 3) as n goes to infinity.
Find the Maclaurin series of cos x up to the x^4 term.
Find the equation of the circle with centre (2, -1) and radius 5.
How do I find the interquartile range of a data set?
What is a prime number, and is 2 really one?
Round 2.675 to two decimal places.
Factorise 6x^2 - x - 2.
Find the inverse function of f(x) = (2x + 1)/3.
What's the area of an equilateral triangle with side 6?
Solve the simultaneous equations y = 2x + 1 and y = x^2 - 2.
Convert 1 square kilometre into hectares.
A spinner has 5 equal sections numbered 1 to 5. What's the chance of landing on an even number?
How many different sandwiches can I make with 3 breads, 4 fillings and 2 sauces?
What is 8 factorial divided by 6 factorial?
Explain what the domain and range of a function are.
What does it mean for two events to be independent?
[non-english] Was ist der Unterschied zwischen Mittelwert und Median?
[non-english] Comment trouver le PGCD de 48 et 18 ?
[non-english] Hoe reken ik 15% korting uit op 60 euro?
[non-english] Wat zegt de stelling van Pythagoras?
[latex] $\lim_{n \to \infty} \left(1 + \frac{2}{n}\right)^n$
[latex] Find $\int_0^1 (3x^2 + 2x) \, dx$.
[latex] Simplify $\frac{x^2 - 1}{x^2 + 2x + 1}$.
[typo] wats the diffrence between mean and mode
[typo] how to find the slope from 2 points again
[typo] can u explain integration by subsitution
"""


# Competition-style prompts written into the math block before the hard_math label existed. They stay
# where they are, so the split generator sees the list it always saw, and build_router.py files them
# under hard_math with the split they already had.
RELABELLED = {
    "How many 5-card hands contain exactly two aces?": "hard_math",
    "In how many ways can 10 identical candies be shared among 3 children?": "hard_math",
    "Find all integer solutions to 3x + 5y = 1": "hard_math",
}


def items_by_label() -> dict[str, list[tuple[str, str]]]:
    """Each label's (text, tag) pairs in file order."""
    return {label: parse_block(block) for label, block in PROMPTS.items()}


def late_items_by_label() -> dict[str, list[tuple[str, str]]]:
    """The later blocks' (text, tag) pairs per label, in file order."""
    return {label: parse_block(block) for label, block in LATE_PROMPTS.items()}
