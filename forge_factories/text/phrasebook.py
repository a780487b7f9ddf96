"""English phrase tables for the offline text composer (plain data, built at import, no I/O).

Every table is a tuple so it can be sampled with ``rng.choice`` in constant time. Entries are
hand-written; slots are filled by concatenation only (never ``str.format`` on user data).
"""

from __future__ import annotations

from forge_factories.text.phrasebook_products import (
    BRANDS as BRANDS,  # re-exported: the composers read them as pb.X
)
from forge_factories.text.phrasebook_products import GENERIC_FEATURES as GENERIC_FEATURES
from forge_factories.text.phrasebook_products import GENERIC_USES as GENERIC_USES
from forge_factories.text.phrasebook_products import PRODUCT_ADJECTIVES as PRODUCT_ADJECTIVES
from forge_factories.text.phrasebook_products import PRODUCT_DESC_CLOSERS as PRODUCT_DESC_CLOSERS
from forge_factories.text.phrasebook_products import PRODUCT_DESC_OPENERS as PRODUCT_DESC_OPENERS
from forge_factories.text.phrasebook_products import PRODUCTS as PRODUCTS

# --------------------------------------------------------------------------- people
PROFESSIONS: tuple[str, ...] = (
    "software engineer", "registered nurse", "landscape architect", "data analyst", "pastry chef",
    "history teacher", "UX designer", "civil engineer", "physiotherapist", "product manager",
    "freelance photographer", "veterinarian", "accountant", "marine biologist", "electrician",
    "journalist", "pharmacist", "architect", "sales director", "social worker", "copywriter",
    "mechanical engineer", "graphic designer", "paramedic", "financial advisor", "florist",
    "primary school teacher", "backend developer", "project manager", "interior designer",
    "research chemist", "HR business partner", "sound engineer", "dental hygienist",
    "logistics coordinator", "translator", "museum curator", "carpenter", "dietitian",
    "marketing manager", "security analyst", "speech therapist", "urban planner", "barista",
    "mobile developer", "occupational therapist", "structural engineer", "librarian",
    "community manager", "quality assurance lead", "hotel manager", "wedding planner",
)

FIRST_NAMES: tuple[str, ...] = (
    "Ana", "Ben", "Chloe", "David", "Elena", "Farah", "George", "Hana", "Isaac", "Julia", "Kenji",
    "Laura", "Marcus", "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Samuel", "Tara", "Umar",
    "Valeria", "William", "Yusuf", "Zoe", "Mateo", "Leila", "Tom", "Grace", "Daniel",
)

CITIES: tuple[str, ...] = (
    "Lisbon", "Denver", "Manchester", "Toronto", "Melbourne", "Austin", "Dublin", "Portland",
    "Edinburgh", "Seattle", "Wellington", "Bristol", "Chicago", "Vancouver", "Leeds", "Boston",
    "Glasgow", "Minneapolis", "Brighton", "Pittsburgh", "Cape Town", "Cardiff", "Sacramento",
    "Adelaide", "Halifax", "Nashville", "Cork", "Oxford", "Raleigh", "Calgary",
)

INTERESTS: tuple[str, ...] = (
    "trail running", "sourdough baking", "birdwatching", "chess", "jazz piano", "urban gardening",
    "bouldering", "restoring vintage bikes", "board games", "long-distance cycling", "pottery",
    "sailing", "amateur astronomy", "salsa dancing", "woodworking", "film photography",
    "open-source software", "crime novels", "wild swimming", "cooking for friends", "hiking",
    "learning Japanese", "vinyl records", "volunteering at the local food bank", "yoga",
    "coaching youth football", "fly fishing", "watercolour painting", "podcasts about history",
    "camping with the family", "home brewing", "tennis", "making playlists", "travel",
    "community theatre", "rock climbing", "knitting", "mountain biking", "local history",
)

