"""Follow-up messages for the dissatisfaction detector, written for ModRoute by the project team.

Labelling rule (kept consistent across the set):
  1 = the user says or shows that the PREVIOUS ANSWER failed: it is wrong, unhelpful, not what was
      asked, ignored an instruction, crashed, or the user doubts it, corrects it, asks for a retry,
      rephrases because they were misunderstood, or gives up on it.
  0 = anything else: thanks, continuations and new tasks built on a good answer, requests to modify
      a satisfactory answer ("make it shorter", "add tests"), clarifying questions about the answer,
      the user correcting their OWN question ("wrong question on my part ..."), unrelated new
      questions (even ones that mention errors or the word "wrong"), and small talk.
"""

import random

# ----------------------------------------------------------------------------- label 1
POSITIVE: dict[str, str] = {}

POSITIVE["wrong"] = r"""
that's wrong
Wrong.
nope, that's not right
That is incorrect.
This answer is just wrong.
I'm pretty sure that's not correct
that's not right at all
incorrect
you got it wrong
That's false.
not even close
Your answer is wrong, the total has to be bigger than that.
the math doesn't add up
your numbers are off
that's factually wrong
you made a mistake in step 2
Step 3 is wrong, you divided where you should have multiplied.
the answer key says 42, not 48
that's the wrong formula
you have it backwards
you mixed the two up
that date is wrong
That's outdated, this changed years ago.
hmm, no. that's not how it works
your explanation contradicts itself
you said one thing and then the opposite two lines later
nah, wrong
errr no
nope
No. Just no.
totally wrong lol
thats not correct, check again
Your conversion is off by a factor of 1000.
the units are wrong, it should be meters not feet
You forgot to carry the one.
the last step is wrong
you misread the question
that contradicts what you told me earlier
I checked with a calculator and it's definitely not 56
The result can't be negative, so something's wrong.
that's not a real word
that quote isn't from Einstein
that book doesn't exist, I looked it up
you made up that reference
that's a hallucination, the paper you cited doesn't exist
there is no function with that name in the standard library
that library doesn't have that method
that endpoint doesn't exist in their API
the link you gave is dead and I don't think that page ever existed
wrong answer
Incorrect, sorry.
this is wrong on several levels
nope nope nope
you're wrong about that
I'm afraid that's not accurate.
That's not how percentages work.
the probability can't be more than 1, so that's wrong
your answer is off by one
you counted wrong, there are 5 not 4
That isn't the right year.
your recipe says 2 cups of salt, that can't be right
wrong person, that was someone else
that's a different movie
You're thinking of a different song.
this is completely inaccurate
your summary gets the plot wrong
that's not what the article says at all
the chart you described doesn't match my data
wrong sign, it should be positive
you swapped x and y
hmm that's not it
Those two sentences can't both be true.
I tried the steps and they're wrong for the current version
that's the answer for a different question
These instructions are for Windows, and they're wrong for Mac anyway.
hmm that's not quite it
meh, that's wrong
I don't think that's right, the docs say otherwise
your math is off, 12 * 7 is 84
that's outdated info, it changed in 2023
this recipe can't be right, 3 tablespoons of salt?
the numbers in your table don't add up to the total
You contradicted yourself.
"""

POSITIVE["retry"] = r"""
try again
Try again please.
can you try that again
again
regenerate
give it another shot
one more time, and get it right this time
do it again but correctly
redo that
please redo the calculation, it's off
start over
let's try this again from scratch
That didn't work, try something else.
try a different approach, this one doesn't work
no, try again
again please, that wasn't it
Give me a better answer.
can you do better than that?
that's not good enough, try again
please take another look, that's not right
recheck your answer
double check that, I think it's wrong
check your work
redo it
Please try once more.
try again, slower this time and show every step
not quite. another go?
Retry.
Can you give it another go? That wasn't what I needed.
hmm, try again with the right numbers
Let's retry that, the first attempt missed the point.
do it over
regenerate the answer please
give me another answer, that one was bad
again, properly this time
go back and fix it
try once more, that wasn't right
again, but this time actually use the data I gave you
start again, you got the dates wrong
"""

