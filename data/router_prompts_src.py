"""Hand-written user prompts for the domain classifier, one per line, grouped by label.

Written for ModRoute by the project team (not copied from any dataset). Label rules:
- code: programming, debugging, languages, algorithms, tooling around writing software.
- reasoning: logic puzzles, riddles, deductions, fallacies, argument analysis.
- automation: automating workflows, tool/API use, scripts that do chores, scheduling, integrations.
- math: computation, algebra, calculus, geometry, probability, word problems.
- hard_math (added later, see RELABELLED below and router_prompts_broad_src.py): competition-style problems.
- science: physics, chemistry, biology, astronomy, earth science explanations.
- finance: personal finance, investing, accounting, taxes, markets.
- creative: stories, poems, lyrics, slogans, names, jokes.
- general: chit-chat, everyday advice, facts, travel, cooking, light health.
"""

PROMPTS: dict[str, str] = {}

PROMPTS["code"] = r"""
how do i reverse a string in python
Why does my for loop skip every other element when I remove items from the list inside it?
write a function that checks if a number is prime
What's the difference between == and === in JavaScript?
fix this pls: TypeError: 'NoneType' object is not subscriptable
Can you explain what a closure is, with a small example in JS?
convert this loop into a list comprehension: result = [] / for x in nums: / if x > 0: result.append(x*2)
How do I read a CSV file with pandas and skip the first two rows?
my react component re-renders infinitely when I call setState inside useEffect, why
Implement binary search in C++.
What does git rebase -i actually do?
sql query to get the second highest salary from an employees table
explain big O of quicksort, worst case vs average
Rust borrow checker says "cannot borrow `v` as mutable because it is also borrowed as immutable". I don't get it. help
How can I make an HTTP GET request in Go and read the body?
whats a segfault and how do I debug one in C
Write a regex that matches a US zip code with an optional +4 part.
This function is 200 lines long and does five things. What patterns should I use to refactor it?
difference between a process and a thread
How do I center a div horizontally and vertically with flexbox?
python dict vs defaultdict, when to use which
Write unit tests for a function that parses dates in the format YYYY-MM-DD.
what is dependency injection, in plain words
Why is my Docker container exiting immediately with code 0?
implement a singly linked list in java with add and remove methods
What's the time complexity of checking membership in a Python set?
How do I undo my last git commit but keep the changes in my working tree?
Typescript: how do I type a function that accepts either a string or an array of strings?
my async function returns Promise {<pending>} instead of the actual value
bash one-liner to count lines in all .py files recursively?
explain recursion like i'm 10 but with a code example
What is the GIL and does it matter for multiprocessing code?
how to handle exceptions in kotlin coroutines
Write a function to flatten a nested list of arbitrary depth.
why does 0.1 + 0.2 not equal 0.3 in javascript
How do I merge two sorted arrays in O(n)?
Convert this Python 2 line to Python 3: print "hello %s" % name
whats the best way to structure a flask app with blueprints
In pandas, how do I group by two columns and get the mean of a third one?
my tests pass locally but fail in CI with ModuleNotFoundError. what am I missing?
Can you review this for bugs? def avg(xs): return sum(xs)/len(xs)
What are Python decorators and when would I write my own?
implement an LRU cache without using functools
How do I write a SQL join that keeps the rows that have no match in the right table?
explain the difference between stack and heap memory
C#: how do I deserialize JSON into a class with System.Text.Json?
What's the idiomatic way to iterate over a map in Go in sorted key order?
Help me write a Dockerfile for a node express app
why is my recursive fibonacci so slow and how do i speed it up
How do generics work in Java, and why can't I make a List<int>?
Swift: what's the difference between if let and guard let?
write a python class for a bank account with deposit and withdraw, raise an error on overdraft
how do i debounce a function in javascript
What is a race condition? Show me one with Python threads.
parse a query string like a=1&b=2 into a dict without using urllib
Is it bad practice to use global variables in Python?
how do you detect a cycle in a linked list
numpy: how do I get the index of the max value in each row?
my kubernetes pod is stuck in CrashLoopBackOff, how do i see the reason
Explain what yield does in Python.
My CSS grid items overflow the container on mobile screens. How do I fix that?
Write a function that returns all permutations of a string.
whats the point of interfaces if abstract classes already exist
how do I profile a slow python script to find the bottleneck
Can you write a trie with insert and search methods?
Why am I getting "IndentationError: unexpected indent"?
Haskell: what is a monad, practically speaking?
implement quicksort in place in python
How do I use async/await with fetch and handle HTTP errors properly?
what does the static keyword mean in C vs in Java
Best way to compare two lists of dicts in Python ignoring order?
How do I add a column with a default value in PostgreSQL without locking a huge table?
Write a Python generator that yields the Fibonacci numbers forever.
explain the observer pattern with a short example
why does my python script say 'list index out of range'
I think my Node.js server has a memory leak, it grows to 2GB after a day. How do I track it down?
What's the difference between let, const and var?
Write a function to validate a filled Sudoku board.
How do I type hint a dict with string keys and list-of-int values?
vim: how do I replace a word in the whole file
Explain REST vs GraphQL for someone building their first API.
fastest way to remove duplicates from a list but keep the order
can u explain what this does: [x for x in range(10) if x % 2]
Write matrix multiplication in plain Python without numpy.
how do I make my python package installable with pip install .
My Java program throws ConcurrentModificationException, what causes it?
implement a stack using two queues
What's tail-call optimization and does Python do it?
How do I mock a database call in pytest?
Write a function that converts Roman numerals to integers.
Should I use a regular class or a dataclass for a simple record type?
why doesnt my regex ^\d+$ match the string "123\n" in java
what is the difference between shallow copy and deep copy
implement dijkstra's algorithm with a priority queue
Angular vs React vs Vue for a small internal dashboard, which would you pick?
Excel VBA: how do I loop through all the sheets in a workbook?
Explain how a hash map works and how collisions are handled.
my golang program crashes with "all goroutines are asleep - deadlock!"
how do I loop over filenames with spaces in bash without it breaking
Write a Python function to check if two strings are anagrams.
what is memoization
Why should I use virtual environments in Python?
How do I return multiple values from a function in C?
convert the timestamp string 2024-03-05T14:22:10Z to a datetime object in python
explain this error: Cannot read properties of undefined (reading 'map')
What's the difference between an abstract syntax tree and a parse tree?
Can you write a simple tic tac toe game for the terminal in Python?
how does garbage collection work in the JVM
rewrite this in a functional style: total = 0; for p in prices: total += p * 1.2
Segment tree vs Fenwick tree, when would I pick one over the other?
help, pip install fails with "error: externally-managed-environment"
What are the SOLID principles? short version pls
my pyhton script cant find the module i just installed, whats going on
In C++, when should I use a unique_ptr instead of a raw pointer?
Write a function that groups a list of words by their first letter.
Hi! I'm learning JavaScript and I keep seeing arrow functions everywhere. How are they different from normal functions, especially with `this`?
how to write a custom hook in react that fetches data
why does my GROUP BY query say column "name" must appear in the GROUP BY clause
when does adding an index to a postgres column actually help
how do I do a left join with the django ORM
explain hash tables to me, I have a coding interview tomorrow
binary tree vs binary search tree, what's the difference
rewrite this bash in python: for f in *.txt; do wc -l $f; done
what does async def actually do in fastapi
my css class isn't being applied even though the name matches, what should I check
reverse a linked list in C, recursive version please
java streams: sum a List<Integer>
my unit test is flaky because it uses datetime.now(), how do I freeze time?
what's wrong here: if x = 5: print(x)
how can i stream a huge json file in node without loading it all into memory
"""