FOCUS: tuple[str, ...] = (
    "mentoring newcomers", "clear, honest communication", "getting the details right",
    "practical problem solving", "work that makes a real difference for people",
    "learning something new every week", "sustainable ways of working",
    "teamwork across departments", "keeping things simple", "building long-term relationships",
    "calm planning under pressure", "listening before acting", "making complex topics approachable",
    "leaving every project a little better than I found it", "quality over speed",
)

FOCUS_THIRD: tuple[str, ...] = (
    "mentoring newcomers", "clear, honest communication", "getting the details right",
    "practical problem solving", "a calm approach under pressure", "keeping things simple",
    "building long-term relationships", "making complex topics approachable",
    "a sharp eye for detail", "reliable, thoughtful work",
)

BIO_CLOSERS: tuple[str, ...] = (
    "Always happy to swap book recommendations.", "Always up for a coffee and a good conversation.",
    "Currently learning to say no to new side projects.", "Open to mentoring and new collaborations.",
    "Still convinced the best ideas happen on long walks.", "Happiest when a plan comes together.",
    "Proud owner of a very opinionated cat.", "Firm believer in good coffee and clear checklists.",
    "Usually the one who brings snacks to meetings.", "Working on a first half marathon this year.",
)


# --------------------------------------------------------------------------- reviews
REVIEW_SUBJECTS: tuple[str, ...] = ("it", "this", "the product", "this one", "this purchase")

ASPECTS: tuple[str, ...] = (
    "build quality", "finish", "comfort", "design", "size", "weight", "material", "colour", "stitching",
    "feel", "handle", "sound", "look", "ease of use",
)

REVIEW_POS_OPEN: tuple[str, ...] = (
    "Absolutely love @p.", "@P exceeded my expectations.", "Really impressed with @p.",
    "Best purchase I have made in a while.", "@P does exactly what it promises.",
    "So glad I went for @p.", "Honestly, @p is fantastic.", "Very happy with @p.",
    "@P is worth every penny.", "I was sceptical at first, but @p won me over.", "The @a is superb.",
    "The @a is a real highlight.",
)
REVIEW_POS_DETAIL: tuple[str, ...] = (
    "The @a feels solid and the @b is excellent.", "Setup took about @n minutes and it has worked flawlessly since.",
    "Delivery was quick and everything arrived well packed.", "I have used it daily for @w weeks without a single problem.",
    "Great value for the price.", "The @a is better than on models costing twice as much.",
    "Small touches like the @a show real attention to detail.", "It looks even better in person.",
    "Customer service answered my question within an hour.", "The @a alone makes it worth it.",
)
REVIEW_POS_CLOSE: tuple[str, ...] = (
    "Would happily buy again.", "Highly recommend.", "Already ordered a second one.",
    "Five stars from me.", "My @r wants one too.", "No regrets at all.", "Recommended without hesitation.",
    "",
)
REVIEW_MIX_OPEN: tuple[str, ...] = (
    "@P is decent, but not perfect.", "Mixed feelings about @p.", "It is okay for the price.",
    "@P does the job, mostly.", "Not bad, not amazing.", "@P has some good points and some annoying ones.",
    "Solid enough, with a few caveats.", "Middle of the road overall.", "Good @a, disappointing @b.",
)
REVIEW_MIX_DETAIL: tuple[str, ...] = (
    "The @a is good, though the @b could be better.", "It works, but setup was fiddlier than it should be.",
    "After @w weeks it still works, although the finish is already showing wear.",
    "The @a is nice; the @b less so.", "Delivery took longer than promised, but it arrived intact.",
    "It does what it says, just without much polish.", "The @a is fine for everyday use, nothing special.",
)
REVIEW_MIX_CLOSE: tuple[str, ...] = (
    "Fine, not great.", "Worth it on sale.", "I would probably look around before buying again.",
    "Three stars feels about right.", "Okay if your expectations are modest.", "",
)
REVIEW_NEG_OPEN: tuple[str, ...] = (
    "Really disappointed with @p.", "@P stopped working after @d days.", "Not worth the money.",
    "I regret buying @p.", "@P fell apart almost immediately.", "Very poor experience with @p.",
    "@P looked great online, but the reality is different.", "Save yourself the trouble and skip @p.",
    "The @a is a real letdown.",
)
REVIEW_NEG_DETAIL: tuple[str, ...] = (
    "The @a is poor and the @b feels cheap.", "Customer service took @d days to reply and never solved the problem.",
    "It arrived with a cracked corner and the replacement was no better.",
    "The @a is nothing like the photos.", "After @w weeks it had already stopped working properly.",
    "The instructions were useless and two parts were missing.", "It is noisy, flimsy and overpriced.",
)
REVIEW_NEG_CLOSE: tuple[str, ...] = (
    "Returning it.", "Would not buy again.", "Save your money.", "Expected much better.",
    "Cannot recommend it.", "",
)
REVIEW_ANGRY: tuple[str, ...] = (
    "Honestly, I am furious.", "This is completely unacceptable.", "I have never been this annoyed by a purchase.",
    "What a waste of time and money.", "I am still angry about how this was handled.",
)
RELATIVES: tuple[str, ...] = (
    "sister", "brother", "partner", "mum", "dad", "neighbour", "best friend", "colleague", "daughter", "son",
)