POSITIVE["rephrase"] = r"""
let me rephrase
Let me rephrase the question.
I'll ask it differently
ok let me put it another way
that's not what I asked
That's not what I meant.
you misunderstood me
you didn't answer my question
Let me try to explain what I actually need.
I think you misunderstood. I want the opposite.
no, I meant the other one
not that, I mean the 2019 version
re-read my question please
you're answering a different question
I was asking about the movie, not the book
I said Celsius, not Fahrenheit
I wanted it in Java, not Python
I asked for one sentence, not an essay
I asked for a list and you gave me a paragraph
What I actually want is the index, not the value.
Read my question again. I asked how, not why.
you ignored the second part of my question
you only answered half of my question
I specifically said no bullet points
i said without using numpy
I said vegetarian. That recipe has bacon in it.
you're missing the point
Let me be clearer since that missed it: I need the total per month.
that's not the question
No, I'm asking about the UK rules, not the US.
you answered for Python 2, I'm on Python 3
I asked for a poem, not a story
I wanted three names, you gave me one
that's a summary of the wrong chapter
I asked what time it is in Tokyo, not the weather
ok that's not it. let me try again: how do I delete a branch on the remote?
you're overcomplicating it, I asked a simple question
I asked you not to use recursion
I told you it has to run on Windows
No, I mean as a percentage of the total.
hold on, I asked about cats, not dogs
this is about a different topic than what I asked
misunderstood. I need the SQL, not an explanation
you misunderstood the assignment lol
your answer ignores the budget I gave you
wrong language, I said SQL not python
this doesn't answer what I asked
"""

POSITIVE["dismissal"] = r"""
never mind
nevermind, I'll figure it out myself
forget it
forget it, I'll google it
nvm
whatever
ok never mind then
just forget I asked
this is pointless
I'll ask someone else
never mind, I'll find it somewhere else
skip it, you clearly don't know
meh, forget about it
not worth it, bye
I give up on this
stop. just stop.
ok this isn't going anywhere
Forget it. I'll do it by hand.
nvm i'll ask on stack overflow
never mind, you're not getting it
fine, whatever, I'll work it out
ok I'm done with this
Let's drop it, this is going nowhere.
nah forget it
I'll just look it up myself.
ok forget it, not worth it
never mind, this is taking too long
"""

POSITIVE["frustration"] = r"""
ugh
ugh, seriously?
this isn't helping
That's not helpful at all.
useless
this is useless
are you even reading what I write?
why is this so hard for you
I've asked three times now
you keep giving me the same wrong answer
you keep repeating yourself
you're going in circles
that's the same answer as before
You literally just said the same thing again.
that makes no sense
what? that doesn't make sense
This is confusing and doesn't answer anything.
so unhelpful
wow. no.
omg no
🙄
👎
*facepalm*
come on
seriously?
this is garbage
that's a terrible answer
that was a waste of time
that's way too vague to be useful
too generic, this doesn't help me
you basically just repeated my question back to me
you didn't even try
I'm getting frustrated
why do you keep ignoring my instructions
you are not listening
that's not helpful, I already knew that
that's obvious, I need something specific
still wrong
still not working
still the same error
it still doesn't work
nope, same problem
this doesn't help me at all
ughhh not again
You're not helping.
I followed your steps exactly and it still fails at the same point.
That's gibberish.
Bad answer.
this answer is worse than the last one
that's even more wrong than before
I did all of that already, it didn't help
that advice is useless for my situation
how is that supposed to help
sigh. no.
what are you talking about
that's nonsense
You just made it worse.
that's not an answer
this is really disappointing
you're not making any sense
why would you suggest that, it deleted my data
😡
😒 no
🤦
that's literally the opposite of what I said
not helpful tbh
seriously? that's the third time you got it wrong
can you actually answer the question
did you even read my message
bruh no
lol no
you're making things up
that's way too long, I asked for one line
"""

POSITIVE["doubt"] = r"""
are you sure?
Are you sure about that?
really? that doesn't sound right
hmm, I don't think so
I doubt that's correct
is that really true? I've read the opposite
that can't be right
That seems off.
source? that sounds made up
I don't believe that's right
wait, that doesn't seem right
hmm really? I thought it was the other way around
are you 100% sure? my teacher said otherwise
I'm not convinced that's correct
that sounds wrong to me
Really? Everything I've read says the opposite.
hmm, that doesn't match what I see
I'm skeptical, that number looks way too high
is that right? seems too low
that doesn't look right
You sure? That contradicts the docs.
Are you sure? I'm pretty sure it's the other way round.
wait, is that actually true?
"""