PROMPTS["reasoning"] = r"""
If all bloops are razzies and all razzies are lazzies, are all bloops definitely lazzies?
Three boxes are labeled apples, oranges and mixed, but every label is wrong. You may pick one fruit from one box. How do you fix the labels?
riddle: what has keys but can't open locks
Is this argument valid? "If it rains, the ground gets wet. The ground is wet. Therefore it rained."
Anna is taller than Ben and Ben is taller than Cara. Who's the shortest?
A man looks at a portrait and says "Brothers and sisters I have none, but that man's father is my father's son." Who is in the portrait?
knights and knaves: A says "we are both knaves". what are A and B?
What logical fallacy is "everyone I know likes this movie, so it must be good"?
Five people sit in a row. Dan is somewhere left of Eve, Finn is in the middle, Gia is at the far right and Hal is next to Gia. Who is at the far left?
You have 8 balls and one is slightly heavier. With a balance scale and only two weighings, how do you find it?
whats wrong with this reasoning: my grandpa smoked every day and lived to 95 so smoking cant be that harmful
Which conclusion follows: some teachers are poets, and no poets are lazy?
If the day after tomorrow is Friday, what day was yesterday?
the more you take, the more you leave behind. what am i?
Can you spot the flaw in this: crime went up after the new mayor took office, so the mayor caused the increase.
There are three switches downstairs and one of them controls a bulb in the attic. You can go up only once. How do you find the right switch?
walk me through the deductions in the zebra puzzle, step by step
Two guards: one always lies, one always tells the truth, and one of two doors leads out. What single question do you ask?
Is "nobody has proven ghosts don't exist, so they exist" a valid argument?
The butler says he was in the kitchen, the maid says she saw the gardener in the hall, and the gardener says the butler is lying. If only one of them lies, who is it?
if some cats are black and all black things absorb heat, does it follow that some cats absorb heat
Explain the difference between deductive and inductive reasoning with an example of each
Four people must cross a bridge at night with one torch; they take 1, 2, 5 and 10 minutes and at most two cross at once. What's the fastest plan?
what comes next in the sequence J, F, M, A, M, J, ?
"Students who eat breakfast get better grades, so breakfast improves grades." What evidence would weaken this argument?
Is it correlation or causation: ice cream sales and drownings both go up in summer.
logic puzzle: Alice, Bob and Carol each own a different pet, a cat, a dog and a fish. Alice doesn't have the dog and Bob has the fish. Who has what?
Steelman the case against a four-day work week, then tell me which premise is weakest.
Monty Hall problem: should I switch doors? I need the intuition, not the formula
What's the contrapositive of "if I study, I pass"?
A farmer has to get a wolf, a goat and a cabbage across a river in a boat that holds one item. How?
My friend says that if I don't support this policy I must hate poor people. Which fallacy is that?
riddle me this: I speak without a mouth and hear without ears
Tom finished the race before Sam but after Lia, and Kim came last. Who won?
Which is heavier, a kilo of feathers or a kilo of steel?
If no reptiles have fur and all snakes are reptiles, what can we conclude about snakes?
Can the claim "all swans are white" ever be proven true? Help me think it through.
analogy: book is to library as painting is to ___
A says B is lying. B says C is lying. C says A and B are both lying. Who's telling the truth?
find the hidden assumption: "we should ban phones in class because students did worse in math this year"
Exactly one of these three statements is true: (1) the key is in the box, (2) the key is not in the box, (3) the key is not in the drawer. Where is the key?
is the sentence "this statement is false" true or false??
Break down the prisoner's dilemma for me. Why do both players end up defecting?
Sally has 3 brothers. Each brother has 2 sisters. How many sisters does Sally have?
When is a slippery slope argument a fallacy, and when is it actually reasonable?
100 prisoners stand in a line wearing red or blue hats and each guesses their own color from the back. What strategy saves the most?
How would you find the one counterfeit coin among 12 with three weighings if you don't know whether it's heavier or lighter?
If yesterday was two days before Monday, what day is tomorrow?
A doctor hands you three pills and tells you to take one every half hour. How long until they're all gone?
Everyone on the island is a truth-teller or a liar. The first person I meet says "at least one of us two is a liar." What is each of us?
What is circular reasoning? Give me an example I'd actually hear at work.
Evaluate this: "A survey of 20 people at my gym shows that most people exercise daily."
odd one out: eagle, penguin, sparrow, robin. why?
Two coins add up to 30 cents and one of them isn't a nickel. What are they?
Four friends sit around a square table. Ravi sits opposite Mei, Jo is on Ravi's left. Where does Kat sit?
which premise is doing all the heavy lifting in this argument? "Taxes are theft because taking property without consent is theft."
Is the gambler's fallacy the reason I feel like red is "due" at roulette?
lateral thinking: a man pushes his car to a hotel and tells the owner he's bankrupt. what's going on?
Rank the three suspects by how likely they are to be guilty, given that only one of them has an alibi that can be checked.
What's the missing premise in "Socrates is a man, so Socrates is mortal"?
Every time I wash my car it rains. Does washing my car cause rain? Explain the reasoning error.
what gets wetter the more it dries
One guard always tells the truth, one always lies and one answers randomly. How can you tell them apart with three yes/no questions?
I need help with a logic grid puzzle: 4 houses, 4 colors, 4 owners and 4 drinks. where do I even start?
Does "only if" mean the same thing as "if"? As in: "you can enter only if you have a ticket".
why is affirming the consequent invalid? use a simple example
A is B's sister, C is A's mother and D is C's father. How is D related to B?
Is this a false dilemma: "either we cut taxes or the economy collapses"?
Which conclusion is supported by the passage: "Most birds in the study migrated south. Robins were part of the study."
Jack says "I didn't break the vase", Jill says "Jack broke it", and Tom says "I didn't break it". Only one of them is telling the truth. Who broke it?
explain occam's razor and a case where it leads you astray
Meeting A must come before B, C can't be first, and D is right after A. What order works?
Is every square a rectangle? Is every rectangle a square? Walk me through the logic.
We play a game: take 1 to 3 matches from a pile of 21, and whoever takes the last match loses. Is there a winning strategy for the first player?
what's the point of the Ship of Theseus paradox
what's the logical negation of "all students passed"?
Which is more likely: Linda is a bank teller, or Linda is a bank teller and active in the feminist movement?
riddle: the one who makes it sells it, the one who buys it never uses it, and the one who uses it never sees it
Explain the two envelopes paradox briefly. Where does the argument go wrong?
Anyone who is late gets fined. Maya was fined. Was Maya late?
Find the flaw: "Every part of this machine is light, so the whole machine is light."
Given: if P then Q. Not Q. What can you conclude?
Does the conclusion of this op-ed actually follow from the evidence it gives? It says wages rose because a new law passed, but only shows one year of data.
riddle: what has a neck but no head
If I'm facing north and turn right twice and then left once, which way am I facing?
Mary's father has five daughters: Nana, Nene, Nini and Nono. What's the fifth daughter called?
is this a valid syllogism: all dogs are mammals, some mammals are brown, so some dogs are brown
Someone argues a study must be false because a soda company funded it. Is that fair reasoning?
If APPLE is coded as BQQMF, how would you code GRAPE? Explain the rule.
brain teaser: a rooster lays an egg on the peak of a roof. which way does it roll?
What's the difference between a necessary and a sufficient condition?
Four suspects each make one statement, exactly one of them is guilty and exactly one statement is false. How do I work out who did it?
complete the analogy: hand is to glove as foot is to ?
A man was born in 1955 and died in 1955 at the age of 70. How is that possible?
Can an all-powerful being create a stone it cannot lift? How do philosophers reason about it?
Is "most politicians are dishonest, Sam is a politician, so Sam is dishonest" deductively valid?
Figure out who brought which dish: Priya didn't bring dessert, the person who brought salad arrived first, and Leo arrived last with the bread.
What's the base rate fallacy? Explain with a medical test example.
If you overtake the person in second place in a race, what place are you in now?
Does this analogy hold up: "running a country is like running a household budget"?
Decide whether the conclusion is valid, invalid or undetermined based only on the given statements: No fish can fly. Some birds cannot fly. So some birds are fish.
trick question: how many months have 28 days?
Explain the liar paradox and why it's a problem for logic.
If all the emails from my boss are marked urgent and this email is marked urgent, is it from my boss?
My coworker claims that because our app has had no security breaches, it must be secure. Poke holes in that.
three people check into a hotel room that costs 30 dollars... where did the missing dollar go? i always get confused by this riddle
In a tournament, every player who lost to Rina also lost to Omar. Rina beat Tess. What can we say about Tess and Omar?
who is telling the truth if exactly two of these three are lying: Ann says Bo did it, Bo says Cy did it, Cy says "Bo is lying"
Is it valid to conclude that a restaurant is good just because it's always crowded? what else could explain it
puzzle: you have a 3 liter jug and a 5 liter jug, how do you measure exactly 4 liters
A, B and C are in a line. A is not first, C is not last, and B is directly behind A. What's the order?
A snail climbs 3 m up a 10 m well each day and slips back 2 m every night. On which day does it get out?
You have two ropes that each take an hour to burn, but they burn unevenly. How do you time 45 minutes?
Valid or sound? All birds can fly, penguins are birds, so penguins can fly.
My boss wants to hire Sam because he went to the same school as the CEO. What's the flaw in that logic?
What's the unstated assumption in "we should lower prices to increase profit"?
If no A are B and some C are A, what follows about C and B?
A is north of B, C is east of A, and D is directly south of C, level with B. Where is D relative to B?
does a chart showing kids with bigger shoe sizes read better prove that feet help reading? walk me through it
how do I use elimination properly in a logic grid puzzle, I keep getting stuck
three kids, one broke the window, each says one sentence and only one is honest. how do I find who did it?
riddle: I'm tall when I'm young and short when I'm old. what am I?
Evaluate this reasoning: "The last three winters were mild, so global warming must be fake."
If it's true that "only members can vote" and Lee voted, what can we infer?
"""

