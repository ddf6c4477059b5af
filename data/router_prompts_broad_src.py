"""More hand-written training prompts for the domain classifier (issue 14: a router that generalises).

Written for ModRoute by the project team (not copied from any dataset), after the held-out set in
``router_heldout_src.py`` and apart from it: same label rules (data/README.md), other questions.
``router_prompts_src.py`` reads like short chat messages in English; these widen what a new user
types: SQL, regular expressions, Go, JavaScript/TypeScript, shell and a dozen other languages and
tools; proofs; trade-off questions filed under what is being traded; everyday questions that sound
like science or like a writing request; one-liners up to several sentences with pasted code, error
output or data; casual text with typos; a few prompts in Spanish, German, French, Portuguese,
Italian and Dutch. Format: data/prompt_blocks.py (tags here are notes for the reader only).
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

def items_by_label() -> dict[str, list[tuple[str, str]]]:
    """Each label's (text, tag) pairs in file order."""
    return {label: parse_block(block) for label, block in PROMPTS.items()}