POSITIVE["correction"] = r"""
no, the capital of Australia is Canberra
Actually, the Great Wall isn't visible from space with the naked eye.
water boils at 100°C at sea level, not 90
The Pacific is the largest ocean, not the Atlantic.
no, there are 7 continents, you said 6
Mount Everest is in the Himalayas, not the Andes
The speed of light is about 300,000 km/s, you wrote 300 km/s
7 x 8 is 56, not 54
15% of 80 is 12, not 10
Spiders have eight legs, not six.
the first iPhone came out in 2007, not 2009
Pluto was reclassified in 2006, not 2010.
The heart has four chambers, not three
the chemical symbol for gold is Au. Ag is silver.
a triangle's angles add up to 180, not 360
It should be "its", not "it's", in that sentence.
Brazil's official language is Portuguese, not Spanish.
a byte is 8 bits, you said 16
humans have 23 pairs of chromosomes, not 24
Lincoln was the 16th president, not the 18th.
Mars has two moons, not one.
Light from the sun takes about 8 minutes to reach us, not 8 seconds.
Sound travels faster in water than in air, you have it backwards.
ATP is made in the mitochondria, not the nucleus.
Sydney isn't the capital.
The Danube doesn't flow through Spain.
The Mona Lisa is in the Louvre, not the Uffizi.
Hamlet was written by Shakespeare, you said Marlowe
the Titanic sank in 1912. you wrote 1915
1 kilometer is 1000 meters, not 100
Python strings are immutable, you said you can change them in place
Java and JavaScript are different languages, you treated them as the same thing
len() of that list is 4, not 5, you counted the brackets or something
HTTP 404 means not found, not server error
Git merge doesn't delete the branch, your explanation says it does
A leap year has 366 days, so your day count is off by one
the derivative of sin x is cos x, not -cos x
0! is 1, not 0
The integral of 1/x is ln|x|, not 1/x^2
Photosynthesis releases oxygen, not carbon dioxide
"""

POSITIVE["code_error"] = r"""
your code throws a KeyError
the code doesn't even compile
this gives me a syntax error on line 3
your function returns None
the function returns the wrong result for an empty list
your regex matches way too much
that SQL query returns duplicate rows
this loops forever
the script just hangs
the test you wrote fails
your fix broke something else
now it fails on negative numbers
This doesn't handle the case where the list is empty.
Off by one: your loop skips the last element.
That's not valid JSON, there's a trailing comma.
the output is [1, 2, 2, 3] but it should be [1, 2, 3]
it prints nothing at all
your code calls .append on a string, that fails
that's Python 2 syntax, it doesn't run on Python 3
the method you used was removed in pandas 2, it errors out
your snippet crashes with Cannot read properties of undefined
the component doesn't render anything with your code
this CSS doesn't center anything
the cron expression you gave runs every minute, not every hour
the Dockerfile fails to build at the COPY step
your bash loop breaks on filenames with spaces
the function returns 0 for every input
it sorts descending, I needed ascending
the code runs but the answer is wrong for n = 1
compiles fine but gives the wrong output for 10
your solution times out on big inputs
that query deletes everything, not just the old rows!
you forgot to import it, so it fails
this still throws the same exception
same error as before, nothing changed
nope. the output is still empty
it's still throwing the same TypeError
that's not even valid syntax
your regex doesn't match anything
it compiled but gives 0 every time
that link is broken and the function doesn't exist
"""