REVIEW_TITLES_POS: tuple[str, ...] = (
    "Exceeded expectations", "Great value", "Love it", "Worth every penny", "Does exactly what it says",
    "Brilliant purchase", "Solid and reliable", "Highly recommended",
)
REVIEW_TITLES_MIX: tuple[str, ...] = (
    "Does the job", "Okay for the price", "Good, not great", "Mixed feelings", "Decent with caveats",
)
REVIEW_TITLES_NEG: tuple[str, ...] = (
    "Not worth it", "Broke within a week", "Very disappointed", "Avoid", "Poor quality",
    "Would not buy again",
)

# --------------------------------------------------------------------------- support messages
GREETINGS: tuple[str, ...] = ("Hi team,", "Hello,", "Hi there,", "Good morning,", "Dear support team,", "")
WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PROBLEMS: tuple[str, ...] = (
    "it still has not shipped", "the tracking link shows no updates", "I was charged twice",
    "one of the items is missing from the box", "the discount code was not applied",
    "the invoice shows the wrong billing address", "it arrived damaged", "I received the wrong size",
    "the refund has not reached my account yet", "the confirmation email never arrived",
)
ACCOUNT_PROBLEMS: tuple[str, ...] = (
    "I cannot reset my password; the reset link expires immediately",
    "the app logs me out every few minutes", "my account was locked after one failed login",
    "two-factor codes are not arriving by SMS", "my subscription renewed even though I cancelled it",
    "the export button does nothing in the dashboard", "I cannot update my payment method",
    "notifications stopped working after the last update", "the page freezes when I upload a file",
)
REQUESTS: tuple[str, ...] = (
    "Could you look into this, please?", "Can you refund the difference?",
    "Please let me know what information you need from me.", "Could someone call me back today?",
    "Can you tell me when I can expect an update?", "Could you send a replacement?",
    "Is there a workaround in the meantime?", "Please cancel the order if it cannot ship this week.",
)
ANGRY_LINES: tuple[str, ...] = (
    "This is the third time I am writing about this.", "Honestly, this is unacceptable.",
    "I expect a proper answer today, not another template reply.", "I have been waiting far too long already.",
    "If this is not fixed, I will cancel my account.", "Your chatbot has been no help at all.",
)
POSITIVE_MESSAGES: tuple[str, ...] = (
    "Just wanted to say thank you for the quick help yesterday.", "Your team sorted out my issue in minutes.",
    "The new dashboard is a big improvement, well done.", "Thanks for going the extra mile with my order.",
)
SIGN_OFFS: tuple[str, ...] = ("Thanks,", "Best regards,", "Kind regards,", "Thanks in advance,", "Cheers,")

