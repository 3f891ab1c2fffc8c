"""Two years of what happened: touches with each person at the rhythm of their circle, the
owner's own posts, the story's scenes, and recent asks for help (some still unanswered).

A touch happens on a platform both people were on at the time: someone who left Twitter for
Mastodon is replied to on Twitter before the move and on Mastodon after it.

    >>> from datetime import date
    >>> w = build(7, date(2026, 1, 15))
    >>> sum(1 for e in w.events if e.ask and not e.answered and e.when > w.day(14)) >= 4
    True
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ._cast import cast
from ._pools import ANSWERS, ASKS, OWNER_GIVING, OWNER_LIFE, OWNER_PROMO, REPLIES, SAYS, TOPICS
from ._stories import blog_posts, feed_posts, story_events
from ._world import OWNER, OWNER_BLUESKY_DAYS, WINDOW_DAYS, Event, Person, World, local, rng

__all__ = ["build", "fill"]

_DM_OPEN = {
    "close": (
        "Coffee this week?", "How did the show go last night?", "Saw this and thought of you 😄",
        "Are you around this weekend?", "Long run Saturday? Lakefront, 8am?",
        "Made your lentil recipe, it was a hit!", "Thinking of you today. How's the new job?",
    ),
    "family": (
        "Call me when you get a chance", "Sunday dinner at Mom's?", "Did you see the photos?",
        "Can you send me the address again?", "Miss you! When are you visiting?",
    ),
    "colleague": (
        "Quick question about the release, got a minute?", "Could you review my PR this week?",
        "Thanks for the intro yesterday!", "Are you going to PyCon this year?",
        "Slides from my talk on {thing}: {link}", "Do you have notes from the {topic} session?",
    ),
    "partner": (
        "Would love to collaborate on a webinar about {topic}.",
        "Loved your post on {thing}. Would you be up for a guest post?",
        "Want to co-host a live session on {topic} next month?",
    ),
    "community": (
        "Thanks for the tip about {thing}!", "Loved your talk on {topic}.",
        "Are you coming to the meetup on Thursday?", "Hi Mia! We met at the {topic} meetup.",
    ),
    "acquaintance": ("Hi Mia, thanks for the follow!", "Great to connect!"),
}  # fmt: skip
_DM_REPLY = (
    "Yes! Let's do it.", "Sounds great, thank you!", "Ha, love it 😂", "Sure, Thursday works.",
    "Thanks so much!", "Can't this week, next week?", "Will do!", "Absolutely.",
    "On it, thanks for the nudge.", "Good question, let me check and get back to you.",
)  # fmt: skip
_THANKS = (
    "That worked, thank you Mia! 🙏", "Perfect, exactly what I needed. Thanks!",
    "You're a lifesaver, thank you.", "Thanks! Trying it now.",
)  # fmt: skip
_MENTIONS = (
    "Great thread by {mention} on {thing}, worth a read. #{tag}",
    "Lunch with {mention} today, we talked {topic} for two hours.",
    "Congrats to {mention} on the new role!",
    "h/t {mention} for pointing me at {thing}.",
    "Thank you {mention} for the kind words about my {topic} talk!",
)
_BLOG_COMMENTS = (
    "Great post, Mia! This is exactly what I needed to hear this week.",
    "Love this. The part about relationships over reach really stuck with me.",
    "Thanks for writing this up. Sharing it with my team.",
    "I keep coming back to this post. Busy is not the same as productive!",
    "So true. Social media is about being generous.",
)
_BLOG_REPLIES = (
    "Thank you, {name}! I always appreciate your comments.",
    "Thanks {name}! Glad it was useful.",
    "So glad it resonated, {name}.",
)


def fill(template: str, r: random.Random, p: Person | None, topic: str) -> str:
    """A template with its slots filled for ``p`` and ``topic``."""
    tag, things = TOPICS.get(topic, ("networking", ("relationships",)))
    site = p.blog.domain if p and p.blog else OWNER.domain
    mention = f"@{p.handle}" if p else "@miaokafor"
    return template.format(
        thing=r.choice(things),
        topic=topic,
        tag=tag,
        name=p.first if p else OWNER.first,
        link=f"https://{site}/{tag}-{r.randint(100, 999)}",
        mention=mention,
        mention2=mention,
    )


def _topic(r: random.Random, p: Person) -> str:
    mine = [t for t in p.topics if t in TOPICS]
    return r.choice(mine) if mine else r.choice(OWNER.interests)


def _moment(r: random.Random, when: datetime, minutes: tuple[int, int] = (2, 240)) -> datetime:
    return when + timedelta(minutes=r.randint(*minutes), seconds=r.randint(0, 59))


def _instant(r: random.Random, day: date) -> datetime:
    """A plausible time of day (Chicago): mornings, lunch and evenings."""
    hour = r.choice((7, 8, 9, 12, 13, 17, 19, 20, 21, 22)) + r.random()
    return local(day, hour).replace(microsecond=0)


def _channels(w: World, p: Person, when: datetime) -> list[tuple[str, float]]:
    """Where ``p`` and the owner could meet at ``when``, with how likely each platform is."""
    bsky_era = when >= w.day(OWNER_BLUESKY_DAYS)
    out: list[tuple[str, float]] = []
    if p.twitter and (p.twitter.until is None or when <= p.twitter.until):
        out.append(("twitter", 1.5 if bsky_era else 3.5))
    if p.mastodon and when >= p.mastodon.since:
        out.append(("mastodon", 3.0))
    if p.bluesky and when >= p.bluesky.since and bsky_era:
        out.append(("bluesky", 2.5))
    if p.facebook and when >= p.facebook.since:
        out.append(("facebook", 3.0 if p.role in {"close", "family"} else 0.5))
    if p.linkedin and when >= p.linkedin.connected:
        out.append(("linkedin", 1.5 if p.role in {"colleague", "partner"} else 0.3))
    if p.role in {"community", "partner", "colleague"} and w.blog_posts[0].when < when:
        out.append(("blog", 0.15))
    return out


_KINDS = {
    "twitter": (("reply", 3.0), ("like", 3.0), ("mention", 1.5), ("repost", 1.0), ("dm", 1.0)),
    "mastodon": (("reply", 3.0), ("like", 3.0), ("mention", 1.5), ("repost", 1.0), ("dm", 0.6)),
    "bluesky": (("reply", 3.0), ("like", 3.5), ("mention", 1.2), ("repost", 1.2)),
    "facebook": (("dm", 4.0), ("comment", 1.5)),
    "linkedin": (("dm", 1.0),),
    "blog": (("comment", 1.0),),
}


def _kind(r: random.Random, channel: str, p: Person, ask: bool) -> str:
    if ask:
        return {"twitter": r.choice(("dm", "reply")), "mastodon": "reply", "bluesky": "reply"}.get(
            channel, "comment" if channel == "blog" else "dm"
        )
    kinds = [(k, wt * (4 if k == "dm" and p.role == "close" else 1)) for k, wt in _KINDS[channel]]
    return r.choices([k for k, _ in kinds], [wt for _, wt in kinds])[0]


def _touch(w: World, r: random.Random, p: Person, when: datetime) -> list[Event]:
    """One moment of contact with ``p``: a reply, a like, a DM exchange, a comment..."""
    channels = _channels(w, p, when)
    if not channels:
        return []
    channel = r.choices([c for c, _ in channels], [wt for _, wt in channels])[0]
    topic = _topic(r, p)
    asks = topic in ASKS and p.role in {"close", "colleague", "community"} and r.random() < 0.08
    kind = _kind(r, channel, p, asks)
    recent = when > w.day(14)
    answered = not asks or r.random() < (0.4 if recent else 0.9)
    said = r.choice(ASKS[topic]) if asks else fill(r.choice(SAYS), r, p, topic)
    their_time = _moment(r, when, (-360, -5))
    if kind in {"reply", "like", "repost"}:
        if asks and not answered:
            return []  # a public ask the owner never saw leaves no trace in her exports
        if kind == "reply":
            label = "giving" if r.random() < 0.7 else "neutral"
            text = fill(r.choice(ANSWERS if asks else REPLIES[label]), r, p, topic)
        else:
            text = said
        return [
            Event(when, channel, kind, "given", text, p, ref_text=said, ref_at=their_time,
                  ask=topic if asks else None, answered=answered)
        ]  # fmt: skip
    if kind == "mention":
        text = fill(r.choice(_MENTIONS), r, p, topic)
        return [Event(when, channel, "mention", "given", text, p)]
    if kind == "comment" and channel == "facebook":
        label = "giving" if r.random() < 0.6 else "neutral"
        text = fill(r.choice(REPLIES[label]), r, p, topic)
        return [Event(when, channel, "comment", "given", text, p, ref_text=said)]
    if kind == "comment":
        return _blog_comment(w, r, p, when, topic, said if asks else "", answered)
    return _exchange(r, p, when, channel, topic, said if asks else "", answered)


def _exchange(
    r: random.Random, p: Person, when: datetime, channel: str, topic: str, ask: str, answered: bool
) -> list[Event]:
    """A private conversation: 1-4 messages taking turns, minutes to hours apart."""
    thread = f"{channel}:{p.idx}"
    events = []
    if ask:
        events.append(Event(when, channel, "dm", "received", ask, p, thread=thread, ask=topic,
                            answered=answered))  # fmt: skip
        if answered:
            when = _moment(r, when, (8, 300))
            text = fill(r.choice(ANSWERS), r, p, topic)
            events.append(Event(when, channel, "dm", "given", text, p, thread=thread))
            if r.random() < 0.7:
                when = _moment(r, when, (5, 180))
                events.append(
                    Event(when, channel, "dm", "received", r.choice(_THANKS), p, thread=thread)
                )
        return events
    mine = r.random() < 0.5
    n = r.choice((1, 2, 2) if channel == "linkedin" else (1, 2, 2, 3, 4))
    for i in range(n):
        text = fill(r.choice(_DM_OPEN[p.role]), r, p, topic) if i == 0 else r.choice(_DM_REPLY)
        events.append(
            Event(when, channel, "dm", "given" if mine else "received", text, p, thread=thread)
        )
        mine = not mine
        when = _moment(r, when, (1, 200))
    return events


def _blog_comment(
    w: World, r: random.Random, p: Person, when: datetime, topic: str, ask: str, answered: bool
) -> list[Event]:
    """A comment on the owner's latest post before ``when``, and maybe her reply."""
    post = max(i for i, b in enumerate(w.blog_posts) if b.when < when)
    text = ask or fill(r.choice(_BLOG_COMMENTS), r, p, topic)
    out = [Event(when, "blog", "comment", "received", text, p, post=post,
                 ask=topic if ask else None, answered=answered)]  # fmt: skip
    # she is behind on blog comments this week: the newest ones wait for an answer
    if (answered if ask else r.random() < 0.6) and when < w.day(7):
        reply = fill(r.choice(ANSWERS if ask else _BLOG_REPLIES), r, p, topic)
        out.append(Event(_moment(r, when, (30, 900)), "blog", "comment", "given", reply, p,
                         post=post))  # fmt: skip
    return out