PROMPTS["automation"] = r"""
set up a cron job that runs my backup script every night at 2am
How can I automatically send an email to my team whenever a new row is added to a Google Sheet?
zapier: when I get a new Typeform response, create a Trello card
write a script that renames all the photos in a folder by the date they were taken
Automate posting our blog's new articles to a Slack channel
I want to download all attachments from gmail emails with a certain label every day, automatically
schedule a task on windows that opens a program when I log in
Can you make a GitHub Action that runs our tests on every pull request?
call the OpenWeather API every hour and log the temperature to a CSV file
How do I automate filling out the same web form 50 times with different data?
when a customer pays through stripe, add them to my mailchimp list. how?
set up IFTTT so my lights turn on when I get home
I need a script that watches a folder and uploads any new file to S3
automatically back up my postgres database to dropbox every week
use the twitter api to schedule a week's worth of posts
make a bot that auto-replies to common customer questions in our discord server
Can Power Automate move email attachments from Outlook into a SharePoint folder?
how do I trigger a webhook when a Jira ticket changes status
create a workflow that texts me if my website goes down
Write a Python script that logs into our SFTP server and downloads yesterday's reports every morning.
Every week I copy numbers from PDF invoices into Excel by hand. How can I automate that?
Set a reminder to pay rent on the 1st of every month
book a meeting with Sarah next Tuesday at 3pm and send her the agenda
find flights from Boston to Denver under $300 and email me the options
ansible playbook to install nginx on 10 servers at once
auto-reply to emails while I'm on vacation, but only to external senders
scrape the price from this product page every morning and alert me if it drops below $50
Connect Airtable to Google Calendar so new records become events
How do I automate resizing images that get uploaded to our CMS?
run a shell script on startup on my raspberry pi
Build me a Make.com scenario that saves invoice emails from Gmail to Google Drive
create a slack reminder every friday at 4pm to submit timesheets
call the github api, list all open issues labeled bug, then post a summary to slack
I want to auto-generate a weekly report from our SQL database and email it as a PDF every Monday.
automate deployment to heroku whenever i push to main
monitor disk space on my server and email me when usage goes above 90%
Use n8n to sync HubSpot contacts into a Postgres table
send a birthday message to each employee automatically on their birthday
how do I schedule a python script with systemd timers instead of cron
my script calls an API 10k times and gets blocked, how do I throttle it properly
retry failed API calls with exponential backoff in my integration workflow
whenever someone stars my repo, log it in a Notion database
stop my EC2 instances every night at 8pm and start them again at 7am
Can I make Excel refresh the pivot tables and save a dated copy every morning without me touching it?
pull my Fitbit data into a Google Sheet once a day
I'd like an Alexa routine that reads my calendar and the weather at 7am
automate the onboarding checklist: create accounts in google workspace, slack and github for each new hire
Write a Google Apps Script that emails everyone in column B their score from column C
set up a webhook from shopify to our warehouse API for new orders
Trigger a Jenkins build automatically when a git tag is pushed
How can my computer automatically sort my Downloads folder into subfolders by file type?
Use the Google Calendar API to create recurring events from a CSV
every time a PR is merged, bump the version number and publish the package to npm
batch convert 300 word docs to pdf without opening each one
Get today's weather for Paris and text it to my phone
if the API returns 429 too many requests, what should my automation do
Set up a Zap that translates incoming support emails into English before they reach Zendesk
automatically archive slack channels that have had no messages in 90 days
schedule tweets from a spreadsheet
collect every failed SSH login on my server and send me a daily digest
Create a pipeline that pulls data from our CRM API every night and loads it into BigQuery.
home assistant automation to close the blinds at sunset
auto-forward any email containing "invoice" to accounting@company.com
How do I run a task every 15 minutes in Kubernetes?
automate renewing my lets encrypt ssl certificates
write a bot that posts the daily standup questions in Teams at 9:30 every weekday
find all files older than 30 days in /tmp and delete them automatically each night
when a google form is submitted, generate a certificate PDF and email it to the person
iOS Shortcuts: turn on do not disturb when I arrive at the office
sync my todoist tasks with google calendar both ways
Send a Slack alert when our Stripe balance drops below $1,000
bulk-create 200 users in Active Directory from a CSV
Check a list of URLs every hour and tell me which ones return 404
I keep forgetting to water the plants. Can you set up a daily reminder at 6pm?
automatically transcribe voice memos that I drop into a dropbox folder
the API step in my zap keeps timing out, how do I make it retry instead of failing the whole zap?
use selenium to log into my utility account and download the monthly bill pdf
connect our CRM to WhatsApp so new leads get an automatic welcome message
set up an RSS to email digest every morning
Cancel my 3pm meeting and let the attendees know I'm out sick
Post to LinkedIn and Twitter at the same time whenever I publish on my blog
automate exporting this week's Jira tickets to a spreadsheet every Friday
Create an approval workflow where expense requests over $500 go to the manager in Slack
fetch the latest EUR/USD rate every day and update the price column in our sheet
trigger a Lambda function when a file lands in an S3 bucket
I want my training script to send me a Telegram message when it finishes
Automatically tag new GitHub issues based on keywords in the title
every monday, pull the new signups from the database and post the list in #growth
run a batch job at the end of each month that generates and emails invoices
auto-save my Zoom recordings to Google Drive and rename them after the meeting title
How do I chain two API calls where the second one needs the auth token from the first?
set up a workflow to resize and watermark every photo I export from Lightroom
My cron job isn't running. The line is */5 * * * * python3 script.py and nothing happens. Any ideas?
automatically delete emails from certain newsletters after 7 days
Use AppleScript to open all my work apps every morning at 8:45
Make a Siri shortcut that logs my water intake to a spreadsheet
assign new Zendesk tickets round-robin across the support team automatically
Run my data cleaning notebook every day at midnight and email me the output
When the CI build fails, open a Jira ticket automatically and attach the logs
send a follow-up email 3 days after a meeting if they haven't replied yet
take a screenshot of our dashboard every day and post it in slack
Help me plan the API calls to move all my Trello cards into Asana
search my google drive for files shared with external users and revoke their access
set my out of office from Dec 20 to Jan 3
wake my PC with wake-on-lan every weekday at 7am
I'd love a workflow that collects every receipt from my email into one folder for tax time
rename 1000 files to lowercase with underscores instead of spaces, automatically
Listen for new messages on an SQS queue and process each one with a worker
set up an alert in grafana when CPU stays above 80% for 5 minutes
Write a PowerShell script that restarts the print spooler service whenever it stops
create a calendar event for every row in this spreadsheet
What's the best way to orchestrate a few dozen scheduled jobs: Airflow, cron, or something else?
Every time someone fills in the contact form on our website I want a row in Airtable, a Slack ping and a thank-you email. What's the easiest way to wire that up?
can u make a script that checks my inbox every 10 min and texts me if my boss emails
Our team wastes an hour a day copying Shopify orders into a Google Sheet. Automate it please.
post a random motivational quote to our Discord channel every morning via webhook
every morning at 7 email me the top 5 hacker news posts
when someone books a calendly slot, create a zoom link and text it to me
automatically back up my phone photos to my NAS every night
ping me on slack if the nightly ETL job fails
I want a workflow: new row in airtable -> generate an invoice pdf -> email it to the client
make a script that checks my bank's API every day and logs the balance to a google sheet
how do I get github actions to deploy my site to netlify when I merge to main
auto-close github issues that have been inactive for 60 days
set a recurring reminder every other tuesday to water the cactus
pull new leads from facebook lead ads into our CRM automatically
write me a cron expression for 9:30am on weekdays
use zapier to save gmail attachments to onedrive
send me a weekly digest of my unread slack mentions every friday afternoon
"""

