"""The demo world: the owner, the people she knows on each platform, and what happened between
them. Writers (one module per export format) only render this model.

Everything is drawn from ``random.Random`` instances seeded with strings derived from the seed,
so the same seed and ``today`` always give the same world, and one part (say the crowd) can
change without reshuffling another (say the owner's posts).

    >>> from datetime import date
    >>> local(date(2025, 7, 1), 9).isoformat()
    '2025-07-01T14:00:00+00:00'
    >>> local(date(2025, 1, 15), 9).isoformat()
    '2025-01-15T15:00:00+00:00'
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "OWNER",
    "OWNER_BLUESKY_DAYS",
    "OWNER_MASTODON_DAYS",
    "WINDOW_DAYS",
    "Blog",
    "BlogPost",
    "Bluesky",
    "Event",
    "Facebook",
    "LinkedIn",
    "Mastodon",
    "Owner",
    "Person",
    "Twitter",
    "World",
    "local",
    "rng",
    "wall_clock",
]


WINDOW_DAYS = 730  # two years of interactions
OWNER_MASTODON_DAYS = 1150  # days before today the owner opened her Mastodon account
OWNER_BLUESKY_DAYS = 440  # ... and her Bluesky account


def rng(seed: int, part: str) -> random.Random:
    """A random generator for one part of the world (string seeds hash the same everywhere)."""
    return random.Random(f"netweave-demo:{seed}:{part}")


def _dst(day: date) -> bool:
    """US daylight saving time: second Sunday of March to first Sunday of November."""
    march = date(day.year, 3, 8)
    start = march + timedelta(days=(6 - march.weekday()) % 7)
    november = date(day.year, 11, 1)
    end = november + timedelta(days=(6 - november.weekday()) % 7)
    return start <= day < end


def local(day: date, hour: float) -> datetime:
    """An instant given as a Chicago wall-clock hour on ``day`` (the owner lives there), in UTC."""
    offset = 5 if _dst(day) else 6
    base = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return base + timedelta(hours=hour + offset)


def wall_clock(when: datetime) -> datetime:
    """The Chicago wall-clock time (naive) of a UTC instant, as WordPress stores local times."""
    guess = when - timedelta(hours=6)
    return (when - timedelta(hours=5 if _dst(guess.date()) else 6)).replace(tzinfo=None)


def digest(*parts: object) -> str:
    """A stable hex digest of ``parts`` (for ids that must not depend on draw order)."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


@dataclass(frozen=True)
class Owner:
    """The fictional person whose exports these are."""

    first: str = "Mia"
    last: str = "Okafor"
    city: str = "Chicago, IL"
    email: str = "mia.okafor@example.com"
    phone: str = "+1 312-555-0100"
    domain: str = "miaokafor.example"
    twitter_id: str = "271930858"
    twitter_handle: str = "miaokafor"
    mastodon: str = "miaokafor@hachyderm.io"
    bluesky: str = "miaokafor.bsky.social"
    did: str = "did:plc:7iza6de2dwap2sbkpav7c6c6"
    linkedin: str = "miaokafor"
    facebook: str = "mia.okafor"
    headline: str = "Community builder. Python packaging & accessibility. Chicago."
    expertise: tuple[str, ...] = ("python packaging", "accessibility", "community building")
    interests: tuple[str, ...] = ("improv", "running", "social media strategy")

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def site(self) -> str:
        return f"https://{self.domain}"


OWNER = Owner()


@dataclass
class Twitter:
    id: str
    handle: str
    name: str
    until: datetime | None = None  # last day active before moving away
    moving_name: str | None = None  # display name in the weeks before the move
    followed: bool = True  # the owner follows them
    follower: bool = True  # they follow the owner


@dataclass
class Mastodon:
    address: str  # user@instance
    name: str
    since: datetime
    followed: bool = True

    @property
    def user(self) -> str:
        return self.address.split("@")[0]

    @property
    def instance(self) -> str:
        return self.address.split("@")[1]

    @property
    def actor(self) -> str:
        return f"https://{self.instance}/users/{self.user}"