# Factual corrections in several frames: (what the answer said, what is true, a full statement).
FACTS = [
    ("Geneva", "Bern", "Bern is the Swiss capital"),
    ("1945", "1939", "World War II started in 1939"),
    ("Edison", "Bell", "Alexander Graham Bell patented the telephone"),
    ("Jupiter", "Saturn", "Saturn is the planet with the big bright rings"),
    ("Rome", "Athens", "the Parthenon is in Athens"),
    ("1776", "1789", "the French Revolution began in 1789"),
    ("Toronto", "Ottawa", "Ottawa is the capital of Canada"),
    ("12", "8", "an octagon has 8 sides"),
    ("oxygen", "nitrogen", "most of the air is nitrogen"),
    ("Da Vinci", "Van Gogh", "Van Gogh painted The Starry Night"),
    ("H2O2", "H2O", "the formula for water is H2O"),
    ("Rio de Janeiro", "Brasilia", "Brazil's capital is Brasilia"),
    ("Asia", "Africa", "Egypt is in Africa"),
    ("3", "4", "a square has 4 right angles"),
    ("Newton", "Einstein", "Einstein came up with relativity"),
    ("Spanish", "Portuguese", "they speak Portuguese in Brazil"),
    ("1492", "1969", "the moon landing was in 1969"),
    ("Mercury", "Jupiter", "Jupiter is the largest planet"),
    ("30", "32", "water freezes at 32°F"),
    ("Austria", "Australia", "kangaroos live in Australia"),
    ("Tolstoy", "Dostoevsky", "Crime and Punishment is by Dostoevsky"),
    ("the liver", "the pancreas", "insulin is made in the pancreas"),
    ("Mumbai", "New Delhi", "New Delhi is India's capital"),
    ("52", "50", "the US has 50 states"),
    ("Mozart", "Beethoven", "Beethoven wrote the Ninth Symphony with Ode to Joy"),
    ("1066", "1215", "Magna Carta was sealed in 1215"),
    ("a mammal", "a reptile", "a crocodile is a reptile"),
    ("Istanbul", "Ankara", "Turkey's capital is Ankara"),
    ("24", "60", "there are 60 minutes in an hour"),
    ("Greece", "Italy", "the Colosseum is in Italy"),
]

FACT_FRAMES = [
    "no, {stmt}",
    "{right}, not {wrong}.",
    "it's {right}, not {wrong}",
    "wrong, {stmt}",
    "Actually {stmt}. You said {wrong}.",
    "umm {right}?? not {wrong}",
    "You wrote {wrong}, but {stmt}.",
    "correction: {stmt}",
    "Not {wrong}. {right}.",
    "that's not right, {stmt}",
    "{stmt}, everyone knows that",
    "er, {stmt}. not {wrong}",
]

CODE_ERRORS = [
    "KeyError: 'name'",
    "IndexError: list index out of range",
    "ZeroDivisionError: division by zero",
    "AttributeError: 'NoneType' object has no attribute 'split'",
    "TypeError: unsupported operand type(s) for +: 'int' and 'str'",
    "ValueError: invalid literal for int() with base 10: 'abc'",
    "RecursionError: maximum recursion depth exceeded",
    "NameError: name 'np' is not defined",
    "UnboundLocalError: local variable 'total' referenced before assignment",
    "a NullPointerException",
    "a segmentation fault",
    "TypeError: 'int' object is not iterable",
    "ImportError: cannot import name 'escape' from 'jinja2'",
    "error TS2339: Property 'id' does not exist on type '{}'",
    "undefined method `each' for nil:NilClass",
    "ReferenceError: fetchData is not defined",
    "error[E0382]: borrow of moved value",
    "FileNotFoundError when it tries to open config.json",
    "KeyError: 0",
    "TypeError: list indices must be integers or slices, not str",
]

CODE_LEADS = [
    "your code throws {err}",
    "I ran it and got {err}",
    "it crashes with {err}",
    "running your snippet gives {err}",
    "still getting {err} with your version",
    "{err} when I run what you wrote",
    "your function fails: {err}",
    "doesn't work, {err}",
    "nope, {err}",
    "copied it exactly and got {err}",
]
CODE_TAILS = ["", "", " on line 12", " when the input is empty", " on the second test case", " right away",
              " after a few iterations"]

# ----------------------------------------------------------------------------- label 0
NEGATIVE: dict[str, str] = {}