PROMPTS["math"] = r"""
what is 15% of 240
Solve for x: 3x + 7 = 22
A train travels 180 km in 2.5 hours. What is its average speed?
derivative of x^3 * sin(x)
integrate 1/(1+x^2) dx
How many ways can I arrange the letters of BANANA?
if a rectangle has perimeter 30 and length 9 whats the area
Find the GCD of 84 and 126.
whats 17 times 23
Simplify (x^2 - 9)/(x - 3)
A recipe needs 3/4 cup of sugar for 12 cookies. How much sugar for 30 cookies?
solve the system 2x + y = 11 and x - y = 1
What's the probability of rolling a sum of 7 with two dice?
Convert 0.375 to a fraction
Find the area of a circle with a radius of 6 cm.
prove that the square root of 2 is irrational
what's the sum of the first 100 positive integers
Factor x^2 + 5x + 6
If I walk 4 km north and then 3 km east, how far am I from where I started?
Compute the determinant of [[2, 3], [1, 4]]
limit of sin(x)/x as x goes to 0
How many diagonals does a hexagon have?
A shirt costs $40 after a 20% discount. What was the original price?
what is log base 2 of 64
Solve x^2 - 4x - 5 = 0
Two pipes fill a tank in 6 hours and 4 hours. How long if both are open?
Is 221 a prime number?
what's the volume of a cone with radius 3 and height 10
Find the mean, median and mode of 4, 8, 8, 10, 15
expand (a+b)^4
How do I find the inverse of a 3x3 matrix by hand?
3/8 + 5/12 = ?
eigenvalues of the matrix [[4,1],[2,3]]
If 10 people all shake hands with each other once, how many handshakes happen?
convert 72 degrees Fahrenheit to Celsius
What's the next term: 2, 6, 18, 54, ...
Find the slope of the line through (1, 2) and (4, 11).
Solve |2x - 5| = 9
what is 2 to the power of 10
Evaluate the integral of x e^x from 0 to 1
A 10 ft ladder leans against a wall with its base 6 ft from the wall. How high up the wall does it reach?
In how many ways can a committee of 3 be chosen from 8 people?
Help me understand why dividing by zero is undefined
What is the standard deviation of 2, 4, 4, 4, 5, 5, 7, 9?
Solve the differential equation dy/dx = 3y
If 5 workers build a wall in 12 days, how long would 8 workers take?
What is the sum of the interior angles of an octagon?
calculate 7 factorial
is 0.999 repeating really equal to 1
Find x if 2^(x+1) = 32
A triangle has sides 5, 12 and 13. Is it a right triangle, and what's its area?
whats 1/3 as a percentage
compute 456 divided by 12
How do you find the LCM of 12, 18 and 30?
Simplify sqrt(72)
What's the expected value of a roll of a fair six-sided die?
Find the vertex of the parabola y = 2x^2 - 8x + 3
A bag has 5 red and 3 blue marbles. If I draw two without replacement, what's the probability both are red?
convert 1011011 from binary to decimal
How many seconds are there in a week?
Solve for y: y/4 - 3 = 5
what is the cross product of (1,0,0) and (0,1,0)
Prove by induction that 1 + 3 + 5 + ... + (2n-1) = n^2
a number increased by 30% is 91. what's the number
Find the distance between the points (-2, 3) and (4, -5).
What's the Taylor series of e^x around 0?
How many liters of a 20% solution and a 50% solution do I mix to get 30 liters of a 30% solution?
How many three-digit numbers are divisible by 7?
whats the area of a trapezoid with bases 8 and 14 and height 5
Can you explain what a logarithm actually is?
12.5% of what number is 40?
Find the sum of the infinite geometric series 3 + 1.5 + 0.75 + ...
A boat goes 24 km upstream in 3 hours and comes back in 2 hours. What's the speed of the current?
what's the square root of 529
solve 5(x - 2) = 3x + 4
Multiply the matrices [[1,2],[3,4]] and [[0,1],[1,0]]
How many edges does a cube have?
What's the probability of getting at least one head in 3 coin flips?
Simplify (2x^3 y^2)^3
convert 45 degrees to radians
homework help: the sum of two consecutive odd numbers is 56. find them
what is the median of 3, 9, 1, 7, 5, 11
find dy/dx if x^2 + y^2 = 25
average of 87, 92, 78 and 95?
Is f(x) = x^3 - x even, odd, or neither?
A rectangle's length is twice its width and its area is 98. What are its dimensions?
what's 3.6 km/h in m/s
My grades are 90 (weight 30%), 80 (50%) and 70 (20%). What's the weighted average?
Solve the inequality 3x - 4 > 11
If f(x) = 2x + 1 and g(x) = x^2, what is f(g(3))?
what's the circumference of a circle with diameter 14
Find the 20th term of the arithmetic sequence 7, 11, 15, ...
How many prime numbers are there below 50?
Evaluate 8 + 2 × (6 − 3)^2
What's the angle between the hour and minute hands at 3:40?
how many subsets does a set with 6 elements have
What is the integral of ln(x)?
The ratio of boys to girls in a class is 3:5 and there are 40 students. How many girls?
solve x/3 + x/4 = 14
What is i^2023 where i is the imaginary unit?
Find the hypotenuse of a right triangle with legs 9 and 12
whats 2/3 divided by 4/9
How long does it take to drive 350 miles at 70 mph?
Show me why the angles of a triangle add up to 180 degrees
convert 5 feet 9 inches to centimeters
Find the roots of x^3 - 6x^2 + 11x - 6
If a 12-inch pizza costs $10, what should a 16-inch pizza cost at the same price per square inch?
What's the z-score of 85 if the mean is 70 and the standard deviation is 10?
why isn't 1 considered a prime number
solve e^(2x) = 7
I'm stuck on this one: a tank is 3/5 full. After 24 liters are used it's 1/3 full. What is the tank's capacity?
can you check my work? I got x = 4 for 2(x + 3) = 5x - 6
what's 0.25 times 0.4, I keep messing up decimals
How many different 4-digit PINs have no repeated digits?
what's the area of a triangle with base 10 and height 7
convert 3/8 to a decimal
how do I calculate the percentage increase from 40 to 50
find the mean of 12, 15, 18 and 22
integral of sin^2(x) dx
solve 3^x = 81
A rectangle is 3 times as long as it is wide and its perimeter is 48. Find the area.
what is 0.125 as a fraction
simplify 2(3x - 4) + 5x
if a dozen eggs cost $3.60 how much is one egg
in how many ways can 5 books be arranged on a shelf
what's the probability of drawing an ace from a standard deck
prove there are infinitely many primes
"""