def _touches(w: World, r: random.Random, p: Person) -> list[Event]:
    """Touches with ``p`` over the window, at the rhythm of their circle."""
    start = max(w.day(WINDOW_DAYS), p.since or w.day(WINDOW_DAYS))
    end = min(w.day(1, 23), p.lapsed or w.day(1, 23))
    events: list[Event] = []
    t = start
    warm_until = w.day(395) if p.idx == 0 else start  # Terrill: a Twitter friend until dinner
    while True:
        cadence = 18.0 if t < warm_until else p.cadence
        t = t + timedelta(days=r.expovariate(1.0 / cadence))
        if t >= end:
            return events
        when = _instant(r, t.date())
        if p.idx == 0 and t < warm_until:
            events += _touch_on(w, r, p, when, "twitter")
        else:
            events += _touch(w, r, p, when)


def _touch_on(w: World, r: random.Random, p: Person, when: datetime, channel: str) -> list[Event]:
    """A public touch on one given platform (replies and likes)."""
    topic = _topic(r, p)
    said = fill(r.choice(SAYS), r, p, topic)
    if r.random() < 0.5:
        text = fill(r.choice(REPLIES["giving"]), r, p, topic)
        return [Event(when, channel, "reply", "given", text, p, ref_text=said,
                      ref_at=_moment(r, when, (-300, -5)))]  # fmt: skip
    return [Event(when, channel, "like", "given", said, p, ref_text=said,
                  ref_at=_moment(r, when, (-300, -5)))]  # fmt: skip