@dataclass
class Bluesky:
    handle: str
    did: str
    name: str
    since: datetime
    followed: bool = True


@dataclass
class LinkedIn:
    slug: str
    first: str
    last: str
    connected: datetime
    email_visible: bool
    invited_by_owner: bool
    message: str = ""  # the note sent with the invitation

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"


@dataclass
class Facebook:
    name: str
    since: datetime


@dataclass
class Blog:
    title: str
    domain: str
    feed: str  # "rss" or "atom"
    about: str

    @property
    def url(self) -> str:
        return f"https://{self.domain}/"

    @property
    def feed_url(self) -> str:
        return f"https://{self.domain}/{'feed/' if self.feed == 'rss' else 'atom.xml'}"


@dataclass
class Person:
    """Someone the owner knows, with their accounts as each platform shows them."""

    idx: int
    first: str
    last: str
    role: str  # close | family | colleague | partner | community | acquaintance
    city: str
    topics: tuple[str, ...]
    company: str = ""
    title: str = ""
    email: str | None = None
    phone: str | None = None
    native: str | None = None  # the name in its own script (山田太郎)
    twitter: Twitter | None = None
    mastodon: Mastodon | None = None
    bluesky: Bluesky | None = None
    linkedin: LinkedIn | None = None
    facebook: Facebook | None = None
    blog: Blog | None = None
    vcard: bool = False
    google: bool = False
    contact_name: str | None = None  # how the address book files them ("Álvarez, José")
    nickname: str | None = None
    birthday: date | None = None
    note: str | None = None
    since: datetime | None = None  # when the relationship began (None: before the window)
    lapsed: datetime | None = None  # when contact stopped (a cooling tie)
    cadence: float = 365.0  # mean days between touches

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def handle(self) -> str:
        """A short handle for mentions on platforms that show none (blog comments)."""
        if self.twitter:
            return self.twitter.handle
        return (self.first + self.last).lower()


@dataclass
class Event:
    """One action between the owner and someone (or the owner alone), on one platform.

    ``kind``: post, reply, mention, repost, like, dm, comment. ``ref_text``/``ref_at`` describe
    the other person's post the owner reacted to (reply, like, repost). ``ask`` names the
    expertise topic when the text asks for help.
    """

    when: datetime
    channel: str
    kind: str
    direction: str  # given | received
    text: str
    person: Person | None = None
    others: tuple[Person, ...] = ()
    thread: str = ""
    ref_text: str = ""
    ref_at: datetime | None = None
    ask: str | None = None
    answered: bool = False
    post: int = -1  # blog: index of the owner's post commented on
    parent: int = -1  # blog: index (in that post's comments) of the comment replied to
    title: str = ""  # feed items and blog posts
    tags: tuple[str, ...] = ()


@dataclass
class BlogPost:
    """A post on the owner's WordPress blog."""

    title: str
    slug: str
    when: datetime
    paragraphs: tuple[str, ...]
    category: str
    tags: tuple[str, ...]


@dataclass
class World:
    """Everything the writers render."""

    seed: int
    today: date
    now: datetime  # when the exports were requested
    owner: Owner
    people: list[Person]
    events: list[Event] = field(default_factory=list)
    blog_posts: list[BlogPost] = field(default_factory=list)
    feeds: dict[str, list[Event]] = field(default_factory=dict)  # blog domain -> their posts

    def on(self, channel: str) -> list[Event]:
        """The events of one platform, oldest first."""
        return [e for e in self.events if e.channel == channel]

    def person(self, first: str, last: str) -> Person:
        """A cast member by name (the story people the writers refer to)."""
        for p in self.people:
            if (p.first, p.last) == (first, last):
                return p
        raise KeyError(f"{first} {last}")

    def day(self, days_ago: float, hour: float = 12.0) -> datetime:
        """An instant ``days_ago`` days before today at a Chicago wall-clock hour."""
        return local(self.today - timedelta(days=int(days_ago)), hour)
