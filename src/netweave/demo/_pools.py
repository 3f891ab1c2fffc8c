"""Names, places and phrases the demo world is drawn from.

Everything here is fictional. Personal web sites use the reserved ``.example`` top-level domain,
e-mail addresses ``example.com``/``example.org``/``example.net``, and phone numbers the
555-01xx range set aside for fiction, so no demo value points at a real person or site.

    >>> len(FIRST_NAMES) > 80 and len(LAST_NAMES) > 80
    True
"""

from __future__ import annotations

__all__ = [
    "ANSWERS",
    "ASKS",
    "CITIES",
    "COMPANIES",
    "EMOJI",
    "FIRST_NAMES",
    "INSTANCES",
    "LAST_NAMES",
    "OWNER_GIVING",
    "OWNER_LIFE",
    "OWNER_PROMO",
    "REPLIES",
    "SAYS",
    "TITLES",
    "TOPICS",
]

# fmt: off
FIRST_NAMES = (
    "Aaliyah", "Aaron", "Abena", "Adrian", "Aisha", "Alejandro", "Alice", "Amara", "Ana",
    "Andre", "Anika", "Arjun", "Ayesha", "Bea", "Ben", "Bianca", "Brandon", "Camila", "Carlos",
    "Chloé",
    "Chen", "Chiara", "Chris", "Claire", "Dana", "Daniel", "Deepa", "Derek", "Diego", "Elena",
    "Elif", "Emeka", "Emily", "Esther", "Fatima", "Felix", "Gabriel", "Grace", "Hana", "Hannah",
    "Hassan", "Inês", "Isaac", "Ivan", "Jada", "Jamal", "James", "Jasmine", "Jenna", "Joel",
    "Jordan", "Julia", "Kai", "Kavya", "Keisha", "Kenji", "Kofi", "Laura", "Leila", "Liam",
    "Lina", "Lucas", "Malik", "Maria", "Marcus", "Maya", "Mei", "Miguel", "Mina", "Nadia",
    "Naomi", "Nate", "Nia", "Noah", "Olivia", "Omar", "Pablo", "Paul", "Priya", "Rachel",
    "Rafael", "Ravi", "Rosa", "Ruth", "Sam", "Sara", "Sean", "Søren", "Sofia", "Tariq", "Tess",
    "Tomás",
    "Uma", "Victor", "Wen", "Yara", "Yusuf", "Zara",
)

LAST_NAMES = (
    "Adeyemi", "Anderson", "Baker", "Banerjee", "Bennett", "Brooks", "Campbell", "Castillo",
    "Chang", "Cohen", "Cruz", "Das", "Diaz", "Edwards", "Ellis", "Evans", "Fischer", "Flores",
    "Foster", "Garcia", "Greene", "Gupta", "Haddad", "Hall", "Hayes", "Hernandez", "Hughes",
    "Ibrahim", "Iyer", "Jackson", "Jensen", "Johnson", "Kang", "Kaplan", "Khan", "Kim", "Kowalski",
    "Lee", "Lopez", "Mahmoud", "Martin", "Mbeki", "Mendoza", "Meyer", "Mitchell", "Moreno",
    "Müller", "Murphy", "Nakamura", "Nguyen", "Novak", "Núñez", "Obi", "O'Brien", "Ortiz", "Osei",
    "Park", "Patel",
    "Perez", "Petrov", "Phillips", "Quinn", "Ramirez", "Reed", "Reyes", "Rivera", "Rossi",
    "Russo", "Sato", "Schmidt", "Shah", "Silva", "Singh", "Sokolov", "Sullivan", "Suzuki",
    "Tanaka", "Torres", "Tran", "Turner", "Vargas", "Walker", "Wang", "Ward", "Watson", "Weber",
    "Williams", "Wilson", "Wong", "Yamamoto", "Young", "Zhang",
)

# (city as people write it, weight): the owner lives in Chicago, so many contacts do too
CITIES = (
    ("Chicago, IL", 30), ("Evanston, IL", 4), ("Oak Park, IL", 3), ("Milwaukee, WI", 3),
    ("Madison, WI", 2), ("Minneapolis, MN", 3), ("New York, NY", 6), ("Seattle, WA", 5),
    ("Portland, OR", 4), ("Austin, TX", 4), ("Atlanta, GA", 3), ("Denver, CO", 2),
    ("San Francisco, CA", 4), ("Toronto, ON", 3), ("London, UK", 4), ("Berlin, Germany", 3),
    ("Lagos, Nigeria", 2), ("Stillwater, OK", 1), ("Boston, MA", 3), ("Washington, DC", 3),
)

COMPANIES = (
    "Lakeshore Analytics", "Prairie Labs", "Northwind Health", "Loop Logistics",
    "Brightline Media", "Juniper Civic Tech", "Fernway Software", "Harbor & Pine",
    "Cobalt Data Co.", "Wicker Park Studio",
    "Open Source Collective", "Riverbend University", "Midwest Accessibility Alliance",
    "Signal Path Consulting", "Greenleaf Nonprofit Network", "Kestrel Robotics", "Tidewater Bank",
    "Maple & Main Marketing", "Bluebird Learning", "Granite Insurance",
)

TITLES = {
    "colleague": (
        "Senior Software Engineer", "Developer Advocate", "Engineering Manager", "Product Designer",
        "Accessibility Specialist", "Data Scientist", "Community Manager", "Technical Writer",
        "Staff Engineer", "UX Researcher", "Python Developer", "Open Source Program Manager",
    ),
    "partner": (
        "Founder", "Author & Speaker", "Podcast Host", "Principal Consultant", "CEO",
        "Newsletter Editor",
    ),
    "other": (
        "Marketing Manager", "Teacher", "Nurse", "Small Business Owner", "Graduate Student",
        "Photographer", "Social Media Strategist", "Recruiter", "Librarian", "Project Manager",
    ),
}

