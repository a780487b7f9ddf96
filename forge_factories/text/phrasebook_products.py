"""Phrase tables for products: nouns with materials, features and uses, brands, description openers."""

from __future__ import annotations

# --------------------------------------------------------------------------- products
# (noun, materials, features, uses)
PRODUCTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("electric kettle", ("brushed stainless steel", "matte ceramic", "BPA-free plastic"),
     ("a 1.7 L capacity", "rapid boil in under four minutes", "automatic shut-off", "a keep-warm setting",
      "a cordless 360-degree base", "a removable limescale filter"),
     ("busy mornings", "tea lovers", "small kitchens", "the office kitchenette")),
    ("backpack", ("recycled nylon", "waxed canvas", "water-resistant polyester"),
     ("a padded 15-inch laptop sleeve", "hidden anti-theft pockets", "breathable back panel",
      "adjustable chest strap", "a lifetime zipper guarantee", "a luggage pass-through"),
     ("daily commutes", "weekend trips", "students", "travellers who pack light")),
    ("desk lamp", ("anodised aluminium", "powder-coated steel", "solid oak and steel"),
     ("five brightness levels", "adjustable colour temperature", "a flicker-free LED panel",
      "a built-in USB-C charging port", "a fully adjustable arm", "a touch dimmer"),
     ("late-night reading", "home offices", "craft work", "students")),
    ("running shoe", ("engineered mesh", "recycled knit", "breathable synthetic mesh"),
     ("a responsive foam midsole", "a grippy rubber outsole", "reflective details", "a padded heel collar",
      "an 8 mm drop", "a roomy toe box"),
     ("daily training runs", "half-marathon prep", "trail-to-road runners", "beginners")),
    ("chef's knife", ("high-carbon stainless steel", "Damascus steel", "forged German steel"),
     ("a full-tang handle", "a razor-sharp 20-centimetre blade", "a balanced weight", "a protective sheath",
      "a comfortable ergonomic grip", "a hand-honed edge"),
     ("home cooks", "everyday meal prep", "professional kitchens", "anyone who loves to cook")),
    ("wireless earbuds", ("soft-touch polymer", "matte composite", "recycled plastics"),
     ("active noise cancellation", "up to 28 hours of battery life with the case", "IPX4 water resistance",
      "touch controls", "multipoint Bluetooth pairing", "a compact charging case"),
     ("commuters", "workouts", "long flights", "calls on the go")),
    ("yoga mat", ("natural tree rubber", "eco-friendly TPE", "cork and rubber"),
     ("a non-slip surface", "6 mm of cushioning", "alignment lines", "a carrying strap",
      "a sweat-resistant finish", "a lightweight roll-up design"),
     ("daily practice", "hot yoga", "home workouts", "pilates")),
    ("coffee grinder", ("stainless steel", "die-cast aluminium", "matte black steel"),
     ("conical burrs", "40 grind settings", "a quiet motor", "a static-free grounds bin",
      "a one-touch timer", "an easy-clean chute"),
     ("espresso fans", "pour-over lovers", "small cafés", "slow weekend mornings")),
    ("office chair", ("breathable mesh", "recycled fabric", "vegan leather"),
     ("adjustable lumbar support", "4D armrests", "a synchro-tilt mechanism", "a height-adjustable seat",
      "smooth-rolling casters", "a ten-year frame warranty"),
     ("long workdays", "home offices", "gaming sessions", "shared workspaces")),
    ("water bottle", ("double-wall stainless steel", "Tritan plastic", "borosilicate glass"),
     ("a leak-proof lid", "24 hours of cold drinks", "a wide mouth for ice cubes", "a powder-coated grip",
      "a dishwasher-safe body", "a built-in carry loop"),
     ("hikes", "the gym", "school bags", "long days at the desk")),
    ("cast-iron skillet", ("pre-seasoned cast iron", "enamelled cast iron"),
     ("even heat retention", "an oven-safe build up to 260 °C", "a helper handle", "pour spouts on both sides",
      "a naturally non-stick surface", "a 26-centimetre cooking area"),
     ("searing steaks", "campfire cooking", "weekend breakfasts", "one-pan dinners")),
    ("throw blanket", ("organic cotton", "merino wool", "recycled fleece"),
     ("a chunky knit texture", "fringed edges", "a machine-washable finish", "a generous 130 x 170 cm size",
      "a soft brushed surface", "natural temperature regulation"),
     ("movie nights", "reading corners", "chilly evenings", "guest rooms")),
    ("smartwatch", ("aluminium", "titanium", "stainless steel"),
     ("a bright AMOLED display", "built-in GPS", "heart-rate and sleep tracking", "five days of battery life",
      "water resistance to 50 metres", "contactless payments"),
     ("runners", "busy professionals", "swimmers", "anyone tracking their fitness")),
    ("plant pot", ("glazed stoneware", "terracotta", "recycled concrete"),
     ("a drainage hole with a matching saucer", "a hand-finished glaze", "a 20-centimetre diameter",
      "frost-resistant walls", "a minimalist silhouette", "rubber feet that protect surfaces"),
     ("houseplant lovers", "balconies", "sunny windowsills", "new homeowners")),
)

GENERIC_FEATURES: tuple[str, ...] = (
    "a durable build", "thoughtful details", "an easy setup", "a compact footprint", "a two-year warranty",
    "easy-clean surfaces", "a timeless design", "quality materials", "a lightweight design",
    "simple, intuitive controls",
)

GENERIC_USES: tuple[str, ...] = (
    "everyday use", "busy households", "small spaces", "gifting", "people who value quality",
    "work and home", "first-time buyers",
)

PRODUCT_ADJECTIVES: tuple[str, ...] = (
    "compact", "lightweight", "premium", "versatile", "minimalist", "rugged", "sleek", "everyday",
    "eco-friendly", "classic", "modern", "handcrafted",
)

BRANDS: tuple[str, ...] = (
    "Northwind", "Alderwood", "Bluecrest", "Harbor", "Kestrel", "Lumen", "Oakline", "Pinecone",
    "Riverstone", "Summit", "Tidewater", "Everfield", "Copperleaf", "Nordlys", "Fable",
)

PRODUCT_DESC_OPENERS: tuple[tuple[str, str], ...] = (
    ("Meet the ", ", @adj @noun designed for @use."),
    ("The ", " is @adj @noun built for @use."),
    ("", " is our take on the classic @noun, made for @use."),
    ("Designed for @use, the ", " is @adj @noun that just works."),
    ("Upgrade your routine with the ", ", @adj @noun for @use."),
)

PRODUCT_DESC_CLOSERS: tuple[str, ...] = (
    "Backed by a two-year warranty.", "Ships free in recyclable packaging.",
    "Available in four colours.", "Designed in-house and tested for everyday wear.",
    "Comes with a 30-day no-questions-asked return policy.", "Spare parts are available for years.",
    "A small upgrade you will notice every day.", "Easy to clean and built to last.",
)