PROMPTS["science"] = r"""
Why is the sky blue?
how do vaccines actually train the immune system
What's the difference between nuclear fission and fusion?
explain photosynthesis simply
Why do astronauts in orbit feel weightless if gravity is still pulling on them?
What causes the seasons on Earth?
how does CRISPR gene editing work
Why does ice float on water when most solids sink in their liquid?
what is dark matter and how do we know it exists
Explain the difference between mitosis and meiosis.
How do black holes form?
what makes a chemical reaction exothermic
How do tectonic plates cause earthquakes?
why do humans have different blood types
What is entropy, intuitively?
how does a rainbow form
Why is carbon so central to life?
explain quantum entanglement without the sci-fi hype
what's the difference between a virus and a bacterium
How do volcanoes form?
why does salt melt ice on roads
What is the Doppler effect?
How did the moon form?
explain natural selection with an example
What are isotopes?
why do leaves change color in the fall
How does a nuclear power plant turn fission into electricity?
why can't anything go faster than light
What's the role of mitochondria in a cell?
Why do we see lightning before we hear the thunder?
where do hurricanes get their energy from
What is pH and why does it matter in the human body?
Explain general relativity to a high school student.
why do some metals rust and others don't
How do neurons send signals?
What's inside the Earth's core and how do we know?
what is a supernova
How does DNA replication work?
Why does the moon have phases?
explain the greenhouse effect
Why are the noble gases so unreactive?
How do antibiotics kill bacteria, and why don't they work on viruses?
What exactly is a light-year?
why is the ocean salty but rivers aren't
How do magnets work at the atomic level?
what's the difference between weather and climate
How do enzymes speed up reactions?
Why do stars twinkle but planets don't?
what is the Higgs boson and why was it a big deal
How do plants know which way is up?
Explain covalent vs ionic bonds
What causes the northern lights?
how do cats always land on their feet? physics question
How does the heart pump blood around the body?
What is half-life in radioactive decay?
How are fossils formed?
why is Venus hotter than Mercury even though it's farther from the sun
what is the electromagnetic spectrum
How do bees see ultraviolet light?
Why does water boil at a lower temperature up a mountain?
How do geologists date rocks?
if evolution is "just a theory" is gravity also just a theory? what does theory mean in science
Explain how a transistor works physically.
why don't birds sitting on power lines get electrocuted
How do tides work?
What is the difference between speed and velocity?
what are the main hypotheses about how life on earth began
What happens to the human body after months in zero gravity?
Why is Pluto not considered a planet anymore?
How does the ozone layer protect us?
Explain Newton's third law using a rocket launch
what are stem cells
How does a catalytic converter reduce pollution?
why do onions make you cry, chemically
What is a gene mutation, and are all mutations harmful?
How do astronomers know how far away galaxies are?
why is glass transparent
What's the difference between an element and a compound?
How do glaciers carve valleys?
explain the photoelectric effect
Why does the sun look red at sunset?
How do octopuses change color so fast?
what's the difference between heat and temperature
What is the Krebs cycle for?
why doesn't a spinning top fall over
How do scientists create new elements in a lab?
What drives ocean currents?
explain how sound travels through air
How do our ears help us keep our balance?
Is there liquid water on Mars?
what does a catalyst do in a reaction
why do we yawn
How does an MRI machine see inside the body?
What are quarks?
why do apples turn brown after you cut them
How do clouds form?
What is the difference between RNA and DNA?
How hot is the surface of the sun compared to its core?
why does hot air rise
Explain the water cycle for my 5th grader
What is superconductivity?
How do coral reefs form?
what's the difference between an asteroid, a comet and a meteor
How does the immune system tell its own cells from invaders?
Why does a balloon stick to the wall after I rub it on my hair?
What are exoplanets and how do we detect them?
how does soap actually get rid of germs
Why do we age, biologically speaking?
what's the evidence for plate tectonics
How does a fridge move heat out of the inside?
why is mercury a liquid at room temperature
What do gravitational waves tell us about the universe?
My kid asked why the moon doesn't fall down to Earth. How do I explain orbits simply?
I read that we share 60% of our DNA with bananas. Is that true and what does it mean?
why does the moon look bigger near the horizon
how do solar panels turn sunlight into electricity
what actually happens when you crack your knuckles
is being left-handed genetic?
how does a microwave oven heat food
what's the difference between an atom and a molecule
how do migratory birds know where to fly
why is the dead sea so salty that you float
what would happen if the earth stopped spinning
how are mRNA vaccines different from traditional ones
what causes a solar eclipse
why does metal feel colder than wood at the same temperature
why do we get goosebumps
"""

