"""Creative writing whose success code can check: haiku, acrostics, limericks, very short stories, slogans,
couplets with given end words, tweets, titles in Title Case, name lists, riddles, descriptions that avoid
given words and poems with a given first word. Written for ModRoute.

Every response below was written by hand. The instruction around it is phrased from a few hand-written
variants and states every constraint in words; the same constraints go into the row's `constraints`
field, and data/build_instructions.py refuses any response that does not satisfy them (checked with
pipeline.scoring_constraints, the scorer the held-out set is graded with). Held-out items use topics and
words that training does not, plus a few combinations of constraints that training never asks for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Task:
    kind: str
    difficulty: str
    question: str
    constraints: dict
    text: str = ""  # the hand-written response (empty for held-out items)

    def response(self) -> str:
        return self.text


def _q(s: str) -> str:
    return f'"{s}"'


def _and(words) -> str:
    words = [_q(w) for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# ----------------------------------------------------------------------------- how each kind is asked
def ask_haiku(rng, topic, include=None):
    q = rng.choice(["Write a haiku about {t}.", "Compose a haiku on {t}.", "Can you write me a haiku about {t}?",
                    "Haiku time: {t}.", "I'd love a haiku about {t}."]).format(t=topic)
    q += " " + rng.choice(["It must have exactly 3 lines.", "Use exactly three lines.", "Three lines, please.",
                           "Keep it to three lines."])
    cons = {"lines": 3}
    if include:
        q += " " + rng.choice(["Include the word {w}.", "Use the word {w} somewhere.",
                               "Work in the word {w}."]).format(w=_q(include))
        cons["include"] = [include]
    return q, cons


def ask_acrostic(rng, word, topic=None):
    about = f" about {topic}" if topic else ""
    q = rng.choice([
        f"Write an acrostic poem on the word {word}{about}: the first letters of the lines spell {word}.",
        f"Make an acrostic for {word}{about}. Each line starts with the next letter of the word.",
        f"Acrostic poem{about}, word: {word}. One line per letter, in order.",
        f"Can you write an acrostic using {word}{about}? The lines' first letters should spell it out.",
    ])
    return q, {"acrostic": word}


def ask_limerick(rng, words, topic=None):
    about = f" about {topic}" if topic else ""
    q = rng.choice([
        f"Write a limerick{about} (5 lines) that uses the words {_and(words)}.",
        f"Give me a five-line limerick{about}. It has to include {_and(words)}.",
        f"Limerick request{about}: five lines, and work in the words {_and(words)}.",
    ])
    return q, {"lines": 5, "include": list(words)}


def ask_story(rng, words, max_words):
    q = rng.choice([
        f"Write a story of at most {max_words} words that includes the words {_and(words)}.",
        f"Tell a very short story, no more than {max_words} words, using the words {_and(words)}.",
        f"Micro-fiction: {max_words} words maximum. It must contain {_and(words)}.",
        f"In {max_words} words or fewer, write a little story featuring {_and(words)}.",
    ])
    return q, {"max_words": max_words, "include": list(words)}


def ask_six(rng, topic):
    q = rng.choice([f"Write a six-word story about {topic}.", f"Tell the story of {topic} in exactly six words.",
                    f"Six-word story, topic: {topic}."])
    if not q.startswith("Tell"):
        q += " " + rng.choice(["Exactly six words.", "Use exactly 6 words."])
    return q, {"min_words": 6, "max_words": 6}


def ask_slogan(rng, product, word, max_words):
    q = rng.choice([
        f"Write a slogan for {product} in under {max_words + 1} words. It must contain the word {_q(word)}.",
        f"I need a catchy tagline for {product}: one line, at most {max_words} words, using the word {_q(word)}.",
        f"Come up with a slogan for {product} that includes {_q(word)}. Keep it to {max_words} words or fewer.",
    ])
    return q, {"lines": 1, "max_words": max_words, "include": [word]}


def ask_couplet(rng, ends, topic=None):
    about = f" about {topic}" if topic else ""
    a, b = ends
    q = rng.choice([
        f"Write a rhyming couplet{about}: the first line ends with {_q(a)} and the second with {_q(b)}.",
        f"Two rhyming lines{about}, please. End line one with {_q(a)} and line two with {_q(b)}.",
        f"Give me a couplet{about} whose lines end in the words {_q(a)} and {_q(b)}, in that order.",
    ])
    return q, {"ends_with_words": [a, b]}


def ask_tweet(rng, subject, word):
    q = rng.choice([
        f"Write a tweet {subject}. Stay under 280 characters, use the word {_q(word)} and add a hashtag.",
        f"Draft a social media post (max 280 characters) {subject}. Mention {_q(word)} and include at least one "
        f"hashtag.",
        f"Tweet {subject}, under 280 characters, with the word {_q(word)} and a hashtag.",
    ])
    return q, {"max_chars": 280, "include": [word], "min_hashtags": 1}


def ask_title(rng, desc, max_words):
    q = rng.choice([
        f"Suggest a title for {desc}. Use Title Case, at most {max_words} words, and reply with the title only.",
        f"What would be a good title for {desc}? Give one title in Title Case, {max_words} words or fewer.",
        f"Title needed for {desc}: one line, Title Case, no more than {max_words} words.",
    ])
    return q, {"lines": 1, "title_case": True, "max_words": max_words}


NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six"}


def ask_names(rng, thing, count):
    n = NUMBER_WORDS[count]
    q = rng.choice([
        f"Suggest {n} names for {thing}, one per line, each at most three words.",
        f"Brainstorm {n} possible names for {thing}. Put each on its own line and keep each to three words or fewer.",
        f"Give me {count} name ideas for {thing}: one name per line, no more than 3 words each, no explanations.",
    ])
    return q, {"lines": count, "max_words_per_line": 3}


def ask_riddle(rng, thing, max_words):
    q = rng.choice([
        f"Write a riddle about {thing} in at most {max_words} words. Don't say the answer, and end with a question "
        f"mark.",
        f"Make up a riddle whose answer is {thing}. Keep it under {max_words + 1} words, finish with a question, "
        f"and don't give the answer away.",
    ])
    word = thing.split()[-1]
    return q, {"max_words": max_words, "ends_with": "?", "exclude": [word]}


AVOID_MIN_WORDS = 12


def ask_avoid(rng, thing, banned, max_words):
    least = AVOID_MIN_WORDS
    q = rng.choice([
        f"Describe {thing} in {least} to {max_words} words without using the words "
        f"{_and(banned).replace(' and ', ' or ')}.",
        f"In {least}-{max_words} words, describe {thing}. You may not use {_and(banned).replace(' and ', ' or ')}.",
        f"Word-ban challenge: describe {thing} without the words {_and(banned).replace(' and ', ' or ')}, "
        f"at least {least} and at most {max_words} words.",
    ])
    return q, {"min_words": least, "max_words": max_words, "exclude": list(banned)}


def ask_opening(rng, topic, first, lines=4):
    q = rng.choice([
        f"Write a {NUMBER_WORDS[lines]}-line poem about {topic} whose first word is {_q(first)}.",
        f"Write a short poem about {topic}: exactly {lines} lines, starting with the word {_q(first)}.",
        f"Begin with {_q(first)} and write a {lines}-line poem about {topic}.",
    ])
    return q, {"lines": lines, "starts_with": first.lower()}


def L(*lines: str) -> str:
    return "\n".join(lines)


# ----------------------------------------------------------------------------- training: hand-written
# (topic, word to include or None, haiku)
HAIKU = [
    ("morning fog over a lake", None, L("Grey breath on the lake", "a heron waits, half erased",
                                        "the sun finds its wings")),
    ("a cat asleep in the sun", "whiskers", L("Curled in the warm square", "whiskers twitch at dreamt-up birds",
                                              "the afternoon stills")),
    ("the first snow of the year", None, L("First snow on the steps", "every footprint is the first",
                                           "the street holds its breath")),
    ("city rain at night", "neon", L("Neon in puddles", "taxis stitch the wet street shut", "umbrellas bloom, close")),
    ("autumn leaves", "amber", L("Amber leaves let go", "the oak counts them as they fall", "and keeps none of them")),
    ("a cup of tea", None, L("Steam curls from the cup", "my hands learn the shape of warmth",
                             "the kettle ticks, cools")),
    ("the ocean at dawn", "salt", L("Salt wind at first light", "waves fold the night into foam",
                                    "gulls argue with gold")),
    ("riding a bicycle downhill", None, L("Downhill, no brakes yet", "the wind writes across my face",
                                          "the bell laughs for me")),
    ("a power cut", "candle", L("The lights go out, hush", "one candle makes a small room", "we talk in its glow")),
    ("a library", None, L("Quiet rows of spines", "a thousand voices waiting", "for someone to ask")),
    ("spring rain in a garden", "worm", L("Soft rain on the beds", "a worm writes its slow letter",
                                          "in the dark wet soil")),
    ("a train journey", None, L("Fields blur into green", "the window hums a lullaby", "my stop comes too soon")),
    ("a desert at noon", "lizard", L("White sun, no shadow", "a lizard blinks on the rock", "time has melted here")),
    ("a lighthouse", None, L("One eye on the dark", "the lighthouse sweeps the cold sea", "ships count on its blink")),
    ("a garden snail", None, L("Snail on the wet wall", "carrying its house uphill", "in no hurry, home")),
    ("the full moon", "silver", L("Silver on the roofs", "the moon walks the quiet town", "checking every door")),
    ("a thunderstorm", None, L("Thunder rolls the hills", "the dog presses to my knee", "we count to the flash")),
    ("flying a kite", "string", L("Red kite on the wind", "the string hums in my small hand", "the sky pulls, I hold")),
    ("bread baking", None, L("Dough sighs in the bowl", "the oven warms the whole house", "crust sings as it cools")),
    ("a frozen pond", "skates", L("Skates scratch the grey ice", "a child's laugh skims the pond",
                                  "breath clouds hang and fade")),
    ("an old photograph", None, L("Faded in my hand", "my grandmother, twenty-one", "smiling at someone")),
    ("cherry blossoms", "petals", L("Petals on the wind", "pink snow on the bicycle", "spring, gone in a week")),
    ("a mountain summit", None, L("Above the last cloud", "the wind is the only voice", "the world falls away")),
    ("an empty beach in winter", None, L("Winter beach, no one", "the lifeguard chair faces waves",
                                         "that nobody swims")),
    ("fireflies", "jar", L("Fireflies at dusk", "an empty jar in my hands", "I let the night keep them")),
    ("a busy restaurant kitchen", None, L("Pans hiss, knives drum fast", "the chef calls out table six",
                                          "steam fogs every glass")),
    ("a sleeping baby", None, L("Small fists by her ears", "the whole house tiptoes tonight",
                                "her breath sets the pace")),
    ("the first day of school", "backpack", L("New backpack, too big", "she waves once and does not look",
                                              "back at the school gate")),
    ("a subway platform", None, L("Warm wind from the dark", "the tunnel sings before the train",
                                  "doors sigh, crowds exhale")),
    ("snow on pine trees", "pine", L("Pine boughs bow with snow", "a crow shakes one loose and laughs",
                                     "white dust in blue air")),
    ("a river in spring", None, L("Melt swells the river", "it talks louder every day", "stones roll in its voice")),
    ("a quiet office at night", "monitor", L("One monitor glows", "the cleaner hums down the hall",
                                             "the deadline can wait")),
    ("a storm at sea", None, L("Black waves climb the bow", "the deck tilts toward the lightning",
                               "we hold the rail, pray")),
    ("a vegetable garden", "tomato", L("One red tomato", "warm from the vine in my palm", "summer in a bite")),
    ("an owl at night", None, L("The owl asks its one", "question into the dark woods", "nobody answers")),
    ("a rainy Sunday", None, L("Rain taps the window", "a book, a blanket, no plans", "the clock forgets us")),
    ("waiting at a bus stop in the rain", "umbrella", L("One umbrella, two", "strangers under it, the bus",
                                                        "late, and no one minds")),
    ("the end of summer", None, L("Last swim of the year", "the lake is colder than June", "we stay in, longer")),
    ("a market morning", "basket", L("Basket full of plums", "the stall owner rounds it down", "and winks at my kid")),
    ("a foggy harbour", None, L("Fog swallows the boats", "only the bells still answer", "the gulls wait it out")),
    ("wind chimes", None, L("The wind finds the chimes", "three notes, then a long silence", "then the wind returns")),
    ("a late-night snack", "toast", L("Midnight, buttered toast", "the fridge light is my small moon",
                                      "crumbs on the cold floor")),
    ("a field of sunflowers", None, L("Ten thousand faces", "turning slowly toward the sun", "none of them blinking")),
    ("an airport at dawn", "suitcase", L("Dawn gate, half asleep", "my suitcase knows where it goes",
                                         "I follow it there")),
    ("moss on a stone wall", None, L("Green moss on the wall", "a hundred years of quiet", "grown one inch thick")),
]

# (word, topic or None, poem)
ACROSTIC = [
    ("MOON", None, L("Milky light spills on the roofs,", "Over the fields and the sleeping town,",
                     "Only the owls are awake to see", "Night wearing its silver crown.")),
    ("RAIN", None, L("Roofs drum softly in the dark,", "All the gutters start to sing,",
                     "In the garden, worms come up,",
                     "New green shoots drink everything.")),
    ("HOME", None, L("Hallway shoes in a crooked row,", "Old jokes only we still get,",
                     "Mugs that wait beside the sink,",
                     "Evening lights that say come in.")),
    ("SEA", None, L("Salt on my lips and wind in my hair,", "Every wave rewrites the shore,",
                    "Always leaving, always back.")),
    ("TREE", None, L("Tall and patient by the road,", "Roots that hold the hill in place,",
                     "Every spring it dresses green,",
                     "Every autumn lets it go.")),
    ("STAR", "a sailor at night", L("Small and far and burning bright,", "Travelling light from long ago,",
                                    "A sailor's guide across the dark,", "Rising where the sea meets sky.")),
    ("BREAD", None, L("Butter melting on a slice,", "Rising dough beneath a cloth,", "Early ovens warm the street,",
                      "All the kitchen smells of home,", "Dinner starts with something warm.")),
    ("SNOW", None, L("Silent flakes on sleeping streets,", "Nothing moves but falling white,",
                     "Our footprints are the first today,", "Winter hushes everything.")),
    ("MUSIC", None, L("Melodies drift through the open door,", "Under the floor the bass keeps time,",
                      "Someone hums along in the hall,", "In the kitchen a spoon taps out a beat,",
                      "Common joy in a borrowed tune.")),
    ("GARDEN", None, L("Green shoots push through the spring soil,", "All the bees are back at work,",
                       "Roses climb the wooden fence,", "Dahlias nod in the afternoon,",
                       "Every weed gets one more day,",
                       "Night brings snails and falling dew.")),
    ("OCEAN", None, L("Over the edge of the world it rolls,", "Calm at dawn and wild by night,",
                      "Every wave a traveller,", "A blue that swallows all the light,",
                      "Never the same, never still.")),
    ("CAT", None, L("Curled on the warmest chair in the house,", "Always ignoring the call for dinner,",
                    "Then at midnight, singing for it.")),
    ("BOOK", None, L("Between two covers, a whole new world,", "Old maps, new friends, a secret door,",
                     "One more chapter, then lights out,", "Keeping me up until half past four.")),
    ("WINTER", None, L("White roofs under a low grey sky,", "Icicles hanging from the gutter,",
                       "Neighbours shovel their paths at dawn,", "Tea steams between cold hands,",
                       "Evenings come before five o'clock,", "Radiators tick and hum.")),
    ("DREAM", None, L("Drifting through rooms I have never seen,", "Running but never getting far,",
                      "Every face familiar and strange,", "A door that opens on the sea,",
                      "Morning erases all of it.")),
    ("LIGHT", None, L("Long beams through the morning blinds,", "In the kitchen, dust like gold,",
                      "Glass throws rainbows on the wall,", "Honey-coloured afternoon,",
                      "Then the lamp when day is done.")),
    ("RIVER", None, L("Running down from the mountain snow,", "In no hurry and never still,",
                      "Vines lean over to drink from it,", "Every town was built by its side,",
                      "Reaching the sea at last.")),
    ("FRIEND", None, L("First to call when the news is bad,", "Ready with soup and a terrible joke,",
                       "In every photo, pulling a face,", "Even my secrets are safe with you,",
                       "Never too busy to listen,", "Dependable as morning.")),
    ("SPRING", None, L("Sun returns to the garden beds,", "Puddles shine on the morning path,",
                       "Robins argue over worms,",
                       "In the park the blossom falls,", "New lambs wobble in the fields,",
                       "Green comes back to everything.")),
    ("CITY", None, L("Cranes on the skyline, horns below,", "Indian, Thai and Polish food on one street,",
                     "Trains that rattle the windows at night,", "Yellow lights that never sleep.")),
    ("FIRE", "a winter evening", L("Flames that crackle in the grate,", "In their glow the stories start,",
                                   "Red coals settle into ash,", "Everyone edges closer in.")),
    ("HOPE", None, L("Holding on when the news is grim,", "One small light in a window left on,",
                     "Planting bulbs in the cold November,", "Expecting spring to come.")),
    ("CLOUD", None, L("Castles drifting over the hills,", "Lambs and dragons, then nothing at all,",
                      "Only the wind decides their shape,", "Under them, shadows cross the fields,",
                      "Drifting on to another sky.")),
    ("FOREST", None, L("Ferns unroll in the shade,", "Owls wait for the dark,", "Roots knot under the path,",
                       "Every trunk wears moss,", "Sunlight comes in coins,", "Trails vanish into green.")),
    ("COFFEE", "the start of a workday", L("Cup number one before the sun,", "Old mug chipped at the rim,",
                                           "Foam drawn into a lopsided heart,", "Fresh beans ground with a roar,",
                                           "Every sip a small alarm,", "Enough to face the day.")),
    ("TRAIN", None, L("Tracks that hum before it comes,", "Rattling windows, rushing fields,",
                      "All the towns go flicking past,", "In my seat I doze and dream,", "Next stop, someone waves.")),
    ("BEACH", None, L("Buckets, spades and sandy toes,", "Ever-moving line of foam,", "Adults dozing under hats,",
                      "Crabs that scuttle under stones,", "Home with salt still in our hair.")),
    ("PIANO", None, L("Polished keys in black and white,", "In the hall a student plays,",
                      "A wrong note, then a right one,",
                      "Notes climbing up the stairs,", "One last chord hangs in the air.")),
    ("APPLE", None, L("August sun on a heavy branch,", "Polished red on my sleeve,",
                      "Picked and bitten, crisp and cold,",
                      "Little seeds like brown tears,", "Every core goes to the hens.")),
    ("SMILE", None, L("Small thing, and it costs nothing,", "Makes a stranger's morning warm,",
                      "In the queue it passes on,", "Like a light from hand to hand,", "Even the bus driver grins.")),
    ("STORM", None, L("Sky gone green above the hills,", "Trees bent low and wind that howls,",
                      "One great crack, and the lights go out,", "Rain like gravel on the glass,",
                      "Morning finds the branches down.")),
    ("PARK", None, L("Pigeons gathering round the bench,", "A kid who will not leave the swings,",
                     "Runners looping past the pond,", "Kites that tangle in the trees.")),
    ("CANDLE", None, L("Cupped in a jar on the windowsill,", "A small flame leaning in the draught,",
                       "Night pushed back to the corners,", "Drips of wax like frozen tears,",
                       "Light enough to read by,", "Every shadow softly swaying.")),
    ("MARKET", None, L("Mangoes piled in golden hills,", "All the stallholders calling out,",
                       "Radishes still wet with dew,", "Kids with sticky fingers,", "Everyone bargaining for fun,",
                       "The smell of bread and oranges.")),
    ("SUMMER", None, L("Sunscreen on a sunburned nose,", "Ugly sandals, ice cream drips,",
                       "Mornings warm before the dawn,",
                       "Midnight talks on the back step,", "Evenings long and gold and slow,",
                       "Radios playing by the pool.")),
]

# (words to include, topic or None, limerick)
LIMERICK = [
    (["cat", "hat"], None, L("A cat who was fond of a hat", "Would wear it wherever she sat.",
                             "It slipped on the stairs,",
                             "It fell on the chairs,", "And now it is terribly flat.")),
    (["baker", "bread"], None, L("A baker who lived by the sea", "Baked bread that was shaped like a tree.",
                                 "The branches were rolls,", "The roots were in bowls,",
                                 "And the leaves were served up with the tea.")),
    (["robot", "dance"], None, L("A robot who wanted to dance", "Took lessons one summer in France.",
                                 "It spun on one wheel,", "It clattered with zeal,",
                                 "And it oiled both its knees in advance.")),
    (["goat", "boat"], None, L("A goat who was keen on a boat", "Set off in a thick woolly coat.",
                               "The waves made him sick,", "So he turned around quick,",
                               "And decided he'd rather just float.")),
    (["chef", "soup"], None, L("A chef with a passion for soup", "Made a pot for a whole scouting troop.",
                               "It was salty and green,", "The worst they had seen,",
                               "So they poured it away with a whoop.")),
    (["penguin", "ice"], None, L("A penguin who thought ice was nice", "Would slide down the glacier twice.",
                                 "He'd waddle back up", "With a warm cocoa cup,",
                                 "And declare it was worth any price.")),
    (["dentist", "smile"], None, L("A dentist who lived on the Nile", "Had a wide and a dazzling smile.",
                                   "He flossed every day", "In a vigorous way,",
                                   "And he sang while he brushed for a while.")),
    (["owl", "towel"], None, L("An owl with a bright yellow towel", "Went swimming and let out a howl.",
                               "The pond was too cold,", "Or so I've been told,",
                               "So he dried off and went for a prowl.")),
    (["dragon", "tea"], None, L("A dragon who liked to drink tea", "Would boil it as fast as could be.",
                                "One breath on the pot", "And it got far too hot,",
                                "So he poured it back into the sea.")),
    (["teacher", "homework"], "a very strict school", L("A teacher once set so much homework",
                                                        "That even the goldfish went berserk.",
                                                        "It swam round in rings", "Doing sums and such things,",
                                                        "Until it gave up with a smirk.")),
    (["runner", "shoe"], None, L("A runner who lost her left shoe", "Kept going the whole marathon through.",
                                 "She hopped the last mile", "With a wobbly smile,",
                                 "And finished in second place too.")),
    (["frog", "log"], None, L("A frog who was perched on a log", "Gave a speech to the rest of the bog.",
                              "He croaked about flies", "And the shape of the skies,",
                              "Till they all disappeared in the fog.")),
    (["pirate", "parrot"], None, L("A pirate whose parrot could sing", "Taught it songs about treasure and spring.",
                                   "It sang in the night,", "Gave the crew such a fright,",
                                   "That they crowned it the ship's little king.")),
    (["gardener", "bean"], None, L("A gardener planted a bean,", "The biggest that ever was seen.",
                                   "It grew through the roof,", "Which was all the proof",
                                   "That the compost was wildly too keen.")),
    (["astronaut", "moon"], None, L("An astronaut up on the moon", "Decided to whistle a tune.",
                                    "But nobody heard,", "Not even a bird,", "So she packed up and headed home soon.")),
    (["mouse", "cheese"], None, L("A mouse with a fondness for cheese", "Would eat it whenever you please.",
                                  "He nibbled the brie", "And the cheddar for tea,",
                                  "And he sneezed at the blue with great ease.")),
    (["knight", "kite"], "a nervous hero", L("A knight who was scared of a fight", "Spent his days flying a kite.",
                                             "When dragons came near,", "He would hide by the pier,",
                                             "And come out again late at night.")),
    (["duck", "truck"], None, L("A duck who was driving a truck", "Got stuck in a puddle of muck.",
                                "She quacked for a tow,", "But the tow truck was slow,",
                                "So she flew off and wished them good luck.")),
    (["violin", "grin"], None, L("A girl with a squeaky violin", "Played all night with a mischievous grin.",
                                 "The neighbours complained,", "The cat was retrained,",
                                 "But the scales are now starting to win.")),
    (["snail", "race"], None, L("A snail who had entered a race", "Set off at a dignified pace.",
                                "By the end of July", "He had passed a small fly,",
                                "And he's proud of his ninety-ninth place.")),
]

# (words to include, word limit, story)
STORIES = [
    (["lantern", "river"], 50,
     "Every night Mira floated a paper lantern down the river for her brother, who had sailed away. One evening a "
     "lantern came drifting back upstream, against the current. Inside, in his handwriting, was a single word: Soon."),
    (["key", "attic", "rain"], 60,
     "The rain kept us indoors all week, so Grandpa finally gave us the key to the attic. Behind boxes of old coats "
     "we found a wooden chest full of letters, all addressed to him, all from a woman named Rose. He smiled and "
     "said, 'Your grandmother.'"),
    (["robot", "garden"], 50,
     "The old robot had been built to fight fires, but the town no longer needed it. So it learned to garden "
     "instead. Its steel hands crushed seedlings at first. By spring, though, the whole street was full of "
     "sunflowers taller than its head."),
    (["train", "umbrella", "stranger"], 60,
     "I missed the last train and stood on the platform in the rain. A stranger offered me half her umbrella. We "
     "walked to the next town together, talking about books. Ten years later, she still teases me that I only "
     "married her to stay dry."),
    (["clock", "bakery"], 45,
     "The clock above the bakery had stopped at six for fifty years. Nobody fixed it because the bread was always "
     "ready at six anyway. When a new owner finally repaired it, the loaves started burning. She let it stop again."),
    (["map", "island"], 50,
     "The map showed an island where no island should be. Captain Reyes sailed there anyway, laughing at the crew's "
     "worries. At dawn they found only open sea and a small rowing boat, empty except for a copy of the same map."),
    (["violin", "snow"], 40,
     "On the coldest night of the year, an old man played his violin on the corner as the snow fell. Nobody "
     "stopped. Then a small girl put down her shopping and danced, and soon the whole street was dancing."),
    (["dog", "postman", "letter"], 50,
     "Every morning the dog barked at the postman, and every morning the postman laughed. When the dog fell ill, "
     "the postman brought a letter addressed to 'The Good Boy at Number Nine.' Inside was a single biscuit."),
    (["phone", "battery", "forest"], 60,
     "Lost in the forest, Dev watched his phone battery drop to one percent. He had time for one message, so he "
     "sent his location to his sister. The screen went dark. Two hours later a torch swept through the trees, and "
     "she was shouting his name."),
    (["seed", "window"], 40,
     "Ana planted a seed in a cup on her window. For weeks nothing happened, and she almost threw it out. "
     "Then one morning a tiny green loop pushed through the soil, and she cheered as if it were her birthday."),
    (["cafe", "chess"], 50,
     "Every Tuesday at the corner cafe, two old men played chess without speaking. When one stopped coming, the "
     "other kept setting up both sides of the board. A month later a young woman sat down, moved a pawn, and said, "
     "'My father taught me.'"),
    (["spaceship", "sandwich"], 45,
     "The spaceship had crossed three galaxies to make first contact. The alien captain stepped out, and the world "
     "held its breath. He looked around, pointed at a child's cheese sandwich, and politely asked for the recipe."),
    (["shoes", "wedding"], 50,
     "Her new shoes pinched all through the wedding. At the party she kicked them off and danced barefoot on the "
     "grass, and soon every guest had done the same. The best photo of the day was a pile of abandoned shoes under "
     "a tree."),
    (["moon", "fisherman"], 45,
     "One night the fisherman caught the moon, reflected in his net. He tried to haul it aboard, but it slipped "
     "through the knots and floated back to the sky. He laughed all the way home, net empty, heart full."),
    (["library", "book", "overdue"], 60,
     "The library sent the notice forty years late: one book, overdue. My father went pale. He found it in the "
     "attic, a children's atlas with his name inside, and carried it back himself. The librarian waived the fine "
     "and asked him to sign a photo for the wall."),
    (["bicycle", "hill"], 40,
     "Leo pushed his bicycle up the hill every day for a year, never riding it. On his last day of school he "
     "finally climbed on at the top, let go of the brakes, and flew all the way down, shouting."),
    (["mirror", "cat"], 40,
     "The cat saw itself in the mirror and puffed up to twice its size. The other cat did the same. After an hour "
     "of staring, they both gave up, yawned at the same moment, and went to sleep."),
    (["volcano", "birthday"], 50,
     "For her birthday Zoe asked for a volcano. Her parents bought a kit with baking soda and vinegar. She built it "
     "on the kitchen table, poured in everything at once, and watched red foam swallow the cake. Best party ever, "
     "she said."),
    (["ghost", "kitchen"], 45,
     "The ghost in our kitchen only ever did one thing: it washed the cups at night. We never saw it, but every "
     "morning the sink was empty. When we moved house, we left it a thank-you note and a new sponge."),
    (["letter", "bottle", "beach"], 60,
     "On the beach Kofi found a bottle with a letter inside. A girl on the other side of the ocean was asking if "
     "anyone was out there. He wrote back, threw the bottle into the waves, and checked the sand every morning for "
     "the next twelve years."),
    (["elevator", "song"], 45,
     "The elevator stuck between the ninth and tenth floors with six strangers inside. After ten minutes of "
     "silence, someone started a song. By the time it moved again they knew all the words, and they still meet "
     "every year."),
    (["lighthouse", "storm"], 50,
     "The lighthouse keeper had retired, but the storm came anyway. Seeing the dark tower from her window, she "
     "pulled on her boots, climbed the two hundred steps one last time, and lit the lamp. By morning three boats "
     "were safely home."),
    (["painter", "blue"], 40,
     "The painter ran out of blue halfway through the sky, so she finished it in orange. Critics praised her bold "
     "burning sunset. She never told them the art shop had simply been closed."),
    (["piano", "neighbour"], 45,
     "My neighbour practised the same piano piece every night for a year, always stumbling on the same note. One "
     "night he played it through without a mistake. The whole building opened its windows and clapped."),
    (["tortoise", "garden", "escape"], 50,
     "Our tortoise planned his escape for months. Every day he nudged one stone at the edge of the garden. When he "
     "finally got out, we found him two houses away, eating the neighbour's strawberries and looking very pleased "
     "with himself."),
    (["snowman", "sun"], 35,
     "The snowman watched the sun rise with growing concern. By noon he had lost his hat, and by three his carrot "
     "nose. Still, he smiled with his pebble mouth right to the end."),
    (["camera", "grandmother"], 50,
     "After my grandmother died, we found her old camera with one photo left on the roll. It showed her kitchen "
     "table set for tea, with a note propped against the pot: 'Don't be sad. Eat something.'"),
    (["pilot", "clouds"], 40,
     "On her first solo flight the young pilot climbed above the clouds and forgot every instruction for a moment. "
     "It was silent and bright. Then she breathed, checked her gauges, and turned for home."),
    (["dragon", "library"], 45,
     "The dragon asked to join the library. The librarian checked the rules, and nothing said dragons could not. So "
     "he got a card, borrowed three books on knitting, and returned them on time, only slightly scorched."),
    (["keys", "midnight"], 40,
     "At midnight I realised my keys were inside and I was outside. I sat on the step, furious, until the cat "
     "pushed the door open from within. It had never been properly shut at all."),
    (["compass", "desert"], 50,
     "The compass spun wildly as soon as they entered the desert. The guide laughed, put it away, and pointed at "
     "the stars. By dawn they reached the well exactly where he said it would be."),
    (["pancake", "ceiling"], 35,
     "Dad flipped the pancake too hard, and it stuck to the ceiling. We all stared at it in silence. Then it fell, "
     "right onto the dog, who was delighted."),
    (["scarf", "wind"], 40,
     "The wind stole Priya's red scarf and carried it over the rooftops. A week later a neighbour posted a photo: "
     "her scarf woven into a crow's nest, with three blue eggs resting inside."),
    (["envelope", "door"], 45,
     "Every year on the same date an envelope appeared under our door with a pressed flower inside. We never found "
     "out who sent them. The spring Mum died, the flowers stopped, and we finally understood."),
    (["rocket", "cardboard"], 40,
     "The twins built a rocket out of cardboard and tape. They counted down from ten, shut their eyes and held "
     "hands. When they opened them they were still in the garden, but they swore they had seen stars."),
]

# (topic, six-word story)
SIX_WORD = [
    ("a lost key", "Found the key. Lost the door."),
    ("moving house", "Empty rooms still echo our laughter."),
    ("a first date", "Coffee went cold. We didn't notice."),
    ("retirement", "Forty years of alarms. Finally, silence."),
    ("a power cut", "Power out. Candles lit. Stories began."),
    ("a newborn baby", "Tiny hand. Whole world. Mine now."),
    ("space travel", "Left Earth young. Returned, everyone gone."),
    ("a garden after a loss", "Planted seeds in grief. Harvested hope."),
    ("adopting a dog", "Shelter dog chose me. Best decision."),
    ("a job interview", "Wrong building. Right job. Started Monday."),
    ("a message in a bottle", "Message in bottle. Reply: stop littering."),
    ("a rainy wedding", "Rain on the wedding. Nobody cared."),
    ("a detective", "Every clue pointed home. I knocked."),
    ("a robot", "The robot learned to laugh. Finally."),
    ("a snow day", "Snow fell. Schools closed. Sleds everywhere."),
    ("a library", "Borrowed a book. Returned a writer."),
    ("meeting an old friend", "Same laugh, thirty years later. Home."),
    ("a kitchen disaster", "Burnt the bread. Invented new toast."),
    ("running a marathon", "Last place. Still crossed the line."),
    ("a time machine", "Time machine works. Arrived yesterday, disappointed."),
]

# (product, word to include, word limit, slogan)
SLOGANS = [
    ("a reusable water bottle", "refill", 8, "Refill the bottle, not the landfill."),
    ("a neighbourhood bakery", "fresh", 8, "Fresh from our oven to your table."),
    ("an electric bike", "hills", 8, "Flatten the hills. Keep the thrill."),
    ("a budgeting app", "money", 8, "Know where your money goes, every day."),
    ("a dog-walking service", "tails", 8, "Happy tails, tired paws, home by noon."),
    ("a sunscreen", "sun", 6, "Love the sun. Skip the burn."),
    ("a coffee shop", "morning", 8, "Your morning, brewed exactly right."),
    ("a public library", "stories", 8, "A thousand stories, one free card."),
    ("a plumber", "leak", 10, "No leak too small, no call too late."),
    ("an umbrella brand", "rain", 6, "Let it rain. We've got you."),
    ("a running shoe", "miles", 8, "More miles, fewer blisters."),
    ("a recycling campaign", "bin", 8, "Right item, right bin, better planet."),
    ("a tea company", "calm", 6, "Calm, one cup at a time."),
    ("an alarm clock", "wake", 8, "Wake up gently, not grumpily."),
    ("a pizza place", "slice", 8, "One slice is never enough."),
    ("a bike lock", "safe", 6, "Park it. Lock it. Safe."),
    ("a language-learning app", "words", 8, "Five minutes a day, new words forever."),
    ("a houseplant shop", "green", 8, "Bring the green indoors."),
    ("a car wash", "shine", 6, "Dusty in, shine out."),
    ("a gym", "stronger", 8, "Every visit makes you a little stronger."),
    ("a bookshop", "page", 8, "Lose yourself, page by page."),
    ("a honey brand", "bees", 8, "Made slowly by happy bees."),
    ("an ice cream van", "summer", 8, "The sound of summer, one scoop away."),
    ("a cleaning service", "spotless", 8, "You relax. We leave it spotless."),
    ("a farmers' market", "local", 8, "Grown local, sold with a smile."),
    ("a hiking boot", "trail", 8, "Every trail, every weather, every step."),
    ("noise-cancelling headphones", "quiet", 6, "Your own quiet, anywhere."),
    ("a solar panel installer", "sunshine", 8, "Turn free sunshine into lower bills."),
    ("a children's museum", "curious", 8, "Come curious. Leave amazed."),
    ("a pet food brand", "bowl", 8, "Healthy food, happy bowl, wagging tail."),
    ("a rail company", "relax", 8, "Skip the traffic. Sit back and relax."),
    ("a knitting shop", "yarn", 8, "Good yarn, warm hands, happy hearts."),
    ("a vegetable box delivery", "doorstep", 8, "Fresh vegetables on your doorstep, every week."),
    ("a dental clinic", "smile", 6, "Brighter smile, gentler care."),
    ("a sourdough bakery", "crust", 8, "Crackling crust, soft heart, slow bread."),
]

# (end words, topic or None, couplet)
COUPLETS = [
    (["light", "night"], "a city at dusk", L("The city hums beneath the fading light,",
                                             "and one by one the windows greet the night.")),
    (["sea", "free"], None, L("I left my worries where the land meets sea,",
                              "and walked back home much lighter, almost free.")),
    (["rain", "again"], "a garden", L("The garden drinks the slow September rain,",
                                      "and every drooping flower stands again.")),
    (["tree", "me"], None, L("I carved our names into the old oak tree;",
                             "it kept them longer than you stayed with me.")),
    (["day", "away"], "the morning", L("The kettle sings to start another day,",
                                       "and all the dreams of night just steam away.")),
    (["sky", "fly"], "a kite", L("The kite pulled hard against the windy sky,",
                                 "as if it knew that it was born to fly.")),
    (["snow", "go"], None, L("The field lay quiet underneath the snow,",
                             "with tracks of foxes showing where they go.")),
    (["heart", "start"], "stage fright", L("A nervous drum is beating in my heart;",
                                           "the curtain lifts, and now the play must start.")),
    (["road", "load"], None, L("The old mule plodded down the dusty road,",
                               "and never once complained about the load.")),
    (["moon", "soon"], "an owl", L("The owl was singing to the rising moon:",
                                   "the fields are dark, the mice will wander soon.")),
    (["bread", "bed"], None, L("The house still smells of Sunday's baking bread,",
                               "and warm and full, the children go to bed.")),
    (["stone", "alone"], "an old wall", L("The wall was built by hand from stone on stone",
                                          "by one old man who liked to work alone.")),
    (["train", "plain"], None, L("We watched the hills go by from the slow train,",
                                 "then miles of yellow wheat across the plain.")),
    (["book", "look"], None, L("She hid a pressed red rose inside her book", "for anyone who thought to take a look.")),
    (["cat", "mat"], None, L("The sun came in and warmed the sleeping cat,",
                             "who stretched and claimed the whole of the mat.")),
    (["fire", "higher"], "a campfire", L("We gathered wood and fed the little fire,",
                                         "and watched the sparks climb higher and higher.")),
    (["shore", "more"], None, L("The waves kept rushing up along the shore,",
                                "each one returning, asking something more.")),
    (["song", "along"], "a road trip", L("The radio began our favourite song,",
                                         "and all four of us started singing along.")),
    (["spring", "sing"], None, L("The blackbird knows the first true day of spring,",
                                 "and on the chimney pot begins to sing.")),
    (["gold", "cold"], "autumn", L("The autumn woods were red and brown and gold,",
                                   "the mornings crisp, the evenings turning cold.")),
    (["street", "feet"], None, L("The market stalls were crowded down the street",
                                 "with music, smoke and hurrying of feet.")),
    (["sleep", "deep"], "a baby", L("The baby finally drifted into sleep;",
                                    "the house went still, the quiet soft and deep.")),
    (["door", "floor"], None, L("The puppy waited by the kitchen door,", "his muddy paw prints all across the floor.")),
    (["hill", "still"], None, L("We climbed together to the top of the hill,",
                                "and for a moment everything was still.")),
    (["tea", "me"], "a grandmother", L("My grandmother would pour a cup of tea",
                                       "and tell the same old stories just for me.")),
    (["sun", "done"], "farm work", L("We worked the field beneath the blazing sun",
                                     "and sat in shade when all the work was done.")),
    (["time", "climb"], None, L("The clock tower chimes to tell the town the time,",
                                "and pigeons flutter up the stairs they climb.")),
    (["star", "are"], None, L("I used to wish upon the brightest star", "and wonder who and where and what you are.")),
    (["rose", "grows"], None, L("Beside the gate there blooms a crimson rose;",
                                "the more I cut it back, the more it grows.")),
    (["bell", "well"], "a village", L("At noon the chapel rang its iron bell,",
                                      "and villagers drew water from the well.")),
    (["dream", "stream"], None, L("I drifted off and fell into a dream", "of paper boats afloat upon a stream.")),
    (["bright", "white"], "a winter morning", L("The morning came in crisp and clear and bright,",
                                                "the rooftops all transformed to sparkling white.")),
    (["roam", "home"], None, L("However far and wide I choose to roam,",
                               "the smell of rain will always call me home.")),
    (["wave", "brave"], "a surfer", L("The surfer paddled out to meet the wave,",
                                      "too young to know the difference: scared or brave.")),
    (["ground", "sound"], None, L("The leaves came drifting down to meet the ground",
                                  "and settled there without the slightest sound.")),
]

# (what the tweet is about, word to include, tweet)
TWEETS = [
    ("announcing a bakery's new sourdough", "sourdough",
     "Big news: our sourdough is finally here! 48 hours of slow rising, a crackly crust and a soft, tangy middle. "
     "First loaves come out at 7am Saturday, and they won't last long. #FreshBread"),
    ("about a library staying open late", "library",
     "Good news, night owls: from next week the library stays open until 10pm on Thursdays. Come study, read or "
     "just enjoy the quiet. Free tea from 8pm! #LibraryLife"),
    ("asking neighbours to look for a lost cat", "cat",
     "Lost cat near Elm Street: grey tabby, white socks, answers to Biscuit (when she feels like it). Last seen "
     "Tuesday night. Please check your sheds and garages! #LostCat"),
    ("thanking marathon volunteers", "volunteers",
     "Thank you to the 1,200 volunteers who handed out water, cheered in the rain and kept 9,000 runners safe "
     "today. You made this marathon what it is. #RunTogether"),
    ("announcing a new bike lane", "bike",
     "The new bike lane on River Road opens Monday: 3 km of protected track from the station to the park. Ride "
     "safe, wave to your neighbours and ring that bell. #CycleCity"),
    ("from a coffee shop about a reusable cup discount", "cup",
     "Bring your own cup and get 30 cents off any drink, starting today. Better for your wallet and the planet. "
     "Forgot yours? Borrow one from our shelf. #ReuseIt"),
    ("advertising a school bake sale", "cookies",
     "Our school bake sale is this Friday from 3pm! Cookies, brownies, lemon bars and a mystery cake made by Year "
     "6. Every penny goes to the new playground. #BakeSale"),
    ("giving an update on a power outage", "power",
     "Update: power is back for most homes on the east side. Crews are still working on Oak Avenue and expect to "
     "finish by 6pm. Thanks for your patience. #OutageUpdate"),
    ("about a free museum day", "museum",
     "This Sunday the city museum is free for everyone! See the new dinosaur hall, try the hands-on science room "
     "and stay for the 2pm puppet show. #FreeSunday"),
    ("sharing a gardening tip", "tomatoes",
     "Gardening tip of the week: water your tomatoes at the roots, early in the morning. Wet leaves in the evening "
     "invite mould. Your plants will thank you in August. #GrowYourOwn"),
    ("launching new wireless headphones", "battery",
     "Meet our new wireless headphones: 40 hours of battery, noise cancelling that actually works, and a case that "
     "fits in your pocket. Available from Friday. #SoundOn"),
    ("warning about a storm tonight", "storm",
     "A strong storm is expected tonight from 9pm. Bring in garden furniture, charge your phones and avoid the "
     "coast road. Stay safe, everyone. #StormWatch"),
    ("inviting people to a beach cleanup", "beach",
     "Join us Saturday at 10am for a beach cleanup at North Bay! Gloves and bags provided, coffee too. Last month "
     "we collected 80 kg of plastic. Let's beat that. #CleanSeas"),
    ("promoting a theatre matinee", "tickets",
     "Opening night is sold out, but a few tickets remain for Saturday's matinee of our new comedy. Grab them "
     "before they vanish, and bring someone who needs a laugh. #TheatreNight"),
    ("teasing a soup recipe", "soup",
     "Rainy day, so it's soup day. Roasted tomato, a little garlic, a lot of basil and crusty bread for dunking. "
     "Recipe on the blog tomorrow! #ComfortFood"),
    ("inviting beginners to a running club", "run",
     "New to running? Our Tuesday beginners' run is a gentle 5 km with no one left behind. Meet at the park gates "
     "at 6:30pm. Walk breaks welcome! #RunClub"),
    ("celebrating a cafe's tenth birthday", "years",
     "Ten years ago we opened with two tables and one very old oven. Today we celebrate with free cake for every "
     "customer. Thank you for every single visit. #TenYears"),
    ("announcing an app update", "bug",
     "Version 2.3 is out! We fixed the bug that logged some of you out at midnight, made search faster and added "
     "dark mode. Update now and tell us what you think. #AppUpdate"),
    ("about the farmers market reopening", "strawberries",
     "The farmers market is back for summer! Opening Saturday: fresh strawberries, local honey, warm bread and "
     "live music from 9am. #ShopLocal"),
    ("asking for animal shelter volunteers", "dogs",
     "Our shelter needs volunteers to walk the dogs on weekday mornings. No experience needed, just comfy shoes and "
     "an hour to spare. Sign up at the front desk. #AdoptDontShop"),
]

# (what needs a title, word limit, title)
TITLES = [
    ("a novel about a lighthouse keeper who finds a message in a bottle", 8, "The Keeper of the Northern Light"),
    ("a blog post about saving money on groceries", 8, "Smart Ways to Spend Less on Groceries"),
    ("a podcast about old maps", 5, "Lines on Old Paper"),
    ("a children's book about a shy dragon", 8, "The Dragon Who Was Afraid of Sparks"),
    ("a documentary about beekeepers in the mountains", 6, "Honey Above the Clouds"),
    ("a mystery set on a night train", 6, "Murder on the Midnight Express"),
    ("a cookbook for students on a budget", 6, "Cheap Eats for Busy Students"),
    ("a song about leaving home", 6, "Keys on the Kitchen Table"),
    ("an essay on why people love rainy days", 6, "In Praise of Rainy Afternoons"),
    ("a talk about learning a language late in life", 7, "Never Too Late to Say Hello"),
    ("a science fiction novel about the last library on Mars", 6, "The Last Library on Mars"),
    ("a travel guide to small Italian towns", 5, "Quiet Corners of Italy"),
    ("a poem about a grandmother's garden", 6, "Where My Grandmother's Roses Grow"),
    ("a workshop on public speaking for nervous people", 7, "Speaking Up When Your Knees Shake"),
    ("a chef's memoir", 6, "Burnt Fingers and Second Chances"),
    ("a board game about space pirates", 6, "Star Raiders of the Outer Rim"),
    ("a film about two rival bakers who fall in love", 4, "Rising Together"),
    ("an article about phones and sleep", 8, "Why Your Phone Is Stealing Your Sleep"),
    ("a fantasy novel about a city built on a whale", 8, "The City on the Whale's Back"),
    ("a newsletter for gardeners", 5, "Dirt Under Our Nails"),
    ("a detective series set in Lisbon", 4, "Shadows Over Lisbon"),
    ("a course on personal finance for teenagers", 5, "Money Basics for Teens"),
    ("a horror story about a doll", 7, "The Doll in the Attic Window"),
    ("a blog about hiking with dogs", 6, "Muddy Paws and Mountain Trails"),
    ("a poem about the first day of autumn", 6, "The Morning the Leaves Turned"),
    ("a short story about a robot learning to paint", 5, "Brushstrokes of a Machine"),
    ("an album of calm piano music", 6, "Slow Hours at the Window"),
    ("a history book about salt", 6, "Salt: The Crystal That Built Empires"),
    ("a comedy about a wedding ruined by a flood", 6, "Four Weddings and a Flood"),
    ("a guide to starting a vegetable garden", 5, "From Seed to Supper"),
]

# (what needs names, names)
NAMES = [
    ("a bakery", ["Rise and Shine", "The Daily Crumb", "Flour Power", "Golden Crust", "Butter & Bloom"]),
    ("a pet goldfish", ["Bubbles", "Sir Finley", "Captain Splash", "Nugget", "Marmalade"]),
    ("a coffee shop", ["The Daily Grind", "Bean There", "Slow Pour", "Morning Ritual"]),
    ("a hiking club", ["Trail Blazers", "Summit Seekers", "Muddy Boots", "The Ridge Walkers", "High Ground"]),
    ("a friendly robot", ["Bolt", "Sprocket", "Unit Nine"]),
    ("a fantasy kingdom", ["Eldermere", "The Ashen Vale", "Brightholm", "Stormreach", "Low Hollow"]),
    ("a history podcast", ["Dusty Footnotes", "Then and Now", "The Long Ago", "Past Tense"]),
    ("a taco food truck", ["Taco Wheels", "The Salsa Stop", "Rolling Tortilla", "Fuego Street", "Little Lime"]),
    ("a rescue dog", ["Lucky", "Biscuit", "Scout", "Honey Bear", "Pepper", "Pickle"]),
    ("a board game cafe", ["Roll & Sip", "The Meeple House", "Dice and Slice", "Game Night", "The Last Turn"]),
    ("a jazz band", ["Blue Hour", "The Late Set", "Velvet Brass", "Midnight Standard"]),
    ("a spaceship", ["Wayfarer", "The Quiet Comet", "Northstar", "Long Night", "Hope's Reach"]),
    ("a yoga studio", ["Still Point", "Breathe Easy", "The Open Mat"]),
    ("a book club", ["Chapter and Wine", "The Page Turners", "Spines & Sofas", "Plot Twisters", "Shelf Life"]),
    ("a cleaning company", ["Sparkle Squad", "Clean Slate", "Fresh Start", "The Tidy Team"]),
    ("a garden centre", ["Green Thumb", "Roots & Shoots", "The Potting Shed", "Bloom Yard", "Leaf and Stem"]),
    ("a school science team", ["Mad Molecules", "The Lab Rats", "Spark Plug", "Curious Minds", "Beaker Brigade",
                               "Team Catalyst"]),
    ("a cat cafe", ["Purrfect Brew", "Whisker Lounge", "The Napping Cat", "Paws and Pastries"]),
    ("a small sailing boat", ["Sea Breeze", "Wild Heron", "Saltwater Song"]),
    ("a habit-tracking app", ["Streaks", "Tiny Steps", "Daily Tally", "Habitly", "Momentum"]),
]

# (answer, word limit, riddle)
RIDDLES = [
    ("a candle", 30, "I grow shorter the longer I live, I weep without eyes, and I vanish by doing my job. What am I?"),
    ("a shadow", 30, "I follow you all day without a sound, I stretch at dawn and dusk, and I hide at noon. "
                     "What am I?"),
    ("a key", 25, "I have teeth but never bite, I open what is shut, and I live on a ring in your pocket. What am I?"),
    ("an echo", 25, "I answer every shout but never start a conversation, and I live in caves and empty halls. "
                    "What am I?"),
    ("a clock", 25, "I have hands but cannot clap, a face but cannot smile, and I go round in circles all day. "
                    "What am I?"),
    ("a map", 20, "I hold cities without houses, rivers without water and mountains without stones. What am I?"),
    ("a cloud", 20, "I float without wings, cry without eyes, and change shape whenever the wind asks. What am I?"),
    ("an egg", 20, "I must be broken before I am useful, and a bird once lived inside me. What am I?"),
    ("a towel", 15, "The more I dry, the wetter I get. What am I?"),
    ("a mirror", 25, "I show you your face but never see it, and I turn your left hand into your right. What am I?"),
    ("footsteps", 15, "The more you take, the more you leave behind you. What are they?"),
    ("a river", 30, "I run but have no legs, I have a mouth but never eat, and I have a bed but never sleep. "
                    "What am I?"),
    ("an umbrella", 25, "I open in bad weather, keep your head dry, and spend sunny days folded in a corner. "
                        "What am I?"),
    ("a book", 25, "I have a spine but no bones and many leaves but no branches, and I can take you anywhere. "
                   "What am I?"),
    ("the moon", 30, "Some nights I am round and some nights thin, I light the dark without heat, and I pull "
                     "the tides. "
                     "What am I?"),
    ("a piano", 20, "I have eighty-eight teeth and sing when you press them, but I never bite. What am I?"),
]

# (thing, banned words, word limit, description)
AVOID = [
    ("the ocean", ["water", "blue"], 40,
     "A vast restless plain that heaves and sighs, salty on the wind, loud against the rocks at night, and "
     "glittering silver under the morning sun."),
    ("snow", ["white", "cold"], 40,
     "Soft flakes drift down and settle on rooftops, muffling the street. Footprints show who has passed, children "
     "build forts, and the whole town seems to hold its breath."),
    ("a cat", ["fur", "meow"], 35,
     "A small, proud hunter with green eyes and soft paws, who sleeps in sunbeams all afternoon and demands dinner "
     "at dawn."),
    ("coffee", ["hot", "bitter"], 35,
     "A dark, fragrant drink that steams in the mug, smells of toasted nuts, and turns a sleepy morning into a "
     "working one."),
    ("a forest", ["trees", "green"], 40,
     "Tall trunks rise like pillars, ferns crowd the path, birds call from high branches, and sunlight falls in "
     "small bright coins on the mossy ground."),
    ("the sun", ["hot", "bright", "yellow"], 35,
     "A burning star at the centre of our sky that warms our skin, ripens the fields and paints the evening clouds "
     "orange."),
    ("rain", ["wet", "water"], 35,
     "Drops drum on the roof, streak down the window and fill the gutters, while the garden drinks and the streets "
     "shine under the lamps."),
    ("a city at night", ["lights", "dark"], 40,
     "Neon signs hum above the avenues, taxis hiss past, windows glow in the towers, and somewhere a saxophone "
     "plays for anyone still awake."),
    ("a library", ["books", "quiet"], 35,
     "Rows of shelves stretch into the distance, pages rustle, a clock ticks, and people whisper as if the stories "
     "might wake up."),
    ("bread baking", ["oven", "smell"], 35,
     "Dough rises under a cloth, then turns golden and crackling, and the whole house fills with a warm, toasty "
     "scent that pulls everyone into the kitchen."),
    ("a thunderstorm", ["rain", "loud"], 40,
     "The sky turns purple-grey, the wind bends the hedges, a white flash splits the clouds, and a deep roll shakes "
     "the windows while the dog hides under the bed."),
    ("a beach", ["sand", "sea"], 35,
     "Warm grains under bare feet, gulls wheeling overhead, waves folding onto the shore, children digging castles, "
     "and the scent of sunscreen and salt."),
    ("a dog", ["bark", "tail"], 35,
     "A loyal friend with a wet nose and muddy paws who greets you at the door as if you had been gone for years."),
    ("winter", ["snow", "cold"], 35,
     "Short days, long nights, frost on the windscreen, breath like smoke, woollen hats, and soup on the stove "
     "every evening."),
    ("a garden in spring", ["flowers", "green"], 40,
     "Tulips open in neat rows, bees drift from bloom to bloom, the first leaves unfurl on the apple tree, and the "
     "soil smells rich after rain."),
    ("a train station", ["train", "platform"], 40,
     "Announcements echo under the glass roof, people hurry with coffee and suitcases, a whistle blows, and "
     "carriages slide away toward distant towns."),
    ("the moon", ["night", "round"], 30,
     "A pale silver lamp over the rooftops, sometimes a thin smile, sometimes full, pulling the tides and lighting "
     "the path home."),
    ("an orange", ["fruit", "orange"], 30,
     "A bright citrus globe with a dimpled peel that sprays a fine mist when you open it, revealing sweet, juicy "
     "segments inside."),
    ("a campfire", ["fire", "flames"], 35,
     "Crackling logs, sparks drifting up toward the stars, smoke in your hair, marshmallows on sticks, and stories "
     "told in a warm circle of faces."),
    ("a market", ["buy", "sell"], 35,
     "Stalls piled with apples and cheese, voices calling out prices, the scent of fresh bread, and shoppers "
     "haggling cheerfully in the morning sun."),
]

# (topic, first word, poem)
OPENINGS = [
    ("the stars", "Tonight", L("Tonight the stars come out to play,", "they scatter where the clouds once lay,",
                               "I count them till my eyes grow dim,", "and dream of sailing up to them.")),
    ("a bakery", "Morning", L("Morning starts before the light,", "the ovens glow, the dough is right,",
                              "by six the street can smell the bread,", "and all the town gets out of bed.")),
    ("a lost sock", "Somewhere", L("Somewhere a lonely sock must wait,", "behind the dryer, by the grate,",
                                   "its partner folded, neat and true,", "still hoping it will come back too.")),
    ("the sea", "Listen", L("Listen to the patient sea,", "it speaks in waves to you and me,",
                            "it tells of ships and salt and storm,", "and sleeps at dawn, grey-blue and warm.")),
    ("a garden in winter", "Under", L("Under snow the garden sleeps,", "the bulbs are buried, dark and deep,",
                                      "they dream of April, green and loud,", "beneath their quiet winter shroud.")),
    ("growing up", "When", L("When I was small the world was tall,", "the kitchen table, the garden wall,",
                             "now I am grown and bend to see", "how small those giants used to be.")),
    ("a daily commute", "Every", L("Every morning, half past eight,", "the same grey bus, the same slow wait,",
                                   "the same tired faces, same old rain,", "and yet I'd miss it all the same.")),
    ("raindrops on a window", "Rain", L("Rain runs races down the glass,", "I bet on drops to watch them pass,",
                                        "the fat one wins, the small one stalls,",
                                        "and then the whole race slides and falls.")),
    ("a ruined castle", "Once", L("Once a castle crowned this hill", "with banners bright and windows still;",
                                  "now only sheep and thistles stay", "where kings and queens once passed the day.")),
    ("starting a new job", "Tomorrow", L("Tomorrow starts a different me,", "a new desk in a new city,",
                                         "I've packed my lunch and set the clock",
                                         "and told my nerves to take a walk.")),
    ("a seed", "Little", L("Little seed in the dark brown ground,", "without a light, without a sound,",
                           "you push and push toward the sun", "and bloom when all the work is done.")),
    ("friendship", "Sometimes", L("Sometimes a friend is just a call,", "a voice that says you're not alone at all,",
                                  "a cup of tea, an hour, a shrug,", "a joke that lands just like a hug.")),
    ("the deep ocean", "Deep", L("Deep below where sunlight ends,", "the anglerfish and her strange friends",
                                 "carry lanterns through the black", "and never once come swimming back.")),
    ("home", "Here", L("Here is where the kettle sings,", "where muddy boots and other things",
                       "pile up beside the open door,", "and love is scattered on the floor.")),
    ("a snail", "Slowly", L("Slowly, slowly up the wall", "the snail is in no rush at all;",
                            "it carries home upon its back", "and leaves a shiny silver track.")),
]


# ----------------------------------------------------------------------------- held out: fresh topics and words
EVAL_HAIKU = [("a hot air balloon", None), ("a broken umbrella", "ribs"), ("a night bus", None), ("a beehive", "hum"),
              ("an abandoned playground", "rust"), ("a waterfall", None), ("sharpening a pencil", "shavings"),
              ("a paper boat", None), ("a snowy owl", "feathers"), ("a rooftop garden", None)]
EVAL_ACROSTIC = [("STONE", None), ("WAVE", None), ("BIRD", None), ("GLOW", "a firefly"), ("TIGER", None),
                 ("HONEY", None), ("CASTLE", None), ("JOY", None), ("PAPER", None), ("FROST", None)]
EVAL_LIMERICK = [(["llama", "pajamas"], None), (["wizard", "blizzard"], None), (["plumber", "drummer"], None),
                 (["giraffe", "laugh"], None), (["banker", "anchor"], "a sailor"), (["sheep", "sleep"], None)]
EVAL_STORIES = [(["chimney", "fox"], 50), (["magnet", "orchard"], 45), (["balloon", "grandfather"], 50),
                (["passport", "glacier", "whistle"], 60), (["telescope", "porch"], 50), (["bridge", "wolf"], 40),
                (["ticket", "harbour", "secret"], 60), (["feather", "typewriter"], 45), (["radio", "canyon"], 50),
                (["crown", "puddle"], 40)]
EVAL_SIX = ["a haunted house", "graduation day", "a cracked phone screen", "moving abroad", "a lottery ticket"]
EVAL_SLOGANS = [("a bike repair shop", "spokes", 8), ("an eco-friendly laundry detergent", "clean", 8),
                ("a night market", "moonlight", 8), ("a maths tutoring service", "grades", 8),
                ("a smoothie bar", "blend", 6), ("a rain boot brand", "puddles", 6), ("a seaside hotel", "waves", 8),
                ("a hardware store", "tools", 8)]
EVAL_COUPLETS = [(["boat", "float"], None), (["cake", "awake"], "a birthday"), (["hand", "sand"], None),
                 (["mind", "behind"], None), (["chair", "air"], "a rocking chair"), (["gate", "late"], None),
                 (["flame", "name"], None), (["rhyme", "chime"], None)]
EVAL_TWEETS = [("announcing a beginners' pottery class", "clay"), ("apologising for a train delay", "delay"),
               ("launching a new ice cream flavour", "flavour"), ("about a community garden opening", "compost"),
               ("inviting readers to a book signing", "author"), ("from a cafe that found a lost wallet", "wallet")]
EVAL_TITLES = [("a podcast about foxes living in cities", 5), ("a cookbook of soups from around the world", 6),
               ("a thriller set on a cruise ship", 6), ("a children's book about a brave snail", 7),
               ("a blog about repairing old bicycles", 6), ("a documentary about night-shift nurses", 6)]
EVAL_NAMES = [("a pizza restaurant", 5), ("a pet hamster", 4), ("a chess club", 3), ("a second-hand bookshop", 5),
              ("a rowing team", 4)]
EVAL_RIDDLES = [("a needle", 25), ("a chair", 25), ("a snowflake", 25), ("a bridge", 25)]
EVAL_AVOID = [("a volcano", ["lava", "hot"], 40), ("the desert", ["sand", "dry"], 40),
              ("a hospital", ["doctor", "nurse"], 40), ("a bicycle", ["wheels", "pedal"], 35),
              ("a birthday party", ["cake", "balloons"], 40), ("autumn", ["leaves", "fall"], 35)]
EVAL_OPENINGS = [("an old photograph", "Yesterday"), ("a bridge at night", "Beneath"), ("music", "Whenever"),
                 ("a storm", "Outside")]
# Combinations of constraints that no training example asks for.
EVAL_COMBOS = [
    ('Write an acrostic on the word LEAF about autumn, and use the word "crimson" in one of its lines.',
     {"acrostic": "LEAF", "include": ["crimson"]}),
    ('Write a haiku about a winter morning, exactly 3 lines, without using the words "snow" or "cold".',
     {"lines": 3, "exclude": ["snow", "cold"]}),
    ("Write a tweet under 280 characters announcing a bookshop's summer opening hours. Use at least two hashtags "
     'and do not use the word "sale".',
     {"max_chars": 280, "min_hashtags": 2, "exclude": ["sale"]}),
    ('Write a slogan for a late-night diner in Title Case: one line, at most 6 words, containing the word '
     '"pancakes".',
     {"lines": 1, "title_case": True, "max_words": 6, "include": ["pancakes"]}),
    ('Write a rhyming couplet about a day at the beach: the first line ends with "sun", the second ends with "run", '
     'and the word "terrier" appears somewhere.',
     {"ends_with_words": ["sun", "run"], "include": ["terrier"]}),
    ('Write a story of at most 30 words whose first word is "Nobody" and which includes the word "violet".',
     {"max_words": 30, "starts_with": "nobody", "include": ["violet"]}),
    ("List four names for a space-themed bakery, one per line, each at most two words.",
     {"lines": 4, "max_words_per_line": 2}),
    ("Write a five-line poem about a lighthouse in which no line has more than six words.",
     {"lines": 5, "max_words_per_line": 6}),
]

DIFFICULTY = {"haiku": "easy", "acrostic": "medium", "limerick": "hard", "story": "medium", "six_word": "medium",
              "slogan": "easy", "couplet": "medium", "tweet": "easy", "title": "easy", "names": "easy",
              "riddle": "medium", "avoid_words": "medium", "first_word": "medium", "combo": "hard"}


def _task(kind, asked, text=""):
    q, cons = asked
    return Task(kind, DIFFICULTY[kind], q, cons, text)


def training_tasks(rng) -> list[Task]:
    """Every hand-written example with its instruction phrased (deterministically from `rng`)."""
    out = [_task("haiku", ask_haiku(rng, t, w), text) for t, w, text in HAIKU]
    out += [_task("acrostic", ask_acrostic(rng, w, t), text) for w, t, text in ACROSTIC]
    out += [_task("limerick", ask_limerick(rng, ws, t), text) for ws, t, text in LIMERICK]
    out += [_task("story", ask_story(rng, ws, n), text) for ws, n, text in STORIES]
    out += [_task("six_word", ask_six(rng, t), text) for t, text in SIX_WORD]
    out += [_task("slogan", ask_slogan(rng, p, w, n), text) for p, w, n, text in SLOGANS]
    out += [_task("couplet", ask_couplet(rng, ends, t), text) for ends, t, text in COUPLETS]
    out += [_task("tweet", ask_tweet(rng, s, w), text) for s, w, text in TWEETS]
    out += [_task("title", ask_title(rng, desc, n), text) for desc, n, text in TITLES]
    out += [_task("names", ask_names(rng, thing, len(names)), "\n".join(names)) for thing, names in NAMES]
    out += [_task("riddle", ask_riddle(rng, a, n), text) for a, n, text in RIDDLES]
    out += [_task("avoid_words", ask_avoid(rng, t, banned, n), text) for t, banned, n, text in AVOID]
    out += [_task("first_word", ask_opening(rng, t, w), text) for t, w, text in OPENINGS]
    return out


def eval_tasks(rng) -> list[Task]:
    out = [_task("haiku", ask_haiku(rng, t, w)) for t, w in EVAL_HAIKU]
    out += [_task("acrostic", ask_acrostic(rng, w, t)) for w, t in EVAL_ACROSTIC]
    out += [_task("limerick", ask_limerick(rng, ws, t)) for ws, t in EVAL_LIMERICK]
    out += [_task("story", ask_story(rng, ws, n)) for ws, n in EVAL_STORIES]
    out += [_task("six_word", ask_six(rng, t)) for t in EVAL_SIX]
    out += [_task("slogan", ask_slogan(rng, p, w, n)) for p, w, n in EVAL_SLOGANS]
    out += [_task("couplet", ask_couplet(rng, ends, t)) for ends, t in EVAL_COUPLETS]
    out += [_task("tweet", ask_tweet(rng, s, w)) for s, w in EVAL_TWEETS]
    out += [_task("title", ask_title(rng, desc, n)) for desc, n in EVAL_TITLES]
    out += [_task("names", ask_names(rng, thing, n)) for thing, n in EVAL_NAMES]
    out += [_task("riddle", ask_riddle(rng, a, n)) for a, n in EVAL_RIDDLES]
    out += [_task("avoid_words", ask_avoid(rng, t, banned, n)) for t, banned, n in EVAL_AVOID]
    out += [_task("first_word", ask_opening(rng, t, w)) for t, w in EVAL_OPENINGS]
    out += [Task("combo", DIFFICULTY["combo"], q, cons) for q, cons in EVAL_COMBOS]
    return out
