"""The scenes the demo is about, placed relative to ``today``.

The owner met Terrill (@terrillific) for dinner while he was in Chicago for a conference; he
asked her "so what's your goal with this whole social media thing?" and she blogged about it.
She introduces two packaging people to each other, moves to Mastodon and Bluesky without
leaving her friends behind, and in the last two weeks several people asked her for help in
her topics: some she answered, some are still waiting.

    >>> from datetime import date
    >>> from ._timeline import build
    >>> w = build(7, date(2026, 1, 15))
    >>> [p.title for p in w.blog_posts][6]
    "So what's your goal with this whole social media thing?"
"""

from __future__ import annotations

import random
from datetime import timedelta

from ._pools import TOPICS
from ._world import OWNER_BLUESKY_DAYS, BlogPost, Event, World

__all__ = ["blog_posts", "feed_posts", "story_events"]

# (days ago, title, category, tags, paragraphs)
_POSTS: tuple[tuple[int, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (700, "Why I stopped counting followers", "Social media", ("goals", "relationships"), (
        "For years I checked my follower count every morning. It went up, and nothing changed.",
        "When I started answering people instead of broadcasting at them, the numbers mattered "
        "less and the conversations mattered more. Oddly, that is when things started to grow.",
    )),
    (640, "Packaging a Python CLI: the friendly path", "Python", ("python", "packaging"), (
        "Every month someone asks me how to ship a small Python command-line tool so that "
        "colleagues can install it. Here is the path I recommend.",
        "Write a pyproject.toml, build a wheel with python -m build, publish with twine, and "
        "tell people to install it with pipx. That is it. Hope this helps!",
    )),
    (585, "Accessible data tables: my checklist", "Accessibility", ("a11y", "tables"), (
        "Use real table markup, a caption, and th elements with scope. Test with a screen "
        "reader, not just an automated checker.",
    )),
    (530, "Three social media goals for this year", "Social media", ("goals",), (
        "Build stronger connections: fewer people, more attention. Locate strategic partners: "
        "reach out to the bloggers I read every week. Help others: answer questions in my "
        "topics, or even just search for the word help.",
    )),
    (470, "Running and thinking", "Life", ("running",), (
        "Some of my best answers arrive around mile four on the lakefront path.",
    )),
    (420, "Moving to Mastodon and Bluesky without leaving anyone behind", "Social media",
     ("mastodon", "bluesky"), (
        "My friends are on every platform, or on none. I am not leaving anyone behind: I will "
        "keep reading Twitter, and you can find me at @miaokafor@hachyderm.io and "
        "miaokafor.bsky.social.",
    )),
    (386, "So what's your goal with this whole social media thing?", "Social media",
     ("goals", "relationships"), (
        "A little over a week ago I met a Twitter friend for dinner while he was in Chicago for "
        "a conference. We had exchanged tweets for months, so we thought: might as well meet "
        "in person.",
        "Later in the meal he asked me: so what's your goal with this whole social media thing? "
        "Nobody had asked me that before.",
        "My answer, several miles of running later: keep learning, keep connecting, and help "
        "people along the way. Thanks Terrill for putting that question in my head.",
    )),
    (330, "Busy is not productive", "Social media", ("goals", "productivity"), (
        "Posting, retweeting, checking analytics: it feels like work. But if you do not know "
        "where the finish line is, how do you know you are winning?",
    )),
    (270, "Give more, receive more, expect little", "Community", ("community", "giving"), (
        "Relationships work best as an unconditional give and take. Giving something that "
        "requires someone to do something for you is not really giving.",
    )),
    (210, "Office hours for Python packaging questions", "Python", ("python", "packaging"), (
        "Every other Thursday I hold free office hours for packaging questions. Bring your "
        "pyproject.toml and your error messages.",
    )),
    (150, "Alt text for charts, a short guide", "Accessibility", ("a11y", "dataviz"), (
        "Say what the chart shows, not what it looks like: the trend, the outlier, the point.",
    )),
    (95, "Are my relationships helping me reach my goals?", "Social media",
     ("goals", "relationships"), (
        "Do I have enough relationships? The right ones? Am I nurturing them? Five questions I "
        "now ask myself every quarter.",
    )),
    (45, "A year of running a community meetup", "Community", ("community", "meetups"), (
        "Twelve meetups, one code of conduct, countless pizzas. What I learned about keeping "
        "volunteers engaged.",
    )),
    (12, "Accessible data tables, revisited", "Accessibility", ("a11y", "tables"), (
        "Two years after my first checklist, here is what changed in how I build tables.",
    )),
)  # fmt: skip


def blog_posts(w: World) -> list[BlogPost]:
    """The owner's blog posts, oldest first."""
    posts = []
    for days, title, category, tags, paragraphs in _POSTS:
        slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        posts.append(BlogPost(title, slug, w.day(days, 7.5), paragraphs, category, tags))
    return posts


def _post(w: World, title: str) -> int:
    return next(i for i, p in enumerate(w.blog_posts) if p.title == title)


def story_events(w: World) -> list[Event]:
    """The hand-placed scenes (the generated touches fill in the rest)."""
    terrill, zoe, jose, taro = (w.people[i] for i in range(4))
    bjorn, adaeze = w.person("Björn", "Lindqvist"), w.person("Adaeze", "Okafor")
    minji, tess = w.person("Minji", "Kim"), w.person("Tess", "Morgan")
    christopher, sherry = w.person("Christopher", "Hale"), w.person("Sherry", "Rowan")
    dinner = _post(w, "So what's your goal with this whole social media thing?")
    ev: list[Event] = [
        # the dinner in Chicago
        Event(w.day(402, 18.2), "twitter", "dm", "received",
              "In Chicago next week for a conference. Dinner?", terrill, thread="dinner"),
        Event(w.day(402, 18.9), "twitter", "dm", "given",
              "Yes! I know a great spot in Wicker Park. Wednesday at 7?", terrill, thread="dinner"),
        Event(w.day(402, 19.1), "twitter", "dm", "received", "Perfect. See you then 🎭", terrill,
              thread="dinner"),
        Event(w.day(395, 22.5), "twitter", "mention", "given",
              "Finally met @terrillific in person, over dinner in Chicago. He asked me: so what's "
              "your goal with this whole social media thing? Still thinking about it.", terrill),
        Event(w.day(385, 9.3), "blog", "comment", "received",
              "Thanks for the dinner conversation, Mia! Glad the question stuck. Next time you "
              "come to Seattle, improv show on me.", terrill, post=dinner),
        Event(w.day(385, 12.4), "blog", "comment", "given",
              "Deal! Thank you for asking it, Terrill.", terrill, post=dinner),
        Event(w.day(384, 20.0), "blog", "comment", "received",
              "You know, I really love this idea Mia. Sometimes people confuse being really busy "
              "with being productive.", christopher, post=dinner),
        Event(w.day(383, 8.0), "blog", "comment", "given",
              "Thanks Christopher! I always appreciate your comments.", christopher, post=dinner),
        Event(w.day(527, 18.2), "blog", "comment", "received",
              "Great post Mia! I teach small businesses how to use Facebook for marketing. I love "
              "the ability to continue relationships made in person online.", sherry,
              post=_post(w, "Three social media goals for this year")),
        # friends announcing their move, and welcomed on the other side
        Event(w.day(336, 20.4), "twitter", "reply", "given",
              "See you over there, Terrill! Following you now. 🎭", terrill,
              ref_text="Moving to Mastodon. Find me at @terrill@mastodon.social",
              ref_at=w.day(336, 19.9)),
        Event(w.day(606, 9.1), "twitter", "reply", "given",
              "Following you there, Zoë! 🌻", zoe,
              ref_text="I'm moving to the fediverse: @zoe@fosstodon.org", ref_at=w.day(606, 8.7)),
        Event(zoe.mastodon.since + timedelta(days=2, hours=3) if zoe.mastodon else w.day(600),
              "mastodon", "mention", "given",
              "Welcome to the fediverse, @zoe@fosstodon.org! 🌻 Everyone, follow Zoë for "
              "accessible charts.", zoe),
        Event(w.day(357, 20.5), "mastodon", "mention", "given",
              "Look who's here: @terrill@mastodon.social 🎭 Follow him for accessibility and "
              "improv.", terrill),
        Event(w.day(OWNER_BLUESKY_DAYS, 10.0), "twitter", "post", "given",
              "You can also find me at miaokafor.bsky.social and @miaokafor@hachyderm.io now. "
              "Still reading here, just less."),
        # an introduction (giving: connecting people who should meet)
        Event(w.day(200, 9.5), "twitter", "dm", "given",
              "Introducing you two! José is wrestling with wheels for a monorepo, Taro maintains "
              "a packaging tool. You two should meet.", None, others=(jose, taro), thread="intro"),
        Event(w.day(200, 9.9), "twitter", "dm", "received", "Thank you Mia! Hi Taro 👋", jose,
              others=(jose, taro), thread="intro"),
        Event(w.day(200, 11.2), "twitter", "dm", "received",
              "Hi José! Happy to help, let's find a time this week.", taro, others=(jose, taro),
              thread="intro"),
        # asks for help in the last two weeks
        Event(w.day(2, 16.3), "linkedin", "dm", "received",
              "Hi Mia! Anyone you'd recommend for python packaging? Looking for a good tool to "
              "build wheels for our monorepo.", jose, thread="ask", ask="python packaging"),
        Event(w.day(3, 20.1), "facebook", "dm", "received",
              "Mia, my nonprofit needs help making our website accessible. Any recommendations "
              "for an accessibility audit?", adaeze, thread="ask", ask="accessibility"),
        Event(w.day(6, 21.4), "blog", "comment", "received",
              "How do I make data tables accessible for screen readers when they have merged "
              "header cells? Any accessibility pointers welcome.", minji,
              post=_post(w, "Accessible data tables, revisited"), ask="accessibility"),
        Event(w.day(5, 19.7), "twitter", "dm", "received",
              "Hey Mia! Does anyone have a good code of conduct template for a new community? "
              "Starting a community building meetup in Boston.", christopher, thread="ask",
              ask="community building"),
        Event(w.day(8, 11.0), "linkedin", "dm", "received",
              "Hi Mia, we're hiring a Developer Advocate at Tidewater Bank. Would you be open to a "
              "chat?", tess, thread="recruit"),
        Event(w.day(10, 13.2), "mastodon", "reply", "given",
              "@bjorn@chaos.social Have you tried hatch? It worked for me on two projects, and "
              "its docs are here: https://hatch.pypa.io", bjorn,
              ref_text="How do I publish a python package with a C extension? packaging help!",
              ref_at=w.day(10, 12.6), ask="python packaging", answered=True),
    ]  # fmt: skip
    return ev


def feed_posts(w: World, r: random.Random) -> dict[str, list[Event]]:
    """Posts on the blogs of Terrill (RSS) and Zoë (Atom), newest first, as their feeds list."""
    terrill, zoe = w.people[0], w.people[1]
    feeds: dict[str, list[Event]] = {}
    recent = {
        terrill.idx: (4, "Testing color contrast in CI?", "accessibility",
                      "Anyone know a good tool for testing color contrast in CI? Our "
                      "accessibility checks keep slipping through code review."),
        zoe.idx: (9, "Accessible charts in Python: looking for advice", "accessibility",
                  "Looking for advice: how do you make matplotlib charts accessible? Alt text, "
                  "data tables, sonification? Accessibility for charts is still hard."),
    }  # fmt: skip
    for p in (terrill, zoe):
        assert p.blog is not None
        items: list[Event] = []
        days = 540
        while days > 12:
            topic = r.choice(p.topics)
            tag, things = TOPICS[topic]
            thing = r.choice(things)
            title = r.choice(
                (
                    f"Notes on {thing}",
                    f"What I learned about {thing}",
                    f"{thing.capitalize()}, one year later",
                    f"A short guide to {thing}",
                )
            )
            text = (f"I have been thinking about {thing} a lot lately. Here is what I learned "
                    f"about {topic} this month, and what I would do differently.")  # fmt: skip
            items.append(Event(w.day(days, 8.0), f"feed:{p.blog.domain}", "post", "received",
                               text, p, title=title, tags=(tag,)))  # fmt: skip
            days -= r.randint(21, 45)
        if p is terrill:
            items.append(Event(w.day(384, 7.0), f"feed:{p.blog.domain}", "post", "received",
                               "Dinner in Chicago with Mia Okafor (@miaokafor), who asked the best "
                               "question of the conference.", p, title="What I learned in Chicago",
                               tags=("improv",)))  # fmt: skip
        ago, title, topic, text = recent[p.idx]
        items.append(Event(w.day(ago, 9.0), f"feed:{p.blog.domain}", "post", "received", text, p,
                           title=title, tags=(TOPICS[topic][0],), ask=topic))  # fmt: skip
        items.sort(key=lambda e: e.when, reverse=True)
        feeds[p.blog.domain] = items
    return feeds