PROMPTS["finance"] = r"""
should I pay off my credit card or invest first
What is a Roth IRA and how is it different from a traditional IRA?
how do index funds work
Is it better to rent or buy a house right now?
explain compound interest like I'm new to investing
What's the difference between a stock and a bond?
how big should my emergency fund be
How do capital gains taxes work when I sell stocks?
What is dollar-cost averaging?
should i refinance my mortgage if rates dropped by 1%
What's an expense ratio and why does it matter?
How do I read a company's balance sheet?
explain what a P/E ratio tells you
I'm 25 and just got my first real job. How should I start saving for retirement?
What happens to my 401k if I leave my job?
is it smart to put some savings into bitcoin
How does inflation eat into my savings?
what's the difference between gross and net income
Can I deduct my home office on my taxes?
Why do bond prices fall when interest rates rise?
What is a credit score and how do I raise mine?
explain options trading: calls vs puts
How do I make a monthly budget that I'll actually stick to?
What's the 50/30/20 budgeting rule?
should I lease or buy my next car
How do ETFs differ from mutual funds?
What does the Fed raising interest rates mean for regular people?
explain depreciation in accounting
Is a high-yield savings account worth opening?
how do dividends work
What is diversification and how many stocks do I need to be diversified?
What's the difference between accrual and cash accounting?
how do I file taxes as a freelancer
Should I put money into an HSA?
What is an annuity and are annuities a good idea?
What is short selling and why is it risky?
how do i calculate my net worth
What does it mean when a stock splits?
explain the difference between revenue, profit and cash flow
Is it worth paying for a financial advisor?
how does the stock market actually work
What's a good debt-to-income ratio for getting a mortgage?
What are REITs?
should I use the avalanche or snowball method to pay down my debts
How are stock options taxed at a startup?
what is a recession and how should I prepare my finances
How does a 529 college savings plan work?
What's the difference between APR and APY?
how do I start investing with only $100
Explain what EBITDA means
what is a bear market
How do I report crypto gains on my taxes?
Should I claim Social Security at 62 or wait until 70?
whats the point of holding bonds if they return less than stocks
How does a reverse mortgage work?
What is a Treasury bill?
Can you explain margin trading and its risks?
My employer matches 401k contributions up to 5%. How much should I put in?
How do I budget when my income is different every month?
explain the difference between a W-2 and a 1099
What are the risks of buying individual stocks instead of funds?
what is market capitalization
How is a startup valued in a funding round?
Is paying for credit monitoring worth it?
how does the cash flow statement differ from the income statement
What is portfolio rebalancing and how often should I do it?
what happens if I miss a credit card payment by a few days
Explain what a hedge fund does
How do exchange rates affect my international investments?
What is a stop-loss order?
should I invest in gold as a hedge
How do I set up the books for a sole proprietorship?
what does "bull market" mean
Are target-date retirement funds a good choice?
15-year vs 30-year mortgage, which is better?
What is a bond yield?
how much house can I afford on a $90k salary
how do tax brackets work? will a raise push all of my income into the higher rate?
What is an IPO and should I buy shares on the first day?
What's the difference between saving and investing?
how are ETFs taxed
What is a balance transfer credit card and when does it make sense?
Explain the time value of money.
Should I pay off my student loans early or invest the extra money?
What are Series I savings bonds?
how do I set up a budget spreadsheet for my small business
What is working capital?
Is real estate a better long-term investment than stocks?
What does a CPA do that a bookkeeper doesn't?
How do I avoid overdraft fees?
emergency fund vs sinking fund, what's the difference
explain yield curve inversion and why people worry about it
What is a fiduciary financial advisor?
how do i read a stock chart
What fees should I expect from a robo-advisor?
How should I split my investments between US and international stocks?
Explain accounts payable vs accounts receivable
Are CDs a good idea when interest rates are high?
what is the wash sale rule
How do I negotiate a lower interest rate on my credit card?
Is it bad for my credit to close an old credit card?
What is quantitative easing?
How do estimated quarterly taxes work for self-employed people?
explain what a front-end load on a mutual fund is
What's the difference between a bank and a credit union?
How are inheritance taxes different from estate taxes?
what savings rate do I need to retire early (FIRE)?
what is an amortization schedule on a loan
How do I start investing in index funds if I live in Germany?
explain goodwill on a balance sheet
Is now a good time to lock in a fixed-rate mortgage?
I got a $10k bonus. Should it go to my car loan at 6%, my Roth IRA, or a vacation fund?
my bank is offering me a "premium" checking account for $15/month, is that ever worth it
Is it true that you shouldn't keep more than a few months of expenses in cash?
is a 4.5% savings account rate good right now
how do I read the deductions on my paycheck stub
should my small business buy or lease equipment, tax-wise?
what's the difference between a traditional 401k and a roth 401k
how does the grace period on a credit card work
my portfolio is down 15%, should I sell everything?
explain bond duration simply
how much should I save each month to have $50k in 5 years
what is a dividend reinvestment plan (DRIP)
how do I keep track of small business expenses for taxes
what happens to my stocks if my broker goes bankrupt
is it smart to pay points to lower my mortgage rate
how are stock dividends taxed vs interest from a savings account
"""