REPLY_OPENERS: tuple[str, ...] = (
    "Thanks for reaching out", "Thank you for your message", "Thanks for getting in touch",
    "Sorry for the trouble", "Thanks for your patience",
)
REPLY_BODIES: tuple[str, ...] = (
    "I have checked your account and the issue is now resolved.",
    "I have escalated this to our technical team and will update you within 24 hours.",
    "A replacement is on its way and you should receive a tracking number shortly.",
    "I have issued a full refund; it can take three to five business days to appear.",
    "Could you send us a screenshot of the error so we can investigate further?",
    "I have applied the discount manually to your order.",
)
REPLY_ACTIONS: tuple[str, ...] = (
    "it left our warehouse this morning", "the payment went through only once", "the parcel is with the courier",
    "the missing item will ship separately", "the address has now been corrected", "the discount is now applied",
    "a refund is already on its way", "the courier confirmed a delivery attempt yesterday",
)
REPLY_CLOSERS: tuple[str, ...] = (
    "Let us know if there is anything else we can do.", "Have a great day.",
    "We appreciate your patience.", "Feel free to reply to this email if anything is unclear.",
)

# --------------------------------------------------------------------------- short fields
TOPICS: tuple[str, ...] = (
    "remote work", "urban gardening", "personal finance", "home espresso", "trail running",
    "sleep", "small business marketing", "API design", "composting", "public speaking",
    "budget travel", "meal prep", "learning a language", "electric cars", "open-source maintenance",
    "team retrospectives", "houseplants", "data privacy", "cycling to work", "the four-day week",
    "home renovation", "beekeeping", "code review", "freelancing", "minimalism", "running a podcast",
    "night photography", "family budgeting", "accessibility", "cold-water swimming", "job interviews",
    "sourdough", "remote onboarding", "slow travel", "bike maintenance", "saving energy at home",
    "writing documentation", "pricing a side project", "mentoring", "board game design",
)
ARTICLE_TITLES: tuple[tuple[str, str], ...] = (
    ("A beginner's guide to ", ""), ("What nobody tells you about ", ""), ("Why ", " matters more than you think"),
    ("@n lessons from a year of ", ""), ("How we got serious about ", ""), ("The case for ", ""),
    ("Getting started with ", ": a practical checklist"), ("Everything I got wrong about ", ""),
    ("", ", explained in five minutes"), ("Rethinking ", " on a tight budget"),
)
HEADLINE_SUBJECTS: tuple[str, ...] = (
    "Local council", "City library", "Regional startup", "Community garden", "Small bakery",
    "High-school robotics team", "Family-run hotel", "Neighbourhood cycling club", "Volunteer group",
)
HEADLINE_VERBS: tuple[str, ...] = (
    "wins national award for", "launches new programme on", "doubles down on", "opens its doors to",
    "raises funds for", "sets record with", "reinvents", "celebrates ten years of",
)
SLOGAN_A: tuple[str, ...] = (
    "Built for", "Made for", "Designed for", "Ready for", "Crafted for", "Here for", "Tested by",
)
SLOGAN_B: tuple[str, ...] = (
    "the long run", "everyday life", "real kitchens", "busy mornings", "people who care",
    "the way you work", "every season", "small moments", "big ideas", "the road ahead",
)
SLOGAN_ADJECTIVES: tuple[str, ...] = (
    "Honest", "Better", "Smarter", "Simple", "Fresh", "Quiet", "Bold", "Everyday", "Local", "Serious",
)
SLOGAN_NOUNS: tuple[str, ...] = (
    "coffee", "tools", "design", "comfort", "ideas", "support", "energy", "software", "food", "gear",
)
SENIORITY: tuple[str, ...] = ("", "", "", "senior ", "junior ", "lead ", "principal ", "assistant ", "trainee ")
SLOGAN_PAIRS: tuple[tuple[str, str], ...] = (
    ("Simple tools.", "Serious results."), ("Less noise.", "More life."), ("Good coffee.", "Better days."),
    ("Small team.", "Big ideas."), ("Honest prices.", "No surprises."), ("Fresh ideas.", "Proven craft."),
    ("Work smarter.", "Rest easier."), ("Local roots.", "Global reach."),
)
NOTE_ACTIONS: tuple[str, ...] = (
    "Call back", "Follow up", "Send the updated quote", "Confirm the delivery window",
    "Check the invoice", "Email the signed contract", "Book a site visit", "Review the open questions",
)
NOTE_ABOUT: tuple[str, ...] = (
    "about the invoice", "about the delivery date", "regarding the renewal", "about the missing parts",
    "about the new pricing", "before the kickoff", "regarding the address change", "",
)
NOTE_WHEN: tuple[str, ...] = (
    "on Monday", "by Friday", "next week", "before noon", "after the holidays", "tomorrow morning",
    "end of month",
)
NOTE_EXTRAS: tuple[str, ...] = (
    "Prefers email over phone.", "Gate code is at reception.", "Customer is very polite; no rush.",
    "Leave parcels with the neighbour if nobody answers.", "Invoice to the head office, not the branch.",
    "Allergic to nuts: check the catering order.", "Ask for the project lead, not the front desk.",
    "Second reminder already sent.",
)
REASONS: tuple[str, ...] = (
    "Found a cheaper option elsewhere", "No longer needed", "Ordered the wrong size by mistake",
    "Delivery was taking too long", "Switching to a competitor", "Budget cuts this quarter",
    "Duplicate order", "Moving abroad", "The product did not match the description", "Changed my mind",
    "Too expensive after the price increase", "Missing features we rely on", "Project was cancelled",
    "Only needed it for a one-off event", "Bought it elsewhere as a gift",
)
REASON_DETAILS: tuple[str, ...] = (
    "Happy to come back later.", "Please confirm the refund.", "Nothing wrong with the service itself.",
    "Support was helpful, though.", "Might reorder next year.", "Please close the account as well.",
)
STREET_NAMES: tuple[str, ...] = (
    "Maple", "Oak", "Cedar", "Elm", "Willow", "Highland", "Riverside", "Park", "Church", "Mill",
    "Station", "Victoria", "King", "Queen", "Orchard", "Meadow", "Harbour", "Lakeview", "Chestnut",
    "Hillcrest", "Birch", "Spring", "Sunset", "Ashford", "Bridge", "Market", "Garden", "Forest",
)
STREET_SUFFIXES: tuple[str, ...] = (
    "Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way", "Place", "Close", "Terrace",
)
COUNTRIES: tuple[str, ...] = (
    "Portugal", "United States", "United Kingdom", "Canada", "Australia", "Ireland", "New Zealand",
    "South Africa",
)

