"""Who the owner knows: a hand-written cast that carries the story, and a generated crowd.

The cast: Terrill (@terrillific, met for dinner in Chicago, later on Mastodon), Zoë (moved from
Twitter to Mastodon and Bluesky), José (packaging colleague, "Álvarez, José" in the address
book), 山田太郎 (Taro Yamada), the strategic partners whose blogs the owner reads, her family
on Facebook, and two different people both called Chris Lee. The crowd fills the circles up to
about 300 people, each present on the platforms their role makes likely.

    >>> from datetime import date
    >>> people = cast(7, date(2026, 1, 15))
    >>> len(people)
    300
    >>> people[0].twitter.handle, people[0].mastodon.address
    ('terrillific', 'terrill@mastodon.social')
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta

from unidecode import unidecode

from ._pools import CITIES, COMPANIES, EMOJI, FIRST_NAMES, INSTANCES, LAST_NAMES, TITLES, TOPICS
from ._world import (
    Blog,
    Bluesky,
    Facebook,
    LinkedIn,
    Mastodon,
    Person,
    Twitter,
    digest,
    local,
    rng,
)

__all__ = ["TOTAL", "cast"]

TOTAL = 300
B32 = "abcdefghijklmnopqrstuvwxyz234567"
_AREA = {
    "Chicago": "312", "Evanston": "847", "Oak Park": "708", "Milwaukee": "414", "Madison": "608",
    "Minneapolis": "612", "New York": "212", "Seattle": "206", "Portland": "503", "Austin": "512",
    "Atlanta": "404", "Denver": "303", "San Francisco": "415", "Toronto": "416", "Boston": "617",
    "Washington": "202", "Stillwater": "405", "Houston": "713",
}  # fmt: skip


class _Ids:
    """Keeps handles, phones and names unique across the cast."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.handles: set[str] = set()
        self.phones: set[str] = set()
        self.names: set[tuple[str, str]] = set()

    def handle(self, wanted: str) -> str:
        base = re.sub(r"[^a-z0-9_]", "", unidecode(wanted).lower())[:15] or "user"
        candidate = base
        while candidate in self.handles:
            candidate = f"{base[:12]}{self.r.randint(10, 999)}"
        self.handles.add(candidate)
        return candidate

    def phone(self, city: str) -> str | None:
        area = _AREA.get(city.split(",")[0])
        if area is None:
            return None
        for _ in range(200):
            number = f"({area}) 555-01{self.r.randint(0, 99):02d}"
            if number not in self.phones and number != "(312) 555-0100":
                self.phones.add(number)
                return number
        return None


def _did(*parts: object) -> str:
    raw = int(digest("did", *parts), 16)
    return "did:plc:" + "".join(B32[(raw >> (5 * i)) & 31] for i in range(24))


def _twitter_id(r: random.Random, joined: int) -> str:
    # accounts made before 2013 have short sequential ids, later ones snowflakes
    if joined < 2013:
        return str(r.randint(10_000_000, 999_999_999))
    return str(r.randint(10**17, 10**18 - 1) if joined < 2020 else r.randint(10**18, 2 * 10**18))