NEGATIVE["thanks"] = r"""
thanks!
thank you so much
perfect, thanks
great, that works
that worked, thank you!
awesome
exactly what I needed
ty
thx
cheers
got it, thanks
makes sense now, thanks
brilliant, thank you
this is super helpful
you're a lifesaver
nice, it runs now
works like a charm
ok cool
ok
alright
sounds good
👍
great explanation
that's right, thanks for confirming
yes, that's correct
right, that's what I thought
good answer
Thanks, that clears it up.
Much appreciated!
perfect
love it
haha nice one
wow, that was fast, thanks
That's really clear, thanks.
okay that makes sense
yep, that did it
fixed! thanks
Thanks, the tests pass now.
Thank you, I'll try that.
I'll give that a go, thanks
nice, the error is gone
no errors this time!
it doesn't crash anymore, thank you
not bad at all
no, that's perfect
I was wrong and you're right, thanks
so my teacher was wrong then, good to know
I can't thank you enough
don't change anything, it's great
nothing wrong with that, thanks
no complaints here
that's exactly right
spot on
Great, my code finally compiles.
That fixed the KeyError, thanks!
The wrong result was my fault, your version works.
this is way better than what I had
10/10
you nailed it
thank u!!
ok great
I learned something new today, thanks
That's a great idea, I hadn't thought of that.
Appreciate it!
Thanks, that saved me hours.
❤️
excellent
Nice, super clear.
correct!
you're right, I had the formula wrong in my spreadsheet
my code was wrong, yours works
the error was on my side, it works now
never mind the formatting, the content is exactly what I needed, thanks
I'll ask again tomorrow if I get stuck, thanks
oh nice, that's so much cleaner than my version
Yes! That's the one I was trying to remember.
it passed all the tests on the first try
Wonderful, my boss loved it.
great, that answered everything
😂 love it
🙏 thanks
👌
that's exactly it, thanks!
yes, that's what I meant
haha that's clever
gotcha
ahh that makes sense now
brilliant 👏
sounds right to me
great, that confirms my guess
No changes needed, it's great.
"""

NEGATIVE["continuation"] = r"""
can you add tests?
great, what about for Python 3.8?
now can you make it handle negative numbers too?
ok, and how would I deploy it?
cool. what's the next step?
and what if the list is empty?
can you also add type hints
now write the docstring
and in JavaScript?
what would this look like in Go?
can you explain step 2 in more detail?
could you give an example?
could you add comments to the code?
Nice. Can you also make it async?
sure, go on
continue
keep going
tell me more
more please
what else?
and then?
now do 5 more like that
give me a few more options
can you do one about winter too?
great poem, can you write another one about summer?
can you put that in a table?
how would I test this?
what's the time complexity of that?
follow-up: does this work on Windows too?
that works. how do I schedule it to run daily?
good. what about the edge case where the input is None?
can you show the output for an example input?
what if I want it to ignore case?
what if the file is really big?
makes sense. and how does it compare to option B?
okay, so which one would you recommend?
Can you also write a version that reads from stdin?
next, how do I add a progress bar to it?
Great. Now add error handling for network failures.
perfect, now package it as a CLI
Could you also include a README for it?
now let's do the same for the orders table
ok, part two of my homework: what is the derivative of that?
and how much would that be per year?
what would the answer be if the rate were 5% instead?
Can you keep going with the story? I want to know what happens next.
Let's move on to chapter 3.
and how do I undo it if something goes wrong?
now show me how to call it from another file
what are the pros and cons of that approach?
sure, try it with 10 instead of 5
what if we try a different approach just for fun, like using a heap?
Let me add some context so you can take it further: it's a Django app.
yes exactly, now the second part
that's right. and the capital of New Zealand?
is there an even faster way, or is this already optimal?
Can you give me an alternative too, just in case?
What would you change if it had to run on a Raspberry Pi?
cool, can we do the same thing with a dictionary now?
ok that part is done. how do I connect it to the database?
awesome. could you now write the unit tests for the edge cases?
thanks, what's a good next topic to learn after this?
great, now how do I make it run in the background?
ok now do the same for March
now give me the SQL version
what would change if I used a list instead?
how long would that take to run on a million rows?
is there a library that does this?
okay, next: how do I deploy it?
"""

NEGATIVE["modification"] = r"""
can you make it shorter?
make it shorter
a bit more formal please
can you make it funnier?
Make it rhyme.
can you simplify the explanation for a 10 year old?
shorter please, it's for a tweet
can you rewrite it in a friendlier tone?
add an emoji or two
make the variable names more descriptive
could you make it a bit longer?
use metric units instead
can you format it as markdown
swap the order of the last two paragraphs
put the most important point first
change the name to Maria
make it 4 lines instead of 8
make it less formal
can you use a for loop instead of recursion?
can you convert the answer to euros?
round it to two decimal places please
add a title
remove the intro paragraph
can I get that as a JSON object?
now translate it to Spanish
ok now summarize it in one line
can you turn that into bullet points?
perfect, now turn it into a class
thanks, now do the same for the other column
Love it! Could you make the ending a bit happier?
good draft. make it sound more confident
Can you make the tone more playful?
tweak it so it fits on one slide
make the intro punchier
use British spelling please
also add a closing line with my name, Sam
can you rewrite the function as a one-liner for fun?
condense this into three bullet points for my boss
can you reformat the table so the totals are at the bottom?
make the font suggestions bigger in the CSS
Could you write it in the second person instead?
rephrase this sentence for me: "we are pleased to announce the launch"
can you say that again in French?
it's not wrong, just longer than I need. could you trim it?
can you double the recipe for 8 people?
make it sound less like a robot wrote it
could you give it a catchier title?
can you use tabs instead of spaces
write it as a numbered list instead please
could you also add a short intro?
can you translate that to German?
make it rhyme better
not bad! can you make a version in French?
"""