INSTANCES = (
    "mastodon.social", "hachyderm.io", "fosstodon.org", "social.coop", "mas.to",
    "chaos.social", "toot.community", "mstdn.social",
)
# fmt: on

EMOJI = ("🌻", "🎭", "🏃‍♀️", "🐍", "♿", "🌈", "☕", "📚", "🚲", "✨", "🎸", "🌿")

# topic -> (hashtag, things people mention when they talk about it)
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "python packaging": (
        "python",
        ("pipx", "hatch", "uv", "twine", "pyproject.toml", "cibuildwheel", "setuptools", "flit"),
    ),
    "accessibility": (
        "a11y",
        ("screen readers", "WCAG 2.2", "alt text", "color contrast", "ARIA", "axe-core", "NVDA"),
    ),
    "community building": (
        "community",
        ("meetups", "code of conduct", "onboarding", "mentoring", "Discord", "office hours"),
    ),
    "social media strategy": (
        "socialmedia",
        ("analytics", "a content calendar", "engagement", "relationships", "goals"),
    ),
    "data visualization": ("dataviz", ("matplotlib", "charts", "dashboards", "color scales")),
    "improv": ("improv", ("the Tuesday jam", "scene work", "a Harold", "yes, and")),
    "running": ("running", ("the lakefront path", "a 10K", "the marathon", "long runs")),
    "open source": ("opensource", ("maintainers", "pull requests", "issues", "releases")),
}

# asks in the owner's expertise topics, phrased the way people really ask
ASKS: dict[str, tuple[str, ...]] = {
    "python packaging": (
        "Anyone know a good python packaging tool? setup.py is driving me up the wall.",
        "Looking for advice: hatch or uv for a small python library? Our packaging is a mess.",
        "Does anyone have a template pyproject.toml for publishing to PyPI? Stuck on packaging.",
        "How do I ship a CLI written in python so colleagues can install it? pipx? packaging help!",
        "Can anyone recommend a cibuildwheel guide? python packaging is hard.",
    ),
    "accessibility": (
        "How do I make data tables accessible for screen readers? Any pointers welcome.",
        "Anyone know a good tool for testing color contrast in CI? Our accessibility checks slip.",
        "Looking for recommendations: accessibility audit for a small nonprofit website?",
        "Any tips on writing alt text for charts? Trying to get better at accessibility.",
        "Can anyone recommend an accessibility consultant who knows WCAG 2.2?",
    ),
    "community building": (
        "Any advice on starting a local meetup? Community building from zero feels daunting.",
        "How do you keep volunteers engaged? Looking for community building ideas.",
        "Does anyone have a good code of conduct template for a new community?",
    ),
}

# what the owner answers to an ask ({thing} is a tool or practice of the topic): giving
ANSWERS = (
    "Have you tried {thing}? It worked for me on two projects.",
    "Here's how I do it: start with {thing}, then add checks in CI. Hope this helps!",
    "I'd recommend {thing}. Happy to help you set it up, DM me.",
    "The trick is {thing}, honestly. I wrote up my notes here: {link}",
)

# what people post about their topics ({thing}, {tag}); the owner replies, likes or reposts
SAYS = (
    "Spent the afternoon on {thing}. Small wins add up. #{tag}",
    "Hot take: {thing} deserves more love. #{tag}",
    "Wrote up what I learned about {thing} this week: {link}",
    "Giving a talk on {thing} next month, nervous and excited! #{tag}",
    "Three years in and {thing} still surprises me. #{tag}",
    "New blog post: lessons from a year of {thing} {link}",
)

# the owner's replies to someone's post, by label (the give/get classifier sees these)
REPLIES = {
    "giving": (
        "Congrats {name}, well deserved!",
        "Great post, {name}! The part about {thing} is so helpful.",
        "Thanks for sharing this, bookmarking it for our {topic} group.",
        "Love this, {name}. You should write more about {thing}.",
        "Have you tried {thing}? Worked for me last month.",
        "Happy to help with {thing} if you want a second pair of eyes.",
    ),
    "neutral": (
        "Ha, same here with {thing}.",
        "See you at the meetup next week?",
        "Agreed, {name}.",
        "Interesting, hadn't thought about {thing} that way.",
    ),
}

# the owner's own posts
OWNER_GIVING = (
    "Here's the checklist I use for {thing}: {link} Hope it helps someone! #{tag}",
    "If you are new to {topic}: start with {thing}. Happy to help, my DMs are open. #{tag}",
    "Great thread by {mention} on {thing}, worth a read. #{tag}",
    "You two should meet: {mention} and {mention2}, both deep into {topic}.",
    "Thank you {mention} for the kind words about my {topic} talk!",
    "Office hours on {topic} this Thursday, free, bring your questions about {thing}.",
)
OWNER_LIFE = (
    "Morning run along the lakefront path, six miles before work. #running",
    "Improv jam tonight. Yes, and! #improv",
    "Social media is about relationships, not reach. Still learning that every day.",
    "Busy is not the same as productive. Stepping back to ask what my goals are this month.",
    "Coffee with a friend I first met online. Best part of this whole social media thing.",
    "Chicago in the snow is a whole mood. ☕",
    "Reassessing my goals for the quarter: fewer platforms, deeper conversations.",
)
OWNER_PROMO = (
    "Download my new e-book on community building: {link}",
    "Subscribe to my newsletter for weekly {topic} tips: {link}",
    "Check out my new course on {topic}, 20% off this week only: {link}",
    "Don't miss my webinar on {thing} next Tuesday, register here: {link}",
    "Please share: my talk proposal on {topic} needs votes! {link}",
)