def _story(today: date, ids: _Ids) -> list[Person]:
    """The people the demo's story is about (fixed, only dates move with ``today``)."""

    def ago(days: int) -> datetime:
        return local(today - timedelta(days=days), 12)

    terrill = Person(
        0,
        "Terrill",
        "Thompson",
        "close",
        "Seattle, WA",
        ("accessibility", "improv"),
        company="Riverbend University",
        title="Technology Accessibility Specialist",
        email="terrill.t@example.net",
        phone="(206) 555-0142",
        twitter=Twitter(
            "14892034",
            "terrillific",
            "Terrill 🎭",
            until=ago(330),
            moving_name="Terrill 🎭 @terrill@mastodon.social",
        ),
        mastodon=Mastodon("terrill@mastodon.social", "Terrill Thompson 🎭", ago(360)),
        linkedin=LinkedIn(
            "terrill-thompson-4b1a2c",
            "Terrill",
            "Thompson, CPACC",
            ago(394),
            email_visible=True,
            invited_by_owner=True,
            message="Great to finally meet in person, Terrill! Let's keep in touch.",
        ),
        facebook=Facebook("Terrill Thompson", ago(390)),
        blog=Blog(
            "Terrill Thompson: notes on access and improv",
            "terrill.example",
            "rss",
            "Accessibility specialist and improviser in Seattle. Now @terrill@mastodon.social"
            " (formerly @terrillific on Twitter).",
        ),
        vcard=True,
        contact_name="Terrill T.",
        birthday=date(1979, 9, 21),
        note="Twitter friend first. Dinner in Chicago during his conference: improv, "
        "accessibility, and what we want out of social media.",
        cadence=7,
    )
    zoe = Person(
        1,
        "Zoë",
        "Whitfield",
        "close",
        "Chicago, IL",
        ("accessibility", "data visualization"),
        company="Juniper Civic Tech",
        title="Product Designer",
        email="zoe.whitfield@example.org",
        phone="(773) 555-0161",
        twitter=Twitter(
            "3189076542",
            "zoewhit",
            "Zoë 🌻",
            until=ago(600),
            moving_name="Zoë 🌻 @zoe@fosstodon.org",
        ),
        mastodon=Mastodon("zoe@fosstodon.org", "Zoë Whitfield 🌻", ago(620)),
        bluesky=Bluesky("zoe.example", _did("zoe"), "Zoë 🌻", ago(400)),
        linkedin=LinkedIn("zoewhitfield", "Zoë", "Whitfield", ago(900), True, False),
        facebook=Facebook("Zoe Whitfield", ago(1500)),
        blog=Blog(
            "Zoë Whitfield: accessible by design",
            "zoe.example",
            "atom",
            "Designer in Chicago writing about accessible charts and civic tech.",
        ),
        vcard=True,
        google=True,
        birthday=date(1990, 4, 2),
        cadence=6,
    )
    jose = Person(
        2,
        "José",
        "Álvarez",
        "colleague",
        "Chicago, IL",
        ("python packaging", "open source"),
        company="Prairie Labs",
        title="Senior Software Engineer",
        email="jose.alvarez@example.com",
        phone="(312) 555-0177",
        twitter=Twitter("1187463021553106944", "jalvarez_dev", "Jose Alvarez"),
        mastodon=Mastodon("jalvarez@hachyderm.io", "José Álvarez", ago(500)),
        linkedin=LinkedIn("jose-alvarez-dev", "José", "Álvarez", ago(700), True, True),
        google=True,
        contact_name="Álvarez, José",
        cadence=21,
    )
    taro = Person(
        3,
        "Taro",
        "Yamada",
        "colleague",
        "Tokyo, Japan",
        ("python packaging", "open source"),
        company="Fernway Software",
        title="Python Developer",
        email="taro.yamada@example.jp",
        native="山田太郎",
        twitter=Twitter("96385274", "yamataro", "山田太郎 | Taro Yamada"),
        linkedin=LinkedIn("taro-yamada-py", "Taro", "Yamada", ago(650), False, False),
        facebook=Facebook("Taro Yamada", ago(640)),
        vcard=True,
        contact_name="山田太郎",
        note="PyCon JP sprint buddy.",
        cadence=30,
    )
    dawn = Person(
        4,
        "Dawn",
        "Bellamy",
        "partner",
        "Atlanta, GA",
        ("social media strategy", "community building"),
        company="Heart to Heart Media",
        title="Founder",
        twitter=Twitter("58301776", "dawnbellamy", "Dawn Bellamy 💛"),
        linkedin=LinkedIn("dawnbellamy", "Dawn", "Bellamy", ago(300), False, True),
        facebook=Facebook("Dawn Bellamy", ago(280)),
        blog=Blog(
            "Heart to Heart Media", "hearttoheart.example", "rss", "Women networking at its best."
        ),
        cadence=40,
    )
    stefanie = Person(
        5,
        "Stefanie",
        "Kraus",
        "partner",
        "Minneapolis, MN",
        ("social media strategy",),
        company="Kraus Social",
        title="Social Media Strategist",
        twitter=Twitter("227301948", "stefkraus", "Stefanie Kraus"),
        linkedin=LinkedIn("stefaniekraus", "Stefanie", "Kraus", ago(250), False, True),
        blog=Blog(
            "Stefanie on Social",
            "stefaniekraus.example",
            "rss",
            "Goals for social media and social networking.",
        ),
        cadence=45,
    )
    jenn = Person(
        6,
        "Jenn",
        "Alvord",
        "partner",
        "Austin, TX",
        ("social media strategy",),
        company="Alvord Strategy",
        title="Principal Consultant",
        twitter=Twitter("40187322", "jennalvord", "Jenn Alvord"),
        bluesky=Bluesky("jennalvord.bsky.social", _did("jenn"), "Jenn Alvord", ago(380)),
        blog=Blog("Jenn Alvord", "jennalvord.example", "rss", "What are you doing here?"),
        cadence=50,
    )
    amara = Person(
        7,
        "Amara",
        "Nwosu",
        "partner",
        "London, UK",
        ("python packaging", "open source"),
        company="Packaging Pod",
        title="Podcast Host",
        email="amara@amaranwosu.example",
        twitter=Twitter("1021937465283743744", "amaracodes", "Amara Nwosu 🐍"),
        mastodon=Mastodon("amara@fosstodon.org", "Amara Nwosu", ago(700)),
        bluesky=Bluesky("amaranwosu.bsky.social", _did("amara"), "Amara Nwosu", ago(410)),
        linkedin=LinkedIn("amara-nwosu", "Amara", "Nwosu", ago(200), True, True),
        blog=Blog(
            "Packaging Pod", "amaranwosu.example", "rss", "A podcast about Python packaging."
        ),
        cadence=35,
    )
    christopher = Person(
        8,
        "Christopher",
        "Hale",
        "community",
        "Boston, MA",
        ("social media strategy",),
        email="chris.hale@example.net",
        twitter=Twitter("310993417", "chrishale", "Christopher Hale"),
        cadence=90,
    )
    sherry = Person(
        9,
        "Sherry",
        "Rowan",
        "community",
        "Stillwater, OK",
        ("social media strategy",),
        company="Rowan Small Biz Coaching",
        title="Small Business Owner",
        email="sherry@rowancoaching.example",
        facebook=Facebook("Sherry Rowan", ago(500)),
        cadence=120,
    )
    family = [
        Person(
            10,
            "Grace",
            "Okafor",
            "family",
            "Houston, TX",
            (),
            nickname="Mom",
            phone="(713) 555-0120",
            facebook=Facebook("Grace Okafor", ago(2400)),
            vcard=True,
            birthday=date(1958, 6, 14),
            cadence=6,
        ),
        Person(
            11,
            "Ngozi",
            "Okafor-Reyes",
            "family",
            "Chicago, IL",
            ("running",),
            email="ngozi.reyes@example.com",
            phone="(773) 555-0133",
            facebook=Facebook("Ngozi Okafor Reyes", ago(2300)),
            twitter=Twitter("388201947", "ngozireyes", "Ngozi Okafor Reyes"),
            vcard=True,
            google=True,
            birthday=date(1988, 2, 29),
            cadence=5,
        ),
        Person(
            12,
            "Chidi",
            "Okafor",
            "family",
            "Atlanta, GA",
            (),
            phone="(404) 555-0188",
            facebook=Facebook("Chidi Okafor", ago(2200)),
            vcard=True,
            cadence=14,
        ),
        Person(
            13,
            "Adaeze",
            "Okafor",
            "family",
            "Lagos, Nigeria",
            ("community building",),
            email="adaeze.okafor@example.org",
            facebook=Facebook("Adaeze Okafor", ago(1800)),
            google=True,
            cadence=30,
        ),
    ]
    chris_chi = Person(
        14,
        "Chris",
        "Lee",
        "colleague",
        "Chicago, IL",
        ("data visualization",),
        company="Lakeshore Analytics",
        title="Data Scientist",
        email="chris.lee@lakeshore.example",
        phone="(312) 555-0149",
        linkedin=LinkedIn("chrislee-data", "Chris", "Lee", ago(800), True, False),
        google=True,
        cadence=40,
    )
    chris_sea = Person(
        15,
        "Chris",
        "Lee",
        "acquaintance",
        "Seattle, WA",
        ("running",),
        twitter=Twitter("1432876510299652096", "chrislee_sea", "Chris Lee"),
        cadence=400,
    )
    priya = Person(
        16,
        "Priya",
        "Raman",
        "close",
        "Chicago, IL",
        ("running", "community building"),
        email="priya.raman@example.com",
        phone="(312) 555-0111",
        twitter=Twitter(
            "412990551",
            "priyaruns",
            "Priya Raman 🏃‍♀️",
            until=ago(420),
            moving_name="Priya 🏃‍♀️ priyaruns.bsky.social",
        ),
        bluesky=Bluesky("priyaruns.bsky.social", _did("priya"), "Priya Raman 🏃‍♀️", ago(430)),
        facebook=Facebook("Priya Raman", ago(1400)),
        vcard=True,
        google=True,
        cadence=8,
    )
    marcus = Person(
        17,
        "Marcus",
        "Webb",
        "close",
        "Chicago, IL",
        ("improv",),
        twitter=Twitter("802331276", "marcuswebbcomedy", "Marcus Webb"),
        facebook=Facebook("Marcus Webb", ago(1100)),
        vcard=True,
        phone="(872) 555-0125",
        cadence=9,
    )
    bjorn = Person(
        18,
        "Björn",
        "Lindqvist",
        "community",
        "Berlin, Germany",
        ("open source", "python packaging"),
        twitter=Twitter(
            "2761093377",
            "bjornlq",
            "Bjorn Lindqvist",
            until=ago(560),
            moving_name="Björn @bjorn@chaos.social",
        ),
        mastodon=Mastodon("bjorn@chaos.social", "Björn Lindqvist", ago(580)),
        linkedin=LinkedIn("bjornlindqvist", "Björn", "Lindqvist", ago(1000), False, False),
        cadence=80,
    )
    renee = Person(
        19,
        "Renée",
        "Côté",
        "colleague",
        "Toronto, ON",
        ("accessibility",),
        company="Midwest Accessibility Alliance",
        title="Accessibility Specialist",
        email="renee.cote@example.ca",
        twitter=Twitter("1305776512", "reneecote", "Renee Cote ♿"),
        linkedin=LinkedIn("renee-cote-a11y", "Renée", "Côté", ago(600), True, False),
        vcard=True,
        contact_name="Côté, Renée",
        cadence=35,
    )
    minji = Person(
        20,
        "Minji",
        "Kim",
        "community",
        "Seattle, WA",
        ("data visualization", "python packaging"),
        native="김민지",
        twitter=Twitter("1290388812734619648", "minjikim_dev", "김민지 Minji Kim"),
        bluesky=Bluesky("minjikim.bsky.social", _did("minji"), "김민지", ago(390)),
        linkedin=LinkedIn("minji-kim-dev", "Minji", "Kim", ago(450), False, False),
        cadence=70,
    )
    tess = Person(
        21,
        "Tess",
        "Morgan",
        "acquaintance",
        "New York, NY",
        (),
        company="Tidewater Bank",
        title="Recruiter",
        linkedin=LinkedIn("tessmorgan-talent", "Tess", "Morgan", ago(90), False, False),
        cadence=10_000,
    )
    people = [terrill, zoe, jose, taro, dawn, stefanie, jenn, amara, christopher, sherry, *family,
              chris_chi, chris_sea, priya, marcus, bjorn, renee, minji, tess]  # fmt: skip
    for p in people:
        if p.twitter:
            ids.handles.add(p.twitter.handle)
        if p.phone:
            ids.phones.add(p.phone)
        ids.names.add((p.first, p.last))
    return people