NEGATIVE["clarifying_request"] = r"""
what do you mean by "idempotent"?
what's a mutex? you mentioned it above
why did you use a set there?
can you explain why step 3 works?
I'm not familiar with the term amortization, can you explain it?
where does the 0.5 come from?
how did you get from line 2 to line 3?
what does the -r flag do?
is that per month or per year?
does that include tax?
which version of Python is this for?
why is it O(log n)?
Quick question about your answer: what's the difference between the two options you listed?
sorry, I'm new to this: what's a terminal?
what does "mutable" mean here?
so the answer is 12, right?
just to check: you mean the left one?
where do I put this code?
do I need to install anything first?
why does the loop start at 1 and not 0?
what's the "self" parameter for?
how do I run this?
is that in Celsius or Fahrenheit?
which file should this go in?
what does the ** operator do?
is there a reason you chose Postgres over MySQL?
Interesting, why does that happen?
How long would that take to cook in a regular oven?
would this also work on a Mac?
just curious, how did you know that?
what would happen if I skipped step 4?
what's the difference between your first and second suggestion?
can you explain the regex part piece by piece?
why did you pick 0.01 as the learning rate?
how sure are we about that number, is it an estimate?
is this approach safe for production?
why 8 and not 10?
interesting, can you explain the second point more?
wait, what does 'amortized' mean?
what's the most common mistake people make with this?
"""

NEGATIVE["self_correction"] = r"""
wrong question on my part. how do I reverse a list in place?
my bad, I gave you the wrong numbers. The width is 12, not 10.
sorry, typo in my question: it should be 2x + 3, not 2x + 5
ah I mistyped, I meant Austria. what's the capital of Austria?
my mistake, the file is a TSV not a CSV. how do I read that?
scratch that, different question: how do I rename a git branch?
I asked that wrong, sorry. What I need is the average, not the sum.
actually, ignore my last question. new one: what's a good beginner guitar?
I forgot to mention it's for Python 2, sorry!
oops, I meant kilometers, my fault. how many miles is 42 km?
Sorry, I phrased that badly on my end. Can you show the same thing with a dictionary?
I should have said the list is sorted. Does that change the best approach?
Oh wait, I copied the wrong error into my question. Here's the real one: ModuleNotFoundError: No module named 'yaml'
My fault, I pasted the wrong function. Here's the one I meant: def area(r): return 3.14 * r * r
That was the wrong question to ask. Better one: how do I profile memory usage?
Hmm, I realize my question was ambiguous. I meant the 2020 census, what were the results?
sorry, I meant tomorrow, not today. what's the forecast for tomorrow?
I was confused, it's my teacher who said 54. You're right that it's 56.
whoops, wrong chat. anyway, what's a good pasta recipe?
my question had a mistake, the price is $40 not $45. what's 15% off $40?
never mind that last part of my question, I figured that bit out. The rest of your answer is what I needed.
I left out a detail, sorry: the dates are in European format. How do I parse those?
oh, I gave you the old version of my code, here's the current one: print(total / count)
oops, my mistake, I meant June not July. can you redo it for June?
sorry, I forgot to say it's for kids. can you make it simpler?
"""