PROMPTS["creative"] = r"""
write a poem about autumn leaves
Give me 10 name ideas for a coffee shop
tell me a joke about programmers
Write a short story about a robot who learns to paint.
can you come up with a slogan for an eco-friendly water bottle
haiku about mondays pls
Write a limerick about a cat who loves lasagna.
Help me write a toast for my sister's wedding, something warm and a little funny
Brainstorm names for a fantasy kingdom
write song lyrics about a road trip with friends
I need a catchy tagline for my bakery
Write the opening paragraph of a mystery novel set in Venice.
a bedtime story for a 5 year old about a brave little turtle
Give me a funny pun about vegetables
Compose a sonnet about the ocean.
write a rap verse about studying for finals
Create a backstory for my D&D halfling rogue
Describe a sunset in short, plain sentences like a hard-boiled novelist would
give me a creative name for my fantasy football team
Write a 100-word flash fiction piece with a twist ending
write me an original riddle for my kid's treasure hunt, the answer is "the fridge"
Write a love letter from the moon to the sun.
Suggest names for a golden retriever puppy
write a poem for my mom's 60th birthday
Write a product description for handmade candles that sounds cozy
Invent a new holiday and describe how people celebrate it
write a dialogue between a pirate and an astronaut
Give me a plot for a sci-fi movie about time loops
I need a band name, we play indie folk
Write a horror story in two sentences.
Create a motto for our hiking club
write a knock knock joke
Retell Little Red Riding Hood as a noir detective story
Come up with 5 titles for my fantasy novel about dragons and exiles
Write a free verse poem about rain in the city.
Make a short funny poem for a coworker's retirement card
describe an alien planet's landscape vividly
Give me a fresh metaphor for anxiety
Write a villain monologue for my play
Write the text of a children's picture book about sharing.
create a mascot for our school math club and describe it
Help me write lyrics for a lullaby
Write an epic poem about my cat knocking things off the table
punny names for a taco truck
Write a scene where two old friends meet again after 20 years.
give me a writing prompt for today
Write a fairy tale that begins "Once upon a time, a clock stopped."
Help me name my main character. She's a stubborn botanist in 1920s Scotland.
Draft a funny out-of-office message I can actually use
a haiku sequence about the four seasons
Write a short motivational speech for a high school soccer team before the final.
create a tagline for a cybersecurity startup
write a ghost story to tell around a campfire
Invent a cocktail, give it a name and describe it
Write a poem where every line starts with the letter S.
tell me a dad joke
Give me 3 ideas for a short film I can shoot on my phone
Write an acrostic poem for the word HOPE.
Describe a bustling medieval market from the point of view of a pickpocket.
help me come up with a name for my etsy jewelry shop
write a ballad about a lighthouse keeper
Give me a one-liner about coffee for an Instagram caption
Write a comedy sketch about a job interview that goes badly wrong.
Create a made-up myth explaining why the sea is salty
rhyming couplets about pizza
Write a funny eulogy for my houseplant
Write the opening hook for a YA dystopian novel.
Suggest names for a podcast about gardening
Write a short poem about bees in the style of a 19th century poet
come up with a superhero whose power is extremely mundane
Write a story that's exactly six words long.
Give me a fun theme for a 30th birthday party and a catchy invitation line
write a best man speech for a guy who is nervous but funny
Generate names for the spaceship in my sci-fi game
Write a poem from the perspective of a tree watching a city grow.
Write a jingle for a local pizza place
make up a bedtime story about a dragon who's afraid of the dark
Craft a witty bio for my dating profile
Write a sci-fi scene where an AI confesses a secret to its captain
Write a thank-you poem for my teacher
Brainstorm quirky names for a cat cafe
Write a short Western showdown scene with a twist
give me a slogan for an anti-littering campaign
write a story about a detective who can smell lies
Invent a fantasy creature and describe its habitat and habits
Write a haiku about debugging code at 3am
Write a breakup song from the point of view of a sock that lost its pair
Come up with a name and tagline for a meal-prep app
Write an original inspirational quote I can put on my office wall
Write a poem about grief that doesn't rhyme
Write a humorous review of a toaster as if it were a fine dining restaurant
Give me ideas for a comic strip about office life
Describe the smell of rain in three different poetic ways
write a short fable about patience with a moral at the end
Write a sea shanty about software deadlines
Invent a board game and describe the rules briefly
Write a cute little poem to put in my partner's lunchbox
give me a creepy first line for a horror novel
Rewrite this sentence to sound more poetic: "The train was late and I was tired."
Write a letter from a soldier in 1916 to his family back home
Generate five fantasy spell names with a one-line description each
Write a tongue twister about purple penguins
Create a short myth about how the stars got their names
Write a stand-up comedy bit about self-checkout machines
Write a cinquain about winter
Help me write a heartfelt card for a friend who moved across the country
Write a poem about the first day of school from a parent's point of view
come up with a clever name for a bookshop that also sells wine
write me a villanelle about insomnia
Write a story narrated by a coffee mug
Give me three taglines for a vintage clothing store
Turn my grocery list into a dramatic poem: eggs, milk, bread, avocados
i need a funny limerick for my dad's 50th, he loves fishing and always gets lost
write a short poem about the smell of coffee in the morning
come up with a fun team name for our office trivia night
write a 4-line rhyme for my grandma's birthday card
give me a plot twist for my mystery story
write a short dialogue between a cat and a vacuum cleaner
slogan ideas for a bike repair shop
write an opening line for a fantasy novel
make up a silly song about brushing teeth for my 4 year old
describe autumn in a haiku
write a funny wedding toast line about the groom's terrible cooking
names for a cozy mystery series set in a bakery
write a motivational mantra for a marathon runner
turn my boring product update into a fun little story for our newsletter
"""