_ROLES = (("close", 6), ("colleague", 44), ("partner", 4), ("community", 95))
# role -> (twitter, mastodon, bluesky, linkedin, facebook, vcard, google) presence odds
_PRESENCE = {
    "close": (0.9, 0.45, 0.4, 0.6, 0.9, 0.9, 0.5),
    "colleague": (0.7, 0.35, 0.3, 0.95, 0.2, 0.35, 0.4),
    "partner": (0.95, 0.4, 0.4, 0.85, 0.3, 0.1, 0.1),
    "community": (0.85, 0.4, 0.35, 0.4, 0.15, 0.1, 0.15),
    "acquaintance": (0.75, 0.15, 0.2, 0.35, 0.2, 0.04, 0.08),
}
_CADENCE = {
    "close": (6, 9),
    "colleague": (20, 45),
    "partner": (35, 60),
    "community": (90, 220),
    "acquaintance": (300, 1200),
}
_TOPIC_NAMES = tuple(TOPICS)


def _display(r: random.Random, first: str, last: str, handle: str) -> str:
    """How someone names themselves on Twitter/X (people are inventive)."""
    roll = r.random()
    if roll < 0.5:
        return f"{first} {last}"
    if roll < 0.6:
        return first
    if roll < 0.72:
        return f"{first} {last} {r.choice(EMOJI)}"
    if roll < 0.8:
        return f"{first} {last[0]}."
    if roll < 0.85:
        return f"{first} {last}".lower()
    if roll < 0.93:
        return f"{first} {last} | {r.choice(('dev', 'designer', 'runner', 'she/her', 'he/him'))}"
    if roll < 0.98:
        return handle
    return f"Dr. {first} {last}"