# --------------------------------------------------------------------------- company / event
INDUSTRIES: tuple[str, ...] = (
    "logistics", "renewable energy", "fintech", "healthcare software", "specialty coffee", "architecture",
    "e-commerce", "cybersecurity", "furniture design", "digital marketing", "food delivery", "education",
)
COMPANY_SIZES: tuple[str, ...] = (
    "small", "family-owned", "fast-growing", "mid-sized", "employee-owned", "independent",
)
COMPANY_VALUES: tuple[str, ...] = (
    "transparent pricing", "long-term customer relationships", "sustainable sourcing", "fast, friendly support",
    "careful craftsmanship", "plain-language contracts", "a flexible, remote-first team",
)
EVENT_TYPES: tuple[str, ...] = ("meetup", "workshop", "conference", "evening talk", "hackathon", "open day")
EVENT_EXTRAS: tuple[str, ...] = (
    "Expect short talks, hands-on sessions and plenty of time to meet people.",
    "Snacks and drinks are provided.", "Seats are limited, so register early.",
    "All experience levels are welcome.", "Slides and recordings will be shared afterwards.",
    "Bring a laptop if you want to follow along.",
)

# --------------------------------------------------------------------------- generic
GENERIC_SUBJECTS: tuple[str, ...] = (
    "The team", "Our partner", "The client", "The project lead", "Our support staff", "The pilot group",
    "The new supplier", "The review board", "Our volunteers", "The night shift",
)
GENERIC_PREDICATES: tuple[str, ...] = (
    "wrapped up the first phase", "cut the waiting time in half", "received mostly positive feedback",
    "asked for a few small adjustments", "met every agreed deadline", "made onboarding noticeably smoother",
    "raised a couple of useful questions", "signed off on the final version", "tested the changes thoroughly",
    "agreed on a clearer schedule", "shared detailed notes with everyone", "found two issues worth fixing",
)
GENERIC_TAILS: tuple[str, ...] = (
    "", " last week", " ahead of schedule", " after the spring update", " without any major issues",
    " despite the short notice", " on Thursday", " this quarter",
)
GENERIC_NEXT: tuple[str, ...] = (
    "A short review with stakeholders", "A follow-up call", "A wider rollout", "The final sign-off",
    "A second round of testing", "An update to the documentation", "A planning session",
)
GENERIC_WHEN: tuple[str, ...] = (
    "early next month", "the next sprint", "the coming weeks", "Friday", "the end of the quarter",
)