def _owner_posts(w: World, r: random.Random) -> list[Event]:
    """The owner's own posts: life, giving, and some self-promotion, platform by era."""
    events = []
    bsky = w.day(OWNER_BLUESKY_DAYS)
    for days in range(WINDOW_DAYS, 0, -1):
        day = w.today - timedelta(days=days)
        before = local(day, 0) < bsky
        rates = {"twitter": 0.55 if before else 0.12, "mastodon": 0.2 if before else 0.35}
        if not before:
            rates["bluesky"] = 0.3
        for channel, rate in rates.items():
            if r.random() >= rate:
                continue
            roll = r.random()
            topic = r.choice(OWNER.expertise)
            pool = OWNER_LIFE if roll < 0.45 else OWNER_PROMO if roll < 0.62 else OWNER_GIVING
            template = r.choice(pool)
            if "{mention" in template:
                continue  # posts naming people come from touches, where the platform fits
            text = fill(template, r, None, topic)
            events.append(Event(_instant(r, day), channel, "post", "given", text))
    return events


def build(seed: int, today: date) -> World:
    """The whole demo world for ``seed`` as seen on ``today``."""
    now = local(today, 0)  # midnight in Chicago: the exports were requested first thing
    w = World(seed, today, now, OWNER, cast(seed, today))
    w.blog_posts = blog_posts(w)
    events = story_events(w)
    r = rng(seed, "touches")
    for p in w.people:
        events += _touches(w, r, p)
    events += _owner_posts(w, rng(seed, "posts"))
    w.feeds = feed_posts(w, rng(seed, "feeds"))
    events.sort(key=lambda e: (e.when, e.channel, e.kind, e.person.idx if e.person else -1))
    w.events = [e for e in events if e.when < now]
    _number_comments(w)
    return w


def _number_comments(w: World) -> None:
    """Blog replies point at the comment they answer (its position among the post's comments)."""
    seen: dict[int, list[Event]] = {}
    for e in w.events:
        if e.channel != "blog":
            continue
        comments = seen.setdefault(e.post, [])
        if e.direction == "given" and e.parent < 0:
            for i in range(len(comments) - 1, -1, -1):
                if comments[i].person is e.person and comments[i].direction == "received":
                    e.parent = i
                    break
        comments.append(e)