def _crowd(r: random.Random, today: date, ids: _Ids, start: int) -> list[Person]:
    """Generated people, by role, until the cast has ``TOTAL`` people."""
    roles = [role for role, n in _ROLES for _ in range(n)]
    roles += ["acquaintance"] * (TOTAL - start - len(roles))
    cities = [c for c, _ in CITIES]
    weights = [w for _, w in CITIES]
    people = []
    for offset, role in enumerate(roles):
        while True:
            first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
            if (first, last) not in ids.names:
                ids.names.add((first, last))
                break
        city = r.choices(cities, weights)[0]
        topics = tuple(sorted(r.sample(_TOPIC_NAMES, r.randint(1, 3))))
        kind = role if role in TITLES else "other"
        p = Person(
            start + offset, first, last, role, city, topics,
            company=r.choice(COMPANIES), title=r.choice(TITLES[kind]),
        )  # fmt: skip
        lo, hi = _CADENCE[role]
        p.cadence = r.uniform(lo, hi)
        if role != "close" and r.random() < 0.35:
            p.since = local(today - timedelta(days=r.randint(30, 700)), 12)
        if role in {"close", "colleague"} and r.random() < 0.12:
            p.lapsed = local(today - timedelta(days=r.randint(110, 300)), 12)
        odds = _PRESENCE[role]
        tw, ma, bs, li, fb, vc, gc = (r.random() < o for o in odds)
        if not any((tw, ma, bs, li, fb)):
            tw = True
        plain = unidecode(f"{first}.{last}").lower().replace("'", "")
        if r.random() < 0.55:
            domain = r.choice(("example.com", "example.org", "example.net"))
            p.email = f"{plain}@{domain}"
        joined = r.randint(2008, 2021)
        ago = int((today - date(joined, 6, 1)).days)
        if tw:
            wanted = r.choice(
                (f"{first}{last}", f"{first}_{last}", f"{first[0]}{last}", f"{first}{last[0]}",
                 f"{first}{r.randint(1, 99)}", f"the{first}", f"{first}{topics[0].split()[0]}")
            )  # fmt: skip
            handle = ids.handle(wanted)
            p.twitter = Twitter(_twitter_id(r, joined), handle, _display(r, first, last, handle))
            p.twitter.followed = role != "acquaintance" or r.random() < 0.5
            p.twitter.follower = r.random() < (0.9 if role != "acquaintance" else 0.6)
        moves = tw and (ma or bs) and role != "acquaintance" and r.random() < 0.45
        if ma:
            user = p.twitter.handle if p.twitter and r.random() < 0.6 else ids.handle(first + last)
            address = f"{user}@{r.choice(INSTANCES)}"
            p.mastodon = Mastodon(address, f"{first} {last}", local(today, 12))
        if bs:
            own = p.blog is None and r.random() < 0.15
            base = ids.handle(f"{first}{last}") if not p.twitter else p.twitter.handle
            handle = f"{base}.example" if own else f"{base.replace('_', '-')}.bsky.social"
            p.bluesky = Bluesky(handle, _did(first, last, start + offset), f"{first} {last}",
                                local(today, 12))  # fmt: skip
        _dates(r, p, today, moves)
        if li:
            slug = re.sub(r"[^a-z0-9]+", "-", unidecode(f"{first} {last}").lower())
            if r.random() < 0.5 or slug in ids.handles:
                slug = f"{slug}-{digest(slug, offset)[:6]}"
            ids.handles.add(slug)
            last_shown = last + (
                r.choice((", PhD", ", MBA", ", CPACC")) if r.random() < 0.06 else ""
            )
            connected = local(today - timedelta(days=r.randint(20, max(30, ago))), 12)
            p.linkedin = LinkedIn(slug, first, last_shown, connected, r.random() < 0.3,
                                  r.random() < 0.4)  # fmt: skip
        if fb:
            name = (
                f"{first} {last}" if r.random() < 0.9 else f"{first} {r.choice(LAST_NAMES)} {last}"
            )
            p.facebook = Facebook(name, local(today - timedelta(days=r.randint(20, ago)), 12))
        p.vcard, p.google = vc, gc
        if vc or gc:
            p.phone = ids.phone(city)
            if r.random() < 0.15:
                p.contact_name = f"{last}, {first}"
        if role == "partner":
            slug = re.sub(r"[^a-z0-9]", "", unidecode(f"{first}{last}").lower())
            kind_feed = "atom" if r.random() < 0.4 else "rss"
            p.blog = Blog(f"{first} {last} on {topics[0]}", f"{slug}.example", kind_feed,
                          f"{first} writes about {', '.join(topics)}.")  # fmt: skip
        people.append(p)
    return people


def _dates(r: random.Random, p: Person, today: date, moves: bool) -> None:
    """When each account became active; movers leave Twitter for Mastodon or Bluesky."""
    if p.mastodon:
        p.mastodon.since = local(today - timedelta(days=r.randint(60, 650 if moves else 1150)), 12)
    if p.bluesky:
        p.bluesky.since = local(today - timedelta(days=r.randint(30, 440)), 12)
    if moves and p.twitter:
        landing = min(x.since for x in (p.mastodon, p.bluesky) if x is not None)
        p.twitter.until = landing + timedelta(days=r.randint(5, 60))
        where = p.mastodon.address if p.mastodon else (p.bluesky.handle if p.bluesky else "")
        prefix = "@" if p.mastodon else ""
        p.twitter.moving_name = f"{p.twitter.name} {prefix}{where}"


def cast(seed: int, today: date) -> list[Person]:
    """The story people and the generated crowd: ``TOTAL`` people, indexed by position."""
    r = rng(seed, "cast")
    ids = _Ids(r)
    people = _story(today, ids)
    return people + _crowd(r, today, ids, len(people))