# --------------------------------------------------------------------------- flavours (from context keywords)
FLAVOUR_REVIEW: dict[str, tuple[str, ...]] = {
    "holiday": ("Bought it as a holiday gift for my @r.", "Ordered it just before the holidays.",
                "It was meant to be a Christmas present for my @r."),
    "travel": ("Took it on a two-week trip.", "Used it all through our summer holiday.",
               "Packed it for a long weekend away."),
    "sale": ("Picked it up in the Black Friday sale.", "Bought it on discount.",
             "Grabbed it during the spring sale."),
    "business": ("We ordered several for the office.", "Bought it for our team at work."),
    "family": ("The kids use it every day.", "Bought it for the whole family."),
}
FLAVOUR_MESSAGE: dict[str, tuple[str, ...]] = {
    "holiday": ("It is a holiday gift, so I really need it before the 24th.",
                "This was supposed to be a Christmas present."),
    "travel": ("I am travelling next week and need this sorted before I leave.",
               "I need it for a trip on Saturday."),
    "sale": ("I ordered during the sale, so the price should have been lower.",),
    "business": ("This is blocking my whole team.", "We are a business customer on the annual plan."),
    "family": ("It was meant for my kids' birthday.",),
}
FLAVOUR_DESCRIPTION: dict[str, tuple[str, ...]] = {
    "holiday": ("Makes a thoughtful holiday gift.", "Gift-wrapped free of charge over the holidays."),
    "travel": ("Light enough to take on every trip.", "A reliable travel companion."),
    "sale": ("Now at a special introductory price.",),
    "business": ("Volume pricing is available for teams.",),
    "family": ("Safe and simple enough for the whole family.",),
}

# --------------------------------------------------------------------------- tiny fallbacks (fit any max_length)
SHORT_POS: tuple[str, ...] = ("Great.", "Love it.", "Superb.", "Top notch.", "Very good.", "Excellent.", "Nice.")
SHORT_MIX: tuple[str, ...] = ("Okay.", "Decent.", "Fine.", "Average.", "Not bad.", "So-so.")
SHORT_NEG: tuple[str, ...] = ("Poor.", "Awful.", "Bad.", "Broken.", "Not good.", "Avoid.")
SHORT_GENERIC: tuple[str, ...] = ("Noted.", "Done.", "All good.", "Confirmed.", "On track.", "Updated.", "Fine.", "OK.")

#: Words a clipped text should not end on.
DANGLING: frozenset[str] = frozenset((
    "a", "an", "the", "and", "or", "but", "with", "of", "to", "for", "in", "on", "at", "by", "from",
    "my", "your", "our", "their", "its", "is", "are", "was", "were", "that", "which", "as", "so",
    "it", "i", "we", "than", "about", "after", "before", "into", "since", "like", "very", "not", "apt",
    # fr / de / es
    "le", "la", "les", "un", "une", "des", "du", "de", "et", "ou", "pour", "avec", "en", "au", "aux", "mon", "ma",
    "der", "die", "das", "ein", "eine", "und", "oder", "mit", "für", "von", "zu", "im", "mein", "meine",
    "el", "los", "las", "una", "y", "o", "con", "para", "por", "del", "al", "mi", "muy", "que",
))
