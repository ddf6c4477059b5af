"""General chat examples used as rehearsal data: greetings, definitions, advice, facts and summaries.
Hand-written for ModRoute; answers are kept short and uncontroversial."""

# (kind, difficulty, instruction, response)
GENERAL = [
    # --- greetings and small talk
    ("greeting", "easy", "Hi!", "Hi there! How can I help you today?"),
    ("greeting", "easy", "good morning", "Good morning! What can I do for you?"),
    ("greeting", "easy", "Hey, how are you?", "I'm doing well, thanks for asking! How about you? Is there something I can help with?"),
    ("greeting", "easy", "Thanks for your help earlier!", "You're welcome! Happy to help any time."),
    ("greeting", "easy", "What can you do?",
     "I can answer questions, explain ideas, help with writing, small coding tasks, math problems and planning. "
     "Just tell me what you need."),
    ("greeting", "easy", "Who are you?",
     "I'm a small AI assistant. I can chat, answer questions and help with everyday tasks. I can make mistakes, "
     "so double-check anything important."),
    ("greeting", "easy", "I'm bored.",
     "Let's fix that! You could try a short walk, a new recipe, a puzzle, or learning a few words of a new "
     "language. Want a suggestion based on what you enjoy?"),
    ("greeting", "easy", "Good night!", "Good night! Sleep well."),
    ("greeting", "easy", "Tell me something interesting.",
     "Octopuses have three hearts: two pump blood through the gills and one pumps it to the rest of the body."),
    ("greeting", "easy", "Can you keep a secret?",
     "I don't remember conversations between sessions, but it's still wise not to share passwords or very "
     "personal details in a chat."),
    ("greeting", "easy", "I passed my driving test today!",
     "Congratulations! That's a big milestone. Enjoy the freedom, and drive safely."),
    ("greeting", "easy", "I'm feeling a bit stressed today.",
     "I'm sorry you're feeling stressed. A few slow deep breaths, a short walk or writing down what's on your "
     "mind can help. Do you want to talk about what's going on?"),
    ("greeting", "easy", "bye for now", "Bye! Come back any time."),
    ("greeting", "easy", "Do you like music?",
     "I don't listen to music myself, but I'm happy to talk about it or suggest songs. What do you like?"),
    # --- definitions
    ("definition", "easy", "What is photosynthesis?",
     "Photosynthesis is how plants make food. They use sunlight, water and carbon dioxide to produce sugar, and "
     "they release oxygen as a by-product."),
    ("definition", "easy", "Define inflation.",
     "Inflation is the general rise in prices over time. When inflation is high, the same amount of money buys "
     "less than before."),
    ("definition", "easy", "What does 'empathy' mean?",
     "Empathy is the ability to understand and share another person's feelings, as if you were in their place."),
    ("definition", "easy", "What is a noun?",
     "A noun is a word that names a person, place, thing or idea, like 'teacher', 'Paris', 'apple' or 'freedom'."),
    ("definition", "easy", "Explain what an ecosystem is.",
     "An ecosystem is a community of living things (plants, animals, microbes) together with their environment, "
     "such as water, soil and climate, all interacting with each other."),
    ("definition", "easy", "What's a metaphor?",
     "A metaphor describes something by saying it is something else, to highlight a similarity. For example, "
     "'time is a thief' suggests time takes things from us."),
    ("definition", "easy", "What is democracy?",
     "Democracy is a system of government where people choose their leaders and make decisions through voting, "
     "either directly or through elected representatives."),
    ("definition", "easy", "What is gravity?",
     "Gravity is the force that pulls objects with mass toward each other. It keeps us on the ground and keeps "
     "the Moon orbiting the Earth."),
    ("definition", "easy", "Define 'procrastination'.",
     "Procrastination is putting off tasks you need to do, often choosing something easier or more pleasant instead."),
    ("definition", "easy", "What's the difference between weather and climate?",
     "Weather is what the atmosphere is doing on a given day, like rain or sun. Climate is the average weather "
     "of a place over many years."),
    ("definition", "easy", "What is a budget?",
     "A budget is a plan for how you will spend and save your money over a period, such as a month."),
    ("definition", "easy", "What does a vaccine do?",
     "A vaccine trains your immune system to recognise a germ without making you sick, so your body can fight "
     "the real infection faster later."),
    ("definition", "easy", "What is a haiku?",
     "A haiku is a short Japanese poem with three lines, traditionally of 5, 7 and 5 syllables, often about nature."),
    ("definition", "easy", "Explain what the internet is in one or two sentences.",
     "The internet is a global network of connected computers. It lets devices exchange information, which makes "
     "things like websites, email and video calls possible."),
    ("definition", "easy", "What's an idiom?",
     "An idiom is a phrase whose meaning isn't obvious from its words, like 'break the ice', which means to start "
     "a conversation in an awkward situation."),
    ("definition", "easy", "What is recycling?",
     "Recycling is turning used materials such as paper, glass, metal and some plastics into new products, so "
     "fewer raw materials are needed and less waste goes to landfill."),
    ("definition", "easy", "What does 'sustainable' mean?",
     "Sustainable means able to continue for a long time without using up resources or causing lasting harm, "
     "especially to the environment."),
    ("definition", "easy", "What is a calorie?",
     "A calorie is a unit of energy. On food labels it tells you how much energy your body can get from eating it."),
    ("definition", "easy", "What is an encyclopedia?",
     "An encyclopedia is a reference work with articles on many subjects, usually arranged alphabetically or by topic."),
    ("definition", "easy", "What is a volcano?",
     "A volcano is an opening in the Earth's crust where melted rock, ash and gases escape from below the surface."),
    ("definition", "easy", "What's the meaning of 'nostalgia'?",
     "Nostalgia is a bittersweet longing for the past, often for a time or place that holds happy memories."),
    ("definition", "easy", "What is a resume?",
     "A resume (or CV) is a short document that lists your work experience, education and skills, used when "
     "applying for jobs."),
    ("definition", "easy", "What does GDP stand for?",
     "GDP stands for Gross Domestic Product: the total value of goods and services produced in a country in a "
     "given period, usually a year."),
    ("definition", "easy", "What is a podcast?",
     "A podcast is a series of audio (sometimes video) episodes you can stream or download, usually about a "
     "particular topic or hosted by the same people."),
    ("definition", "easy", "Define 'biodiversity'.",
     "Biodiversity is the variety of life in an area: the different species of plants, animals and microorganisms, "
     "and the variety within them."),
    ("definition", "easy", "What's a password manager?",
     "A password manager is an app that stores your passwords securely and can create strong, unique ones, so you "
     "only need to remember one master password."),
    ("definition", "easy", "What is meditation?",
     "Meditation is a practice of focusing your attention, often on your breath, to calm the mind and become more "
     "aware of your thoughts and feelings."),
    ("definition", "easy", "What does 'RSVP' mean on an invitation?",
     "RSVP comes from the French 'répondez s'il vous plaît', meaning 'please reply'. The host wants to know "
     "whether you'll attend."),
    ("definition", "easy", "What is a time zone?",
     "A time zone is a region that uses the same standard time. Zones exist because the sun rises at different "
     "times around the world."),
    ("definition", "easy", "What is a marathon?",
     "A marathon is a long-distance running race of 42.195 kilometers (26.2 miles)."),
    ("definition", "easy", "What is composting?",
     "Composting is letting food scraps and garden waste break down naturally into rich soil that can feed plants."),
    ("definition", "medium", "What's the difference between 'affect' and 'effect'?",
     "Usually 'affect' is a verb (the rain affected the game) and 'effect' is a noun (the rain had an effect on "
     "the game)."),
    ("definition", "medium", "What is the difference between a virus and bacteria?",
     "Bacteria are tiny living cells that can live on their own, and antibiotics can kill many of them. Viruses "
     "are much smaller, need a host cell to copy themselves, and antibiotics don't work on them."),
    ("definition", "medium", "What does 'opportunity cost' mean?",
     "Opportunity cost is what you give up when you choose one option over another. If you spend an evening "
     "studying, the opportunity cost is whatever else you could have done with that time."),
    ("definition", "easy", "What is a thesaurus?",
     "A thesaurus is a reference book or tool that lists words with similar meanings (synonyms) and sometimes "
     "opposite meanings (antonyms)."),
    # --- advice
    ("advice", "easy", "How can I sleep better?",
     "Keep a regular sleep schedule, avoid screens and caffeine late in the day, keep your bedroom cool and dark, "
     "and try a calming routine like reading before bed."),
    ("advice", "easy", "Any tips for a job interview?",
     "Research the company, practise answers to common questions, prepare a couple of questions to ask them, "
     "arrive a little early, and give specific examples of your work."),
    ("advice", "easy", "How do I start exercising if I've never done it?",
     "Start small: a 15-20 minute walk most days is a great beginning. Add a bit more each week, pick activities "
     "you enjoy, and check with a doctor if you have health concerns."),
    ("advice", "easy", "How can I stop procrastinating?",
     "Break the task into tiny steps, start with just five minutes, remove distractions like your phone, and "
     "reward yourself when you finish a step."),
    ("advice", "easy", "How do I make friends in a new city?",
     "Join clubs or classes around your interests, volunteer, try group sports, and say yes to invitations. "
     "Seeing the same people regularly is what turns acquaintances into friends."),
    ("advice", "easy", "What's a good way to learn a new language?",
     "Practise a little every day, learn the most common words first, listen to podcasts or shows in the "
     "language, and speak with others as early as you can, even if you make mistakes."),
    ("advice", "easy", "How do I keep houseplants alive?",
     "Check the light each plant needs, water only when the top of the soil is dry, use pots with drainage holes, "
     "and avoid placing them next to heaters."),
    ("advice", "easy", "How can I save money on groceries?",
     "Plan meals for the week, shop with a list, buy store brands, cook in batches, and check what you already "
     "have before you go."),
    ("advice", "easy", "How do I politely say no to extra work?",
     "Be honest and brief: 'I'd like to help, but I'm fully booked with X this week. Could we look at it next "
     "week, or is there something I should drop?'"),
    ("advice", "easy", "Tips for a long flight?",
     "Drink water, walk around every hour or two, wear comfortable layers, bring headphones and snacks, and try to "
     "sleep according to your destination's time."),
    ("advice", "easy", "How can I be more productive working from home?",
     "Keep a fixed start time, use a dedicated workspace, plan your top three tasks each morning, take short "
     "breaks, and switch off notifications while you focus."),
    ("advice", "easy", "How do I get rid of fruit flies?",
     "Remove ripe fruit and take out the trash. Then set a trap: a small bowl of apple cider vinegar with a drop "
     "of dish soap catches them."),
    ("advice", "easy", "How do I clean a cast iron pan?",
     "Rinse it with hot water and scrub with a brush; a little soap is fine. Dry it completely, then rub on a thin "
     "layer of oil to keep it seasoned."),
    ("advice", "easy", "How do I calm down before a presentation?",
     "Practise out loud a few times, take slow breaths before you start, focus on your message rather than on "
     "yourself, and remember that the audience wants you to do well."),
    ("advice", "easy", "What should I do if I lock myself out?",
     "Check other doors and windows you can safely open, call anyone with a spare key, or contact your landlord. "
     "If none of that works, call a licensed locksmith."),
    ("advice", "easy", "How do I apologize to a friend?",
     "Say sorry sincerely and specifically, acknowledge how they felt, don't make excuses, and say what you'll do "
     "differently. Then give them time if they need it."),
    ("advice", "easy", "How can I reduce my screen time?",
     "Turn off non-essential notifications, set app time limits, keep your phone out of the bedroom, and replace "
     "scrolling with an activity you enjoy, like reading or a walk."),
    ("advice", "easy", "How do I make my resume stand out?",
     "Tailor it to each job, start bullet points with strong verbs, show results with numbers where you can, and "
     "keep it to one or two clean pages."),
    ("advice", "easy", "What should I pack for a weekend hike?",
     "Water, snacks, a map or downloaded route, layers including a rain jacket, sunscreen, a small first-aid kit, "
     "a charged phone and good shoes."),
    ("advice", "easy", "How do I deal with a noisy neighbor?",
     "Start with a friendly, calm conversation and be specific about the noise and times. If that fails, write "
     "a polite note, then contact your landlord or building management."),
    ("advice", "easy", "How can I drink more water during the day?",
     "Carry a refillable bottle, drink a glass with each meal, set reminders, and add lemon or fruit if you find "
     "plain water boring."),
    ("advice", "easy", "How do I remember people's names?",
     "Repeat the name when you're introduced, use it once in the conversation, and link it to something about the "
     "person. Writing it down afterwards helps too."),
    ("advice", "medium", "How do I choose between two job offers?",
     "Compare more than the salary: the work itself, growth, the team and manager, commute, flexibility and "
     "benefits. Write pros and cons, and ask which role you'd regret turning down."),
    ("advice", "easy", "How do I make a good first impression?",
     "Be on time, smile, make eye contact, listen more than you talk, and ask questions that show real interest "
     "in the other person."),
    ("advice", "easy", "How do I stay motivated to study?",
     "Set small, clear goals, study in short focused blocks with breaks, track your progress, and study with a "
     "friend to keep each other accountable."),
    ("advice", "easy", "How do I get my toddler to eat vegetables?",
     "Offer small portions often without pressure, eat vegetables yourself in front of them, involve them in "
     "cooking, and serve new vegetables next to foods they already like."),
    ("advice", "easy", "How can I improve my posture at a desk?",
     "Keep your screen at eye level, feet flat on the floor, back supported and shoulders relaxed. Stand up and "
     "move every 30 to 60 minutes."),
    ("advice", "easy", "How do I unclog a sink without chemicals?",
     "Try a plunger first. If that fails, pour in half a cup of baking soda followed by a cup of vinegar, wait "
     "15 minutes, then flush with hot water."),
    ("advice", "easy", "How do I prepare for a job that starts next week?",
     "Confirm the start time and place, plan your commute, prepare questions for your manager, and get some rest. "
     "On the first days, take notes and learn people's names."),
    ("advice", "easy", "How do I keep bread fresh longer?",
     "Store it in a bread box or paper bag at room temperature for a couple of days. For longer, slice it and "
     "freeze it, then toast slices straight from the freezer."),
    ("advice", "easy", "What's a simple way to start meditating?",
     "Sit comfortably for five minutes, close your eyes, and focus on your breathing. When your mind wanders, "
     "gently bring it back. Do it at the same time each day."),
    # --- facts
    ("fact", "easy", "What is the capital of Canada?", "The capital of Canada is Ottawa."),
    ("fact", "easy", "Who wrote 'Pride and Prejudice'?", "Jane Austen wrote 'Pride and Prejudice', published in 1813."),
    ("fact", "easy", "What's the tallest mountain in the world?",
     "Mount Everest, at about 8,849 meters above sea level, on the border of Nepal and China."),
    ("fact", "easy", "How many continents are there?",
     "There are seven continents: Africa, Antarctica, Asia, Australia (Oceania), Europe, North America and South America."),
    ("fact", "easy", "Who painted the Mona Lisa?", "Leonardo da Vinci painted the Mona Lisa in the early 1500s."),
    ("fact", "easy", "What language do they speak in Brazil?", "The official language of Brazil is Portuguese."),
    ("fact", "easy", "What is the largest ocean?",
     "The Pacific Ocean is the largest, covering about a third of the Earth's surface."),
    ("fact", "easy", "Who was the first person to walk on the Moon?",
     "Neil Armstrong, on July 20, 1969, during the Apollo 11 mission."),
    ("fact", "easy", "How many days are in a leap year?", "A leap year has 366 days; February gets a 29th day."),
    ("fact", "easy", "What's the boiling point of water?",
     "At sea level, water boils at 100 degrees Celsius (212 degrees Fahrenheit). It boils at lower temperatures "
     "at high altitude."),
    ("fact", "easy", "How do you say 'thank you' in Japanese?", "'Thank you' in Japanese is 'arigatou' (ありがとう)."),
    ("fact", "easy", "What's the largest planet in our solar system?", "Jupiter is the largest planet in our solar system."),
    ("fact", "easy", "What is the chemical symbol for gold?", "The chemical symbol for gold is Au, from the Latin 'aurum'."),
    ("fact", "easy", "How many players are on a soccer team on the field?",
     "Each team has 11 players on the field, including the goalkeeper."),
    ("fact", "easy", "Where is the Eiffel Tower?", "The Eiffel Tower is in Paris, France, on the Champ de Mars."),
    ("fact", "easy", "How many bones does an adult human have?", "An adult human usually has 206 bones."),
    ("fact", "easy", "What is the longest river in Africa?", "The Nile is the longest river in Africa."),
    ("fact", "easy", "When did the Berlin Wall fall?", "The Berlin Wall fell on November 9, 1989."),
    ("fact", "easy", "What's the smallest country in the world?",
     "Vatican City is the smallest country in the world by area, at about 0.44 square kilometers."),
    ("fact", "easy", "What is the main ingredient in guacamole?", "Avocado. It's usually mashed with lime, salt, onion and chili."),
    # --- summaries and rewrites
    ("summary", "medium",
     "Summarize in one sentence: The city council met on Tuesday to discuss the new bike lanes. After two hours "
     "of debate, members voted 7 to 2 to build lanes on Main Street, starting in the spring. Shop owners worried "
     "about parking, so the plan adds a small car park nearby.",
     "The council voted 7-2 to build bike lanes on Main Street from spring, with a nearby car park to address "
     "shop owners' parking worries."),
    ("summary", "medium",
     "Give me a two-sentence summary: Maria started baking bread during a long winter. At first her loaves were "
     "flat and dense, but she kept notes on every attempt. By summer she was selling bread at the local market, "
     "and now she teaches weekend classes.",
     "Maria taught herself to bake bread one winter, improving through careful notes on each attempt. She now "
     "sells her bread at the market and teaches weekend classes."),
    ("summary", "medium",
     "TL;DR this email: Hi team, the office will be closed on Friday for electrical work. Please take your "
     "laptops home on Thursday. The VPN will work as usual, and Monday is business as normal. Thanks, Facilities.",
     "The office is closed Friday for electrical work; take laptops home Thursday, the VPN works, and Monday is normal."),
    ("summary", "medium",
     "Summarize: Our app's new update adds dark mode, makes search twice as fast and fixes the crash some users "
     "saw when uploading photos. It also removes the old export button, which few people used.",
     "The update adds dark mode, speeds up search, fixes the photo-upload crash and removes the rarely used export button."),
    ("summary", "medium",
     "Summarize this review in one line: The hotel was spotless and the staff were lovely, but the walls were "
     "thin and we heard traffic all night. Breakfast was great value.",
     "Clean hotel with friendly staff and a good-value breakfast, but noisy at night due to thin walls."),
    ("summary", "medium",
     "Shorten this: We would like to inform you that, due to unforeseen circumstances, the meeting that was "
     "originally scheduled to take place on Wednesday has been moved to Thursday at the same time.",
     "Due to unforeseen circumstances, Wednesday's meeting has moved to Thursday at the same time."),
    ("summary", "medium",
     "Make this sound more polite: Send me the report now.",
     "Could you please send me the report when you get a chance? Thank you!"),
    ("summary", "medium",
     "Rewrite this in plain English: The aforementioned individual shall remit payment no later than the "
     "fifteenth day of the month.",
     "This person must pay by the 15th of the month."),
    ("summary", "medium",
     "Fix the grammar: 'Me and him goes to the store yesterday.'",
     "He and I went to the store yesterday."),
    ("summary", "medium",
     "Summarize the story of Cinderella in two sentences.",
     "Cinderella, mistreated by her stepfamily, goes to the royal ball with help from her fairy godmother and "
     "wins the prince's heart before fleeing at midnight. The prince finds her using the glass slipper she left "
     "behind, and they marry."),
    ("summary", "medium",
     "Turn this into a short to-do list: I need to call the bank about my card, buy milk and eggs, finish the "
     "slides for Monday, and book a haircut.",
     "- Call the bank about the card\n- Buy milk and eggs\n- Finish Monday's slides\n- Book a haircut"),
    ("summary", "medium",
     "Summarize: Regular exercise improves heart health, helps control weight, strengthens muscles and bones, "
     "and can lift your mood. Even 30 minutes of brisk walking most days makes a difference.",
     "Regular exercise, even 30 minutes of brisk walking most days, benefits your heart, weight, muscles, bones and mood."),
    ("summary", "medium",
     "Write a one-line summary of this meeting note: Decided to launch the beta on May 3. Ana owns the release "
     "notes, Ben handles the app store submission, and we meet again on April 28 to confirm.",
     "Beta launches May 3 (Ana: release notes, Ben: app store), with a check-in on April 28."),
    ("summary", "medium",
     "Make this text message friendlier: Can't come tonight.",
     "So sorry, I can't make it tonight! Hope you all have a great time, let's catch up soon."),
    ("summary", "medium",
     "Summarize in one sentence: Bees pollinate many of the crops we eat. Their numbers have fallen in many "
     "places because of habitat loss, pesticides and disease, which worries farmers and scientists.",
     "Bees are vital crop pollinators, and their decline from habitat loss, pesticides and disease worries "
     "farmers and scientists."),
    ("summary", "medium",
     "Explain this sign in simple words: 'No stopping 7-9 am Mon-Fri, tow-away zone.'",
     "On weekdays between 7 and 9 in the morning you can't stop your car here at all; if you do, it may be towed."),
    ("summary", "medium",
     "Summarize this recipe step: Preheat the oven to 180°C, grease a loaf tin, and mix the flour, sugar and "
     "baking powder in a large bowl before adding the eggs and milk.",
     "Heat the oven to 180°C, grease the tin, mix the dry ingredients, then add the eggs and milk."),
    ("summary", "medium",
     "Rewrite this more concisely: In my opinion, I personally think that it would be a good idea for us to maybe "
     "consider starting the project earlier.",
     "I think we should start the project earlier."),
    ("summary", "medium",
     "Give me the main point of this paragraph: Many people believe they must wait for motivation before starting "
     "a task. In practice, starting often creates motivation: once you begin, momentum makes it easier to continue.",
     "You don't need to wait for motivation; starting a task often creates the motivation to keep going."),
    ("summary", "medium",
     "Summarize: The library will extend its opening hours during exam season, staying open until midnight from "
     "June 1 to June 20. Quiet study rooms can be booked online up to three days in advance.",
     "From June 1-20 the library is open until midnight, and quiet rooms can be booked online three days ahead."),
    # --- more everyday questions
    ("advice", "easy", "How long should I boil an egg?",
     "About 6-7 minutes for a jammy yolk and 10-12 minutes for a fully hard-boiled egg, starting from boiling "
     "water. Cool them in cold water afterwards."),
    ("advice", "easy", "How do I get a red wine stain out of a carpet?",
     "Blot (don't rub) with a clean cloth, then dab on a mix of cold water and a little dish soap, and blot again. "
     "Baking soda on the damp spot can lift what's left once it dries."),
    ("advice", "easy", "What's a quick healthy breakfast?",
     "Try oatmeal with fruit, Greek yogurt with nuts, or whole-grain toast with peanut butter and banana. Each "
     "takes under five minutes."),
    ("advice", "easy", "How often should I replace my toothbrush?",
     "Every three to four months, or sooner if the bristles are frayed or after you've been ill."),
    ("advice", "easy", "Any ideas for a rainy day at home?",
     "Bake something, start a puzzle or board game, watch a film series, tidy one drawer, or call a friend "
     "you haven't spoken to in a while."),
    ("advice", "easy", "How do I tie a basic tie knot?",
     "For a four-in-hand: drape the tie with the wide end longer, cross it over the narrow end, wrap it around "
     "once, bring it up through the neck loop, and pull it down through the front knot. Tighten and adjust."),
    ("fact", "easy", "What time zone is Tokyo in?",
     "Tokyo uses Japan Standard Time, UTC+9, and Japan does not use daylight saving time."),
    ("fact", "easy", "What is the Great Wall of China made of?",
     "It's made of different materials in different places: stone, brick, rammed earth and wood."),
    ("fact", "easy", "Why do we have leap years?",
     "A year on Earth is about 365.24 days. Adding a day every four years keeps the calendar in step with the seasons."),
    ("fact", "easy", "What is the population of the world, roughly?",
     "Roughly 8 billion people live on Earth."),
    ("definition", "easy", "What does 'break the ice' mean?",
     "To 'break the ice' means to do or say something that eases tension and gets a conversation started, "
     "especially when people have just met."),
    ("greeting", "easy", "What's your favorite color?",
     "I don't have favorites the way people do, but many people love blue. What's yours?"),
]