PROMPTS["general"] = r"""
hi how are you
What's a good way to fall asleep faster?
recommend some things to do in Lisbon for 3 days
how long should i boil an egg for a runny yolk
What's the capital of Canada?
Any tips for my first job interview tomorrow?
how do i get red wine out of a carpet
What should I pack for a week in Iceland in October?
good morning!
What's the difference between baking soda and baking powder?
How much water should I drink a day?
recommend a good book for a long flight
how do I politely decline a wedding invitation
who painted the Mona Lisa
What can I cook with chicken, rice and spinach?
Tips for learning a new language as an adult?
Is it ok to run every single day?
How do I keep my houseplants alive? I kill everything
what time zone is tokyo in
Can you suggest a simple weekend workout routine for a beginner?
how to make small talk at a networking event
What's a good goodbye gift for a coworker who's leaving?
Why do people celebrate Halloween?
my dog keeps barking at night, what can I do
How do I deal with a noisy upstairs neighbor?
best way to study for exams without burning out
What's the tallest mountain in the world?
how do you make pancakes from scratch
Is coffee bad for you?
What are some good icebreaker questions for a team meeting?
How do I get over jet lag quickly?
thank you, you're really helpful!
What's the best way to clean a cast iron skillet?
how can I be more productive working from home
Suggest a movie for family night, kids are 8 and 11
What language do they speak in Brazil?
how to tie a tie
What's a healthy breakfast I can make in 5 minutes?
I'm bored, what should I do?
How do I apologize to a friend I hurt?
Is it worth visiting Rome in August?
How often should I replace my toothbrush?
tell me a fun fact
Roughly how many people live in Japan?
How do I make my resume stand out?
How do I get my kids to eat vegetables?
how long does it take to drive from LA to San Francisco
What's the etiquette for tipping at restaurants in the US?
Any tips for a long road trip with two toddlers?
how do I stop procrastinating
What is Thanksgiving about?
What's worth seeing in Kyoto in autumn?
Can you help me plan a dinner party menu for 6 people?
how do i unclog a drain without chemicals
I have a mild headache, what can I do besides taking medicine?
When is the best time of year to visit Thailand?
What are some good daily habits for mental health?
how many languages are spoken in the world
Who was the first person to walk on the moon?
How can I improve my posture when I sit at a desk all day?
what's a polite way to ask my roommate to clean up after himself
Should I get a cat or a dog? I work long hours.
How do I start running if I've never exercised?
hey there
Where is the Eiffel Tower?
how do you make cold brew coffee at home
What is there to do on a rainy day in London?
tips for a good first date
How do I keep bread fresh for longer?
what do you think about pineapple on pizza lol
How do I make friends after moving to a new city?
Can you briefly summarize why World War I started?
How many hours of sleep do teenagers need?
whats the best way to learn to swim as an adult
How do I remove a splinter?
What are the main differences between British and American English?
Help me make a checklist for moving apartments
how do I tell my boss I need a day off
Where does the word "quarantine" come from?
Do I need a visa to visit Mexico with a UK passport?
What's a good stretching routine for lower back pain?
how do I make my mornings less chaotic
What is the Great Wall of China made of?
recommend a podcast about history
How do I keep my cat off the kitchen counter?
Is it okay to wash jeans in hot water?
how to meal prep for the week on a tight budget
What's the best way to memorize a speech?
what's your favorite color
How do I fix a squeaky door hinge?
Any advice for handling nerves before a big presentation?
who wrote pride and prejudice
What should I do if I lock myself out of my house?
How can I cut down my screen time?
what's the weather usually like in Seattle in spring
How should I prepare for a hut-to-hut hike in the Alps?
What's a good houseplant for a room with little light?
how do i make my handwriting neater
Quick dinner ideas for a vegetarian?
What's the best way to pack a suitcase so clothes don't wrinkle?
How do you say thank you in Japanese?
i cant decide between two job offers, how do i choose
Can you explain the basic rules of chess?
Is it rude to text during dinner with friends?
how do I get rid of fruit flies in the kitchen
Good conversation topics for visiting my grandparents?
What does the idiom "break the ice" mean?
Can you recommend a beginner-friendly board game for four people?
how do i politely end a conversation that's dragging on
My sister's birthday is next week and I have no idea what to get her. She likes hiking and reading. Ideas?
What's a good way to remember people's names when I meet them?
is it better to shower in the morning or at night
what should I bring to a potluck
how do I get rid of hiccups
is it ok to leave my phone charging overnight
how do I keep my kitchen knives sharp
fun things to do with kids in winter?
how much should I tip a hairdresser
what's the best way to pack a week of clothes in just a carry-on
why are my houseplant's leaves turning yellow
how do I make a good cup of tea
can you recommend a podcast for my commute
how do I fall back asleep when I wake up at 3am
what's a nice thing to write in a thank-you note to a neighbor
any tips for staying cool in a heatwave without AC
"""


# Competition-style prompts written into the math block before the hard_math label existed. They stay
# where they are, so the split generator sees the list it always saw, and build_router.py files them
# under hard_math with the split they already had.
RELABELLED = {
    "How many ways can I arrange the letters of BANANA?": "hard_math",
}


def prompts_by_label() -> dict[str, list[str]]:
    """Each label's prompts in file order (blank lines dropped)."""
    return {label: [line.strip() for line in block.strip().splitlines() if line.strip()]
            for label, block in PROMPTS.items()}