NEGATIVE["new_question"] = r"""
how do I make a sourdough starter?
What's the capital of Peru?
write a haiku about snow
next: what's 12% of 350?
different topic: how do vaccines work?
unrelated, but what's a good laptop for students?
also, how do I center text in CSS?
ok new question. what is an ETF?
can you recommend a sci-fi book?
what's the difference between affect and effect
how many ounces in a cup
Who won the 2018 World Cup?
tell me a joke
what should I cook tonight
how do I set up a cron job
explain recursion
what's the weather like in Lisbon in May
how do I say hello in Korean
Write a SQL query that counts orders per customer.
Is it safe to eat raw cookie dough?
What year did the Berlin Wall fall?
what are some good stretches for runners
How do I convert Celsius to Kelvin?
How should I train for my first marathon?
why do cats purr
solve 3x - 5 = 16
define entropy
how does a VPN work
How do I handle a KeyError in Python?
What's the difference between a syntax error and a runtime error?
Is it wrong to eat cereal for dinner?
why do people say someone "got up on the wrong side of the bed"?
what should I do if my code throws an exception I don't understand?
try-except vs if-else, which is better in Python?
What's a good way to say no to extra work politely?
how do I fix a flat bike tire?
when should I use try again logic in a network client?
what does "error 404" mean on a website?
Can you help me write a cover letter?
How many calories are in a banana?
what's a good name for a black cat?
What causes hiccups?
What's the best way to learn touch typing?
can you explain what a mortgage is
next question: how do bees make honey?
how do I wrap text in excel
who invented the printing press?
give me a quick workout I can do at my desk
Explain what an API is in simple terms.
What's the plural of "octopus"?
what's the time difference between London and New York?
how do you make guacamole
what are the symptoms of dehydration
write a short poem about my dog Pepper
What should I look for when buying a used car?
what's the best way to store fresh herbs?
How does compound interest work?
Can you explain the rules of cricket?
How do I take a screenshot on a Mac?
what's a good stretch for tight hamstrings?
Are there any good free alternatives to Photoshop?
how far is the moon?
write me a limerick about a frog
how can I tell if an egg is still fresh?
what's the longest river in Europe?
Is it better to learn Python or JavaScript first?
unrelated: how do I clean my keyboard?
new question: what's the boiling point of milk?
different thing: can you recommend a budgeting app?
how do I fix 'permission denied' when running a script?
"""

NEGATIVE["chitchat"] = r"""
no worries
no problem
haha
lol that's funny
you're funny
how are you today?
good night!
have a nice day
bye for now
I'll be back later
ok I'm heading out, talk later
brb
hello again
nice to meet you
you're the best
I like talking to you
what's your name?
are you a robot?
do you have feelings?
I'm tired today
it's raining here lol
that's all for now
no, that's everything, thanks
nope, nothing else
No thanks, I'm good.
not right now
no need, that's fine
nah it's fine, I was just curious
It's not a big deal, I was just curious.
wow I never knew that
interesting!
huh, TIL
oh that's neat
I can't believe how easy that was
hmm interesting, let me think about it
ok, I'll read up on that later
lol my cat just walked across the keyboard
nope, all good
no more questions for today
I'm going to try this tomorrow morning
good morning!
happy friday!
that's cool
haha ok
fair enough
makes sense
I see
oh ok
mhm
true
no, that's all I needed
nothing else, you answered it
thanks, that's it for today
see you tomorrow!
you've been a great help today
ha, my sister will be so annoyed I was right
I'll let you know how it goes
alright, time for lunch
good to know
nope, that covers it
no more questions, cheers
nah I'm good, thanks
I'll try it and let you know
"""


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


def templated_positives(rng: random.Random) -> list[tuple[str, str]]:
    """Corrections of facts and code-error reports, each fact/error used once with a random frame."""
    out: list[tuple[str, str]] = []
    for wrong, right, stmt in FACTS:
        frame = rng.choice(FACT_FRAMES)
        text = frame.format(wrong=wrong, right=right, stmt=stmt)
        out.append((text[0].upper() + text[1:] if rng.random() < 0.5 else text, "correction"))
    for err in CODE_ERRORS:
        text = rng.choice(CODE_LEADS).format(err=err) + rng.choice(CODE_TAILS)
        out.append((text, "code_error"))
    return out


def messages(seed: int = 7) -> list[tuple[str, int, str]]:
    """(text, label, kind) for every message."""
    rng = random.Random(seed)
    rows: list[tuple[str, int, str]] = []
    for kind, block in POSITIVE.items():
        rows += [(t, 1, kind) for t in _lines(block)]
    rows += [(t, 1, kind) for t, kind in templated_positives(rng)]
    for kind, block in NEGATIVE.items():
        rows += [(t, 0, kind) for t in _lines(block)]
    return rows
